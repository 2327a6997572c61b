package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/money"
)

// Kind is how a member travels, as every emitter needs to know it.
type Kind int

const (
	Text         Kind = iota // a string (text, or a number sent as text)
	Int                      // a JSON number (int)
	Int64                    // a JSON number (int64)
	Bool                     // true or false
	Object                   // a struct of the schema
	Pair                     // money: two members, name+"Fen" and name+"Yuan"
	RawObject                // a JSON object kept as text (request)
	RawJSON                  // any JSON kept as text (result)
	Headers                  // {name: value or [values]} (request)
	HeaderValues             // {name: [values]} (result)
)

// Type is a struct type of the schema.
type Type struct {
	Name            string
	Go              reflect.Type
	Doc             string
	Fields          []*Field
	Request, Result bool // reachable from a request, from a result
}

// Field is one member.
type Field struct {
	JSON, Alias, GoName, Doc string
	Kind                     Kind
	Lists                    int    // 0 a value, 1 a list of values, 2 a list of lists
	Struct                   *Type  // Object's type
	GoType                   string // the Go type's name (ID, Decimal, …) for input types
	Optional                 bool   // a pointer: absent is nil
	Required, OmitEmpty      bool
}

// Method is one method of the schema.
type Method struct {
	Name, Doc       string
	Request, Result *Type
	Binding         string // the name of its typed call in C# and Delphi
}

// Model is the whole schema.
type Model struct {
	Methods []*Method
	Types   []*Type // in dependency order: a type after the types it uses
	byGo    map[reflect.Type]*Type
	docs    docs
}

var (
	moneyT   = reflect.TypeOf(money.Fen(0))
	textList = reflect.TypeOf(invoke.TextList{})
	keyList  = reflect.TypeOf(invoke.KeyList{})
	special  = map[reflect.Type]Kind{
		reflect.TypeOf(invoke.RawObject{}):    RawObject,
		reflect.TypeOf(invoke.RawJSON{}):      RawJSON,
		reflect.TypeOf(invoke.Headers{}):      Headers,
		reflect.TypeOf(invoke.HeaderValues{}): HeaderValues,
		textList:                              Text, // a list of text
		keyList:                               Text, // one key or a list of keys
		reflect.TypeOf(invoke.Fen{}):          Text,
		reflect.TypeOf(invoke.Bytes{}):        Text,
		reflect.TypeOf(invoke.AllinpayTime{}): Text,
	}
)

// load reads the schema: invoke.Schema for the methods and types, and the Go
// sources under root for the doc comments.
func load(root string) (*Model, error) {
	d, err := parseDocs(filepath.Join(root, "core", "invoke"), filepath.Join(root, "core", "internal", "wire"))
	if err != nil {
		return nil, err
	}
	m := &Model{byGo: map[reflect.Type]*Type{}, docs: d}
	for _, mi := range invoke.Schema() {
		meth := &Method{Name: mi.Name, Doc: oneLine(d.funcs[mi.Adapter])}
		if !strings.HasPrefix(meth.Doc, mi.Adapter+" ") {
			return nil, fmt.Errorf("method %s: its adapter %s has no doc comment saying what it does", mi.Name, mi.Adapter)
		}
		meth.Doc = strings.TrimPrefix(meth.Doc, mi.Adapter+" ")
		meth.Doc = strings.ToUpper(meth.Doc[:1]) + meth.Doc[1:]
		meth.Request = m.typeOf(mi.Request, true)
		meth.Result = m.typeOf(mi.Result, false)
		m.Methods = append(m.Methods, meth)
	}
	if err := m.bindingNames(); err != nil {
		return nil, err
	}
	for _, t := range m.Types {
		if t.Doc == "" {
			return nil, fmt.Errorf("type %s has no doc comment", t.Name)
		}
	}
	return m, nil
}

// typeOf returns the Type of struct t, reading it on first use.
func (m *Model) typeOf(t reflect.Type, request bool) *Type {
	if ty := m.byGo[t]; ty != nil {
		ty.mark(request)
		return ty
	}
	ty := &Type{Name: t.Name(), Go: t, Doc: m.docs.types[t.Name()]}
	m.byGo[t] = ty
	for _, wf := range invoke.Fields(t) {
		owner := t
		if len(wf.Index) > 1 {
			owner = t.FieldByIndex(wf.Index[:len(wf.Index)-1]).Type
		}
		f := &Field{JSON: wf.Name, Alias: wf.Alias, GoName: wf.GoName, Doc: m.docs.fields[owner.Name()+"."+wf.GoName],
			Required: wf.Required, OmitEmpty: wf.OmitEmpty}
		ft := wf.Type
		if ft.Kind() == reflect.Ptr {
			f.Optional, ft = true, ft.Elem()
		}
		for _, ok := special[ft]; ft.Kind() == reflect.Slice && !ok; _, ok = special[ft] {
			ft = ft.Elem()
			f.Lists++
		}
		f.GoType = ft.Name()
		switch k, ok := special[ft]; {
		case ok:
			f.Kind = k
			if ft == textList || ft == keyList {
				f.Lists++
			}
		case ft == moneyT:
			f.Kind = Pair
		case ft.Kind() == reflect.String:
			f.Kind = Text
		case ft.Kind() == reflect.Bool:
			f.Kind = Bool
		case ft.Kind() == reflect.Int:
			f.Kind = Int
		case ft.Kind() == reflect.Int64:
			f.Kind = Int64
		case ft.Kind() == reflect.Struct:
			f.Kind, f.Struct = Object, m.typeOf(ft, request)
		default:
			panic("gen: no binding type for " + ft.String())
		}
		if f.Doc == "" {
			panic("gen: " + owner.Name() + "." + wf.GoName + " has no doc comment")
		}
		ty.Fields = append(ty.Fields, f)
	}
	ty.mark(request)
	m.Types = append(m.Types, ty) // after the types of its fields
	return ty
}

func (t *Type) mark(request bool) {
	if request {
		t.Request = true
	} else {
		t.Result = true
	}
	for _, f := range t.Fields {
		if f.Struct != nil && (request && !f.Struct.Request || !request && !f.Struct.Result) {
			f.Struct.mark(request)
		}
	}
}

// bindingNames names each method's typed call: the method name without its
// namespace ("zvcms.verifyCoupons.request" VerifyCouponsRequest), a
// ".response" one as Parse…Response; the session and http namespaces are
// kept (SessionOpen, HttpSend), and so is any namespace where two would
// collide (ZvcmsRequest, AllinpayRequest).
func (m *Model) bindingNames() error {
	short := func(name string, keepNS bool) string {
		parts := strings.Split(name, ".")
		if len(parts) > 1 && !keepNS && parts[0] != "session" && parts[0] != "http" {
			parts = parts[1:]
		}
		if parts[len(parts)-1] == "response" {
			return "Parse" + pascal(strings.Join(parts[:len(parts)-1], ".")) + "Response"
		}
		return pascal(strings.Join(parts, "."))
	}
	count := map[string]int{}
	for _, meth := range m.Methods {
		count[short(meth.Name, false)]++
	}
	seen := map[string]bool{}
	for _, meth := range m.Methods {
		meth.Binding = short(meth.Name, count[short(meth.Name, false)] > 1)
		if seen[meth.Binding] {
			return fmt.Errorf("two methods are called %s in the bindings", meth.Binding)
		}
		seen[meth.Binding] = true
	}
	return nil
}

// pascal joins dotted parts in PascalCase ("verifyCoupons.request"
// VerifyCouponsRequest, "user_coupon_id" UserCouponId).
func pascal(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		switch {
		case r == '.' || r == '_':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(r)))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// camel is pascal with a lower-case first letter.
func camel(s string) string {
	p := pascal(s)
	return strings.ToLower(p[:1]) + p[1:]
}

// Sessioned reports whether t takes a session (its member "session").
func (t *Type) Sessioned() bool { return t.field("session") != nil }

func (t *Type) field(json string) *Field {
	for _, f := range t.Fields {
		if f.JSON == json {
			return f
		}
	}
	return nil
}

// docs are the doc comments of the schema's sources.
type docs struct {
	types, fields, funcs, consts map[string]string
	pkg                          string // the schema's top comment (schema_core.go)
}

func parseDocs(dirs ...string) (docs, error) {
	d := docs{types: map[string]string{}, fields: map[string]string{}, funcs: map[string]string{}, consts: map[string]string{}}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		sort.Strings(names)
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			if err != nil {
				return d, err
			}
			if filepath.Base(name) == "schema_core.go" && len(f.Comments) > 0 {
				d.pkg = f.Comments[0].Text()
			}
			for _, decl := range f.Decls {
				switch decl := decl.(type) {
				case *ast.FuncDecl:
					if decl.Recv == nil {
						d.funcs[decl.Name.Name] = decl.Doc.Text()
					}
				case *ast.GenDecl:
					for _, spec := range decl.Specs {
						switch spec := spec.(type) {
						case *ast.TypeSpec:
							doc := spec.Doc.Text()
							if doc == "" {
								doc = decl.Doc.Text()
							}
							d.types[spec.Name.Name] = doc
							if st, ok := spec.Type.(*ast.StructType); ok {
								for _, fl := range st.Fields.List {
									text := strings.TrimSpace(fl.Comment.Text() + " " + fl.Doc.Text())
									for _, n := range fl.Names {
										d.fields[spec.Name.Name+"."+n.Name] = text
									}
								}
							}
						case *ast.ValueSpec:
							for _, n := range spec.Names {
								d.consts[n.Name] = strings.TrimSpace(spec.Doc.Text() + spec.Comment.Text())
							}
						}
					}
				}
			}
		}
	}
	return d, nil
}

// sentence returns the first sentence of doc, on one line.
func sentence(doc string) string {
	doc = strings.Join(strings.Fields(doc), " ")
	if i := strings.Index(doc, ". "); i >= 0 {
		return doc[:i+1]
	}
	return doc
}

// oneLine returns doc on one line.
func oneLine(doc string) string { return strings.Join(strings.Fields(doc), " ") }
