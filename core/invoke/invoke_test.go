package invoke

import (
	"bytes"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/wire"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/tidwall/gjson"
)

func TestMethodsSortedAndCopied(t *testing.T) {
	r := New(Options{})
	m := r.Methods()
	if !sort.StringsAreSorted(m) || len(m) < 15 {
		t.Fatalf("Methods() = %v", m)
	}
	m[0] = "changed"
	if r.Methods()[0] == "changed" {
		t.Fatal("Methods() exposes the registry's slice")
	}
	for _, want := range []string{"version", "session.open", "session.close", "zvcms.token", "zvcms.request",
		"zvcms.verifyCoupons.request", "zvcms.couponDiscount.request", "zvcms.response", "allinpay.request",
		"allinpay.couponSend.request", "allinpay.response", "discount.quote", "discount.reconcile",
		"money.toFen", "money.toYuan"} {
		if i := sort.SearchStrings(r.Methods(), want); i == len(m) || r.Methods()[i] != want {
			t.Errorf("method %s missing", want)
		}
	}
}

// methods lists every registered method with its schema types.
func TestMethodsMethod(t *testing.T) {
	r := New(Options{})
	got := ok(t, r.Invoke("methods", nil)).Get("methods").Array()
	if len(got) != len(r.Methods()) {
		t.Fatalf("%d methods listed, %d registered", len(got), len(r.Methods()))
	}
	for i, m := range r.Methods() {
		if got[i].Get("name").Str != m || got[i].Get("request").Str != methods[m].Request.Name() || got[i].Get("result").Str != methods[m].Result.Name() {
			t.Errorf("entry %d: %s, want %s", i, got[i].Raw, m)
		}
	}
	if e := got[0]; e.Get("name").Str != "allinpay.attachSign" || e.Get("request").Str != "AttachSignRequest" || e.Get("result").Str != "AllinpayRequest" {
		t.Errorf("first entry %s", e.Raw)
	}
	fails(t, r.Invoke("methods", []byte(`{"verbose":true}`)), errs.InvalidArgument, "verbose")
}

func TestRequestChecks(t *testing.T) {
	r := New(Options{})
	cases := []struct {
		name, method, req string
		code              errs.Kind
		field             string
	}{
		{"unknown method", "money.tofen", `{}`, errs.UnknownMethod, "method"},
		{"empty method", "", `{}`, errs.UnknownMethod, "method"},
		{"truncated", "version", `{"a":`, errs.InvalidJSON, ""},
		{"trailing garbage", "version", `{} x`, errs.InvalidJSON, ""},
		{"single quotes", "money.toFen", `{'yuan':'1'}`, errs.InvalidJSON, ""},
		{"invalid utf-8", "money.toFen", "{\"yuan\":\"1\xff\"}", errs.InvalidJSON, ""},
		{"html", "version", `<html><body>502 Bad Gateway</body></html>`, errs.InvalidJSON, ""},
		{"array", "version", `[]`, errs.InvalidArgument, ""},
		{"string", "version", `"x"`, errs.InvalidArgument, ""},
		{"number", "version", `1`, errs.InvalidArgument, ""},
		{"null", "version", `null`, errs.InvalidArgument, ""},
		{"member on version", "version", `{"x":1}`, errs.InvalidArgument, "x"},
		{"unknown member", "money.toFen", `{"yuan":"1","yaun":"2"}`, errs.InvalidArgument, "yaun"},
		{"repeated member", "money.toFen", `{"yuan":"1","yuan":"2"}`, errs.InvalidArgument, "yuan"},
		{"missing member", "money.toFen", `{}`, errs.InvalidArgument, "yuan"},
		{"wrong type", "money.toFen", `{"yuan":true}`, errs.InvalidArgument, "yuan"},
		{"object for string", "money.toFen", `{"yuan":{}}`, errs.InvalidArgument, "yuan"},
		{"bad bool", "money.toFen", `{"yuan":"1","signed":"yes"}`, errs.InvalidArgument, "signed"},
		{"bad rounding", "money.toFen", `{"yuan":"1","rounding":"up"}`, errs.InvalidArgument, "rounding"},
		{"too deep", "version", strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), errs.TooLarge, ""},
		{"too deep in a member", "money.toFen", `{"yuan":` + strings.Repeat(`{"a":`, MaxDepth) + `1` + strings.Repeat("}", MaxDepth) + `}`, errs.TooLarge, ""},
		{"deep and unbalanced", "version", strings.Repeat("[", 1<<20), errs.TooLarge, ""},
		{"many open members", "http.send", `{"url":"http://x/","headers":{` + manyMembers(200000) + `}}`, errs.TooLarge, "headers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fails(t, r.Invoke(c.method, []byte(c.req)), c.code, c.field)
		})
	}
	// Brackets inside strings do not count as nesting, and empty requests
	// are {}.
	ok(t, r.Invoke("money.toFen", []byte(`{"yuan":"1","rounding":null}`+strings.Repeat(" ", 10))))
	ok(t, r.Invoke("version", nil))
	ok(t, r.Invoke("version", []byte(" \n\t")))
	deepString := `{"yuan":"1","rounding":"` + strings.Repeat("[", 1000) + `"}`
	fails(t, r.Invoke("money.toFen", []byte(deepString)), errs.InvalidArgument, "rounding")
}

// manyMembers returns n distinct members "h0":"v",… of a JSON object.
func manyMembers(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"h` + strconv.Itoa(i) + `":"v"`)
	}
	return b.String()
}

func TestTooLarge(t *testing.T) {
	r := New(Options{})
	big := make([]byte, MaxRequestBytes+1)
	copy(big, `{"yuan":"`)
	for i := 9; i < len(big)-2; i++ {
		big[i] = '1'
	}
	copy(big[len(big)-2:], `"}`)
	fails(t, r.Invoke("money.toFen", big), errs.TooLarge, "")
	// Exactly at the limit the request is read (and this one is refused for
	// its value, not its size).
	fails(t, r.Invoke("money.toFen", append([]byte(`{"yuan":"1`), big[len(big)-MaxRequestBytes+10:]...)), errs.InvalidArgument, "yuan")
}

func TestInternalFromPanic(t *testing.T) {
	r := New(Options{})
	r.testMethod("test.panic", func() error { panic("boom with " + testOpenKey) })
	r.testMethod("test.nonErrs", func() error { return strconv.ErrRange })
	e := fails(t, r.Invoke("test.panic", nil), errs.Internal, "")
	if strings.Contains(e.Raw, "boom") || !strings.Contains(e.Get("message").Str, "test.panic") {
		t.Fatalf("panic value leaked or method not named: %s", e.Raw)
	}
	fails(t, r.Invoke("test.nonErrs", nil), errs.Internal, "")
	r.testMethod("test.badKind", func() error { return &errs.Error{Kind: "NOT_A_CODE"} })
	r.testMethod("test.noMessage", func() error { return &errs.Error{Kind: errs.TooLarge, Field: "x"} })
	fails(t, r.Invoke("test.badKind", nil), errs.Internal, "")
	fails(t, r.Invoke("test.noMessage", nil), errs.TooLarge, "x")
	// The registry keeps working after a panic.
	ok(t, r.Invoke("version", nil))
	defer func() {
		if recover() == nil {
			t.Fatal("registering a name twice must panic")
		}
	}()
	add("version", versionOf)
}

func TestVersion(t *testing.T) {
	if got := ok(t, New(Options{}).Invoke("version", []byte(`{}`))).Get("version").Str; got == "" || strings.Count(got, ".") != 2 {
		t.Fatalf("version %q", got)
	}
}

func TestMoney(t *testing.T) {
	r := New(Options{})
	toFen := []struct{ req, fen, yuan string }{
		{`{"yuan":"12.5"}`, "1250", "12.50"},
		{`{"yuan":12.5}`, "1250", "12.50"},
		{`{"yuan":"0"}`, "0", "0.00"},
		{`{"yuan":"9999999999999.99"}`, "999999999999999", "9999999999999.99"},
		{`{"yuan":"1.005","rounding":"half-up"}`, "101", "1.01"},
		{`{"yuan":"1.005","rounding":"down"}`, "100", "1.00"},
		{`{"yuan":"0.125","rounding":"half-even"}`, "12", "0.12"},
		{`{"yuan":"-0.05","signed":true}`, "-5", "-0.05"},
		{`{"yuan":"-0.05","signed":"true"}`, "-5", "-0.05"},
	}
	for _, c := range toFen {
		res := ok(t, r.Invoke("money.toFen", []byte(c.req)))
		if res.Get("fen").Str != c.fen || res.Get("yuan").Str != c.yuan {
			t.Errorf("%s: got %s", c.req, res.Raw)
		}
	}
	for _, bad := range []string{`{"yuan":"1.005"}`, `{"yuan":"-1"}`, `{"yuan":"1e2"}`, `{"yuan":1e2}`, `{"yuan":"NaN"}`,
		`{"yuan":" 1"}`, `{"yuan":"10000000000000"}`, `{"yuan":""}`, `{"yuan":"0x10"}`, `{"yuan":"1.2.3"}`} {
		fails(t, r.Invoke("money.toFen", []byte(bad)), errs.InvalidArgument, "yuan")
	}
	toYuan := []struct{ req, yuan string }{
		{`{"fen":"1250"}`, "12.50"}, {`{"fen":1250}`, "12.50"}, {`{"fen":"5"}`, "0.05"}, {`{"fen":"-5"}`, "-0.05"},
		{`{"fen":"999999999999999"}`, "9999999999999.99"}, {`{"fen":0}`, "0.00"},
	}
	for _, c := range toYuan {
		if got := ok(t, r.Invoke("money.toYuan", []byte(c.req))).Get("yuan").Str; got != c.yuan {
			t.Errorf("%s: got %s", c.req, got)
		}
	}
	for _, bad := range []string{`{"fen":"1.5"}`, `{"fen":"-0"}`, `{"fen":"1000000000000000"}`, `{"fen":"+1"}`,
		`{"fen":1e3}`, `{"fen":"99999999999999999999"}`, `{}`} {
		fails(t, r.Invoke("money.toYuan", []byte(bad)), errs.InvalidArgument, "fen")
	}
}

// Every fen amount round-trips through both methods (a property over a
// spread of values, including the limits).
func TestMoneyRoundTrip(t *testing.T) {
	r := New(Options{})
	for _, f := range []money.Fen{0, 1, 9, 10, 99, 100, 101, 1234567, money.MaxFen - 1, money.MaxFen} {
		for _, s := range []money.Fen{f, -f} {
			yuan := ok(t, r.Invoke("money.toYuan", []byte(`{"fen":"`+s.String()+`"}`))).Get("yuan").Str
			back := ok(t, r.Invoke("money.toFen", []byte(`{"yuan":"`+yuan+`","signed":true}`))).Get("fen").Str
			if back != s.String() || yuan != s.Yuan() {
				t.Errorf("%d → %s → %s", s, yuan, back)
			}
		}
	}
}

func verifyParamsJSON(extra string) string {
	return `{"bizId":"order-1","customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amount":"500","orderAmount":2600` + extra + `}`
}

// The invoke request is byte-identical to the core builder's, and the
// server side of the protocol accepts its Token.
func TestZvcmsVerifyMatchesCore(t *testing.T) {
	r := fixed()
	res := ok(t, r.Invoke("zvcms.verifyCoupons.request", []byte(`{"zvcms":`+zvcmsCreds()+`,"params":`+verifyParamsJSON("")+`}`)))
	cl := zvcms.Client{Credentials: zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: testOpenKey},
		BaseURL: "http://127.0.0.1:8080/api/v2"}
	want, err := cl.VerifyCoupons(zvcms.VerifyParams{BizID: "order-1", CustomerID: "383933091455959041",
		CouponsCardList: []string{"390962138708451328"}, Amount: zvcms.FenOf(500), OrderAmount: zvcms.FenOf(2600)},
		zvcms.Stamp{Timestamp: strconv.Itoa(testTimestamp), Nonce: testNonce})
	if err != nil {
		t.Fatal(err)
	}
	if res.Get("body").Str != string(want.Body) || res.Get("url").Str != want.URL || res.Get("token").Str != want.Token ||
		res.Get("contentType").Str != "application/json" || res.Get("action").Str != zvcms.ActionVerifyCoupons {
		t.Fatalf("invoke %s\ncore   %s", res.Raw, want.Body)
	}
	env, err := zvcms.ParseRequest([]byte(res.Get("body").Str))
	if err != nil {
		t.Fatal(err)
	}
	if err := zvcms.CheckToken(zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: testOpenKey}, env, zvcms.LowerCamel); err != nil {
		t.Fatal(err)
	}
	if err := zvcms.CheckToken(zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: "other"}, env, zvcms.LowerCamel); err == nil {
		t.Fatal("a Token made with another key verified")
	}
}

func TestZvcmsOptions(t *testing.T) {
	r := fixed()
	creds := `{"openId":"` + testOpenID + `","grantCode":"` + testGrantCode + `","openKey":"` + testOpenKey + `","tokenKeyStyle":"capitalized","couponListStyle":"string"}`
	res := ok(t, r.Invoke("zvcms.verifyCoupons.request", []byte(`{"zvcms":`+creds+`,"params":`+verifyParamsJSON("")+`}`)))
	body := gjson.Parse(res.Get("body").Str)
	if body.Get("Params.couponsCardList").Raw != `"[390962138708451328]"` {
		t.Fatalf("list style: %s", body.Get("Params").Raw)
	}
	want := zvcms.Token(zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: testOpenKey}, strconv.Itoa(testTimestamp), testNonce, zvcms.Capitalized)
	if res.Get("token").Str != want || res.Get("url").Str != zvcms.DefaultBaseURL {
		t.Fatalf("token style or url: %s", res.Raw)
	}
	tok := ok(t, r.Invoke("zvcms.token", []byte(`{"zvcms":`+creds+`,"timestamp":1600000000,"nonce":"12345"}`)))
	if tok.Get("signContent").Str != "GrantCode="+testGrantCode+"&Nonce=12345&OpenId="+testOpenID+"&Timestamp=1600000000" {
		t.Fatalf("signContent %s", tok.Raw)
	}
	// Without a stamp the registry's clock and nonce source are used.
	tok = ok(t, r.Invoke("zvcms.token", []byte(`{"zvcms":`+creds+`}`)))
	if tok.Get("timestamp").Str != strconv.Itoa(testTimestamp) || tok.Get("nonce").Str != testNonce {
		t.Fatalf("stamp %s", tok.Raw)
	}
}

func TestZvcmsErrors(t *testing.T) {
	r := fixed()
	zv := `"zvcms":` + zvcmsCreds()
	cases := []struct {
		name, method, req string
		code              errs.Kind
		field             string
	}{
		{"no credentials", "zvcms.token", `{}`, errs.InvalidArgument, "zvcms"},
		{"both", "zvcms.token", `{"session":"s_x",` + zv + `}`, errs.InvalidArgument, "zvcms"},
		{"unknown session", "zvcms.token", `{"session":"s_00000000000000000000000000000000"}`, errs.InvalidArgument, "session"},
		{"no openKey", "zvcms.token", `{"zvcms":{"openId":"a","grantCode":"b"}}`, errs.KeyError, "zvcms.openKey"},
		{"no openId", "zvcms.token", `{"zvcms":{"grantCode":"b","openKey":"k"}}`, errs.InvalidArgument, "zvcms.openId"},
		{"typo in creds", "zvcms.token", `{"zvcms":{"openID":"a","grantCode":"b","openKey":"k"}}`, errs.InvalidArgument, "zvcms.openID"},
		{"creds not object", "zvcms.token", `{"zvcms":"a"}`, errs.InvalidArgument, "zvcms"},
		{"bad base url", "zvcms.token", `{"zvcms":{"openId":"a","grantCode":"b","openKey":"k","baseUrl":"ftp://x"}}`, errs.InvalidArgument, "zvcms.baseUrl"},
		{"bad key style", "zvcms.token", `{"zvcms":{"openId":"a","grantCode":"b","openKey":"k","tokenKeyStyle":"upper"}}`, errs.InvalidArgument, "zvcms.tokenKeyStyle"},
		{"bad list style", "zvcms.token", `{"zvcms":{"openId":"a","grantCode":"b","openKey":"k","couponListStyle":"csv"}}`, errs.InvalidArgument, "zvcms.couponListStyle"},
		{"bad timestamp", "zvcms.token", `{` + zv + `,"timestamp":"2019-01-01"}`, errs.InvalidArgument, "timestamp"},
		{"bad nonce", "zvcms.token", `{` + zv + `,"nonce":-5}`, errs.InvalidArgument, "nonce"},
		{"no action", "zvcms.request", `{` + zv + `}`, errs.InvalidArgument, "action"},
		{"bad action", "zvcms.request", `{` + zv + `,"action":"a b"}`, errs.InvalidArgument, "action"},
		{"params not object", "zvcms.request", `{` + zv + `,"action":"a.b","params":[1]}`, errs.InvalidArgument, "params"},
		{"no params", "zvcms.verifyCoupons.request", `{` + zv + `}`, errs.InvalidArgument, "params"},
		{"unknown param", "zvcms.verifyCoupons.request", `{` + zv + `,"params":` + verifyParamsJSON(`,"amout":1`) + `}`, errs.InvalidArgument, "params.amout"},
		{"unknown ext member", "zvcms.verifyCoupons.request", `{` + zv + `,"params":` + verifyParamsJSON(`,"ext":{"orderNO":"1"}`) + `}`, errs.InvalidArgument, "params.ext.orderNO"},
		{"negative fen", "zvcms.verifyCoupons.request", `{` + zv + `,"params":{"bizId":"b","customerId":"1","couponsCardList":["1"],"amount":-1}}`, errs.InvalidArgument, "params.amount"},
		{"yuan for fen", "zvcms.verifyCoupons.request", `{` + zv + `,"params":{"bizId":"b","customerId":"1","couponsCardList":["1"],"amount":"5.00"}}`, errs.InvalidArgument, "params.amount"},
		{"two with useCount", "zvcms.verifyCoupons.request", `{` + zv + `,"params":{"bizId":"b","customerId":"1","couponsCardList":["1","2"],"useCount":1}}`, errs.InvalidArgument, "*"},
		{"no bizId", "zvcms.verifyCoupons.request", `{` + zv + `,"params":{"customerId":"1","couponsCardList":["1"]}}`, errs.InvalidArgument, "params.bizId"},
		{"unknown item member", "zvcms.couponDiscount.request", `{` + zv + `,"params":{"user_coupon_id":"1","user_id":"2","items":[{"num":1,"trade_mark":"a","price":"1","qty":1}]}}`, errs.InvalidArgument, "params.items[0].qty"},
		{"camel in snake", "zvcms.couponDiscount.request", `{` + zv + `,"params":{"userCouponId":"1"}}`, errs.InvalidArgument, "params.userCouponId"},
		{"3 decimals", "zvcms.couponDiscount.request", `{` + zv + `,"params":{"user_coupon_id":"1","user_id":"2","items":[{"num":1,"trade_mark":"a","price":"1.001"}]}}`, errs.InvalidArgument, "params.items[0].price"},
		{"no items", "zvcms.couponDiscount.request", `{` + zv + `,"params":{"user_coupon_id":"1","user_id":"2"}}`, errs.InvalidArgument, "params.items"},
		{"too many items", "zvcms.couponDiscount.request", `{` + zv + `,"params":{"items":[` + strings.Repeat(`{},`, wire.MaxElements) + `{}]}}`, errs.TooLarge, "params.items"},
		{"no body", "zvcms.response", `{}`, errs.InvalidArgument, "body"},
		{"html reply", "zvcms.response", `{"body":"<html>502</html>"}`, errs.ResponseInvalid, ""},
		{"no status", "zvcms.response", `{"body":"{\"code\":0}"}`, errs.ResponseInvalid, "status"},
		{"business error", "zvcms.response", `{"body":"{\"status\":true,\"code\":40004,\"message\":\"不存在\"}"}`, errs.APIError, ""},
		{"system error", "zvcms.response", `{"body":"{\"status\":\"false\",\"code\":\"500\",\"message\":\"系统错误\"}"}`, errs.SystemError, ""},
		{"bad data", "zvcms.response", `{"action":"user.user-by-coupon","body":"{\"status\":true,\"code\":0,\"data\":{\"coupon_discount\":\"1.001\"}}"}`, errs.ResponseInvalid, "data.coupon_discount"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fails(t, r.Invoke(c.method, []byte(c.req)), c.code, c.field)
		})
	}
	e := fails(t, r.Invoke("zvcms.response", []byte(`{"body":"{\"status\":true,\"code\":40004,\"message\":\"不存在\"}"}`)), errs.APIError, "")
	if e.Get("vendorCode").Str != "40004" || e.Get("vendorMessage").Str != "不存在" || e.Get("vendorStatus").Str != "true" {
		t.Fatalf("vendor fields %s", e.Raw)
	}
	e = fails(t, r.Invoke("zvcms.response", []byte(`{"body":"{\"status\":false,\"code\":\"500\",\"message\":\"系统错误\"}"}`)), errs.SystemError, "")
	if e.Get("vendorCode").Str != "500" || e.Get("vendorStatus").Str != "false" {
		t.Fatalf("vendor fields %s", e.Raw)
	}
}

// 18-digit ids (above 2^53) keep every digit from request to body and from
// reply to result, whether given as JSON strings or numbers.
func TestEighteenDigitIDs(t *testing.T) {
	r := fixed()
	const id, id2 = "390962138708451329", "9007199254740993"
	res := ok(t, r.Invoke("zvcms.verifyCoupons.request", []byte(`{"zvcms":`+zvcmsCreds()+
		`,"params":{"bizId":"b","customerId":383933091455959041,"couponsCardList":[`+id+`,"`+id2+`"]}}`)))
	body := gjson.Parse(res.Get("body").Str)
	if body.Get("Params.customerId").Str != "383933091455959041" || body.Get("Params.couponsCardList.0").Str != id ||
		body.Get("Params.couponsCardList.1").Str != id2 {
		t.Fatalf("ids changed: %s", body.Get("Params").Raw)
	}
	reply := `{"status":true,"code":0,"data":{"bizId":` + id + `,"cardIdList":[` + id + `,` + id2 + `],"userInfo":{"customer_id":` + id2 + `},"n":-1.50e3}}`
	got := ok(t, r.Invoke("zvcms.response", []byte(`{"action":"communal.user.coupons-vertify","body":`+q(reply)+`}`)))
	if got.Get("bizId").Str != id || got.Get("cardIdList.1").Str != id2 || got.Get("userInfo.customerId").Str != id2 ||
		got.Get("data.bizId").Raw != `"`+id+`"` || got.Get("data.cardIdList.1").Raw != `"`+id2+`"` || got.Get("data.n").Raw != `"-1.50e3"` {
		t.Fatalf("ids changed: %s", got.Raw)
	}
	// The generic parse keeps data too, numbers as strings.
	got = ok(t, r.Invoke("zvcms.response", []byte(`{"body":`+q(reply)+`}`)))
	if got.Get("data.userInfo.customer_id").Raw != `"`+id2+`"` {
		t.Fatalf("generic data: %s", got.Raw)
	}
	// Allinpay: an id in a raw bizContent stays a number, byte for byte.
	sid := openSession(t, r)
	ap := ok(t, r.Invoke("allinpay.request", []byte(`{"session":"`+sid+`","method":"m.x","params":{"couponNo": `+id+`}}`)))
	if !strings.Contains(ap.Get("signContent").Str, `bizContent={"couponNo":`+id+`}`) {
		t.Fatalf("bizContent %s", ap.Get("signContent").Str)
	}
}

func TestDiscountReplyParsed(t *testing.T) {
	r := fixed()
	body := readFile(t, "testdata/zvcms/discount_response_rate.json")
	got := ok(t, r.Invoke("zvcms.response", []byte(`{"action":"user.user-by-coupon","body":`+q(body)+`}`)))
	var sum int64
	for _, g := range got.Get("goodsItems").Array() {
		n, err := strconv.ParseInt(g.Get("couponMinusFen").Str, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		sum += n
	}
	if got.Get("couponType").Str != "1" || strconv.FormatInt(sum, 10) != got.Get("couponDiscountFen").Str {
		t.Fatalf("shares do not add up: %s", got.Raw)
	}
}

// couponSend requests verify with the merchant's public key (the server's
// check), and a tampered reply is SIGNATURE_INVALID.
func TestAllinpay(t *testing.T) {
	r := fixed()
	sid := openSession(t, r)
	res := ok(t, r.Invoke("allinpay.couponSend.request", []byte(`{"session":"`+sid+`","params":{"shopId":"1","operUserId":"1","couponType":"1","num":10,"couponTemplateId":307,"orderId":"o-1","extendInfo":{"buyerType": "个人"}}}`)))
	form, err := url.ParseQuery(res.Get("body").Str)
	if err != nil {
		t.Fatal(err)
	}
	merchant, err := allinpay.ParsePrivateKey("k", merchantKey(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := allinpay.VerifyRequest(form, merchant.Public(), allinpay.RSA2, ""); err != nil {
		t.Fatalf("server check: %v", err)
	}
	if form.Get("timestamp") != "2019-01-11 13:57:24" || form.Get("bizContent") != `{"shopId":"1","operUserId":"1","couponType":"1","num":"10","couponTemplateId":"307","orderId":"o-1","extendInfo":{"buyerType":"个人"}}` {
		t.Fatalf("form %v", form)
	}
	// Inline keys give the same request as the session.
	inline := ok(t, r.Invoke("allinpay.couponSend.request", []byte(`{"allinpay":`+allinpayCreds(t)+`,"params":{"shopId":"1","operUserId":"1","couponType":"1","num":10,"couponTemplateId":307,"orderId":"o-1","extendInfo":{"buyerType": "个人"}}}`)))
	if inline.Get("body").Str != res.Get("body").Str {
		t.Fatal("inline keys and session differ")
	}

	platform, err := allinpay.ParsePrivateKey("p", platformKey(t))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := allinpay.SignResponse([]byte(`{"code":0,"msg":"ok","data":{"tranNo":"1","tranDateTime":"2020-04-10 16:03:49","list":[{"templateId":307,"couponName":"券","couponNo":null,"qrCodeContext":"https://q"}]}}`), platform, allinpay.RSA2, "", allinpay.RawMinusSign)
	if err != nil {
		t.Fatal(err)
	}
	got := ok(t, r.Invoke("allinpay.response", []byte(`{"session":"`+sid+`","method":"allinpay.shopoint.couponService.couponSend","body":`+q(string(signed))+`}`)))
	if got.Get("list.0.templateId").Str != "307" || got.Get("list.0.couponNo").Type != gjson.Null || got.Get("verified").Type != gjson.True {
		t.Fatalf("couponSend reply %s", got.Raw)
	}
	generic := ok(t, r.Invoke("allinpay.response", []byte(`{"session":"`+sid+`","body":`+q(string(signed))+`}`)))
	if generic.Get("code").Str != "0" || generic.Get("data.list.0.templateId").Str != "307" {
		t.Fatalf("generic reply %s", generic.Raw)
	}
	tampered := bytes.Replace(signed, []byte(`"tranNo":"1"`), []byte(`"tranNo":"2"`), 1)
	fails(t, r.Invoke("allinpay.response", []byte(`{"session":"`+sid+`","body":`+q(string(tampered))+`}`)), errs.SignatureInvalid, "*")
	e := fails(t, r.Invoke("allinpay.response", []byte(`{"session":"`+sid+`","body":"{\"code\":3,\"msg\":\"验签失败\"}"}`)), errs.APIError, "")
	if e.Get("vendorCode").Str != "3" || e.Get("vendorMessage").Str != "验签失败" {
		t.Fatalf("vendor fields %s", e.Raw)
	}
	fails(t, r.Invoke("allinpay.response", []byte(`{"session":"`+sid+`","body":"<html>"}`)), errs.ResponseInvalid, "*")
}

func TestAllinpayErrors(t *testing.T) {
	r := fixed()
	sid := `"session":"` + openSession(t, r) + `"`
	pub := q(platformPub(t))
	cases := []struct {
		name, method, req string
		code              errs.Kind
		field             string
	}{
		{"no keys", "allinpay.request", `{"method":"m"}`, errs.InvalidArgument, "allinpay"},
		{"bad private key", "allinpay.request", `{"method":"m","allinpay":{"appId":"a","privateKey":"bm90IGEga2V5","platformPublicKey":` + pub + `,"gatewayUrl":"https://g"}}`, errs.KeyError, "allinpay.privateKey"},
		{"bad public key", "allinpay.request", `{"method":"m","allinpay":{"appId":"a","privateKey":` + q(merchantKey(t)) + `,"platformPublicKey":"x","gatewayUrl":"https://g"}}`, errs.KeyError, "allinpay.platformPublicKey"},
		{"no private key: allinpay.sign", "allinpay.sign", `{"signContent":"a=b","allinpay":{"appId":"a","platformPublicKey":` + pub + `,"gatewayUrl":"https://g"}}`, errs.KeyError, "allinpay.privateKey"},
		{"sm2 type for rsa key", "allinpay.request", `{"method":"m","allinpay":{"appId":"a","signType":"SM2","privateKey":` + q(merchantKey(t)) + `,"platformPublicKey":` + pub + `,"gatewayUrl":"https://g"}}`, errs.KeyError, "*"},
		{"bad sign type", "allinpay.request", `{"method":"m","allinpay":{"appId":"a","signType":"MD5","privateKey":"x"}}`, errs.InvalidArgument, "allinpay.signType"},
		{"bad verify mode", "allinpay.request", `{"method":"m","allinpay":{"appId":"a","verifyMode":"none","privateKey":"x"}}`, errs.InvalidArgument, "allinpay.verifyMode"},
		{"no gateway", "allinpay.request", `{"method":"m","allinpay":{"appId":"a","privateKey":` + q(merchantKey(t)) + `,"platformPublicKey":` + pub + `}}`, errs.InvalidArgument, "allinpay.gatewayUrl"},
		{"no app id", "allinpay.request", `{"method":"m","allinpay":{"privateKey":"x"}}`, errs.InvalidArgument, "allinpay.appId"},
		{"typo in keys", "allinpay.request", `{"method":"m","allinpay":{"appid":"a"}}`, errs.InvalidArgument, "allinpay.appid"},
		{"zvcms-only session", "allinpay.request", `{"method":"m","session":"` + zvOnlySession(t, r) + `"}`, errs.InvalidArgument, "session"},
		{"no method", "allinpay.request", `{` + sid + `}`, errs.InvalidArgument, "method"},
		{"bad timestamp", "allinpay.request", `{` + sid + `,"method":"m","timestamp":"2020/04/10"}`, errs.InvalidArgument, "timestamp"},
		{"params not object", "allinpay.request", `{` + sid + `,"method":"m","params":"{}"}`, errs.InvalidArgument, "params"},
		{"no params", "allinpay.couponSend.request", `{` + sid + `}`, errs.InvalidArgument, "params"},
		{"unknown param", "allinpay.couponSend.request", `{` + sid + `,"params":{"shopID":"1"}}`, errs.InvalidArgument, "params.shopID"},
		{"missing orderId", "allinpay.couponSend.request", `{` + sid + `,"params":{"shopId":"1","operUserId":"1","couponType":"1","num":"1","couponTemplateId":"1"}}`, errs.InvalidArgument, "params.orderId"},
		{"extendInfo not object", "allinpay.couponSend.request", `{` + sid + `,"params":{"extendInfo":"x"}}`, errs.InvalidArgument, "params.extendInfo"},
		{"no body", "allinpay.response", `{` + sid + `}`, errs.InvalidArgument, "body"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fails(t, r.Invoke(c.method, []byte(c.req)), c.code, c.field)
		})
	}
	// Unix seconds work as an Allinpay timestamp, shown in China time.
	res := ok(t, r.Invoke("allinpay.request", []byte(`{`+sid+`,"method":"m","timestamp":"0000000001"}`)))
	if !strings.Contains(res.Get("signContent").Str, "timestamp=1970-01-01 08:00:01") {
		t.Fatalf("timestamp %s", res.Get("signContent").Str)
	}
}

func zvOnlySession(t testing.TB, r *Registry) string {
	return ok(t, r.Invoke("session.open", []byte(`{"zvcms":`+zvcmsCreds()+`}`))).Get("session").Str
}

func TestSessions(t *testing.T) {
	r := fixed()
	fails(t, r.Invoke("session.open", []byte(`{}`)), errs.InvalidArgument, "zvcms")
	fails(t, r.Invoke("session.open", []byte(`{"zvcms":{}}`)), errs.InvalidArgument, "zvcms.openId")
	fails(t, r.Invoke("session.close", []byte(`{}`)), errs.InvalidArgument, "session")
	ap := ok(t, r.Invoke("session.open", []byte(`{"allinpay":`+allinpayCreds(t)+`}`)))
	if ap.Get("zvcms").Bool() || !ap.Get("allinpay").Bool() {
		t.Fatalf("open %s", ap.Raw)
	}
	fails(t, r.Invoke("zvcms.token", []byte(`{"session":"`+ap.Get("session").Str+`"}`)), errs.InvalidArgument, "session")
	id := openSession(t, r)
	if id == ap.Get("session").Str {
		t.Fatal("two sessions share an id")
	}
	ok(t, r.Invoke("zvcms.token", []byte(`{"session":"`+id+`"}`)))
	if !ok(t, r.Invoke("session.close", []byte(`{"session":"`+id+`"}`))).Get("closed").Bool() {
		t.Fatal("close did not report closing")
	}
	if ok(t, r.Invoke("session.close", []byte(`{"session":"`+id+`"}`))).Get("closed").Bool() {
		t.Fatal("second close reported closing")
	}
	fails(t, r.Invoke("zvcms.token", []byte(`{"session":"`+id+`"}`)), errs.InvalidArgument, "session")
	// Sessions belong to their registry.
	fails(t, fixed().Invoke("zvcms.token", []byte(`{"session":"`+ap.Get("session").Str+`"}`)), errs.InvalidArgument, "session")
}

func TestSessionLimit(t *testing.T) {
	r := fixed()
	for i := 0; i < MaxSessions; i++ {
		if !gjson.GetBytes(r.Invoke("session.open", []byte(`{"zvcms":`+zvcmsCreds()+`}`)), "ok").Bool() {
			t.Fatalf("open %d failed", i)
		}
	}
	fails(t, r.Invoke("session.open", []byte(`{"zvcms":`+zvcmsCreds()+`}`)), errs.TooLarge, "")
}

// Many goroutines open, use and close sessions at once (run with -race):
// every call gives the same bytes as inline credentials, and closed sessions
// are gone.
func TestSessionsConcurrent(t *testing.T) {
	r := fixed()
	want := r.Invoke("zvcms.verifyCoupons.request", []byte(`{"zvcms":`+zvcmsCreds()+`,"params":`+verifyParamsJSON("")+`}`))
	shared := openSession(t, r)
	var wg sync.WaitGroup
	errc := make(chan string, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				id := gjson.GetBytes(r.Invoke("session.open", []byte(`{"zvcms":`+zvcmsCreds()+`}`)), "result.session").Str
				for _, s := range []string{id, shared} {
					got := r.Invoke("zvcms.verifyCoupons.request", []byte(`{"session":"`+s+`","params":`+verifyParamsJSON("")+`}`))
					if !bytes.Equal(got, want) {
						errc <- string(got)
						return
					}
				}
				r.Invoke("session.close", []byte(`{"session":"`+id+`"}`))
				if gjson.GetBytes(r.Invoke("zvcms.token", []byte(`{"session":"`+id+`"}`)), "ok").Bool() {
					errc <- "closed session still works"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for e := range errc {
		t.Fatal(e)
	}
	r.mu.Lock()
	n := len(r.sessions)
	r.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d sessions left open, want 1", n)
	}
}

// No reply ever carries the openKey or private key material, whatever the
// method or error.
func TestNoSecretsInReplies(t *testing.T) {
	r := fixed()
	key := merchantKey(t)
	body := strings.Join(strings.Split(key, "\n")[1:4], "")
	secrets := []string{testOpenKey, body[:40], body[40:80]}
	inline := `"zvcms":` + zvcmsCreds() + `,"allinpay":` + allinpayCreds(t)
	reqs := map[string][]string{
		"session.open": {`{` + inline + `}`, `{"zvcms":{"openId":"a","grantCode":"b","openKey":"` + testOpenKey + `","baseUrl":"x"}}`,
			`{"allinpay":{"appId":"a","privateKey":` + q(key[:len(key)-40]) + `,"platformPublicKey":"x"}}`,
			`{"allinpay":{"appId":"a","privateKey":` + q(strings.Replace(key, "M", "*", 3)) + `}}`},
		"zvcms.token":                 {`{"zvcms":` + zvcmsCreds() + `}`, `{"zvcms":` + zvcmsCreds() + `,"nonce":"x"}`},
		"zvcms.verifyCoupons.request": {`{"zvcms":` + zvcmsCreds() + `,"params":` + verifyParamsJSON("") + `}`, `{"zvcms":` + zvcmsCreds() + `,"params":{}}`},
		"allinpay.request":            {`{"allinpay":` + allinpayCreds(t) + `,"method":"m"}`, `{"allinpay":` + allinpayCreds(t) + `,"method":"m","x":1}`},
		"allinpay.response":           {`{"allinpay":` + allinpayCreds(t) + `,"body":"{}"}`},
	}
	for m, list := range reqs {
		for _, req := range list {
			reply := string(r.Invoke(m, []byte(req)))
			checkEnvelope(t, []byte(reply))
			for _, s := range secrets {
				if strings.Contains(reply, s) {
					t.Fatalf("%s reply contains a secret: %s", m, reply)
				}
			}
		}
	}
}

// discount.quote gives the worked answers of testdata/discount/cases.json.
func TestDiscountCases(t *testing.T) {
	r := New(Options{})
	cases := gjson.Parse(readFile(t, "testdata/discount/cases.json")).Get("cases").Array()
	if len(cases) < 5 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		name := c.Get("name").Str
		input := c.Get("input").Raw
		want := c.Get("want")
		reply := r.Invoke("discount.quote", []byte(strings.Replace(input, "{", `{"units":true,`, 1)))
		if e := c.Get("error"); e.Exists() {
			fails(t, reply, errs.Kind(e.Get("kind").Str), e.Get("field").Str)
			continue
		}
		got := ok(t, reply)
		for _, k := range []string{"amount", "discount", "payable"} {
			if w := want.Get(k); w.Exists() && got.Get(k+"Fen").Str != w.Raw {
				t.Errorf("%s: %s = %s, want %s", name, k, got.Get(k+"Fen").Str, w.Raw)
			}
		}
		for i, wc := range want.Get("coupons").Array() {
			gc := got.Get("coupons." + strconv.Itoa(i))
			if gc.Get("discountFen").Str != wc.Get("discount").Raw || gc.Get("reason").Str != wc.Get("reason").Str {
				t.Errorf("%s: coupon %d = %s, want %s", name, i, gc.Raw, wc.Raw)
			}
		}
		for i, wl := range want.Get("lines").Array() {
			gl := got.Get("lines." + strconv.Itoa(i))
			if gl.Get("id").Str != wl.Get("id").Str {
				t.Errorf("%s: line %d id %s", name, i, gl.Get("id").Str)
			}
			for _, k := range []string{"gross", "payable"} {
				if w := wl.Get(k); w.Exists() && gl.Get(k+"Fen").Str != w.Raw {
					t.Errorf("%s: line %d %s = %s, want %s", name, i, k, gl.Get(k+"Fen").Str, w.Raw)
				}
			}
			if w := wl.Get("shares"); w.Exists() {
				var shares []string
				for _, s := range gl.Get("sharesFen").Array() {
					shares = append(shares, s.Str)
				}
				var ws []string
				for _, s := range w.Array() {
					ws = append(ws, s.Raw)
				}
				if strings.Join(shares, ",") != strings.Join(ws, ",") {
					t.Errorf("%s: line %d shares %v, want %v", name, i, shares, ws)
				}
			}
			// Every yuan string is its fen twin with two decimals.
			fen, _ := strconv.ParseInt(gl.Get("payableFen").Str, 10, 64)
			if gl.Get("payableYuan").Str != money.Fen(fen).Yuan() {
				t.Errorf("%s: payable %s vs %s", name, gl.Get("payableYuan").Str, gl.Get("payableFen").Str)
			}
		}
	}
}

func TestDiscountErrors(t *testing.T) {
	r := New(Options{})
	line := `{"id":"a","quantity":"1","unitPrice":"10"}`
	cases := []struct {
		name, method, req string
		code              errs.Kind
		field             string
	}{
		{"no lines", "discount.quote", `{}`, errs.InvalidArgument, "lines"},
		{"lines not array", "discount.quote", `{"lines":{}}`, errs.InvalidArgument, "lines"},
		{"line not object", "discount.quote", `{"lines":[1]}`, errs.InvalidArgument, "lines[0]"},
		{"unknown line member", "discount.quote", `{"lines":[{"id":"a","quantity":"1","price":"1"}]}`, errs.InvalidArgument, "lines[0].price"},
		{"unknown coupon member", "discount.quote", `{"lines":[` + line + `],"coupons":[{"kind":"fixed","amount":"1"}]}`, errs.InvalidArgument, "coupons[0].amount"},
		{"bad price", "discount.quote", `{"lines":[{"id":"a","quantity":"1","unitPrice":"1.001"}]}`, errs.InvalidArgument, "lines[0].unitPrice"},
		{"bad kind", "discount.quote", `{"lines":[` + line + `],"coupons":[{"kind":"free"}]}`, errs.InvalidArgument, "coupons[0].kind"},
		{"include not list", "discount.quote", `{"lines":[` + line + `],"coupons":[{"kind":"fixed","value":"1","include":"a"}]}`, errs.InvalidArgument, "coupons[0].include"},
		{"too many coupons", "discount.quote", `{"lines":[` + line + `],"coupons":[` + strings.Repeat(`{"kind":"fixed","value":"1"},`, 32) + `{"kind":"fixed","value":"1"}]}`, errs.TooLarge, "coupons"},
		{"too many lines", "discount.quote", `{"lines":[` + strings.Repeat(line+",", MaxQuoteLines) + line + `]}`, errs.TooLarge, "lines"},
		{"units beyond the unit-detail limit", "discount.quote", `{"units":true,"lines":[` + strings.Repeat(line+",", MaxQuoteUnitLines) + line + `]}`, errs.TooLarge, "units"},
		{"too many shares", "discount.quote", `{"lines":[` + strings.Repeat(line+",", MaxQuoteShares/20) + line + `],"coupons":[` + strings.Repeat(`{"kind":"fixed","value":"1"},`, 19) + `{"kind":"fixed","value":"1"}]}`, errs.TooLarge, "coupons"},
		{"no server", "discount.reconcile", `{"lines":[` + line + `]}`, errs.InvalidArgument, "server"},
		{"both", "discount.reconcile", `{"lines":[` + line + `],"server":{},"body":"{}"}`, errs.InvalidArgument, "server"},
		{"bad coupon index", "discount.reconcile", `{"lines":[` + line + `],"coupon":1,"server":{"couponDiscount":"1"}}`, errs.InvalidArgument, "coupon"},
		{"bad server amount", "discount.reconcile", `{"lines":[` + line + `],"server":{"couponDiscount":"x"}}`, errs.InvalidArgument, "server.couponDiscount"},
		{"unknown server member", "discount.reconcile", `{"lines":[` + line + `],"server":{"coupon_discount":"1"}}`, errs.InvalidArgument, "server.coupon_discount"},
		{"vendor error body", "discount.reconcile", `{"lines":[` + line + `],"body":"{\"status\":true,\"code\":1,\"message\":\"x\"}"}`, errs.APIError, ""},
		{"units on reconcile", "discount.reconcile", `{"lines":[` + line + `],"units":true}`, errs.InvalidArgument, "units"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fails(t, r.Invoke(c.method, []byte(c.req)), c.code, c.field)
		})
	}
}

// Reconciling a vendor reply whose split is unusable falls back to the local
// split and lists the discrepancy; the allocation always sums to amount.
func TestReconcileFromReplyBody(t *testing.T) {
	r := New(Options{})
	basket := `"lines":[{"id":"a","quantity":"2","unitPrice":"12.50"},{"id":"b","quantity":"1","unitPrice":"3"}]`
	reply := `{"status":"true","code":"0","data":{"coupon_discount":"5","goods_item":[{"trade_mark":"a","coupon_minus":"4"},{"trade_mark":"b","coupon_minus":"0.5"}]}}`
	got := ok(t, r.Invoke("discount.reconcile", []byte(`{`+basket+`,"body":`+q(reply)+`}`)))
	if got.Get("consistent").Bool() || got.Get("source").Str != "local" || got.Get("discrepancies.0.kind").Str != "sum_mismatch" {
		t.Fatalf("reconcile %s", got.Raw)
	}
	var sum int64
	for _, a := range got.Get("allocation").Array() {
		n, _ := strconv.ParseInt(a.Get("amountFen").Str, 10, 64)
		sum += n
	}
	if got.Get("amountFen").Str != "500" || sum != 500 || got.Get("orderAmountFen").Str != "2800" {
		t.Fatalf("allocation %s", got.Raw)
	}
	// The same split given as a server object gives the same result.
	same := ok(t, r.Invoke("discount.reconcile", []byte(`{`+basket+`,"server":{"couponDiscount":"5","goodsItems":[{"tradeMark":"a","couponMinus":"4"},{"tradeMark":"b","couponMinus":"0.5"}]}}`)))
	if same.Raw != got.Raw {
		t.Fatalf("body %s\nserver %s", got.Raw, same.Raw)
	}
}

func TestQuoteUnits(t *testing.T) {
	r := New(Options{})
	got := ok(t, r.Invoke("discount.quote", []byte(`{"lines":[{"id":"a","quantity":"3","unitPrice":"1"},{"id":"w","quantity":"0.5","unitPrice":"10"}],"coupons":[{"kind":"fixed","value":"1"}],"units":true}`)))
	u := got.Get("lines.0.units")
	if u.Get("count").Raw != "3" || !got.Get("lines.0.units.shares.0").IsArray() || got.Get("lines.1.units").Exists() {
		t.Fatalf("units %s", got.Raw)
	}
	var total int64
	for _, run := range u.Get("discount").Array() {
		from, to := run.Get("from").Int(), run.Get("to").Int()
		amt, _ := strconv.ParseInt(run.Get("amountFen").Str, 10, 64)
		total += (to - from + 1) * amt
	}
	if strconv.FormatInt(total, 10) != got.Get("lines.0.discountFen").Str {
		t.Fatalf("unit runs add to %d, line discount %s", total, got.Get("lines.0.discountFen").Str)
	}
	if got.Get("lines.0.units").Exists() == false || ok(t, r.Invoke("discount.quote", []byte(`{"lines":[{"id":"a","quantity":"3","unitPrice":"1"}]}`))).Get("lines.0.units").Exists() {
		t.Fatal("units must appear only when asked for")
	}
}

// The fast reading of verify params gives the same request as the zvcms
// package's own parser, for the usual and the legacy (stringified) forms.
func TestVerifyParamsMatchZvcmsParser(t *testing.T) {
	r := fixed()
	cl := zvcms.Client{Credentials: zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: testOpenKey},
		BaseURL: "http://127.0.0.1:8080/api/v2"}
	st := zvcms.Stamp{Timestamp: strconv.Itoa(testTimestamp), Nonce: testNonce}
	for _, params := range []string{
		verifyParamsJSON(""),
		`{"bizId":"b","customerId":1,"groupId":"2","channel":"c","couponsCardList":[1,"2"],"type":"","useCount":0,"ext":{"channelType":"3","multiStoreId":4,"multiStoreMark":"m","orderNo":"o","reason":"r"},"tradeMarks":["a","b"],"amount":"","orderAmount":null}`,
		`{"bizId":"b","couponsCardList":["CODE-1"],"type":1,"useCount":"2"}`,
		`{"bizId":"b","customerId":"1","couponsCardList":"[390962138708451328]","ext":"","tradeMarks":"","amount":"1"}`,
		`{"bizId":"b","customerId":"1","couponsCardList":["1"],"ext":[],"tradeMarks":"[\"x\"]"}`,
	} {
		got := r.Invoke("zvcms.verifyCoupons.request", []byte(`{"zvcms":`+zvcmsCreds()+`,"params":`+params+`}`))
		vp, err := zvcms.ParseVerifyParams([]byte(params))
		if err != nil {
			t.Fatalf("%s: %v", params, err)
		}
		want, err := cl.VerifyCoupons(*vp, st)
		if err != nil {
			t.Fatal(err)
		}
		if res := ok(t, got); res.Get("body").Str != string(want.Body) {
			t.Errorf("%s:\ninvoke %s\nzvcms  %s", params, res.Get("body").Str, want.Body)
		}
	}
	for _, bad := range []string{`{"bizId":"b","customerId":"1","couponsCardList":["1"],"type":"x"}`,
		`{"bizId":"b","customerId":"1","couponsCardList":["1"],"useCount":99999999999}`,
		`{"bizId":"b","customerId":"1","couponsCardList":[["1"]]}`} {
		fails(t, r.Invoke("zvcms.verifyCoupons.request", []byte(`{"zvcms":`+zvcmsCreds()+`,"params":`+bad+`}`)), errs.InvalidArgument, "*")
	}
}

// Every code of the closed set is reachable through Invoke (the transport
// one through http.send on a registry without a transport).
func TestEveryCodeReachable(t *testing.T) {
	r := fixed()
	r.testMethod("test.panic", func() error { panic("x") })
	sid := openSession(t, r)
	reqs := map[errs.Kind][2]string{
		errs.InvalidJSON:      {"version", `{`},
		errs.InvalidArgument:  {"money.toFen", `{"yuan":"x"}`},
		errs.UnknownMethod:    {"no.such", `{}`},
		errs.KeyError:         {"zvcms.token", `{"zvcms":{"openId":"a","grantCode":"b","openKey":""}}`},
		errs.SignatureInvalid: {"allinpay.response", `{"session":"` + sid + `","body":"{\"code\":0,\"sign\":\"AAAA\"}"}`},
		errs.ResponseInvalid:  {"zvcms.response", `{"body":"not json"}`},
		errs.APIError:         {"zvcms.response", `{"body":"{\"status\":true,\"code\":1}"}`},
		errs.SystemError:      {"zvcms.response", `{"body":"{\"status\":false,\"code\":1}"}`},
		errs.TransportError:   {"http.send", `{"url":"http://127.0.0.1:1/"}`},
		errs.TooLarge:         {"version", strings.Repeat("[", 100)},
		errs.Internal:         {"test.panic", `{}`},
	}
	for _, k := range errs.Kinds {
		c, found := reqs[k]
		if !found {
			t.Errorf("no request reaches %s", k)
			continue
		}
		e := fails(t, r.Invoke(c[0], []byte(c[1])), k, "*")
		if k == errs.TransportError && e.Get("reason").Str != "unavailable" {
			t.Errorf("transport error without its reason: %s", e.Raw)
		}
	}
}

// Per-unit detail is given up to MaxQuoteUnitLines lines; one line more is
// TOO_LARGE on "units", and the same basket is still quoted without it.
func TestQuoteUnitDetailLimit(t *testing.T) {
	basket := func(n int, units bool) []byte {
		var b strings.Builder
		b.WriteString(`{"units":` + strconv.FormatBool(units) + `,"lines":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"id":"l` + strconv.Itoa(i) + `","quantity":"3","unitPrice":"1.00"}`)
		}
		b.WriteString(`],"coupons":[{"kind":"rate","rate":"9"}]}`)
		return []byte(b.String())
	}
	r := New(Options{})
	res := ok(t, r.Invoke("discount.quote", basket(MaxQuoteUnitLines, true)))
	if n := res.Get("lines.#").Int(); n != MaxQuoteUnitLines {
		t.Fatalf("lines = %d, want %d", n, MaxQuoteUnitLines)
	}
	if c := res.Get("lines.999.units.count").Raw; c != "3" {
		t.Fatalf("last line's units.count = %q, want 3", c)
	}
	fails(t, r.Invoke("discount.quote", basket(MaxQuoteUnitLines+1, true)), errs.TooLarge, "units")
	res = ok(t, r.Invoke("discount.quote", basket(MaxQuoteUnitLines+1, false)))
	if res.Get("lines.0.units").Exists() {
		t.Fatalf("units given without being asked for")
	}
}
