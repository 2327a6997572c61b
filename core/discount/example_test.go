package discount_test

import (
	"fmt"

	"github.com/couponkit/couponkit/core/discount"
)

// A basket of three lines, a 满 30 减 5 coupon and then an 8.8折 coupon on
// the drinks only, with the result in yuan.
func ExampleQuote() {
	b, coupons, err := discount.QuoteInput{
		Rounding: "half-up",
		Lines: []discount.LineInput{
			{ID: "tea", Quantity: "2", UnitPrice: "12.50"},
			{ID: "cake", Quantity: "1", UnitPrice: "9.90"},
			{ID: "nuts", Quantity: "0.355", UnitPrice: "48.00"},
		},
		Coupons: []discount.CouponInput{
			{ID: "full30minus5", Kind: "fixed", Value: "5", Threshold: "30"},
			{ID: "drinks88", Kind: "rate", Rate: "8.8", Include: []string{"tea"}},
		},
	}.Parse()
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := discount.Quote(b, coupons)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Coupons {
		fmt.Printf("%s: -%s applied=%v\n", c.ID, c.Discount.Yuan(), c.Applied)
	}
	for _, l := range res.Lines {
		fmt.Printf("%-4s %6s  shares %s %s  pay %s\n", l.ID, l.Amount.Yuan(), l.Shares[0].Yuan(), l.Shares[1].Yuan(), l.Payable.Yuan())
	}
	fmt.Println("total", res.Amount.Yuan(), "discount", res.Discount.Yuan(), "payable", res.Payable.Yuan())
	u, _ := res.Lines[0].Units()
	fmt.Println("tea per unit:", u.Payable)
	// Output:
	// full30minus5: -5.00 applied=true
	// drinks88: -2.71 applied=true
	// tea   25.00  shares 2.41 2.71  pay 19.88
	// cake   9.90  shares 0.95 0.00  pay 8.95
	// nuts  17.04  shares 1.64 0.00  pay 15.40
	// total 51.94 discount 7.71 payable 44.23
	// tea per unit: [{1 2 994}]
}

// Splitting a line's discount per unit, for a partial refund: 10 fen off
// 3 units, then 2 more fen.
func ExampleLineResult_Units() {
	b, coupons, _ := discount.QuoteInput{
		Lines:   []discount.LineInput{{ID: "cup", Quantity: "3", UnitPrice: "1.00"}},
		Coupons: []discount.CouponInput{{Kind: "fixed", Value: "0.10"}, {Kind: "fixed", Value: "0.02"}},
	}.Parse()
	res, _ := discount.Quote(b, coupons)
	u, ok := res.Lines[0].Units()
	fmt.Println(ok, u.Count)
	fmt.Println("first coupon per unit:", u.Shares[0])
	fmt.Println("second coupon per unit:", u.Shares[1])
	fmt.Println("payable per unit:", u.Payable)
	fmt.Println("unit 1 pays", discount.At(u.Payable, 1).Yuan())
	// Output:
	// true 3
	// first coupon per unit: [{1 1 4} {2 3 3}]
	// second coupon per unit: [{1 1 0} {2 3 1}]
	// payable per unit: [{1 3 96}]
	// unit 1 pays 0.96
}

// Reconciling the vendor's user.user-by-coupon answer with the local quote
// before redeeming the coupon with communal.user.coupons-vertify.
func ExampleReconcile() {
	b, coupons, _ := discount.QuoteInput{
		Lines: []discount.LineInput{
			{ID: "201909280011111", Quantity: "1", UnitPrice: "60"},
			{ID: "201909280022222", Quantity: "1", UnitPrice: "40"},
		},
		Coupons: []discount.CouponInput{{Kind: "fixed", Value: "20", Threshold: "100"}},
	}.Parse()
	local, _ := discount.Quote(b, coupons)

	// The vendor's split does not add up (19.00 ≠ 20.00).
	server, _ := discount.ServerDiscountInput{CouponDiscount: "20", Items: []discount.ServerItemInput{
		{TradeMark: "201909280011111", CouponMinus: "12"},
		{TradeMark: "201909280022222", CouponMinus: "7"},
	}}.Parse("server")
	rc, err := discount.Reconcile(local, 0, server)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range rc.Discrepancies {
		fmt.Println(d.Kind, d.Field, d.Server, d.Local)
	}
	fmt.Println(rc.Consistent, rc.Source, rc.Allocation)
	fmt.Println("amount", rc.Amount, "orderAmount", rc.OrderAmount)
	// Output:
	// sum_mismatch coupon_discount 2000 1900
	// share_differs_from_local goods_item[1].coupon_minus 700 800
	// false local [1200 800]
	// amount 2000 orderAmount 10000
}
