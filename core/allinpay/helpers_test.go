package allinpay

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

const testdataDir = "../../testdata/allinpay"

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustPriv(t testing.TB, name string) *PrivateKey {
	t.Helper()
	k, err := ParsePrivateKey("privateKey", readTestdata(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return k
}

func mustPub(t testing.TB, name string) *PublicKey {
	t.Helper()
	k, err := ParsePublicKey("platformPublicKey", readTestdata(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return k
}

// keySet names one test key pair per sign type (RSA with the 1024-bit key, as
// the seed's 128-byte signature suggests is used in the field).
type keySet struct {
	signType SignType
	priv     string
	pub      string
	bits     int
	ossl     string // openssl dgst digest option
}

var keySets = []keySet{
	{RSA2, "rsa2048_pkcs8.pem", "rsa2048_pub_spki.pem", 2048, "-sha256"},
	{RSA, "rsa1024_pkcs8.pem", "rsa1024_pub_spki.pem", 1024, "-sha1"},
	{SM2, "sm2_pkcs8.pem", "sm2_pub_spki.pem", 256, "-sm3"},
}

// fixedInstant is 2020-04-10 16:03:49 in China (08:03:49 UTC).
var fixedInstant = time.Unix(1586505829, 0)

func testClient(t testing.TB, ks keySet, mode VerifyMode) *Client {
	t.Helper()
	c, err := NewClient(Config{
		AppID:              "test-app-1",
		SignType:           ks.signType,
		PrivateKey:         mustPriv(t, ks.priv),
		PlatformPublicKeys: []*PublicKey{mustPub(t, ks.pub)},
		GatewayURL:         "http://127.0.0.1:8099/shopoint",
		Now:                func() time.Time { return fixedInstant },
		Verify:             mode,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantKind fails unless err is an *errs.Error of kind (and field, if given).
func wantKind(t testing.TB, err error, kind errs.Kind, field string) *errs.Error {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("want %s error, got %v", kind, err)
	}
	if e.Kind != kind || (field != "" && e.Field != field) {
		t.Fatalf("want %s %s, got %v", kind, field, err)
	}
	return e
}

// pemBody returns the Base64 body of a PEM text (the bare Base64 DER form).
func pemBody(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "-----") {
			continue
		}
		b.WriteString(strings.TrimSpace(line))
	}
	return b.String()
}
