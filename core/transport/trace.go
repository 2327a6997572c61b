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
// and what came back, with secrets redacted (replaced by Redacted). The
// rule is on names, so it covers every method, the generic calls and
// members added later: a JSON member, form field or query parameter is
// redacted, whatever its depth, when its name says it is a secret (see
// secretName: Token, sign, openKey, privateKey, payPassword, passwd,
// appSecret, accessToken, …, in any case and spelling). Documents held in
// text are redacted too: JSON in a JSON string, JSON in a form field
// (Allinpay's bizContent: its passwd), a form in a JSON string, up to
// maxEmbedded levels deep (deeper ones are replaced whole). Also redacted:
// the URL's userinfo, and the values of the headers Cookie, Set-Cookie and
// of any header whose name holds auth, token, secret, sign, key, pass, pwd,
// session or credential (Authorization, Proxy-Authorization, X-Api-Key). A
// JSON body nested deeper than 64 levels is not traced. A secret under a
// name that does not say so (a password in a member named "x") cannot be
// told from data, and is traced.
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

// secretName reports whether a JSON member, form field or query parameter
// of this name holds a secret. The rule is on the name alone, so it covers
// the members of methods added later and of the generic calls, at any depth:
// the name is lower-cased, '_', '-', '.' and spaces are dropped, and so are
// trailing digits ("token2"); it is a secret when
//
//   - it ends with token, secret, password, passwd, pwd, passcode,
//     passphrase, credential(s), cookie, authorization or signmsg (Token,
//     accessToken, appSecret, payPassword, passwd, user_pwd, signMsg);
//   - its last word is sign, signature or pin (sign, mchSign,
//     pay_sign; not signType, design or pinSha256), words being split at
//     a lower-case letter or digit followed by a capital, at separators and
//     at digits;
//   - it is key, or ends with key after one of private, open, api, app,
//     secret, access, session, sign, signing, aes, des, encrypt,
//     encryption, merchant, mch, md5, hmac, master, auth, client, shared,
//     pass, pay (openKey, privateKey, app_key, SECRETKEY; not publicKey or
//     couponKey).
func secretName(name string) bool {
	words := nameWords(name)
	for len(words) > 0 && isDigitsWord(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return false
	}
	joined := strings.Join(words, "")
	for _, s := range secretSuffixes {
		if strings.HasSuffix(joined, s) {
			return true
		}
	}
	if secretLastWords[words[len(words)-1]] {
		return true
	}
	if joined == "key" {
		return true
	}
	if strings.HasSuffix(joined, "key") {
		before := joined[:len(joined)-3]
		for _, q := range keyQualifiers {
			if strings.HasSuffix(before, q) {
				return true
			}
		}
	}
	return false
}

var (
	secretSuffixes   = []string{"token", "secret", "password", "passwd", "pwd", "passcode", "passphrase", "credential", "credentials", "cookie", "authorization", "signmsg"}
	secretLastWords  = map[string]bool{"sign": true, "signature": true, "pin": true}
	keyQualifiers    = []string{"private", "open", "api", "app", "secret", "access", "session", "sign", "signing", "aes", "des", "encrypt", "encryption", "merchant", "mch", "md5", "hmac", "master", "auth", "client", "shared", "pass", "pay"}
	secretHeaderRuns = []string{"auth", "token", "secret", "sign", "key", "pass", "pwd", "session", "credential", "cookie"}
)

// nameWords splits a name into lower-case words: at '_', '-', '.', ' ', at
// a capital after a lower-case letter or a digit, at the last capital of a
// run followed by a lower-case letter ("APIKey": api, key), and between
// letters and digits.
func nameWords(name string) []string {
	var words []string
	start := 0
	cut := func(i int) {
		if i > start {
			words = append(words, strings.ToLower(name[start:i]))
		}
		start = i
	}
	kind := func(c byte) int { // 0 other, 1 lower, 2 upper, 3 digit
		switch {
		case 'a' <= c && c <= 'z':
			return 1
		case 'A' <= c && c <= 'Z':
			return 2
		case '0' <= c && c <= '9':
			return 3
		}
		return 0
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '_' || c == '-' || c == '.' || c == ' ' {
			cut(i)
			start = i + 1
			continue
		}
		if i == start {
			continue
		}
		prev, cur := kind(name[i-1]), kind(c)
		switch {
		case cur == 2 && (prev == 1 || prev == 3):
			cut(i)
		case cur == 2 && prev == 2 && i+1 < len(name) && kind(name[i+1]) == 1:
			cut(i)
		case (cur == 3) != (prev == 3) && cur != 0 && prev != 0:
			cut(i)
		}
	}
	cut(len(name))
	return words
}

func isDigitsWord(w string) bool { return strings.Trim(w, "0123456789") == "" }

// secretHeader reports whether a header's value is a secret: Cookie,
// Set-Cookie, and any name holding auth, token, secret, sign, key, pass,
// pwd, session or credential (Authorization, Proxy-Authorization,
// X-Api-Key, X-Signature), in any case.
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	for _, w := range secretHeaderRuns {
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
	u.RawQuery = string(redactForm([]byte(u.RawQuery), 0))
	return u.String()
}

// maxEmbedded is how deep documents embedded in text are redacted: JSON in
// a JSON string ("data":"{\"sign\":…}"), JSON in a form field
// (bizContent=%7B…%7D), and so on. A document embedded deeper is replaced
// whole.
const maxEmbedded = 4

// redactBody redacts a JSON body or a form body (see secretName).
func redactBody(b []byte) []byte { return redactText(b, 0) }

// redactText redacts b as a JSON document (members at any depth), a form,
// or neither (returned as is); level is how deep b is embedded.
func redactText(b []byte, level int) []byte {
	if t := jsontext.TrimSpace(b); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		if jsontext.Depth(t, 64) > 64 {
			return []byte("(not traced: JSON nested deeper than 64 levels)")
		}
		if gjson.ValidBytes(t) {
			return redactJSON(b, len(b)-len(bytes.TrimLeft(b, " \t\r\n")), level)
		}
	}
	if bytes.IndexByte(b, '=') >= 0 {
		return redactForm(b, level)
	}
	return b
}

// embedded redacts text found inside a document (a JSON string's value, a
// form field's value) when it is itself a JSON document or a form; ok is
// false when nothing changed.
func embedded(text string, level int) (out string, ok bool) {
	t := strings.TrimLeft(text, " \t\r\n")
	if t == "" || (t[0] != '{' && t[0] != '[' && !strings.Contains(t, "=")) {
		return text, false
	}
	if level >= maxEmbedded {
		return Redacted, true
	}
	r := redactText([]byte(text), level+1)
	return string(r), string(r) != text
}

// redactJSON replaces the values of secret members of the JSON document
// starting at offset off of b, and redacts the documents held in its
// strings.
func redactJSON(b []byte, off, level int) []byte {
	type span struct {
		from, to int
		with     []byte
	}
	var spans []span
	var walk func(v gjson.Result)
	walk = func(v gjson.Result) {
		v.ForEach(func(k, val gjson.Result) bool {
			from, to := off+val.Index, off+val.Index+len(val.Raw)
			switch {
			case k.Type == gjson.String && secretName(k.Str):
				spans = append(spans, span{from, to, []byte(`"` + Redacted + `"`)})
			case val.IsObject() || val.IsArray():
				walk(val)
			case val.Type == gjson.String:
				if text, changed := embedded(val.Str, level); changed {
					spans = append(spans, span{from, to, jsontext.AppendString(nil, text)})
				}
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
		out = append(out, s.with...)
		last = s.to
	}
	return append(out, b[last:]...)
}

// redactForm redacts the values of secret fields of a form
// (a=1&sign=…&b=2), and the documents held in its values (Allinpay's
// bizContent, JSON text), keeping the rest byte for byte.
func redactForm(b []byte, level int) []byte {
	parts := strings.Split(string(b), "&")
	changed := false
	for i, part := range parts {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		if secretName(name) {
			parts[i] = k + "=" + Redacted
			changed = true
			continue
		}
		if value, err := url.QueryUnescape(v); err == nil {
			if text, ok := embedded(value, level); ok {
				parts[i] = k + "=" + url.QueryEscape(text)
				changed = true
			}
		}
	}
	if !changed {
		return b
	}
	return []byte(strings.Join(parts, "&"))
}
