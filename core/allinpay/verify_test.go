package allinpay

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/tidwall/sjson"
)

// genKey makes a fresh key pair of the algorithm (RSA: 1024 bits, fast).
func genKey(t testing.TB, alg Algorithm) *PrivateKey {
	t.Helper()
	var der []byte
	var err error
	if alg == AlgorithmSM2 {
		k, gerr := sm2.GenerateKey(rand.Reader)
		if gerr != nil {
			t.Fatal(gerr)
		}
		der, err = smx509.MarshalPKCS8PrivateKey(k)
	} else {
		k, gerr := rsa.GenerateKey(rand.Reader, 1024)
		if gerr != nil {
			t.Fatal(gerr)
		}
		der, err = x509.MarshalPKCS8PrivateKey(k)
	}
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParsePrivateKey("privateKey", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// verifyClient is a client whose merchant key is a fresh one and whose
// platform keys are given.
func verifyClient(t testing.TB, st SignType, mode VerifyMode, platform ...*PublicKey) *Client {
	t.Helper()
	c, err := NewClient(Config{AppID: "a", SignType: st, PrivateKey: genKey(t, algorithmOf(st)),
		PlatformPublicKeys: platform, GatewayURL: "https://gw.example/x", Verify: mode})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seedContent is the seed reply without its sign: pretty-printed, with null
// members, so that the raw and SDK forms differ.
func seedContent(t testing.TB) []byte {
	t.Helper()
	content, _, err := ResponseSignContent([]byte(readTestdata(t, "seed002_response.json")), RawDirect)
	if err != nil {
		t.Fatal(err)
	}
	return content
}

// TestVariantsVerifyByDefault: a reply signed with the platform key (RSA2,
// RSA, SM2) under each variant verifies under VerifyAny and says which
// variant and key; a pinned mode accepts only its own variant; a tampered
// byte, a removed member, a repeated member and a merchant-key signature
// each fail with their code.
func TestVariantsVerifyByDefault(t *testing.T) {
	content := seedContent(t)
	for _, ks := range keySets {
		platform := mustPriv(t, ks.priv)
		pub := platform.Public()
		for _, v := range Variants() {
			body, err := SignResponse(content, platform, ks.signType, "", v)
			if err != nil {
				t.Fatal(err)
			}
			any := verifyClient(t, ks.signType, VerifyAny, pub)
			res, err := any.ParseCouponSendResponse(body)
			if err != nil {
				t.Fatalf("%s %s: %v", ks.signType, v, err)
			}
			checkSeedResult(t, res)
			if !res.Verified || res.VerifiedBy != v || res.KeyFingerprint != pub.Fingerprint() {
				t.Fatalf("%s %s: verification %+v", ks.signType, v, res.Verification)
			}
			for _, p := range Variants() {
				_, err := verifyClient(t, ks.signType, VerifyMode(p), pub).VerifyResponse(body)
				if p == v && err != nil {
					t.Fatalf("%s pinned to its own variant %s: %v", ks.signType, v, err)
				}
				if p != v {
					wantKind(t, err, errs.SignatureInvalid, "sign")
				}
			}
			// A tampered byte (a digit of tranNo), a removed member.
			tampered := bytes.Replace(body, []byte("50806050005080208145"), []byte("50806050005080208146"), 1)
			_, err = any.VerifyResponse(tampered)
			wantKind(t, err, errs.SignatureInvalid, "sign")
			removed, _ := sjson.DeleteBytes(append([]byte(nil), body...), "data.tranDateTime")
			_, err = any.VerifyResponse(removed)
			wantKind(t, err, errs.SignatureInvalid, "sign")
			// A repeated member before the real one: refused before any
			// signature is checked, naming the path (also under skip).
			dup := bytes.Replace(body, []byte(`"tranNo"`), []byte(`"tranNo": "66666666666666666666", "tranNo"`), 1)
			_, err = any.ParseResponse(dup)
			wantKind(t, err, errs.ResponseInvalid, "data.tranNo")
			_, err = verifyClient(t, ks.signType, SkipVerify).ParseResponse(dup)
			wantKind(t, err, errs.ResponseInvalid, "data.tranNo")
			// Signed with the merchant's own key: not the platform's.
			merchantSigned, err := SignResponse(content, any.cfg.PrivateKey, ks.signType, "", v)
			if err != nil {
				t.Fatal(err)
			}
			_, err = any.VerifyResponse(merchantSigned)
			wantKind(t, err, errs.SignatureInvalid, "sign")
		}
	}
}

// TestKeyRotation: with two platform keys a reply signed by either verifies,
// and the result names the key that did.
func TestKeyRotation(t *testing.T) {
	content := seedContent(t)
	old, next := genKey(t, AlgorithmRSA), genKey(t, AlgorithmRSA)
	c := verifyClient(t, RSA2, VerifyAny, old.Public(), next.Public())
	for _, k := range []*PrivateKey{old, next} {
		body, err := SignResponse(content, k, RSA2, "", SDKMD5)
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.VerifyResponse(body)
		if err != nil || v.KeyFingerprint != k.Public().Fingerprint() || v.VerifiedBy != SDKMD5 {
			t.Fatalf("%+v %v", v, err)
		}
	}
	if old.Public().Fingerprint() == next.Public().Fingerprint() || len(old.Public().Fingerprint()) != 64 {
		t.Fatal("fingerprints")
	}
	other, err := SignResponse(content, genKey(t, AlgorithmRSA), RSA2, "", SDKMD5)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.VerifyResponse(other)
	wantKind(t, err, errs.SignatureInvalid, "sign")
}

// TestParsedViewIsSignedView is the security argument as a test: every
// variant is a function of the one body; a body whose members repeat, at
// any depth, or that holds a lone surrogate is refused in every mode, so
// the parsed data (gjson, first member wins, U+FFFD) can never differ from
// a signed view (fastjson, last member wins, '?').
func TestParsedViewIsSignedView(t *testing.T) {
	platform := mustPriv(t, keySets[0].priv)
	for _, body := range []string{
		`{"code":0,"msg":"ok","data":{"tranNo":"attacker","tranNo":"real","list":[]}}`,
		`{"code":0,"code":3,"msg":"x"}`,
		`{"code":0,"data":{"list":[{"templateId":1,"templateId":2}]}}`,
		`{"code":0,"data":{"t\u0072anNo":"a","tranNo":"b"}}`,
		`{"code":0,"msg":"\ud800","data":{}}`,
		`{"code":0,"data":{"tranNo":"1\udc00"}}`,
	} {
		if _, err := SignResponse([]byte(body), platform, RSA2, "", SDKMD5); err == nil {
			t.Errorf("%s: signed", body)
		}
		// Sign it anyway, as a gateway would, over its fastjson form.
		r, _ := readReply([]byte(body))
		sign, err := Sign(platform, RSA2, "", SDKMD5.SignedMessage(r.sdkForm()))
		if err != nil {
			t.Fatal(err)
		}
		signed, _ := sjson.SetBytes([]byte(body), "sign", sign)
		for _, mode := range []VerifyMode{VerifyAny, VerifyMode(SDKMD5), SkipVerify} {
			c := testClient(t, keySets[0], mode)
			_, err := c.ParseCouponSendResponse(signed)
			e := wantKind(t, err, errs.ResponseInvalid, "")
			if e.Field == "" || !strings.Contains(e.Message, "refused") {
				t.Errorf("%s under %s: %v", body, mode, err)
			}
		}
	}
	// Every variant is deterministic: the same body gives the same bytes.
	signed, err := SignResponse(seedContent(t), platform, RSA2, "", SDKMD5)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Variants() {
		a, _, err1 := ResponseSignContent(signed, v)
		b, _, err2 := ResponseSignContent(append([]byte(nil), signed...), v)
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Fatalf("%s: %v %v", v, err1, err2)
		}
	}
}

func TestParseVerifyMode(t *testing.T) {
	// An old name set directly in the Config is its variant, not "any".
	content := seedContent(t)
	body, err := SignResponse(content, mustPriv(t, keySets[0].priv), RSA2, "", SDKMD5)
	if err != nil {
		t.Fatal(err)
	}
	_, err = testClient(t, keySets[0], "raw").VerifyResponse(body)
	wantKind(t, err, errs.SignatureInvalid, "sign")
	if v, err := testClient(t, keySets[0], "any").VerifyResponse(body); err != nil || v.VerifiedBy != SDKMD5 {
		t.Fatal(v, err)
	}
	for in, want := range map[string]VerifyMode{"": VerifyAny, "any": VerifyAny, "raw": VerifyMode(RawDirect),
		"sdk+md5": VerifyMode(SDKMD5), "sdk+direct": VerifyMode(SDKDirect), "raw+direct": VerifyMode(RawDirect),
		"raw+md5": VerifyMode(RawMD5), "skip": SkipVerify, "sorted": VerifyMode(SDKDirect)} {
		got, err := ParseVerifyMode("verifyMode", in)
		if err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, in := range []string{"SDK+MD5", "md5", "none", "sdk"} {
		_, err := ParseVerifyMode("verifyMode", in)
		wantKind(t, err, errs.InvalidArgument, "verifyMode")
	}
}
