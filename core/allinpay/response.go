package allinpay

import (
	"errors"
	"net/url"
	"sort"
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
)

// RawJSON is raw JSON text. Marshalled with encoding/json it is embedded as
// is and unmarshalled it takes the raw text, like json.RawMessage (which
// the package no longer imports: encoding/json is a large part of the
// WebAssembly module). A []byte converts to it implicitly.
type RawJSON []byte

// MarshalJSON returns m, or null when m is nil.
func (m RawJSON) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("null"), nil
	}
	return m, nil
}

// UnmarshalJSON sets *m to a copy of data.
func (m *RawJSON) UnmarshalJSON(data []byte) error {
	if m == nil {
		return errors.New("allinpay.RawJSON: UnmarshalJSON on nil pointer")
	}
	*m = append((*m)[0:0], data...)
	return nil
}

// Response is a reply's envelope. Code is the vendor code as written (a JSON
// number or string, "0" meaning success); Data is the raw data member (nil
// when absent or null).
type Response struct {
	Code    string  `json:"code"`
	Msg     string  `json:"msg"`
	Data    RawJSON `json:"data,omitempty"`
	ReqSeq  string  `json:"reqSeq,omitempty"`
	RespSeq string  `json:"respSeq,omitempty"`
	Sign    string  `json:"sign,omitempty"`
	// Verified is true when the sign was checked and matched; false under
	// SkipVerify and for an unsigned error reply.
	Verified bool `json:"verified"`
}

// Success reports whether Code is 0.
func (r *Response) Success() bool {
	n, err := strconv.ParseInt(r.Code, 10, 64)
	return err == nil && n == 0
}

// ResponseSignContent returns the bytes a reply's signature covers under mode
// and the reply's sign value. RawMinusSign: the body with the top-level
// "sign" member's tokens deleted (key, colon, value, and the comma before it,
// or after it when it is the first member); whitespace around them and every
// other byte are kept. SortedCanonical: CanonicalJSON of the body without
// "sign". A body that is not one JSON object is errs.ResponseInvalid; a
// missing, repeated or non-string sign is errs.SignatureInvalid.
func ResponseSignContent(body []byte, mode VerifyMode) (content []byte, sign string, err error) {
	ms, _, ok := topMembers(body)
	if !ok || !validJSON(body) {
		return nil, "", errs.New(errs.ResponseInvalid, "", "the reply is not one JSON object")
	}
	idx := -1
	for i, m := range ms {
		if keyIs(body[m.keyStart:m.keyEnd], "sign") {
			if idx >= 0 {
				return nil, "", errs.New(errs.SignatureInvalid, "sign", "the reply has more than one sign member")
			}
			idx = i
		}
	}
	if idx < 0 {
		return nil, "", errs.New(errs.SignatureInvalid, "sign", "the reply carries no sign")
	}
	m := ms[idx]
	if sign, ok = unquote(string(body[m.valStart:m.valEnd])); !ok {
		return nil, "", errs.New(errs.SignatureInvalid, "sign", "the reply's sign is not a string")
	}
	switch mode {
	case RawMinusSign:
		comma := m.comma
		if idx > 0 {
			comma = ms[idx-1].comma
		}
		cut := [][2]int{{m.keyStart, m.keyEnd}, {m.colon, m.colon + 1}, {m.valStart, m.valEnd}}
		if comma >= 0 {
			cut = append(cut, [2]int{comma, comma + 1})
			sort.Slice(cut, func(i, j int) bool { return cut[i][0] < cut[j][0] })
		}
		content = make([]byte, 0, len(body))
		at := 0
		for _, c := range cut {
			content = append(content, body[at:c[0]]...)
			at = c[1]
		}
		content = append(content, body[at:]...)
		return content, sign, nil
	case SortedCanonical:
		if tooDeep(body) {
			return nil, "", errs.New(errs.ResponseInvalid, "", "the reply nests more than %d levels deep", maxCanonicalDepth)
		}
		return appendCanonical(make([]byte, 0, len(body)), body, "sign"), sign, nil
	}
	return nil, "", errs.Invalid("verify", "verify mode %s has no signed content", mode)
}

// maxCanonicalDepth is the deepest nesting of objects and arrays the sorted
// canonical form accepts. Real replies nest a handful of levels; the limit
// keeps every consumer of the form cheap (the writer itself keeps its own
// stack).
const maxCanonicalDepth = 64

// tooDeep reports whether b nests deeper than maxCanonicalDepth, scanning
// without recursion.
func tooDeep(b []byte) bool {
	return jsontext.Depth(b, maxCanonicalDepth) > maxCanonicalDepth
}

// CanonicalJSON re-serializes one JSON text as compact JSON with object keys
// sorted recursively in byte order, numbers exactly as written, and strings
// escaped minimally: '"' and '\\' with a backslash, \b \f \n \r \t by name,
// other control characters as \u00XX (lower-case hex); everything else,
// '/' and non-ASCII included, as raw UTF-8. Invalid JSON is
// errs.ResponseInvalid, as is JSON nesting more than 64 levels deep.
func CanonicalJSON(text []byte) ([]byte, error) {
	if tooDeep(text) || !validJSON(text) {
		return nil, errs.New(errs.ResponseInvalid, "", "not one JSON text")
	}
	return appendCanonical(make([]byte, 0, len(text)), text, ""), nil
}

// VerifyResponse checks a reply's top-level sign with the platform public key
// under the client's VerifyMode (nothing is checked under SkipVerify).
// Failure is errs.SignatureInvalid (a body that is not one JSON object is
// errs.ResponseInvalid).
func (c *Client) VerifyResponse(body []byte) error {
	if c.cfg.Verify == SkipVerify {
		return nil
	}
	content, sign, err := ResponseSignContent(body, c.cfg.Verify)
	if err != nil {
		return err
	}
	return verifyWith("platformPublicKey", c.cfg.PlatformPublicKey, c.cfg.SignType, c.cfg.SignerID, content, sign)
}

// ParseResponse verifies a reply (see VerifyResponse) and parses its
// envelope. A code other than 0 is errs.APIError with VendorCode and
// VendorMessage (the Response is returned too). A reply without any sign
// whose code is not 0 (gateways often answer errors such as 验签失败
// unsigned) is reported as that APIError rather than as a signature error;
// without a sign, code 0 is errs.SignatureInvalid. A reply of the wrong shape
// is errs.ResponseInvalid with Field the JSON path.
func (c *Client) ParseResponse(body []byte) (*Response, error) {
	if !isJSONObject(body) {
		return nil, errs.New(errs.ResponseInvalid, "", "the reply is not one JSON object")
	}
	f := fieldsOf(body, "code", "msg", "data", "reqSeq", "respSeq", "sign")
	wCode, wMsg, wData, wReqSeq, wRespSeq, wSign := f[0], f[1], f[2], f[3], f[4], f[5]
	r := &Response{}
	var err error
	if r.Code, err = scalarText("code", wCode, true); err != nil {
		return nil, err
	}
	if r.Code == "" {
		return nil, errs.New(errs.ResponseInvalid, "code", "the reply has no code")
	}
	if r.Msg, err = scalarText("msg", wMsg, false); err != nil {
		return nil, err
	}
	if r.ReqSeq, err = scalarText("reqSeq", wReqSeq, true); err != nil {
		return nil, err
	}
	if r.RespSeq, err = scalarText("respSeq", wRespSeq, true); err != nil {
		return nil, err
	}
	if len(wData) > 0 && string(wData) != "null" {
		r.Data = append(RawJSON(nil), wData...)
	}
	unsigned := len(wSign) == 0
	switch {
	case c.cfg.Verify == SkipVerify:
	case unsigned && !r.Success():
	default:
		if err := c.VerifyResponse(body); err != nil {
			return nil, err
		}
		r.Verified = true
	}
	if !unsigned {
		r.Sign, _ = unquote(string(wSign)) // "" unless a string
	}
	if !r.Success() {
		e := errs.Vendor(errs.APIError, "", r.Code, r.Msg)
		if !r.Verified && c.cfg.Verify != SkipVerify {
			e.Message = "the vendor reported a business error (unsigned reply)"
		}
		return r, e
	}
	return r, nil
}

// scalarText returns a JSON string's value, or a number's text when numbers
// are allowed; "" for absent or null. Other types are errs.ResponseInvalid.
func scalarText(field string, raw []byte, numberOK bool) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch {
	case raw[0] == '"':
		if s, ok := unquote(string(raw)); ok {
			return s, nil
		}
	case numberOK && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')):
		return string(raw), nil
	}
	return "", errs.New(errs.ResponseInvalid, field, "%s has the wrong JSON type", field)
}

// SignResponse signs a reply body for a server (the sandbox) with the
// platform private key: it inserts a top-level "sign" member after the last
// member (`,"sign":"…"`), so that ResponseSignContent under mode yields
// exactly what was signed (RawMinusSign: body itself; SortedCanonical:
// CanonicalJSON(body)). body must be one JSON object without a sign member.
// SM2 randomness comes from crypto/rand. Pure: no I/O.
func SignResponse(body []byte, platform *PrivateKey, signType SignType, signerID string, mode VerifyMode) ([]byte, error) {
	ms, closeBrace, ok := topMembers(body)
	if !ok || !validJSON(body) {
		return nil, errs.Invalid("body", "the reply body is not one JSON object")
	}
	for _, m := range ms {
		if keyIs(body[m.keyStart:m.keyEnd], "sign") {
			return nil, errs.Invalid("body", "the reply body already has a sign member")
		}
	}
	content := body
	switch mode {
	case RawMinusSign:
	case SortedCanonical:
		var err error
		if content, err = CanonicalJSON(body); err != nil {
			return nil, errs.Invalid("body", "the reply body nests more than %d levels deep", maxCanonicalDepth)
		}
	default:
		return nil, errs.Invalid("mode", "cannot sign a reply under verify mode %s", mode)
	}
	sign, err := Sign(platform, signType, signerID, content)
	if err != nil {
		return nil, err
	}
	return insertSign(body, ms, closeBrace, sign), nil
}

// insertSign inserts `,"sign":"<sign>"` after the last member of the object
// body (whose members and closing brace topMembers found), or `"sign":"…"`
// before the brace of an empty object.
func insertSign(body []byte, ms []member, closeBrace int, sign string) []byte {
	at, m := closeBrace, `"sign":"`+sign+`"`
	if len(ms) > 0 {
		at, m = ms[len(ms)-1].valEnd, ","+m
	}
	out := make([]byte, 0, len(body)+len(m))
	out = append(out, body[:at]...)
	out = append(out, m...)
	return append(out, body[at:]...)
}

// VerifyRequest checks a received request form for a server (the sandbox):
// the sign parameter against SignContent of the other parameters, with the
// merchant's public key. signType "" takes the form's signType; otherwise a
// form signType that differs is errs.InvalidArgument. A repeated parameter
// is errs.InvalidArgument; a missing or wrong sign is errs.SignatureInvalid.
// Pure: no I/O.
func VerifyRequest(form url.Values, merchant *PublicKey, signType SignType, signerID string) error {
	keys := make([]string, 0, len(form))
	for k, vs := range form {
		if len(vs) > 1 {
			return errs.Invalid(k, "parameter %s is sent more than once", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	got := form.Get("signType")
	switch {
	case signType == "":
		st, err := ParseSignType("signType", got)
		if err != nil {
			return err
		}
		if st == "" {
			return errs.Invalid("signType", "the request has no signType")
		}
		signType = st
	case got != "" && SignType(got) != signType:
		return errs.Invalid("signType", "the request says signType %s but %s is expected", got, signType)
	}
	sign := form.Get("sign")
	if sign == "" {
		return errs.New(errs.SignatureInvalid, "sign", "the request carries no sign")
	}
	params := make([]Param, len(keys))
	for i, k := range keys {
		params[i] = Param{k, form.Get(k)}
	}
	content, _ := SignContent(params)
	return verifyWith("merchantPublicKey", merchant, signType, signerID, []byte(content), sign)
}
