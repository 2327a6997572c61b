package jsontext

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
)

// jsonString is s as encoding/json writes it (an independent encoder),
// without its HTML escaping, and with the forms it writes differently from
// AppendString's documented ones put back: U+2028 and U+2029 (which it
// escapes) and, before Go 1.22, \b and \f (which it wrote as \u0008 and
// \u000c).
func jsonString(t testing.TB, s string) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer(`\u2028`, "\u2028", `\u2029`, "\u2029", `\u0008`, `\b`, `\u000c`, `\f`).
		Replace(strings.TrimSuffix(b.String(), "\n"))
}

// adversarial returns strings that put every kind of byte at every offset
// of a word and across word boundaries: escapes, control bytes, DEL, bytes
// ≥ 0x80 that borrow in the word arithmetic, multi-byte UTF-8 cut at a
// boundary, invalid UTF-8.
func adversarial() []string {
	specials := []string{"\"", "\\", "\x00", "\x1f", "\x20", "\x7f", "\x80", "\xff", "\xc3", "\xe6\xb5", "测", "\U0001F600",
		"\u2028", "\b", "\f", "\n", "\t", "!", "#", "[", "]", "~", "\x21", "\x5b", "\x5d", "\xa2", "\xdc"}
	var out []string
	for _, sp := range specials {
		for at := 0; at <= 17; at++ {
			for _, fill := range []string{"a", "\x21", "\x7e", " "} {
				out = append(out, strings.Repeat(fill, at)+sp+strings.Repeat(fill, 17-at))
			}
		}
	}
	return out
}

// TestAppendStringDifferential: AppendString writes what encoding/json
// writes, for the adversarial strings, every 8-byte word of the bytes
// 0x00–0xff one at a time, and random strings of random bytes and of
// pieces.
func TestAppendStringDifferential(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := string(AppendString(nil, s)), jsonString(t, s); got != want {
			t.Fatalf("%q: %s, encoding/json %s", s, got, want)
		}
	}
	for _, s := range adversarial() {
		check(s)
	}
	for c := 0; c < 256; c++ {
		for _, w := range []string{"abcdefg", "abcdefgh", "abcdefghijklmno"} {
			check(strings.Repeat(string([]byte{byte(c)}), 8) + w)
			check(w + string([]byte{byte(c)}))
		}
	}
	r := rand.New(rand.NewSource(16))
	pieces := []string{"abcdefgh", "0123", "\"", "\\", "\x00", "\x1f", "\x7f", "测试", "\U0001F600", "\xff", "\xe6\xb5", "\u2029", " "}
	for n := 0; n < 20000; n++ {
		var b []byte
		if n%2 == 0 {
			b = make([]byte, r.Intn(40))
			for i := range b {
				if r.Intn(4) == 0 {
					b[i] = byte(r.Intn(256))
				} else {
					b[i] = byte(0x20 + r.Intn(0x60))
				}
			}
		} else {
			for k := r.Intn(10); k > 0; k-- {
				b = append(b, pieces[r.Intn(len(pieces))]...)
			}
		}
		check(string(b))
	}
}

// FuzzAppendString: AppendString writes what encoding/json writes.
func FuzzAppendString(f *testing.F) {
	for _, s := range adversarial() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(AppendString(nil, s)), jsonString(t, s); got != want {
			t.Fatalf("%q: %s, encoding/json %s", s, got, want)
		}
	})
}

// BenchmarkAppendString: a signed zvcms body (mostly plain, a quote every
// few bytes), a long plain text, and Chinese text.
func BenchmarkAppendString(b *testing.B) {
	for name, s := range map[string]string{
		"body":    `{"OpenId":"6dc05b4ac175cf316d226252b05cf685","GrantCode":"782c281f62","Token":"sVBA7k7%2B4LzSP4Wi8pySv56CYkM%3D","Timestamp":"1547186244","Nonce":"658965","Action":"communal.user.coupons-vertify","Params":{"bizId":"order-1","customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amount":"500","orderAmount":"2600"}}`,
		"plain":   strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789", 10),
		"chinese": strings.Repeat("智迈企迈优惠券核销冲正", 10),
	} {
		b.Run(name, func(b *testing.B) {
			buf := make([]byte, 0, 4*len(s))
			b.SetBytes(int64(len(s)))
			for i := 0; i < b.N; i++ {
				buf = AppendString(buf[:0], s)
			}
		})
	}
}

// depthBytewise is Depth as it was written before it skipped strings 8
// bytes a step: the reference of the differential tests.
func depthBytewise(b []byte, limit int) int {
	d, deepest := 0, 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
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

// TestDepthDifferential: Depth equals the byte-by-byte scan on strings that
// put '"', '\\' (runs of them too), brackets and UTF-8 at every offset of a
// word, and on random bodies.
func TestDepthDifferential(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		for _, limit := range []int{2, 64} {
			if got, want := Depth(b, limit), depthBytewise(b, limit); got != want {
				t.Fatalf("%q (limit %d): %d, byte by byte %d", b, limit, got, want)
			}
		}
	}
	inner := []string{`"`, `\"`, `\\`, `\\\"`, `\`, `[`, `{`, `]`, "测", "\xff", "\x00", `\u005c`}
	for _, sp := range inner {
		for at := 0; at <= 17; at++ {
			for after := 0; after <= 9; after++ {
				s := `[{"k":"` + strings.Repeat("a", at) + sp + strings.Repeat("b", after) + `[[","v":[[1]]}]`
				check([]byte(s))
				check([]byte(s[:len(s)-after-3])) // cut inside
			}
		}
	}
	r := rand.New(rand.NewSource(16))
	alphabet := []string{`"`, `\`, `[`, `]`, `{`, `}`, "a", "abcdefgh", "测试", ",", ":", " "}
	for n := 0; n < 20000; n++ {
		var b []byte
		for k := r.Intn(40); k > 0; k-- {
			b = append(b, alphabet[r.Intn(len(alphabet))]...)
		}
		check(b)
	}
}

// FuzzDepth: Depth equals the byte-by-byte scan.
func FuzzDepth(f *testing.F) {
	f.Add([]byte(`{"a":"[[[[\"]]]","b":[{"c":"\\"}]}`))
	f.Add([]byte(`["abcdefgh\"ijklmnop","测试优惠券[[["]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, limit := range []int{3, 64} {
			if got, want := Depth(b, limit), depthBytewise(b, limit); got != want {
				t.Fatalf("%q (limit %d): %d, byte by byte %d", b, limit, got, want)
			}
		}
	})
}
