package allinpay

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/tidwall/pretty"
)

// CouponSendParams are the business parameters of couponSend (产生卡/券,
// seed 002). Every value is a string as the vendor documents; empty means
// absent (not sent). ExtendInfo is a raw JSON object sent as is.
type CouponSendParams struct {
	// ShopID is the shop id (店铺ID). ShopID or ShopCode is required; when
	// both are given the vendor uses ShopID.
	ShopID string `json:"shopId,omitempty"`
	// ShopCode is the shop number (店铺号), an alternative to ShopID.
	ShopCode string `json:"shopCode,omitempty"`
	// OperUserID is the cashier's login name (收银员id). Required.
	OperUserID string `json:"operUserId,omitempty"`
	// CouponType is "1" electronic (电子券) or "2" paper (纸质券). Required.
	CouponType string `json:"couponType,omitempty"`
	// Num is how many coupons to issue, a positive integer ("10"). Required.
	Num string `json:"num,omitempty"`
	// CouponTemplateID is the coupon template id (券模板Id). Required.
	CouponTemplateID string `json:"couponTemplateId,omitempty"`
	// IDType is the receiving member's account type: "1" mobile, "2" member
	// card number, "3" OpenID, "5" external id. When given, MemberID is
	// required.
	IDType string `json:"idType,omitempty"`
	// MemberID is the receiving member's account (接受券的会员账号).
	MemberID string `json:"memberId,omitempty"`
	// OrderID is the caller's issuing order number (外部发券订单号). Required.
	OrderID string `json:"orderId,omitempty"`
	// SourceType is the source type: "1" mobile, "2" OpenID, "3" shopping
	// guide id, "4" user id. When given, SourceValue is required.
	SourceType string `json:"sourceType,omitempty"`
	// SourceValue is the source value (来源值).
	SourceValue string `json:"sourceValue,omitempty"`
	// Remark is a free remark (备注信息).
	Remark string `json:"remark,omitempty"`
	// ExtendInfo is custom extension data (自定义扩展信息), one JSON object,
	// e.g. {"buyerType":"个人"}; its bytes are embedded compacted.
	ExtendInfo json.RawMessage `json:"extendInfo,omitempty"`
	// BuyerMobile is the card buyer's mobile (购卡人手机号), required by the
	// vendor for multi-purpose amount coupons, registered cards or batches
	// over 10000 yuan (after the member real-name call). Pass it pre-encrypted
	// if your contract requires encryption.
	BuyerMobile string `json:"buyerMobile,omitempty"`
}

// Validate checks p as the vendor documents it. Errors are
// errs.InvalidArgument (errs.InvalidJSON for malformed extendInfo text) with
// Field the vendor's member name, relative to the business parameters
// ("orderId", "extendInfo.buyerType"): a caller that took them under a name
// prefixes it (errs.Prefix("params", err)).
func (p *CouponSendParams) Validate() error {
	bad := func(name, format string, args ...interface{}) error {
		return errs.Invalid(name, format, args...)
	}
	if p.ShopID == "" && p.ShopCode == "" {
		return bad("shopId", "shopId or shopCode is required")
	}
	if p.OperUserID == "" {
		return bad("operUserId", "operUserId (the cashier's login name) is required")
	}
	if p.CouponType != "1" && p.CouponType != "2" {
		return bad("couponType", "couponType must be 1 (electronic) or 2 (paper), got %q", p.CouponType)
	}
	if !positiveInteger(p.Num) {
		return bad("num", "num must be a positive integer without sign or leading zeros, got %q", p.Num)
	}
	if p.CouponTemplateID == "" {
		return bad("couponTemplateId", "couponTemplateId is required")
	}
	if err := typedValue("idType", p.IDType, "memberId", p.MemberID,
		"1 (mobile), 2 (member card), 3 (OpenID) or 5 (external id)", "1", "2", "3", "5"); err != nil {
		return err
	}
	if p.OrderID == "" {
		return bad("orderId", "orderId (your issuing order number) is required")
	}
	if err := typedValue("sourceType", p.SourceType, "sourceValue", p.SourceValue,
		"1 (mobile), 2 (OpenID), 3 (guide id) or 4 (user id)", "1", "2", "3", "4"); err != nil {
		return err
	}
	if len(p.ExtendInfo) > 0 {
		if err := CheckBizContent(p.ExtendInfo); err != nil {
			return errs.Prefix("extendInfo", err)
		}
	}
	return nil
}

// typedValue checks an optional type code (one of allowed, described by
// choices) and that the value it qualifies is given when the code is.
func typedValue(typeName, code, valueName, value, choices string, allowed ...string) error {
	if code == "" {
		return nil
	}
	for _, a := range allowed {
		if code == a {
			if value == "" {
				return errs.Invalid(valueName, "%s is required when %s is given", valueName, typeName)
			}
			return nil
		}
	}
	return errs.Invalid(typeName, "%s must be %s, got %q", typeName, choices, code)
}

// positiveInteger reports whether s is a decimal integer ≥ 1 with no sign,
// no leading zero and at most 9 digits.
func positiveInteger(s string) bool {
	if s == "" || len(s) > 9 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// BizContent returns p as the bizContent JSON object: the non-empty fields
// in the documented order, strings escaped minimally ('<', '>' and '&' are
// not escaped; each byte of invalid UTF-8 is written \ufffd), ExtendInfo
// compacted. It does not validate.
func (p *CouponSendParams) BizContent() []byte {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	add := func(k, v string) {
		if v == "" {
			return
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = jsontext.AppendString(b, k)
		b = append(b, ':')
		b = jsontext.AppendString(b, v)
	}
	add("shopId", p.ShopID)
	add("shopCode", p.ShopCode)
	add("operUserId", p.OperUserID)
	add("couponType", p.CouponType)
	add("num", p.Num)
	add("couponTemplateId", p.CouponTemplateID)
	add("idType", p.IDType)
	add("memberId", p.MemberID)
	add("orderId", p.OrderID)
	add("sourceType", p.SourceType)
	add("sourceValue", p.SourceValue)
	add("remark", p.Remark)
	if len(p.ExtendInfo) > 0 {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, `"extendInfo":`...)
		b = append(b, pretty.Ugly(p.ExtendInfo)...)
	}
	add("buyerMobile", p.BuyerMobile)
	return append(b, '}')
}

// CouponSend validates p and returns the signed couponSend request
// (MethodCouponSend, the configured version) at time at (zero: the clock).
func (c *Client) CouponSend(p CouponSendParams, at time.Time) (Request, error) {
	if err := p.Validate(); err != nil {
		return Request{}, err
	}
	return c.Build(MethodCouponSend, "", p.BizContent(), at)
}

// CouponSendResult is the data of a successful couponSend reply.
type CouponSendResult struct {
	// TranNo is the transaction serial number (流水号).
	TranNo string `json:"tranNo"`
	// ShopName is the shop name; nil when the reply has null.
	ShopName *string `json:"shopName"`
	// TranDateTime is the transaction time as yyyy-MM-dd HH:mm:ss (China
	// time), whether the reply sent a string or a [y,M,d,H,m,s] array.
	TranDateTime string `json:"tranDateTime"`
	// Instruction is the coupon's usage notes (券使用须知), "" when absent.
	Instruction string `json:"instruction,omitempty"`
	// List holds the issued coupons.
	List []CouponSendItem `json:"list"`
	// ReqSeq and RespSeq are the envelope's sequence numbers, if sent.
	ReqSeq  string `json:"reqSeq,omitempty"`
	RespSeq string `json:"respSeq,omitempty"`
	// Verification says how the reply's sign was checked.
	Verification
}

// CouponSendItem is one issued coupon.
type CouponSendItem struct {
	// TemplateID is the template id (a JSON integer; a decimal string is
	// accepted too).
	TemplateID int64 `json:"templateId"`
	// CouponName is the coupon's name.
	CouponName string `json:"couponName"`
	// CouponNo is the coupon number, set when issued to a member or on paper;
	// nil when null.
	CouponNo *string `json:"couponNo"`
	// QRCodeContext is the electronic coupon's QR code content, set when
	// issued to nobody; nil when null.
	QRCodeContext *string `json:"qrCodeContext"`
}

// ParseCouponSendResponse verifies and parses a couponSend reply (see
// ParseResponse for the error kinds). data must be an object; fields of the
// wrong type are errs.ResponseInvalid with Field such as
// "data.list[0].templateId".
func (c *Client) ParseCouponSendResponse(body []byte) (*CouponSendResult, error) {
	r, err := c.ParseResponse(body)
	if err != nil {
		return nil, err
	}
	return parseCouponSendData(r)
}

func parseCouponSendData(r *Response) (*CouponSendResult, error) {
	d, err := dataObject(r, "couponSend")
	if err != nil {
		return nil, err
	}
	res := &CouponSendResult{ReqSeq: r.ReqSeq, RespSeq: r.RespSeq, Verification: r.Verification}
	if res.TranNo, err = scalarText("data.tranNo", d.Get("tranNo"), true); err != nil {
		return nil, err
	}
	if res.ShopName, err = nullableString("data.shopName", d.Get("shopName")); err != nil {
		return nil, err
	}
	if res.TranDateTime, err = parseTranDateTime("data.tranDateTime", d.Get("tranDateTime")); err != nil {
		return nil, err
	}
	if res.Instruction, err = scalarText("data.instruction", d.Get("instruction"), false); err != nil {
		return nil, err
	}
	items, err := objectArray("data.list", d.Get("list"))
	if err != nil {
		return nil, err
	}
	res.List = make([]CouponSendItem, len(items))
	for i, it := range items {
		path := "data.list[" + strconv.Itoa(i) + "]."
		out := &res.List[i]
		if out.TemplateID, err = exactInt(path+"templateId", it.Get("templateId")); err != nil {
			return nil, err
		}
		if out.CouponName, err = scalarText(path+"couponName", it.Get("couponName"), false); err != nil {
			return nil, err
		}
		if out.CouponNo, err = nullableString(path+"couponNo", it.Get("couponNo")); err != nil {
			return nil, err
		}
		if out.QRCodeContext, err = nullableString(path+"qrCodeContext", it.Get("qrCodeContext")); err != nil {
			return nil, err
		}
	}
	return res, nil
}
