package zvcms

import (
	"strconv"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
)

// Verification channels (ext.channelType, 核销渠道).
const (
	ChannelAlipay     = 1 // 支付宝
	ChannelWeChat     = 2 // 微信
	ChannelPOS        = 3 // pos
	ChannelMeituan    = 4 // 美团
	ChannelEleme      = 5 // 饿了么
	ChannelYouzan     = 6 // 有赞商城
	ChannelThirdParty = 7 // 三方
)

// TypeScanCode is the value of Type (VerifyParams, DiscountParams) meaning
// the coupon ids are scanned redemption codes (扫码核销码).
const TypeScanCode = 1

// VerifyParams are the Params of communal.user.coupons-vertify (verify,
// 核销). Every field of the seed is here. Ids are decimal strings. An absent
// optional value is sent as "" (as in the seed): an empty string, a nil
// list, an OptFen that is not Valid, or an integer that is 0.
type VerifyParams struct {
	// BizID (bizId) is the caller's business id of this verification;
	// required. Reverse with the bizId the reply returns
	// (VerifyResult.BizID), not necessarily this one.
	BizID string
	// Channel (channel) is the account name.
	Channel string
	// CustomerID (customerId) is the member id; required unless Type is
	// TypeScanCode.
	CustomerID string
	// GroupID (groupId) is the group (集团) id.
	GroupID string
	// CouponsCardList (couponsCardList) lists the user-coupon ids, or the
	// scanned codes when Type is TypeScanCode; at least one, exactly one
	// when UseCount is set. Written per Client.CouponListStyle.
	CouponsCardList []string
	// Type (type): TypeScanCode when CouponsCardList holds scanned codes;
	// 0 is absent.
	Type int
	// Ext (ext) is the nested block; always sent, its empty fields as "".
	Ext Ext
	// UseCount (useCount) is the number of uses of a counted coupon (次券);
	// setting it (> 0) makes the verification a counted one. 0 is absent.
	UseCount int
	// TradeMarks (tradeMarks) are goods codes (paper coupons may need them),
	// sent as a JSON array of strings; nil is absent.
	TradeMarks []string
	// Amount (amount) is this coupon's verification amount in fen.
	Amount OptFen
	// OrderAmount (orderAmount) is the related order's amount in fen.
	OrderAmount OptFen
	// ThirdOrderNo (thirdOrderNo) is the third-party order number (三方订单
	// 号), a member of the v3 redemption only: sent when not "" and
	// Client.VerifyAPI is V3; with V2 setting it is an error.
	ThirdOrderNo string
}

// Ext is the ext block of VerifyParams.
type Ext struct {
	// ChannelType (channelType) is the verification channel, Channel*; 0 is
	// absent.
	ChannelType int
	// MultiStoreID (multiStoreId) is the store id.
	MultiStoreID string
	// MultiStoreMark (multiStoreMark) is the store code; paper coupons need
	// it, so POS software should always send it.
	MultiStoreMark string
	// OrderNo (orderNo) is the order number.
	OrderNo string
	// Reason (reason) is a free-text reason.
	Reason string
}

// check collects the first violation, as INVALID_ARGUMENT naming the field.
type check struct{ err error }

func (c *check) fail(field, format string, args ...interface{}) {
	if c.err == nil {
		c.err = errs.Invalid(field, format, args...)
	}
}

// textOK: valid UTF-8, and non-empty when required.
func textOK(s string, required bool) bool {
	return (s != "" || !required) && utf8.ValidString(s)
}

// idOK: decimal digits, or "" when optional.
func idOK(s string, required bool) bool {
	return (s == "" && !required) || jsontext.IsDigits(s)
}

// text checks textOK.
func (c *check) text(field, s string, required bool) {
	if textOK(s, required) {
		return
	}
	if s == "" {
		c.fail(field, "is required")
	} else {
		c.fail(field, "is not valid UTF-8")
	}
}

// id checks idOK.
func (c *check) id(field, s string, required bool) {
	if idOK(s, required) {
		return
	}
	if s == "" {
		c.fail(field, "is required")
	} else {
		c.fail(field, "%q must be a decimal integer id", clip(s))
	}
}

func (c *check) nonNegative(field string, v int) {
	if v < 0 {
		c.fail(field, "%d must not be negative", v)
	}
}

func (c *check) fen(field string, f OptFen) {
	if f.Valid && c.err == nil {
		c.err = money.Check(field, f.Fen)
	}
}

// Validate checks the rules of PROTOCOLS.md: bizId and at least one coupon
// are required; useCount allows exactly one coupon; customerId is required
// unless type is 1; ids are decimal integers (coupons too unless type is 1);
// amounts are non-negative fen. A violation is INVALID_ARGUMENT naming the
// field by its path inside Params, e.g. "couponsCardList[1]" (Client
// methods report it as "Params.couponsCardList[1]").
func (p *VerifyParams) Validate() error {
	var c check
	c.text("bizId", p.BizID, true)
	c.text("channel", p.Channel, false)
	c.nonNegative("type", p.Type)
	c.nonNegative("useCount", p.UseCount)
	switch {
	case len(p.CouponsCardList) == 0:
		c.fail("couponsCardList", "needs at least one coupon")
	case p.UseCount > 0 && len(p.CouponsCardList) != 1:
		c.fail("couponsCardList", "a counted (次券) verification (useCount %d) allows exactly one coupon, got %d", p.UseCount, len(p.CouponsCardList))
	}
	for i, id := range p.CouponsCardList {
		if p.Type == TypeScanCode && !textOK(id, true) {
			c.text("couponsCardList["+strconv.Itoa(i)+"]", id, true)
		} else if p.Type != TypeScanCode && !idOK(id, true) {
			c.id("couponsCardList["+strconv.Itoa(i)+"]", id, true)
		}
	}
	c.id("customerId", p.CustomerID, p.Type != TypeScanCode)
	c.id("groupId", p.GroupID, false)
	c.nonNegative("ext.channelType", p.Ext.ChannelType)
	c.id("ext.multiStoreId", p.Ext.MultiStoreID, false)
	c.text("ext.multiStoreMark", p.Ext.MultiStoreMark, false)
	c.text("ext.orderNo", p.Ext.OrderNo, false)
	c.text("ext.reason", p.Ext.Reason, false)
	for i, tm := range p.TradeMarks {
		if !textOK(tm, true) {
			c.text("tradeMarks["+strconv.Itoa(i)+"]", tm, true)
		}
	}
	c.fen("amount", p.Amount)
	c.fen("orderAmount", p.OrderAmount)
	c.text("thirdOrderNo", p.ThirdOrderNo, false)
	return c.err
}

// size is about the length of p's Params JSON (rarely short of it: only
// strings with many escapes grow the buffer).
func (p *VerifyParams) size() int {
	n := 320 + len(p.ThirdOrderNo) + len(p.BizID) + len(p.Channel) + len(p.CustomerID) + len(p.GroupID) +
		len(p.Ext.MultiStoreID) + len(p.Ext.MultiStoreMark) + len(p.Ext.OrderNo) + len(p.Ext.Reason)
	for _, s := range p.CouponsCardList {
		n += len(s) + 3
	}
	for _, s := range p.TradeMarks {
		n += len(s) + 3
	}
	return n
}

// appendTo writes p as the Params object, fields in the seed's order, every
// scalar a JSON string, couponsCardList per style.
func (p *VerifyParams) appendTo(b []byte, style ListStyle) []byte {
	b = append(b, `{"bizId":`...)
	b = jsontext.AppendString(b, p.BizID)
	b = append(b, `,"channel":`...)
	b = jsontext.AppendString(b, p.Channel)
	b = append(b, `,"customerId":`...)
	b = jsontext.AppendString(b, p.CustomerID)
	b = append(b, `,"groupId":`...)
	b = jsontext.AppendString(b, p.GroupID)
	b = append(b, `,"couponsCardList":`...)
	b = appendList(b, p.CouponsCardList, style)
	b = append(b, `,"type":`...)
	b = appendIntString(b, int64(p.Type), true)
	b = append(b, `,"ext":{"channelType":`...)
	b = appendIntString(b, int64(p.Ext.ChannelType), true)
	b = append(b, `,"multiStoreId":`...)
	b = jsontext.AppendString(b, p.Ext.MultiStoreID)
	b = append(b, `,"multiStoreMark":`...)
	b = jsontext.AppendString(b, p.Ext.MultiStoreMark)
	b = append(b, `,"orderNo":`...)
	b = jsontext.AppendString(b, p.Ext.OrderNo)
	b = append(b, `,"reason":`...)
	b = jsontext.AppendString(b, p.Ext.Reason)
	b = append(b, `},"useCount":`...)
	b = appendIntString(b, int64(p.UseCount), true)
	b = append(b, `,"tradeMarks":`...)
	if p.TradeMarks == nil {
		b = append(b, `""`...)
	} else {
		b = appendList(b, p.TradeMarks, ListArray)
	}
	b = append(b, `,"amount":`...)
	b = appendOptFen(b, p.Amount)
	b = append(b, `,"orderAmount":`...)
	b = appendOptFen(b, p.OrderAmount)
	if p.ThirdOrderNo != "" {
		b = append(b, `,"thirdOrderNo":`...)
		b = jsontext.AppendString(b, p.ThirdOrderNo)
	}
	return append(b, '}')
}

// appendList writes ids as ["a","b"] (ListArray) or "[a,b]" (ListString).
func appendList(b []byte, ids []string, style ListStyle) []byte {
	if style == ListString {
		s := make([]byte, 0, 2+20*len(ids))
		s = append(s, '[')
		for i, id := range ids {
			if i > 0 {
				s = append(s, ',')
			}
			s = append(s, id...)
		}
		return jsontext.AppendString(b, string(append(s, ']')))
	}
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsontext.AppendString(b, id)
	}
	return append(b, ']')
}

func appendOptFen(b []byte, f OptFen) []byte {
	if !f.Valid {
		return append(b, `""`...)
	}
	return appendIntString(b, int64(f.Fen), false)
}

// VerifyParamsJSON validates p and returns it as the Params JSON object the
// Client would send (useful with Build or for logging).
func (c *Client) VerifyParamsJSON(p VerifyParams) ([]byte, error) {
	if err := c.checkThirdOrderNo(&p); err != nil {
		return nil, err
	}
	return paramsJSON(&p, c.CouponListStyle)
}

// VerifyCoupons validates p and builds a signed
// communal.user.coupons-vertify request. A zero Stamp takes the time and the
// nonce from the Client.
// With Client.VerifyAPI V3 the request goes to the v3 path instead
// (PathV3WriteOffCoupon), in the v3 envelope.
func (c *Client) VerifyCoupons(p VerifyParams, st Stamp) (Request, error) {
	if err := c.checkThirdOrderNo(&p); err != nil {
		return Request{}, err
	}
	return c.typed(ActionVerifyCoupons, &p, st)
}

// checkThirdOrderNo refuses the v3 member thirdOrderNo for a v2 verify.
func (c *Client) checkThirdOrderNo(p *VerifyParams) error {
	if p.ThirdOrderNo != "" && c.VerifyAPI == V2 {
		return errs.Invalid(ParamsField+".thirdOrderNo", "is a member of the v3 redemption: set Client.VerifyAPI to V3 or leave it empty")
	}
	return nil
}

// ParseVerifyParams reads the Params of a received verify request (the
// sandbox's side) and validates them. It accepts every scalar as a string or
// a number, "" as absent, and couponsCardList in both list styles. Errors
// are INVALID_ARGUMENT naming the path ("Params.ext.channelType").
func ParseVerifyParams(params []byte) (*VerifyParams, error) {
	return parseParams(params, func(f *fields) *VerifyParams {
		n := func(f *fields, key string) int { return int(f.optInt(key).Int) }
		ext := f.object("ext")
		return &VerifyParams{
			BizID: f.str("bizId"), Channel: f.str("channel"), CustomerID: f.str("customerId"), GroupID: f.str("groupId"),
			CouponsCardList: f.list("couponsCardList"), Type: n(f, "type"),
			Ext: Ext{
				ChannelType: n(ext, "channelType"), MultiStoreID: ext.str("multiStoreId"),
				MultiStoreMark: ext.str("multiStoreMark"), OrderNo: ext.str("orderNo"), Reason: ext.str("reason"),
			},
			UseCount: n(f, "useCount"), TradeMarks: f.list("tradeMarks"), Amount: f.fen("amount"), OrderAmount: f.fen("orderAmount"),
			ThirdOrderNo: f.str("thirdOrderNo"),
		}
	})
}

// VerifyResult is the data of a successful verify reply.
type VerifyResult struct {
	// BizID (bizId) is the business id the vendor returned: use it, not the
	// one you sent, for a reversal (冲正). "" only if the vendor left it out.
	BizID string
	// CardIDList (cardIdList) are the verified coupons' card ids (cardId in
	// the member details), sent as an array or as the string "[id,id]".
	CardIDList []string
	// UserInfo (userInfo) is the member.
	UserInfo UserInfo
	// Response is the envelope (status, code, message, raw data).
	Response *Response
}

// ParseVerifyResponse parses a communal.user.coupons-vertify reply. A vendor
// error is API_ERROR or SYSTEM_ERROR (see Response.Err); a malformed reply
// is RESPONSE_INVALID naming the JSON path ("data.cardIdList[0]").
func ParseVerifyResponse(body []byte) (*VerifyResult, error) {
	r, data, err := parseEnvelope(body)
	if err != nil {
		return nil, err
	}
	d := dec{kind: errs.ResponseInvalid}
	data = d.obj(data, at("data"))
	res := &VerifyResult{
		BizID:      d.str(data.Get("bizId"), at("data.bizId")),
		CardIDList: d.list(data.Get("cardIdList"), at("data.cardIdList")),
		UserInfo:   d.userInfo(data.Get("userInfo"), at("data.userInfo")),
		Response:   r,
	}
	if d.err != nil {
		return nil, d.err
	}
	return res, nil
}
