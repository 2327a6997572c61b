package allinpay

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzResponseSignContent: for any JSON object without a top-level sign,
// inserting a sign (as SignResponse does) and taking the raw-minus-sign
// content gives the object back byte for byte; the scanner agrees with
// encoding/json on which inputs are objects; parsing never panics.
func FuzzResponseSignContent(f *testing.F) {
	f.Add([]byte(`{"code":0,"data":{"sign":"x","s":"\"sign\""},"msg":"\\"}`))
	f.Add([]byte("{ }"))
	f.Add([]byte(" {\"a\" : [1,{\"b\":\"}\"}] ,\n\"c\":null}\t"))
	f.Add([]byte(`{"\u0073igN":1}`))
	f.Add([]byte(`{"sign":"QUJD","code":3,"msg":"x"}`))
	c, err := NewClient(Config{AppID: "a", SignType: RSA2, PrivateKey: &PrivateKey{}, Verify: SkipVerify,
		GatewayURL: "http://127.0.0.1/"})
	if err == nil || c != nil {
		f.Fatal("a zero PrivateKey must be rejected")
	}
	skip := &Client{cfg: Config{Verify: SkipVerify}}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = skip.ParseCouponSendResponse(body)
		_, _, _ = ResponseSignContent(body, SortedCanonical)
		ms, closeBrace, ok := topMembers(body)
		isObj := len(bytes.TrimLeft(body, " \t\r\n")) > 0 && bytes.TrimLeft(body, " \t\r\n")[0] == '{' && json.Valid(body)
		if isObj && !ok {
			t.Fatalf("scanner rejects a JSON object: %q", body)
		}
		if !isObj {
			return
		}
		for _, m := range ms {
			if keyIs(body[m.keyStart:m.keyEnd], "sign") {
				return
			}
		}
		signed := insertSign(body, ms, closeBrace, "QUJD")
		content, sign, err := ResponseSignContent(signed, RawMinusSign)
		if err != nil || sign != "QUJD" || !bytes.Equal(content, body) {
			t.Fatalf("round trip of %q: %q %q %v", body, content, sign, err)
		}
	})
}
