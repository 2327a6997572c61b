package zvcms

import "testing"

func benchVerifyParams() VerifyParams {
	return VerifyParams{
		BizID: "pos-20190111-0001", CustomerID: "383933091455959041",
		CouponsCardList: []string{"390962138708451328"},
		Ext:             Ext{ChannelType: ChannelPOS, MultiStoreMark: "aEtGbNNVQ3m1YStlySDB0Q", OrderNo: "O201901110001"},
		Amount:          FenOf(500), OrderAmount: FenOf(2600),
	}
}

func BenchmarkToken(b *testing.B) {
	c := seedClient().Credentials
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = Token(c, "1547186244", "658965", LowerCamel)
	}
}

func BenchmarkVerifyCouponsBuildSign(b *testing.B) {
	c, p := seedClient(), benchVerifyParams()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.VerifyCoupons(p, seedStamp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCouponDiscountBuildSign(b *testing.B) {
	c, p := seedClient(), seedDiscountParams()
	p.Items = append(p.Items, Item{Num: 2, TradeMark: "201909280011112", Price: "12.50"}, Item{Num: 1, TradeMark: "201909280011113", Price: "3"})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.CouponDiscount(p, seedStamp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildGeneric(b *testing.B) {
	c := seedClient()
	params := []byte(`{"user_coupon_id":"390913439370321921","user_id":"383933091455959041"}`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Build("user.coupon-new-status", params, seedStamp); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseVerifyResponse(b *testing.B) {
	body := fixture(b, "verify_response_lenient.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for i := 0; i < b.N; i++ {
		if _, err := ParseVerifyResponse(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDiscountResponse(b *testing.B) {
	body := fixture(b, "discount_response_rate.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for i := 0; i < b.N; i++ {
		if _, err := ParseDiscountResponse(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkServerParseAndCheck(b *testing.B) {
	c := seedClient()
	req, _ := c.VerifyCoupons(benchVerifyParams(), seedStamp)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		env, err := ParseRequest(req.Body)
		if err == nil {
			err = CheckToken(c.Credentials, env, LowerCamel)
		}
		if err == nil {
			_, err = ParseVerifyParams(env.Params)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
