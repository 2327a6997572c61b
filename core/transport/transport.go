// Package transport is couponkit's optional HTTP transport: the only package
// that does network I/O. It posts a request built by core/zvcms or
// core/allinpay and returns the status, headers and body, so a POS program
// (Delphi, VB6, C#) needs no HTTP code of its own.
//
// TLS is Go's own crypto/tls (TLS 1.2 and 1.3), so a Windows 7 POS whose
// system TLS is too old for today's servers still reaches HTTPS endpoints.
// The HTTP/1.1 client is written on net and crypto/tls directly rather than
// net/http, which would add about 3.5 MB to the C-ABI library.
//
// A request is retried only when it is marked Idempotent (a query: repeating
// it cannot double-spend). Verification (核销) and issuing (发券) are never
// retried: after a transport error their outcome is unknown, and the caller
// repeats the call with the same bizId / orderId, which the vendor (and the
// sandbox) answer with the original result.
//
// Every failure is an *errs.Error of kind TRANSPORT_ERROR whose Reason is one
// of the Reason* constants.
package transport

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

// Reasons carried in errs.Error.Reason for TRANSPORT_ERROR.
const (
	// ReasonTimeout: no complete reply within the timeout (or the context
	// was cancelled).
	ReasonTimeout = "timeout"
	// ReasonRefused: nothing listens at the address (connection refused).
	ReasonRefused = "refused"
	// ReasonTLS: the TLS handshake or the server certificate failed.
	ReasonTLS = "tls"
	// ReasonHTTPStatus: the server answered with a status outside 2xx; the
	// Response (status, headers, body) is returned with the error.
	ReasonHTTPStatus = "http_status"
	// ReasonReset: the connection was closed or reset before a reply arrived.
	ReasonReset = "reset"
	// ReasonTruncated: the reply body ended before its announced length.
	ReasonTruncated = "truncated"
	// ReasonTooLarge: the reply body is larger than Options.MaxBody.
	ReasonTooLarge = "too_large"
	// ReasonDNS: the host name could not be resolved.
	ReasonDNS = "dns"
	// ReasonBadURL: the URL is not an absolute http or https URL.
	ReasonBadURL = "bad_url"
	// ReasonNetwork: any other network failure.
	ReasonNetwork = "network"
)

// Defaults used when an Options field is zero.
const (
	// DefaultTimeout bounds one attempt (connect, send, read the reply).
	DefaultTimeout = 15 * time.Second
	// DefaultMaxBody is the largest reply body read (4 MiB).
	DefaultMaxBody = 4 << 20
	// DefaultRetries is how many times an idempotent request is repeated
	// after a retryable failure.
	DefaultRetries = 2
	// DefaultRetryDelay is the pause before the first repeat; it doubles for
	// each further repeat.
	DefaultRetryDelay = 200 * time.Millisecond
)

// Request is one HTTP request to send.
type Request struct {
	// Method is the HTTP method; "" means POST.
	Method string
	// URL is the absolute http or https URL.
	URL string
	// ContentType is sent as the Content-Type header when not "".
	ContentType string
	// Header holds extra request headers (may be nil). Host,
	// Content-Length, Connection and Transfer-Encoding are set by the client.
	Header textproto.MIMEHeader
	// Body is sent as is.
	Body []byte
	// Idempotent marks a request that may be repeated without side effects
	// (a query). Only such requests are retried.
	Idempotent bool
}

// Response is a received reply.
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Header holds the reply headers (canonical names).
	Header textproto.MIMEHeader
	// Body is the complete reply body.
	Body []byte
	// Attempts is how many times the request was sent (1 unless retried).
	Attempts int
}

// Options configure a Client. The zero value is usable: every zero field
// takes its documented default.
type Options struct {
	// Timeout bounds one attempt; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBody is the largest reply body accepted; 0 means DefaultMaxBody.
	MaxBody int64
	// Retries is how many repeats an idempotent request gets; 0 means
	// DefaultRetries, a negative value means none.
	Retries int
	// RetryDelay is the pause before the first repeat; 0 means
	// DefaultRetryDelay.
	RetryDelay time.Duration
	// RootCAsPEM, when not empty, replaces the system roots with these
	// PEM certificates (a private CA, a test server).
	RootCAsPEM []byte
	// UserAgent is sent as User-Agent; "" means "couponkit".
	UserAgent string
}

// Client sends requests. It is safe for concurrent use. Every request opens
// its own connection (HTTP/1.1 with Connection: close): a cashier sends a
// few requests a minute, and a fresh connection never meets a stale one.
// Proxies are not used: the client connects directly.
type Client struct {
	opts Options
	tls  *tls.Config
}

// New returns a Client for opts. A RootCAsPEM holding no certificate is an
// INVALID_ARGUMENT error naming "rootCAs".
func New(opts Options) (*Client, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Retries == 0 {
		opts.Retries = DefaultRetries
	}
	if opts.Retries < 0 {
		opts.Retries = 0
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = DefaultRetryDelay
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "couponkit"
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(opts.RootCAsPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(opts.RootCAsPEM) {
			return nil, errs.Invalid("rootCAs", "no PEM certificate could be read from the root CAs")
		}
		tlsConf.RootCAs = pool
	}
	return &Client{opts: opts, tls: tlsConf}, nil
}

// Options returns the client's options with defaults filled in.
func (c *Client) Options() Options { return c.opts }

// Do sends req and returns the complete reply. A status outside 2xx returns
// the Response together with a TRANSPORT_ERROR of reason http_status. An
// idempotent request is repeated after a timeout, refused or reset
// connection, truncated body or 5xx status, up to Options.Retries times,
// while ctx allows; any other request is sent exactly once.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	u, err := checkURL(req.URL)
	if err != nil {
		return nil, err
	}
	delay := c.opts.RetryDelay
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, u, req)
		if resp != nil {
			resp.Attempts = attempt
		}
		if err == nil || !req.Idempotent || attempt > c.opts.Retries || !retryable(resp, err) || ctx.Err() != nil {
			return resp, err
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return resp, err
		case <-t.C:
		}
		delay *= 2
	}
}

// once sends req one time over a new connection.
func (c *Client) once(ctx context.Context, u *url.URL, req Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	conn, err := c.dial(ctx, u)
	if err != nil {
		return nil, classify(ctx, err)
	}
	// Closing the connection is what interrupts a blocked read or write
	// when ctx ends; the deadline covers the common case.
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			conn.Close()
		case <-done:
		}
	}()
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if _, err := conn.Write(c.head(u, req)); err != nil {
		return nil, classify(ctx, err)
	}
	if _, err := conn.Write(req.Body); err != nil {
		return nil, classify(ctx, err)
	}
	resp, err := readResponse(bufio.NewReader(conn), c.opts.MaxBody, req.Method == "HEAD")
	if err != nil {
		if e, ok := err.(*errs.Error); ok {
			return resp, e
		}
		return resp, classify(ctx, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return resp, fail(ReasonHTTPStatus, "the server answered HTTP "+strconv.Itoa(resp.Status), nil)
	}
	return resp, nil
}

// dial connects to u's host, with TLS for https.
func (c *Client) dial(ctx context.Context, u *url.URL) (net.Conn, error) {
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	d := net.Dialer{KeepAlive: -1}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil || u.Scheme != "https" {
		return conn, err
	}
	conf := c.tls.Clone()
	conf.ServerName = host
	tc := tls.Client(conn, conf)
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, &tlsError{err}
	}
	return tc, nil
}

// tlsError marks an error of the TLS handshake.
type tlsError struct{ err error }

func (e *tlsError) Error() string { return "tls handshake: " + e.err.Error() }
func (e *tlsError) Unwrap() error { return e.err }

// head is the request line and headers.
func (c *Client) head(u *url.URL, req Request) []byte {
	method := req.Method
	if method == "" {
		method = "POST"
	}
	var b bytes.Buffer
	b.WriteString(method + " " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\n")
	b.WriteString("User-Agent: " + c.opts.UserAgent + "\r\n")
	if req.ContentType != "" {
		b.WriteString("Content-Type: " + clean(req.ContentType) + "\r\n")
	}
	for k, vs := range req.Header {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		if ck == "Host" || ck == "Content-Length" || ck == "Connection" || ck == "Transfer-Encoding" || ck == "Content-Type" && req.ContentType != "" {
			continue
		}
		for _, v := range vs {
			b.WriteString(clean(ck) + ": " + clean(v) + "\r\n")
		}
	}
	b.WriteString("Content-Length: " + strconv.Itoa(len(req.Body)) + "\r\nConnection: close\r\n\r\n")
	return b.Bytes()
}

// clean removes CR and LF so a header value cannot start another header.
func clean(s string) string {
	return strings.NewReplacer("\r", "", "\n", "").Replace(s)
}

// readResponse reads one HTTP/1.x response: status line, headers, and a body
// delimited by Content-Length, chunked encoding, or the end of the
// connection (none for HEAD, 204 and 304). 1xx interim responses are
// skipped.
func readResponse(br *bufio.Reader, max int64, head bool) (*Response, error) {
	tp := textproto.NewReader(br)
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return nil, err
		}
		proto, rest, _ := strings.Cut(line, " ")
		code, _, _ := strings.Cut(rest, " ")
		status, cerr := strconv.Atoi(code)
		if !strings.HasPrefix(proto, "HTTP/1.") || cerr != nil || len(code) != 3 || status < 100 {
			return nil, fail(ReasonNetwork, "the server's reply is not HTTP/1.x", nil)
		}
		hdr, err := tp.ReadMIMEHeader()
		if err != nil {
			if _, perr := br.Peek(1); perr != nil {
				return nil, fail(ReasonTruncated, "the reply ended inside its headers", err)
			}
			return nil, fail(ReasonNetwork, "the reply's headers are malformed", err)
		}
		if status < 200 {
			continue
		}
		resp := &Response{Status: status, Header: hdr}
		if head || status == 204 || status == 304 {
			return resp, nil // no body, whatever Content-Length says
		}
		resp.Body, err = readBody(br, hdr, max)
		return resp, err
	}
}

// readBody reads a response body under the size cap.
func readBody(br *bufio.Reader, hdr textproto.MIMEHeader, max int64) ([]byte, error) {
	tooLarge := func() error {
		return fail(ReasonTooLarge, "the reply is larger than "+strconv.FormatInt(max, 10)+" bytes", nil)
	}
	if strings.EqualFold(hdr.Get("Transfer-Encoding"), "chunked") {
		var body []byte
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return body, truncated(err, "chunked body")
			}
			size, _, _ := strings.Cut(strings.TrimSpace(line), ";")
			n, perr := strconv.ParseInt(size, 16, 64)
			if perr != nil || n < 0 {
				return body, fail(ReasonNetwork, "bad chunk size in the reply", nil)
			}
			if n == 0 {
				for { // trailers end with an empty line
					l, err := br.ReadString('\n')
					if err != nil || strings.TrimSpace(l) == "" {
						return body, nil
					}
				}
			}
			if int64(len(body))+n > max {
				return body, tooLarge()
			}
			chunk := make([]byte, n+2)
			if _, err := io.ReadFull(br, chunk); err != nil {
				return body, truncated(err, "chunked body")
			}
			body = append(body, chunk[:n]...)
		}
	}
	if cl := hdr.Get("Content-Length"); cl != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64)
		if err != nil || n < 0 {
			return nil, fail(ReasonNetwork, "bad Content-Length in the reply", nil)
		}
		if n > max {
			return nil, tooLarge()
		}
		body := make([]byte, n)
		got, err := io.ReadFull(br, body)
		if err != nil {
			return body[:got], fail(ReasonTruncated, "the reply ended after "+strconv.Itoa(got)+" of "+strconv.FormatInt(n, 10)+" bytes", err)
		}
		return body, nil
	}
	body, err := io.ReadAll(io.LimitReader(br, max+1))
	if int64(len(body)) > max {
		return body[:max], tooLarge()
	}
	return body, err
}

// truncated reports a body that ended early (EOF) or another read error.
func truncated(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fail(ReasonTruncated, "the reply's "+what+" ended early", err)
	}
	return err
}

// checkURL accepts only absolute http and https URLs.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, fail(ReasonBadURL, "the URL must be an absolute http or https URL", nil)
	}
	return u, nil
}

// fail makes a TRANSPORT_ERROR with reason.
func fail(reason, msg string, cause error) *errs.Error {
	return &errs.Error{Kind: errs.TransportError, Reason: reason, Message: msg, Err: cause}
}

// retryable reports whether an idempotent request may be repeated after err
// (resp is the reply that came with it, if any): after a failed exchange, or
// a 5xx status.
func retryable(resp *Response, err error) bool {
	var e *errs.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Reason {
	case ReasonTimeout, ReasonRefused, ReasonReset, ReasonTruncated, ReasonNetwork:
		return true
	case ReasonHTTPStatus:
		return resp != nil && resp.Status >= 500
	}
	return false
}

// classify maps a network error to a TRANSPORT_ERROR reason. Windows
// reports refused and reset connections with its own error numbers, hence
// the text checks after the errno ones.
func classify(ctx context.Context, err error) *errs.Error {
	var (
		dnsErr  *net.DNSError
		tlsErr  *tlsError
		certErr *tls.CertificateVerificationError
		netErr  net.Error
	)
	text := strings.ToLower(err.Error())
	switch {
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
		return fail(ReasonTimeout, "no complete reply within the timeout", err)
	case errors.Is(err, context.Canceled) || ctx.Err() == context.Canceled:
		return fail(ReasonTimeout, "the call was cancelled", err)
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(text, "refused"):
		return fail(ReasonRefused, "the connection was refused (is the server running at this address?)", err)
	case errors.As(err, &tlsErr), errors.As(err, &certErr):
		return fail(ReasonTLS, "TLS failed: "+err.Error(), err)
	case errors.As(err, &dnsErr):
		return fail(ReasonDNS, "the host name could not be resolved", err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fail(ReasonTruncated, "the reply ended early", err)
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ECONNABORTED), strings.Contains(text, "reset"), strings.Contains(text, "forcibly closed"):
		return fail(ReasonReset, "the connection was closed before the reply arrived", err)
	case errors.As(err, &netErr) && netErr.Timeout():
		return fail(ReasonTimeout, "no complete reply within the timeout", err)
	}
	return fail(ReasonNetwork, "network error: "+err.Error(), err)
}
