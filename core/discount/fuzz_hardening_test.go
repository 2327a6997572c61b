package discount

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/shopspring/decimal"
)

// checkQuoteInvariants checks what every quote must satisfy whatever its
// input: each coupon's shares sum to its discount; each share lies in
// 0 … the line's remaining amount before that coupon, and is 0 on a line out
// of the coupon's scope; line and basket totals add up; payable ≥ 0; a fixed
// coupon takes at most its value, a capped rate coupon at most its cap; a
// coupon is Applied exactly when it takes something; and the big.Rat
// reference model of the property test agrees share for share.
func checkQuoteInvariants(t *testing.T, b Basket, cs []Coupon, res *Result) {
	t.Helper()
	if len(res.Lines) != len(b.Lines) || len(res.Coupons) != len(cs) {
		t.Fatalf("result shape %d lines %d coupons, input %d %d", len(res.Lines), len(res.Coupons), len(b.Lines), len(cs))
	}
	var amount, disc money.Fen
	for j, c := range res.Coupons {
		var sum money.Fen
		for i := range res.Lines {
			s := res.Lines[i].Shares[j]
			if s != 0 && !c.IsEligible(i) {
				t.Fatalf("coupon %d takes %d from line %d outside its scope", j, s, i)
			}
			sum += s
		}
		if sum != c.Discount || c.Discount < 0 || c.Applied != (c.Discount > 0) || (c.Discount > 0) != (c.Reason == ReasonNone) {
			t.Fatalf("coupon %d: shares sum to %d, discount %d, applied %v, reason %q", j, sum, c.Discount, c.Applied, c.Reason)
		}
		if cs[j].Kind == Fixed && c.Discount > cs[j].Value || cs[j].Kind == Rate && cs[j].Cap > 0 && c.Discount > cs[j].Cap {
			t.Fatalf("coupon %d takes %d, over its value or cap: %+v", j, c.Discount, cs[j])
		}
		if c.Discount > c.Eligible {
			t.Fatalf("coupon %d takes %d of an eligible %d", j, c.Discount, c.Eligible)
		}
		disc += c.Discount
	}
	for i := range res.Lines {
		l := &res.Lines[i]
		if l.Amount != l.Gross-l.PriorDiscount || l.Amount < 0 {
			t.Fatalf("line %d: amount %d = gross %d − prior %d", i, l.Amount, l.Gross, l.PriorDiscount)
		}
		left := l.Amount
		for j, s := range l.Shares {
			if s < 0 || s > left {
				t.Fatalf("line %d coupon %d: share %d outside 0…%d", i, j, s, left)
			}
			left -= s
		}
		if l.Payable != left || l.Payable < 0 || l.Discount != l.Amount-l.Payable {
			t.Fatalf("line %d: payable %d discount %d, want %d", i, l.Payable, l.Discount, left)
		}
		amount += l.Amount
	}
	if res.Amount != amount || res.Discount != disc || res.Payable != amount-disc || res.Payable < 0 ||
		res.Amount != res.Gross-res.PriorDiscount {
		t.Fatalf("totals: amount %d (lines %d), discount %d (coupons %d), payable %d", res.Amount, amount, res.Discount, disc, res.Payable)
	}
	ref := refQuote(b, cs)
	if ref.failed {
		return
	}
	for j, c := range res.Coupons {
		if int64(c.Discount) != ref.disc[j] || c.Reason != ref.reasons[j] {
			t.Fatalf("coupon %d: %d %q, reference %d %q", j, c.Discount, c.Reason, ref.disc[j], ref.reasons[j])
		}
		for i := range res.Lines {
			if int64(res.Lines[i].Shares[j]) != ref.shares[i][j] {
				t.Fatalf("line %d coupon %d: share %d, reference %d", i, j, res.Lines[i].Shares[j], ref.shares[i][j])
			}
		}
	}
}

// quoteKind checks that a refused quote is a typed InvalidArgument or
// TooLarge error with a field.
func quoteKind(t *testing.T, err error) {
	t.Helper()
	e, ok := err.(*errs.Error)
	if !ok || (e.Kind != errs.InvalidArgument && e.Kind != errs.TooLarge) {
		t.Fatalf("unexpected error %#v", err)
	}
	if e.Kind == errs.InvalidArgument && e.Field == "" {
		t.Fatalf("INVALID_ARGUMENT without a field: %v", err)
	}
}

// FuzzQuoteText: any JSON text of a QuoteInput (seeded with the inputs of
// testdata/discount/cases.json) either fails with a typed error naming the
// field, or quotes with every invariant of checkQuoteInvariants holding.
func FuzzQuoteText(f *testing.F) {
	raw, err := os.ReadFile("../../testdata/discount/cases.json")
	if err != nil {
		f.Fatal(err)
	}
	var file struct {
		Cases []struct {
			Input json.RawMessage `json:"input"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil || len(file.Cases) == 0 {
		f.Fatalf("cases.json: %v", err)
	}
	for _, c := range file.Cases {
		f.Add([]byte(c.Input))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		var in QuoteInput
		if json.Unmarshal(text, &in) != nil {
			return
		}
		b, cs, err := in.Parse()
		if err != nil {
			quoteKind(t, err)
			return
		}
		res, err := Quote(b, cs)
		if err != nil {
			quoteKind(t, err)
			return
		}
		checkQuoteInvariants(t, b, cs, res)
	})
}

// FuzzQuoteBasket: baskets and coupon stacks decoded from raw bytes (so the
// fuzzer steers amounts, quantities, rates and scopes directly) either fail
// with a typed error or quote with every invariant holding.
func FuzzQuoteBasket(f *testing.F) {
	f.Add([]byte{2, 0, 1, 0, 0, 0, 10, 0, 0, 0, 0, 0, 3, 0x4c, 0x1d, 0, 0, 0, 0, 1, 1, 0x20, 0x4e, 0, 0, 0x10, 0x27, 0, 0, 0, 0})
	f.Add([]byte{3, 0x31, 7, 1, 0, 0, 0, 0x99, 0, 0, 3, 9, 3, 0, 0, 0, 1, 0x55, 0x21, 0, 0, 0, 0, 0, 0, 2, 2, 0x7f, 0x83, 0, 0, 0xe8, 3, 0, 0, 0xff, 0})
	f.Add([]byte{1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, cs := decodeBasket(data)
		res, err := Quote(b, cs)
		if err != nil {
			quoteKind(t, err)
			return
		}
		checkQuoteInvariants(t, b, cs, res)
	})
}

// byteReader hands out little-endian integers from fuzz data, zeros once
// the data runs out.
type byteReader struct{ b []byte }

func (r *byteReader) u8() uint8 {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *byteReader) u32() uint32 {
	var p [4]byte
	n := copy(p[:], r.b)
	r.b = r.b[n:]
	return binary.LittleEndian.Uint32(p[:])
}

// fen reads an amount: small ones often, up to int64 range rarely.
func (r *byteReader) fen() money.Fen {
	switch sel := r.u8(); sel % 4 {
	case 0:
		return money.Fen(r.u8())
	case 1, 2:
		return money.Fen(r.u32() % 10_000_000)
	default:
		return money.Fen(int64(r.u32())<<31 | int64(r.u32()))
	}
}

// decodeBasket turns data into up to 8 lines and 4 coupons.
func decodeBasket(data []byte) (Basket, []Coupon) {
	r := &byteReader{b: data}
	head := r.u8()
	b := Basket{Rounding: money.Rounding(head >> 4 % 4)}
	n := int(head%8) + 1
	for i := 0; i < n; i++ {
		l := Line{ID: "l" + strconv.Itoa(i)}
		q := r.u8()
		if q&0x80 != 0 { // decimals
			l.Quantity = decimal.New(int64(r.u32()%1_000_000), -int32(q%4))
		} else {
			l.Quantity = decimal.New(int64(q%32), 0)
		}
		l.UnitPrice = r.fen()
		l.PriorDiscount = r.fen() % (l.UnitPrice + 1)
		b.Lines = append(b.Lines, l)
	}
	k := int(r.u8() % 5)
	var cs []Coupon
	for j := 0; j < k; j++ {
		sel := r.u8()
		c := Coupon{ID: "c" + strconv.Itoa(j), Kind: Fixed}
		if sel&1 == 1 {
			c.Kind = Rate
			c.Rate = decimal.New(int64(r.u32()%100_000), -4)
			if sel&2 != 0 {
				c.Cap = r.fen()
			}
		} else {
			c.Value = r.fen()
		}
		if sel&4 != 0 {
			c.Threshold = r.fen()
		}
		scope := r.u8()
		for i := 0; i < n; i++ {
			if scope&(1<<uint(i)) == 0 {
				continue
			}
			if sel&8 != 0 {
				c.Exclude = append(c.Exclude, b.Lines[i].ID)
			} else {
				c.Include = append(c.Include, b.Lines[i].ID)
			}
		}
		cs = append(cs, c)
	}
	return b, cs
}
