package allinpay

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestDiagnoseSeed: the seed reply, whose platform key we do not have:
// nothing verifies, the sign is recognised as RSA-1024, and the SDK form's
// content is exactly fastjson's (the fixture case of the same body).
func TestDiagnoseSeed(t *testing.T) {
	body := []byte(readTestdata(t, "seed002_response.json"))
	d := Diagnose(DiagnoseInput{Body: body})
	out, _ := json.MarshalIndent(d, "", "  ")
	t.Logf("Diagnose(seed002 reply, no key):\n%s", out)
	if d.Verified || !d.Signed || d.SignBytes != 128 || d.SignLooksLike != "RSA-1024" || len(d.Variants) != 4 ||
		!strings.Contains(d.Conclusion, "No platform public key") || d.BodyProblem != "" || d.Code != "0" {
		t.Fatalf("%s", out)
	}
	cases, _ := loadFastjsonCases(t)
	for _, c := range cases {
		if c.Name == "seed_couponSend_pretty" {
			want, _ := base64.StdEncoding.DecodeString(c.B64)
			sum := sha256.Sum256(want)
			if d.Variants[0].Variant != SDKMD5 || d.Variants[0].ContentSHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("SDK content differs from fastjson's: %+v", d.Variants[0])
			}
		}
	}
	// With a key of another size: named as the likely cause.
	d = Diagnose(DiagnoseInput{Body: body, PlatformKeys: []*PublicKey{mustPub(t, "rsa2048_pub_spki.pem")}, SignType: RSA2})
	if d.Verified || !strings.Contains(d.Conclusion, "RSA-1024 but the key") {
		t.Fatalf("%s", d.Conclusion)
	}
}

// TestDiagnoseVariants: a reply signed under each variant (and with RSA
// instead of RSA2) is recognised, with the verifyMode to pin.
func TestDiagnoseVariants(t *testing.T) {
	content := seedContent(t)
	for _, ks := range keySets {
		for _, v := range Variants() {
			body, err := SignResponse(content, mustPriv(t, ks.priv), ks.signType, "", v)
			if err != nil {
				t.Fatal(err)
			}
			configured := ks.signType
			if configured == RSA {
				configured = RSA2 // the gateway signs SHA1: Diagnose says so
			}
			d := Diagnose(DiagnoseInput{Body: body, PlatformKeys: []*PublicKey{mustPub(t, ks.pub)}, SignType: configured})
			if !d.Verified || d.VerifiedBy != v || d.VerifyMode != string(v) || d.SignType != ks.signType ||
				!strings.Contains(d.Conclusion, `set verifyMode "`+string(v)+`"`) {
				t.Fatalf("%s %s: %+v", ks.signType, v, d)
			}
			if ks.signType == RSA && !strings.Contains(d.Conclusion, "set signType RSA") {
				t.Fatalf("RSA not named: %s", d.Conclusion)
			}
			for _, vc := range d.Variants {
				if vc.Verified != (vc.Variant == v) {
					t.Fatalf("%s: %+v", v, vc)
				}
			}
		}
	}
}

// TestDiagnoseMistakes: the merchant's own key as platform key; an
// unsigned 验签失败 answer with the request that caused it; a body with a
// repeated member; a body that is not JSON.
func TestDiagnoseMistakes(t *testing.T) {
	c := testClient(t, keySets[0], VerifyAny) // platform key = merchant's own
	platform := genKey(t, AlgorithmRSA)
	body, err := SignResponse(seedContent(t), platform, RSA2, "", SDKMD5)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Diagnose(body, nil)
	if d.Verified || !d.Keys[0].IsMerchantKey || !strings.Contains(d.Conclusion, "your own merchant public key") {
		t.Fatalf("%+v", d)
	}
	req, err := c.CouponQuery(CouponQueryParams{CouponNo: "1"}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	d = c.Diagnose([]byte(`{"code":1001,"msg":"验签失败"}`), &req)
	if d.Signed || d.Request == nil || d.Request.Method != MethodCouponQuery || d.Request.Profile != ProfileRules ||
		!strings.Contains(d.Conclusion, `requestProfile "sdk"`) || d.Request.SignContent != req.SignContent {
		t.Fatalf("%+v", d)
	}
	d = c.Diagnose([]byte(`{"code":0,"data":{"tranNo":"a","tranNo":"b"},"sign":"QUJD"}`), nil)
	if d.BodyProblem == "" || !strings.Contains(d.Conclusion, "refuses this reply") || d.VerifyMode != "" {
		t.Fatalf("%+v", d)
	}
	d = c.Diagnose([]byte(`<html>502</html>`), nil)
	if d.BodyProblem == "" || len(d.Variants) != 0 || !strings.Contains(d.Conclusion, "not one strict JSON object") {
		t.Fatalf("%+v", d)
	}
	// Contents are shortened, never the whole of a long reply.
	long := bytes.Replace(seedContent(t), []byte("专门测试ZHT"), bytes.Repeat([]byte("券"), 400), 1)
	d = Diagnose(DiagnoseInput{Body: long})
	if n := len(d.Variants[0].Content); n > 220 || d.Variants[0].ContentLength < 1200 || !strings.Contains(d.Variants[0].Content, "…") {
		t.Fatalf("content of %d bytes", n)
	}
}
