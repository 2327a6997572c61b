package invoke

import (
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/tidwall/gjson"
)

// keylessZvcms is the inline zvcms credentials object without the openKey.
func keylessZvcms() string {
	return strings.Replace(zvcmsCreds(), `"openKey":"`+testOpenKey+`",`, "", 1)
}

// keylessAllinpay is the inline Allinpay keys object without the private key.
func keylessAllinpay(t testing.TB) string {
	return `{"appId":"` + testAppID + `","platformPublicKey":` + q(platformPub(t)) + `,"gatewayUrl":"http://127.0.0.1:8080/allinpay/gateway"}`
}

// open opens a session with the given members and returns its id.
func open(t *testing.T, r *Registry, members string) string {
	t.Helper()
	return ok(t, r.Invoke("session.open", []byte(`{`+members+`}`))).Get("session").Str
}

// A request built in a keyless session with a stamp the back office issued
// is byte for byte the one built with the openKey at the same timestamp and
// nonce, for every zvcms .request method; the sandbox's side of the protocol
// (zvcms.CheckToken) accepts it.
func TestKeylessZvcmsStampedEqualsKeyed(t *testing.T) {
	r := New(Options{}) // the real clock and nonces: the stamp fixes both
	office := open(t, r, `"zvcms":`+zvcmsCreds())
	page := open(t, r, `"zvcms":`+keylessZvcms())
	if strings.Contains(keylessZvcms(), testOpenKey) || !strings.Contains(zvcmsCreds(), testOpenKey) {
		t.Fatal("the keyless credentials are not the keyed ones without the openKey")
	}
	cases := []struct{ method, members string }{
		{"zvcms.verifyCoupons.request", `"params":` + verifyParamsJSON("")},
		{"zvcms.couponDiscount.request", `"params":{"user_coupon_id":"1","user_id":"2","items":[{"num":1,"trade_mark":"a","price":"1"}]}`},
		{"zvcms.couponStatus.request", `"params":{"customerId":"383933091455959041"}`},
		{"zvcms.offCoupon.request", `"params":{"code":"20191202089026199489"}`},
		{"zvcms.couponDetail.request", `"params":{"userCouponCode":"390913445498200065"}`},
		{"zvcms.consume.request", `"params":{"bizId":"b-1","customerId":"383933091455959041","amountFen":1250}`},
		{"zvcms.request", `"action":"user.coupon-new-status","params":{"customerId":"1"}`},
	}
	for _, c := range cases {
		stamp := ok(t, r.Invoke("zvcms.stamp", []byte(`{"session":"`+office+`"}`)))
		ts, nonce, token := stamp.Get("timestamp").Str, stamp.Get("nonce").Str, stamp.Get("token").Str
		if ts == "" || nonce == "" || token == "" || len(stamp.Map()) != 3 {
			t.Fatalf("zvcms.stamp: %s", stamp.Raw)
		}
		keyed := ok(t, r.Invoke(c.method, []byte(`{"session":"`+office+`","timestamp":"`+ts+`","nonce":"`+nonce+`",`+c.members+`}`)))
		stamped := ok(t, r.Invoke(c.method, []byte(`{"session":"`+page+`","stamp":`+stamp.Raw+`,`+c.members+`}`)))
		if stamped.Raw != keyed.Raw {
			t.Errorf("%s:\n stamped %s\n keyed   %s", c.method, stamped.Raw, keyed.Raw)
		}
		env, err := zvcms.ParseRequest([]byte(stamped.Get("body").Str))
		if err != nil {
			t.Fatal(err)
		}
		if err := zvcms.CheckToken(zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: testOpenKey}, env, zvcms.LowerCamel); err != nil {
			t.Errorf("%s: the server refuses the stamped request: %v", c.method, err)
		}
		if strings.Contains(stamped.Raw, testOpenKey) {
			t.Errorf("%s: the openKey is in the reply", c.method)
		}
	}
	// The back office may fix the timestamp and nonce; the token is the one
	// zvcms.token computes (a known answer checked in the zvcms tests).
	fixedStamp := ok(t, r.Invoke("zvcms.stamp", []byte(`{"session":"`+office+`","timestamp":1547186244,"nonce":"658965"}`)))
	tok := ok(t, r.Invoke("zvcms.token", []byte(`{"session":"`+office+`","timestamp":1547186244,"nonce":"658965"}`)))
	if fixedStamp.Get("token").Str != tok.Get("token").Str || fixedStamp.Get("timestamp").Str != "1547186244" || fixedStamp.Get("nonce").Str != "658965" {
		t.Errorf("zvcms.stamp %s, zvcms.token %s", fixedStamp.Raw, tok.Raw)
	}
}

// Keyless zvcms refusals name the field.
func TestKeylessZvcmsRefusals(t *testing.T) {
	r := New(Options{})
	office := open(t, r, `"zvcms":`+zvcmsCreds())
	page := open(t, r, `"zvcms":`+keylessZvcms())
	stamp := ok(t, r.Invoke("zvcms.stamp", []byte(`{"session":"`+office+`","timestamp":"1547186244","nonce":"658965"}`))).Raw
	p := `"params":` + verifyParamsJSON("")
	other := strings.Replace(stamp, `"658965"`, `"658966"`, 1) // the token of another nonce
	cases := []struct {
		name, method, req string
		code              errs.Kind
		field             string
	}{
		{"no stamp", "zvcms.verifyCoupons.request", `{"session":"` + page + `",` + p + `}`, errs.InvalidArgument, "stamp"},
		{"no stamp, inline", "zvcms.couponStatus.request", `{"zvcms":` + keylessZvcms() + `,"params":{"customerId":"1"}}`, errs.InvalidArgument, "stamp"},
		{"no stamp, timestamp and nonce", "zvcms.request", `{"session":"` + page + `","action":"a.b","timestamp":"1547186244","nonce":"1"}`, errs.InvalidArgument, "stamp"},
		{"stamp and nonce", "zvcms.verifyCoupons.request", `{"session":"` + page + `","nonce":"1","stamp":` + stamp + `,` + p + `}`, errs.InvalidArgument, "stamp"},
		{"stamp without token", "zvcms.verifyCoupons.request", `{"session":"` + page + `","stamp":{"timestamp":"1","nonce":"1"},` + p + `}`, errs.InvalidArgument, "stamp.token"},
		{"stamp without nonce", "zvcms.verifyCoupons.request", `{"session":"` + page + `","stamp":{"timestamp":"1","token":"x"},` + p + `}`, errs.InvalidArgument, "stamp.nonce"},
		{"bad token", "zvcms.verifyCoupons.request", `{"session":"` + page + `","stamp":{"timestamp":"1","nonce":"1","token":"abc\"}"},` + p + `}`, errs.InvalidArgument, "stamp.token"},
		{"token with +", "zvcms.verifyCoupons.request", `{"session":"` + page + `","stamp":{"timestamp":"1","nonce":"1","token":"ZmZmZmZmZmZmZmZmZmZmZmZmZm+="},` + p + `}`, errs.InvalidArgument, "stamp.token"},
		{"bad stamp timestamp", "zvcms.verifyCoupons.request", `{"session":"` + page + `","stamp":{"timestamp":"-1","nonce":"1","token":"ZmZmZmZmZmZmZmZmZmZmZmZmZmY%3D"},` + p + `}`, errs.InvalidArgument, "stamp.timestamp"},
		{"token of another stamp, keyed", "zvcms.verifyCoupons.request", `{"session":"` + office + `","stamp":` + other + `,` + p + `}`, errs.KeyError, "stamp.token"},
		{"zvcms.token keyless", "zvcms.token", `{"session":"` + page + `"}`, errs.KeyError, "session"},
		{"zvcms.stamp keyless", "zvcms.stamp", `{"zvcms":` + keylessZvcms() + `}`, errs.KeyError, "zvcms.openKey"},
		{"zvcms.stamp, bad nonce", "zvcms.stamp", `{"session":"` + office + `","nonce":"x"}`, errs.InvalidArgument, "nonce"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := fails(t, r.Invoke(c.method, []byte(c.req)), c.code, c.field)
			if strings.Contains(e.Raw, testOpenKey) {
				t.Errorf("the openKey is in the error: %s", e.Raw)
			}
		})
	}
	// The same stamp in the keyed session is accepted (its token matches).
	ok(t, r.Invoke("zvcms.verifyCoupons.request", []byte(`{"session":"`+office+`","stamp":`+stamp+`,`+p+`}`)))
}

// A keyless Allinpay request is unsigned with the exact signContent; the back
// office's signature attached (allinpay.attachSign or sign on the .request
// method) gives byte for byte the body of keys with the private key.
func TestKeylessAllinpayAttachEqualsSigned(t *testing.T) {
	r := fixed()
	office := open(t, r, `"allinpay":`+allinpayCreds(t))
	page := open(t, r, `"allinpay":`+keylessAllinpay(t))
	cases := []struct{ method, members string }{
		{"allinpay.couponSend.request", `"params":{"shopId":"1","operUserId":"1","couponType":"1","num":10,"couponTemplateId":307,"orderId":"o-1","extendInfo":{"buyerType": "个人"}}`},
		{"allinpay.request", `"method":"allinpay.shopoint.couponService.couponQuery","params":{"couponNo":"1234 5678&x=y"}`},
		{"allinpay.couponQuery.request", `"params":{"couponNo":"496996143645800001"}`},
		// the passwd is redacted in a signed request's params, not in an unsigned one's (the back office signs it)
		{"allinpay.couponConsume.request", `"params":{"shopId":"1","operUserId":"c1","orderId":"consume-0001","couponConsumeList":[{"couponNo":"496996143645800001",` +
			`"consumeAmount":1,"passwd":"ZW5jcnlwdGVkLXBhc3N3ZA==","principalAmt":"1.00","stlmShopList":[{"stlmShopId":"1","stlmAmount":"1.00"}]}]}`},
	}
	for _, c := range cases {
		signed := ok(t, r.Invoke(c.method, []byte(`{"session":"`+office+`",`+c.members+`}`)))
		unsigned := ok(t, r.Invoke(c.method, []byte(`{"session":"`+page+`",`+c.members+`}`)))
		if !unsigned.Get("unsigned").Bool() || unsigned.Get("body").Str != "" || unsigned.Get("sign").Str != "" || signed.Get("unsigned").Bool() {
			t.Fatalf("%s: keyless reply %s", c.method, unsigned.Raw)
		}
		consume := c.method == "allinpay.couponConsume.request"
		if consume {
			// the signed result redacts the passwd; the unsigned one (keyless) keeps it for the back office
			if !strings.Contains(unsigned.Get("signContent").Str, "ZW5jcnlwdGVkLXBhc3N3ZA==") || strings.Contains(signed.Raw, "ZW5jcnlwdGVkLXBhc3N3ZA==\"") ||
				!strings.Contains(signed.Get("body").Str, "ZW5jcnlwdGVkLXBhc3N3ZA") {
				t.Fatalf("passwd: unsigned %s\nsigned %s", unsigned.Raw, signed.Raw)
			}
		} else if unsigned.Get("signContent").Str != signed.Get("signContent").Str || unsigned.Get("signedFields").Raw != signed.Get("signedFields").Raw {
			t.Errorf("%s: signContent %q, signed %q", c.method, unsigned.Get("signContent").Str, signed.Get("signContent").Str)
		}
		sig := ok(t, r.Invoke("allinpay.sign", []byte(`{"session":"`+office+`","signContent":`+q(unsigned.Get("signContent").Str)+`}`)))
		if sig.Get("sign").Str != signed.Get("sign").Str || sig.Get("signType").Str != "RSA2" || consume && sig.Get("signContent").Str != unsigned.Get("signContent").Str {
			t.Errorf("%s: allinpay.sign %s, the signed request's sign %s", c.method, sig.Raw, signed.Get("sign").Str)
		}
		byParams := ok(t, r.Invoke("allinpay.sign", []byte(`{"session":"`+office+`","params":`+unsigned.Get("params").Raw+`}`)))
		if byParams.Get("sign").Str != sig.Get("sign").Str || byParams.Get("signContent").Str != unsigned.Get("signContent").Str {
			t.Errorf("%s: allinpay.sign by params %s, by signContent %s", c.method, byParams.Raw, sig.Raw)
		}
		attached := ok(t, r.Invoke("allinpay.attachSign", []byte(`{"session":"`+page+`","params":`+unsigned.Get("params").Raw+`,"sign":`+q(sig.Get("sign").Str)+`}`)))
		viaRequest := ok(t, r.Invoke(c.method, []byte(`{"session":"`+page+`","sign":`+q(sig.Get("sign").Str)+`,`+c.members+`}`)))
		for name, got := range map[string]gjson.Result{"attachSign": attached, ".request with sign": viaRequest} {
			if got.Raw != signed.Raw {
				t.Errorf("%s, %s:\n got    %s\n signed %s", c.method, name, got.Raw, signed.Raw)
			}
		}
		// The platform's key alone verifies replies in the keyless session.
		body := platformReply(t, `{"code":"0","msg":"ok","data":{}}`)
		ok(t, r.Invoke("allinpay.response", []byte(`{"session":"`+page+`","body":`+q(body)+`}`)))
		fails(t, r.Invoke("allinpay.response", []byte(`{"session":"`+page+`","body":`+q(strings.Replace(body, "ok", "OK", 1))+`}`)), errs.SignatureInvalid, "*")
	}
}

// Keyless Allinpay refusals name the field.
func TestKeylessAllinpayRefusals(t *testing.T) {
	r := fixed()
	office := open(t, r, `"allinpay":`+allinpayCreds(t))
	page := open(t, r, `"allinpay":`+keylessAllinpay(t))
	params := `[{"key":"appId","value":"a"},{"key":"method","value":"m"}]`
	cases := []struct {
		name, method, req string
		code              errs.Kind
		field             string
	}{
		{"sign keyless", "allinpay.sign", `{"session":"` + page + `","signContent":"a=b"}`, errs.KeyError, "allinpay.privateKey"},
		{"sign empty", "allinpay.sign", `{"session":"` + office + `","signContent":""}`, errs.InvalidArgument, "signContent"},
		{"sign params and content", "allinpay.sign", `{"session":"` + office + `","signContent":"a=b","params":` + params + `}`, errs.InvalidArgument, "params"},
		{"sign params of another appId", "allinpay.sign", `{"session":"` + office + `","params":[{"key":"appId","value":"other"},{"key":"method","value":"m"},{"key":"signType","value":"RSA2"}]}`, errs.InvalidArgument, "params[0]"},
		{"sign params of another signType", "allinpay.sign", `{"session":"` + office + `","params":[{"key":"appId","value":"` + testAppID + `"},{"key":"method","value":"m"},{"key":"signType","value":"SM2"}]}`, errs.InvalidArgument, "params[2]"},
		{"sign params without method", "allinpay.sign", `{"session":"` + office + `","params":[{"key":"appId","value":"` + testAppID + `"},{"key":"signType","value":"RSA2"}]}`, errs.InvalidArgument, "params"},
		{"sign params twice", "allinpay.sign", `{"session":"` + office + `","params":[{"key":"appId","value":"` + testAppID + `"},{"key":"appId","value":"` + testAppID + `"}]}`, errs.InvalidArgument, "params[1]"},
		{"sign params signed", "allinpay.sign", `{"session":"` + office + `","params":[{"key":"sign","value":"x"}]}`, errs.InvalidArgument, "params[0]"},
		{"sign params keyless", "allinpay.sign", `{"session":"` + page + `","params":[{"key":"appId","value":"` + testAppID + `"}]}`, errs.KeyError, "allinpay.privateKey"},
		{"attach keyed", "allinpay.attachSign", `{"session":"` + office + `","params":` + params + `,"sign":"AAAA"}`, errs.InvalidArgument, "sign"},
		{"attach no sign", "allinpay.attachSign", `{"session":"` + page + `","params":` + params + `}`, errs.InvalidArgument, "sign"},
		{"attach bad base64", "allinpay.attachSign", `{"session":"` + page + `","params":` + params + `,"sign":"AA A"}`, errs.InvalidArgument, "sign"},
		{"attach empty params", "allinpay.attachSign", `{"session":"` + page + `","params":[],"sign":"AAAA"}`, errs.InvalidArgument, "params"},
		{"attach signed params", "allinpay.attachSign", `{"session":"` + page + `","params":[{"key":"sign","value":"AAAA"}],"sign":"AAAA"}`, errs.InvalidArgument, "params[0]"},
		{"sign on a keyed request", "allinpay.request", `{"session":"` + office + `","method":"m","sign":"AAAA"}`, errs.InvalidArgument, "sign"},
		{"bad sign on a keyless request", "allinpay.request", `{"session":"` + page + `","method":"m","sign":"*"}`, errs.InvalidArgument, "sign"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { fails(t, r.Invoke(c.method, []byte(c.req)), c.code, c.field) })
	}
}

// A keyless session holds no secret: neither the openKey nor a private key.
func TestKeylessSessionHoldsNoSecret(t *testing.T) {
	r := fixed()
	res := ok(t, r.Invoke("session.open", []byte(`{"zvcms":`+keylessZvcms()+`,"allinpay":`+keylessAllinpay(t)+`}`)))
	if !res.Get("zvcms").Bool() || !res.Get("allinpay").Bool() {
		t.Fatalf("session.open %s", res.Raw)
	}
	s := r.sessions[res.Get("session").Str]
	if s == nil || s.zv == nil || s.ap == nil {
		t.Fatal("no session")
	}
	if s.zv.OpenKey != "" || !s.zv.Keyless() || s.ap.Config().PrivateKey != nil || !s.ap.Keyless() {
		t.Errorf("the keyless session holds a secret: openKey %t, private key %t", s.zv.OpenKey != "", s.ap.Config().PrivateKey != nil)
	}
	// A keyed one does (the test would notice a check that cannot fail).
	keyed := r.sessions[openSession(t, r)]
	if keyed.zv.OpenKey != testOpenKey || keyed.ap.Config().PrivateKey == nil || keyed.zv.Keyless() || keyed.ap.Keyless() {
		t.Error("the keyed session lost its keys")
	}
}

// platformReply is body signed with the sandbox platform's key.
func platformReply(t *testing.T, body string) string {
	t.Helper()
	platform, err := allinpay.ParsePrivateKey("p", platformKey(t))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := allinpay.SignResponse([]byte(body), platform, allinpay.RSA2, "", allinpay.RawMinusSign)
	if err != nil {
		t.Fatal(err)
	}
	return string(signed)
}
