package invoke

import (
	"strconv"

	"github.com/couponkit/couponkit/core/discount"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/zvcms"
)

// Members of the discount methods' requests (discount.QuoteInput's text
// form).
var (
	quoteFields     = []string{"rounding", "lines", "coupons", "units"}
	lineFields      = []string{"id", "quantity", "unitPrice", "priorDiscount"}
	couponFields    = []string{"id", "kind", "value", "rate", "threshold", "cap", "include", "exclude"}
	reconcileFields = []string{"rounding", "lines", "coupons", "coupon", "server", "body"}
	serverFields    = []string{"couponDiscount", "goodsItems"}
	serverItemFlds  = []string{"tradeMark", "couponMinus"}
)

// Limits of the discount methods, tighter than the engine's own so that a
// call stays well under a second and its reply a few MiB: a basket of at
// most MaxQuoteLines lines, and lines × coupons at most MaxQuoteShares. The
// per-unit detail of a quote ("units": true) costs about 1–2 KiB of reply per
// line, so it is given for baskets of at most MaxQuoteUnitLines lines
// (10,000 lines with units made a 22 MB reply and took over 1 s under
// WebAssembly).
const (
	MaxQuoteLines     = 10000
	MaxQuoteShares    = 100000
	MaxQuoteUnitLines = 1000
)

// registerDiscount registers discount.quote and discount.reconcile.
func (r *Registry) registerDiscount() {
	r.register("discount.quote", quoteFields, func(c *call) error {
		units := c.in.boolean("units", false)
		if n := c.in.get("lines").Get("#").Int(); units && n > MaxQuoteUnitLines {
			return errs.New(errs.TooLarge, "units", "per-unit detail is given for at most %d lines, and the basket has %d; quote without \"units\" or fewer lines at once", MaxQuoteUnitLines, n)
		}
		res, err := c.quote()
		if err != nil {
			return err
		}
		writeQuote(&c.out, res, units)
		return nil
	})
	r.register("discount.reconcile", reconcileFields, func(c *call) error {
		server := c.serverDiscount()
		if err := c.fail(); err != nil {
			return err
		}
		res, err := c.quote()
		if err != nil {
			return err
		}
		idx := len(res.Coupons)
		if s := c.in.str("coupon"); s != "" {
			n, perr := strconv.Atoi(s)
			if perr != nil || n < 0 || n > len(res.Coupons) {
				return errs.Invalid("coupon", "coupon must be the index (0…%d) in coupons of the coupon the vendor priced, or absent for one not quoted locally", len(res.Coupons))
			}
			idx = n
		}
		rec, err := discount.Reconcile(res, idx, server)
		if err != nil {
			return err
		}
		writeReconciliation(&c.out, res, rec)
		return nil
	})
}

// quote reads the basket and coupons and quotes them.
func (c *call) quote() (*discount.Result, error) {
	in := discount.QuoteInput{Rounding: c.in.str("rounding")}
	lineVals := c.in.array("lines", MaxQuoteLines)
	couponVals := c.in.array("coupons", discount.MaxCoupons)
	if n := len(lineVals) * len(couponVals); c.err == nil && n > MaxQuoteShares {
		return nil, errs.New(errs.TooLarge, "coupons", "%d lines × %d coupons is more than %d shares to apportion; quote fewer lines or coupons at once", len(lineVals), len(couponVals), MaxQuoteShares)
	}
	for i, v := range lineVals {
		l := c.object(index("lines", i), v, lineFields)
		in.Lines = append(in.Lines, discount.LineInput{
			ID: l.str("id"), Quantity: l.str("quantity"), UnitPrice: l.str("unitPrice"), PriorDiscount: l.str("priorDiscount"),
		})
		if c.err != nil {
			return nil, c.err
		}
	}
	for i, v := range couponVals {
		k := c.object(index("coupons", i), v, couponFields)
		in.Coupons = append(in.Coupons, discount.CouponInput{
			ID: k.str("id"), Kind: k.str("kind"), Value: k.str("value"), Rate: k.str("rate"),
			Threshold: k.str("threshold"), Cap: k.str("cap"),
			Include: c.strList(k, "include"), Exclude: c.strList(k, "exclude"),
		})
		if c.err != nil {
			return nil, c.err
		}
	}
	if err := c.fail(); err != nil {
		return nil, err
	}
	if len(in.Lines) == 0 {
		return nil, errs.Invalid("lines", "lines must hold at least one basket line")
	}
	b, coupons, err := in.Parse()
	if err != nil {
		return nil, err
	}
	return discount.Quote(b, coupons)
}

// strList reads member name of rd as a list of strings (numbers as their
// raw text).
func (c *call) strList(rd *reader, name string) []string {
	var out []string
	for i, v := range rd.array(name, discount.MaxScopeIDs) {
		out = append(out, c.scalar(index(join(rd.path, name), i), v))
	}
	return out
}

// serverDiscount reads the vendor's discount: "body" (the raw
// user.user-by-coupon reply text) or "server" ({couponDiscount,
// goodsItems:[{tradeMark, couponMinus}]}, yuan text), exactly one.
func (c *call) serverDiscount() discount.ServerDiscount {
	switch {
	case c.in.has("body") && c.in.has("server"):
		c.setErr(errs.Invalid("server", "give either body (the vendor's reply) or server, not both"))
	case c.in.has("body"):
		res, err := zvcms.ParseDiscountResponse([]byte(c.in.str("body")))
		if err != nil {
			c.setErr(err)
			return discount.ServerDiscount{}
		}
		sd, err := discount.FromZvcms(res)
		c.setErr(err)
		return sd
	case c.in.has("server"):
		s := c.in.obj("server", serverFields)
		in := discount.ServerDiscountInput{CouponDiscount: s.str("couponDiscount")}
		for i, v := range s.array("goodsItems", maxItems) {
			it := c.object(index("server.goodsItems", i), v, serverItemFlds)
			in.Items = append(in.Items, discount.ServerItemInput{TradeMark: it.str("tradeMark"), CouponMinus: it.str("couponMinus")})
		}
		if c.err != nil {
			return discount.ServerDiscount{}
		}
		sd, err := in.Parse("server")
		c.setErr(err)
		return sd
	default:
		c.setErr(errs.Invalid("server", "the vendor's discount is required: body (the user.user-by-coupon reply) or server"))
	}
	return discount.ServerDiscount{}
}

// amount writes "<k>Fen":"1250" and "<k>":"12.50".
func (w *writer) amount(k string, f money.Fen) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, `Fen":"`...)
	w.b = strconv.AppendInt(w.b, int64(f), 10)
	w.b = append(w.b, `",`...)
	w.b = jsontext.AppendString(w.b, k)
	w.b = append(w.b, ':', '"')
	w.b = appendYuan(w.b, f)
	w.b = append(w.b, '"')
}

// appendYuan appends f as yuan with two decimals, as money.Fen.Yuan.
func appendYuan(b []byte, f money.Fen) []byte {
	u := uint64(f)
	if f < 0 {
		b = append(b, '-')
		u = uint64(-f)
	}
	b = strconv.AppendUint(b, u/100, 10)
	return append(b, '.', byte('0'+u%100/10), byte('0'+u%10))
}

// writeQuote writes a quote's result members.
func writeQuote(w *writer, res *discount.Result, units bool) {
	w.str("rounding", res.Rounding.String())
	w.amount("gross", res.Gross)
	w.amount("priorDiscount", res.PriorDiscount)
	w.amount("amount", res.Amount)
	w.amount("discount", res.Discount)
	w.amount("payable", res.Payable)
	w.arr("coupons")
	for i := range res.Coupons {
		cr := &res.Coupons[i]
		w.elemObj()
		w.str("id", cr.ID)
		w.str("kind", cr.Kind.String())
		w.boolean("applied", cr.Applied)
		w.str("reason", string(cr.Reason))
		w.amount("eligible", cr.Eligible)
		w.amount("discount", cr.Discount)
		w.end()
	}
	w.endArr()
	w.arr("lines")
	for i := range res.Lines {
		l := &res.Lines[i]
		w.elemObj()
		w.str("id", l.ID)
		w.str("quantity", l.Quantity.String())
		w.amount("unitPrice", l.UnitPrice)
		w.amount("gross", l.Gross)
		w.amount("priorDiscount", l.PriorDiscount)
		w.amount("amount", l.Amount)
		w.fens("shares", l.Shares)
		w.amount("discount", l.Discount)
		w.amount("payable", l.Payable)
		if units {
			if u, ok := l.Units(); ok {
				writeUnits(w, u)
			}
		}
		w.end()
	}
	w.endArr()
}

// fens writes "<k>Fen":["1250",…] and "<k>":["12.50",…].
func (w *writer) fens(k string, v []money.Fen) {
	w.arr(k + "Fen")
	for _, f := range v {
		w.sep()
		w.b = append(w.b, '"')
		w.b = strconv.AppendInt(w.b, int64(f), 10)
		w.b = append(w.b, '"')
	}
	w.endArr()
	w.arr(k)
	for _, f := range v {
		w.sep()
		w.b = append(w.b, '"')
		w.b = appendYuan(w.b, f)
		w.b = append(w.b, '"')
	}
	w.endArr()
}

// writeUnits writes a line's per-unit split as runs {from, to, amountFen,
// amount}.
func writeUnits(w *writer, u discount.UnitSplit) {
	w.obj("units")
	w.str("count", strconv.FormatInt(u.Count, 10))
	w.amount("unitPrice", u.UnitPrice)
	writeRuns(w, "prior", u.Prior)
	w.arr("shares")
	for _, rs := range u.Shares {
		w.elemArr()
		runElems(w, rs)
		w.endArr()
	}
	w.endArr()
	writeRuns(w, "discount", u.Discount)
	writeRuns(w, "payable", u.Payable)
	w.end()
}

func writeRuns(w *writer, k string, rs []discount.UnitRun) {
	w.arr(k)
	runElems(w, rs)
	w.endArr()
}

func runElems(w *writer, rs []discount.UnitRun) {
	for _, r := range rs {
		w.elemObj()
		w.str("from", strconv.FormatInt(r.From, 10))
		w.str("to", strconv.FormatInt(r.To, 10))
		w.amount("amount", r.Amount)
		w.end()
	}
}

// writeReconciliation writes a reconciliation's result members.
func writeReconciliation(w *writer, res *discount.Result, rec *discount.Reconciliation) {
	w.boolean("consistent", rec.Consistent)
	w.str("source", string(rec.Source))
	w.amount("amount", rec.Amount)
	w.amount("orderAmount", rec.OrderAmount)
	w.arr("allocation")
	for i, f := range rec.Allocation {
		w.elemObj()
		w.str("id", res.Lines[i].ID)
		w.amount("amount", f)
		w.end()
	}
	w.endArr()
	w.arr("discrepancies")
	for _, d := range rec.Discrepancies {
		w.elemObj()
		w.str("kind", string(d.Kind))
		w.str("field", d.Field)
		w.str("tradeMark", d.TradeMark)
		w.str("line", strconv.Itoa(d.Line))
		w.amount("server", d.Server)
		w.amount("local", d.Local)
		w.end()
	}
	w.endArr()
}
