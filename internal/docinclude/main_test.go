package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepositoryDocsCurrent fails when a doc's included example differs from
// its file under examples/ (make docs rewrites them).
func TestRepositoryDocsCurrent(t *testing.T) {
	stale, err := run(filepath.Join("..", ".."), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stale {
		t.Errorf("%s is stale: run make docs", s)
	}
}

// TestExpand checks a stale block is found and rewritten, a current one left
// alone, and broken markers refused.
func TestExpand(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "a.c"), []byte("int x;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "b.sh"), []byte("echo ```\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := "x\n<!-- include: a.c -->\nold\n<!-- end include -->\ny\n"
	out, stale, err := expand(root, doc)
	if err != nil {
		t.Fatal(err)
	}
	want := "x\n<!-- include: a.c -->\n```c\nint x;\n```\n<!-- end include -->\ny\n"
	if out != want || len(stale) != 1 || stale[0] != "a.c" {
		t.Fatalf("got %q %v", out, stale)
	}
	if out2, stale2, err := expand(root, out); err != nil || out2 != out || len(stale2) != 0 {
		t.Fatalf("a current block: %q %v %v", out2, stale2, err)
	}
	out, _, err = expand(root, "<!-- include: b.sh -->\n<!-- end include -->\n")
	if err != nil || !strings.Contains(out, "````sh\necho ```\n````\n") {
		t.Fatalf("backticks in the file: %q %v", out, err)
	}
	for _, bad := range []string{
		"<!-- include: a.c -->\nno end\n",
		"<!-- include: missing.c -->\n<!-- end include -->\n",
		"<!-- include: ../a.c -->\n<!-- end include -->\n",
		"<!-- include: a.c -->\n<!-- include: a.c -->\n<!-- end include -->\n",
	} {
		if _, _, err := expand(root, bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
