// Command discount quotes a basket with two stacked coupons and reconciles
// a vendor's discount reply with it, offline, with core/discount:
//
//	go run ./examples/go/discount
//
// Every amount is integer fen; the output is checked by main_test.go.
package main

import (
	"fmt"
	"os"

	"github.com/couponkit/couponkit/core/discount"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "discount:", err)
		os.Exit(1)
	}
}

func run() error {
	// The text form is validated once, each error naming its field path.
	b, coupons, err := discount.QuoteInput{
		Rounding: "half-up", // 四舍五入; the Go zero value of Basket.Rounding is money.Exact
		Lines: []discount.LineInput{
			{ID: "tea", Quantity: "2", UnitPrice: "12.50"},
			{ID: "nuts", Quantity: "0.355", UnitPrice: "48.00", PriorDiscount: "1.00"},
		},
		Coupons: []discount.CouponInput{
			{ID: "full30", Kind: "fixed", Value: "5", Threshold: "30"},
			{ID: "tea88", Kind: "rate", Rate: "8.8", Cap: "10", Include: []string{"tea"}},
		},
	}.Parse()
	if err != nil {
		return err
	}
	res, err := discount.Quote(b, coupons) // or build discount.Basket / discount.Coupon in Go
	if err != nil {
		return err
	}
	for _, l := range res.Lines {
		fmt.Printf("%-4s amount %6s, coupon shares %v fen, payable %6s\n", l.ID, l.Amount.Yuan(), l.Shares, l.Payable.Yuan())
	}
	if units, ok := res.Lines[0].Units(); ok { // per-unit runs for whole quantities
		fmt.Printf("tea per-unit discount runs: %+v\n", units.Discount)
	}

	// The vendor priced the first coupon (user.user-by-coupon): coupon_discount
	// 5.00 and goods_item[].coupon_minus per line, in fen (zvcms.DiscountResult
	// gives them as OptFen; the JSON method discount.reconcile takes the reply).
	srv := discount.ServerDiscount{CouponDiscount: 500, Items: []discount.ServerItem{
		{TradeMark: "tea", CouponMinus: 300}, {TradeMark: "nuts", CouponMinus: 200},
	}}
	rc, err := discount.Reconcile(res, 0, srv)
	if err != nil {
		return err
	}
	fmt.Printf("reconcile: consistent %v, source %s, allocation %v, discrepancies %d\n",
		rc.Consistent, rc.Source, rc.Allocation, len(rc.Discrepancies))
	fmt.Printf("verify with amount %d fen of orderAmount %d fen\n", rc.Amount, rc.OrderAmount)
	return nil
}
