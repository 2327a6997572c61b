package invoke

import (
	"errors"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// message returns the error envelope's message after checking its code and
// field.
func message(t *testing.T, reply []byte, code errs.Kind, field string) string {
	t.Helper()
	return fails(t, reply, code, field).Get("message").Str
}

// INVALID_JSON names the byte offset (from 0, in the caller's text, leading
// white space counted) of the fault.
func TestInvalidJSONNamesTheOffset(t *testing.T) {
	r := New(Options{})
	for _, tc := range []struct{ request, want string }{
		{`{"a":`, "the request is not well-formed JSON: it ends at byte 5, before the JSON text is complete"},
		{" \n{\"a\":1,}", "the request is not well-formed JSON: invalid character '}' looking for beginning of object key string at byte 9 (counted from 0)"},
		{`{"a" 1}`, "the request is not well-formed JSON: invalid character '1' after object key at byte 5 (counted from 0)"},
		{`{"a":1} x`, "the request is not well-formed JSON: invalid character 'x' after top-level value at byte 8 (counted from 0)"},
		{"{\"券\":tru}", "the request is not well-formed JSON: invalid character '}' in literal true (expecting 'e') at byte 10 (counted from 0)"},
		{"{\"a\":\"\x01\"}", "the request is not well-formed JSON: invalid character '\\x01' in string literal at byte 6 (counted from 0)"},
		{"{\"a\":\"\xff\"}", "the request is not valid UTF-8 at byte 6 (counted from 0); send JSON text encoded as UTF-8"},
		{"  {\"券\":\"\xe5\x88\"}", "the request is not valid UTF-8 at byte 10 (counted from 0); send JSON text encoded as UTF-8"},
	} {
		if got := message(t, r.Invoke("version", []byte(tc.request)), errs.InvalidJSON, ""); got != tc.want {
			t.Errorf("%q:\n got  %s\n want %s", tc.request, got, tc.want)
		}
	}
	// A caller that converted its text maps the offset back to its own.
	err := CheckRequest([]byte(`{"a":1,}`), func(i int) int { return 1000 + i })
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.InvalidJSON || !strings.HasSuffix(e.Message, " at byte 1007 (counted from 0)") {
		t.Errorf("CheckRequest with a mapping: %v", err)
	}
	if err := CheckRequest([]byte(` {"a":1} `), nil); err != nil {
		t.Errorf("CheckRequest of a good request: %v", err)
	}
}

// The hint to name a rounding mode is given only where the request has a
// rounding option (money.toFen), not on amounts that have none.
func TestRoundingHintOnlyWithARoundingOption(t *testing.T) {
	r := fixed()
	if got, want := message(t, r.Invoke("money.toFen", []byte(`{"yuan":"0.125"}`)), errs.InvalidArgument, "yuan"),
		"amount 0.125 has more than two decimals, not a whole number of fen; give rounding (half-up, down or half-even) to round it"; got != want {
		t.Errorf("money.toFen:\n got  %s\n want %s", got, want)
	}
	if got, want := message(t, r.Invoke("money.toFen", []byte(`{"yuan":"-0.125","signed":true,"rounding":"exact"}`)), errs.InvalidArgument, "yuan"),
		"amount -0.125 has more than two decimals, not a whole number of fen; give rounding (half-up, down or half-even) to round it"; got != want {
		t.Errorf("money.toFen signed:\n got  %s\n want %s", got, want)
	}
	noOption := []struct{ method, request, field string }{
		{"zvcms.couponDiscount.request", `{"zvcms":` + zvcmsCreds() + `,"params":{"user_coupon_id":"1","user_id":"2","items":[{"num":1,"trade_mark":"a","price":"1.005"}]}}`, "params.items[0].price"},
		{"discount.quote", `{"lines":[{"id":"a","quantity":"1","unitPriceYuan":"1.005"}],"coupons":[]}`, "lines[0].unitPriceYuan"},
		{"discount.quote", `{"rounding":"half-up","lines":[{"id":"a","quantity":"1","unitPriceYuan":"1.005"}],"coupons":[]}`, "lines[0].unitPriceYuan"},
	}
	for _, tc := range noOption {
		if got, want := message(t, r.Invoke(tc.method, []byte(tc.request)), errs.InvalidArgument, tc.field),
			"amount 1.005 has more than two decimals, not a whole number of fen"; got != want {
			t.Errorf("%s %s:\n got  %s\n want %s", tc.method, tc.field, got, want)
		}
	}
	if got, want := message(t, r.Invoke("zvcms.couponDiscount.response", []byte(`{"body":"{\"status\":true,\"code\":0,\"data\":{\"coupon_discount\":\"1.005\"}}"}`)), errs.ResponseInvalid, "data.coupon_discount"),
		"amount 1.005 has more than two decimals, not a whole number of fen"; got != want {
		t.Errorf("a reply's amount:\n got  %s\n want %s", got, want)
	}
}

// The zvcms codes of a refused authentication say what to check, naming
// the credentials, never their values.
func TestZvcmsAuthCodesSayWhatToCheck(t *testing.T) {
	r := fixed()
	for _, tc := range []struct{ code, vendorMsg, want string }{
		{"10001", "OpenId 无效", "the vendor reported a system error; the OpenId is unknown to the server: check openId, and that baseUrl is the server that issued it"},
		{"10002", "签名错误", "the vendor reported a system error; the Token did not verify: check openKey, openId and grantCode (issued together) and the Token key style (tokenKeyStyle)"},
		{"10003", "时间戳超出允许范围", "the vendor reported a system error; the Timestamp is outside the server's window: check this machine's clock"},
		{"500", "系统错误", "the vendor reported a system error"},
	} {
		body := `{"status":false,"code":"` + tc.code + `","message":"` + tc.vendorMsg + `"}`
		e := fails(t, r.Invoke("zvcms.response", []byte(`{"body":`+q(body)+`}`)), errs.SystemError, "")
		if got := e.Get("message").Str; got != tc.want || e.Get("vendorCode").Str != tc.code || e.Get("vendorMessage").Str != tc.vendorMsg {
			t.Errorf("code %s:\n got  %s\n want %s", tc.code, e.Raw, tc.want)
		}
	}
	// Through a call with the credentials: the reply of the refused Token
	// carries the hint and none of the credentials' values.
	f := &fakeSend{status: 200, body: `{"status":"false","code":10002,"message":"签名错误"}`}
	r = New(Options{Send: f.send})
	reply := r.Invoke("zvcms.call", []byte(`{"zvcms":`+zvcmsCreds()+`,"action":"user.coupon-new-status","params":{"customerId":"1"}}`))
	e := fails(t, reply, errs.SystemError, "")
	if !strings.Contains(e.Get("message").Str, "check openKey, openId and grantCode") {
		t.Errorf("zvcms.call: %s", reply)
	}
	for _, secret := range []string{testOpenKey, testOpenID, testGrantCode} {
		if strings.Contains(string(reply), secret) {
			t.Errorf("the reply holds a credential value %q: %s", secret, reply)
		}
	}
}

// A sending method's HTTP status error names the URL without userinfo or
// query string, and what to check.
func TestHTTPStatusNamesTheURL(t *testing.T) {
	creds := `{"openId":"` + testOpenID + `","grantCode":"` + testGrantCode + `","openKey":"` + testOpenKey +
		`","baseUrl":"http://pos:pa55word@127.0.0.1:8080/api/v2?sig=s3cret#frag"}`
	for _, tc := range []struct {
		status int
		want   string
	}{
		{404, "POST http://127.0.0.1:8080/api/v2: the server answered HTTP 404; check the URL's path (the base or gateway URL)"},
		{407, "POST http://127.0.0.1:8080/api/v2: the server answered HTTP 407 (proxy authentication required); give the proxy's user and password in the proxy URL (transport.proxy: http://user:password@host:port)"},
		{403, "POST http://127.0.0.1:8080/api/v2: the server answered HTTP 403; the server or a proxy on the way refused access: check the URL and the proxy (transport.proxy)"},
		{502, "POST http://127.0.0.1:8080/api/v2: the server answered HTTP 502; the server or a proxy on the way could not answer: try again later, and check the proxy (transport.proxy)"},
		{500, "POST http://127.0.0.1:8080/api/v2: the server answered HTTP 500"},
	} {
		f := &fakeSend{status: tc.status, body: "<html/>"}
		r := New(Options{Send: f.send})
		e := fails(t, r.Invoke("zvcms.call", []byte(`{"zvcms":`+creds+`,"action":"user.coupon-new-status","params":{}}`)), errs.TransportError, "")
		if got := e.Get("message").Str; got != tc.want || e.Get("reason").Str != "http_status" {
			t.Errorf("HTTP %d:\n got  %s\n want %s", tc.status, e.Raw, tc.want)
		}
	}
	// A SendFunc's error that is not a TRANSPORT_ERROR names the URL too.
	f := &fakeSend{err: errors.New("boom")}
	r := New(Options{Send: f.send})
	e := fails(t, r.Invoke("http.send", []byte(`{"method":"GET","url":"https://u:p@example.test:8443/a/b?key=s3cret"}`)), errs.TransportError, "")
	if got, want := e.Get("message").Str, "GET https://example.test:8443/a/b: the HTTP exchange failed"; got != want {
		t.Errorf("network:\n got  %s\n want %s", got, want)
	}
}
