package invoke

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// example is one request/reply pair of the README.
type example struct {
	method, request, reply string
}

var methodHeading = regexp.MustCompile("(?m)^#### `([a-zA-Z.]+)`\\s*$")

// readmeInvoke returns the README and its invoke section.
func readmeInvoke(t *testing.T) (all, section string) {
	all = readFile(t, "README.md")
	const marker = "<!-- section:invoke -->"
	i := strings.Index(all, marker)
	if i < 0 {
		t.Fatal("README has no invoke section marker")
	}
	section = all[i:]
	if j := strings.Index(section, "\n## "); j >= 0 {
		section = section[:j]
	}
	return all, section
}

// readmeExamples returns the json code blocks of each method heading of
// the section, paired as request and reply.
func readmeExamples(t *testing.T, section string) []example {
	var out []example
	locs := methodHeading.FindAllStringSubmatchIndex(section, -1)
	for n, loc := range locs {
		method := section[loc[2]:loc[3]]
		end := len(section)
		if n+1 < len(locs) {
			end = locs[n+1][0]
		}
		var blocks []string
		body := section[loc[1]:end]
		for {
			i := strings.Index(body, "```json\n")
			if i < 0 {
				break
			}
			body = body[i+len("```json\n"):]
			j := strings.Index(body, "```")
			blocks = append(blocks, body[:j])
			body = body[j+3:]
		}
		if len(blocks) == 0 || len(blocks)%2 != 0 {
			t.Fatalf("README %s: %d json blocks, want request/reply pairs", method, len(blocks))
		}
		for i := 0; i < len(blocks); i += 2 {
			out = append(out, example{method, blocks[i], blocks[i+1]})
		}
	}
	return out
}

// TestReadmeMethodsMatchRegistry checks that the methods documented with a
// "#### `name`" heading anywhere in the README (the invoke section and the
// sandbox section, for the sending methods) are exactly Methods().
func TestReadmeMethodsMatchRegistry(t *testing.T) {
	all, _ := readmeInvoke(t)
	var documented []string
	seen := map[string]bool{}
	for _, m := range methodHeading.FindAllStringSubmatch(all, -1) {
		if !seen[m[1]] { // a method may be shown in two sections
			seen[m[1]] = true
			documented = append(documented, m[1])
		}
	}
	sort.Strings(documented)
	got := New(Options{}).Methods()
	if strings.Join(documented, " ") != strings.Join(got, " ") {
		t.Fatalf("README documents\n  %v\nregistry has\n  %v", documented, got)
	}
}

// TestReadmeExamples runs every request of the invoke section and checks the
// reply against the documented one (the sending methods through readmeSend).
func TestReadmeExamples(t *testing.T) {
	_, section := readmeInvoke(t)
	exs := readmeExamples(t, section)
	if len(exs) < 15 {
		t.Fatalf("only %d examples found", len(exs))
	}
	r := fixed()
	r.opts.Send = readmeSend(t)
	seen := map[string]bool{}
	for _, ex := range exs {
		seen[ex.method] = true
		req := ex.request
		req = strings.ReplaceAll(req, `"s_…"`, q(openSession(t, r)))
		req = strings.ReplaceAll(req, `"-----BEGIN PRIVATE KEY-----\n…"`, q(merchantKey(t)))
		req = strings.ReplaceAll(req, `"-----BEGIN PUBLIC KEY-----\n…"`, q(platformPub(t)))
		if !gjson.Valid(req) || !gjson.Valid(ex.reply) {
			t.Fatalf("%s: example is not JSON:\n%s\n%s", ex.method, req, ex.reply)
		}
		got := r.Invoke(ex.method, []byte(req))
		checkEnvelope(t, got)
		if msg := match("", gjson.Parse(ex.reply), gjson.ParseBytes(got)); msg != "" {
			t.Errorf("%s: %s\nrequest %s\ngot     %s", ex.method, msg, req, got)
		}
	}
	for _, m := range r.Methods() {
		if !seen[m] {
			t.Errorf("method %s has no README example", m)
		}
	}
}

// match compares a documented value with a real one: same JSON types, the
// same object members (any order), equal scalars; in a documented string,
// "…" stands for any text.
func match(path string, want, got gjson.Result) string {
	switch {
	case want.IsObject():
		if !got.IsObject() {
			return path + ": want an object, got " + got.Raw
		}
		var wk, gk []string
		msg := ""
		want.ForEach(func(k, v gjson.Result) bool {
			wk = append(wk, k.Str)
			if msg == "" {
				msg = match(path+"."+k.Str, v, got.Get(gjson.Escape(k.Str)))
			}
			return true
		})
		got.ForEach(func(k, _ gjson.Result) bool { gk = append(gk, k.Str); return true })
		sort.Strings(wk)
		sort.Strings(gk)
		if strings.Join(wk, ",") != strings.Join(gk, ",") {
			return path + ": members " + strings.Join(gk, ",") + ", documented " + strings.Join(wk, ",")
		}
		return msg
	case want.IsArray():
		w, g := want.Array(), got.Array()
		if !got.IsArray() || len(w) != len(g) {
			return path + ": want " + want.Raw + ", got " + got.Raw
		}
		for i := range w {
			if msg := match(path+"["+itoa(i)+"]", w[i], g[i]); msg != "" {
				return msg
			}
		}
		return ""
	case want.Type == gjson.String:
		if got.Type != gjson.String || !glob(want.Str, got.Str) {
			return path + ": want " + want.Raw + ", got " + got.Raw
		}
		return ""
	}
	if want.Raw != got.Raw {
		return path + ": want " + want.Raw + ", got " + got.Raw
	}
	return ""
}

// glob reports whether s matches pattern, where "…" stands for any text.
func glob(pattern, s string) bool {
	parts := strings.Split(pattern, "…")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, last)
}

func itoa(i int) string { return string(appendInt(nil, i)) }

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}
