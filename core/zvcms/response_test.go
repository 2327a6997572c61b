package zvcms

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
)

func TestSeedVerifyResponse(t *testing.T) {
	res, err := ParseVerifyResponse(fixture(t, "seed000_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res.BizID != "paywewre121" || !reflect.DeepEqual(res.CardIDList, []string{"390962138708451328"}) ||
		res.UserInfo != (UserInfo{}) {
		t.Fatalf("%+v", res)
	}
	if r := res.Response; !r.Status || r.Code != "0" || r.Message != "说明" || !r.OK() || r.Err() != nil {
		t.Fatalf("%+v", r)
	}
}

func TestSeedDiscountResponse(t *testing.T) {
	res, err := ParseDiscountResponse(fixture(t, "seed001_response.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := DiscountResult{
		TypeCate: IntOf(1), MultiMark: "aEtGbNNVQ3m1YStlySDB0Q", CouponDiscount: FenOf(100),
		UserCouponName: "测试优惠券", UserCouponID: "496996143645872129", FinancePayment: FenOf(100),
		GoodsItems: []GoodsItem{{}},
	}
	want.Response = res.Response
	if !reflect.DeepEqual(*res, want) {
		t.Fatalf("\n got %+v\nwant %+v", *res, want)
	}
	if res.Amount != "" || res.CouponType.Valid || res.GoodsItems[0].CouponMinus.Valid {
		t.Fatal(`"" must be absent`)
	}
}

func TestSeedErrorExamples(t *testing.T) {
	for _, seed := range []string{"seed000", "seed001"} {
		body := fixture(t, seed+"_error_business.json")
		r, err := ParseResponse(body)
		e := wantKind(t, err, errs.APIError, "")
		if e.VendorStatus != "true" || e.VendorCode != "异常编码,根据不同的业务返回编码" || e.VendorMessage != "异常说明:查询的信息不存在" {
			t.Fatalf("%s: %+v", seed, e)
		}
		if r == nil || !r.Status || r.Data != nil {
			t.Fatalf("%s: the envelope comes with the error: %+v", seed, r)
		}
		if _, err := ParseVerifyResponse(body); errs.KindOf(err) != errs.APIError {
			t.Fatalf("%s verify: %v", seed, err)
		}
		if _, err := ParseDiscountResponse(body); errs.KindOf(err) != errs.APIError {
			t.Fatalf("%s discount: %v", seed, err)
		}

		body = fixture(t, seed+"_error_system.json")
		_, err = ParseDiscountResponse(body)
		e = wantKind(t, err, errs.SystemError, "")
		if e.VendorStatus != "false" || e.VendorCode != "系统错误编码:详见全局返回编码" || e.VendorMessage != "系统错误说明" {
			t.Fatalf("%s: %+v", seed, e)
		}
		if _, err := ParseVerifyResponse(body); errs.KindOf(err) != errs.SystemError {
			t.Fatalf("%s verify: %v", seed, err)
		}
	}
}

// Big ids as raw JSON numbers keep every digit; booleans and numbers are
// accepted for status and code.
func TestLenientVerifyResponse(t *testing.T) {
	res, err := ParseVerifyResponse(fixture(t, "verify_response_lenient.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res.BizID != "9007199254740993" || !reflect.DeepEqual(res.CardIDList, []string{"390962138708451328", "390962138708451329"}) {
		t.Fatalf("%+v", res)
	}
	want := UserInfo{CustomerID: "383933091455959041", Birthday: "1990-01-02", Username: "张三", Nickname: "小张",
		Phone: "13800000000", Gender: "1", Province: "340000", City: "340100", District: "340104"}
	if res.UserInfo != want || res.Response.Message != "核销成功" {
		t.Fatalf("%+v", res.UserInfo)
	}
}

// 0.1 + 0.2 (as text and as a JSON number) + 3.00 is exactly 3.30.
func TestRateDiscountResponse(t *testing.T) {
	res, err := ParseDiscountResponse(fixture(t, "discount_response_rate.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum money.Fen
	for _, g := range res.GoodsItems {
		sum += g.CouponMinus.Fen
	}
	if sum != 330 || res.CouponDiscount != FenOf(330) || res.FinancePayment != FenOf(1870) {
		t.Fatalf("shares %d, discount %v, finance %v", sum, res.CouponDiscount, res.FinancePayment)
	}
	if res.Amount != "8.5" || res.CouponType != IntOf(CouponRate) || res.TypeCate != IntOf(Takeaway) ||
		res.GoodsItems[1].TradeMark != "201909280011112" || res.UserInfo != (UserInfo{}) {
		t.Fatalf("%+v", res)
	}
}

func TestEnvelopeForms(t *testing.T) {
	cases := []struct {
		body   string
		status bool
		code   string
		kind   errs.Kind
	}{
		{`{"status":true,"code":0}`, true, "0", ""},
		{`{"status":"true","code":"0","data":null}`, true, "0", ""},
		{`{"status":"TRUE","code":" 0 "}`, true, "0", ""},
		{`{"status":1,"code":0}`, true, "0", ""},
		{`{"status":true,"code":40001,"message":"券已使用"}`, true, "40001", errs.APIError},
		{`{"status":true,"code":"-1"}`, true, "-1", errs.APIError},
		{`{"status":"false","code":"500"}`, false, "500", errs.SystemError},
		{`{"status":false,"code":0,"message":"x"}`, false, "0", errs.SystemError},
		{`{"status":0,"code":0}`, false, "0", errs.SystemError},
	}
	for _, tc := range cases {
		r, err := ParseResponse([]byte(tc.body))
		if errs.KindOf(err) != tc.kind || r == nil || r.Status != tc.status || r.Code != tc.code {
			t.Errorf("%s: %+v %v", tc.body, r, err)
		}
	}
	r, _ := ParseResponse([]byte(`{"status":true,"code":0,"data":{"id":9007199254740993}}`))
	if string(r.Data) != `{"id":9007199254740993}` {
		t.Fatalf("raw data %s", r.Data)
	}
}

// Malformed replies are RESPONSE_INVALID naming the JSON path.
func TestMalformedResponses(t *testing.T) {
	ok := `"status":"true","code":"0","message":""`
	cases := []struct {
		parse func([]byte) error
		body  string
		field string
	}{
		{verifyP, ``, ""},
		{verifyP, `{"status":true,`, ""},
		{verifyP, `[1]`, ""},
		{verifyP, `{"code":"0"}`, "status"},
		{verifyP, `{"status":"yes","code":"0"}`, "status"},
		{verifyP, `{"status":true}`, "code"},
		{verifyP, `{"status":true,"code":{}}`, "code"},
		{verifyP, `{"status":true,"code":0,"message":[1]}`, "message"},
		{verifyP, `{` + ok + `,"data":"x"}`, "data"},
		{verifyP, `{` + ok + `,"data":{"bizId":{}}}`, "data.bizId"},
		{verifyP, `{` + ok + `,"data":{"cardIdList":[1,{}]}}`, "data.cardIdList[1]"},
		{verifyP, `{` + ok + `,"data":{"cardIdList":{}}}`, "data.cardIdList"},
		{verifyP, `{` + ok + `,"data":{"userInfo":"x"}}`, "data.userInfo"},
		{verifyP, `{` + ok + `,"data":{"userInfo":{"phone":[]}}}`, "data.userInfo.phone"},
		{discountP, `{` + ok + `,"data":{"coupon_discount":"1.005"}}`, "data.coupon_discount"},
		{discountP, `{` + ok + `,"data":{"coupon_discount":"-1"}}`, "data.coupon_discount"},
		{discountP, `{` + ok + `,"data":{"finance_payment":1e2}}`, "data.finance_payment"},
		{discountP, `{` + ok + `,"data":{"type_cate":"堂食"}}`, "data.type_cate"},
		{discountP, `{` + ok + `,"data":{"coupon_type":1.5}}`, "data.coupon_type"},
		{discountP, `{` + ok + `,"data":{"amount":"8.5折"}}`, "data.amount"},
		{discountP, `{` + ok + `,"data":{"amount":"-8.5"}}`, "data.amount"},
		{discountP, `{` + ok + `,"data":{"goods_item":{}}}`, "data.goods_item"},
		{discountP, `{` + ok + `,"data":{"goods_item":[{},"x"]}}`, "data.goods_item[1]"},
		{discountP, `{` + ok + `,"data":{"goods_item":[{},{"coupon_minus":"0.1"},{"coupon_minus":"0.001"}]}}`, "data.goods_item[2].coupon_minus"},
		{discountP, `{` + ok + `,"data":{"goods_item":[{"trade_mark":{}}]}}`, "data.goods_item[0].trade_mark"},
		{discountP, `{` + ok + `,"data":{"userInfo":{"groupId":{}}}}`, "data.userInfo.groupId"},
	}
	for _, tc := range cases {
		wantKind(t, tc.parse([]byte(tc.body)), errs.ResponseInvalid, tc.field)
	}
}

func verifyP(b []byte) error   { _, err := ParseVerifyResponse(b); return err }
func discountP(b []byte) error { _, err := ParseDiscountResponse(b); return err }

// Lists arrive in several forms.
func TestListForms(t *testing.T) {
	cases := map[string][]string{
		`"[390962138708451328]"`:                   {"390962138708451328"},
		`"[390962138708451328, 9007199254740993]"`: {"390962138708451328", "9007199254740993"},
		`"[\"390962138708451328\"]"`:               {"390962138708451328"},
		`"390962138708451328,9007199254740993"`:    {"390962138708451328", "9007199254740993"},
		`"[QR-1,QR-2]"`:                            {"QR-1", "QR-2"},
		`[390962138708451328,"9007199254740993"]`:  {"390962138708451328", "9007199254740993"},
		`""`:   nil,
		`[]`:   nil,
		`null`: nil,
	}
	for in, want := range cases {
		res, err := ParseVerifyResponse([]byte(`{"status":true,"code":0,"data":{"cardIdList":` + in + `}}`))
		if err != nil || !reflect.DeepEqual(res.CardIDList, want) {
			t.Errorf("%s: %q %v", in, res.CardIDList, err)
		}
	}
}

var floaty = regexp.MustCompile(`\bfloat(32|64)\b|\.Float\(|\.Int\(\)|\.Uint\(\)|\.Value\(\)|"encoding/json"|"math"`)

// No float64 on the money or id path: the package's sources never mention
// floats nor call gjson's float-backed accessors.
func TestNoFloatInSources(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var code strings.Builder
		for _, line := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "//") {
				code.WriteString(line + "\n")
			}
		}
		if m := floaty.FindString(code.String()); m != "" {
			t.Errorf("%s uses %q", f, m)
		}
	}
}

// The codes of a refused authentication (as the sandbox answers them) say
// what to check; other codes keep the plain message.
func TestAuthCodeHints(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"status":false,"code":"10002","message":"签名错误"}`,
			`SYSTEM_ERROR: the vendor reported a system error; the Token did not verify: check openKey, openId and grantCode (issued together) and the Token key style (tokenKeyStyle) (vendor code "10002", message "签名错误")`},
		{`{"status":"false","code":10001,"message":"OpenId 无效"}`,
			`SYSTEM_ERROR: the vendor reported a system error; the OpenId is unknown to the server: check openId, and that baseUrl is the server that issued it (vendor code "10001", message "OpenId 无效")`},
		{`{"status":false,"code":" 10003 ","message":"时间戳超出允许范围"}`,
			`SYSTEM_ERROR: the vendor reported a system error; the Timestamp is outside the server's window: check this machine's clock (vendor code "10003", message "时间戳超出允许范围")`},
		{`{"status":true,"code":"10002","message":"x"}`,
			`API_ERROR: the vendor reported a business error; the Token did not verify: check openKey, openId and grantCode (issued together) and the Token key style (tokenKeyStyle) (vendor code "10002", message "x")`},
		{`{"status":false,"code":"100020","message":"x"}`, `SYSTEM_ERROR: the vendor reported a system error (vendor code "100020", message "x")`},
		{`{"status":true,"code":"40004","message":"查询的信息不存在"}`, `API_ERROR: the vendor reported a business error (vendor code "40004", message "查询的信息不存在")`},
	} {
		_, err := ParseResponse([]byte(tc.body))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got  %v\n want %s", tc.body, err, tc.want)
		}
	}
}
