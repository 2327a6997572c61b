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
