package transport

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/netmsg"
)

// prepared is a validated request, ready to be sent any number of times.
type prepared struct {
	method     string
	rawURL     string
	where      string // "POST http://host/path": the method and the URL without query or userinfo
	header     http.Header
	body       []byte
	idempotent bool
	pool       *pool  // nil with Options.HTTPClient
	traceFile  string // "" for none
	maxBody    int64  // the largest body read
}

// fail makes a TRANSPORT_ERROR with reason whose message starts with the
// method and the URL.
func (p *prepared) fail(reason, msg string, cause error) *errs.Error {
	return &errs.Error{Kind: errs.TransportError, Reason: reason, Message: p.where + ": " + msg, Err: cause}
}

// reservedHeaders are the fields the transport writes itself (framing,
// connection management, the target); a caller giving one is
// INVALID_ARGUMENT.
var reservedHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true,
	"Keep-Alive": true, "Proxy-Connection": true, "Te": true, "Trailer": true, "Upgrade": true,
}

// Validate checks req as Do does before sending anything: the method is a
// token ("" means POST); the URL holds no control character or space and
// is an absolute http or https URL; contentType and every header value hold
// no CR, LF, NUL or other control character (a tab is allowed); every
// header name is a token (not empty, no ":", space, CR, LF or NUL); Host,
// Content-Length, Transfer-Encoding, Connection, Keep-Alive,
// Proxy-Connection, TE, Trailer and Upgrade are not set by the caller, and
// Content-Type only when contentType is "". The error is INVALID_ARGUMENT
// naming the field (method, url, contentType, headers.<Name>), or
// TRANSPORT_ERROR bad_url for a URL that is well-formed but not an absolute
// http(s) URL. Transport options are checked by Do (they need the Client).
func Validate(req Request) error {
	_, err := validate(req)
	return err
}

// validate checks req and returns it prepared, without its pool and trace
// file.
func validate(req Request) (*prepared, error) {
	method := req.Method
	if method == "" {
		method = "POST"
	}
	p := &prepared{method: method, rawURL: req.URL, body: req.Body, idempotent: req.Idempotent, where: method + " (the URL)"}
	if !isToken(method) {
		return nil, errs.Invalid("method", "the method %s is not an HTTP method (a token: letters, digits and !#$%%&'*+-.^_`|~); nothing was sent", quoteClip(method))
	}
	if i := strings.IndexFunc(req.URL, func(r rune) bool { return r <= ' ' || r == 0x7f }); i >= 0 {
		return nil, errs.Invalid("url", "%s: the URL holds a space or a control character (CR, LF, NUL, …) at byte %d; nothing was sent", method, i)
	}
	u, err := url.Parse(req.URL)
	if err == nil {
		p.where = method + " " + Redact(u)
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return nil, p.fail(ReasonBadURL, "the URL must be an absolute http or https URL (http://host/path)", nil)
	}
	if bad := badValue(req.ContentType); bad >= 0 {
		return nil, errs.Invalid("contentType", "%s: the content type holds CR, LF, NUL or another control character at byte %d; nothing was sent", p.where, bad)
	}
	p.header = make(http.Header, len(req.Headers)+2)
	for _, h := range req.Headers {
		field := "headers." + h.Name
		name := http.CanonicalHeaderKey(h.Name)
		switch {
		case !isToken(h.Name):
			return nil, errs.Invalid(field, "%s: the header name %s is not a token (empty, or holds \":\", a space, CR, LF, NUL or another separator); nothing was sent", p.where, quoteClip(h.Name))
		case reservedHeaders[name]:
			return nil, errs.Invalid(field, "%s: the transport sets %s itself; it cannot be given as a header", p.where, name)
		case name == "Content-Type" && req.ContentType != "":
			return nil, errs.Invalid(field, "%s: Content-Type is given twice (contentType and headers); give it once", p.where)
		}
		if bad := badValue(h.Value); bad >= 0 {
			return nil, errs.Invalid(field, "%s: the value of header %s holds CR, LF, NUL or another control character at byte %d; nothing was sent", p.where, name, bad)
		}
		p.header[name] = append(p.header[name], h.Value)
	}
	if req.ContentType != "" {
		p.header.Set("Content-Type", req.ContentType)
	}
	return p, nil
}

// prepare validates req with c's transport options merged in and picks its
// pool.
func (c *Client) prepare(req Request) (*prepared, error) {
	p, err := validate(req)
	if err != nil {
		return nil, err
	}
	if p.header.Get("User-Agent") == "" {
		p.header.Set("User-Agent", c.opts.UserAgent)
	}
	cfg, err := c.config(req.Transport, p.where)
	if err != nil {
		return nil, err
	}
	if cfg.traceFile != "" {
		if err := checkTrace(cfg.traceFile, p.where+": "); err != nil {
			return nil, err
		}
		p.traceFile = cfg.traceFile
	}
	p.maxBody = c.opts.MaxBody
	if cfg.maxBody > 0 {
		p.maxBody = cfg.maxBody
	}
	if c.hc == nil {
		p.pool = c.pools.get(cfg)
	}
	return p, nil
}

// isToken reports whether s is an RFC 9110 token (a method, a header name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// badValue returns the offset of the first byte a header value may not
// hold (a control character other than tab: CR, LF, NUL, DEL, …), or -1.
func badValue(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return i
		}
	}
	return -1
}

// quoteClip quotes s (escaping control characters) clipped to 40 bytes.
func quoteClip(s string) string {
	if len(s) > 40 {
		return strconv.Quote(s[:40]) + "…"
	}
	return strconv.Quote(s)
}

// Redact returns u as it may appear in a message or a trace: scheme, host
// and path, without userinfo, query string or fragment, clipped to 200
// bytes.
func Redact(u *url.URL) string { return netmsg.Redact(u) }
