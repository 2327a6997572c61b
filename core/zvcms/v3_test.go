package zvcms

import (
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/tidwall/gjson"
)

func v3Params() VerifyParams {
	return VerifyParams{BizID: "paywewre121", CustomerID: "383933091455959041", CouponsCardList: []string{"390962138708451328"},
		Ext: Ext{ChannelType: ChannelPOS, MultiStoreMark: "SH-01"}, Amount: FenOf(500), OrderAmount: FenOf(2600),
		ThirdOrderNo: "MT-20190111-0001"}
}

// The v3 redemption: the page's envelope and path, the v2 Token.
func TestV3Verify(t *testing.T) {
	c := seedClient()
	c.VerifyAPI = V3
	req, err := c.VerifyCoupons(v3Params(), seedStamp)
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, req.Body, fixture(t, "v3_writeoff_request.json"), "token")
	if req.URL != "http://openapi.zvcms.com/v3/crm/coupon/writeOffCoupon" || req.Token != knownToken ||
		gjson.GetBytes(req.Body, "token").Str != knownToken || req.Action != ActionVerifyCoupons || req.Idempotent {
		t.Fatalf("%+v", req)
	}
	for _, v2 := range []string{"OpenId", "Action", "Params", "Token"} {
		if gjson.GetBytes(req.Body, v2).Exists() {
			t.Errorf("v2 member %s in a v3 body", v2)
		}
	}
	env, err := ParseRequestV3(req.Body)
	if err != nil || env.Action != "" || CheckToken(c.Credentials, env, LowerCamel) != nil {
		t.Fatalf("%+v %v", env, err)
	}
	p, err := ParseVerifyParams(env.Params)
	if err != nil || p.ThirdOrderNo != "MT-20190111-0001" || p.Ext.MultiStoreMark != "SH-01" {
		t.Fatalf("%+v %v", p, err)
	}
	// Every other action, and the generic Build of another action, stay v2.
	c.V3BaseURL = "http://127.0.0.1:8080/v3"
	st, _ := c.CouponStatus(CouponStatusParams{CustomerID: "1"}, seedStamp)
	if st.URL != DefaultBaseURL || !strings.HasPrefix(string(st.Body), `{"OpenId":`) || gjson.GetBytes(st.Body, "Action").Str != ActionCouponStatus {
		t.Fatalf("status under VerifyAPI v3: %s %s", st.URL, st.Body)
	}
	b, err := c.Build(ActionVerifyCoupons, []byte(`{"bizId":"x"}`), seedStamp)
	if err != nil || b.URL != "http://127.0.0.1:8080/v3/crm/coupon/writeOffCoupon" || !strings.HasSuffix(string(b.Body), `"params":{"bizId":"x"}}`) {
		t.Fatalf("generic build of the redemption: %s %s %v", b.URL, b.Body, err)
	}
	// Without thirdOrderNo the v3 params are the v2 ones.
	p2 := v3Params()
	p2.ThirdOrderNo = ""
	r3, _ := c.VerifyCoupons(p2, seedStamp)
	c.VerifyAPI = V2
	r2, _ := c.VerifyCoupons(p2, seedStamp)
	if gjson.GetBytes(r3.Body, "params").Raw != gjson.GetBytes(r2.Body, "Params").Raw || r3.Token != r2.Token {
		t.Fatalf("v3 and v2 params differ:\n%s\n%s", r3.Body, r2.Body)
	}
}

func TestV3Refusals(t *testing.T) {
	c := seedClient()
	_, err := c.VerifyCoupons(v3Params(), seedStamp)
	wantKind(t, err, errs.InvalidArgument, "Params.thirdOrderNo")
	_, err = c.VerifyParamsJSON(v3Params())
	wantKind(t, err, errs.InvalidArgument, "Params.thirdOrderNo")
	c.VerifyAPI = V3
	p := v3Params()
	p.ThirdOrderNo = "\xff"
	_, err = c.VerifyCoupons(p, seedStamp)
	wantKind(t, err, errs.InvalidArgument, "Params.thirdOrderNo")
	c.VerifyAPI = 7
	_, err = c.VerifyCoupons(v3Params(), seedStamp)
	wantKind(t, err, errs.InvalidArgument, "VerifyAPI")
	for _, tc := range []struct{ body, field string }{
		{`{"openId":"o","grantCode":"g","timestamp":"1","nonce":"1","params":{}}`, "token"},
		{`{"OpenId":"o","GrantCode":"g","Token":"t","Timestamp":"1","Nonce":"1","Action":"a","Params":{}}`, "openId"},
		{`{"openId":"o","grantCode":"g","token":"t","timestamp":"1","nonce":"1","params":[]}`, "params"},
	} {
		_, err := ParseRequestV3([]byte(tc.body))
		wantKind(t, err, errs.InvalidArgument, tc.field)
	}
	if _, err := ParseRequestV3([]byte(`[`)); errs.KindOf(err) != errs.InvalidJSON {
		t.Fatal(err)
	}
	for s, want := range map[string]APIVersion{"": V2, "v2": V2, "v3": V3} {
		if v, err := ParseAPIVersion("verifyApi", s); err != nil || v != want || (s != "" && v.String() != s) {
			t.Errorf("ParseAPIVersion(%q) = %v %v", s, v, err)
		}
	}
	_, err = ParseAPIVersion("verifyApi", "V3")
	wantKind(t, err, errs.InvalidArgument, "verifyApi")
}
