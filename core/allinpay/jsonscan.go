package allinpay

import (
	"sort"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/internal/jsontext"
)

// The package reads JSON without encoding/json (reflection, ~220 KiB of the
// WebAssembly module) and without gjson (which links encoding/json anyway:
// its @pretty modifier, registered at init, calls json.Unmarshal through
// github.com/tidwall/pretty). validJSON checks a text with encoding/json's
// grammar and limits; topMembers and elementsOf walk the members of a text
// that passed; unquote decodes strings exactly as encoding/json did. None of
// them recurses.

// member is the byte span of one top-level member of a JSON object:
// body[keyStart:keyEnd] is the key string with its quotes, body[colon] the
// ':' and body[valStart:valEnd] the value.
type member struct {
	keyStart, keyEnd int
	colon            int
	valStart, valEnd int
	// comma is the index of the ',' after the value, or -1 for the last member.
	comma int
}

// topMembers scans a JSON object and returns its top-level members in order.
// ok is false when body is not one JSON object. Only the top level is
// tokenized; nested values are skipped with string escapes honoured.
func topMembers(body []byte) (ms []member, closeBrace int, ok bool) {
	i := skipWS(body, 0)
	if i >= len(body) || body[i] != '{' {
		return nil, 0, false
	}
	i = skipWS(body, i+1)
	if i < len(body) && body[i] == '}' {
		return nil, i, skipWS(body, i+1) == len(body)
	}
	for {
		var m member
		if i >= len(body) || body[i] != '"' {
			return nil, 0, false
		}
		m.keyStart = i
		if i = skipString(body, i); i < 0 {
			return nil, 0, false
		}
		m.keyEnd = i
		i = skipWS(body, i)
		if i >= len(body) || body[i] != ':' {
			return nil, 0, false
		}
		m.colon = i
		i = skipWS(body, i+1)
		m.valStart = i
		if i = skipValue(body, i); i < 0 {
			return nil, 0, false
		}
		m.valEnd = i
		i = skipWS(body, i)
		if i >= len(body) {
			return nil, 0, false
		}
		switch body[i] {
		case ',':
			m.comma = i
			ms = append(ms, m)
			i = skipWS(body, i+1)
		case '}':
			m.comma = -1
			ms = append(ms, m)
			return ms, i, skipWS(body, i+1) == len(body)
		default:
			return nil, 0, false
		}
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"', or
// -1 when it is not terminated.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the index after the JSON value starting at b[i], or -1.
// Objects and arrays are skipped by bracket depth (strings honoured); scalars
// run to the next delimiter. Well-formedness is checked separately
// (validJSON).
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				if i = skipString(b, i); i < 0 {
					return -1
				}
				i--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	start := i
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			if i == start {
				return -1
			}
			return i
		}
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// keyIs reports whether the JSON string literal lit decodes to name.
func keyIs(lit []byte, name string) bool {
	if len(lit) == len(name)+2 && string(lit[1:len(lit)-1]) == name {
		return true
	}
	for _, c := range lit {
		if c == '\\' {
			s, ok := unquote(string(lit))
			return ok && s == name
		}
	}
	return false
}

// maxJSONDepth is the deepest nesting of objects and arrays validJSON
// accepts: encoding/json's limit, which the package applied before.
const maxJSONDepth = 10000

// validJSON reports whether b is exactly one JSON value, surrounding
// whitespace allowed, as encoding/json.Valid does: the RFC 8259 grammar,
// strings of any bytes but control characters (UTF-8 is not checked),
// nesting at most maxJSONDepth deep. It scans iteratively: no input can
// exhaust a stack (under WebAssembly a deep recursion throws a RangeError
// from the engine rather than returning an error).
func validJSON(b []byte) bool {
	var open []byte // the open containers, '{' or '['
	i := skipWS(b, 0)
	for {
		// A value starts at i.
		if i >= len(b) {
			return false
		}
		switch c := b[i]; c {
		case '{', '[':
			if len(open) == maxJSONDepth {
				return false
			}
			if i = skipWS(b, i+1); i < len(b) && b[i] == c+2 { // "}" is '{'+2, "]" '['+2
				i++
				break
			}
			open = append(open, c)
			if c == '{' {
				i = memberValue(b, i)
			}
			if i < 0 {
				return false
			}
			continue
		case '"':
			i = scanString(b, i)
		case 't':
			i = scanLiteral(b, i, "true")
		case 'f':
			i = scanLiteral(b, i, "false")
		case 'n':
			i = scanLiteral(b, i, "null")
		default:
			i = scanNumber(b, i)
		}
		if i < 0 {
			return false
		}
		// After a value: close containers, or a comma and the next value.
		for {
			i = skipWS(b, i)
			if len(open) == 0 {
				return i == len(b)
			}
			if i >= len(b) {
				return false
			}
			top := open[len(open)-1]
			if b[i] == top+2 {
				open = open[:len(open)-1]
				i++
				continue
			}
			if b[i] != ',' {
				return false
			}
			if i = skipWS(b, i+1); top == '{' {
				if i = memberValue(b, i); i < 0 {
					return false
				}
			}
			break
		}
	}
}

// memberValue checks an object member's key and colon at b[i] and returns
// where its value starts, or -1.
func memberValue(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	if i = scanString(b, i); i < 0 {
		return -1
	}
	if i = skipWS(b, i); i >= len(b) || b[i] != ':' {
		return -1
	}
	return skipWS(b, i+1)
}

// scanString checks the string at b[i] == '"' and returns the index after
// it, or -1: no control characters, only JSON's escapes.
func scanString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			if i++; i >= len(b) {
				return -1
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) {
					return -1
				}
				for _, h := range b[i+1 : i+5] {
					if hexValue(h) < 0 {
						return -1
					}
				}
				i += 4
			default:
				return -1
			}
		}
	}
	return -1
}

func hexValue(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

func scanLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// scanNumber checks the number at b[i] (-?(0|[1-9][0-9]*)(.[0-9]+)?
// ([eE][+-]?[0-9]+)?) and returns the index after it, or -1.
func scanNumber(b []byte, i int) int {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b) || b[i] < '0' || b[i] > '9':
		return -1
	case b[i] == '0':
		i++
	default:
		i = digits(b, i)
	}
	if i < len(b) && b[i] == '.' {
		if i = digits(b, i+1); i < 0 {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		if i++; i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		return digits(b, i)
	}
	return i
}

// digits returns the index after one or more digits at b[i], or -1.
func digits(b []byte, i int) int {
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// isJSONNumber reports whether s is exactly one JSON number.
func isJSONNumber(s string) bool {
	return s != "" && scanNumber([]byte(s), 0) == len(s)
}

// unquote decodes the JSON string literal lit (quotes included) exactly as
// encoding/json did: invalid UTF-8 bytes and lone surrogates become U+FFFD,
// so the result is valid UTF-8. ok is false when lit is not a string
// literal.
func unquote(lit string) (s string, ok bool) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return "", false
	}
	lit = lit[1 : len(lit)-1]
	// Most strings need no decoding.
	r := 0
	for r < len(lit) {
		c := lit[r]
		if c == '\\' || c == '"' || c < ' ' {
			break
		}
		if c < utf8.RuneSelf {
			r++
			continue
		}
		rr, size := utf8.DecodeRuneInString(lit[r:])
		if rr == utf8.RuneError && size == 1 {
			break
		}
		r += size
	}
	if r == len(lit) {
		return lit, true
	}
	b := make([]byte, 0, len(lit)+2*utf8.UTFMax)
	b = append(b, lit[:r]...)
	for r < len(lit) {
		switch c := lit[r]; {
		case c == '\\':
			r++
			if r >= len(lit) {
				return "", false
			}
			switch lit[r] {
			case '"', '\\', '/', '\'':
				b = append(b, lit[r])
				r++
			case 'b':
				b = append(b, '\b')
				r++
			case 'f':
				b = append(b, '\f')
				r++
			case 'n':
				b = append(b, '\n')
				r++
			case 'r':
				b = append(b, '\r')
				r++
			case 't':
				b = append(b, '\t')
				r++
			case 'u':
				rr := getu4(lit[r-1:])
				if rr < 0 {
					return "", false
				}
				r += 5
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(lit[r:])); dec != utf8.RuneError {
						b = utf8.AppendRune(b, dec) // a valid pair
						r += 6
						break
					}
					rr = utf8.RuneError
				}
				b = utf8.AppendRune(b, rr)
			default:
				return "", false
			}
		case c == '"', c < ' ':
			return "", false
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default: // invalid UTF-8 bytes become U+FFFD, one each
			rr, size := utf8.DecodeRuneInString(lit[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return string(b), true
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s string) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for i := 2; i < 6; i++ {
		h := hexValue(s[i])
		if h < 0 {
			return -1
		}
		r = r*16 + h
	}
	return r
}

// compactJSON appends src without the whitespace outside its strings when
// it is valid JSON (as encoding/json.Compact), else src unchanged.
func compactJSON(dst, src []byte) []byte {
	if !validJSON(src) {
		return append(dst, src...)
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case ' ', '\t', '\r', '\n':
		case '"':
			end := skipString(src, i)
			dst = append(dst, src[i:end]...)
			i = end - 1
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// fieldsOf returns the raw values of the members of the JSON object obj
// (valid JSON) named names (ASCII), nil for those absent. Keys match as
// encoding/json matched struct fields: exactly or case-insensitively (see
// foldsTo), the last occurrence winning.
func fieldsOf(obj []byte, names ...string) [][]byte {
	vals := make([][]byte, len(names))
	ms, _, _ := topMembers(obj)
	for _, m := range ms {
		k, _ := unquote(string(obj[m.keyStart:m.keyEnd]))
		for i, n := range names {
			if k == n || foldsTo(k, n) {
				vals[i] = obj[m.valStart:m.valEnd]
				break
			}
		}
	}
	return vals
}

// foldsTo reports whether key, upper-cased rune by rune, equals the ASCII
// name upper-cased: encoding/json's case-insensitive field match since Go
// 1.21 (so "CODE" and "ſign" match code and sign; Go 1.20's also did
// not take "ı" for "i").
func foldsTo(key, name string) bool {
	i := 0
	for _, r := range key {
		if i >= len(name) || unicode.ToUpper(r) != unicode.ToUpper(rune(name[i])) {
			return false
		}
		i++
	}
	return i == len(name)
}

// elementsOf returns the raw elements of the JSON array arr (valid JSON).
func elementsOf(arr []byte) [][]byte {
	var out [][]byte
	i := skipWS(arr, skipWS(arr, 0)+1)
	for i < len(arr) && arr[i] != ']' {
		end := skipValue(arr, i)
		if end < 0 {
			break
		}
		out = append(out, arr[i:end])
		if i = skipWS(arr, end); i < len(arr) && arr[i] == ',' {
			i = skipWS(arr, i+1)
		}
	}
	return out
}

// appendCanonical appends the JSON value raw (valid JSON, whose nesting the
// caller has bounded) in canonical form (see CanonicalJSON), leaving out
// the top-level members named drop when raw is an object (drop "": none).
// It keeps its own stack: the output is written without recursion.
func appendCanonical(dst, raw []byte, drop string) []byte {
	type frame struct {
		keys   []string // the members' decoded keys, sorted; nil for an array
		values [][]byte // raw values in output order
		next   int
	}
	var stack []frame
	// open writes a scalar, or the opening bracket of a container and pushes
	// its frame.
	open := func(raw []byte, drop string) {
		switch raw[0] {
		case '{':
			type member struct {
				key   string
				value []byte
			}
			ms, _, _ := topMembers(raw)
			kept := make([]member, 0, len(ms))
			for _, m := range ms {
				k, _ := unquote(string(raw[m.keyStart:m.keyEnd]))
				if k != drop || drop == "" {
					kept = append(kept, member{k, raw[m.valStart:m.valEnd]})
				}
			}
			// Sorted by key; of repeated keys the last one counts, as when
			// the object was decoded into a map.
			sort.SliceStable(kept, func(i, j int) bool { return kept[i].key < kept[j].key })
			f := frame{keys: make([]string, 0, len(kept)), values: make([][]byte, 0, len(kept))}
			for i, m := range kept {
				if i+1 < len(kept) && kept[i+1].key == m.key {
					continue
				}
				f.keys = append(f.keys, m.key)
				f.values = append(f.values, m.value)
			}
			dst = append(dst, '{')
			stack = append(stack, f)
		case '[':
			dst = append(dst, '[')
			stack = append(stack, frame{values: elementsOf(raw)})
		case '"':
			s, _ := unquote(string(raw))
			dst = jsontext.AppendString(dst, s)
		default: // numbers as written, true, false, null
			dst = append(dst, raw...)
		}
	}
	open(jsontext.TrimSpace(raw), drop)
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next == len(f.values) {
			if f.keys != nil {
				dst = append(dst, '}')
			} else {
				dst = append(dst, ']')
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if f.next > 0 {
			dst = append(dst, ',')
		}
		if f.keys != nil {
			dst = jsontext.AppendString(dst, f.keys[f.next])
			dst = append(dst, ':')
		}
		v := f.values[f.next]
		f.next++
		open(v, "")
	}
	return dst
}

// atoiJSON parses a non-negative integer given as a JSON number or a string
// holding one; ok is false otherwise.
func atoiJSON(raw []byte) (int, bool) {
	s := string(raw)
	if s != "" && s[0] == '"' {
		var ok bool
		if s, ok = unquote(s); !ok || !isJSONNumber(s) {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}
