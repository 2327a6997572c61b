package zvcms

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/tidwall/gjson"
)

// The builders reproduce the vendor pages' request examples (all but the
// Token, which depends on the openKey the pages do not give).
func TestLifecycleRequestsMatchVendorExamples(t *testing.T) {
	c := seedClient()
	cs := seedClient()
	cs.CouponListStyle = ListString
	cases := []struct {
		fixture string
		build   func() (Request, error)
		idem    bool
	}{
		{"status_request.json", func() (Request, error) {
			return c.CouponStatus(CouponStatusParams{CustomerID: "383933091455959041", CardID: "390913445498200065"}, seedStamp)
		}, true},
		{"offcoupon_request.json", func() (Request, error) {
			return c.OffCoupon(OffCouponParams{Code: "20191202089026199489"}, seedStamp)
		}, true},
		{"detail_request.json", func() (Request, error) {
			return c.CouponDetail(CouponDetailParams{UserCouponCode: "390913445498200065"}, seedStamp)
		}, true},
		{"consume_request.json", func() (Request, error) {
			return cs.Consume(ConsumeParams{BizID: "paywewre121", CustomerID: "383933091455959041",
				CouponsCardList: []string{"390962138708451328"}, Amount: FenOf(1250)}, seedStamp)
		}, false},
	}
	for _, tc := range cases {
		req, err := tc.build()
		if err != nil {
			t.Fatalf("%s: %v", tc.fixture, err)
		}
		jsonEqual(t, req.Body, fixture(t, tc.fixture), "Token")
		if req.Token != knownToken || req.Idempotent != tc.idem || req.Idempotent != IdempotentAction(req.Action) {
			t.Errorf("%s: token %s, idempotent %v", tc.fixture, req.Token, req.Idempotent)
		}
		env, err := ParseRequest(req.Body)
		if err != nil || CheckToken(c.Credentials, env, LowerCamel) != nil {
			t.Errorf("%s: the server side refuses it: %v", tc.fixture, err)
		}
	}
}

func TestIdempotentActions(t *testing.T) {
	for action, want := range map[string]bool{
		ActionCouponStatus: true, ActionOffCoupon: true, ActionCouponDetail: true, ActionCouponDiscount: true,
		ActionVerifyCoupons: false, ActionConsume: false, "merchant.coupons-reverse": false, "": false,
	} {
		if IdempotentAction(action) != want {
			t.Errorf("IdempotentAction(%q) != %v", action, want)
		}
	}
	c := seedClient()
	if r, _ := c.Build(ActionCouponStatus, []byte(`{"customerId":"1"}`), seedStamp); !r.Idempotent {
		t.Error("Build of a status query is not marked idempotent")
	}
	if r, _ := c.Build("a.b", nil, seedStamp); r.Idempotent {
		t.Error("Build of an unknown action is marked idempotent")
	}
	if r, _ := c.VerifyCoupons(seedVerifyParams(), seedStamp); r.Idempotent {
		t.Error("verify is marked idempotent")
	}
	c.ReversalAction = ActionCouponStatus // a misconfiguration: still no retries
	if r, err := c.Reverse(ReverseParams{BizID: "1"}, seedStamp); err != nil || r.Idempotent {
		t.Errorf("a reversal is marked idempotent: %v", err)
	}
}

func TestParseCouponStatusResponse(t *testing.T) {
	res, err := ParseCouponStatusResponse(fixture(t, "status_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := CouponStatus{BeginAt: "2019-08-24 00:00:00", CardID: "390913445498200065", CouponID: "389420520079552512",
		CouponType: IntOf(0), CustomerID: "383933091455959041", UseStatus: IntOf(UseStatusUnused), TemplateID: "895"}
	if len(res.Coupons) != 1 || !reflect.DeepEqual(res.Coupons[0], want) || !res.Response.OK() {
		t.Fatalf("%+v", res.Coupons)
	}
	if res.Find("390913445498200065") != &res.Coupons[0] || res.Find("1") != nil {
		t.Fatal("Find")
	}

	res, err = ParseCouponStatusResponse(fixture(t, "status_response_list.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Coupons) != 3 {
		t.Fatalf("%d coupons", len(res.Coupons))
	}
	a, b, c := res.Coupons[0], res.Coupons[1], res.Coupons[2]
	if a.CardID != "390962138708451328" || a.CustomerID != "383933091455959041" || a.TemplateID != "307" ||
		a.UseStatus != IntOf(1) || a.CouponType != IntOf(0) || a.Title != "满20减5元券" || a.Channel != "sandbox" {
		t.Fatalf("first %+v", a)
	}
	if !reflect.DeepEqual(a.Unknown, []RawMember{{"verifyStoreMark", []byte(`"SH-01"`)}}) {
		t.Fatalf("unknown members %q", a.Unknown)
	}
	if b.UseStatus != IntOf(UseStatusFrozen) || b.CouponType.Valid || b.Extra != "" || b.Unknown != nil {
		t.Fatalf("second %+v", b)
	}
	if c.CardID != "9007199254740993" || c.UseStatus != IntOf(UseStatusDeleted) || string(Member(c.Unknown, "tags")) != `["a",{"b":1}]` {
		t.Fatalf("third %+v", c)
	}
	if res.Find("390962138708451329") != &res.Coupons[1] {
		t.Fatal("Find in a list")
	}
	for _, data := range []string{``, `,"data":null`, `,"data":""`, `,"data":[]`, `,"data":{}`} {
		res, err := ParseCouponStatusResponse([]byte(`{"status":true,"code":"0"` + data + `}`))
		if err != nil || len(res.Coupons) != 0 || res.Find("1") != nil {
			t.Errorf("data %q: %+v %v", data, res, err)
		}
	}
	one, err := ParseCouponStatusResponse([]byte(`{"status":true,"code":"0","data":{"useStatus":1}}`))
	if err != nil || one.Find("390962138708451328") == nil || one.Find("x").UseStatus != IntOf(1) {
		t.Fatalf("a single coupon without cardId: %+v %v", one, err)
	}
}

func TestParseOffCouponResponse(t *testing.T) {
	res, err := ParseOffCouponResponse(fixture(t, "offcoupon_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	u := res.UserCoupon
	if u.ID != "390913445498200065" || u.UserID != "383933091455959041" || u.CouponID != "953" || u.StartAt != "1575216000" ||
		u.EndAt != "1577807999" || u.Status != IntOf(OffStatusUnused) || u.TypeID != IntOf(0) || u.CreatedAt != "1575252000" ||
		u.IsLock != IntOf(LockReleased) || u.VerifierName != "" || u.Unknown != nil {
		t.Fatalf("%+v", u)
	}
	// A 20-digit JSON number, digit for digit.
	if u.VerifyCode != "20191202089026199489" || !strings.HasSuffix(u.VerifyCodeQrcode, "20191202089026199489.png") {
		t.Fatalf("verify code %q", u.VerifyCode)
	}
	want := CouponRules{ID: "953", Title: "测试优惠券", Amount: "5.00", CouponType: IntOf(CouponFixedAmount), MinAmountUse: "20",
		GoodsRangeType: IntOf(0), ExpireType: IntOf(0), Desc: "单笔消费满20元可用", ShopRangeType: IntOf(0), Total: IntOf(0),
		Number: IntOf(120), Used: IntOf(37), Unknown: []RawMember{{"number_of_user", []byte(`"1"`)}}}
	if !reflect.DeepEqual(u.Coupon, want) {
		t.Fatalf("\n got %+v\nwant %+v", u.Coupon, want)
	}

	res, err = ParseOffCouponResponse(fixture(t, "offcoupon_response_lenient.json"))
	if err != nil {
		t.Fatal(err)
	}
	u = res.UserCoupon
	if u.ID != "390913445498200065" || u.UserID != "9007199254740993" || u.Status != IntOf(OffStatusLocked) || u.IsLock != IntOf(LockLocked) ||
		u.EndAt != "" || u.TypeID.Valid || u.VerifyCode != "000123456789" || string(Member(u.Unknown, "lock_reason")) != `"核销中"` {
		t.Fatalf("%+v", u)
	}
	if cr := u.Coupon; cr.Amount != "8.5" || cr.CouponType != IntOf(CouponRate) || cr.MinAmountUse != "0" || cr.Total.Valid || cr.Used.Valid ||
		string(Member(cr.Unknown, "apply_goods")) != `["6901234567001","6901234567002"]` {
		t.Fatalf("%+v", cr)
	}
	res, err = ParseOffCouponResponse(fixture(t, "offcoupon_response_empty_coupon.json"))
	if err != nil || res.Status != IntOf(OffStatusUsed) || res.VerifierName != "收银员01" || !reflect.DeepEqual(res.Coupon, CouponRules{}) {
		t.Fatalf("PHP's [] for an empty coupon: %+v %v", res, err)
	}
}

func TestParseCouponDetailResponse(t *testing.T) {
	res, err := ParseCouponDetailResponse(fixture(t, "detail_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := CouponDetail{ID: "390913445498200065", ActivityID: "12", ActivityName: "开业领券", ActivityType: IntOf(2),
		ApplySellerID: "1", ApplySellerName: "沙箱门店", CreateScene: "活动领取", CreatedAt: "2019-12-02 10:00:00",
		CustomerID: "383933091455959041", CustomerName: "张三", CustomerPhone: "13800138000", GainChannel: IntOf(1),
		GainStoreID: "1", GainTime: "2019-12-02 10:00:00", GiveState: IntOf(0), IsBelongCompanyStaff: IntOf(0),
		IsFixedTimeScope: IntOf(0), OrderAmount: FenOf(2600), SellerID: "1", SellerName: "沙箱门店", SellerType: IntOf(2),
		Unknown: []RawMember{{"templateId", []byte(`"895"`)}, {"useStatus", []byte(`"1"`)}}}
	if !reflect.DeepEqual(res.CouponDetail, want) {
		t.Fatalf("\n got %+v\nwant %+v", res.CouponDetail, want)
	}
	res, err = ParseCouponDetailResponse(fixture(t, "detail_response_lenient.json"))
	if err != nil {
		t.Fatal(err)
	}
	if d := res.CouponDetail; d.ID != "390913445498200065" || d.ActivityID != "0" || d.CustomerID != "383933091455959041" ||
		d.OrderAmount != FenOf(2650) || d.IsFixedTimeScope.Valid || d.SellerID != "9007199254740993" || d.GiveState != IntOf(1) ||
		string(Member(d.Unknown, "fixedTimeScope")) != `{"weekdays":[1,2,3],"from":"11:00","to":"14:00"}` {
		t.Fatalf("%+v", d)
	}
}

func TestParseConsumeResponse(t *testing.T) {
	res, err := ParseConsumeResponse(fixture(t, "consume_response.json"))
	if err != nil || res.BizID != "paywewre121" || !reflect.DeepEqual(res.CouponsCardList, []string{"390962138708451328"}) || res.Unknown != nil {
		t.Fatalf("%+v %v", res, err)
	}
	// bizId beside status and code (the page's table), the rest of data kept.
	res, err = ParseConsumeResponse(fixture(t, "consume_response_lenient.json"))
	if err != nil || res.BizID != "9007199254740993" || !reflect.DeepEqual(res.CouponsCardList, []string{"390962138708451328", "390962138708451329"}) ||
		string(Member(res.Unknown, "balance")) != `"87.50"` || string(Member(res.Unknown, "points")) != "120" {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestParseReverseResponse(t *testing.T) {
	res, err := ParseReverseResponse([]byte(`{"status":"true","code":"0","data":{"bizId":700000000000000001,"cardIdList":"[1,2]","refundNo":"R1"}}`))
	if err != nil || res.BizID != "700000000000000001" || !reflect.DeepEqual(res.CardIDList, []string{"1", "2"}) ||
		!reflect.DeepEqual(res.Unknown, []RawMember{{"refundNo", []byte(`"R1"`)}}) {
		t.Fatalf("%+v %v", res, err)
	}
	for _, data := range []string{`true`, `"ok"`, `[]`, `null`} {
		res, err := ParseReverseResponse([]byte(`{"status":true,"code":0,"data":` + data + `}`))
		if err != nil || res.BizID != "" || string(res.Response.Data) != data {
			t.Errorf("data %s: %+v %v", data, res, err)
		}
	}
}

// Every new reply parser gives the vendor's business and system errors (the
// pages' 异常示例 and 错误码 examples, the same on every page) their kinds.
func TestLifecycleVendorErrors(t *testing.T) {
	parsers := map[string]func([]byte) error{
		"status":  func(b []byte) error { _, err := ParseCouponStatusResponse(b); return err },
		"off":     func(b []byte) error { _, err := ParseOffCouponResponse(b); return err },
		"detail":  func(b []byte) error { _, err := ParseCouponDetailResponse(b); return err },
		"consume": func(b []byte) error { _, err := ParseConsumeResponse(b); return err },
		"reverse": func(b []byte) error { _, err := ParseReverseResponse(b); return err },
	}
	for name, parse := range parsers {
		e := wantKind(t, parse(fixture(t, "seed000_error_business.json")), errs.APIError, "")
		if e.VendorStatus != "true" || e.VendorMessage != "异常说明:查询的信息不存在" {
			t.Errorf("%s: %+v", name, e)
		}
		e = wantKind(t, parse(fixture(t, "seed000_error_system.json")), errs.SystemError, "")
		if e.VendorStatus != "false" || e.VendorCode != "系统错误编码:详见全局返回编码" {
			t.Errorf("%s: %+v", name, e)
		}
		wantKind(t, parse([]byte(`{"status":true}`)), errs.ResponseInvalid, "code")
		wantKind(t, parse([]byte(`<html>502</html>`)), errs.ResponseInvalid, "")
	}
}

// Malformed members are RESPONSE_INVALID naming their JSON path.
func TestLifecycleMalformedReplies(t *testing.T) {
	ok := `{"status":true,"code":"0","data":`
	cases := []struct {
		name, body, field string
		parse             func([]byte) error
	}{
		{"status useStatus text", ok + `{"useStatus":"unused"}}`, "data.useStatus", statusParse},
		{"status list element", ok + `[{"useStatus":1},{"useStatus":1.5}]}`, "data[1].useStatus", statusParse},
		{"status element not an object", ok + `[{"useStatus":1},7]}`, "data[1]", statusParse},
		{"status data a number", ok + `5}`, "data", statusParse},
		{"status cardId an object", ok + `{"cardId":{"id":1}}}`, "data.cardId", statusParse},
		{"off status text", ok + `{"status":"locked"}}`, "data.status", offParse},
		{"off coupon a string", ok + `{"coupon":"953"}}`, "data.coupon", offParse},
		{"off amount negative", ok + `{"coupon":{"amount":"-5"}}}`, "data.coupon.amount", offParse},
		{"off min_amount_use text", ok + `{"coupon":{"min_amount_use":"满20"}}}`, "data.coupon.min_amount_use", offParse},
		{"off is_lock array", ok + `{"is_lock":[2]}}`, "data.is_lock", offParse},
		{"detail orderAmount 3 decimals", ok + `{"orderAmount":"26.005"}}`, "data.orderAmount", detailParse},
		{"detail orderAmount negative", ok + `{"orderAmount":-1}}`, "data.orderAmount", detailParse},
		{"detail gainChannel text", ok + `{"gainChannel":"wechat"}}`, "data.gainChannel", detailParse},
		{"consume list an object", ok + `{"couponsCardList":{"0":1}}}`, "data.couponsCardList", consumeParse},
		{"consume bizId an array", ok + `{"bizId":[1]}}`, "data.bizId", consumeParse},
		{"consume top-level bizId an object", `{"status":true,"code":0,"bizId":{}}`, "bizId", consumeParse},
		{"reverse cardIdList an object", ok + `{"cardIdList":{}}}`, "data.cardIdList", reverseParse},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantKind(t, tc.parse([]byte(tc.body)), errs.ResponseInvalid, tc.field) })
	}
}

func statusParse(b []byte) error  { _, err := ParseCouponStatusResponse(b); return err }
func offParse(b []byte) error     { _, err := ParseOffCouponResponse(b); return err }
func detailParse(b []byte) error  { _, err := ParseCouponDetailResponse(b); return err }
func consumeParse(b []byte) error { _, err := ParseConsumeResponse(b); return err }
func reverseParse(b []byte) error { _, err := ParseReverseResponse(b); return err }

type invalidCase struct {
	name  string
	run   func(c *Client) error
	kind  errs.Kind
	field string
}

func runInvalid(t *testing.T, min int, cases []invalidCase) {
	t.Helper()
	if len(cases) < min {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) { wantKind(t, tc.run(seedClient()), tc.kind, tc.field) })
	}
}

// envelopeCases are the client-side failures every builder shares.
func envelopeCases(build func(c *Client, st Stamp) error) []invalidCase {
	return []invalidCase{
		{"OpenKey empty", func(c *Client) error { c.OpenKey = ""; return build(c, seedStamp) }, errs.KeyError, "OpenKey"},
		{"OpenId empty", func(c *Client) error { c.OpenID = ""; return build(c, seedStamp) }, errs.InvalidArgument, "OpenId"},
		{"Timestamp not digits", func(c *Client) error { return build(c, Stamp{Timestamp: "now", Nonce: "1"}) }, errs.InvalidArgument, "Timestamp"},
		{"Nonce not digits", func(c *Client) error { return build(c, Stamp{Timestamp: "1", Nonce: "1.5"}) }, errs.InvalidArgument, "Nonce"},
	}
}

func server(parse func([]byte) error, params string) func(*Client) error {
	return func(*Client) error { return parse([]byte(params)) }
}

func TestCouponStatusInvalidInputs(t *testing.T) {
	status := func(p CouponStatusParams) func(c *Client) error {
		return func(c *Client) error {
			if p.CustomerID == "-" {
				p.CustomerID = ""
			} else if p.CustomerID == "" {
				p.CustomerID = "383933091455959041"
			}
			_, err := c.CouponStatus(p, seedStamp)
			return err
		}
	}
	parse := func(b []byte) error { _, err := ParseCouponStatusParams(b); return err }
	cases := []invalidCase{
		{"customerId missing", status(CouponStatusParams{CustomerID: "-"}), errs.InvalidArgument, "Params.customerId"},
		{"customerId letters", status(CouponStatusParams{CustomerID: "38393309145595904a"}), errs.InvalidArgument, "Params.customerId"},
		{"customerId negative", status(CouponStatusParams{CustomerID: "-383933091455959041"}), errs.InvalidArgument, "Params.customerId"},
		{"customerId exponent", status(CouponStatusParams{CustomerID: "3.8e17"}), errs.InvalidArgument, "Params.customerId"},
		{"cardId letters", status(CouponStatusParams{CardID: "ABC"}), errs.InvalidArgument, "Params.cardId"},
		{"cardId with a space", status(CouponStatusParams{CardID: "390913 445498200065"}), errs.InvalidArgument, "Params.cardId"},
		{"useStatus 3", status(CouponStatusParams{UseStatus: IntOf(3)}), errs.InvalidArgument, "Params.useStatus"},
		{"useStatus -1", status(CouponStatusParams{UseStatus: IntOf(-1)}), errs.InvalidArgument, "Params.useStatus"},
		{"useStatus 8", status(CouponStatusParams{UseStatus: IntOf(8)}), errs.InvalidArgument, "Params.useStatus"},
		{"server: customerId an object", server(parse, `{"customerId":{"id":1}}`), errs.InvalidArgument, "Params.customerId"},
		{"server: useStatus text", server(parse, `{"customerId":"1","useStatus":"used"}`), errs.InvalidArgument, "Params.useStatus"},
		{"server: useStatus 5", server(parse, `{"customerId":"1","useStatus":5}`), errs.InvalidArgument, "Params.useStatus"},
		{"server: customerId missing", server(parse, `{"cardId":"1"}`), errs.InvalidArgument, "Params.customerId"},
		{"server: params an array", server(parse, `[{"customerId":"1"}]`), errs.InvalidArgument, "Params"},
	}
	cases = append(cases, envelopeCases(func(c *Client, st Stamp) error {
		_, err := c.CouponStatus(CouponStatusParams{CustomerID: "1"}, st)
		return err
	})...)
	runInvalid(t, 10, cases)
}

func TestOffCouponAndDetailInvalidInputs(t *testing.T) {
	off := func(code string) func(c *Client) error {
		return func(c *Client) error { _, err := c.OffCoupon(OffCouponParams{Code: code}, seedStamp); return err }
	}
	offParse := func(b []byte) error { _, err := ParseOffCouponParams(b); return err }
	cases := []invalidCase{
		{"code missing", off(""), errs.InvalidArgument, "Params.code"},
		{"code bad UTF-8", off("2019\xff"), errs.InvalidArgument, "Params.code"},
		{"code a lone surrogate", off("\xed\xa0\x80"), errs.InvalidArgument, "Params.code"},
		{"server: code an object", server(offParse, `{"code":{"v":"1"}}`), errs.InvalidArgument, "Params.code"},
		{"server: code an array", server(offParse, `{"code":["1"]}`), errs.InvalidArgument, "Params.code"},
		{"server: code null", server(offParse, `{"code":null}`), errs.InvalidArgument, "Params.code"},
		{"server: code empty", server(offParse, `{"code":""}`), errs.InvalidArgument, "Params.code"},
		{"server: params not JSON", server(offParse, `{"code":`), errs.InvalidArgument, "Params"},
		{"server: params a string", server(offParse, `"2019"`), errs.InvalidArgument, "Params"},
	}
	cases = append(cases, envelopeCases(func(c *Client, st Stamp) error { _, err := c.OffCoupon(OffCouponParams{Code: "1"}, st); return err })...)
	runInvalid(t, 10, cases)

	detail := func(code string) func(c *Client) error {
		return func(c *Client) error {
			_, err := c.CouponDetail(CouponDetailParams{UserCouponCode: code}, seedStamp)
			return err
		}
	}
	detailParse := func(b []byte) error { _, err := ParseCouponDetailParams(b); return err }
	cases = []invalidCase{
		{"userCouponCode missing", detail(""), errs.InvalidArgument, "Params.userCouponCode"},
		{"userCouponCode bad UTF-8", detail("\xc3("), errs.InvalidArgument, "Params.userCouponCode"},
		{"userCouponCode truncated UTF-8", detail("券\xe5\x88"), errs.InvalidArgument, "Params.userCouponCode"},
		{"server: userCouponCode an object", server(detailParse, `{"userCouponCode":{}}`), errs.InvalidArgument, "Params.userCouponCode"},
		{"server: userCouponCode missing", server(detailParse, `{"code":"1"}`), errs.InvalidArgument, "Params.userCouponCode"},
		{"server: userCouponCode an array", server(detailParse, `{"userCouponCode":[1]}`), errs.InvalidArgument, "Params.userCouponCode"},
		{"server: params two objects", server(detailParse, `{}{}`), errs.InvalidArgument, "Params"},
		{"server: params a number", server(detailParse, `1`), errs.InvalidArgument, "Params"},
	}
	cases = append(cases, envelopeCases(func(c *Client, st Stamp) error {
		_, err := c.CouponDetail(CouponDetailParams{UserCouponCode: "1"}, st)
		return err
	})...)
	runInvalid(t, 10, cases)
}

func seedConsumeParams() ConsumeParams {
	return ConsumeParams{BizID: "c1", CustomerID: "383933091455959041", CouponsCardList: []string{"390962138708451328"},
		Amount: FenOf(1250), Points: 100, PayPassword: "pw-654321", OperatorID: "12"}
}

func TestConsumeInvalidInputs(t *testing.T) {
	consume := func(f func(p *ConsumeParams)) func(c *Client) error {
		return func(c *Client) error {
			p := seedConsumeParams()
			f(&p)
			_, err := c.Consume(p, seedStamp)
			return err
		}
	}
	parse := func(b []byte) error { _, err := ParseConsumeParams(b); return err }
	cases := []invalidCase{
		{"bizId missing", consume(func(p *ConsumeParams) { p.BizID = "" }), errs.InvalidArgument, "Params.bizId"},
		{"neither coupons nor amount", consume(func(p *ConsumeParams) { p.CouponsCardList, p.Amount = nil, OptFen{} }), errs.InvalidArgument, "Params.couponsCardList"},
		{"amount 0 without coupons", consume(func(p *ConsumeParams) { p.CouponsCardList, p.Amount = nil, FenOf(0) }), errs.InvalidArgument, "Params.amount"},
		{"amount negative", consume(func(p *ConsumeParams) { p.Amount = FenOf(-1) }), errs.InvalidArgument, "Params.amount"},
		{"amount too large", consume(func(p *ConsumeParams) { p.Amount = FenOf(money.MaxFen + 1) }), errs.InvalidArgument, "Params.amount"},
		{"coupon id letters", consume(func(p *ConsumeParams) { p.CouponsCardList = []string{"1", "x"} }), errs.InvalidArgument, "Params.couponsCardList[1]"},
		{"scanned code empty", consume(func(p *ConsumeParams) { p.Type = TypeScanCode; p.CouponsCardList = []string{""} }), errs.InvalidArgument, "Params.couponsCardList[0]"},
		{"customerId missing", consume(func(p *ConsumeParams) { p.CustomerID = "" }), errs.InvalidArgument, "Params.customerId"},
		{"groupId letters", consume(func(p *ConsumeParams) { p.GroupID = "g" }), errs.InvalidArgument, "Params.groupId"},
		{"operatorId letters", consume(func(p *ConsumeParams) { p.OperatorID = "cashier-01" }), errs.InvalidArgument, "Params.operatorId"},
		{"points negative", consume(func(p *ConsumeParams) { p.Points = -5 }), errs.InvalidArgument, "Params.points"},
		{"type negative", consume(func(p *ConsumeParams) { p.Type = -1 }), errs.InvalidArgument, "Params.type"},
		{"payPassword bad UTF-8", consume(func(p *ConsumeParams) { p.PayPassword = "pw\xff" }), errs.InvalidArgument, "Params.payPassword"},
		{"multiMark bad UTF-8", consume(func(p *ConsumeParams) { p.MultiMark = "\xff" }), errs.InvalidArgument, "Params.multiMark"},
		{"server: amount 3 decimals", server(parse, `{"bizId":"b","customerId":"1","amount":"12.345"}`), errs.InvalidArgument, "Params.amount"},
		{"server: amount exponent", server(parse, `{"bizId":"b","customerId":"1","amount":"1e3"}`), errs.InvalidArgument, "Params.amount"},
		{"server: payPassword an object", server(parse, `{"bizId":"b","customerId":"1","amount":"1","payPassword":{"pw":"secret-1"}}`), errs.InvalidArgument, "Params.payPassword"},
		{"server: points text", server(parse, `{"bizId":"b","customerId":"1","amount":"1","points":"many"}`), errs.InvalidArgument, "Params.points"},
	}
	cases = append(cases, envelopeCases(func(c *Client, st Stamp) error { _, err := c.Consume(seedConsumeParams(), st); return err })...)
	runInvalid(t, 10, cases)
}

// The payment password is sent, and shown nowhere else.
func TestConsumePasswordNeverShown(t *testing.T) {
	p := seedConsumeParams()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []interface{}{p, &p, []ConsumeParams{p}} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, "pw-654321") || !strings.Contains(out, redacted) || !strings.Contains(out, "383933091455959041") {
				t.Errorf("%s of %T: %s", verb, v, out)
			}
		}
	}
	req, err := seedClient().Consume(p, seedStamp)
	if err != nil || gjson.GetBytes(req.Body, "Params.payPassword").Str != "pw-654321" {
		t.Fatalf("the password is not sent: %v", err)
	}
	bad := p
	bad.PayPassword = "pw-654321\xff"
	_, err = seedClient().Consume(bad, seedStamp)
	_, err2 := ParseConsumeParams([]byte(`{"bizId":"b","customerId":"1","amount":"1","payPassword":{"pw":"pw-654321"}}`))
	for _, e := range []error{err, err2} {
		if e == nil || strings.Contains(e.Error(), "pw-654321") {
			t.Errorf("error %v", e)
		}
	}
}

func TestReverseInvalidInputs(t *testing.T) {
	reverse := func(action string, p ReverseParams) func(c *Client) error {
		return func(c *Client) error {
			c.ReversalAction = action
			_, err := c.Reverse(p, seedStamp)
			return err
		}
	}
	const act = "merchant.coupons-reverse"
	parse := func(b []byte) error { _, err := ParseReverseParams(b); return err }
	ok := ReverseParams{BizID: "700000000000000001", CouponsCardList: []string{"390962138708451328"}}
	with := func(f func(p *ReverseParams)) ReverseParams { p := ok; f(&p); return p }
	cases := []invalidCase{
		{"no reversal action", reverse("", ok), errs.InvalidArgument, "ReversalAction"},
		{"reversal action with a space", reverse("coupon reverse", ok), errs.InvalidArgument, "ReversalAction"},
		{"reversal action with a quote", reverse(`a"b`, ok), errs.InvalidArgument, "ReversalAction"},
		{"bizId missing", reverse(act, with(func(p *ReverseParams) { p.BizID = "" })), errs.InvalidArgument, "Params.bizId"},
		{"bizId bad UTF-8", reverse(act, with(func(p *ReverseParams) { p.BizID = "\xff" })), errs.InvalidArgument, "Params.bizId"},
		{"coupon letters", reverse(act, with(func(p *ReverseParams) { p.CouponsCardList = []string{"1", "QR-1"} })), errs.InvalidArgument, "Params.couponsCardList[1]"},
		{"extra not JSON", reverse(act, with(func(p *ReverseParams) { p.Extra = []byte(`{"reason":`) })), errs.InvalidArgument, "Params"},
		{"extra an array", reverse(act, with(func(p *ReverseParams) { p.Extra = []byte(`["reason"]`) })), errs.InvalidArgument, "Params"},
		{"extra repeats bizId", reverse(act, with(func(p *ReverseParams) { p.Extra = []byte(`{"reason":"x","bizId":"2"}`) })), errs.InvalidArgument, "Params.bizId"},
		{"extra repeats couponsCardList", reverse(act, with(func(p *ReverseParams) { p.Extra = []byte(`{"couponsCardList":[]}`) })), errs.InvalidArgument, "Params.couponsCardList"},
		{"server: bizId an object", server(parse, `{"bizId":{}}`), errs.InvalidArgument, "Params.bizId"},
		{"server: bizId missing", server(parse, `{"couponsCardList":["1"]}`), errs.InvalidArgument, "Params.bizId"},
		{"server: coupons an object", server(parse, `{"bizId":"1","couponsCardList":{"a":1}}`), errs.InvalidArgument, "Params.couponsCardList"},
	}
	cases = append(cases, envelopeCases(func(c *Client, st Stamp) error {
		c.ReversalAction = act
		_, err := c.Reverse(ok, st)
		return err
	})...)
	runInvalid(t, 10, cases)
	_, err := seedClient().Reverse(ok, seedStamp)
	if e := wantKind(t, err, errs.InvalidArgument, "ReversalAction"); !strings.Contains(e.Message, "contract") || !strings.Contains(e.Message, "not public") {
		t.Errorf("the error does not say where the name comes from: %s", e.Message)
	}
}

func TestReverseBody(t *testing.T) {
	c := seedClient()
	c.ReversalAction = "merchant.coupons-reverse"
	req, err := c.Reverse(ReverseParams{BizID: "700000000000000001", CouponsCardList: []string{"390962138708451328", "390962138708451329"},
		Extra: []byte(" {\"reason\": \"顾客退货\",\n \"operatorId\": 12} ")}, seedStamp)
	if err != nil {
		t.Fatal(err)
	}
	want := `"Action":"merchant.coupons-reverse","Params":{"bizId":"700000000000000001","couponsCardList":["390962138708451328","390962138708451329"],"reason": "顾客退货",` + "\n" + ` "operatorId": 12}}`
	if !strings.HasSuffix(string(req.Body), want) || req.Idempotent || req.Action != "merchant.coupons-reverse" {
		t.Fatalf("%s", req.Body)
	}
	c.CouponListStyle = ListString
	for _, tc := range []struct {
		p       ReverseParams
		want    string
		coupons []string // what the server side reads back
	}{
		{ReverseParams{BizID: "b"}, `"Params":{"bizId":"b"}}`, nil},
		{ReverseParams{BizID: "b", Extra: []byte(`{}`)}, `"Params":{"bizId":"b"}}`, nil},
		{ReverseParams{BizID: "b", CouponsCardList: []string{"1", "2"}}, `"Params":{"bizId":"b","couponsCardList":"[1,2]"}}`, []string{"1", "2"}},
		{ReverseParams{BizID: "b", Extra: []byte(`{"couponsCardList":"[1]"}`)}, `"Params":{"bizId":"b","couponsCardList":"[1]"}}`, []string{"1"}},
	} {
		req, err := c.Reverse(tc.p, seedStamp)
		if err != nil || !strings.HasSuffix(string(req.Body), tc.want) {
			t.Errorf("%+v: %s %v", tc.p, req.Body, err)
		}
		env, _ := ParseRequest(req.Body)
		back, err := ParseReverseParams(env.Params)
		if err != nil || back.BizID != "b" || !reflect.DeepEqual(back.CouponsCardList, tc.coupons) || back.Extra != nil {
			t.Errorf("server side of %s: %+v %v", req.Body, back, err)
		}
	}
	env, _ := ParseRequest(req.Body)
	back, err := ParseReverseParams(env.Params)
	if err != nil || string(back.Extra) != `{"reason":"顾客退货","operatorId":12}` {
		t.Errorf("extra params read back: %s %v", back.Extra, err)
	}
}

// The validators name fields by their path inside Params; the Client and
// the server-side parsers add the "Params" prefix.
func TestFieldPathsRelativeToParams(t *testing.T) {
	v := seedVerifyParams()
	v.Type, v.CustomerID = 0, "383933091455959041"
	v.CouponsCardList = append(v.CouponsCardList, "x")
	d := seedDiscountParams()
	d.Items = append(d.Items, Item{Num: 1, TradeMark: "t", Price: "1"}, Item{Num: 1, TradeMark: "t", Price: "1.001"})
	cp := seedConsumeParams()
	cp.OperatorID = "o"
	for _, tc := range []struct {
		err   error
		field string
	}{
		{v.Validate(), "couponsCardList[1]"},
		{d.Validate(), "items[2].price"},
		{cp.Validate(), "operatorId"},
		{(&CouponStatusParams{}).Validate(), "customerId"},
		{(&OffCouponParams{}).Validate(), "code"},
		{(&CouponDetailParams{}).Validate(), "userCouponCode"},
		{(&ReverseParams{BizID: "b", Extra: []byte(`{"bizId":1}`)}).Validate(), "bizId"},
		{(&ReverseParams{BizID: "b", Extra: []byte(`[]`)}).Validate(), ""},
	} {
		wantKind(t, tc.err, errs.InvalidArgument, tc.field)
		want := ParamsField
		if tc.field != "" {
			want += "." + tc.field
		}
		wantKind(t, paramsErr(tc.err), errs.InvalidArgument, want)
	}
	_, err := seedClient().VerifyCoupons(v, seedStamp)
	wantKind(t, err, errs.InvalidArgument, "Params.couponsCardList[1]")
	_, err = ParseDiscountParams([]byte(`{"user_coupon_id":"1","user_id":"1","items":[{"num":1,"trade_mark":"t","price":"1.001"}]}`))
	wantKind(t, err, errs.InvalidArgument, "Params.items[0].price")
}

// What the server side accepts, the Client builds back unchanged.
func TestLifecycleParamsRoundTrip(t *testing.T) {
	c := seedClient()
	full := ConsumeParams{BizID: "消费-1", Channel: "ch", CustomerID: "383933091455959041", GroupID: "1001",
		CouponsCardList: []string{"390962138708451328", "390962138708451329"}, Amount: FenOf(1), AppType: "pos",
		DeviceSN: "SN-1", IP: "10.0.0.8", OpType: IntOf(0), OperatorID: "12", OperatorName: "收银员", PayPassword: "p\"w\\",
		ProductName: "咖啡", Reason: "r", Remark: "备注", UsePassword: "1", Points: 30, MultiMark: "SH-01"}
	for _, style := range []ListStyle{ListArray, ListString} {
		c.CouponListStyle = style
		for _, p := range []ConsumeParams{full, {BizID: "b", Type: TypeScanCode, CouponsCardList: []string{"QR 1"}}, {BizID: "b", CustomerID: "1", Amount: FenOf(99)}} {
			req, err := c.Consume(p, seedStamp)
			if err != nil {
				t.Fatal(err)
			}
			env, _ := ParseRequest(req.Body)
			back, err := ParseConsumeParams(env.Params)
			if err != nil || !reflect.DeepEqual(*back, p) {
				t.Fatalf("%s:\n%+v\n%+v %v", req.Body, p, back, err)
			}
		}
	}
	if a := gjson.GetBytes(mustBody(t)(c.Consume(full, seedStamp)), "Params.amount"); a.Str != "0.01" {
		t.Fatalf("amount %s, want yuan with two decimals", a.Raw)
	}
	for _, p := range []CouponStatusParams{{CustomerID: "1"}, {CustomerID: "1", CardID: "2", UseStatus: IntOf(0)}, {CustomerID: "1", UseStatus: IntOf(7)}} {
		req, _ := c.CouponStatus(p, seedStamp)
		env, _ := ParseRequest(req.Body)
		if back, err := ParseCouponStatusParams(env.Params); err != nil || *back != p {
			t.Fatalf("%+v: %+v %v", p, back, err)
		}
	}
}

func mustBody(t *testing.T) func(Request, error) []byte {
	return func(r Request, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r.Body
	}
}
