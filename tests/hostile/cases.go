package hostile

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/core/invoke"
)

// FloodBytes is how much a flood case offers to stream (256 MiB, over the
// 200 MB the acceptance asks for); the client stops reading long before.
const FloodBytes = 256 << 20

// FloodPeakBytes is the most a flood case may raise a process's peak
// resident memory (64 MiB).
const FloodPeakBytes = 64 << 20

// VerifyReply is the zvcms verify reply the good behaviours send.
const VerifyReply = `{"status":"true","code":"0","message":"ok","data":{"bizId":"b1","cardIdList":"[390962138708451328]","userInfo":{}}}`

// Test zvcms credentials of the verify requests (not the sandbox's).
const (
	OpenID    = "6dc05b4ac175cf316d226252b05cf685"
	GrantCode = "782c281f62"
	OpenKey   = "hostile-open-key-TEST-ONLY"
)

// The layers a case runs through.
const (
	LayerTransport = "transport" // core/transport Client.Do
	LayerSend      = "send"      // http.send (JSON) or Client.Send
	LayerVerify    = "verify"    // zvcms.verifyCoupons (JSON)
)

// Case is one hostile case: a request and the exact result it must give.
type Case struct {
	// Name identifies the case.
	Name string
	// Path is the behaviour's path (a key of the server's behaviours).
	Path string
	// Listener is "" for the plain listener, else the TLS listener's name
	// (the URL is then https).
	Listener string
	// Host, when not "", replaces 127.0.0.1:port in the URL (VendorHost:
	// reachable only through the proxy).
	Host string
	// RawURL, when not "", is the URL as given (injection cases); "{plain}"
	// in it becomes the plain listener's host:port.
	RawURL string
	// Method, ContentType and Headers are the request's (Method "" is POST).
	Method, ContentType string
	Headers             []invoke.Header
	// TimeoutMs bounds the call (every case has one).
	TimeoutMs int
	// Transport returns the request's transport options (the JSON
	// request's "transport" member).
	Transport func(s *Server) invoke.TransportOptions
	// EnvProxy says the case needs HTTP_PROXY and HTTPS_PROXY set to the
	// server's proxy (a child process, or the C program's environment).
	EnvProxy bool
	// Flood marks a case whose server offers FloodBytes: its peak memory is
	// measured.
	Flood bool
	// SendOnly says the case cannot be a verifyCoupons (it sets the method,
	// URL or content type).
	SendOnly bool

	// Reason is the expected TRANSPORT_ERROR reason ("" for a reply);
	// Field the expected INVALID_ARGUMENT field (Reason then "").
	Reason, Field string
	// Status is the expected HTTP status of a reply (Reason "" or
	// http_status).
	Status int
	// Body is the expected body of a reply (nil: not checked).
	Body []byte
	// IsVerify says the reply's body is a valid verify reply.
	IsVerify bool
	// Message is a fragment the error message must hold ("" for none).
	Message string
	// Tunnels and Forwarded are how many CONNECT tunnels and relayed
	// requests the proxy must count for one run of the case.
	Tunnels, Forwarded int
}

// Outcome is the result of a case at one layer, as the JSON envelope
// states it.
type Outcome struct {
	Code   string // "OK" or an error code
	Reason string // for TRANSPORT_ERROR
	Field  string // for INVALID_ARGUMENT
	Status int    // for OK through http.send
}

// String is the outcome as the tables print it.
func (o Outcome) String() string {
	switch {
	case o.Code == "OK" && o.Status != 0:
		return "OK " + strconv.Itoa(o.Status)
	case o.Code == "INVALID_ARGUMENT":
		return o.Code + " " + o.Field
	case o.Reason != "":
		return o.Code + " " + o.Reason
	}
	return o.Code
}

// Want is the exact outcome of c at layer.
func (c Case) Want(layer string) Outcome {
	switch {
	case c.Field != "":
		return Outcome{Code: "INVALID_ARGUMENT", Field: c.Field}
	case c.Reason == "http_status" && layer == LayerSend:
		return Outcome{Code: "OK", Status: c.Status}
	case c.Reason != "":
		return Outcome{Code: "TRANSPORT_ERROR", Reason: c.Reason}
	case layer == LayerVerify && !c.IsVerify:
		return Outcome{Code: "RESPONSE_INVALID"}
	case layer == LayerVerify:
		return Outcome{Code: "OK"}
	}
	return Outcome{Code: "OK", Status: c.Status}
}

// Layers lists the JSON layers c runs through.
func (c Case) Layers() []string {
	if c.SendOnly {
		return []string{LayerSend}
	}
	return []string{LayerSend, LayerVerify}
}

// URL is the case's URL on s.
func (c Case) URL(s *Server) string {
	if c.RawURL != "" {
		return strings.Replace(c.RawURL, "{plain}", s.Plain, 1)
	}
	scheme, addr := "http", s.Plain
	if c.Listener != "" {
		scheme, addr = "https", s.TLS[c.Listener]
	}
	if c.Host != "" {
		addr = c.Host
	}
	return scheme + "://" + addr + c.Path + "?" + QuerySecret
}

// QuerySecret is the query string of every case's URL: no message may hold
// it.
const QuerySecret = "k=query-secret"

// ProxyPassword is the password of the explicit proxy's URL
// (http://till:ProxyPassword@…): no reply may hold it.
const ProxyPassword = "s3cret"

// Secrets are what no reply of any case may hold: the query string's
// value, the proxy password, the openKey of the verify requests.
var Secrets = []string{"query-secret", ProxyPassword, OpenKey}

// Request is the case as an HTTP request for the transport (the body is
// the verify reply's size of JSON, for the server to read).
func (c Case) Request(s *Server) invoke.HTTPRequest {
	r := invoke.HTTPRequest{Method: c.Method, URL: c.URL(s), ContentType: c.ContentType, Body: []byte(`{"case":"` + c.Name + `"}`),
		Headers: c.Headers, TimeoutMs: c.TimeoutMs}
	if c.Transport != nil {
		r.Transport = c.Transport(s)
	}
	return r
}

// JSON is the case's JSON request for the method of layer (http.send or
// zvcms.verifyCoupons), and the method name.
func (c Case) JSON(s *Server, layer string) (method, request string) {
	q := func(v string) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	var b strings.Builder
	b.WriteString(`{"timeoutMs":` + strconv.Itoa(c.TimeoutMs))
	if c.Transport != nil {
		b.WriteString(`,"transport":` + TransportJSON(c.Transport(s)))
	}
	if len(c.Headers) > 0 {
		b.WriteString(`,"headers":{`)
		for i, h := range c.Headers {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(q(h.Name) + ":" + q(h.Value))
		}
		b.WriteString("}")
	}
	if layer == LayerVerify {
		b.WriteString(`,"zvcms":{"openId":"` + OpenID + `","grantCode":"` + GrantCode + `","openKey":"` + OpenKey + `","baseUrl":` + q(c.URL(s)) + `}`)
		b.WriteString(`,"params":{"bizId":"b1","customerId":"383933091455959041","couponsCardList":["390962138708451328"]}}`)
		return "zvcms.verifyCoupons", b.String()
	}
	if c.Method != "" {
		b.WriteString(`,"method":` + q(c.Method))
	}
	b.WriteString(`,"url":` + q(c.URL(s)) + `,"body":` + q(`{"case":"`+c.Name+`"}`))
	if c.ContentType != "" {
		b.WriteString(`,"contentType":` + q(c.ContentType))
	}
	b.WriteString("}")
	return "http.send", b.String()
}

// TransportJSON is t as the JSON surface's transport member: {proxy,
// rootCAs, pinSha256, traceFile, maxBody}, members left out where t has
// none.
func TransportJSON(t invoke.TransportOptions) string {
	var parts []string
	add := func(name string, v interface{}) {
		b, _ := json.Marshal(v)
		parts = append(parts, `"`+name+`":`+string(b))
	}
	if t.Proxy != "" {
		add("proxy", t.Proxy)
	}
	if t.RootCAsPEM != "" {
		add("rootCAs", t.RootCAsPEM)
	}
	if t.PinSHA256 != nil {
		add("pinSha256", t.PinSHA256)
	}
	if t.TraceFile != "" {
		add("traceFile", t.TraceFile)
	}
	if t.MaxBody != 0 {
		add("maxBody", t.MaxBody)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// Timeouts of the cases: short where the server hangs, generous elsewhere.
const (
	hangMs = 300
	okMs   = 5000
)

// Cases returns every hostile case.
func Cases() []Case {
	roots := func(s *Server) invoke.TransportOptions { return invoke.TransportOptions{RootCAsPEM: s.CAPEM} }
	pinned := func(pin func(s *Server) string) func(s *Server) invoke.TransportOptions {
		return func(s *Server) invoke.TransportOptions {
			return invoke.TransportOptions{RootCAsPEM: s.CAPEM, PinSHA256: []string{pin(s)}}
		}
	}
	viaProxy := func(withRoots bool) func(s *Server) invoke.TransportOptions {
		return func(s *Server) invoke.TransportOptions {
			t := invoke.TransportOptions{Proxy: "http://till:" + ProxyPassword + "@" + s.Proxy}
			if withRoots {
				t.RootCAsPEM = s.CAPEM
			}
			return t
		}
	}
	maxBody := func(n int64) func(s *Server) invoke.TransportOptions {
		return func(*Server) invoke.TransportOptions { return invoke.TransportOptions{MaxBody: n} }
	}
	ok := func(c Case) Case { c.Status, c.Body, c.IsVerify = 200, []byte(VerifyReply), true; return c }
	fail := func(c Case, reason string) Case { c.Reason = reason; return c }
	flood := func(c Case, reason string) Case { c.Reason, c.Flood = reason, true; return c }
	inject := func(name, field string, c Case) Case {
		c.Name, c.Field = name, field
		if c.Path == "" && c.RawURL == "" {
			c.Path = "/inject"
		}
		return c
	}
	h := func(name, value string) []invoke.Header { return []invoke.Header{{Name: name, Value: value}} }
	list := []Case{
		ok(Case{Name: "ok", Path: "/ok"}),
		{Name: "binary-body", Path: "/binary", Status: 200, Body: binaryBody},
		{Name: "gzip-not-asked", Path: "/gzip", Status: 200, Body: gzipped},
		{Name: "redirect-not-followed", Path: "/redirect", Reason: "http_status", Status: 302},
		{Name: "status-500", Path: "/status-500", Reason: "http_status", Status: 500},
		ok(Case{Name: "four-100-continue", Path: "/four-100"}),
		{Name: "same-content-length-twice", Path: "/same-content-length", Status: 200, Body: []byte("hello")},

		flood(Case{Name: "endless-status-line", Path: "/endless-status", Message: "header block"}, "too_large"),
		flood(Case{Name: "header-flood", Path: "/header-flood", Message: "header block"}, "too_large"),
		flood(Case{Name: "endless-header-line", Path: "/endless-header-line"}, "too_large"),
		flood(Case{Name: "endless-100-continue", Path: "/endless-100", Message: "interim"}, "too_large"),
		flood(Case{Name: "endless-chunk-size-line", Path: "/endless-chunk-size"}, "network"),
		flood(Case{Name: "chunk-size-7fffffffffffffff", Path: "/chunk-size-overflow", Message: "larger than"}, "too_large"),
		flood(Case{Name: "status-101", Path: "/status-101", Message: "101"}, "network"),
		flood(Case{Name: "body-over-limit-content-length", Path: "/body-over-limit-cl"}, "too_large"),
		flood(Case{Name: "body-flood-chunked", Path: "/body-flood-chunked"}, "too_large"),
		flood(Case{Name: "body-flood-until-close", Path: "/body-flood-close"}, "too_large"),
		flood(Case{Name: "body-flood-max-body-8mib", Path: "/body-flood-chunked", Transport: maxBody(8 << 20), Message: "larger than 8388608 bytes"}, "too_large"),
		fail(Case{Name: "body-over-max-body-64", Path: "/ok", Transport: maxBody(64), Message: "larger than 64 bytes"}, "too_large"),
		inject("max-body-negative", "transport.maxBody", Case{Transport: maxBody(-1)}),
		inject("max-body-over-limit", "transport.maxBody", Case{Transport: maxBody(invoke.MaxBodyLimit + 1)}),

		fail(Case{Name: "chunk-size-17-digits", Path: "/chunk-size-17-digits"}, "network"),
		fail(Case{Name: "chunk-data-without-crlf", Path: "/chunk-no-crlf"}, "network"),
		fail(Case{Name: "chunk-size-plus-sign", Path: "/chunk-plus-sign"}, "network"),
		fail(Case{Name: "chunk-cut", Path: "/chunk-cut"}, "truncated"),
		fail(Case{Name: "two-different-content-lengths", Path: "/dup-content-length"}, "network"),
		fail(Case{Name: "transfer-encoding-gzip-chunked", Path: "/te-gzip-chunked"}, "network"),
		fail(Case{Name: "transfer-encoding-twice", Path: "/te-twice"}, "network"),
		fail(Case{Name: "not-http", Path: "/not-http", Message: "not well-formed"}, "network"),

		fail(Case{Name: "slow-drip", Path: "/slow-drip", TimeoutMs: hangMs}, "timeout"),
		fail(Case{Name: "hang-after-head", Path: "/hang-after-head", TimeoutMs: hangMs}, "timeout"),
		fail(Case{Name: "hang-before-reply", Path: "/hang", TimeoutMs: hangMs}, "timeout"),
		fail(Case{Name: "early-close", Path: "/early-close", Message: "before any reply"}, "reset"),
		fail(Case{Name: "close-in-status-line", Path: "/close-mid-status"}, "truncated"),
		fail(Case{Name: "close-in-headers", Path: "/close-mid-head"}, "truncated"),
		fail(Case{Name: "close-in-body", Path: "/close-mid-body"}, "truncated"),
		fail(Case{Name: "rst-before-reply", Path: "/rst"}, "reset"),
		fail(Case{Name: "rst-in-body", Path: "/rst-mid-body"}, "reset"),

		ok(Case{Name: "tls-trusted-root", Listener: TLSGood, Path: "/ok", Transport: roots}),
		ok(Case{Name: "tls-pin-leaf", Listener: TLSGood, Path: "/ok", Transport: pinned(func(s *Server) string { return s.GoodPin })}),
		ok(Case{Name: "tls-pin-ca", Listener: TLSGood, Path: "/ok", Transport: pinned(func(s *Server) string { return s.CAPin })}),
		fail(Case{Name: "tls-pin-mismatch", Listener: TLSGood, Path: "/ok", Message: "pinSha256",
			Transport: pinned(func(*Server) string { return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" })}, "tls"),
		fail(Case{Name: "tls-unknown-authority", Listener: TLSGood, Path: "/ok", Message: "unknown authority"}, "tls"),
		fail(Case{Name: "tls-self-signed", Listener: TLSSelfSigned, Path: "/ok", Message: "unknown authority", Transport: roots}, "tls"),
		fail(Case{Name: "tls-expired", Listener: TLSExpired, Path: "/ok", Message: "expired", Transport: roots}, "tls"),
		fail(Case{Name: "tls-wrong-host", Listener: TLSWrongHost, Path: "/ok", Message: "another name", Transport: roots}, "tls"),
		fail(Case{Name: "tls-1.1-only", Listener: TLS11, Path: "/ok", Message: "TLS 1.2", Transport: roots}, "tls"),
		fail(Case{Name: "tls-to-plain-server", RawURL: "https://{plain}/ok", Message: "did not answer with TLS"}, "tls"),

		ok(Case{Name: "proxy-plain", Host: VendorHost, Path: "/ok", Transport: viaProxy(false), Forwarded: 1}),
		ok(Case{Name: "proxy-connect", Host: VendorHost, Listener: TLSGood, Path: "/ok", Transport: viaProxy(true), Tunnels: 1}),
		fail(Case{Name: "proxy-connect-refused", Host: ForbiddenHost, Listener: TLSGood, Path: "/ok", Transport: viaProxy(false), Message: "refused the tunnel"}, "network"),
		fail(Case{Name: "proxy-down", Path: "/ok", Message: "proxy", Transport: func(s *Server) invoke.TransportOptions {
			return invoke.TransportOptions{Proxy: "http://" + s.Closed}
		}}, "refused"),
		ok(Case{Name: "env-proxy-plain", Host: VendorHost, Path: "/ok", EnvProxy: true, Forwarded: 1}),
		ok(Case{Name: "env-proxy-connect", Host: VendorHost, Listener: TLSGood, Path: "/ok", EnvProxy: true, Transport: roots, Tunnels: 1}),
		fail(Case{Name: "env-proxy-connect-untrusted", Host: VendorHost, Listener: TLSGood, Path: "/ok", EnvProxy: true, Tunnels: 1, Message: "unknown authority"}, "tls"),
		ok(Case{Name: "env-proxy-not-for-loopback", Path: "/ok", EnvProxy: true}),

		inject("inject-method-crlf", "method", Case{Method: "POST /x HTTP/1.1\r\nX-Injected: 1\r\n\r\nPOST", SendOnly: true}),
		inject("inject-method-space", "method", Case{Method: "PO ST", SendOnly: true}),
		inject("inject-method-nul", "method", Case{Method: "POST\x00", SendOnly: true}),
		inject("inject-content-type-crlf", "contentType", Case{ContentType: "application/json\r\nX-Injected: 1", SendOnly: true}),
		inject("inject-content-type-nul", "contentType", Case{ContentType: "application/json\x00", SendOnly: true}),
		inject("inject-url-crlf", "url", Case{RawURL: "http://{plain}/inject\r\nX-Injected: 1", SendOnly: true}),
		inject("inject-url-space", "url", Case{RawURL: "http://{plain}/inj ect", SendOnly: true}),
		inject("inject-header-host", "headers.Host", Case{Headers: h("Host", "evil.example")}),
		inject("inject-header-host-lower-case", "headers.host", Case{Headers: h("host", "evil.example")}),
		inject("inject-header-content-length", "headers.Content-Length", Case{Headers: h("Content-Length", "999")}),
		inject("inject-header-content-length-space", "headers.Content-Length ", Case{Headers: h("Content-Length ", "1")}),
		inject("inject-header-transfer-encoding", "headers.Transfer-Encoding", Case{Headers: h("Transfer-Encoding", "chunked")}),
		inject("inject-header-transfer-encoding-space", "headers.Transfer-Encoding ", Case{Headers: h("Transfer-Encoding ", "chunked")}),
		inject("inject-header-connection", "headers.Connection", Case{Headers: h("Connection", "keep-alive")}),
		inject("inject-header-empty-name", "headers.", Case{Headers: h("", "x")}),
		inject("inject-header-name-colon", "headers.Host:evil.example", Case{Headers: h("Host:evil.example", "x")}),
		inject("inject-header-name-space", "headers.X Trace", Case{Headers: h("X Trace", "1")}),
		inject("inject-header-name-crlf", "headers.X-A\r\nInjected", Case{Headers: h("X-A\r\nInjected", "1")}),
		inject("inject-header-name-nul", "headers.X-A\x00", Case{Headers: h("X-A\x00", "1")}),
		inject("inject-header-value-crlf", "headers.X-Trace", Case{Headers: h("X-Trace", "a\r\nInjected: yes")}),
		inject("inject-header-value-lf", "headers.X-Trace", Case{Headers: h("X-Trace", "a\nInjected: yes")}),
		inject("inject-header-value-cr", "headers.X-Trace", Case{Headers: h("X-Trace", "a\rInjected: yes")}),
		inject("inject-header-value-nul", "headers.X-Trace", Case{Headers: h("X-Trace", "a\x00b")}),
		fail(Case{Name: "url-not-http", RawURL: "ftp://{plain}/inject", SendOnly: true}, "bad_url"),
	}
	if LaxEmptyContentLength {
		list = append(list, Case{Name: "empty-content-length", Path: "/empty-content-length", Status: 200, Body: []byte("hello")})
	} else {
		list = append(list, fail(Case{Name: "empty-content-length", Path: "/empty-content-length"}, "network"))
	}
	for i := range list {
		if list[i].TimeoutMs == 0 {
			list[i].TimeoutMs = okMs
		}
	}
	return list
}

// binaryBody is every byte value: not UTF-8.
var binaryBody = func() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}()

// gzipped is VerifyReply compressed with gzip.
var gzipped = func() []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(VerifyReply))
	_ = w.Close()
	return b.Bytes()
}()

// head is a status line and headers with a Content-Length for body, and
// Connection: close.
func head(status, headers, body string) string {
	return "HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n" + body
}

// okReply is the good reply: repeated headers, a verify body.
var okReply = head("200 OK", "Content-Type: application/json\r\nSet-Cookie: a=1\r\nX-Rep: one\r\nSet-Cookie: b=2\r\nX-Rep: two\r\n", VerifyReply)

// keepAliveReply is the good reply on a connection that stays open.
var keepAliveReply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(VerifyReply)) + "\r\n\r\n" + VerifyReply

const chunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"

// floodReply is the behaviour writing prefix, then unit until FloodBytes are
// written or the client stops reading.
func floodReply(prefix, unit string) func(r *reply) bool {
	return func(r *reply) bool {
		if r.write(prefix) {
			r.stream(unit, FloodBytes)
		}
		return false
	}
}

// behaviours are the server's replies by path; each reports whether the
// connection takes another request.
var behaviours = map[string]func(r *reply) bool{
	"/ok":        func(r *reply) bool { r.write(okReply); return false },
	"/inject":    func(r *reply) bool { r.write(okReply); return false },
	"/not-found": func(r *reply) bool { r.write(head("404 Not Found", "", "no such case")); return false },
	"/binary": func(r *reply) bool {
		r.write(head("200 OK", "Content-Type: application/octet-stream\r\n", string(binaryBody)))
		return false
	},
	"/gzip": func(r *reply) bool {
		r.write(head("200 OK", "Content-Encoding: gzip\r\n", string(gzipped)))
		return false
	},
	"/redirect":        func(r *reply) bool { r.write(head("302 Found", "Location: /redirect-target\r\n", "")); return false },
	"/redirect-target": func(r *reply) bool { r.write(okReply); return false },
	"/status-500":      func(r *reply) bool { r.write(head("500 Internal Server Error", "", `{"error":"boom"}`)); return false },
	"/four-100": func(r *reply) bool {
		r.write(strings.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 4) + okReply)
		return false
	},
	"/same-content-length": func(r *reply) bool {
		r.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
		return false
	},
	"/echo": func(r *reply) bool {
		var b strings.Builder
		b.WriteString(r.req.method + " " + r.req.path + "\n")
		names := make([]string, 0, len(r.req.header))
		for k := range r.req.header {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			b.WriteString(k + ": " + strings.Join(r.req.header[k], " | ") + "\n")
		}
		b.WriteString("\n")
		b.Write(r.req.body)
		r.write(head("200 OK", "", b.String()))
		return false
	},

	"/endless-status":      floodReply("HTTP/1.1 200 ", "a"),
	"/header-flood":        floodReply("HTTP/1.1 200 OK\r\n", "X-Flood: "+strings.Repeat("f", 990)+"\r\n"),
	"/endless-header-line": floodReply("HTTP/1.1 200 OK\r\nX-Long: ", "l"),
	"/endless-100":         floodReply("", "HTTP/1.1 100 Continue\r\n\r\n"),
	"/endless-chunk-size":  floodReply(chunkedHead, "1"),
	"/chunk-size-overflow": floodReply(chunkedHead+"7fffffffffffffff\r\n", "x"),
	"/status-101":          floodReply("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", "u"),
	"/body-over-limit-cl":  floodReply("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n", "b"),
	"/body-flood-chunked":  floodReply(chunkedHead, "10000\r\n"+strings.Repeat("c", 0x10000)+"\r\n"),
	"/body-flood-close":    floodReply("HTTP/1.1 200 OK\r\n\r\n", "e"),

	"/chunk-size-17-digits": func(r *reply) bool { r.write(chunkedHead + "10000000000000000\r\nxxxx\r\n0\r\n\r\n"); return false },
	"/chunk-no-crlf":        func(r *reply) bool { r.write(chunkedHead + "5\r\nhelloXX0\r\n\r\n"); return false },
	"/chunk-plus-sign":      func(r *reply) bool { r.write(chunkedHead + "+5\r\nhello\r\n0\r\n\r\n"); return false },
	"/chunk-cut":            func(r *reply) bool { r.write(chunkedHead + "5\r\nhel"); return false },
	"/dup-content-length": func(r *reply) bool {
		r.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello!")
		return false
	},
	"/empty-content-length": func(r *reply) bool {
		r.write("HTTP/1.1 200 OK\r\nContent-Length: \r\nConnection: close\r\n\r\nhello")
		return false
	},
	"/te-gzip-chunked": func(r *reply) bool {
		r.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + strconv.FormatInt(int64(len(gzipped)), 16) + "\r\n" + string(gzipped) + "\r\n0\r\n\r\n")
		return false
	},
	"/te-twice": func(r *reply) bool {
		r.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
		return false
	},
	"/not-http": func(r *reply) bool { r.write("SSH-2.0-OpenSSH_9.6\r\n"); return false },

	"/slow-drip":       func(r *reply) bool { r.drip(okReply, 20*time.Millisecond); return false },
	"/hang-after-head": func(r *reply) bool { r.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"); r.hang(); return false },
	"/hang":            func(r *reply) bool { r.hang(); return false },
	"/early-close":     func(r *reply) bool { return false },
	"/close-mid-status": func(r *reply) bool {
		r.write("HTTP/1.1 20")
		return false
	},
	"/close-mid-head": func(r *reply) bool { r.write("HTTP/1.1 200 OK\r\nContent-Le"); return false },
	"/close-mid-body": func(r *reply) bool {
		r.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
		return false
	},
	"/rst": func(r *reply) bool { r.reset(); return false },
	"/rst-mid-body": func(r *reply) bool {
		r.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
		time.Sleep(20 * time.Millisecond)
		r.reset()
		return false
	},

	// Keep-alive: answered on a connection that stays open.
	"/keepalive": func(r *reply) bool { return r.write(keepAliveReply) },
	// The first request of a connection is answered (and the connection
	// kept); a later one on the same connection is read and dropped, as
	// a server closing an idle connection at the wrong moment does.
	"/drop-reused": func(r *reply) bool {
		if r.n == 1 {
			return r.write(keepAliveReply)
		}
		return false
	},
}
