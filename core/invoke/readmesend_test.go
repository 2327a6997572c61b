package invoke

import (
	"context"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/tidwall/gjson"
)

// readmeSend is a stand-in transport for the README examples of the sending
// methods: the zvcms endpoint answers verify, discount and any other action
// with fixed replies (the verify reply echoes the bizId and coupons sent),
// the Allinpay gateway answers with replies signed by the sandbox platform
// key, and any other URL answers 200 "pong".
func readmeSend(t testing.TB) SendFunc {
	platform, err := allinpay.ParsePrivateKey("platform", platformKey(t))
	if err != nil {
		t.Fatal(err)
	}
	signed := func(body string) []byte {
		b, err := allinpay.SignResponse([]byte(body), platform, allinpay.RSA2, "", allinpay.RawMinusSign)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return func(_ context.Context, req HTTPRequest) (HTTPResponse, error) {
		h := []Header{{"Content-Type", "application/json"}}
		switch {
		case strings.HasSuffix(req.URL, "/api/v2"):
			body := gjson.ParseBytes(req.Body)
			switch body.Get("Action").Str {
			case "communal.user.coupons-vertify":
				return HTTPResponse{Status: 200, Headers: h, Body: []byte(`{"status":true,"code":0,"message":"核销成功","data":{"bizId":` +
					body.Get("Params.bizId").Raw + `,"cardIdList":` + body.Get("Params.couponsCardList").Raw +
					`,"userInfo":{"customer_id":"383933091455959041","username":"张三","phone":"13800138000"}}}`)}, nil
			case "user.user-by-coupon":
				return HTTPResponse{Status: 200, Headers: h, Body: []byte(`{"status":true,"code":0,"message":"","data":{"coupon_discount":"5","coupon_type":"0","amount":"5","goods_item":[{"trade_mark":"6901234567001","coupon_minus":"4.46"},{"trade_mark":"6901234567002","coupon_minus":"0.54"}]}}`)}, nil
			}
			return HTTPResponse{Status: 200, Headers: h, Body: []byte(`{"status":true,"code":0,"message":"","data":{"useStatus":1}}`)}, nil
		case strings.HasSuffix(req.URL, "/allinpay/gateway"):
			if strings.Contains(string(req.Body), "couponSend") {
				return HTTPResponse{Status: 200, Headers: h, Body: signed(`{"code":0,"msg":"成功","data":{"tranNo":"50806050005080208145","shopName":"沙箱门店","tranDateTime":[2020,4,10,16,3,49],"list":[{"templateId":307,"couponName":"满20减5元券","couponNo":"496996143645800001","qrCodeContext":null}]}}`)}, nil
			}
			return HTTPResponse{Status: 200, Headers: h, Body: signed(`{"code":0,"msg":"成功","data":{"couponNo":"496996143645800001","status":1}}`)}, nil
		}
		return HTTPResponse{Status: 200, Headers: []Header{{"Content-Type", "text/plain"}}, Body: []byte("pong")}, nil
	}
}
