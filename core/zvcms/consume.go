package zvcms

import (
	"fmt"
	"strconv"

	"github.com/tidwall/gjson"
)

// ConsumeParams are the Params of communal.user.consume: redeem coupons
// together with stored balance (余额) and points (积分) in one business
// operation. Every member of the vendor's page (article 620) is here. Ids
// are decimal strings; an absent optional value is sent as "" (an empty
// string or list, an OptFen or OptInt that is not Valid, a Points of 0).
//
// PayPassword is a secret: it is sent, but never printed by String or
// GoString and never quoted in an error.
type ConsumeParams struct {
	// BizID, Channel, CustomerID, GroupID, CouponsCardList and Type are
	// bizId, channel, customerId, groupId, couponsCardList and type, as in
	// VerifyParams; but the coupons may be left out when Amount is given
	// (empty is sent as ""). Reverse with the bizId the reply returns
	// (ConsumeResult.BizID).
	BizID, Channel, CustomerID, GroupID string
	CouponsCardList                     []string
	Type                                int
	// Amount (amount) is the balance to deduct, in fen, sent as yuan with
	// two decimals ("12.50") as the page asks. It or CouponsCardList is
	// required; when present without coupons it must be positive.
	Amount       OptFen
	AppType      string // appType (appType类型)
	DeviceSN     string // deviceSn: the phone, computer or till identifier
	IP           string // ip: the terminal's IP address
	OpType       OptInt // opType: the operation type (操作类型)
	OperatorID   string // operatorId: the operator's id
	OperatorName string // operatorName (操作员名称)
	// PayPassword (payPassword) is the member's payment password (支付密码).
	PayPassword string
	ProductName string // productName (商品名称字段)
	Reason      string // reason: why (改变原因)
	Remark      string // remark: the ledger remark (流水备注)
	// UsePassword (usePassword) says whether the password is used (是否使用
	// 密码), text as the vendor expects it.
	UsePassword string
	// Points (points) is the number of points to deduct; 0 is absent.
	Points int
	// MultiMark (multiMark) is the store code.
	MultiMark string
}

// fields lists the members for String, PayPassword redacted.
func (p ConsumeParams) fields() string {
	if p.PayPassword != "" {
		p.PayPassword = redacted
	}
	type plain ConsumeParams // without the methods, so %+v does not recurse
	return fmt.Sprintf("%+v", plain(p))
}

// String prints the params with PayPassword redacted, so that logging them
// (%v, %+v, %s) never shows the password.
func (p ConsumeParams) String() string { return p.fields() }

// GoString prints the params for %#v, with PayPassword redacted.
func (p ConsumeParams) GoString() string { return "zvcms.ConsumeParams" + p.fields() }

// Validate checks the rules of the page: bizId is required; couponsCardList
// or a positive amount is required; customerId is required unless type is
// 1; ids are decimal integers (coupons too unless type is 1); the amount is
// non-negative fen within money.MaxFen; points and type are not negative.
// A violation is INVALID_ARGUMENT naming the path inside Params
// ("couponsCardList[1]"); the password is never quoted.
func (p *ConsumeParams) Validate() error {
	var c check
	c.text("bizId", p.BizID, true)
	c.text("channel", p.Channel, false)
	c.nonNegative("type", p.Type)
	if len(p.CouponsCardList) == 0 && !(p.Amount.Valid && p.Amount.Fen > 0) {
		if p.Amount.Valid {
			c.fail("amount", "must be positive when no coupons are given")
		} else {
			c.fail("couponsCardList", "give coupons, a balance amount, or both")
		}
	}
	for i, id := range p.CouponsCardList {
		f := "couponsCardList[" + strconv.Itoa(i) + "]"
		if p.Type == TypeScanCode {
			c.text(f, id, true)
		} else {
			c.id(f, id, true)
		}
	}
	c.id("customerId", p.CustomerID, p.Type != TypeScanCode)
	c.id("groupId", p.GroupID, false)
	c.fen("amount", p.Amount)
	c.text("appType", p.AppType, false)
	c.text("deviceSn", p.DeviceSN, false)
	c.text("ip", p.IP, false)
	c.id("operatorId", p.OperatorID, false)
	c.text("operatorName", p.OperatorName, false)
	c.text("payPassword", p.PayPassword, false)
	c.text("productName", p.ProductName, false)
	c.text("reason", p.Reason, false)
	c.text("remark", p.Remark, false)
	c.text("usePassword", p.UsePassword, false)
	c.nonNegative("points", p.Points)
	c.text("multiMark", p.MultiMark, false)
	return c.err
}

func (p *ConsumeParams) size() int {
	n := 420 + len(p.BizID) + len(p.Channel) + len(p.CustomerID) + len(p.GroupID) + len(p.AppType) +
		len(p.DeviceSN) + len(p.IP) + len(p.OperatorID) + len(p.OperatorName) + len(p.PayPassword) +
		len(p.ProductName) + len(p.Reason) + len(p.Remark) + len(p.UsePassword) + len(p.MultiMark)
	for _, s := range p.CouponsCardList {
		n += len(s) + 3
	}
	return n
}

// appendTo writes p in the page's order, every scalar a string.
func (p *ConsumeParams) appendTo(b []byte, style ListStyle) []byte {
	o := object{b: b}
	o.str("bizId", p.BizID)
	o.str("channel", p.Channel)
	o.str("customerId", p.CustomerID)
	o.str("groupId", p.GroupID)
	o.list("couponsCardList", p.CouponsCardList, style)
	o.int("type", optPositive(p.Type))
	o.str("amount", p.Amount.Yuan())
	o.str("appType", p.AppType)
	o.str("deviceSn", p.DeviceSN)
	o.str("ip", p.IP)
	o.int("opType", p.OpType)
	o.str("operatorId", p.OperatorID)
	o.str("operatorName", p.OperatorName)
	o.str("payPassword", p.PayPassword)
	o.str("productName", p.ProductName)
	o.str("reason", p.Reason)
	o.str("remark", p.Remark)
	o.str("usePassword", p.UsePassword)
	o.int("points", optPositive(p.Points))
	o.str("multiMark", p.MultiMark)
	return o.end()
}

// optPositive is v as an OptInt, absent when 0.
func optPositive(v int) OptInt {
	if v == 0 {
		return OptInt{}
	}
	return IntOf(int64(v))
}

// Consume validates p and builds a signed communal.user.consume request.
// It is not idempotent: repeat it only with the same bizId.
func (c *Client) Consume(p ConsumeParams, st Stamp) (Request, error) {
	return c.typed(ActionConsume, &p, st)
}

// ParseConsumeParams reads the Params of a received consume request (the
// sandbox's side) and validates them. It accepts every scalar as a string
// or a number, "" as absent, couponsCardList in both list styles, and amount
// as yuan with at most two decimals. Errors are INVALID_ARGUMENT naming the
// path ("Params.amount"), never quoting the password.
func ParseConsumeParams(params []byte) (*ConsumeParams, error) {
	return parseParams(params, func(f *fields) *ConsumeParams {
		p := &ConsumeParams{
			BizID: f.str("bizId"), Channel: f.str("channel"), CustomerID: f.str("customerId"), GroupID: f.str("groupId"),
			CouponsCardList: f.list("couponsCardList"), Type: int(f.optInt("type").Int), Amount: f.yuan("amount"),
			AppType: f.str("appType"), DeviceSN: f.str("deviceSn"), IP: f.str("ip"), OpType: f.optInt("opType"),
			OperatorID: f.str("operatorId"), OperatorName: f.str("operatorName"),
			ProductName: f.str("productName"), Reason: f.str("reason"), Remark: f.str("remark"),
			UsePassword: f.str("usePassword"), Points: int(f.optInt("points").Int), MultiMark: f.str("multiMark"),
		}
		switch pw := f.get("payPassword"); pw.Type {
		case gjson.String:
			p.PayPassword = pw.Str
		case gjson.Number:
			p.PayPassword = pw.Raw
		case gjson.Null:
		default: // never quoted: it may hold the password
			f.d.fail(f.path.in("payPassword"), "must be a string")
		}
		return p
	})
}

// ConsumeResult is the data of a successful communal.user.consume reply.
type ConsumeResult struct {
	// BizID (bizId) is the business id the vendor returned: use it, not the
	// one you sent, for a reversal (冲正). Read from data, or from the top
	// level of the reply (the page's table lists it beside status and code).
	BizID string
	// CouponsCardList (couponsCardList) are the coupons redeemed, sent as an
	// array or as the string "[id,id]".
	CouponsCardList []string
	// Unknown holds the other members of data, as sent.
	Unknown []RawMember
	// Response is the envelope (status, code, message, raw data).
	Response *Response
}

// ParseConsumeResponse parses a communal.user.consume reply. A vendor error
// is API_ERROR or SYSTEM_ERROR (see Response.Err); a malformed reply is
// RESPONSE_INVALID naming the JSON path ("data.couponsCardList[0]").
func ParseConsumeResponse(body []byte) (*ConsumeResult, error) {
	return parseReply(body, func(d *dec, data gjson.Result, r *Response) *ConsumeResult {
		f := d.fields(data, at("data"))
		res := &ConsumeResult{BizID: f.str("bizId"), CouponsCardList: f.list("couponsCardList"), Unknown: f.rest(), Response: r}
		if res.BizID == "" {
			res.BizID = d.str(gjson.GetBytes(body, "bizId"), at("bizId"))
		}
		return res
	})
}
