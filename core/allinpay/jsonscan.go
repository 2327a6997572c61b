package allinpay

import (
	"encoding/json"
)

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
// (json.Valid).
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
			var s string
			return json.Unmarshal(lit, &s) == nil && s == name
		}
	}
	return false
}
