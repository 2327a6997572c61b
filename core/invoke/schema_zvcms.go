package invoke

import (
	"github.com/couponkit/couponkit/core/zvcms"
)

func init() {
	add("zvcms.token", zvcmsToken)
	add("zvcms.request", zvcmsRequest)
	add("zvcms.verifyCoupons.request", zvcmsVerifyCouponsRequest)
	add("zvcms.couponDiscount.request", zvcmsCouponDiscountRequest)
	add("zvcms.response", zvcmsResponse)
	add("zvcms.verifyCoupons.response", zvcmsVerifyCouponsResponse)
	add("zvcms.couponDiscount.response", zvcmsCouponDiscountResponse)
	add("zvcms.verifyCoupons", zvcmsVerifyCoupons)
	add("zvcms.couponDiscount", zvcmsCouponDiscount)
	add("zvcms.call", zvcmsCall)
}

// zvcmsParsers names, by action, the typed reply parsers that
// zvcms.response and the sending methods hand a reply to.
var zvcmsParsers = map[string]string{
	zvcms.ActionVerifyCoupons:  "zvcms.verifyCoupons.response",
	zvcms.ActionCouponDiscount: "zvcms.couponDiscount.response",
}

// ZvcmsCredentials are what zvcms issues to an application.
type ZvcmsCredentials struct {
	OpenID          string `json:"openId" ck:"required,domain=OpenId"`       // the OpenId (密钥Id)
	GrantCode       string `json:"grantCode" ck:"required,domain=GrantCode"` // the GrantCode (授权code)
	OpenKey         string `json:"openKey"`                                  // the secret keying the Token (required; never sent, never in a reply or error)
	BaseURL         string `json:"baseUrl"`                                  // the endpoint (default http://openapi.zvcms.com/api/v2)
	TokenKeyStyle   string `json:"tokenKeyStyle"`                            // how the signed names are spelt: lowerCamel (default) or capitalized
	CouponListStyle string `json:"couponListStyle"`                          // couponsCardList as a JSON array (array, default) or the seed's "[id,id]" (string)
}

// ZvcmsAuth gives a method zvcms credentials: a session or inline, one of them.
type ZvcmsAuth struct {
	Session string            `json:"session"` // a session opened with zvcms credentials
	Zvcms   *ZvcmsCredentials `json:"zvcms"`   // the credentials inline, instead of a session
}

// ZvcmsStamp fixes a request's stamp, for reproducible requests.
type ZvcmsStamp struct {
	Timestamp ID `json:"timestamp" ck:"domain=Timestamp"` // Unix seconds (default: the clock)
	Nonce     ID `json:"nonce" ck:"domain=Nonce"`         // a positive integer (default: a random six-digit one)
}

func (s *ZvcmsStamp) stamp() zvcms.Stamp {
	return zvcms.Stamp{Timestamp: string(s.Timestamp), Nonce: string(s.Nonce)}
}

// ZvcmsTokenRequest asks for a Token alone.
type ZvcmsTokenRequest struct {
	ZvcmsAuth
	ZvcmsStamp
}

// ZvcmsTokenResult is a Token and what it signs.
type ZvcmsTokenResult struct {
	Token       string `json:"token"`       // the URL-encoded Base64 HMAC-SHA1, as sent in the body
	Timestamp   string `json:"timestamp"`   // the timestamp used
	Nonce       string `json:"nonce"`       // the nonce used
	SignContent string `json:"signContent"` // exactly what was signed ("grantCode=…&nonce=…&openId=…&timestamp=…")
}

// zvcmsToken computes the zvcms Token alone (for callers that build the
// body themselves).
func zvcmsToken(c *Call, r *ZvcmsTokenRequest) (*ZvcmsTokenResult, error) {
	cl, err := c.zvcms(&r.ZvcmsAuth)
	if err != nil {
		return nil, err
	}
	st, err := cl.NewStamp(r.stamp())
	if err != nil {
		return nil, err
	}
	cr, ts, n, ks := cl.Credentials, st.Timestamp, st.Nonce, cl.KeyStyle
	return &ZvcmsTokenResult{Token: zvcms.Token(cr, ts, n, ks), Timestamp: ts, Nonce: n, SignContent: zvcms.SignContent(cr, ts, n, ks)}, nil
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
}

// built signs with the credentials of a and returns the request.
func (c *Call) built(a *ZvcmsAuth, build func(*zvcms.Client) (zvcms.Request, error)) (*ZvcmsRequest, error) {
	cl, err := c.zvcms(a)
	if err != nil {
		return nil, err
	}
	q, err := build(cl)
	if err != nil {
		return nil, err
	}
	return &ZvcmsRequest{URL: q.URL, ContentType: q.ContentType, Body: q.Body, Token: q.Token, Timestamp: q.Timestamp, Nonce: q.Nonce, Action: q.Action}, nil
}

// zvcmsRequest builds a signed request for any action, its params sent
// byte for byte.
func zvcmsRequest(c *Call, r *ZvcmsBuild) (*ZvcmsRequest, error) {
	return c.built(&r.ZvcmsAuth, func(cl *zvcms.Client) (zvcms.Request, error) { return cl.Build(r.Action, r.Params, r.stamp()) })
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
	p := &r.Params
	return c.built(&r.ZvcmsAuth, func(cl *zvcms.Client) (zvcms.Request, error) {
		return cl.VerifyCoupons(zvcms.VerifyParams{BizID: p.BizID, Channel: p.Channel, CustomerID: string(p.CustomerID),
			GroupID: string(p.GroupID), CouponsCardList: p.CouponsCardList, Type: p.Type, Ext: zvcms.Ext(p.Ext),
			UseCount: p.UseCount, TradeMarks: p.TradeMarks, Amount: zvcms.OptFen(p.Amount), OrderAmount: zvcms.OptFen(p.OrderAmount)}, r.stamp())
	})
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
	Price     Decimal `json:"price"`      // price, yuan ("12.50")
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
	return c.built(&r.ZvcmsAuth, func(cl *zvcms.Client) (zvcms.Request, error) { return cl.CouponDiscount(dp, r.stamp()) })
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
	res, err := zvcms.ParseVerifyResponse([]byte(r.Body))
	if err != nil {
		return nil, err
	}
	return &VerifyCouponsResult{ZvcmsStatus: statusOf(res.Response), BizID: res.BizID, CardIDList: res.CardIDList,
		UserInfo: UserInfo(res.UserInfo), Data: res.Response.Data}, nil
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

func optMoney(f zvcms.OptFen) *Money {
	if !f.Valid {
		return nil
	}
	return &f.Fen
}

// zvcmsCouponDiscountResponse parses a user.user-by-coupon reply, its yuan
// amounts exact (more than two decimals is RESPONSE_INVALID).
func zvcmsCouponDiscountResponse(_ *Call, r *ZvcmsReply) (*CouponDiscountResult, error) {
	res, err := zvcms.ParseDiscountResponse([]byte(r.Body))
	if err != nil {
		return nil, err
	}
	out := &CouponDiscountResult{ZvcmsStatus: statusOf(res.Response), TypeCate: res.TypeCate.String(), MultiMark: res.MultiMark,
		CouponDiscount: optMoney(res.CouponDiscount), UserCouponName: res.UserCouponName, UserCouponID: res.UserCouponID,
		FinancePayment: optMoney(res.FinancePayment), UserInfo: UserInfo(res.UserInfo), FaceValue: res.Amount,
		CouponType: res.CouponType.String(), GoodsItems: make([]GoodsShare, len(res.GoodsItems)), Data: res.Response.Data}
	for i, g := range res.GoodsItems {
		out.GoodsItems[i] = GoodsShare{TradeMark: g.TradeMark, CouponMinus: optMoney(g.CouponMinus)}
	}
	return out, nil
}

// VerifyCouponsCall is a verify request sent by the library.
type VerifyCouponsCall struct {
	VerifyCouponsBuild
	SendOptions
}

// zvcmsVerifyCoupons builds, sends and parses a verification in one call.
// It is sent once, never retried (a retry could redeem twice): after a
// TRANSPORT_ERROR its outcome is unknown, so repeat the same call (same
// bizId), which the vendor answers with the original result.
func zvcmsVerifyCoupons(c *Call, r *VerifyCouponsCall) (*VerifyCouponsResult, error) {
	return nil, c.zvcmsSend(zvcmsVerifyCouponsRequest(c, &r.VerifyCouponsBuild))(&r.SendOptions, r.Session, false)
}

// CouponDiscountCall is a discount request sent by the library.
type CouponDiscountCall struct {
	CouponDiscountBuild
	SendOptions
}

// zvcmsCouponDiscount builds, sends and parses a discount query in one call
// (a query: the transport may retry it).
func zvcmsCouponDiscount(c *Call, r *CouponDiscountCall) (*CouponDiscountResult, error) {
	return nil, c.zvcmsSend(zvcmsCouponDiscountRequest(c, &r.CouponDiscountBuild))(&r.SendOptions, r.Session, true)
}

// ZvcmsCallRequest is a request for any action sent by the library.
type ZvcmsCallRequest struct {
	ZvcmsBuild
	SendOptions
	Idempotent bool `json:"idempotent"` // the action is a query that may be retried
}

// zvcmsCall builds, sends and parses a request for any action in one call;
// the result is that of zvcms.response for the action.
func zvcmsCall(c *Call, r *ZvcmsCallRequest) (*ZvcmsResult, error) {
	return nil, c.zvcmsSend(zvcmsRequest(c, &r.ZvcmsBuild))(&r.SendOptions, r.Session, r.Idempotent)
}

// zvcmsSend returns the sending of a built request, whose reply goes to
// zvcms.response for its action.
func (c *Call) zvcmsSend(q *ZvcmsRequest, err error) func(o *SendOptions, session string, idempotent bool) error {
	return func(o *SendOptions, session string, idempotent bool) error {
		if err != nil {
			return err
		}
		return c.exchange(HTTPRequest{Method: "POST", URL: q.URL, ContentType: q.ContentType, Body: []byte(q.Body), Idempotent: idempotent},
			o, session, "zvcms.response", func(body string) interface{} { return &ZvcmsResponseRequest{ZvcmsReply{body}, q.Action} })
	}
}
