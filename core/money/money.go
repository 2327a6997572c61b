// Package money converts between yuan (元) text and integer fen (分) exactly.
//
// Money never passes through float64. Yuan arrive as text (a JSON string or
// the raw text of a JSON number, e.g. "12.5", 12.50, "0"); fen are int64.
// A yuan value with more than two decimals is an error unless the caller names
// a Rounding mode.
package money

import (
	"errors"
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/shopspring/decimal"
)

// Fen is an amount of money in fen (分, 0.01 yuan).
type Fen int64

// MaxFen is the largest magnitude of an amount couponkit accepts:
// 999,999,999,999,999 fen (just under 10^13 yuan). Larger values are
// rejected, never wrapped.
const MaxFen Fen = 999_999_999_999_999

// Yuan formats f as yuan with exactly two decimals: 1250 → "12.50",
// -5 → "-0.05".
func (f Fen) Yuan() string {
	neg := f < 0
	u := uint64(f)
	if neg {
		u = uint64(-f)
	}
	whole := strconv.FormatUint(u/100, 10)
	cents := u % 100
	s := whole + "." + string(rune('0'+cents/10)) + string(rune('0'+cents%10))
	if neg {
		return "-" + s
	}
	return s
}

// String returns the fen as a decimal integer ("1250").
func (f Fen) String() string { return strconv.FormatInt(int64(f), 10) }

// Decimal returns the amount in yuan as an exact decimal.
func (f Fen) Decimal() decimal.Decimal { return decimal.New(int64(f), -2) }

// ErrSubFen is the cause (errors.Is) of the error FromDecimal, ParseYuan and
// ParseSignedYuan return for a value with more than two decimals under
// Exact: a caller that offers a rounding option adds the hint to name one
// (the message itself does not, since most amounts have no such option).
var ErrSubFen = errors.New("more than two decimals")

// Rounding names how a value with more than two decimals becomes fen.
type Rounding int

const (
	// Exact rejects any value that is not a whole number of fen.
	Exact Rounding = iota
	// HalfUp rounds half away from zero (四舍五入), the usual retail rule.
	HalfUp
	// Down truncates toward zero (抹分).
	Down
	// HalfEven rounds half to the even fen (banker's rounding).
	HalfEven
)

// String returns the mode's name as ParseRounding accepts it.
func (r Rounding) String() string {
	switch r {
	case Exact:
		return "exact"
	case HalfUp:
		return "half-up"
	case Down:
		return "down"
	case HalfEven:
		return "half-even"
	}
	return "Rounding(" + strconv.Itoa(int(r)) + ")"
}

// ParseRounding parses a rounding mode name: "exact", "half-up", "down" or
// "half-even". The empty string is def.
func ParseRounding(field, s string, def Rounding) (Rounding, error) {
	switch s {
	case "":
		return def, nil
	case "exact":
		return Exact, nil
	case "half-up":
		return HalfUp, nil
	case "down":
		return Down, nil
	case "half-even":
		return HalfEven, nil
	}
	return 0, errs.Invalid(field, "unknown rounding mode %q (want exact, half-up, down or half-even)", clip(s))
}

// ParseYuan parses a non-negative yuan amount ("12.5", "0", "3.10") into fen.
// More than two decimals is an error unless mode is not Exact. field names the
// value in errors.
func ParseYuan(field, s string, mode Rounding) (Fen, error) {
	if len(s) > 0 && s[0] == '-' {
		return 0, errs.Invalid(field, "amount %q must not be negative", clip(s))
	}
	return ParseSignedYuan(field, s, mode)
}

// ParseSignedYuan is ParseYuan allowing a leading minus sign.
func ParseSignedYuan(field, s string, mode Rounding) (Fen, error) {
	d, err := ParseDecimal(field, s)
	if err != nil {
		return 0, err
	}
	return FromDecimal(field, d, mode)
}

// ParseDecimal parses plain decimal text: an optional leading '-', digits,
// optionally '.' and more digits. Exponents, '+', spaces, "NaN", "Inf", hex
// and empty text are errors naming field.
func ParseDecimal(field, s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, errs.Invalid(field, "amount is empty")
	}
	if len(s) > 64 {
		return decimal.Decimal{}, errs.Invalid(field, "amount has %d characters, too long to be money", len(s))
	}
	i := 0
	if s[0] == '-' {
		i = 1
	}
	intDigits, fracDigits, dot := 0, 0, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if dot {
				fracDigits++
			} else {
				intDigits++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return decimal.Decimal{}, errs.Invalid(field, "amount %q is not a plain decimal number (digits, one optional '.', no exponent)", clip(s))
		}
	}
	if intDigits == 0 || (dot && fracDigits == 0) {
		return decimal.Decimal{}, errs.Invalid(field, "amount %q is not a plain decimal number (digits, one optional '.', no exponent)", clip(s))
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, errs.Invalid(field, "amount %q is not a number", clip(s))
	}
	return d, nil
}

// FromDecimal converts an exact yuan decimal into fen, rounding by mode (Exact
// refuses a value that is not a whole number of fen), and refusing magnitudes
// above MaxFen.
func FromDecimal(field string, d decimal.Decimal, mode Rounding) (Fen, error) {
	fen := d.Shift(2)
	var r decimal.Decimal
	switch mode {
	case Exact:
		r = fen.Truncate(0)
		if !r.Equal(fen) {
			e := errs.Invalid(field, "amount %s has more than two decimals, not a whole number of fen", clip(d.String()))
			e.Err = ErrSubFen
			return 0, e
		}
	case HalfUp:
		r = fen.Round(0) // shopspring rounds half away from zero
	case Down:
		r = fen.Truncate(0)
	case HalfEven:
		r = fen.RoundBank(0)
	default:
		return 0, errs.Invalid(field, "unknown rounding mode %d", int(mode))
	}
	if r.Abs().GreaterThan(decimal.New(int64(MaxFen), 0)) {
		return 0, errs.Invalid(field, "amount %s yuan is larger than the supported maximum %s", clip(d.String()), MaxFen.Yuan())
	}
	return Fen(r.IntPart()), nil
}

// ParseFen parses a non-negative whole number of fen ("1250"). Signs,
// decimals, exponents and values above MaxFen are errors naming field.
func ParseFen(field, s string) (Fen, error) {
	if s == "" {
		return 0, errs.Invalid(field, "fen amount is empty")
	}
	if !jsontext.IsDigits(s) {
		return 0, errs.Invalid(field, "fen amount %q must be a whole non-negative number of fen", clip(s))
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || Fen(v) > MaxFen {
		return 0, errs.Invalid(field, "fen amount %q is larger than the supported maximum %d", clip(s), MaxFen)
	}
	return Fen(v), nil
}

// ParseSignedFen is ParseFen allowing one leading minus sign ("-5"); "-0"
// is an error naming field (it is not an amount).
func ParseSignedFen(field, s string) (Fen, error) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	f, err := ParseFen(field, s)
	switch {
	case err != nil:
		return 0, err
	case neg && f == 0:
		return 0, errs.Invalid(field, "-0 is not an amount")
	case neg:
		f = -f
	}
	return f, nil
}

// Check returns an error naming field when f is negative or its magnitude
// exceeds MaxFen.
func Check(field string, f Fen) error {
	if f < 0 {
		return errs.Invalid(field, "fen amount %d must not be negative", f)
	}
	if f > MaxFen {
		return errs.Invalid(field, "fen amount %d is larger than the supported maximum %d", f, MaxFen)
	}
	return nil
}

// clip shortens untrusted text quoted in an error message.
func clip(s string) string { return jsontext.Clip(s, 40) }
