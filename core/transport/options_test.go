package transport

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/tests/hostile"
)

// TestNoHiddenRetry proves that net/http's own retry of a request on a
// reused connection cannot repeat a verification. The server answers the
// first request of each connection and keeps it open, and drops any later
// request on it without a reply (a server closing an idle connection at
// the wrong moment).
//
// A query rides the kept-alive connection, meets the drop, and net/http
// sends it again on a new connection by itself: the server sees it three
// times for two calls. A verification (not idempotent) always goes out on
// a connection of its own with Connection: close, so it is never on a
// reused connection, where alone net/http retries: the server sees each
// verification once, each on a new connection.
func TestNoHiddenRetry(t *testing.T) {
	s := startHostile(t)
	c, _ := New(Options{Retries: -1})
	query := Request{Method: "GET", URL: s.URL("/drop-reused"), Idempotent: true}
	for i := 0; i < 2; i++ {
		resp, err := c.Do(context.Background(), query)
		if err != nil || resp.Attempts != 1 {
			t.Fatalf("query %d: %v %+v", i, err, resp)
		}
	}
	if n := len(s.Methods("/drop-reused")); n != 3 {
		t.Fatalf("the server saw %d queries for 2 calls, want 3 (net/http's hidden retry on the reused connection)", n)
	}
	conns := s.Conns("/drop-reused")
	verify := Request{URL: s.URL("/drop-reused"), ContentType: "application/json", Body: []byte(`{"bizId":"b1"}`)}
	for i := 0; i < 3; i++ {
		if _, err := c.Do(context.Background(), verify); err != nil {
			t.Fatalf("verify %d: %v", i, err)
		}
	}
	m := s.Methods("/drop-reused")
	if posts := strings.Count(strings.Join(m, " "), "POST"); posts != 3 || s.Conns("/drop-reused")-conns != 3 {
		t.Fatalf("3 verifications reached the server %d times on %d new connections, want 3 on 3", posts, s.Conns("/drop-reused")-conns)
	}
	// And a verification dropped on its own connection is sent once: the
	// caller gets reset (outcome unknown) and repeats it with the same bizId.
	before := s.Hits("/early-close")
	_, err := c.Do(context.Background(), Request{URL: s.URL("/early-close"), Body: []byte("{}")})
	if reasonOf(t, err) != ReasonReset || s.Hits("/early-close")-before != 1 {
		t.Fatalf("dropped verification: %v, sent %d times", err, s.Hits("/early-close")-before)
	}
}

// Queries share kept-alive connections; each verification has its own.
func TestConnectionReuse(t *testing.T) {
	s := startHostile(t)
	c, _ := New(Options{})
	for i := 0; i < 3; i++ {
		if _, err := c.Do(context.Background(), Request{URL: s.URL("/keepalive"), Idempotent: true}); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Conns("/keepalive"); n != 1 {
		t.Fatalf("3 queries used %d connections, want 1", n)
	}
	for i := 0; i < 2; i++ {
		if _, err := c.Do(context.Background(), Request{URL: s.URL("/keepalive"), Body: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Conns("/keepalive"); n != 3 {
		t.Fatalf("2 verifications after the queries: %d connections in all, want 3", n)
	}
	// The same configuration reuses its transports; another gets its own.
	p1, _ := c.prepare(Request{URL: s.URL("/ok")})
	p2, _ := c.prepare(Request{URL: s.URL("/ok"), Transport: TransportOptions{TraceFile: filepath.Join(t.TempDir(), "t")}})
	p3, _ := c.prepare(Request{URL: s.URL("/ok"), Transport: TransportOptions{Proxy: "none"}})
	if p1.pool != p2.pool || p1.pool == p3.pool {
		t.Fatal("pools are not per configuration")
	}
	for i := 0; i < maxPools+3; i++ {
		c.prepare(Request{URL: s.URL("/ok"), Transport: TransportOptions{Proxy: "http://127.0.0.1:" + string(rune('1'+i)) + "1"}})
	}
	if n := len(c.pools.m); n != maxPools {
		t.Fatalf("%d pools kept, want %d", n, maxPools)
	}
}

// The time bounds: TimeoutMs bounds the whole call, retries included;
// without it each attempt has Options.Timeout and the call
// Options.TotalTimeout (DefaultTotalTimeout: 45 s).
func TestTimeBounds(t *testing.T) {
	if d, _ := New(Options{}); d.Options().TotalTimeout != 45*time.Second || d.Options().Timeout != 15*time.Second || d.Options().Retries != 2 {
		t.Fatalf("defaults: %+v", d.Options())
	}
	s := startHostile(t)
	// Attempts at 0–400 ms and 410–810 ms, the third from 820 ms cut at
	// 1,100 ms: 280 ms of slack for the third to start on a loaded machine
	// (with 150/400 ms it once started after the bound under -race).
	c, _ := New(Options{Timeout: 400 * time.Millisecond, TotalTimeout: 1100 * time.Millisecond, RetryDelay: 10 * time.Millisecond})
	start := time.Now()
	resp, err := c.Do(context.Background(), Request{URL: s.URL("/hang"), Idempotent: true})
	took := time.Since(start)
	if reasonOf(t, err) != ReasonTimeout || resp != nil {
		t.Fatalf("hanging query: %v", err)
	}
	// Two full attempts and a third cut short by the total bound.
	if n := s.Hits("/hang"); n != 3 {
		t.Fatalf("hanging query sent %d times, want 3", n)
	}
	if took > 3*time.Second {
		t.Fatalf("the total bound of 1,100 ms let the call run %v", took)
	}
	// TimeoutMs replaces both: one attempt of 300 ms uses it all.
	before := s.Hits("/hang")
	start = time.Now()
	_, err = c.Do(context.Background(), Request{URL: s.URL("/hang"), Idempotent: true, TimeoutMs: 300})
	if reasonOf(t, err) != ReasonTimeout || s.Hits("/hang")-before != 1 || time.Since(start) < 300*time.Millisecond {
		t.Fatalf("TimeoutMs 300: %v, %d attempts, %v", err, s.Hits("/hang")-before, time.Since(start))
	}
	// Quick failures are retried within TimeoutMs.
	before = s.Hits("/early-close")
	resp, err = c.Do(context.Background(), Request{URL: s.URL("/early-close"), Idempotent: true, TimeoutMs: 5000})
	if reasonOf(t, err) != ReasonReset || s.Hits("/early-close")-before != 3 {
		t.Fatalf("early close: %v %d attempts", err, s.Hits("/early-close")-before)
	}
}

// Every transport option is checked before sending, each error naming its
// field with the JSON names, and never quoting a password or a key.
func TestTransportOptionErrors(t *testing.T) {
	s := startHostile(t)
	c, _ := New(Options{})
	dir := t.TempDir()
	key := "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n"
	cases := []struct {
		t     TransportOptions
		field string
	}{
		{TransportOptions{Proxy: "ftp://user:s3cret@proxy:21"}, "transport.proxy"},
		{TransportOptions{Proxy: "user:s3cret@proxy:3128"}, "transport.proxy"},
		{TransportOptions{Proxy: "http://user:s3cret@proxy:3128/path"}, "transport.proxy"},
		{TransportOptions{Proxy: "http://"}, "transport.proxy"},
		{TransportOptions{Proxy: "http://proxy\r\n:3128"}, "transport.proxy"},
		{TransportOptions{RootCAsPEM: "not PEM"}, "transport.rootCAs"},
		{TransportOptions{RootCAsPEM: key}, "transport.rootCAs"},
		{TransportOptions{RootCAsPEM: s.CAPEM + "trailing text"}, "transport.rootCAs"},
		{TransportOptions{RootCAsPEM: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}, "transport.rootCAs"},
		{TransportOptions{PinSHA256: []string{s.GoodPin, "short"}}, "transport.pinSha256[1]"},
		{TransportOptions{PinSHA256: []string{"not base64!"}}, "transport.pinSha256[0]"},
		{TransportOptions{TraceFile: filepath.Join(dir, "no", "such", "dir", "trace")}, "transport.traceFile"},
		{TransportOptions{MaxBody: -1}, "transport.maxBody"},
		{TransportOptions{MaxBody: 64<<20 + 1}, "transport.maxBody"},
	}
	for _, tc := range cases {
		// Check (session.open's) refuses the same options with the same
		// field, sending nothing.
		if e, ok := Check(tc.t).(*errs.Error); !ok || e.Kind != errs.InvalidArgument || e.Field != tc.field || strings.Contains(e.Message, "s3cret") {
			t.Errorf("Check(%+v): %v, want INVALID_ARGUMENT %s", tc.t, e, tc.field)
		}
		_, err := c.Do(context.Background(), Request{URL: s.URL("/inject"), Transport: tc.t})
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.InvalidArgument || e.Field != tc.field {
			t.Errorf("%+v: %v, want INVALID_ARGUMENT %s", tc.t, err, tc.field)
			continue
		}
		if strings.Contains(e.Message, "s3cret") || strings.Contains(e.Message, "MIGHAgEA") || !strings.Contains(e.Message, "POST http://"+s.Plain+"/inject") {
			t.Errorf("%s: message %q", tc.field, e.Message)
		}
	}
	if s.Hits("/inject") != 0 {
		t.Fatal("a request with bad transport options was sent")
	}
	if err := Check(TransportOptions{Proxy: "http://till:pw@" + s.Proxy, RootCAsPEM: s.CAPEM, PinSHA256: []string{s.GoodPin}, MaxBody: 1,
		TraceFile: filepath.Join(dir, "trace")}); err != nil {
		t.Fatalf("Check of good options: %v", err)
	}
	// The same checks apply to the client's defaults.
	if _, err := New(Options{Transport: TransportOptions{PinSHA256: []string{"x"}}}); errs.KindOf(err) != errs.InvalidArgument {
		t.Fatalf("New with a bad pin: %v", err)
	}
	// Pins may carry the HPKP "sha256/" prefix.
	resp, err := c.Do(context.Background(), Request{URL: "https://" + s.TLS[hostile.TLSGood] + "/ok",
		Transport: TransportOptions{RootCAsPEM: s.CAPEM, PinSHA256: []string{"sha256/" + s.GoodPin}}})
	if err != nil || resp.Status != 200 {
		t.Fatalf("sha256/ pin: %v", err)
	}
}

// The body limit: a request's Transport.MaxBody, else the client's
// Transport.MaxBody, else Options.MaxBody; exactly the limit is accepted.
func TestMaxBody(t *testing.T) {
	s := startHostile(t)
	n := int64(len(hostile.VerifyReply))
	for _, tc := range []struct {
		opts   Options
		req    int64
		reason string
	}{
		{Options{MaxBody: n}, 0, ""},
		{Options{MaxBody: n - 1}, 0, ReasonTooLarge},
		{Options{MaxBody: n - 1}, n, ""},
		{Options{MaxBody: n}, n - 1, ReasonTooLarge},
		{Options{MaxBody: n - 1, Transport: TransportOptions{MaxBody: n}}, 0, ""},
		{Options{Transport: TransportOptions{MaxBody: n - 1}}, 0, ReasonTooLarge},
		{Options{Transport: TransportOptions{MaxBody: n - 1}}, n, ""},
	} {
		c, err := New(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Do(context.Background(), Request{URL: s.URL("/ok"), Transport: TransportOptions{MaxBody: tc.req}})
		got := ""
		if err != nil {
			got = reasonOf(t, err)
		}
		if got != tc.reason {
			t.Errorf("client %d/%d, request %d: %q, want %q", tc.opts.MaxBody, tc.opts.Transport.MaxBody, tc.req, got, tc.reason)
		}
	}
}

// Proxies: "none" overrides a client default; an explicit proxy is used
// even for loopback addresses (the environment's never is).
func TestProxyChoice(t *testing.T) {
	s := startHostile(t)
	c, _ := New(Options{Transport: TransportOptions{Proxy: "http://" + s.Proxy}})
	f0, _, _ := s.ProxyCounts()
	if _, err := c.Do(context.Background(), Request{URL: s.URL("/ok")}); err != nil {
		t.Fatal(err)
	}
	f1, _, auth := s.ProxyCounts()
	if f1-f0 != 1 || len(auth) != 0 {
		t.Fatalf("default proxy: relayed %d, auth %q", f1-f0, auth)
	}
	if _, err := c.Do(context.Background(), Request{URL: s.URL("/ok"), Transport: TransportOptions{Proxy: "none"}}); err != nil {
		t.Fatal(err)
	}
	if f2, _, _ := s.ProxyCounts(); f2 != f1 {
		t.Fatal(`proxy "none" went through the proxy`)
	}
	// socks5h is net/http's socks5 (host names resolved by the proxy), a
	// name Go 1.20 does not know.
	cfg, err := c.config(TransportOptions{Proxy: "socks5h://10.0.0.1:1080"}, "")
	if err != nil || cfg.proxyURL.String() != "socks5://10.0.0.1:1080" {
		t.Fatalf("socks5h: %v %v", cfg.proxyURL, err)
	}
}

// A caller's *http.Client is used for every request, with redirects still
// returned; options it cannot honour are refused.
func TestCallerHTTPClient(t *testing.T) {
	s := startHostile(t)
	var calls int32
	hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		atomic.AddInt32(&calls, 1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, _ := New(Options{HTTPClient: hc})
	resp, err := c.Do(context.Background(), Request{URL: s.URL("/redirect")})
	if reasonOf(t, err) != ReasonHTTPStatus || resp.Status != 302 || atomic.LoadInt32(&calls) != 1 || s.Hits("/redirect-target") != 0 {
		t.Fatalf("redirect through the caller's client: %v %+v calls %d", err, resp, calls)
	}
	if hc.CheckRedirect != nil {
		t.Fatal("the caller's client was modified")
	}
	_, err = c.Do(context.Background(), Request{URL: s.URL("/ok"), Transport: TransportOptions{Proxy: "none"}})
	if e, ok := err.(*errs.Error); !ok || e.Field != "transport.proxy" {
		t.Fatalf("proxy with the caller's client: %v", err)
	}
	// Bounds still hold: the body limit, and the reasons.
	small, _ := New(Options{HTTPClient: hc, MaxBody: 10})
	if _, err := small.Do(context.Background(), Request{URL: s.URL("/ok")}); reasonOf(t, err) != ReasonTooLarge {
		t.Fatalf("body limit with the caller's client: %v", err)
	}
}

// Errors a caller's RoundTripper returns map to reasons too, never to
// anything but TRANSPORT_ERROR.
func TestCallerErrorReasons(t *testing.T) {
	for _, tc := range []struct {
		err    error
		reason string
	}{
		{&net.DNSError{Name: "vendor.example", Err: "no such host", IsNotFound: true}, ReasonDNS},
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, ReasonRefused},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, ReasonReset},
		{errors.New("wsarecv: An existing connection was forcibly closed by the remote host."), ReasonReset},
		{errors.New("connectex: No connection could be made because the target machine actively refused it."), ReasonRefused},
		{io.EOF, ReasonReset},
		{x509.UnknownAuthorityError{}, ReasonTLS},
		{&tls.CertificateVerificationError{Err: x509.HostnameError{Certificate: &x509.Certificate{}, Host: "x"}}, ReasonTLS},
		{context.DeadlineExceeded, ReasonTimeout},
		{errors.New("something new in a future Go"), ReasonNetwork},
	} {
		c, _ := New(Options{Retries: -1, HTTPClient: &http.Client{Transport: roundTripper(func(*http.Request) (*http.Response, error) { return nil, tc.err })}})
		_, err := c.Do(context.Background(), Request{URL: "https://vendor.example/api/v2?sign=x"})
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.TransportError || e.Reason != tc.reason || strings.Contains(e.Message, "sign=") {
			t.Errorf("%T %v: %v, want TRANSPORT_ERROR %s", tc.err, tc.err, err, tc.reason)
		}
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Nothing is sent that the caller did not ask for: no Accept-Encoding, and
// a body the caller asked to be compressed comes back as sent.
func TestNoTransparentCompression(t *testing.T) {
	s := startHostile(t)
	c, _ := New(Options{})
	resp, err := c.Do(context.Background(), Request{URL: s.URL("/echo"), Idempotent: true})
	if err != nil || strings.Contains(string(resp.Body), "Accept-Encoding") {
		t.Fatalf("echo: %v %s", err, resp.Body)
	}
	resp, err = c.Do(context.Background(), Request{URL: s.URL("/gzip"), Headers: []Header{{Name: "Accept-Encoding", Value: "gzip"}}})
	if err != nil || resp.Header("Content-Encoding") != "gzip" || string(resp.Body[:2]) != "\x1f\x8b" {
		t.Fatalf("gzip: %v %q", err, resp.Body)
	}
}

// Trace events reach the callback and the file, secrets redacted.
func TestTrace(t *testing.T) {
	s := startHostile(t)
	file := filepath.Join(t.TempDir(), "trace.jsonl")
	var events []TraceEvent
	c, _ := New(Options{Trace: func(ev TraceEvent) { events = append(events, ev) }, Retries: -1})
	body := `{"OpenId":"o","Token":"TOKEN-SECRET","Params":{"list":[{"sign":"SIGN-SECRET","x":1}],"accessToken":42}}`
	_, err := c.Do(context.Background(), Request{URL: "http://user:PASS-SECRET@" + s.Plain + "/ok?sign=QUERY-SECRET&a=1", ContentType: "application/json",
		Body: []byte(body), Headers: []Header{{Name: "Authorization", Value: "Bearer AUTH-SECRET"}, {Name: "X-Trace", Value: "t1"}},
		Transport: TransportOptions{TraceFile: file}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), Request{URL: s.URL("/early-close"), ContentType: "application/x-www-form-urlencoded",
		Body: []byte("app_id=a&sign=FORM-SECRET&biz_content=%7B%7D"), Transport: TransportOptions{TraceFile: file}})
	if reasonOf(t, err) != ReasonReset {
		t.Fatal(err)
	}
	if len(events) != 2 {
		t.Fatalf("%d events", len(events))
	}
	ev := events[0]
	wantBody := `{"OpenId":"o","Token":"***","Params":{"list":[{"sign":"***","x":1}],"accessToken":"***"}}`
	if string(ev.RequestBody) != wantBody || ev.Status != 200 || ev.Method != "POST" || ev.URL != "http://"+s.Plain+"/ok?sign=***&a=1" ||
		string(ev.ResponseBody) != hostile.VerifyReply || ev.Attempt != 1 {
		t.Fatalf("event: %+v\n%s", ev, ev.RequestBody)
	}
	if string(events[1].RequestBody) != "app_id=a&sign=***&biz_content=%7B%7D" || events[1].Reason != ReasonReset {
		t.Fatalf("form event: %s %s", events[1].RequestBody, events[1].Reason)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	lines := 0
	for sc.Scan() {
		lines++
		var v map[string]interface{}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %d is not JSON: %v", lines, err)
		}
		for _, secret := range []string{"TOKEN-SECRET", "SIGN-SECRET", "QUERY-SECRET", "PASS-SECRET", "AUTH-SECRET", "FORM-SECRET"} {
			if strings.Contains(sc.Text(), secret) {
				t.Errorf("trace line %d holds %s: %s", lines, secret, sc.Text())
			}
		}
		if v["method"] != "POST" || v["url"] == nil || v["ms"] == nil {
			t.Errorf("line %d: %s", lines, sc.Text())
		}
	}
	if lines != 2 {
		t.Fatalf("%d trace lines", lines)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		` {"a":{"b":[{"Sign":"x"}]},"privateKey":{"n":1}} `: ` {"a":{"b":[{"Sign":"***"}]},"privateKey":"***"} `,
		`{"signType":"RSA2","sign_type":"x"}`:               `{"signType":"RSA2","sign_type":"x"}`,
		`a=1&openKey=k&token=t`:                             `a=1&openKey=***&token=***`,
		`plain text`:                                        `plain text`,
		`{"bad json":`:                                      `{"bad json":`,
		`binary` + "\xff":                                   `binary` + "\xff",
	} {
		if got := string(redactBody([]byte(in))); got != want {
			t.Errorf("redact %q = %q, want %q", in, got, want)
		}
	}
	// JSON text in a JSON string, JSON in a form field (Allinpay's
	// bizContent, as it goes out percent-encoded), a form in a JSON string.
	biz := url.QueryEscape(`{"orderId":"o1","couponConsumeList":[{"couponNo":"c1","passwd":"PW-SECRET"}]}`)
	for in, want := range map[string]string{
		`{"data":"{\"sign\":\"S\",\"x\":[1]}"}`:          `{"data":"{\"sign\":\"***\",\"x\":[1]}"}`,
		`{"list":["{\"Token\":\"T\"}","plain"]}`:         `{"list":["{\"Token\":\"***\"}","plain"]}`,
		`{"q":"a=1&sign=S"}`:                             `{"q":"a=1&sign=***"}`,
		"appId=a&bizContent=" + biz + "&sign=S":          "appId=a&bizContent=" + url.QueryEscape(`{"orderId":"o1","couponConsumeList":[{"couponNo":"c1","passwd":"***"}]}`) + "&sign=***",
		`{"Params":{"payPassword":"P","amount":"1.00"}}`: `{"Params":{"payPassword":"***","amount":"1.00"}}`,
		`{"Params":"{\"payPassword\":\"P\"}"}`:           `{"Params":"{\"payPassword\":\"***\"}"}`,
	} {
		if got := string(redactBody([]byte(in))); got != want {
			t.Errorf("redact %q\n got %q\nwant %q", in, got, want)
		}
	}
	// Embedded more than maxEmbedded levels: replaced whole.
	nested := `{"sign":"S"}`
	for i := 0; i <= maxEmbedded; i++ {
		nested = `{"d":` + string(jsontextString(nested)) + `}`
	}
	if got := string(redactBody([]byte(nested))); strings.Contains(got, `S\`) || !strings.Contains(got, Redacted) {
		t.Errorf("deeply embedded: %s", got)
	}
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	if got := string(redactBody([]byte(deep))); strings.Contains(got, "[[") {
		t.Errorf("deep JSON traced: %s", got)
	}
	h := redactHeaders(http.Header{"Authorization": {"x"}, "X-Api-Key": {"y"}, "Content-Type": {"json"}, "Cookie": {"c"}})
	if len(h) != 4 || h[0].Value != Redacted || h[1].Value != "json" || h[2].Value != Redacted || h[3].Value != Redacted {
		t.Errorf("headers: %v", h)
	}
}

func jsontextString(s string) []byte { b, _ := json.Marshal(s); return b }

// The names the trace redacts, and names it must leave alone (the rule of
// secretName, spelled out).
func TestSecretNames(t *testing.T) {
	for _, n := range []string{
		"Token", "token", "TOKEN", "accessToken", "access_token", "refresh-token", "token2",
		"sign", "Sign", "SIGN", "mchSign", "pay_sign", "signature", "Signature", "signMsg",
		"openKey", "OpenKey", "openkey", "OPENKEY", "privateKey", "private_key", "APIKey", "apiKey", "app_key", "appKey", "secretKey", "key",
		"password", "Password", "payPassword", "pay_password", "PAYPASSWORD", "passwd", "loginPasswd", "pwd", "user_pwd", "passcode",
		"secret", "appSecret", "client_secret", "pin", "cardPin", "cookie", "authorization", "credentials",
	} {
		if !secretName(n) {
			t.Errorf("%q is not redacted", n)
		}
	}
	for _, n := range []string{
		"signType", "sign_type", "design", "assign", "pinSha256", "publicKey", "platformPublicKey", "couponKey", "keyword", "monkey",
		"OpenId", "GrantCode", "bizId", "bizContent", "couponNo", "amount", "mobile", "Timestamp", "Nonce", "Action", "Params", "",
		"tokenKeyStyle", "signer", "signerId", "passwordHint", "pinned",
	} {
		if secretName(n) {
			t.Errorf("%q is redacted", n)
		}
	}
	for _, h := range []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Signature", "X-Auth-Token", "X-Pay-Password", "X-Session-Id"} {
		if !secretHeader(h) {
			t.Errorf("header %s is not redacted", h)
		}
	}
	for _, h := range []string{"Content-Type", "X-Trace", "User-Agent", "Date", "Location"} {
		if secretHeader(h) {
			t.Errorf("header %s is redacted", h)
		}
	}
}

// The Windows system proxy settings, as Internet Options stores them.
func TestSystemProxyParsing(t *testing.T) {
	mustURL := func(s string) *url.URL { u, _ := url.Parse(s); return u }
	cases := []struct {
		enabled          bool
		server, override string
		target, want     string
	}{
		{true, "10.0.0.1:3128", "", "http://vendor.example/", "http://10.0.0.1:3128"},
		{true, "10.0.0.1:3128", "", "https://vendor.example/", "http://10.0.0.1:3128"},
		{false, "10.0.0.1:3128", "", "http://vendor.example/", ""},
		{true, "", "", "http://vendor.example/", ""},
		{true, "http=10.0.0.1:80;https=10.0.0.2:443;ftp=10.0.0.3:21", "", "https://vendor.example/", "http://10.0.0.2:443"},
		{true, "http=10.0.0.1:80;https=10.0.0.2:443", "", "http://vendor.example/", "http://10.0.0.1:80"},
		{true, "http=10.0.0.1:80", "", "https://vendor.example/", ""},
		{true, "socks=10.0.0.9:1080", "", "https://vendor.example/", "socks5://10.0.0.9:1080"},
		{true, "https=https://secure.example:8443", "", "https://vendor.example/", "https://secure.example:8443"},
		{true, "10.0.0.1:3128", "*.example;<local>", "http://vendor.example/", ""},
		{true, "10.0.0.1:3128", "*.example;<local>", "http://till/", ""},
		{true, "10.0.0.1:3128", "<local>", "http://10.1.2.3/", "http://10.0.0.1:3128"},
		{true, "10.0.0.1:3128", "10.*; 192.168.*", "http://10.1.2.3:8080/", ""},
		{true, "10.0.0.1:3128", "VENDOR.example:8080", "http://vendor.example:8080/", ""},
		{true, "10.0.0.1:3128", "http://vendor.example", "http://vendor.example/", ""},
		{true, "10.0.0.1:3128", "other.example", "http://vendor.example/", "http://10.0.0.1:3128"},
		{true, "10.0.0.1:3128", "", "http://127.0.0.1:8080/", ""},
		{true, "10.0.0.1:3128", "", "http://localhost/", ""},
	}
	for _, tc := range cases {
		s, err := parseSystemProxy(tc.enabled, tc.server, tc.override)
		if err != nil {
			t.Errorf("%q %q: %v", tc.server, tc.override, err)
			continue
		}
		got := ""
		if u := s.proxyFor(mustURL(tc.target)); u != nil {
			got = u.String()
		}
		if got != tc.want {
			t.Errorf("%q %q for %s: %q, want %q", tc.server, tc.override, tc.target, got, tc.want)
		}
	}
	for _, bad := range []string{"http=", ":3128", "http=a:1/path"} {
		if _, err := parseSystemProxy(true, bad, ""); err == nil && bad != "http=" {
			t.Errorf("%q accepted", bad)
		}
	}
}

// globDP is a second matcher for '*' patterns, written for the test: a
// table of which prefixes of the pattern match which prefixes of s.
func globDP(pattern, s string) bool {
	m := make([]bool, len(s)+1) // m[j]: pattern[:i] matches s[:j]
	m[0] = true
	for i := 0; i < len(pattern); i++ {
		next := make([]bool, len(s)+1)
		for j := 0; j <= len(s); j++ {
			if pattern[i] == '*' {
				next[j] = m[j] || (j > 0 && next[j-1])
			} else {
				next[j] = j > 0 && m[j-1] && pattern[i] == s[j-1]
			}
		}
		m = next
	}
	return m[len(s)]
}

// ProxyOverride patterns match as globDP does, and in time linear in the
// host whatever the stars: the last cases took the recursive matcher this
// replaced time exponential in the stars (a never-ending test).
func TestSystemProxyBypassGlob(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	pick := func(alphabet string, n int) string {
		b := make([]byte, rng.Intn(n+1))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		return string(b)
	}
	type pair struct{ pattern, host string }
	pairs := []pair{
		{"*", ""}, {"", ""}, {"a", ""}, {"*.example", "vendor.example"},
		{"10.*", "10.1.2.3"}, {"*.*", "till"}, {"a.b*c", "a.bxxc"}, {"a.b*c", "axbc"},
		{"(x)+[y]|z?", "(x)+[y]|z?"}, {"(x)+[y]|z?", "xxyz"}, {"*a\nb", "xa\nb"},
		{strings.Repeat("*a", 40) + "b", strings.Repeat("a", 253)},
		{strings.Repeat("*.", 60) + "x", strings.Repeat("a.", 126)},
	}
	for i := 0; i < 3000; i++ {
		pairs = append(pairs, pair{pick("ab.*", 8), pick("ab.", 10)})
	}
	for _, p := range pairs {
		re, err := globRegexp(p.pattern)
		if err != nil {
			t.Fatalf("%q: %v", p.pattern, err)
		}
		if got, want := re.MatchString(p.host), globDP(p.pattern, p.host); got != want {
			t.Errorf("%q against %q: %v, want %v", p.pattern, p.host, got, want)
		}
	}
	// Every pattern Internet Options may hold compiles or is an error, never a panic.
	for _, override := range []string{"a\xffb", strings.Repeat("*", 100000), "<local>;*\x00*"} {
		if _, err := parseSystemProxy(true, "10.0.0.1:3128", override); err != nil {
			t.Logf("%.20q: %v", override, err)
		}
	}
}
