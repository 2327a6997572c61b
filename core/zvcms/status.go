package zvcms

import (
	"strconv"

	"github.com/tidwall/gjson"
)

// Use states of a user coupon (useStatus of user.coupon-new-status).
const (
	UseStatusUnused   = 0 // 未使用 / 已冲正: unused, or returned by a reversal
	UseStatusVerified = 1 // 已核销: redeemed
	UseStatusFrozen   = 2 // 已冻结: frozen
	UseStatusExpired  = 6 // 已失效: expired
	UseStatusDeleted  = 7 // 已删除 / 已回收: deleted or recovered
)

// UseStatusName returns the English name of a useStatus value ("unused",
// "verified", "frozen", "expired", "deleted"), or "" for any other value.
func UseStatusName(v int64) string {
	switch v {
	case UseStatusUnused:
		return "unused"
	case UseStatusVerified:
		return "verified"
	case UseStatusFrozen:
		return "frozen"
	case UseStatusExpired:
		return "expired"
	case UseStatusDeleted:
		return "deleted"
	}
	return ""
}

func validUseStatus(v int64) bool { return UseStatusName(v) != "" }

// CouponStatusParams are the Params of user.coupon-new-status (券状态查询):
// the coupons of a customer, optionally one card and one state only.
type CouponStatusParams struct {
	// CustomerID (customerId) is the customer (member) id: required.
	CustomerID string
	// CardID (cardId) is the user coupon id (cardId of the issue reply,
	// the id verify takes in couponsCardList); "" asks for every coupon.
	CardID string
	// UseStatus (useStatus) filters by state, one of the UseStatus*
	// constants; not Valid is absent (sent as "").
	UseStatus OptInt
}

// Validate checks that customerId is a decimal id, cardId one when given,
// and useStatus one of 0, 1, 2, 6, 7. A violation is INVALID_ARGUMENT naming
// the path inside Params ("customerId").
func (p *CouponStatusParams) Validate() error {
	var c check
	c.id("customerId", p.CustomerID, true)
	c.id("cardId", p.CardID, false)
	if p.UseStatus.Valid && !validUseStatus(p.UseStatus.Int) {
		c.fail("useStatus", "%d is not a coupon state (0 unused, 1 verified, 2 frozen, 6 expired, 7 deleted)", p.UseStatus.Int)
	}
	return c.err
}

func (p *CouponStatusParams) size() int { return 80 + len(p.CustomerID) + len(p.CardID) }

// appendTo writes p in the order of the vendor's example.
func (p *CouponStatusParams) appendTo(b []byte, _ ListStyle) []byte {
	o := object{b: b}
	o.str("customerId", p.CustomerID)
	o.int("useStatus", p.UseStatus)
	o.str("cardId", p.CardID)
	return o.end()
}

// CouponStatus validates p and builds a signed user.coupon-new-status
// request (a query: Request.Idempotent is true). A zero Stamp takes the time
// and the nonce from the Client.
func (c *Client) CouponStatus(p CouponStatusParams, st Stamp) (Request, error) {
	return c.typed(ActionCouponStatus, &p, st)
}

// ParseCouponStatusParams reads the Params of a received status request (the
// sandbox's side), accepting every scalar as a string or a number and "" as
// absent, and validates them. Errors are INVALID_ARGUMENT naming the path
// ("Params.customerId").
func ParseCouponStatusParams(params []byte) (*CouponStatusParams, error) {
	return parseParams(params, func(f *fields) *CouponStatusParams {
		return &CouponStatusParams{CustomerID: f.str("customerId"), CardID: f.str("cardId"), UseStatus: f.optInt("useStatus")}
	})
}

// CouponStatus is one coupon of a user.coupon-new-status reply. Text is as
// sent ("" when absent); ids are decimal strings.
type CouponStatus struct {
	BeginAt    string // beginAt: valid from (券生效时间), e.g. "2019-08-24 00:00:00"
	EndAt      string // endAt: valid until (券失效时间)
	CardID     string // cardId: the user coupon id (券编码)
	Channel    string // channel: the merchant account name (商家账户名)
	CouponID   string // couponId: the coupon id (优惠券id)
	TemplateID string // templateId: the coupon template id (券模板id)
	// CouponType (couponType): 0 cash or rate coupon, 2 limited free,
	// 3 ERP exchange (offline), 4 buy M get N, 5 goods, 6 free delivery,
	// 7 skip the queue, 8 parking.
	CouponType OptInt
	CreatedAt  string // createdAt (创建时间)
	UpdatedAt  string // updatedAt (更新时间)
	CustomerID string // customerId (客户ID)
	Title      string // title: the coupon's name (券名称)
	// UseStatus (useStatus) is the state: UseStatusUnused (also after a
	// reversal), UseStatusVerified, UseStatusFrozen, UseStatusExpired or
	// UseStatusDeleted. Other values are kept as sent.
	UseStatus OptInt
	Extra     string // extra: additional information (附加信息)
	// Unknown holds the members not named above, as sent.
	Unknown []RawMember
}

// CouponStatusResult is the data of a successful user.coupon-new-status
// reply: one coupon when data is one object, each element when it is a list
// (the vendor's page does not show which; both are accepted), none when
// data is absent or empty.
type CouponStatusResult struct {
	Coupons []CouponStatus
	// Response is the envelope (status, code, message, raw data).
	Response *Response
}

// Find returns the coupon with cardId id, or the only coupon of the reply
// when it carries no cardId; nil when there is none.
func (r *CouponStatusResult) Find(id string) *CouponStatus {
	for i := range r.Coupons {
		if r.Coupons[i].CardID == id {
			return &r.Coupons[i]
		}
	}
	if len(r.Coupons) == 1 && r.Coupons[0].CardID == "" {
		return &r.Coupons[0]
	}
	return nil
}

// ParseCouponStatusResponse parses a user.coupon-new-status reply. A vendor
// error is API_ERROR or SYSTEM_ERROR (see Response.Err); a malformed reply
// is RESPONSE_INVALID naming the JSON path ("data[1].useStatus").
func ParseCouponStatusResponse(body []byte) (*CouponStatusResult, error) {
	return parseReply(body, func(d *dec, data gjson.Result, r *Response) *CouponStatusResult {
		res := &CouponStatusResult{Response: r}
		if data.IsArray() {
			for i, e := range data.Array() {
				res.Coupons = append(res.Coupons, d.couponStatus(e, at("data["+strconv.Itoa(i)+"]")))
			}
		} else if o := d.obj(data, at("data")); hasMembers(o) {
			res.Coupons = []CouponStatus{d.couponStatus(o, at("data"))}
		}
		return res
	})
}

func (d *dec) couponStatus(v gjson.Result, path loc) CouponStatus {
	f := d.fields(v, path)
	return CouponStatus{
		BeginAt: f.str("beginAt"), EndAt: f.str("endAt"), CardID: f.str("cardId"), Channel: f.str("channel"),
		CouponID: f.str("couponId"), TemplateID: f.str("templateId"), CouponType: f.optInt("couponType"),
		CreatedAt: f.str("createdAt"), UpdatedAt: f.str("updatedAt"), CustomerID: f.str("customerId"),
		Title: f.str("title"), UseStatus: f.optInt("useStatus"), Extra: f.str("extra"), Unknown: f.rest(),
	}
}
