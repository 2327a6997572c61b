package invoke

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/internal/wire"
	"github.com/tidwall/gjson"
)

// The test credentials are the sandbox's (testdata/sandbox/seed.json).
const (
	testOpenID    = "6dc05b4ac175cf316d226252b05cf685"
	testGrantCode = "782c281f62"
	testOpenKey   = "sandbox-open-key-TEST-ONLY"
	testAppID     = "sandbox-app-0001"
	testTimestamp = 1547186244
	testNonce     = "658965"
)

func readFile(t testing.TB, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Test keys: the merchant's (testdata/allinpay) and the sandbox platform's.
func merchantKey(t testing.TB) string { return readFile(t, "testdata/allinpay/rsa2048_pkcs8.pem") }
func platformPub(t testing.TB) string {
	return readFile(t, "testdata/sandbox/platform_rsa2048_pub_spki.pem")
}
func platformKey(t testing.TB) string {
	return readFile(t, "testdata/sandbox/platform_rsa2048_pkcs8.pem")
}

// q returns s as a JSON string literal.
func q(s string) string { return string(jsontext.AppendString(nil, s)) }

// fixed returns a registry with the test clock and nonce.
func fixed() *Registry {
	return New(Options{
		Now:   func() time.Time { return time.Unix(testTimestamp, 0) },
		Nonce: func() string { return testNonce },
	})
}

// zvcmsCreds is the inline zvcms credentials object, with baseUrl.
func zvcmsCreds() string {
	return `{"openId":"` + testOpenID + `","grantCode":"` + testGrantCode + `","openKey":"` + testOpenKey +
		`","baseUrl":"http://127.0.0.1:8080/api/v2"}`
}

// allinpayCreds is the inline Allinpay keys object.
func allinpayCreds(t testing.TB) string {
	return `{"appId":"` + testAppID + `","signType":"RSA2","privateKey":` + q(merchantKey(t)) +
		`,"platformPublicKey":` + q(platformPub(t)) + `,"gatewayUrl":"http://127.0.0.1:8080/allinpay/gateway"}`
}

// openSession opens a session with both test credentials.
func openSession(t testing.TB, r *Registry) string {
	t.Helper()
	res := ok(t, r.Invoke("session.open", []byte(`{"zvcms":`+zvcmsCreds()+`,"allinpay":`+allinpayCreds(t)+`}`)))
	id := res.Get("session").Str
	if !strings.HasPrefix(id, "s_") || len(id) != 34 {
		t.Fatalf("session id %q", id)
	}
	return id
}

// ok checks a success envelope and returns its result.
func ok(t testing.TB, reply []byte) gjson.Result {
	t.Helper()
	checkEnvelope(t, reply)
	v := gjson.ParseBytes(reply)
	if !v.Get("ok").Bool() {
		t.Fatalf("want ok, got %s", reply)
	}
	return v.Get("result")
}

// fails checks a failure envelope with code (and field, unless "*").
func fails(t testing.TB, reply []byte, code errs.Kind, field string) gjson.Result {
	t.Helper()
	checkEnvelope(t, reply)
	v := gjson.ParseBytes(reply)
	e := v.Get("error")
	if v.Get("ok").Bool() || e.Get("code").Str != string(code) || (field != "*" && e.Get("field").Str != field) {
		t.Fatalf("want %s at %q, got %s", code, field, reply)
	}
	if e.Get("message").Str == "" {
		t.Fatalf("error without a message: %s", reply)
	}
	return e
}

// checkEnvelope checks the shape every reply has: valid UTF-8 JSON, an
// object with ok and exactly one of result (object) or error (with a code
// from the closed set), and no JSON number anywhere in error.
func checkEnvelope(t testing.TB, reply []byte) {
	t.Helper()
	if !gjson.ValidBytes(reply) {
		t.Fatalf("reply is not JSON: %q", reply)
	}
	v := gjson.ParseBytes(reply)
	okv := v.Get("ok")
	switch {
	case okv.Type == gjson.True:
		if !v.Get("result").IsObject() || v.Get("error").Exists() {
			t.Fatalf("bad success envelope %s", reply)
		}
	case okv.Type == gjson.False:
		code := v.Get("error.code").Str
		known := false
		for _, k := range errs.Kinds {
			known = known || string(k) == code
		}
		if !known || v.Get("result").Exists() {
			t.Fatalf("bad error envelope %s", reply)
		}
		v.Get("error").ForEach(func(k, val gjson.Result) bool {
			if val.Type != gjson.String {
				t.Fatalf("error member %s is not a string: %s", k.Str, reply)
			}
			return true
		})
	default:
		t.Fatalf("no ok member: %s", reply)
	}
}

// testMethod registers, on r only, a method taking no members whose adapter
// is fn.
func (r *Registry) testMethod(name string, fn func() error) {
	ms := map[string]*wire.Method{name: wire.NewMethodFunc(name, reflect.TypeOf(Empty{}), reflect.TypeOf(VersionResult{}),
		func(interface{}) error { return fn() })}
	for k, v := range r.methods {
		ms[k] = v
	}
	r.methods = ms
}
