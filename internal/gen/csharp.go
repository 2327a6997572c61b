package main

import (
	"strings"

	"github.com/couponkit/couponkit/core/errs"
)

// csharp writes bindings/csharp/CouponKit.Generated.cs: a class per schema
// type with its JSON reader (and, for request types, writer) over the
// JsonReader and JsonWriter of CouponKit.cs, and the typed calls: Api.X for
// every method, Session.X for those that take a session, with overloads
// taking the params (and stamp) or the reply body alone. C# 5.
func csharp(m *Model) []byte {
	var w writer
	w.f("// %s\n", header)
	w.f("using System.Collections.Generic;\n\nnamespace CouponKit\n{\n")
	w.f("    /// <summary>The closed set of error codes the library reports (CouponKitException.Code).</summary>\n    public static class ErrorCodes\n    {\n")
	for _, k := range errs.Kinds {
		csDoc(&w, "        ", errDoc[k])
		w.f("        public const string %s = %q;\n", pascal(strings.ToLower(string(k))), k)
	}
	w.f("    }\n\n")
	for _, t := range m.Types {
		csClass(&w, t)
	}
	w.f("    /// <summary>Every method, typed.</summary>\n    public static partial class Api\n    {\n")
	for i, meth := range m.Methods {
		if i > 0 {
			w.f("\n")
		}
		req, res := meth.Request.Name, meth.Result.Name
		csDoc(&w, "        ", meth.Doc)
		w.f("        public static %s %s(%s request)\n        {\n            return Invoke<%s, %s>(%q, request);\n        }\n", res, meth.Binding, req, req, res, meth.Name)
		if len(meth.Request.Fields) == 0 {
			w.f("\n        /// <summary>As %s(request), with no members.</summary>\n", meth.Binding)
			w.f("        public static %s %s()\n        {\n            return %s(new %s());\n        }\n", res, meth.Binding, meth.Binding, req)
		}
		if len(meth.Request.Fields) == 1 && meth.Request.field("body") != nil {
			w.f("\n        /// <summary>As %s(request) with the reply body.</summary>\n", meth.Binding)
			w.f("        public static %s %s(string body)\n        {\n            return %s(new %s { Body = body });\n        }\n", res, meth.Binding, meth.Binding, req)
		}
	}
	w.f("    }\n\n    /// <summary>The methods that take a session, typed.</summary>\n    public sealed partial class Session\n    {\n")
	first := true
	for _, meth := range m.Methods {
		rt := meth.Request
		if !rt.Sessioned() || strings.HasPrefix(meth.Name, "session.") {
			continue
		}
		if !first {
			w.f("\n")
		}
		first = false
		req, res, b := rt.Name, meth.Result.Name, meth.Binding
		w.f("        /// <summary>%s with this session (sets request.Session).</summary>\n", xml(meth.Name))
		w.f("        public %s %s(%s request)\n        {\n            request.Session = Id;\n            return Api.%s(request);\n        }\n", res, b, req, b)
		if p := rt.field("params"); p != nil && p.Kind == Object && p.Lists == 0 {
			stamp, args, set := "", "", ""
			if rt.field("timestamp") != nil {
				stamp, args, set = ", string timestamp", ", null", ", Timestamp = timestamp"
				if rt.field("nonce") != nil {
					stamp, args, set = stamp+", string nonce", args+", null", set+", Nonce = nonce"
				}
			}
			if stamp != "" {
				w.f("\n        /// <summary>%s with these params (stamp: null for now).</summary>\n", xml(meth.Name))
				w.f("        public %s %s(%s p%s)\n        {\n            return %s(new %s { Params = p%s });\n        }\n", res, b, p.Struct.Name, stamp, b, req, set)
			}
			w.f("\n        /// <summary>%s with these params.</summary>\n", xml(meth.Name))
			w.f("        public %s %s(%s p)\n        {\n            return %s(new %s { Params = p });\n        }\n", res, b, p.Struct.Name, b, req)
		}
		if rt.field("body") != nil && len(rt.Fields)-len(authFields(rt)) == 1 {
			w.f("\n        /// <summary>%s of the reply body.</summary>\n", xml(meth.Name))
			w.f("        public %s %s(string body)\n        {\n            return %s(new %s { Body = body });\n        }\n", res, b, b, req)
		}
	}
	w.f("    }\n}\n")
	return w.Bytes()
}

// authFields are t's members that name credentials (session, zvcms, allinpay).
func authFields(t *Type) []*Field {
	var out []*Field
	for _, f := range t.Fields {
		if f.JSON == "session" || f.JSON == "zvcms" || f.JSON == "allinpay" {
			out = append(out, f)
		}
	}
	return out
}

func csClass(w *writer, t *Type) {
	iface := "IJsonObject"
	if t.Request {
		iface = "IJsonRequest"
	}
	csDoc(w, "    ", t.Doc)
	w.f("    public sealed class %s : %s\n    {\n", t.Name, iface)
	for _, f := range t.Fields {
		typ := csType(f, t.Request)
		if f.Kind == Pair {
			csDoc(w, "        ", f.Doc+" (fen)")
			w.f("        public %s %sFen { get; set; }\n", typ, pascal(f.JSON))
			csDoc(w, "        ", f.Doc+" (yuan)")
			w.f("        public %s %sYuan { get; set; }\n", typ, pascal(f.JSON))
			continue
		}
		csDoc(w, "        ", f.Doc)
		w.f("        public %s %s { get; set; }\n", typ, pascal(f.JSON))
	}
	w.f("\n        void IJsonObject.ReadJson(JsonReader r)\n        {\n")
	if len(t.Fields) == 0 {
		w.f("            r.Skip();\n        }\n")
	} else {
		w.f("            string n;\n            r.BeginObject();\n            while (r.NextMember(out n))\n                switch (n)\n                {\n")
		for _, f := range t.Fields {
			if f.Kind == Pair {
				for _, unit := range []string{"Fen", "Yuan"} {
					w.f("                    case %q: %s%s = %s; break;\n", f.JSON+unit, pascal(f.JSON), unit, csRead(f, t.Request, true))
				}
				continue
			}
			w.f("                    case %q:", f.JSON)
			if f.Alias != "" {
				w.f(" case %q:", f.Alias)
			}
			w.f(" %s = %s; break;\n", pascal(f.JSON), csRead(f, t.Request, false))
		}
		w.f("                    default: r.Skip(); break;\n                }\n        }\n")
	}
	if t.Request {
		w.f("\n        void IJsonRequest.WriteJson(JsonWriter w)\n        {\n            w.Begin();\n")
		for _, f := range t.Fields {
			p := pascal(f.JSON)
			switch {
			case f.Kind == Object && f.Lists > 0:
				w.f("            w.Objects(%q, %s);\n", f.JSON, p)
			case f.Kind == Object:
				w.f("            w.Object(%q, %s);\n", f.JSON, p)
			case f.Kind == Bool:
				w.f("            w.Bool(%q, %s);\n", f.JSON, p)
			case f.Kind == RawObject:
				w.f("            w.Raw(%q, %s);\n", f.JSON, p)
			case f.Kind == Headers:
				w.f("            w.Headers(%q, %s);\n", f.JSON, p)
			case f.Lists > 0:
				w.f("            w.Strings(%q, %s);\n", f.JSON, p)
			default:
				w.f("            w.String(%q, %s);\n", f.JSON, p)
			}
		}
		w.f("            w.End();\n        }\n")
	}
	w.f("    }\n\n")
}

// csType is a member's C# type: request members are text (ints too, as the
// surface reads them) in List<T>; result members keep their JSON type in
// arrays.
func csType(f *Field, request bool) string {
	var t string
	switch f.Kind {
	case Object:
		t = f.Struct.Name
	case Bool:
		t = "bool"
	case Int:
		t = "int"
	case Int64:
		t = "long"
	case Headers, HeaderValues:
		t = "Header"
		if f.Lists == 0 {
			f.Lists = 1
			defer func() { f.Lists = 0 }()
		}
	default:
		t = "string"
	}
	if request && (f.Kind == Int || f.Kind == Int64) {
		t = "string"
	}
	for i := 0; i < f.Lists; i++ {
		if request {
			t = "List<" + t + ">"
		} else {
			t += "[]"
		}
	}
	return t
}

// csRead is the expression reading one member (one of a pair's two).
func csRead(f *Field, request, pair bool) string {
	var one, elem string
	switch {
	case f.Kind == Headers || f.Kind == HeaderValues:
		if request {
			return "new List<Header>(r.ReadHeaders())"
		}
		return "r.ReadHeaders()"
	case f.Kind == Object:
		one, elem = "r.ReadObject<"+f.Struct.Name+">", f.Struct.Name
	case f.Kind == Bool:
		one, elem = "r.ReadBool", "bool"
	case f.Kind == Int && !request:
		one, elem = "r.ReadInt", "int"
	case f.Kind == Int64 && !request:
		one, elem = "r.ReadLong", "long"
	case f.Kind == RawObject || f.Kind == RawJSON:
		one, elem = "r.ReadRaw", "string"
	default:
		one, elem = "r.ReadString", "string"
	}
	switch {
	case f.Lists == 0:
		return one + "()"
	case f.Lists == 1 && request:
		return "new List<" + elem + ">(r.ReadArray<" + elem + ">(" + one + "))"
	case f.Lists == 1:
		return "r.ReadArray<" + elem + ">(" + one + ")"
	case f.Lists == 2 && !request:
		return "r.ReadArray<" + elem + "[]>(() => r.ReadArray<" + elem + ">(" + one + "))"
	}
	panic("gen: no C# reader for " + f.JSON)
}

func csDoc(w *writer, indent, doc string) {
	w.wrap(indent+"/// ", "<summary>"+xml(oneLine(doc))+"</summary>", 120)
}

func xml(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
