package hardening

// Request is one method call.
type Request struct {
	Method string
	Body   string
}

// GoodRequests returns one well-formed request for every method (the
// session placeholders as in the catalogue). The sending methods among them
// still fail with TRANSPORT_ERROR when the registry has no transport.
func (e *Env) GoodRequests() ([]Request, error) {
	verify := `"params":{"bizId":"order-1","customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amount":"500","orderAmount":"2600"}`
	disc := `"params":{"user_coupon_id":"390962138708451328","user_id":"383933091455959041","items":[{"num":2,"trade_mark":"6901234567001","price":"12.50"}]}`
	send := `"params":{"shopId":"1","operUserId":"1","couponType":"1","num":"1","couponTemplateId":"307","idType":"1","memberId":"13800138000","orderId":"send-0001"}`
	basket := `"lines":[{"id":"6901234567001","quantity":"2","unitPrice":"12.50"},{"id":"6901234567002","quantity":1,"unitPrice":"3"}],"coupons":[{"id":"307","kind":"fixed","value":"5","threshold":"20"}]`
	zvReply := `{\"status\":true,\"code\":0,\"message\":\"\",\"data\":{\"bizId\":\"202611220001\",\"cardIdList\":[390962138708451328]}}`
	apReply := `"$signed:{\"code\":0,\"msg\":\"成功\",\"data\":{\"tranNo\":\"1\",\"tranDateTime\":\"2020-04-10 16:03:49\",\"list\":[{\"templateId\":307,\"couponNo\":\"496996143645800001\"}]}}"`
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
		{"zvcms.call", `{"session":"$session","timeoutMs":100,"action":"user.coupon-new-status","params":{}}`},
		{"allinpay.couponSend", `{"session":"$session","timeoutMs":100,` + send + `}`},
		{"allinpay.call", `{"session":"$session","timeoutMs":100,"method":"allinpay.shopoint.couponService.couponQuery","params":{}}`},
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
