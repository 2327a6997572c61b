package allinpay

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// Every accepted encoding, as PEM and as bare Base64 DER (also folded over
// lines), parses to the same key as its sibling encodings.
func TestParseKeyEncodings(t *testing.T) {
	privs := []struct {
		file, enc string
		pub       string
	}{
		{"rsa2048_pkcs8.pem", "PKCS#8", "rsa2048_pub_spki.pem"},
		{"rsa2048_pkcs1.pem", "PKCS#1", "rsa2048_pub_spki.pem"},
		{"rsa1024_pkcs8.pem", "PKCS#8", "rsa1024_pub_spki.pem"},
		{"sm2_pkcs8.pem", "PKCS#8", "sm2_pub_spki.pem"},
		{"sm2_sec1.pem", "SEC1", "sm2_pub_spki.pem"},
	}
	for _, p := range privs {
		text := readTestdata(t, p.file)
		want := mustPub(t, p.pub)
		body := pemBody(text)
		folded := strings.Join(splitEvery(body, 64), "\r\n")
		for form, in := range map[string]string{"PEM": text, "Base64 DER": body, "Base64 DER folded": folded,
			"Base64 DER unpadded": strings.TrimRight(body, "=")} {
			k, err := ParsePrivateKey("privateKey", in)
			if err != nil {
				t.Fatalf("%s as %s: %v", p.file, form, err)
			}
			container := strings.TrimSuffix(strings.TrimSuffix(form, " folded"), " unpadded")
			if k.Encoding() != p.enc+" "+container {
				t.Errorf("%s as %s: encoding %q", p.file, form, k.Encoding())
			}
			if !k.Public().Equal(want) {
				t.Errorf("%s as %s: public key differs from %s", p.file, form, p.pub)
			}
		}
	}
	// OpenSSL labels SEC1 SM2 keys "SM2 PRIVATE KEY"; other tools "EC PRIVATE KEY".
	ec := strings.ReplaceAll(readTestdata(t, "sm2_sec1.pem"), "SM2 PRIVATE KEY", "EC PRIVATE KEY")
	if k, err := ParsePrivateKey("privateKey", ec); err != nil || k.Encoding() != "SEC1 PEM" ||
		!k.Public().Equal(mustPub(t, "sm2_pub_spki.pem")) {
		t.Fatalf("EC PRIVATE KEY label: %v", err)
	}
	pubs := []struct{ file, enc, same string }{
		{"rsa2048_pub_spki.pem", "SubjectPublicKeyInfo", "rsa2048_pub_pkcs1.pem"},
		{"rsa2048_pub_pkcs1.pem", "PKCS#1", "rsa2048_cert.pem"},
		{"rsa2048_cert.pem", "X.509 certificate", "rsa2048_pub_spki.pem"},
		{"rsa1024_pub_spki.pem", "SubjectPublicKeyInfo", "rsa1024_pub_spki.pem"},
		{"sm2_pub_spki.pem", "SubjectPublicKeyInfo", "sm2_cert.pem"},
		{"sm2_cert.pem", "X.509 certificate", "sm2_pub_spki.pem"},
	}
	for _, p := range pubs {
		text := readTestdata(t, p.file)
		for form, in := range map[string]string{"PEM": text, "Base64 DER": pemBody(text)} {
			k, err := ParsePublicKey("platformPublicKey", in)
			if err != nil {
				t.Fatalf("%s as %s: %v", p.file, form, err)
			}
			if k.Encoding() != p.enc+" "+form {
				t.Errorf("%s as %s: encoding %q", p.file, form, k.Encoding())
			}
			if !k.Equal(mustPub(t, p.same)) {
				t.Errorf("%s differs from %s", p.file, p.same)
			}
		}
	}
	var zero PrivateKey
	var nilPub *PublicKey
	if zero.Bits() != 0 || zero.Public() != nil || nilPub.Bits() != 0 || nilPub.Encoding() != "" {
		t.Error("zero and nil keys must be inert")
	}
	if got := mustPriv(t, "rsa2048_pkcs1.pem").String(); got != "RSA-2048 private key (PKCS#1 PEM)" {
		t.Errorf("String() = %q", got)
	}
	if got := mustPub(t, "sm2_pub_spki.pem").String(); got != "SM2-256 public key (SubjectPublicKeyInfo PEM)" {
		t.Errorf("String() = %q", got)
	}
}

// An SM2 PKCS#8 key whose algorithm is the SM2 OID (1.2.156.10197.1.301, as
// some Chinese toolkits write it) parses like OpenSSL's id-ecPublicKey form.
func TestParseSM2PKCS8WithSM2OID(t *testing.T) {
	der, _ := base64.StdEncoding.DecodeString(pemBody(readTestdata(t, "sm2_pkcs8.pem")))
	var p8 struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if _, err := asn1.Unmarshal(der, &p8); err != nil {
		t.Fatal(err)
	}
	p8.Algo.Algorithm = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}
	der2, err := asn1.Marshal(p8)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParsePrivateKey("privateKey", base64.StdEncoding.EncodeToString(der2))
	if err != nil {
		t.Fatal(err)
	}
	if k.Algorithm() != AlgorithmSM2 || !k.Public().Equal(mustPub(t, "sm2_pub_spki.pem")) {
		t.Fatalf("got %v", k)
	}
}

func splitEvery(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

// Malformed keys give KeyError naming the key and the encoding, with no key
// material in the text and no wrapped cause.
func TestMalformedKeys(t *testing.T) {
	rsaPEM := readTestdata(t, "rsa2048_pkcs8.pem")
	rsaB64 := pemBody(rsaPEM)
	rsaDER, _ := base64.StdEncoding.DecodeString(rsaB64)
	pubPEM := readTestdata(t, "rsa2048_pub_spki.pem")
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	ecPub, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	flipped := append([]byte(nil), rsaDER...)
	flipped[100] ^= 0x01 // inside the modulus: the key no longer validates
	pemOf := func(typ string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	cases := []struct {
		name, which, text, wantMsg string
		public                     bool
	}{
		{"empty", "privateKey", "  \n", "empty", false},
		{"PEM without END line", "privateKey", rsaPEM[:len(rsaPEM)/2], "PEM", false},
		{"PEM with garbage inside", "privateKey", "-----BEGIN PRIVATE KEY-----\n" + rsaB64[:40] + "!!!!\n-----END PRIVATE KEY-----\n", "PEM", false},
		{"truncated PKCS#8 in PEM", "privateKey", pemOf("PRIVATE KEY", rsaDER[:len(rsaDER)/2]), "PEM: not a valid PKCS#8", false},
		{"truncated bare Base64 DER", "privateKey", base64.StdEncoding.EncodeToString(rsaDER[:300]), "Base64 DER: not a PKCS#8 private key, PKCS#1 RSA private key or SEC1 SM2 private key", false},
		{"not Base64", "privateKey", "MIIE" + strings.Repeat("é", 20) + rsaB64[10:60], "neither PEM nor valid Base64", false},
		{"PKCS#8 under an RSA PRIVATE KEY label", "privateKey", pemOf("RSA PRIVATE KEY", rsaDER), "PEM: not a valid PKCS#1", false},
		{"modulus byte flipped", "privateKey", base64.StdEncoding.EncodeToString(flipped), "Base64 DER: not a PKCS#8", false},
		{"encrypted PKCS#8", "privateKey", pemOf("ENCRYPTED PRIVATE KEY", rsaDER), "encrypted", false},
		{"public key given as private", "privateKey", pubPEM, "PEM: this is a SubjectPublicKeyInfo public key, not what privateKey needs", false},
		{"bare public key given as private", "privateKey", pemBody(pubPEM), "Base64 DER: this is a SubjectPublicKeyInfo public key", false},
		{"unknown PEM type", "privateKey", pemOf("DSA PRIVATE KEY", rsaDER), `unsupported PEM block type "DSA PRIVATE KEY"`, false},
		{"P-256 EC key, not SM2", "privateKey", pemOf("PRIVATE KEY", ecDER), "not on the SM2 curve", false},
		{"private key given as public", "platformPublicKey", rsaPEM, "PEM: this is a PKCS#8 private key", true},
		{"bare SEC1 key given as public", "platformPublicKey", pemBody(readTestdata(t, "sm2_sec1.pem")), "Base64 DER: this is a SEC1 SM2 private key", true},
		{"P-256 public key", "platformPublicKey", base64.StdEncoding.EncodeToString(ecPub), "not on the SM2 curve", true},
		{"truncated SPKI", "platformPublicKey", pemOf("PUBLIC KEY", []byte(pemBody(pubPEM))[:50]), "SubjectPublicKeyInfo", true},
	}
	for _, c := range cases {
		var err error
		if c.public {
			_, err = ParsePublicKey(c.which, c.text)
		} else {
			_, err = ParsePrivateKey(c.which, c.text)
		}
		e := wantKind(t, err, errs.KeyError, c.which)
		msg := err.Error()
		if !strings.Contains(msg, c.wantMsg) {
			t.Errorf("%s: message %q lacks %q", c.name, msg, c.wantMsg)
		}
		if e.Err != nil || errors.Unwrap(err) != nil {
			t.Errorf("%s: wraps a cause", c.name)
		}
		assertNoKeyMaterial(t, c.name, msg, c.text)
		assertNoKeyMaterial(t, c.name, msg, rsaPEM)
	}
}

// assertNoKeyMaterial fails when msg holds 8 or more consecutive characters
// of the key text's Base64 body, or 4 or more bytes of its DER in hex.
func assertNoKeyMaterial(t *testing.T, name, msg, keyText string) {
	t.Helper()
	body := pemBody(keyText)
	for i := 0; i+8 <= len(body); i++ {
		if strings.Contains(msg, body[i:i+8]) {
			t.Fatalf("%s: message %q contains key text %q", name, msg, body[i:i+8])
		}
	}
	der, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return
	}
	lower := strings.ToLower(msg)
	for i := 0; i+4 <= len(der); i++ {
		if strings.Contains(lower, hex.EncodeToString(der[i:i+4])) {
			t.Fatalf("%s: message %q contains key bytes in hex", name, msg)
		}
	}
}

// Keys of the wrong algorithm for the sign type, and missing keys, are
// KeyErrors from NewClient.
func TestNewClientKeyChecks(t *testing.T) {
	rsa, sm2 := mustPriv(t, "rsa2048_pkcs8.pem"), mustPriv(t, "sm2_pkcs8.pem")
	rsaPub, sm2Pub := mustPub(t, "rsa2048_pub_spki.pem"), mustPub(t, "sm2_pub_spki.pem")
	base := Config{AppID: "a", GatewayURL: "https://gw.example/api"}
	with := func(f func(*Config)) Config { c := base; f(&c); return c }
	cases := []struct {
		cfg   Config
		kind  errs.Kind
		field string
	}{
		// Keyless (no private key): the platform's key must still fit the sign type.
		{with(func(c *Config) { c.PlatformPublicKeys, c.SignType = []*PublicKey{rsaPub}, SM2 }), errs.KeyError, "platformPublicKey"},
		{with(func(c *Config) { c.PrivateKey = rsa }), errs.KeyError, "platformPublicKeys"},
		{with(func(c *Config) { c.PrivateKey, c.PlatformPublicKeys, c.SignType = rsa, []*PublicKey{rsaPub}, SM2 }), errs.KeyError, "privateKey"},
		{with(func(c *Config) { c.PrivateKey, c.PlatformPublicKeys = sm2, []*PublicKey{rsaPub} }), errs.KeyError, "platformPublicKey"},
		{with(func(c *Config) { c.PrivateKey, c.PlatformPublicKeys, c.SignType = rsa, []*PublicKey{rsaPub}, "RSA256" }), errs.InvalidArgument, "signType"},
		{with(func(c *Config) { c.PrivateKey, c.PlatformPublicKeys, c.AppID = rsa, []*PublicKey{rsaPub}, "" }), errs.InvalidArgument, "appId"},
		{with(func(c *Config) { c.PrivateKey, c.PlatformPublicKeys, c.GatewayURL = rsa, []*PublicKey{rsaPub}, "" }), errs.InvalidArgument, "gatewayUrl"},
		{with(func(c *Config) {
			c.PrivateKey, c.PlatformPublicKeys, c.GatewayURL = rsa, []*PublicKey{rsaPub}, "gw.example/api"
		}), errs.InvalidArgument, "gatewayUrl"},
		{with(func(c *Config) { c.PrivateKey, c.PlatformPublicKeys, c.Verify = rsa, []*PublicKey{rsaPub}, "sdk" }), errs.InvalidArgument, "verify"},
	}
	for i, c := range cases {
		_, err := NewClient(c.cfg)
		if err == nil {
			t.Fatalf("case %d: no error", i)
		}
		wantKind(t, err, c.kind, c.field)
	}
	// Defaults: sign type from the key, signer id, version; SkipVerify needs
	// no platform key.
	cl, err := NewClient(with(func(c *Config) { c.PrivateKey, c.PlatformPublicKeys = sm2, []*PublicKey{sm2Pub} }))
	if err != nil {
		t.Fatal(err)
	}
	got := cl.Config()
	if got.SignType != SM2 || got.SignerID != DefaultSignerID || got.Version != "1.0" || got.Verify != VerifyAny || got.Now == nil {
		t.Fatalf("defaults: %+v", got)
	}
	cl, err = NewClient(with(func(c *Config) { c.PrivateKey, c.Verify = rsa, SkipVerify }))
	if err != nil || cl.Config().SignType != RSA2 {
		t.Fatalf("SkipVerify without a platform key: %v", err)
	}
}
