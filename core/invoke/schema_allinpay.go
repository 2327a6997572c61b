package invoke

import (
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/internal/wire"
	"github.com/tidwall/gjson"
)

func init() {
	add("allinpay.request", allinpayRequest)
	add("allinpay.couponSend.request", allinpayCouponSendRequest)
	add("allinpay.response", allinpayResponse)
	add("allinpay.couponSend.response", allinpayCouponSendResponse)
	add("allinpay.couponSend", allinpayCouponSend)
	add("allinpay.call", allinpayCall)
	add("allinpay.couponQuery.request", allinpayCouponQueryRequest)
	add("allinpay.couponQuery.response", allinpayCouponQueryResponse)
	add("allinpay.couponQuery", allinpayCouponQuery)
	add("allinpay.couponConsume.request", allinpayCouponConsumeRequest)
	add("allinpay.couponConsume.response", allinpayCouponConsumeResponse)
	add("allinpay.couponConsume", allinpayCouponConsume)
	add("allinpay.diagnose", allinpayDiagnose)
}

// allinpayParsers names, by vendor method, the typed reply parsers that
// allinpay.response and the sending methods hand a reply to.
var allinpayParsers = map[string]string{
	allinpay.MethodCouponSend:      "allinpay.couponSend.response",
	allinpay.MethodCouponQuery:     "allinpay.couponQuery.response",
	allinpay.MethodCouponConsumeV1: "allinpay.couponConsume.response",
}

// AllinpayKeys are an Allinpay application's keys, PEM or Base64 DER.
type AllinpayKeys struct {
	AppID             string  `json:"appId" ck:"required"`                              // the appId issued by Allinpay
	PrivateKey        string  `json:"privateKey"`                                       // the merchant private key that signs requests (PKCS#8, PKCS#1 or SEC1)
	PlatformPublicKey KeyList `json:"platformPublicKey" ck:"domain=platformPublicKeys"` // the platform's public key that verifies replies (not the merchant's own), or a list of them: a reply verifies when any one does (add Allinpay's new key before it rotates)
	SignType          string  `json:"signType"`                                         // RSA2 (default for RSA keys), RSA or SM2
	SignerID          string  `json:"signerId"`                                         // SM2 signer id (default 1234567812345678)
	GatewayURL        string  `json:"gatewayUrl"`                                       // the gateway URL (required to build requests)
	Version           string  `json:"version"`                                          // the API version (default 1.0)
	VerifyMode        string  `json:"verifyMode" ck:"domain=verify"`                    // reply verification: any (default: every variant, the result's verifiedBy names the one that matched), one pinned variant (sdk+md5, sdk+direct, raw+direct, raw+md5), or skip (an explicit opt-out); the old raw and sorted are aliases of raw+direct and sdk+direct
	RequestProfile    string  `json:"requestProfile"`                                   // request signing: rules (default: the vendor's rules page) or sdk (the vendor's Java SDK: empty values kept, Base64(MD5(content)) signed, signType sent as SHA256WithRSA)
}

// KeyList is one key (a JSON string) or several (an array of strings).
type KeyList []string

// DecodeJSON reads a string or an array of strings.
func (l *KeyList) DecodeJSON(v gjson.Result) error {
	if v.Type == gjson.String {
		*l = KeyList{v.Str}
		return nil
	}
	if !v.IsArray() {
		return errs.Invalid("", "must be a key (a string) or a list of keys, got %s", wire.KindName(v))
	}
	var err error
	v.ForEach(func(_, e gjson.Result) bool {
		switch {
		case len(*l) == 16:
			err = errs.New(errs.TooLarge, "", "has more than 16 keys")
		case e.Type != gjson.String:
			err = errs.Invalid("["+strconv.Itoa(len(*l))+"]", "must be a key (a string), got %s", wire.KindName(e))
		}
		*l = append(*l, e.Str)
		return err == nil
	})
	return err
}

// AllinpayAuth gives a method Allinpay keys: a session or inline, one of them.
type AllinpayAuth struct {
	Session  string        `json:"session"`  // a session opened with Allinpay keys
	Allinpay *AllinpayKeys `json:"allinpay"` // the keys inline, instead of a session
}

// AllinpayBuild is a request for any method.
type AllinpayBuild struct {
	AllinpayAuth
	Timestamp AllinpayTime `json:"timestamp"`                     // "yyyy-MM-dd HH:mm:ss" (China time) or Unix seconds (default: the clock)
	Method    string       `json:"method" ck:"required"`          // the vendor's method ("allinpay.shopoint.couponService.couponQuery")
	Version   string       `json:"version"`                       // the API version (default: the keys')
	Params    RawObject    `json:"params" ck:"domain=bizContent"` // the bizContent object, sent byte for byte (default {})
}

// AllinpayRequest is a signed Allinpay request: POST body to url with contentType.
type AllinpayRequest struct {
	URL          string      `json:"url"`          // where to POST (the gateway)
	ContentType  string      `json:"contentType"`  // the Content-Type header (form, UTF-8)
	Body         Bytes       `json:"body"`         // the exact form body to send
	Params       []FormParam `json:"params"`       // every form parameter, in the order sent
	SignedFields []string    `json:"signedFields"` // the names of the signed parameters, in order
	SignContent  string      `json:"signContent"`  // the sign content: the signed parameters joined (compare it when the gateway says 验签失败; a couponConsume passwd shows as [redacted])
	SignedText   string      `json:"signedText"`   // what the signature is computed over: signContent (rules profile) or Base64(MD5(signContent)) (sdk profile)
	Profile      string      `json:"profile"`      // the request profile that signed it: rules or sdk
	Sign         string      `json:"sign"`         // the Base64 signature
}

// FormParam is one form parameter.
type FormParam struct {
	Key   string `json:"key"`   // its name
	Value string `json:"value"` // its value
}

// signed signs with the keys of a and returns the client and the request.
func (c *Call) signed(a *AllinpayAuth, build func(*allinpay.Client) (allinpay.Request, error)) (*allinpay.Client, *AllinpayRequest, error) {
	cl, err := c.allinpay(a)
	if err != nil {
		return nil, nil, err
	}
	q, err := build(cl)
	if err != nil {
		return nil, nil, err
	}
	out := &AllinpayRequest{URL: q.URL, ContentType: q.ContentType, Body: q.Body, SignedFields: q.SignedFields,
		SignContent: q.SignContent, SignedText: q.SignedText, Profile: string(q.Profile), Sign: q.Sign, Params: make([]FormParam, len(q.Params))}
	for i, p := range q.Params {
		out.Params[i] = FormParam(p)
	}
	return cl, out, nil
}

// allinpayRequest builds a signed request for any method, its params (the
// bizContent) sent byte for byte.
func allinpayRequest(c *Call, r *AllinpayBuild) (*AllinpayRequest, error) {
	_, q, err := c.signed(&r.AllinpayAuth, func(cl *allinpay.Client) (allinpay.Request, error) {
		if r.Params == nil {
			r.Params = RawObject("{}")
		}
		return cl.Build(r.Method, r.Version, r.Params, time.Time(r.Timestamp))
	})
	return q, err
}

// CouponSendParams are the bizContent of couponSend (seed 002), with the
// vendor's names; every value is text.
type CouponSendParams struct {
	ShopID           ID        `json:"shopId"`           // shop id (this or shopCode)
	ShopCode         string    `json:"shopCode"`         // shop code
	OperUserID       string    `json:"operUserId"`       // cashier login name (required)
	CouponType       ID        `json:"couponType"`       // 1 electronic, 2 paper (required)
	Num              ID        `json:"num"`              // how many coupons (required, positive)
	CouponTemplateID ID        `json:"couponTemplateId"` // coupon template id (required)
	IDType           ID        `json:"idType"`           // member id type: 1 phone, 2 card, 3 openid, 5 external
	MemberID         string    `json:"memberId"`         // member id (required with idType)
	OrderID          string    `json:"orderId"`          // your order id (required)
	SourceType       ID        `json:"sourceType"`       // source type
	SourceValue      string    `json:"sourceValue"`      // source value
	Remark           string    `json:"remark"`           // remark
	ExtendInfo       RawObject `json:"extendInfo"`       // custom extension object, e.g. {"buyerType":"个人"}
	BuyerMobile      string    `json:"buyerMobile"`      // buyer's mobile (some coupon kinds)
}

// CouponSendBuild is a couponSend request.
type CouponSendBuild struct {
	AllinpayAuth
	Timestamp AllinpayTime     `json:"timestamp"`                              // "yyyy-MM-dd HH:mm:ss" (China time) or Unix seconds (default: the clock)
	Params    CouponSendParams `json:"params" ck:"required,domain=bizContent"` // the coupons to issue
}

// allinpayCouponSendRequest builds a signed
// allinpay.shopoint.couponService.couponSend request (issue coupons),
// checking the params first.
func allinpayCouponSendRequest(c *Call, r *CouponSendBuild) (*AllinpayRequest, error) {
	p := &r.Params
	_, q, err := c.signed(&r.AllinpayAuth, func(cl *allinpay.Client) (allinpay.Request, error) {
		sp := allinpay.CouponSendParams{ShopID: string(p.ShopID), ShopCode: p.ShopCode, OperUserID: p.OperUserID,
			CouponType: string(p.CouponType), Num: string(p.Num), CouponTemplateID: string(p.CouponTemplateID), IDType: string(p.IDType),
			MemberID: p.MemberID, OrderID: p.OrderID, SourceType: string(p.SourceType), SourceValue: p.SourceValue, Remark: p.Remark,
			ExtendInfo: []byte(p.ExtendInfo), BuyerMobile: p.BuyerMobile}
		// Validate names members inside the bizContent object.
		if err := sp.Validate(); err != nil {
			return allinpay.Request{}, errs.Prefix("bizContent", err)
		}
		return cl.CouponSend(sp, time.Time(r.Timestamp))
	})
	return q, err
}

// AllinpayReply is an Allinpay reply body to verify and parse.
type AllinpayReply struct {
	AllinpayAuth
	Body string `json:"body" ck:"required"` // the reply body, as received
}

// AllinpayResponseRequest is a reply body and, optionally, the method it answers.
type AllinpayResponseRequest struct {
	AllinpayReply
	Method string `json:"method"` // the vendor method (or its last part, "couponSend", "couponQuery", "couponConsumeV1" or "couponConsume"); one with a typed parser (couponSend, couponQuery, couponConsumeV1) gives that parser's result
}

// AllinpayResult is a verified reply of any method.
type AllinpayResult struct {
	Code string `json:"code"` // the vendor's code ("0")
	Verification
	Message string  `json:"message"` // the vendor's msg
	Data    RawJSON `json:"data"`    // the vendor's data (vendor names), every number as a string
	ReqSeq  string  `json:"reqSeq"`  // request sequence
	RespSeq string  `json:"respSeq"` // response sequence
}

// allinpayResponse verifies (with the platform public key) and parses any
// Allinpay reply or, for a method with a typed parser (couponSend,
// couponQuery, couponConsumeV1), gives
// that parser's result. A vendor failure is API_ERROR with the vendor's code
// and msg; a bad signature SIGNATURE_INVALID.
func allinpayResponse(c *Call, r *AllinpayResponseRequest) (*AllinpayResult, error) {
	method := r.Method
	if method == "couponConsume" {
		method = allinpay.MethodCouponConsumeV1 // the surface's name
	}
	for vendor, m := range allinpayParsers {
		if method != "" && (method == vendor || strings.HasSuffix(vendor, "."+method)) {
			return nil, c.Delegate(m, &r.AllinpayReply)
		}
	}
	cl, err := c.allinpay(&r.AllinpayAuth)
	if err != nil {
		return nil, err
	}
	res, err := cl.ParseResponse([]byte(r.Body))
	if err != nil {
		return nil, err
	}
	return &AllinpayResult{Code: res.Code, Verification: verification(res.Verification), Message: res.Msg, Data: []byte(res.Data), ReqSeq: res.ReqSeq, RespSeq: res.RespSeq}, nil
}

// CouponSendResult is a verified, parsed couponSend reply.
type CouponSendResult struct {
	Code string `json:"code"` // "0"
	Verification
	TranNo       string       `json:"tranNo"`       // transaction number
	ShopName     *string      `json:"shopName"`     // shop name (null when the vendor sent null)
	TranDateTime string       `json:"tranDateTime"` // transaction time, yyyy-MM-dd HH:mm:ss (China time)
	Instruction  string       `json:"instruction"`  // usage notes
	List         []SentCoupon `json:"list"`         // the coupons issued
	ReqSeq       string       `json:"reqSeq"`       // request sequence
	RespSeq      string       `json:"respSeq"`      // response sequence
}

// SentCoupon is one issued coupon.
type SentCoupon struct {
	TemplateID    string  `json:"templateId"`    // template id
	CouponName    string  `json:"couponName"`    // coupon name
	CouponNo      *string `json:"couponNo"`      // coupon number (null when none)
	QRCodeContext *string `json:"qrCodeContext"` // QR code content (null when none)
}

// allinpayCouponSendResponse verifies and parses a couponSend reply.
func allinpayCouponSendResponse(c *Call, r *AllinpayReply) (*CouponSendResult, error) {
	cl, err := c.allinpay(&r.AllinpayAuth)
	if err != nil {
		return nil, err
	}
	res, err := cl.ParseCouponSendResponse([]byte(r.Body))
	if err != nil {
		return nil, err
	}
	out := &CouponSendResult{Code: "0", Verification: verification(res.Verification), TranNo: res.TranNo, ShopName: res.ShopName,
		TranDateTime: res.TranDateTime, Instruction: res.Instruction, ReqSeq: res.ReqSeq, RespSeq: res.RespSeq, List: make([]SentCoupon, len(res.List))}
	for i, it := range res.List {
		out.List[i] = SentCoupon{strconv.FormatInt(it.TemplateID, 10), it.CouponName, it.CouponNo, it.QRCodeContext}
	}
	return out, nil
}

// CouponSendCall is a couponSend request sent by the library.
type CouponSendCall struct {
	CouponSendBuild
	SendOptions
}

// allinpayCouponSend builds, sends, verifies and parses a couponSend in one
// call. It is sent once, never retried (a retry could issue twice): after a
// TRANSPORT_ERROR repeat the same call (same orderId).
func allinpayCouponSend(c *Call, r *CouponSendCall) (*CouponSendResult, error) {
	q, err := allinpayCouponSendRequest(c, &r.CouponSendBuild)
	return nil, c.allinpaySend(q, err, &r.SendOptions, &r.AllinpayAuth, allinpay.MethodCouponSend, false)
}

// AllinpayCallRequest is a request for any method sent by the library.
type AllinpayCallRequest struct {
	AllinpayBuild
	SendOptions
	Idempotent bool `json:"idempotent"` // the method is a query that may be retried
}

// allinpayCall builds, sends, verifies and parses a request for any method
// in one call; the result is that of allinpay.response for the method.
func allinpayCall(c *Call, r *AllinpayCallRequest) (*AllinpayResult, error) {
	q, err := allinpayRequest(c, &r.AllinpayBuild)
	return nil, c.allinpaySend(q, err, &r.SendOptions, &r.AllinpayAuth, r.Method, r.Idempotent)
}

// allinpaySend sends a built request; its reply goes to allinpay.response
// for method.
func (c *Call) allinpaySend(q *AllinpayRequest, err error, o *SendOptions, a *AllinpayAuth, method string, idempotent bool) error {
	if err != nil {
		return err
	}
	return c.exchange(HTTPRequest{Method: "POST", URL: q.URL, ContentType: q.ContentType, Body: []byte(q.Body), Idempotent: idempotent},
		o, a.Session, "allinpay.response", func(body string) interface{} { return &AllinpayResponseRequest{AllinpayReply{*a, body}, method} })
}

// Verification says how a reply's signature was checked.
type Verification struct {
	Verified       bool   `json:"verified"`       // whether the signature was verified (false only with verifyMode skip)
	VerifiedBy     string `json:"verifiedBy"`     // the variant that verified it (sdk+md5, sdk+direct, raw+direct or raw+md5; "" when not verified): pin it with verifyMode
	KeyFingerprint string `json:"keyFingerprint"` // the SPKI SHA-256 fingerprint (hex) of the platform key that verified it ("" when not verified)
}

func verification(v allinpay.Verification) Verification {
	return Verification{v.Verified, string(v.VerifiedBy), v.KeyFingerprint}
}

// AllinpayTime is an Allinpay timestamp: "yyyy-MM-dd HH:mm:ss" in China
// time, or Unix seconds; the zero time is "now" (the registry's clock).
type AllinpayTime time.Time

// SetText parses either form.
func (t *AllinpayTime) SetText(s string) error {
	if jsontext.IsDigits(s) {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < 1<<40 {
			*t = AllinpayTime(time.Unix(n, 0))
			return nil
		}
	} else if v, err := time.ParseInLocation(allinpay.TimestampLayout, s, allinpay.ChinaZone); err == nil {
		*t = AllinpayTime(v)
		return nil
	}
	return errs.Invalid("", "timestamp %q must be \"yyyy-MM-dd HH:mm:ss\" (China time) or Unix seconds", clip(s))
}
