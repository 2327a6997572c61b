package transport

import (
	"bufio"
	"context"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
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
	if resp.Status != 200 || string(resp.Body) != `POST {"a":"390962138708451328"}` || resp.Header("X-Echo-Type") != "application/json" || resp.Attempts != 1 {
		t.Fatalf("got %d %q %v attempts %d", resp.Status, resp.Body, resp.Headers, resp.Attempts)
	}
}

func TestFaultReasons(t *testing.T) {
	var hits int32
	srv := faultServer(t, &hits)
	// A generous timeout for every case but "slow", whose server never
	// answers within the short one.
	c, _ := New(Options{Timeout: 10 * time.Second, MaxBody: 1024, RetryDelay: time.Millisecond})
	short, _ := New(Options{Timeout: 200 * time.Millisecond, MaxBody: 1024, RetryDelay: time.Millisecond})
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
			h := []Header{{Name: "X-Test", Value: tc.fault}}
			cl := c
			if tc.fault == "slow" {
				cl = short
			}
			resp, err := cl.Do(context.Background(), Request{URL: srv.URL, Headers: h, Body: []byte("{}"), Idempotent: idem})
			if got := reasonOf(t, err); got != tc.reason {
				t.Errorf("%s: reason %q, want %q (%v)", tc.fault, got, tc.reason, err)
			}
			if tc.status != 0 && (resp == nil || resp.Status != tc.status) {
				t.Errorf("%s: response %+v, want status %d", tc.fault, resp, tc.status)
			}
			want := int32(1)
			if idem && retryable(resp, err) {
				want = 3
			}
			if n := atomic.LoadInt32(&hits); n != want {
				t.Errorf("%s idempotent=%v: server hit %d times, want %d", tc.fault, idem, n, want)
			}
		}
	}
	// 5xx retried for queries, 4xx never.
	resp, err := c.Do(context.Background(), Request{URL: srv.URL, Headers: []Header{{Name: "X-Test", Value: "status4"}}, Idempotent: true})
	if retryable(resp, err) || resp.Attempts != 1 {
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
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("secure " + r.TLS.ServerName))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	// Not trusted: the system roots do not know the test certificate.
	c, _ := New(Options{Retries: -1})
	_, err := c.Do(context.Background(), Request{URL: srv.URL})
	if r := reasonOf(t, err); r != ReasonTLS {
		t.Fatalf("reason %q, want tls (%v)", r, err)
	}
	// Trusted through RootCAsPEM.
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	c, err = New(Options{Transport: TransportOptions{RootCAsPEM: string(certPEM)}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), Request{URL: strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/"})
	if err == nil {
		t.Fatalf("a wrong host name must fail, got %q", resp.Body)
	}
	resp, err = c.Do(context.Background(), Request{URL: srv.URL})
	if err != nil || !strings.HasPrefix(string(resp.Body), "secure") {
		t.Fatalf("trusted TLS: %v %v", resp, err)
	}
	if _, err := New(Options{Transport: TransportOptions{RootCAsPEM: "not a certificate"}}); errs.KindOf(err) != errs.InvalidArgument {
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

// rawServer answers every connection with reply verbatim and closes it.
func rawServer(t *testing.T, reply string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				tp := textproto.NewReader(br)
				if _, err := tp.ReadLine(); err != nil {
					return
				}
				h, _ := tp.ReadMIMEHeader()
				n, _ := strconv.Atoi(h.Get("Content-Length"))
				_, _ = io.CopyN(io.Discard, br, int64(n))
				_, _ = conn.Write([]byte(reply))
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/p?q=1"
}

func TestBodyFraming(t *testing.T) {
	c, _ := New(Options{Retries: -1, MaxBody: 64})
	cases := []struct {
		name, reply, body, reason string
	}{
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nT: v\r\n\r\n", "hello world", ""},
		{"until close", "HTTP/1.0 200 OK\r\n\r\nno length", "no length", ""},
		{"interim 100", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", "ok", ""},
		{"chunked cut", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "", ReasonTruncated},
		{"length cut", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "abc", ReasonTruncated},
		{"headers cut", "HTTP/1.1 200 OK\r\nContent-Le", "", ReasonTruncated},
		{"nothing", "", "", ReasonReset},
		{"not http", "SSH-2.0-OpenSSH\r\n\r\n", "", ReasonNetwork},
		{"chunked too large", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n" + strings.Repeat("x", 65) + "\r\n0\r\n\r\n", "", ReasonTooLarge},
		{"length too large", "HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n" + strings.Repeat("x", 65), "", ReasonTooLarge},
		{"close too large", "HTTP/1.1 200 OK\r\n\r\n" + strings.Repeat("x", 65), "", ReasonTooLarge},
		{"204 with a length", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", "", ""},
	}
	for _, tc := range cases {
		resp, err := c.Do(context.Background(), Request{URL: rawServer(t, tc.reply), Body: []byte("x")})
		if tc.reason == "" {
			if err != nil || string(resp.Body) != tc.body {
				t.Errorf("%s: %v %+v", tc.name, err, resp)
			}
			continue
		}
		if r := reasonOf(t, err); r != tc.reason {
			t.Errorf("%s: reason %q, want %q (%v)", tc.name, r, tc.reason, err)
		}
	}
}

// The request carries the caller's headers (every value, in order), the
// content type and the user agent, and nothing the caller did not ask for:
// no Accept-Encoding, no second Host or Content-Length.
func TestRequestHead(t *testing.T) {
	got := make(chan *http.Request, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r
	}))
	defer srv.Close()
	c, _ := New(Options{UserAgent: "pos/1"})
	h := []Header{{Name: "x-trace", Value: "a"}, {Name: "X-Trace", Value: "b"}, {Name: "X-Tab", Value: "a\tb"}}
	if _, err := c.Do(context.Background(), Request{URL: srv.URL + "/api/v2?x=1", ContentType: "application/json", Headers: h, Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.Method != "POST" || r.URL.RequestURI() != "/api/v2?x=1" || strings.Join(r.Header["X-Trace"], ",") != "a,b" || r.Header.Get("X-Tab") != "a\tb" ||
		r.Host != strings.TrimPrefix(srv.URL, "http://") || r.ContentLength != 2 || r.Header.Get("Accept-Encoding") != "" ||
		r.Header.Get("User-Agent") != "pos/1" || r.Header.Get("Content-Type") != "application/json" || !r.Close {
		t.Fatalf("request %s %s %v host %s len %d close %v", r.Method, r.URL, r.Header, r.Host, r.ContentLength, r.Close)
	}
	// The caller's User-Agent wins; a query keeps its connection open.
	if _, err := c.Do(context.Background(), Request{URL: srv.URL, Idempotent: true, Headers: []Header{{Name: "User-Agent", Value: "till"}}}); err != nil {
		t.Fatal(err)
	}
	if r := <-got; r.Header.Get("User-Agent") != "till" || r.Close {
		t.Fatalf("query: %v close %v", r.Header, r.Close)
	}
}
