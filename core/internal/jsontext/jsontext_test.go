package jsontext

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendStringKnownAnswers(t *testing.T) {
	for in, want := range map[string]string{
		"":                 `""`,
		"abc":              `"abc"`,
		`a"b\c`:            `"a\"b\\c"`,
		"\b\f\n\r\t":       `"\b\f\n\r\t"`,
		"\x00\x1f\x7f":     `"\u0000\u001f` + "\x7f" + `"`,
		"测试优惠券":            `"测试优惠券"`,
		"a\xffb":           `"a\ufffdb"`,
		"\xe6\xb5":         `"\ufffd\ufffd"`,
		"</script>&<>":     `"</script>&<>"`,
		"\U0001F600 emoji": "\"\U0001F600 emoji\"",
	} {
		assert.Equal(t, want, string(AppendString(nil, in)), "%q", in)
	}
}

// Every string round-trips through encoding/json (an independent decoder) to
// itself, with invalid UTF-8 bytes read back as U+FFFD.
func TestAppendStringRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"a", "Z", "abcdefghijklmnopqrstuvwxyz", "0123456789", "\"", "\\", "\x00", "\x1f", "\b", "\n", "测", "\U0001F600", "\xff", "\xe6\xb5", " ", "/"}
	for n := 0; n < 5000; n++ {
		var b strings.Builder
		for k := r.Intn(12); k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		s := b.String()
		out := AppendString([]byte("x"), s)
		require.Equal(t, byte('x'), out[0], "appends to dst")
		require.True(t, utf8.Valid(out), "%q", s)
		var back string
		require.NoError(t, json.Unmarshal(out[1:], &back), "%q -> %s", s, out)
		assert.Equal(t, perByteFFFD(s), back, "%q", s)
	}
}

// Each byte value at each position of a run of plain text is written as
// the byte-by-byte rule says: plain bytes as they are, the rest escaped.
func TestAppendStringEveryByteInRuns(t *testing.T) {
	const run = "abcdefghijklmnopq" // 17 plain bytes: two words and one more
	for c := 0; c < 256; c++ {
		for at := 0; at < len(run); at++ {
			s := run[:at] + string([]byte{byte(c)}) + run[at+1:]
			want := `"` + run[:at] + byteJSON(byte(c)) + run[at+1:] + `"`
			if got := string(AppendString(nil, s)); got != want {
				t.Fatalf("byte %#x at %d: %s, want %s", c, at, got, want)
			}
		}
	}
}

// byteJSON is the JSON text of one byte alone inside a string, as the doc
// of AppendString says: itself when printable ASCII other than '"' and '\\';
// \b \f \n \r \t; other control characters as \u00XX; a lone byte ≥ 0x80
// is invalid UTF-8, so U+FFFD.
func byteJSON(c byte) string {
	switch {
	case c == '"' || c == '\\':
		return `\` + string(rune(c))
	case c >= 0x80:
		return `\ufffd`
	case c >= 0x20:
		return string(rune(c))
	}
	if short := strings.IndexByte("\b\f\n\r\t", c); short >= 0 {
		return `\` + string("bfnrt"[short])
	}
	return fmt.Sprintf(`\u%04x`, c)
}

// perByteFFFD is s with each byte of invalid UTF-8 replaced by U+FFFD.
func perByteFFFD(s string) string {
	var b strings.Builder
	for _, r := range s { // range yields U+FFFD once per invalid byte
		b.WriteRune(r)
	}
	return b.String()
}

func TestDepth(t *testing.T) {
	for in, want := range map[string]int{
		``:                      0,
		`1`:                     0,
		`{}`:                    1,
		`[[],[[]]]`:             3,
		`{"a":"[[[[{{{"}`:       1,
		`{"a":"\"[["}`:          1,
		`[{"k":[1,{"x":[]}]}]`:  5,
		`"unterminated [[[[":`:  0,
		`["\\",[1]]`:            2,
		`[["a\`:                 2,
		`[[["\"`:                3,
		strings.Repeat("[", 10): 10,
	} {
		assert.Equal(t, want, Depth([]byte(in), 64), "%s", in)
	}
	assert.Equal(t, 65, Depth([]byte(strings.Repeat("[", 1_000_000)), 64), "stops just past the limit")
	assert.Equal(t, 64, Depth([]byte(strings.Repeat("[", 64)+strings.Repeat("]", 64)), 64))
}

func TestTrimDigitsClip(t *testing.T) {
	assert.Equal(t, `{"a":1}`, string(TrimSpace([]byte(" \t\r\n{\"a\":1}\n "))))
	assert.Empty(t, TrimSpace([]byte(" \n")))
	assert.True(t, IsDigits("0123456789"))
	for _, s := range []string{"", "1a", "-1", "１", " 1"} {
		assert.False(t, IsDigits(s), "%q", s)
	}
	assert.Equal(t, "short", Clip("short", 40))
	assert.Equal(t, "abc…", Clip("abcdef", 3))
	assert.Equal(t, "测…", Clip("测试", 4), "cut at a rune boundary")
	assert.True(t, utf8.ValidString(Clip(strings.Repeat("测", 100), 40)))
}
