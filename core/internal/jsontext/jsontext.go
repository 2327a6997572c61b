// Package jsontext holds the small JSON text helpers every core package
// shares: writing a string as a JSON string, measuring nesting depth without
// recursion, trimming JSON whitespace, and clipping untrusted text for error
// messages. It has no dependencies beyond the standard library.
package jsontext

import (
	"math/bits"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// plain marks the bytes AppendString copies as they are: printable ASCII
// other than '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// AppendString appends s to dst as a JSON string. Quotes, backslashes and
// control characters are escaped (\b \f \n \r \t in their short forms, the
// rest as \u00XX); other UTF-8, Chinese included, is kept as is; each byte of
// invalid UTF-8 becomes \ufffd, so the output is always valid UTF-8 JSON.
//
// Runs of plain bytes are tested 8 at a time (special), which also finds
// the first byte of a word that is not plain.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			m := special(load64(s, i))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3 // the first byte that is not plain
		}
		c := s[i]
		if plain[c] { // the last 7 bytes, one by one
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			// a run of UTF-8, kept as is but for invalid bytes
			for i < len(s) && s[i] >= utf8.RuneSelf {
				r, size := utf8.DecodeRuneInString(s[i:])
				if r == utf8.RuneError && size == 1 {
					dst = append(dst, s[start:i]...)
					dst = append(dst, `\ufffd`...)
					start = i + 1
				}
				i += size
			}
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
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

const (
	lsb = 0x0101010101010101 // the low bit of each byte of a word
	msb = 0x8080808080808080 // the high bit of each byte of a word
)

// load64 returns s[i:i+8] as a word, s[i] in its low byte on every
// platform: the lowest flagged byte of a mask below is the first in s.
func load64[T string | []byte](s T, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// special returns the high bit of each byte of x that may not be plain
// (printable ASCII other than '"' and '\\'), and the lowest one it returns
// is exactly the first (lowest) such byte. A byte ≥ 0x80 sets its high bit
// in x; subtracting lsb×n from a word with no byte ≥ 0x80 sets the high bit
// of its lowest byte below n (which borrows and wraps) and of none under it
// (a byte above may take the borrow too: a false hit, but above the first),
// and x^(lsb×c) has a zero byte exactly where x has c.
func special(x uint64) uint64 {
	return (x | (x - lsb*0x20) | ((x ^ (lsb * '"')) - lsb) | ((x ^ (lsb * '\\')) - lsb)) & msb
}

// quotes returns the high bit of each byte of x that may be '"' or '\\',
// and the lowest one it returns is exactly the first such byte:
// (v-lsb) &^ v has the high bit of v's lowest zero byte set (bytes ≥ 0x80
// are masked off by &^ v), and x^(lsb×c) is zero exactly where x has c.
func quotes(x uint64) uint64 {
	q, bs := x^(lsb*'"'), x^(lsb*'\\')
	return ((q-lsb)&^q | (bs-lsb)&^bs) & msb
}

// Depth returns how deep b nests '{' and '[' outside strings, scanning
// iteratively so that no recursive parser need see a hostile body first. It
// stops as soon as the depth exceeds limit and returns limit+1 then; a body
// that is not JSON gets some depth and is left to the parser to refuse.
func Depth(b []byte, limit int) int {
	d, deepest := 0, 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			// Skip the string in a tight loop of its own, 8 bytes a step
			// up to the next '"' or '\\': most of a body's bytes are
			// inside strings.
			for i++; i < len(b); i++ {
				for i+8 <= len(b) {
					m := quotes(load64(b, i))
					if m == 0 {
						i += 8
						continue
					}
					i += bits.TrailingZeros64(m) >> 3
					break
				}
				if i >= len(b) || b[i] == '"' {
					break
				}
				if b[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			if d++; d > deepest {
				if deepest = d; deepest > limit {
					return deepest
				}
			}
		case '}', ']':
			d--
		}
	}
	return deepest
}

// IsSpace reports whether c is JSON whitespace.
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// TrimSpace returns b without leading and trailing JSON whitespace.
func TrimSpace(b []byte) []byte {
	for len(b) > 0 && IsSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && IsSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// IsDigits reports whether s is non-empty ASCII decimal digits.
func IsDigits(s string) bool {
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

// Clip shortens untrusted text quoted in an error message to at most max
// bytes (cut at a rune boundary) followed by "…".
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
