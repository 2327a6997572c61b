package zvcms

import (
	"strconv"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
)

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string: quotes, backslashes and control
// characters escaped, other UTF-8 kept as is, invalid UTF-8 replaced by
// U+FFFD (validators reject it before it gets here).
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendIntString appends v as a JSON string ("12"), or "" when v is 0 and
// zeroAbsent.
func appendIntString(dst []byte, v int64, zeroAbsent bool) []byte {
	dst = append(dst, '"')
	if v != 0 || !zeroAbsent {
		dst = strconv.AppendInt(dst, v, 10)
	}
	return append(dst, '"')
}

// isDigits reports whether s is non-empty ASCII decimal digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isWS(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimWS(b []byte) []byte {
	for len(b) > 0 && isWS(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isWS(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// checkObject reports an INVALID_ARGUMENT naming field unless b is exactly
// one well-formed JSON object.
func checkObject(field string, b []byte) error {
	b = trimWS(b)
	if len(b) == 0 || b[0] != '{' || !validJSON(b) {
		return errs.Invalid(field, "must be one well-formed JSON object")
	}
	return nil
}

// clip shortens untrusted text quoted in an error message.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	n := 40
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
