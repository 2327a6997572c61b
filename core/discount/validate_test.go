package discount

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/shopspring/decimal"
)

func one(id string, price money.Fen) Line {
	return Line{ID: id, Quantity: decimal.NewFromInt(1), UnitPrice: price}
}

func TestQuoteValidatesGoValues(t *testing.T) {
	ok := []Line{one("a", 100)}
	rate := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	many := func(n int) []Line {
		ls := make([]Line, n)
		for i := range ls {
			ls[i] = one("l"+strconv.Itoa(i), 1)
		}
		return ls
	}
	tests := []struct {
		name    string
		b       Basket
		cs      []Coupon
		kind    errs.Kind
		field   string
		message string
	}{
		{"unknown rounding", Basket{Rounding: money.Rounding(9), Lines: ok}, nil, errs.InvalidArgument, "rounding", "unknown rounding"},
		{"empty id", Basket{Rounding: money.HalfUp, Lines: []Line{one("", 1)}}, nil, errs.InvalidArgument, "lines[0].id", "empty"},
		{"long id", Basket{Rounding: money.HalfUp, Lines: []Line{one(strings.Repeat("x", MaxIDLength+1), 1)}}, nil, errs.InvalidArgument, "lines[0].id", "bytes"},
		{"duplicate id", Basket{Rounding: money.HalfUp, Lines: []Line{one("a", 1), one("b", 1), one("a", 2)}}, nil, errs.InvalidArgument, "lines[2].id", "lines[0].id"},
		{"zero-value quantity", Basket{Rounding: money.HalfUp, Lines: []Line{{ID: "a", UnitPrice: 1}}}, nil, errs.InvalidArgument, "lines[0].quantity", "positive"},
		{"quantity too precise", Basket{Rounding: money.HalfUp, Lines: []Line{{ID: "a", Quantity: rate("0.0001"), UnitPrice: 1}}}, nil, errs.InvalidArgument, "lines[0].quantity", "decimals"},
		{"quantity too large", Basket{Rounding: money.HalfUp, Lines: []Line{{ID: "a", Quantity: rate("1000000000"), UnitPrice: 1}}}, nil, errs.InvalidArgument, "lines[0].quantity", "maximum"},
		{"huge quantity", Basket{Rounding: money.HalfUp, Lines: []Line{{ID: "a", Quantity: rate("1e40"), UnitPrice: 1}}}, nil, errs.InvalidArgument, "lines[0].quantity", "maximum"},
		{"negative price", Basket{Rounding: money.HalfUp, Lines: []Line{one("a", -1)}}, nil, errs.InvalidArgument, "lines[0].unitPrice", "negative"},
		{"price above max", Basket{Rounding: money.HalfUp, Lines: []Line{one("a", money.MaxFen+1)}}, nil, errs.InvalidArgument, "lines[0].unitPrice", "maximum"},
		{"negative prior", Basket{Rounding: money.HalfUp, Lines: []Line{{ID: "a", Quantity: rate("1"), UnitPrice: 5, PriorDiscount: -1}}}, nil, errs.InvalidArgument, "lines[0].priorDiscount", "negative"},
		{"too many lines", Basket{Rounding: money.HalfUp, Lines: many(MaxLines + 1)}, nil, errs.TooLarge, "lines", "limit"},
		{"too many coupons", Basket{Rounding: money.HalfUp, Lines: ok}, make([]Coupon, MaxCoupons+1), errs.TooLarge, "coupons", "limit"},
		{"unknown kind", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Value: 1}}, errs.InvalidArgument, "coupons[0].kind", "kind"},
		{"fixed without value", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Kind: Fixed}}, errs.InvalidArgument, "coupons[0].value", "positive"},
		{"fixed with rate", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Kind: Fixed, Value: 1, Rate: rate("9")}}, errs.InvalidArgument, "coupons[0].rate", "no rate"},
		{"fixed with cap", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Kind: Fixed, Value: 1, Cap: 5}}, errs.InvalidArgument, "coupons[0].cap", "no cap"},
		{"rate with value", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Kind: Rate, Rate: rate("9"), Value: 1}}, errs.InvalidArgument, "coupons[0].value", "no value"},
		{"rate negative", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Kind: Rate, Rate: rate("-1")}}, errs.InvalidArgument, "coupons[0].rate", "above 0"},
		{"rate ten", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Kind: Rate, Rate: rate("10.00")}}, errs.InvalidArgument, "coupons[0].rate", "below 10"},
		{"rate too precise", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Kind: Rate, Rate: rate("8.88888")}}, errs.InvalidArgument, "coupons[0].rate", "decimals"},
		{"negative threshold", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Kind: Fixed, Value: 1, Threshold: -5}}, errs.InvalidArgument, "coupons[0].threshold", "negative"},
		{"too many scope ids", Basket{Rounding: money.HalfUp, Lines: ok}, []Coupon{{Kind: Fixed, Value: 1, Exclude: make([]string, MaxScopeIDs+1)}}, errs.TooLarge, "coupons[0].exclude", "limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Quote(tc.b, tc.cs)
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Field != tc.field || !strings.Contains(e.Message, tc.message) {
				t.Fatalf("got %v, want %s %s (%q)", err, tc.kind, tc.field, tc.message)
			}
		})
	}
}

func TestQuoteAcceptsEdgeValues(t *testing.T) {
	b := Basket{Rounding: money.HalfUp, Lines: []Line{
		{ID: "max-qty", Quantity: decimal.RequireFromString(MaxQuantity), UnitPrice: 1000},
		{ID: "long-text", Quantity: decimal.RequireFromString("2.000000000000000000000000"), UnitPrice: 7},
	}}
	cs := []Coupon{{Kind: Rate, Rate: decimal.RequireFromString("9.9999")}}
	res, err := Quote(b, cs)
	if err != nil {
		t.Fatal(err)
	}
	// 0.0001折 off 1,000,000,000,013 fen is 10,000,000.00013 fen.
	if res.Lines[0].Gross != 999_999_999_999 || res.Lines[1].Gross != 14 || res.Coupons[0].Discount != 10_000_000 {
		t.Fatalf("gross %d %d discount %d", res.Lines[0].Gross, res.Lines[1].Gross, res.Coupons[0].Discount)
	}
	if u, ok := res.Lines[1].Units(); !ok || u.Count != 2 {
		t.Fatalf("units %+v %v", u, ok)
	}
	if _, ok := res.Lines[0].Units(); ok {
		t.Fatal("a quantity with decimals has no unit split")
	}
	b.Rounding = money.Exact
	_, err = Quote(b, cs)
	var e *errs.Error
	if !errors.As(err, &e) || e.Field != "coupons[0].rate" {
		t.Fatalf("exact mode: %v", err)
	}
}

func TestCouponInputParse(t *testing.T) {
	c, err := CouponInput{ID: "x", Kind: "rate", Rate: "8.5", Threshold: "10", Cap: "3.5", Include: []string{"a"}}.Parse("coupons[2]")
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != Rate || c.Rate.String() != "8.5" || c.Threshold != 1000 || c.Cap != 350 || c.ID != "x" || c.Include[0] != "a" {
		t.Fatalf("got %+v", c)
	}
	for _, tc := range []struct {
		in    CouponInput
		field string
	}{
		{CouponInput{Kind: "fixed", Value: "1.001"}, "coupons[2].value"},
		{CouponInput{Kind: "fixed", Value: "-1"}, "coupons[2].value"},
		{CouponInput{Kind: "fixed", Value: "1", Threshold: "1e3"}, "coupons[2].threshold"},
		{CouponInput{Kind: "rate", Rate: "8,5"}, "coupons[2].rate"},
		{CouponInput{Kind: "rate", Rate: "8.5", Cap: "0.00"}, "coupons[2].cap"},
		{CouponInput{Kind: "Rate", Rate: "8.5"}, "coupons[2].kind"},
		{CouponInput{Kind: "rate"}, "coupons[2].rate"},
	} {
		_, err := tc.in.Parse("coupons[2]")
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.InvalidArgument || e.Field != tc.field {
			t.Errorf("%+v: %v, want INVALID_ARGUMENT %s", tc.in, err, tc.field)
		}
	}
	l, err := LineInput{ID: "w", Quantity: "0.250", UnitPrice: "39.80", PriorDiscount: "0.50"}.Parse("")
	if err != nil || l.Quantity.String() != "0.25" || l.UnitPrice != 3980 || l.PriorDiscount != 50 {
		t.Fatalf("got %+v, %v", l, err)
	}
	if _, err := (LineInput{ID: "w", Quantity: "1", UnitPrice: "1"}).Parse(""); err != nil {
		t.Fatal(err)
	}
	_, err = LineInput{ID: "w", Quantity: "1", UnitPrice: "1", PriorDiscount: "2"}.Parse("")
	var e *errs.Error
	if !errors.As(err, &e) || e.Field != "priorDiscount" {
		t.Fatalf("got %v, want priorDiscount", err)
	}
}

func TestExactModeCapNeedsNoRounding(t *testing.T) {
	// 8.5折 on 27.99 is 419.85 fen: exact mode refuses it, unless a 1-yuan
	// cap makes the rounding irrelevant.
	b := Basket{Rounding: money.Exact, Lines: []Line{one("a", 2799)}}
	c := Coupon{Kind: Rate, Rate: decimal.RequireFromString("8.5")}
	if _, err := Quote(b, []Coupon{c}); err == nil {
		t.Fatal("exact mode quoted 419.85 fen")
	}
	c.Cap = 100
	res, err := Quote(b, []Coupon{c})
	if err != nil || res.Discount != 100 {
		t.Fatalf("%v %+v", err, res)
	}
	c.Cap = 420 // above 419.85: the rounding matters again
	if _, err := Quote(b, []Coupon{c}); err == nil {
		t.Fatal("exact mode quoted 419.85 fen under a 4.20 cap")
	}
}

func TestMaxQuantityConstants(t *testing.T) {
	if q, ok := fixedPoint(decimal.RequireFromString(MaxQuantity), QuantityDecimals); !ok || q != maxQ3 {
		t.Fatalf("MaxQuantity %s is %d thousandths, maxQ3 %d", MaxQuantity, q, int64(maxQ3))
	}
}

func TestFixedPoint(t *testing.T) {
	for _, tc := range []struct {
		in     string
		places int32
		want   int64
		ok     bool
	}{
		{"0", 3, 0, true}, {"1", 3, 1000, true}, {"-2.5", 3, -2500, true}, {"0.001", 3, 1, true},
		{"0.0001", 3, 0, false}, {"1.000000000000000000000000000000", 3, 1000, true},
		{"2.000000000000000000000000", 3, 2000, true},
		{"99999999999999.999", 3, 99999999999999999, true}, {"100000000000000", 3, 0, false},
		{"1e30", 0, 0, false}, {"123e-30", 3, 0, false}, {"8.5", 4, 85000, true}, {"9.99995", 4, 0, false},
		{"-99999999999999999", 0, -99999999999999999, true}, {"-100000000000000000", 0, 0, false},
		{"123456789012345678901234567890", 0, 0, false}, {"5e2", 3, 500000, true},
	} {
		got, ok := fixedPoint(decimal.RequireFromString(tc.in), tc.places)
		if got != tc.want || ok != tc.ok {
			t.Errorf("fixedPoint(%s, %d) = %d, %v; want %d, %v", tc.in, tc.places, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCouponKindString(t *testing.T) {
	for k, want := range map[CouponKind]string{Fixed: "fixed", Rate: "rate", CouponKind(7): "CouponKind(7)"} {
		if k.String() != want {
			t.Errorf("%d: %q, want %q", int(k), k.String(), want)
		}
		if want != "CouponKind(7)" {
			if got, err := ParseCouponKind("kind", want); err != nil || got != k {
				t.Errorf("ParseCouponKind(%q) = %v, %v", want, got, err)
			}
		}
	}
}
