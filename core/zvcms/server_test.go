package zvcms

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// Client → body → server: the envelope, the token and the typed params come
// back unchanged; 18-digit ids and 2^53+1 byte-identical.
func TestRoundTripVerify(t *testing.T) {
	for _, style := range []ListStyle{ListArray, ListString} {
		c := seedClient()
		c.CouponListStyle = style
		c.KeyStyle = Capitalized
		p := VerifyParams{
			BizID: "pos-9", Channel: "门店", CustomerID: "383933091455959041", GroupID: "9007199254740993",
			CouponsCardList: []string{"390962138708451328", "9007199254740993"},
			Ext:             Ext{ChannelType: ChannelPOS, MultiStoreID: "12", MultiStoreMark: "SH", OrderNo: "O-1", Reason: "买单"},
			TradeMarks:      []string{"201909280011111"}, Amount: FenOf(500), OrderAmount: FenOf(2600),
		}
		req, err := c.VerifyCoupons(p, seedStamp)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(req.Body, []byte("9007199254740993")) || !bytes.Contains(req.Body, []byte("390962138708451328")) {
			t.Fatalf("ids changed: %s", req.Body)
		}
		env, err := ParseRequest(req.Body)
		if err != nil {
			t.Fatal(err)
		}
		want := Envelope{OpenID: c.OpenID, GrantCode: c.GrantCode, Token: req.Token, Timestamp: "1547186244",
			Nonce: "658965", Action: ActionVerifyCoupons, Params: env.Params}
		if !reflect.DeepEqual(*env, want) {
			t.Fatalf("%+v", env)
		}
		if err := CheckToken(c.Credentials, env, Capitalized); err != nil {
			t.Fatal(err)
		}
		wantKind(t, CheckToken(c.Credentials, env, LowerCamel), errs.SignatureInvalid, "Token")
		got, err := ParseVerifyParams(env.Params)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, p) {
			t.Fatalf("style %s:\n got %+v\nwant %+v", style, *got, p)
		}
	}
}

func TestRoundTripDiscount(t *testing.T) {
	c := seedClient()
	p := seedDiscountParams()
	p.Items = append(p.Items, Item{Num: 3, TradeMark: "T2", Price: "0.1"}, Item{Num: 1, TradeMark: "T3", Price: "0.20"})
	p.UsageScenarios = UsageOffline
	req, err := c.CouponDiscount(p, Stamp{Timestamp: "1700000000", Nonce: "123456"})
	if err != nil {
		t.Fatal(err)
	}
	env, err := ParseRequest(req.Body)
	if err != nil || CheckToken(c.Credentials, env, LowerCamel) != nil {
		t.Fatal(err)
	}
	got, err := ParseDiscountParams(env.Params)
	if err != nil || !reflect.DeepEqual(*got, p) {
		t.Fatalf("%v\n got %+v\nwant %+v", err, got, p)
	}
	// The seed's own request parses too.
	env, err = ParseRequest(fixture(t, "seed001_request.json"))
	if err != nil || env.Token != "0%2B%2B3c6hthjwAml4ABAXOYF4Q6UY%3D" {
		t.Fatalf("%v %+v", err, env)
	}
	got, err = ParseDiscountParams(env.Params)
	if err != nil || !reflect.DeepEqual(*got, seedDiscountParams()) {
		t.Fatalf("%v %+v", err, got)
	}
}

func TestGenericParamsByteIdentical(t *testing.T) {
	params := `{"id":9007199254740993,"amount":0.30,"nested":{"list":[390962138708451328,1e2]},"s":"智"}`
	req, err := seedClient().Build("coupon.user-coupon-list", []byte(params), seedStamp)
	if err != nil {
		t.Fatal(err)
	}
	env, err := ParseRequest(req.Body)
	if err != nil || string(env.Params) != params {
		t.Fatalf("%v %s", err, env.Params)
	}
}

func TestServerSideErrors(t *testing.T) {
	c := seedClient()
	req, _ := c.VerifyCoupons(seedVerifyParams(), seedStamp)
	env, _ := ParseRequest(req.Body)

	bad := *env
	bad.Token = env.Token[:len(env.Token)-3] // "%3D" dropped
	wantKind(t, CheckToken(c.Credentials, &bad, LowerCamel), errs.SignatureInvalid, "Token")
	bad = *env
	bad.Nonce = "658966"
	wantKind(t, CheckToken(c.Credentials, &bad, LowerCamel), errs.SignatureInvalid, "Token")
	bad = *env
	bad.OpenID = "other"
	wantKind(t, CheckToken(c.Credentials, &bad, LowerCamel), errs.SignatureInvalid, "OpenId")
	bad = *env
	bad.GrantCode = "other"
	wantKind(t, CheckToken(c.Credentials, &bad, LowerCamel), errs.SignatureInvalid, "GrantCode")
	other := c.Credentials
	other.OpenKey = "another key"
	e := wantKind(t, CheckToken(other, env, LowerCamel), errs.SignatureInvalid, "Token")
	if bytes.Contains([]byte(e.Error()), []byte(Token(other, env.Timestamp, env.Nonce, LowerCamel))) {
		t.Fatal("the expected token leaks into the error")
	}
	wantKind(t, CheckToken(c.Credentials, nil, LowerCamel), errs.InvalidArgument, "")
	other.OpenKey = ""
	wantKind(t, CheckToken(other, env, LowerCamel), errs.KeyError, "OpenKey")

	cases := []struct {
		body  string
		kind  errs.Kind
		field string
	}{
		{`not json`, errs.InvalidJSON, ""},
		{`["OpenId"]`, errs.InvalidJSON, ""},
		{`{"GrantCode":"g","Token":"t","Timestamp":"1","Nonce":"1","Action":"a"}`, errs.InvalidArgument, "OpenId"},
		{`{"OpenId":"o","GrantCode":{},"Token":"t","Timestamp":"1","Nonce":"1","Action":"a"}`, errs.InvalidArgument, "GrantCode"},
		{`{"OpenId":"o","GrantCode":"g","Token":"","Timestamp":"1","Nonce":"1","Action":"a"}`, errs.InvalidArgument, "Token"},
		{`{"OpenId":"o","GrantCode":"g","Token":"t","Nonce":"1","Action":"a"}`, errs.InvalidArgument, "Timestamp"},
		{`{"OpenId":"o","GrantCode":"g","Token":"t","Timestamp":"1","Action":"a"}`, errs.InvalidArgument, "Nonce"},
		{`{"OpenId":"o","GrantCode":"g","Token":"t","Timestamp":"1","Nonce":"1"}`, errs.InvalidArgument, "Action"},
		{`{"OpenId":"o","GrantCode":"g","Token":"t","Timestamp":"1","Nonce":"1","Action":"a","Params":[]}`, errs.InvalidArgument, "Params"},
	}
	for _, tc := range cases {
		_, err := ParseRequest([]byte(tc.body))
		wantKind(t, err, tc.kind, tc.field)
	}

	params := []struct {
		parse func([]byte) error
		body  string
		field string
	}{
		{verifyParamsP, `[]`, "Params"},
		{verifyParamsP, `{"bizId":"b","customerId":"1","couponsCardList":[]}`, "Params.couponsCardList"},
		{verifyParamsP, `{"bizId":"b","customerId":"1","couponsCardList":"[1]","amount":"1.5"}`, "Params.amount"},
		{verifyParamsP, `{"bizId":"b","customerId":"1","couponsCardList":"[1]","ext":{"channelType":"pos"}}`, "Params.ext.channelType"},
		{verifyParamsP, `{"bizId":"b","customerId":"1","couponsCardList":"[1]","ext":"x"}`, "Params.ext"},
		{verifyParamsP, `{"bizId":{},"customerId":"1","couponsCardList":"[1]"}`, "Params.bizId"},
		{verifyParamsP, `{"bizId":"b","couponsCardList":"[1]"}`, "Params.customerId"},
		{discountParamsP, `{"user_id":"1","user_coupon_id":"2","items":[{"num":"1","trade_mark":"t","price":"1"},{"num":"0","trade_mark":"t","price":"1"}]}`, "Params.items[1].num"},
		{discountParamsP, `{"user_id":"1","user_coupon_id":"2","items":[{"num":1,"trade_mark":"t","price":1.001}]}`, "Params.items[0].price"},
		{discountParamsP, `{"user_id":"1","user_coupon_id":"2","items":["x"]}`, "Params.items[0]"},
		{discountParamsP, `{"user_id":"1","user_coupon_id":"2","items":{}}`, "Params.items"},
		{discountParamsP, `{"user_id":"1","user_coupon_id":"2","items":[{"num":"1","trade_mark":"t","price":"1"}],"type_cate":"x"}`, "Params.type_cate"},
	}
	for _, tc := range params {
		wantKind(t, tc.parse([]byte(tc.body)), errs.InvalidArgument, tc.field)
	}
}

func verifyParamsP(b []byte) error   { _, err := ParseVerifyParams(b); return err }
func discountParamsP(b []byte) error { _, err := ParseDiscountParams(b); return err }
