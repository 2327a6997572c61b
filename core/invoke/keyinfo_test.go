//go:build !couponkit_zvcms

package invoke

import (
	"crypto/sha256"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/tidwall/gjson"
)

// opensslFingerprint is the SHA-256 of the DER SubjectPublicKeyInfo the
// openssl command line writes for the PEM key file rel (a private key's
// public half when private), in hex: the figure Allinpay's portal and
// docs/allinpay.md compare.
func opensslFingerprint(t *testing.T, rel string, private bool) string {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("the openssl command line is required: sudo apt-get install openssl (or scripts/ensure-apt.sh openssl:openssl)")
	}
	args := []string{"pkey", "-pubin", "-in", filepath.Join("..", "..", rel), "-outform", "DER"}
	if private {
		args = []string{"pkey", "-in", filepath.Join("..", "..", rel), "-pubout", "-outform", "DER"}
	}
	der, err := exec.Command(openssl, args...).Output()
	if err != nil {
		t.Fatalf("openssl %s: %v", strings.Join(args, " "), err)
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// TestAllinpayKeyInfo: allinpay.keyInfo describes a session's and inline
// keys (RSA and SM2, keyless, a list of platform keys in order) with the
// fingerprints openssl computes, and never returns key material.
func TestAllinpayKeyInfo(t *testing.T) {
	r := fixed()
	type key struct {
		algorithm, encoding, file string
		bits                      int64
		private                   bool
	}
	merchant := key{"RSA", "PKCS#8 PEM", "testdata/allinpay/rsa2048_pkcs8.pem", 2048, true}
	platform := key{"RSA", "SubjectPublicKeyInfo PEM", "testdata/sandbox/platform_rsa2048_pub_spki.pem", 2048, false}
	sm2Merchant := key{"SM2", "PKCS#8 PEM", "testdata/allinpay/sm2_pkcs8.pem", 256, true}
	sm2Platform := key{"SM2", "SubjectPublicKeyInfo PEM", "testdata/allinpay/sm2_pub_spki.pem", 256, false}
	rsa1024 := key{"RSA", "SubjectPublicKeyInfo PEM", "testdata/allinpay/rsa1024_pub_spki.pem", 1024, false}
	inline := func(priv *key, signType string, pubs ...key) string {
		list := make([]string, len(pubs))
		for i, p := range pubs {
			list[i] = q(readFile(t, p.file))
		}
		s := `{"allinpay":{"appId":"` + testAppID + `"`
		if signType != "" {
			s += `,"signType":"` + signType + `"`
		}
		if priv != nil {
			s += `,"privateKey":` + q(readFile(t, priv.file))
		}
		return s + `,"gatewayUrl":"http://127.0.0.1:8080/allinpay/gateway","platformPublicKey":[` + strings.Join(list, ",") + `]}}`
	}
	for _, c := range []struct {
		name, request, signType string
		priv                    *key
		pubs                    []key
	}{
		{"session", `{"session":"` + openSession(t, r) + `"}`, "RSA2", &merchant, []key{platform}},
		{"SM2 inline", inline(&sm2Merchant, "", sm2Platform), "SM2", &sm2Merchant, []key{sm2Platform}},
		{"keyless, two platform keys", inline(nil, "RSA2", rsa1024, platform), "RSA2", nil, []key{rsa1024, platform}},
	} {
		t.Run(c.name, func(t *testing.T) {
			reply := r.Invoke("allinpay.keyInfo", []byte(c.request))
			res := ok(t, reply)
			if res.Get("appId").Str != testAppID || res.Get("signType").Str != c.signType {
				t.Errorf("appId, signType: %s", res)
			}
			check := func(path string, got gjson.Result, want key) {
				if got.Get("algorithm").Str != want.algorithm || got.Get("bits").Int() != want.bits ||
					got.Get("encoding").Str != want.encoding || got.Get("fingerprint").Str != opensslFingerprint(t, want.file, want.private) {
					t.Errorf("%s: got %s, want %s %d %s with openssl's fingerprint of %s", path, got, want.algorithm, want.bits, want.encoding, want.file)
				}
			}
			if c.priv == nil {
				if p := res.Get("privateKey"); p.Type != gjson.Null {
					t.Errorf("keyless privateKey: %s", p.Raw)
				}
			} else {
				check("privateKey", res.Get("privateKey"), *c.priv)
			}
			list := res.Get("platformPublicKey").Array()
			if len(list) != len(c.pubs) {
				t.Fatalf("platformPublicKey: %s", res.Get("platformPublicKey").Raw)
			}
			for i, want := range c.pubs {
				check("platformPublicKey", list[i], want)
			}
			// No line of any key file's Base64 body is in the reply.
			for _, k := range append(c.pubs, merchant, sm2Merchant) {
				for _, line := range strings.Split(readFile(t, k.file), "\n") {
					if len(line) >= 16 && !strings.HasPrefix(line, "-----") && strings.Contains(string(reply), line) {
						t.Fatalf("the reply holds key material of %s", k.file)
					}
				}
			}
		})
	}
	fails(t, r.Invoke("allinpay.keyInfo", []byte(`{}`)), errs.InvalidArgument, "*")
	fails(t, r.Invoke("allinpay.keyInfo", []byte(`{"allinpay":{"appId":"a","privateKey":"not a key","platformPublicKey":"x"}}`)),
		errs.KeyError, "allinpay.privateKey")
	fails(t, r.Invoke("allinpay.keyInfo", []byte(`{"session":"s_x","publicKey":"k"}`)), errs.InvalidArgument, "publicKey")
}
