package allinpay

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
)

// The package read JSON with encoding/json until it was replaced (size of
// the WebAssembly module). This file keeps that implementation, renamed
// ref*, as the reference the replacement is fuzzed against: same verdicts,
// same values, same errors.

type refWireEnvelope struct {
	Code    json.RawMessage `json:"code"`
	Msg     json.RawMessage `json:"msg"`
	Data    json.RawMessage `json:"data"`
	ReqSeq  json.RawMessage `json:"reqSeq"`
	RespSeq json.RawMessage `json:"respSeq"`
	Sign    json.RawMessage `json:"sign"`
}

func refIsJSONObject(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && json.Valid(b)
}

func refKeyIs(lit []byte, name string) bool {
	if len(lit) == len(name)+2 && string(lit[1:len(lit)-1]) == name {
		return true
	}
	for _, c := range lit {
		if c == '\\' {
			var s string
			return json.Unmarshal(lit, &s) == nil && s == name
		}
	}
	return false
}

// refParseResponse is the previous ParseResponse (verification through the
// current VerifyResponse, compared separately).
func refParseResponse(c *Client, body []byte) (*Response, error) {
	if !refIsJSONObject(body) {
		return nil, errs.New(errs.ResponseInvalid, "", "the reply is not one JSON object")
	}
	var w refWireEnvelope
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, errs.New(errs.ResponseInvalid, "", "the reply is not one JSON object")
	}
	r := &Response{}
	var err error
	if r.Code, err = refScalarText("code", w.Code, true); err != nil {
		return nil, err
	}
	if r.Code == "" {
		return nil, errs.New(errs.ResponseInvalid, "code", "the reply has no code")
	}
	if r.Msg, err = refScalarText("msg", w.Msg, false); err != nil {
		return nil, err
	}
	if r.ReqSeq, err = refScalarText("reqSeq", w.ReqSeq, true); err != nil {
		return nil, err
	}
	if r.RespSeq, err = refScalarText("respSeq", w.RespSeq, true); err != nil {
		return nil, err
	}
	if len(w.Data) > 0 && string(w.Data) != "null" {
		r.Data = RawJSON(w.Data)
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

func refScalarText(field string, raw json.RawMessage, numberOK bool) (string, error) {
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

type refWireCouponSend struct {
	TranNo       json.RawMessage `json:"tranNo"`
	ShopName     json.RawMessage `json:"shopName"`
	TranDateTime json.RawMessage `json:"tranDateTime"`
	Instruction  json.RawMessage `json:"instruction"`
	List         json.RawMessage `json:"list"`
}
type refWireCouponItem struct {
	TemplateID    json.RawMessage `json:"templateId"`
	CouponName    json.RawMessage `json:"couponName"`
	CouponNo      json.RawMessage `json:"couponNo"`
	QRCodeContext json.RawMessage `json:"qrCodeContext"`
}

func refParseCouponSendData(r *Response) (*CouponSendResult, error) {
	var w refWireCouponSend
	if len(r.Data) == 0 || r.Data[0] != '{' || json.Unmarshal(r.Data, &w) != nil {
		return nil, errs.New(errs.ResponseInvalid, "data", "a successful couponSend reply needs a data object")
	}
	res := &CouponSendResult{ReqSeq: r.ReqSeq, RespSeq: r.RespSeq}
	var err error
	if res.TranNo, err = refScalarText("data.tranNo", w.TranNo, true); err != nil {
		return nil, err
	}
	if res.ShopName, err = refNullableString("data.shopName", w.ShopName); err != nil {
		return nil, err
	}
	if res.TranDateTime, err = refParseTranDateTime("data.tranDateTime", w.TranDateTime); err != nil {
		return nil, err
	}
	if res.Instruction, err = refScalarText("data.instruction", w.Instruction, false); err != nil {
		return nil, err
	}
	var items []refWireCouponItem
	if len(w.List) > 0 && string(w.List) != "null" {
		if w.List[0] != '[' || json.Unmarshal(w.List, &items) != nil {
			return nil, errs.New(errs.ResponseInvalid, "data.list", "list must be an array of objects")
		}
	}
	res.List = make([]CouponSendItem, len(items))
	for i, it := range items {
		path := "data.list[" + strconv.Itoa(i) + "]."
		out := &res.List[i]
		if out.TemplateID, err = refExactInt(path+"templateId", it.TemplateID); err != nil {
			return nil, err
		}
		if out.CouponName, err = refScalarText(path+"couponName", it.CouponName, false); err != nil {
			return nil, err
		}
		if out.CouponNo, err = refNullableString(path+"couponNo", it.CouponNo); err != nil {
			return nil, err
		}
		if out.QRCodeContext, err = refNullableString(path+"qrCodeContext", it.QRCodeContext); err != nil {
			return nil, err
		}
	}
	return res, nil
}
func refNullableString(field string, raw json.RawMessage) (*string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	s, err := refScalarText(field, raw, true)
	if err != nil {
		return nil, err
	}
	return &s, nil
}
func refExactInt(field string, raw json.RawMessage) (int64, error) {
	s, err := refScalarText(field, raw, true)
	if err != nil {
		return 0, err
	}
	n, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil {
		return 0, errs.New(errs.ResponseInvalid, field, "%s must be an integer", field)
	}
	return n, nil
}
func refParseTranDateTime(field string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	bad := errs.New(errs.ResponseInvalid, field, "%s is not a date-time (array [y,M,d,H,m,s] or yyyy-MM-dd HH:mm:ss)", field)
	if raw[0] == '[' {
		var parts []json.Number
		if json.Unmarshal(raw, &parts) != nil || len(parts) < 5 || len(parts) > 7 {
			return "", bad
		}
		var v [7]int
		for i, p := range parts {
			n, err := strconv.Atoi(string(p))
			if err != nil || n < 0 {
				return "", bad
			}
			v[i] = n
		}
		t := time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], 0, chinaZone)
		if v[0] < 1 || v[0] > 9999 || int(t.Month()) != v[1] || t.Day() != v[2] || t.Hour() != v[3] ||
			t.Minute() != v[4] || t.Second() != v[5] || v[6] > 999999999 {
			return "", bad
		}
		return t.Format(TimestampLayout), nil
	}
	s, err := refScalarText(field, raw, false)
	if err != nil {
		return "", bad
	}
	for _, layout := range []string{TimestampLayout, "2006-01-02T15:04:05.999999999", "20060102150405"} {
		if t, err := time.ParseInLocation(layout, s, chinaZone); err == nil {
			return t.Format(TimestampLayout), nil
		}
	}
	return "", bad
}

func refResponseSignContent(body []byte, mode VerifyMode) (content []byte, sign string, err error) {
	ms, _, ok := topMembers(body)
	if !ok || !json.Valid(body) {
		return nil, "", errs.New(errs.ResponseInvalid, "", "the reply is not one JSON object")
	}
	idx := -1
	for i, m := range ms {
		if refKeyIs(body[m.keyStart:m.keyEnd], "sign") {
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
		v, err := refDecodeJSON(body)
		if err != nil {
			return nil, "", errs.New(errs.ResponseInvalid, "", "the reply is not one JSON object")
		}
		obj := v.(map[string]interface{})
		delete(obj, "sign")
		return refAppendCanonical(nil, obj), sign, nil
	}
	return nil, "", errs.Invalid("verify", "verify mode %s has no signed content", mode)
}
func refDecodeJSON(b []byte) (interface{}, error) {
	if err := refCheckDepth(b); err != nil {
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
func refCanonicalJSON(text []byte) ([]byte, error) {
	v, err := refDecodeJSON(text)
	if err != nil {
		return nil, errs.New(errs.ResponseInvalid, "", "not one JSON text")
	}
	return refAppendCanonical(nil, v), nil
}
func refAppendCanonical(b []byte, v interface{}) []byte {
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
			b = refAppendString(b, k)
			b = append(b, ':')
			b = refAppendCanonical(b, t[k])
		}
		return append(b, '}')
	case []interface{}:
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = refAppendCanonical(b, e)
		}
		return append(b, ']')
	case string:
		return refAppendString(b, t)
	case json.Number:
		return append(b, t...)
	case bool:
		return strconv.AppendBool(b, t)
	}
	return append(b, "null"...)
}
func refAppendString(b []byte, s string) []byte {
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

func refCheckDepth(b []byte) error {
	d := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			if i = skipString(b, i); i < 0 {
				return nil // not JSON: the decoder reports it
			}
			i--
		case '{', '[':
			if d++; d > maxCanonicalDepth {
				return errs.New(errs.ResponseInvalid, "", "the JSON nests more than %d levels deep", maxCanonicalDepth)
			}
		case '}', ']':
			d--
		}
	}
	return nil
}

// sameError reports whether two errors are alike: both nil, or the same
// kind, field and message.
func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return errs.KindOf(a) == errs.KindOf(b) && a.Error() == b.Error()
}

// refFoldsDotlessI reports whether this toolchain's encoding/json matches
// the key "lıst" (dotless i) to the field list, as it does since Go 1.21.
var refFoldsDotlessI = func() bool {
	var v struct {
		List int `json:"list"`
	}
	return json.Unmarshal([]byte(`{"lıst":1}`), &v) == nil && v.List == 1
}()

// jsonSeeds are the inputs both fuzz targets start from.
func jsonSeeds(f *testing.F) {
	f.Add([]byte(readTestdata(f, "seed002_response.json")))
	for _, s := range []string{
		`{"code":0,"msg":"ok","sign":"QUJD"}`, `{"sign":"QUJD","code":0}`, `{"sign":"QUJD"}`, "{ }", `[]`, `1.50`,
		`"\ud800\u0041\udc00x\ud83d\ude00"`, "\"\xff\xfe\xe6\xb5\"", `{"a":"\u00e9\/\b\f\n\r\t\u0001\u007f"}`,
		`{"code":"0","CODE":3,"Msg":"m","msg":"n","ſign":"x","sign":"QUJD"}`, `{"ſign":"x","code":3,"\u017fign":1}`,
		`{"code":0,"data":{"lıst":[{"templateId":1}],"\u0131nstruction":"x","Kelvin\u212a":1}}`, `{"code":0,"data":{"list":[null,{"templateId":"7"}]}}`,
		`{"code":0,"data":{"tranNo":1,"list":[{"TemplateId":1,"templateid":2}],"tranDateTime":["2020","4",10,"16",3,"49"]}}`,
		`{"code":0,"data":{"tranDateTime":[2020,4,10,16,3,49,"+1"]}}`, `{"code":0,"data":{"tranDateTime":[2020,4,10,16,3,null]}}`,
		`{"code":0,"data":{"list":[1,{"templateId":"x"}]}}`, `{"b":1,"a":2,"b":3,"\u0061":4}`, `{"a":1}x`, `{"a":1} {}`,
		`-0`, `01`, `1e`, `1E+2`, `-`, `tru`, `nul`, `{"a" 1}`, `{,}`, `[1,]`, "\x00", `"\x1f"`, `{"a":[{"b":[{"c":{}}]}]}`,
		strings.Repeat("[", 65) + strings.Repeat("]", 65), strings.Repeat("[", 64) + strings.Repeat("]", 64),
	} {
		f.Add([]byte(s))
	}
}

// FuzzJSONMatchesEncodingJSON: the replacement JSON reading agrees with the
// previous encoding/json one on any input: validity (encoding/json.Valid),
// string decoding, compaction, member matching, the signed content in both
// verify modes, the canonical form, and parsing replies (envelope and
// couponSend data, values and errors).
func FuzzJSONMatchesEncodingJSON(f *testing.F) {
	jsonSeeds(f)
	skip := &Client{cfg: Config{Verify: SkipVerify}}
	f.Fuzz(func(t *testing.T, body []byte) {
		if got, want := validJSON(body), json.Valid(body); got != want {
			t.Fatalf("validJSON(%q) = %v, encoding/json %v", body, got, want)
		}
		if got, want := isJSONObject(body), refIsJSONObject(body); got != want {
			t.Fatalf("isJSONObject(%q) = %v, was %v", body, got, want)
		}
		if lit := bytes.TrimSpace(body); len(lit) > 0 && lit[0] == '"' && json.Valid(lit) {
			var want string
			_ = json.Unmarshal(lit, &want)
			if got, ok := unquote(string(lit)); !ok || got != want {
				t.Fatalf("unquote(%q) = %q, encoding/json %q", lit, got, want)
			}
			for _, name := range []string{want, "sign", want + "x"} {
				if keyIs(lit, name) != refKeyIs(lit, name) {
					t.Fatalf("keyIs(%q, %q) = %v, was %v", lit, name, !refKeyIs(lit, name), refKeyIs(lit, name))
				}
			}
		}
		var compact bytes.Buffer
		wantCompact := append([]byte(nil), body...)
		if json.Compact(&compact, body) == nil {
			wantCompact = compact.Bytes()
		}
		if got := compactJSON(nil, body); !bytes.Equal(got, wantCompact) {
			t.Fatalf("compactJSON(%q) = %q, encoding/json %q", body, got, wantCompact)
		}
		for _, mode := range []VerifyMode{RawMinusSign, SortedCanonical} {
			c1, s1, e1 := ResponseSignContent(body, mode)
			c2, s2, e2 := refResponseSignContent(body, mode)
			if !bytes.Equal(c1, c2) || s1 != s2 || errs.KindOf(e1) != errs.KindOf(e2) {
				t.Fatalf("%s sign content of %q: %q %q %v, was %q %q %v", mode, body, c1, s1, e1, c2, s2, e2)
			}
		}
		// CanonicalJSON once accepted a valid text followed by garbage that is
		// not a second value ({"a":1}x); it now requires one JSON text.
		got, e1 := CanonicalJSON(body)
		want, e2 := refCanonicalJSON(body)
		if e2 == nil && !json.Valid(body) {
			want, e2 = nil, errs.New(errs.ResponseInvalid, "", "not one JSON text")
		}
		if !bytes.Equal(got, want) || !sameError(e1, e2) {
			t.Fatalf("CanonicalJSON(%q) = %q %v, was %q %v", body, got, e1, want, e2)
		}
		if !refFoldsDotlessI && (bytes.Contains(body, []byte("ı")) || bytes.Contains(body, []byte(`\u0131`))) {
			return // Go 1.20's encoding/json did not take "ı" for "i" in field names
		}
		r1, e1 := skip.ParseResponse(body)
		r2, e2 := refParseResponse(skip, body)
		if !reflect.DeepEqual(r1, r2) || !sameError(e1, e2) {
			t.Fatalf("ParseResponse(%q) = %+v %v, was %+v %v", body, r1, e1, r2, e2)
		}
		if r1 == nil || e1 != nil {
			return
		}
		d1, e1 := parseCouponSendData(r1)
		d2, e2 := refParseCouponSendData(r2)
		if !reflect.DeepEqual(d1, d2) || !sameError(e1, e2) {
			t.Fatalf("couponSend data of %q = %+v %v, was %+v %v", body, d1, e1, d2, e2)
		}
	})
}

// FuzzBizContentMatchesEncodingJSON: bizContent is what it was for valid
// UTF-8 values; for invalid UTF-8 each bad byte is now the escape \ufffd
// where it was the raw U+FFFD character (the same JSON value).
func FuzzBizContentMatchesEncodingJSON(f *testing.F) {
	f.Add("S1", "张三\n", `o"<&>\`, "\xff", []byte(`{ "buyerType": "个人" }`))
	f.Add("", "\u2028", "\x7f", "a\x00", []byte(`[1]`))
	f.Fuzz(func(t *testing.T, shop, oper, order, remark string, extend []byte) {
		p := CouponSendParams{ShopID: shop, OperUserID: oper, OrderID: order, Remark: remark, ExtendInfo: extend}
		got := p.BizContent()
		want := refBizContent(&p)
		if !bytes.Equal(got, want) && !bytes.Equal(got, refFFFD(want)) {
			t.Fatalf("bizContent\n got %q\nwant %q", got, want)
		}
		valid := utf8.ValidString(shop) && utf8.ValidString(oper) && utf8.ValidString(order) && utf8.ValidString(remark)
		if valid && !bytes.Equal(got, want) {
			t.Fatalf("bizContent of valid UTF-8 differs:\n got %q\nwant %q", got, want)
		}
	})
}

// refFFFD replaces the raw U+FFFD characters of b by the escape \ufffd.
func refFFFD(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("\uFFFD"), []byte(`\ufffd`))
}

// refBizContent is the previous BizContent.
func refBizContent(p *CouponSendParams) []byte {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	add := func(k, v string) {
		if v == "" {
			return
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = refAppendString(b, k)
		b = append(b, ':')
		b = refAppendString(b, v)
	}
	add("shopId", p.ShopID)
	add("shopCode", p.ShopCode)
	add("operUserId", p.OperUserID)
	add("couponType", p.CouponType)
	add("num", p.Num)
	add("couponTemplateId", p.CouponTemplateID)
	add("idType", p.IDType)
	add("memberId", p.MemberID)
	add("orderId", p.OrderID)
	add("sourceType", p.SourceType)
	add("sourceValue", p.SourceValue)
	add("remark", p.Remark)
	if len(p.ExtendInfo) > 0 {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, `"extendInfo":`...)
		var buf bytes.Buffer
		if json.Compact(&buf, p.ExtendInfo) == nil {
			b = append(b, buf.Bytes()...)
		} else {
			b = append(b, p.ExtendInfo...)
		}
	}
	add("buyerMobile", p.BuyerMobile)
	return append(b, '}')
}

// Deep nesting: validJSON allows encoding/json's 10,000 levels and no more,
// without recursion.
func TestValidJSONDepth(t *testing.T) {
	for _, n := range []int{1, 64, 10000, 10001, 100000} {
		for _, open := range []string{"[", `{"a":`} {
			close := "]"
			if open != "[" {
				close = "}"
			}
			b := []byte(strings.Repeat(open, n) + "1" + strings.Repeat(close, n))
			if got, want := validJSON(b), json.Valid(b); got != want || got != (n <= maxJSONDepth) {
				t.Errorf("%d levels of %s: validJSON %v, encoding/json %v", n, open, got, want)
			}
		}
	}
}

// RawJSON, which replaced json.RawMessage in Response.Data and
// CouponSendParams.ExtendInfo, marshals and unmarshals as it did.
func TestRawJSONLikeRawMessage(t *testing.T) {
	r := Response{Code: "0", Data: RawJSON(`{"a":[1,2]}`)}
	got, err := json.Marshal(r)
	if err != nil || string(got) != `{"code":"0","msg":"","data":{"a":[1,2]},"verified":false}` {
		t.Fatalf("%s %v", got, err)
	}
	if got, _ := json.Marshal(struct{ D RawJSON }{}); string(got) != `{"D":null}` {
		t.Fatalf("nil RawJSON: %s", got)
	}
	var p CouponSendParams
	if err := json.Unmarshal([]byte(`{"extendInfo": {"k" : "v"}}`), &p); err != nil || string(p.ExtendInfo) != `{"k" : "v"}` {
		t.Fatalf("%q %v", p.ExtendInfo, err)
	}
	var nilRaw *RawJSON
	if nilRaw.UnmarshalJSON([]byte("1")) == nil {
		t.Fatal("UnmarshalJSON on nil pointer")
	}
}

// CanonicalJSON takes exactly one JSON text: before, a valid text followed
// by garbage that was not a second value ({"a":1}x) slipped through. A body
// too deep for the canonical form is refused by SignResponse (it signed
// empty content before).
func TestCanonicalJSONStrict(t *testing.T) {
	for _, in := range []string{`{"a":1}x`, `{"a":1} }`, `[1] "x`, `1 2`} {
		if _, err := CanonicalJSON([]byte(in)); errs.KindOf(err) != errs.ResponseInvalid {
			t.Errorf("CanonicalJSON(%s): %v", in, err)
		}
	}
	if got, err := CanonicalJSON([]byte(" {\"b\":\"\\u00e9\",\"a\":[true,false,null,-1.5e+3]} \n")); err != nil ||
		string(got) != `{"a":[true,false,null,-1.5e+3],"b":"é"}` {
		t.Errorf("%s %v", got, err)
	}
	deep := []byte(`{"code":0,"data":` + strings.Repeat("[", 65) + strings.Repeat("]", 65) + `}`)
	if _, err := SignResponse(deep, mustPriv(t, "sm2_pkcs8.pem"), SM2, "", SortedCanonical); errs.KindOf(err) != errs.InvalidArgument {
		t.Errorf("SignResponse of 65 levels, sorted: %v", err)
	}
	if _, err := SignResponse(deep, mustPriv(t, "sm2_pkcs8.pem"), SM2, "", RawMinusSign); err != nil {
		t.Errorf("SignResponse of 65 levels, raw: %v", err)
	}
}
