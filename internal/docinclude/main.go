// Command docinclude keeps the code examples of the docs equal to the files
// under examples/ that make test runs. In README.md and docs/*.md, a block
//
//	<!-- include: examples/go/quickstart/main.go -->
//	```go
//	…
//	```
//	<!-- end include -->
//
// holds the named file (a path from the repository root) in a fenced block
// whose language follows from the file's extension.
//
//	go run ./internal/docinclude -root . -w   rewrite the blocks (make docs)
//	go run ./internal/docinclude -root .      exit 1 naming every stale block (make check-docs)
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	root := flag.String("root", ".", "the repository root")
	write := flag.Bool("w", false, "rewrite the stale blocks instead of reporting them")
	flag.Parse()
	stale, err := run(*root, *write)
	if err != nil {
		fmt.Fprintln(os.Stderr, "docinclude:", err)
		os.Exit(2)
	}
	for _, s := range stale {
		if *write {
			fmt.Println("docinclude: rewrote", s)
		} else {
			fmt.Fprintf(os.Stderr, "docinclude: %s differs from the file it includes; run: make docs\n", s)
		}
	}
	if len(stale) > 0 && !*write {
		os.Exit(1)
	}
}

// docs lists the Markdown files the blocks may live in, sorted.
func docs(root string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return nil, err
	}
	files = append(files, filepath.Join(root, "README.md"))
	sort.Strings(files)
	return files, nil
}

// run checks (or, with write, rewrites) every doc and returns the stale
// blocks as "doc: included file".
func run(root string, write bool) ([]string, error) {
	files, err := docs(root)
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out, names, err := expand(root, string(text))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		rel, _ := filepath.Rel(root, f)
		for _, n := range names {
			stale = append(stale, rel+": "+n)
		}
		if write && len(names) > 0 {
			if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
				return nil, err
			}
		}
	}
	return stale, nil
}

const (
	openMark = "<!-- include: "
	endMark  = "<!-- end include -->"
)

// expand returns doc with every include block holding its file, and the
// files whose block differed.
func expand(root, doc string) (string, []string, error) {
	var out strings.Builder
	var stale []string
	lines := strings.SplitAfter(doc, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		out.WriteString(line)
		t := strings.TrimSpace(line)
		if !strings.HasPrefix(t, openMark) || !strings.HasSuffix(t, "-->") {
			continue
		}
		name := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(t, openMark), "-->"))
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) != endMark {
			if strings.HasPrefix(strings.TrimSpace(lines[j]), openMark) {
				return "", nil, fmt.Errorf("include of %s: a second include before %q", name, endMark)
			}
			j++
		}
		if j == len(lines) {
			return "", nil, fmt.Errorf("include of %s: no %q", name, endMark)
		}
		if filepath.IsAbs(name) || strings.Contains(name, "..") {
			return "", nil, fmt.Errorf("include of %s: not a path inside the repository", name)
		}
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			return "", nil, fmt.Errorf("include of %s: %w", name, err)
		}
		block := fence(name, src)
		if strings.Join(lines[i+1:j], "") != block {
			stale = append(stale, name)
		}
		out.WriteString(block)
		out.WriteString(lines[j])
		i = j
	}
	return out.String(), stale, nil
}

// languages maps a file extension to the fenced block's language.
var languages = map[string]string{
	".go": "go", ".c": "c", ".h": "c", ".cs": "csharp", ".dpr": "pascal", ".pas": "pascal",
	".js": "js", ".mjs": "js", ".html": "html", ".sh": "sh", ".json": "json",
}

// fence returns src as a fenced block, with a fence longer than any run of
// backticks in src.
func fence(name string, src []byte) string {
	ticks := "```"
	for bytes.Contains(src, []byte(ticks)) {
		ticks += "`"
	}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		src = append(src, '\n')
	}
	return ticks + languages[strings.ToLower(filepath.Ext(name))] + "\n" + string(src) + ticks + "\n"
}
