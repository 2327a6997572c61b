package wire

import (
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/couponkit/couponkit/core/errs"
)

// Method is one method of a JSON surface: its name, its request and result
// types (its schema) and its adapter, which runs on a context of the
// surface's own.
type Method struct {
	Name            string       // the method name ("zvcms.verifyCoupons.request")
	Adapter         string       // the adapter function's name (its doc comment describes the method)
	Request, Result reflect.Type // the schema types
	run             func(ctx, req interface{}) (interface{}, error)
	// reqPlan and resPlan cache the plans of Request and Result, looked
	// up on the method's first call (not at registration: most programs
	// call few of the methods).
	reqPlan, resPlan atomic.Pointer[plan]
}

// cachedPlan returns the plan of t, cached in *c.
func cachedPlan(c *atomic.Pointer[plan], t reflect.Type) *plan {
	p := c.Load()
	if p == nil {
		p = planOf(t)
		c.Store(p)
	}
	return p
}

// requests recycles the Request of each Invoke: its path steps live in it.
var requests = sync.Pool{New: func() interface{} { return new(Request) }}

// NewMethod makes the method name of adapter, which turns a decoded request
// into a result; a nil result with a nil error means the adapter delegated
// (see Invoke).
func NewMethod[C, Req, Res any](name string, adapter func(C, *Req) (*Res, error)) *Method {
	fn := runtime.FuncForPC(reflect.ValueOf(adapter).Pointer()).Name()
	return &Method{Name: name, Adapter: fn[strings.LastIndexByte(fn, '.')+1:],
		Request: reflect.TypeOf((*Req)(nil)).Elem(), Result: reflect.TypeOf((*Res)(nil)).Elem(),
		run: func(ctx, req interface{}) (interface{}, error) {
			res, err := adapter(ctx.(C), req.(*Req))
			if res == nil || err != nil {
				return nil, err
			}
			return res, nil
		}}
}

// Run runs the adapter on ctx with req, a pointer to the request type.
func (m *Method) Run(ctx, req interface{}) (interface{}, error) { return m.run(ctx, req) }

// NewMethodFunc makes a method of a request and a result type from a
// function of the context alone (for tests).
func NewMethodFunc(name string, req, res reflect.Type, fn func(ctx interface{}) error) *Method {
	return &Method{Name: name, Request: req, Result: res, run: func(ctx, _ interface{}) (interface{}, error) { return nil, fn(ctx) }}
}

// Invoke appends the envelope of m run on ctx with the JSON request: the
// request checked (Parse) and decoded strictly, the adapter's result encoded,
// or, when the adapter gave none, the JSON text delegated() returns; an error
// names its field as the caller wrote it.
func Invoke(dst []byte, m *Method, request []byte, ctx interface{}, delegated func() []byte) []byte {
	root, err := Parse(request)
	if err != nil {
		return AppendError(dst, err)
	}
	rv := reflect.New(m.Request)
	d := requests.Get().(*Request)
	defer func() {
		d.release()
		requests.Put(d)
	}()
	p := cachedPlan(&m.reqPlan, m.Request)
	d.start(p, root)
	if err := d.object(root, rv.Elem(), p); err != nil {
		return AppendError(dst, err)
	}
	res, err := m.run(ctx, rv.Interface())
	if err != nil {
		return AppendError(dst, d.Path(err))
	}
	if dst = append(dst, `{"ok":true,"result":`...); res == nil {
		dst = append(dst, delegated()...)
	} else {
		dst = appendValue(dst, reflect.ValueOf(res).Elem(), cachedPlan(&m.resPlan, m.Result))
	}
	return append(dst, '}')
}

// Unknown is the error for a method name no method has.
func Unknown(name string) error {
	return errs.New(errs.UnknownMethod, "method", "unknown method %q; the methods are listed in docs/methods.md (or call the method \"methods\")", clip(name))
}
