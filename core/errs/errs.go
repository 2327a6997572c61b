// Package errs defines the one typed error every couponkit package returns.
//
// An *Error carries a Kind from a closed set (the same codes the C ABI and the
// WebAssembly module report), the path of the offending field where one
// applies, and for vendor errors the vendor's own status, code and message.
//
// Kinds are comparable sentinels, so callers test them with errors.Is:
//
//	if errors.Is(err, errs.InvalidArgument) { ... }
//
// and read the details with errors.As:
//
//	var e *errs.Error
//	if errors.As(err, &e) { fmt.Println(e.Field) }
//
// Messages never contain secrets (openKey, private keys): constructors take
// the message text from the caller, and callers never format key material
// into it.
package errs

import (
	"errors"
	"fmt"
)

// Kind is the category of an error. The set is closed: these constants are
// the only values, and their text is the code reported across the C ABI.
type Kind string

// Error makes a Kind usable as an errors.Is target.
func (k Kind) Error() string { return string(k) }

// The closed set of error kinds.
const (
	// InvalidJSON: a request given to the library is not well-formed JSON.
	InvalidJSON Kind = "INVALID_JSON"
	// InvalidArgument: a request value is missing, of the wrong type or out of
	// range; Field names it.
	InvalidArgument Kind = "INVALID_ARGUMENT"
	// UnknownMethod: the invoke method name is not registered.
	UnknownMethod Kind = "UNKNOWN_METHOD"
	// KeyError: a key (or openKey) could not be parsed or used; Field names
	// which key. The message never contains key material.
	KeyError Kind = "KEY_ERROR"
	// SignatureInvalid: a vendor reply's signature did not verify.
	SignatureInvalid Kind = "SIGNATURE_INVALID"
	// ResponseInvalid: a vendor reply is not in the documented shape (not
	// JSON, a field of the wrong type); Field is the JSON path.
	ResponseInvalid Kind = "RESPONSE_INVALID"
	// APIError: the vendor answered with a business error (zvcms status
	// true and code non-zero, Allinpay code non-zero).
	APIError Kind = "API_ERROR"
	// SystemError: the vendor answered with a system error (zvcms status
	// false).
	SystemError Kind = "SYSTEM_ERROR"
	// TransportError: the HTTP exchange failed (timeout, refused, TLS, HTTP
	// status); Reason says which.
	TransportError Kind = "TRANSPORT_ERROR"
	// TooLarge: a request exceeds a documented size limit.
	TooLarge Kind = "TOO_LARGE"
	// Internal: a bug in couponkit (a recovered panic). Never expected.
	Internal Kind = "INTERNAL"
)

// Kinds lists every Kind, in documentation order.
var Kinds = []Kind{InvalidJSON, InvalidArgument, UnknownMethod, KeyError,
	SignatureInvalid, ResponseInvalid, APIError, SystemError, TransportError,
	TooLarge, Internal}

// Error is the typed error returned by every couponkit package.
type Error struct {
	// Kind is the category; errors.Is(err, Kind) matches it.
	Kind Kind
	// Field is the path of the offending value, for example
	// "Params.items[2].price", or "" when no single field is at fault.
	Field string
	// Message is a sentence a cashier-software developer can act on.
	Message string
	// VendorStatus, VendorCode and VendorMessage carry the vendor's own
	// status, code and message for APIError and SystemError, verbatim.
	VendorStatus  string
	VendorCode    string
	VendorMessage string
	// Reason qualifies TransportError (timeout, refused, tls, http_status, ...).
	Reason string
	// Err is the underlying cause, if any (never one holding key material).
	Err error
}

// Error formats the error as "CODE field: message".
func (e *Error) Error() string {
	s := string(e.Kind)
	if e.Field != "" {
		s += " " + e.Field
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.VendorCode != "" || e.VendorMessage != "" {
		s += fmt.Sprintf(" (vendor code %q, message %q)", e.VendorCode, e.VendorMessage)
	}
	return s
}

// Is reports whether target is this error's Kind.
func (e *Error) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.Kind
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind about field.
func New(kind Kind, field, format string, args ...interface{}) *Error {
	return &Error{Kind: kind, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an InvalidArgument error about field.
func Invalid(field, format string, args ...interface{}) *Error {
	return New(InvalidArgument, field, format, args...)
}

// Vendor returns an APIError or SystemError carrying the vendor's own status,
// code and message.
func Vendor(kind Kind, status, code, message string) *Error {
	what := "the vendor reported a business error"
	if kind == SystemError {
		what = "the vendor reported a system error"
	}
	return &Error{Kind: kind, Message: what, VendorStatus: status, VendorCode: code, VendorMessage: message}
}

// KindOf returns the Kind of err: its own for an *Error (anywhere in the
// chain), Internal for any other non-nil error, "" for nil.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Prefix returns err with its Field prefixed by path (joined with "." or
// directly when the field starts with "["), so that a nested validator's
// error names the full path. Errors that are not *Error are returned as is.
func Prefix(path string, err error) error {
	var e *Error
	if path == "" || !errors.As(err, &e) {
		return err
	}
	c := *e
	switch {
	case c.Field == "":
		c.Field = path
	case c.Field[0] == '[':
		c.Field = path + c.Field
	default:
		c.Field = path + "." + c.Field
	}
	return &c
}
