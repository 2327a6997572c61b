package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/transport"
	"github.com/tidwall/gjson"
)

// TestOneCallMethods runs the cashier flow through the JSON method surface
// (what the C ABI, C# and Delphi call) with transport.Send, against the
// sandbox.
func TestOneCallMethods(t *testing.T) {
	e := newEnv(t, "")
	reg := invoke.New(invoke.Options{Send: transport.Send})
	call := func(method string, req interface{}) gjson.Result {
		t.Helper()
		b, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		return gjson.ParseBytes(reg.Invoke(method, b))
	}
	seed := e.srv.seed
	read := func(name string) string {
		b, err := os.ReadFile(seed.File(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
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
	st := call("zvcms.call", map[string]interface{}{"session": sid, "action": ActionCouponStatus, "idempotent": true,
		"params": map[string]string{"user_coupon_id": coupon}})
	if st.Get("result.data.useStatus").Str != "1" {
		t.Fatalf("status: %s", st.Raw)
	}
	q := call("allinpay.call", map[string]interface{}{"session": sid, "method": MethodCouponQuery, "idempotent": true,
		"params": map[string]string{"couponNo": coupon}})
	if !q.Get("result.verified").Bool() || q.Get("result.data.status").Str != "1" {
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

// TestSM2AndSortedVerify: the seed's sign type and verify mode switch both
// sides (SM2 with the default signer id, sorted canonical reply content).
func TestSM2AndSortedVerify(t *testing.T) {
	seed, err := LoadSeed(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	seed.Allinpay.SignType, seed.Allinpay.Verify = "SM2", "sorted"
	// TEST ONLY: one SM2 test key plays merchant and platform here.
	seed.Allinpay.MerchantPublicKeyFile = "../allinpay/sm2_pub_spki.pem"
	seed.Allinpay.PlatformPrivateKeyFile = "../allinpay/sm2_pkcs8.pem"
	srv, err := NewServer(Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	key := func(name string) string {
		b, err := os.ReadFile(seed.File(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	priv, err := allinpay.ParsePrivateKey("privateKey", key("../allinpay/sm2_pkcs8.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := allinpay.ParsePublicKey("platformPublicKey", key("../allinpay/sm2_pub_spki.pem"))
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []allinpay.VerifyMode{allinpay.SortedCanonical, allinpay.RawMinusSign} {
		cl, err := allinpay.NewClient(allinpay.Config{AppID: seed.Allinpay.AppID, PrivateKey: priv, PlatformPublicKey: pub,
			GatewayURL: hs.URL + seed.Client.AllinpayPath, Verify: mode})
		if err != nil {
			t.Fatal(err)
		}
		req, err := cl.CouponSend(allinpay.CouponSendParams{ShopID: "1", OperUserID: "c", CouponType: "1", Num: "1",
			CouponTemplateID: "953", OrderID: "sm2-" + mode.String()}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		hc, _ := transport.New(transport.Options{})
		resp, err := hc.Do(context.Background(), transport.Request{URL: req.URL, ContentType: req.ContentType, Body: req.Body})
		if err != nil {
			t.Fatal(err)
		}
		res, err := cl.ParseCouponSendResponse(resp.Body)
		switch mode {
		case allinpay.SortedCanonical:
			if err != nil || len(res.List) != 1 || res.List[0].CouponNo == nil {
				t.Fatalf("SM2 sorted: %v %s", err, resp.Body)
			}
		default: // the reply was signed over the sorted form: raw verification must fail
			if err == nil || !strings.Contains(err.Error(), "SIGNATURE_INVALID") {
				t.Fatalf("raw verification of a sorted-signed reply: %v", err)
			}
		}
	}
}
