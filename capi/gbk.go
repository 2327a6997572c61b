package main

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// gbkToUTF8 decodes GBK text (code page 936) to UTF-8. Bytes that are not
// valid GBK are an INVALID_ARGUMENT error naming field and the byte offset:
// nothing is silently replaced.
func gbkToUTF8(field string, b []byte) ([]byte, error) {
	if isASCII(b) {
		return b, nil
	}
	out, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
	if err == nil && !bytes.ContainsRune(out, utf8.RuneError) {
		// GBK has no U+FFFD, so a decoded U+FFFD always marks invalid input.
		return out, nil
	}
	return nil, errs.Invalid(field, "%s is not valid GBK text (first bad byte at offset %d)", field, badGBKOffset(b))
}

// badGBKOffset returns the offset of the first character of b that does not
// decode as GBK (called only after decoding failed).
func badGBKOffset(b []byte) int {
	dec := simplifiedchinese.GBK.NewDecoder()
	for i := 0; i < len(b); {
		n := 1
		if b[i] >= 0x81 && b[i] <= 0xFE && i+1 < len(b) {
			n = 2
		}
		if b[i] < 0x80 {
			i++
			continue
		}
		out, err := dec.Bytes(b[i : i+n])
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return i
		}
		i += n
	}
	return len(b)
}

// gbkOffset maps a byte offset in text, the UTF-8 decoding of the GBK text
// raw, to the offset of the same character in raw: each GBK character (one
// byte below 0x81, else two) decodes to one rune.
func gbkOffset(raw, text []byte) func(int) int {
	return func(off int) int {
		if off > len(text) {
			off = len(text)
		}
		runes := utf8.RuneCount(text[:off])
		i := 0
		for ; runes > 0 && i < len(raw); runes-- {
			if raw[i] >= 0x81 && raw[i] <= 0xFE {
				i++
			}
			i++
		}
		if i > len(raw) {
			i = len(raw)
		}
		return i
	}
}

// utf8ToGBK encodes a UTF-8 JSON document to GBK. A character GBK cannot
// hold is written as a JSON \uXXXX escape (a surrogate pair above U+FFFF):
// outside strings a JSON document is ASCII, so every such character sits
// inside a string and the escape keeps the document valid and lossless.
func utf8ToGBK(b []byte) ([]byte, error) {
	if isASCII(b) {
		return b, nil
	}
	enc := simplifiedchinese.GBK.NewEncoder()
	out := make([]byte, 0, len(b)+len(b)/4)
	buf := make([]byte, 4096)
	for len(b) > 0 {
		nDst, nSrc, err := enc.Transform(buf, b, true)
		out = append(out, buf[:nDst]...)
		b = b[nSrc:]
		switch {
		case err == nil:
		case errors.Is(err, transform.ErrShortDst):
		default:
			r, size := utf8.DecodeRune(b)
			if size == 0 {
				return nil, err
			}
			if r == utf8.RuneError && size == 1 {
				return nil, fmt.Errorf("reply is not valid UTF-8: %w", err)
			}
			out = appendJSONEscape(out, r)
			b = b[size:]
			enc.Reset()
		}
	}
	return out, nil
}

// appendJSONEscape appends r as a JSON \uXXXX escape (two for r > U+FFFF).
func appendJSONEscape(out []byte, r rune) []byte {
	if r > 0xFFFF {
		r -= 0x10000
		out = append(out, fmt.Sprintf(`\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))...)
		return out
	}
	return append(out, fmt.Sprintf(`\u%04x`, r)...)
}

// gbkReply converts a UTF-8 reply envelope to GBK for ck_invoke_gbk.
func gbkReply(reply []byte) []byte {
	out, err := utf8ToGBK(reply)
	if err != nil {
		return envelope(errs.New(errs.Internal, "", "cannot encode the reply as GBK: %v", err))
	}
	return out
}

// isASCII reports whether b is 7-bit ASCII (identical in GBK and UTF-8).
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
