package discount

import (
	"math/bits"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/shopspring/decimal"
)

// Quote computes what the coupons, applied in order, take off the basket and
// how each discount splits over the lines. Invalid input is an *errs.Error
// naming the field ("lines[2].quantity", "coupons[0].rate", ...):
// InvalidArgument, or TooLarge beyond MaxLines, MaxCoupons, MaxScopeIDs or a
// basket total above money.MaxFen. The same input always gives the same
// result.
func Quote(b Basket, coupons []Coupon) (*Result, error) {
	lines, err := checkBasket(b)
	if err != nil {
		return nil, err
	}
	rates, err := checkCoupons(coupons)
	if err != nil {
		return nil, err
	}
	n, k := len(b.Lines), len(coupons)
	res := &Result{Rounding: b.Rounding, Lines: make([]LineResult, n), Coupons: make([]CouponResult, k)}
	shares := make([]money.Fen, n*k)
	rem := make([]int64, n)
	for i, l := range b.Lines {
		li := lines[i]
		amount := li.gross - int64(l.PriorDiscount)
		rem[i] = amount
		res.Lines[i] = LineResult{ID: l.ID, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			Gross: money.Fen(li.gross), PriorDiscount: l.PriorDiscount, Amount: money.Fen(amount),
			Shares: shares[i*k : (i+1)*k : (i+1)*k], units: li.units}
		res.Gross += money.Fen(li.gross)
		res.PriorDiscount += l.PriorDiscount
	}
	res.Amount = res.Gross - res.PriorDiscount
	var sc scratch
	for j, c := range coupons {
		cr, err := applyCoupon(j, c, rates[j], b, rem, shares, k, &sc)
		if err != nil {
			return nil, err
		}
		res.Coupons[j] = cr
		res.Discount += cr.Discount
	}
	res.Payable = res.Amount - res.Discount
	for i := range res.Lines {
		lr := &res.Lines[i]
		lr.Payable = money.Fen(rem[i])
		lr.Discount = lr.Amount - lr.Payable
	}
	return res, nil
}

// lineInfo is what validation learns about a line.
type lineInfo struct {
	gross int64 // quantity × price rounded
	units int64 // whole quantity, 0 when it has decimals
}

// scratch holds buffers reused across coupons.
type scratch struct {
	idx  []int
	flo  []int64
	rems []uint64
	sel  []uint64
}

// validate checks a basket and coupons without quoting.
func validate(b Basket, coupons []Coupon) error {
	if _, err := checkBasket(b); err != nil {
		return err
	}
	_, err := checkCoupons(coupons)
	return err
}

// checkBasket validates the basket and returns each line's gross amount.
func checkBasket(b Basket) ([]lineInfo, error) {
	switch b.Rounding {
	case money.Exact, money.HalfUp, money.Down, money.HalfEven:
	default:
		return nil, errs.Invalid("rounding", "unknown rounding mode %d", int(b.Rounding))
	}
	if len(b.Lines) > MaxLines {
		return nil, tooMany("lines", len(b.Lines), MaxLines, "lines")
	}
	infos := make([]lineInfo, len(b.Lines))
	seen := make(map[string]int, len(b.Lines))
	var total int64
	for i, l := range b.Lines {
		path := index("lines", i)
		li, err := checkLine(path, l, b.Rounding)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[l.ID]; dup {
			return nil, errs.Invalid(join(path, "id"), "line id %q repeats lines[%d].id; ids must be unique", clip(l.ID), j)
		}
		seen[l.ID] = i
		total += li.gross
		if total > int64(money.MaxFen) {
			return nil, errs.New(errs.TooLarge, "lines", "the basket's total exceeds the supported maximum %s yuan", money.MaxFen.Yuan())
		}
		infos[i] = li
	}
	return infos, nil
}

// maxQ3 is MaxQuantity in thousandths.
const maxQ3 = 999_999_999_999

// checkLine validates one line and computes its gross amount under mode.
func checkLine(path string, l Line, mode money.Rounding) (lineInfo, error) {
	if l.ID == "" {
		return lineInfo{}, errs.Invalid(join(path, "id"), "line id is empty")
	}
	if len(l.ID) > MaxIDLength {
		return lineInfo{}, errs.Invalid(join(path, "id"), "line id has %d bytes, more than %d", len(l.ID), MaxIDLength)
	}
	qf := join(path, "quantity")
	if l.Quantity.Sign() <= 0 {
		return lineInfo{}, errs.Invalid(qf, "quantity %s must be positive", clip(l.Quantity.String()))
	}
	q := l.Quantity.Shift(QuantityDecimals)
	if !q.IsInteger() {
		return lineInfo{}, errs.Invalid(qf, "quantity %s has more than %d decimals", clip(l.Quantity.String()), QuantityDecimals)
	}
	if l.Quantity.GreaterThan(MaxQuantity) {
		return lineInfo{}, errs.Invalid(qf, "quantity %s exceeds the maximum %s", clip(l.Quantity.String()), MaxQuantity.String())
	}
	q3 := q.IntPart()
	if err := money.Check(join(path, "unitPrice"), l.UnitPrice); err != nil {
		return lineInfo{}, err
	}
	if err := money.Check(join(path, "priorDiscount"), l.PriorDiscount); err != nil {
		return lineInfo{}, err
	}
	g, exact, ok := mulDivRound(uint64(q3), uint64(l.UnitPrice), 1000, mode)
	if !ok || g > uint64(money.MaxFen) {
		return lineInfo{}, errs.Invalid(qf, "quantity × unit price exceeds the supported maximum %s yuan", money.MaxFen.Yuan())
	}
	if !exact {
		return lineInfo{}, errs.Invalid(qf, "quantity %s × unit price %s is not a whole number of fen and the rounding mode is exact", l.Quantity.String(), l.UnitPrice.Yuan())
	}
	if l.PriorDiscount > money.Fen(g) {
		return lineInfo{}, errs.Invalid(join(path, "priorDiscount"), "prior discount %s exceeds the line amount %s", l.PriorDiscount.Yuan(), money.Fen(g).Yuan())
	}
	li := lineInfo{gross: int64(g)}
	if q3%1000 == 0 {
		li.units = q3 / 1000
	}
	return li, nil
}

// checkCoupons validates the coupon list and returns each rate in units of
// 10^-RateDecimals 折 (0 for fixed coupons).
func checkCoupons(cs []Coupon) ([]int64, error) {
	if len(cs) > MaxCoupons {
		return nil, tooMany("coupons", len(cs), MaxCoupons, "coupons")
	}
	rates := make([]int64, len(cs))
	for i, c := range cs {
		r, err := checkCoupon(index("coupons", i), c)
		if err != nil {
			return nil, err
		}
		rates[i] = r
	}
	return rates, nil
}

// rateOne is 10 折 (pay everything) in units of 10^-RateDecimals 折.
const rateOne = 100_000

// checkCoupon validates one coupon.
func checkCoupon(path string, c Coupon) (int64, error) {
	if err := money.Check(join(path, "threshold"), c.Threshold); err != nil {
		return 0, err
	}
	if err := money.Check(join(path, "cap"), c.Cap); err != nil {
		return 0, err
	}
	if err := money.Check(join(path, "value"), c.Value); err != nil {
		return 0, err
	}
	if len(c.Include) > MaxScopeIDs {
		return 0, tooMany(join(path, "include"), len(c.Include), MaxScopeIDs, "ids")
	}
	if len(c.Exclude) > MaxScopeIDs {
		return 0, tooMany(join(path, "exclude"), len(c.Exclude), MaxScopeIDs, "ids")
	}
	var r4 int64
	switch c.Kind {
	case Fixed:
		if c.Value <= 0 {
			return 0, errs.Invalid(join(path, "value"), "a fixed coupon's value must be positive")
		}
		if !c.Rate.IsZero() {
			return 0, errs.Invalid(join(path, "rate"), "a fixed coupon has no rate")
		}
		if c.Cap != 0 {
			return 0, errs.Invalid(join(path, "cap"), "a fixed coupon has no cap")
		}
	case Rate:
		if c.Value != 0 {
			return 0, errs.Invalid(join(path, "value"), "a rate coupon has no value; use rate")
		}
		rf := join(path, "rate")
		if c.Rate.Sign() <= 0 || !c.Rate.LessThan(decimal.New(10, 0)) {
			return 0, errs.Invalid(rf, "rate %s must be above 0 and below 10 (in 折: 8.5 pays 85%%)", clip(c.Rate.String()))
		}
		s := c.Rate.Shift(RateDecimals)
		if !s.IsInteger() {
			return 0, errs.Invalid(rf, "rate %s has more than %d decimals", clip(c.Rate.String()), RateDecimals)
		}
		r4 = s.IntPart()
	default:
		return 0, errs.Invalid(join(path, "kind"), "unknown coupon kind %d (want Fixed or Rate)", int(c.Kind))
	}
	return r4, nil
}

// scope returns which lines coupon c covers (nil: all).
func scope(c Coupon, lines []Line) []bool {
	if len(c.Include) == 0 && len(c.Exclude) == 0 {
		return nil
	}
	el := make([]bool, len(lines))
	inc := idSet(c.Include)
	exc := idSet(c.Exclude)
	for i, l := range lines {
		_, ex := exc[l.ID]
		_, in := inc[l.ID]
		el[i] = (inc == nil || in) && !ex
	}
	return el
}

// idSet returns the ids as a set, nil for none.
func idSet(ids []string) map[string]struct{} {
	if len(ids) == 0 {
		return nil
	}
	m := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		m[id] = struct{}{}
	}
	return m
}

// applyCoupon computes coupon j's discount on the remaining amounts rem,
// writes its shares into column j of shares (row stride k) and reduces rem.
func applyCoupon(j int, c Coupon, r4 int64, b Basket, rem []int64, shares []money.Fen, k int, sc *scratch) (CouponResult, error) {
	cr := CouponResult{ID: c.ID, Kind: c.Kind, eligible: scope(c, b.Lines)}
	count := 0
	var e int64
	for i, r := range rem {
		if cr.eligible == nil || cr.eligible[i] {
			count++
			e += r
		}
	}
	cr.Eligible = money.Fen(e)
	var d int64
	switch {
	case count == 0:
		cr.Reason = ReasonNoEligibleLine
	case e < int64(c.Threshold):
		cr.Reason = ReasonThresholdNotMet
	case e == 0:
		cr.Reason = ReasonNothingLeft
	case c.Kind == Fixed:
		d = int64(c.Value)
		if d > e {
			d = e
		}
	default:
		q, exact, _ := mulDivRound(uint64(e), uint64(rateOne-r4), rateOne, b.Rounding)
		if !exact {
			return cr, errs.Invalid(join(index("coupons", j), "rate"), "the rate discount on %s yuan is not a whole number of fen and the rounding mode is exact", money.Fen(e).Yuan())
		}
		d = int64(q)
		if c.Cap > 0 && d > int64(c.Cap) {
			d = int64(c.Cap)
		}
		if d == 0 {
			cr.Reason = ReasonRoundedToZero
		}
	}
	cr.Discount = money.Fen(d)
	cr.Applied = d > 0
	if d > 0 {
		apportion(d, e, rem, cr.eligible, func(i int, s int64) { shares[i*k+j] = money.Fen(s) }, sc)
	}
	return cr, nil
}

// apportion splits d (0 < d ≤ e) over the eligible lines in proportion to
// their remaining amounts rem (summing to e) by the largest-remainder method,
// ties to the earlier line; it calls set for every line with a non-zero
// share and subtracts the share from rem.
//
// Each line first takes floor(d·r/e); the fen left over (fewer than the
// lines with a non-zero remainder d·r mod e) go one each to the lines with
// the largest remainders, earlier lines first among equals. A line's share
// never exceeds r: floor(d·r/e) ≤ r as d ≤ e, and a line whose floor equals
// r has remainder 0 and takes no extra fen.
func apportion(d, e int64, rem []int64, eligible []bool, set func(i int, s int64), sc *scratch) {
	sc.idx, sc.flo, sc.rems = sc.idx[:0], sc.flo[:0], sc.rems[:0]
	var assigned int64
	for i, r := range rem {
		if r == 0 || (eligible != nil && !eligible[i]) {
			continue
		}
		q, m := mulDiv(uint64(d), uint64(r), uint64(e))
		assigned += int64(q)
		sc.idx = append(sc.idx, i)
		sc.flo = append(sc.flo, int64(q))
		sc.rems = append(sc.rems, m)
	}
	left := d - assigned
	var cut uint64
	ties := 0
	if left > 0 {
		sc.sel = append(sc.sel[:0], sc.rems...)
		cut = kthLargest(sc.sel, int(left))
		above := 0
		for _, m := range sc.rems {
			if m > cut {
				above++
			}
		}
		ties = int(left) - above
	}
	for p, i := range sc.idx {
		s := sc.flo[p]
		if m := sc.rems[p]; left > 0 && (m > cut || (m == cut && ties > 0)) {
			if m == cut {
				ties--
			}
			s++
		}
		if s > 0 {
			rem[i] -= s
			set(i, s)
		}
	}
}

// mulDiv returns a·b / c and a·b mod c; the quotient must fit in 64 bits.
func mulDiv(a, b, c uint64) (q, r uint64) {
	hi, lo := bits.Mul64(a, b)
	return bits.Div64(hi, lo, c)
}

// mulDivRound returns a·b / c rounded by mode, whether it was exact, and
// false when the quotient does not fit in 64 bits.
func mulDivRound(a, b, c uint64, mode money.Rounding) (uint64, bool, bool) {
	hi, lo := bits.Mul64(a, b)
	if hi >= c {
		return 0, false, false
	}
	q, r := bits.Div64(hi, lo, c)
	if r == 0 {
		return q, true, true
	}
	switch mode {
	case money.HalfUp:
		if r >= c-r {
			q++
		}
	case money.HalfEven:
		if r > c-r || (r == c-r && q%2 == 1) {
			q++
		}
	case money.Down:
	default:
		return q, false, true
	}
	return q, true, true
}

// kthLargest returns the k-th largest value (1-based, counting repeats) of
// vals, which it reorders. It selects by radix, one byte at a time from the
// top, so its time is linear in len(vals).
func kthLargest(vals []uint64, k int) uint64 {
	var or uint64
	for _, v := range vals {
		or |= v
	}
	shift := 0
	for shift+8 < 64 && or>>(shift+8) != 0 {
		shift += 8
	}
	var prefix uint64
	for ; shift >= 0; shift -= 8 {
		var cnt [256]int
		for _, v := range vals {
			cnt[(v>>uint(shift))&0xff]++
		}
		b := 255
		for ; b > 0 && cnt[b] < k; b-- {
			k -= cnt[b]
		}
		prefix |= uint64(b) << uint(shift)
		w := 0
		for _, v := range vals {
			if (v>>uint(shift))&0xff == uint64(b) {
				vals[w] = v
				w++
			}
		}
		vals = vals[:w]
	}
	return prefix
}
