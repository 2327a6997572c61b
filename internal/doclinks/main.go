// Command doclinks checks that every relative link of README.md and
// docs/*.md resolves: the file or directory it names exists in the
// repository, and a #anchor names a heading (or an <a id="…"> / <a
// name="…">) of the Markdown file it points into, spelled as GitHub spells
// heading anchors. Links in fenced code blocks and code spans are not links;
// links with a scheme (https:, mailto:) are not checked.
//
//	go run ./internal/doclinks -root .   exit 1 naming every broken link (make check-docs)
package main

import (
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

func main() {
	root := flag.String("root", ".", "the repository root")
	flag.Parse()
	broken, err := check(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "doclinks:", err)
		os.Exit(2)
	}
	for _, b := range broken {
		fmt.Fprintln(os.Stderr, "doclinks:", b)
	}
	if len(broken) > 0 {
		os.Exit(1)
	}
}

// docs lists the Markdown files whose links are checked, as slash paths
// from the root, sorted.
func docs(root string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return nil, err
	}
	out := []string{"README.md"}
	for _, f := range files {
		rel, err := filepath.Rel(root, f)
		if err != nil {
			return nil, err
		}
		out = append(out, filepath.ToSlash(rel))
	}
	sort.Strings(out)
	return out, nil
}

// check returns every broken link of the docs as "doc:line: target: why".
func check(root string) ([]string, error) {
	files, err := docs(root)
	if err != nil {
		return nil, err
	}
	anchors := map[string]map[string]bool{} // slash path → its anchors
	anchorsOf := func(name string) (map[string]bool, error) {
		if a, ok := anchors[name]; ok {
			return a, nil
		}
		text, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			return nil, err
		}
		a := headingAnchors(string(text))
		anchors[name] = a
		return a, nil
	}
	var broken []string
	for _, doc := range files {
		text, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(doc)))
		if err != nil {
			return nil, err
		}
		for _, l := range links(string(text)) {
			if why := resolve(root, doc, l.target, anchorsOf); why != "" {
				broken = append(broken, fmt.Sprintf("%s:%d: %s: %s", doc, l.line, l.target, why))
			}
		}
	}
	return broken, nil
}

// resolve returns why target, a link in doc, does not resolve, or "".
func resolve(root, doc, target string, anchorsOf func(string) (map[string]bool, error)) string {
	file, anchor := target, ""
	if i := strings.IndexByte(target, '#'); i >= 0 {
		file, anchor = target[:i], target[i+1:]
	}
	name := doc
	if file != "" {
		if strings.HasPrefix(file, "/") {
			return "an absolute path; link relative to the doc"
		}
		name = path.Clean(path.Join(path.Dir(doc), file))
		if name == ".." || strings.HasPrefix(name, "../") {
			return "outside the repository"
		}
		info, err := os.Stat(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			return "no such file (" + name + ")"
		}
		if info.IsDir() {
			if anchor != "" {
				return "an anchor on a directory"
			}
			return ""
		}
	}
	if anchor == "" {
		return ""
	}
	if !strings.HasSuffix(strings.ToLower(name), ".md") {
		return "an anchor into a file that is not Markdown"
	}
	a, err := anchorsOf(name)
	if err != nil {
		return err.Error()
	}
	if !a[anchor] {
		return "no heading in " + name + " has the anchor #" + anchor
	}
	return ""
}

// link is one inline link: its target and the line it is on (from 1).
type link struct {
	target string
	line   int
}

var (
	// inlineLink matches [text](target) and ![alt](target), with an
	// optional "title" after the target.
	inlineLink = regexp.MustCompile(`\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)`)
	// refDef matches a reference definition, [label]: target.
	refDef = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?`)
	// scheme matches a target with a URI scheme (https:, mailto:).
	scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
	// htmlAnchor matches <a id="x"> and <a name="x">.
	htmlAnchor = regexp.MustCompile(`<a\s+(?:id|name)="([^"]+)"`)
	// heading matches an ATX heading.
	heading = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	// linkText matches a link or image, whose text is what a heading shows.
	linkText = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	// htmlTag matches an inline HTML tag.
	htmlTag = regexp.MustCompile(`<[^>]*>`)
)

// links returns the relative link targets of a Markdown text outside code.
func links(text string) []link {
	var out []link
	for _, p := range prose(text) {
		line := stripCodeSpans(p.text)
		var targets []string
		for _, m := range inlineLink.FindAllStringSubmatch(line, -1) {
			targets = append(targets, m[1])
		}
		if m := refDef.FindStringSubmatch(line); m != nil {
			targets = append(targets, m[1])
		}
		for _, tg := range targets {
			if tg == "" || scheme.MatchString(tg) {
				continue
			}
			out = append(out, link{target: tg, line: p.line})
		}
	}
	return out
}

// numbered is one line of a text and its number (from 1).
type numbered struct {
	text string
	line int
}

// prose returns the lines of a Markdown text outside fenced code blocks.
func prose(text string) []numbered {
	var out []numbered
	inFence, fence := false, ""
	for i, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if f := fenceOf(t); f != "" {
			if !inFence {
				inFence, fence = true, f
				continue
			}
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				inFence = false
				continue
			}
		}
		if !inFence {
			out = append(out, numbered{text: line, line: i + 1})
		}
	}
	return out
}

// fenceOf returns the fence (``` or ~~~, at least three) a trimmed line
// opens or closes, or "".
func fenceOf(t string) string {
	for _, c := range []string{"`", "~"} {
		n := 0
		for n < len(t) && t[n] == c[0] {
			n++
		}
		if n >= 3 {
			return t[:n]
		}
	}
	return ""
}

// stripCodeSpans removes the `code spans` of a line (a run of n backticks
// up to the next run of exactly n).
func stripCodeSpans(line string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		ticks := line[i : i+n]
		end := -1
		for j := i + n; j < len(line); {
			k := strings.Index(line[j:], ticks)
			if k < 0 {
				break
			}
			k += j
			m := 0
			for k+m < len(line) && line[k+m] == '`' {
				m++
			}
			if m == n {
				end = k
				break
			}
			j = k + m
		}
		if end < 0 {
			b.WriteString(ticks)
			i += n
			continue
		}
		i = end + n
	}
	return b.String()
}

// headingAnchors returns the anchors of a Markdown text: its headings'
// (outside fenced code) as GitHub makes them, a repeated one with -1, -2, …,
// and every <a id="…"> or <a name="…">.
func headingAnchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, p := range prose(text) {
		line := p.text
		for _, m := range htmlAnchor.FindAllStringSubmatch(line, -1) {
			out[m[1]] = true
		}
		m := heading.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		s := slug(m[1])
		if n, ok := seen[s]; ok {
			seen[s] = n + 1
			s = fmt.Sprintf("%s-%d", s, n+1)
		} else {
			seen[s] = 0
		}
		out[s] = true
	}
	return out
}

// slug is GitHub's anchor of a heading's text: the text as shown (link
// targets and HTML tags dropped), lower case, every character but letters,
// digits, marks, '-', '_' and spaces dropped, each space a '-'.
func slug(h string) string {
	h = linkText.ReplaceAllString(h, "$1")
	h = htmlTag.ReplaceAllString(h, "")
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
