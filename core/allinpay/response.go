package allinpay

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
)

// Response is a reply's envelope. Code is the vendor code as written (a JSON
// number or string, "0" meaning success); Data is the raw data member (nil
// when absent or null).
type Response struct {
	Code    string          `json:"code"`
	Msg     string          `json:"msg"`
	Data    json.RawMessage `json:"data,omitempty"`
	ReqSeq  string          `json:"reqSeq,omitempty"`
	RespSeq string          `json:"respSeq,omitempty"`
	Sign    string          `json:"sign,omitempty"`
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
	if !ok || !json.Valid(body) {
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
	if body[m.valStart] != '"' || json.Unmarshal(body[m.valStart:m.valEnd], &sign) != nil {
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
		v, err := decodeJSON(body)
		if err != nil {
			return nil, "", errs.New(errs.ResponseInvalid, "", "the reply is not one JSON object")
		}
		obj := v.(map[string]interface{})
		delete(obj, "sign")
		return appendCanonical(nil, obj), sign, nil
	}
	return nil, "", errs.Invalid("verify", "verify mode %s has no signed content", mode)
}

func decodeJSON(b []byte) (interface{}, error) {
	if err := checkDepth(b); err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v interface{}
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err == nil {
		return nil, errs.New(errs.ResponseInvalid, "", "trailing data")
	}
	return v, nil
}

// CanonicalJSON re-serializes one JSON text as compact JSON with object keys
// sorted recursively in byte order, numbers exactly as written, and strings
// escaped minimally: '"' and '\\' with a backslash, \b \f \n \r \t by name,
// other control characters as \u00XX (lower-case hex); everything else,
// '/' and non-ASCII included, as raw UTF-8. Invalid JSON is
// errs.ResponseInvalid.
func CanonicalJSON(text []byte) ([]byte, error) {
	v, err := decodeJSON(text)
	if err != nil {
		return nil, errs.New(errs.ResponseInvalid, "", "not one JSON text")
	}
	return appendCanonical(nil, v), nil
}

func appendCanonical(b []byte, v interface{}) []byte {
	switch t := v.(type) {
	case map[string]interface{}:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendCanonical(b, t[k])
		}
		return append(b, '}')
	case []interface{}:
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCanonical(b, e)
		}
		return append(b, ']')
	case string:
		return appendString(b, t)
	case json.Number:
		return append(b, t...)
	case bool:
		return strconv.AppendBool(b, t)
	}
	return append(b, "null"...)
}

// appendString appends s as a minimally escaped JSON string (see CanonicalJSON).
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			b = utf8.AppendRune(b, r)
			i += n
			continue
		}
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
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

// wireEnvelope is the reply envelope as decoded, before type checks.
type wireEnvelope struct {
	Code    json.RawMessage `json:"code"`
	Msg     json.RawMessage `json:"msg"`
	Data    json.RawMessage `json:"data"`
	ReqSeq  json.RawMessage `json:"reqSeq"`
	RespSeq json.RawMessage `json:"respSeq"`
	Sign    json.RawMessage `json:"sign"`
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
	var w wireEnvelope
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, errs.New(errs.ResponseInvalid, "", "the reply is not one JSON object")
	}
	r := &Response{}
	var err error
	if r.Code, err = scalarText("code", w.Code, true); err != nil {
		return nil, err
	}
	if r.Code == "" {
		return nil, errs.New(errs.ResponseInvalid, "code", "the reply has no code")
	}
	if r.Msg, err = scalarText("msg", w.Msg, false); err != nil {
		return nil, err
	}
	if r.ReqSeq, err = scalarText("reqSeq", w.ReqSeq, true); err != nil {
		return nil, err
	}
	if r.RespSeq, err = scalarText("respSeq", w.RespSeq, true); err != nil {
		return nil, err
	}
	if len(w.Data) > 0 && string(w.Data) != "null" {
		r.Data = w.Data
	}
	unsigned := len(w.Sign) == 0
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
		_ = json.Unmarshal(w.Sign, &r.Sign)
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
func scalarText(field string, raw json.RawMessage, numberOK bool) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch {
	case raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
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
	if !ok || !json.Valid(body) {
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
		content, _ = CanonicalJSON(body)
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
