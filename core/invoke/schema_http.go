package invoke

import (
	"context"
	"encoding/base64"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/internal/wire"
	"github.com/tidwall/gjson"
)

func init() {
	add("http.send", httpSend)
}

// MaxTimeoutMs is the largest timeoutMs a request may give (10 minutes).
const MaxTimeoutMs = 600000

// maxHeaders bounds the members of a headers object.
const maxHeaders = 1000

// Transport says how the one-call methods reach a server. Given to
// session.open it is kept for the session's calls; given inline, its
// members override the session's of the same name (an inline pinSha256
// replaces the session's list), the others keep the session's.
type Transport struct {
	Proxy     string   `json:"proxy"`     // "" the environment's (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), "none" direct, "system" the OS settings (Windows), or a proxy URL ("http://user:password@10.0.0.1:3128")
	RootCAs   string   `json:"rootCAs"`   // extra root certificates (PEM) trusted besides the system's
	PinSHA256 []string `json:"pinSha256"` // Base64 SHA-256 of a SubjectPublicKeyInfo the server's chain must contain (when not empty)
	TraceFile string   `json:"traceFile"` // a file each exchange is appended to as one JSON line (Tokens, keys and signs redacted)
}

// SendOptions are the members every one-call method accepts besides its
// request's.
type SendOptions struct {
	Headers   Headers    `json:"headers"`   // extra request headers: {"X-Trace": "t1"}, or a list of values for a repeated header
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
	BodyEncoding string `json:"bodyEncoding"`      // how body is given: utf8 (default, the text itself) or base64
	SendOptions
	Idempotent bool `json:"idempotent"` // the request may be retried safely (a query)
}

// HTTPSendResult is the server's reply, whatever its status.
type HTTPSendResult struct {
	Status       int          `json:"status"`       // the HTTP status
	Headers      HeaderValues `json:"headers"`      // every header, each name's values in order: {"Set-Cookie": ["a", "b"]}
	Body         string       `json:"body"`         // the body, byte for byte: its text, or Base64 (see bodyEncoding)
	BodyEncoding string       `json:"bodyEncoding"` // utf8 when the body is valid UTF-8 text, else base64
}

// httpSend performs one HTTP exchange with the library's transport and
// returns the reply whatever its status (a status outside 2xx is not an
// error here). Without a transport (the WebAssembly module) it is
// TRANSPORT_ERROR with reason "unavailable".
func httpSend(c *Call, r *HTTPSendRequest) (*HTTPSendResult, error) {
	req := HTTPRequest{Method: r.Method, URL: r.URL, ContentType: r.ContentType, Body: []byte(r.Body), Idempotent: r.Idempotent}
	if req.Method == "" {
		req.Method = "POST"
	}
	switch r.BodyEncoding {
	case "", "utf8":
	case "base64":
		var err error
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

// exchange sends a built vendor request and returns the reply body; a
// status outside 2xx is TRANSPORT_ERROR with reason "http_status".
func (c *Call) exchange(req HTTPRequest, o *SendOptions, session string) ([]byte, error) {
	resp, err := c.send(req, o, session)
	if err != nil {
		return nil, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, &errs.Error{Kind: errs.TransportError, Reason: "http_status",
			Message: "the server answered HTTP " + strconv.Itoa(resp.Status) + " instead of a reply"}
	}
	return resp.Body, nil
}

// send completes req with the options (the session's transport overridden
// by the inline one) and runs it through Options.Send. Without a transport
// it is TRANSPORT_ERROR "unavailable"; an error from Send that is not an
// *errs.Error becomes TRANSPORT_ERROR "network".
func (c *Call) send(req HTTPRequest, o *SendOptions, session string) (HTTPResponse, error) {
	req.Headers = o.Headers
	if t := o.TimeoutMs; t != nil {
		if *t < 1 || *t > MaxTimeoutMs {
			return HTTPResponse{}, errs.Invalid("timeoutMs", "timeoutMs must be a whole number of milliseconds from 1 to %d", MaxTimeoutMs)
		}
		req.TimeoutMs = *t
	}
	s, err := c.session(session)
	if err != nil {
		return HTTPResponse{}, err
	}
	for _, t := range []*Transport{sessionTransport(s), o.Transport} {
		if t != nil {
			tr := &req.Transport
			tr.Proxy, tr.RootCAsPEM, tr.TraceFile = or(t.Proxy, tr.Proxy), or(t.RootCAs, tr.RootCAsPEM), or(t.TraceFile, tr.TraceFile)
			if t.PinSHA256 != nil {
				tr.PinSHA256 = t.PinSHA256
			}
		}
	}
	if c.r.opts.Send == nil {
		return HTTPResponse{}, &errs.Error{Kind: errs.TransportError, Reason: "unavailable",
			Message: "this build has no HTTP transport; send the built request with your own HTTP client (the *.request methods) and parse the reply with the *.response methods"}
	}
	ctx := context.Background()
	if req.TimeoutMs > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(req.TimeoutMs)*time.Millisecond)
		defer cancel()
	}
	resp, err := c.r.opts.Send(ctx, req)
	if err != nil && errs.KindOf(err) != errs.TransportError {
		return HTTPResponse{}, &errs.Error{Kind: errs.TransportError, Reason: "network", Message: "the HTTP exchange failed", Err: err}
	}
	return resp, err
}

func sessionTransport(s *session) *Transport {
	if s == nil {
		return nil
	}
	return s.tr
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Headers are request headers, in order: a JSON object whose members are a
// header's value or a list of its values.
type Headers []Header

// DecodeJSON reads the object.
func (h *Headers) DecodeJSON(v gjson.Result) error {
	if !v.IsObject() {
		return errs.Invalid("", "must be a JSON object, got %s", wire.KindName(v))
	}
	var err error
	n := 0
	v.ForEach(func(k, val gjson.Result) bool {
		if n++; n > maxHeaders {
			err = errs.New(errs.TooLarge, "", "has more than %d members", maxHeaders)
			return false
		}
		for _, f := range *h {
			if f.Name == k.Str {
				err = errs.Invalid(k.Str, "header %q is given twice; give its values as a list", clip(k.Str))
				return false
			}
		}
		var values []string
		if val.IsArray() {
			err = wire.Value(val, &values)
		} else {
			var s string
			s, err = wire.Text(val)
			values = []string{s}
		}
		for _, s := range values {
			*h = append(*h, Header{Name: k.Str, Value: s})
		}
		err = errs.Prefix(k.Str, err)
		return err == nil
	})
	return err
}

// HeaderValues are reply headers, written as an object of each name's
// values in order.
type HeaderValues []Header

// AppendJSON writes the object.
func (h *HeaderValues) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	for i, f := range *h {
		if seen(*h, i) {
			continue
		}
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		b = append(jsontext.AppendString(b, f.Name), ':', '[')
		for j, g := range (*h)[i:] {
			if g.Name == f.Name {
				if b[len(b)-1] != '[' {
					b = append(b, ',')
				}
				b = jsontext.AppendString(b, (*h)[i+j].Value)
			}
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// seen reports whether h[i]'s name came earlier.
func seen(h []Header, i int) bool {
	for _, f := range h[:i] {
		if f.Name == h[i].Name {
			return true
		}
	}
	return false
}
