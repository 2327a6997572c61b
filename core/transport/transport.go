// Package transport is couponkit's optional HTTP transport: the only package
// that does network I/O. It posts a request built by core/zvcms or
// core/allinpay and returns the status, headers and body, so a POS program
// (Delphi, VB6, C#) needs no HTTP code of its own.
//
// TLS is Go's own crypto/tls (TLS 1.2 and 1.3), so a Windows 7 POS whose
// system TLS is too old for today's servers still reaches HTTPS endpoints.
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
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
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
	// Header holds extra request headers (may be nil).
	Header http.Header
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
	// Header holds the reply headers.
	Header http.Header
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

// Client sends requests. It is safe for concurrent use and keeps idle
// connections for reuse; create one and share it.
type Client struct {
	opts Options
	http *http.Client
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
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: opts.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   opts.Timeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       60 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &Client{opts: opts, http: &http.Client{Transport: tr}}, nil
}

// Options returns the client's options with defaults filled in.
func (c *Client) Options() Options { return c.opts }

// Do sends req and returns the complete reply. A status outside 2xx returns
// the Response together with a TRANSPORT_ERROR of reason http_status. An
// idempotent request is repeated after a timeout, refused or reset
// connection, truncated body or 5xx status, up to Options.Retries times,
// while ctx allows; any other request is sent exactly once.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	if err := checkURL(req.URL); err != nil {
		return nil, err
	}
	delay := c.opts.RetryDelay
	for attempt := 1; ; attempt++ {
		resp, err := c.once(ctx, req)
		if resp != nil {
			resp.Attempts = attempt
		}
		if err == nil || !req.Idempotent || attempt > c.opts.Retries || !retryable(err) || ctx.Err() != nil {
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

// once sends req one time.
func (c *Client) once(ctx context.Context, req Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	hreq, err := http.NewRequestWithContext(ctx, method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return nil, fail(ReasonBadURL, "the request could not be made: "+err.Error(), err)
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			hreq.Header.Add(k, v)
		}
	}
	if req.ContentType != "" {
		hreq.Header.Set("Content-Type", req.ContentType)
	}
	hreq.Header.Set("User-Agent", c.opts.UserAgent)
	hresp, err := c.http.Do(hreq)
	if err != nil {
		return nil, classify(ctx, err)
	}
	defer hresp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hresp.Body, c.opts.MaxBody+1))
	resp := &Response{Status: hresp.StatusCode, Header: hresp.Header, Body: body}
	if err != nil {
		e := classify(ctx, err)
		if e.Reason == ReasonReset && hresp.ContentLength > int64(len(body)) {
			e = fail(ReasonTruncated, "the reply ended after "+strconv.Itoa(len(body))+" of "+strconv.FormatInt(hresp.ContentLength, 10)+" bytes", err)
		}
		return resp, e
	}
	if int64(len(body)) > c.opts.MaxBody {
		resp.Body = body[:c.opts.MaxBody]
		return resp, fail(ReasonTooLarge, "the reply is larger than "+strconv.FormatInt(c.opts.MaxBody, 10)+" bytes", nil)
	}
	if hresp.StatusCode < 200 || hresp.StatusCode > 299 {
		e := fail(ReasonHTTPStatus, "the server answered HTTP "+strconv.Itoa(hresp.StatusCode), nil)
		return resp, e
	}
	return resp, nil
}

// checkURL accepts only absolute http and https URLs.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail(ReasonBadURL, "the URL must be an absolute http or https URL", nil)
	}
	return nil
}

// fail makes a TRANSPORT_ERROR with reason.
func fail(reason, msg string, cause error) *errs.Error {
	return &errs.Error{Kind: errs.TransportError, Reason: reason, Message: msg, Err: cause}
}

// retryable reports whether an idempotent request may be repeated after err.
func retryable(err error) bool {
	var e *errs.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Reason {
	case ReasonTimeout, ReasonRefused, ReasonReset, ReasonTruncated, ReasonNetwork:
		return true
	case ReasonHTTPStatus:
		return strings.Contains(e.Message, "HTTP 5")
	}
	return false
}

// classify maps a net/http error to a TRANSPORT_ERROR reason.
func classify(ctx context.Context, err error) *errs.Error {
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		recErr  tls.RecordHeaderError
		uaErr   x509.UnknownAuthorityError
		hostErr x509.HostnameError
		invErr  x509.CertificateInvalidError
		netErr  net.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
		return fail(ReasonTimeout, "no complete reply within the timeout", err)
	case errors.Is(err, context.Canceled):
		return fail(ReasonTimeout, "the call was cancelled", err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fail(ReasonRefused, "the connection was refused (is the server running at this address?)", err)
	case errors.As(err, &certErr), errors.As(err, &recErr), errors.As(err, &uaErr),
		errors.As(err, &hostErr), errors.As(err, &invErr), isTLSAlert(err):
		return fail(ReasonTLS, "TLS failed: "+err.Error(), err)
	case errors.As(err, &dnsErr):
		return fail(ReasonDNS, "the host name could not be resolved", err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fail(ReasonTruncated, "the reply ended early", err)
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ECONNABORTED):
		return fail(ReasonReset, "the connection was closed before the reply arrived", err)
	case errors.As(err, &netErr) && netErr.Timeout():
		return fail(ReasonTimeout, "no complete reply within the timeout", err)
	}
	return fail(ReasonNetwork, "network error: "+err.Error(), err)
}

// isTLSAlert reports a TLS alert or handshake failure reported as text only.
func isTLSAlert(err error) bool {
	s := err.Error()
	return strings.Contains(s, "tls: ") || strings.Contains(s, "x509: ") ||
		strings.Contains(s, "HTTP response to HTTPS client")
}
