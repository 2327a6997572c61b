package allinpay

import (
	"bytes"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// A keyless client's unsigned request, signed by the back office
// (SignContent) and completed with Attach, is byte for byte the request of a
// client with the private key, for every sign type (SM2 signatures are
// randomised: the keyed client's body is rebuilt with the back office's
// signature and compared, and the signature verified).
func TestKeylessAttachEqualsSigned(t *testing.T) {
	for _, ks := range keySets {
		office := testClient(t, ks, VerifyAny)
		cfg := office.Config()
		cfg.PrivateKey = nil
		if ks.signType != RSA {
			cfg.SignType = "" // inferred from the platform's key (RSA needs naming: RSA2 is the default)
		}
		page, err := NewClient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !page.Keyless() || office.Keyless() || page.Config().SignType != ks.signType {
			t.Fatalf("%s: keyless %t/%t, sign type %s", ks.signType, page.Keyless(), office.Keyless(), page.Config().SignType)
		}
		biz := []byte(`{"shopId":"1","remark":"满 100 减 20 & more=yes"}`)
		unsigned, err := page.Build(MethodCouponQuery, "", biz, fixedInstant)
		if err != nil {
			t.Fatal(err)
		}
		if unsigned.Body != nil || unsigned.Sign != "" {
			t.Fatalf("%s: the keyless request has a body or sign", ks.signType)
		}
		signed, err := office.Build(MethodCouponQuery, "", biz, fixedInstant)
		if err != nil {
			t.Fatal(err)
		}
		if unsigned.SignContent != signed.SignContent {
			t.Fatalf("%s: sign content %q, keyed %q", ks.signType, unsigned.SignContent, signed.SignContent)
		}
		sign, err := office.SignContent(unsigned.SignContent)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(mustPriv(t, ks.priv).Public(), ks.signType, "", []byte(unsigned.SignContent), sign); err != nil {
			t.Fatalf("%s: the back office's signature does not verify: %v", ks.signType, err)
		}
		sign2, content, err := office.SignParams(unsigned.Params)
		if err != nil || content != unsigned.SignContent || ks.signType != SM2 && sign2 != sign {
			t.Fatalf("%s: SignParams %q %q %v", ks.signType, sign2, content, err)
		}
		got, err := page.Attach(unsigned.Params, sign)
		if err != nil {
			t.Fatal(err)
		}
		want := signed
		if ks.signType == SM2 { // the keyed body with this (random) signature
			want, _ = office.Attach(signed.Params[:len(signed.Params)-1], sign)
		}
		if !bytes.Equal(got.Body, want.Body) || got.Sign != want.Sign || got.SignContent != want.SignContent {
			t.Errorf("%s:\n attached %s\n signed   %s", ks.signType, got.Body, want.Body)
		}
		if ks.signType != SM2 && !bytes.Equal(got.Body, signed.Body) {
			t.Errorf("%s: attached body differs from the keyed one", ks.signType)
		}
	}
}

func TestKeylessRefusals(t *testing.T) {
	office := testClient(t, keySets[0], VerifyAny)
	cfg := office.Config()
	cfg.PrivateKey = nil
	page, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = page.SignContent("a=b")
	wantKind(t, err, errs.KeyError, "privateKey")
	_, err = office.SignContent("")
	wantKind(t, err, errs.InvalidArgument, "signContent")
	_, _, err = page.SignParams([]Param{{"appId", "test-app-1"}})
	wantKind(t, err, errs.KeyError, "privateKey")
	_, _, err = office.SignParams(nil)
	wantKind(t, err, errs.InvalidArgument, "params")
	_, _, err = office.SignParams([]Param{{"appId", "x"}, {"method", "m"}, {"signType", "RSA2"}})
	wantKind(t, err, errs.InvalidArgument, "params[0]")
	p := []Param{{"appId", "a"}}
	_, err = page.Attach(p, "")
	wantKind(t, err, errs.InvalidArgument, "sign")
	_, err = page.Attach(p, "AAA")
	wantKind(t, err, errs.InvalidArgument, "sign")
	_, err = page.Attach(nil, "AAAA")
	wantKind(t, err, errs.InvalidArgument, "params")
	_, err = page.Attach([]Param{{"sign", "x"}}, "AAAA")
	wantKind(t, err, errs.InvalidArgument, "params[0]")
}
