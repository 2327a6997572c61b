package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkDo is one loopback round trip (send 1 KiB, read 1 KiB): a query,
// on a kept-alive connection, and a verification, on a connection of its
// own (connect, send, read, close). Their ratio is what a verification's
// own connection costs on loopback.
func BenchmarkDo(b *testing.B) {
	reply := make([]byte, 1024)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(reply)
	}))
	defer srv.Close()
	c, _ := New(Options{})
	for _, bc := range []struct {
		name       string
		idempotent bool
	}{{"query", true}, {"verify", false}} {
		req := Request{URL: srv.URL + "/api/v2", ContentType: "application/json", Body: make([]byte, 1024), Idempotent: bc.idempotent}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.Do(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
