package invoke

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/tidwall/gjson"
)

// fakeSend answers every request with status and body and records the last
// request.
type fakeSend struct {
	status int
	body   string
	err    error
	last   HTTPRequest
	ctxDL  bool
}

func (f *fakeSend) send(ctx context.Context, req HTTPRequest) (HTTPResponse, error) {
	f.last = req
	_, f.ctxDL = ctx.Deadline()
	if f.err != nil {
		return HTTPResponse{}, f.err
	}
	return HTTPResponse{Status: f.status, Body: []byte(f.body), Headers: []Header{{Name: "Content-Type", Value: "application/json"}, {Name: "X-B", Value: "2"}}}, nil
}

const testZvcms = `"zvcms":{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","openKey":"k","baseUrl":"http://127.0.0.1:1/api/v2"}`

func errorOf(t *testing.T, reply []byte) (code, reason string) {
	t.Helper()
	v := gjson.ParseBytes(reply)
	if v.Get("ok").Bool() {
		t.Fatalf("want an error, got %s", reply)
	}
	return v.Get("error.code").Str, v.Get("error.reason").Str
}

func TestOneCallWithoutTransport(t *testing.T) {
	r := New(Options{})
	for _, m := range []string{"http.send", "zvcms.verifyCoupons", "zvcms.couponDiscount", "zvcms.call"} {
		req := `{` + testZvcms + `,"params":{"bizId":"b1","customerId":"1","couponsCardList":["390962138708451328"]}}`
		switch m {
		case "http.send":
			req = `{"url":"http://127.0.0.1:1/"}`
		case "zvcms.couponDiscount":
			req = `{` + testZvcms + `,"params":{"user_coupon_id":"390962138708451328","user_id":"1","items":[{"num":"1","trade_mark":"a","price":"1"}]}}`
		case "zvcms.call":
			req = `{` + testZvcms + `,"action":"user.coupon-new-status","params":{}}`
		}
		code, reason := errorOf(t, r.Invoke(m, []byte(req)))
		if code != "TRANSPORT_ERROR" || reason != "unavailable" {
			t.Errorf("%s without transport: %s %s", m, code, reason)
		}
	}
}

func TestOneCallThroughSend(t *testing.T) {
	f := &fakeSend{status: 200, body: `{"status":"true","code":"0","message":"ok","data":{"bizId":"b1","cardIdList":"[390962138708451328]","userInfo":{}}}`}
	r := New(Options{Send: f.send, Now: func() time.Time { return time.Unix(1547186244, 0) }, Nonce: func() string { return "658965" }})
	out := r.Invoke("zvcms.verifyCoupons", []byte(`{`+testZvcms+`,"timeoutMs":1500,"headers":{"X-Trace":"t1"},"params":{"bizId":"b1","customerId":"1","couponsCardList":["390962138708451328"]}}`))
	v := gjson.ParseBytes(out)
	if !v.Get("ok").Bool() || v.Get("result.bizId").Str != "b1" || v.Get("result.cardIdList.0").Str != "390962138708451328" {
		t.Fatalf("verify: %s", out)
	}
	// The request went out as the builder makes it, never marked idempotent.
	built := gjson.GetBytes(r.Invoke("zvcms.verifyCoupons.request", []byte(`{`+testZvcms+`,"params":{"bizId":"b1","customerId":"1","couponsCardList":["390962138708451328"]}}`)), "result")
	if string(f.last.Body) != built.Get("body").Str || f.last.URL != "http://127.0.0.1:1/api/v2" || f.last.Idempotent ||
		len(f.last.Headers) != 1 || f.last.Headers[0] != (Header{Name: "X-Trace", Value: "t1"}) || f.last.TimeoutMs != 1500 || !f.ctxDL || f.last.ContentType != "application/json" {
		t.Fatalf("sent %+v", f.last)
	}
	// The discount query is idempotent.
	f.body = `{"status":"true","code":"0","message":"","data":{"coupon_discount":"1.50","goods_item":[{"trade_mark":"a","coupon_minus":"1.50"}]}}`
	out = r.Invoke("zvcms.couponDiscount", []byte(`{`+testZvcms+`,"params":{"user_coupon_id":"390962138708451328","user_id":"1","items":[{"num":"1","trade_mark":"a","price":"9"}]}}`))
	if gjson.GetBytes(out, "result.couponDiscountFen").Str != "150" || !f.last.Idempotent {
		t.Fatalf("discount: %s %+v", out, f.last)
	}
	// A vendor business error keeps its kind and code.
	f.body = `{"status":true,"code":"40010","message":"优惠券已使用"}`
	out = r.Invoke("zvcms.call", []byte(`{`+testZvcms+`,"action":"user.coupon-new-status","idempotent":true,"params":{}}`))
	if code, _ := errorOf(t, out); code != "API_ERROR" || gjson.GetBytes(out, "error.vendorCode").Str != "40010" || !f.last.Idempotent {
		t.Fatalf("business error: %s", out)
	}
	// Each generic call sends its own action and params (no state kept
	// between calls), and is idempotent when it says so or when the action
	// is a query the library knows (zvcms.IdempotentAction).
	for a, idem := range map[string]bool{"coupon.user-coupon-list": false, "user.coupon-new-status": true, "communal.user.consume": false} {
		r.Invoke("zvcms.call", []byte(`{`+testZvcms+`,"action":"`+a+`","params":{"user_id":"7"}}`))
		if b := gjson.ParseBytes(f.last.Body); b.Get("Action").Str != a || b.Get("Params.user_id").Str != "7" || f.last.Idempotent != idem {
			t.Fatalf("zvcms.call %s sent %s (idempotent %v)", a, f.last.Body, f.last.Idempotent)
		}
	}
	// HTTP 500 is TRANSPORT_ERROR http_status; http.send returns it as is.
	f.status, f.body = 500, "oops"
	if code, reason := errorOf(t, r.Invoke("zvcms.verifyCoupons", []byte(`{`+testZvcms+`,"params":{"bizId":"b1","customerId":"1","couponsCardList":["1"]}}`))); code != "TRANSPORT_ERROR" || reason != "http_status" {
		t.Fatalf("500: %s %s", code, reason)
	}
	out = r.Invoke("http.send", []byte(`{"url":"http://x/","body":"abc","idempotent":true}`))
	v = gjson.ParseBytes(out)
	if v.Get("result.status").Int() != 500 || v.Get("result.body").Str != "oops" || v.Get("result.headers.X-B.0").Str != "2" ||
		f.last.Method != "POST" || string(f.last.Body) != "abc" || !f.last.Idempotent {
		t.Fatalf("http.send: %s", out)
	}
	// A plain error from a custom SendFunc becomes TRANSPORT_ERROR network.
	f.err = errors.New("boom")
	if code, reason := errorOf(t, r.Invoke("http.send", []byte(`{"url":"http://x/"}`))); code != "TRANSPORT_ERROR" || reason != "network" {
		t.Fatalf("plain error: %s %s", code, reason)
	}
	// Bad options name the field.
	for _, bad := range []string{`{"url":"http://x/","timeoutMs":0}`, `{"url":"http://x/","timeoutMs":"1e3"}`, `{"url":"http://x/","headers":[]}`, `{}`} {
		out := r.Invoke("http.send", []byte(bad))
		if code, _ := errorOf(t, out); code != "INVALID_ARGUMENT" || !strings.Contains(string(out), `"field"`) {
			t.Errorf("%s: %s", bad, out)
		}
	}
}

// Transport options: a session's are checked at session.open (refused
// outright without a transport, where they would do nothing; maxBody's
// range here; the rest by Options.CheckTransport), and an inline member
// overrides the session's member by member.
func TestTransportOptions(t *testing.T) {
	fieldOf := func(reply []byte) string {
		return gjson.GetBytes(reply, "error.code").Str + " " + gjson.GetBytes(reply, "error.field").Str
	}
	open := func(r *Registry, transport string) []byte {
		return r.Invoke("session.open", []byte(`{`+testZvcms+`,"transport":`+transport+`}`))
	}
	if got := fieldOf(open(New(Options{}), `{}`)); got != "INVALID_ARGUMENT transport" {
		t.Errorf("session.open with transport options and no transport: %s", got)
	}
	f := &fakeSend{status: 200, body: "ok"}
	var checked []TransportOptions
	check := func(o TransportOptions) error {
		checked = append(checked, o)
		if o.Proxy == "bad" {
			return &errs.Error{Kind: errs.InvalidArgument, Field: "transport.proxy", Message: "bad proxy"}
		}
		return nil
	}
	r := New(Options{Send: f.send, CheckTransport: check})
	for tr, want := range map[string]string{
		`{"maxBody":0}`:        "INVALID_ARGUMENT transport.maxBody",
		`{"maxBody":67108865}`: "INVALID_ARGUMENT transport.maxBody",
		`{"maxBody":1.5}`:      "INVALID_ARGUMENT transport.maxBody",
		`{"proxy":"bad"}`:      "INVALID_ARGUMENT transport.proxy",
	} {
		if got := fieldOf(open(r, tr)); got != want {
			t.Errorf("session.open transport %s: %s, want %s", tr, got, want)
		}
	}
	out := open(r, `{"proxy":"http://p:3128","rootCAs":"PEM","pinSha256":["a"],"maxBody":1000,"traceFile":"/t"}`)
	sid := gjson.GetBytes(out, "result.session").Str
	want := TransportOptions{Proxy: "http://p:3128", RootCAsPEM: "PEM", PinSHA256: []string{"a"}, MaxBody: 1000, TraceFile: "/t"}
	if sid == "" || len(checked) == 0 || !reflect.DeepEqual(checked[len(checked)-1], want) {
		t.Fatalf("session.open: %s, checked %+v", out, checked)
	}
	for inline, want := range map[string]TransportOptions{
		``:                           want,
		`,"transport":{"maxBody":5}`: {Proxy: "http://p:3128", RootCAsPEM: "PEM", PinSHA256: []string{"a"}, MaxBody: 5, TraceFile: "/t"},
		`,"transport":{"proxy":"none","pinSha256":[]}`: {Proxy: "none", RootCAsPEM: "PEM", PinSHA256: []string{}, MaxBody: 1000, TraceFile: "/t"},
	} {
		if out := r.Invoke("http.send", []byte(`{"session":"`+sid+`","url":"http://x/"`+inline+`}`)); !gjson.GetBytes(out, "ok").Bool() || !reflect.DeepEqual(f.last.Transport, want) {
			t.Errorf("inline %q: %s sent %+v, want %+v", inline, out, f.last.Transport, want)
		}
	}
	if got := fieldOf(r.Invoke("http.send", []byte(`{"url":"http://x/","transport":{"maxBody":-1}}`))); got != "INVALID_ARGUMENT transport.maxBody" {
		t.Errorf("inline maxBody -1: %s", got)
	}
}
