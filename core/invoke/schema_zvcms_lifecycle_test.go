package invoke

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/tidwall/gjson"
)

// lifecycleCreds are the inline test credentials with the sandbox's own
// reversal action.
func lifecycleCreds() string {
	return strings.TrimSuffix(zvcmsCreds(), "}") + `,"reversalAction":"sandbox.coupons-reverse"}`
}

// compactJSON is s without white space, for comparing JSON texts.
func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var v interface{}
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Every new builder gives, through the surface, exactly the core builder's
// body, with the Params of the vendor-form fixture, and says whether the
// transport may retry it.
func TestLifecycleRequestsMatchCore(t *testing.T) {
	r := fixed()
	cl := zvcms.Client{Credentials: zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: testOpenKey},
		BaseURL: "http://127.0.0.1:8080/api/v2", ReversalAction: "sandbox.coupons-reverse"}
	st := zvcms.Stamp{Timestamp: strconv.Itoa(testTimestamp), Nonce: testNonce}
	build := func(req zvcms.Request, err error) zvcms.Request {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	cases := []struct {
		method, params, fixture string
		want                    zvcms.Request
	}{
		{"zvcms.couponStatus.request", `{"customerId":383933091455959041,"cardId":"390913445498200065"}`, "status_request.json",
			build(cl.CouponStatus(zvcms.CouponStatusParams{CustomerID: "383933091455959041", CardID: "390913445498200065"}, st))},
		{"zvcms.offCoupon.request", `{"code":"20191202089026199489"}`, "offcoupon_request.json",
			build(cl.OffCoupon(zvcms.OffCouponParams{Code: "20191202089026199489"}, st))},
		{"zvcms.couponDetail.request", `{"userCouponCode":"390913445498200065"}`, "detail_request.json",
			build(cl.CouponDetail(zvcms.CouponDetailParams{UserCouponCode: "390913445498200065"}, st))},
		{"zvcms.consume.request", `{"bizId":"paywewre121","customerId":"383933091455959041","couponsCardList":"[390962138708451328]","amountFen":1250}`, "consume_request.json",
			build(cl.Consume(zvcms.ConsumeParams{BizID: "paywewre121", CustomerID: "383933091455959041",
				CouponsCardList: []string{"390962138708451328"}, Amount: zvcms.FenOf(1250)}, st))},
		{"zvcms.reverse.request", `{"bizId":"700000000000000001","couponsCardList":["390962138708451328"],"extra":{"reason":"整单撤销","n":1}}`, "",
			build(cl.Reverse(zvcms.ReverseParams{BizID: "700000000000000001", CouponsCardList: []string{"390962138708451328"},
				Extra: []byte(`{"reason":"整单撤销","n":1}`)}, st))},
	}
	for _, c := range cases {
		creds := lifecycleCreds()
		if c.method == "zvcms.consume.request" { // the fixture has the seed's list style
			creds = strings.TrimSuffix(creds, "}") + `,"couponListStyle":"string"}`
			cl.CouponListStyle = zvcms.ListString
			c.want = build(cl.Consume(zvcms.ConsumeParams{BizID: "paywewre121", CustomerID: "383933091455959041",
				CouponsCardList: []string{"390962138708451328"}, Amount: zvcms.FenOf(1250)}, st))
			cl.CouponListStyle = zvcms.ListArray
		}
		res := ok(t, r.Invoke(c.method, []byte(`{"zvcms":`+creds+`,"params":`+c.params+`}`)))
		if res.Get("body").Str != string(c.want.Body) || res.Get("url").Str != c.want.URL || res.Get("token").Str != c.want.Token ||
			res.Get("action").Str != c.want.Action || res.Get("idempotent").Bool() != c.want.Idempotent {
			t.Errorf("%s:\n invoke %s\n core   %s", c.method, res.Raw, c.want.Body)
		}
		if c.fixture == "" {
			continue
		}
		fix := gjson.Parse(readFile(t, "testdata/zvcms/"+c.fixture))
		got := gjson.Get(res.Get("body").Str, "Params").Raw
		if compactJSON(t, got) != compactJSON(t, fix.Get("Params").Raw) || gjson.Get(res.Get("body").Str, "Action").Str != fix.Get("Action").Str {
			t.Errorf("%s: Params %s, the fixture's %s", c.method, got, fix.Get("Params").Raw)
		}
	}
	// The queries are idempotent, a verify, a consumption and a reversal
	// are not.
	idempotent := map[string]bool{"zvcms.couponStatus.request": true, "zvcms.offCoupon.request": true, "zvcms.couponDetail.request": true}
	for _, c := range cases {
		if c.want.Idempotent != idempotent[c.method] {
			t.Errorf("%s idempotent %v", c.method, c.want.Idempotent)
		}
	}
	v := ok(t, r.Invoke("zvcms.verifyCoupons.request", []byte(`{"zvcms":`+zvcmsCreds()+`,"params":`+verifyParamsJSON("")+`}`)))
	d := ok(t, r.Invoke("zvcms.couponDiscount.request", []byte(`{"zvcms":`+zvcmsCreds()+`,"params":{"user_coupon_id":"1","user_id":"2","items":[{"num":1,"trade_mark":"a","price":"1"}]}}`)))
	if v.Get("idempotent").Bool() || !d.Get("idempotent").Bool() {
		t.Fatalf("verify %s, discount %s", v.Get("idempotent").Raw, d.Get("idempotent").Raw)
	}
	// useStatus is sent as given, 0 included; absent is "".
	for in, want := range map[string]string{`"0"`: `"0"`, `7`: `"7"`, `""`: `""`} {
		res := ok(t, r.Invoke("zvcms.couponStatus.request", []byte(`{"zvcms":`+zvcmsCreds()+`,"params":{"customerId":"1","useStatus":`+in+`}}`)))
		if got := gjson.Get(res.Get("body").Str, "Params.useStatus").Raw; got != want {
			t.Errorf("useStatus %s sent as %s", in, got)
		}
	}
	// amountFen is sent as the vendor's yuan with two decimals.
	for fen, yuan := range map[string]string{`1`: "0.01", `"100"`: "1.00", `999999999999999`: "9999999999999.99"} {
		res := ok(t, r.Invoke("zvcms.consume.request", []byte(`{"zvcms":`+zvcmsCreds()+`,"params":{"bizId":"b","customerId":"1","amountFen":`+fen+`}}`)))
		if got := gjson.Get(res.Get("body").Str, "Params.amount").Str; got != yuan {
			t.Errorf("amountFen %s sent as %q", fen, got)
		}
	}
}

// At least ten invalid inputs per new action, each INVALID_ARGUMENT (or
// KEY_ERROR) on the path the caller wrote.
func TestLifecycleInvalidInputs(t *testing.T) {
	r := fixed()
	zv := `"zvcms":` + lifecycleCreds()
	noRev := `"zvcms":` + zvcmsCreds()
	req := func(params string) string { return `{` + zv + `,"params":` + params + `}` }
	cases := []struct {
		method, req string
		code        errs.Kind
		field       string
	}{
		{"zvcms.couponStatus.request", `{` + zv + `}`, errs.InvalidArgument, "params"},
		{"zvcms.couponStatus.request", req(`{}`), errs.InvalidArgument, "params.customerId"},
		{"zvcms.couponStatus.request", req(`{"customerId":""}`), errs.InvalidArgument, "params.customerId"},
		{"zvcms.couponStatus.request", req(`{"customerId":"38393309145595904a"}`), errs.InvalidArgument, "params.customerId"},
		{"zvcms.couponStatus.request", req(`{"customerId":"-1"}`), errs.InvalidArgument, "params.customerId"},
		{"zvcms.couponStatus.request", req(`{"customerId":"1","cardId":"x1"}`), errs.InvalidArgument, "params.cardId"},
		{"zvcms.couponStatus.request", req(`{"customerId":"1","cardId":1.5}`), errs.InvalidArgument, "params.cardId"},
		{"zvcms.couponStatus.request", req(`{"customerId":"1","useStatus":3}`), errs.InvalidArgument, "params.useStatus"},
		{"zvcms.couponStatus.request", req(`{"customerId":"1","useStatus":"used"}`), errs.InvalidArgument, "params.useStatus"},
		{"zvcms.couponStatus.request", req(`{"customerId":"1","useStatus":true}`), errs.InvalidArgument, "params.useStatus"},
		{"zvcms.couponStatus.request", req(`{"customerId":"1","user_coupon_id":"1"}`), errs.InvalidArgument, "params.user_coupon_id"},
		{"zvcms.couponStatus.request", req(`{"customerID":"1"}`), errs.InvalidArgument, "params.customerID"},
		{"zvcms.couponStatus.request", req(`{"customerId":["1"]}`), errs.InvalidArgument, "params.customerId"},
		{"zvcms.couponStatus", `{"zvcms":{"openId":"a","grantCode":"b"},"params":{"customerId":"1"}}`, errs.InvalidArgument, "stamp"},
		{"zvcms.couponStatus", req(`{"customerId":"1"}`)[:len(req(`{"customerId":"1"}`))-1] + `,"timeoutMs":0}`, errs.InvalidArgument, "timeoutMs"},

		{"zvcms.offCoupon.request", `{` + zv + `}`, errs.InvalidArgument, "params"},
		{"zvcms.offCoupon.request", req(`{}`), errs.InvalidArgument, "params.code"},
		{"zvcms.offCoupon.request", req(`{"code":""}`), errs.InvalidArgument, "params.code"},
		{"zvcms.offCoupon.request", req(`{"code":null}`), errs.InvalidArgument, "params.code"},
		{"zvcms.offCoupon.request", req(`{"code":["1"]}`), errs.InvalidArgument, "params.code"},
		{"zvcms.offCoupon.request", req(`{"code":{"a":1}}`), errs.InvalidArgument, "params.code"},
		{"zvcms.offCoupon.request", req(`{"code":false}`), errs.InvalidArgument, "params.code"},
		{"zvcms.offCoupon.request", req(`{"code":"1","Code":"2"}`), errs.InvalidArgument, "params.Code"},
		{"zvcms.offCoupon.request", req(`{"code":"1","code":"2"}`), errs.InvalidArgument, "params.code"},
		{"zvcms.offCoupon.request", req(`{"verify_code":"1"}`), errs.InvalidArgument, "params.verify_code"},
		{"zvcms.offCoupon.request", req(`"1"`), errs.InvalidArgument, "params"},
		{"zvcms.offCoupon.request", `{"params":{"code":"1"}}`, errs.InvalidArgument, "zvcms"},

		{"zvcms.couponDetail.request", `{` + zv + `}`, errs.InvalidArgument, "params"},
		{"zvcms.couponDetail.request", req(`{}`), errs.InvalidArgument, "params.userCouponCode"},
		{"zvcms.couponDetail.request", req(`{"userCouponCode":""}`), errs.InvalidArgument, "params.userCouponCode"},
		{"zvcms.couponDetail.request", req(`{"userCouponCode":[]}`), errs.InvalidArgument, "params.userCouponCode"},
		{"zvcms.couponDetail.request", req(`{"userCouponCode":true}`), errs.InvalidArgument, "params.userCouponCode"},
		{"zvcms.couponDetail.request", req(`{"userCouponId":"1"}`), errs.InvalidArgument, "params.userCouponId"},
		{"zvcms.couponDetail.request", req(`{"user_coupon_code":"1"}`), errs.InvalidArgument, "params.user_coupon_code"},
		{"zvcms.couponDetail.request", req(`{"userCouponCode":"1","x":1}`), errs.InvalidArgument, "params.x"},
		{"zvcms.couponDetail.request", req(`[]`), errs.InvalidArgument, "params"},
		{"zvcms.couponDetail.request", `{` + zv + `,"params":{"userCouponCode":"1"},"timestamp":"soon"}`, errs.InvalidArgument, "timestamp"},
		{"zvcms.couponDetail.request", `{` + zv + `,"params":{"userCouponCode":"1"},"nonce":"-1"}`, errs.InvalidArgument, "nonce"},

		{"zvcms.consume.request", req(`{"customerId":"1","amountFen":1}`), errs.InvalidArgument, "params.bizId"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1"}`), errs.InvalidArgument, "params.couponsCardList"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":0}`), errs.InvalidArgument, "params.amountFen"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":"12.50"}`), errs.InvalidArgument, "params.amountFen"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":-5}`), errs.InvalidArgument, "params.amountFen"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":1000000000000000}`), errs.InvalidArgument, "params.amountFen"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amount":"12.50"}`), errs.InvalidArgument, "params.amount"},
		{"zvcms.consume.request", req(`{"bizId":"b","amountFen":1}`), errs.InvalidArgument, "params.customerId"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","couponsCardList":["1","x"]}`), errs.InvalidArgument, "params.couponsCardList[1]"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":1,"points":-1}`), errs.InvalidArgument, "params.points"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":1,"type":-1}`), errs.InvalidArgument, "params.type"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":1,"opType":"x"}`), errs.InvalidArgument, "params.opType"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":1,"operatorId":"op-1"}`), errs.InvalidArgument, "params.operatorId"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":1,"groupId":"g"}`), errs.InvalidArgument, "params.groupId"},
		{"zvcms.consume.request", req(`{"bizId":"b","customerId":"1","amountFen":1,"payPassword":{"p":"123456"}}`), errs.InvalidArgument, "params.payPassword"},

		{"zvcms.reverse.request", `{` + noRev + `,"params":{"bizId":"b"}}`, errs.InvalidArgument, "zvcms.reversalAction"},
		{"zvcms.reverse.request", `{"zvcms":{"openId":"a","grantCode":"b","openKey":"k","reversalAction":"a b"},"params":{"bizId":"b"}}`, errs.InvalidArgument, "zvcms.reversalAction"},
		{"zvcms.reverse.request", `{"zvcms":{"openId":"a","grantCode":"b","openKey":"k","reversalAction":"冲正"},"params":{"bizId":"b"}}`, errs.InvalidArgument, "zvcms.reversalAction"},
		{"zvcms.reverse.request", req(`{}`), errs.InvalidArgument, "params.bizId"},
		{"zvcms.reverse.request", req(`{"bizId":""}`), errs.InvalidArgument, "params.bizId"},
		{"zvcms.reverse.request", req(`{"bizId":"b","couponsCardList":["x"]}`), errs.InvalidArgument, "params.couponsCardList[0]"},
		{"zvcms.reverse.request", req(`{"bizId":"b","couponsCardList":["1",{}]}`), errs.InvalidArgument, "params.couponsCardList[1]"},
		{"zvcms.reverse.request", req(`{"bizId":"b","extra":[1]}`), errs.InvalidArgument, "params.extra"},
		{"zvcms.reverse.request", req(`{"bizId":"b","extra":"reason"}`), errs.InvalidArgument, "params.extra"},
		{"zvcms.reverse.request", req(`{"bizId":"b","extra":{"bizId":"c"}}`), errs.InvalidArgument, "params.extra.bizId"},
		{"zvcms.reverse.request", req(`{"bizId":"b","couponsCardList":["1"],"extra":{"couponsCardList":["2"]}}`), errs.InvalidArgument, "params.extra.couponsCardList"},
		{"zvcms.reverse.request", req(`{"bizId":"b","reason":"整单撤销"}`), errs.InvalidArgument, "params.reason"},
		{"zvcms.reverse.request", `{"zvcms":{"openId":"a","grantCode":"b","openKey":"k","reversalAction":"x"},"params":{"bizId":"b"},"nonce":"n"}`, errs.InvalidArgument, "nonce"},

		{"zvcms.resolveVerify", `{` + zv + `}`, errs.InvalidArgument, "params"},
		{"zvcms.resolveVerify", req(`{"customerId":"1","couponsCardList":["1"]}`), errs.InvalidArgument, "params.bizId"},
		{"zvcms.resolveVerify", req(`{"bizId":"b","customerId":"1"}`), errs.InvalidArgument, "params.couponsCardList"},
		{"zvcms.resolveVerify", req(`{"bizId":"b","couponsCardList":["1"]}`), errs.InvalidArgument, "params.customerId"},
		{"zvcms.resolveVerify", req(`{"bizId":"b","customerId":"1","couponsCardList":["1","z"]}`), errs.InvalidArgument, "params.couponsCardList[1]"},
		{"zvcms.resolveVerify", req(`{"bizId":"b","customerId":"1","couponsCardList":["1","2"],"useCount":1}`), errs.InvalidArgument, "params.couponsCardList"},
		{"zvcms.resolveVerify", req(`{"bizId":"b","customerId":"1","couponsCardList":["1"],"amount":"5.00"}`), errs.InvalidArgument, "params.amount"},
		{"zvcms.resolveVerify", req(`{"bizId":"b","customerId":"1","couponsCardList":["1"],"thirdOrderNo":"t"}`), errs.InvalidArgument, "params.thirdOrderNo"},
		{"zvcms.resolveVerify", req(`{"bizId":"b","customerId":"1","couponsCardList":["1"],"ext":{"channel":1}}`), errs.InvalidArgument, "params.ext.channel"},
		{"zvcms.resolveVerify", `{` + zv + `,"params":{"bizId":"b","customerId":"1","couponsCardList":["1"]},"timestamp":"1"}`, errs.InvalidArgument, "timestamp"},
		{"zvcms.resolveVerify", `{` + zv + `,"params":{"bizId":"b","customerId":"1","couponsCardList":["1"]},"timeoutMs":600001}`, errs.InvalidArgument, "timeoutMs"},
		{"zvcms.resolveVerify", `{"session":"s_00000000000000000000000000000000","params":{"bizId":"b","customerId":"1","couponsCardList":["1"]}}`, errs.InvalidArgument, "session"},

		{"zvcms.verifyCoupons.request", req(`{"bizId":"b","customerId":"1","couponsCardList":["1"],"thirdOrderNo":"t"}`), errs.InvalidArgument, "params.thirdOrderNo"},
		{"zvcms.verifyCoupons.request", `{"zvcms":{"openId":"a","grantCode":"b","openKey":"k","verifyApi":"v4"},"params":{"bizId":"b","customerId":"1","couponsCardList":["1"]}}`, errs.InvalidArgument, "zvcms.verifyApi"},
		{"zvcms.verifyCoupons.request", `{"zvcms":{"openId":"a","grantCode":"b","openKey":"k","verifyApi":"v3","v3BaseUrl":"openapi.zvcms.com"},"params":{"bizId":"b","customerId":"1","couponsCardList":["1"]}}`, errs.InvalidArgument, "zvcms.v3BaseUrl"},
		{"session.open", `{"zvcms":{"openId":"a","grantCode":"b","openKey":"k","reversalAction":"a\"b"}}`, errs.InvalidArgument, "zvcms.reversalAction"},
	}
	count := map[string]int{}
	for _, c := range cases {
		e := fails(t, r.Invoke(c.method, []byte(c.req)), c.code, c.field)
		if strings.Contains(e.Raw, "123456") {
			t.Errorf("%s: the error quotes the password: %s", c.method, e.Raw)
		}
		count[strings.TrimSuffix(c.method, ".request")]++
	}
	for _, m := range []string{"zvcms.couponStatus", "zvcms.offCoupon", "zvcms.couponDetail", "zvcms.consume", "zvcms.reverse", "zvcms.resolveVerify"} {
		if count[m] < 10 {
			t.Errorf("%s: %d invalid inputs, want at least 10", m, count[m])
		}
	}
	// The missing reversal action says where the name comes from.
	e := fails(t, r.Invoke("zvcms.reverse", []byte(`{`+noRev+`,"params":{"bizId":"b"}}`)), errs.InvalidArgument, "zvcms.reversalAction")
	if !strings.Contains(e.Get("message").Str, "merchant's contract") {
		t.Fatalf("message %s", e.Raw)
	}
	// ... through a session too, which then reverses once given the name.
	sid := ok(t, r.Invoke("session.open", []byte(`{"zvcms":`+zvcmsCreds()+`}`))).Get("session").Str
	fails(t, r.Invoke("zvcms.reverse.request", []byte(`{"session":"`+sid+`","params":{"bizId":"b"}}`)), errs.InvalidArgument, "zvcms.reversalAction")
	sid = ok(t, r.Invoke("session.open", []byte(`{"zvcms":`+lifecycleCreds()+`}`))).Get("session").Str
	q := ok(t, r.Invoke("zvcms.reverse.request", []byte(`{"session":"`+sid+`","params":{"bizId":"b"}}`)))
	if gjson.Get(q.Get("body").Str, "Action").Str != "sandbox.coupons-reverse" || gjson.Get(q.Get("body").Str, "Params").Raw != `{"bizId":"b"}` {
		t.Fatalf("reversal %s", q.Raw)
	}
}

// The v3 redemption, an option: the v3 path and envelope, thirdOrderNo,
// the same Token.
func TestVerifyV3Option(t *testing.T) {
	r := fixed()
	creds := strings.TrimSuffix(zvcmsCreds(), "}") + `,"verifyApi":"v3","v3BaseUrl":"http://127.0.0.1:8080/v3"}`
	res := ok(t, r.Invoke("zvcms.verifyCoupons.request", []byte(`{"zvcms":`+creds+`,"params":`+verifyParamsJSON(`,"thirdOrderNo":"T-1"`)+`}`)))
	body := gjson.Parse(res.Get("body").Str)
	if res.Get("url").Str != "http://127.0.0.1:8080/v3"+zvcms.PathV3WriteOffCoupon || body.Get("openId").Str != testOpenID ||
		body.Get("Action").Exists() || body.Get("params.thirdOrderNo").Str != "T-1" || body.Get("token").Str != res.Get("token").Str {
		t.Fatalf("v3 %s", res.Raw)
	}
	env, err := zvcms.ParseRequestV3([]byte(res.Get("body").Str))
	if err != nil {
		t.Fatal(err)
	}
	if err := zvcms.CheckToken(zvcms.Credentials{OpenID: testOpenID, GrantCode: testGrantCode, OpenKey: testOpenKey}, env, zvcms.LowerCamel); err != nil {
		t.Fatal(err)
	}
	// Every other action stays on v2.
	st := ok(t, r.Invoke("zvcms.couponStatus.request", []byte(`{"zvcms":`+creds+`,"params":{"customerId":"1"}}`)))
	if st.Get("url").Str != "http://127.0.0.1:8080/api/v2" {
		t.Fatalf("status went to %s", st.Get("url").Str)
	}
}

// The reply parsers: the fixtures, business and system errors, lenient
// forms, malformed members by path; zvcms.response hands the actions to
// them.
func TestLifecycleReplies(t *testing.T) {
	r := fixed()
	parse := func(method, file string) gjson.Result {
		t.Helper()
		res := ok(t, r.Invoke(method, []byte(`{"body":`+q(readFile(t, "testdata/zvcms/"+file))+`}`)))
		// zvcms.response with the action gives the same result.
		action := map[string]string{"zvcms.couponStatus.response": zvcms.ActionCouponStatus, "zvcms.offCoupon.response": zvcms.ActionOffCoupon,
			"zvcms.couponDetail.response": zvcms.ActionCouponDetail, "zvcms.consume.response": zvcms.ActionConsume}[method]
		if action != "" {
			gen := ok(t, r.Invoke("zvcms.response", []byte(`{"action":"`+action+`","body":`+q(readFile(t, "testdata/zvcms/"+file))+`}`)))
			if gen.Raw != res.Raw {
				t.Errorf("zvcms.response %s: %s, %s: %s", action, gen.Raw, method, res.Raw)
			}
		}
		return res
	}
	st := parse("zvcms.couponStatus.response", "status_response.json")
	if st.Get("coupons.#").Int() != 1 || st.Get("coupons.0.cardId").Str != "390913445498200065" || st.Get("coupons.0.useStatus").Str != "0" ||
		st.Get("coupons.0.useStatusName").Str != "unused" || st.Get("coupons.0.templateId").Str != "895" || st.Get("coupons.0.unknown").Raw != "{}" ||
		!st.Get("status").Bool() || st.Get("code").Str != "0" {
		t.Fatalf("status %s", st.Raw)
	}
	list := parse("zvcms.couponStatus.response", "status_response_list.json")
	if list.Get("coupons.#").Int() < 2 || list.Get("coupons.#(cardId==\"9007199254740993\").cardId").Str != "9007199254740993" ||
		!strings.Contains(list.Get("coupons").Raw, `"unknown":{"verifyStoreMark"`) {
		t.Fatalf("status list %s", list.Raw)
	}
	off := parse("zvcms.offCoupon.response", "offcoupon_response.json")
	if off.Get("id").Str != "390913445498200065" || off.Get("verifyCode").Str != "20191202089026199489" || off.Get("couponStatus").Str != "0" ||
		off.Get("couponStatusName").Str != "unused" || off.Get("isLock").Str != "1" || off.Get("coupon.faceValue").Str != "5.00" ||
		off.Get("coupon.minAmountUse").Str != "20" || off.Get("coupon.unknown").Raw != `{"number_of_user":"1"}` || off.Get("data.verify_code").Str != "20191202089026199489" {
		t.Fatalf("off-coupon %s", off.Raw)
	}
	lenient := parse("zvcms.offCoupon.response", "offcoupon_response_lenient.json")
	if lenient.Get("couponStatusName").Str != "locked" || lenient.Get("coupon.couponType").Str != "1" || lenient.Get("unknown").Raw == "{}" {
		t.Fatalf("off-coupon lenient %s", lenient.Raw)
	}
	if e := parse("zvcms.offCoupon.response", "offcoupon_response_empty_coupon.json"); e.Get("coupon.id").Str != "" || e.Get("coupon.unknown").Raw != "{}" {
		t.Fatalf("empty coupon %s", e.Raw)
	}
	det := parse("zvcms.couponDetail.response", "detail_response.json")
	if det.Get("id").Str == "" || det.Get("orderAmountFen").Exists() && det.Get("orderAmountFen").Str == "x" || !strings.Contains(det.Get("unknown").Raw, `"useStatus"`) {
		t.Fatalf("detail %s", det.Raw)
	}
	if d := parse("zvcms.couponDetail.response", "detail_response_lenient.json"); d.Get("orderAmountFen").Str != "2650" || d.Get("orderAmountYuan").Str != "26.50" {
		t.Fatalf("detail lenient %s", d.Raw)
	}
	con := parse("zvcms.consume.response", "consume_response.json")
	if con.Get("bizId").Str != "paywewre121" || con.Get("couponsCardList").Raw != `["390962138708451328"]` || con.Get("unknown").Raw != "{}" {
		t.Fatalf("consume %s", con.Raw)
	}
	if c := parse("zvcms.consume.response", "consume_response_lenient.json"); c.Get("bizId").Str == "" {
		t.Fatalf("consume lenient %s", c.Raw)
	}
	rev := ok(t, r.Invoke("zvcms.reverse.response", []byte(`{"body":"{\"status\":\"true\",\"code\":\"0\",\"message\":\"冲正成功\",\"data\":{\"bizId\":\"700000000000000001\",\"cardIdList\":\"[390962138708451328]\",\"refundNo\":88}}"}`)))
	if rev.Get("bizId").Str != "700000000000000001" || rev.Get("cardIdList").Raw != `["390962138708451328"]` || rev.Get("unknown").Raw != `{"refundNo":"88"}` {
		t.Fatalf("reverse %s", rev.Raw)
	}
	if rev := ok(t, r.Invoke("zvcms.reverse.response", []byte(`{"body":"{\"status\":true,\"code\":0,\"data\":[]}"}`))); rev.Get("bizId").Str != "" {
		t.Fatalf("reverse without data %s", rev.Raw)
	}

	business, system := readFile(t, "testdata/zvcms/seed000_error_business.json"), readFile(t, "testdata/zvcms/seed000_error_system.json")
	for _, m := range []string{"zvcms.couponStatus.response", "zvcms.offCoupon.response", "zvcms.couponDetail.response", "zvcms.consume.response", "zvcms.reverse.response"} {
		e := fails(t, r.Invoke(m, []byte(`{"body":`+q(business)+`}`)), errs.APIError, "")
		if e.Get("vendorCode").Str == "" || e.Get("vendorMessage").Str == "" || e.Get("vendorStatus").Str != "true" {
			t.Errorf("%s business %s", m, e.Raw)
		}
		if e := fails(t, r.Invoke(m, []byte(`{"body":`+q(system)+`}`)), errs.SystemError, ""); e.Get("vendorStatus").Str != "false" {
			t.Errorf("%s system %s", m, e.Raw)
		}
		fails(t, r.Invoke(m, []byte(`{"body":"<html>502 Bad Gateway</html>"}`)), errs.ResponseInvalid, "")
		fails(t, r.Invoke(m, []byte(`{}`)), errs.InvalidArgument, "body")
	}
	bad := []struct{ method, body, field string }{
		{"zvcms.couponStatus.response", `{"status":true,"code":0,"data":[{"cardId":"1","useStatus":"x"}]}`, "data[0].useStatus"},
		{"zvcms.couponStatus.response", `{"status":true,"code":0,"data":{"cardId":{"a":1}}}`, "data.cardId"},
		{"zvcms.offCoupon.response", `{"status":true,"code":0,"data":{"coupon":{"amount":"-1"}}}`, "data.coupon.amount"},
		{"zvcms.offCoupon.response", `{"status":true,"code":0,"data":{"status":"used"}}`, "data.status"},
		{"zvcms.couponDetail.response", `{"status":true,"code":0,"data":{"orderAmount":"1.005"}}`, "data.orderAmount"},
		{"zvcms.consume.response", `{"status":true,"code":0,"data":{"couponsCardList":{"a":1}}}`, "data.couponsCardList"},
		{"zvcms.reverse.response", `{"status":true,"code":0,"data":{"cardIdList":7.5}}`, "data.cardIdList"},
	}
	for _, b := range bad {
		fails(t, r.Invoke(b.method, []byte(`{"body":`+q(b.body)+`}`)), errs.ResponseInvalid, b.field)
	}
}

// script is a stand-in transport answering each zvcms action with a reply
// from replies (by action; "*" for any), counting the requests, or failing
// an action with errs[action].
type script struct {
	mu      sync.Mutex
	replies map[string]string
	fail    map[string]error
	sent    []HTTPRequest
}

func (s *script) send(_ context.Context, req HTTPRequest) (HTTPResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, req)
	a := gjson.GetBytes(req.Body, "Action").Str
	if err := s.fail[a]; err != nil {
		return HTTPResponse{}, err
	}
	body, found := s.replies[a]
	if !found {
		body = s.replies["*"]
	}
	return HTTPResponse{Status: 200, Body: []byte(body)}, nil
}

func (s *script) actions() []string {
	var out []string
	for _, r := range s.sent {
		out = append(out, gjson.GetBytes(r.Body, "Action").Str+map[bool]string{true: " (idempotent)"}[r.Idempotent])
	}
	return out
}

// zvcms.resolveVerify through a scripted transport: every outcome, the
// evidence, which requests went out and which may be retried.
func TestResolveVerifyThroughSurface(t *testing.T) {
	verified := `{"status":"true","code":"0","message":"核销成功","data":{"bizId":"7000001","cardIdList":"[390962138708451328,390962138708451330]","userInfo":{}}}`
	status := func(use string) string {
		return `{"status":"true","code":"0","data":{"cardId":"","useStatus":"` + use + `"}}`
	}
	params := `{"bizId":"pos-1","customerId":"383933091455959041","couponsCardList":["390962138708451328","390962138708451330"],"amount":"500"}`
	transportErr := &errs.Error{Kind: errs.TransportError, Reason: "reset", Message: "the connection was reset"}
	cases := []struct {
		name             string
		s                *script
		outcome, reason  string
		repeated         bool
		bizID, errorCode string
		sent             string
	}{
		{"unused: repeat succeeds", &script{replies: map[string]string{zvcms.ActionCouponStatus: status("0"), zvcms.ActionVerifyCoupons: verified}},
			"verified", zvcms.ReasonRepeatSucceeded, true, "7000001", "",
			"user.coupon-new-status (idempotent),user.coupon-new-status (idempotent),communal.user.coupons-vertify"},
		{"verified already: the repeat is sent anyway", &script{replies: map[string]string{zvcms.ActionCouponStatus: status("1"), zvcms.ActionVerifyCoupons: verified}},
			"verified", zvcms.ReasonRepeatSucceeded, true, "7000001", "",
			"user.coupon-new-status (idempotent),user.coupon-new-status (idempotent),communal.user.coupons-vertify"},
		{"another till redeemed it", &script{replies: map[string]string{zvcms.ActionCouponStatus: status("1"),
			zvcms.ActionVerifyCoupons: `{"status":true,"code":"40010","message":"优惠券已使用"}`}},
			"not_verified", zvcms.ReasonRepeatRefused, true, "", "API_ERROR",
			"user.coupon-new-status (idempotent),user.coupon-new-status (idempotent),communal.user.coupons-vertify"},
		{"frozen", &script{replies: map[string]string{zvcms.ActionCouponStatus: status("2")}},
			"not_verified", zvcms.ReasonCouponNotUsable, false, "", "", "user.coupon-new-status (idempotent)"},
		{"the query fails", &script{fail: map[string]error{zvcms.ActionCouponStatus: transportErr}},
			"still_unknown", zvcms.ReasonStatusUnavailable, false, "", "TRANSPORT_ERROR",
			"user.coupon-new-status (idempotent),user.coupon-new-status (idempotent)"},
		{"the repeat fails", &script{replies: map[string]string{zvcms.ActionCouponStatus: status("0")}, fail: map[string]error{zvcms.ActionVerifyCoupons: transportErr}},
			"still_unknown", zvcms.ReasonRepeatFailed, true, "", "TRANSPORT_ERROR",
			"user.coupon-new-status (idempotent),user.coupon-new-status (idempotent),communal.user.coupons-vertify"},
		{"an unreadable repeat", &script{replies: map[string]string{zvcms.ActionCouponStatus: status("0"), zvcms.ActionVerifyCoupons: `<html>`}},
			"still_unknown", zvcms.ReasonRepeatFailed, true, "", "RESPONSE_INVALID",
			"user.coupon-new-status (idempotent),user.coupon-new-status (idempotent),communal.user.coupons-vertify"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := New(Options{Send: c.s.send})
			res := ok(t, r.Invoke("zvcms.resolveVerify", []byte(`{"zvcms":`+zvcmsCreds()+`,"timeoutMs":2000,"params":`+params+`}`)))
			if res.Get("outcome").Str != c.outcome || res.Get("reason").Str != c.reason || res.Get("repeated").Bool() != c.repeated ||
				res.Get("bizId").Str != c.bizID || res.Get("error.code").Str != c.errorCode {
				t.Fatalf("%s", res.Raw)
			}
			if got := strings.Join(c.s.actions(), ","); got != c.sent {
				t.Fatalf("sent %s, want %s", got, c.sent)
			}
			if c.outcome == "verified" && (res.Get("verify.bizId").Str != "7000001" || res.Get("verify.cardIdList.#").Int() != 2) {
				t.Fatalf("verify %s", res.Get("verify").Raw)
			}
			if c.outcome != "verified" && res.Get("verify").Type != gjson.Null {
				t.Fatalf("verify %s", res.Get("verify").Raw)
			}
			ev := res.Get("coupons.0")
			if ev.Get("coupon").Str != "390962138708451328" || ev.Get("action").Str != zvcms.ActionCouponStatus {
				t.Fatalf("evidence %s", ev.Raw)
			}
			if c.reason == zvcms.ReasonStatusUnavailable && (ev.Get("status").Str != "" || ev.Get("error.reason").Str != "reset") {
				t.Fatalf("evidence %s", ev.Raw)
			}
			if c.reason != zvcms.ReasonStatusUnavailable && (ev.Get("status").Str == "" || ev.Get("error").Type != gjson.Null) {
				t.Fatalf("evidence %s", ev.Raw)
			}
			// The repeat carries the original bizId and coupons.
			for _, q := range c.s.sent {
				if b := gjson.ParseBytes(q.Body); b.Get("Action").Str == zvcms.ActionVerifyCoupons &&
					(b.Get("Params.bizId").Str != "pos-1" || b.Get("Params.couponsCardList.#").Int() != 2 || q.TimeoutMs != 2000) {
					t.Fatalf("repeat %s", q.Body)
				}
			}
		})
	}
	// Scanned codes are asked with coupon.off-coupon.
	s := &script{replies: map[string]string{zvcms.ActionOffCoupon: `{"status":true,"code":0,"data":{"status":"2"}}`}}
	res := ok(t, New(Options{Send: s.send}).Invoke("zvcms.resolveVerify", []byte(`{"zvcms":`+zvcmsCreds()+
		`,"params":{"bizId":"b","type":1,"couponsCardList":["100000000001"]}}`)))
	if res.Get("outcome").Str != "still_unknown" || res.Get("coupons.0.action").Str != zvcms.ActionOffCoupon || res.Get("coupons.0.status").Str != "2" {
		t.Fatalf("scanned %s", res.Raw)
	}
	// No transport: the call fails as a whole; a request the transport
	// refuses before sending is the call's error, naming the field.
	fails(t, New(Options{}).Invoke("zvcms.resolveVerify", []byte(`{"zvcms":`+zvcmsCreds()+`,"params":`+params+`}`)), errs.TransportError, "")
	refuse := func(context.Context, HTTPRequest) (HTTPResponse, error) {
		return HTTPResponse{}, errs.Invalid("headers.X-A", "a header value holds CR or LF")
	}
	fails(t, New(Options{Send: refuse}).Invoke("zvcms.resolveVerify", []byte(`{"zvcms":`+zvcmsCreds()+`,"headers":{"X-A":"a\rb"},"params":`+params+`}`)),
		errs.InvalidArgument, "headers.X-A")
}

// The one-call methods send what the .request methods build, retried only
// when the request is a query, and parse the reply with the action's
// parser (the reversal's with its own, whatever its configured name).
func TestLifecycleOneCalls(t *testing.T) {
	s := &script{replies: map[string]string{
		zvcms.ActionCouponStatus: readFile(t, "testdata/zvcms/status_response.json"),
		zvcms.ActionOffCoupon:    readFile(t, "testdata/zvcms/offcoupon_response.json"),
		zvcms.ActionCouponDetail: readFile(t, "testdata/zvcms/detail_response.json"),
		zvcms.ActionConsume:      readFile(t, "testdata/zvcms/consume_response.json"),
		"merchant.reverse":       `{"status":"true","code":"0","message":"ok","data":{"bizId":"paywewre121","cardIdList":"[390962138708451328]"}}`,
	}}
	r := New(Options{Send: s.send})
	creds := strings.TrimSuffix(zvcmsCreds(), "}") + `,"reversalAction":"merchant.reverse"}`
	call := func(method, params string) gjson.Result {
		return ok(t, r.Invoke(method, []byte(`{"zvcms":`+creds+`,"params":`+params+`}`)))
	}
	if v := call("zvcms.couponStatus", `{"customerId":"383933091455959041","cardId":"390913445498200065"}`); v.Get("coupons.0.useStatusName").Str != "unused" {
		t.Fatalf("status %s", v.Raw)
	}
	if v := call("zvcms.offCoupon", `{"code":"20191202089026199489"}`); v.Get("id").Str != "390913445498200065" {
		t.Fatalf("off-coupon %s", v.Raw)
	}
	if v := call("zvcms.couponDetail", `{"userCouponCode":"390913445498200065"}`); v.Get("id").Str == "" {
		t.Fatalf("detail %s", v.Raw)
	}
	if v := call("zvcms.consume", `{"bizId":"paywewre121","customerId":"383933091455959041","amountFen":1250,"payPassword":"123456"}`); v.Get("bizId").Str != "paywewre121" ||
		strings.Contains(v.Raw, "123456") {
		t.Fatalf("consume %s", v.Raw)
	}
	if v := call("zvcms.reverse", `{"bizId":"paywewre121"}`); v.Get("cardIdList.0").Str != "390962138708451328" {
		t.Fatalf("reverse %s", v.Raw)
	}
	want := "user.coupon-new-status (idempotent),coupon.off-coupon (idempotent),communal.coupon.coupon-detail (idempotent),communal.user.consume,merchant.reverse"
	if got := strings.Join(s.actions(), ","); got != want {
		t.Fatalf("sent %s", got)
	}
	if pw := gjson.GetBytes(s.sent[3].Body, "Params.payPassword").Str; pw != "123456" {
		t.Fatalf("the password was not sent: %q", pw)
	}
}
