package invoke

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/internal/wire"
	"github.com/tidwall/gjson"
)

// MaxDepth is the deepest nesting of objects and arrays a request may have;
// a deeper request is TOO_LARGE. It keeps every parser's work bounded.
const MaxDepth = 64

// method is one registered method: its schema types and its adapter.
type method struct {
	name     string
	req, res reflect.Type
	adapter  string // the adapter function's name (its doc comment documents the method)
	run      func(c *Call, req interface{}) (interface{}, error)
}

// methods is every method, registered by the schema files' init functions
// (add) and never changed after.
var methods = map[string]*method{}

// add registers a method: its name, and the adapter that turns a decoded
// request into a result (the types of both are the method's schema). It
// panics on a duplicate name, a programming error every test catches.
func add[Req, Res any](name string, adapter func(c *Call, req *Req) (*Res, error)) {
	if methods[name] != nil {
		panic("invoke: method registered twice: " + name)
	}
	fn := runtime.FuncForPC(reflect.ValueOf(adapter).Pointer()).Name()
	methods[name] = &method{name: name, adapter: fn[strings.LastIndexByte(fn, '.')+1:],
		req: reflect.TypeOf((*Req)(nil)).Elem(), res: reflect.TypeOf((*Res)(nil)).Elem(),
		run: func(c *Call, req interface{}) (interface{}, error) {
			res, err := adapter(c, req.(*Req))
			if res == nil || err != nil {
				return nil, err
			}
			return res, nil
		}}
}

// MethodInfo describes a registered method for generators and docs.
type MethodInfo struct {
	// Name is the method name ("zvcms.verifyCoupons.request").
	Name string
	// Request and Result are its schema types.
	Request, Result reflect.Type
	// Adapter names the function of this package that implements it; its
	// doc comment is the method's description.
	Adapter string
}

// Schema returns every method, sorted by name.
func Schema() []MethodInfo {
	out := make([]MethodInfo, 0, len(methods))
	for _, m := range methods {
		out = append(out, MethodInfo{Name: m.name, Request: m.req, Result: m.res, Adapter: m.adapter})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Registry runs the methods and holds the open sessions. It is safe for
// concurrent use; create one with New.
type Registry struct {
	opts    Options
	methods map[string]*method // the package's, or a test's copy

	mu       sync.RWMutex
	sessions map[string]*session
}

// New returns a registry of every method with the given dependencies.
func New(opts Options) *Registry {
	return &Registry{opts: opts, methods: methods, sessions: map[string]*session{}}
}

// now returns the registry clock's time.
func (r *Registry) now() time.Time {
	if r.opts.Now != nil {
		return r.opts.Now()
	}
	return time.Now()
}

// Methods returns the registered method names, sorted.
func (r *Registry) Methods() []string {
	names := make([]string, 0, len(r.methods))
	for n := range r.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Call is one method invocation, handed to the adapter: the registry's
// dependencies and sessions, and a result delegated to another method.
type Call struct {
	r         *Registry
	delegated []byte
}

// Delegate runs method with req (a pointer to its request type) and makes
// its result this call's; the adapter then returns a nil result. It is how
// a generic method (zvcms.response) answers with a typed one's result.
func (c *Call) Delegate(method string, req interface{}) error {
	res, err := c.r.methods[method].run(c, req)
	if err == nil && res != nil {
		c.delegated = wire.Append(nil, res)
	}
	return err
}

// bufs holds reply buffers between calls.
var bufs = sync.Pool{New: func() interface{} { b := make([]byte, 0, 2048); return &b }}

// Invoke runs method with the JSON request and returns the JSON envelope. It
// never returns nil and never panics: a panic in an adapter becomes an
// INTERNAL error envelope. An empty request (or only white space) means {}.
func (r *Registry) Invoke(method string, request []byte) []byte {
	bp := bufs.Get().(*[]byte)
	b := r.AppendInvoke((*bp)[:0], method, request)
	out := append([]byte(nil), b...)
	if cap(b) <= 1<<20 {
		*bp = b
		bufs.Put(bp)
	}
	return out
}

// AppendInvoke is Invoke appending the envelope to dst.
func (r *Registry) AppendInvoke(dst []byte, method string, request []byte) (reply []byte) {
	n := len(dst)
	defer func() {
		if v := recover(); v != nil {
			reply = append(dst[:n], internalEnvelope(method)...)
		}
	}()
	m := r.methods[method]
	if m == nil {
		return AppendError(dst, errs.New(errs.UnknownMethod, "method",
			"unknown method %q; the methods are listed in docs/methods.md (or call the method \"methods\")", clip(method)))
	}
	root, err := parseRequest(request)
	if err != nil {
		return AppendError(dst, err)
	}
	req := reflect.New(m.req).Interface()
	d, err := wire.Decode(root, req)
	if err != nil {
		return AppendError(dst, err)
	}
	c := &Call{r: r}
	res, err := m.run(c, req)
	if err != nil {
		return AppendError(dst, requestPath(err, d))
	}
	dst = append(dst, `{"ok":true,"result":`...)
	if res == nil {
		dst = append(dst, c.delegated...)
	} else {
		dst = wire.Append(dst, res)
	}
	return append(dst, '}')
}

// requestPath names a domain error's field as the request path the caller
// wrote (see wire.Request.Field). Replies' paths (RESPONSE_INVALID) and
// other kinds are left as they are.
func requestPath(err error, d *wire.Request) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Field == "" || e.Kind != errs.InvalidArgument && e.Kind != errs.KeyError && e.Kind != errs.TooLarge {
		return err
	}
	if f := d.Field(e.Field); f != e.Field {
		cp := *e
		cp.Field = f
		return &cp
	}
	return err
}

// parseRequest checks a request's size, encoding, nesting and syntax and
// returns its root value. An empty (or all-white-space) request is {}.
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
		return gjson.Result{}, errs.Invalid("", "the request must be a JSON object ({…}), got %s", wire.KindName(root))
	}
	return root, nil
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

// AppendError appends err as {"ok":false,"error":{…}} (the envelope capi and
// wasm use for errors of their own). An error that is not an *errs.Error of
// the closed set is reported as INTERNAL without its text.
func AppendError(dst []byte, err error) []byte {
	var e *errs.Error
	if !errors.As(err, &e) || !knownKind(e.Kind) {
		e = errs.New(errs.Internal, "", "internal error in couponkit (please report): unexpected %s", fmt.Sprintf("%T", err))
	}
	r := errorReply{Code: string(e.Kind), Message: e.Message, Field: e.Field, VendorStatus: e.VendorStatus,
		VendorCode: e.VendorCode, VendorMessage: e.VendorMessage, Reason: e.Reason}
	if r.Message == "" {
		r.Message = r.Code
	}
	return append(wire.Append(append(dst, `{"ok":false,"error":`...), &r), '}')
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
	return AppendError(nil, errs.New(errs.Internal, "", "internal error in couponkit while running %q (a recovered panic; please report)", clip(method)))
}

// clip shortens untrusted text quoted in a message.
func clip(s string) string { return jsontext.Clip(s, 60) }
