package discount

import (
	"errors"
	"reflect"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
)

// quoteText quotes a text basket, failing the test on error.
func quoteText(t *testing.T, in QuoteInput) *Result {
	t.Helper()
	b, cs, err := in.Parse()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Quote(b, cs)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func server(t *testing.T, discount string, items ...string) ServerDiscount {
	t.Helper()
	in := ServerDiscountInput{CouponDiscount: discount}
	for i := 0; i+1 < len(items); i += 2 {
		in.Items = append(in.Items, ServerItemInput{TradeMark: items[i], CouponMinus: items[i+1]})
	}
	s, err := in.Parse("server")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func kinds(r *Reconciliation) []DiscrepancyKind {
	var k []DiscrepancyKind
	for _, d := range r.Discrepancies {
		k = append(k, d.Kind)
	}
	return k
}

func TestReconcile(t *testing.T) {
	// a 60.00 + b 40.00 with 满100减20: local split 1200/800.
	basket := QuoteInput{
		Lines:   []LineInput{{ID: "a", Quantity: "1", UnitPrice: "60"}, {ID: "b", Quantity: "1", UnitPrice: "40"}},
		Coupons: []CouponInput{{Kind: "fixed", Value: "20", Threshold: "100"}},
	}
	local := quoteText(t, basket)
	small := quoteText(t, QuoteInput{Lines: []LineInput{{ID: "a", Quantity: "1", UnitPrice: "10"}, {ID: "b", Quantity: "1", UnitPrice: "90"}},
		Coupons: []CouponInput{{Kind: "fixed", Value: "20"}}})
	tests := []struct {
		name       string
		local      *Result
		coupon     int
		server     ServerDiscount
		kinds      []DiscrepancyKind
		consistent bool
		source     Source
		alloc      []money.Fen
		amount     money.Fen
	}{
		{"agrees", local, 0, server(t, "20.00", "a", "12.00", "b", "8.00"),
			nil, true, SourceServer, []money.Fen{1200, 800}, 2000},
		{"order of items does not matter", local, 0, server(t, "20", "b", "8", "a", "12"),
			nil, true, SourceServer, []money.Fen{1200, 800}, 2000},
		{"own consistent split is kept", local, 0, server(t, "20", "a", "10", "b", "10"),
			[]DiscrepancyKind{ShareDiffersFromLocal, ShareDiffersFromLocal}, true, SourceServer, []money.Fen{1000, 1000}, 2000},
		{"smaller discount than local", local, 0, server(t, "19", "a", "11.40", "b", "7.60"),
			[]DiscrepancyKind{DiffersFromLocal, ShareDiffersFromLocal, ShareDiffersFromLocal}, true, SourceServer, []money.Fen{1140, 760}, 1900},
		{"sum mismatch falls back to local", local, 0, server(t, "20", "a", "12", "b", "7"),
			[]DiscrepancyKind{SumMismatch, ShareDiffersFromLocal}, false, SourceLocal, []money.Fen{1200, 800}, 2000},
		{"unknown trade mark", local, 0, server(t, "20", "a", "12", "zzz", "8"),
			[]DiscrepancyKind{UnknownTradeMark, ShareDiffersFromLocal}, false, SourceLocal, []money.Fen{1200, 800}, 2000},
		{"duplicate trade mark", local, 0, server(t, "20", "a", "12", "a", "8"),
			[]DiscrepancyKind{DuplicateTradeMark, ShareDiffersFromLocal}, false, SourceLocal, []money.Fen{1200, 800}, 2000},
		{"negative share", local, 0, server(t, "20", "a", "-1", "b", "21"),
			[]DiscrepancyKind{Negative, ShareDiffersFromLocal, ShareDiffersFromLocal}, false, SourceLocal, []money.Fen{1200, 800}, 2000},
		{"share exceeds line", small, 0, server(t, "20", "a", "15", "b", "5"),
			[]DiscrepancyKind{ShareExceedsLine, ShareDiffersFromLocal, ShareDiffersFromLocal}, false, SourceLocal, []money.Fen{200, 1800}, 2000},
		{"vendor placeholder item", local, 0, server(t, "20", "", ""),
			[]DiscrepancyKind{SumMismatch, ShareDiffersFromLocal, ShareDiffersFromLocal}, false, SourceLocal, []money.Fen{1200, 800}, 2000},
		{"after the local coupon, unknown terms", local, 1, server(t, "8", "a", "4.80", "b", "3.20"),
			nil, true, SourceServer, []money.Fen{480, 320}, 800},
		{"exceeds basket is limited to it", local, 1, server(t, "90", "a", "48", "b", "42"),
			[]DiscrepancyKind{ExceedsBasket, ShareExceedsLine}, false, SourceLocal, []money.Fen{4800, 3200}, 8000},
		{"negative discount allocates nothing", local, 1, server(t, "-1"),
			[]DiscrepancyKind{Negative, SumMismatch}, false, SourceLocal, []money.Fen{0, 0}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Reconcile(tc.local, tc.coupon, tc.server)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(kinds(r), tc.kinds) || r.Consistent != tc.consistent || r.Source != tc.source ||
				!reflect.DeepEqual(r.Allocation, tc.alloc) || r.Amount != tc.amount || r.OrderAmount != tc.local.Amount {
				t.Fatalf("got %v consistent=%v %s %v amount %d order %d\nwant %v %v %s %v %d %d",
					kinds(r), r.Consistent, r.Source, r.Allocation, r.Amount, r.OrderAmount,
					tc.kinds, tc.consistent, tc.source, tc.alloc, tc.amount, tc.local.Amount)
			}
			var sum money.Fen
			for _, a := range r.Allocation {
				sum += a
			}
			if sum != r.Amount {
				t.Fatalf("allocation sums to %d, amount %d", sum, r.Amount)
			}
		})
	}
}

func TestReconcileDiscrepancyDetails(t *testing.T) {
	local := quoteText(t, QuoteInput{Lines: []LineInput{{ID: "a", Quantity: "1", UnitPrice: "10"}, {ID: "b", Quantity: "1", UnitPrice: "90"}}})
	r, err := Reconcile(local, 0, server(t, "20", "b", "5", "a", "15"))
	if err != nil {
		t.Fatal(err)
	}
	want := Discrepancy{Kind: ShareExceedsLine, Field: "goods_item[1].coupon_minus", TradeMark: "a", Line: 0, Server: 1500, Local: 1000}
	if len(r.Discrepancies) != 1 || r.Discrepancies[0] != want {
		t.Fatalf("got %+v, want [%+v]", r.Discrepancies, want)
	}
	if !reflect.DeepEqual(r.Allocation, []money.Fen{200, 1800}) {
		t.Fatalf("allocation %v", r.Allocation)
	}
}

func TestReconcileScopeFallback(t *testing.T) {
	// The local coupon covers only a; the vendor's inconsistent answer of
	// 5.00 fits a's 3.00 only by spreading over every line.
	local := quoteText(t, QuoteInput{
		Lines:   []LineInput{{ID: "a", Quantity: "1", UnitPrice: "3"}, {ID: "b", Quantity: "1", UnitPrice: "7"}},
		Coupons: []CouponInput{{Kind: "fixed", Value: "1", Include: []string{"a"}}},
	})
	r, err := Reconcile(local, 0, server(t, "2", "a", "3"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != SourceLocal || !reflect.DeepEqual(r.Allocation, []money.Fen{200, 0}) {
		t.Fatalf("in scope: %s %v", r.Source, r.Allocation)
	}
	r, err = Reconcile(local, 0, server(t, "5"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != SourceLocal || !reflect.DeepEqual(r.Allocation, []money.Fen{150, 350}) || r.Amount != 500 {
		t.Fatalf("over scope: %s %v", r.Source, r.Allocation)
	}
	r, err = Reconcile(local, 0, server(t, "1", "b", "1"))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Consistent || !reflect.DeepEqual(kinds(r), []DiscrepancyKind{OutsideScope, ShareDiffersFromLocal, ShareDiffersFromLocal}) {
		t.Fatalf("outside scope: %v", kinds(r))
	}
}

func TestReconcileErrors(t *testing.T) {
	local := quoteText(t, QuoteInput{Lines: []LineInput{{ID: "a", Quantity: "1", UnitPrice: "10"}}})
	for _, tc := range []struct {
		local  *Result
		coupon int
		field  string
	}{{nil, 0, "local"}, {local, -1, "coupon"}, {local, 1, "coupon"}} {
		_, err := Reconcile(tc.local, tc.coupon, ServerDiscount{})
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.InvalidArgument || e.Field != tc.field {
			t.Errorf("Reconcile(%v, %d): %v, want INVALID_ARGUMENT %s", tc.local != nil, tc.coupon, err, tc.field)
		}
	}
	for _, tc := range []struct {
		in    ServerDiscountInput
		field string
	}{
		{ServerDiscountInput{CouponDiscount: ""}, "server.couponDiscount"},
		{ServerDiscountInput{CouponDiscount: "1.005"}, "server.couponDiscount"},
		{ServerDiscountInput{CouponDiscount: "1", Items: []ServerItemInput{{TradeMark: "a", CouponMinus: "abc"}}}, "server.goodsItems[0].couponMinus"},
	} {
		_, err := tc.in.Parse("server")
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.InvalidArgument || e.Field != tc.field {
			t.Errorf("Parse(%+v): %v, want INVALID_ARGUMENT %s", tc.in, err, tc.field)
		}
	}
}

// CouponIndex reads 0…len(coupons), "" as len(coupons), and refuses the rest.
func TestCouponIndex(t *testing.T) {
	res := &Result{Coupons: make([]CouponResult, 2)}
	for s, want := range map[string]int{"": 2, "0": 0, "1": 1, "2": 2, "+1": 1} {
		if got, err := res.CouponIndex("coupon", s); err != nil || got != want {
			t.Errorf("%q: %d, %v", s, got, err)
		}
	}
	for _, s := range []string{"3", "-1", "1.0", "x", "99999999999999999999"} {
		_, err := res.CouponIndex("coupon", s)
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.InvalidArgument || e.Field != "coupon" {
			t.Errorf("%q: %v", s, err)
		}
	}
}
