package golden

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/invoke"
	"github.com/tidwall/gjson"
)

// standIn is the transport of the Go-only cases (transport.json): the zvcms
// endpoint answers verify, discount, the lifecycle actions (the sandbox's
// reversal name) and any other action with fixed replies (the verify,
// consume and reversal replies echo the bizId and coupons sent, the status
// reply the card id with useStatus 1), the Allinpay gateway
// answers with replies signed by the sandbox platform key, /echo answers
// with the headers and transport options it was given, /bytes with a body
// that is not UTF-8, and any other URL with 200 "pong".
func standIn(t *testing.T) invoke.SendFunc {
	platform, err := allinpay.ParsePrivateKey("platform", read(t, "testdata/sandbox/platform_rsa2048_pkcs8.pem"))
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
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	return func(_ context.Context, req invoke.HTTPRequest) (invoke.HTTPResponse, error) {
		h := []invoke.Header{{Name: "Content-Type", Value: "application/json"}}
		reply := func(body string) (invoke.HTTPResponse, error) {
			return invoke.HTTPResponse{Status: 200, Headers: h, Body: []byte(body)}, nil
		}
		switch {
		case strings.HasSuffix(req.URL, "/api/v2"):
			body := gjson.ParseBytes(req.Body)
			switch body.Get("Action").Str {
			case "communal.user.coupons-vertify":
				return reply(`{"status":true,"code":0,"message":"核销成功","data":{"bizId":` + body.Get("Params.bizId").Raw +
					`,"cardIdList":` + body.Get("Params.couponsCardList").Raw +
					`,"userInfo":{"customer_id":"383933091455959041","username":"张三","phone":"13800138000"}}}`)
			case "user.user-by-coupon":
				return reply(`{"status":true,"code":0,"message":"","data":{"coupon_discount":"5","coupon_type":"0","amount":"5","goods_item":[{"trade_mark":"6901234567001","coupon_minus":"4.46"},{"trade_mark":"6901234567002","coupon_minus":"0.54"}]}}`)
			case "user.coupon-new-status":
				return reply(`{"status":"true","code":"0","message":"查询成功","data":{"cardId":` + body.Get("Params.cardId").Raw +
					`,"couponId":"307","templateId":"307","couponType":"0","title":"满20减5元券","useStatus":"1","customerId":` + body.Get("Params.customerId").Raw + `}}`)
			case "coupon.off-coupon":
				return reply(read(t, "testdata/zvcms/offcoupon_response.json"))
			case "communal.coupon.coupon-detail":
				return reply(read(t, "testdata/zvcms/detail_response.json"))
			case "communal.user.consume":
				return reply(`{"status":"true","code":"0","message":"消费成功","data":{"bizId":` + body.Get("Params.bizId").Raw +
					`,"couponsCardList":` + body.Get("Params.couponsCardList").Raw + `}}`)
			case "sandbox.coupons-reverse":
				return reply(`{"status":"true","code":"0","message":"冲正成功","data":{"bizId":` + body.Get("Params.bizId").Raw +
					`,"cardIdList":` + body.Get("Params.couponsCardList").Raw + `}}`)
			}
			return reply(`{"status":true,"code":0,"message":"","data":{"useStatus":1}}`)
		case strings.HasSuffix(req.URL, "/allinpay/gateway"):
			if strings.Contains(string(req.Body), "couponSend") {
				return reply(string(signed(`{"code":0,"msg":"成功","data":{"tranNo":"50806050005080208145","shopName":"沙箱门店","tranDateTime":[2020,4,10,16,3,49],"list":[{"templateId":307,"couponName":"满20减5元券","couponNo":"496996143645800001","qrCodeContext":null}]}}`)))
			}
			if strings.Contains(string(req.Body), "couponQuery") {
				return reply(string(signed(`{"code":0,"msg":"成功","data":{"templateId":953,"couponNo":"496996143645800001","couponName":"测试优惠券",` +
					`"couponType":0,"balance":1.00,"initAmount":1.00,"unit":null,"validityType":0,"validityBeginDate":"2020-04-10","validityEndDate":null}}`)))
			}
			if strings.Contains(string(req.Body), "couponConsumeV1") {
				return reply(string(signed(`{"code":0,"msg":"成功","data":{"orgName":"沙箱门店","tranNo":"50800000000000000007","couponConsumeDetail":` +
					`[{"couponNo":"496996143645800001","financeList":[{"accountNo":"6001","accountTitle":"券面额","accountPriority":1,"accountValue":1.00}]}]}}`)))
			}
			return reply(string(signed(`{"code":0,"msg":"成功","data":{"couponNo":"496996143645800001","status":1}}`)))
		case strings.HasSuffix(req.URL, "/echo"):
			var b strings.Builder
			b.WriteString(`{"headers":[`)
			for i, f := range req.Headers {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`[` + q(f.Name) + `,` + q(f.Value) + `]`)
			}
			tr := req.Transport
			b.WriteString(`],"proxy":` + q(tr.Proxy) + `,"rootCAs":` + q(tr.RootCAsPEM) + `,"traceFile":` + q(tr.TraceFile) + `,"pinSha256":[`)
			for i, p := range tr.PinSHA256 {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(q(p))
			}
			b.WriteString(`]}`)
			h = append(h, invoke.Header{Name: "Set-Cookie", Value: "a=1"}, invoke.Header{Name: "Set-Cookie", Value: "b=2"})
			return reply(b.String())
		case strings.HasSuffix(req.URL, "/bytes"):
			return invoke.HTTPResponse{Status: 200, Headers: []invoke.Header{{Name: "Content-Type", Value: "application/octet-stream"}},
				Body: []byte{0xff, 0xfe, 'G', 'B', 'K', 0xb5, 0xea}}, nil
		}
		return invoke.HTTPResponse{Status: 200, Headers: []invoke.Header{{Name: "Content-Type", Value: "text/plain"}}, Body: []byte("pong")}, nil
	}
}
