package allinpay

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

// Keys.Client parses the keys as text into the client they describe, and
// names each bad member by its JSON name.
func TestKeysClient(t *testing.T) {
	priv, pub := readTestdata(t, "rsa2048_pkcs8.pem"), readTestdata(t, "rsa2048_pub_spki.pem")
	now := func() time.Time { return fixedInstant }
	cl, err := (&Keys{AppID: "a", PrivateKey: priv, PlatformPublicKeys: []string{pub, readTestdata(t, "rsa1024_pub_spki.pem")},
		GatewayURL: "https://gw.example/api", VerifyMode: "raw+direct", RequestProfile: "sdk"}).Client(now)
	if err != nil {
		t.Fatal(err)
	}
	cfg := cl.Config()
	if cl.Keyless() || cfg.SignType != RSA2 || len(cfg.PlatformPublicKeys) != 2 || cfg.RequestProfile != ProfileSDK || cfg.Now().Unix() != fixedInstant.Unix() {
		t.Errorf("config %+v", cfg)
	}
	if !cfg.PlatformPublicKeys[0].Equal(mustPub(t, "rsa2048_pub_spki.pem")) {
		t.Error("the first platform key is not the first given")
	}
	keyless, err := (&Keys{AppID: "a", PlatformPublicKeys: []string{readTestdata(t, "sm2_pub_spki.pem")}, GatewayURL: "https://gw.example/api"}).Client(nil)
	if err != nil || !keyless.Keyless() || keyless.Config().SignType != SM2 {
		t.Errorf("keyless: %v, %v", keyless, err)
	}
	for _, c := range []struct {
		k     Keys
		field string
		kind  errs.Kind
	}{
		{Keys{SignType: "MD5"}, "signType", errs.InvalidArgument},
		{Keys{SignType: "MD5", VerifyMode: "x"}, "signType", errs.InvalidArgument},
		{Keys{VerifyMode: "sorted+md5"}, "verifyMode", errs.InvalidArgument},
		{Keys{PrivateKey: "not a key"}, "privateKey", errs.KeyError},
		{Keys{RequestProfile: "java"}, "requestProfile", errs.InvalidArgument},
		{Keys{PlatformPublicKeys: []string{"x"}}, "platformPublicKey", errs.KeyError},
		{Keys{PlatformPublicKeys: []string{pub, "x"}}, "platformPublicKey[1]", errs.KeyError},
		{Keys{PlatformPublicKeys: []string{""}}, "platformPublicKey", ""},                                  // no key: NewClient's refusal, renamed
		{Keys{PlatformPublicKeys: []string{readTestdata(t, "sm2_pub_spki.pem")}}, "platformPublicKey", ""}, // an SM2 key for RSA2
		{Keys{PlatformPublicKeys: []string{pub, readTestdata(t, "sm2_pub_spki.pem")}}, "platformPublicKey[1]", ""},
		{Keys{AppID: "-", GatewayURL: "gw.example"}, "gatewayUrl", ""},
	} {
		k := c.k
		if k.AppID == "" {
			k.AppID = "a"
		}
		if k.GatewayURL == "" {
			k.GatewayURL = "https://gw.example/api"
		}
		if k.PlatformPublicKeys == nil {
			k.PlatformPublicKeys = []string{pub}
		}
		if k.PrivateKey == "" {
			k.PrivateKey = priv
		}
		_, err := k.Client(now)
		if c.kind == "" {
			c.kind = errs.KindOf(err)
		}
		wantKind(t, err, c.kind, c.field)
	}
}

// ParsePlatformKeys: none, one (named without an index) or several.
func TestParsePlatformKeys(t *testing.T) {
	pub := readTestdata(t, "rsa2048_pub_spki.pem")
	for _, l := range [][]string{nil, {}, {""}} {
		if ks, err := ParsePlatformKeys(l); err != nil || ks != nil {
			t.Errorf("%q: %v, %v", l, ks, err)
		}
	}
	if ks, err := ParsePlatformKeys([]string{pub}); err != nil || len(ks) != 1 {
		t.Errorf("one: %v, %v", ks, err)
	}
	if ks, err := ParsePlatformKeys([]string{pub, pub}); err != nil || len(ks) != 2 {
		t.Errorf("two: %v, %v", ks, err)
	}
	_, err := ParsePlatformKeys([]string{"x"})
	wantKind(t, err, errs.KeyError, "platformPublicKey")
	_, err = ParsePlatformKeys([]string{pub, ""})
	wantKind(t, err, errs.KeyError, "platformPublicKey[1]")
}

// ParseTimestamp reads China time and Unix seconds and nothing else.
func TestParseTimestamp(t *testing.T) {
	for s, want := range map[string]int64{"2020-04-10 16:03:49": 1586505829, "1586505829": 1586505829, "1": 1, "1099511627775": 1<<40 - 1} {
		if got, err := ParseTimestamp("timestamp", s); err != nil || got.Unix() != want {
			t.Errorf("%q: %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "0", "1099511627776", "2020-04-10T16:03:49", "2020-04-10 16:03", "-1", " 1", "2020-02-30 00:00:00"} {
		_, err := ParseTimestamp("timestamp", s)
		wantKind(t, err, errs.InvalidArgument, "timestamp")
	}
}

// Complete: a keyless request with the back office's sign is Attach's; a
// keyed client refuses a sign; no sign leaves the request as it is.
func TestComplete(t *testing.T) {
	ks := keySets[0]
	office := testClient(t, ks, VerifyAny)
	cfg := office.Config()
	cfg.PrivateKey = nil
	page, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	biz := []byte(`{"couponNo":"1"}`)
	unsigned, _ := page.Build(MethodCouponQuery, "", biz, fixedInstant)
	signed, _ := office.Build(MethodCouponQuery, "", biz, fixedInstant)
	if q, err := page.Complete(unsigned, ""); err != nil || q.Sign != "" || q.SignContent != unsigned.SignContent {
		t.Errorf("no sign: %+v, %v", q, err)
	}
	q, err := page.Complete(unsigned, signed.Sign)
	if err != nil || string(q.Body) != string(signed.Body) {
		t.Errorf("completed: %s, %v", q.Body, err)
	}
	if q, err := office.Complete(signed, ""); err != nil || string(q.Body) != string(signed.Body) {
		t.Errorf("keyed, no sign: %v", err)
	}
	_, err = office.Complete(signed, signed.Sign)
	wantKind(t, err, errs.InvalidArgument, "sign")
	_, err = page.Complete(unsigned, "not base64!")
	wantKind(t, err, errs.InvalidArgument, "sign")
}

// Redacted hides a passwd outside the body, and leaves the original alone.
func TestRequestRedacted(t *testing.T) {
	cl := testClient(t, keySets[0], VerifyAny)
	q, err := cl.CouponConsume(CouponConsumeParams{ShopID: "1", OperUserID: "c1", OrderID: "o1", CouponConsumeList: []CouponConsumeItem{
		{CouponNo: "496996143645800001", ConsumeAmount: "1", Passwd: "SECRET-pw"}}}, fixedInstant)
	if err != nil {
		t.Fatal(err)
	}
	r := q.Redacted()
	var shown []string
	shown = append(shown, r.SignContent, r.SignedText)
	for _, p := range r.Params {
		shown = append(shown, p.Value)
	}
	for _, s := range shown {
		if strings.Contains(s, "SECRET-pw") {
			t.Errorf("passwd shown: %s", s)
		}
	}
	if !strings.Contains(r.SignContent, `"passwd":"[redacted]"`) || string(r.Body) != string(q.Body) || !strings.Contains(string(r.Body), "SECRET-pw") {
		t.Errorf("redacted %q, body %s", r.SignContent, r.Body)
	}
	if !strings.Contains(q.SignContent, "SECRET-pw") || !strings.Contains(q.Params[len(q.Params)-2].Value+q.Params[len(q.Params)-1].Value, "SECRET-pw") {
		t.Error("Redacted changed the original")
	}
}

// ParseForm reads a built request back with the same signing.
func TestParseForm(t *testing.T) {
	for _, profile := range []RequestProfile{ProfileRules, ProfileSDK} {
		cfg := testClient(t, keySets[0], VerifyAny).Config()
		cfg.RequestProfile = profile
		cl, err := NewClient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		q, err := cl.Build(MethodCouponQuery, "", []byte(`{"couponNo":"1","remark":"满 100 & more=yes"}`), fixedInstant)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseForm("request", string(q.Body))
		if err != nil || got.Profile != profile || got.SignContent != q.SignContent || got.SignedText != q.SignedText || len(got.Params) != len(q.Params) || strings.Join(got.SignedFields, ",") != strings.Join(q.SignedFields, ",") {
			t.Errorf("%s: %+v, %v", profile, got, err)
		}
	}
	_, err := ParseForm("request", "a=%zz")
	wantKind(t, err, errs.InvalidArgument, "request")
}

// Diagnose shows no passwd of the request or the reply; With takes the
// client's keys and settings.
func TestDiagnoseRedactsAndWith(t *testing.T) {
	ks := keySets[0]
	cl := testClient(t, ks, VerifyAny)
	q, err := cl.CouponConsume(CouponConsumeParams{ShopID: "1", OperUserID: "c1", OrderID: "o1", CouponConsumeList: []CouponConsumeItem{
		{CouponNo: "1", ConsumeAmount: "1", Passwd: "SECRET-pw"}}}, fixedInstant)
	if err != nil {
		t.Fatal(err)
	}
	in := DiagnoseInput{Body: []byte(`{"code":0,"msg":"ok","data":{"passwd":"SECRET-pw"},"sign":"AAAA"}`), Request: &q}.With(cl)
	if len(in.PlatformKeys) != 1 || in.MerchantKey == nil || in.SignType != RSA2 {
		t.Errorf("With: %+v", in)
	}
	d := Diagnose(in)
	if d.Request == nil || len(d.Variants) == 0 {
		t.Fatalf("diagnosis %+v", d)
	}
	b, _ := json.Marshal(d)
	if s := string(b); strings.Contains(s, "SECRET-pw") || !strings.Contains(s, "[redacted]") {
		t.Errorf("the diagnosis shows the passwd:\n%s", s)
	}
	own := DiagnoseInput{SignType: RSA, SignerID: "x", PlatformKeys: []*PublicKey{mustPub(t, "rsa1024_pub_spki.pem")}}.With(cl)
	if own.SignType != RSA || own.SignerID != "x" || len(own.PlatformKeys) != 2 || !own.PlatformKeys[0].Equal(mustPub(t, ks.pub)) {
		t.Errorf("With keeps: %+v", own)
	}
}

// TypedMethod: full names, their last parts, the couponConsume alias.
func TestTypedMethod(t *testing.T) {
	for name, want := range map[string]string{
		MethodCouponSend: MethodCouponSend, "couponSend": MethodCouponSend, "couponService.couponSend": MethodCouponSend,
		"shopoint.couponService.couponQuery": MethodCouponQuery, "couponQuery": MethodCouponQuery,
		"couponConsume": MethodCouponConsumeV1, "couponConsumeV1": MethodCouponConsumeV1, MethodCouponConsumeV1: MethodCouponConsumeV1,
		"": "", "Send": "", "couponsend": "", ".couponSend": "", "allinpay.shopoint.couponService.couponRefund": "", "couponService": "",
	} {
		if got := TypedMethod(name); got != want {
			t.Errorf("%q: %q, want %q", name, got, want)
		}
	}
}
