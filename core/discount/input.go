package discount

import (
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
)

// QuoteInput is the text form of a quote request, as the JSON method surface
// receives it: every number is decimal text (a JSON string or the raw text of
// a JSON number) and every money value is yuan with at most two decimals.
// Parse validates it once, with field paths such as "lines[3].unitPrice".
type QuoteInput struct {
	// Rounding is "half-up" (the default when empty), "down", "half-even" or
	// "exact" (refuse any value that is not a whole fen).
	Rounding string `json:"rounding"`
	// Lines of the basket, in order.
	Lines []LineInput `json:"lines"`
	// Coupons in the order they apply.
	Coupons []CouponInput `json:"coupons"`
}

// LineInput is the text form of a Line.
type LineInput struct {
	// ID is the line id (trade_mark).
	ID string `json:"id"`
	// Quantity is a positive number with at most 3 decimals.
	Quantity string `json:"quantity"`
	// UnitPrice is the unit price in yuan (≤ 2 decimals, ≥ 0).
	UnitPrice string `json:"unitPrice"`
	// PriorDiscount is an optional prior line discount in yuan ("" = 0).
	PriorDiscount string `json:"priorDiscount"`
}

// CouponInput is the text form of a Coupon.
type CouponInput struct {
	// ID is the caller's name for the coupon (optional).
	ID string `json:"id"`
	// Kind is "fixed" or "rate".
	Kind string `json:"kind"`
	// Value is a fixed coupon's face value in yuan.
	Value string `json:"value"`
	// Rate is a rate coupon's rate in 折 ("8.5").
	Rate string `json:"rate"`
	// Threshold is the optional least eligible amount in yuan ("" = none).
	Threshold string `json:"threshold"`
	// Cap is a rate coupon's optional largest discount in yuan ("" = none).
	Cap string `json:"cap"`
	// Include and Exclude are the scope's line ids.
	Include []string `json:"include"`
	Exclude []string `json:"exclude"`
}

// Parse validates the input and returns the basket and coupons, or an
// *errs.Error naming the field (InvalidArgument, or TooLarge beyond a limit).
// The result is ready for Quote (which validates again, cheaply).
func (in QuoteInput) Parse() (Basket, []Coupon, error) {
	mode, err := money.ParseRounding("rounding", in.Rounding, money.HalfUp)
	if err != nil {
		return Basket{}, nil, err
	}
	if len(in.Lines) > MaxLines {
		return Basket{}, nil, tooMany("lines", len(in.Lines), MaxLines, "lines")
	}
	if len(in.Coupons) > MaxCoupons {
		return Basket{}, nil, tooMany("coupons", len(in.Coupons), MaxCoupons, "coupons")
	}
	b := Basket{Rounding: mode, Lines: make([]Line, len(in.Lines))}
	for i, l := range in.Lines {
		if b.Lines[i], err = l.Parse(index("lines", i)); err != nil {
			return Basket{}, nil, err
		}
	}
	cs := make([]Coupon, len(in.Coupons))
	for i, c := range in.Coupons {
		if cs[i], err = c.Parse(index("coupons", i)); err != nil {
			return Basket{}, nil, err
		}
	}
	if err := validate(b, cs); err != nil {
		return Basket{}, nil, err
	}
	return b, cs, nil
}

// Parse validates one line; path prefixes the field names in errors (for
// example "lines[3]" gives "lines[3].unitPrice").
func (in LineInput) Parse(path string) (Line, error) {
	var l Line
	var err error
	l.ID = in.ID
	if l.Quantity, err = money.ParseDecimal(join(path, "quantity"), in.Quantity); err != nil {
		return Line{}, err
	}
	if l.UnitPrice, err = money.ParseYuan(join(path, "unitPrice"), in.UnitPrice, money.Exact); err != nil {
		return Line{}, err
	}
	if in.PriorDiscount != "" {
		if l.PriorDiscount, err = money.ParseYuan(join(path, "priorDiscount"), in.PriorDiscount, money.Exact); err != nil {
			return Line{}, err
		}
	}
	// Half-up gives the largest gross of all modes, so a prior discount it
	// refuses is refused by every mode; Quote checks again with the basket's.
	if _, err := checkLine(l, money.HalfUp); err != nil {
		return Line{}, errs.Prefix(path, err)
	}
	return l, nil
}

// Parse validates one coupon; path prefixes the field names in errors (for
// example "coupons[0]" gives "coupons[0].rate").
func (in CouponInput) Parse(path string) (Coupon, error) {
	var c Coupon
	var err error
	c.ID = in.ID
	if c.Kind, err = ParseCouponKind(join(path, "kind"), in.Kind); err != nil {
		return Coupon{}, err
	}
	if in.Value != "" {
		if c.Value, err = money.ParseYuan(join(path, "value"), in.Value, money.Exact); err != nil {
			return Coupon{}, err
		}
	}
	if in.Rate != "" {
		if c.Rate, err = money.ParseDecimal(join(path, "rate"), in.Rate); err != nil {
			return Coupon{}, err
		}
	}
	if in.Threshold != "" {
		if c.Threshold, err = money.ParseYuan(join(path, "threshold"), in.Threshold, money.Exact); err != nil {
			return Coupon{}, err
		}
	}
	if in.Cap != "" {
		if c.Cap, err = money.ParseYuan(join(path, "cap"), in.Cap, money.Exact); err != nil {
			return Coupon{}, err
		}
		if c.Cap == 0 {
			return Coupon{}, errs.Invalid(join(path, "cap"), "cap must be positive; leave it empty for no cap")
		}
	}
	c.Include = in.Include
	c.Exclude = in.Exclude
	if _, err := checkCoupon(c); err != nil {
		return Coupon{}, errs.Prefix(path, err)
	}
	return c, nil
}

// ParseCouponKind parses "fixed" or "rate"; field names the value in errors.
func ParseCouponKind(field, s string) (CouponKind, error) {
	switch s {
	case "fixed":
		return Fixed, nil
	case "rate":
		return Rate, nil
	}
	return 0, errs.Invalid(field, "unknown coupon kind %q (want fixed or rate)", clip(s))
}

// join returns path.name, or name when path is empty.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// index returns path[i].
func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// tooMany returns a TooLarge error about field.
func tooMany(field string, n, limit int, what string) error {
	return errs.New(errs.TooLarge, field, "%d %s exceed the limit of %d", n, what, limit)
}

// clip shortens untrusted text quoted in an error message, at a rune
// boundary.
func clip(s string) string { return jsontext.Clip(s, 40) }
