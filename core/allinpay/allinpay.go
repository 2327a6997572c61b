// Package allinpay builds signed requests for the Allinpay shopoint open API
// (通联) and verifies and parses its replies.
//
// A request is a form (application/x-www-form-urlencoded, UTF-8) of public
// parameters (appId, method, version, timestamp, format, charset, signType),
// the business parameters as the JSON text bizContent, and sign: the merchant's
// signature over the other non-empty parameters sorted by key (signType
// excluded), see SignContent. Three sign types exist: RSA2 (SHA256withRSA),
// RSA (SHA1withRSA) and SM2 (SM3withSM2 with a signer id).
//
// A reply is a JSON object with a top-level "sign" made with the platform's
// key. Which bytes it covers differs between gateways (see Variant): by
// default a reply is accepted under any variant and the result says which
// one matched, so that a merchant can pin it (VerifyMode); Diagnose
// explains a reply that does not verify.
//
// Keys are parsed once (ParsePrivateKey, ParsePublicKey) and are immutable,
// safe for concurrent use; so is a Client. The package does no I/O: the
// caller posts Request.Body to Request.URL and hands the reply body back.
package allinpay

import (
	"crypto/rand"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

// SignType is the signature algorithm named by the signType parameter.
type SignType string

// The sign types the gateway knows.
const (
	// RSA2 is SHA256withRSA (PKCS#1 v1.5), the usual choice.
	RSA2 SignType = "RSA2"
	// RSA is SHA1withRSA (PKCS#1 v1.5), used by older Allinpay products.
	RSA SignType = "RSA"
	// SM2 is SM3withSM2 with a signer id (DefaultSignerID unless configured),
	// the signature ASN.1 DER encoded.
	SM2 SignType = "SM2"
)

// ParseSignType parses "RSA2", "RSA" or "SM2" (exact case), or the Java
// algorithm name the SDK profile sends ("SHA256WithRSA", "SHA1WithRSA",
// "SM3withSM2", in any case). The empty string returns "" with no error
// (meaning: infer from the key). field names the value in the error.
func ParseSignType(field, s string) (SignType, error) {
	switch SignType(s) {
	case "", RSA2, RSA, SM2:
		return SignType(s), nil
	}
	for _, t := range []SignType{RSA2, RSA, SM2} {
		if strings.EqualFold(s, t.JavaName()) {
			return t, nil
		}
	}
	return "", errs.Invalid(field, "unknown sign type %q: use RSA2, RSA or SM2", s)
}

// JavaName is the Java signature algorithm name of the sign type, which the
// SDK request profile sends as signType: SHA256WithRSA, SHA1WithRSA or
// SM3withSM2.
func (t SignType) JavaName() string {
	switch t {
	case RSA2:
		return "SHA256WithRSA"
	case RSA:
		return "SHA1WithRSA"
	case SM2:
		return "SM3withSM2"
	}
	return string(t)
}

// DefaultSignerID is the SM2 signer id (user id) used when none is
// configured: the GM/T 0009 default. Assumed for Allinpay; configurable.
const DefaultSignerID = "1234567812345678"

// DefaultVersion is the API version sent when none is configured.
const DefaultVersion = "1.0"

// The method names of the typed calls.
const (
	// MethodCouponSend is couponSend (产生卡/券, issue coupons).
	MethodCouponSend = "allinpay.shopoint.couponService.couponSend"
	// MethodCouponQuery is couponQuery (卡/券查询, one coupon's details).
	MethodCouponQuery = "allinpay.shopoint.couponService.couponQuery"
	// MethodCouponConsumeV1 is couponConsumeV1 (卡/券核销, redeem coupons).
	MethodCouponConsumeV1 = "allinpay.shopoint.couponService.couponConsumeV1"
)

// TimestampLayout is the layout of the timestamp parameter, always in China
// time (UTC+8), see ChinaZone.
const TimestampLayout = "2006-01-02 15:04:05"

// ChinaZone is the fixed UTC+8 zone of every Allinpay timestamp. It is not a
// tz database lookup, so the result is the same on every machine (Windows and
// WebAssembly have no tz database).
// The package itself uses its own copy, so reassigning ChinaZone changes
// nothing here.
var ChinaZone = chinaZone

var chinaZone = time.FixedZone("CST", 8*60*60)

// FormatTimestamp formats t as the timestamp parameter: yyyy-MM-dd HH:mm:ss
// in UTC+8 whatever t's location and the machine's TZ.
func FormatTimestamp(t time.Time) string {
	return t.In(chinaZone).Format(TimestampLayout)
}

// Config is what a Client needs. NewClient validates it and fills defaults.
type Config struct {
	// AppID is the merchant's appId issued by Allinpay. Required.
	AppID string
	// SignType is RSA2, RSA or SM2. Empty: RSA2 for an RSA private key, SM2
	// for an SM2 private key. It must match the private key's algorithm.
	SignType SignType
	// PrivateKey is the merchant's private key that signs requests. Nil
	// makes a keyless client (a browser page): Build then returns the
	// request unsigned, with its SignContent for the back office to sign
	// (Client.SignContent there), and Attach completes it with that
	// signature. Reply verification needs only PlatformPublicKeys.
	PrivateKey *PrivateKey
	// PlatformPublicKeys are Allinpay's (the platform's) public keys that
	// verify replies — never the merchant's own public key. A reply verifies
	// when any of them verifies it (add the new key before Allinpay rotates
	// it; the result names the key that matched by fingerprint). At least
	// one is required unless Verify is SkipVerify; each must fit SignType.
	PlatformPublicKeys []*PublicKey
	// SignerID is the SM2 signer id (user id) for both signing and
	// verifying. Empty: DefaultSignerID. Ignored for RSA2 and RSA.
	SignerID string
	// GatewayURL is the full URL requests are posted to. Required: there is no
	// default (the production address for shopoint methods is not published in
	// our material). Must be an absolute http or https URL.
	GatewayURL string
	// Version is the version parameter for Build calls that pass "".
	// Empty: DefaultVersion ("1.0").
	Version string
	// Now is the clock used when a call passes a zero time. Nil: time.Now.
	Now func() time.Time
	// Rand is the randomness for SM2 signatures. Nil: crypto/rand.Reader.
	// RSA signatures are deterministic and do not use it.
	Rand io.Reader
	// Verify is how replies are verified. The zero value, VerifyAny,
	// accepts any Variant and reports which one matched.
	Verify VerifyMode
	// RequestProfile is how requests are signed. The zero value is
	// ProfileRules (the vendor's rules page).
	RequestProfile RequestProfile
}

// Client builds signed requests and verifies replies for one merchant
// configuration. It is immutable and safe for concurrent use.
type Client struct {
	cfg Config
}

// NewClient validates cfg, fills its defaults and returns a Client.
// Missing or inconsistent values are errs.InvalidArgument (Field names the
// Config field in lower camel case); a key unusable with the sign type is
// errs.KeyError.
func NewClient(cfg Config) (*Client, error) {
	if cfg.AppID == "" {
		return nil, errs.Invalid("appId", "appId is required")
	}
	st, err := ParseSignType("signType", string(cfg.SignType))
	if err != nil {
		return nil, err
	}
	if st == "" {
		// Inferred from the private key or, in a keyless client, from the
		// platform's key (both sides of a merchant use one algorithm).
		st = RSA2
		if cfg.PrivateKey != nil && cfg.PrivateKey.Algorithm() == AlgorithmSM2 ||
			cfg.PrivateKey == nil && len(cfg.PlatformPublicKeys) > 0 && cfg.PlatformPublicKeys[0] != nil && cfg.PlatformPublicKeys[0].Algorithm() == AlgorithmSM2 {
			st = SM2
		}
	}
	cfg.SignType = st
	if cfg.PrivateKey != nil {
		if err := cfg.PrivateKey.usableWith(st); err != nil {
			return nil, err
		}
	}
	mode, err := ParseVerifyMode("verify", string(cfg.Verify))
	if err != nil {
		return nil, err
	}
	cfg.Verify = mode // old names ("raw", "sorted", "any") to their variant
	if cfg.Verify != SkipVerify {
		if len(cfg.PlatformPublicKeys) == 0 {
			return nil, errs.New(errs.KeyError, "platformPublicKeys",
				"the platform public key is required to verify replies (Verify: SkipVerify opts out explicitly)")
		}
		for i, k := range cfg.PlatformPublicKeys {
			if err := k.usableWith("platformPublicKeys["+strconv.Itoa(i)+"]", st); err != nil {
				return nil, err
			}
		}
		cfg.PlatformPublicKeys = append([]*PublicKey(nil), cfg.PlatformPublicKeys...)
	}
	if _, err := ParseRequestProfile("requestProfile", string(cfg.RequestProfile)); err != nil {
		return nil, err
	}
	if cfg.SignerID == "" {
		cfg.SignerID = DefaultSignerID
	}
	if cfg.GatewayURL == "" {
		return nil, errs.Invalid("gatewayUrl", "the gateway URL is required (no default address is published)")
	}
	u, perr := url.Parse(cfg.GatewayURL)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errs.Invalid("gatewayUrl", "the gateway URL must be an absolute http or https URL")
	}
	if cfg.Version == "" {
		cfg.Version = DefaultVersion
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	return &Client{cfg: cfg}, nil
}

// Keyless reports whether the client has no private key: Build then returns
// unsigned requests for Attach.
func (c *Client) Keyless() bool { return c.cfg.PrivateKey == nil }

// SignContent is the back office's half of keyless mode: it signs a sign
// content that a keyless client's Build returned (Request.SignContent) with
// the private key, under the client's sign type and request profile, and
// returns the Base64 signature for Attach. Whatever is signed can be sent:
// check the content (its method, appId and bizContent) before signing it. A
// keyless client is KEY_ERROR naming "privateKey"; an empty content
// INVALID_ARGUMENT naming "signContent".
func (c *Client) SignContent(content string) (string, error) {
	if c.cfg.PrivateKey == nil {
		return "", errs.New(errs.KeyError, "privateKey", "the client has no private key to sign with (a keyless client has its requests signed by the back office)")
	}
	if content == "" {
		return "", errs.Invalid("signContent", "the sign content is empty")
	}
	return signWith(c.cfg.PrivateKey, c.cfg.SignType, c.cfg.SignerID, []byte(c.cfg.RequestProfile.SignedText(content)), c.cfg.Rand)
}

// SignParams is SignContent over the sign content of params, the parameters
// of a keyless client's unsigned request (Request.Params): the back office
// gets them as a structure to check (the method, the bizContent) instead of
// a joined text, whose values are raw and so cannot be split back
// unambiguously. Their appId and signType must be this client's
// (INVALID_ARGUMENT naming "params[i]"). It returns the signature and the
// sign content it covers.
func (c *Client) SignParams(params []Param) (sign, content string, err error) {
	if c.cfg.PrivateKey == nil {
		_, err = c.SignContent("") // the keyless client's KEY_ERROR
		return "", "", err
	}
	if len(params) == 0 {
		return "", "", errs.Invalid("params", "no request parameters to sign")
	}
	want := map[string]string{"appId": c.cfg.AppID, "signType": c.cfg.RequestProfile.signTypeText(c.cfg.SignType)}
	seen := map[string]bool{}
	for i, p := range params {
		if p.Key == "sign" {
			return "", "", errs.Invalid("params["+strconv.Itoa(i)+"]", "the request is already signed")
		}
		if seen[p.Key] {
			return "", "", errs.Invalid("params["+strconv.Itoa(i)+"]", "parameter %q is given twice", p.Key)
		}
		seen[p.Key] = true
		if w, ok := want[p.Key]; ok && p.Value != w {
			return "", "", errs.Invalid("params["+strconv.Itoa(i)+"]", "%s %q is not this back office's (%q)", p.Key, p.Value, w)
		}
	}
	for _, k := range []string{"appId", "method", "signType"} {
		if !seen[k] {
			return "", "", errs.Invalid("params", "the request has no %s parameter", k)
		}
	}
	content, _ = c.cfg.RequestProfile.SignContent(params)
	sign, err = c.SignContent(content)
	return sign, content, err
}

// Attach completes an unsigned request (what a keyless client's Build
// returned, or its Params) with sign, the Base64 signature the back office
// made over its SignContent: it appends the sign parameter and form-encodes
// the body, byte for byte the body a client with the private key builds.
// The signature is not checked here (the page has no merchant key; the
// gateway checks it). Errors: INVALID_ARGUMENT naming "sign" (empty, not
// strict Base64) or "params" (empty, or already signed).
func (c *Client) Attach(params []Param, sign string) (Request, error) {
	if sign == "" {
		return Request{}, errs.Invalid("sign", "sign is empty: give the signature the back office made over signContent")
	}
	if _, ok := decodeSign(sign); !ok {
		return Request{}, errs.Invalid("sign", "sign is not a Base64 signature (standard alphabet, padded)")
	}
	if len(params) == 0 {
		return Request{}, errs.Invalid("params", "no request parameters to attach the signature to")
	}
	for i, p := range params {
		if p.Key == "sign" {
			return Request{}, errs.Invalid("params["+strconv.Itoa(i)+"]", "the request is already signed")
		}
	}
	content, fields := c.cfg.RequestProfile.SignContent(params)
	all := append(append(make([]Param, 0, len(params)+1), params...), Param{"sign", sign})
	return Request{
		URL:          c.cfg.GatewayURL,
		ContentType:  ContentTypeForm,
		Body:         encodeForm(all),
		Params:       all,
		SignedFields: fields,
		SignContent:  content,
		SignedText:   c.cfg.RequestProfile.SignedText(content),
		Profile:      c.cfg.RequestProfile.orDefault(),
		Sign:         sign,
	}, nil
}

// Config returns the client's configuration with its defaults filled in.
func (c *Client) Config() Config { return c.cfg }

// Param is one form parameter as sent.
type Param struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Request is a signed request ready to post: POST Body to URL with the header
// Content-Type: ContentType.
type Request struct {
	// URL is the gateway URL from the Config.
	URL string `json:"url"`
	// ContentType is "application/x-www-form-urlencoded; charset=UTF-8".
	ContentType string `json:"contentType"`
	// Body is the form-encoded parameters in the order of Params.
	Body []byte `json:"body"`
	// Params are all form parameters in the order sent, sign last.
	Params []Param `json:"params"`
	// SignedFields are the keys that were signed, in signing (ASCII) order:
	// the first thing to compare when the gateway answers 验签失败.
	SignedFields []string `json:"signedFields"`
	// SignContent is the sign content: the signed parameters joined
	// (UTF-8). The rules profile signs it as is.
	SignContent string `json:"signContent"`
	// SignedText is the text the signature is computed over: SignContent
	// under the rules profile, Base64(MD5(SignContent)) under the SDK one.
	SignedText string `json:"signedText"`
	// Profile is the request profile that signed it.
	Profile RequestProfile `json:"profile"`
	// Sign is the Base64 signature, also the value of the sign parameter.
	Sign string `json:"sign"`
}

// ContentTypeForm is the content type of every request.
const ContentTypeForm = "application/x-www-form-urlencoded; charset=UTF-8"

// Build returns the signed request for any method (unsigned, without Body
// and Sign, from a keyless client: see Attach): method and version
// (empty: the configured Version), bizContent the business parameters as a
// JSON object whose bytes are sent unchanged, and at the timestamp (zero: the
// configured clock). A bizContent that is not one JSON object is
// errs.InvalidArgument with Field "bizContent"; one with a repeated member or
// a lone surrogate escape is refused as CheckBizContent says, the path
// prefixed with "bizContent.".
func (c *Client) Build(method, version string, bizContent []byte, at time.Time) (Request, error) {
	if method == "" {
		return Request{}, errs.Invalid("method", "method is required")
	}
	if version == "" {
		version = c.cfg.Version
	}
	if err := CheckBizContent(bizContent); err != nil {
		return Request{}, errs.Prefix("bizContent", err)
	}
	if at.IsZero() {
		at = c.cfg.Now()
	}
	params := []Param{
		{"appId", c.cfg.AppID},
		{"method", method},
		{"version", version},
		{"timestamp", FormatTimestamp(at)},
		{"format", "JSON"},
		{"charset", "UTF-8"},
		{"signType", c.cfg.RequestProfile.signTypeText(c.cfg.SignType)},
		{"bizContent", string(bizContent)},
	}
	content, fields := c.cfg.RequestProfile.SignContent(params)
	signed := c.cfg.RequestProfile.SignedText(content)
	if c.cfg.PrivateKey == nil {
		// Keyless: the request unsigned (no body, no sign) for Attach.
		return Request{
			URL: c.cfg.GatewayURL, ContentType: ContentTypeForm, Params: params, SignedFields: fields,
			SignContent: content, SignedText: signed, Profile: c.cfg.RequestProfile.orDefault(),
		}, nil
	}
	sign, err := signWith(c.cfg.PrivateKey, c.cfg.SignType, c.cfg.SignerID, []byte(signed), c.cfg.Rand)
	if err != nil {
		return Request{}, err
	}
	params = append(params, Param{"sign", sign})
	return Request{
		URL:          c.cfg.GatewayURL,
		ContentType:  ContentTypeForm,
		Body:         encodeForm(params),
		Params:       params,
		SignedFields: fields,
		SignContent:  content,
		SignedText:   signed,
		Profile:      c.cfg.RequestProfile.orDefault(),
		Sign:         sign,
	}, nil
}

// encodeForm form-encodes params in order (spaces as '+').
func encodeForm(params []Param) []byte {
	var b strings.Builder
	n := 0
	for _, p := range params {
		n += len(p.Key) + len(p.Value)*3/2 + 2
	}
	b.Grow(n)
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.Key))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
	}
	return []byte(b.String())
}
