package discount

import "github.com/couponkit/couponkit/core/money"

// UnitRun says that each of the units From..To (numbered from 1, inclusive)
// carries Amount fen.
type UnitRun struct {
	// From and To are the first and last unit of the run (1-based).
	From, To int64
	// Amount is what each unit of the run carries, in fen.
	Amount money.Fen
}

// UnitSplit is a line's split per unit, for a whole-number quantity. Each
// list of runs covers units 1..Count in order, adjacent runs having
// different amounts.
//
// Which units take the leftover fen: the line's cumulative discount (prior
// discount, then each coupon's share in coupon order) is spread over the
// units as evenly as possible with the lowest-numbered units taking the one
// extra fen. After a cumulative total C over n units, unit u carries
// C/n fen plus one when u ≤ C mod n. Each step's per-unit amount is the
// increase it causes, so a coupon's leftover fen land on the units just after
// those that took the previous leftover (wrapping to unit 1). No unit's
// discount ever exceeds its price.
type UnitSplit struct {
	// Count is the number of units (the quantity).
	Count int64
	// UnitPrice is the price of one unit.
	UnitPrice money.Fen
	// Prior is the line's prior discount per unit.
	Prior []UnitRun
	// Shares[j] is coupon j's share per unit.
	Shares [][]UnitRun
	// Discount is all coupons' shares together per unit.
	Discount []UnitRun
	// Payable is UnitPrice − Prior − Discount per unit.
	Payable []UnitRun
}

// Units returns the line's per-unit split, or false when the quantity is not
// a whole number (weighed goods have no units to split over).
func (l *LineResult) Units() (UnitSplit, bool) {
	n := l.units
	if n <= 0 {
		return UnitSplit{}, false
	}
	s := UnitSplit{Count: n, UnitPrice: l.UnitPrice, Shares: make([][]UnitRun, len(l.Shares))}
	prior := int64(l.PriorDiscount)
	c := prior
	s.Prior = stepRuns(n, 0, prior)
	for j, sh := range l.Shares {
		s.Shares[j] = stepRuns(n, c, c+int64(sh))
		c += int64(sh)
	}
	s.Discount = stepRuns(n, prior, c)
	price := l.UnitPrice
	total := c
	s.Payable = runs(n, []int64{total % n}, func(u int64) money.Fen { return price - spread(total, n, u) })
	return s, true
}

// At returns the amount that runs give unit u (0 when u is not covered).
func At(rs []UnitRun, u int64) money.Fen {
	for _, r := range rs {
		if u >= r.From && u <= r.To {
			return r.Amount
		}
	}
	return 0
}

// Sum returns the total of runs over all their units (within int64 for any
// split of a line this package produced).
func Sum(rs []UnitRun) money.Fen {
	var t money.Fen
	for _, r := range rs {
		t += money.Fen(r.To-r.From+1) * r.Amount
	}
	return t
}

// spread returns unit u's part of total c spread over n units, the lowest
// units taking the leftover fen.
func spread(c, n, u int64) money.Fen {
	v := c / n
	if u <= c%n {
		v++
	}
	return money.Fen(v)
}

// stepRuns returns the per-unit increase from cumulative a to cumulative b.
func stepRuns(n, a, b int64) []UnitRun {
	return runs(n, []int64{a % n, b % n}, func(u int64) money.Fen { return spread(b, n, u) - spread(a, n, u) })
}

// runs evaluates f on the segments of 1..n delimited by the breakpoints bps
// (a segment ends after each breakpoint) and merges equal neighbours.
func runs(n int64, bps []int64, f func(u int64) money.Fen) []UnitRun {
	cuts := make([]int64, 0, len(bps)+1)
	for _, b := range bps {
		if b > 0 && b < n {
			cuts = append(cuts, b)
		}
	}
	cuts = append(cuts, n)
	if len(cuts) == 3 && cuts[0] > cuts[1] {
		cuts[0], cuts[1] = cuts[1], cuts[0]
	}
	out := make([]UnitRun, 0, len(cuts))
	lo := int64(1)
	for _, hi := range cuts {
		if hi < lo {
			continue
		}
		v := f(lo)
		if k := len(out); k > 0 && out[k-1].Amount == v {
			out[k-1].To = hi
		} else {
			out = append(out, UnitRun{From: lo, To: hi, Amount: v})
		}
		lo = hi + 1
	}
	return out
}
