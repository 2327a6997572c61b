package zvcms

import (
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/tidwall/gjson"
)

// Response is the envelope of every reply: {"status", "code", "message",
// "data"}.
type Response struct {
	// Status is the reply's status (sent as a JSON boolean or "true"/"false").
	Status bool
	// Code is the reply's code as text ("0" on success), whether it was sent
	// as a JSON string or a number.
	Code string
	// Message is the vendor's message, often Chinese.
	Message string
	// Data is the raw JSON of "data", byte for byte; nil when absent.
	Data []byte
}

// OK reports whether the reply is a success: status true and code 0.
func (r *Response) OK() bool { return r.Status && r.Code == "0" }

// Err returns nil for a success, else the vendor's error: SYSTEM_ERROR when
// status is false, API_ERROR when status is true with a code other than 0,
// each carrying VendorStatus ("true"/"false"), VendorCode and VendorMessage.
// For the codes of a refused authentication (authHints) the message adds
// what to check.
func (r *Response) Err() error {
	var e *errs.Error
	switch {
	case !r.Status:
		e = errs.Vendor(errs.SystemError, "false", r.Code, r.Message)
	case r.Code != "0":
		e = errs.Vendor(errs.APIError, "true", r.Code, r.Message)
	default:
		return nil
	}
	if h := authHints[r.Code]; h != "" {
		e.Message += "; " + h
	}
	return e
}

// authHints maps the codes of a refused authentication to what the caller
// should check, as the sandbox (examples/sandbox) answers them; the
// vendor's full code table is not public. The hints name the credentials,
// never their values.
var authHints = map[string]string{
	"10001": "the OpenId is unknown to the server: check openId, and that baseUrl is the server that issued it",
	"10002": "the Token did not verify: check openKey, openId and grantCode (issued together) and the Token key style (tokenKeyStyle)",
	"10003": "the Timestamp is outside the server's window: check this machine's clock",
}

// ParseResponse parses a reply's envelope. It is lenient where the vendor is
// inconsistent: status may be a boolean or the string "true"/"false", code a
// string or a number. A reply that is not one JSON object, or lacks status or
// code, is RESPONSE_INVALID with the JSON path in Field. For a vendor error
// (see Response.Err) the parsed *Response is returned together with the
// error.
func ParseResponse(body []byte) (*Response, error) {
	r, _, err := parseEnvelope(body)
	return r, err
}

func parseEnvelope(body []byte) (*Response, gjson.Result, error) {
	if tooDeep(body) {
		return nil, gjson.Result{}, errs.New(errs.ResponseInvalid, "", "the reply nests more than %d levels deep", maxDepth)
	}
	if !gjson.ValidBytes(body) {
		return nil, gjson.Result{}, errs.New(errs.ResponseInvalid, "", "the reply is not well-formed JSON")
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return nil, gjson.Result{}, errs.New(errs.ResponseInvalid, "", "the reply is not a JSON object")
	}
	d := dec{kind: errs.ResponseInvalid}
	r := &Response{}
	st := root.Get("status")
	switch {
	case st.Type == gjson.True:
		r.Status = true
	case st.Type == gjson.False:
	case st.Type == gjson.String && strings.EqualFold(strings.TrimSpace(st.Str), "true"):
		r.Status = true
	case st.Type == gjson.String && strings.EqualFold(strings.TrimSpace(st.Str), "false"):
	case st.Type == gjson.Number && (st.Raw == "1" || st.Raw == "0"):
		r.Status = st.Raw == "1"
	default:
		return nil, root, errs.New(errs.ResponseInvalid, "status", "status must be true or false (a boolean or a string), got %s", clip(describe(st)))
	}
	code := root.Get("code")
	r.Code = strings.TrimSpace(d.str(code, at("code")))
	if d.err == nil && r.Code == "" {
		d.fail(at("code"), "code is missing")
	}
	r.Message = d.str(root.Get("message"), at("message"))
	if d.err != nil {
		return nil, root, d.err
	}
	data := root.Get("data")
	if data.Exists() {
		r.Data = []byte(data.Raw)
	}
	return r, data, r.Err()
}

// UserInfo is the member (会员) block of a reply. Every field is text as sent
// ("" when absent), numbers included: customer ids are 18-digit integers and
// region codes are the vendor's own.
type UserInfo struct {
	CustomerID string // customer_id (verify reply)
	GroupID    string // groupId (discount reply)
	Username   string // username (会员名称)
	Nickname   string // nickname (昵称)
	Avatar     string // avatar (头像), discount reply
	Phone      string // phone (手机号)
	Gender     string // gender: "0" unknown, "1" male, "2" female
	Birthday   string // birthday (生日)
	Province   string // province code (省)
	City       string // city code (市)
	District   string // district code (区)
}

func (d *dec) userInfo(v gjson.Result, path loc) UserInfo {
	v = d.obj(v, path)
	f := func(key string) string { return d.str(v.Get(key), path.in(key)) }
	return UserInfo{
		CustomerID: f("customer_id"), GroupID: f("groupId"),
		Username: f("username"), Nickname: f("nickname"), Avatar: f("avatar"),
		Phone: f("phone"), Gender: f("gender"), Birthday: f("birthday"),
		Province: f("province"), City: f("city"), District: f("district"),
	}
}

// loc is a JSON path, turned into text only when an error needs it:
// base, then "[idx]" when idx >= 0, then ".key" when key is set.
type loc struct {
	base string
	idx  int
	key  string
}

func at(base string) loc { return loc{base: base, idx: -1} }

// in returns the path of member key of l (l has no key yet).
func (l loc) in(key string) loc { l.key = key; return l }

// at returns the path of element i of l (l has neither index nor key).
func (l loc) at(i int) loc { l.idx = i; return l }

// String returns the path as text, e.g. "data.goods_item[1].coupon_minus".
func (l loc) String() string {
	s := l.base
	if l.idx >= 0 {
		s += "[" + strconv.Itoa(l.idx) + "]"
	}
	if l.key != "" {
		s += "." + l.key
	}
	return s
}

// dec reads lenient JSON values and keeps the first error, of its kind
// (RESPONSE_INVALID for replies, INVALID_ARGUMENT for received requests),
// naming the JSON path.
type dec struct {
	kind errs.Kind
	err  error
}

func (d *dec) fail(path loc, format string, args ...interface{}) {
	if d.err == nil {
		d.err = errs.New(d.kind, path.String(), format, args...)
	}
}

// rekind records err (an *errs.Error from a shared parser) as d's kind.
func (d *dec) rekind(err error) {
	if e, ok := err.(*errs.Error); ok && d.err == nil {
		c := *e
		c.Kind = d.kind
		d.err = &c
	}
}

func describe(v gjson.Result) string {
	if !v.Exists() {
		return "nothing"
	}
	return v.Raw
}

// str returns a scalar's text: a string's content, a number's raw text,
// "true"/"false"; "" for null or absent. Objects and arrays are errors.
func (d *dec) str(v gjson.Result, path loc) string {
	switch v.Type {
	case gjson.Null:
		return ""
	case gjson.String:
		return v.Str
	case gjson.Number, gjson.True, gjson.False:
		return v.Raw
	}
	d.fail(path, "must be a string or a number, got %s", clip(v.Raw))
	return ""
}

// optInt reads an integer sent as a string or a number; "" is absent.
func (d *dec) optInt(v gjson.Result, path loc) OptInt {
	s := strings.TrimSpace(d.str(v, path))
	if s == "" {
		return OptInt{}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		d.fail(path, "%q is not an integer", clip(s))
		return OptInt{}
	}
	return IntOf(n)
}

// yuan reads a non-negative yuan amount (≤ 2 decimals) as fen; "" is absent.
func (d *dec) yuan(v gjson.Result, path loc) OptFen {
	s := strings.TrimSpace(d.str(v, path))
	if s == "" {
		return OptFen{}
	}
	if f, ok := plainYuan(s); ok {
		return FenOf(f)
	}
	f, err := money.ParseYuan(path.String(), s, money.Exact)
	if err != nil {
		d.rekind(err)
		return OptFen{}
	}
	return FenOf(f)
}

// fen reads a non-negative whole number of fen; "" is absent.
func (d *dec) fen(v gjson.Result, path loc) OptFen {
	s := strings.TrimSpace(d.str(v, path))
	if s == "" {
		return OptFen{}
	}
	f, err := money.ParseFen(path.String(), s)
	if err != nil {
		d.rekind(err)
		return OptFen{}
	}
	return FenOf(f)
}

// decimalText reads a non-negative plain decimal (a rate like 8.5 or an
// amount) and returns its text as sent; "" is absent.
func (d *dec) decimalText(v gjson.Result, path loc) string {
	s := strings.TrimSpace(d.str(v, path))
	if s == "" {
		return ""
	}
	if s[0] == '-' {
		d.fail(path, "%q must not be negative", clip(s))
		return ""
	}
	if _, err := money.ParseDecimal(path.String(), s); err != nil {
		d.rekind(err)
		return ""
	}
	return s
}

// obj returns v when it is an object; absent, null, "" and [] (how PHP
// encodes an empty map) read as an empty object. Anything else is an error.
func (d *dec) obj(v gjson.Result, path loc) gjson.Result {
	switch {
	case v.IsObject():
		return v
	case v.Type == gjson.Null, v.Type == gjson.String && v.Str == "":
		return gjson.Result{}
	case v.IsArray() && len(v.Array()) == 0:
		return gjson.Result{}
	}
	d.fail(path, "must be an object, got %s", clip(v.Raw))
	return gjson.Result{}
}

// arr returns the elements of an array; absent, null and "" are empty.
func (d *dec) arr(v gjson.Result, path loc) []gjson.Result {
	switch {
	case v.IsArray():
		return v.Array()
	case v.Type == gjson.Null, v.Type == gjson.String && v.Str == "":
		return nil
	}
	d.fail(path, "must be an array, got %s", clip(v.Raw))
	return nil
}

// list reads a list of ids or codes sent either as a JSON array of strings
// or numbers, or as one string "[id,id]" (the seed's form) or "id,id".
// Numbers keep their raw text, so 18-digit ids are never rounded.
func (d *dec) list(v gjson.Result, path loc) []string {
	if v.Type == gjson.String {
		s := strings.TrimSpace(v.Str)
		if s == "" {
			return nil
		}
		if validJSON([]byte(s)) && gjson.Parse(s).IsArray() {
			return d.list(gjson.Parse(s), path)
		}
		s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
		var out []string
		for _, part := range strings.Split(s, ",") {
			if part = strings.Trim(strings.TrimSpace(part), `"`); part != "" {
				out = append(out, part)
			}
		}
		return out
	}
	var out []string
	for i, e := range d.arr(v, path) {
		out = append(out, d.str(e, path.at(i)))
	}
	return out
}
