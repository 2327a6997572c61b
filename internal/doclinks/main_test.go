package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSlug checks headings against the anchors GitHub gives them.
func TestSlug(t *testing.T) {
	for h, want := range map[string]string{
		"The sandbox": "the-sandbox",
		"Allinpay shopoint (通联, `core/allinpay`)":   "allinpay-shopoint-通联-coreallinpay",
		"`allinpay.couponConsume`":                  "allinpaycouponconsume",
		"JavaScript: the browser":                   "javascript-the-browser",
		"Proxies on a Windows POS":                  "proxies-on-a-windows-pos",
		"Hardening (`make test-hardening`, part of": "hardening-make-test-hardening-part-of",
		"See [the C ABI](c.md) first":               "see-the-c-abi-first",
		"snake_case and CamelCase — 2 ways":         "snake_case-and-camelcase--2-ways",
	} {
		if got := slug(h); got != want {
			t.Errorf("slug(%q) = %q, want %q", h, got, want)
		}
	}
}

// TestCheck builds a small tree of docs with good and broken links and
// checks exactly the broken ones are reported, with their lines.
func TestCheck(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("examples/sandbox/README.md", "# Sandbox\n")
	write("examples/go/main.go", "package main\n")
	write("CHANGES.md", "# Changes\n## Go\n")
	write("README.md", strings.Join([]string{
		"# Top",
		"[a](docs/a.md) [b](docs/a.md#second-part) [c](CHANGES.md#go) [d](#top)",
		"[e](docs/missing.md) [f](docs/a.md#nowhere) [g](#not-here)",
		"[h](https://example.com/x#y) [i](mailto:x@example.com) [j](examples/sandbox/)",
		"`[not a link](nowhere.md)` and ``[nor](this.md)``",
		"```md",
		"[inside a fence](fenced.md)",
		"```",
		"[k]: docs/a.md#repeat-1",
		"[l]: docs/gone.md",
		"[m](examples/go/main.go#L1) [n](../outside.md) [o](/abs.md)",
	}, "\n"))
	write("docs/a.md", strings.Join([]string{
		"# A",
		"## Second part",
		"## Repeat",
		"## Repeat",
		"<a id=\"custom\"></a>",
		"~~~",
		"## Not a heading",
		"~~~",
		"[back](../README.md#top) [custom](#custom) [dir](../examples/sandbox) [fenced](#not-a-heading)",
		"[file](../examples/go/main.go) [sandbox](../examples/sandbox/README.md#sandbox) [both](#repeat) [x](#repeat-2)",
	}, "\n"))
	got, err := check(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"README.md:3: docs/missing.md: no such file (docs/missing.md)",
		"README.md:3: docs/a.md#nowhere: no heading in docs/a.md has the anchor #nowhere",
		"README.md:3: #not-here: no heading in README.md has the anchor #not-here",
		"README.md:10: docs/gone.md: no such file (docs/gone.md)",
		"README.md:11: examples/go/main.go#L1: an anchor into a file that is not Markdown",
		"README.md:11: ../outside.md: outside the repository",
		"README.md:11: /abs.md: an absolute path; link relative to the doc",
		"docs/a.md:9: #not-a-heading: no heading in docs/a.md has the anchor #not-a-heading",
		"docs/a.md:10: #repeat-2: no heading in docs/a.md has the anchor #repeat-2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
