package hardening

// Request is one method call.
type Request struct {
	Method string
	Body   string
}

// GoodRequests returns one well-formed request for every method (the
// session placeholders as in the catalogue). The sending methods among them
// still fail with TRANSPORT_ERROR when the registry has no transport; the
// queries among them, which the transport retries until their timeoutMs,
// are bounded to 1 ms (the leak runs make 10,000 calls of each).
func (e *Env) GoodRequests() ([]Request, error) {
	verify := `"params":{"bizId":"order-1","customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amount":"500","orderAmount":"2600"}`
	disc := `"params":{"user_coupon_id":"390962138708451328","user_id":"383933091455959041","items":[{"num":2,"trade_mark":"6901234567001","price":"12.50"}]}`
	send := `"params":{"shopId":"1","operUserId":"1","couponType":"1","num":"1","couponTemplateId":"307","idType":"1","memberId":"13800138000","orderId":"send-0001"}`
	basket := `"lines":[{"id":"6901234567001","quantity":"2","unitPrice":"12.50"},{"id":"6901234567002","quantity":1,"unitPrice":"3"}],"coupons":[{"id":"307","kind":"fixed","value":"5","threshold":"20"}]`
	zvReply := `{\"status\":true,\"code\":0,\"message\":\"\",\"data\":{\"bizId\":\"202611220001\",\"cardIdList\":[390962138708451328]}}`
	apReply := `"$signed:{\"code\":0,\"msg\":\"成功\",\"data\":{\"tranNo\":\"1\",\"tranDateTime\":\"2020-04-10 16:03:49\",\"list\":[{\"templateId\":307,\"couponNo\":\"496996143645800001\"}]}}"`
	rev := `"zvcms":{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","openKey":"` + OpenKey +
		`","baseUrl":"http://127.0.0.1:9/api/v2","reversalAction":"merchant.coupons-reverse"}`
	consume := `"params":{"bizId":"c1","customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amountFen":1250,"payPassword":"` + PayPassword + `"}`
	apQuery := `"$signed:{\"code\":0,\"msg\":\"成功\",\"data\":{\"templateId\":953,\"couponNo\":\"496996143645800001\",\"couponName\":\"测试优惠券\",\"couponType\":0,\"balance\":1.00,\"initAmount\":1.00,\"validityBeginDate\":\"2020-04-10\",\"validityEndDate\":null}}"`
	apConsumed := `"$signed:{\"code\":0,\"msg\":\"成功\",\"data\":{\"orgName\":\"沙箱门店\",\"tranNo\":\"7\",\"couponConsumeDetail\":[{\"couponNo\":\"496996143645800001\",\"financeList\":[{\"accountNo\":\"6001\",\"accountTitle\":\"券面额\",\"accountPriority\":1,\"accountValue\":1.00}]}]}}"`
	apConsume := `"params":{"shopId":"1","operUserId":"c1","orderId":"consume-0001","couponConsumeList":[{"couponNo":"496996143645800001","consumeAmount":"1","passwd":"` + Passwd + `","principalAmt":"1.00"}]}`
	list := []Request{
		{"version", `{}`},
		{"session.open", `{"zvcms":"$zvcms","allinpay":"$allinpay"}`},
		{"session.close", `{"session":"s_00000000000000000000000000000000"}`},
		{"zvcms.token", `{"session":"$session","timestamp":1547186244,"nonce":"658965"}`},
		{"zvcms.request", `{"session":"$session","action":"user.coupon-new-status","params":{"cardId":"390962138708451328"}}`},
		{"zvcms.verifyCoupons.request", `{"session":"$session",` + verify + `}`},
		{"zvcms.couponDiscount.request", `{"zvcms":"$zvcms",` + disc + `}`},
		{"zvcms.response", `{"action":"communal.user.coupons-vertify","body":"` + zvReply + `"}`},
		{"allinpay.request", `{"session":"$session","method":"allinpay.shopoint.couponService.couponQuery","params":{"couponNo":"496996143645800001"},"timestamp":"2020-04-10 16:03:49"}`},
		{"allinpay.couponSend.request", `{"allinpay":"$allinpay",` + send + `}`},
		{"allinpay.response", `{"session":"$session","method":"couponSend","body":` + apReply + `}`},
		{"discount.quote", `{"units":true,` + basket + `}`},
		{"discount.reconcile", `{` + basket + `,"coupon":0,"server":{"couponDiscount":"5","goodsItems":[{"tradeMark":"6901234567001","couponMinus":"4.46"},{"tradeMark":"6901234567002","couponMinus":"0.54"}]}}`},
		{"money.toFen", `{"yuan":"0.125","rounding":"half-up"}`},
		{"money.toYuan", `{"fen":-1250}`},
		{"http.send", `{"url":"http://127.0.0.1:9/","timeoutMs":100}`},
		{"zvcms.verifyCoupons", `{"session":"$session","timeoutMs":100,` + verify + `}`},
		{"zvcms.couponDiscount", `{"session":"$session","timeoutMs":1,` + disc + `}`},
		{"zvcms.call", `{"session":"$session","timeoutMs":1,"action":"user.coupon-new-status","params":{}}`},
		{"allinpay.couponSend", `{"session":"$session","timeoutMs":100,` + send + `}`},
		{"allinpay.call", `{"session":"$session","timeoutMs":100,"method":"allinpay.shopoint.couponService.couponQuery","params":{}}`},
		{"zvcms.couponStatus.request", `{"session":"$session","params":{"customerId":"383933091455959041","cardId":"390962138708451328","useStatus":0}}`},
		{"zvcms.couponStatus.response", `{"body":"{\"status\":true,\"code\":0,\"data\":[{\"cardId\":\"390962138708451328\",\"useStatus\":1}]}"}`},
		{"zvcms.couponStatus", `{"session":"$session","timeoutMs":1,"params":{"customerId":"383933091455959041"}}`},
		{"zvcms.offCoupon.request", `{"session":"$session","params":{"code":"20191202089026199489"}}`},
		{"zvcms.offCoupon.response", `{"body":"{\"status\":true,\"code\":0,\"data\":{\"id\":\"1\",\"status\":0,\"coupon\":{\"amount\":\"5.00\"}}}"}`},
		{"zvcms.offCoupon", `{"session":"$session","timeoutMs":1,"params":{"code":"20191202089026199489"}}`},
		{"zvcms.couponDetail.request", `{"session":"$session","params":{"userCouponCode":"390962138708451328"}}`},
		{"zvcms.couponDetail.response", `{"body":"{\"status\":true,\"code\":0,\"data\":{\"id\":\"1\",\"orderAmount\":\"26.50\"}}"}`},
		{"zvcms.couponDetail", `{"session":"$session","timeoutMs":1,"params":{"userCouponCode":"390962138708451328"}}`},
		{"zvcms.consume.request", `{"session":"$session",` + consume + `}`},
		{"zvcms.consume.response", `{"body":"{\"status\":true,\"code\":0,\"data\":{\"bizId\":\"7001\",\"couponsCardList\":[1]}}"}`},
		{"zvcms.consume", `{"session":"$session","timeoutMs":100,` + consume + `}`},
		{"zvcms.reverse.request", `{` + rev + `,"params":{"bizId":"7001","couponsCardList":["390962138708451328"],"extra":{"reason":"void"}}}`},
		{"zvcms.reverse.response", `{"body":"{\"status\":true,\"code\":0,\"data\":{\"bizId\":\"7001\"}}"}`},
		{"zvcms.reverse", `{` + rev + `,"timeoutMs":100,"params":{"bizId":"7001"}}`},
		{"zvcms.resolveVerify", `{"session":"$session","timeoutMs":1,` + verify + `}`},
		{"allinpay.couponQuery.request", `{"session":"$session","params":{"couponNo":"496996143645800001"}}`},
		{"allinpay.couponQuery.response", `{"session":"$session","body":` + apQuery + `}`},
		{"allinpay.couponQuery", `{"session":"$session","timeoutMs":1,"params":{"couponNo":"496996143645800001"}}`},
		{"allinpay.couponConsume.request", `{"session":"$session",` + apConsume + `}`},
		{"allinpay.couponConsume.response", `{"session":"$session","body":` + apConsumed + `}`},
		{"allinpay.couponConsume", `{"session":"$session","timeoutMs":100,` + apConsume + `}`},
		{"allinpay.diagnose", `{"session":"$session","body":` + apQuery + `}`},
	}
	for i := range list {
		b, err := e.expand([]byte(list[i].Body))
		if err != nil {
			return nil, err
		}
		list[i].Body = string(b)
	}
	return list, nil
}
