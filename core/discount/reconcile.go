package discount

import (
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
)

// ServerDiscount is the vendor's answer for one coupon: zvcms
// user.user-by-coupon's coupon_discount and goods_item[] in fen. Build it
// from a parsed reply (core/invoke does for discount.reconcile) or with
// ServerDiscountInput.Parse.
type ServerDiscount struct {
	// CouponDiscount is coupon_discount.
	CouponDiscount money.Fen
	// Items are goods_item[], in the vendor's order.
	Items []ServerItem
}

// ServerItem is one goods_item: a line's share of the vendor's discount.
type ServerItem struct {
	// TradeMark is the line id.
	TradeMark string
	// CouponMinus is the line's share in fen (0 when the vendor sent "").
	CouponMinus money.Fen
}

// ServerDiscountInput is the text form of a ServerDiscount: yuan strings as
// the vendor sends them (signed, at most two decimals).
type ServerDiscountInput struct {
	// CouponDiscount is coupon_discount in yuan.
	CouponDiscount string `json:"couponDiscount"`
	// Items are goods_item[], in the vendor's order.
	Items []ServerItemInput `json:"goodsItems"`
}

// ServerItemInput is the text form of a ServerItem ("" coupon_minus = 0).
type ServerItemInput struct {
	// TradeMark is trade_mark, the line id.
	TradeMark string `json:"tradeMark"`
	// CouponMinus is coupon_minus in yuan.
	CouponMinus string `json:"couponMinus"`
}

// Parse validates the input; path prefixes field names in errors
// ("server.goodsItems[1].couponMinus"). Negative amounts parse (Reconcile
// reports them); text that is not yuan with at most two decimals is an
// InvalidArgument error.
func (in ServerDiscountInput) Parse(path string) (ServerDiscount, error) {
	var s ServerDiscount
	var err error
	if s.CouponDiscount, err = money.ParseSignedYuan(join(path, "couponDiscount"), in.CouponDiscount, money.Exact); err != nil {
		return ServerDiscount{}, err
	}
	if len(in.Items) > MaxLines {
		return ServerDiscount{}, tooMany(join(path, "goodsItems"), len(in.Items), MaxLines, "items")
	}
	s.Items = make([]ServerItem, len(in.Items))
	for i, it := range in.Items {
		s.Items[i].TradeMark = it.TradeMark
		if it.CouponMinus != "" {
			f := join(index(join(path, "goodsItems"), i), "couponMinus")
			if s.Items[i].CouponMinus, err = money.ParseSignedYuan(f, it.CouponMinus, money.Exact); err != nil {
				return ServerDiscount{}, err
			}
		}
	}
	return s, nil
}

// DiscrepancyKind names what Reconcile found wrong.
type DiscrepancyKind string

// The discrepancies. The first five make the vendor's split unusable
// (Reconciliation.Consistent false); the others are informational.
const (
	// SumMismatch: the goods_item shares do not add up to coupon_discount.
	SumMismatch DiscrepancyKind = "sum_mismatch"
	// UnknownTradeMark: a goods_item names no basket line.
	UnknownTradeMark DiscrepancyKind = "unknown_trade_mark"
	// DuplicateTradeMark: two goods_items name the same line.
	DuplicateTradeMark DiscrepancyKind = "duplicate_trade_mark"
	// Negative: coupon_discount or a coupon_minus is below zero.
	Negative DiscrepancyKind = "negative"
	// ShareExceedsLine: a share is larger than the line's remaining amount.
	ShareExceedsLine DiscrepancyKind = "share_exceeds_line"
	// ExceedsBasket: coupon_discount is larger than what the basket has
	// left; the allocation is limited to the basket.
	ExceedsBasket DiscrepancyKind = "exceeds_basket"
	// DiffersFromLocal: coupon_discount differs from the local quote's.
	DiffersFromLocal DiscrepancyKind = "differs_from_local"
	// ShareDiffersFromLocal: a line's share differs from the local quote's.
	ShareDiffersFromLocal DiscrepancyKind = "share_differs_from_local"
	// OutsideScope: the vendor gave a share to a line outside the local
	// coupon's scope.
	OutsideScope DiscrepancyKind = "outside_scope"
)

// Discrepancy is one finding of Reconcile.
type Discrepancy struct {
	// Kind says what is wrong.
	Kind DiscrepancyKind
	// Field is the vendor field at fault: "coupon_discount" or
	// "goods_item[2].coupon_minus" (index into ServerDiscount.Items).
	Field string
	// TradeMark and Line name the basket line concerned (Line −1 if none).
	TradeMark string
	Line      int
	// Server and Local are the two amounts compared (Local is the line's
	// remaining amount for ShareExceedsLine, the basket's for ExceedsBasket).
	Server, Local money.Fen
}

// Source says whose split the final allocation is.
type Source string

// The allocation sources.
const (
	// SourceServer: the vendor's goods_item split, which is consistent.
	SourceServer Source = "server"
	// SourceLocal: the local largest-remainder split of coupon_discount.
	SourceLocal Source = "local"
)

// Reconciliation is the outcome of Reconcile.
type Reconciliation struct {
	// Discrepancies in a fixed order: coupon-level first, then per item.
	Discrepancies []Discrepancy
	// Consistent is true when the vendor's split is usable as is.
	Consistent bool
	// Source says whose split Allocation is.
	Source Source
	// Allocation[i] is basket line i's share of the vendor's discount.
	Allocation []money.Fen
	// Amount is the sum of Allocation: the fen to send as amount with
	// communal.user.coupons-vertify.
	Amount money.Fen
	// OrderAmount is the basket's amount after prior line discounts and
	// before coupons (Result.Amount): the fen to send as orderAmount.
	OrderAmount money.Fen
}

// Reconcile checks the vendor's discount for one coupon against the local
// quote and produces the final per-line allocation.
//
// coupon is the index in local.Coupons of the coupon the vendor priced; the
// vendor's split is compared with that coupon's local shares, and lines'
// remaining amounts are taken before it. coupon == len(local.Coupons) means a
// coupon whose terms are not known locally: it applies after all local
// coupons, to every line, with no local comparison (quote the basket with no
// coupons and pass 0 to reconcile a single vendor-priced coupon).
//
// The allocation is the vendor's goods_item split when it is consistent
// (sums to coupon_discount, every trade_mark a distinct basket line, no
// negative, no share above its line's remaining amount); otherwise it is the
// local largest-remainder split of coupon_discount over the coupon's
// eligible lines (over every line when the eligible lines have too little
// left; limited to the basket's remaining amount when even that is too
// little). Bad arguments are InvalidArgument errors.
func Reconcile(local *Result, coupon int, server ServerDiscount) (*Reconciliation, error) {
	if local == nil {
		return nil, errs.Invalid("local", "no local quote")
	}
	if coupon < 0 || coupon > len(local.Coupons) {
		return nil, errs.Invalid("coupon", "coupon index %d is outside 0..%d", coupon, len(local.Coupons))
	}
	if len(server.Items) > MaxLines {
		return nil, tooMany("goods_item", len(server.Items), MaxLines, "items")
	}
	n := len(local.Lines)
	known := coupon < len(local.Coupons)
	var cr *CouponResult
	if known {
		cr = &local.Coupons[coupon]
	}
	rem := make([]int64, n)
	byID := make(map[string]int, n)
	var total, eligible int64
	for i := range local.Lines {
		l := &local.Lines[i]
		r := int64(l.Amount)
		for j := 0; j < coupon && j < len(l.Shares); j++ {
			r -= int64(l.Shares[j])
		}
		rem[i] = r
		total += r
		if cr == nil || cr.IsEligible(i) {
			eligible += r
		}
		byID[l.ID] = i
	}
	rc := &Reconciliation{OrderAmount: local.Amount, Allocation: make([]money.Fen, n), Consistent: true}
	add := func(d Discrepancy, fatal bool) {
		rc.Discrepancies = append(rc.Discrepancies, d)
		if fatal {
			rc.Consistent = false
		}
	}
	D := server.CouponDiscount
	if D < 0 {
		add(Discrepancy{Kind: Negative, Field: "coupon_discount", Line: -1, Server: D}, true)
	}
	if known && D != cr.Discount {
		add(Discrepancy{Kind: DiffersFromLocal, Field: "coupon_discount", Line: -1, Server: D, Local: cr.Discount}, false)
	}
	if D > money.Fen(total) {
		add(Discrepancy{Kind: ExceedsBasket, Field: "coupon_discount", Line: -1, Server: D, Local: money.Fen(total)}, true)
	}
	seenAt := make(map[int]int, len(server.Items))
	var sum int64
	sumOK := true
	for k, it := range server.Items {
		f := "goods_item[" + strconv.Itoa(k) + "]"
		m := it.CouponMinus
		if it.TradeMark == "" && m == 0 {
			continue // the vendor's empty placeholder item
		}
		if s, ok := addChecked(sum, int64(m)); ok {
			sum = s
		} else {
			sumOK = false
		}
		i, ok := byID[it.TradeMark]
		if !ok {
			add(Discrepancy{Kind: UnknownTradeMark, Field: f + ".trade_mark", TradeMark: it.TradeMark, Line: -1, Server: m}, true)
			continue
		}
		if _, dup := seenAt[i]; dup {
			add(Discrepancy{Kind: DuplicateTradeMark, Field: f + ".trade_mark", TradeMark: it.TradeMark, Line: i, Server: m}, true)
			continue
		}
		seenAt[i] = k
		fm := f + ".coupon_minus"
		switch {
		case m < 0:
			add(Discrepancy{Kind: Negative, Field: fm, TradeMark: it.TradeMark, Line: i, Server: m}, true)
		case int64(m) > rem[i]:
			add(Discrepancy{Kind: ShareExceedsLine, Field: fm, TradeMark: it.TradeMark, Line: i, Server: m, Local: money.Fen(rem[i])}, true)
		}
		if m != 0 && cr != nil && !cr.IsEligible(i) {
			add(Discrepancy{Kind: OutsideScope, Field: fm, TradeMark: it.TradeMark, Line: i, Server: m}, false)
		}
		rc.Allocation[i] = m
	}
	if !sumOK || sum != int64(D) {
		add(Discrepancy{Kind: SumMismatch, Field: "coupon_discount", Line: -1, Server: D, Local: money.Fen(sum)}, true)
	}
	if known {
		for i := range local.Lines {
			l := &local.Lines[i]
			if _, in := seenAt[i]; !in && l.Shares[coupon] == 0 {
				continue
			}
			if rc.Allocation[i] != l.Shares[coupon] {
				f := "goods_item"
				if k, in := seenAt[i]; in {
					f = "goods_item[" + strconv.Itoa(k) + "].coupon_minus"
				}
				add(Discrepancy{Kind: ShareDiffersFromLocal, Field: f, TradeMark: l.ID, Line: i, Server: rc.Allocation[i], Local: l.Shares[coupon]}, false)
			}
		}
	}
	if rc.Consistent {
		rc.Source = SourceServer
		rc.Amount = D
		return rc, nil
	}
	rc.Source = SourceLocal
	for i := range rc.Allocation {
		rc.Allocation[i] = 0
	}
	d := int64(D)
	if d < 0 {
		d = 0
	}
	var scope []bool
	e := total
	if cr != nil && d <= eligible {
		scope, e = cr.eligible, eligible
	}
	if d > e {
		d = e
	}
	if d > 0 {
		apportion(d, e, rem, scope, rc.Allocation, 1, 0, &scratch{})
	}
	rc.Amount = money.Fen(d)
	return rc, nil
}

// addChecked returns a+b and false when it leaves the range ±money.MaxFen·2^10.
func addChecked(a, b int64) (int64, bool) {
	const lim = int64(money.MaxFen) << 10
	s := a + b
	if s > lim || s < -lim || b > lim || b < -lim {
		return 0, false
	}
	return s, true
}

// CouponIndex reads the index of the coupon a vendor priced, as a caller
// gives it for Reconcile: decimal text from 0 to len(r.Coupons), "" being
// len(r.Coupons) (a coupon not quoted locally). Anything else is
// INVALID_ARGUMENT naming field.
func (r *Result) CouponIndex(field, s string) (int, error) {
	if s == "" {
		return len(r.Coupons), nil
	}
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i > len(r.Coupons) {
		return 0, errs.Invalid(field, "%s must be the index (0…%d) in coupons of the coupon the vendor priced, or absent for one not quoted locally", field, len(r.Coupons))
	}
	return i, nil
}
