package allinpay

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	mrand "math/rand"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// The DER readers replaced smx509 (crypto/x509 with SM2). These tests hold
// them to smx509's verdicts: every DER smx509 turned into a usable key, the
// readers turn into the same key, and they accept nothing smx509 refused,
// except where a difference is intended (see derOutcome).

// derOutcome is a reader's verdict on one DER: "invalid", "refused" (a
// well-formed key of another algorithm, curve or size) or "key " and the
// public key (private keys: also the private exponent or scalar).
type derOutcome string

const (
	outInvalid derOutcome = "invalid"
	outRefused derOutcome = "refused"
)

func keyOutcome(k interface{}) derOutcome {
	switch v := k.(type) {
	case *rsa.PrivateKey:
		if v.N.BitLen() > maxRSABits {
			return outRefused
		}
		return derOutcome("key rsa " + v.N.String() + " " + big.NewInt(int64(v.E)).String() + " " + v.D.String())
	case *rsa.PublicKey:
		if v.N.BitLen() > maxRSABits {
			return outRefused
		}
		return derOutcome("key rsa " + v.N.String() + " " + big.NewInt(int64(v.E)).String())
	case *sm2.PrivateKey:
		return derOutcome("key sm2 " + v.X.String() + " " + v.Y.String() + " " + v.D.String())
	case *ecdsa.PublicKey:
		if sm2.IsSM2PublicKey(v) {
			return derOutcome("key sm2 " + v.X.String() + " " + v.Y.String())
		}
	}
	return outRefused
}

func newOutcome(k *derKey, ok bool) derOutcome {
	switch {
	case !ok:
		return outInvalid
	case k.refuse != "":
		return outRefused
	case k.rsaPriv != nil:
		return keyOutcome(k.rsaPriv)
	case k.sm2Priv != nil:
		return keyOutcome(k.sm2Priv)
	case k.rsaPub != nil:
		return keyOutcome(k.rsaPub)
	case k.sm2Pub != nil:
		return keyOutcome(k.sm2Pub)
	}
	return outRefused
}

// derFormats pairs each reader with the smx509 call it replaces.
var derFormats = []struct {
	name string
	new  func([]byte) (*derKey, bool)
	old  func([]byte) (interface{}, error)
}{
	{"PKCS#8", x509PKCS8, func(der []byte) (interface{}, error) { return smx509.ParsePKCS8PrivateKey(der) }},
	{"PKCS#1 private", x509PKCS1Private, func(der []byte) (interface{}, error) { return smx509.ParsePKCS1PrivateKey(der) }},
	{"SEC1", func(der []byte) (*derKey, bool) { return parseSEC1(der, nil) },
		func(der []byte) (interface{}, error) { return smx509.ParseTypedECPrivateKey(der) }},
	{"SPKI", x509SPKI, smx509.ParsePKIXPublicKey},
	{"PKCS#1 public", x509PKCS1Public, func(der []byte) (interface{}, error) { return smx509.ParsePKCS1PublicKey(der) }},
	{"certificate", x509Certificate, func(der []byte) (interface{}, error) {
		c, err := smx509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		return c.PublicKey, nil
	}},
}

// compareDER fails when a reader and smx509 disagree on der beyond the
// intended differences: an error may be "refused" on one side and "invalid"
// on the other (both are KEY_ERRORs, only the message differs); SM2 scalars 0
// and n-1, which cannot sign, are now invalid; a certificate is read only as
// far as its public key, so one smx509 found malformed elsewhere may yield
// its key.
func compareDER(t *testing.T, label string, der []byte) {
	t.Helper()
	for _, f := range derFormats {
		got := newOutcome(f.new(der))
		want := outInvalid
		if k, err := f.old(der); err == nil {
			want = keyOutcome(k)
		}
		if got == want || (got != outInvalid && got[0] != 'k' && want == outInvalid) ||
			(want != outInvalid && want[0] != 'k' && got == outInvalid) {
			continue
		}
		if f.name == "certificate" && want == outInvalid && got[0] == 'k' {
			continue
		}
		if !derWellFormed(der) {
			continue // malformed DER: encoding/asn1 had its own quirks
		}
		if got == outInvalid && strings.HasPrefix(string(want), "key sm2 ") {
			if d := want[strings.LastIndexByte(string(want), ' ')+1:]; d == "0" || d == derOutcome(sm2NMinus1) {
				continue
			}
		}
		t.Fatalf("%s as %s: reader says %.60s…, smx509 %.60s…", label, f.name, got, want)
	}
}

// derWellFormed reports whether der is one DER element whose constructed
// contents are complete elements all the way down, including the DER an
// OCTET STRING or BIT STRING embeds (PKCS#8 keys, SubjectPublicKeyInfo), and
// whose SEC 1 explicit members (see sec1WrappersExact) hold one element.
func derWellFormed(der []byte) bool {
	s := cryptobyte.String(der)
	var el cryptobyte.String
	var tag cbasn1.Tag
	if !s.ReadAnyASN1Element(&el, &tag) || !s.Empty() {
		return false
	}
	return elementsWellFormed(der)
}

func elementsWellFormed(b []byte) bool {
	s := cryptobyte.String(b)
	for !s.Empty() {
		var el, c cryptobyte.String
		var tag cbasn1.Tag
		if !s.ReadAnyASN1Element(&el, &tag) {
			return false
		}
		whole := []byte(el)
		if !el.ReadAnyASN1(&c, &tag) {
			return false
		}
		switch {
		case tag&0x20 != 0:
			if tag == cbasn1.SEQUENCE && !sec1WrappersExact(whole) {
				return false
			}
			if !elementsWellFormed(c) {
				return false
			}
		case tag == cbasn1.OCTET_STRING && len(c) > 0 && c[0] == 0x30:
			if !derWellFormed(c) {
				return false
			}
		case tag == cbasn1.BIT_STRING && len(c) > 1 && c[0] == 0 && c[1] == 0x30:
			if !derWellFormed(c[1:]) {
				return false
			}
		}
	}
	return true
}

// sec1WrappersExact reports whether the explicit [0] and [1] members of a
// SEQUENCE (a SEC 1 key's curve and public key) each hold exactly one
// element. encoding/asn1, under smx509, never checked the wrapper's length;
// the readers refuse such malformed DER.
func sec1WrappersExact(der []byte) bool {
	s := cryptobyte.String(der)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return false
	}
	for !seq.Empty() {
		var el, inner cryptobyte.String
		var tag cbasn1.Tag
		if !seq.ReadAnyASN1(&el, &tag) {
			return false
		}
		if tag == tagExplicit0 || tag == tagExplicit1 {
			if !el.ReadAnyASN1Element(&inner, &tag) || !el.Empty() {
				return false
			}
		}
	}
	return true
}

var sm2NMinus1 = new(big.Int).Sub(sm2.P256().Params().N, big.NewInt(1)).String()

func testDER(t *testing.T, name string) []byte {
	t.Helper()
	b, _ := pem.Decode([]byte(readTestdata(t, name)))
	if b == nil {
		t.Fatalf("%s: no PEM", name)
	}
	return b.Bytes
}

// TestDERMatchesSMX509 compares the readers with smx509 on every test key,
// on keys of other algorithms and curves, on hand-made edge cases and on
// mutations: every truncation, and single-byte changes at every position
// (RSA private keys: the headers and a random sample).
func TestDERMatchesSMX509(t *testing.T) {
	names := []string{"rsa1024_pkcs8.pem", "rsa1024_pub_spki.pem", "rsa2048_cert.pem", "rsa2048_pkcs1.pem",
		"rsa2048_pkcs8.pem", "rsa2048_pub_pkcs1.pem", "rsa2048_pub_spki.pem", "sm2_cert.pem", "sm2_pkcs8.pem",
		"sm2_pub_spki.pem", "sm2_sec1.pem"}
	ders := map[string][]byte{}
	for _, n := range names {
		ders[n] = testDER(t, n)
	}
	for n, der := range extraDERs(t) {
		ders[n] = der
	}
	rng := mrand.New(mrand.NewSource(1))
	for name, der := range ders {
		compareDER(t, name, der)
		compareDER(t, name+" with trailing data", append(append([]byte(nil), der...), 0))
		for i := 0; i < len(der); i++ {
			compareDER(t, name+" truncated", der[:i])
		}
		rsaPrivate := strings.HasPrefix(name, "rsa") && !strings.Contains(name, "pub") && !strings.Contains(name, "cert")
		if strings.Contains(name, "3-prime") {
			// Multi-prime rules differ between Go releases (the key is made
			// afresh each run): the key and its truncations are compared.
			continue
		}
		positions, masks := make([]int, len(der)), []byte{0x01, 0x80, 0xff, 0}
		for i := range positions {
			positions[i] = i
		}
		if rsaPrivate {
			// Validating an RSA private key costs milliseconds (smx509:
			// more): mutate the headers up to the modulus, and for the
			// 1024-bit keys 16 positions at random.
			positions, masks = positions[:40], masks[2:]
			switch {
			case strings.Contains(name, "4097"):
				positions = nil // smx509 takes ~30 ms to refuse each
			case strings.Contains(name, "2048"):
				masks = masks[:1]
			default:
				for i := 0; i < 16; i++ {
					positions = append(positions, rng.Intn(len(der)))
				}
			}
		}
		for _, i := range positions {
			for _, m := range masks {
				if m == 0 {
					m = byte(1 + rng.Intn(254))
				}
				mut := append([]byte(nil), der...)
				mut[i] ^= m
				compareDER(t, name+" mutated", mut)
			}
		}
	}
}

// extraDERs returns keys of the other shapes the readers must classify: a
// P-256 key in every container, Ed25519, a multi-prime RSA key, PKCS#8 SM2
// under the SM2 OID and with the curve only inside, SM2 scalars with padding
// and stripped zeros, and RSA keys just over the size limit.
func extraDERs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	out["p256 pkcs8"] = must(x509.MarshalPKCS8PrivateKey(ec))
	out["p256 sec1"] = must(x509.MarshalECPrivateKey(ec))
	out["p256 spki"] = must(x509.MarshalPKIXPublicKey(&ec.PublicKey))
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	out["ed25519 pkcs8"] = must(x509.MarshalPKCS8PrivateKey(ed))
	out["ed25519 spki"] = must(x509.MarshalPKIXPublicKey(ed.Public()))
	mp, err := rsa.GenerateMultiPrimeKey(rand.Reader, 3, 1024)
	if err != nil {
		t.Fatal(err)
	}
	out["rsa 3-prime pkcs1"] = x509.MarshalPKCS1PrivateKey(mp)

	sm2DER := testDER(t, "sm2_pkcs8.pem")
	var p8 struct {
		Version    int
		Algo       struct{ Algorithm, Curve asn1.ObjectIdentifier }
		PrivateKey []byte
	}
	if _, err := asn1.Unmarshal(sm2DER, &p8); err != nil {
		t.Fatal(err)
	}
	p8.Algo.Algorithm = oidSM2
	out["sm2 pkcs8 sm2 oid"] = must(asn1.Marshal(p8))
	var sec1 struct {
		Version    int
		PrivateKey []byte
		Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	}
	if _, err := asn1.Unmarshal(p8.PrivateKey, &sec1); err != nil {
		t.Fatal(err)
	}
	sec1.Curve = oidSM2
	withCurve := must(asn1.Marshal(sec1))
	sec1.PrivateKey = append([]byte{0, 0}, sec1.PrivateKey...)
	var noCurve struct {
		Version    int
		Algo       struct{ Algorithm asn1.ObjectIdentifier }
		PrivateKey []byte
	}
	noCurve.Algo.Algorithm, noCurve.PrivateKey = oidECPublicKey, withCurve
	out["sm2 pkcs8 curve inside"] = must(asn1.Marshal(noCurve))
	out["sm2 sec1 zero padded"] = must(asn1.Marshal(sec1))
	sec1.PrivateKey = []byte{7}
	out["sm2 sec1 short scalar"] = must(asn1.Marshal(sec1))
	sec1.PrivateKey = []byte{}
	out["sm2 sec1 zero scalar"] = must(asn1.Marshal(sec1))

	out["rsa 4097-bit pkcs1 private"] = fakeRSAPrivate(4097)
	out["rsa 4097-bit pkcs1 public"] = x509.MarshalPKCS1PublicKey(&rsa.PublicKey{N: oddOfBits(4097), E: 65537})
	return out
}

// oddOfBits returns an odd number of exactly bits bits.
func oddOfBits(bits int) *big.Int {
	n := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	return n.Or(n, big.NewInt(0xabcdef1))
}

// fakeRSAPrivate returns a PKCS#1 RSAPrivateKey of the right shape whose
// modulus has bits bits but whose numbers do not form a key: enough to hit
// the size limit, which is checked before the (costly) validation.
func fakeRSAPrivate(bits int) []byte {
	half := oddOfBits(bits / 2)
	b, err := asn1.Marshal(struct {
		Version      int
		N            *big.Int
		E            int
		D, P, Q      *big.Int
		Dp, Dq, Qinv *big.Int
	}{0, oddOfBits(bits), 65537, oddOfBits(bits - 2), half, half, half, half, half})
	if err != nil {
		panic(err)
	}
	return b
}

// RSA keys over 4096 bits are refused with a KEY_ERROR saying so, before
// the private key is validated (a 16384-bit key took over a second); 4096
// bits passes the size check.
func TestRSAKeySizeLimit(t *testing.T) {
	priv16k := fakeRSAPrivate(16384)
	pkcs8 := func(pkcs1 []byte) []byte {
		b, err := asn1.Marshal(struct {
			Version int
			Algo    struct {
				Algorithm asn1.ObjectIdentifier
				Null      asn1.RawValue
			}
			PrivateKey []byte
		}{0, struct {
			Algorithm asn1.ObjectIdentifier
			Null      asn1.RawValue
		}{oidRSA, asn1.NullRawValue}, pkcs1})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	spki := func(n *big.Int) []byte {
		b, err := x509.MarshalPKIXPublicKey(&rsa.PublicKey{N: n, E: 65537})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pemOf := func(typ string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	b64 := base64.StdEncoding.EncodeToString
	cases := []struct {
		name, text, want string
		public           bool
	}{
		{"PKCS#8 PEM", pemOf("PRIVATE KEY", pkcs8(priv16k)), "PEM: the private key is too large (over 4096 bytes; RSA keys may have at most 4096 bits)", false},
		{"PKCS#8 bare", b64(pkcs8(priv16k)), "Base64 DER: the private key is too large", false},
		{"PKCS#1 bare", b64(priv16k), "Base64 DER: the private key is too large", false},
		{"SPKI PEM", pemOf("PUBLIC KEY", spki(oddOfBits(16384))), "PEM: RSA key of 16384 bits is too large (maximum 4096)", true},
		{"SPKI bare", b64(spki(oddOfBits(8192))), "Base64 DER: RSA key of 8192 bits is too large", true},
		{"PKCS#1 public", b64(x509.MarshalPKCS1PublicKey(&rsa.PublicKey{N: oddOfBits(4097), E: 3})), "RSA key of 4097 bits is too large", true},
	}
	for _, c := range cases {
		start := time.Now()
		var err error
		which := "privateKey"
		if c.public {
			which = "platformPublicKey"
			_, err = ParsePublicKey(which, c.text)
		} else {
			_, err = ParsePrivateKey(which, c.text)
		}
		wantKind(t, err, errs.KeyError, which)
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q lacks %q", c.name, err.Error(), c.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refusing took %v", c.name, d)
		}
		assertNoKeyMaterial(t, c.name, err.Error(), c.text)
	}
	// 4096 bits passes the size check: this fake key then fails validation,
	// and a 4096-bit public key is accepted.
	_, err := ParsePrivateKey("privateKey", b64(pkcs8(fakeRSAPrivate(4096))))
	if err == nil || !strings.Contains(err.Error(), "not a PKCS#8") {
		t.Errorf("fake 4096-bit key: %v", err)
	}
	if k, err := ParsePublicKey("platformPublicKey", b64(spki(oddOfBits(4096)))); err != nil || k.Bits() != 4096 {
		t.Errorf("4096-bit public key: %v", err)
	}
}

// Keys on another curve are refused as such in every container, and keys of
// other algorithms as neither RSA nor SM2; a multi-prime RSA key (PKCS#1
// version 1) still parses and signs.
func TestOtherKeyKinds(t *testing.T) {
	ders := extraDERs(t)
	b64 := base64.StdEncoding.EncodeToString
	cases := []struct {
		der, want string
		public    bool
	}{
		{"p256 sec1", "Base64 DER: an EC key that is not on the SM2 curve", false},
		{"p256 pkcs8", "Base64 DER: an EC key that is not on the SM2 curve", false},
		{"p256 spki", "Base64 DER: an EC key that is not on the SM2 curve", true},
		{"ed25519 pkcs8", "Base64 DER: the key is neither RSA nor SM2", false},
		{"ed25519 spki", "Base64 DER: the key is neither RSA nor SM2", true},
		{"sm2 sec1 zero scalar", "Base64 DER: not a PKCS#8 private key, PKCS#1 RSA private key or SEC1 SM2 private key", false},
	}
	for _, c := range cases {
		var err error
		if c.public {
			_, err = ParsePublicKey("platformPublicKey", b64(ders[c.der]))
		} else {
			_, err = ParsePrivateKey("privateKey", b64(ders[c.der]))
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.der, err, c.want)
		}
	}
	sec1 := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ders["p256 sec1"]}))
	if _, err := ParsePrivateKey("privateKey", sec1); err == nil || !strings.Contains(err.Error(), "PEM: an EC key that is not on the SM2 curve") {
		t.Errorf("P-256 EC PRIVATE KEY: %v", err)
	}
	for _, name := range []string{"rsa 3-prime pkcs1", "sm2 pkcs8 sm2 oid", "sm2 pkcs8 curve inside", "sm2 sec1 zero padded", "sm2 sec1 short scalar"} {
		k, err := ParsePrivateKey("privateKey", b64(ders[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st := RSA2
		if k.Algorithm() == AlgorithmSM2 {
			st = SM2
		}
		sig, err := Sign(k, st, "", []byte("content"))
		if err != nil || Verify(k.Public(), st, "", []byte("content"), sig) != nil {
			t.Fatalf("%s: does not sign and verify: %v", name, err)
		}
	}
}

// FuzzDERMatchesSMX509 runs compareDER on arbitrary bytes (seeds: the test
// keys).
func FuzzDERMatchesSMX509(f *testing.F) {
	for _, n := range []string{"sm2_pkcs8.pem", "sm2_sec1.pem", "sm2_pub_spki.pem", "sm2_cert.pem", "rsa1024_pkcs8.pem",
		"rsa1024_pub_spki.pem", "rsa2048_pub_pkcs1.pem", "rsa2048_cert.pem"} {
		b, _ := pem.Decode([]byte(readTestdata(f, n)))
		f.Add(b.Bytes)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		compareDER(t, "input", der)
	})
}
