package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/tidwall/gjson"
)

// Limits of every request: its size (16 MiB) and its nesting; beyond them
// it is TOO_LARGE.
const (
	MaxRequestBytes = 16 << 20
	MaxDepth        = 64
)

// Parse checks a request's size, encoding, nesting and syntax and returns
// its root, a JSON object. An empty (or all-white-space) request is {}.
// INVALID_JSON names the byte offset (from 0) of the fault in b.
func Parse(b []byte) (gjson.Result, error) { return ParseAt(b, nil) }

// ParseAt is Parse for a request converted from the caller's own text (the
// C ABI's GBK entry): at maps a byte offset in b to the offset in the
// caller's text, which INVALID_JSON names. A nil at is the identity.
func ParseAt(b []byte, at func(int) int) (gjson.Result, error) {
	if len(b) > MaxRequestBytes {
		return gjson.Result{}, errs.New(errs.TooLarge, "", "the request is %d bytes, over the limit of %d bytes (16 MiB)", len(b), MaxRequestBytes)
	}
	whole := b
	b = jsontext.TrimSpace(b)
	switch {
	case len(b) == 0:
		return gjson.Parse("{}"), nil
	case !utf8.Valid(b):
		return gjson.Result{}, errs.New(errs.InvalidJSON, "", "the request is not valid UTF-8 at byte %d (counted from 0); send JSON text encoded as UTF-8", offset(at, badUTF8(whole)))
	case jsontext.Depth(b, MaxDepth) > MaxDepth:
		return gjson.Result{}, errs.New(errs.TooLarge, "", "the request nests objects and arrays more than %d levels deep", MaxDepth)
	case !gjson.ValidBytes(b):
		return gjson.Result{}, syntaxError(whole, at)
	}
	// The text is read in place, not copied: a member a method keeps past
	// the call (session.open's credentials) is copied by that method.
	root := gjson.Parse(unsafe.String(&b[0], len(b)))
	if !root.IsObject() {
		return gjson.Result{}, errs.Invalid("", "the request must be a JSON object ({…}), got %s", KindName(root))
	}
	return root, nil
}

// offset maps i by at (nil: the identity).
func offset(at func(int) int, i int) int {
	if at == nil {
		return i
	}
	return at(i)
}

// badUTF8 returns the offset of the first byte of b that does not start a
// valid UTF-8 sequence (len(b) when there is none).
func badUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// syntaxError is the INVALID_JSON error of b, malformed JSON: the fault
// and its byte offset, as encoding/json's scanner finds them (it reads no
// further than the fault).
func syntaxError(b []byte, at func(int) int) error {
	var raw json.RawMessage
	var se *json.SyntaxError
	switch err := json.Unmarshal(b, &raw); {
	case !errors.As(err, &se):
		// The two scanners disagree (not expected): no offset to give.
		return errs.New(errs.InvalidJSON, "", "the request is not well-formed JSON")
	case strings.HasPrefix(se.Error(), "unexpected end"):
		return errs.New(errs.InvalidJSON, "", "the request is not well-formed JSON: it ends at byte %d, before the JSON text is complete", offset(at, len(b)))
	default:
		return errs.New(errs.InvalidJSON, "", "the request is not well-formed JSON: %s at byte %d (counted from 0)", se.Error(), offset(at, int(se.Offset)-1))
	}
}

// Path returns err with its field named as the request path the caller
// wrote (see Field). Replies' paths (RESPONSE_INVALID) and other kinds are
// left as they are.
func (r *Request) Path(err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Field == "" || e.Kind != errs.InvalidArgument && e.Kind != errs.KeyError && e.Kind != errs.TooLarge {
		return err
	}
	if f := r.Field(e.Field); f != e.Field {
		cp := *e
		cp.Field = f
		return &cp
	}
	return err
}

// errorReply is the error member of a failure envelope.
type errorReply struct {
	Code          string `json:"code"`
	Message       string `json:"message"`
	Field         string `json:"field,omitempty"`
	VendorStatus  string `json:"vendorStatus,omitempty"`
	VendorCode    string `json:"vendorCode,omitempty"`
	VendorMessage string `json:"vendorMessage,omitempty"`
	Reason        string `json:"reason,omitempty"`
}

// AppendError appends err as {"ok":false,"error":{…}}. An error that is not
// an *errs.Error of the closed set is INTERNAL, without its text.
func AppendError(dst []byte, err error) []byte {
	var e *errs.Error
	if !errors.As(err, &e) || !known(e.Kind) {
		e = errs.New(errs.Internal, "", "internal error in couponkit (please report): unexpected %s", fmt.Sprintf("%T", err))
	}
	r := errorReply{Code: string(e.Kind), Message: e.Message, Field: e.Field, VendorStatus: e.VendorStatus,
		VendorCode: e.VendorCode, VendorMessage: e.VendorMessage, Reason: e.Reason}
	if r.Message == "" {
		r.Message = r.Code
	}
	return append(Append(append(dst, `{"ok":false,"error":`...), &r), '}')
}

func known(k errs.Kind) bool {
	for _, x := range errs.Kinds {
		if x == k {
			return true
		}
	}
	return false
}
