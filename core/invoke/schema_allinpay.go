//go:build !couponkit_zvcms

package invoke

import (
	"strconv"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/errs"
)

func init() {
	add("allinpay.request", allinpayRequest)
	add("allinpay.couponSend.request", allinpayCouponSendRequest)
	add("allinpay.response", allinpayResponse)
	add("allinpay.couponSend.response", allinpayCouponSendResponse)
	add("allinpay.couponSend", allinpayCouponSend)
	add("allinpay.call", allinpayCall)
	add("allinpay.sign", allinpaySign)
	add("allinpay.attachSign", allinpayAttachSign)
	add("allinpay.couponQuery.request", allinpayCouponQueryRequest)
	add("allinpay.couponQuery.response", allinpayCouponQueryResponse)
	add("allinpay.couponQuery", allinpayCouponQuery)
	add("allinpay.couponConsume.request", allinpayCouponConsumeRequest)
	add("allinpay.couponConsume.response", allinpayCouponConsumeResponse)
	add("allinpay.couponConsume", allinpayCouponConsume)
	add("allinpay.diagnose", allinpayDiagnose)
	add("allinpay.keyInfo", allinpayKeyInfo)
}

// apClient is what a session holds for Allinpay keys.
type apClient = allinpay.Client

// allinpayParsers names, by vendor method, the typed reply parsers that
// allinpay.response and the sending methods hand a reply to.
var allinpayParsers = map[string]string{
	allinpay.MethodCouponSend:      "allinpay.couponSend.response",
	allinpay.MethodCouponQuery:     "allinpay.couponQuery.response",
	allinpay.MethodCouponConsumeV1: "allinpay.couponConsume.response",
}

// AllinpayBuild is a request for any method.
type AllinpayBuild struct {
	AllinpayAuth
	Timestamp AllinpayTime `json:"timestamp"`                     // "yyyy-MM-dd HH:mm:ss" (China time) or Unix seconds (default: the clock)
	Method    string       `json:"method" ck:"required"`          // the vendor's method ("allinpay.shopoint.couponService.couponQuery")
	Version   string       `json:"version"`                       // the API version (default: the keys')
	Params    RawObject    `json:"params" ck:"domain=bizContent"` // the bizContent object, sent byte for byte (default {})
	AllinpaySignature
}

// AllinpaySignature is a signature made elsewhere, for keyless keys.
type AllinpaySignature struct {
	Sign string `json:"sign"` // keyless keys only: the signature the back office made over this request's signContent (allinpay.sign); the request comes back complete, as allinpay.attachSign makes it (give the same timestamp as the unsigned one)
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
	Unsigned     bool        `json:"unsigned"`     // true from keyless keys without a sign: body and sign are empty; have signContent signed by the back office (allinpay.sign), then allinpay.attachSign
}

// FormParam is one form parameter.
type FormParam struct {
	Key   string `json:"key"`   // its name
	Value string `json:"value"` // its value
}

// signed signs with the keys of a the request build makes, completed with
// the signature sig of a keyless one; redact shows a passwd as [redacted]
// outside the body of a signed request.
func (c *Call) signed(a *AllinpayAuth, sig *AllinpaySignature, redact bool, build func(*allinpay.Client) (allinpay.Request, error)) (*AllinpayRequest, error) {
	cl, err := c.allinpay(a)
	if err != nil {
		return nil, err
	}
	q, err := build(cl)
	if err == nil {
		q, err = cl.Complete(q, sig.Sign)
	}
	if err != nil {
		return nil, err
	}
	unsigned := cl.Keyless() && q.Sign == ""
	if redact && !unsigned {
		q = q.Redacted()
	}
	return surfaceRequest(q, unsigned), nil
}

// bizBuilt is signed for a typed method: its bizContent params p are
// checked first (errors name them inside bizContent).
func (c *Call) bizBuilt(a *AllinpayAuth, sig *AllinpaySignature, redact bool, p interface{ Validate() error }, build func(*allinpay.Client) (allinpay.Request, error)) (*AllinpayRequest, error) {
	return c.signed(a, sig, redact, func(cl *allinpay.Client) (allinpay.Request, error) {
		if err := p.Validate(); err != nil {
			return allinpay.Request{}, errs.Prefix("bizContent", err)
		}
		return build(cl)
	})
}

// surfaceRequest is the surface's form of a built request.
func surfaceRequest(q allinpay.Request, unsigned bool) *AllinpayRequest {
	out := &AllinpayRequest{URL: q.URL, ContentType: q.ContentType, Body: q.Body, SignedFields: q.SignedFields,
		SignContent: q.SignContent, SignedText: q.SignedText, Profile: string(q.Profile), Sign: q.Sign, Params: make([]FormParam, len(q.Params)),
		Unsigned: unsigned}
	for i, p := range q.Params {
		out.Params[i] = FormParam(p)
	}
	return out
}

// formParams is the core's form of a request's params.
func formParams(ps []FormParam) []allinpay.Param {
	params := make([]allinpay.Param, len(ps))
	for i, p := range ps {
		params[i] = allinpay.Param(p)
	}
	return params
}

// AllinpaySignRequest is an unsigned request for the back office to sign:
// its params (preferred: a structure to check) or its signContent.
type AllinpaySignRequest struct {
	AllinpayAuth
	Params      []FormParam `json:"params"`      // the params of the unsigned request (from keyless keys), as returned: their appId and signType must be these keys'; the sign content is computed from them
	SignContent string      `json:"signContent"` // instead of params: the signContent of the unsigned request, exactly as returned (its values are raw, so it cannot be split back unambiguously: prefer params)
}

// AllinpaySignResult is the signature of a sign content.
type AllinpaySignResult struct {
	Sign        string `json:"sign"`        // the Base64 signature, for allinpay.attachSign (or the sign member of the .request method)
	SignType    string `json:"signType"`    // the sign type it was made with (RSA2, RSA or SM2)
	SignContent string `json:"signContent"` // what was signed
}

// allinpaySign is the back office's half of keyless mode for Allinpay: it
// signs an unsigned request (built by a page with keyless keys), given as
// its params or its signContent, with the merchant private key. Whatever it
// signs can be sent to the gateway: the back office checks the request (the
// method and bizContent of its params) before calling it (docs/keyless.md).
func allinpaySign(c *Call, r *AllinpaySignRequest) (*AllinpaySignResult, error) {
	cl, err := c.allinpay(&r.AllinpayAuth)
	if err != nil {
		return nil, err
	}
	var sign, content string
	switch {
	case r.Params != nil && r.SignContent != "":
		return nil, errs.Invalid("params", "give params or signContent, not both")
	case r.Params != nil:
		sign, content, err = cl.SignParams(formParams(r.Params))
	case r.SignContent == "":
		return nil, errs.Invalid("signContent", "give the unsigned request's params (or its signContent)")
	default:
		content = r.SignContent
		sign, err = cl.SignContent(content)
	}
	if errs.KindOf(err) == errs.KeyError {
		return nil, errs.Prefix("allinpay", err) // "allinpay.privateKey"
	}
	if err != nil {
		return nil, err
	}
	return &AllinpaySignResult{Sign: sign, SignType: string(cl.Config().SignType), SignContent: content}, nil
}

// AttachSignRequest is an unsigned request and its signature.
type AttachSignRequest struct {
	AllinpayAuth
	Params []FormParam `json:"params" ck:"required"` // the params of the unsigned request, as returned
	AllinpaySignature
}

// allinpayAttachSign completes an unsigned request (from keyless keys) with
// the signature the back office made over its signContent (allinpay.sign):
// the result is the request to send, its body byte for byte what keys with
// the private key build (a couponConsume passwd shows as [redacted] outside
// the body, as there). The signature is not checked here (that needs the
// merchant's key); the gateway checks it.
func allinpayAttachSign(c *Call, r *AttachSignRequest) (*AllinpayRequest, error) {
	cl, err := c.allinpay(&r.AllinpayAuth)
	if err != nil {
		return nil, err
	}
	if !cl.Keyless() {
		return nil, errs.Invalid("sign", "allinpay.attachSign is for keyless keys (no privateKey): these keys sign the request themselves")
	}
	if r.Sign == "" {
		return nil, errs.Invalid("sign", "sign is required: the signature the back office made over signContent (allinpay.sign)")
	}
	q, err := cl.Attach(formParams(r.Params), r.Sign)
	if err != nil {
		return nil, err
	}
	// As a signed request shows it: a couponConsume passwd only in the body.
	return surfaceRequest(q.Redacted(), false), nil
}

// allinpayRequest builds a signed request for any method, its params (the
// bizContent) sent byte for byte.
func allinpayRequest(c *Call, r *AllinpayBuild) (*AllinpayRequest, error) {
	return c.signed(&r.AllinpayAuth, &r.AllinpaySignature, false, func(cl *allinpay.Client) (allinpay.Request, error) {
		if r.Params == nil {
			r.Params = RawObject("{}")
		}
		return cl.Build(r.Method, r.Version, r.Params, time.Time(r.Timestamp))
	})
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
	AllinpaySignature
}

// allinpayCouponSendRequest builds a signed
// allinpay.shopoint.couponService.couponSend request (issue coupons),
// checking the params first.
func allinpayCouponSendRequest(c *Call, r *CouponSendBuild) (*AllinpayRequest, error) {
	p := &r.Params
	sp := allinpay.CouponSendParams{ShopID: string(p.ShopID), ShopCode: p.ShopCode, OperUserID: p.OperUserID,
		CouponType: string(p.CouponType), Num: string(p.Num), CouponTemplateID: string(p.CouponTemplateID), IDType: string(p.IDType),
		MemberID: p.MemberID, OrderID: p.OrderID, SourceType: string(p.SourceType), SourceValue: p.SourceValue, Remark: p.Remark,
		ExtendInfo: []byte(p.ExtendInfo), BuyerMobile: p.BuyerMobile}
	return c.bizBuilt(&r.AllinpayAuth, &r.AllinpaySignature, false, &sp, func(cl *allinpay.Client) (allinpay.Request, error) {
		return cl.CouponSend(sp, time.Time(r.Timestamp))
	})
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
	if m := allinpayParsers[allinpay.TypedMethod(r.Method)]; m != "" {
		return nil, c.Delegate(m, &r.AllinpayReply)
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
	return verified(c, r, (*allinpay.Client).ParseCouponSendResponse, func(res *allinpay.CouponSendResult) *CouponSendResult {
		out := &CouponSendResult{Code: "0", Verification: verification(res.Verification), TranNo: res.TranNo, ShopName: res.ShopName,
			TranDateTime: res.TranDateTime, Instruction: res.Instruction, ReqSeq: res.ReqSeq, RespSeq: res.RespSeq, List: make([]SentCoupon, len(res.List))}
		for i, it := range res.List {
			out.List[i] = SentCoupon{strconv.FormatInt(it.TemplateID, 10), it.CouponName, it.CouponNo, it.QRCodeContext}
		}
		return out
	})
}

// verified verifies and parses the reply r with the keys it names (parse,
// a typed parser of the client) and gives its result (out).
func verified[R, T any](c *Call, r *AllinpayReply, parse func(*allinpay.Client, []byte) (R, error), out func(R) *T) (*T, error) {
	cl, err := c.allinpay(&r.AllinpayAuth)
	if err != nil {
		return nil, err
	}
	res, err := parse(cl, []byte(r.Body))
	if err != nil {
		return nil, err
	}
	return out(res), nil
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
	v, err := allinpay.ParseTimestamp("", s)
	if err == nil {
		*t = AllinpayTime(v)
	}
	return err
}

// allinpay resolves a request's Allinpay keys.
func (c *Call) allinpay(a *AllinpayAuth) (*allinpay.Client, error) {
	return auth(c, a.Session, "allinpay", "allinpay keys", "allinpay {appId, privateKey, platformPublicKey, gatewayUrl}", a.Allinpay != nil, func(s *session) *allinpay.Client { return s.ap },
		func() (*allinpay.Client, error) { return c.allinpayClient(a.Allinpay) })
}

// allinpayClient parses Allinpay keys (errors name them inside "allinpay").
func (c *Call) allinpayClient(k *AllinpayKeys) (*allinpay.Client, error) {
	cl, err := (&allinpay.Keys{AppID: k.AppID, PrivateKey: k.PrivateKey, PlatformPublicKeys: k.PlatformPublicKey, SignType: k.SignType,
		SignerID: k.SignerID, GatewayURL: k.GatewayURL, Version: k.Version, VerifyMode: k.VerifyMode, RequestProfile: k.RequestProfile}).Client(c.r.now)
	return cl, errs.Prefix("allinpay", err)
}

// KeyInfoRequest names the Allinpay keys to describe.
type KeyInfoRequest struct {
	AllinpayAuth
}

// KeyInfo describes one key by its public half, without any key material.
type KeyInfo struct {
	Algorithm   string `json:"algorithm"`   // RSA or SM2
	Bits        int    `json:"bits"`        // the RSA modulus size in bits, 256 for SM2
	Encoding    string `json:"encoding"`    // the encoding the key was given in ("PKCS#8 PEM", "SubjectPublicKeyInfo Base64 DER", …)
	Fingerprint string `json:"fingerprint"` // the SHA-256 of its DER SubjectPublicKeyInfo in lower-case hex, as openssl pkey -pubout -outform DER | sha256sum gives it (with -pubin for a public key)
}

// KeyInfoResult is what a session's or inline Allinpay keys hold, to show on
// a settings screen or to compare with Allinpay's portal when the gateway
// says 验签失败.
type KeyInfoResult struct {
	AppID             string    `json:"appId"`             // the appId
	SignType          string    `json:"signType"`          // the sign type requests are signed and replies verified with (RSA2, RSA or SM2)
	PrivateKey        *KeyInfo  `json:"privateKey"`        // the merchant private key that signs requests, by its public half; null for keyless keys
	PlatformPublicKey []KeyInfo `json:"platformPublicKey"` // the platform's public keys that verify replies, in the order given
}

// allinpayKeyInfo describes the Allinpay keys of a session or given inline:
// algorithm, size, encoding and SPKI SHA-256 fingerprint of each, never the
// keys themselves.
func allinpayKeyInfo(c *Call, r *KeyInfoRequest) (*KeyInfoResult, error) {
	cl, err := c.allinpay(&r.AllinpayAuth)
	if err != nil {
		return nil, err
	}
	cfg := cl.Config()
	info := func(k *allinpay.PublicKey) KeyInfo {
		return KeyInfo{Algorithm: string(k.Algorithm()), Bits: k.Bits(), Encoding: k.Encoding(), Fingerprint: k.Fingerprint()}
	}
	out := &KeyInfoResult{AppID: cfg.AppID, SignType: string(cfg.SignType), PlatformPublicKey: make([]KeyInfo, len(cfg.PlatformPublicKeys))}
	if cfg.PrivateKey != nil {
		k := info(cfg.PrivateKey.Public())
		out.PrivateKey = &k
	}
	for i, k := range cfg.PlatformPublicKeys {
		out.PlatformPublicKey[i] = info(k)
	}
	return out, nil
}
