package transport

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/invoke"
)

// maxPools is how many configurations a Client keeps transports for; the
// least recently used one beyond it is closed.
const maxPools = 8

// config is one distinct way of reaching servers: the resolved transport
// options of a request.
type config struct {
	proxy     string // "", "none", "system" or a proxy URL
	proxyURL  *url.URL
	rootsPEM  string
	roots     []*x509.Certificate
	pins      []string // Base64 SHA-256 of SPKI, sorted
	traceFile string
	maxBody   int64 // 0: Options.MaxBody
}

// key identifies the pool of a configuration (the trace file is not part
// of it: it does not change how servers are reached).
func (c config) key() string {
	h := sha256.Sum256([]byte(c.rootsPEM))
	return c.proxy + "\x00" + string(h[:]) + "\x00" + strings.Join(c.pins, ",")
}

// config merges the request's transport options over the client's defaults
// and checks them; where names the request in messages ("" while checking
// Options.Transport).
func (c *Client) config(t TransportOptions, where string) (config, error) {
	d := c.opts.Transport
	if t.Proxy == "" {
		t.Proxy = d.Proxy
	}
	if t.RootCAsPEM == "" {
		t.RootCAsPEM = d.RootCAsPEM
	}
	if len(t.PinSHA256) == 0 {
		t.PinSHA256 = d.PinSHA256
	}
	if t.TraceFile == "" {
		t.TraceFile = d.TraceFile
	}
	if t.MaxBody == 0 {
		t.MaxBody = d.MaxBody
	}
	if where != "" {
		where += ": "
	}
	cfg := config{proxy: t.Proxy, rootsPEM: t.RootCAsPEM, traceFile: t.TraceFile, maxBody: t.MaxBody}
	if t.MaxBody < 0 || t.MaxBody > invoke.MaxBodyLimit {
		return cfg, errs.Invalid("transport.maxBody", "%smaxBody must be from 1 to %d bytes (64 MiB), or 0 for Options.MaxBody", where, invoke.MaxBodyLimit)
	}
	if c.hc != nil {
		for _, f := range []struct {
			field string
			set   bool
		}{{"transport.proxy", t.Proxy != ""}, {"transport.rootCAs", t.RootCAsPEM != ""}, {"transport.pinSha256", len(t.PinSHA256) > 0}} {
			if f.set {
				return cfg, errs.Invalid(f.field, "%sthis transport sends through the caller's own *http.Client; set the proxy, roots and pins there", where)
			}
		}
	}
	switch t.Proxy {
	case "", "none", "system":
	default:
		u, err := url.Parse(t.Proxy)
		if err != nil || u.Host == "" || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" ||
			(u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5" && u.Scheme != "socks5h") {
			// The value is not quoted: it may hold a password.
			return cfg, errs.Invalid("transport.proxy", "%sthe proxy must be \"\" (the environment's HTTP_PROXY, HTTPS_PROXY, NO_PROXY), \"none\", \"system\" or an absolute URL such as http://user:password@10.0.0.1:3128 (schemes http, https, socks5, socks5h)", where)
		}
		if u.Scheme == "socks5h" {
			// net/http passes host names to a SOCKS5 proxy either way;
			// Go 1.20 knows only the name socks5.
			u.Scheme = "socks5"
		}
		cfg.proxyURL = u
	}
	if t.RootCAsPEM != "" {
		certs, err := parseRoots(t.RootCAsPEM)
		if err != nil {
			return cfg, errs.Invalid("transport.rootCAs", "%s%v", where, err)
		}
		cfg.roots = certs
	}
	for i, pin := range t.PinSHA256 {
		b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(pin, "sha256/"))
		if err != nil || len(b) != sha256.Size {
			return cfg, errs.Invalid("transport.pinSha256["+strconv.Itoa(i)+"]", "%sa pin is the Base64 of the 32-byte SHA-256 of a certificate's SubjectPublicKeyInfo (44 characters, optionally after \"sha256/\")", where)
		}
		cfg.pins = append(cfg.pins, base64.StdEncoding.EncodeToString(b))
	}
	sort.Strings(cfg.pins)
	return cfg, nil
}

// Check checks transport options as a request carrying them is checked
// before anything is sent (proxy, roots, pins, maxBody, and that the trace
// file can be opened for appending: it is created if missing), without
// sending anything: the
// invoke.Options.CheckTransport of the C ABI, which refuses a session's bad
// options at session.open. The error is INVALID_ARGUMENT naming the
// transport.* field.
func Check(t TransportOptions) error {
	var c Client
	cfg, err := c.config(t, "")
	if err == nil && cfg.traceFile != "" {
		err = checkTrace(cfg.traceFile, "")
	}
	return err
}

// parseRoots reads PEM text holding only CERTIFICATE blocks (at least one).
func parseRoots(text string) ([]*x509.Certificate, error) {
	rest := []byte(text)
	var certs []*x509.Certificate
	for n := 1; ; n++ {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			// The block is not quoted: it could be a private key.
			return nil, errors.New("PEM block " + strconv.Itoa(n) + " of the root CAs is a " + strconv.Quote(clipType(b.Type)) + ", not a CERTIFICATE")
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, errors.New("PEM block " + strconv.Itoa(n) + " of the root CAs is not a valid X.509 certificate")
		}
		certs = append(certs, c)
	}
	if strings.TrimSpace(string(rest)) != "" {
		return nil, errors.New("the root CAs hold text that is not a PEM block (after " + strconv.Itoa(len(certs)) + " certificates)")
	}
	if len(certs) == 0 {
		return nil, errors.New("the root CAs hold no PEM certificate (-----BEGIN CERTIFICATE-----)")
	}
	return certs, nil
}

func clipType(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}

// pools caches the transports of each configuration.
type pools struct {
	mu sync.Mutex
	m  map[string]*pool
}

// pool is the pair of transports of one configuration: keep-alive for
// idempotent requests, one connection per request for the others.
type pool struct {
	keep, fresh *http.Client
	used        time.Time
}

// client returns the http.Client for a request.
func (p *pool) client(idempotent bool) *http.Client {
	if idempotent {
		return p.keep
	}
	return p.fresh
}

func (p *pool) closeIdle() {
	p.keep.CloseIdleConnections()
	p.fresh.CloseIdleConnections()
}

// get returns the pool of cfg, creating it (and dropping the least recently
// used one beyond maxPools) when needed.
func (ps *pools) get(cfg config) *pool {
	k := cfg.key()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p := ps.m[k]; p != nil {
		p.used = time.Now()
		return p
	}
	if ps.m == nil {
		ps.m = map[string]*pool{}
	}
	if len(ps.m) >= maxPools {
		var oldK string
		var old *pool
		for k, p := range ps.m {
			if old == nil || p.used.Before(old.used) {
				oldK, old = k, p
			}
		}
		old.closeIdle()
		delete(ps.m, oldK)
	}
	p := newPool(cfg)
	ps.m[k] = p
	return p
}

func (ps *pools) closeIdle() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.m {
		p.closeIdle()
	}
}

// newPool builds the transports of cfg.
func newPool(cfg config) *pool {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(cfg.roots) > 0 {
		roots, err := x509.SystemCertPool()
		if err != nil || roots == nil {
			roots = x509.NewCertPool()
		}
		for _, c := range cfg.roots {
			roots.AddCert(c)
		}
		tlsConf.RootCAs = roots
	}
	if len(cfg.pins) > 0 {
		tlsConf.VerifyConnection = verifyPins(cfg.pins)
	}
	proxy := proxyFunc(cfg)
	mk := func(keepAlive bool) *http.Client {
		t := &http.Transport{
			Proxy: func(r *http.Request) (*url.URL, error) {
				u, err := proxy(r)
				if x, ok := r.Context().Value(exchangeKey{}).(*exchange); ok {
					x.setProxy(u, err)
				}
				return u, err
			},
			DialContext:            dialWatched(&net.Dialer{KeepAlive: 30 * time.Second}),
			TLSClientConfig:        tlsConf,
			DisableKeepAlives:      !keepAlive,
			DisableCompression:     true,
			MaxIdleConns:           8,
			MaxIdleConnsPerHost:    2,
			IdleConnTimeout:        30 * time.Second,
			MaxResponseHeaderBytes: MaxHeaderBytes,
			ReadBufferSize:         4 << 10,
			WriteBufferSize:        4 << 10,
			// A non-nil empty map turns HTTP/2 off.
			TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
			OnProxyConnectResponse: func(ctx context.Context, _ *url.URL, _ *http.Request, resp *http.Response) error {
				if x, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
					x.setTunnel(resp.StatusCode, resp.Status)
				}
				return nil
			},
		}
		return &http.Client{Transport: t, CheckRedirect: returnRedirect}
	}
	return &pool{keep: mk(true), fresh: mk(false), used: time.Now()}
}

// pinError is a server certificate chain holding none of the pins.
type pinError struct{}

func (pinError) Error() string {
	return "no certificate of the server's chain matches transport.pinSha256"
}

// verifyPins checks, after the usual chain verification, that a verified
// chain holds a certificate whose SubjectPublicKeyInfo hashes to a pin. It
// applies to every TLS handshake of the configuration (an HTTPS proxy's
// too).
func verifyPins(pins []string) func(tls.ConnectionState) error {
	want := map[string]bool{}
	for _, p := range pins {
		want[p] = true
	}
	return func(cs tls.ConnectionState) error {
		for _, chain := range cs.VerifiedChains {
			for _, c := range chain {
				h := sha256.Sum256(c.RawSubjectPublicKeyInfo)
				if want[base64.StdEncoding.EncodeToString(h[:])] {
					return nil
				}
			}
		}
		return pinError{}
	}
}

// PinOf returns the pin of a certificate (Base64 of the SHA-256 of its
// SubjectPublicKeyInfo), as TransportOptions.PinSHA256 takes it.
func PinOf(c *x509.Certificate) string {
	h := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(h[:])
}

// proxyFunc returns how cfg picks a proxy: the environment (net/http's
// rules: HTTP_PROXY, HTTPS_PROXY, NO_PROXY, never for localhost and
// loopback addresses, read once per process), none, the system settings, or
// the one URL given.
func proxyFunc(cfg config) func(*http.Request) (*url.URL, error) {
	switch {
	case cfg.proxy == "none":
		return func(*http.Request) (*url.URL, error) { return nil, nil }
	case cfg.proxy == "system":
		return systemProxy
	case cfg.proxyURL != nil:
		u := cfg.proxyURL
		return func(*http.Request) (*url.URL, error) { return u, nil }
	}
	return http.ProxyFromEnvironment
}
