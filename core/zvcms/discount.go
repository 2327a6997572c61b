package zvcms

import (
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
)

// Dining modes (type_cate, 就餐方式).
const (
	DineIn   = 1 // 堂食
	PickUp   = 2 // 自取 (replies only)
	Takeaway = 3 // 外卖
)

// Usage scenarios (usage_scenarios).
const (
	UsageOnline  = 0 // 线上, the vendor's default; sent as ""
	UsageOffline = 1 // 线下
)

// Coupon types (coupon_type) in a discount reply.
const (
	CouponFixedAmount = 0 // 指定金额: amount is yuan
	CouponRate        = 1 // 折扣券: amount is the rate as printed, 8.5 = pay 85%
)

// DiscountParams are the Params of user.user-by-coupon (the discount a
// coupon gives on goods). Every field of the seed is here. Ids are decimal
// strings; yuan amounts are exact decimal text with at most two decimals,
// sent exactly as given ("1", "12.50"; from fen use money.Fen.Yuan). An
// absent optional value is sent as "": an empty string or an integer 0.
type DiscountParams struct {
	// UserCouponID (user_coupon_id) is the user-coupon id (cardId), or the
	// scanned code when Type is TypeScanCode. It or CouponCode is required.
	UserCouponID string
	// UserID (user_id) is the member id; required unless Type is
	// TypeScanCode.
	UserID string
	// Items (items) are the goods: at least one.
	Items []Item
	// MultiMark (multi_mark) is the store code.
	MultiMark string
	// CouponID (coupon_id) is the coupon template id.
	CouponID string
	// TypeCate (type_cate) is the dining mode, DineIn or Takeaway; 0 absent.
	TypeCate int
	// DiscountPrice (discount_price) is the order's discount amount in yuan.
	DiscountPrice string
	// Type (type): TypeScanCode when UserCouponID is a scanned code; 0 absent.
	Type int
	// CouponCode (coupon_code) is the coupon code.
	CouponCode string
	// UsageScenarios (usage_scenarios) is UsageOnline (sent as "", the
	// vendor's default) or UsageOffline.
	UsageScenarios int
}

// Item is one line of goods.
type Item struct {
	// Num (num) is the quantity: positive.
	Num int
	// TradeMark (trade_mark) is the goods code: required.
	TradeMark string
	// Price (price) is the unit price in yuan (Num units at Price each),
	// exact text with at most two decimals, non-negative: required. The
	// vendor's table calls it 商品实体金额 without saying per unit or per
	// line; the sandbox and the discount engine read it per unit.
	Price string
}

func (c *check) yuan(field, s string, required bool) {
	if (s == "" && !required) || c.err != nil {
		return
	}
	if _, ok := plainYuan(s); ok {
		return
	}
	_, c.err = money.ParseYuan(field, s, money.Exact)
}

// plainYuan is a fast path for the common yuan text: 1 to 13 digits,
// optionally '.' and 1 or 2 digits (at most money.MaxFen). ok is false for
// anything else, which then goes through money.ParseYuan, the authority for
// what is accepted and for the error.
func plainYuan(s string) (f money.Fen, ok bool) {
	i, frac := 0, -1
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			f = f*10 + money.Fen(c-'0')
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0 && i > 0:
			frac = 0
		default:
			return 0, false
		}
	}
	intDigits := len(s)
	if frac >= 0 {
		intDigits -= frac + 1
	}
	if len(s) == 0 || intDigits > 13 || frac == 0 || frac > 2 {
		return 0, false
	}
	if frac < 0 {
		frac = 0
	}
	for ; frac < 2; frac++ {
		f *= 10
	}
	return f, true
}

// Validate checks the rules of PROTOCOLS.md: user_coupon_id or coupon_code
// is required; user_id is required unless type is 1; items are non-empty
// with a positive num, a trade_mark and an exact non-negative yuan price.
// A violation is INVALID_ARGUMENT naming the field by its path inside
// Params, e.g. "items[2].price" (Client methods report it as
// "Params.items[2].price").
func (p *DiscountParams) Validate() error {
	var c check
	c.nonNegative("type", p.Type)
	switch {
	case p.UserCouponID == "" && p.CouponCode == "":
		c.fail("user_coupon_id", "user_coupon_id or coupon_code is required")
	case p.Type == TypeScanCode:
		c.text("user_coupon_id", p.UserCouponID, false)
	default:
		c.id("user_coupon_id", p.UserCouponID, false)
	}
	c.id("user_id", p.UserID, p.Type != TypeScanCode)
	if len(p.Items) == 0 {
		c.fail("items", "needs at least one item")
	}
	for i, it := range p.Items {
		if _, fast := plainYuan(it.Price); fast && it.Num > 0 && textOK(it.TradeMark, true) {
			continue // the usual case, without building field paths
		}
		f := "items[" + strconv.Itoa(i) + "]."
		if it.Num <= 0 {
			c.fail(f+"num", "%d must be positive", it.Num)
		}
		c.text(f+"trade_mark", it.TradeMark, true)
		c.yuan(f+"price", it.Price, true)
	}
	c.text("multi_mark", p.MultiMark, false)
	c.id("coupon_id", p.CouponID, false)
	c.nonNegative("type_cate", p.TypeCate)
	c.yuan("discount_price", p.DiscountPrice, false)
	c.text("coupon_code", p.CouponCode, false)
	if p.UsageScenarios != UsageOnline && p.UsageScenarios != UsageOffline {
		c.fail("usage_scenarios", "%d must be 0 (online) or 1 (offline)", p.UsageScenarios)
	}
	return c.err
}

// size is about the length of p's Params JSON.
func (p *DiscountParams) size() int {
	n := 200 + len(p.UserCouponID) + len(p.UserID) + len(p.MultiMark) + len(p.CouponID) +
		len(p.DiscountPrice) + len(p.CouponCode)
	for i := range p.Items {
		n += 60 + len(p.Items[i].TradeMark) + len(p.Items[i].Price)
	}
	return n
}

// appendTo writes p as the Params object, fields in the seed's order, every
// scalar a JSON string (it has no list for style to shape).
func (p *DiscountParams) appendTo(b []byte, _ ListStyle) []byte {
	b = append(b, `{"user_coupon_id":`...)
	b = jsontext.AppendString(b, p.UserCouponID)
	b = append(b, `,"user_id":`...)
	b = jsontext.AppendString(b, p.UserID)
	b = append(b, `,"items":[`...)
	for i := range p.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"num":`...)
		b = appendIntString(b, int64(p.Items[i].Num), false)
		b = append(b, `,"trade_mark":`...)
		b = jsontext.AppendString(b, p.Items[i].TradeMark)
		b = append(b, `,"price":`...)
		b = jsontext.AppendString(b, p.Items[i].Price)
		b = append(b, '}')
	}
	b = append(b, `],"multi_mark":`...)
	b = jsontext.AppendString(b, p.MultiMark)
	b = append(b, `,"coupon_id":`...)
	b = jsontext.AppendString(b, p.CouponID)
	b = append(b, `,"type_cate":`...)
	b = appendIntString(b, int64(p.TypeCate), true)
	b = append(b, `,"discount_price":`...)
	b = jsontext.AppendString(b, p.DiscountPrice)
	b = append(b, `,"type":`...)
	b = appendIntString(b, int64(p.Type), true)
	b = append(b, `,"coupon_code":`...)
	b = jsontext.AppendString(b, p.CouponCode)
	b = append(b, `,"usage_scenarios":`...)
	b = appendIntString(b, int64(p.UsageScenarios), true)
	return append(b, '}')
}

// DiscountParamsJSON validates p and returns it as the Params JSON object
// the Client would send.
func (c *Client) DiscountParamsJSON(p DiscountParams) ([]byte, error) {
	return paramsJSON(&p, ListArray)
}

// CouponDiscount validates p and builds a signed user.user-by-coupon
// request (a query: Request.Idempotent is true). A zero Stamp takes the time
// and the nonce from the Client.
func (c *Client) CouponDiscount(p DiscountParams, st Stamp) (Request, error) {
	return c.typed(ActionCouponDiscount, &p, st)
}

// ParseDiscountParams reads the Params of a received discount request (the
// sandbox's side) and validates them, accepting every scalar as a string or
// a number and "" as absent. Errors are INVALID_ARGUMENT naming the path.
func ParseDiscountParams(params []byte) (*DiscountParams, error) {
	return parseParams(params, func(f *fields) *DiscountParams {
		n := func(key string) int { return int(f.optInt(key).Int) }
		p := &DiscountParams{
			UserCouponID: f.str("user_coupon_id"), UserID: f.str("user_id"), MultiMark: f.str("multi_mark"),
			CouponID: f.str("coupon_id"), TypeCate: n("type_cate"), DiscountPrice: f.str("discount_price"),
			Type: n("type"), CouponCode: f.str("coupon_code"), UsageScenarios: n("usage_scenarios"),
		}
		items, path := f.array("items")
		for i, e := range items {
			it := f.d.fields(e, path.at(i))
			p.Items = append(p.Items, Item{Num: int(it.optInt("num").Int), TradeMark: it.str("trade_mark"), Price: it.str("price")})
		}
		return p
	})
}

// DiscountResult is the data of a successful discount reply. Yuan amounts
// are exact fen (OptFen, not Valid when the vendor sent "").
type DiscountResult struct {
	// TypeCate (type_cate) is the dining mode: DineIn, PickUp or Takeaway.
	TypeCate OptInt
	// MultiMark (multi_mark) is the store code.
	MultiMark string
	// CouponDiscount (coupon_discount) is the discount the coupon gives.
	CouponDiscount OptFen
	// UserCouponName (user_coupon_name) is the coupon's name (only for
	// type=1 requests).
	UserCouponName string
	// UserCouponID (user_coupon_id) is the user-coupon id (cardId) (only for
	// type=1 requests).
	UserCouponID string
	// FinancePayment (finance_payment) is the amount booked as paid by
	// finance (only for type=1 requests).
	FinancePayment OptFen
	// UserInfo (userInfo) is the member.
	UserInfo UserInfo
	// Amount (amount) is the coupon's face value: yuan for CouponFixedAmount,
	// the printed rate for CouponRate (8.5 = pay 85%). Exact decimal text as
	// sent, "" when absent.
	Amount string
	// CouponType (coupon_type) is CouponFixedAmount or CouponRate.
	CouponType OptInt
	// GoodsItems (goods_item) are the per-goods shares of the discount.
	GoodsItems []GoodsItem
	// Response is the envelope (status, code, message, raw data).
	Response *Response
}

// GoodsItem is one goods line's share of the discount.
type GoodsItem struct {
	// TradeMark (trade_mark) is the goods code.
	TradeMark string
	// CouponMinus (coupon_minus) is the discount share of this line.
	CouponMinus OptFen
}

// ParseDiscountResponse parses a user.user-by-coupon reply. Yuan amounts are
// parsed exactly (more than two decimals is RESPONSE_INVALID). A vendor
// error is API_ERROR or SYSTEM_ERROR (see Response.Err); a malformed reply
// is RESPONSE_INVALID naming the JSON path ("data.goods_item[1].coupon_minus").
func ParseDiscountResponse(body []byte) (*DiscountResult, error) {
	r, data, err := parseEnvelope(body)
	if err != nil {
		return nil, err
	}
	d := dec{kind: errs.ResponseInvalid}
	data = d.obj(data, at("data"))
	res := &DiscountResult{
		TypeCate:       d.optInt(data.Get("type_cate"), at("data.type_cate")),
		MultiMark:      d.str(data.Get("multi_mark"), at("data.multi_mark")),
		CouponDiscount: d.yuan(data.Get("coupon_discount"), at("data.coupon_discount")),
		UserCouponName: d.str(data.Get("user_coupon_name"), at("data.user_coupon_name")),
		UserCouponID:   d.str(data.Get("user_coupon_id"), at("data.user_coupon_id")),
		FinancePayment: d.yuan(data.Get("finance_payment"), at("data.finance_payment")),
		UserInfo:       d.userInfo(data.Get("userInfo"), at("data.userInfo")),
		Amount:         d.decimalText(data.Get("amount"), at("data.amount")),
		CouponType:     d.optInt(data.Get("coupon_type"), at("data.coupon_type")),
		Response:       r,
	}
	goods := at("data.goods_item")
	for i, e := range d.arr(data.Get("goods_item"), goods) {
		f := goods.at(i)
		e = d.obj(e, f)
		res.GoodsItems = append(res.GoodsItems, GoodsItem{
			TradeMark:   d.str(e.Get("trade_mark"), f.in("trade_mark")),
			CouponMinus: d.yuan(e.Get("coupon_minus"), f.in("coupon_minus")),
		})
	}
	if d.err != nil {
		return nil, d.err
	}
	return res, nil
}
