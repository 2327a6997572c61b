package allinpay

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// hardeningSigned returns the seed reply (testdata/allinpay/seed002) and a
// small error reply, each signed for every key set under every variant,
// with the clients (VerifyAny) that verify them.
func hardeningSigned(f *testing.F) (bodies [][]byte, clients []*Client) {
	seed := bytes.TrimSpace([]byte(readTestdata(f, "seed002_response.json")))
	// The seed carries the vendor's own sign; take it out to re-sign.
	content, _, err := ResponseSignContent(seed, RawDirect)
	if err != nil {
		f.Fatal(err)
	}
	for _, ks := range keySets {
		c := testClient(f, ks, VerifyAny)
		clients = append(clients, c)
		for _, b := range [][]byte{content, []byte(`{"code":"3001","msg":"余额不足","data":null}`)} {
			for _, v := range Variants() {
				signed, err := SignResponse(b, mustPriv(f, ks.priv), ks.signType, "", v)
				if err != nil {
					f.Fatal(err)
				}
				bodies = append(bodies, signed)
			}
		}
	}
	return bodies, clients
}

// FuzzVerifyParseResponse: verifying and parsing a reply (generic and
// couponSend) with real keys of every sign type never panics, fails only with
// the reply kinds, and accepts a signed reply only if its signed content is
// one of the contents the test actually signed (a mutation of a signed byte
// never verifies).
func FuzzVerifyParseResponse(f *testing.F) {
	bodies, clients := hardeningSigned(f)
	signedContent := map[string]bool{}
	for _, b := range bodies {
		f.Add(b)
		for _, v := range Variants() {
			c, _, err := ResponseSignContent(b, v)
			if err != nil {
				f.Fatal(err)
			}
			signedContent[v.Form()+" "+string(c)] = true
		}
	}
	f.Add([]byte(readTestdata(f, "seed002_response.json")))
	f.Add([]byte(`<html><body>502 Bad Gateway</body></html>`))
	f.Add([]byte(`{"code":"40004","msg":"验签失败"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, c := range clients {
			r, err := c.ParseResponse(body)
			switch errs.KindOf(err) {
			case "", errs.ResponseInvalid, errs.SignatureInvalid, errs.APIError:
			default:
				t.Fatalf("unexpected error kind: %v", err)
			}
			if r != nil && r.Verified {
				content, _, err := ResponseSignContent(body, r.VerifiedBy)
				if err != nil || !signedContent[r.VerifiedBy.Form()+" "+string(content)] {
					t.Fatalf("verified a reply whose content was never signed: %q", body)
				}
			}
			res, err := c.ParseCouponSendResponse(body)
			switch errs.KindOf(err) {
			case errs.ResponseInvalid, errs.SignatureInvalid, errs.APIError:
			case "":
				if res == nil {
					t.Fatal("nil result without an error")
				}
			default:
				t.Fatalf("unexpected error kind: %v", err)
			}
		}
	})
}

// FuzzParseKey: parsing any text as a private or public key never panics,
// fails only with KEY_ERROR naming the key, never quotes key material (no
// 12-character run of the input's Base64 text in the message), and a key it
// accepts signs and verifies with its own public half.
func FuzzParseKey(f *testing.F) {
	names, err := filepath.Glob(filepath.Join(testdataDir, "*.pem"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no test keys: %v", err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
		f.Add(pemBody(string(b))) // bare Base64 DER
	}
	f.Add("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
	f.Add("not a key")
	f.Fuzz(func(t *testing.T, text string) {
		checkErr := func(which string, err error) {
			e, ok := err.(*errs.Error)
			if !ok || e.Kind != errs.KeyError || e.Field != which {
				t.Fatalf("want KEY_ERROR at %s, got %#v", which, err)
			}
			if run := base64Run(text, e.Error(), 12); run != "" {
				t.Fatalf("error message quotes the input %q: %s", run, e.Error())
			}
		}
		priv, err := ParsePrivateKey("privateKey", text)
		if err != nil {
			checkErr("privateKey", err)
		} else {
			st := SM2
			if priv.Algorithm() == AlgorithmRSA {
				st = RSA2
			}
			sig, err := Sign(priv, st, "", []byte("content"))
			if err != nil {
				t.Fatalf("an accepted key does not sign: %v", err)
			}
			if err := Verify(priv.Public(), st, "", []byte("content"), sig); err != nil {
				t.Fatalf("an accepted key does not verify its own signature: %v", err)
			}
			if strings.Contains(priv.String(), text) && len(text) > 8 {
				t.Fatalf("String shows the key text")
			}
		}
		if pub, err := ParsePublicKey("platformPublicKey", text); err != nil {
			checkErr("platformPublicKey", err)
		} else if pub.Bits() <= 0 {
			t.Fatalf("accepted public key without a size: %v", pub)
		}
	})
}

// base64Run returns a run of at least n Base64 characters of input that also
// occurs in msg ("" if none).
func base64Run(input, msg string, n int) string {
	isB64 := func(c byte) bool {
		return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
	}
	start := -1
	for i := 0; i <= len(input); i++ {
		if i < len(input) && isB64(input[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			for j := start; j+n <= i; j++ {
				if strings.Contains(msg, input[j:j+n]) {
					return input[j : j+n]
				}
			}
			start = -1
		}
	}
	return ""
}

// TestDeepCanonicalRefused is the regression test for a crash of the
// WebAssembly module found by the hardening catalogue: a reply nested 9,000
// levels deep made a recursive decoder overflow the JavaScript engine's
// stack. Such JSON is RESPONSE_INVALID before it is decoded; 64 levels
// still work.
func TestDeepCanonicalRefused(t *testing.T) {
	nest := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	body := []byte(`{"code":0,"data":` + nest(9000) + `,"sign":"QUJD"}`)
	if _, err := SDKForm(body); errs.KindOf(err) != errs.ResponseInvalid {
		t.Errorf("SDKForm of 9,000 levels: %v", err)
	}
	if _, _, err := ResponseSignContent(body, RawDirect); errs.KindOf(err) != errs.ResponseInvalid {
		t.Errorf("raw sign content of 9,000 levels: %v", err)
	}
	c := testClient(t, keySets[0], VerifyAny)
	if _, err := c.ParseResponse(body); errs.KindOf(err) != errs.ResponseInvalid {
		t.Errorf("ParseResponse of 9,000 levels: %v", err)
	}
	ok := []byte(`{"a":` + nest(63) + `}`)
	if got, err := SDKForm(ok); err != nil || string(got) != string(ok) {
		t.Errorf("64 levels: %q %v", got, err)
	}
	if _, err := SDKForm([]byte(`{"a":` + nest(64) + `}`)); errs.KindOf(err) != errs.ResponseInvalid {
		t.Errorf("65 levels: %v", err)
	}
}
