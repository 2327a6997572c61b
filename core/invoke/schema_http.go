package invoke

import (
	"context"
	"encoding/base64"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/netmsg"
	"github.com/couponkit/couponkit/core/internal/wire"
)

func init() {
	add("http.send", httpSend)
}

// MaxTimeoutMs is the largest timeoutMs a request may give (10 minutes);
// MaxHeaders bounds the members of a headers object, and the header
// fields they make (a field per value).
const (
	MaxTimeoutMs = 600000
	MaxHeaders   = wire.MaxHeaders
)

// Transport says how the one-call methods reach a server. Given to
// session.open it is kept for the session's calls; given inline, its
// members override the session's of the same name (an inline pinSha256
// replaces the session's list) and the others keep the session's.
type Transport struct {
	Proxy     string   `json:"proxy"`     // "" the environment's (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), "none" direct, "system" the OS settings (Windows), or a proxy URL ("http://user:password@10.0.0.1:3128")
	RootCAs   string   `json:"rootCAs"`   // extra root certificates (PEM) trusted besides the system's
	PinSHA256 []string `json:"pinSha256"` // Base64 SHA-256 digests of SubjectPublicKeyInfo; when given, the server's chain must contain one
	TraceFile string   `json:"traceFile"` // a file each exchange is appended to as one JSON line (Tokens, signs, keys and passwords redacted)
	MaxBody   *int     `json:"maxBody"`   // the largest reply body accepted, in bytes: 1 to 67108864 (default 4194304, 4 MiB); a larger one is TRANSPORT_ERROR too_large
}

// check refuses a maxBody out of range; the other members are checked by
// the transport (Options.CheckTransport, and when sending).
func (t *Transport) check() error {
	if t != nil && t.MaxBody != nil && (*t.MaxBody < 1 || *t.MaxBody > MaxBodyLimit) {
		return errs.Invalid("transport.maxBody", "maxBody must be a whole number of bytes from 1 to %d (64 MiB)", MaxBodyLimit)
	}
	return nil
}

// over sets the members t gives on tr (a nil t gives none).
func (t *Transport) over(tr *TransportOptions) {
	if t == nil {
		return
	}
	tr.Proxy, tr.RootCAsPEM, tr.TraceFile = or(t.Proxy, tr.Proxy), or(t.RootCAs, tr.RootCAsPEM), or(t.TraceFile, tr.TraceFile)
	if t.PinSHA256 != nil {
		tr.PinSHA256 = t.PinSHA256
	}
	if t.MaxBody != nil {
		tr.MaxBody = int64(*t.MaxBody)
	}
}

// SendOptions are the members every one-call method accepts besides its
// request's.
type SendOptions struct {
	Headers   Headers    `json:"headers"`   // extra request headers: {"X-Trace": "t1"}, a list of values for a repeated one
	TimeoutMs *int       `json:"timeoutMs"` // the whole exchange's limit, retries included: 1 to 600000 ms (default: the transport's)
	Transport *Transport `json:"transport"` // how the server is reached (overrides the session's member by member)
}

// HTTPSendRequest is one raw HTTP exchange.
type HTTPSendRequest struct {
	Session      string `json:"session"`           // a session whose transport options apply
	Method       string `json:"method"`            // the HTTP method (default POST)
	URL          string `json:"url" ck:"required"` // the absolute http or https URL
	ContentType  string `json:"contentType"`       // the Content-Type header
	Body         string `json:"body"`              // the request body
	BodyEncoding string `json:"bodyEncoding"`      // how body is given: utf8 (the text itself, default) or base64
	SendOptions
	Idempotent bool `json:"idempotent"` // the request may be retried safely (a query)
}

// HTTPSendResult is the server's reply, whatever its status.
type HTTPSendResult struct {
	Status       int          `json:"status"`       // the HTTP status
	Headers      HeaderValues `json:"headers"`      // every header, each name's values in order: {"Set-Cookie": ["a", "b"]}
	Body         string       `json:"body"`         // the body, byte for byte: its text, or Base64 (see bodyEncoding)
	BodyEncoding string       `json:"bodyEncoding"` // utf8 when the body is UTF-8 text, else base64
}

// httpSend performs one HTTP exchange with the library's transport and
// returns the reply whatever its status. Without a transport (the
// WebAssembly module) it is TRANSPORT_ERROR with reason "unavailable".
func httpSend(c *Call, r *HTTPSendRequest) (*HTTPSendResult, error) {
	req := HTTPRequest{Method: r.Method, URL: r.URL, ContentType: r.ContentType, Body: []byte(r.Body), Idempotent: r.Idempotent}
	if req.Method == "" {
		req.Method = "POST"
	}
	var err error
	switch r.BodyEncoding {
	case "", "utf8":
	case "base64":
		if req.Body, err = base64.StdEncoding.DecodeString(r.Body); err != nil {
			return nil, errs.Invalid("body", "body is not Base64 (bodyEncoding is base64)")
		}
	default:
		return nil, errs.Invalid("bodyEncoding", "bodyEncoding must be utf8 or base64")
	}
	resp, err := c.send(req, &r.SendOptions, r.Session)
	if err != nil {
		return nil, err
	}
	out := &HTTPSendResult{Status: resp.Status, Headers: resp.Headers, Body: string(resp.Body), BodyEncoding: "utf8"}
	if !utf8.Valid(resp.Body) {
		out.Body, out.BodyEncoding = base64.StdEncoding.EncodeToString(resp.Body), "base64"
	}
	return out, nil
}

// exchange sends a built vendor request and hands its reply body to the
// parser method with the reply request made by reply.
func (c *Call) exchange(req HTTPRequest, o *SendOptions, sid, parser string, reply func(body string) interface{}) error {
	body, err := c.post(req, o, sid)
	if err != nil {
		return err
	}
	return c.Delegate(parser, reply(string(body)))
}

// post sends a built vendor request and returns its reply body; a status
// outside 2xx is TRANSPORT_ERROR with reason "http_status".
func (c *Call) post(req HTTPRequest, o *SendOptions, sid string) ([]byte, error) {
	resp, err := c.send(req, o, sid)
	if err == nil && (resp.Status < 200 || resp.Status > 299) {
		err = &errs.Error{Kind: errs.TransportError, Reason: "http_status", Message: netmsg.Where(req.Method, req.URL) + ": " + netmsg.Status(resp.Status)}
	}
	return resp.Body, err
}

// check checks the options that do not depend on the transport.
func (o *SendOptions) check() error {
	if t := o.TimeoutMs; t != nil && (*t < 1 || *t > MaxTimeoutMs) {
		return errs.Invalid("timeoutMs", "timeoutMs must be a whole number of milliseconds from 1 to %d", MaxTimeoutMs)
	}
	return nil
}

// errUnavailable is the error of a sending method without a transport.
func errUnavailable() error {
	return &errs.Error{Kind: errs.TransportError, Reason: "unavailable",
		Message: "this build has no HTTP transport; send the built request with your own HTTP client (the *.request methods) and parse the reply with the *.response methods"}
}

// send completes req with the options (the session's transport overridden
// by the inline one) and runs it through Options.Send. Without a transport
// it is TRANSPORT_ERROR "unavailable". Send's TRANSPORT_ERROR and
// INVALID_ARGUMENT (a request it refused before sending, naming the field)
// pass through; any other error becomes TRANSPORT_ERROR "network".
func (c *Call) send(req HTTPRequest, o *SendOptions, sid string) (HTTPResponse, error) {
	req.Headers = o.Headers
	if err := o.check(); err != nil {
		return HTTPResponse{}, err
	}
	if o.TimeoutMs != nil {
		req.TimeoutMs = *o.TimeoutMs
	}
	s, err := c.session(sid)
	if err != nil {
		return HTTPResponse{}, err
	}
	if s == nil {
		s = &session{}
	}
	if err := o.Transport.check(); err != nil {
		return HTTPResponse{}, err
	}
	for _, t := range []*Transport{s.tr, o.Transport} {
		t.over(&req.Transport)
	}
	if c.r.opts.Send == nil {
		return HTTPResponse{}, errUnavailable()
	}
	ctx := context.Background()
	if req.TimeoutMs > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(req.TimeoutMs)*time.Millisecond)
		defer cancel()
	}
	resp, err := c.r.opts.Send(ctx, req)
	if k := errs.KindOf(err); err != nil && k != errs.TransportError && k != errs.InvalidArgument {
		return HTTPResponse{}, &errs.Error{Kind: errs.TransportError, Reason: "network", Message: netmsg.Where(req.Method, req.URL) + ": the HTTP exchange failed", Err: err}
	}
	return resp, err
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
