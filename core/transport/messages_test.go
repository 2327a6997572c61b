package transport

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

// Every TRANSPORT_ERROR names the method and the URL (scheme, host, port
// and path: no userinfo, no query string) and says what to check.
func TestErrorMessagesSayWhatToCheck(t *testing.T) {
	const where = "POST https://vendor.example:8443/api/v2: "
	expired := x509.CertificateInvalidError{Cert: &x509.Certificate{}, Reason: x509.Expired, Detail: "current time is after the end"}
	for _, tc := range []struct {
		err    error
		reason string
		want   string
	}{
		{&net.DNSError{Name: "vendor.example", Err: "no such host", IsNotFound: true}, ReasonDNS,
			"the host name vendor.example could not be resolved; check the host name in the URL, and the proxy (transport.proxy) where only a proxy reaches the internet"},
		{&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, ReasonRefused,
			"the connection was refused (is the server running at this address?); check the host and port in the URL"},
		{x509.UnknownAuthorityError{}, ReasonTLS,
			"TLS with vendor.example:8443 failed: its certificate is signed by an unknown authority (not in the system roots or transport.rootCAs); add that CA's certificate (PEM) to transport.rootCAs: a private CA, or the CA of a TLS-inspecting proxy"},
		{expired, ReasonTLS,
			"TLS with vendor.example:8443 failed: its certificate has expired or is not yet valid (x509: certificate has expired or is not yet valid: current time is after the end); check this machine's clock"},
		{context.DeadlineExceeded, ReasonTimeout,
			"no complete reply within the time bound; check that the server is reachable from this machine (directly or through the proxy: transport.proxy, HTTPS_PROXY), or allow more time (timeoutMs)"},
		{errors.New("something new in a future Go"), ReasonNetwork,
			"network error: something new in a future Go; check the network and the proxy setting (transport.proxy, HTTP_PROXY, HTTPS_PROXY)"},
		{io.EOF, ReasonReset, "the connection was closed before any reply"},
	} {
		c, _ := New(Options{Retries: -1, HTTPClient: &http.Client{Transport: roundTripper(func(*http.Request) (*http.Response, error) { return nil, tc.err })}})
		_, err := c.Do(context.Background(), Request{URL: "https://pos:pa55@vendor.example:8443/api/v2?sign=s3cret"})
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.TransportError || e.Reason != tc.reason || e.Message != where+tc.want {
			t.Errorf("%T: got %v\n want TRANSPORT_ERROR %s: %s%s", tc.err, err, tc.reason, where, tc.want)
		}
	}
	// An HTTP status names the URL and, where it tells, what to check.
	for status, want := range map[int]string{
		404: "the server answered HTTP 404; check the URL's path (the base or gateway URL)",
		407: "the server answered HTTP 407 (proxy authentication required); give the proxy's user and password in the proxy URL (transport.proxy: http://user:password@host:port)",
		500: "the server answered HTTP 500",
	} {
		status := status
		c, _ := New(Options{Retries: -1, HTTPClient: &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader("x")), Header: http.Header{}, Request: r}, nil
		})}})
		_, err := c.Do(context.Background(), Request{URL: "https://pos:pa55@vendor.example:8443/api/v2?sign=s3cret"})
		var e *errs.Error
		if !errors.As(err, &e) || e.Reason != ReasonHTTPStatus || e.Message != where+want {
			t.Errorf("HTTP %d: got %v\n want %s%s", status, err, where, want)
		}
	}
	// A real refused connection: the message names the address.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, _ := New(Options{Retries: -1})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = c.Do(ctx, Request{URL: "http://" + addr + "/api/v2?k=v", Transport: TransportOptions{Proxy: "none"}})
	want := "POST http://" + addr + "/api/v2: the connection was refused (is the server running at this address?); check the host and port in the URL"
	if e, ok := err.(*errs.Error); !ok || e.Reason != ReasonRefused || e.Message != want {
		t.Errorf("refused: got %v\n want %s", err, want)
	}
}
