package money

import (
	"errors"
	"math/big"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// FuzzParseYuan checks that any text either parses to fen that agree with an
// independent big.Rat reading of the same text, or fails with a typed
// InvalidArgument error naming the field.
func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"0", "12.5", "0.125", "-1", "1e2", "NaN", "", "9999999999999.99", "1.005", "007.10"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, m uint8) {
		mode := Rounding(m % 4)
		got, err := ParseYuan("x", s, mode)
		if err != nil {
			var e *errs.Error
			if !errors.As(err, &e) || !errors.Is(err, errs.InvalidArgument) || e.Field != "x" {
				t.Fatalf("untyped error for %q: %v", s, err)
			}
			return
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok || r.Sign() < 0 {
			t.Fatalf("accepted %q that big.Rat rejects or is negative", s)
		}
		fen := new(big.Rat).Mul(r, big.NewRat(100, 1))
		lo := new(big.Rat).Sub(fen, big.NewRat(1, 1))
		hi := new(big.Rat).Add(fen, big.NewRat(1, 1))
		g := new(big.Rat).SetInt64(int64(got))
		if g.Cmp(lo) <= 0 || g.Cmp(hi) >= 0 {
			t.Fatalf("%q → %d fen, more than one fen away from %s", s, got, fen.FloatString(4))
		}
		if mode == Exact && g.Cmp(fen) != 0 {
			t.Fatalf("%q exact → %d fen, want %s", s, got, fen.FloatString(4))
		}
		back, err := ParseYuan("x", got.Yuan(), Exact)
		if err != nil || back != got {
			t.Fatalf("round trip of %d failed: %v %d", got, err, back)
		}
	})
}
