// Command expand writes the bad-input catalogue (testdata/badinput) in the
// line format the C program tests/hardening/c/hardening.c reads, so that the
// C side needs no JSON parser:
//
//	O <len>\n<session.open request with both credentials>\n
//	Z <len>\n<session.open request with zvcms credentials only>\n
//	G <method>\t<len>\n<a good request>\n          (one per method)
//	T <name>\t<method>\t<code>\t<field or *>\t<len>\n<request>\n
//
// Requests keep the placeholders "$session", "$zvSession" and "$closed",
// which the C program replaces with the ids of sessions it opens itself.
//
// With -target wasm the file is for the WebAssembly module under Node
// (tests/hardening/wasm): the Go codes and fields, every case but those
// needing a canned HTTP reply.
//
// Usage: expand -root . -out build/hardening/catalogue.txt [-target c|wasm]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/couponkit/couponkit/tests/hardening"
)

func main() {
	root := flag.String("root", ".", "repository root")
	out := flag.String("out", "build/hardening/catalogue.txt", "output file")
	target := flag.String("target", "c", "c (the C ABI) or wasm (the WebAssembly module)")
	flag.Parse()
	if *target != "c" && *target != "wasm" {
		fmt.Fprintln(os.Stderr, "expand: -target is c or wasm")
		os.Exit(2)
	}
	if err := run(*root, *out, *target == "wasm"); err != nil {
		fmt.Fprintln(os.Stderr, "expand:", err)
		os.Exit(1)
	}
}

func run(root, out string, wasm bool) error {
	cases, err := hardening.Load(filepath.Join(root, "testdata", "badinput"))
	if err != nil {
		return err
	}
	e := &hardening.Env{Root: root, Keep: true}
	ap, err := e.AllinpayCreds()
	if err != nil {
		return err
	}
	good, err := e.GoodRequests()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	put := func(head string, body []byte) {
		fmt.Fprintf(w, "%s\t%d\n", head, len(body))
		w.Write(body)
		w.WriteString("\n")
	}
	put("O", []byte(`{"zvcms":`+e.ZvcmsCreds()+`,"allinpay":`+ap+`}`))
	put("Z", []byte(`{"zvcms":`+e.ZvcmsCreds()+`}`))
	for _, g := range good {
		put("G\t"+g.Method, []byte(g.Body))
	}
	n := 0
	for _, c := range cases {
		if (!wasm && c.GoOnly != "") || c.Reply != nil {
			continue
		}
		body, err := e.Body(c)
		if err != nil {
			return err
		}
		code, want := c.Code, c.Field
		if c.CCode != "" && !wasm {
			code = c.CCode
		}
		if c.CField != nil && !wasm {
			want = c.CField
		}
		field := "*"
		if want != nil && safeField(*want) {
			field = *want
		}
		if field == "" {
			field = "-"
		}
		put(fmt.Sprintf("T\t%s\t%s\t%s\t%s", c.Name, c.Method, code, field), body)
		n++
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("expand: %d cases, %d good requests → %s\n", n, len(good), out)
	return nil
}

// safeField reports whether a field path is plain ASCII that JSON writes
// unescaped, so the C program can compare it byte for byte.
func safeField(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '[' || c == ']' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
