package zvcms

import (
	"github.com/tidwall/gjson"
)

// CouponDetailParams are the Params of communal.coupon.coupon-detail.
type CouponDetailParams struct {
	// UserCouponCode (userCouponCode) is the user coupon id (用户券id, which
	// the page also calls 券码): required.
	UserCouponCode string
}

// Validate checks that userCouponCode is present and valid UTF-8. A
// violation is INVALID_ARGUMENT naming "userCouponCode".
func (p *CouponDetailParams) Validate() error {
	return requiredText("userCouponCode", p.UserCouponCode)
}

func (p *CouponDetailParams) size() int { return 24 + len(p.UserCouponCode) }

func (p *CouponDetailParams) appendTo(b []byte, _ ListStyle) []byte {
	return appendOneText(b, "userCouponCode", p.UserCouponCode)
}

// CouponDetail validates p and builds a signed communal.coupon.coupon-detail
// request (a query: Request.Idempotent is true).
func (c *Client) CouponDetail(p CouponDetailParams, st Stamp) (Request, error) {
	return c.typed(ActionCouponDetail, &p, st)
}

// ParseCouponDetailParams reads the Params of a received detail request (the
// sandbox's side) and validates them.
func ParseCouponDetailParams(params []byte) (*CouponDetailParams, error) {
	return parseParams(params, func(f *fields) *CouponDetailParams {
		return &CouponDetailParams{UserCouponCode: f.str("userCouponCode")}
	})
}

// CouponDetail is the data of a communal.coupon.coupon-detail reply: the
// members the vendor's page lists (as far as the copy we could read goes,
// which is cut after sellerType), every other member in Unknown. Text is as
// sent ("" when absent); ids are decimal strings.
type CouponDetail struct {
	ID           string // id: the user coupon id (券id, 券码)
	ActivityID   string // activityId (活动ID)
	ActivityName string // activityName (活动名称)
	// ActivityType (activityType): 1 exchange (兑换活动), 2 receive (领取活动).
	ActivityType    OptInt
	ApplySellerID   string // applySellerId: the store it applies to (适用店铺ID)
	ApplySellerName string // applySellerName (适用店铺名称)
	Channel         string // channel: the brand channel (品牌渠道)
	CreateScene     string // createScene: how it was created (券生成场景说明)
	CreatedAt       string // createdAt (创建时间)
	CustomerID      string // customerId: its owner (归属用户ID)
	CustomerName    string // customerName (归属用户名称)
	CustomerPhone   string // customerPhone (归属用户手机号)
	// GainChannel (gainChannel): 1 WeChat mini program, 2 Alipay mini
	// program, 3 H5 page, 4 merchant page, 5 internal API.
	GainChannel OptInt
	GainStoreID string // gainStoreId: the store where it was received (领取门店id)
	GainTime    string // gainTime (获取时间)
	// GiveState (giveState): 0 not given away, 1 being given (转赠中).
	GiveState OptInt
	// IsBelongCompanyStaff (isBelongCompanyStaff): 1 for company staff only.
	IsBelongCompanyStaff OptInt
	// IsFixedTimeScope (isFixedTimeScope): 1 when usable at set times only.
	IsFixedTimeScope OptInt
	// OrderAmount (orderAmount) is the order amount in yuan, exact.
	OrderAmount        OptFen
	OriginalTemplateID string // originalTemplateId: a migrated coupon's old id
	RetrieveCoupon     string // retrieveCoupon (券回收原因)
	RetrieveReason     string // retrieveReason (回收原因)
	RetrieveTime       string // retrieveTime (回收时间)
	RetrieveUserCode   string // retrieveUserCode: who recovered it (操作回收账号)
	SellerID           string // sellerId (店铺ID)
	SellerName         string // sellerName (店铺名称)
	SellerType         OptInt // sellerType (店铺类型; the page's values are cut)
	// Unknown holds the members not named above, as sent.
	Unknown []RawMember
}

// CouponDetailResult is the data of a successful
// communal.coupon.coupon-detail reply.
type CouponDetailResult struct {
	CouponDetail
	// Response is the envelope (status, code, message, raw data).
	Response *Response
}

// ParseCouponDetailResponse parses a communal.coupon.coupon-detail reply. A
// vendor error is API_ERROR or SYSTEM_ERROR (see Response.Err); a malformed
// reply is RESPONSE_INVALID naming the JSON path ("data.orderAmount").
func ParseCouponDetailResponse(body []byte) (*CouponDetailResult, error) {
	return parseReply(body, func(d *dec, data gjson.Result, r *Response) *CouponDetailResult {
		f := d.fields(data, at("data"))
		c := CouponDetail{
			ID: f.str("id"), ActivityID: f.str("activityId"), ActivityName: f.str("activityName"),
			ActivityType: f.optInt("activityType"), ApplySellerID: f.str("applySellerId"),
			ApplySellerName: f.str("applySellerName"), Channel: f.str("channel"), CreateScene: f.str("createScene"),
			CreatedAt: f.str("createdAt"), CustomerID: f.str("customerId"), CustomerName: f.str("customerName"),
			CustomerPhone: f.str("customerPhone"), GainChannel: f.optInt("gainChannel"), GainStoreID: f.str("gainStoreId"),
			GainTime: f.str("gainTime"), GiveState: f.optInt("giveState"),
			IsBelongCompanyStaff: f.optInt("isBelongCompanyStaff"), IsFixedTimeScope: f.optInt("isFixedTimeScope"),
			OrderAmount: f.yuan("orderAmount"), OriginalTemplateID: f.str("originalTemplateId"),
			RetrieveCoupon: f.str("retrieveCoupon"), RetrieveReason: f.str("retrieveReason"),
			RetrieveTime: f.str("retrieveTime"), RetrieveUserCode: f.str("retrieveUserCode"),
			SellerID: f.str("sellerId"), SellerName: f.str("sellerName"), SellerType: f.optInt("sellerType"),
		}
		c.Unknown = f.rest()
		return &CouponDetailResult{CouponDetail: c, Response: r}
	})
}
