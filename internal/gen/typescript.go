package main

import (
	"strings"

	"github.com/couponkit/couponkit/core/errs"
)

// typescript writes bindings/js/src/methods.d.ts: an interface per schema
// type and the Methods map of every method's request and result, so that
// an unknown method or member is a compile-time error.
func typescript(m *Model) []byte {
	var w writer
	w.f("// %s\n//\n", header)
	w.f("// Requests accept ids and money as strings, safe integers or BigInt (read\n")
	w.f("// from their text); results give them as strings. See docs/methods.md.\n\n")
	w.f("/** A decimal integer as text (\"390962138708451328\"), a safe number, or a BigInt. */\n")
	w.f("export type IdInput = string | number | bigint;\n")
	w.f("/** A decimal number as text (\"12.50\"), or a safe number. */\n")
	w.f("export type DecimalInput = string | number;\n")
	w.f("\n/** The closed set of error codes (CouponKitError.code). */\nexport type ErrorCode =\n")
	for i, k := range errs.Kinds {
		end := ""
		if i == len(errs.Kinds)-1 {
			end = ";"
		}
		w.block("  /** ", "   * ", oneLine(errDoc[k]), " */", 100)
		w.f("  | %q%s\n", k, end)
	}
	for _, t := range m.Types {
		w.f("\n")
		w.block("/** ", " * ", oneLine(t.Doc), " */", 100)
		if len(t.Fields) == 0 {
			w.f("export type %s = Record<string, never>;\n", t.Name)
			continue
		}
		w.f("export interface %s {\n", t.Name)
		for _, f := range t.Fields {
			w.block("  /** ", "   * ", oneLine(f.Doc), " */", 100)
			if !t.Request && f.Kind == Pair {
				list := strings.Repeat("[]", f.Lists)
				w.f("  %sFen: string%s;\n  %sYuan: string%s;\n", f.JSON, list, f.JSON, list)
				continue
			}
			opt := ""
			if t.Request && !f.Required || !t.Request && f.OmitEmpty {
				opt = "?"
			}
			w.f("  %s%s: %s;\n", tsName(f.JSON), opt, tsType(f, t.Request))
		}
		w.f("}\n")
	}
	w.f("\n/** Every method's request and result: invoke(method, request) is typed by it. */\nexport interface Methods {\n")
	for _, meth := range m.Methods {
		w.block("  /** ", "   * ", sentence(meth.Doc), " */", 100)
		w.f("  %q: { request: %s; result: %s };\n", meth.Name, meth.Request.Name, meth.Result.Name)
	}
	w.f("}\n\n/** A method name. */\nexport type MethodName = keyof Methods;\n")
	return w.Bytes()
}

func tsName(s string) string {
	if strings.ContainsAny(s, "-. ") {
		return `"` + s + `"`
	}
	return s
}

func tsType(f *Field, request bool) string {
	var t string
	switch f.Kind {
	case Text:
		t = "string"
		if request {
			switch f.GoType {
			case "ID", "Fen":
				t = "IdInput"
			case "Decimal", "AllinpayTime":
				t = "DecimalInput"
			}
		} else if f.Optional {
			t = "string | null"
		}
	case Int, Int64:
		t = "number"
		if request {
			t = "number | string"
		}
	case Bool:
		t = "boolean"
	case Object:
		t = f.Struct.Name
		if !request && f.Optional && !f.OmitEmpty {
			t += " | null"
		}
	case RawObject:
		t = "Record<string, unknown>"
	case RawJSON:
		t = "unknown"
	case Headers:
		t = "Record<string, string | string[]>"
	case HeaderValues:
		t = "Record<string, string[]>"
	}
	if f.GoType == "TextList" {
		return "(IdInput)[] | string"
	}
	if f.GoType == "KeyList" {
		return "string | string[]"
	}
	for i := 0; i < f.Lists; i++ {
		if strings.Contains(t, " ") {
			t = "(" + t + ")"
		}
		t += "[]"
	}
	return t
}
