package invoke

import (
	"strconv"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/zvcms"
)

// benchVerifyParams is the request both verify benchmarks build: the
// verification of a typical till (one coupon, 5.00 off 26.00).
const benchVerifyParams = `{"bizId":"order-1","customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amount":"500","orderAmount":"2600"}`

// benchClient is the client of the direct calls (the session's).
func benchClient() zvcms.Client {
	return zvcms.Client{Credentials: zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: testOpenKey},
		BaseURL: "http://127.0.0.1:8080/api/v2"}
}

// BenchmarkSurface measures what the JSON surface costs on top of the Go
// call it adapts: each method through Invoke (with a session and a fixed
// stamp) and the same work as a direct Go call, in one run. make
// bench-invoke prints invoke ÷ direct for each pair.
func BenchmarkSurface(b *testing.B) {
	r := fixed()
	session := `"session":"` + openSession(b, r) + `","timestamp":"1547186244","nonce":"658965"`
	invoke := func(method, req string) func(b *testing.B) {
		return func(b *testing.B) {
			in := []byte(req)
			if out := r.Invoke(method, in); out[6] != 't' {
				b.Fatal(string(out))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r.Invoke(method, in)
			}
		}
	}
	b.Run("token/invoke", invoke("zvcms.token", `{`+session+`}`))
	b.Run("token/direct", func(b *testing.B) {
		cl := benchClient()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			st, err := cl.NewStamp(zvcms.Stamp{Timestamp: "1547186244", Nonce: "658965"})
			if err != nil {
				b.Fatal(err)
			}
			_ = zvcms.Token(cl.Credentials, st.Timestamp, st.Nonce, cl.KeyStyle)
			_ = zvcms.SignContent(cl.Credentials, st.Timestamp, st.Nonce, cl.KeyStyle)
		}
	})
	b.Run("verifyCoupons.request/invoke", invoke("zvcms.verifyCoupons.request", `{`+session+`,"params":`+benchVerifyParams+`}`))
	b.Run("verifyCoupons.request/direct", func(b *testing.B) {
		cl := benchClient()
		p := zvcms.VerifyParams{BizID: "order-1", CustomerID: "383933091455959041", CouponsCardList: []string{"390962138708451328"},
			Amount: zvcms.FenOf(500), OrderAmount: zvcms.FenOf(2600)}
		st := zvcms.Stamp{Timestamp: "1547186244", Nonce: "658965"}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := cl.VerifyCoupons(p, st); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("verifyCoupons.request.inline/invoke", invoke("zvcms.verifyCoupons.request",
		`{"zvcms":`+zvcmsCreds()+`,"timestamp":"1547186244","nonce":"658965","params":`+benchVerifyParams+`}`))
	b.Run("money.toFen/invoke", invoke("money.toFen", `{"yuan":"12.5"}`))
}

// BenchmarkQuote10kLines is discount.quote of a basket at the limit: 10,000
// lines and 10 rate coupons (decoding, quoting and writing a 3 MB reply).
func BenchmarkQuote10kLines(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"lines":[`)
	for i := 0; i < MaxQuoteLines; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"id":"l` + strconv.Itoa(i) + `","quantity":"3","unitPriceYuan":"1.00"}`)
	}
	sb.WriteString(`],"coupons":[` + strings.Repeat(`{"kind":"rate","rate":"9.5"},`, 9) + `{"kind":"rate","rate":"9.5"}]}`)
	req := []byte(sb.String())
	r := New(Options{})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if out := r.Invoke("discount.quote", req); out[6] != 't' {
			b.Fatal(string(out[:200]))
		}
	}
}
