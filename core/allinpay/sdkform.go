package allinpay

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
)

// This file is the one hand-written JSON reader of the package: a strict
// parser whose only job is the fastjson-compatible canonical form the
// vendor's Java SDK verifies replies against (see SDKForm), and the facts
// about a text that make its parsed and signed views differ (duplicate
// members, lone surrogate escapes). Everything else reads JSON with gjson.
//
// Strings are kept as UTF-16 code units, as Java holds them: keys sort in
// that order, and a lone surrogate survives until it is written (as '?',
// which is what String.getBytes(UTF_8) makes of it).

// maxReplyDepth is the deepest nesting of objects and arrays a reply may
// have. Real replies nest a handful of levels.
const maxReplyDepth = 64

type jkind uint8

const (
	jNull jkind = iota
	jTrue
	jFalse
	jNumber
	jString
	jObject
	jArray
)

// jvalue is one parsed JSON value. Objects keep their members last-wins
// (fastjson's view), in first-appearance order.
type jvalue struct {
	kind    jkind
	num     string   // the number literal
	str     []uint16 // the decoded string
	members []jmember
	elems   []jvalue
}

type jmember struct {
	key []uint16
	val jvalue
}

// topSpan is the byte span of one top-level member: body[keyStart:keyEnd]
// is the key with its quotes, body[colon] the ':', body[valStart:valEnd] the
// value, body[comma] the ',' after it (-1 for the last member).
type topSpan struct {
	key                     string
	keyStart, keyEnd, colon int
	valStart, valEnd, comma int
	valKind                 jkind
	valStr                  []uint16
	valNum                  string
}

// parsedReply is a reply body read strictly.
type parsedReply struct {
	body []byte
	root jvalue
	top  []topSpan
	// dupPath is the path of the first member that repeats a key of its
	// object ("" when none); loneSurrogate the byte offset of the first
	// escape that is an unpaired surrogate (-1 when none).
	dupPath       string
	loneSurrogate int
	surrogatePath string
	// objStart and objEnd delimit the object within body (whitespace
	// around it excluded).
	objStart, objEnd int
}

type jparser struct {
	b     []byte
	i     int
	depth int
	r     *parsedReply
	err   string
	path  []string
}

// parseStrict reads b as one strict JSON object (RFC 8259: no BOM, no
// comments, no trailing commas, strings valid UTF-8 without raw control
// characters) nesting at most maxReplyDepth levels, with no "$ref" or
// "@type" key anywhere (fastjson gives those meaning; see RULES.md R14).
// The error text says what is wrong and where, never quoting the text.
func parseStrict(b []byte) (*parsedReply, string) {
	r := &parsedReply{body: b, loneSurrogate: -1}
	p := &jparser{b: b, r: r}
	p.ws()
	if p.i >= len(b) || b[p.i] != '{' {
		return nil, "not one JSON object"
	}
	r.objStart = p.i
	p.root(&r.root)
	if p.err != "" {
		return nil, p.err
	}
	r.objEnd = p.i
	p.ws()
	if p.i != len(b) {
		return nil, "text follows the JSON object at byte " + strconv.Itoa(p.i)
	}
	return r, ""
}

func (p *jparser) fail(what string) {
	if p.err == "" {
		p.err = what + " at byte " + strconv.Itoa(p.i)
	}
}

func (p *jparser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) pathString() string {
	var s strings.Builder
	for _, e := range p.path {
		if s.Len() > 0 && e[0] != '[' {
			s.WriteByte('.')
		}
		s.WriteString(e)
	}
	return s.String()
}

// root parses the top-level object, recording member spans.
func (p *jparser) root(v *jvalue) {
	p.object(v, true)
}

func (p *jparser) value(v *jvalue) {
	if p.err != "" {
		return
	}
	p.ws()
	if p.i >= len(p.b) {
		p.fail("unexpected end of the text")
		return
	}
	switch c := p.b[p.i]; {
	case c == '{':
		p.object(v, false)
	case c == '[':
		p.array(v)
	case c == '"':
		v.kind = jString
		v.str = p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		v.kind = jNumber
		v.num = p.number()
	default:
		for _, lit := range [...]struct {
			s string
			k jkind
		}{{"null", jNull}, {"true", jTrue}, {"false", jFalse}} {
			if strings.HasPrefix(string(p.b[p.i:min2(len(p.b), p.i+5)]), lit.s) {
				p.i += len(lit.s)
				v.kind = lit.k
				return
			}
		}
		p.fail("not a JSON value")
	}
}

func min2(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func (p *jparser) enter() bool {
	p.depth++
	if p.depth > maxReplyDepth {
		p.fail("the JSON nests more than " + strconv.Itoa(maxReplyDepth) + " levels")
		return false
	}
	return true
}

func (p *jparser) object(v *jvalue, top bool) {
	v.kind = jObject
	if !p.enter() {
		return
	}
	p.i++ // '{'
	index := map[string]int{}
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		p.depth--
		return
	}
	for p.err == "" {
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			p.fail("expected a member name")
			return
		}
		var sp topSpan
		sp.keyStart = p.i
		key := p.str()
		sp.keyEnd = p.i
		if p.err != "" {
			return
		}
		ks := string(utf16.Decode(key))
		if ks == "$ref" || ks == "@type" {
			p.fail("the key " + ks + " (fastjson gives it a meaning of its own) is refused")
			return
		}
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			p.fail("expected ':'")
			return
		}
		sp.colon = p.i
		p.i++
		p.ws()
		sp.valStart = p.i
		p.path = append(p.path, keyPath(ks))
		var m jmember
		m.key = key
		p.value(&m.val)
		sp.valEnd = p.i
		if _, dup := index[ks]; dup && p.r.dupPath == "" {
			p.r.dupPath = p.pathString()
		}
		p.path = p.path[:len(p.path)-1]
		if at, dup := index[ks]; dup {
			v.members[at].val = m.val // last wins
		} else {
			index[ks] = len(v.members)
			v.members = append(v.members, m)
		}
		p.ws()
		if p.i >= len(p.b) {
			p.fail("unexpected end of the text")
			return
		}
		sp.comma = -1
		if top {
			sp.key, sp.valKind, sp.valStr, sp.valNum = ks, m.val.kind, m.val.str, m.val.num
		}
		switch p.b[p.i] {
		case ',':
			sp.comma = p.i
			p.i++
			if top {
				p.r.top = append(p.r.top, sp)
			}
		case '}':
			p.i++
			p.depth--
			if top {
				p.r.top = append(p.r.top, sp)
			}
			return
		default:
			p.fail("expected ',' or '}'")
			return
		}
	}
}

// keyPath is a member's path element: the key, or ["key"] when it is not a
// plain identifier-like name (so that the path stays unambiguous).
func keyPath(k string) string {
	plain := k != ""
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9' && i > 0)) {
			plain = false
			break
		}
	}
	if plain {
		return k
	}
	return "[" + strconv.Quote(k) + "]"
}

func (p *jparser) array(v *jvalue) {
	v.kind = jArray
	if !p.enter() {
		return
	}
	p.i++ // '['
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		p.depth--
		return
	}
	for n := 0; p.err == ""; n++ {
		p.path = append(p.path, "["+strconv.Itoa(n)+"]")
		var e jvalue
		p.value(&e)
		p.path = p.path[:len(p.path)-1]
		v.elems = append(v.elems, e)
		p.ws()
		if p.i >= len(p.b) {
			p.fail("unexpected end of the text")
			return
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			p.depth--
			return
		default:
			p.fail("expected ',' or ']'")
			return
		}
	}
}

// str reads a string starting at '"' and returns its UTF-16 code units.
func (p *jparser) str() []uint16 {
	p.i++ // '"'
	out := make([]uint16, 0, 16)
	for p.err == "" {
		if p.i >= len(p.b) {
			p.fail("unterminated string")
			return nil
		}
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return out
		case c < 0x20:
			p.fail("raw control character in a string")
			return nil
		case c == '\\':
			start := p.i
			if p.i+1 >= len(p.b) {
				p.fail("unterminated string")
				return nil
			}
			e := p.b[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, uint16(e))
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				u, ok := hex4(p.b, p.i)
				if !ok {
					p.i = start
					p.fail("invalid \\u escape")
					return nil
				}
				p.i += 4
				out = append(out, u)
				switch {
				case u >= 0xD800 && u < 0xDC00:
					// A high surrogate must be followed by an escaped low one.
					if p.i+6 <= len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
						if lo, ok := hex4(p.b, p.i+2); ok && lo >= 0xDC00 && lo < 0xE000 {
							out = append(out, lo)
							p.i += 6
							continue
						}
					}
					p.lone(start)
				case u >= 0xDC00 && u < 0xE000:
					p.lone(start)
				}
			default:
				p.i = start
				p.fail("invalid escape")
				return nil
			}
		case c < utf8.RuneSelf:
			out = append(out, uint16(c))
			p.i++
		default:
			r, n := utf8.DecodeRune(p.b[p.i:])
			if r == utf8.RuneError && n <= 1 {
				p.fail("invalid UTF-8")
				return nil
			}
			p.i += n
			if r >= 0x10000 {
				hi, lo := utf16.EncodeRune(r)
				out = append(out, uint16(hi), uint16(lo))
			} else {
				out = append(out, uint16(r))
			}
		}
	}
	return nil
}

func (p *jparser) lone(at int) {
	if p.r.loneSurrogate < 0 {
		p.r.loneSurrogate = at
		p.r.surrogatePath = p.pathString()
	}
}

func hex4(b []byte, i int) (uint16, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var u uint16
	for _, c := range b[i : i+4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		u = u<<4 | uint16(d)
	}
	return u, true
}

// number reads a strict JSON number literal and returns its text.
func (p *jparser) number() string {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.b) && p.b[p.i] == '0':
		p.i++
	case p.i < len(p.b) && p.b[p.i] >= '1' && p.b[p.i] <= '9':
		p.digits()
	default:
		p.fail("invalid number")
		return ""
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			p.fail("invalid number")
			return ""
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			p.fail("invalid number")
			return ""
		}
	}
	return string(p.b[start:p.i])
}

func (p *jparser) digits() int {
	n := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// bigDecimal splits a JSON number literal as java.math.BigDecimal reads it:
// the sign, the unscaled digits without leading zeros ("0" for zero) and
// the scale. ok is false when the scale does not fit an int32 (BigDecimal
// refuses such literals).
func bigDecimal(lit string) (neg bool, coeff string, scale int64, ok bool) {
	s := lit
	if s != "" && s[0] == '-' {
		neg, s = true, s[1:]
	}
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	e := int64(0)
	if exp != "" {
		n, err := strconv.ParseInt(exp, 10, 32)
		if err != nil {
			return false, "", 0, false
		}
		e = n
	}
	scale = int64(len(frac)) - e
	if scale > 1<<31-1 || scale < -(1<<31) {
		return false, "", 0, false
	}
	coeff = strings.TrimLeft(intPart+frac, "0")
	if coeff == "" {
		coeff, neg = "0", false
	}
	return neg, coeff, scale, true
}

// javaNumber writes a number literal as fastjson does (RULES.md R7, R8): an
// integer literal as its plain value; any other literal as
// new BigDecimal(literal).toString().
func javaNumber(dst []byte, lit string) ([]byte, bool) {
	if !strings.ContainsAny(lit, ".eE") {
		if strings.TrimLeft(lit, "-0") == "" {
			return append(dst, '0'), true
		}
		return append(dst, lit...), true
	}
	neg, coeff, scale, ok := bigDecimal(lit)
	if !ok {
		return dst, false
	}
	if neg {
		dst = append(dst, '-')
	}
	adj := -scale + int64(len(coeff)-1)
	switch {
	case scale == 0:
		return append(dst, coeff...), true
	case scale > 0 && adj >= -6:
		if int64(len(coeff)) > scale {
			cut := len(coeff) - int(scale)
			dst = append(dst, coeff[:cut]...)
			dst = append(dst, '.')
			return append(dst, coeff[cut:]...), true
		}
		dst = append(dst, "0."...)
		for i := int64(len(coeff)); i < scale; i++ {
			dst = append(dst, '0')
		}
		return append(dst, coeff...), true
	}
	dst = append(dst, coeff[0])
	if len(coeff) > 1 {
		dst = append(dst, '.')
		dst = append(dst, coeff[1:]...)
	}
	dst = append(dst, 'E')
	if adj > 0 {
		dst = append(dst, '+')
	}
	return strconv.AppendInt(dst, adj, 10), true
}

// plainDecimal returns a number literal's exact value as plain decimal text
// with the literal's scale (BigDecimal.toPlainString): "1.50" stays "1.50",
// "1.05E+1" is "10.5", "1E+2" is "100". Two literals the SDK form writes
// alike give the same text. ok is false for an absurd exponent.
func plainDecimal(lit string) (string, bool) {
	neg, coeff, scale, ok := bigDecimal(lit)
	if !ok || scale > 1000 || scale < -1000 {
		return "", false
	}
	var b []byte
	if neg {
		b = append(b, '-')
	}
	switch {
	case scale <= 0:
		b = append(b, coeff...)
		if coeff != "0" {
			for i := int64(0); i < -scale; i++ {
				b = append(b, '0')
			}
		}
	case int64(len(coeff)) > scale:
		cut := len(coeff) - int(scale)
		b = append(append(append(b, coeff[:cut]...), '.'), coeff[cut:]...)
	default:
		b = append(b, "0."...)
		for i := int64(len(coeff)); i < scale; i++ {
			b = append(b, '0')
		}
		b = append(b, coeff...)
	}
	return string(b), true
}

// appendJavaString writes UTF-16 units as fastjson escapes a string (R10),
// encoded as String.getBytes(UTF_8) does: a lone surrogate becomes '?' (R11).
func appendJavaString(dst []byte, s []uint16) []byte {
	const hexDigits = "0123456789ABCDEF"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		u := s[i]
		switch {
		case u < 0x80 && shortEscapes[u] != 0:
			dst = append(dst, '\\', shortEscapes[u])
		case u < 0x20, u >= 0x7F && u <= 0x9F, u == 0x2028, u == 0x2029:
			dst = append(dst, '\\', 'u', hexDigits[u>>12], hexDigits[u>>8&15], hexDigits[u>>4&15], hexDigits[u&15])
		case u < 0x80:
			dst = append(dst, byte(u))
		case u >= 0xD800 && u < 0xDC00 && i+1 < len(s) && s[i+1] >= 0xDC00 && s[i+1] < 0xE000:
			dst = utf8.AppendRune(dst, utf16.DecodeRune(rune(u), rune(s[i+1])))
			i++
		case u >= 0xD800 && u < 0xE000:
			dst = append(dst, '?')
		default:
			dst = utf8.AppendRune(dst, rune(u))
		}
	}
	return append(dst, '"')
}

// shortEscapes are the characters fastjson escapes with a backslash and a
// letter (or themselves).
var shortEscapes = [0x80]byte{'"': '"', '\\': '\\', '\b': 'b', '\t': 't', '\n': 'n', '\f': 'f', '\r': 'r'}

// lessUTF16 is Java's String.compareTo: UTF-16 code-unit order.
func lessUTF16(a, b []uint16) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// appendSDK writes v in the SDK form: compact, null members dropped at every
// depth (nulls in arrays kept), keys sorted in UTF-16 order. At the top
// level, drop names the member left out ("sign").
func appendSDK(dst []byte, v *jvalue, drop string) []byte {
	switch v.kind {
	case jNull:
		return append(dst, "null"...)
	case jTrue:
		return append(dst, "true"...)
	case jFalse:
		return append(dst, "false"...)
	case jNumber:
		dst, _ = javaNumber(dst, v.num) // checked when parsed
		return dst
	case jString:
		return appendJavaString(dst, v.str)
	case jArray:
		dst = append(dst, '[')
		for i := range v.elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendSDK(dst, &v.elems[i], "")
		}
		return append(dst, ']')
	}
	ms := make([]*jmember, 0, len(v.members))
	for i := range v.members {
		m := &v.members[i]
		if m.val.kind == jNull || (drop != "" && string(utf16.Decode(m.key)) == drop) {
			continue
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return lessUTF16(ms[i].key, ms[j].key) })
	dst = append(dst, '{')
	for i, m := range ms {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJavaString(dst, m.key)
		dst = append(dst, ':')
		dst = appendSDK(dst, &m.val, "")
	}
	return append(dst, '}')
}

// checkNumbers reports whether every number in v has a scale BigDecimal
// accepts.
func checkNumbers(v *jvalue) bool {
	switch v.kind {
	case jNumber:
		_, ok := javaNumber(nil, v.num)
		return ok
	case jArray:
		for i := range v.elems {
			if !checkNumbers(&v.elems[i]) {
				return false
			}
		}
	case jObject:
		for i := range v.members {
			if !checkNumbers(&v.members[i].val) {
				return false
			}
		}
	}
	return true
}

// readReply parses a reply body strictly (see parseStrict). A body that is
// not strict JSON, or that fastjson would read differently (R12–R14), is
// errs.ResponseInvalid.
func readReply(body []byte) (*parsedReply, error) {
	r, why := parseStrict(body)
	if why == "" && !checkNumbers(&r.root) {
		why = "a number's exponent is out of range"
	}
	if why != "" {
		return nil, errs.New(errs.ResponseInvalid, "", "the reply is not strict JSON: %s", why)
	}
	return r, nil
}

// unambiguous refuses what could make the parsed data differ from a signed
// view: a repeated member (fastjson keeps the last, a reader may keep the
// first) and a lone surrogate escape (signed as '?', read as U+FFFD).
func (r *parsedReply) unambiguous() error {
	if r.dupPath != "" {
		return errs.New(errs.ResponseInvalid, r.dupPath, "the reply repeats the member %s; a reply with repeated members is refused (its parsed data could differ from what was signed)", r.dupPath)
	}
	if r.loneSurrogate >= 0 {
		return errs.New(errs.ResponseInvalid, r.surrogatePath, "the reply has a lone surrogate escape at byte %d; refused (it is signed as '?' but would read as U+FFFD)", r.loneSurrogate)
	}
	return nil
}

// sdkForm is the SDK form of the reply without its top-level sign.
func (r *parsedReply) sdkForm() []byte {
	return appendSDK(make([]byte, 0, len(r.body)), &r.root, "sign")
}

// signMember returns the index in r.top of the (last) top-level sign
// member, or -1.
func (r *parsedReply) signMember() int {
	at := -1
	for i := range r.top {
		if r.top[i].key == "sign" {
			at = i
		}
	}
	return at
}

// rawForm is the body with the top-level sign member's tokens deleted: its
// key, colon and value, and the comma before it (after it when it is the
// first member); every other byte, whitespace included, is kept. Without a
// sign member it is the body itself.
func (r *parsedReply) rawForm() []byte {
	idx := r.signMember()
	if idx < 0 {
		return append([]byte(nil), r.body...)
	}
	m := r.top[idx]
	comma := m.comma
	if idx > 0 {
		comma = r.top[idx-1].comma
	}
	cut := [][2]int{{m.keyStart, m.keyEnd}, {m.colon, m.colon + 1}, {m.valStart, m.valEnd}}
	if comma >= 0 {
		cut = append(cut, [2]int{comma, comma + 1})
		sort.Slice(cut, func(i, j int) bool { return cut[i][0] < cut[j][0] })
	}
	out := make([]byte, 0, len(r.body))
	at := 0
	for _, c := range cut {
		out = append(out, r.body[at:c[0]]...)
		at = c[1]
	}
	return append(out, r.body[at:]...)
}

// SDKForm returns the bytes the vendor's Java SDK (OpenClient) verifies a
// reply's signature over: the reply parsed with fastjson, its top-level
// "sign" removed, written with JSON.toJSONString(map, MapSortField) and
// encoded as UTF-8. That is compact JSON with null members dropped at every
// depth (nulls in arrays kept), object keys sorted at every depth in Java
// (UTF-16) order, integers as their plain value, other numbers as
// BigDecimal.toString() ("1.50", "1E-7", "1.0E+2"), and strings escaped as
// fastjson does (U+007F–U+009F, U+2028/2029 and controls as upper-case
// \uXXXX, '/' and other characters raw, a lone surrogate as '?').
// It matches fastjson 1.2.83 byte for byte on every strict-JSON case of the
// reference fixtures, repeated members (last wins) and lone surrogates
// included: use VerifyResponse to refuse those.
//
// A body that is not one strict JSON object, that nests more than 64
// levels, or that has a "$ref" or "@type" key (which fastjson interprets) is
// errs.ResponseInvalid: fastjson's lenient readings are not imitated.
func SDKForm(body []byte) ([]byte, error) {
	r, err := readReply(body)
	if err != nil {
		return nil, err
	}
	return r.sdkForm(), nil
}

// utf16Decode returns the UTF-8 text of UTF-16 units (a lone surrogate as
// U+FFFD; replies holding one are refused before this is used).
func utf16Decode(s []uint16) string { return string(utf16.Decode(s)) }
