package wire

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
)

// strMembers has string members of each form Append writes: plain, named,
// omitempty, in a slice, behind a pointer.
type strMembers struct {
	A string   `json:"a"`
	N named    `json:"named"`
	O string   `json:"o,omitempty"`
	L []string `json:"list"`
	P *string  `json:"p"`
}

type named string

// TestAppendStringMembers: Append writes string members as encoding/json
// does (an independent encoder, without its HTML escaping; U+2028/U+2029,
// which it escapes, put back), for random text with escapes, control
// bytes, Chinese and invalid UTF-8.
func TestAppendStringMembers(t *testing.T) {
	r := rand.New(rand.NewSource(16))
	pieces := []string{"abcdefgh", "\"", "\\", "\x00", "\x1f", "\n", "测试", "\U0001F600", "\xff", "\u2028", "<>&", " "}
	text := func() string {
		var b strings.Builder
		for k := r.Intn(8); k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		return b.String()
	}
	for n := 0; n < 2000; n++ {
		p := text()
		v := strMembers{A: text(), N: named(text()), O: text(), L: []string{text(), text()}}
		if n%2 == 0 {
			v.P = &p
		}
		var want bytes.Buffer
		e := json.NewEncoder(&want)
		e.SetEscapeHTML(false)
		if err := e.Encode(&v); err != nil {
			t.Fatal(err)
		}
		w := strings.NewReplacer(`\u2028`, "\u2028", `\u2029`, "\u2029", `\u0008`, `\b`, `\u000c`, `\f`).Replace(strings.TrimSuffix(want.String(), "\n"))
		if got := string(Append(nil, &v)); got != w {
			t.Fatalf("%+v:\n%s\nencoding/json:\n%s", v, got, w)
		}
	}
}
