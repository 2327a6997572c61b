package invoke

import (
	"context"
	"errors"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/tidwall/gjson"
)

func init() {
	add("zvcms.token", zvcmsToken)
	add("zvcms.stamp", zvcmsStampIssue)
	add("zvcms.request", zvcmsRequest)
	add("zvcms.verifyCoupons.request", zvcmsVerifyCouponsRequest)
	add("zvcms.couponDiscount.request", zvcmsCouponDiscountRequest)
	add("zvcms.response", zvcmsResponse)
	add("zvcms.verifyCoupons.response", zvcmsVerifyCouponsResponse)
	add("zvcms.couponDiscount.response", zvcmsCouponDiscountResponse)
	add("zvcms.verifyCoupons", zvcmsVerifyCoupons)
	add("zvcms.couponDiscount", zvcmsCouponDiscount)
	add("zvcms.call", zvcmsCall)

	add("zvcms.couponStatus.request", zvcmsCouponStatusRequest)
	add("zvcms.couponStatus.response", zvcmsCouponStatusResponse)
	add("zvcms.couponStatus", zvcmsCouponStatus)
	add("zvcms.offCoupon.request", zvcmsOffCouponRequest)
	add("zvcms.offCoupon.response", zvcmsOffCouponResponse)
	add("zvcms.offCoupon", zvcmsOffCoupon)
	add("zvcms.couponDetail.request", zvcmsCouponDetailRequest)
	add("zvcms.couponDetail.response", zvcmsCouponDetailResponse)
	add("zvcms.couponDetail", zvcmsCouponDetail)
	add("zvcms.consume.request", zvcmsConsumeRequest)
	add("zvcms.consume.response", zvcmsConsumeResponse)
	add("zvcms.consume", zvcmsConsume)
	add("zvcms.reverse.request", zvcmsReverseRequest)
	add("zvcms.reverse.response", zvcmsReverseResponse)
	add("zvcms.reverse", zvcmsReverse)
	add("zvcms.resolveVerify", zvcmsResolveVerify)
}

// zvcmsParsers names, by action, the typed reply parsers that
// zvcms.response and the sending methods hand a reply to.
var zvcmsParsers = map[string]string{
	zvcms.ActionVerifyCoupons:  "zvcms.verifyCoupons.response",
	zvcms.ActionCouponDiscount: "zvcms.couponDiscount.response",
	zvcms.ActionCouponStatus:   "zvcms.couponStatus.response",
	zvcms.ActionOffCoupon:      "zvcms.offCoupon.response",
	zvcms.ActionCouponDetail:   "zvcms.couponDetail.response",
	zvcms.ActionConsume:        "zvcms.consume.response",
}

// ZvcmsCredentials are what zvcms issues to an application.
type ZvcmsCredentials struct {
	OpenID          string `json:"openId" ck:"required,domain=OpenId"`       // the OpenId (密钥Id)
	GrantCode       string `json:"grantCode" ck:"required,domain=GrantCode"` // the GrantCode (授权code)
	OpenKey         string `json:"openKey"`                                  // the secret keying the Token (never sent, never in a reply or error); without it the credentials are keyless: every request needs a stamp issued by the back office (zvcms.stamp), see docs/keyless.md
	BaseURL         string `json:"baseUrl"`                                  // the endpoint (default http://openapi.zvcms.com/api/v2)
	TokenKeyStyle   string `json:"tokenKeyStyle"`                            // how the signed names are spelt: lowerCamel (default) or capitalized
	CouponListStyle string `json:"couponListStyle"`                          // couponsCardList as a JSON array (array, default) or the seed's "[id,id]" (string)
	ReversalAction  string `json:"reversalAction"`                           // the Action of the reversal (冲正) in the merchant's contract with zvcms; the v2 name is not public, so there is no default and zvcms.reverse needs it
	VerifyAPI       string `json:"verifyApi"`                                // optional: where verifications go, v2 (default) or v3 (the v3 redemption path, which also takes thirdOrderNo)
	V3BaseURL       string `json:"v3BaseUrl"`                                // optional, with verifyApi v3: the v3 API's base (default http://openapi.zvcms.com/v3)
}

// ZvcmsAuth gives a method zvcms credentials: a session or inline, one of them.
type ZvcmsAuth struct {
	Session string            `json:"session"` // a session opened with zvcms credentials
	Zvcms   *ZvcmsCredentials `json:"zvcms"`   // the credentials inline, instead of a session
}

// ZvcmsTime fixes a request's timestamp and nonce, for reproducible requests.
type ZvcmsTime struct {
	Timestamp ID `json:"timestamp" ck:"domain=Timestamp"` // Unix seconds (default: the clock)
	Nonce     ID `json:"nonce" ck:"domain=Nonce"`         // a positive integer (default: a random six-digit one)
}

// ZvcmsStamp is how a request is stamped: its timestamp and nonce (signed
// with the openKey), or a stamp the back office issued (keyless).
type ZvcmsStamp struct {
	ZvcmsTime
	Stamp *ZvcmsIssuedStamp `json:"stamp"` // a stamp issued by the back office (zvcms.stamp), used as is: required with keyless credentials (no openKey); with the openKey its token must match
}

// ZvcmsIssuedStamp is a stamp the back office issued (zvcms.stamp): a Token
// for a timestamp and nonce, which a keyless session builds one request with.
type ZvcmsIssuedStamp struct {
	Timestamp ID     `json:"timestamp" ck:"required"` // Unix seconds the token was computed for
	Nonce     ID     `json:"nonce" ck:"required"`     // the nonce the token was computed for
	Token     string `json:"token" ck:"required"`     // the Token (URL-encoded Base64 HMAC-SHA1, as sent in the body)
}

func (s *ZvcmsTime) stamp() zvcms.Stamp {
	return zvcms.Stamp{Timestamp: string(s.Timestamp), Nonce: string(s.Nonce)}
}

// issued is the issued stamp (nil: none).
func (s *ZvcmsStamp) issued() *zvcms.Stamp {
	if s.Stamp == nil {
		return nil
	}
	return &zvcms.Stamp{Timestamp: string(s.Stamp.Timestamp), Nonce: string(s.Stamp.Nonce), Token: s.Stamp.Token}
}

// stampErr names the errors about an issued stamp inside "stamp".
func (s *ZvcmsStamp) stampErr(err error) error {
	var e *errs.Error
	if s.Stamp != nil && errors.As(err, &e) {
		switch e.Field {
		case "Timestamp", "Nonce", "Token":
			c := *e
			c.Field = "stamp." + map[string]string{"Timestamp": "timestamp", "Nonce": "nonce", "Token": "token"}[e.Field]
			return &c
		}
	}
	return err
}

// ZvcmsTokenRequest asks for a Token alone.
type ZvcmsTokenRequest struct {
	ZvcmsAuth
	ZvcmsTime
}

// ZvcmsTokenResult is a Token and what it signs.
type ZvcmsTokenResult struct {
	Token       string `json:"token"`       // the URL-encoded Base64 HMAC-SHA1, as sent in the body
	Timestamp   string `json:"timestamp"`   // the timestamp used
	Nonce       string `json:"nonce"`       // the nonce used
	SignContent string `json:"signContent"` // exactly what was signed ("grantCode=…&nonce=…&openId=…&timestamp=…")
}

// zvcmsToken computes the zvcms Token alone (for callers that build the
// body themselves). It needs the openKey (KEY_ERROR in a keyless session).
func zvcmsToken(c *Call, r *ZvcmsTokenRequest) (*ZvcmsTokenResult, error) {
	cl, err := c.keyed(&r.ZvcmsAuth, "zvcms.token")
	if err != nil {
		return nil, err
	}
	st, content, err := cl.IssueStampContent(r.stamp())
	if err != nil {
		return nil, err
	}
	return &ZvcmsTokenResult{Token: st.Token, Timestamp: st.Timestamp, Nonce: st.Nonce, SignContent: content}, nil
}

// issue computes the stamp of r with its credentials' openKey, for method.
func (c *Call) issue(r *ZvcmsTokenRequest, method string) (*zvcms.Client, zvcms.Stamp, error) {
	cl, err := c.keyed(&r.ZvcmsAuth, method)
	if err != nil {
		return nil, zvcms.Stamp{}, err
	}
	st, err := cl.IssueStamp(r.stamp())
	return cl, st, err
}

// keyed resolves credentials that must hold the openKey, for method.
func (c *Call) keyed(a *ZvcmsAuth, method string) (*zvcms.Client, error) {
	cl, err := c.zvcms(a)
	if err == nil && cl.Keyless() {
		field := "zvcms.openKey"
		if a.Session != "" {
			field = "session"
		}
		return nil, errs.New(errs.KeyError, field, "%s needs the openKey, and these zvcms credentials are keyless; it runs in the back office", method)
	}
	return cl, err
}

// zvcmsStampIssue is the back office's half of keyless mode: from
// credentials with the openKey it issues a stamp {timestamp, nonce, token}
// (timestamp and nonce as given, or the clock and a fresh nonce) that a
// keyless session (a browser page) builds one request with, passed as its
// "stamp". The token signs only grantCode, nonce, openId and timestamp, not
// the params: see docs/keyless.md for what the page can do with it.
func zvcmsStampIssue(c *Call, r *ZvcmsTokenRequest) (*ZvcmsIssuedStamp, error) {
	_, st, err := c.issue(r, "zvcms.stamp")
	if err != nil {
		return nil, err
	}
	return &ZvcmsIssuedStamp{Timestamp: ID(st.Timestamp), Nonce: ID(st.Nonce), Token: st.Token}, nil
}

// ZvcmsBuild is a request for any action.
type ZvcmsBuild struct {
	ZvcmsAuth
	ZvcmsStamp
	Action string    `json:"action" ck:"required,domain=Action"` // the vendor's Action ("user.coupon-new-status")
	Params RawObject `json:"params" ck:"domain=Params"`          // the vendor's Params object, sent byte for byte (default {})
}

// ZvcmsRequest is a signed zvcms request: POST body to url with contentType.
type ZvcmsRequest struct {
	URL         string `json:"url"`         // where to POST
	ContentType string `json:"contentType"` // the Content-Type header ("application/json")
	Body        Bytes  `json:"body"`        // the exact body to send
	Token       string `json:"token"`       // the Token in the body
	Timestamp   string `json:"timestamp"`   // the timestamp used
	Nonce       string `json:"nonce"`       // the nonce used
	Action      string `json:"action"`      // the action
	Idempotent  bool   `json:"idempotent"`  // true for a query, which may be sent again (retried) safely; false for a verify, consume or reversal, which is repeated only deliberately, with the same bizId
}

// built signs with the credentials of a, stamped as s says, and returns
// the request.
func (c *Call) built(a *ZvcmsAuth, s *ZvcmsStamp, build func(*zvcms.Client, zvcms.Stamp) (zvcms.Request, error)) (*ZvcmsRequest, error) {
	cl, err := c.zvcms(a)
	if err != nil {
		return nil, err
	}
	st, err := cl.CheckStamp(s.ZvcmsTime.stamp(), s.issued())
	if err != nil {
		return nil, err
	}
	q, err := build(cl, st)
	if err != nil {
		return nil, s.stampErr(err)
	}
	return &ZvcmsRequest{URL: q.URL, ContentType: q.ContentType, Body: q.Body, Token: q.Token, Timestamp: q.Timestamp, Nonce: q.Nonce,
		Action: q.Action, Idempotent: q.Idempotent}, nil
}

// zvcmsRequest builds a signed request for any action, its params sent
// byte for byte.
func zvcmsRequest(c *Call, r *ZvcmsBuild) (*ZvcmsRequest, error) {
	return c.built(&r.ZvcmsAuth, &r.ZvcmsStamp, func(cl *zvcms.Client, st zvcms.Stamp) (zvcms.Request, error) { return cl.Build(r.Action, r.Params, st) })
}

// VerifyCouponsParams are the Params of communal.user.coupons-vertify (seed
// 000), with the vendor's names.
type VerifyCouponsParams struct {
	BizID           string    `json:"bizId" ck:"required"` // your business id; reverse with the bizId of the reply
	Channel         string    `json:"channel"`             // account name
	CustomerID      ID        `json:"customerId"`          // member id; required unless type is 1
	GroupID         ID        `json:"groupId"`             // group (集团) id
	CouponsCardList TextList  `json:"couponsCardList"`     // coupon ids, or scanned codes when type is 1; exactly one with useCount
	Type            int       `json:"type"`                // 1: couponsCardList holds scanned redemption codes
	Ext             VerifyExt `json:"ext" ck:"lenient"`    // channel and store details
	UseCount        int       `json:"useCount"`            // uses of a counted coupon (次券); then one coupon only
	TradeMarks      TextList  `json:"tradeMarks"`          // goods codes (paper coupons may need them)
	Amount          Fen       `json:"amount"`              // the amount redeemed with the coupon, fen
	OrderAmount     Fen       `json:"orderAmount"`         // the order's amount, fen
	ThirdOrderNo    string    `json:"thirdOrderNo"`        // optional, v3 only (verifyApi v3 in the credentials; an error otherwise): the third-party order number (三方订单号)
}

// VerifyExt is the ext block of VerifyCouponsParams (vendor names).
type VerifyExt struct {
	ChannelType    int    `json:"channelType"`    // 1 Alipay, 2 WeChat, 3 POS, 4 Meituan, 5 Eleme, 6 Youzan, 7 third party
	MultiStoreID   string `json:"multiStoreId"`   // store id
	MultiStoreMark string `json:"multiStoreMark"` // store code (paper coupons need it: send it every time)
	OrderNo        string `json:"orderNo"`        // order number
	Reason         string `json:"reason"`         // reason
}

// VerifyCouponsBuild is a verify request.
type VerifyCouponsBuild struct {
	ZvcmsAuth
	ZvcmsStamp
	Params VerifyCouponsParams `json:"params" ck:"required,domain=Params"` // the verification
}

// zvcmsVerifyCouponsRequest builds a signed communal.user.coupons-vertify
// request (verify, 核销), checking the params first.
func zvcmsVerifyCouponsRequest(c *Call, r *VerifyCouponsBuild) (*ZvcmsRequest, error) {
	return c.built(&r.ZvcmsAuth, &r.ZvcmsStamp, func(cl *zvcms.Client, st zvcms.Stamp) (zvcms.Request, error) {
		return cl.VerifyCoupons(r.Params.core(), st)
	})
}

// core is the core's form of the params of a verify.
func (p *VerifyCouponsParams) core() zvcms.VerifyParams {
	return zvcms.VerifyParams{BizID: p.BizID, Channel: p.Channel, CustomerID: string(p.CustomerID),
		GroupID: string(p.GroupID), CouponsCardList: p.CouponsCardList, Type: p.Type, Ext: zvcms.Ext(p.Ext),
		UseCount: p.UseCount, TradeMarks: p.TradeMarks, Amount: zvcms.OptFen(p.Amount), OrderAmount: zvcms.OptFen(p.OrderAmount),
		ThirdOrderNo: p.ThirdOrderNo}
}

// CouponDiscountParams are the Params of user.user-by-coupon (seed 001),
// with the vendor's names; money in yuan.
type CouponDiscountParams struct {
	UserCouponID   ID          `json:"user_coupon_id"`  // the user's coupon id, or the scanned code when type is 1 (this or coupon_code)
	UserID         ID          `json:"user_id"`         // member id; required unless type is 1
	Items          []GoodsItem `json:"items"`           // the goods (at least one)
	MultiMark      string      `json:"multi_mark"`      // store code
	CouponID       ID          `json:"coupon_id"`       // coupon template id
	TypeCate       int         `json:"type_cate"`       // 1 eat in, 3 delivery
	DiscountPrice  Decimal     `json:"discount_price"`  // order discount already given, yuan
	Type           int         `json:"type"`            // 1: user_coupon_id is a scanned code
	CouponCode     string      `json:"coupon_code"`     // coupon code
	UsageScenarios int         `json:"usage_scenarios"` // 0 online (default), 1 offline
}

// GoodsItem is one goods line of CouponDiscountParams (vendor names).
type GoodsItem struct {
	Num       int     `json:"num"`        // quantity (positive)
	TradeMark string  `json:"trade_mark"` // goods code
	Price     Decimal `json:"price"`      // unit price, yuan ("12.50"): num units at price each
}

// CouponDiscountBuild is a discount request.
type CouponDiscountBuild struct {
	ZvcmsAuth
	ZvcmsStamp
	Params CouponDiscountParams `json:"params" ck:"required,domain=Params"` // the goods and the coupon
}

// zvcmsCouponDiscountRequest builds a signed user.user-by-coupon request
// (the discount a coupon gives on goods), checking the params first.
func zvcmsCouponDiscountRequest(c *Call, r *CouponDiscountBuild) (*ZvcmsRequest, error) {
	p := &r.Params
	dp := zvcms.DiscountParams{UserCouponID: string(p.UserCouponID), UserID: string(p.UserID), MultiMark: p.MultiMark,
		CouponID: string(p.CouponID), TypeCate: p.TypeCate, DiscountPrice: string(p.DiscountPrice), Type: p.Type,
		CouponCode: p.CouponCode, UsageScenarios: p.UsageScenarios, Items: make([]zvcms.Item, len(p.Items))}
	for i, it := range p.Items {
		dp.Items[i] = zvcms.Item{Num: it.Num, TradeMark: it.TradeMark, Price: string(it.Price)}
	}
	return c.built(&r.ZvcmsAuth, &r.ZvcmsStamp, func(cl *zvcms.Client, st zvcms.Stamp) (zvcms.Request, error) { return cl.CouponDiscount(dp, st) })
}

// ZvcmsReply is a zvcms reply body to parse.
type ZvcmsReply struct {
	Body string `json:"body" ck:"required"` // the reply body, as received
}

// ZvcmsResponseRequest is a reply body and, optionally, the action it answers.
type ZvcmsResponseRequest struct {
	ZvcmsReply
	Action string `json:"action"` // the action; one with a typed parser gives that parser's result
}

// ZvcmsStatus is the envelope of every zvcms reply.
type ZvcmsStatus struct {
	Status  bool   `json:"status"`  // the vendor's status
	Code    string `json:"code"`    // the vendor's code ("0")
	Message string `json:"message"` // the vendor's message
}

// ZvcmsResult is a parsed reply of any action.
type ZvcmsResult struct {
	ZvcmsStatus
	Data RawJSON `json:"data"` // the vendor's data (vendor names), every number as a string
}

// zvcmsResponse parses any zvcms reply (the envelope and the raw data) or,
// for an action with a typed parser (communal.user.coupons-vertify,
// user.user-by-coupon), gives that parser's result. A vendor error is
// API_ERROR (status true, code not 0) or SYSTEM_ERROR (status false) with
// the vendor's status, code and message.
func zvcmsResponse(c *Call, r *ZvcmsResponseRequest) (*ZvcmsResult, error) {
	if m := zvcmsParsers[r.Action]; m != "" {
		return nil, c.Delegate(m, &r.ZvcmsReply)
	}
	res, err := zvcms.ParseResponse([]byte(r.Body))
	if err != nil {
		return nil, err
	}
	return &ZvcmsResult{ZvcmsStatus: statusOf(res), Data: res.Data}, nil
}

// parsed parses the reply r (parse, a typed parser of core/zvcms) and
// gives its result (out).
func parsed[R, T any](r *ZvcmsReply, parse func([]byte) (R, error), out func(R) *T) (*T, error) {
	res, err := parse([]byte(r.Body))
	if err != nil {
		return nil, err
	}
	return out(res), nil
}

func statusOf(r *zvcms.Response) ZvcmsStatus {
	return ZvcmsStatus{Status: r.Status, Code: r.Code, Message: r.Message}
}

// UserInfo is the member block of zvcms replies (every value text, "" when absent).
type UserInfo struct {
	CustomerID string `json:"customerId"` // member id
	GroupID    string `json:"groupId"`    // group id
	Username   string `json:"username"`   // member name
	Nickname   string `json:"nickname"`   // nickname
	Avatar     string `json:"avatar"`     // avatar URL
	Phone      string `json:"phone"`      // phone
	Gender     string `json:"gender"`     // 0 unknown, 1 male, 2 female
	Birthday   string `json:"birthday"`   // birthday
	Province   string `json:"province"`   // province code
	City       string `json:"city"`       // city code
	District   string `json:"district"`   // district code
}

// VerifyCouponsResult is a parsed verify (核销) reply.
type VerifyCouponsResult struct {
	ZvcmsStatus
	BizID      string   `json:"bizId"`      // the bizId to use for a reversal (冲正): this one, not the one sent
	CardIDList []string `json:"cardIdList"` // the redeemed coupons' card ids
	UserInfo   UserInfo `json:"userInfo"`   // the member
	Data       RawJSON  `json:"data"`       // the vendor's data (vendor names), every number as a string
}

// zvcmsVerifyCouponsResponse parses a communal.user.coupons-vertify reply.
func zvcmsVerifyCouponsResponse(_ *Call, r *ZvcmsReply) (*VerifyCouponsResult, error) {
	return parsed(r, zvcms.ParseVerifyResponse, verifyResultOf)
}

func verifyResultOf(v *zvcms.VerifyResult) *VerifyCouponsResult {
	return &VerifyCouponsResult{ZvcmsStatus: statusOf(v.Response), BizID: v.BizID, CardIDList: v.CardIDList,
		UserInfo: UserInfo(v.UserInfo), Data: v.Response.Data}
}

// CouponDiscountResult is a parsed coupon discount reply.
type CouponDiscountResult struct {
	ZvcmsStatus
	TypeCate       string       `json:"typeCate"`       // 1 eat in, 2 take away, 3 delivery
	MultiMark      string       `json:"multiMark"`      // store code
	CouponDiscount *Money       `json:"couponDiscount"` // the discount ("" when the vendor sent none)
	UserCouponName string       `json:"userCouponName"` // coupon name
	UserCouponID   string       `json:"userCouponId"`   // user coupon id
	FinancePayment *Money       `json:"financePayment"` // the amount booked as paid by finance
	UserInfo       UserInfo     `json:"userInfo"`       // the member
	FaceValue      string       `json:"faceValue"`      // the face value as printed: yuan (couponType 0) or the rate in 折 ("8.5", couponType 1)
	CouponType     string       `json:"couponType"`     // 0 fixed amount, 1 rate
	GoodsItems     []GoodsShare `json:"goodsItems"`     // each goods line's share of the discount
	Data           RawJSON      `json:"data"`           // the vendor's data (vendor names), every number as a string
}

// GoodsShare is one goods line's share of a coupon discount.
type GoodsShare struct {
	TradeMark   string `json:"tradeMark"`   // goods code
	CouponMinus *Money `json:"couponMinus"` // the share
}

// zvcmsCouponDiscountResponse parses a user.user-by-coupon reply, its yuan
// amounts exact (more than two decimals is RESPONSE_INVALID).
func zvcmsCouponDiscountResponse(_ *Call, r *ZvcmsReply) (*CouponDiscountResult, error) {
	return parsed(r, zvcms.ParseDiscountResponse, func(res *zvcms.DiscountResult) *CouponDiscountResult {
		out := &CouponDiscountResult{ZvcmsStatus: statusOf(res.Response), TypeCate: res.TypeCate.String(), MultiMark: res.MultiMark,
			CouponDiscount: res.CouponDiscount.Pointer(), UserCouponName: res.UserCouponName, UserCouponID: res.UserCouponID,
			FinancePayment: res.FinancePayment.Pointer(), UserInfo: UserInfo(res.UserInfo), FaceValue: res.Amount,
			CouponType: res.CouponType.String(), GoodsItems: make([]GoodsShare, len(res.GoodsItems)), Data: res.Response.Data}
		for i, g := range res.GoodsItems {
			out.GoodsItems[i] = GoodsShare{TradeMark: g.TradeMark, CouponMinus: g.CouponMinus.Pointer()}
		}
		return out
	})
}

// VerifyCouponsCall is a verify request sent by the library.
type VerifyCouponsCall struct {
	VerifyCouponsBuild
	SendOptions
}

// zvcmsVerifyCoupons builds, sends and parses a verification in one call.
// It is sent once, never retried (a retry could redeem twice): after a
// TRANSPORT_ERROR its outcome is unknown, so repeat the same call (same
// bizId), which the vendor answers with the original result, or resolve it
// with zvcms.resolveVerify.
func zvcmsVerifyCoupons(c *Call, r *VerifyCouponsCall) (*VerifyCouponsResult, error) {
	return nil, c.zvcmsSend(zvcmsVerifyCouponsRequest(c, &r.VerifyCouponsBuild))(&r.SendOptions, r.Session, "")
}

// CouponDiscountCall is a discount request sent by the library.
type CouponDiscountCall struct {
	CouponDiscountBuild
	SendOptions
}

// zvcmsCouponDiscount builds, sends and parses a discount query in one call
// (a query: the transport may retry it).
func zvcmsCouponDiscount(c *Call, r *CouponDiscountCall) (*CouponDiscountResult, error) {
	return nil, c.zvcmsSend(zvcmsCouponDiscountRequest(c, &r.CouponDiscountBuild))(&r.SendOptions, r.Session, "")
}

// ZvcmsCallRequest is a request for any action sent by the library.
type ZvcmsCallRequest struct {
	ZvcmsBuild
	SendOptions
	Idempotent bool `json:"idempotent"` // the action is a query that may be retried (the typed queries, e.g. user.coupon-new-status, are retried without it)
}

// zvcmsCall builds, sends and parses a request for any action in one call;
// the result is that of zvcms.response for the action.
func zvcmsCall(c *Call, r *ZvcmsCallRequest) (*ZvcmsResult, error) {
	q, err := zvcmsRequest(c, &r.ZvcmsBuild)
	if q != nil && r.Idempotent {
		q.Idempotent = true
	}
	return nil, c.zvcmsSend(q, err)(&r.SendOptions, r.Session, "")
}

// zvcmsSend returns the sending of a built request (retried by the
// transport only when the request is idempotent, a query), whose reply goes
// to the parser method, or when that is "" to zvcms.response for its
// action.
func (c *Call) zvcmsSend(q *ZvcmsRequest, err error) func(o *SendOptions, session, parser string) error {
	return func(o *SendOptions, session, parser string) error {
		if err != nil {
			return err
		}
		reply := func(body string) interface{} { return &ZvcmsResponseRequest{ZvcmsReply{body}, q.Action} }
		if parser != "" {
			reply = func(body string) interface{} { return &ZvcmsReply{body} }
		} else {
			parser = "zvcms.response"
		}
		return c.exchange(HTTPRequest{Method: "POST", URL: q.URL, ContentType: q.ContentType, Body: []byte(q.Body), Idempotent: q.Idempotent},
			o, session, parser, reply)
	}
}

// ---- the rest of the coupon lifecycle: status, lookup by code, detail,
// consume, reversal (冲正), and resolving an in-doubt verify.

// CouponStatusParams are the Params of user.coupon-new-status (券状态查询),
// with the vendor's names.
type CouponStatusParams struct {
	CustomerID ID `json:"customerId" ck:"required"` // the customer (member) id
	CardID     ID `json:"cardId"`                   // the user coupon id (the id verify takes in couponsCardList); absent: every coupon of the customer
	UseStatus  ID `json:"useStatus"`                // only coupons in this state: 0 unused or reversed, 1 verified, 2 frozen, 6 expired, 7 deleted (absent: all)
}

// CouponStatusBuild is a coupon status query.
type CouponStatusBuild struct {
	ZvcmsAuth
	ZvcmsStamp
	Params CouponStatusParams `json:"params" ck:"required,domain=Params"` // the customer and the coupon
}

// zvcmsCouponStatusRequest builds a signed user.coupon-new-status request
// (a customer's coupons and their use states), checking the params first.
func zvcmsCouponStatusRequest(c *Call, r *CouponStatusBuild) (*ZvcmsRequest, error) {
	p := &r.Params
	use, err := zvcms.ParseInt("Params.useStatus", string(p.UseStatus))
	if err != nil {
		return nil, err
	}
	return c.built(&r.ZvcmsAuth, &r.ZvcmsStamp, func(cl *zvcms.Client, st zvcms.Stamp) (zvcms.Request, error) {
		return cl.CouponStatus(zvcms.CouponStatusParams{CustomerID: string(p.CustomerID), CardID: string(p.CardID), UseStatus: use}, st)
	})
}

// CouponState is one coupon of a coupon status reply (the vendor's names in
// lowerCamel; every value text as sent, "" when absent).
type CouponState struct {
	CardID        string  `json:"cardId"`        // the user coupon id (券编码)
	UseStatus     string  `json:"useStatus"`     // 0 unused or reversed (未使用/已冲正), 1 verified (已核销), 2 frozen, 6 expired, 7 deleted or recovered
	UseStatusName string  `json:"useStatusName"` // useStatus in words: unused, verified, frozen, expired, deleted ("" for another value)
	CouponID      string  `json:"couponId"`      // the coupon id (优惠券id)
	TemplateID    string  `json:"templateId"`    // the coupon template id
	CouponType    string  `json:"couponType"`    // 0 cash or rate, 2 limited free, 3 ERP exchange, 4 buy M get N, 5 goods, 6 free delivery, 7 skip the queue, 8 parking
	Title         string  `json:"title"`         // the coupon's name (券名称)
	BeginAt       string  `json:"beginAt"`       // valid from (券生效时间)
	EndAt         string  `json:"endAt"`         // valid until (券失效时间)
	CreatedAt     string  `json:"createdAt"`     // created (创建时间)
	UpdatedAt     string  `json:"updatedAt"`     // last changed (更新时间)
	CustomerID    string  `json:"customerId"`    // the customer (客户ID)
	Channel       string  `json:"channel"`       // the merchant account name (商家账户名)
	Extra         string  `json:"extra"`         // additional information (附加信息)
	Unknown       RawJSON `json:"unknown"`       // the members the reply carries beyond these, as sent ({} when none)
}

// CouponStatusResult is a parsed coupon status reply.
type CouponStatusResult struct {
	ZvcmsStatus
	Coupons []CouponState `json:"coupons"` // the coupons: one when data is one object, each element when it is a list, none when it is empty
	Data    RawJSON       `json:"data"`    // the vendor's data (vendor names), every number as a string
}

// zvcmsCouponStatusResponse parses a user.coupon-new-status reply (data one
// coupon or a list of coupons).
func zvcmsCouponStatusResponse(_ *Call, r *ZvcmsReply) (*CouponStatusResult, error) {
	return parsed(r, zvcms.ParseCouponStatusResponse, func(res *zvcms.CouponStatusResult) *CouponStatusResult {
		out := &CouponStatusResult{ZvcmsStatus: statusOf(res.Response), Coupons: make([]CouponState, len(res.Coupons)), Data: res.Response.Data}
		for i, s := range res.Coupons {
			out.Coupons[i] = CouponState{CardID: s.CardID, UseStatus: s.UseStatus.String(), UseStatusName: s.UseStatusName(), CouponID: s.CouponID,
				TemplateID: s.TemplateID, CouponType: s.CouponType.String(), Title: s.Title, BeginAt: s.BeginAt, EndAt: s.EndAt,
				CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, CustomerID: s.CustomerID, Channel: s.Channel, Extra: s.Extra,
				Unknown: zvcms.MembersJSON(s.Unknown)}
		}
		return out
	})
}

// CouponStatusCall is a coupon status query sent by the library.
type CouponStatusCall struct {
	CouponStatusBuild
	SendOptions
}

// zvcmsCouponStatus builds, sends and parses a coupon status query in one
// call (a query: the transport may retry it).
func zvcmsCouponStatus(c *Call, r *CouponStatusCall) (*CouponStatusResult, error) {
	return nil, c.zvcmsSend(zvcmsCouponStatusRequest(c, &r.CouponStatusBuild))(&r.SendOptions, r.Session, "")
}

// OffCouponParams are the Params of coupon.off-coupon (a coupon by the
// redemption code the customer shows, 根据核销码获取券详情).
type OffCouponParams struct {
	Code string `json:"code" ck:"required"` // the redemption code (核销码), e.g. "20191202089026199489" (20 digits: send it as a string)
}

// OffCouponBuild is a lookup by redemption code.
type OffCouponBuild struct {
	ZvcmsAuth
	ZvcmsStamp
	Params OffCouponParams `json:"params" ck:"required,domain=Params"` // the code
}

// zvcmsOffCouponRequest builds a signed coupon.off-coupon request (look a
// coupon up by its redemption code before redeeming it).
func zvcmsOffCouponRequest(c *Call, r *OffCouponBuild) (*ZvcmsRequest, error) {
	return c.built(&r.ZvcmsAuth, &r.ZvcmsStamp, func(cl *zvcms.Client, st zvcms.Stamp) (zvcms.Request, error) {
		return cl.OffCoupon(zvcms.OffCouponParams{Code: r.Params.Code}, st)
	})
}

// CouponRules is the coupon block of a lookup by code (text as sent, "" when
// absent).
type CouponRules struct {
	ID             string  `json:"id"`             // the coupon id (优惠券id)
	Title          string  `json:"title"`          // its name (优惠券名称)
	FaceValue      string  `json:"faceValue"`      // the vendor's amount as printed: yuan (couponType 0) or the rate in 折 ("8.5", couponType 1)
	CouponType     string  `json:"couponType"`     // 0 fixed amount, 1 rate
	MinAmountUse   string  `json:"minAmountUse"`   // the least spend it needs as printed, 0 for none (the page gives no unit; the vendor's other amounts are yuan)
	GoodsRangeType string  `json:"goodsRangeType"` // 0 all goods, 1 listed categories, 2 listed goods, 3 all but the listed goods
	ExpireType     string  `json:"expireType"`     // 0 fixed dates, 1 N days from the day received, 2 N days from the day after
	Desc           string  `json:"desc"`           // how to use it (使用说明)
	ShopRangeType  string  `json:"shopRangeType"`  // 0 all stores, 1 listed stores, 2 all but the listed stores
	Total          string  `json:"total"`          // how many exist, 0 unlimited
	Number         string  `json:"number"`         // how many were received
	Used           string  `json:"used"`           // how many were used
	Unknown        RawJSON `json:"unknown"`        // the members the reply carries beyond these, as sent ({} when none)
}

// OffCouponResult is a parsed lookup by code: the user coupon and its rules.
type OffCouponResult struct {
	ZvcmsStatus
	ID                string      `json:"id"`                // the user coupon id (用户优惠券id), the id verify takes
	UserID            string      `json:"userId"`            // the member (用户id)
	CouponID          string      `json:"couponId"`          // the coupon (优惠券id)
	StartAt           string      `json:"startAt"`           // valid from, as sent (the page says Unix seconds)
	EndAt             string      `json:"endAt"`             // valid until, as sent
	CreatedAt         string      `json:"createdAt"`         // when it was received (领取时间)
	CouponStatus      string      `json:"couponStatus"`      // the vendor's status on this action's own scale: 0 unused, 1 used, 2 locked
	CouponStatusName  string      `json:"couponStatusName"`  // couponStatus in words: unused, used, locked ("" for another value)
	TypeID            string      `json:"typeId"`            // 0 received, 1 spend-and-get (满减/送), 2 given with a member card
	VerifyCode        string      `json:"verifyCode"`        // the redemption code (the request's code), its digits exactly
	VerifyCodeBarcode string      `json:"verifyCodeBarcode"` // the barcode (条形码)
	VerifyCodeQrcode  string      `json:"verifyCodeQrcode"`  // the QR code (二维码)
	VerifierName      string      `json:"verifierName"`      // who verified it (核销人)
	IsLock            string      `json:"isLock"`            // 1 not locked (放), 2 locked (锁)
	Coupon            CouponRules `json:"coupon"`            // the coupon's rules
	Unknown           RawJSON     `json:"unknown"`           // the members the reply carries beyond these, as sent ({} when none)
	Data              RawJSON     `json:"data"`              // the vendor's data (vendor names), every number as a string
}

// zvcmsOffCouponResponse parses a coupon.off-coupon reply.
func zvcmsOffCouponResponse(_ *Call, r *ZvcmsReply) (*OffCouponResult, error) {
	return parsed(r, zvcms.ParseOffCouponResponse, func(res *zvcms.OffCouponResult) *OffCouponResult {
		u, k := &res.UserCoupon, &res.Coupon
		return &OffCouponResult{ZvcmsStatus: statusOf(res.Response), ID: u.ID, UserID: u.UserID, CouponID: u.CouponID, StartAt: u.StartAt,
			EndAt: u.EndAt, CreatedAt: u.CreatedAt, CouponStatus: u.Status.String(), CouponStatusName: u.StatusName(),
			TypeID: u.TypeID.String(), VerifyCode: u.VerifyCode, VerifyCodeBarcode: u.VerifyCodeBarcode, VerifyCodeQrcode: u.VerifyCodeQrcode,
			VerifierName: u.VerifierName, IsLock: u.IsLock.String(),
			Coupon: CouponRules{ID: k.ID, Title: k.Title, FaceValue: k.Amount, CouponType: k.CouponType.String(), MinAmountUse: k.MinAmountUse,
				GoodsRangeType: k.GoodsRangeType.String(), ExpireType: k.ExpireType.String(), Desc: k.Desc, ShopRangeType: k.ShopRangeType.String(),
				Total: k.Total.String(), Number: k.Number.String(), Used: k.Used.String(), Unknown: zvcms.MembersJSON(k.Unknown)},
			Unknown: zvcms.MembersJSON(u.Unknown), Data: res.Response.Data}
	})
}

// OffCouponCall is a lookup by code sent by the library.
type OffCouponCall struct {
	OffCouponBuild
	SendOptions
}

// zvcmsOffCoupon builds, sends and parses a lookup by redemption code in one
// call (a query: the transport may retry it).
func zvcmsOffCoupon(c *Call, r *OffCouponCall) (*OffCouponResult, error) {
	return nil, c.zvcmsSend(zvcmsOffCouponRequest(c, &r.OffCouponBuild))(&r.SendOptions, r.Session, "")
}

// CouponDetailParams are the Params of communal.coupon.coupon-detail.
type CouponDetailParams struct {
	UserCouponCode string `json:"userCouponCode" ck:"required"` // the user coupon id (用户券id, which the vendor's page also calls 券码)
}

// CouponDetailBuild is a coupon detail query.
type CouponDetailBuild struct {
	ZvcmsAuth
	ZvcmsStamp
	Params CouponDetailParams `json:"params" ck:"required,domain=Params"` // the coupon
}

// zvcmsCouponDetailRequest builds a signed communal.coupon.coupon-detail
// request (a user coupon's detail).
func zvcmsCouponDetailRequest(c *Call, r *CouponDetailBuild) (*ZvcmsRequest, error) {
	return c.built(&r.ZvcmsAuth, &r.ZvcmsStamp, func(cl *zvcms.Client, st zvcms.Stamp) (zvcms.Request, error) {
		return cl.CouponDetail(zvcms.CouponDetailParams{UserCouponCode: r.Params.UserCouponCode}, st)
	})
}

// CouponDetailResult is a parsed coupon detail reply (the vendor's names; text
// as sent, "" when absent).
type CouponDetailResult struct {
	ZvcmsStatus
	ID                   string  `json:"id"`                   // the user coupon id (券id, 券码)
	ActivityID           string  `json:"activityId"`           // the activity (活动ID)
	ActivityName         string  `json:"activityName"`         // its name (活动名称)
	ActivityType         string  `json:"activityType"`         // 1 exchange (兑换活动), 2 receive (领取活动)
	ApplySellerID        string  `json:"applySellerId"`        // the store it applies to (适用店铺ID)
	ApplySellerName      string  `json:"applySellerName"`      // its name (适用店铺名称)
	Channel              string  `json:"channel"`              // the brand channel (品牌渠道)
	CreateScene          string  `json:"createScene"`          // how it was created (券生成场景说明)
	CreatedAt            string  `json:"createdAt"`            // created (创建时间)
	CustomerID           string  `json:"customerId"`           // its owner (归属用户ID)
	CustomerName         string  `json:"customerName"`         // the owner's name
	CustomerPhone        string  `json:"customerPhone"`        // the owner's phone
	GainChannel          string  `json:"gainChannel"`          // 1 WeChat mini program, 2 Alipay mini program, 3 H5 page, 4 merchant page, 5 internal API
	GainStoreID          string  `json:"gainStoreId"`          // the store where it was received (领取门店id)
	GainTime             string  `json:"gainTime"`             // when it was received (获取时间)
	GiveState            string  `json:"giveState"`            // 0 not given away, 1 being given (转赠中)
	IsBelongCompanyStaff string  `json:"isBelongCompanyStaff"` // 1: for company staff only
	IsFixedTimeScope     string  `json:"isFixedTimeScope"`     // 1: usable at set times only
	OrderAmount          *Money  `json:"orderAmount"`          // the order amount ("" when the vendor sent none)
	OriginalTemplateID   string  `json:"originalTemplateId"`   // a migrated coupon's old template id
	RetrieveCoupon       string  `json:"retrieveCoupon"`       // why it was recovered (券回收原因)
	RetrieveReason       string  `json:"retrieveReason"`       // the recovery reason (回收原因)
	RetrieveTime         string  `json:"retrieveTime"`         // when it was recovered (回收时间)
	RetrieveUserCode     string  `json:"retrieveUserCode"`     // who recovered it (操作回收账号)
	SellerID             string  `json:"sellerId"`             // the store (店铺ID)
	SellerName           string  `json:"sellerName"`           // its name (店铺名称)
	SellerType           string  `json:"sellerType"`           // the store type (店铺类型)
	Unknown              RawJSON `json:"unknown"`              // the members the reply carries beyond these, as sent ({} when none)
	Data                 RawJSON `json:"data"`                 // the vendor's data (vendor names), every number as a string
}

// zvcmsCouponDetailResponse parses a communal.coupon.coupon-detail reply,
// its yuan amount exact (more than two decimals is RESPONSE_INVALID).
func zvcmsCouponDetailResponse(_ *Call, r *ZvcmsReply) (*CouponDetailResult, error) {
	return parsed(r, zvcms.ParseCouponDetailResponse, func(res *zvcms.CouponDetailResult) *CouponDetailResult {
		d := &res.CouponDetail
		return &CouponDetailResult{ZvcmsStatus: statusOf(res.Response), ID: d.ID, ActivityID: d.ActivityID, ActivityName: d.ActivityName,
			ActivityType: d.ActivityType.String(), ApplySellerID: d.ApplySellerID, ApplySellerName: d.ApplySellerName, Channel: d.Channel,
			CreateScene: d.CreateScene, CreatedAt: d.CreatedAt, CustomerID: d.CustomerID, CustomerName: d.CustomerName,
			CustomerPhone: d.CustomerPhone, GainChannel: d.GainChannel.String(), GainStoreID: d.GainStoreID, GainTime: d.GainTime,
			GiveState: d.GiveState.String(), IsBelongCompanyStaff: d.IsBelongCompanyStaff.String(), IsFixedTimeScope: d.IsFixedTimeScope.String(),
			OrderAmount: d.OrderAmount.Pointer(), OriginalTemplateID: d.OriginalTemplateID, RetrieveCoupon: d.RetrieveCoupon,
			RetrieveReason: d.RetrieveReason, RetrieveTime: d.RetrieveTime, RetrieveUserCode: d.RetrieveUserCode, SellerID: d.SellerID,
			SellerName: d.SellerName, SellerType: d.SellerType.String(), Unknown: zvcms.MembersJSON(d.Unknown), Data: res.Response.Data}
	})
}

// CouponDetailCall is a coupon detail query sent by the library.
type CouponDetailCall struct {
	CouponDetailBuild
	SendOptions
}

// zvcmsCouponDetail builds, sends and parses a coupon detail query in one
// call (a query: the transport may retry it).
func zvcmsCouponDetail(c *Call, r *CouponDetailCall) (*CouponDetailResult, error) {
	return nil, c.zvcmsSend(zvcmsCouponDetailRequest(c, &r.CouponDetailBuild))(&r.SendOptions, r.Session, "")
}

// ConsumeParams are the Params of communal.user.consume (coupons together
// with stored balance and points), with the vendor's names but for the
// amount, given in fen.
type ConsumeParams struct {
	BizID           string   `json:"bizId" ck:"required"`          // your business id; reverse with the bizId of the reply
	Channel         string   `json:"channel"`                      // account name
	CustomerID      ID       `json:"customerId"`                   // member id; required unless type is 1
	GroupID         ID       `json:"groupId"`                      // group (集团) id
	CouponsCardList TextList `json:"couponsCardList"`              // coupon ids, or scanned codes when type is 1; this or a positive amountFen is required
	Type            int      `json:"type"`                         // 1: couponsCardList holds scanned redemption codes
	AmountFen       Fen      `json:"amountFen" ck:"domain=amount"` // the balance (余额) to deduct, whole fen; sent as the vendor's amount, yuan with two decimals ("1250" is sent as "12.50")
	AppType         string   `json:"appType"`                      // the app type (appType类型)
	DeviceSN        string   `json:"deviceSn"`                     // the till, phone or computer identifier
	IP              string   `json:"ip"`                           // the terminal's IP address
	OpType          ID       `json:"opType"`                       // the operation type (操作类型)
	OperatorID      ID       `json:"operatorId"`                   // the operator's id
	OperatorName    string   `json:"operatorName"`                 // the operator's name
	PayPassword     string   `json:"payPassword"`                  // the member's payment password (支付密码): sent in the built body only, never in another reply member, an error or a trace
	ProductName     string   `json:"productName"`                  // the goods' name (商品名称)
	Reason          string   `json:"reason"`                       // why (改变原因)
	Remark          string   `json:"remark"`                       // the ledger remark (流水备注)
	UsePassword     string   `json:"usePassword"`                  // whether the password is used (是否使用密码), as the vendor expects it
	Points          int      `json:"points"`                       // points to deduct (积分); 0 is none
	MultiMark       string   `json:"multiMark"`                    // store code
}

// ConsumeBuild is a consumption request.
type ConsumeBuild struct {
	ZvcmsAuth
	ZvcmsStamp
	Params ConsumeParams `json:"params" ck:"required,domain=Params"` // the consumption
}

// zvcmsConsumeRequest builds a signed communal.user.consume request (redeem
// coupons together with balance and points), checking the params first;
// amountFen is sent as yuan with two decimals.
func zvcmsConsumeRequest(c *Call, r *ConsumeBuild) (*ZvcmsRequest, error) {
	p := &r.Params
	op, err := zvcms.ParseInt("Params.opType", string(p.OpType))
	if err != nil {
		return nil, err
	}
	return c.built(&r.ZvcmsAuth, &r.ZvcmsStamp, func(cl *zvcms.Client, st zvcms.Stamp) (zvcms.Request, error) {
		return cl.Consume(zvcms.ConsumeParams{BizID: p.BizID, Channel: p.Channel, CustomerID: string(p.CustomerID), GroupID: string(p.GroupID),
			CouponsCardList: p.CouponsCardList, Type: p.Type, Amount: zvcms.OptFen(p.AmountFen), AppType: p.AppType, DeviceSN: p.DeviceSN,
			IP: p.IP, OpType: op, OperatorID: string(p.OperatorID), OperatorName: p.OperatorName, PayPassword: p.PayPassword,
			ProductName: p.ProductName, Reason: p.Reason, Remark: p.Remark, UsePassword: p.UsePassword, Points: p.Points,
			MultiMark: p.MultiMark}, st)
	})
}

// ConsumeResult is a parsed consumption reply.
type ConsumeResult struct {
	ZvcmsStatus
	BizID           string   `json:"bizId"`           // the bizId to use for a reversal (冲正): this one, not the one sent
	CouponsCardList []string `json:"couponsCardList"` // the coupons redeemed
	Unknown         RawJSON  `json:"unknown"`         // the members of data beyond these, as sent ({} when none)
	Data            RawJSON  `json:"data"`            // the vendor's data (vendor names), every number as a string
}

// zvcmsConsumeResponse parses a communal.user.consume reply.
func zvcmsConsumeResponse(_ *Call, r *ZvcmsReply) (*ConsumeResult, error) {
	return parsed(r, zvcms.ParseConsumeResponse, func(res *zvcms.ConsumeResult) *ConsumeResult {
		return &ConsumeResult{ZvcmsStatus: statusOf(res.Response), BizID: res.BizID, CouponsCardList: res.CouponsCardList,
			Unknown: zvcms.MembersJSON(res.Unknown), Data: res.Response.Data}
	})
}

// ConsumeCall is a consumption sent by the library.
type ConsumeCall struct {
	ConsumeBuild
	SendOptions
}

// zvcmsConsume builds, sends and parses a consumption in one call. Like a
// verify it is sent once, never retried: after a TRANSPORT_ERROR repeat the
// same call (same bizId).
func zvcmsConsume(c *Call, r *ConsumeCall) (*ConsumeResult, error) {
	return nil, c.zvcmsSend(zvcmsConsumeRequest(c, &r.ConsumeBuild))(&r.SendOptions, r.Session, "")
}

// ReverseParams are the Params of a reversal (冲正) of a verify or a
// consumption, sent under the credentials' reversalAction.
type ReverseParams struct {
	BizID           string    `json:"bizId" ck:"required"` // the bizId the verify's or consume's REPLY returned (its result's bizId), not necessarily the one sent
	CouponsCardList TextList  `json:"couponsCardList"`     // the coupons to return, as the verify listed them (optional)
	Extra           RawObject `json:"extra"`               // further params of the merchant's contract: this object's members are sent after bizId and couponsCardList, byte for byte
}

// ReverseBuild is a reversal request.
type ReverseBuild struct {
	ZvcmsAuth
	ZvcmsStamp
	Params ReverseParams `json:"params" ck:"required,domain=Params"` // the reversal
}

// zvcmsReverseRequest builds a signed reversal (冲正) request under the
// reversalAction of the zvcms credentials (the v2 name is not public: it
// comes from the merchant's contract; without it the call is
// INVALID_ARGUMENT on zvcms.reversalAction).
func zvcmsReverseRequest(c *Call, r *ReverseBuild) (*ZvcmsRequest, error) {
	p := &r.Params
	q, err := c.built(&r.ZvcmsAuth, &r.ZvcmsStamp, func(cl *zvcms.Client, st zvcms.Stamp) (zvcms.Request, error) {
		return cl.Reverse(zvcms.ReverseParams{BizID: p.BizID, CouponsCardList: p.CouponsCardList, Extra: p.Extra}, st)
	})
	var e *errs.Error
	switch {
	case !errors.As(err, &e):
	case e.Field == "ReversalAction":
		return nil, errs.Invalid("zvcms.reversalAction", "no reversal (冲正) action is configured: the zvcms v2 reversal action's name is not public; "+
			"set reversalAction in the zvcms credentials (session.open or inline) to the name in the merchant's contract with the vendor (智迈/企迈)")
	case (e.Field == "Params.bizId" || e.Field == "Params.couponsCardList") && gjson.GetBytes(p.Extra, gjson.Escape(e.Field[7:])).Exists():
		cp := *e // a member of extra that repeats a field
		cp.Field = "Params.extra." + e.Field[7:]
		return nil, &cp
	}
	return q, err
}

// ReverseResult is a parsed reversal reply (its shape is the contract's: the
// members named here when present, every other member in unknown).
type ReverseResult struct {
	ZvcmsStatus
	BizID      string   `json:"bizId"`      // the bizId the reply names, if any
	CardIDList []string `json:"cardIdList"` // the coupons returned, if the reply lists them
	Unknown    RawJSON  `json:"unknown"`    // the members of data beyond these, as sent ({} when none)
	Data       RawJSON  `json:"data"`       // the vendor's data (vendor names), every number as a string
}

// zvcmsReverseResponse parses a reversal reply. The sandbox's errors: 40020
// no verify or consume with this bizId, 40021 reversed already (a repeated
// reversal: the first took effect), 40022 the bizId the verify sent where
// its reply returned another, 40023 other coupons than the verify's.
func zvcmsReverseResponse(_ *Call, r *ZvcmsReply) (*ReverseResult, error) {
	return parsed(r, zvcms.ParseReverseResponse, func(res *zvcms.ReverseResult) *ReverseResult {
		return &ReverseResult{ZvcmsStatus: statusOf(res.Response), BizID: res.BizID, CardIDList: res.CardIDList,
			Unknown: zvcms.MembersJSON(res.Unknown), Data: res.Response.Data}
	})
}

// ReverseCall is a reversal sent by the library.
type ReverseCall struct {
	ReverseBuild
	SendOptions
}

// zvcmsReverse builds, sends and parses a reversal (冲正) in one call. It is
// sent once, never retried: after a TRANSPORT_ERROR ask the coupons' state
// (zvcms.couponStatus: useStatus 0 again means it took effect) before
// repeating it.
func zvcmsReverse(c *Call, r *ReverseCall) (*ReverseResult, error) {
	return nil, c.zvcmsSend(zvcmsReverseRequest(c, &r.ReverseBuild))(&r.SendOptions, r.Session, "zvcms.reverse.response")
}

// ResolveVerifyRequest is the original verification whose outcome is in
// doubt, to resolve.
type ResolveVerifyRequest struct {
	ZvcmsAuth
	Params VerifyCouponsParams `json:"params" ck:"required,domain=Params"` // the original verification: the same bizId and coupons
	SendOptions
}

// ErrorInfo is an error inside a result, with the members of the envelope's
// error.
type ErrorInfo struct {
	Code          string `json:"code"`                    // the error code (TRANSPORT_ERROR, API_ERROR, …)
	Message       string `json:"message"`                 // what happened, for the developer
	Field         string `json:"field,omitempty"`         // the field at fault, when there is one
	VendorStatus  string `json:"vendorStatus,omitempty"`  // the vendor's status, for API_ERROR and SYSTEM_ERROR
	VendorCode    string `json:"vendorCode,omitempty"`    // the vendor's code
	VendorMessage string `json:"vendorMessage,omitempty"` // the vendor's message
	Reason        string `json:"reason,omitempty"`        // how the exchange failed, for TRANSPORT_ERROR
}

// errorInfo is err as an ErrorInfo (nil for nil).
func errorInfo(err error) *ErrorInfo {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		return &ErrorInfo{Code: string(errs.TransportError), Reason: "network", Message: "the exchange did not complete"}
	}
	return &ErrorInfo{Code: string(e.Kind), Message: e.Message, Field: e.Field, VendorStatus: e.VendorStatus,
		VendorCode: e.VendorCode, VendorMessage: e.VendorMessage, Reason: e.Reason}
}

// CouponEvidence is what the state query said about one coupon of the verify.
type CouponEvidence struct {
	Coupon string     `json:"coupon"` // the entry of couponsCardList (an id, or a scanned code when type is 1)
	Action string     `json:"action"` // the query asked: user.coupon-new-status for ids, coupon.off-coupon for scanned codes
	Status string     `json:"status"` // the state on that action's scale (useStatus: 0 unused, 1 verified, 2 frozen, 6 expired, 7 deleted; off-coupon status: 0 unused, 1 used, 2 locked); "" when the query failed
	Error  *ErrorInfo `json:"error"`  // the query's error, or null
}

// ResolveVerifyResult is what became of a verification in doubt, with the
// evidence.
type ResolveVerifyResult struct {
	Outcome  string               `json:"outcome"`  // verified, not_verified or still_unknown (ask again later, with the same params)
	Reason   string               `json:"reason"`   // the rule that decided: repeat_succeeded, repeat_refused, coupon_not_usable, status_unavailable, repeat_failed
	BizID    string               `json:"bizId"`    // verified: the bizId to reverse with (the repeated verify's reply's); "" otherwise
	Repeated bool                 `json:"repeated"` // whether the verify was sent again (same bizId)
	Coupons  []CouponEvidence     `json:"coupons"`  // per coupon of the verify, in order, as far as the queries went
	Verify   *VerifyCouponsResult `json:"verify"`   // verified: the repeated verify's parsed reply; otherwise null
	Error    *ErrorInfo           `json:"error"`    // the error behind not_verified after a refused repeat (the vendor's API_ERROR) or behind still_unknown; otherwise null
}

// zvcmsResolveVerify finds out what became of a verification whose outcome
// is in doubt (TRANSPORT_ERROR, RESPONSE_INVALID, SYSTEM_ERROR), given the
// original params (the same bizId): it asks each coupon's state
// (user.coupon-new-status, or coupon.off-coupon for scanned codes) and, only
// when every coupon is unused or verified, repeats the verify with the same
// bizId, which the vendor answers idempotently. The outcome is verified,
// not_verified or still_unknown, with the evidence (docs/reversal.md). The
// state queries may be retried by the transport, the repeat is sent once,
// and the call as a whole is never repeated by the library; timeoutMs bounds
// each exchange. One call only: without a transport (WebAssembly) it is
// TRANSPORT_ERROR "unavailable", and a page follows docs/reversal.md with
// the .request and .response methods.
func zvcmsResolveVerify(c *Call, r *ResolveVerifyRequest) (*ResolveVerifyResult, error) {
	cl, err := c.zvcms(&r.ZvcmsAuth)
	if err != nil {
		return nil, err
	}
	p := r.Params.core()
	if _, err := cl.VerifyParamsJSON(p); err != nil { // the repeat could not be built
		return nil, err
	}
	if err := r.SendOptions.check(); err != nil {
		return nil, err
	}
	if c.r.opts.Send == nil {
		return nil, errUnavailable()
	}
	var refused error // a request the transport refused before sending: the call's error
	ex := func(_ context.Context, q zvcms.Request) ([]byte, error) {
		body, err := c.post(HTTPRequest{Method: "POST", URL: q.URL, ContentType: q.ContentType, Body: q.Body, Idempotent: q.Idempotent},
			&r.SendOptions, r.Session)
		if errs.KindOf(err) == errs.InvalidArgument && refused == nil {
			refused = err
		}
		return body, err
	}
	res, err := cl.ResolveVerify(context.Background(), p, ex)
	if err == nil {
		err = refused
	}
	if err != nil {
		return nil, err
	}
	out := &ResolveVerifyResult{Outcome: string(res.Outcome), Reason: res.Reason, BizID: res.BizID, Repeated: res.Repeated,
		Coupons: make([]CouponEvidence, len(res.Coupons)), Error: errorInfo(res.Err)}
	for i, ev := range res.Coupons {
		out.Coupons[i] = CouponEvidence{Coupon: ev.Coupon, Action: ev.Action, Status: ev.Status.String(), Error: errorInfo(ev.Err)}
	}
	if res.Verify != nil {
		out.Verify = verifyResultOf(res.Verify)
	}
	return out, nil
}
