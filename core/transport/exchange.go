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
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

// exchangeKey is the context key of the *exchange of an attempt.
type exchangeKey struct{}

// exchange is what one attempt saw happen, recorded by net/http's trace
// hooks, from which a failure is classified. net/http's own errors are
// mostly untyped text; the hooks tell the phases apart in every Go version.
type exchange struct {
	p     *prepared
	start time.Time

	mu        sync.Mutex
	proxy     *url.URL
	proxyErr  error
	dnsErr    error
	connErr   error
	tlsErr    error
	tunnel    int    // status of the proxy's answer to CONNECT (0: none)
	tunnelMsg string // its status line
	firstByte bool   // a byte of the reply arrived
	interim   int    // interim (1xx) replies read
	wrote     bool   // the request was written
	conn      *watchedConn
}

// watchedConn is a connection that remembers whether the server closed it
// (a read met EOF), which tells a reply cut inside a line from a malformed
// one.
type watchedConn struct {
	net.Conn
	eof int32
}

func (c *watchedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if err == io.EOF {
		atomic.StoreInt32(&c.eof, 1)
	}
	return n, err
}

// dialWatched dials with d and wraps the connection.
func dialWatched(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &watchedConn{Conn: c}, nil
	}
}

// closedByServer reports whether the connection met EOF (x.mu held).
func (x *exchange) closedByServer() bool {
	return x.conn != nil && atomic.LoadInt32(&x.conn.eof) == 1
}

func (x *exchange) setProxy(u *url.URL, err error) {
	x.mu.Lock()
	x.proxy, x.proxyErr = u, err
	x.mu.Unlock()
}

func (x *exchange) setTunnel(code int, status string) {
	x.mu.Lock()
	x.tunnel, x.tunnelMsg = code, status
	x.mu.Unlock()
}

// errTooManyInterim stops a reply after MaxInterim interim replies. Go 1.20
// stops after 5 by itself, current Go counts their bytes towards
// MaxResponseHeaderBytes unless this hook is set; with it both stop here.
var errTooManyInterim = errors.New("too many interim (1xx) replies")

// clientTrace returns the hooks that fill x.
func (x *exchange) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSDone: func(i httptrace.DNSDoneInfo) {
			if i.Err != nil {
				x.mu.Lock()
				x.dnsErr = i.Err
				x.mu.Unlock()
			}
		},
		ConnectDone: func(_, _ string, err error) {
			if err != nil {
				x.mu.Lock()
				x.connErr = err
				x.mu.Unlock()
			}
		},
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			if err != nil {
				x.mu.Lock()
				x.tlsErr = err
				x.mu.Unlock()
			}
		},
		GotConn: func(i httptrace.GotConnInfo) {
			c := i.Conn
			if tc, ok := c.(*tls.Conn); ok {
				c = tc.NetConn()
			}
			w, _ := c.(*watchedConn)
			x.mu.Lock()
			x.conn = w
			x.mu.Unlock()
		},
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			x.mu.Lock()
			x.wrote = i.Err == nil
			x.mu.Unlock()
		},
		GotFirstResponseByte: func() {
			x.mu.Lock()
			x.firstByte = true
			x.mu.Unlock()
		},
		Got1xxResponse: func(int, textproto.MIMEHeader) error {
			x.mu.Lock()
			defer x.mu.Unlock()
			x.interim++
			if x.interim > MaxInterim {
				return errTooManyInterim
			}
			return nil
		},
	}
}

// read reads the reply's body under max and returns the Response. The body
// is always closed.
func (x *exchange) read(ctx context.Context, resp *http.Response, max int64) (*Response, *errs.Error) {
	defer resp.Body.Close()
	out := &Response{Status: resp.StatusCode, Headers: headerList(resp)}
	p := x.p
	if resp.StatusCode == http.StatusSwitchingProtocols {
		return nil, p.fail(ReasonNetwork, "the server switched protocols (HTTP 101) although none was asked for", nil)
	}
	// Go 1.20 reads an empty Content-Length as none (until the connection
	// closes), current Go refuses it; refuse it in both.
	for _, v := range resp.Header["Content-Length"] {
		if v = strings.TrimSpace(v); v == "" || strings.Trim(v, "0123456789") != "" {
			return nil, p.fail(ReasonNetwork, "the reply's Content-Length is not a number", nil)
		}
	}
	if resp.ContentLength > max {
		return out, x.tooLarge(max)
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return out, x.classify(ctx, err)
	}
	if n > max {
		return out, x.tooLarge(max)
	}
	out.Body = buf.Bytes()
	if out.Body == nil {
		out.Body = []byte{}
	}
	return out, nil
}

func (x *exchange) tooLarge(max int64) *errs.Error {
	return x.p.fail(ReasonTooLarge, "the reply's body is larger than "+strconv.FormatInt(max, 10)+" bytes", nil)
}

// headerList returns the reply's header fields: names sorted, values of a
// name in the order received. net/http moves Transfer-Encoding out of the
// header map; it is put back.
func headerList(resp *http.Response) []Header {
	h := resp.Header
	if len(resp.TransferEncoding) > 0 && h.Get("Transfer-Encoding") == "" {
		h = h.Clone()
		h["Transfer-Encoding"] = resp.TransferEncoding
	}
	return sortedHeaders(h)
}

// sortedHeaders lists h: names sorted, each name's values in order.
func sortedHeaders(h http.Header) []Header {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []Header
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, Header{Name: k, Value: v})
		}
	}
	return out
}

// classify maps an error of net/http (or of reading a body) to a
// TRANSPORT_ERROR reason, using what the trace hooks recorded. It never
// returns anything but TRANSPORT_ERROR: an error it does not know is
// reason network.
func (x *exchange) classify(ctx context.Context, err error) *errs.Error {
	x.mu.Lock()
	defer x.mu.Unlock()
	p := x.p
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text repeats the URL, query string included
	}
	text := err.Error()
	via := ""
	if x.proxy != nil {
		via = " (through the proxy " + x.proxy.Host + ")"
	}
	var (
		dnsErr *net.DNSError
		netErr net.Error
	)
	switch {
	case ctx.Err() == context.DeadlineExceeded, errors.Is(err, context.DeadlineExceeded):
		return p.fail(ReasonTimeout, "no complete reply within the time bound"+via+checkTimeout, err)
	case ctx.Err() != nil, errors.Is(err, context.Canceled):
		return p.fail(ReasonTimeout, "the call was cancelled", err)
	case x.proxyErr != nil:
		return p.fail(ReasonBadURL, "the proxy setting (HTTP_PROXY, HTTPS_PROXY, or the system's) is not a valid URL", err)
	case x.tlsErr != nil:
		return p.fail(ReasonTLS, tlsMessage(x.tlsErr, p, x.proxy), err)
	case isTLS(err): // a caller's RoundTripper that calls no trace hook
		return p.fail(ReasonTLS, tlsMessage(err, p, x.proxy), err)
	case x.tunnel != 0 && x.tunnel != 200:
		return p.fail(ReasonNetwork, "the proxy "+x.proxy.Host+" refused the tunnel (CONNECT): "+clip(x.tunnelMsg), err)
	case errors.As(err, &dnsErr), x.dnsErr != nil && errors.As(x.dnsErr, &dnsErr):
		return p.fail(ReasonDNS, "the host name "+dnsErr.Name+" could not be resolved"+via+"; check the host name in the URL, and the proxy (transport.proxy) where only a proxy reaches the internet", err)
	case isRefused(err) || (x.connErr != nil && isRefused(x.connErr)):
		if x.proxy != nil {
			return p.fail(ReasonRefused, "the proxy "+x.proxy.Host+" refused the connection (is it running?); check the proxy setting (transport.proxy, HTTP_PROXY, HTTPS_PROXY)", err)
		}
		return p.fail(ReasonRefused, "the connection was refused (is the server running at this address?); check the host and port in the URL", err)
	case x.connErr != nil:
		return p.fail(ReasonNetwork, "could not connect"+via+": "+clip(errText(x.connErr))+checkNetwork, err)
	case strings.Contains(text, "server response headers exceeded"):
		return p.fail(ReasonTooLarge, "the reply's header block is larger than "+strconv.Itoa(MaxHeaderBytes)+" bytes", err)
	case errors.Is(err, errTooManyInterim):
		return p.fail(ReasonTooLarge, "the server sent more than "+strconv.Itoa(MaxInterim)+" interim (1xx) replies", err)
	case isReset(err, text):
		return p.fail(ReasonReset, "the connection was reset"+x.when(), err)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		if !x.firstByte {
			return p.fail(ReasonReset, "the connection was closed before any reply"+via, err)
		}
		return p.fail(ReasonTruncated, "the reply ended early (inside its header block, before its announced length or its last chunk)", err)
	case x.firstByte && x.closedByServer():
		return p.fail(ReasonTruncated, "the reply ended early (the server closed the connection inside a line)", err)
	case errors.As(err, &netErr) && netErr.Timeout():
		return p.fail(ReasonTimeout, "no complete reply within the time bound"+via+checkTimeout, err)
	case x.firstByte:
		return p.fail(ReasonNetwork, "the reply is not well-formed HTTP/1.x: "+clip(errText(err)), err)
	}
	return p.fail(ReasonNetwork, "network error"+via+": "+clip(errText(err))+checkNetwork, err)
}

// What to check, appended to the messages of a timeout and of a network
// failure.
const (
	checkTimeout = "; check that the server is reachable from this machine (directly or through the proxy: transport.proxy, HTTPS_PROXY), or allow more time (timeoutMs)"
	checkNetwork = "; check the network and the proxy setting (transport.proxy, HTTP_PROXY, HTTPS_PROXY)"
)

// when says how far the reply had come.
func (x *exchange) when() string {
	if x.firstByte {
		return " while the reply was read"
	}
	return " before any reply"
}

// isTLS reports an error of a TLS handshake or certificate.
func isTLS(err error) bool {
	var (
		cv      *tls.CertificateVerificationError
		rh      tls.RecordHeaderError
		unknown x509.UnknownAuthorityError
		invalid x509.CertificateInvalidError
		host    x509.HostnameError
	)
	return errors.As(err, &cv) || errors.As(err, &rh) || errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &host)
}

// isRefused reports a refused connection (Windows reports it with its own
// error number and text).
func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(strings.ToLower(err.Error()), "refused")
}

// isReset reports a reset or aborted connection.
func isReset(err error, text string) bool {
	text = strings.ToLower(text)
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		strings.Contains(text, "connection reset") || strings.Contains(text, "forcibly closed") || strings.Contains(text, "broken pipe")
}

// errText is err's text without net/http's "net/http: " prefixes.
func errText(err error) string {
	return strings.Replace(err.Error(), "net/http: ", "", -1)
}

// clip bounds a text taken from an error (it may quote the server's bytes).
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// tlsMessage says which host failed TLS and why.
func tlsMessage(err error, p *prepared, proxy *url.URL) string {
	host := ""
	if u, perr := url.Parse(p.rawURL); perr == nil {
		host = u.Host
	}
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		record   tls.RecordHeaderError
		pin      pinError
	)
	text := err.Error()
	switch {
	case errors.As(err, &pin):
		return "TLS with " + host + " failed: the certificate's key matches none of transport.pinSha256"
	case errors.As(err, &unknown):
		return "TLS with " + host + " failed: its certificate is signed by an unknown authority (not in the system roots or transport.rootCAs); add that CA's certificate (PEM) to transport.rootCAs: a private CA, or the CA of a TLS-inspecting proxy"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "TLS with " + host + " failed: its certificate has expired or is not yet valid (" + clip(invalid.Error()) + "); check this machine's clock"
	case errors.As(err, &invalid):
		return "TLS with " + host + " failed: its certificate is not valid (" + clip(invalid.Error()) + ")"
	case errors.As(err, &hostname):
		return "TLS with " + host + " failed: its certificate is for another name (" + clip(hostname.Error()) + "); check the host name in the URL"
	case errors.As(err, &record):
		return "TLS with " + host + " failed: the server did not answer with TLS (a plain-HTTP server on an https URL?)"
	case strings.Contains(text, "protocol version"):
		return "TLS with " + host + " failed: the server does not offer TLS 1.2 or later"
	}
	if proxy != nil && proxy.Scheme == "https" {
		host += " or the proxy " + proxy.Host
	}
	return "TLS with " + host + " failed: " + clip(text)
}
