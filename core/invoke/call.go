package invoke

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
	"github.com/tidwall/gjson"
)

// MaxDepth is the deepest nesting of objects and arrays a request may have;
// a deeper request is TOO_LARGE. It keeps every parser's work bounded.
const MaxDepth = 64

// call is one method invocation: the request's top-level fields, the result
// being written and the first error met while reading the request.
type call struct {
	r      *Registry
	method string
	// in holds the request's top-level fields.
	in *reader
	// out writes the result object's members.
	out writer
	// err is the first error an accessor met; handlers check it with fail.
	err error
}

// setErr records err unless an earlier error is recorded.
func (c *call) setErr(err error) {
	if c.err == nil && err != nil {
		c.err = err
	}
}

// fail returns the first recorded error (nil if none).
func (c *call) fail() error { return c.err }

func (r *Registry) invoke(name string, request []byte) []byte {
	m := r.methods[name]
	if m == nil {
		return errorEnvelope(errs.New(errs.UnknownMethod, "method",
			"unknown method %q; the methods are listed in the README (or call Methods())", clip(name)))
	}
	root, err := parseRequest(request)
	if err != nil {
		return errorEnvelope(err)
	}
	c := &call{r: r, method: name}
	c.in = c.object("", root, m.fields)
	if c.err != nil {
		return errorEnvelope(c.err)
	}
	size := 512 + 3*len(request)
	if size > 1<<20 {
		size = 1 << 20
	}
	c.out.b = make([]byte, 0, size)
	c.out.b = append(c.out.b, `{"ok":true,"result":{`...)
	c.out.first = true
	if err := m.h(c); err != nil {
		return errorEnvelope(err)
	}
	if c.err != nil {
		return errorEnvelope(c.err)
	}
	return append(c.out.b, "}}"...)
}

// parseRequest checks a request's size, encoding, nesting and syntax and
// returns its root value. An empty (or all-whitespace) request is {}.
func parseRequest(b []byte) (gjson.Result, error) {
	if len(b) > MaxRequestBytes {
		return gjson.Result{}, errs.New(errs.TooLarge, "", "the request is %d bytes, over the limit of %d bytes (16 MiB)", len(b), MaxRequestBytes)
	}
	b = jsontext.TrimSpace(b)
	if len(b) == 0 {
		return gjson.Parse("{}"), nil
	}
	if !utf8.Valid(b) {
		return gjson.Result{}, errs.New(errs.InvalidJSON, "", "the request is not valid UTF-8; send JSON text encoded as UTF-8")
	}
	if jsontext.Depth(b, MaxDepth) > MaxDepth {
		return gjson.Result{}, errs.New(errs.TooLarge, "", "the request nests objects and arrays more than %d levels deep", MaxDepth)
	}
	if !gjson.ValidBytes(b) {
		return gjson.Result{}, errs.New(errs.InvalidJSON, "", "the request is not well-formed JSON")
	}
	root := gjson.ParseBytes(b)
	if !root.IsObject() {
		return gjson.Result{}, errs.Invalid("", "the request must be a JSON object ({…}), got %s", kindName(root))
	}
	return root, nil
}

// kindName names a JSON value's type for messages.
func kindName(v gjson.Result) string {
	switch v.Type {
	case gjson.Null:
		if !v.Exists() {
			return "nothing"
		}
		return "null"
	case gjson.False, gjson.True:
		return "a boolean"
	case gjson.Number:
		return "a number"
	case gjson.String:
		return "a string"
	}
	if v.IsArray() {
		return "an array"
	}
	return "an object"
}

// maxMembers bounds the members of one request object whose names are open
// (http.send headers); objects with a fixed set of names are bounded by it.
const maxMembers = 1000

// field is one member of a request object.
type field struct {
	name string
	v    gjson.Result
}

// reader reads the members of one request object. Accessors record the
// first error in the call and return zero values after it.
type reader struct {
	c    *call
	path string
	kv   []field
	// buf holds kv for objects of up to len(buf) members (one allocation
	// for the reader and its members).
	buf [6]field
}

// join returns the path of member name inside an object at path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// index returns the path of element i of an array at path.
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// object reads v (at path) as a JSON object whose members must be among
// allowed (nil: any). A member not allowed, or given twice, is
// INVALID_ARGUMENT naming it. It returns nil (and records an error) when v is
// not an object; an absent or null v is an empty object.
func (c *call) object(path string, v gjson.Result, allowed []string) *reader {
	rd := &reader{c: c, path: path}
	if !v.Exists() || v.Type == gjson.Null {
		return rd
	}
	rd.kv = rd.buf[:0]
	if !v.IsObject() {
		c.setErr(errs.Invalid(path, "must be a JSON object, got %s", kindName(v)))
		return rd
	}
	v.ForEach(func(k, val gjson.Result) bool {
		name := k.Str
		if allowed != nil && !contains(allowed, name) {
			if len(allowed) == 0 {
				c.setErr(errs.Invalid(join(path, name), "unknown field %q; this takes no fields", clip(name)))
			} else {
				c.setErr(errs.Invalid(join(path, name), "unknown field %q; allowed here: %s", clip(name), strings.Join(allowed, ", ")))
			}
			return false
		}
		if len(rd.kv) == maxMembers {
			c.setErr(errs.New(errs.TooLarge, path, "has more than %d members", maxMembers))
			return false
		}
		for _, f := range rd.kv {
			if f.name == name {
				c.setErr(errs.Invalid(join(path, name), "field %q is given twice", clip(name)))
				return false
			}
		}
		rd.kv = append(rd.kv, field{name, val})
		return true
	})
	return rd
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// get returns member name (a zero Result when absent).
func (rd *reader) get(name string) gjson.Result {
	for _, f := range rd.kv {
		if f.name == name {
			return f.v
		}
	}
	return gjson.Result{}
}

// has reports whether member name is present and not null.
func (rd *reader) has(name string) bool {
	v := rd.get(name)
	return v.Exists() && v.Type != gjson.Null
}

// names returns the member names in request order.
func (rd *reader) names() []string {
	out := make([]string, len(rd.kv))
	for i, f := range rd.kv {
		out[i] = f.name
	}
	return out
}

func (rd *reader) fail(name, format string, args ...interface{}) {
	rd.c.setErr(errs.Invalid(join(rd.path, name), format, args...))
}

// str returns member name as text: a JSON string's content or a number's raw
// text; "" when absent or null. Booleans, objects and arrays are errors.
func (rd *reader) str(name string) string {
	v := rd.get(name)
	s, ok := text(v)
	if !ok {
		rd.c.setErr(typeError(join(rd.path, name), v))
	}
	return s
}

// text returns a scalar's text (see reader.str); ok is false for booleans,
// objects and arrays.
func text(v gjson.Result) (string, bool) {
	switch v.Type {
	case gjson.Null:
		return "", true
	case gjson.String:
		return v.Str, true
	case gjson.Number:
		return v.Raw, true
	}
	return "", false
}

func typeError(path string, v gjson.Result) error {
	return errs.Invalid(path, "must be a string (or a number), got %s", kindName(v))
}

// scalar returns v (at path) as text; see reader.str.
func (c *call) scalar(path string, v gjson.Result) string {
	s, ok := text(v)
	if !ok {
		c.setErr(typeError(path, v))
	}
	return s
}

// need returns member name as text and records an error when it is empty.
func (rd *reader) need(name string) string {
	s := rd.str(name)
	if s == "" && rd.c.err == nil {
		rd.fail(name, "%s is required", name)
	}
	return s
}

// id returns member name as a string of decimal digits (an 18-digit id given
// as a JSON string or number keeps every digit); "" when absent.
func (rd *reader) id(name string) string {
	s := rd.str(name)
	if s != "" && !jsontext.IsDigits(s) {
		rd.fail(name, "%q is not an id (decimal digits only; send it as a JSON string)", clip(s))
		return ""
	}
	return s
}

// boolean returns member name as a boolean (JSON true/false or the strings
// "true"/"false"); def when absent or null.
func (rd *reader) boolean(name string, def bool) bool {
	v := rd.get(name)
	switch {
	case v.Type == gjson.True, v.Type == gjson.String && v.Str == "true":
		return true
	case v.Type == gjson.False, v.Type == gjson.String && v.Str == "false":
		return false
	case !v.Exists(), v.Type == gjson.Null:
		return def
	}
	rd.fail(name, "must be true or false, got %s", kindName(v))
	return def
}

// fen returns member name as a non-negative whole number of fen ("1250" or
// 1250); ok is false when absent.
func (rd *reader) fen(name string) (f money.Fen, ok bool) {
	s := rd.str(name)
	if s == "" {
		return 0, false
	}
	f, err := money.ParseFen("", s)
	if err != nil {
		rd.c.setErr(errs.Prefix(join(rd.path, name), err))
		return 0, false
	}
	return f, true
}

// obj returns member name as a nested reader accepting allowed members.
func (rd *reader) obj(name string, allowed []string) *reader {
	return rd.c.object(join(rd.path, name), rd.get(name), allowed)
}

// array returns member name's elements; absent or null is empty. max bounds
// the element count (TOO_LARGE beyond it).
func (rd *reader) array(name string, max int) []gjson.Result {
	v := rd.get(name)
	switch {
	case !v.Exists(), v.Type == gjson.Null:
		return nil
	case !v.IsArray():
		rd.fail(name, "must be a JSON array, got %s", kindName(v))
		return nil
	}
	var out []gjson.Result
	v.ForEach(func(_, e gjson.Result) bool {
		if len(out) == max {
			rd.c.setErr(errs.New(errs.TooLarge, join(rd.path, name), "has more than %d elements", max))
			return false
		}
		out = append(out, e)
		return true
	})
	return out
}

// rawObject returns member name's JSON text when it is an object (nil when
// absent or null).
func (rd *reader) rawObject(name string) []byte {
	v := rd.get(name)
	switch {
	case !v.Exists(), v.Type == gjson.Null:
		return nil
	case !v.IsObject():
		rd.fail(name, "must be a JSON object, got %s", kindName(v))
		return nil
	}
	return []byte(v.Raw)
}

// clip shortens untrusted text quoted in a message.
func clip(s string) string { return jsontext.Clip(s, 60) }

// renameField returns err with its Field mapped by rename (a copy; err
// itself is not changed). Errors that are not *errs.Error are returned as
// they are.
func renameField(err error, rename func(string) string) error {
	var e *errs.Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	f := rename(e.Field)
	if f == e.Field {
		return err
	}
	cp := *e
	cp.Field = f
	return &cp
}

// errorEnvelope renders err as {"ok":false,"error":{…}}. An error that is
// not an *errs.Error is reported as INTERNAL without its text.
func errorEnvelope(err error) []byte {
	var e *errs.Error
	if !errors.As(err, &e) || !knownKind(e.Kind) {
		e = errs.New(errs.Internal, "", "internal error in couponkit (please report): unexpected %s", fmt.Sprintf("%T", err))
	}
	msg := e.Message
	if msg == "" {
		msg = string(e.Kind)
	}
	w := writer{b: make([]byte, 0, 128+len(e.Message)), first: true}
	w.b = append(w.b, `{"ok":false,"error":{`...)
	w.str("code", string(e.Kind))
	w.str("message", msg)
	w.opt("field", e.Field)
	w.opt("vendorStatus", e.VendorStatus)
	w.opt("vendorCode", e.VendorCode)
	w.opt("vendorMessage", e.VendorMessage)
	w.opt("reason", e.Reason)
	return append(w.b, "}}"...)
}

// knownKind reports whether k is one of the closed set of codes.
func knownKind(k errs.Kind) bool {
	for _, x := range errs.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// internalEnvelope is the reply for a recovered panic. It names the method
// but not the panic value, which could hold request data.
func internalEnvelope(method string) []byte {
	return errorEnvelope(errs.New(errs.Internal, "", "internal error in couponkit while running %q (a recovered panic; please report)", clip(method)))
}
