package discount

import (
	"strconv"
	"testing"

	"github.com/couponkit/couponkit/core/money"
	"github.com/shopspring/decimal"
)

// benchBasket builds an n-line basket (every fifth line weighed) and three
// stacked coupons: 满减 on everything, 8.8折 on every other line, 9.5折
// with a cap excluding a few lines.
func benchBasket(n int) (Basket, []Coupon) {
	b := Basket{Rounding: money.HalfUp, Lines: make([]Line, n)}
	var half []string
	for i := range b.Lines {
		id := "sku-" + strconv.Itoa(i)
		q := decimal.NewFromInt(int64(1 + i%4))
		if i%5 == 0 {
			q = decimal.New(int64(250+i%997), -3)
		}
		b.Lines[i] = Line{ID: id, Quantity: q, UnitPrice: money.Fen(99 + (i*7919)%50000)}
		if i%2 == 0 {
			half = append(half, id)
		}
	}
	cs := []Coupon{
		{ID: "full", Kind: Fixed, Value: 1_000_001, Threshold: 10_000},
		{ID: "drinks", Kind: Rate, Rate: decimal.RequireFromString("8.8"), Include: half},
		{ID: "capped", Kind: Rate, Rate: decimal.RequireFromString("9.5"), Cap: 1_234_567, Exclude: []string{"sku-1", "sku-3"}},
	}
	return b, cs
}

func benchQuote(bm *testing.B, n int) {
	b, cs := benchBasket(n)
	bm.ReportAllocs()
	bm.ResetTimer()
	for i := 0; i < bm.N; i++ {
		if _, err := Quote(b, cs); err != nil {
			bm.Fatal(err)
		}
	}
}

// BenchmarkQuote10k is the budget: under 5 ms per quote.
func BenchmarkQuote10k(bm *testing.B) { benchQuote(bm, 10_000) }

// BenchmarkQuote100k must cost at most 12× BenchmarkQuote10k.
func BenchmarkQuote100k(bm *testing.B) { benchQuote(bm, 100_000) }

// BenchmarkUnits measures the per-unit split of one line with three coupons.
func BenchmarkUnits(bm *testing.B) {
	b, cs := benchBasket(10)
	res, err := Quote(b, cs)
	if err != nil {
		bm.Fatal(err)
	}
	bm.ReportAllocs()
	bm.ResetTimer()
	for i := 0; i < bm.N; i++ {
		res.Lines[1].Units()
	}
}
