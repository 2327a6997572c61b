package transport

import (
	"bufio"
	"context"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

// faultServer answers according to the X-Test header and counts hits.
func faultServer(t *testing.T, hits *int32) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(hits, 1)
		body, _ := io.ReadAll(r.Body)
		switch r.Header.Get("X-Test") {
		case "status":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"error":"boom"}`))
		case "status4":
			w.WriteHeader(http.StatusNotFound)
		case "truncate", "drop":
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			if r.Header.Get("X-Test") == "truncate" {
				_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"half\":")
				_ = buf.Flush()
			}
			_ = conn.Close()
		case "slow":
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		case "big":
			_, _ = w.Write([]byte(strings.Repeat("x", 2048)))
		default:
			w.Header().Set("X-Echo-Type", r.Header.Get("Content-Type"))
			_, _ = w.Write(append([]byte(r.Method+" "), body...))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func reasonOf(t *testing.T, err error) string {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.TransportError {
		t.Fatalf("want TRANSPORT_ERROR, got %v", err)
	}
	return e.Reason
}

func TestDoSuccess(t *testing.T) {
	var hits int32
	srv := faultServer(t, &hits)
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), Request{URL: srv.URL, ContentType: "application/json", Body: []byte(`{"a":"390962138708451328"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != `POST {"a":"390962138708451328"}` || resp.Header.Get("X-Echo-Type") != "application/json" || resp.Attempts != 1 {
		t.Fatalf("got %d %q %v attempts %d", resp.Status, resp.Body, resp.Header, resp.Attempts)
	}
}

func TestFaultReasons(t *testing.T) {
	var hits int32
	srv := faultServer(t, &hits)
	c, _ := New(Options{Timeout: 300 * time.Millisecond, MaxBody: 1024, RetryDelay: time.Millisecond})
	cases := []struct {
		fault, reason string
		status        int
	}{
		{"status", ReasonHTTPStatus, 500},
		{"status4", ReasonHTTPStatus, 404},
		{"truncate", ReasonTruncated, 200},
		{"drop", ReasonReset, 0},
		{"slow", ReasonTimeout, 0},
		{"big", ReasonTooLarge, 200},
	}
	for _, tc := range cases {
		for _, idem := range []bool{false, true} {
			atomic.StoreInt32(&hits, 0)
			h := http.Header{}
			h.Set("X-Test", tc.fault)
			resp, err := c.Do(context.Background(), Request{URL: srv.URL, Header: h, Body: []byte("{}"), Idempotent: idem})
			if got := reasonOf(t, err); got != tc.reason {
				t.Errorf("%s: reason %q, want %q (%v)", tc.fault, got, tc.reason, err)
			}
			if tc.status != 0 && (resp == nil || resp.Status != tc.status) {
				t.Errorf("%s: response %+v, want status %d", tc.fault, resp, tc.status)
			}
			want := int32(1)
			if idem && retryable(err) {
				want = 3
			}
			if n := atomic.LoadInt32(&hits); n != want {
				t.Errorf("%s idempotent=%v: server hit %d times, want %d", tc.fault, idem, n, want)
			}
		}
	}
	// 5xx retried for queries, 4xx never.
	var e *errs.Error
	_, err := c.Do(context.Background(), Request{URL: srv.URL, Header: http.Header{"X-Test": {"status4"}}, Idempotent: true})
	if errors.As(err, &e); retryable(e) {
		t.Error("a 404 must not be retried")
	}
}

func TestRefusedAndBadURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, _ := New(Options{Retries: -1})
	_, err = c.Do(context.Background(), Request{URL: "http://" + addr + "/x"})
	if r := reasonOf(t, err); r != ReasonRefused {
		t.Errorf("reason %q, want refused (%v)", r, err)
	}
	for _, u := range []string{"", "ftp://x/", "/relative", "http://"} {
		_, err = c.Do(context.Background(), Request{URL: u})
		if r := reasonOf(t, err); r != ReasonBadURL {
			t.Errorf("%q: reason %q, want bad_url", u, r)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	var hits int32
	srv := faultServer(t, &hits)
	c, _ := New(Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Do(ctx, Request{URL: srv.URL, Idempotent: true})
	if r := reasonOf(t, err); r != ReasonTimeout {
		t.Errorf("reason %q, want timeout", r)
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("secure " + r.TLS.ServerName))
	}))
	defer srv.Close()
	// Not trusted: the system roots do not know the test certificate.
	c, _ := New(Options{Retries: -1})
	_, err := c.Do(context.Background(), Request{URL: srv.URL})
	if r := reasonOf(t, err); r != ReasonTLS {
		t.Fatalf("reason %q, want tls (%v)", r, err)
	}
	// Trusted through RootCAsPEM.
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	c, err = New(Options{RootCAsPEM: certPEM})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), Request{URL: strings.Replace(srv.URL, "127.0.0.1", "example.com", 1) + "/"})
	if err == nil {
		t.Fatalf("a wrong host name must fail, got %q", resp.Body)
	}
	resp, err = c.Do(context.Background(), Request{URL: srv.URL})
	if err != nil || !strings.HasPrefix(string(resp.Body), "secure") {
		t.Fatalf("trusted TLS: %v %v", resp, err)
	}
	if _, err := New(Options{RootCAsPEM: []byte("not a certificate")}); errs.KindOf(err) != errs.InvalidArgument {
		t.Errorf("bad root CAs: %v", err)
	}
}

// A plain-HTTP server answered with TLS expectations is a TLS failure too.
func TestTLSToPlainServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		_, _ = bufio.NewReader(conn).ReadByte()
		_, _ = conn.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
		conn.Close()
	}()
	c, _ := New(Options{Retries: -1})
	_, err = c.Do(context.Background(), Request{URL: "https://" + ln.Addr().String() + "/"})
	if r := reasonOf(t, err); r != ReasonTLS {
		t.Errorf("reason %q, want tls (%v)", r, err)
	}
}
