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
	if len(b.Lines) > MaxLines {
		return nil, tooMany("lines", len(b.Lines), MaxLines, "lines")
	}
	if len(coupons) > MaxCoupons {
		return nil, tooMany("coupons", len(coupons), MaxCoupons, "coupons")
	}
	n, k := len(b.Lines), len(coupons)
	res := &Result{Rounding: b.Rounding, Lines: make([]LineResult, n), Coupons: make([]CouponResult, k)}
	rem := make([]int64, n)
	shares := make([]money.Fen, n*k)
	ids, err := checkBasket(b, &quoteFill{res: res, shares: shares, k: k, rem: rem})
	if err != nil {
		return nil, err
	}
	rates, err := checkCoupons(coupons)
	if err != nil {
		return nil, err
	}
	res.Amount = res.Gross - res.PriorDiscount
	var sc scratch
	for j, c := range coupons {
		cr, err := applyCoupon(j, c, rates[j], b, ids, rem, shares, k, &sc)
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
	flo  []int64
	rems []uint64
	sel  []uint64
}

// validate checks a basket and coupons without quoting.
func validate(b Basket, coupons []Coupon) error {
	if _, err := checkBasket(b, nil); err != nil {
		return err
	}
	_, err := checkCoupons(coupons)
	return err
}

// quoteFill is where checkBasket writes what it learns about the lines, in
// the same pass: the result's lines and totals, each line's row of the
// shares matrix (k per line) and its remaining amount.
type quoteFill struct {
	res    *Result
	shares []money.Fen
	k      int
	rem    []int64
}

// checkBasket validates the basket (every line, then the ids' uniqueness)
// and returns an index of the line ids. When fill is not nil it also fills
// in the result's lines.
func checkBasket(b Basket, fill *quoteFill) (*idIndex, error) {
	switch b.Rounding {
	case money.Exact, money.HalfUp, money.Down, money.HalfEven:
	default:
		return nil, errs.Invalid("rounding", "unknown rounding mode %d", int(b.Rounding))
	}
	if len(b.Lines) > MaxLines {
		return nil, tooMany("lines", len(b.Lines), MaxLines, "lines")
	}
	var total int64
	for i, l := range b.Lines {
		li, err := checkLine(l, b.Rounding)
		if err != nil {
			return nil, errs.Prefix(index("lines", i), err)
		}
		total += li.gross
		if total > int64(money.MaxFen) {
			return nil, errs.New(errs.TooLarge, "lines", "the basket's total exceeds the supported maximum %s yuan", money.MaxFen.Yuan())
		}
		if fill != nil {
			k := fill.k
			amount := li.gross - int64(l.PriorDiscount)
			fill.res.Lines[i] = LineResult{ID: l.ID, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
				Gross: money.Fen(li.gross), PriorDiscount: l.PriorDiscount, Amount: money.Fen(amount),
				Shares: fill.shares[i*k : (i+1)*k : (i+1)*k], units: li.units}
			fill.rem[i] = amount
			fill.res.PriorDiscount += l.PriorDiscount
		}
	}
	if fill != nil {
		fill.res.Gross = money.Fen(total)
	}
	ids, dup, first := buildIDIndex(b.Lines)
	if dup >= 0 {
		return nil, errs.Invalid(join(index("lines", dup), "id"), "line id %q repeats lines[%d].id; ids must be unique", clip(b.Lines[dup].ID), first)
	}
	return ids, nil
}

// maxQ3 is MaxQuantity in thousandths.
const maxQ3 = 999_999_999_999

// checkLine validates one line and computes its gross amount under mode.
// Error fields are relative to the line ("quantity"): callers prefix them
// with errs.Prefix, so no path text is built unless there is an error.
func checkLine(l Line, mode money.Rounding) (lineInfo, error) {
	if l.ID == "" {
		return lineInfo{}, errs.Invalid("id", "line id is empty")
	}
	if len(l.ID) > MaxIDLength {
		return lineInfo{}, errs.Invalid("id", "line id has %d bytes, more than %d", len(l.ID), MaxIDLength)
	}
	const qf = "quantity"
	q3, ok := fixedPoint(l.Quantity, QuantityDecimals)
	if !ok || q3 <= 0 || q3 > maxQ3 {
		switch {
		case l.Quantity.Sign() <= 0:
			return lineInfo{}, errs.Invalid(qf, "quantity %s must be positive", clip(l.Quantity.String()))
		case !l.Quantity.Shift(QuantityDecimals).IsInteger():
			return lineInfo{}, errs.Invalid(qf, "quantity %s has more than %d decimals", clip(l.Quantity.String()), QuantityDecimals)
		default:
			return lineInfo{}, errs.Invalid(qf, "quantity %s exceeds the maximum %s", clip(l.Quantity.String()), MaxQuantity)
		}
	}
	if err := money.Check("unitPrice", l.UnitPrice); err != nil {
		return lineInfo{}, err
	}
	if err := money.Check("priorDiscount", l.PriorDiscount); err != nil {
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
		return lineInfo{}, errs.Invalid("priorDiscount", "prior discount %s exceeds the line amount %s", l.PriorDiscount.Yuan(), money.Fen(g).Yuan())
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
		r, err := checkCoupon(c)
		if err != nil {
			return nil, errs.Prefix(index("coupons", i), err)
		}
		rates[i] = r
	}
	return rates, nil
}

// rateOne is 10 折 (pay everything) in units of 10^-RateDecimals 折.
const rateOne = 100_000

// checkCoupon validates one coupon; error fields are relative ("rate").
func checkCoupon(c Coupon) (int64, error) {
	if err := money.Check("threshold", c.Threshold); err != nil {
		return 0, err
	}
	if err := money.Check("cap", c.Cap); err != nil {
		return 0, err
	}
	if err := money.Check("value", c.Value); err != nil {
		return 0, err
	}
	if len(c.Include) > MaxScopeIDs {
		return 0, tooMany("include", len(c.Include), MaxScopeIDs, "ids")
	}
	if len(c.Exclude) > MaxScopeIDs {
		return 0, tooMany("exclude", len(c.Exclude), MaxScopeIDs, "ids")
	}
	var r4 int64
	switch c.Kind {
	case Fixed:
		if c.Value <= 0 {
			return 0, errs.Invalid("value", "a fixed coupon's value must be positive")
		}
		if !c.Rate.IsZero() {
			return 0, errs.Invalid("rate", "a fixed coupon has no rate")
		}
		if c.Cap != 0 {
			return 0, errs.Invalid("cap", "a fixed coupon has no cap")
		}
	case Rate:
		if c.Value != 0 {
			return 0, errs.Invalid("value", "a rate coupon has no value; use rate")
		}
		const rf = "rate"
		if c.Rate.Sign() <= 0 || !c.Rate.LessThan(decimal.New(10, 0)) {
			return 0, errs.Invalid(rf, "rate %s must be above 0 and below 10 (in 折: 8.5 pays 85%%)", clip(c.Rate.String()))
		}
		var ok bool
		if r4, ok = fixedPoint(c.Rate, RateDecimals); !ok {
			return 0, errs.Invalid(rf, "rate %s has more than %d decimals", clip(c.Rate.String()), RateDecimals)
		}
	default:
		return 0, errs.Invalid("kind", "unknown coupon kind %d (want Fixed or Rate)", int(c.Kind))
	}
	return r4, nil
}

// scope returns which lines coupon c covers (nil: all).
func scope(c Coupon, ids *idIndex, n int) []bool {
	if len(c.Include) == 0 && len(c.Exclude) == 0 {
		return nil
	}
	el := make([]bool, n)
	if len(c.Include) == 0 {
		for i := range el {
			el[i] = true
		}
	}
	ids.findAll(c.Include, func(i int) { el[i] = true })
	ids.findAll(c.Exclude, func(i int) { el[i] = false })
	return el
}

// applyCoupon computes coupon j's discount on the remaining amounts rem,
// writes its shares into column j of shares (row stride k) and reduces rem.
func applyCoupon(j int, c Coupon, r4 int64, b Basket, ids *idIndex, rem []int64, shares []money.Fen, k int, sc *scratch) (CouponResult, error) {
	cr := CouponResult{ID: c.ID, Kind: c.Kind, eligible: scope(c, ids, len(rem))}
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
		if !exact && c.Cap > 0 && q >= uint64(c.Cap) {
			q, exact = uint64(c.Cap), true // above the cap: no rounding needed
		}
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
		apportion(d, e, rem, cr.eligible, shares, k, j, sc)
	}
	return cr, nil
}

// apportion splits d (0 < d ≤ e) over the eligible lines in proportion to
// their remaining amounts rem (summing to e) by the largest-remainder method,
// ties to the earlier line. Line i's share goes to out[i*stride+col] and is
// subtracted from rem[i].
//
// Each line first takes floor(d·r/e); the fen left over (fewer than the
// lines with a non-zero remainder d·r mod e) go one each to the lines with
// the largest remainders, earlier lines first among equals. A line's share
// never exceeds r: floor(d·r/e) ≤ r as d ≤ e, and a line whose floor equals
// r has remainder 0 and takes no extra fen.
func apportion(d, e int64, rem []int64, eligible []bool, out []money.Fen, stride, col int, sc *scratch) {
	if cap(sc.flo) < len(rem) {
		sc.flo, sc.rems = make([]int64, 0, len(rem)), make([]uint64, 0, len(rem))
	}
	sc.flo, sc.rems = sc.flo[:0], sc.rems[:0]
	var assigned int64
	var or uint64
	for i, r := range rem {
		if r == 0 || (eligible != nil && !eligible[i]) {
			continue
		}
		q, m := mulDiv(uint64(d), uint64(r), uint64(e))
		assigned += int64(q)
		or |= m
		sc.flo = append(sc.flo, int64(q))
		sc.rems = append(sc.rems, m)
	}
	left := d - assigned
	var cut uint64
	ties := 0
	if left > 0 {
		cut, ties, sc.sel = kthLargest(sc.rems, or, int(left), sc.sel)
	}
	p := 0
	for i, r := range rem {
		if r == 0 || (eligible != nil && !eligible[i]) {
			continue
		}
		s := sc.flo[p]
		if m := sc.rems[p]; left > 0 && (m > cut || (m == cut && ties > 0)) {
			if m == cut {
				ties--
			}
			s++
		}
		p++
		rem[i] = r - s
		out[i*stride+col] = money.Fen(s)
	}
}

// fixedPoint returns d × 10^places as an int64, and false when that is not
// a whole number or its magnitude is 10^17 or more. It does not allocate for
// decimals with an exponent in ±boundExp (every value money and quantity
// text produces).
func fixedPoint(d decimal.Decimal, places int32) (int64, bool) {
	if d.Sign() == 0 {
		return 0, true
	}
	exp := d.Exponent()
	if exp < -boundExp || exp > boundExp {
		return fixedPointSlow(d, places)
	}
	// Same exponent: Cmp compares coefficients without allocating.
	if d.Cmp(coefBounds[exp+boundExp][0]) <= 0 || d.Cmp(coefBounds[exp+boundExp][1]) >= 0 {
		return fixedPointSlow(d, places) // a long coefficient, maybe trailing zeros
	}
	c := d.CoefficientInt64()
	s := exp + places
	for ; s > 0; s-- {
		if c >= fixedLimit/10 || c <= -fixedLimit/10 {
			return 0, false
		}
		c *= 10
	}
	for ; s < 0; s++ {
		if c%10 != 0 {
			return 0, false
		}
		c /= 10
	}
	return c, true
}

// fixedLimit bounds fixedPoint's results: 10^17.
const fixedLimit = 100_000_000_000_000_000

// boundExp is the largest exponent magnitude with precomputed bounds.
const boundExp = 24

// coefBounds[exp+boundExp] holds −10^17 and 10^17 as coefficients with that
// exponent. Read-only after initialisation.
var coefBounds = func() (b [2*boundExp + 1][2]decimal.Decimal) {
	for i := range b {
		exp := int32(i - boundExp)
		b[i] = [2]decimal.Decimal{decimal.New(-fixedLimit, exp), decimal.New(fixedLimit, exp)}
	}
	return b
}()

// fixedPointSlow is fixedPoint for any exponent, with big-number arithmetic.
func fixedPointSlow(d decimal.Decimal, places int32) (int64, bool) {
	s := d.Shift(places)
	if !s.IsInteger() || s.Abs().Cmp(decimal.New(fixedLimit, 0)) >= 0 {
		return 0, false
	}
	return s.IntPart(), true
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

// kthLargest returns the k-th largest value v (1-based, counting repeats)
// of vals, whose bits are all in or, and how many values equal to v are
// among the k largest (ties). It selects by radix, one byte at a time from
// the top: the first pass only counts, later passes work on the few
// candidates left, copied into buf; so its time is linear in len(vals).
func kthLargest(vals []uint64, or uint64, k int, buf []uint64) (v uint64, ties int, _ []uint64) {
	// Digits of up to 8 bits from the top set bit of or down, so that the
	// first pass really spreads the values over 256 buckets.
	shift, width := bits.Len64(or)-8, 8
	if shift < 0 {
		shift, width = 0, bits.Len64(or)
	}
	if want := len(vals)/64 + 64; cap(buf) < want {
		buf = make([]uint64, 0, want)
	}
	cands := vals
	for {
		mask := uint64(1)<<uint(width) - 1
		var cnt [256]int
		for _, c := range cands {
			cnt[(c>>uint(shift))&mask]++
		}
		b := int(mask)
		for ; b > 0 && cnt[b] < k; b-- {
			k -= cnt[b]
		}
		v |= uint64(b) << uint(shift)
		// Keep the candidates whose digit is b (in buf, never in vals).
		kept := buf[:0]
		for _, c := range cands {
			if (c>>uint(shift))&mask == uint64(b) {
				kept = append(kept, c)
			}
		}
		buf, cands = kept, kept
		if shift == 0 {
			return v, k, buf
		}
		if width = 8; shift < 8 {
			width = shift
		}
		shift -= width
	}
}
