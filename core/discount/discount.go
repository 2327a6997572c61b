// Package discount is couponkit's decimal-exact discount engine: it quotes
// what a stack of coupons takes off a basket, apportions every coupon's
// discount over the basket's lines to the fen, splits each line's share over
// its units, and reconciles the vendor's own split (zvcms
// user.user-by-coupon) with the local one.
//
// All arithmetic is on integer fen (money.Fen) with 128-bit intermediate
// products, so no amount the package accepts can overflow: a value beyond
// the supported range is a typed error, never a wrong number. No float64 is
// used anywhere.
//
// Rules, in order:
//
//   - Line amount: Gross = Quantity × UnitPrice rounded to the fen by the
//     basket's Rounding; Amount = Gross − PriorDiscount (member price,
//     promotion), which must not exceed Gross.
//   - Coupons apply in the given order, each on what the previous ones left
//     of its eligible lines (scope: Include, empty = every line, minus
//     Exclude).
//   - Fixed (立减/满减): qualifies when the eligible remaining amount is ≥
//     Threshold (equal qualifies); discount = min(Value, eligible remaining).
//   - Rate (折扣券): Rate is in 折 (8.5 pays 85%); discount = eligible
//     remaining × (1 − Rate/10) rounded to the fen by the basket's Rounding,
//     then limited to Cap when Cap > 0. Threshold applies as for Fixed.
//   - A coupon that does not qualify gives a zero discount with a Reason.
//   - Apportionment: a coupon's discount splits over its eligible lines in
//     proportion to their remaining amounts by the largest-remainder method in
//     fen; ties go to the earlier line; no share exceeds the line's remaining
//     amount.
//   - Units: for a whole-number quantity, a line's prior discount and coupon
//     shares split over its units as evenly as possible, the leftover fen
//     going to the lowest-numbered units (see LineResult.Units).
package discount

import (
	"strconv"

	"github.com/couponkit/couponkit/core/money"
	"github.com/shopspring/decimal"
)

// Limits. A basket or coupon list beyond them is an errs.TooLarge error.
const (
	// MaxLines is the largest number of lines in a basket.
	MaxLines = 100_000
	// MaxCoupons is the largest number of coupons in one quote.
	MaxCoupons = 32
	// MaxScopeIDs is the largest number of ids in one Include or Exclude list.
	MaxScopeIDs = 100_000
	// MaxIDLength is the longest line id (trade_mark) in bytes.
	MaxIDLength = 256
	// QuantityDecimals is the most decimals a quantity may have (weighed goods).
	QuantityDecimals = 3
	// RateDecimals is the most decimals a rate (in 折) may have.
	RateDecimals = 4
)

// MaxQuantity is the largest quantity a line accepts, as decimal text
// (decimal.RequireFromString(MaxQuantity) gives it as a decimal).
const MaxQuantity = "999999999.999"

// Basket is an ordered list of lines and the rounding mode used for line
// amounts and rate discounts.
type Basket struct {
	// Lines in order; the order decides ties in apportionment. Ids must be
	// unique and non-empty.
	Lines []Line
	// Rounding turns a line's Quantity × UnitPrice and a rate coupon's
	// discount into whole fen. The zero value, money.Exact, refuses to round:
	// a value that is not a whole number of fen is an InvalidArgument error
	// (a rate discount above its cap needs no rounding). Retail baskets normally set money.HalfUp (四舍五入), the default of the
	// text form (QuoteInput); money.Down (抹分) and money.HalfEven also exist.
	Rounding money.Rounding
}

// Line is one basket line.
type Line struct {
	// ID identifies the line (the zvcms trade_mark); unique in the basket.
	ID string
	// Quantity is positive, a whole number or up to QuantityDecimals
	// decimals (weighed goods), at most MaxQuantity.
	Quantity decimal.Decimal
	// UnitPrice is the price of one unit in fen, ≥ 0 (zero-priced lines are
	// allowed and take no discount).
	UnitPrice money.Fen
	// PriorDiscount is a discount already taken off this line before any
	// coupon (member price, promotion), ≥ 0 and ≤ the line's gross amount.
	PriorDiscount money.Fen
}

// CouponKind says how a coupon computes its discount.
type CouponKind int

const (
	// Fixed is a fixed-amount coupon (立减/满减): Value off, at most the
	// eligible remaining amount.
	Fixed CouponKind = iota + 1
	// Rate is a rate coupon (折扣券): pay Rate/10 of the eligible remaining
	// amount.
	Rate
)

// String returns "fixed" or "rate", the names ParseCouponKind accepts.
func (k CouponKind) String() string {
	switch k {
	case Fixed:
		return "fixed"
	case Rate:
		return "rate"
	}
	return "CouponKind(" + strconv.Itoa(int(k)) + ")"
}

// Coupon is one coupon of a stack.
type Coupon struct {
	// ID is the caller's name for the coupon, echoed in the result (optional).
	ID string
	// Kind is Fixed or Rate.
	Kind CouponKind
	// Value is a Fixed coupon's face value in fen, > 0. Must be 0 for Rate.
	Value money.Fen
	// Rate is a Rate coupon's rate in 折, 0 < Rate < 10, at most
	// RateDecimals decimals (8.5 pays 85%). Must be zero for Fixed.
	Rate decimal.Decimal
	// Threshold is the least eligible remaining amount for the coupon to
	// apply (满 X); 0 means none. Equal qualifies.
	Threshold money.Fen
	// Cap is a Rate coupon's largest discount (最高减) in fen; 0 means no cap
	// (a cap of zero fen is not representable: such a coupon is useless).
	// Must be 0 for Fixed.
	Cap money.Fen
	// Include lists the line ids the coupon applies to; empty means every
	// line. Ids not in the basket are ignored.
	Include []string
	// Exclude lists line ids the coupon never applies to.
	Exclude []string
}

// Reason says why a coupon gave no discount.
type Reason string

// The reasons a coupon gives a zero discount.
const (
	// ReasonNone: the coupon applied (Discount > 0).
	ReasonNone Reason = ""
	// ReasonNoEligibleLine: no basket line is in the coupon's scope.
	ReasonNoEligibleLine Reason = "no_eligible_line"
	// ReasonThresholdNotMet: the eligible remaining amount is below Threshold.
	ReasonThresholdNotMet Reason = "threshold_not_met"
	// ReasonNothingLeft: the eligible lines have nothing left to discount
	// (zero-priced, or fully taken by earlier coupons).
	ReasonNothingLeft Reason = "nothing_left"
	// ReasonRoundedToZero: a rate discount rounded to zero fen.
	ReasonRoundedToZero Reason = "rounded_to_zero"
)

// Result is a quote: what each coupon takes and how it splits over lines.
type Result struct {
	// Rounding is the mode the quote used.
	Rounding money.Rounding
	// Coupons, in the order given.
	Coupons []CouponResult
	// Lines, in basket order.
	Lines []LineResult
	// Gross is the sum of the lines' Gross amounts.
	Gross money.Fen
	// PriorDiscount is the sum of the lines' prior discounts.
	PriorDiscount money.Fen
	// Amount is the sum of the lines' Amounts (Gross − PriorDiscount): what
	// the coupons apply to.
	Amount money.Fen
	// Discount is the sum of all coupons' discounts.
	Discount money.Fen
	// Payable is Amount − Discount, ≥ 0.
	Payable money.Fen
}

// CouponResult is one coupon's outcome.
type CouponResult struct {
	// ID and Kind echo the coupon.
	ID   string
	Kind CouponKind
	// Applied is true when Discount > 0.
	Applied bool
	// Reason says why Discount is zero (ReasonNone when applied).
	Reason Reason
	// Eligible is the eligible lines' remaining amount before this coupon.
	Eligible money.Fen
	// Discount is what the coupon takes off, in fen.
	Discount money.Fen

	// eligible[i] tells whether line i is in scope (nil: every line).
	eligible []bool
}

// IsEligible reports whether basket line i is in the coupon's scope.
func (c *CouponResult) IsEligible(i int) bool {
	return c.eligible == nil || (i >= 0 && i < len(c.eligible) && c.eligible[i])
}

// LineResult is one line's outcome.
type LineResult struct {
	// ID, Quantity and UnitPrice echo the line.
	ID        string
	Quantity  decimal.Decimal
	UnitPrice money.Fen
	// Gross is Quantity × UnitPrice rounded by the basket's mode.
	Gross money.Fen
	// PriorDiscount echoes the line's prior discount.
	PriorDiscount money.Fen
	// Amount is Gross − PriorDiscount.
	Amount money.Fen
	// Shares[j] is coupon j's share of this line, in fen.
	Shares []money.Fen
	// Discount is the sum of Shares.
	Discount money.Fen
	// Payable is Amount − Discount, ≥ 0.
	Payable money.Fen

	// units is the whole quantity, or 0 when the quantity has decimals.
	units int64
}
