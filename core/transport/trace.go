package transport

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/tidwall/gjson"
)

// Redacted replaces every secret in a trace.
const Redacted = "***"

// TraceEvent is one attempt of an exchange, for debugging: what was sent
// and what came back, with secrets redacted. Redacted are: JSON members and
// form fields (at any depth) named like a secret (Token, sign, signature,
// openKey, privateKey, password, secret, apiKey, and any name ending in
// token, secret or password, in any case), the same names in the URL's
// query, the URL's userinfo, and the values of the headers Authorization,
// Proxy-Authorization, Cookie, Set-Cookie and of any header whose name holds
// auth, token, secret, sign, key, password or session. A body nested
// deeper than 64 levels is not traced.
type TraceEvent struct {
	// Time is when the attempt started.
	Time time.Time
	// Method and URL are the request's (URL redacted as above).
	Method, URL string
	// Attempt is 1 for the first attempt, 2 for the first retry, ….
	Attempt int
	// Idempotent is the request's flag.
	Idempotent bool
	// Proxy is the proxy's host:port, "" for a direct connection.
	Proxy string
	// Status is the reply's HTTP status, 0 when none was read.
	Status int
	// Duration is how long the attempt took.
	Duration time.Duration
	// RequestHeaders and ResponseHeaders are the header fields (sorted by
	// name), secrets redacted.
	RequestHeaders, ResponseHeaders []Header
	// RequestBody and ResponseBody are the bodies, secrets redacted.
	RequestBody, ResponseBody []byte
	// Reason and Message describe the failure ("" on success).
	Reason, Message string
}

// emit delivers the trace of one attempt to Options.Trace and the trace
// file, if any.
func (c *Client) emit(p *prepared, x *exchange, n int, resp *Response, err *errs.Error) {
	if c.opts.Trace == nil && p.traceFile == "" {
		return
	}
	ev := TraceEvent{Time: x.start, Method: p.method, URL: redactURL(p.rawURL), Attempt: n, Idempotent: p.idempotent,
		Duration: time.Since(x.start), RequestHeaders: redactHeaders(p.header), RequestBody: redactBody(p.body)}
	x.mu.Lock()
	if x.proxy != nil {
		ev.Proxy = x.proxy.Host
	}
	x.mu.Unlock()
	if resp != nil {
		ev.Status = resp.Status
		h := make(http.Header, len(resp.Headers))
		for _, f := range resp.Headers {
			h[f.Name] = append(h[f.Name], f.Value)
		}
		ev.ResponseHeaders = redactHeaders(h)
		ev.ResponseBody = redactBody(resp.Body)
	}
	if err != nil {
		ev.Reason, ev.Message = err.Reason, err.Message
	}
	if c.opts.Trace != nil {
		c.opts.Trace(ev)
	}
	if p.traceFile != "" {
		c.trace.write(p.traceFile, ev.jsonLine())
	}
}

// jsonLine is ev as one line of JSON:
//
//	{"time":"…","method":"POST","url":"…","attempt":1,"idempotent":false,"proxy":"","status":200,"ms":12.5,
//	 "requestHeaders":[["Content-Type","application/json"]],"requestBody":"…","responseHeaders":[…],
//	 "responseBody":"…","reason":"","message":""}
//
// A body that is not valid UTF-8 is given as requestBodyBase64 /
// responseBodyBase64 instead.
func (ev *TraceEvent) jsonLine() []byte {
	b := make([]byte, 0, 512+len(ev.RequestBody)+len(ev.ResponseBody))
	str := func(name, v string) {
		b = append(b, ',')
		b = jsontext.AppendString(b, name)
		b = append(b, ':')
		b = jsontext.AppendString(b, v)
	}
	num := func(name, v string) {
		b = append(b, ',')
		b = jsontext.AppendString(b, name)
		b = append(b, ':')
		b = append(b, v...)
	}
	headers := func(name string, hs []Header) {
		b = append(b, ',')
		b = jsontext.AppendString(b, name)
		b = append(b, ":["...)
		for i, h := range hs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = jsontext.AppendString(b, h.Name)
			b = append(b, ',')
			b = jsontext.AppendString(b, h.Value)
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	body := func(name string, v []byte) {
		if utf8.Valid(v) {
			str(name, string(v))
		} else {
			str(name+"Base64", base64.StdEncoding.EncodeToString(v))
		}
	}
	b = append(b, `{"time":`...)
	b = jsontext.AppendString(b, ev.Time.UTC().Format(time.RFC3339Nano))
	str("method", ev.Method)
	str("url", ev.URL)
	num("attempt", strconv.Itoa(ev.Attempt))
	num("idempotent", strconv.FormatBool(ev.Idempotent))
	str("proxy", ev.Proxy)
	num("status", strconv.Itoa(ev.Status))
	num("ms", strconv.FormatFloat(float64(ev.Duration)/float64(time.Millisecond), 'f', 3, 64))
	headers("requestHeaders", ev.RequestHeaders)
	body("requestBody", ev.RequestBody)
	headers("responseHeaders", ev.ResponseHeaders)
	body("responseBody", ev.ResponseBody)
	str("reason", ev.Reason)
	str("message", ev.Message)
	return append(b, '}', '\n')
}

// traceFiles appends trace lines to files, one write per line under a
// lock, opening the file for each line (a trace is for debugging, and a
// file moved away by the user is recreated).
type traceFiles struct{ mu sync.Mutex }

func (t *traceFiles) write(path string, line []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return // checked before the exchange; a trace never fails a call
	}
	_, _ = f.Write(line)
	_ = f.Close()
}

// checkTrace checks that the trace file path can be opened for appending
// (creating it); where starts the message.
func checkTrace(path, where string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		return errs.Invalid("transport.traceFile", "%sthe trace file cannot be opened for appending: %v", where, err)
	}
	return nil
}

// secretName reports whether a JSON member, form field, query parameter
// holds a secret.
func secretName(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "sign", "signature", "openkey", "privatekey", "password", "passwd", "secret", "apikey", "appsecret":
		return true
	}
	return strings.HasSuffix(n, "token") || strings.HasSuffix(n, "secret") || strings.HasSuffix(n, "password")
}

// secretHeader reports whether a header's value is a secret.
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	if n == "cookie" || n == "set-cookie" {
		return true
	}
	for _, w := range []string{"auth", "token", "secret", "sign", "key", "password", "session"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// redactHeaders lists h sorted by name, secret values redacted.
func redactHeaders(h http.Header) []Header {
	out := sortedHeaders(h)
	for i := range out {
		if secretHeader(out[i].Name) {
			out[i].Value = Redacted
		}
	}
	return out
}

// redactURL removes the userinfo and redacts secret query parameters.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery = string(redactForm([]byte(u.RawQuery)))
	return u.String()
}

// redactBody redacts a JSON body (members at any depth) or a form body.
func redactBody(b []byte) []byte {
	off := 0
	for off < len(b) && jsontext.IsSpace(b[off]) {
		off++
	}
	if t := jsontext.TrimSpace(b); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		if jsontext.Depth(t, 64) > 64 {
			return []byte("(body not traced: JSON nested deeper than 64 levels)")
		}
		if gjson.ValidBytes(t) {
			return redactJSON(b, off)
		}
	}
	if bytes.IndexByte(b, '=') >= 0 {
		return redactForm(b)
	}
	return b
}

// redactJSON replaces the values of secret members of the JSON document
// starting at offset off of b.
func redactJSON(b []byte, off int) []byte {
	type span struct{ from, to int }
	var spans []span
	var walk func(v gjson.Result)
	walk = func(v gjson.Result) {
		v.ForEach(func(k, val gjson.Result) bool {
			if k.Type == gjson.String && secretName(k.Str) {
				spans = append(spans, span{off + val.Index, off + val.Index + len(val.Raw)})
			} else if val.IsObject() || val.IsArray() {
				walk(val)
			}
			return true
		})
	}
	walk(gjson.ParseBytes(b[off:]))
	if len(spans) == 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	last := 0
	for _, s := range spans { // in document order
		out = append(out, b[last:s.from]...)
		out = append(out, `"`+Redacted+`"`...)
		last = s.to
	}
	return append(out, b[last:]...)
}

// redactForm redacts the values of secret fields of a form
// (a=1&sign=…&b=2), keeping the rest byte for byte.
func redactForm(b []byte) []byte {
	parts := strings.Split(string(b), "&")
	changed := false
	for i, part := range parts {
		k, _, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		if name, err := url.QueryUnescape(k); err == nil && secretName(name) {
			parts[i] = k + "=" + Redacted
			changed = true
		}
	}
	if !changed {
		return b
	}
	return []byte(strings.Join(parts, "&"))
}
