package zvcms

import (
	"github.com/tidwall/gjson"
)

// States of a user coupon in a coupon.off-coupon reply (status): a scale of
// its own, not useStatus's.
const (
	OffStatusUnused = 0 // 未使用
	OffStatusUsed   = 1 // 已使用
	OffStatusLocked = 2 // 锁定
)

// OffStatusName returns the English name of a coupon.off-coupon status
// ("unused", "used", "locked"), or "" for any other value.
func OffStatusName(v int64) string {
	switch v {
	case OffStatusUnused:
		return "unused"
	case OffStatusUsed:
		return "used"
	case OffStatusLocked:
		return "locked"
	}
	return ""
}

// Lock states (is_lock) of a coupon.off-coupon reply.
const (
	LockReleased = 1 // 放: not locked
	LockLocked   = 2 // 锁: locked
)

// OffCouponParams are the Params of coupon.off-coupon (look a coupon up by
// its redemption code, 根据核销码获取券详情).
type OffCouponParams struct {
	// Code (code) is the redemption code (核销码) the customer shows, e.g.
	// "20191202089026199489": required.
	Code string
}

// Validate checks that code is present and valid UTF-8. A violation is
// INVALID_ARGUMENT naming "code".
func (p *OffCouponParams) Validate() error { return requiredText("code", p.Code) }

func (p *OffCouponParams) size() int { return 16 + len(p.Code) }

func (p *OffCouponParams) appendTo(b []byte, _ ListStyle) []byte {
	return appendOneText(b, "code", p.Code)
}

// OffCoupon validates p and builds a signed coupon.off-coupon request (a
// query: Request.Idempotent is true).
func (c *Client) OffCoupon(p OffCouponParams, st Stamp) (Request, error) {
	return c.typed(ActionOffCoupon, &p, st)
}

// ParseOffCouponParams reads the Params of a received coupon.off-coupon
// request (the sandbox's side) and validates them.
func ParseOffCouponParams(params []byte) (*OffCouponParams, error) {
	return parseParams(params, func(f *fields) *OffCouponParams { return &OffCouponParams{Code: f.str("code")} })
}

// UserCoupon is a user coupon as coupon.off-coupon returns it. Text is as
// sent ("" when absent), numbers included: ids are 18-digit, times the
// vendor's own (the page says Unix seconds).
type UserCoupon struct {
	ID        string // id: the user coupon id (用户优惠券id), the cardId verify takes
	UserID    string // user_id: the member (用户id)
	CouponID  string // coupon_id: the coupon (优惠券id)
	StartAt   string // start_at: valid from (开始时间)
	EndAt     string // end_at: valid until (结束时间)
	CreatedAt string // created_at: when it was received (领取时间)
	// Status (status): OffStatusUnused, OffStatusUsed or OffStatusLocked.
	Status OptInt
	// TypeID (type_id): 0 received (领取), 1 spend-and-get (满减/送), 2 given
	// with a member card (会员卡赠送).
	TypeID OptInt
	// VerifyCode (verify_code) is the redemption code, the request's code.
	// The page types it int, but codes have 20 digits: it is kept as text,
	// a JSON number's digits exactly.
	VerifyCode        string
	VerifyCodeBarcode string // verify_code_barcode (条形码)
	VerifyCodeQrcode  string // verify_code_qrcode (二维码)
	VerifierName      string // verifier_name: who verified it (核销人)
	// IsLock (is_lock): LockReleased or LockLocked.
	IsLock OptInt
	// Coupon (coupon) is the coupon's rules.
	Coupon CouponRules
	// Unknown holds the members not named above, as sent.
	Unknown []RawMember
}

// CouponRules is the coupon block of a coupon.off-coupon reply.
type CouponRules struct {
	ID    string // id: the coupon id (优惠券id)
	Title string // title: its name (优惠券名称)
	// Amount (amount) is the face value: yuan for CouponFixedAmount, the
	// printed rate for CouponRate (8.5 = pay 85%). Exact decimal text as
	// sent, "" when absent.
	Amount string
	// CouponType (coupon_type) is CouponFixedAmount or CouponRate.
	CouponType OptInt
	// MinAmountUse (min_amount_use) is the least spend the coupon needs, 0
	// for none; exact decimal text as sent (the page gives no unit; the
	// vendor's other coupon amounts are yuan).
	MinAmountUse string
	// GoodsRangeType (goods_range_type): 0 all goods, 1 listed categories,
	// 2 listed goods, 3 all but the listed goods.
	GoodsRangeType OptInt
	// ExpireType (expire_type): 0 fixed dates, 1 N days from the day
	// received, 2 N days from the day after.
	ExpireType OptInt
	Desc       string // desc: how to use it (使用说明)
	// ShopRangeType (shop_range_type): 0 all stores, 1 listed stores, 2 all
	// but the listed stores.
	ShopRangeType OptInt
	Total         OptInt // total: how many exist, 0 unlimited (优惠券总数量)
	Number        OptInt // number: how many were received (已领取的数量)
	Used          OptInt // used: how many were used (已使用的数量)
	// Unknown holds the members not named above (the vendor's page is cut
	// after used), as sent.
	Unknown []RawMember
}

// OffCouponResult is the data of a successful coupon.off-coupon reply.
type OffCouponResult struct {
	UserCoupon
	// Response is the envelope (status, code, message, raw data).
	Response *Response
}

// ParseOffCouponResponse parses a coupon.off-coupon reply. A vendor error is
// API_ERROR or SYSTEM_ERROR (see Response.Err); a malformed reply is
// RESPONSE_INVALID naming the JSON path ("data.coupon.amount").
func ParseOffCouponResponse(body []byte) (*OffCouponResult, error) {
	return parseReply(body, func(d *dec, data gjson.Result, r *Response) *OffCouponResult {
		f := d.fields(data, at("data"))
		u := UserCoupon{
			ID: f.str("id"), UserID: f.str("user_id"), CouponID: f.str("coupon_id"),
			StartAt: f.str("start_at"), EndAt: f.str("end_at"), CreatedAt: f.str("created_at"),
			Status: f.optInt("status"), TypeID: f.optInt("type_id"),
			VerifyCode: f.str("verify_code"), VerifyCodeBarcode: f.str("verify_code_barcode"),
			VerifyCodeQrcode: f.str("verify_code_qrcode"), VerifierName: f.str("verifier_name"),
			IsLock: f.optInt("is_lock"),
		}
		cf := f.object("coupon")
		u.Coupon = CouponRules{
			ID: cf.str("id"), Title: cf.str("title"), Amount: cf.decimal("amount"), CouponType: cf.optInt("coupon_type"),
			MinAmountUse: cf.decimal("min_amount_use"), GoodsRangeType: cf.optInt("goods_range_type"),
			ExpireType: cf.optInt("expire_type"), Desc: cf.str("desc"), ShopRangeType: cf.optInt("shop_range_type"),
			Total: cf.optInt("total"), Number: cf.optInt("number"), Used: cf.optInt("used"), Unknown: cf.rest(),
		}
		u.Unknown = f.rest()
		return &OffCouponResult{UserCoupon: u, Response: r}
	})
}
