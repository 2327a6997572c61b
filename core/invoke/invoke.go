// Package invoke is couponkit's one JSON method surface: the schema (a
// request and a result type per method, in the schema_*.go files: these types
// ARE the surface), a registry mapping each method name to a few-line
// adapter onto core/zvcms, core/allinpay, core/discount and core/money, and
// one strict decoder and one encoder for all of them (core/internal/wire).
// The C ABI (capi) and the WebAssembly module (wasm) both call Invoke, and
// the C#, Delphi and TypeScript types and docs/methods.md are generated from
// the schema (internal/gen), so every method exists in every language with
// the same shapes and error codes.
//
// Every reply is an envelope:
//
//	{"ok":true,"result":{…}}
//	{"ok":false,"error":{"code":"INVALID_ARGUMENT","message":"…","field":"params.amount"}}
//
// where code is one of the core/errs kinds and field the JSON path of the
// request as the caller wrote it. The conventions every member follows are
// at the top of schema_core.go. Secrets (openKey, private keys) never appear
// in a reply or an error.
package invoke

//go:generate go run ../../internal/gen -root ../..

import (
	"context"
	"time"

	"github.com/couponkit/couponkit/core/internal/wire"
)

// MaxRequestBytes is the largest request Invoke accepts (16 MiB), and
// MaxDepth the deepest nesting of objects and arrays; beyond either a request
// is TOO_LARGE.
const (
	MaxRequestBytes = wire.MaxRequestBytes
	MaxDepth        = wire.MaxDepth
)

// CheckRequest returns the error Invoke gives request before it looks at the
// method (TOO_LARGE, INVALID_JSON, INVALID_ARGUMENT for a request that is not
// an object), or nil. at maps a byte offset in request to the caller's own
// text, for a caller that converted it (the C ABI's GBK entry), so that
// INVALID_JSON names the offset the caller can find; nil is the identity.
func CheckRequest(request []byte, at func(int) int) error {
	_, err := wire.ParseAt(request, at)
	return err
}

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
	// CheckTransport, when not nil, checks the transport options a
	// session.open request gives (proxy, roots, pins, trace file), so that a
	// bad one is refused when the session is opened, not at its first
	// exchange; its error is INVALID_ARGUMENT naming the transport.* field.
	// core/transport's Check is one.
	CheckTransport func(TransportOptions) error
}

// SendFunc performs one HTTP exchange. It returns the response whatever its
// status; an error means no response was obtained (timeout, refused, TLS)
// and is an *errs.Error of kind TRANSPORT_ERROR with a Reason.
//
// This is the contract between the method surface and core/transport: the
// surface fills every field from the request (and the session), the
// transport honours every field.
type SendFunc func(ctx context.Context, req HTTPRequest) (HTTPResponse, error)

// Header is one HTTP header field (Name, Value). Lists of Header keep the
// order of the fields and may repeat a name; a response's names are in
// canonical form ("Content-Type").
type Header = wire.Header

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
	// with every secret redacted (Tokens, sign values, keys, passwords: see
	// core/transport's TraceEvent).
	TraceFile string
	// MaxBody is the largest reply body accepted, in bytes, from 1 to
	// MaxBodyLimit; 0 is the transport's default (4 MiB). A larger body is
	// TRANSPORT_ERROR too_large, found while reading: no more than MaxBody
	// bytes of it are ever held.
	MaxBody int64
}

// MaxBodyLimit is the largest MaxBody (transport.maxBody) a request may ask
// for: 64 MiB. The body is held in memory, and in an http.send reply again
// as text or Base64 (a third larger), in a process that may be a 32-bit POS.
const MaxBodyLimit = 64 << 20

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
	// Headers are the response headers, every field: names in canonical
	// form and sorted, each name's values in the order received. The order
	// across names is not kept (net/http's reply header is a map; it carries
	// no meaning, RFC 9110 section 5.3). A SendFunc other than
	// core/transport's should list them the same way.
	Headers []Header
	// Body is the response body, byte for byte (no decompression).
	Body []byte
}
