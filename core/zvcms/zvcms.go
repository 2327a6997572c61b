// Package zvcms builds signed requests for the zvcms OpenAPI v2 (智迈/企迈)
// and parses its replies into typed results.
//
// A request is one JSON object POSTed to the base URL:
//
//	{"OpenId", "GrantCode", "Token", "Timestamp", "Nonce", "Action", "Params"}
//
// in that order, where Token is the URL-encoded Base64 of an HMAC-SHA1, keyed
// with the openKey, over "grantCode=…&nonce=…&openId=…&timestamp=…" (see
// Token). Action and Params are not signed.
//
// Client.Build sends any Action with any Params (a JSON object, kept byte for
// byte). Typed builders validate their parameters first: VerifyCoupons
// (communal.user.coupons-vertify), CouponDiscount (user.user-by-coupon),
// CouponStatus (user.coupon-new-status), OffCoupon (coupon.off-coupon),
// CouponDetail (communal.coupon.coupon-detail), Consume
// (communal.user.consume) and Reverse (the reversal, 冲正, under the action
// name of the merchant's contract, Client.ReversalAction). Each has its
// Parse*Response, turning a reply into typed values or a typed *errs.Error;
// members a reply carries beyond those named are kept raw. ResolveVerify
// finds out what became of a verify whose outcome is in doubt (InDoubt),
// through an Exchange the caller injects. With Client.VerifyAPI V3 the
// redemption goes to the v3 API instead. Parse*Params, ParseRequest,
// ParseRequestV3 and CheckToken are the server side of the same protocol
// (for a sandbox or a test double).
//
// Errors name the offending field: the envelope member ("Timestamp",
// "OpenId"), the Client option ("ReversalAction"), or "Params" followed by
// the path inside it ("Params.items[2].price"); see ParamsField.
//
// The package does no I/O and keeps no global state: the clock and the nonce
// source are fields of Client, and a Stamp fixes both for reproducible output.
// Numbers that are ids (18 digits, above 2^53) are strings everywhere, and no
// number or amount passes through float64.
package zvcms

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"net/url"
	"strconv"
	"time"
	"unsafe"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
)

// DefaultBaseURL is the documented endpoint, used when Client.BaseURL is "".
const DefaultBaseURL = "http://openapi.zvcms.com/api/v2"

// ContentType is the content type of every request body.
const ContentType = "application/json"

// Action names of the typed builders.
const (
	// ActionVerifyCoupons verifies (redeems, 核销) coupons: seed 000.
	ActionVerifyCoupons = "communal.user.coupons-vertify"
	// ActionCouponDiscount computes a coupon's discount over goods: seed 001.
	ActionCouponDiscount = "user.user-by-coupon"
	// ActionCouponStatus reports a customer's coupons and their use states
	// (券状态查询, open.zmcms.cn doc2 article 492).
	ActionCouponStatus = "user.coupon-new-status"
	// ActionOffCoupon looks a coupon up by the redemption code a customer
	// shows (根据核销码获取券详情, article 500).
	ActionOffCoupon = "coupon.off-coupon"
	// ActionCouponDetail returns a user coupon's detail (article 701).
	ActionCouponDetail = "communal.coupon.coupon-detail"
	// ActionConsume redeems coupons together with stored balance and points
	// (article 620); like verify, it is reversed with the bizId its reply
	// returns.
	ActionConsume = "communal.user.consume"
)

// IdempotentAction reports whether action is a query that may be sent again
// without side effects, so that a transport may retry it: the status,
// off-coupon, detail and discount actions. Verify, consume, a reversal and
// any action this package does not know are not: repeating them could
// redeem or reverse twice (they are repeated only with the same bizId, which
// is ResolveVerify's job). Every Request carries the answer in Idempotent.
func IdempotentAction(action string) bool {
	switch action {
	case ActionCouponStatus, ActionOffCoupon, ActionCouponDetail, ActionCouponDiscount:
		return true
	}
	return false
}

// Credentials are what the vendor issues to an application: OpenId and
// GrantCode travel in every request; OpenKey is the secret that keys the
// Token and never leaves the process.
type Credentials struct {
	OpenID    string // OpenId (密钥Id), sent in every request
	GrantCode string // GrantCode (授权code), sent in every request
	OpenKey   string // the secret keying the Token; never sent, never in errors
}

// Validate reports a missing credential: OpenId or GrantCode as
// INVALID_ARGUMENT, OpenKey as KEY_ERROR (never quoting the key).
func (c Credentials) Validate() error {
	switch {
	case c.OpenID == "":
		return errs.Invalid("OpenId", "OpenId is empty")
	case c.GrantCode == "":
		return errs.Invalid("GrantCode", "GrantCode is empty")
	case c.OpenKey == "":
		return errs.New(errs.KeyError, "OpenKey", "OpenKey is empty")
	}
	return nil
}

// redacted stands in for the OpenKey wherever a value is printed.
const redacted = "[redacted]"

// String prints the credentials with the OpenKey redacted, so that logging a
// Credentials (with %v, %+v or %s) never leaks the secret.
func (c Credentials) String() string { return "{" + c.fields() + "}" }

// fields lists the credentials for String, the OpenKey redacted.
func (c Credentials) fields() string {
	return "OpenId:" + c.OpenID + " GrantCode:" + c.GrantCode + " OpenKey:" + c.redactedKey()
}

// GoString prints the credentials for %#v, with the OpenKey redacted.
func (c Credentials) GoString() string {
	return "zvcms.Credentials{OpenID:" + strconv.Quote(c.OpenID) + ", GrantCode:" + strconv.Quote(c.GrantCode) + ", OpenKey:" + strconv.Quote(c.redactedKey()) + "}"
}

// redactedKey tells whether an OpenKey is set without showing it.
func (c Credentials) redactedKey() string {
	if c.OpenKey == "" {
		return ""
	}
	return redacted
}

// KeyStyle is how the four key names inside the signed string are spelt.
// The vendor's v3 clients use lower camel case; capitalised names are an
// assumed v2 variant, offered as an option.
type KeyStyle int

const (
	// LowerCamel signs "grantCode=…&nonce=…&openId=…&timestamp=…" (default).
	LowerCamel KeyStyle = iota
	// Capitalized signs "GrantCode=…&Nonce=…&OpenId=…&Timestamp=…".
	Capitalized
)

// String returns the name ParseKeyStyle accepts.
func (s KeyStyle) String() string {
	switch s {
	case LowerCamel:
		return "lowerCamel"
	case Capitalized:
		return "capitalized"
	}
	return "KeyStyle(" + strconv.Itoa(int(s)) + ")"
}

// ParseKeyStyle parses "lowerCamel" or "capitalized"; "" is LowerCamel.
// field names the value in the error.
func ParseKeyStyle(field, s string) (KeyStyle, error) {
	switch s {
	case "", "lowerCamel":
		return LowerCamel, nil
	case "capitalized":
		return Capitalized, nil
	}
	return 0, errs.Invalid(field, "unknown key style %q (want lowerCamel or capitalized)", s)
}

// ListStyle is how id lists (couponsCardList) are written into Params.
type ListStyle int

const (
	// ListArray writes a JSON array of id strings: ["390962138708451328"]
	// (default).
	ListArray ListStyle = iota
	// ListString writes the seed example's form, one JSON string holding the
	// ids in brackets: "[390962138708451328]" (several joined with ",").
	ListString
)

// String returns the name ParseListStyle accepts.
func (s ListStyle) String() string {
	switch s {
	case ListArray:
		return "array"
	case ListString:
		return "string"
	}
	return "ListStyle(" + strconv.Itoa(int(s)) + ")"
}

// ParseListStyle parses "array" or "string"; "" is ListArray. field names the
// value in the error.
func ParseListStyle(field, s string) (ListStyle, error) {
	switch s {
	case "", "array":
		return ListArray, nil
	case "string":
		return ListString, nil
	}
	return 0, errs.Invalid(field, "unknown list style %q (want array or string)", s)
}

// SignContent returns the string the Token signs: the four values joined as
// "grantCode=<GrantCode>&nonce=<Nonce>&openId=<OpenId>&timestamp=<Timestamp>"
// (key names per style, values raw).
func SignContent(c Credentials, timestamp, nonce string, style KeyStyle) string {
	var buf [256]byte
	return string(appendSignContent(buf[:0], c, timestamp, nonce, style))
}

func appendSignContent(dst []byte, c Credentials, timestamp, nonce string, style KeyStyle) []byte {
	k := [4]string{"grantCode=", "&nonce=", "&openId=", "&timestamp="}
	if style == Capitalized {
		k = [4]string{"GrantCode=", "&Nonce=", "&OpenId=", "&Timestamp="}
	}
	dst = append(dst, k[0]...)
	dst = append(dst, c.GrantCode...)
	dst = append(dst, k[1]...)
	dst = append(dst, nonce...)
	dst = append(dst, k[2]...)
	dst = append(dst, c.OpenID...)
	dst = append(dst, k[3]...)
	return append(dst, timestamp...)
}

// Token returns the request Token: HMAC-SHA1 keyed with c.OpenKey over
// SignContent, Base64 (standard, padded), then URL-encoded as a query
// component ("+" → "%2B", "/" → "%2F", "=" → "%3D").
func Token(c Credentials, timestamp, nonce string, style KeyStyle) string {
	var buf [64]byte
	return string(appendToken(buf[:0], c, timestamp, nonce, style))
}

func appendToken(dst []byte, c Credentials, timestamp, nonce string, style KeyStyle) []byte {
	var content [256]byte
	m := hmac.New(sha1.New, []byte(c.OpenKey))
	m.Write(appendSignContent(content[:0], c, timestamp, nonce, style))
	var sum [sha1.Size]byte
	return appendTokenText(dst, m.Sum(sum[:0]))
}

// appendTokenText appends the Token text of an HMAC-SHA1 digest: its Base64
// (standard, padded) with '+', '/' and '=' URL-encoded.
func appendTokenText(dst, digest []byte) []byte {
	var b64 [28]byte
	base64.StdEncoding.Encode(b64[:], digest)
	for _, ch := range b64 {
		switch ch {
		case '+':
			dst = append(dst, "%2B"...)
		case '/':
			dst = append(dst, "%2F"...)
		case '=':
			dst = append(dst, "%3D"...)
		default:
			dst = append(dst, ch)
		}
	}
	return dst
}

// Stamp fixes a request's Timestamp (Unix seconds) and Nonce (a positive
// integer), both decimal text. An empty field is filled from the Client's
// clock or nonce source; give both for reproducible output.
//
// A Stamp with a Token is one issued by a back office that holds the OpenKey
// (Client.IssueStamp): the Token signs only GrantCode, Nonce, OpenId and
// Timestamp, so a Client without an OpenKey (a keyless one, in a browser
// page) builds the request with it. Such a Stamp needs its Timestamp and
// Nonce (the ones the Token was computed for).
type Stamp struct {
	Timestamp string // Unix seconds, e.g. "1547186244"; "" means now
	Nonce     string // a positive integer, e.g. "658965"; "" means a fresh one
	Token     string // a Token issued for Timestamp and Nonce (URL-encoded Base64, as sent); "" means: compute it with the OpenKey
}

// Client builds requests for one set of credentials. The zero value of every
// option is the documented default. A Client is not modified by its methods
// and is safe for concurrent use when Now and Nonce are.
type Client struct {
	Credentials
	// BaseURL is where requests are POSTed; "" means DefaultBaseURL.
	BaseURL string
	// KeyStyle spells the key names inside the signed string (default
	// LowerCamel).
	KeyStyle KeyStyle
	// CouponListStyle writes couponsCardList (default ListArray).
	CouponListStyle ListStyle
	// Now is the clock for Timestamp; nil means time.Now.
	Now func() time.Time
	// Nonce returns a fresh positive decimal integer for Nonce; nil means
	// DefaultNonce.
	Nonce func() string
	// VerifyAPI is the API verify (redemption) requests go to: V2 (the
	// default) sends communal.user.coupons-vertify to BaseURL; V3 sends the
	// same params, plus VerifyParams.ThirdOrderNo, in the v3 envelope to
	// V3URL()+PathV3WriteOffCoupon. Every other action stays on v2.
	VerifyAPI APIVersion
	// V3BaseURL is the v3 API's base; "" means DefaultV3BaseURL.
	V3BaseURL string
	// ReversalAction is the Action name of the reversal (冲正) in the
	// merchant's contract with the vendor. The v2 name is not public, so
	// there is no default: Reverse fails until it is set.
	ReversalAction string

	// mac is the cached keyed HMAC-SHA1 (*tokenMAC, tokenmac.go), set
	// atomically from the second Token on. A copy of the Client shares it
	// while its OpenKey is the same.
	mac unsafe.Pointer
}

// String prints the client's settings with the OpenKey redacted (it
// replaces the String promoted from Credentials, which would hide them).
func (c Client) String() string {
	return "{" + c.Credentials.fields() + " BaseURL:" + c.URL() + " KeyStyle:" + c.KeyStyle.String() + " CouponListStyle:" + c.CouponListStyle.String() + " VerifyAPI:" + c.VerifyAPI.String() + " ReversalAction:" + c.ReversalAction + "}"
}

// GoString prints the client for %#v, with the OpenKey redacted.
func (c Client) GoString() string {
	return "zvcms.Client{Credentials:" + c.Credentials.GoString() + ", BaseURL:" + strconv.Quote(c.BaseURL) + ", KeyStyle:" + c.KeyStyle.String() + ", CouponListStyle:" + c.CouponListStyle.String() + ", VerifyAPI:" + c.VerifyAPI.String() + ", V3BaseURL:" + strconv.Quote(c.V3BaseURL) + ", ReversalAction:" + strconv.Quote(c.ReversalAction) + "}"
}

// DefaultNonce returns a random six-digit positive integer (100000–999999)
// from crypto/rand, the Nonce used when Client.Nonce is nil.
func DefaultNonce() string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		binary.BigEndian.PutUint32(b[:], uint32(time.Now().UnixNano()))
	}
	return strconv.FormatUint(uint64(binary.BigEndian.Uint32(b[:])%900000+100000), 10)
}

// V3URL returns the v3 API's base: V3BaseURL, or DefaultV3BaseURL.
func (c *Client) V3URL() string {
	if c.V3BaseURL == "" {
		return DefaultV3BaseURL
	}
	return c.V3BaseURL
}

// URL returns the endpoint requests go to: BaseURL, or DefaultBaseURL.
func (c *Client) URL() string {
	if c.BaseURL == "" {
		return DefaultBaseURL
	}
	return c.BaseURL
}

// NewStamp returns st with its empty fields filled from the clock (Unix
// seconds) and the nonce source, and checks that both are decimal integers:
// a violation is INVALID_ARGUMENT naming "Timestamp" or "Nonce".
func (c *Client) NewStamp(st Stamp) (Stamp, error) {
	if st.Timestamp == "" {
		now := time.Now
		if c.Now != nil {
			now = c.Now
		}
		st.Timestamp = strconv.FormatInt(now().Unix(), 10)
	}
	if st.Nonce == "" {
		if c.Nonce != nil {
			st.Nonce = c.Nonce()
		} else {
			st.Nonce = DefaultNonce()
		}
	}
	if !jsontext.IsDigits(st.Timestamp) {
		return st, errs.Invalid("Timestamp", "Timestamp %q must be Unix seconds in decimal digits", clip(st.Timestamp))
	}
	if !jsontext.IsDigits(st.Nonce) {
		return st, errs.Invalid("Nonce", "Nonce %q must be a positive integer in decimal digits", clip(st.Nonce))
	}
	return st, nil
}

// IssueStamp is the back office's half of keyless mode: it returns st with
// its empty Timestamp and Nonce filled (as NewStamp does) and its Token
// computed with the OpenKey, for a keyless Client (one without OpenKey) to
// build a request with. It needs the credentials (KEY_ERROR naming "OpenKey"
// without the key); a st that already has a Token is INVALID_ARGUMENT naming
// "Token".
func (c *Client) IssueStamp(st Stamp) (Stamp, error) {
	st, _, err := c.issue(st, false)
	return st, err
}

// IssueStampContent is IssueStamp also returning the SignContent the Token
// signs (SignContent of the stamp's Timestamp and Nonce), the two strings
// made in one allocation.
func (c *Client) IssueStampContent(st Stamp) (Stamp, string, error) {
	return c.issue(st, true)
}

// issue is IssueStamp, with the SignContent when content.
func (c *Client) issue(st Stamp, content bool) (Stamp, string, error) {
	if st.Token != "" {
		return st, "", errs.Invalid("Token", "the stamp already has a Token; IssueStamp computes it")
	}
	if err := c.validate(false); err != nil {
		return st, "", err
	}
	st, err := c.NewStamp(st)
	if err != nil {
		return st, "", err
	}
	var buf [320]byte
	b := c.appendToken(buf[:0], st)
	n := len(b)
	if !content {
		st.Token = string(b)
		return st, "", nil
	}
	s := string(appendSignContent(b, c.Credentials, st.Timestamp, st.Nonce, c.KeyStyle))
	st.Token = s[:n]
	return st, s[n:], nil
}

// Keyless reports whether the client has no OpenKey: it then builds requests
// only with issued stamps (a Stamp with a Token).
func (c *Client) Keyless() bool { return c.OpenKey == "" }

// checkIssued checks an issued stamp: its Timestamp and Nonce given, its
// Token in the form appendToken writes (the URL-encoded Base64 of 20 bytes)
// and, when the client has the OpenKey, the Token the key gives.
func (c *Client) checkIssued(st Stamp) error {
	if st.Timestamp == "" || st.Nonce == "" {
		return errs.Invalid("Timestamp", "a stamp with a Token needs the Timestamp and Nonce it was issued for")
	}
	if !tokenForm(st.Token) {
		return errs.Invalid("Token", "the stamp's Token is not a zvcms Token (the URL-encoded Base64 of an HMAC-SHA1, as zvcms.stamp issues it)")
	}
	var buf [64]byte
	if c.OpenKey != "" && subtle.ConstantTimeCompare([]byte(st.Token), c.appendToken(buf[:0], st)) != 1 {
		return errs.New(errs.KeyError, "Token", "the stamp's Token does not match this client's OpenKey for its Timestamp and Nonce")
	}
	return nil
}

// tokenForm reports whether tok is written as appendToken writes a Token:
// the Token text (appendTokenText) of a 20-byte digest, exactly.
func tokenForm(tok string) bool {
	b64, err := url.QueryUnescape(tok)
	if err != nil {
		return false
	}
	d, err := base64.StdEncoding.Strict().DecodeString(b64)
	return err == nil && len(d) == sha1.Size && string(appendTokenText(nil, d)) == tok
}

// Request is a built request: POST Body to URL with the Content-Type
// header ContentType. Token, Timestamp, Nonce and Action repeat the values in
// Body for logging and tests.
type Request struct {
	URL         string // where to POST
	ContentType string // the Content-Type header: "application/json"
	Body        []byte // the JSON body, members in the documented order
	Token       string // the Token in Body (URL-encoded Base64)
	Timestamp   string // the Timestamp in Body
	Nonce       string // the Nonce in Body
	Action      string // the Action in Body
	// Idempotent tells whether the request is a query that may be sent
	// again without side effects (IdempotentAction): a transport may retry
	// it. Verify, consume and reversal requests are never idempotent.
	Idempotent bool
}

// Build builds a signed request for any Action. params must be one JSON
// object (or empty, meaning {}); it is copied into Body byte for byte
// (surrounding whitespace aside), so numbers and key order are exactly the
// caller's. Errors: INVALID_ARGUMENT
// naming "Action", "Params", "OpenId", "GrantCode", "Timestamp" or "Nonce";
// KEY_ERROR naming "OpenKey".
func (c *Client) Build(action string, params []byte, st Stamp) (Request, error) {
	if err := checkAction(action); err != nil {
		return Request{}, err
	}
	params = jsontext.TrimSpace(params)
	if len(params) == 0 {
		params = []byte("{}")
	}
	if err := checkObject("Params", params); err != nil {
		return Request{}, err
	}
	buf, req, err := c.begin(action, st, len(params))
	if err != nil {
		return Request{}, err
	}
	buf = append(buf, params...)
	return finish(buf, req), nil
}

// begin validates the client and stamp and writes the envelope up to and
// including `"Params":` into a fresh buffer with room for paramsLen more.
func (c *Client) begin(action string, st Stamp, paramsLen int) ([]byte, Request, error) {
	issued := st.Token != ""
	if err := c.validate(issued); err != nil {
		return nil, Request{}, err
	}
	if issued {
		if err := c.checkIssued(st); err != nil {
			return nil, Request{}, err
		}
	}
	st, err := c.NewStamp(st)
	if err != nil {
		return nil, Request{}, err
	}
	names, url := &v2Envelope, c.URL()
	v3 := action == ActionVerifyCoupons && c.VerifyAPI == V3
	if v3 {
		names, url = &v3Envelope, c.V3URL()+PathV3WriteOffCoupon
	}
	// 96 bytes of member names and punctuation, up to 34 of Token, 16 of
	// slack for escapes: one allocation for the whole body.
	n := 146 + len(c.OpenID) + len(c.GrantCode) + len(st.Timestamp) + len(st.Nonce) + len(action) + paramsLen
	buf := make([]byte, 0, n)
	buf = append(buf, names[0]...)
	buf = jsontext.AppendString(buf, c.OpenID)
	buf = append(buf, names[1]...)
	buf = jsontext.AppendString(buf, c.GrantCode)
	buf = append(buf, names[2]...)
	tokStart := len(buf)
	if issued {
		buf = append(buf, st.Token...)
	} else {
		buf = c.appendToken(buf, st)
	}
	tokEnd := len(buf)
	buf = append(buf, names[3]...)
	buf = jsontext.AppendString(buf, st.Timestamp)
	buf = append(buf, names[4]...)
	buf = jsontext.AppendString(buf, st.Nonce)
	if !v3 {
		buf = append(buf, `,"Action":`...)
		buf = jsontext.AppendString(buf, action)
	}
	buf = append(buf, names[5]...)
	req := Request{
		URL: url, ContentType: ContentType,
		Token: string(buf[tokStart:tokEnd]), Timestamp: st.Timestamp, Nonce: st.Nonce, Action: action,
		Idempotent: IdempotentAction(action),
	}
	return buf, req, nil
}

// The envelope's member names, with their punctuation, up to each value:
// OpenId, GrantCode, Token, Timestamp, Nonce, then Params (v2 has Action
// before Params).
var (
	v2Envelope = [6]string{`{"OpenId":`, `,"GrantCode":`, `,"Token":"`, `","Timestamp":`, `,"Nonce":`, `,"Params":`}
	v3Envelope = [6]string{`{"openId":`, `,"grantCode":`, `,"token":"`, `","timestamp":`, `,"nonce":`, `,"params":`}
)

// validate checks the credentials and the style options; issued (a request
// built with an issued stamp) needs no OpenKey. A keyless client building
// without one is KEY_ERROR naming "OpenKey".
func (c *Client) validate(issued bool) error {
	cr := c.Credentials
	if issued && cr.OpenKey == "" {
		cr.OpenKey = "-" // only OpenId and GrantCode are checked
	}
	if err := cr.Validate(); err != nil {
		if cr.OpenKey == "" && cr.OpenID != "" && cr.GrantCode != "" {
			return errs.New(errs.KeyError, "OpenKey", "OpenKey is empty (a keyless client builds requests only with a Stamp holding the Token the back office issued: IssueStamp, zvcms.stamp)")
		}
		return err
	}
	if c.KeyStyle != LowerCamel && c.KeyStyle != Capitalized {
		return errs.Invalid("KeyStyle", "unknown key style %d", int(c.KeyStyle))
	}
	if c.CouponListStyle != ListArray && c.CouponListStyle != ListString {
		return errs.Invalid("CouponListStyle", "unknown list style %d", int(c.CouponListStyle))
	}
	if c.VerifyAPI != V2 && c.VerifyAPI != V3 {
		return errs.Invalid("VerifyAPI", "unknown API version %d", int(c.VerifyAPI))
	}
	return nil
}

func finish(buf []byte, req Request) Request {
	req.Body = append(buf, '}')
	return req
}

// CheckAction reports whether action can be sent as an Action (the
// builders check it too): not empty, printable ASCII without spaces or
// quotes. A violation is INVALID_ARGUMENT naming "Action".
func CheckAction(action string) error { return checkAction(action) }

func checkAction(action string) error {
	if action == "" {
		return errs.Invalid("Action", "Action is empty")
	}
	for i := 0; i < len(action); i++ {
		if action[i] <= ' ' || action[i] >= 0x7f || action[i] == '"' || action[i] == '\\' {
			return errs.Invalid("Action", "Action %q must be printable ASCII without spaces or quotes", clip(action))
		}
	}
	return nil
}

// CheckToken recomputes the Token of a received request with c's OpenKey and
// compares it in constant time with env.Token. OpenId and GrantCode must
// equal c's too. A mismatch is SIGNATURE_INVALID naming "Token" (or
// "OpenId"/"GrantCode"); the expected Token is never revealed.
func CheckToken(c Credentials, env *Envelope, style KeyStyle) error {
	if c.OpenKey == "" {
		return errs.New(errs.KeyError, "OpenKey", "OpenKey is empty")
	}
	if env == nil {
		return errs.Invalid("", "no request envelope to check")
	}
	if subtle.ConstantTimeCompare([]byte(env.OpenID), []byte(c.OpenID)) != 1 {
		return errs.New(errs.SignatureInvalid, "OpenId", "unknown OpenId")
	}
	if subtle.ConstantTimeCompare([]byte(env.GrantCode), []byte(c.GrantCode)) != 1 {
		return errs.New(errs.SignatureInvalid, "GrantCode", "GrantCode does not match the OpenId")
	}
	var buf [64]byte
	want := appendToken(buf[:0], c, env.Timestamp, env.Nonce, style)
	if subtle.ConstantTimeCompare(want, []byte(env.Token)) != 1 {
		return errs.New(errs.SignatureInvalid, "Token", "Token does not match (HMAC-SHA1 of grantCode, nonce, openId, timestamp with the openKey, key style %s)", style)
	}
	return nil
}

// OptFen is a fen amount that may be absent (the vendor's ""). The zero value
// is absent; FenOf makes a present one.
type OptFen struct {
	Fen   money.Fen // the amount; 0 when absent
	Valid bool      // whether the amount is present
}

// FenOf returns f as a present OptFen.
func FenOf(f money.Fen) OptFen { return OptFen{Fen: f, Valid: true} }

// Yuan returns the amount as yuan with two decimals, or "" when absent.
func (o OptFen) Yuan() string {
	if !o.Valid {
		return ""
	}
	return o.Fen.Yuan()
}

// Pointer returns the amount, or nil when absent.
func (o OptFen) Pointer() *money.Fen {
	if !o.Valid {
		return nil
	}
	return &o.Fen
}

// String returns the fen as decimal text, or "" when absent.
func (o OptFen) String() string {
	if !o.Valid {
		return ""
	}
	return o.Fen.String()
}

// OptInt is an integer that may be absent (the vendor's ""). The zero value
// is absent; IntOf makes a present one.
type OptInt struct {
	Int   int64 // the value; 0 when absent
	Valid bool  // whether the value is present
}

// IntOf returns v as a present OptInt.
func IntOf(v int64) OptInt { return OptInt{Int: v, Valid: true} }

// String returns the integer as decimal text, or "" when absent.
func (o OptInt) String() string {
	if !o.Valid {
		return ""
	}
	return strconv.FormatInt(o.Int, 10)
}
