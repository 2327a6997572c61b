// Package invoke is couponkit's one JSON method surface: a registry mapping a
// method name ("zvcms.verifyCoupons.request", "money.toFen", …) to a handler
// that takes a JSON request and returns a JSON envelope. The C ABI (capi) and
// the WebAssembly module (wasm) both call it, so every method exists in C,
// C#, Delphi and JavaScript with the same shapes and error codes.
//
// Every reply is an envelope:
//
//	{"ok":true,"result":{…}}
//	{"ok":false,"error":{"code":"INVALID_ARGUMENT","message":"…","field":"params.amount"}}
//
// where code is one of the core/errs kinds. Ids and money travel as JSON
// strings ("1250" fen, "12.50" yuan); requests may give them as strings or
// numbers, and numbers are read from their raw text, never through float64.
// Secrets (openKey, private keys) never appear in a reply or an error.
package invoke

import (
	"context"
	"sort"
	"sync"
	"time"
)

// MaxRequestBytes is the largest request Invoke accepts (16 MiB); a larger
// one is TOO_LARGE.
const MaxRequestBytes = 16 << 20

// Options are the registry's injected dependencies. The zero value is
// usable: the system clock, random nonces and no HTTP transport.
type Options struct {
	// Now is the clock for zvcms timestamps and Allinpay timestamps not given
	// in a request. Nil: time.Now.
	Now func() time.Time
	// Nonce returns a fresh zvcms nonce (a positive decimal integer) when a
	// request gives none. Nil: a random six-digit number from crypto/rand.
	Nonce func() string
	// Send is the optional HTTP transport used by the one-call methods
	// (http.send, zvcms.verifyCoupons, …). Nil (as in wasm): those methods
	// report TRANSPORT_ERROR.
	Send SendFunc
}

// SendFunc performs one HTTP exchange. It returns the response whatever its
// status; an error means no response was obtained (timeout, refused, TLS)
// and is an *errs.Error of kind TRANSPORT_ERROR with a Reason.
//
// This is the contract between the method surface and core/transport: the
// surface fills every field from the request (and the session), the
// transport honours every field.
type SendFunc func(ctx context.Context, req HTTPRequest) (HTTPResponse, error)

// Header is one HTTP header field. Lists of Header keep the order of the
// fields and may repeat a name.
type Header struct {
	// Name is the field name ("X-Trace"); a response's names are in
	// canonical form ("Content-Type").
	Name string
	// Value is the field value.
	Value string
}

// TransportOptions say how the exchange reaches the server. The zero value
// is the default: proxies from the environment, the system roots, no
// pinning, no trace.
type TransportOptions struct {
	// Proxy is "" for the environment's proxy (HTTP_PROXY, HTTPS_PROXY,
	// NO_PROXY, with net/http's rules), "none" for a direct connection,
	// "system" for the operating system's proxy settings where the
	// transport can read them (Windows), or an absolute proxy URL
	// ("http://user:password@10.0.0.1:3128").
	Proxy string
	// RootCAsPEM holds extra root certificates (PEM text) trusted in
	// addition to the system roots: a private CA, a test server.
	RootCAsPEM string
	// PinSHA256 lists SHA-256 fingerprints of SubjectPublicKeyInfo (Base64
	// of the 32-byte digest, as in HPKP); when not empty the server's
	// certificate chain must contain one of them.
	PinSHA256 []string
	// TraceFile, when not "", is a file that each exchange is appended to as
	// one JSON line (method, URL, status, timing, request and reply bodies)
	// with Tokens, private keys and sign values redacted.
	TraceFile string
}

// HTTPRequest is one HTTP request for a SendFunc.
type HTTPRequest struct {
	// Method is the HTTP method ("POST").
	Method string
	// URL is the absolute http or https URL.
	URL string
	// ContentType is the Content-Type header ("" for none).
	ContentType string
	// Body is the request body.
	Body []byte
	// Headers are extra request headers, in order.
	Headers []Header
	// TimeoutMs bounds the whole exchange in milliseconds, retries
	// included (0: the transport's default).
	TimeoutMs int
	// Idempotent says the request may be retried safely (a query). Verify and
	// send requests are never idempotent: a retry could redeem twice.
	Idempotent bool
	// Transport says how the server is reached (proxy, roots, pins, trace).
	Transport TransportOptions
}

// HTTPResponse is the reply of a SendFunc.
type HTTPResponse struct {
	// Status is the HTTP status code.
	Status int
	// Headers are the response headers: every field, in the order received.
	Headers []Header
	// Body is the response body, byte for byte (no decompression).
	Body []byte
}

// handler runs one method: it reads c's request and writes its result
// members with c.out, or returns an error.
type handler func(c *call) error

// method is a registered method: the top-level request fields it accepts
// and its handler.
type method struct {
	fields []string
	h      handler
}

// Registry maps method names to handlers and holds the open sessions. It is
// safe for concurrent use; create one with New.
type Registry struct {
	opts    Options
	methods map[string]*method // written only during New
	names   []string           // sorted, written only during New

	mu       sync.RWMutex
	sessions map[string]*session
}

// New returns a registry with every method registered.
func New(opts Options) *Registry {
	r := &Registry{opts: opts, methods: map[string]*method{}, sessions: map[string]*session{}}
	r.registerCore()
	r.registerSession()
	r.registerMoney()
	r.registerZvcms()
	r.registerAllinpay()
	r.registerDiscount()
	r.registerTransport()
	sort.Strings(r.names)
	return r
}

// register adds a method accepting the top-level request fields in fields
// (any other field is INVALID_ARGUMENT). It panics on a duplicate name: a
// programming error caught by every test.
func (r *Registry) register(name string, fields []string, h handler) {
	if _, dup := r.methods[name]; dup {
		panic("invoke: method registered twice: " + name)
	}
	if fields == nil {
		fields = []string{}
	}
	r.methods[name] = &method{fields: fields, h: h}
	r.names = append(r.names, name)
}

// Methods returns the registered method names, sorted.
func (r *Registry) Methods() []string {
	return append([]string(nil), r.names...)
}

// now returns the registry clock's time.
func (r *Registry) now() time.Time {
	if r.opts.Now != nil {
		return r.opts.Now()
	}
	return time.Now()
}

// Invoke runs method with the JSON request and returns the JSON envelope. It
// never returns nil and never panics: a panic in a handler becomes an
// INTERNAL error envelope. An empty request (or only whitespace) means {}.
func (r *Registry) Invoke(method string, request []byte) (reply []byte) {
	defer func() {
		if v := recover(); v != nil {
			reply = internalEnvelope(method)
		}
	}()
	return r.invoke(method, request)
}
