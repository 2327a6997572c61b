package allinpay

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

func validConsume() CouponConsumeParams {
	return CouponConsumeParams{ShopID: "1", OperUserID: "cashier-01", OrderID: "R-1",
		CouponConsumeList: []CouponConsumeItem{{CouponNo: "10000000010000055943", ConsumeAmount: "1", Passwd: "SECRET-PW-CIPHER",
			PrincipalAmt: "10.50", Remark: "备注", StlmShopList: []StlmShop{{StlmShopID: "12", StlmAmount: "10.50"}, {StlmShopCode: "S2", StlmAmount: "0"}}}}}
}

// TestCouponConsumeBizContent: the documented members in the documented
// order, amounts and stlmShopId as JSON numbers written exactly as given.
func TestCouponConsumeBizContent(t *testing.T) {
	p := validConsume()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	want := `{"shopId":"1","operUserId":"cashier-01","orderId":"R-1","couponConsumeList":[{"couponNo":"10000000010000055943",` +
		`"consumeAmount":"1","passwd":"SECRET-PW-CIPHER","principalAmt":10.50,"remark":"备注","stlmShopList":[{"stlmShopId":12,` +
		`"stlmAmount":10.50},{"stlmShopCode":"S2","stlmAmount":0}]}]}`
	if got := string(p.BizContent()); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	req, err := testClient(t, keySets[0], VerifyAny).CouponConsume(p, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	form, _ := url.ParseQuery(string(req.Body))
	if form.Get("method") != MethodCouponConsumeV1 || form.Get("bizContent") != want {
		t.Fatalf("form %v", form)
	}
	if s := fmt.Sprint(p.CouponConsumeList[0]); strings.Contains(s, "SECRET") || !strings.Contains(s, "redacted") {
		t.Fatalf("String shows the password: %s", s)
	}
	q := CouponQueryParams{CouponNo: `a"b`}
	if string(q.BizContent()) != `{"couponNo":"a\"b"}` {
		t.Fatalf("%s", q.BizContent())
	}
}

// TestCouponConsumeValidation: invalid inputs, each refused with the
// vendor's member path relative to the business parameters; no message
// contains the password.
func TestCouponConsumeValidation(t *testing.T) {
	cases := []struct {
		edit  func(*CouponConsumeParams)
		kind  errs.Kind
		field string
	}{
		{func(p *CouponConsumeParams) { p.ShopID = "" }, errs.InvalidArgument, "shopId"},
		{func(p *CouponConsumeParams) { p.OperUserID = "" }, errs.InvalidArgument, "operUserId"},
		{func(p *CouponConsumeParams) { p.OrderID = "" }, errs.InvalidArgument, "orderId"},
		{func(p *CouponConsumeParams) { p.CouponConsumeList = nil }, errs.InvalidArgument, "couponConsumeList"},
		{func(p *CouponConsumeParams) {
			p.CouponConsumeList = make([]CouponConsumeItem, 101)
		}, errs.TooLarge, "couponConsumeList"},
		{func(p *CouponConsumeParams) { p.CouponConsumeList[0].CouponNo = "" }, errs.InvalidArgument, "couponConsumeList[0].couponNo"},
		{func(p *CouponConsumeParams) {
			p.CouponConsumeList = append(p.CouponConsumeList, p.CouponConsumeList[0])
		}, errs.InvalidArgument, "couponConsumeList[1].couponNo"},
		{func(p *CouponConsumeParams) { p.CouponConsumeList[0].ConsumeAmount = "" }, errs.InvalidArgument, "couponConsumeList[0].consumeAmount"},
		{func(p *CouponConsumeParams) { p.CouponConsumeList[0].ConsumeAmount = "1.5" }, errs.InvalidArgument, "couponConsumeList[0].consumeAmount"},
		{func(p *CouponConsumeParams) { p.CouponConsumeList[0].ConsumeAmount = "0" }, errs.InvalidArgument, "couponConsumeList[0].consumeAmount"},
		{func(p *CouponConsumeParams) { p.CouponConsumeList[0].ConsumeAmount = "-1" }, errs.InvalidArgument, "couponConsumeList[0].consumeAmount"},
		{func(p *CouponConsumeParams) { p.CouponConsumeList[0].PrincipalAmt = "10.505" }, errs.InvalidArgument, "couponConsumeList[0].principalAmt"},
		{func(p *CouponConsumeParams) { p.CouponConsumeList[0].PrincipalAmt = "-1" }, errs.InvalidArgument, "couponConsumeList[0].principalAmt"},
		{func(p *CouponConsumeParams) { p.CouponConsumeList[0].PrincipalAmt = "1e2" }, errs.InvalidArgument, "couponConsumeList[0].principalAmt"},
		{func(p *CouponConsumeParams) {
			p.CouponConsumeList[0].StlmShopList[1].StlmShopCode = ""
		}, errs.InvalidArgument, "couponConsumeList[0].stlmShopList[1].stlmShopId"},
		{func(p *CouponConsumeParams) {
			p.CouponConsumeList[0].StlmShopList[0].StlmShopID = "12a"
		}, errs.InvalidArgument, "couponConsumeList[0].stlmShopList[0].stlmShopId"},
		{func(p *CouponConsumeParams) {
			p.CouponConsumeList[0].StlmShopList[0].StlmAmount = ""
		}, errs.InvalidArgument, "couponConsumeList[0].stlmShopList[0].stlmAmount"},
		{func(p *CouponConsumeParams) {
			p.CouponConsumeList[0].StlmShopList[0].StlmAmount = "ten"
		}, errs.InvalidArgument, "couponConsumeList[0].stlmShopList[0].stlmAmount"},
	}
	c := testClient(t, keySets[0], VerifyAny)
	for i, tc := range cases {
		p := validConsume()
		tc.edit(&p)
		_, err := c.CouponConsume(p, time.Time{})
		e := wantKind(t, err, tc.kind, tc.field)
		if strings.Contains(e.Error(), "SECRET") {
			t.Fatalf("case %d: the password is in the error: %v", i, e)
		}
	}
	if len(cases) < 10 {
		t.Fatal("fewer than 10 invalid inputs")
	}
	_, err := c.CouponQuery(CouponQueryParams{}, time.Time{})
	wantKind(t, err, errs.InvalidArgument, "couponNo")
}

// signedReply signs data as a successful reply (SDK form, MD5) with the
// RSA2 test key.
func signedReply(t *testing.T, data string) []byte {
	t.Helper()
	body, err := SignResponse([]byte(`{"code":0,"msg":"成功","data":`+data+`,"reqSeq":"r","respSeq":"s"}`),
		mustPriv(t, keySets[0].priv), RSA2, "", SDKMD5)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// TestCouponQueryResponse: the vendor's members typed (money exact, with
// the scale; dates as arrays or strings; null dates as no limit), and at
// least 10 malformed replies, each refused naming the JSON path.
func TestCouponQueryResponse(t *testing.T) {
	c := testClient(t, keySets[0], VerifyAny)
	data := `{"templateId":307,"couponNo":"10000000010000055943","couponName":"券",` +
		`"couponType":2,"balance":3.0,"initAmount":1.05E+1,"unit":"次","validityType":0,"validityBeginDate":[2020,4,10],` +
		`"validityEndDate":null,"extra":1}`
	res, err := c.ParseCouponQueryResponse(signedReply(t, data))
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Data) != data {
		t.Errorf("data %s, want it as sent", res.Data)
	}
	if res.TemplateID != 307 || res.CouponNo != "10000000010000055943" || res.CouponType != CouponTypeCounted || res.Balance != "3.0" ||
		res.InitAmount != "10.5" || res.Unit != "次" || res.ValidityType == nil || *res.ValidityType != 0 ||
		res.ValidityBeginDate == nil || *res.ValidityBeginDate != "2020-04-10" || res.ValidityEndDate != nil ||
		res.VerifiedBy != SDKMD5 || res.ReqSeq != "r" {
		b, _ := json.Marshal(res)
		t.Fatalf("%s", b)
	}
	bad := map[string]string{
		`{"templateId":"x"}`:                                              "data.templateId",
		`{"templateId":1.5}`:                                              "data.templateId",
		`{"templateId":1,"couponNo":{}}`:                                  "data.couponNo",
		`{"templateId":1,"couponName":7}`:                                 "data.couponName",
		`{"templateId":1,"couponType":"zero"}`:                            "data.couponType",
		`{"templateId":1,"couponType":0,"balance":"ten"}`:                 "data.balance",
		`{"templateId":1,"couponType":0,"balance":true}`:                  "data.balance",
		`{"templateId":1,"couponType":0,"initAmount":[1]}`:                "data.initAmount",
		`{"templateId":1,"couponType":0,"unit":3}`:                        "data.unit",
		`{"templateId":1,"couponType":0,"validityType":"a"}`:              "data.validityType",
		`{"templateId":1,"couponType":0,"validityBeginDate":[2020,13,1]}`: "data.validityBeginDate",
		`{"templateId":1,"couponType":0,"validityEndDate":"tomorrow"}`:    "data.validityEndDate",
		`{"templateId":1,"couponType":0,"balance":1,"balance":2}`:         "data.balance",
		`[1]`: "data",
	}
	for data, field := range bad {
		_, err := c.ParseCouponQueryResponse(signedReplyLoose(t, data))
		wantKind(t, err, errs.ResponseInvalid, field)
	}
}

// signedReplyLoose is signedReply for data that SignResponse refuses
// (repeated members): signed over its SDK form as a gateway would.
func signedReplyLoose(t *testing.T, data string) []byte {
	t.Helper()
	body := `{"code":0,"msg":"成功","data":` + data + `}`
	r, err := readReply([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	sign, err := Sign(mustPriv(t, keySets[0].priv), RSA2, "", SDKMD5.SignedMessage(r.sdkForm()))
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.withSign(sign)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCouponConsumeResponse: the vendor's members typed, and malformed
// replies refused naming the JSON path.
func TestCouponConsumeResponse(t *testing.T) {
	c := testClient(t, keySets[0], VerifyAny)
	data := `{"orgName":"通联商户","tranNo":"50806050005080208145",` +
		`"couponConsumeDetail":[{"couponNo":"100","financeList":[{"accountNo":"6001","accountTitle":"券面额","accountPriority":1,"accountValue":5.00},` +
		`{"accountNo":6002,"accountTitle":"本金","accountPriority":null,"accountValue":"0.50"}]}]}`
	res, err := c.ParseCouponConsumeResponse(signedReply(t, data))
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Data) != data {
		t.Errorf("data %s, want it as sent", res.Data)
	}
	f := res.CouponConsumeDetail[0].FinanceList
	if res.OrgName != "通联商户" || res.TranNo != "50806050005080208145" || res.CouponConsumeDetail[0].CouponNo != "100" ||
		len(f) != 2 || f[0].AccountValue != "5.00" || f[0].AccountPriority != 1 || f[1].AccountNo != "6002" || f[1].AccountValue != "0.50" {
		b, _ := json.Marshal(res)
		t.Fatalf("%s", b)
	}
	bad := map[string]string{
		`{"orgName":1}`:                                                                  "data.orgName",
		`{"tranNo":{}}`:                                                                  "data.tranNo",
		`{"couponConsumeDetail":{}}`:                                                     "data.couponConsumeDetail",
		`{"couponConsumeDetail":[1]}`:                                                    "data.couponConsumeDetail",
		`{"couponConsumeDetail":[{"couponNo":[]}]}`:                                      "data.couponConsumeDetail[0].couponNo",
		`{"couponConsumeDetail":[{"financeList":"x"}]}`:                                  "data.couponConsumeDetail[0].financeList",
		`{"couponConsumeDetail":[{"financeList":[{"accountValue":"x"}]}]}`:               "data.couponConsumeDetail[0].financeList[0].accountValue",
		`{"couponConsumeDetail":[{"financeList":[{},{"accountPriority":"high"}]}]}`:      "data.couponConsumeDetail[0].financeList[1].accountPriority",
		`{"couponConsumeDetail":[{"financeList":[{"accountTitle":false}]}]}`:             "data.couponConsumeDetail[0].financeList[0].accountTitle",
		`{"couponConsumeDetail":[{"financeList":[{"accountNo":null,"accountNo":"1"}]}]}`: "data.couponConsumeDetail[0].financeList[0].accountNo",
		`"x"`: "data",
	}
	for data, field := range bad {
		_, err := c.ParseCouponConsumeResponse(signedReplyLoose(t, data))
		wantKind(t, err, errs.ResponseInvalid, field)
	}
}

// TestRequestJSONRefusals (issue 14 item 8): a lone surrogate escape in the
// free-form JSON given to a builder is INVALID_JSON with the byte offset; a
// repeated member at any depth is INVALID_ARGUMENT naming its path.
func TestRequestJSONRefusals(t *testing.T) {
	c := testClient(t, keySets[0], VerifyAny)
	send := CouponSendParams{ShopID: "1", OperUserID: "1", CouponType: "1", Num: "1", CouponTemplateID: "307", OrderID: "o"}
	for _, tc := range []struct {
		ext, kind, field, msg string
	}{
		{`{"a":"\ud800"}`, "INVALID_JSON", "extendInfo.a", "byte 6"},
		{`{"a":{"b":["x","\udc00y"]}}`, "INVALID_JSON", "extendInfo.a.b[1]", "byte 16"},
		{`{"a":"\ude00\ud83d"}`, "INVALID_JSON", "extendInfo.a", "byte 6"},
		{`{"a":1,"a":2}`, "INVALID_ARGUMENT", "extendInfo.a", "more than once"},
		{`{"x":{"b":1,"\u0062":2}}`, "INVALID_ARGUMENT", "extendInfo.x.b", "more than once"},
		{`{"l":[{"k":1},{"k":1,"k":2}]}`, "INVALID_ARGUMENT", "extendInfo.l[1].k", "more than once"},
	} {
		p := send
		p.ExtendInfo = json.RawMessage(tc.ext)
		_, err := c.CouponSend(p, time.Time{})
		e := wantKind(t, err, errs.Kind(tc.kind), tc.field)
		if !strings.Contains(e.Message, tc.msg) {
			t.Errorf("%s: %v", tc.ext, err)
		}
		_, err = c.Build("m", "", []byte(`{"extendInfo":`+tc.ext+`}`), time.Time{})
		wantKind(t, err, errs.Kind(tc.kind), "bizContent."+tc.field)
	}
	// A proper pair is fine, and kept as written.
	p := send
	p.ExtendInfo = json.RawMessage(`{"e":"\ud83d\ude00"}`)
	if _, err := c.CouponSend(p, time.Time{}); err != nil {
		t.Fatal(err)
	}
}
