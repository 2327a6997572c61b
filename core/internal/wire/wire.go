// Package wire reads JSON requests into Go structs and writes Go structs as
// JSON replies: the one decoder and the one encoder of couponkit's method
// surface (core/invoke). A type's shape is read once by reflection into a
// plan that every later call reuses.
//
// Struct fields travel under their json tag name; a field without one (or
// tagged "-") does not travel, and an embedded struct's fields travel as the
// outer struct's own. The ck tag adds:
//
//	required    absent, null and "" are INVALID_ARGUMENT "<name> is required"
//	alias=old   the member may also be written as old (a name kept for one release)
//	lenient     "" and [] read as an absent object or array (the vendors' PHP forms)
//	max=N       at most N array elements (default MaxElements; TOO_LARGE beyond)
//	domain=X    the domain package reports this member as X (see Request.Field)
//
// Decoding is strict: an unknown or repeated member is INVALID_ARGUMENT
// naming it, with the path as the caller wrote it ("params.items[2].price").
// Numbers are read from their raw text, never through float64: a string
// field takes a JSON string or the text of a JSON number, an int field a JSON
// number or a string of digits, a bool field true, false, "true" or "false".
// Types with their own form implement Scalar or Decoder (on the pointer).
//
// Encoding writes every member in field order; ",omitempty" leaves out a nil
// pointer, an empty slice or "". A nil slice is [], a nil pointer null. Types
// with their own form implement Appender (on the pointer); a money.Fen
// writes a pair of members (see Fen).
package wire

import (
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
	"github.com/tidwall/gjson"
)

// MaxElements bounds the elements of every request array that sets no max.
const MaxElements = 10000

// Scalar is implemented (on the pointer) by types carried as JSON text: a
// string, or the raw text of a number. SetText is not called for an absent,
// null or empty value. An error's Field is relative to the member ("" for
// the member itself).
type Scalar interface{ SetText(s string) error }

// Decoder is implemented (on the pointer) by types with their own JSON form.
// DecodeJSON is not called for an absent or null value. An error's Field is
// relative to the member.
type Decoder interface{ DecodeJSON(v gjson.Result) error }

// Appender is implemented (on the pointer) by types written in their own
// JSON form.
type Appender interface{ AppendJSON(b []byte) []byte }

type kind uint8

const (
	kString kind = iota
	kBool
	kInt
	kStruct
	kPtr
	kSlice
	kScalar
	kDecoder
	kAppender // encoded only
	kMoney
)

// plan is how one Go type travels.
type plan struct {
	kind     kind
	typ      reflect.Type
	elem     *plan   // kPtr, kSlice
	fields   []field // kStruct
	allowed  string  // kStruct: the member names, for messages
	bits     int     // kInt: the integer's size
	appender bool    // the pointer implements Appender
}

// field is one member of a struct plan.
type field struct {
	name, alias, domain string
	key                 string // the member's name as JSON and ':', written as is
	index               []int
	plan                *plan
	required, lenient   bool
	omitempty           bool
	max                 int
}

// Field describes one member of a struct type for generators.
type Field struct {
	// Name is the JSON name; Alias an old name also accepted ("" for none).
	Name, Alias string
	// GoName is the struct field's name (the outer one for embedded fields'
	// members: see Index).
	GoName string
	// Index is the reflect index path of the field.
	Index []int
	// Type is the field's Go type.
	Type reflect.Type
	// Required, OmitEmpty: the ck "required" and json ",omitempty" options.
	Required, OmitEmpty bool
}

// Fields returns the members of struct type t in order (embedded structs'
// members in place).
func Fields(t reflect.Type) []Field {
	p := planOf(t)
	out := make([]Field, len(p.fields))
	for i, f := range p.fields {
		sf := t.FieldByIndex(f.index)
		out[i] = Field{Name: f.name, Alias: f.alias, GoName: sf.Name, Index: f.index, Type: sf.Type,
			Required: f.required, OmitEmpty: f.omitempty}
	}
	return out
}

var (
	plansMu sync.Mutex
	plans   sync.Map // reflect.Type → *plan
)

var (
	scalarType   = reflect.TypeOf((*Scalar)(nil)).Elem()
	decoderType  = reflect.TypeOf((*Decoder)(nil)).Elem()
	appenderType = reflect.TypeOf((*Appender)(nil)).Elem()
	moneyType    = reflect.TypeOf(money.Fen(0))
)

// planOf returns t's plan, building it (and its parts') on first use.
func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	return build(t, map[reflect.Type]*plan{})
}

func build(t reflect.Type, building map[reflect.Type]*plan) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p := building[t]; p != nil {
		return p
	}
	p := &plan{typ: t, appender: reflect.PointerTo(t).Implements(appenderType)}
	building[t] = p
	pt := reflect.PointerTo(t)
	switch {
	case t == moneyType:
		p.kind = kMoney
	case pt.Implements(decoderType):
		p.kind = kDecoder
	case pt.Implements(scalarType):
		p.kind = kScalar
	case p.appender:
		p.kind = kAppender
	case t.Kind() == reflect.String:
		p.kind = kString
	case t.Kind() == reflect.Bool:
		p.kind = kBool
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		p.kind, p.bits = kInt, 32
		if t.Kind() == reflect.Int64 {
			p.bits = 64
		}
	case t.Kind() == reflect.Ptr:
		p.kind, p.elem = kPtr, build(t.Elem(), building)
	case t.Kind() == reflect.Slice:
		p.kind, p.elem = kSlice, build(t.Elem(), building)
	case t.Kind() == reflect.Struct:
		p.kind = kStruct
		p.fields = structFields(t, nil, building)
		if len(p.fields) > 64 {
			panic("wire: more than 64 members in " + t.String())
		}
		names := make([]string, len(p.fields))
		for i, f := range p.fields {
			names[i] = f.name
		}
		p.allowed = strings.Join(names, ", ")
	default:
		panic("wire: unsupported type " + t.String())
	}
	plans.Store(t, p)
	return p
}

// structFields lists t's travelling fields, embedded structs flattened.
func structFields(t reflect.Type, index []int, building map[reflect.Type]*plan) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			out = append(out, structFields(sf.Type, idx, building)...)
			continue
		}
		tag := sf.Tag.Get("json")
		name := strings.Split(tag, ",")[0]
		if name == "" || name == "-" {
			continue
		}
		f := field{name: name, key: string(jsontext.AppendString(nil, name)) + ":", domain: name, index: idx, plan: build(sf.Type, building), max: MaxElements,
			omitempty: strings.HasSuffix(tag, ",omitempty")}
		for _, opt := range strings.Split(sf.Tag.Get("ck"), ",") {
			k, v, _ := strings.Cut(opt, "=")
			switch k {
			case "required":
				f.required = true
			case "lenient":
				f.lenient = true
			case "alias":
				f.alias = v
			case "domain":
				f.domain = v
			case "max":
				f.max, _ = strconv.Atoi(v)
			case "":
			default:
				panic("wire: unknown ck option " + opt + " on " + t.String() + "." + sf.Name)
			}
		}
		out = append(out, f)
	}
	return out
}

// Request is a decoded request's plan and text, to name later errors'
// fields as the caller wrote them (Field).
type Request struct {
	plan  *plan
	root  gjson.Result
	steps []step // the path being decoded
	buf   [8]step
	deep  int // the most steps the path has had (of buf, the ones to clear)
}

// step is one step of a path: a member (name as written) or an element
// (index ≥ 0).
type step struct {
	name  string
	index int
}

// at returns the path being decoded, with member name added when not "".
func (r *Request) at(name string) string {
	var b strings.Builder
	for _, s := range r.steps {
		switch {
		case s.index >= 0:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case b.Len() > 0:
			b.WriteString("." + s.name)
		default:
			b.WriteString(s.name)
		}
	}
	if name != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(name)
	}
	return b.String()
}

func (r *Request) push(name string, index int) {
	if r.steps = append(r.steps, step{name, index}); len(r.steps) > r.deep {
		r.deep = len(r.steps)
	}
}
func (r *Request) pop() { r.steps = r.steps[:len(r.steps)-1] }

// Decode reads the JSON object v (a request root) into dst, a pointer to a
// struct.
func Decode(v gjson.Result, dst interface{}) (*Request, error) {
	r := &Request{}
	return r, r.Decode(v, dst)
}

// Decode is the function Decode into r (which may live on the caller's stack).
func (r *Request) Decode(v gjson.Result, dst interface{}) error {
	rv := reflect.ValueOf(dst).Elem()
	p := planOf(rv.Type())
	r.start(p, v)
	return r.object(v, rv, p)
}

// start readies r to decode the request root v by plan p. It writes only
// the fields a decode reads (not the whole of buf): a pooled r is cleared
// by release.
func (r *Request) start(p *plan, v gjson.Result) {
	r.plan, r.root, r.steps, r.deep = p, v, r.buf[:0], 0
}

// release drops r's references into the request's text (the root and the
// path steps used) for r to be pooled.
func (r *Request) release() {
	n := r.deep
	if n > len(r.buf) {
		n = len(r.buf)
	}
	for i := range r.buf[:n] {
		r.buf[i] = step{}
	}
	r.plan, r.root, r.steps, r.deep = nil, gjson.Result{}, nil, 0
}

// Own replaces every string in *v (a pointer to a decoded request or part
// of one) with a copy: Decode's strings point into the request's text, so a
// value kept past the call must own its own.
func Own(v interface{}) { own(reflect.ValueOf(v).Elem()) }

func own(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(strings.Clone(v.String()))
	case reflect.Ptr:
		if !v.IsNil() {
			own(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			own(v.Index(i))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				own(v.Field(i))
			}
		}
	}
}

// Value reads the JSON value v into dst, a pointer to any type the package
// carries; errors name paths relative to v ("[2].price").
func Value(v gjson.Result, dst interface{}) error {
	rv := reflect.ValueOf(dst).Elem()
	r := &Request{}
	r.steps = r.buf[:0]
	return r.value(v, rv, planOf(rv.Type()), MaxElements)
}

func (r *Request) object(v gjson.Result, dst reflect.Value, p *plan) error {
	if !v.IsObject() {
		return errs.Invalid(r.at(""), "must be a JSON object, got %s", KindName(v))
	}
	var seen, given uint64
	var err error
	v.ForEach(func(k, val gjson.Result) bool {
		name := k.Str
		i := lookup(p.fields, name)
		switch {
		case i < 0 && len(p.fields) == 0:
			err = errs.Invalid(r.at(name), "unknown field %q; this takes no fields", clip(name))
		case i < 0:
			err = errs.Invalid(r.at(name), "unknown field %q; allowed here: %s", clip(name), p.allowed)
		case seen&(1<<uint(i)) != 0:
			err = errs.Invalid(r.at(name), "field %q is given twice", clip(name))
		}
		if err != nil {
			return false
		}
		seen |= 1 << uint(i)
		f := &p.fields[i]
		if val.Type != gjson.Null {
			given |= 1 << uint(i)
		}
		r.push(name, -1)
		err = r.member(val, dst.FieldByIndex(f.index), f)
		r.pop()
		return err == nil
	})
	if err != nil {
		return err
	}
	for i := range p.fields {
		f := &p.fields[i]
		if !f.required {
			continue
		}
		if given&(1<<uint(i)) == 0 || (f.plan.kind == kString || f.plan.kind == kScalar) && dst.FieldByIndex(f.index).IsZero() {
			return errs.Invalid(r.at(f.name), "%s is required", f.name)
		}
	}
	return nil
}

// lookup returns the index of the field named (or aliased) name, or -1.
func lookup(fs []field, name string) int {
	for i := range fs {
		if fs[i].name == name || fs[i].alias == name && name != "" {
			return i
		}
	}
	return -1
}

// member reads one member's value.
func (r *Request) member(v gjson.Result, dst reflect.Value, f *field) error {
	if f.lenient && (v.Type == gjson.String && v.Str == "" || v.IsArray() && v.Raw == "[]") {
		return nil
	}
	return r.value(v, dst, f.plan, f.max)
}

func (r *Request) value(v gjson.Result, dst reflect.Value, p *plan, max int) error {
	if !v.Exists() || v.Type == gjson.Null {
		return nil
	}
	switch p.kind {
	case kString:
		s, err := Text(v)
		if err != nil {
			return errs.Prefix(r.at(""), err)
		}
		dst.SetString(s)
	case kBool:
		switch {
		case v.Type == gjson.True, v.Type == gjson.String && v.Str == "true":
			dst.SetBool(true)
		case v.Type == gjson.False, v.Type == gjson.String && v.Str == "false":
			dst.SetBool(false)
		default:
			return errs.Invalid(r.at(""), "must be true or false, got %s", KindName(v))
		}
	case kInt:
		s, err := Text(v)
		if err != nil {
			return errs.Prefix(r.at(""), err)
		}
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		n, err := strconv.ParseInt(s, 10, p.bits)
		if err != nil {
			return errs.Invalid(r.at(""), "%q is not a whole number", clip(s))
		}
		dst.SetInt(n)
	case kScalar:
		s, err := Text(v)
		if err == nil && s != "" {
			err = dst.Addr().Interface().(Scalar).SetText(s)
		}
		if err != nil {
			return errs.Prefix(r.at(""), err)
		}
	case kDecoder:
		if err := dst.Addr().Interface().(Decoder).DecodeJSON(v); err != nil {
			return errs.Prefix(r.at(""), err)
		}
	case kPtr:
		e := reflect.New(p.typ.Elem())
		if err := r.value(v, e.Elem(), p.elem, max); err != nil {
			return err
		}
		dst.Set(e)
	case kSlice:
		if !v.IsArray() {
			return errs.Invalid(r.at(""), "must be a JSON array, got %s", KindName(v))
		}
		n := 0
		v.ForEach(func(_, _ gjson.Result) bool { n++; return n <= max })
		if n > max {
			return errs.New(errs.TooLarge, r.at(""), "has more than %d elements", max)
		}
		dst.Set(reflect.MakeSlice(p.typ, n, n))
		n = 0
		var err error
		v.ForEach(func(_, e gjson.Result) bool {
			r.push("", n)
			err = r.value(e, dst.Index(n), p.elem, MaxElements)
			r.pop()
			n++
			return err == nil
		})
		return err
	case kStruct:
		return r.object(v, dst, p)
	default:
		panic("wire: cannot decode " + p.typ.String())
	}
	return nil
}

// Text returns a scalar's text: a JSON string's content or a number's raw
// text, "" for null; booleans, objects and arrays are INVALID_ARGUMENT.
func Text(v gjson.Result) (string, error) {
	switch v.Type {
	case gjson.Null:
		return "", nil
	case gjson.String:
		return v.Str, nil
	case gjson.Number:
		return v.Raw, nil
	}
	return "", errs.Invalid("", "must be a string (or a number), got %s", KindName(v))
}

// KindName names a JSON value's type for messages.
func KindName(v gjson.Result) string {
	switch {
	case !v.Exists():
		return "nothing"
	case v.Type == gjson.Null:
		return "null"
	case v.Type == gjson.False, v.Type == gjson.True:
		return "a boolean"
	case v.Type == gjson.Number:
		return "a number"
	case v.Type == gjson.String:
		return "a string"
	case v.IsArray():
		return "an array"
	}
	return "an object"
}

func clip(s string) string { return jsontext.Clip(s, 60) }

// Field returns the request path of a field that a domain package names
// ("Params.items[2].price", "lines[0].priorDiscount"): each member's domain
// name (its domain tag, or its JSON name) becomes the name the caller wrote
// (the JSON name or its alias). Steps past what the schema knows are kept;
// a path whose first step is not a member is returned as it is.
func (r *Request) Field(domain string) string {
	p, v := r.plan, r.root
	var out strings.Builder
	for rest := domain; rest != ""; {
		step := rest
		if j := strings.IndexAny(rest[1:], ".["); j >= 0 {
			step = rest[:j+1]
		}
		rest = rest[len(step):]
		// A path ending in "." names an empty member ("headers." is the
		// header named ""): keep the dot.
		emptyLast := rest == "."
		rest = strings.TrimPrefix(rest, ".")
		if step[0] == '[' {
			out.WriteString(step)
			p, v = deref(elemOf(p)), v.Get(strings.Trim(step, "[]"))
			continue
		}
		name := step
		if f := fieldOf(p, step); f != nil {
			name, p = f.name, deref(f.plan)
			if !v.Get(gjson.Escape(f.name)).Exists() && f.alias != "" && v.Get(gjson.Escape(f.alias)).Exists() {
				name = f.alias
			}
		} else if out.Len() == 0 {
			return domain
		} else {
			p = nil
		}
		if out.Len() > 0 {
			out.WriteByte('.')
		}
		out.WriteString(name)
		v = v.Get(gjson.Escape(name))
		if emptyLast {
			out.WriteByte('.')
		}
	}
	return out.String()
}

// fieldOf returns the member of struct plan p whose domain or JSON name is name.
func fieldOf(p *plan, name string) *field {
	for i := 0; p != nil && p.kind == kStruct && i < len(p.fields); i++ {
		if f := &p.fields[i]; f.domain == name || f.name == name {
			return f
		}
	}
	return nil
}

func elemOf(p *plan) *plan {
	if p != nil && p.kind == kSlice {
		return p.elem
	}
	return nil
}

// empty reports whether v is a nil pointer, an empty slice or "".
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Ptr:
		return v.IsNil()
	case reflect.Slice, reflect.String:
		return v.Len() == 0
	}
	return false
}

func deref(p *plan) *plan {
	if p != nil && p.kind == kPtr {
		return p.elem
	}
	return p
}

// Append appends src, a pointer to a struct, as a JSON object.
func Append(b []byte, src interface{}) []byte {
	v := reflect.ValueOf(src).Elem()
	return appendValue(b, v, planOf(v.Type()))
}

func appendValue(b []byte, v reflect.Value, p *plan) []byte {
	if p.appender {
		return v.Addr().Interface().(Appender).AppendJSON(b)
	}
	switch p.kind {
	case kString:
		return jsontext.AppendString(b, v.String())
	case kBool:
		return strconv.AppendBool(b, v.Bool())
	case kInt:
		return strconv.AppendInt(b, v.Int(), 10)
	case kPtr:
		if v.IsNil() {
			return append(b, "null"...)
		}
		return appendValue(b, v.Elem(), p.elem)
	case kSlice:
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, v.Index(i), p.elem)
		}
		return append(b, ']')
	case kStruct:
		b = append(b, '{')
		first := true
		for i := range p.fields {
			f := &p.fields[i]
			fv := v.FieldByIndex(f.index)
			if f.omitempty && empty(fv) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			if m := deref(f.plan); m.kind == kMoney || m.kind == kSlice && m.elem.kind == kMoney {
				b = appendPair(b, f.name, fv, m)
				continue
			}
			b = append(b, f.key...)
			if f.plan.kind == kString && !f.plan.appender {
				b = jsontext.AppendString(b, fv.String()) // the member's text, straight into b
				continue
			}
			b = appendValue(b, fv, f.plan)
		}
		return append(b, '}')
	}
	panic("wire: cannot encode " + p.typ.String())
}
