package zvcms

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/tidwall/gjson"
)

const knownToken = "sVBA7k7%2B4LzSP4Wi8pySv56CYkM%3D"

// seedVerifyParams are the Params of seed 000's request example.
func seedVerifyParams() VerifyParams {
	return VerifyParams{BizID: "paywewre121", CouponsCardList: []string{"390962138708451328"}, Type: TypeScanCode}
}

// seedDiscountParams are the Params of seed 001's request example.
func seedDiscountParams() DiscountParams {
	return DiscountParams{
		UserCouponID: "390913439370321921", UserID: "383933091455959041",
		Items:     []Item{{Num: 1, TradeMark: "201909280011111", Price: "1"}},
		MultiMark: "aEtGbNNVQ3m1YStlySDB0Q", CouponID: "953", TypeCate: DineIn, DiscountPrice: "1",
	}
}

func TestSeedVerifyRequestRebuilt(t *testing.T) {
	seed := fixture(t, "seed000_request.json")
	c := seedClient()
	c.CouponListStyle = ListString
	// The seed leaves customerId empty, which the rules allow only for
	// scanned codes (type=1); the seed also sends type "". Rebuild with
	// type=1, then compare with the seed's type set to "1" too.
	req, err := c.VerifyCoupons(seedVerifyParams(), seedStamp)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Replace(seed, []byte(`"type": ""`), []byte(`"type": "1"`), 1)
	jsonEqual(t, req.Body, want, "Token")
	if req.Token != knownToken || gjson.GetBytes(req.Body, "Token").Str != knownToken {
		t.Fatalf("Token %q, body %s", req.Token, req.Body)
	}
	if req.URL != DefaultBaseURL || req.ContentType != "application/json" || req.Action != ActionVerifyCoupons ||
		req.Timestamp != "1547186244" || req.Nonce != "658965" {
		t.Fatalf("request %+v", req)
	}

	// The generic builder with the seed's own Params reproduces it exactly.
	params := gjson.GetBytes(seed, "Params").Raw
	g, err := c.Build(ActionVerifyCoupons, []byte(params), seedStamp)
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, g.Body, seed, "Token")
	if !bytes.Contains(g.Body, []byte(`"Params":`+params+"}")) {
		t.Fatalf("Params not kept byte for byte: %s", g.Body)
	}
}

func TestSeedDiscountRequestRebuilt(t *testing.T) {
	seed := fixture(t, "seed001_request.json")
	c := seedClient()
	req, err := c.CouponDiscount(seedDiscountParams(), seedStamp)
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, req.Body, seed, "Token")
	if req.Token != knownToken {
		t.Fatalf("Token %q", req.Token)
	}
	p, err := c.DiscountParamsJSON(seedDiscountParams())
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, p, []byte(gjson.GetBytes(seed, "Params").Raw))
}

func TestBodyFieldOrder(t *testing.T) {
	c := seedClient()
	req, err := c.Build("coupon.user-coupon-list", []byte(` {"b":1,"a":[2]} `), seedStamp)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"OpenId":"6dc05b4ac175cf316d226252b05cf685","GrantCode":"782c281f62","Token":"` + knownToken +
		`","Timestamp":"1547186244","Nonce":"658965","Action":"coupon.user-coupon-list","Params":{"b":1,"a":[2]}}`
	if string(req.Body) != want {
		t.Fatalf("body\n got %s\nwant %s", req.Body, want)
	}
	// Empty params mean {}.
	req, err = c.Build("communal.user.identity", nil, seedStamp)
	if err != nil || !strings.HasSuffix(string(req.Body), `"Params":{}}`) {
		t.Fatalf("%v %s", err, req.Body)
	}
}

func TestVerifyParamsEmission(t *testing.T) {
	c := seedClient()
	p := VerifyParams{
		BizID: "pos-1-\"q\"", Channel: "门店", CustomerID: "383933091455959041", GroupID: "12",
		CouponsCardList: []string{"390962138708451328", "9007199254740993"},
		Ext:             Ext{ChannelType: ChannelPOS, MultiStoreID: "77", MultiStoreMark: "SH-01", OrderNo: "A\n1", Reason: "r"},
		TradeMarks:      []string{"a", "b"}, Amount: FenOf(0), OrderAmount: FenOf(2600),
	}
	got, err := c.VerifyParamsJSON(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"bizId":"pos-1-\"q\"","channel":"门店","customerId":"383933091455959041","groupId":"12",` +
		`"couponsCardList":["390962138708451328","9007199254740993"],"type":"",` +
		`"ext":{"channelType":"3","multiStoreId":"77","multiStoreMark":"SH-01","orderNo":"A\n1","reason":"r"},` +
		`"useCount":"","tradeMarks":["a","b"],"amount":"0","orderAmount":"2600"}`
	if string(got) != want {
		t.Fatalf("params\n got %s\nwant %s", got, want)
	}
	c.CouponListStyle = ListString
	got, _ = c.VerifyParamsJSON(p)
	if !bytes.Contains(got, []byte(`"couponsCardList":"[390962138708451328,9007199254740993]"`)) {
		t.Fatalf("string style: %s", got)
	}
	// The same through VerifyCoupons.
	req, err := c.VerifyCoupons(p, seedStamp)
	if err != nil || gjson.GetBytes(req.Body, "Params").Raw != string(got) {
		t.Fatalf("%v\n%s", err, req.Body)
	}
}

func TestStampFromClockAndNonce(t *testing.T) {
	c := seedClient()
	c.Now = func() time.Time { return time.Unix(1547186244, 999) }
	c.Nonce = func() string { return "658965" }
	c.BaseURL = "http://127.0.0.1:8080/api/v2"
	req, err := c.VerifyCoupons(seedVerifyParams(), Stamp{})
	if err != nil {
		t.Fatal(err)
	}
	if req.Token != knownToken || req.URL != c.BaseURL {
		t.Fatalf("%+v", req)
	}
	// An explicit field wins over the source.
	req, _ = c.Build("a.b", nil, Stamp{Nonce: "1"})
	if req.Nonce != "1" || req.Timestamp != "1547186244" {
		t.Fatalf("%+v", req)
	}
	// The default nonce: six digits, not constant.
	c.Nonce = nil
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		st, err := c.NewStamp(Stamp{})
		if err != nil || len(st.Nonce) != 6 || !jsontext.IsDigits(st.Nonce) || st.Nonce[0] == '0' {
			t.Fatalf("%v %q", err, st.Nonce)
		}
		seen[st.Nonce] = true
	}
	if len(seen) < 40 {
		t.Fatalf("default nonces repeat: %d distinct of 50", len(seen))
	}
	// A zero Now means the real clock.
	c.Now = nil
	st, _ := c.NewStamp(Stamp{})
	if len(st.Timestamp) != 10 {
		t.Fatalf("timestamp %q", st.Timestamp)
	}
}
