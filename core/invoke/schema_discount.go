package invoke

import (
	"github.com/couponkit/couponkit/core/discount"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/wire"
	"github.com/couponkit/couponkit/core/zvcms"
)

func init() {
	add("discount.quote", discountQuote)
	add("discount.reconcile", discountReconcile)
}

// Limits of the discount methods, tighter than the engine's own so that a
// call stays well under a second and its reply a few MiB: a basket of at
// most MaxQuoteLines lines (every request array's limit), lines × coupons at
// most MaxQuoteShares, and the per-unit detail (about 1–2 KiB of reply per
// line) for at most MaxQuoteUnitLines lines.
const (
	MaxQuoteLines     = wire.MaxElements
	MaxQuoteShares    = 100000
	MaxQuoteUnitLines = 1000
)

// Basket is a basket and a stack of coupons, money as yuan text.
type Basket struct {
	Rounding string        `json:"rounding"` // for line amounts and rate discounts: half-up (default, 四舍五入), down (抹分), half-even or exact
	Lines    []QuoteLine   `json:"lines"`    // the basket lines, in order (the order breaks ties); at least one
	Coupons  []QuoteCoupon `json:"coupons"`  // the coupons, applied in order (at most 32)
}

// QuoteLine is one basket line.
type QuoteLine struct {
	ID                string  `json:"id"`                                                              // line id (the goods code, zvcms trade_mark), unique in the basket
	Quantity          Decimal `json:"quantity" ck:"required"`                                          // quantity ("2", or "0.355" for weighed goods; at most 3 decimals)
	UnitPriceYuan     Decimal `json:"unitPriceYuan" ck:"required,alias=unitPrice,domain=unitPrice"`    // unit price, yuan
	PriorDiscountYuan Decimal `json:"priorDiscountYuan" ck:"alias=priorDiscount,domain=priorDiscount"` // discount already given on the line (member price, promotion), yuan
}

// QuoteCoupon is one coupon of a quote.
type QuoteCoupon struct {
	ID            string   `json:"id"`                                                  // your id for the coupon (echoed in the result)
	Kind          string   `json:"kind" ck:"required"`                                  // fixed (立减/满减) or rate (折扣券)
	ValueYuan     Decimal  `json:"valueYuan" ck:"alias=value,domain=value"`             // fixed coupons: the amount off, yuan
	Rate          Decimal  `json:"rate"`                                                // rate coupons: the rate in 折 ("8.5" pays 85%)
	ThresholdYuan Decimal  `json:"thresholdYuan" ck:"alias=threshold,domain=threshold"` // the least eligible amount (满), yuan
	CapYuan       Decimal  `json:"capYuan" ck:"alias=cap,domain=cap"`                   // rate coupons: the most they take off, yuan
	Include       []string `json:"include"`                                             // line ids the coupon applies to (empty: all)
	Exclude       []string `json:"exclude"`                                             // line ids the coupon never applies to
}

// QuoteRequest is a basket to quote.
type QuoteRequest struct {
	Basket
	Units bool `json:"units"` // add each whole-quantity line's per-unit split (baskets of at most 1,000 lines)
}

// quote checks the basket and quotes it.
func (b *Basket) quote() (*discount.Result, error) {
	if n := len(b.Lines) * len(b.Coupons); n > MaxQuoteShares {
		return nil, errs.New(errs.TooLarge, "coupons", "%d lines × %d coupons is more than %d shares to apportion; quote fewer lines or coupons at once", len(b.Lines), len(b.Coupons), MaxQuoteShares)
	}
	if len(b.Lines) == 0 {
		return nil, errs.Invalid("lines", "lines must hold at least one basket line")
	}
	in := discount.QuoteInput{Rounding: b.Rounding, Lines: make([]discount.LineInput, len(b.Lines)), Coupons: make([]discount.CouponInput, len(b.Coupons))}
	for i, l := range b.Lines {
		in.Lines[i] = discount.LineInput{ID: l.ID, Quantity: string(l.Quantity), UnitPrice: string(l.UnitPriceYuan), PriorDiscount: string(l.PriorDiscountYuan)}
	}
	for i, k := range b.Coupons {
		in.Coupons[i] = discount.CouponInput{ID: k.ID, Kind: k.Kind, Value: string(k.ValueYuan), Rate: string(k.Rate),
			Threshold: string(k.ThresholdYuan), Cap: string(k.CapYuan), Include: k.Include, Exclude: k.Exclude}
	}
	basket, coupons, err := in.Parse()
	if err != nil {
		return nil, err
	}
	return discount.Quote(basket, coupons)
}

// QuoteResult is a quote: what each coupon takes off and each line's share.
type QuoteResult struct {
	Rounding      string              `json:"rounding"`      // the rounding used
	Gross         Money               `json:"gross"`         // sum of quantity × unit price
	PriorDiscount Money               `json:"priorDiscount"` // sum of the prior discounts
	Amount        Money               `json:"amount"`        // gross minus prior discounts: what the coupons apply to
	Discount      Money               `json:"discount"`      // what the coupons take off
	Payable       Money               `json:"payable"`       // what the customer pays
	Coupons       []QuoteCouponResult `json:"coupons"`       // per coupon, in the order given
	Lines         []QuoteLineResult   `json:"lines"`         // per line, in the order given
}

// QuoteCouponResult is what one coupon did.
type QuoteCouponResult struct {
	ID       string `json:"id"`       // the coupon's id
	Kind     string `json:"kind"`     // fixed or rate
	Applied  bool   `json:"applied"`  // whether it took anything off
	Reason   string `json:"reason"`   // why not ("" when applied): threshold_not_met, no_eligible_line, nothing_left, rounded_to_zero
	Eligible Money  `json:"eligible"` // the eligible amount it saw
	Discount Money  `json:"discount"` // what it took off
}

// QuoteLineResult is one line of a quote.
type QuoteLineResult struct {
	ID            string      `json:"id"`              // the line's id
	Quantity      string      `json:"quantity"`        // the quantity
	UnitPrice     Money       `json:"unitPrice"`       // the unit price
	Gross         Money       `json:"gross"`           // quantity × unit price, rounded to the fen
	PriorDiscount Money       `json:"priorDiscount"`   // the prior discount
	Amount        Money       `json:"amount"`          // gross minus the prior discount
	Shares        []Money     `json:"shares"`          // each coupon's share of this line, in coupon order
	Discount      Money       `json:"discount"`        // all coupons' shares
	Payable       Money       `json:"payable"`         // what the line costs after the coupons
	Units         *QuoteUnits `json:"units,omitempty"` // with "units": the per-unit split of a whole quantity
}

// QuoteUnits splits a whole-quantity line per unit, as runs of units
// (numbered from 1) that pay the same.
type QuoteUnits struct {
	Count     int64       `json:"count"`     // units on the line
	UnitPrice Money       `json:"unitPrice"` // the unit price
	Prior     []UnitRun   `json:"prior"`     // the prior discount per unit
	Shares    [][]UnitRun `json:"shares"`    // each coupon's share per unit
	Discount  []UnitRun   `json:"discount"`  // the coupons' discount per unit
	Payable   []UnitRun   `json:"payable"`   // what each unit costs
}

// UnitRun is units from to to (inclusive), each with the same amount.
type UnitRun struct {
	From   int64 `json:"from"`   // first unit
	To     int64 `json:"to"`     // last unit
	Amount Money `json:"amount"` // each unit's amount
}

func runs(rs []discount.UnitRun) []UnitRun {
	out := make([]UnitRun, len(rs))
	for i, r := range rs {
		out[i] = UnitRun(r)
	}
	return out
}

// discountQuote quotes a basket with a stack of coupons, exact to the fen:
// what each coupon takes off and every line's share (largest remainder,
// ties to the earlier line).
func discountQuote(_ *Call, r *QuoteRequest) (*QuoteResult, error) {
	if r.Units && len(r.Lines) > MaxQuoteUnitLines {
		return nil, errs.New(errs.TooLarge, "units", "per-unit detail is given for at most %d lines, and the basket has %d; quote without \"units\" or fewer lines at once", MaxQuoteUnitLines, len(r.Lines))
	}
	res, err := r.quote()
	if err != nil {
		return nil, err
	}
	out := &QuoteResult{Rounding: res.Rounding.String(), Gross: res.Gross, PriorDiscount: res.PriorDiscount, Amount: res.Amount,
		Discount: res.Discount, Payable: res.Payable, Coupons: make([]QuoteCouponResult, len(res.Coupons)), Lines: make([]QuoteLineResult, len(res.Lines))}
	for i, k := range res.Coupons {
		out.Coupons[i] = QuoteCouponResult{k.ID, k.Kind.String(), k.Applied, string(k.Reason), k.Eligible, k.Discount}
	}
	for i := range res.Lines {
		l := &res.Lines[i]
		out.Lines[i] = QuoteLineResult{ID: l.ID, Quantity: l.Quantity.String(), UnitPrice: l.UnitPrice, Gross: l.Gross,
			PriorDiscount: l.PriorDiscount, Amount: l.Amount, Shares: l.Shares, Discount: l.Discount, Payable: l.Payable}
		if !r.Units {
			continue
		}
		if u, ok := l.Units(); ok {
			q := &QuoteUnits{Count: u.Count, UnitPrice: u.UnitPrice, Prior: runs(u.Prior), Discount: runs(u.Discount), Payable: runs(u.Payable)}
			for _, s := range u.Shares {
				q.Shares = append(q.Shares, runs(s))
			}
			out.Lines[i].Units = q
		}
	}
	return out, nil
}

// ReconcileRequest is a basket, the coupon the vendor priced and the
// vendor's answer: its raw reply or its figures, one of them.
type ReconcileRequest struct {
	Basket
	Coupon ID              `json:"coupon"` // index in coupons of the coupon the vendor priced (absent: one not quoted locally)
	Body   string          `json:"body"`   // the vendor's user.user-by-coupon reply body, as received
	Server *ServerDiscount `json:"server"` // or the vendor's figures
}

// ServerDiscount is the vendor's discount for one coupon (yuan, signed).
type ServerDiscount struct {
	CouponDiscountYuan Decimal      `json:"couponDiscountYuan" ck:"alias=couponDiscount,domain=couponDiscount"` // the vendor's coupon_discount, yuan
	GoodsItems         []ServerItem `json:"goodsItems"`                                                         // the vendor's goods_item, in its order
}

// ServerItem is one line's share in the vendor's split.
type ServerItem struct {
	TradeMark       string  `json:"tradeMark"`                                                 // the line id
	CouponMinusYuan Decimal `json:"couponMinusYuan" ck:"alias=couponMinus,domain=couponMinus"` // the line's share, yuan
}

// ReconcileResult is the final per-line allocation of the vendor's discount.
type ReconcileResult struct {
	Consistent    bool          `json:"consistent"`    // whether the vendor's split is usable as is
	Source        string        `json:"source"`        // whose split the allocation is: server or local
	Amount        Money         `json:"amount"`        // the allocation's sum: send it as amount to verifyCoupons
	OrderAmount   Money         `json:"orderAmount"`   // the basket's amount before coupons: send it as orderAmount
	Allocation    []Allocation  `json:"allocation"`    // per basket line
	Discrepancies []Discrepancy `json:"discrepancies"` // what was found wrong, coupon-level first
}

// Allocation is one line's share of the vendor's discount.
type Allocation struct {
	ID     string `json:"id"`     // the line id
	Amount Money  `json:"amount"` // its share
}

// Discrepancy is one finding of a reconciliation.
type Discrepancy struct {
	Kind      string `json:"kind"`      // sum_mismatch, unknown_trade_mark, duplicate_trade_mark, negative, share_exceeds_line, exceeds_basket, differs_from_local, share_differs_from_local or outside_scope
	Field     string `json:"field"`     // the vendor field at fault (coupon_discount, goods_item[2].coupon_minus)
	TradeMark string `json:"tradeMark"` // the line concerned
	Line      int    `json:"line"`      // its index (-1 if none)
	Server    Money  `json:"server"`    // the vendor's amount
	Local     Money  `json:"local"`     // the local amount compared
}

// discountReconcile checks the vendor's discount for one coupon (its
// user.user-by-coupon reply, or its figures) against the local quote and
// gives the final per-line allocation: the vendor's split when it is
// consistent, else the local split of its total, with the discrepancies.
func discountReconcile(_ *Call, r *ReconcileRequest) (*ReconcileResult, error) {
	var server discount.ServerDiscount
	var err error
	switch {
	case r.Body != "" && r.Server != nil:
		return nil, errs.Invalid("server", "give either body (the vendor's reply) or server, not both")
	case r.Body != "":
		server, err = serverOf(zvcms.ParseDiscountResponse([]byte(r.Body)))
	case r.Server != nil:
		in := discount.ServerDiscountInput{CouponDiscount: string(r.Server.CouponDiscountYuan), Items: make([]discount.ServerItemInput, len(r.Server.GoodsItems))}
		for i, it := range r.Server.GoodsItems {
			in.Items[i] = discount.ServerItemInput{TradeMark: it.TradeMark, CouponMinus: string(it.CouponMinusYuan)}
		}
		server, err = in.Parse("server")
	default:
		return nil, errs.Invalid("server", "the vendor's discount is required: body (the user.user-by-coupon reply) or server")
	}
	if err != nil {
		return nil, err
	}
	res, err := r.quote()
	if err != nil {
		return nil, err
	}
	idx, err := res.CouponIndex("coupon", string(r.Coupon))
	if err != nil {
		return nil, err
	}
	rec, err := discount.Reconcile(res, idx, server)
	if err != nil {
		return nil, err
	}
	out := &ReconcileResult{Consistent: rec.Consistent, Source: string(rec.Source), Amount: rec.Amount, OrderAmount: rec.OrderAmount,
		Allocation: make([]Allocation, len(rec.Allocation)), Discrepancies: make([]Discrepancy, len(rec.Discrepancies))}
	for i, f := range rec.Allocation {
		out.Allocation[i] = Allocation{res.Lines[i].ID, f}
	}
	for i, d := range rec.Discrepancies {
		out.Discrepancies[i] = Discrepancy{string(d.Kind), d.Field, d.TradeMark, d.Line, d.Server, d.Local}
	}
	return out, nil
}

// serverOf turns a parsed user.user-by-coupon reply into the engine's
// figures: this layer's adapter between the two domains. An absent
// coupon_discount is RESPONSE_INVALID; an absent coupon_minus counts as 0.
func serverOf(r *zvcms.DiscountResult, err error) (discount.ServerDiscount, error) {
	if err != nil {
		return discount.ServerDiscount{}, err
	}
	if !r.CouponDiscount.Valid {
		return discount.ServerDiscount{}, errs.New(errs.ResponseInvalid, "data.coupon_discount", "the reply has no coupon_discount")
	}
	s := discount.ServerDiscount{CouponDiscount: r.CouponDiscount.Fen, Items: make([]discount.ServerItem, len(r.GoodsItems))}
	for i, it := range r.GoodsItems {
		s.Items[i] = discount.ServerItem{TradeMark: it.TradeMark, CouponMinus: it.CouponMinus.Fen}
	}
	return s, nil
}
