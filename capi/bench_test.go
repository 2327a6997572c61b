package main

import (
	"bytes"
	"os"
	"testing"
)

// The same calls as examples/c/bench.c, made directly in Go on the registry:
// make bench-capi subtracts these from the C figures to give the cost the C
// boundary adds per call (argument scan and copy, reply copy into C memory,
// the cgo transition, ck_free).

func benchInvoke(b *testing.B, method string, req []byte) {
	if r := registry.Invoke(method, req); !bytes.HasPrefix(r, []byte(`{"ok":true`)) {
		b.Fatalf("%s: %s", method, r)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		registry.Invoke(method, req)
	}
}

func BenchmarkGo(b *testing.B) {
	req, err := os.ReadFile("../examples/c/bench_verify.json")
	if err != nil {
		b.Fatal(err)
	}
	req = bytes.TrimSpace(req)
	b.Run("verifyCoupons.request", func(b *testing.B) { benchInvoke(b, "zvcms.verifyCoupons.request", req) })
	b.Run("version", func(b *testing.B) { benchInvoke(b, "version", []byte("{}")) })
}
