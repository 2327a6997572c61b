package invoke

import (
	"testing"

	"github.com/couponkit/couponkit/core/zvcms"
)

// benchVerifyRequest is the request both benchmarks build: the README's
// quick-start verification with a fixed stamp.
const benchVerifyParams = `{"bizId":"order-1","customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amount":"500","orderAmount":"2600"}`

// BenchmarkInvokeVerifyCouponsRequest is zvcms.verifyCoupons.request
// through Invoke with a session: what ck_invoke does after copying the
// strings (the C harness compares its own figure with this one and with
// BenchmarkDirectVerifyCoupons).
func BenchmarkInvokeVerifyCouponsRequest(b *testing.B) {
	r := fixed()
	req := []byte(`{"session":"` + openSession(b, r) + `","timestamp":"1547186244","nonce":"658965","params":` + benchVerifyParams + `}`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out := r.Invoke("zvcms.verifyCoupons.request", req); out[6] != 't' {
			b.Fatal(string(out))
		}
	}
}

// BenchmarkInvokeVerifyCouponsRequestInline is the same with inline
// credentials instead of a session.
func BenchmarkInvokeVerifyCouponsRequestInline(b *testing.B) {
	r := fixed()
	req := []byte(`{"zvcms":` + zvcmsCreds() + `,"timestamp":"1547186244","nonce":"658965","params":` + benchVerifyParams + `}`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out := r.Invoke("zvcms.verifyCoupons.request", req); out[6] != 't' {
			b.Fatal(string(out))
		}
	}
}

// BenchmarkDirectVerifyCoupons is the same work called directly in Go:
// zvcms.Client.VerifyCoupons with typed parameters.
func BenchmarkDirectVerifyCoupons(b *testing.B) {
	cl := zvcms.Client{Credentials: zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: testOpenKey},
		BaseURL: "http://127.0.0.1:8080/api/v2"}
	p := zvcms.VerifyParams{BizID: "order-1", CustomerID: "383933091455959041", CouponsCardList: []string{"390962138708451328"},
		Amount: zvcms.FenOf(500), OrderAmount: zvcms.FenOf(2600)}
	st := zvcms.Stamp{Timestamp: "1547186244", Nonce: "658965"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := cl.VerifyCoupons(p, st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInvokeMoneyToFen is the smallest method: the fixed cost of a call.
func BenchmarkInvokeMoneyToFen(b *testing.B) {
	r := New(Options{})
	req := []byte(`{"yuan":"12.5"}`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Invoke("money.toFen", req)
	}
}
