package discount

import (
	"math/big"
	"math/rand"
	"reflect"
	"sort"
	"strconv"
	"testing"

	"github.com/couponkit/couponkit/core/money"
	"github.com/shopspring/decimal"
)

// The reference model below recomputes a quote a second, independent way:
// big.Rat arithmetic, linear scope lookups and a stable sort for the
// largest-remainder step (the engine uses 128-bit integers, maps and a
// radix selection). The property test compares the two on random baskets.

type refResult struct {
	failed  bool
	amount  []int64
	disc    []int64
	reasons []Reason
	shares  [][]int64 // [line][coupon]
}

// refRound rounds a non-negative rational to an integer by mode; ok is false
// when mode is Exact and x is not whole.
func refRound(x *big.Rat, mode money.Rounding) (int64, bool) {
	q, m := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	twice := new(big.Int).Lsh(m, 1)
	c := twice.Cmp(x.Denom())
	switch mode {
	case money.Exact:
		if m.Sign() != 0 {
			return 0, false
		}
	case money.HalfUp:
		if c >= 0 {
			q.Add(q, big.NewInt(1))
		}
	case money.HalfEven:
		if c > 0 || (c == 0 && q.Bit(0) == 1) {
			q.Add(q, big.NewInt(1))
		}
	}
	return q.Int64(), true
}

func contains(ids []string, id string) bool {
	for _, s := range ids {
		if s == id {
			return true
		}
	}
	return false
}

func refQuote(b Basket, cs []Coupon) refResult {
	n := len(b.Lines)
	out := refResult{amount: make([]int64, n), shares: make([][]int64, n)}
	left := make([]int64, n)
	for i, l := range b.Lines {
		q, _ := new(big.Rat).SetString(l.Quantity.String())
		g, ok := refRound(q.Mul(q, new(big.Rat).SetInt64(int64(l.UnitPrice))), b.Rounding)
		if !ok {
			out.failed = true
			return out
		}
		out.amount[i] = g - int64(l.PriorDiscount)
		left[i] = out.amount[i]
		out.shares[i] = make([]int64, len(cs))
	}
	for j, c := range cs {
		var el []int
		var e int64
		for i, l := range b.Lines {
			if (len(c.Include) == 0 || contains(c.Include, l.ID)) && !contains(c.Exclude, l.ID) {
				el = append(el, i)
				e += left[i]
			}
		}
		var d int64
		reason := ReasonNone
		switch {
		case len(el) == 0:
			reason = ReasonNoEligibleLine
		case e < int64(c.Threshold):
			reason = ReasonThresholdNotMet
		case e == 0:
			reason = ReasonNothingLeft
		case c.Kind == Fixed:
			d = int64(c.Value)
			if e < d {
				d = e
			}
		default:
			rate, _ := new(big.Rat).SetString(c.Rate.String())
			pay := new(big.Rat).Sub(big.NewRat(10, 1), rate)
			x := new(big.Rat).Mul(new(big.Rat).SetInt64(e), pay)
			x.Quo(x, big.NewRat(10, 1))
			var v int64
			if c.Cap > 0 && x.Cmp(new(big.Rat).SetInt64(int64(c.Cap))) >= 0 {
				v = int64(c.Cap) // at or above the cap, whatever the rounding
			} else {
				var ok bool
				if v, ok = refRound(x, b.Rounding); !ok {
					out.failed = true
					return out
				}
				if c.Cap > 0 && v > int64(c.Cap) {
					v = int64(c.Cap)
				}
			}
			d = v
			if d == 0 {
				reason = ReasonRoundedToZero
			}
		}
		out.disc = append(out.disc, d)
		out.reasons = append(out.reasons, reason)
		if d == 0 {
			continue
		}
		type quota struct {
			line int
			frac *big.Rat
		}
		var qs []quota
		var sum int64
		for _, i := range el {
			x := big.NewRat(d, 1)
			x.Mul(x, big.NewRat(left[i], e))
			fl := new(big.Int).Quo(x.Num(), x.Denom())
			out.shares[i][j] = fl.Int64()
			sum += fl.Int64()
			qs = append(qs, quota{i, x.Sub(x, new(big.Rat).SetInt(fl))})
		}
		sort.SliceStable(qs, func(a, b int) bool { return qs[a].frac.Cmp(qs[b].frac) > 0 })
		for k := int64(0); k < d-sum; k++ {
			out.shares[qs[k].line][j]++
		}
		for _, i := range el {
			left[i] -= out.shares[i][j]
		}
	}
	return out
}

// randBasket draws a valid basket and coupon stack (valid except that an
// Exact basket may hold values that are not whole fen).
func randBasket(r *rand.Rand) (Basket, []Coupon) {
	modes := []money.Rounding{money.HalfUp, money.HalfUp, money.Down, money.HalfEven, money.Exact}
	b := Basket{Rounding: modes[r.Intn(len(modes))]}
	n := 1 + r.Intn(12)
	if r.Intn(10) == 0 {
		n = 1 + r.Intn(80)
	}
	var ids []string
	for i := 0; i < n; i++ {
		l := Line{ID: "L" + strconv.Itoa(i)}
		switch r.Intn(10) {
		case 0:
			l.UnitPrice = 0
		case 1:
			l.UnitPrice = money.Fen(r.Int63n(1_000_000_000_000))
		case 2, 3:
			l.UnitPrice = money.Fen(1 + r.Intn(20))
		default:
			l.UnitPrice = money.Fen(r.Intn(100_000))
		}
		switch r.Intn(10) {
		case 0, 1, 2:
			l.Quantity = decimal.New(int64(1+r.Intn(5000)), -3)
		case 3:
			l.Quantity = decimal.NewFromInt(int64(1 + r.Intn(100)))
		default:
			l.Quantity = decimal.NewFromInt(int64(1 + r.Intn(6)))
		}
		if r.Intn(5) == 0 {
			q, _ := new(big.Rat).SetString(l.Quantity.String())
			g, _ := refRound(q.Mul(q, new(big.Rat).SetInt64(int64(l.UnitPrice))), money.Down)
			l.PriorDiscount = money.Fen(r.Int63n(g + 1))
		}
		b.Lines = append(b.Lines, l)
		ids = append(ids, l.ID)
	}
	subset := func() []string {
		var s []string
		for _, id := range ids {
			if r.Intn(3) == 0 {
				s = append(s, id)
			}
		}
		if r.Intn(4) == 0 {
			s = append(s, "not-in-basket")
		}
		return s
	}
	var cs []Coupon
	for k := r.Intn(5); k > 0; k-- {
		c := Coupon{ID: "C" + strconv.Itoa(k)}
		if r.Intn(2) == 0 {
			c.Kind = Fixed
			switch r.Intn(4) {
			case 0:
				c.Value = 1
			case 1:
				c.Value = money.Fen(1 + r.Int63n(1_000_000_000_000))
			default:
				c.Value = money.Fen(1 + r.Intn(20_000))
			}
		} else {
			c.Kind = Rate
			c.Rate = decimal.New(int64(1+r.Intn(99_999)), -int32(r.Intn(RateDecimals+1)))
			for !c.Rate.LessThan(decimal.NewFromInt(10)) {
				c.Rate = c.Rate.Shift(-1)
			}
			if r.Intn(3) == 0 {
				c.Cap = money.Fen(1 + r.Intn(5_000))
			}
		}
		if r.Intn(3) == 0 {
			c.Threshold = money.Fen(r.Intn(60_000))
		}
		if r.Intn(3) == 0 {
			c.Include = subset()
		}
		if r.Intn(4) == 0 {
			c.Exclude = subset()
		}
		cs = append(cs, c)
	}
	return b, cs
}

// simulateUnits hands a line's fen out one at a time, round robin from unit
// 1: prior discount first, then each coupon's share. It returns per-unit
// amounts for the prior discount and for each coupon.
func simulateUnits(n int64, prior int64, shares []money.Fen) ([]int64, [][]int64) {
	next := int64(0)
	give := func(k int64) []int64 {
		v := make([]int64, n)
		for ; k > 0; k-- {
			v[next]++
			next = (next + 1) % n
		}
		return v
	}
	p := give(prior)
	var per [][]int64
	for _, s := range shares {
		per = append(per, give(int64(s)))
	}
	return p, per
}

func expand(t *testing.T, rs []UnitRun, n int64) []int64 {
	t.Helper()
	v := make([]int64, 0, n)
	next := int64(1)
	for k, r := range rs {
		if r.From != next || r.To < r.From || (k > 0 && rs[k-1].Amount == r.Amount) {
			t.Fatalf("runs %v do not tile 1..%d with merged neighbours", rs, n)
		}
		for u := r.From; u <= r.To; u++ {
			v = append(v, int64(r.Amount))
		}
		next = r.To + 1
	}
	if next != n+1 {
		t.Fatalf("runs %v do not cover 1..%d", rs, n)
	}
	return v
}

func TestPropertiesRandomBaskets(t *testing.T) {
	r := rand.New(rand.NewSource(20261122))
	const N = 14_000
	failures, units := 0, 0
	for it := 0; it < N; it++ {
		b, cs := randBasket(r)
		res, err := Quote(b, cs)
		ref := refQuote(b, cs)
		if ref.failed {
			if err == nil {
				t.Fatalf("case %d: the reference refuses an inexact exact-mode value, the engine quoted", it)
			}
			failures++
			continue
		}
		if err != nil {
			t.Fatalf("case %d: %v", it, err)
		}
		again, _ := Quote(b, cs)
		if !reflect.DeepEqual(res, again) {
			t.Fatalf("case %d: not deterministic", it)
		}
		var total, disc int64
		for i := range res.Lines {
			total += ref.amount[i]
		}
		for j, c := range res.Coupons {
			if int64(c.Discount) != ref.disc[j] || c.Reason != ref.reasons[j] || c.Applied != (c.Discount > 0) {
				t.Fatalf("case %d coupon %d: %d %q, reference %d %q", it, j, c.Discount, c.Reason, ref.disc[j], ref.reasons[j])
			}
			var sum int64
			for i := range res.Lines {
				sum += int64(res.Lines[i].Shares[j])
			}
			if sum != int64(c.Discount) {
				t.Fatalf("case %d coupon %d: shares sum to %d, discount %d", it, j, sum, c.Discount)
			}
			disc += sum
		}
		for i := range res.Lines {
			l := &res.Lines[i]
			left := int64(l.Amount)
			if left != ref.amount[i] {
				t.Fatalf("case %d line %d: amount %d, reference %d", it, i, l.Amount, ref.amount[i])
			}
			for j, s := range l.Shares {
				if int64(s) != ref.shares[i][j] {
					t.Fatalf("case %d line %d coupon %d: share %d, reference %d", it, i, j, s, ref.shares[i][j])
				}
				if s < 0 || int64(s) > left {
					t.Fatalf("case %d line %d coupon %d: share %d outside 0..%d", it, i, j, s, left)
				}
				left -= int64(s)
			}
			if int64(l.Payable) != left || l.Payable < 0 || l.Discount != l.Amount-l.Payable {
				t.Fatalf("case %d line %d: payable %d, want %d", it, i, l.Payable, left)
			}
			u, ok := l.Units()
			if ok != l.Quantity.IsInteger() {
				t.Fatalf("case %d line %d: Units ok=%v for quantity %s", it, i, ok, l.Quantity)
			}
			if !ok {
				continue
			}
			units++
			n := u.Count
			if Sum(u.Prior) != l.PriorDiscount || Sum(u.Payable) != l.Payable || Sum(u.Discount) != l.Discount {
				t.Fatalf("case %d line %d: unit sums %d/%d/%d, want %d/%d/%d", it, i, Sum(u.Prior), Sum(u.Discount), Sum(u.Payable), l.PriorDiscount, l.Discount, l.Payable)
			}
			for j := range u.Shares {
				if Sum(u.Shares[j]) != l.Shares[j] {
					t.Fatalf("case %d line %d coupon %d: unit shares sum %d, want %d", it, i, j, Sum(u.Shares[j]), l.Shares[j])
				}
			}
			if n > 200 || l.Gross > 20_000 {
				continue
			}
			wantPrior, wantShares := simulateUnits(n, int64(l.PriorDiscount), l.Shares)
			if got := expand(t, u.Prior, n); !reflect.DeepEqual(got, wantPrior) {
				t.Fatalf("case %d line %d: unit prior %v, simulated %v", it, i, got, wantPrior)
			}
			for j := range u.Shares {
				if got := expand(t, u.Shares[j], n); !reflect.DeepEqual(got, wantShares[j]) {
					t.Fatalf("case %d line %d coupon %d: unit shares %v, simulated %v", it, i, j, got, wantShares[j])
				}
			}
			pay := expand(t, u.Payable, n)
			for k := range pay {
				off := wantPrior[k]
				for j := range wantShares {
					off += wantShares[j][k]
				}
				if pay[k] != int64(l.UnitPrice)-off || pay[k] < 0 {
					t.Fatalf("case %d line %d unit %d: payable %d, want %d", it, i, k+1, pay[k], int64(l.UnitPrice)-off)
				}
			}
		}
		if int64(res.Amount) != total || int64(res.Discount) != disc || res.Payable != res.Amount-res.Discount || res.Payable < 0 {
			t.Fatalf("case %d: totals %d/%d/%d", it, res.Amount, res.Discount, res.Payable)
		}
	}
	if N-failures < 10_000 || units == 0 {
		t.Fatalf("only %d quoted baskets (%d refused), %d unit splits", N-failures, failures, units)
	}
	t.Logf("%d random baskets quoted, %d refused in exact mode, %d unit splits checked", N-failures, failures, units)
}

func TestKthLargest(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for it := 0; it < 2000; it++ {
		n := 1 + r.Intn(50)
		vals := make([]uint64, n)
		for i := range vals {
			switch r.Intn(3) {
			case 0:
				vals[i] = uint64(r.Intn(4))
			case 1:
				vals[i] = r.Uint64()
			default:
				vals[i] = uint64(r.Int63n(1 << 50))
			}
		}
		sorted := append([]uint64(nil), vals...)
		sort.Slice(sorted, func(a, b int) bool { return sorted[a] > sorted[b] })
		k := 1 + r.Intn(n)
		var or uint64
		for _, v := range vals {
			or |= v
		}
		orig := append([]uint64(nil), vals...)
		got, ties, _ := kthLargest(vals, or, k, nil)
		wantTies := 0
		for _, v := range sorted[:k] {
			if v == sorted[k-1] {
				wantTies++
			}
		}
		if got != sorted[k-1] || ties != wantTies || !reflect.DeepEqual(vals, orig) {
			t.Fatalf("kthLargest(%v, %d) = %d, %d ties; want %d, %d (input kept: %v)", orig, k, got, ties, sorted[k-1], wantTies, reflect.DeepEqual(vals, orig))
		}
	}
}

// TestReconcileRandom: the vendor echoing the local split reconciles with no
// discrepancy; the same split with one fen moved off the sum falls back to
// exactly the local split.
func TestReconcileRandom(t *testing.T) {
	r := rand.New(rand.NewSource(99))
	checked := 0
	for it := 0; checked < 2000 && it < 20_000; it++ {
		b, cs := randBasket(r)
		if b.Rounding == money.Exact || len(cs) == 0 {
			continue
		}
		res, err := Quote(b, cs)
		if err != nil {
			t.Fatal(err)
		}
		j := r.Intn(len(cs))
		var s ServerDiscount
		s.CouponDiscount = res.Coupons[j].Discount
		local := make([]money.Fen, len(res.Lines))
		for i := len(res.Lines) - 1; i >= 0; i-- {
			local[i] = res.Lines[i].Shares[j]
			if local[i] != 0 || r.Intn(2) == 0 {
				s.Items = append(s.Items, ServerItem{TradeMark: res.Lines[i].ID, CouponMinus: local[i]})
			}
		}
		rc, err := Reconcile(res, j, s)
		if err != nil {
			t.Fatal(err)
		}
		if len(rc.Discrepancies) != 0 || !rc.Consistent || rc.Source != SourceServer || !reflect.DeepEqual(rc.Allocation, local) ||
			rc.Amount != s.CouponDiscount || rc.OrderAmount != res.Amount {
			t.Fatalf("case %d: echo of the local split: %+v", it, rc)
		}
		if len(s.Items) == 0 {
			continue
		}
		s.Items[0].CouponMinus++
		if rc, err = Reconcile(res, j, s); err != nil {
			t.Fatal(err)
		}
		if rc.Consistent || rc.Source != SourceLocal || !reflect.DeepEqual(rc.Allocation, local) || len(rc.Discrepancies) == 0 {
			t.Fatalf("case %d: one fen off: %+v", it, rc)
		}
		checked++
	}
	if checked < 2000 {
		t.Fatalf("only %d reconciliations checked", checked)
	}
}
