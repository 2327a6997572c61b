package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkDo is one loopback round trip: connect, send 1 KiB, read 1 KiB.
func BenchmarkDo(b *testing.B) {
	reply := make([]byte, 1024)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(reply)
	}))
	defer srv.Close()
	c, _ := New(Options{})
	req := Request{URL: srv.URL + "/api/v2", ContentType: "application/json", Body: make([]byte, 1024)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Do(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}
