package invoke

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/tidwall/gjson"
)

// FuzzInvoke: any method name and any request body give one valid JSON
// envelope (ok true with a result object, or ok false with an error of the
// closed set) and never INTERNAL. The literal text $session in a body becomes
// the id of an open session with both test credentials, $zvcms and $allinpay
// the inline credentials objects, so the fuzzer reaches the signing methods.
// Seeds: every method with {} and with credentials, and the requests of the
// bad-input catalogue (testdata/badinput).
func FuzzInvoke(f *testing.F) {
	r := fixed()
	sess := openSession(f, r)
	subst := [][2][]byte{
		{[]byte(`"$session"`), []byte(q(sess))},
		{[]byte(`"$zvcms"`), []byte(zvcmsCreds())},
		{[]byte(`"$allinpay"`), []byte(allinpayCreds(f))},
	}
	for _, m := range r.Methods() {
		f.Add(m, []byte(`{}`))
		f.Add(m, []byte(`{"session":"$session"}`))
		f.Add(m, []byte(`{"zvcms":"$zvcms","params":{"bizId":"1","customerId":"2","couponsCardList":["3"]}}`))
		f.Add(m, []byte(`{"allinpay":"$allinpay","params":{"orderId":"o","shopId":"1"}}`))
	}
	for _, s := range catalogueSeeds(f) {
		f.Add(s[0], []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, method string, body []byte) {
		for _, s := range subst {
			body = bytes.ReplaceAll(body, s[0], s[1])
		}
		reply := r.Invoke(method, body)
		checkEnvelope(t, reply)
		if code := gjson.GetBytes(reply, "error.code").Str; code == string(errs.Internal) {
			t.Fatalf("INTERNAL for %s %q: %s", method, body, reply)
		}
	})
}

// catalogueSeeds returns (method, request) of every catalogue case whose
// request is given inline (the generated big ones are left out).
func catalogueSeeds(f *testing.F) [][2]string {
	names, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "badinput", "*.json"))
	var out [][2]string
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		var file struct {
			Cases []struct {
				Method  string          `json:"method"`
				Request json.RawMessage `json:"request"`
				Raw     *string         `json:"raw"`
			} `json:"cases"`
		}
		if err := json.Unmarshal(b, &file); err != nil {
			f.Fatalf("%s: %v", n, err)
		}
		for _, c := range file.Cases {
			switch {
			case c.Raw != nil:
				out = append(out, [2]string{c.Method, *c.Raw})
			case c.Request != nil:
				out = append(out, [2]string{c.Method, string(c.Request)})
			}
		}
	}
	return out
}
