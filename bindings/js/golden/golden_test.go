package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/invoke"
)

var update = flag.Bool("update", false, "rewrite testdata/invoke-golden/*.json from the Go registry")

// goldenFile is shared with bindings/js/test/golden.test.js; transportFile
// holds the Go-only cases of the sending methods, answered by a stand-in
// transport (standIn). docs/methods.md takes its examples from both.
const (
	goldenFile    = "../../../testdata/invoke-golden/cases.json"
	transportFile = "../../../testdata/invoke-golden/transport.json"
)

// Case is one golden call: the exact request text and the exact reply text.
type Case struct {
	Name    string `json:"name"`
	Method  string `json:"method"`
	Request string `json:"request"`
	Reply   string `json:"reply"`
}

// sessionMark stands for the session id (random per registry) in requests
// and replies; runners substitute it both ways.
const sessionMark = "$SESSION"

func read(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// js returns v as JSON text.
func js(t *testing.T, v interface{}) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

type obj = map[string]interface{}

// definitions are the calls, in order (later ones use the session opened
// by an earlier one). Every method has a happy and an error path where the
// wasm module can have one (sending methods have no transport there).
func definitions(t *testing.T) []Case {
	zv := obj{"openId": "6dc05b4ac175cf316d226252b05cf685", "grantCode": "782c281f62",
		"openKey": "sandbox-open-key-TEST-ONLY", "baseUrl": "http://127.0.0.1:8080/api/v2", "reversalAction": "sandbox.coupons-reverse"}
	merchantKey := read(t, "testdata/allinpay/rsa2048_pkcs8.pem")
	platformPub := read(t, "testdata/sandbox/platform_rsa2048_pub_spki.pem")
	ap := obj{"appId": "sandbox-app-0001", "signType": "RSA2", "privateKey": merchantKey,
		"platformPublicKey": platformPub, "gatewayUrl": "http://127.0.0.1:8080/allinpay/gateway"}
	stamp := `"timestamp":"1547186244","nonce":"658965"`
	// Keyless: the same credentials without the openKey and the private key.
	keyless := obj{}
	for k, v := range zv {
		if k != "openKey" {
			keyless[k] = v
		}
	}
	apKeyless := obj{}
	for k, v := range ap {
		if k != "privateKey" {
			apKeyless[k] = v
		}
	}
	// The couponSend request below, its sign content, its params without the
	// sign and its sign (known answers: the golden reply of the keyed request).
	sendContent := `appId=sandbox-app-0001&bizContent={"shopId":"1","operUserId":"1","couponType":"1","num":"1","couponTemplateId":"307","idType":"1","memberId":"13800138000","orderId":"send-0001"}` +
		`&charset=UTF-8&format=JSON&method=allinpay.shopoint.couponService.couponSend&timestamp=2020-04-10 16:03:49&version=1.0`
	sendUnsigned := `[{"key":"appId","value":"sandbox-app-0001"},{"key":"method","value":"allinpay.shopoint.couponService.couponSend"},{"key":"version","value":"1.0"},` +
		`{"key":"timestamp","value":"2020-04-10 16:03:49"},{"key":"format","value":"JSON"},{"key":"charset","value":"UTF-8"},{"key":"signType","value":"RSA2"},` +
		`{"key":"bizContent","value":"{\"shopId\":\"1\",\"operUserId\":\"1\",\"couponType\":\"1\",\"num\":\"1\",\"couponTemplateId\":\"307\",\"idType\":\"1\",\"memberId\":\"13800138000\",\"orderId\":\"send-0001\"}"}]`
	sendSign := "iqiN8Tm/FoHDeFS8LWRJ9brlkWCNdQcnq8RT968EhsAfyXijt/eIlLtshUVaqjrJBx1TKngLnjdr16L6rntJY5rV8gwHXTQlX0x9Bke+YbUP93qSkplfx2DLiUMjR76HKgyaDH2qqJPA3jCJNJa6MlWnmwi9i2cZgSwDVeDnE1vMUmbnPRck+L4ZNnX2RIjdKx/LGDlVz0HB9m55BGUKFl0b4meXsgV0ygQvtmuwe5OpVKACVc3pVolmtxxV3Sys8J3ymkDRCToogD6tKenvQaNSQRJttlFlBtT7UXvOA+R4lnXDiIZQY+PME05bpBELsk0V885OuyjNTXe9x4Qd3A=="
	sess := `"session":"` + sessionMark + `"`
	verifyParams := `{"bizId":"order-1","customerId":9007199254740993,"couponsCardList":["390962138708451328",390962138708451329],` +
		`"ext":{"channelType":3,"multiStoreMark":"SH0001"},"amount":"500","orderAmount":2600}`
	discountParams := `{"user_coupon_id":"390962138708451328","user_id":"383933091455959041","multi_mark":"SH0001",` +
		`"items":[{"num":2,"trade_mark":"6901234567001","price":"12.50"},{"num":1,"trade_mark":"6901234567002","price":"3"}]}`
	sendParams := `{"shopId":"1","operUserId":"1","couponType":"1","num":"1","couponTemplateId":"307","idType":"1",` +
		`"memberId":"13800138000","orderId":"send-0001"}`
	basket := `"lines":[{"id":"6901234567001","quantity":"2","unitPriceYuan":"12.50"},{"id":"6901234567002","quantity":1,"unitPriceYuan":"3"},` +
		`{"id":"6901234567003","quantity":"0.5","unitPriceYuan":"9.99","priorDiscountYuan":"0.5"}],` +
		`"coupons":[{"id":"307","kind":"fixed","valueYuan":"5","thresholdYuan":"20"},{"id":"308","kind":"rate","rate":"8.5","capYuan":"10"}]`
	// The member names before 0.2 (CHANGES.md), still accepted.
	oldBasket := `"lines":[{"id":"6901234567001","quantity":"2","unitPrice":"12.50"},{"id":"6901234567002","quantity":1,"unitPrice":"3"}],` +
		`"coupons":[{"id":"307","kind":"fixed","value":"5","threshold":"20"}]`
	twoLines := `"lines":[{"id":"6901234567001","quantity":"2","unitPriceYuan":"12.50"},{"id":"6901234567002","quantity":1,"unitPriceYuan":"3"}],` +
		`"coupons":[{"id":"307","kind":"fixed","valueYuan":"5","thresholdYuan":"20"}]`
	verifyReply := `{"status":true,"code":0,"message":"","data":{"bizId":"202611220001","cardIdList":[390962138708451328],` +
		`"userInfo":{"customer_id":383933091455959041,"username":"张三","phone":"13800138000"}}}`
	discountReply := `{"status":"true","code":"0","message":"","data":{"type_cate":"1","multi_mark":"SH0001","coupon_discount":"5",` +
		`"user_coupon_name":"满20减5元券","user_coupon_id":"390962138708451328","finance_payment":"5","userInfo":[],"amount":"5",` +
		`"coupon_type":"0","goods_item":[{"trade_mark":"6901234567001","coupon_minus":"4.46"},{"trade_mark":"6901234567002","coupon_minus":"0.54"}]}}`

	platform, err := allinpay.ParsePrivateKey("platform", read(t, "testdata/sandbox/platform_rsa2048_pkcs8.pem"))
	if err != nil {
		t.Fatal(err)
	}
	sendReply := []byte(`{"code":0,"msg":"成功","data":{"tranNo":"50806050005080208145","shopName":null,` +
		`"tranDateTime":[2020,4,10,16,3,49],"list":[{"templateId":307,"couponName":"满20减5元券","couponNo":"496996143645800001",` +
		`"qrCodeContext":null}]},"reqSeq":"r1","respSeq":"s1"}`)
	signed, err := allinpay.SignResponse(sendReply, platform, allinpay.RSA2, "", allinpay.RawMinusSign)
	if err != nil {
		t.Fatal(err)
	}
	tampered := strings.Replace(string(signed), "满20减5元券", "满20减6元券", 1)
	failReply, err := allinpay.SignResponse([]byte(`{"code":3,"msg":"券模板不存在","data":null,"reqSeq":"r2","respSeq":"s2"}`),
		platform, allinpay.RSA2, "", allinpay.RawMinusSign)
	if err != nil {
		t.Fatal(err)
	}

	queryReply, err := allinpay.SignResponse([]byte(`{"code":0,"msg":"成功","data":{"templateId":953,"couponNo":"496996143645800001",`+
		`"couponName":"测试优惠券","couponType":0,"balance":1.00,"initAmount":1.00,"unit":null,"validityType":0,`+
		`"validityBeginDate":"2020-04-10","validityEndDate":"2021-04-10"},"reqSeq":"r3","respSeq":"s3"}`), platform, allinpay.RSA2, "", allinpay.SDKMD5)
	if err != nil {
		t.Fatal(err)
	}
	consumeReply, err := allinpay.SignResponse([]byte(`{"code":0,"msg":"成功","data":{"orgName":"沙箱门店","tranNo":"50800000000000000007",`+
		`"couponConsumeDetail":[{"couponNo":"496996143645800001","financeList":[{"accountNo":"6001","accountTitle":"券面额","accountPriority":1,`+
		`"accountValue":1.00}]}]},"reqSeq":"r4","respSeq":"s4"}`), platform, allinpay.RSA2, "", allinpay.SDKMD5)
	if err != nil {
		t.Fatal(err)
	}
	consumeParams := `{"shopId":"1","operUserId":"c1","orderId":"consume-0001","couponConsumeList":[{"couponNo":"496996143645800001",` +
		`"consumeAmount":1,"passwd":"ZW5jcnlwdGVkLXBhc3N3ZA==","principalAmt":"1.00","stlmShopList":[{"stlmShopId":"1","stlmAmount":"1.00"}]}]}`
	seed := read(t, "testdata/allinpay/seed002_response.json") // the seed page's reply, whose platform key we do not have

	c := func(name, method, request string) Case { return Case{Name: name, Method: method, Request: request} }
	return []Case{
		c("version", "version", `{}`),
		c("unknown method", "no.such.method", `{}`),
		c("invalid JSON", "version", `{"a":`),
		c("unknown member", "version", `{"verbose":true}`),
		c("methods", "methods", `{}`),
		c("methods takes no members", "methods", `{"filter":"zvcms"}`),

		c("session.open zvcms and allinpay", "session.open", js(t, obj{"zvcms": zv, "allinpay": ap})),
		c("session.open bad private key", "session.open", js(t, obj{"allinpay": obj{"appId": "a", "privateKey": "not a key",
			"platformPublicKey": platformPub, "gatewayUrl": "https://gw.example/api"}})),
		c("session.open nothing", "session.open", `{}`),

		c("money.toFen half-up", "money.toFen", `{"yuan":"0.125","rounding":"half-up"}`),
		c("money.toFen exact refuses", "money.toFen", `{"yuan":"0.125"}`),
		c("money.toFen number text", "money.toFen", `{"yuan":12.5}`),
		c("money.toYuan", "money.toYuan", `{"fen":1250}`),
		c("money.toYuan negative", "money.toYuan", `{"fen":"-5"}`),
		c("money.toYuan not a number", "money.toYuan", `{"fen":"12.5"}`),

		c("zvcms.token session", "zvcms.token", `{`+sess+`,`+stamp+`}`),
		c("zvcms.token inline", "zvcms.token", `{"zvcms":`+js(t, zv)+`,`+stamp+`}`),
		c("zvcms.token no openKey", "zvcms.token", `{"zvcms":{"openId":"o","grantCode":"g"},`+stamp+`}`),
		c("zvcms.stamp session", "zvcms.stamp", `{`+sess+`,`+stamp+`}`),
		c("zvcms.stamp keyless", "zvcms.stamp", `{"zvcms":{"openId":"o","grantCode":"g"},`+stamp+`}`),
		c("zvcms.verifyCoupons.request keyless with a stamp", "zvcms.verifyCoupons.request", `{"zvcms":`+js(t, keyless)+
			`,"stamp":{`+stamp+`,"token":"wZxxfv15vYV%2F9o7wPUGrF4P0HHQ%3D"},"params":`+verifyParams+`}`),
		c("zvcms.verifyCoupons.request keyless without a stamp", "zvcms.verifyCoupons.request", `{"zvcms":`+js(t, keyless)+`,`+stamp+`,"params":`+verifyParams+`}`),
		c("zvcms.request any action", "zvcms.request", `{`+sess+`,"action":"user.coupon-new-status",`+
			`"params":{"customerId":"383933091455959041","cardId":390962138708451328},`+stamp+`}`),
		c("zvcms.request no action", "zvcms.request", `{`+sess+`,`+stamp+`}`),
		c("zvcms.verifyCoupons.request 18-digit ids", "zvcms.verifyCoupons.request", `{`+sess+`,`+stamp+`,"params":`+verifyParams+`}`),
		c("zvcms.verifyCoupons.request useCount with two coupons", "zvcms.verifyCoupons.request", `{`+sess+`,`+stamp+
			`,"params":{"bizId":"b","customerId":"1","couponsCardList":["1","2"],"useCount":1}}`),
		c("zvcms.verifyCoupons.request typo", "zvcms.verifyCoupons.request", `{`+sess+`,"params":{"bizId":"order-1",`+
			`"customerID":"383933091455959041","couponsCardList":["390962138708451328"]}}`),
		c("zvcms.couponDiscount.request", "zvcms.couponDiscount.request", `{`+sess+`,`+stamp+`,"params":`+discountParams+`}`),
		c("zvcms.couponDiscount.request three decimals", "zvcms.couponDiscount.request", `{`+sess+`,`+stamp+
			`,"params":{"user_coupon_id":"1","user_id":"2","items":[{"num":1,"trade_mark":"a","price":"1.005"}]}}`),
		c("zvcms.response verify", "zvcms.response", js(t, obj{"action": "communal.user.coupons-vertify", "body": verifyReply})),
		c("zvcms.response discount", "zvcms.response", js(t, obj{"action": "user.user-by-coupon", "body": discountReply})),
		c("zvcms.response business error", "zvcms.response", js(t, obj{"body": `{ "status": true, "code": "40004", "message": "查询的信息不存在" }`})),
		c("zvcms.response system error", "zvcms.response", js(t, obj{"body": `{ "status": false, "code": "500", "message": "系统错误" }`})),
		c("zvcms.response not JSON", "zvcms.response", js(t, obj{"body": `<html>502</html>`})),
		c("zvcms.verifyCoupons.response", "zvcms.verifyCoupons.response", js(t, obj{"body": verifyReply})),
		c("zvcms.verifyCoupons.response business error", "zvcms.verifyCoupons.response", js(t, obj{"body": `{"status":true,"code":40010,"message":"优惠券已使用"}`})),
		c("zvcms.couponDiscount.response", "zvcms.couponDiscount.response", js(t, obj{"body": discountReply})),
		c("zvcms.couponDiscount.response three decimals", "zvcms.couponDiscount.response", js(t, obj{"body": `{"status":true,"code":0,"data":{"coupon_discount":"1.005"}}`})),

		// The rest of the coupon lifecycle (issue 15).
		c("zvcms.couponStatus.request", "zvcms.couponStatus.request", `{`+sess+`,`+stamp+
			`,"params":{"customerId":"383933091455959041","cardId":"390962138708451328"}}`),
		c("zvcms.couponStatus.request state 3", "zvcms.couponStatus.request", `{`+sess+`,`+stamp+
			`,"params":{"customerId":"383933091455959041","useStatus":3}}`),
		c("zvcms.couponStatus.response", "zvcms.couponStatus.response", js(t, obj{"body": read(t, "testdata/zvcms/status_response.json")})),
		c("zvcms.couponStatus.response business error", "zvcms.couponStatus.response", js(t, obj{"body": `{"status":true,"code":"40004","message":"查询的信息不存在"}`})),
		c("zvcms.response coupon status list", "zvcms.response", js(t, obj{"action": "user.coupon-new-status", "body": read(t, "testdata/zvcms/status_response_list.json")})),
		c("zvcms.offCoupon.request", "zvcms.offCoupon.request", `{`+sess+`,`+stamp+`,"params":{"code":"20191202089026199489"}}`),
		c("zvcms.offCoupon.request no code", "zvcms.offCoupon.request", `{`+sess+`,`+stamp+`,"params":{"verify_code":"20191202089026199489"}}`),
		c("zvcms.offCoupon.response", "zvcms.offCoupon.response", js(t, obj{"body": read(t, "testdata/zvcms/offcoupon_response.json")})),
		c("zvcms.offCoupon.response bad amount", "zvcms.offCoupon.response", js(t, obj{"body": `{"status":true,"code":0,"data":{"coupon":{"amount":"五元"}}}`})),
		c("zvcms.couponDetail.request", "zvcms.couponDetail.request", `{`+sess+`,`+stamp+`,"params":{"userCouponCode":"390962138708451328"}}`),
		c("zvcms.couponDetail.request empty code", "zvcms.couponDetail.request", `{`+sess+`,`+stamp+`,"params":{"userCouponCode":""}}`),
		c("zvcms.couponDetail.response", "zvcms.couponDetail.response", js(t, obj{"body": read(t, "testdata/zvcms/detail_response_lenient.json")})),
		c("zvcms.couponDetail.response system error", "zvcms.couponDetail.response", js(t, obj{"body": `{"status":false,"code":"500","message":"系统错误"}`})),
		c("zvcms.consume.request", "zvcms.consume.request", `{`+sess+`,`+stamp+`,"params":{"bizId":"pos-2","customerId":"383933091455959041",`+
			`"couponsCardList":["390962138708451328"],"amountFen":1250,"points":100}}`),
		c("zvcms.consume.request amount in yuan", "zvcms.consume.request", `{`+sess+`,`+stamp+`,"params":{"bizId":"pos-2","customerId":"383933091455959041","amount":"12.50"}}`),
		c("zvcms.consume.response", "zvcms.consume.response", js(t, obj{"body": read(t, "testdata/zvcms/consume_response.json")})),
		c("zvcms.consume.response business error", "zvcms.consume.response", js(t, obj{"body": `{"status":true,"code":"40030","message":"余额不足"}`})),
		c("zvcms.reverse.request", "zvcms.reverse.request", `{`+sess+`,`+stamp+`,"params":{"bizId":"700000000000000001",`+
			`"couponsCardList":["390962138708451328"],"extra":{"reason":"整单撤销"}}}`),
		c("zvcms.reverse.request no reversalAction", "zvcms.reverse.request", `{"zvcms":{"openId":"6dc05b4ac175cf316d226252b05cf685",`+
			`"grantCode":"782c281f62","openKey":"sandbox-open-key-TEST-ONLY"},`+stamp+`,"params":{"bizId":"700000000000000001"}}`),
		c("zvcms.reverse.response", "zvcms.reverse.response", js(t, obj{"body": `{"status":"true","code":"0","message":"冲正成功",` +
			`"data":{"bizId":"700000000000000001","cardIdList":"[390962138708451328]"}}`})),
		c("zvcms.reverse.response reversed already", "zvcms.reverse.response", js(t, obj{"body": `{"status":true,"code":"40021","message":"该业务已冲正"}`})),

		c("allinpay.request any method", "allinpay.request", `{`+sess+`,"method":"allinpay.shopoint.couponService.couponQuery",`+
			`"params":{"couponNo":"496996143645800001"},"timestamp":"2020-04-10 16:03:49"}`),
		c("allinpay.request no method", "allinpay.request", `{`+sess+`,"params":{}}`),
		c("allinpay.couponSend.request", "allinpay.couponSend.request", `{`+sess+`,"timestamp":"2020-04-10 16:03:49","params":`+sendParams+`}`),
		c("allinpay.couponSend.request no orderId", "allinpay.couponSend.request", `{`+sess+`,"timestamp":"2020-04-10 16:03:49",`+
			`"params":{"shopId":"1","operUserId":"1","couponType":"1","num":"1","couponTemplateId":"307"}}`),
		c("allinpay.couponSend.request keyless (unsigned)", "allinpay.couponSend.request", `{"allinpay":`+js(t, apKeyless)+`,"timestamp":"2020-04-10 16:03:49","params":`+sendParams+`}`),
		c("allinpay.sign", "allinpay.sign", `{`+sess+`,"signContent":`+js(t, sendContent)+`}`),
		c("allinpay.sign no signContent", "allinpay.sign", `{`+sess+`}`),
		c("allinpay.sign params", "allinpay.sign", `{`+sess+`,"params":`+sendUnsigned+`}`),
		c("allinpay.keyInfo", "allinpay.keyInfo", `{`+sess+`}`),
		c("allinpay.keyInfo keyless", "allinpay.keyInfo", `{"allinpay":`+js(t, apKeyless)+`}`),
		c("allinpay.keyInfo no keys", "allinpay.keyInfo", `{}`),
		c("allinpay.attachSign", "allinpay.attachSign", `{"allinpay":`+js(t, apKeyless)+`,"params":`+sendUnsigned+`,"sign":`+js(t, sendSign)+`}`),
		c("allinpay.attachSign bad sign", "allinpay.attachSign", `{"allinpay":`+js(t, apKeyless)+`,"params":`+sendUnsigned+`,"sign":"not base64"}`),
		c("allinpay.couponSend.request keyless with sign", "allinpay.couponSend.request", `{"allinpay":`+js(t, apKeyless)+`,"timestamp":"2020-04-10 16:03:49","params":`+sendParams+`,"sign":`+js(t, sendSign)+`}`),
		c("allinpay.response couponSend", "allinpay.response", js(t, obj{"session": sessionMark, "method": "couponSend", "body": string(signed)})),
		c("allinpay.response tampered", "allinpay.response", js(t, obj{"session": sessionMark, "method": "couponSend", "body": tampered})),
		c("allinpay.response vendor failure", "allinpay.response", js(t, obj{"session": sessionMark, "body": string(failReply)})),
		c("allinpay.couponSend.response", "allinpay.couponSend.response", js(t, obj{"session": sessionMark, "body": string(signed)})),
		c("allinpay.couponSend.response tampered", "allinpay.couponSend.response", js(t, obj{"session": sessionMark, "body": tampered})),
		c("allinpay.couponQuery.request", "allinpay.couponQuery.request", `{`+sess+`,"timestamp":"2020-04-10 16:03:49","params":{"couponNo":"496996143645800001"}}`),
		c("allinpay.couponQuery.request no couponNo", "allinpay.couponQuery.request", `{`+sess+`,"params":{"couponNo":""}}`),
		c("allinpay.couponQuery.response", "allinpay.couponQuery.response", js(t, obj{"session": sessionMark, "body": string(queryReply)})),
		c("allinpay.couponQuery.response pinned to raw+direct", "allinpay.couponQuery.response", js(t, obj{"allinpay": obj{"appId": "sandbox-app-0001",
			"privateKey": merchantKey, "platformPublicKey": []string{platformPub}, "verifyMode": "raw+direct", "gatewayUrl": "http://127.0.0.1:8080/allinpay/gateway"},
			"body": string(queryReply)})),
		c("allinpay.response couponQuery", "allinpay.response", js(t, obj{"session": sessionMark, "method": "couponQuery", "body": string(queryReply)})),
		c("allinpay.couponConsume.request", "allinpay.couponConsume.request", `{`+sess+`,"timestamp":"2020-04-10 16:03:49","params":`+consumeParams+`}`),
		c("allinpay.couponConsume.request sdk profile", "allinpay.couponConsume.request", js(t, obj{"allinpay": obj{"appId": "sandbox-app-0001",
			"privateKey": merchantKey, "platformPublicKey": platformPub, "requestProfile": "sdk", "gatewayUrl": "http://127.0.0.1:8080/allinpay/gateway"},
			"timestamp": "2020-04-10 16:03:49", "params": obj{"shopCode": "SH0001", "operUserId": "c1", "orderId": "consume-0002",
				"couponConsumeList": []obj{{"couponNo": "496996143645800001", "consumeAmount": "1", "remark": ""}}}})),
		c("allinpay.couponConsume.request bad consumeAmount", "allinpay.couponConsume.request", `{`+sess+`,"params":{"shopId":"1","operUserId":"c1",`+
			`"orderId":"o","couponConsumeList":[{"couponNo":"1","consumeAmount":"1.5","passwd":"ZW5jcnlwdGVkLXBhc3N3ZA=="}]}}`),
		c("allinpay.couponConsume.response", "allinpay.couponConsume.response", js(t, obj{"session": sessionMark, "body": string(consumeReply)})),
		c("allinpay.couponConsume.response tampered", "allinpay.couponConsume.response", js(t, obj{"session": sessionMark,
			"body": strings.Replace(string(consumeReply), `"accountValue":1.00`, `"accountValue":10.00`, 1)})),
		c("allinpay.response couponConsume", "allinpay.response", js(t, obj{"session": sessionMark, "method": "couponConsume", "body": string(consumeReply)})),
		c("allinpay.diagnose sandbox reply", "allinpay.diagnose", js(t, obj{"body": string(queryReply), "platformPublicKey": platformPub})),
		c("allinpay.diagnose seed reply without its key", "allinpay.diagnose", js(t, obj{"body": seed})),
		c("allinpay.diagnose no body", "allinpay.diagnose", `{"platformPublicKey":[]}`),

		c("discount.quote", "discount.quote", `{`+basket+`}`),
		c("discount.quote units half-even", "discount.quote", `{`+basket+`,"rounding":"half-even","units":true}`),
		c("discount.quote bad price", "discount.quote", `{"lines":[{"id":"a","quantity":"1","unitPriceYuan":"abc"}]}`),
		c("discount.quote old member names", "discount.quote", `{`+oldBasket+`}`),
		c("discount.quote bad price, old member name", "discount.quote", `{"lines":[{"id":"a","quantity":"1","unitPrice":"abc"}]}`),
		c("discount.reconcile server", "discount.reconcile", `{`+twoLines+`,"coupon":0,`+
			`"server":{"couponDiscountYuan":"5","goodsItems":[{"tradeMark":"6901234567001","couponMinusYuan":"4.46"},{"tradeMark":"6901234567002","couponMinusYuan":"0.54"}]}}`),
		c("discount.reconcile body", "discount.reconcile", `{`+twoLines+`,"coupon":0,"body":`+js(t, discountReply)+`}`),
		c("discount.reconcile no vendor answer", "discount.reconcile", `{"lines":[{"id":"a","quantity":"1","unitPriceYuan":"1"}]}`),

		c("zvcms.verifyCoupons without transport", "zvcms.verifyCoupons", `{`+sess+`,`+stamp+`,"params":`+verifyParams+`}`),
		c("zvcms.couponDiscount without transport", "zvcms.couponDiscount", `{`+sess+`,`+stamp+`,"params":`+discountParams+`}`),
		c("zvcms.couponStatus without transport", "zvcms.couponStatus", `{`+sess+`,`+stamp+`,"params":{"customerId":"383933091455959041"}}`),
		c("zvcms.offCoupon without transport", "zvcms.offCoupon", `{`+sess+`,`+stamp+`,"params":{"code":"20191202089026199489"}}`),
		c("zvcms.couponDetail without transport", "zvcms.couponDetail", `{`+sess+`,`+stamp+`,"params":{"userCouponCode":"390962138708451328"}}`),
		c("zvcms.consume without transport", "zvcms.consume", `{`+sess+`,`+stamp+`,"params":{"bizId":"pos-2","customerId":"383933091455959041","amountFen":1250}}`),
		c("zvcms.reverse without transport", "zvcms.reverse", `{`+sess+`,`+stamp+`,"params":{"bizId":"700000000000000001"}}`),
		c("zvcms.resolveVerify without transport", "zvcms.resolveVerify", `{`+sess+`,"params":`+verifyParams+`}`),
		c("zvcms.call without transport", "zvcms.call", `{`+sess+`,"action":"user.coupon-new-status","params":{},`+stamp+`}`),
		c("allinpay.couponSend without transport", "allinpay.couponSend", `{`+sess+`,"timestamp":"2020-04-10 16:03:49","params":`+sendParams+`}`),
		c("allinpay.couponQuery without transport", "allinpay.couponQuery", `{`+sess+`,"params":{"couponNo":"496996143645800001"}}`),
		c("allinpay.couponConsume without transport", "allinpay.couponConsume", `{`+sess+`,"timestamp":"2020-04-10 16:03:49","params":`+consumeParams+`}`),
		c("allinpay.call without transport", "allinpay.call", `{`+sess+`,"method":"allinpay.shopoint.couponService.couponQuery","params":{},"timestamp":"2020-04-10 16:03:49"}`),
		c("http.send without transport", "http.send", `{"method":"POST","url":"http://127.0.0.1:9/x","body":"{}"}`),

		c("session.close", "session.close", `{`+sess+`}`),
		c("session.close again", "session.close", `{`+sess+`}`),
		c("session.close no session", "session.close", `{}`),
		c("zvcms.token closed session", "zvcms.token", `{`+sess+`,`+stamp+`}`),
	}
}

// transportDefinitions are the sending methods' calls through the stand-in
// transport, after a session.open (Go only: the module has no transport).
func transportDefinitions(t *testing.T) []Case {
	zv := obj{"openId": "6dc05b4ac175cf316d226252b05cf685", "grantCode": "782c281f62",
		"openKey": "sandbox-open-key-TEST-ONLY", "baseUrl": "http://127.0.0.1:8080/api/v2", "reversalAction": "sandbox.coupons-reverse"}
	ap := obj{"appId": "sandbox-app-0001", "signType": "RSA2", "privateKey": read(t, "testdata/allinpay/rsa2048_pkcs8.pem"),
		"platformPublicKey": read(t, "testdata/sandbox/platform_rsa2048_pub_spki.pem"), "gatewayUrl": "http://127.0.0.1:8080/allinpay/gateway"}
	sess := `"session":"` + sessionMark + `"`
	c := func(name, method, request string) Case { return Case{Name: name, Method: method, Request: request} }
	return []Case{
		c("session.open with a transport", "session.open", js(t, obj{"zvcms": zv, "allinpay": ap,
			"transport": obj{"proxy": "http://10.0.0.1:3128", "pinSha256": []string{"n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="}}})),
		c("http.send", "http.send", `{"url":"http://127.0.0.1:8080/ping","method":"GET","timeoutMs":2000}`),
		c("http.send with headers and transport options", "http.send", `{`+sess+`,"url":"http://127.0.0.1:8080/echo",`+
			`"headers":{"X-Trace":"t1","Accept":["application/json","text/plain"]},"transport":{"traceFile":"/tmp/couponkit-trace.jsonl"}}`),
		c("http.send binary reply", "http.send", `{"url":"http://127.0.0.1:8080/bytes","method":"GET"}`),
		c("http.send bad timeout", "http.send", `{"url":"http://127.0.0.1:8080/ping","timeoutMs":0}`),
		c("zvcms.verifyCoupons", "zvcms.verifyCoupons", `{`+sess+`,"timeoutMs":10000,"params":{"bizId":"order-1",`+
			`"customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amount":"500","orderAmount":"2800"}}`),
		c("zvcms.verifyCoupons no coupon", "zvcms.verifyCoupons", `{`+sess+`,"params":{"bizId":"order-1","customerId":"383933091455959041"}}`),
		c("zvcms.couponDiscount", "zvcms.couponDiscount", `{`+sess+`,"params":{"user_coupon_id":"390962138708451328",`+
			`"user_id":"383933091455959041","items":[{"num":2,"trade_mark":"6901234567001","price":"12.50"},{"num":1,"trade_mark":"6901234567002","price":"3"}]}}`),
		c("zvcms.couponDiscount no items", "zvcms.couponDiscount", `{`+sess+`,"params":{"user_coupon_id":"390962138708451328","user_id":"1"}}`),
		c("zvcms.couponStatus", "zvcms.couponStatus", `{`+sess+`,"timeoutMs":10000,"params":{"customerId":"383933091455959041","cardId":"390962138708451328"}}`),
		c("zvcms.couponStatus bad state", "zvcms.couponStatus", `{`+sess+`,"params":{"customerId":"383933091455959041","useStatus":"verified"}}`),
		c("zvcms.offCoupon", "zvcms.offCoupon", `{`+sess+`,"params":{"code":"20191202089026199489"}}`),
		c("zvcms.offCoupon no code", "zvcms.offCoupon", `{`+sess+`,"params":{}}`),
		c("zvcms.couponDetail", "zvcms.couponDetail", `{`+sess+`,"params":{"userCouponCode":"390962138708451328"}}`),
		c("zvcms.couponDetail no code", "zvcms.couponDetail", `{`+sess+`,"params":{"userCouponCode":null}}`),
		c("zvcms.consume", "zvcms.consume", `{`+sess+`,"params":{"bizId":"pos-2","customerId":"383933091455959041",`+
			`"couponsCardList":["390962138708451328"],"amountFen":1250,"payPassword":"123456"}}`),
		c("zvcms.consume nothing to take", "zvcms.consume", `{`+sess+`,"params":{"bizId":"pos-2","customerId":"383933091455959041"}}`),
		c("zvcms.reverse", "zvcms.reverse", `{`+sess+`,"params":{"bizId":"order-1","couponsCardList":["390962138708451328"]}}`),
		c("zvcms.reverse no bizId", "zvcms.reverse", `{`+sess+`,"params":{"couponsCardList":["390962138708451328"]}}`),
		c("zvcms.resolveVerify", "zvcms.resolveVerify", `{`+sess+`,"timeoutMs":10000,"params":{"bizId":"order-1",`+
			`"customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amount":"500","orderAmount":"2800"}}`),
		c("zvcms.resolveVerify no coupons", "zvcms.resolveVerify", `{`+sess+`,"params":{"bizId":"order-1","customerId":"383933091455959041"}}`),
		c("zvcms.call", "zvcms.call", `{`+sess+`,"action":"user.coupon-new-status","idempotent":true,`+
			`"params":{"customerId":"383933091455959041","cardId":"390962138708451328"}}`),
		c("zvcms.call no action", "zvcms.call", `{`+sess+`,"params":{}}`),
		c("allinpay.couponSend", "allinpay.couponSend", `{`+sess+`,"params":{"shopId":"1","operUserId":"1","couponType":"1",`+
			`"num":"1","couponTemplateId":"307","idType":"1","memberId":"13800138000","orderId":"send-0001"}}`),
		c("allinpay.couponSend no orderId", "allinpay.couponSend", `{`+sess+`,"params":{"shopId":"1","operUserId":"1","couponType":"1","num":"1","couponTemplateId":"307"}}`),
		c("allinpay.call", "allinpay.call", `{`+sess+`,"method":"allinpay.shopoint.couponService.couponQuery","idempotent":true,`+
			`"params":{"couponNo":"496996143645800001"}}`),
		c("allinpay.call no method", "allinpay.call", `{`+sess+`,"params":{}}`),
		c("allinpay.couponQuery", "allinpay.couponQuery", `{`+sess+`,"params":{"couponNo":"496996143645800001"}}`),
		c("allinpay.couponQuery no params", "allinpay.couponQuery", `{`+sess+`}`),
		c("allinpay.couponConsume", "allinpay.couponConsume", `{`+sess+`,"params":{"shopId":"1","operUserId":"c1","orderId":"consume-0001",`+
			`"couponConsumeList":[{"couponNo":"496996143645800001","consumeAmount":"1"}]}}`),
		c("allinpay.couponConsume no coupons", "allinpay.couponConsume", `{`+sess+`,"params":{"shopId":"1","operUserId":"c1","orderId":"consume-0001","couponConsumeList":[]}}`),
	}
}

// Run replays cases through reg in order, substituting the session id, and
// returns the replies with the id replaced by sessionMark.
func run(reg *invoke.Registry, cases []Case) []string {
	session := sessionMark
	out := make([]string, len(cases))
	for i, c := range cases {
		reply := string(reg.Invoke(c.Method, []byte(strings.ReplaceAll(c.Request, sessionMark, session))))
		if c.Method == "session.open" && session == sessionMark {
			var env struct {
				OK     bool `json:"ok"`
				Result struct {
					Session string `json:"session"`
				} `json:"result"`
			}
			if json.Unmarshal([]byte(reply), &env) == nil && env.OK {
				session = env.Result.Session
			}
		}
		if session != sessionMark {
			reply = strings.ReplaceAll(reply, session, sessionMark)
		}
		out[i] = reply
	}
	return out
}

func registry() *invoke.Registry {
	// The wasm module uses the system clock; every case fixes its timestamp,
	// so this clock only proves that none falls back to it.
	return invoke.New(invoke.Options{Now: func() time.Time { return time.Unix(1, 0) }})
}

// TestGolden checks that the Go registry gives exactly the stored replies;
// bindings/js/test/golden.test.js checks the wasm module against the same
// cases.json, so the module and the Go core agree byte for byte.
func TestGolden(t *testing.T) {
	check(t, goldenFile, definitions(t), registry())
	withTransport := invoke.New(invoke.Options{Now: func() time.Time { return time.Unix(1, 0) }, Send: standIn(t)})
	check(t, transportFile, transportDefinitions(t), withTransport)
}

// check compares the replies of defs through reg with file (or rewrites it
// with -update).
func check(t *testing.T, file string, defs []Case, reg *invoke.Registry) {
	got := run(reg, defs)
	if *update {
		for i := range defs {
			defs[i].Reply = got[i]
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(defs); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./bindings/js/golden -update)", err)
	}
	var stored []Case
	if err := json.Unmarshal(raw, &stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(defs) {
		t.Fatalf("%s: %d stored cases, %d defined (run go test ./bindings/js/golden -update)", file, len(stored), len(defs))
	}
	for i, c := range stored {
		if c.Name != defs[i].Name || c.Method != defs[i].Method || c.Request != defs[i].Request {
			t.Errorf("%s case %d %q: stored request differs from its definition (run -update)", file, i, c.Name)
			continue
		}
		if got[i] != c.Reply {
			t.Errorf("%s case %d %q:\n got  %s\n want %s", file, i, c.Name, got[i], c.Reply)
		}
	}
}

// TestGoldenCoverage checks that every registered method has a case, and
// that both outcomes occur (the sending methods' success in transport.json).
func TestGoldenCoverage(t *testing.T) {
	defs, tdefs := definitions(t), transportDefinitions(t)
	got := append(run(registry(), defs), run(invoke.New(invoke.Options{Send: standIn(t)}), tdefs)...)
	defs = append(defs, tdefs...)
	seen := map[string][2]bool{}
	for i, c := range defs {
		s := seen[c.Method]
		if strings.HasPrefix(got[i], `{"ok":true`) {
			s[0] = true
		} else {
			s[1] = true
		}
		seen[c.Method] = s
	}
	for _, m := range registry().Methods() {
		s, ok := seen[m]
		switch {
		case !ok:
			t.Errorf("method %s has no golden case", m)
		case !s[1]:
			t.Errorf("method %s has no error case", m)
		case !s[0]:
			t.Errorf("method %s has no success case", m)
		}
	}
}
