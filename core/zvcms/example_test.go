package zvcms_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/zvcms"
)

func ExampleToken() {
	c := zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key"}
	fmt.Println(zvcms.SignContent(c, "1547186244", "658965", zvcms.LowerCamel))
	fmt.Println(zvcms.Token(c, "1547186244", "658965", zvcms.LowerCamel))
	// Output:
	// grantCode=782c281f62&nonce=658965&openId=6dc05b4ac175cf316d226252b05cf685&timestamp=1547186244
	// sVBA7k7%2B4LzSP4Wi8pySv56CYkM%3D
}

func ExampleClient_VerifyCoupons() {
	client := zvcms.Client{
		Credentials: zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key"},
		// Injected clock and nonce source; a zero Stamp below uses them.
		Now:   func() time.Time { return time.Unix(1547186244, 0) },
		Nonce: func() string { return "658965" },
	}
	req, err := client.VerifyCoupons(zvcms.VerifyParams{
		BizID:           "pos-20190111-0001",
		CustomerID:      "383933091455959041",
		CouponsCardList: []string{"390962138708451328"},
		Ext:             zvcms.Ext{ChannelType: zvcms.ChannelPOS, MultiStoreMark: "SH-01"},
		Amount:          zvcms.FenOf(500),
		OrderAmount:     zvcms.FenOf(2600),
	}, zvcms.Stamp{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("POST", req.URL, req.ContentType)
	fmt.Println(string(req.Body))
	// Output:
	// POST http://openapi.zvcms.com/api/v2 application/json
	// {"OpenId":"6dc05b4ac175cf316d226252b05cf685","GrantCode":"782c281f62","Token":"sVBA7k7%2B4LzSP4Wi8pySv56CYkM%3D","Timestamp":"1547186244","Nonce":"658965","Action":"communal.user.coupons-vertify","Params":{"bizId":"pos-20190111-0001","channel":"","customerId":"383933091455959041","groupId":"","couponsCardList":["390962138708451328"],"type":"","ext":{"channelType":"3","multiStoreId":"","multiStoreMark":"SH-01","orderNo":"","reason":""},"useCount":"","tradeMarks":"","amount":"500","orderAmount":"2600"}}
}

func ExampleClient_CouponDiscount() {
	client := zvcms.Client{Credentials: zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key"}}
	req, err := client.CouponDiscount(zvcms.DiscountParams{
		UserCouponID: "390913439370321921",
		UserID:       "383933091455959041",
		Items:        []zvcms.Item{{Num: 2, TradeMark: "201909280011111", Price: "12.50"}},
		TypeCate:     zvcms.DineIn,
	}, zvcms.Stamp{Timestamp: "1547186244", Nonce: "658965"}) // explicit, reproducible
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.Token)
	fmt.Println(string(req.Body))
	// Output:
	// sVBA7k7%2B4LzSP4Wi8pySv56CYkM%3D
	// {"OpenId":"6dc05b4ac175cf316d226252b05cf685","GrantCode":"782c281f62","Token":"sVBA7k7%2B4LzSP4Wi8pySv56CYkM%3D","Timestamp":"1547186244","Nonce":"658965","Action":"user.user-by-coupon","Params":{"user_coupon_id":"390913439370321921","user_id":"383933091455959041","items":[{"num":"2","trade_mark":"201909280011111","price":"12.50"}],"multi_mark":"","coupon_id":"","type_cate":"1","discount_price":"","type":"","coupon_code":"","usage_scenarios":""}}
}

func ExampleClient_Build() {
	client := zvcms.Client{
		Credentials: zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key"},
		BaseURL:     "http://127.0.0.1:8080/api/v2",
	}
	// Any action, any params: the params bytes are sent as they are (here
	// the status query, which also has its typed builder CouponStatus).
	req, err := client.Build("user.coupon-new-status", []byte(`{"customerId":"383933091455959041","cardId":"390962138708451328"}`),
		zvcms.Stamp{Timestamp: "1547186244", Nonce: "658965"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(req.URL, "idempotent:", req.Idempotent)
	fmt.Println(string(req.Body))
	// Output:
	// http://127.0.0.1:8080/api/v2 idempotent: true
	// {"OpenId":"6dc05b4ac175cf316d226252b05cf685","GrantCode":"782c281f62","Token":"sVBA7k7%2B4LzSP4Wi8pySv56CYkM%3D","Timestamp":"1547186244","Nonce":"658965","Action":"user.coupon-new-status","Params":{"customerId":"383933091455959041","cardId":"390962138708451328"}}
}

func ExampleParseVerifyResponse() {
	body := []byte(`{"status":"true","code":"0","message":"说明","data":{"bizId":"paywewre121","cardIdList":"[390962138708451328]","userInfo":{"customer_id":383933091455959041,"nickname":"小张"}}}`)
	res, err := zvcms.ParseVerifyResponse(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("reverse with bizId", res.BizID)
	fmt.Println("cards", res.CardIDList, "customer", res.UserInfo.CustomerID, res.UserInfo.Nickname)
	// Output:
	// reverse with bizId paywewre121
	// cards [390962138708451328] customer 383933091455959041 小张
}

func ExampleParseDiscountResponse() {
	body := []byte(`{"status":true,"code":0,"data":{"coupon_discount":"3.30","amount":"8.5","coupon_type":1,
		"goods_item":[{"trade_mark":"A","coupon_minus":"0.1"},{"trade_mark":"B","coupon_minus":3.20}]}}`)
	res, err := zvcms.ParseDiscountResponse(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("discount", res.CouponDiscount.Yuan(), "fen", res.CouponDiscount.Fen)
	fmt.Println("rate coupon:", res.CouponType == zvcms.IntOf(zvcms.CouponRate), "amount", res.Amount)
	for _, g := range res.GoodsItems {
		fmt.Println(g.TradeMark, g.CouponMinus.Yuan())
	}
	fmt.Println("finance payment present:", res.FinancePayment.Valid)
	// Output:
	// discount 3.30 fen 330
	// rate coupon: true amount 8.5
	// A 0.10
	// B 3.20
	// finance payment present: false
}

func ExampleParseResponse() {
	_, err := zvcms.ParseResponse([]byte(`{"status":true,"code":"40004","message":"查询的信息不存在"}`))
	var e *errs.Error
	if errors.As(err, &e) {
		fmt.Println(e.Kind, e.VendorCode, e.VendorMessage, errors.Is(err, errs.APIError))
	}
	_, err = zvcms.ParseResponse([]byte(`{"status":false,"code":500,"message":"系统错误"}`))
	fmt.Println(errs.KindOf(err))
	// Output:
	// API_ERROR 40004 查询的信息不存在 true
	// SYSTEM_ERROR
}

func ExampleCheckToken() {
	creds := zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key"}
	client := zvcms.Client{Credentials: creds}
	req, _ := client.VerifyCoupons(zvcms.VerifyParams{BizID: "b1", Type: zvcms.TypeScanCode, CouponsCardList: []string{"QR-1"}},
		zvcms.Stamp{Timestamp: "1547186244", Nonce: "658965"})

	// The server's side.
	env, err := zvcms.ParseRequest(req.Body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(env.Action, zvcms.CheckToken(creds, env, zvcms.LowerCamel))
	p, err := zvcms.ParseVerifyParams(env.Params)
	fmt.Println(p.CouponsCardList, err)
	fmt.Println(errs.KindOf(zvcms.CheckToken(creds, env, zvcms.Capitalized)))
	// Output:
	// communal.user.coupons-vertify <nil>
	// [QR-1] <nil>
	// SIGNATURE_INVALID
}

func ExampleClient_CouponStatus() {
	client := zvcms.Client{Credentials: zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key"}}
	req, err := client.CouponStatus(zvcms.CouponStatusParams{CustomerID: "383933091455959041", CardID: "390962138708451328"},
		zvcms.Stamp{Timestamp: "1547186244", Nonce: "658965"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(req.Body[bytes.Index(req.Body, []byte(`"Params"`)):]), req.Idempotent)

	// The reply: data is one object here, a list elsewhere; both parse.
	res, err := zvcms.ParseCouponStatusResponse([]byte(`{"status":"true","code":"0","message":"","data":{"cardId":"390962138708451328","useStatus":"1","title":"满20减5元券"}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	c := res.Find("390962138708451328")
	fmt.Println(c.Title, c.UseStatus.Int, zvcms.UseStatusName(c.UseStatus.Int))
	// Output:
	// "Params":{"customerId":"383933091455959041","useStatus":"","cardId":"390962138708451328"}} true
	// 满20减5元券 1 verified
}

func ExampleParseOffCouponResponse() {
	// What a scanned redemption code is: coupon.off-coupon before the verify.
	res, err := zvcms.ParseOffCouponResponse([]byte(`{"status":true,"code":0,"data":{"id":390913445498200065,"status":0,"is_lock":1,
		"verify_code":20191202089026199489,"coupon":{"title":"满20减5元券","amount":"5.00","coupon_type":0,"min_amount_use":"20","number_of_user":1}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("user coupon", res.ID, "code", res.VerifyCode, "unused:", res.Status == zvcms.IntOf(zvcms.OffStatusUnused))
	fmt.Println(res.Coupon.Title, res.Coupon.Amount, "yuan off from", res.Coupon.MinAmountUse)
	fmt.Println("kept raw:", res.Coupon.Unknown[0].Name, string(res.Coupon.Unknown[0].Value))
	// Output:
	// user coupon 390913445498200065 code 20191202089026199489 unused: true
	// 满20减5元券 5.00 yuan off from 20
	// kept raw: number_of_user 1
}

func ExampleClient_Reverse() {
	client := zvcms.Client{Credentials: zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key"}}
	// The bizId is the one the verify's REPLY returned (VerifyResult.BizID).
	p := zvcms.ReverseParams{BizID: "700000000000000001", CouponsCardList: []string{"390962138708451328"},
		Extra: []byte(`{"reason":"顾客退货"}`)}
	_, err := client.Reverse(p, zvcms.Stamp{})
	fmt.Println(errs.KindOf(err), err.(*errs.Error).Field)

	client.ReversalAction = "merchant.coupons-reverse" // the name in the merchant's contract
	req, err := client.Reverse(p, zvcms.Stamp{Timestamp: "1547186244", Nonce: "658965"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(req.Body[bytes.Index(req.Body, []byte(`"Action"`)):]))
	// Output:
	// INVALID_ARGUMENT ReversalAction
	// "Action":"merchant.coupons-reverse","Params":{"bizId":"700000000000000001","couponsCardList":["390962138708451328"],"reason":"顾客退货"}}
}

func ExampleClient_ResolveVerify() {
	client := zvcms.Client{Credentials: zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key"}}
	p := zvcms.VerifyParams{BizID: "pos-20190111-0001", CustomerID: "383933091455959041", CouponsCardList: []string{"390962138708451328"}}

	// The exchange: here a stand-in vendor; in a till core/transport (see
	// examples/sandbox) or the POS's own HTTP client.
	exchange := func(ctx context.Context, req zvcms.Request) ([]byte, error) {
		fmt.Println("sent", req.Action, "idempotent:", req.Idempotent)
		if req.Action == zvcms.ActionCouponStatus {
			return []byte(`{"status":"true","code":"0","data":{"cardId":"390962138708451328","useStatus":"0"}}`), nil
		}
		return []byte(`{"status":"true","code":"0","data":{"bizId":"700000000000000001","cardIdList":"[390962138708451328]"}}`), nil
	}
	// After a verify that timed out (zvcms.InDoubt(err)):
	res, err := client.ResolveVerify(context.Background(), p, exchange)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Outcome, res.Reason, "useStatus before:", res.Coupons[0].Status.Int, "reverse with bizId", res.BizID)
	// Output:
	// sent user.coupon-new-status idempotent: true
	// sent communal.user.coupons-vertify idempotent: false
	// verified repeat_succeeded useStatus before: 0 reverse with bizId 700000000000000001
}

// The back office's half of keyless mode: it holds the OpenKey and issues a
// stamp per request; the page's keyless Client (no OpenKey) builds the
// request with it. In a service, IssueStamp answers an authenticated
// request of the till (see docs/keyless.md).
func ExampleClient_IssueStamp() {
	office := zvcms.Client{
		Credentials: zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key"},
		Now:         func() time.Time { return time.Unix(1547186244, 0) },
		Nonce:       func() string { return "658965" },
	}
	st, err := office.IssueStamp(zvcms.Stamp{})
	if err != nil {
		panic(err)
	}
	fmt.Println(st.Timestamp, st.Nonce, st.Token)

	page := zvcms.Client{Credentials: zvcms.Credentials{OpenID: office.OpenID, GrantCode: office.GrantCode}}
	req, err := page.CouponStatus(zvcms.CouponStatusParams{CustomerID: "383933091455959041"}, st)
	if err != nil {
		panic(err)
	}
	keyed, _ := office.CouponStatus(zvcms.CouponStatusParams{CustomerID: "383933091455959041"}, zvcms.Stamp{})
	fmt.Println(page.Keyless(), bytes.Equal(req.Body, keyed.Body))
	// Output:
	// 1547186244 658965 sVBA7k7%2B4LzSP4Wi8pySv56CYkM%3D
	// true true
}
