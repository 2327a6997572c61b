package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/transport"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/tidwall/gjson"
)

// caller returns a call of reg's methods with a request marshalled to JSON.
func caller(t *testing.T, reg *invoke.Registry) func(method string, req interface{}) gjson.Result {
	return func(method string, req interface{}) gjson.Result {
		t.Helper()
		b, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		return gjson.ParseBytes(reg.Invoke(method, b))
	}
}

// surfaceEnv starts a sandbox and returns it, a caller of the method
// surface with transport.Send, and a reader of the seed's files.
func surfaceEnv(t *testing.T) (*env, func(string, interface{}) gjson.Result, func(string) string) {
	e := newEnv(t, "")
	read := func(name string) string {
		b, err := os.ReadFile(e.srv.seed.File(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return e, caller(t, invoke.New(invoke.Options{Send: transport.Send})), read
}

// TestOneCallMethods runs the cashier flow through the JSON method surface
// (what the C ABI, C# and Delphi call) with transport.Send, against the
// sandbox.
func TestOneCallMethods(t *testing.T) {
	e, call, read := surfaceEnv(t)
	seed := e.srv.seed
	open := call("session.open", map[string]interface{}{
		"zvcms": map[string]string{"openId": seed.Zvcms.OpenID, "grantCode": seed.Zvcms.GrantCode, "openKey": seed.Zvcms.OpenKey,
			"baseUrl": e.hs.URL + seed.Client.ZvcmsPath},
		"allinpay": map[string]string{"appId": seed.Allinpay.AppID, "privateKey": read(seed.Client.MerchantPrivateKeyFile),
			"platformPublicKey": read(seed.Client.PlatformPublicKeyFile), "gatewayUrl": e.hs.URL + seed.Client.AllinpayPath},
	})
	sid := open.Get("result.session").Str
	if sid == "" {
		t.Fatalf("session.open: %s", open.Raw)
	}
	sent := call("allinpay.couponSend", map[string]interface{}{"session": sid, "params": map[string]string{
		"shopId": "1", "operUserId": "c1", "couponType": "1", "num": "1", "couponTemplateId": "307",
		"idType": "1", "memberId": "13800138000", "orderId": "invoke-1"}})
	coupon := sent.Get("result.list.0.couponNo").Str
	if len(coupon) != 18 || !sent.Get("result.verified").Bool() || sent.Get("result.list.0.templateId").Str != "307" {
		t.Fatalf("couponSend: %s", sent.Raw)
	}
	items := []map[string]string{{"num": "2", "trade_mark": "A", "price": "12.50"}, {"num": "1", "trade_mark": "B", "price": "3"}}
	disc := call("zvcms.couponDiscount", map[string]interface{}{"session": sid, "params": map[string]interface{}{
		"user_coupon_id": coupon, "user_id": member, "items": items}})
	if disc.Get("result.couponDiscountFen").Str != "500" || disc.Get("result.goodsItems.#").Int() != 2 {
		t.Fatalf("couponDiscount: %s", disc.Raw)
	}
	verify := func(biz string) gjson.Result {
		return call("zvcms.verifyCoupons", map[string]interface{}{"session": sid, "timeoutMs": 5000, "params": map[string]interface{}{
			"bizId": biz, "customerId": member, "couponsCardList": []string{coupon}, "amount": "500", "orderAmount": "2800"}})
	}
	if v := verify("inv-1"); v.Get("result.bizId").Str != "inv-1" || v.Get("result.cardIdList.0").Str != coupon {
		t.Fatalf("verify: %s", v.Raw)
	}
	if v := verify("inv-2"); v.Get("error.code").Str != "API_ERROR" || v.Get("error.vendorCode").Str != "40010" {
		t.Fatalf("second verify: %s", v.Raw)
	}
	st := call("zvcms.call", map[string]interface{}{"session": sid, "action": zvcms.ActionCouponStatus, "idempotent": true,
		"params": map[string]string{"customerId": member, "cardId": coupon}})
	if st.Get("result.data.useStatus").Str != "1" {
		t.Fatalf("status: %s", st.Raw)
	}
	q := call("allinpay.call", map[string]interface{}{"session": sid, "method": MethodCouponQuery, "idempotent": true,
		"params": map[string]string{"couponNo": coupon}})
	if !q.Get("result.verified").Bool() || q.Get("result.balance").Str != "0.00" {
		t.Fatalf("couponQuery: %s", q.Raw)
	}
	// Faults through the method surface.
	for fault, reason := range map[string]string{"status=503": "http_status", "truncate": "truncated", "drop": "reset"} {
		r := call("allinpay.call", map[string]interface{}{"session": sid, "method": MethodCouponQuery,
			"headers": map[string]string{FaultHeader: fault}, "params": map[string]string{"couponNo": coupon}})
		if r.Get("error.code").Str != "TRANSPORT_ERROR" || r.Get("error.reason").Str != reason {
			t.Errorf("%s: %s", fault, r.Raw)
		}
	}
	if c := e.srv.Counts(); c.Redemptions != 1 || len(c.Inconsistent) != 0 {
		t.Fatalf("counts %+v", c)
	}
}

// TestSandboxSignsEveryVariant: for RSA2 and SM2, every reply variant the
// sandbox can sign and both request profiles: a default (any) client's
// request is accepted, the reply verifies and names the variant; a client
// pinned to another variant refuses it.
func TestSandboxSignsEveryVariant(t *testing.T) {
	for _, st := range []string{"RSA2", "SM2"} {
		seed, err := LoadSeed(seedPath)
		if err != nil {
			t.Fatal(err)
		}
		merchantPriv, platformPub := "../allinpay/rsa2048_pkcs8.pem", "platform_rsa2048_pub_spki.pem"
		if st == "SM2" {
			// TEST ONLY: one SM2 test key plays merchant and platform here.
			seed.Allinpay.SignType = "SM2"
			seed.Allinpay.MerchantPublicKeyFile = "../allinpay/sm2_pub_spki.pem"
			seed.Allinpay.PlatformPrivateKeyFile = "../allinpay/sm2_pkcs8.pem"
			merchantPriv, platformPub = "../allinpay/sm2_pkcs8.pem", "../allinpay/sm2_pub_spki.pem"
		}
		key := func(name string) string {
			b, err := os.ReadFile(seed.File(name))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		priv, err := allinpay.ParsePrivateKey("privateKey", key(merchantPriv))
		if err != nil {
			t.Fatal(err)
		}
		pub, err := allinpay.ParsePublicKey("platformPublicKey", key(platformPub))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range allinpay.Variants() {
			for _, serverProfile := range []string{"", "rules", "sdk"} {
				srv, err := NewServer(Config{Seed: seed, ReplyVariant: string(v), RequestProfile: serverProfile})
				if err != nil {
					t.Fatal(err)
				}
				hs := httptest.NewServer(srv)
				for _, profile := range []allinpay.RequestProfile{allinpay.ProfileRules, allinpay.ProfileSDK} {
					client := func(mode allinpay.VerifyMode) *allinpay.Client {
						cl, err := allinpay.NewClient(allinpay.Config{AppID: seed.Allinpay.AppID, PrivateKey: priv,
							PlatformPublicKeys: []*allinpay.PublicKey{pub}, GatewayURL: hs.URL + seed.Client.AllinpayPath,
							Verify: mode, RequestProfile: profile})
						if err != nil {
							t.Fatal(err)
						}
						return cl
					}
					cl := client(allinpay.VerifyAny)
					label := st + " " + string(v) + " server:" + serverProfile + " client:" + string(profile)
					req, err := cl.CouponQuery(allinpay.CouponQueryParams{CouponNo: "390962138708451328"}, time.Time{})
					if err != nil {
						t.Fatal(err)
					}
					body := postForm(t, req)
					if serverProfile != "" && serverProfile != string(profile) {
						// A pinned server refuses the other profile.
						if _, err := cl.ParseCouponQueryResponse(body); errs.KindOf(err) != errs.APIError || !strings.Contains(string(body), "验签失败") {
							t.Fatalf("%s: other profile accepted: %v %s", label, err, body)
						}
						continue
					}
					res, err := cl.ParseCouponQueryResponse(body)
					if err != nil || res.VerifiedBy != v || res.KeyFingerprint != pub.Fingerprint() || res.CouponNo != "390962138708451328" {
						t.Fatalf("%s: %+v %v %s", label, res, err, body)
					}
					for _, other := range allinpay.Variants() {
						if other == v {
							continue
						}
						if _, err := client(allinpay.VerifyMode(other)).ParseCouponQueryResponse(body); errs.KindOf(err) != errs.SignatureInvalid {
							t.Fatalf("%s: pinned %s accepted it: %v", label, other, err)
						}
					}
				}
				hs.Close()
			}
		}
	}
}

// postForm posts a built request and returns the reply body.
func postForm(t *testing.T, req allinpay.Request) []byte {
	t.Helper()
	hc, _ := transport.New(transport.Options{})
	resp, err := hc.Do(context.Background(), transport.Request{URL: req.URL, ContentType: req.ContentType, Body: req.Body})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Body
}

// TestLifecycleThroughSurface runs the cashier's lifecycle through the JSON
// method surface (what C, C#, Delphi and the Go tests of the bindings call)
// against the sandbox returning its own bizIds: a lookup by code, verify,
// status 1, the reversal's documented errors (the bizId sent, an unknown
// one), the reversal with the returned bizId, status 0, a second reversal
// refused, verify again; an in-doubt verify resolved; a consumption with
// balance and points reversed.
func TestLifecycleThroughSurface(t *testing.T) {
	e := newEnvWith(t, Config{ReplyBizID: ReplyBizIDOwn}, nil)
	reg := invoke.New(invoke.Options{Send: transport.Send})
	call := caller(t, reg)
	must := func(method string, req interface{}) gjson.Result {
		t.Helper()
		r := call(method, req)
		if !r.Get("ok").Bool() {
			t.Fatalf("%s: %s", method, r.Raw)
		}
		return r.Get("result")
	}
	vendorErr := func(r gjson.Result, code string) {
		t.Helper()
		if r.Get("error.code").Str != "API_ERROR" || r.Get("error.vendorCode").Str != code {
			t.Fatalf("want API_ERROR %s, got %s", code, r.Raw)
		}
	}
	seed := e.srv.seed
	sid := must("session.open", map[string]interface{}{"zvcms": map[string]string{"openId": seed.Zvcms.OpenID, "grantCode": seed.Zvcms.GrantCode,
		"openKey": seed.Zvcms.OpenKey, "baseUrl": e.hs.URL + seed.Client.ZvcmsPath, "reversalAction": DefaultReversalAction}}).Get("session").Str
	with := func(params interface{}) map[string]interface{} {
		return map[string]interface{}{"session": sid, "timeoutMs": 5000, "params": params}
	}
	coupon := e.issue()
	code := e.srv.Coupon(coupon).Code
	status := func() string {
		t.Helper()
		r := must("zvcms.couponStatus", with(map[string]string{"customerId": member, "cardId": coupon}))
		if r.Get("coupons.#").Int() != 1 || r.Get("coupons.0.cardId").Str != coupon {
			t.Fatalf("status %s", r.Raw)
		}
		return r.Get("coupons.0.useStatus").Str
	}
	verify := func(biz string) gjson.Result {
		return call("zvcms.verifyCoupons", with(map[string]interface{}{"bizId": biz, "customerId": member, "couponsCardList": []string{coupon},
			"amount": "500", "orderAmount": "2800"}))
	}
	reverse := func(biz string) gjson.Result {
		return call("zvcms.reverse", with(map[string]interface{}{"bizId": biz, "couponsCardList": []string{coupon}, "extra": map[string]string{"reason": "void"}}))
	}

	off := must("zvcms.offCoupon", with(map[string]string{"code": code}))
	if off.Get("id").Str != coupon || off.Get("couponStatusName").Str != "unused" || off.Get("coupon.faceValue").Str != "5.00" {
		t.Fatalf("lookup by code %s", off.Raw)
	}
	det := must("zvcms.couponDetail", with(map[string]string{"userCouponCode": coupon}))
	if det.Get("id").Str != coupon || det.Get("customerName").Str != "张三" || !strings.Contains(det.Get("unknown").Raw, `"useStatus":"0"`) {
		t.Fatalf("detail %s", det.Raw)
	}
	v := verify("surface-1")
	returned := v.Get("result.bizId").Str
	if !v.Get("ok").Bool() || returned == "surface-1" || len(returned) != 18 {
		t.Fatalf("verify %s", v.Raw)
	}
	if s := status(); s != "1" {
		t.Fatalf("useStatus %s after the verify", s)
	}
	vendorErr(reverse("surface-1"), "40022")          // the bizId sent
	vendorErr(reverse("700000000000999999"), "40020") // unknown
	if r := reverse(returned); r.Get("result.bizId").Str != returned || r.Get("result.cardIdList.0").Str != coupon {
		t.Fatalf("reversal %s", r.Raw)
	}
	if s := status(); s != "0" {
		t.Fatalf("useStatus %s after the reversal", s)
	}
	vendorErr(reverse(returned), "40021")   // twice
	vendorErr(verify("surface-1"), "40024") // the reversed bizId is spent
	v2 := verify("surface-2")
	if !v2.Get("ok").Bool() || v2.Get("result.bizId").Str == returned || status() != "1" {
		t.Fatalf("verify again %s", v2.Raw)
	}

	// An in-doubt verify (the connection dropped after the commit) resolved.
	other := e.issue()
	params := map[string]interface{}{"bizId": "surface-3", "customerId": member, "couponsCardList": []string{other}, "amount": "500"}
	dropped := call("zvcms.verifyCoupons", map[string]interface{}{"session": sid, "headers": map[string]string{FaultHeader: "drop"}, "params": params})
	if dropped.Get("error.reason").Str != "reset" {
		t.Fatalf("dropped %s", dropped.Raw)
	}
	res := must("zvcms.resolveVerify", with(params))
	if res.Get("outcome").Str != "verified" || res.Get("coupons.0.status").Str != "1" || !res.Get("repeated").Bool() ||
		len(res.Get("bizId").Str) != 18 || res.Get("bizId").Str != res.Get("verify.bizId").Str {
		t.Fatalf("resolve %s", res.Raw)
	}
	if r := reverse(res.Get("bizId").Str); r.Get("error.vendorCode").Str != "40023" { // other coupons than that verify's
		t.Fatalf("reversal with other coupons %s", r.Raw)
	}

	// Coupons, balance and points in one consumption, reversed.
	third := e.issue()
	con := must("zvcms.consume", with(map[string]interface{}{"bizId": "surface-4", "customerId": member, "couponsCardList": []string{third},
		"amountFen": 1250, "points": 100, "payPassword": "123456"}))
	if m := e.member(); con.Get("bizId").Str == "surface-4" || m.Balance != "87.50" || m.Points != 400 || strings.Contains(con.Raw, "123456") {
		t.Fatalf("consume %s, member %+v", con.Raw, m)
	}
	rr := must("zvcms.reverse", with(map[string]interface{}{"bizId": con.Get("bizId").Str}))
	if m := e.member(); rr.Get("bizId").Str != con.Get("bizId").Str || m.Balance != "100.00" || m.Points != 500 {
		t.Fatalf("consume reversal %s, member %+v", rr.Raw, m)
	}
	c := e.srv.Counts()
	if c.Reversals != 2 || len(c.RedeemedTwice) != 0 || len(c.Inconsistent) != 0 {
		t.Fatalf("counts %+v", c)
	}
}

// TestAllinpayLifecycleThroughSurface runs couponQuery and couponConsume
// through the JSON method surface against the sandbox (sdk+md5 replies):
// a coupon issued, looked up (typed, verifiedBy and the key's fingerprint),
// redeemed, the redemption repeated with the same orderId (the original
// result, no second redemption), the orderId reused for another coupon
// refused, the coupon's balance 0.00 after; the passwd travels in the body
// only; allinpay.diagnose on the sandbox's own reply names its variant.
func TestAllinpayLifecycleThroughSurface(t *testing.T) {
	e, call, read := surfaceEnv(t)
	seed := e.srv.seed
	platform := read(seed.Client.PlatformPublicKeyFile)
	pub, err := allinpay.ParsePublicKey("platformPublicKey", platform)
	if err != nil {
		t.Fatal(err)
	}
	merchant := read(seed.Client.MerchantPrivateKeyFile)
	priv, err := allinpay.ParsePrivateKey("privateKey", merchant)
	if err != nil {
		t.Fatal(err)
	}
	// Two platform keys, the new one first (a rotation prepared): the reply
	// verifies with the sandbox's and names it.
	open := call("session.open", map[string]interface{}{"allinpay": map[string]interface{}{"appId": seed.Allinpay.AppID, "privateKey": merchant,
		"platformPublicKey": []string{read("../allinpay/rsa1024_pub_spki.pem"), platform}, "gatewayUrl": e.hs.URL + seed.Client.AllinpayPath}})
	sid := open.Get("result.session").Str
	if sid == "" {
		t.Fatalf("session.open: %s", open.Raw)
	}
	sent := call("allinpay.couponSend", map[string]interface{}{"session": sid, "params": map[string]string{
		"shopId": seed.Allinpay.ShopID, "operUserId": "c1", "couponType": "1", "num": "2", "couponTemplateId": "953",
		"idType": "1", "memberId": "13800138000", "orderId": "surface-send-1"}})
	c1, c2 := sent.Get("result.list.0.couponNo").Str, sent.Get("result.list.1.couponNo").Str
	if c1 == "" || c2 == "" {
		t.Fatalf("couponSend: %s", sent.Raw)
	}
	q := call("allinpay.couponQuery", map[string]interface{}{"session": sid, "params": map[string]string{"couponNo": c1}})
	if q.Get("result.verifiedBy").Str != "sdk+md5" || q.Get("result.keyFingerprint").Str != pub.Fingerprint() ||
		q.Get("result.couponNo").Str != c1 || q.Get("result.templateId").Str != "953" || q.Get("result.balance").Str != "1.00" ||
		q.Get("result.initAmount").Str != "1.00" || q.Get("result.couponType").Str != "0" || q.Get("result.validityEndDate").Type != gjson.String {
		t.Fatalf("couponQuery: %s", q.Raw)
	}
	const pw = "ZW5jcnlwdGVkLXBhc3N3ZA=="
	consume := func(order string, coupon string) gjson.Result {
		return call("allinpay.couponConsume", map[string]interface{}{"session": sid, "params": map[string]interface{}{
			"shopId": seed.Allinpay.ShopID, "operUserId": "c1", "orderId": order,
			"couponConsumeList": []map[string]interface{}{{"couponNo": coupon, "consumeAmount": 1, "passwd": pw}}}})
	}
	first := consume("surface-consume-1", c1)
	tranNo := first.Get("result.tranNo").Str
	if tranNo == "" || first.Get("result.verifiedBy").Str != "sdk+md5" || first.Get("result.orgName").Str != seed.Allinpay.ShopName ||
		first.Get("result.couponConsumeDetail.0.couponNo").Str != c1 || first.Get("result.couponConsumeDetail.0.financeList.0.accountValue").Str != "1.00" {
		t.Fatalf("couponConsume: %s", first.Raw)
	}
	if strings.Contains(first.Raw, pw) {
		t.Fatalf("the passwd is in the reply: %s", first.Raw)
	}
	// Repeated (an unknown outcome resolved): the first result, once.
	if again := consume("surface-consume-1", c1); again.Get("result.tranNo").Str != tranNo {
		t.Fatalf("repeated consume: %s, first %s", again.Raw, first.Raw)
	}
	if other := consume("surface-consume-1", c2); other.Get("error.code").Str != "API_ERROR" || other.Get("error.vendorMessage").Str != "外部核券订单号重复" {
		t.Fatalf("orderId reused: %s", other.Raw)
	}
	if q := call("allinpay.couponQuery", map[string]interface{}{"session": sid, "params": map[string]string{"couponNo": c1}}); q.Get("result.balance").Str != "0.00" {
		t.Fatalf("couponQuery after: %s", q.Raw)
	}
	if c := e.srv.Counts(); c.Redemptions != 1 || len(c.Inconsistent) != 0 {
		t.Fatalf("counts %+v", c)
	}
	// The built request: the body carries the passwd once, no other member.
	built := call("allinpay.couponConsume.request", map[string]interface{}{"session": sid, "params": map[string]interface{}{
		"shopCode": seed.Allinpay.ShopCode, "operUserId": "c1", "orderId": "surface-consume-2",
		"couponConsumeList": []map[string]interface{}{{"couponNo": c2, "consumeAmount": "1", "passwd": pw, "principalAmt": json.Number("1.50")}}}})
	form, err := url.ParseQuery(built.Get("result.body").Str)
	if err != nil || gjson.Get(form.Get("bizContent"), "couponConsumeList.0.passwd").Str != pw ||
		gjson.Get(form.Get("bizContent"), "couponConsumeList.0.principalAmt").Raw != "1.50" || built.Get("result.profile").Str != "rules" {
		t.Fatalf("couponConsume.request: %v %s", err, built.Raw)
	}
	if n := strings.Count(strings.Replace(built.Raw, built.Get("result.body").Raw, "", 1), pw); n != 0 || !strings.Contains(built.Get("result.signContent").Str, `"passwd":"[redacted]"`) {
		t.Fatalf("the passwd is outside the body (%d times): %s", n, built.Raw)
	}
	// The same reply parsed by allinpay.response with method, and diagnosed.
	cl, err := allinpay.NewClient(allinpay.Config{AppID: seed.Allinpay.AppID, PrivateKey: priv, PlatformPublicKeys: []*allinpay.PublicKey{pub},
		GatewayURL: e.hs.URL + seed.Client.AllinpayPath})
	if err != nil {
		t.Fatal(err)
	}
	req, err := cl.CouponQuery(allinpay.CouponQueryParams{CouponNo: c2}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	body := string(postForm(t, req))
	typed := call("allinpay.response", map[string]interface{}{"session": sid, "method": "couponQuery", "body": body})
	if typed.Get("result.couponNo").Str != c2 || typed.Get("result.verifiedBy").Str != "sdk+md5" {
		t.Fatalf("allinpay.response couponQuery: %s", typed.Raw)
	}
	d := call("allinpay.diagnose", map[string]interface{}{"body": body, "platformPublicKey": platform, "request": string(req.Body)})
	if !d.Get("result.verified").Bool() || d.Get("result.verifyMode").Str != "sdk+md5" || d.Get("result.variants.#").Int() != 4 ||
		!d.Get("result.variants.0.verified").Bool() || d.Get("result.variants.2.verified").Bool() ||
		!strings.Contains(d.Get("result.conclusion").Str, `set verifyMode "sdk+md5"`) || d.Get("result.request.method").Str != allinpay.MethodCouponQuery {
		t.Fatalf("diagnose: %s", d.Raw)
	}
	if os.Getenv("COUPONKIT_SHOW_DIAGNOSE") != "" {
		t.Logf("allinpay.diagnose of a sandbox reply: %s", d.Get("result").Raw)
	}
}
