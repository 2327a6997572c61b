package zvcms

import (
	"math/rand"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
)

// TestInvalidInputs: every rule of PROTOCOLS.md and of the builders, each
// violated once, with the expected kind and field path.
func TestInvalidInputs(t *testing.T) {
	verify := func(f func(p *VerifyParams)) func(c *Client) error {
		return func(c *Client) error {
			p := VerifyParams{BizID: "b1", CustomerID: "383933091455959041", CouponsCardList: []string{"390962138708451328"}}
			f(&p)
			_, err := c.VerifyCoupons(p, seedStamp)
			return err
		}
	}
	discount := func(f func(p *DiscountParams)) func(c *Client) error {
		return func(c *Client) error {
			p := seedDiscountParams()
			p.Items = append(p.Items, Item{Num: 2, TradeMark: "x", Price: "0.10"}, Item{Num: 1, TradeMark: "y", Price: "3"})
			f(&p)
			_, err := c.CouponDiscount(p, seedStamp)
			return err
		}
	}
	build := func(action, params string, st Stamp) func(c *Client) error {
		return func(c *Client) error { _, err := c.Build(action, []byte(params), st); return err }
	}
	creds := func(f func(c *Credentials)) func(c *Client) error {
		return func(c *Client) error { f(&c.Credentials); _, err := c.Build("a.b", nil, seedStamp); return err }
	}
	cases := []struct {
		name  string
		run   func(c *Client) error
		kind  errs.Kind
		field string
	}{
		{"bizId missing", verify(func(p *VerifyParams) { p.BizID = "" }), errs.InvalidArgument, "Params.bizId"},
		{"bizId bad UTF-8", verify(func(p *VerifyParams) { p.BizID = "a\xff" }), errs.InvalidArgument, "Params.bizId"},
		{"channel bad UTF-8", verify(func(p *VerifyParams) { p.Channel = "\xc3" }), errs.InvalidArgument, "Params.channel"},
		{"no coupons", verify(func(p *VerifyParams) { p.CouponsCardList = nil }), errs.InvalidArgument, "Params.couponsCardList"},
		{"empty coupon", verify(func(p *VerifyParams) { p.CouponsCardList = []string{"1", ""} }), errs.InvalidArgument, "Params.couponsCardList[1]"},
		{"coupon id not digits", verify(func(p *VerifyParams) { p.CouponsCardList = []string{"1", "2", "3.9e17"} }), errs.InvalidArgument, "Params.couponsCardList[2]"},
		{"scanned code empty", verify(func(p *VerifyParams) { p.Type = TypeScanCode; p.CouponsCardList = []string{""} }), errs.InvalidArgument, "Params.couponsCardList[0]"},
		{"useCount with two coupons", verify(func(p *VerifyParams) { p.UseCount = 2; p.CouponsCardList = []string{"1", "2"} }), errs.InvalidArgument, "Params.couponsCardList"},
		{"useCount negative", verify(func(p *VerifyParams) { p.UseCount = -1 }), errs.InvalidArgument, "Params.useCount"},
		{"customerId missing", verify(func(p *VerifyParams) { p.CustomerID = "" }), errs.InvalidArgument, "Params.customerId"},
		{"customerId missing, type 2", verify(func(p *VerifyParams) { p.CustomerID = ""; p.Type = 2 }), errs.InvalidArgument, "Params.customerId"},
		{"customerId not digits", verify(func(p *VerifyParams) { p.CustomerID = "-5" }), errs.InvalidArgument, "Params.customerId"},
		{"groupId not digits", verify(func(p *VerifyParams) { p.GroupID = "g1" }), errs.InvalidArgument, "Params.groupId"},
		{"type negative", verify(func(p *VerifyParams) { p.Type = -1 }), errs.InvalidArgument, "Params.type"},
		{"channelType negative", verify(func(p *VerifyParams) { p.Ext.ChannelType = -3 }), errs.InvalidArgument, "Params.ext.channelType"},
		{"multiStoreId not digits", verify(func(p *VerifyParams) { p.Ext.MultiStoreID = "1 2" }), errs.InvalidArgument, "Params.ext.multiStoreId"},
		{"multiStoreMark bad UTF-8", verify(func(p *VerifyParams) { p.Ext.MultiStoreMark = "\xed\xa0\x80" }), errs.InvalidArgument, "Params.ext.multiStoreMark"},
		{"orderNo bad UTF-8", verify(func(p *VerifyParams) { p.Ext.OrderNo = "\xfe" }), errs.InvalidArgument, "Params.ext.orderNo"},
		{"reason bad UTF-8", verify(func(p *VerifyParams) { p.Ext.Reason = "\x80" }), errs.InvalidArgument, "Params.ext.reason"},
		{"empty trade mark", verify(func(p *VerifyParams) { p.TradeMarks = []string{"a", ""} }), errs.InvalidArgument, "Params.tradeMarks[1]"},
		{"amount negative", verify(func(p *VerifyParams) { p.Amount = FenOf(-1) }), errs.InvalidArgument, "Params.amount"},
		{"amount too large", verify(func(p *VerifyParams) { p.Amount = FenOf(money.MaxFen + 1) }), errs.InvalidArgument, "Params.amount"},
		{"orderAmount negative", verify(func(p *VerifyParams) { p.OrderAmount = FenOf(-2600) }), errs.InvalidArgument, "Params.orderAmount"},

		{"no coupon id nor code", discount(func(p *DiscountParams) { p.UserCouponID = "" }), errs.InvalidArgument, "Params.user_coupon_id"},
		{"user_coupon_id not digits", discount(func(p *DiscountParams) { p.UserCouponID = "ABC" }), errs.InvalidArgument, "Params.user_coupon_id"},
		{"user_id missing", discount(func(p *DiscountParams) { p.UserID = "" }), errs.InvalidArgument, "Params.user_id"},
		{"user_id missing with code", discount(func(p *DiscountParams) { p.UserID = ""; p.UserCouponID = ""; p.CouponCode = "C1" }), errs.InvalidArgument, "Params.user_id"},
		{"user_id not digits", discount(func(p *DiscountParams) { p.UserID = "1e18" }), errs.InvalidArgument, "Params.user_id"},
		{"no items", discount(func(p *DiscountParams) { p.Items = nil }), errs.InvalidArgument, "Params.items"},
		{"num zero", discount(func(p *DiscountParams) { p.Items[1].Num = 0 }), errs.InvalidArgument, "Params.items[1].num"},
		{"num negative", discount(func(p *DiscountParams) { p.Items[0].Num = -1 }), errs.InvalidArgument, "Params.items[0].num"},
		{"trade_mark missing", discount(func(p *DiscountParams) { p.Items[2].TradeMark = "" }), errs.InvalidArgument, "Params.items[2].trade_mark"},
		{"price missing", discount(func(p *DiscountParams) { p.Items[2].Price = "" }), errs.InvalidArgument, "Params.items[2].price"},
		{"price three decimals", discount(func(p *DiscountParams) { p.Items[2].Price = "1.005" }), errs.InvalidArgument, "Params.items[2].price"},
		{"price negative", discount(func(p *DiscountParams) { p.Items[1].Price = "-0.10" }), errs.InvalidArgument, "Params.items[1].price"},
		{"price exponent", discount(func(p *DiscountParams) { p.Items[0].Price = "1e2" }), errs.InvalidArgument, "Params.items[0].price"},
		{"price NaN", discount(func(p *DiscountParams) { p.Items[0].Price = "NaN" }), errs.InvalidArgument, "Params.items[0].price"},
		{"price with unit", discount(func(p *DiscountParams) { p.Items[0].Price = "1元" }), errs.InvalidArgument, "Params.items[0].price"},
		{"coupon_id not digits", discount(func(p *DiscountParams) { p.CouponID = "95 3" }), errs.InvalidArgument, "Params.coupon_id"},
		{"discount_price 3 decimals", discount(func(p *DiscountParams) { p.DiscountPrice = "0.001" }), errs.InvalidArgument, "Params.discount_price"},
		{"type_cate negative", discount(func(p *DiscountParams) { p.TypeCate = -1 }), errs.InvalidArgument, "Params.type_cate"},
		{"usage_scenarios 2", discount(func(p *DiscountParams) { p.UsageScenarios = 2 }), errs.InvalidArgument, "Params.usage_scenarios"},
		{"multi_mark bad UTF-8", discount(func(p *DiscountParams) { p.MultiMark = "\xff" }), errs.InvalidArgument, "Params.multi_mark"},
		{"coupon_code bad UTF-8", discount(func(p *DiscountParams) { p.CouponCode = "\xff" }), errs.InvalidArgument, "Params.coupon_code"},

		{"action empty", build("", "{}", seedStamp), errs.InvalidArgument, "Action"},
		{"action with space", build("a b", "{}", seedStamp), errs.InvalidArgument, "Action"},
		{"params not JSON", build("a.b", "{", seedStamp), errs.InvalidArgument, "Params"},
		{"params an array", build("a.b", "[1]", seedStamp), errs.InvalidArgument, "Params"},
		{"params two objects", build("a.b", "{}{}", seedStamp), errs.InvalidArgument, "Params"},
		{"timestamp not digits", build("a.b", "{}", Stamp{Timestamp: "2019-01-11", Nonce: "1"}), errs.InvalidArgument, "Timestamp"},
		{"nonce not digits", build("a.b", "{}", Stamp{Timestamp: "1", Nonce: "-1"}), errs.InvalidArgument, "Nonce"},
		{"OpenId empty", creds(func(c *Credentials) { c.OpenID = "" }), errs.InvalidArgument, "OpenId"},
		{"GrantCode empty", creds(func(c *Credentials) { c.GrantCode = "" }), errs.InvalidArgument, "GrantCode"},
		{"OpenKey empty", creds(func(c *Credentials) { c.OpenKey = "" }), errs.KeyError, "OpenKey"},
		{"unknown key style", func(c *Client) error { c.KeyStyle = 2; _, err := c.Build("a.b", nil, seedStamp); return err }, errs.InvalidArgument, "KeyStyle"},
		{"unknown list style", func(c *Client) error {
			c.CouponListStyle = -1
			_, err := c.VerifyCoupons(seedVerifyParams(), seedStamp)
			return err
		}, errs.InvalidArgument, "CouponListStyle"},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			wantKind(t, tc.run(seedClient()), tc.kind, tc.field)
		})
	}
}

// The valid neighbours of the table's base values build.
func TestValidInputs(t *testing.T) {
	c := seedClient()
	ok := []VerifyParams{
		{BizID: "b", CustomerID: "1", CouponsCardList: []string{"1"}},
		{BizID: "b", Type: TypeScanCode, CouponsCardList: []string{"QR-扫码-1"}},
		{BizID: "b", CustomerID: "1", UseCount: 3, CouponsCardList: []string{"1"}, Amount: FenOf(0), OrderAmount: FenOf(money.MaxFen)},
	}
	for i, p := range ok {
		if _, err := c.VerifyCoupons(p, seedStamp); err != nil {
			t.Errorf("verify %d: %v", i, err)
		}
	}
	okd := []DiscountParams{
		seedDiscountParams(),
		{CouponCode: "C1", UserID: "1", Items: []Item{{Num: 1, TradeMark: "t", Price: "0"}}},
		{Type: TypeScanCode, UserCouponID: "QR-1", Items: []Item{{Num: 9, TradeMark: "t", Price: "0.1"}}, UsageScenarios: UsageOffline},
	}
	for i, p := range okd {
		if _, err := c.CouponDiscount(p, seedStamp); err != nil {
			t.Errorf("discount %d: %v", i, err)
		}
	}
}

// plainYuan (the fast path) agrees with money.ParseYuan wherever it answers.
func TestPlainYuanAgreesWithMoney(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	const chars = "0123456789.-e+ "
	fixed := []string{"", ".", "0", "0.", ".5", "1.5", "1.50", "1.500", "0.01", "9999999999999.99",
		"99999999999999", "00012.30", "1..2", "12.345", "1,5", "０"}
	n := 0
	for i := 0; i < 100000; i++ {
		var s string
		if i < len(fixed) {
			s = fixed[i]
		} else {
			b := make([]byte, r.Intn(17))
			for j := range b {
				b[j] = chars[r.Intn(10+(j%3)*2)]
			}
			s = string(b)
		}
		f, ok := plainYuan(s)
		if !ok {
			continue
		}
		n++
		want, err := money.ParseYuan("x", s, money.Exact)
		if err != nil || want != f {
			t.Fatalf("plainYuan(%q) = %d, money.ParseYuan = %d, %v", s, f, want, err)
		}
	}
	if n < 1000 {
		t.Fatalf("only %d inputs took the fast path", n)
	}
}
