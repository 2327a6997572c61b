package invoke

import (
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/internal/wire"
)

// methods is every method, registered by the schema files' init functions
// and never changed after.
var methods = map[string]*wire.Method{}

// add registers a method: its name and its adapter, a function from its
// decoded request to its result (the two types are its schema) whose doc
// comment describes the method. A name registered twice panics.
func add[Req, Res any](name string, adapter func(*Call, *Req) (*Res, error)) {
	if methods[name] != nil {
		panic("invoke: method registered twice: " + name)
	}
	methods[name] = wire.NewMethod(name, adapter)
}

// MethodInfo describes a registered method for generators and docs.
type MethodInfo struct {
	Name            string       // the method name ("zvcms.verifyCoupons.request")
	Request, Result reflect.Type // its schema types
	Adapter         string       // the function implementing it; its doc comment describes the method
}

// Schema returns every method, sorted by name.
func Schema() []MethodInfo {
	var out []MethodInfo
	for _, m := range methods {
		out = append(out, MethodInfo{m.Name, m.Request, m.Result, m.Adapter})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Registry runs the methods and holds the open sessions. It is safe for
// concurrent use; create one with New.
type Registry struct {
	opts     Options
	methods  map[string]*wire.Method // the package's, or a test's copy
	mu       sync.RWMutex
	sessions map[string]*session
}

// New returns a registry of every method with the given dependencies.
func New(opts Options) *Registry {
	return &Registry{opts: opts, methods: methods, sessions: map[string]*session{}}
}

// Methods returns the registered method names, sorted.
func (r *Registry) Methods() []string {
	var names []string
	for n := range r.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (r *Registry) now() time.Time {
	if r.opts.Now != nil {
		return r.opts.Now()
	}
	return time.Now()
}

// Call is one method invocation, handed to its adapter.
type Call struct {
	r         *Registry
	delegated []byte // the result of Delegate
}

// Delegate runs method with req (a pointer to its request type) and makes
// its result this call's; the adapter then returns a nil result. A generic
// method (zvcms.response) answers so with a typed one's result.
func (c *Call) Delegate(method string, req interface{}) error {
	res, err := c.r.methods[method].Run(c, req)
	if err == nil && res != nil {
		c.delegated = wire.Append(nil, res)
	}
	return err
}

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
		if recover() != nil {
			reply = AppendError(dst[:n], errs.New(errs.Internal, "", "internal error in couponkit while running %q (a recovered panic; please report)", clip(method)))
		}
	}()
	m := r.methods[method]
	if m == nil {
		return AppendError(dst, unknown(method))
	}
	c := calls.Get().(*Call)
	*c = Call{r: r}
	reply = wire.Invoke(dst, m, request, c, c.result)
	*c = Call{} // no reference kept to the registry or a delegated result
	calls.Put(c)
	return reply
}

// calls recycles the Call of each invocation (an adapter does not keep its
// Call past the call; a panicking one's is left to the collector).
var calls = sync.Pool{New: func() interface{} { return new(Call) }}

// result is the delegated result (see Delegate).
func (c *Call) result() []byte { return c.delegated }

// AppendError appends err as {"ok":false,"error":{…}}: the envelope capi and
// wasm use for errors of their own.
func AppendError(dst []byte, err error) []byte { return wire.AppendError(dst, err) }

func clip(s string) string { return jsontext.Clip(s, 60) }
