package main

import (
	"strings"

	"github.com/couponkit/couponkit/core/errs"
)

// delphi writes bindings/delphi/CouponKitGen.inc, which CouponKit.pas
// includes once per section (CK_GEN_CONSTS: the error codes; CK_GEN_TYPES: the records and
// their array types; CK_GEN_SESSION: TCouponKitSession's typed methods;
// CK_GEN_FUNCS: the typed calls, readers and writers; CK_GEN_IMPL: their
// implementation). Delphi 7 and Free Pascal (Delphi mode): records without
// methods, no generics; every text member is TCkText (CouponKit.pas:
// WideString in Delphi 7, string in 2009+), so that a reply's text reaches
// the program whole whatever its ANSI code page, and a request carries any
// text.
func delphi(m *Model) map[string][]byte {
	var w writer
	w.f("{ %s\n  Sections for CouponKit.pas: CK_GEN_CONSTS, CK_GEN_TYPES, CK_GEN_SESSION, CK_GEN_FUNCS, CK_GEN_IMPL. }\n", header)
	arrays := m.delphiArrays()

	w.f("\n{$IFDEF CK_GEN_CONSTS}\n  { The closed set of error codes (ECouponKitError.Code). }\n")
	for _, k := range errs.Kinds {
		w.f("  ck%s = '%s'; { %s }\n", pascal(strings.ToLower(string(k))), k, dlComment(errDoc[k]))
	}
	w.f("{$ENDIF}\n\n{$IFDEF CK_GEN_TYPES}\n")
	w.f("  { A list of texts (ids, codes, amounts). }\n  TCkStrings = array of TCkText;\n")
	w.f("  { One HTTP header field; lists of them keep the order and may repeat a name. }\n")
	w.f("  TCkHeader = record\n    Name, Value: TCkText;\n  end;\n  TCkHeaders = array of TCkHeader;\n\n")
	for _, t := range m.Types {
		dlDoc(&w, "  ", t.Doc)
		w.f("  TCk%s = record\n", t.Name)
		for _, f := range t.Fields {
			if f.Kind == Pair {
				w.f("    %sFen, %sYuan: %s; { %s }\n", dlName(f.JSON), dlName(f.JSON), dlType(f, t.Request), dlComment(f.Doc))
				continue
			}
			w.f("    %s: %s; { %s }\n", dlName(f.JSON), dlType(f, t.Request), dlComment(f.Doc))
		}
		if len(t.Fields) == 0 {
			w.f("    Unused: Integer; { no members }\n")
		}
		w.f("  end;\n")
		for d := 1; d <= arrays[t.Name]; d++ {
			w.f("  TCk%s%s = array of TCk%s%s;\n", t.Name, strings.Repeat("Array", d), t.Name, strings.Repeat("Array", d-1))
		}
		w.f("\n")
	}
	w.f("{$ENDIF}\n\n{$IFDEF CK_GEN_SESSION}\n")
	for _, meth := range m.Methods {
		for _, sig := range dlSessionSigs(meth) {
			w.f("    function %s; overload;\n", sig.decl)
		}
	}
	w.f("{$ENDIF}\n\n{$IFDEF CK_GEN_FUNCS}\n")
	for _, meth := range m.Methods {
		dlDoc(&w, "", meth.Doc)
		for _, sig := range dlFuncSigs(meth) {
			w.f("function %s; overload;\n", sig.decl)
		}
	}
	w.f("\n{ Readers of the results' JSON (nil gives the zero record) and writers of the requests' ('' for none). }\n")
	w.f("function CkReadStrings(J: TCkJson): TCkStrings;\nfunction CkWriteStrings(const V: TCkStrings): TCkWide;\n")
	w.f("function CkReadHeaders(J: TCkJson): TCkHeaders;\nfunction CkWriteHeaders(const V: TCkHeaders): TCkWide;\n")
	for _, t := range m.Types {
		if t.Result {
			w.f("function CkRead%s(J: TCkJson): TCk%s;\n", t.Name, t.Name)
		}
		if t.Request {
			w.f("function CkWrite%s(const V: TCk%s): TCkWide;\n", t.Name, t.Name)
		}
		for d := 1; d <= arrays[t.Name]; d++ {
			a := t.Name + strings.Repeat("Array", d)
			if t.Result {
				w.f("function CkRead%s(J: TCkJson): TCk%s;\n", a, a)
			}
			if t.Request && d == 1 {
				w.f("function CkWrite%s(const V: TCk%s): TCkWide;\n", a, a)
			}
		}
	}
	w.f("{$ENDIF}\n\n{$IFDEF CK_GEN_IMPL}\n%s", dlKindCodecs)
	for _, t := range m.Types {
		if t.Result {
			dlReader(&w, t)
		}
		if t.Request {
			dlWriter(&w, t)
		}
		for d := 1; d <= arrays[t.Name]; d++ {
			a, e := t.Name+strings.Repeat("Array", d), t.Name+strings.Repeat("Array", d-1)
			if t.Result {
				w.f("\nfunction CkRead%s(J: TCkJson): TCk%s;\nvar\n  I: Integer;\nbegin\n  Result := nil;\n", a, a)
				w.f("  if (J = nil) or (J.Kind <> jkArray) then Exit;\n  SetLength(Result, J.Count);\n")
				w.f("  for I := 0 to J.Count - 1 do Result[I] := CkRead%s(J[I]);\nend;\n", e)
			}
			if t.Request && d == 1 {
				w.f("\nfunction CkWrite%s(const V: TCk%s): TCkWide;\nvar\n  I: Integer;\n  P: array of TCkWide;\nbegin\n", a, a)
				w.f("  SetLength(P, Length(V));\n  for I := 0 to High(V) do P[I] := CkWrite%s(V[I]);\n", e)
				w.f("  Result := CkJoin(P, '[', ']');\nend;\n")
			}
		}
	}
	for _, meth := range m.Methods {
		for _, sig := range dlFuncSigs(meth) {
			w.f("\nfunction %s;\n%s", sig.impl, sig.body)
		}
		for _, sig := range dlSessionSigs(meth) {
			w.f("\nfunction TCouponKitSession.%s;\n%s", sig.impl, sig.body)
		}
	}
	w.f("{$ENDIF}\n")
	return map[string][]byte{"CouponKitGen.inc": w.Bytes()}
}

// delphiArrays returns, per type, the deepest list of it any member has.
func (m *Model) delphiArrays() map[string]int {
	out := map[string]int{}
	for _, t := range m.Types {
		for _, f := range t.Fields {
			if f.Kind == Object && f.Lists > out[f.Struct.Name] {
				out[f.Struct.Name] = f.Lists
			}
		}
	}
	return out
}

type dlSig struct{ decl, impl, body string }

// dlFuncSigs are the typed calls of a method: CkX(const R: request), and
// CkX(const Body: TCkText) for a request of a body alone.
func dlFuncSigs(meth *Method) []dlSig {
	req, res, name := "TCk"+meth.Request.Name, "TCk"+meth.Result.Name, "Ck"+meth.Binding
	call := "var\n  J: TCkJson;\nbegin\n  J := CkInvokeJson('" + meth.Name + "', CkWrite" + meth.Request.Name + "(R));\n" +
		"  try\n    Result := CkRead" + meth.Result.Name + "(J);\n  finally\n    J.Free;\n  end;\nend;\n"
	out := []dlSig{{name + "(const R: " + req + "): " + res, name + "(const R: " + req + "): " + res, call}}
	if len(meth.Request.Fields) == 1 && meth.Request.field("body") != nil {
		out = append(out, dlSig{name + "(const Body: TCkText): " + res, name + "(const Body: TCkText): " + res,
			"var\n  R: " + req + ";\nbegin\n  R.Body := Body;\n  Result := " + name + "(R);\nend;\n"})
	}
	return out
}

// dlSessionSigs are TCouponKitSession's methods for a method taking a
// session: with the request, with the params (and stamp), with a body.
func dlSessionSigs(meth *Method) []dlSig {
	rt := meth.Request
	if !rt.Sessioned() || strings.HasPrefix(meth.Name, "session.") {
		return nil
	}
	req, res, b := "TCk"+rt.Name, "TCk"+meth.Result.Name, meth.Binding
	zero := "var\n  Q: " + req + ";\nbegin\n  FillChar(Q, SizeOf(Q), 0);\n"
	out := []dlSig{{b + "(const R: " + req + "): " + res, b + "(const R: " + req + "): " + res,
		"var\n  Q: " + req + ";\nbegin\n  Q := R;\n  Q.Session := FId;\n  Result := Ck" + b + "(Q);\nend;\n"}}
	if p := rt.field("params"); p != nil && p.Kind == Object && p.Lists == 0 {
		params, impl, set := "const P: TCk"+p.Struct.Name, "const P: TCk"+p.Struct.Name, ""
		if rt.field("timestamp") != nil {
			params, impl, set = params+"; const Timestamp: string = ''", impl+"; const Timestamp: string", "  Q.Timestamp := Timestamp;\n"
			if rt.field("nonce") != nil {
				params, impl, set = params+"; const Nonce: string = ''", impl+"; const Nonce: string", set+"  Q.Nonce := Nonce;\n"
			}
		}
		out = append(out, dlSig{b + "(" + params + "): " + res, b + "(" + impl + "): " + res,
			zero + "  Q.Params := P;\n" + set + "  Result := " + b + "(Q);\nend;\n"})
	}
	if rt.field("body") != nil && len(rt.Fields)-len(authFields(rt)) == 1 {
		out = append(out, dlSig{b + "(const Body: TCkText): " + res, b + "(const Body: TCkText): " + res,
			zero + "  Q.Body := Body;\n  Result := " + b + "(Q);\nend;\n"})
	}
	return out
}

func dlReader(w *writer, t *Type) {
	w.f("\nfunction CkRead%s(J: TCkJson): TCk%s;\nbegin\n", t.Name, t.Name)
	if len(t.Fields) == 0 {
		w.f("  Result.Unused := 0;\nend;\n")
		return
	}
	for _, f := range t.Fields {
		n := dlName(f.JSON)
		if f.Kind == Pair {
			for _, unit := range []string{"Fen", "Yuan"} {
				w.f("  Result.%s%s := %s;\n", n, unit, dlRead(f, f.JSON+unit, t.Request))
			}
			continue
		}
		w.f("  Result.%s := %s;\n", n, dlRead(f, f.JSON, t.Request))
	}
	w.f("end;\n")
}

// dlRead is the expression reading member name of J (nil-safe): text whole
// (CkText), numbers and booleans from their literal (CkString).
func dlRead(f *Field, name string, request bool) string {
	j := "CkMember(J, '" + name + "')"
	if f.Alias != "" {
		j = "CkMember(J, '" + name + "', '" + f.Alias + "')"
	}
	switch {
	case f.Kind == Object:
		return "CkRead" + f.Struct.Name + strings.Repeat("Array", f.Lists) + "(" + j + ")"
	case f.Kind == Headers || f.Kind == HeaderValues:
		return "CkReadHeaders(" + j + ")"
	case f.Lists > 0:
		return "CkReadStrings(" + j + ")"
	case f.Kind == Bool:
		return "CkString(" + j + ") = 'true'"
	case (f.Kind == Int || f.Kind == Int64) && !request:
		if f.Kind == Int {
			return "StrToIntDef(CkString(" + j + "), 0)"
		}
		return "StrToInt64Def(CkString(" + j + "), 0)"
	case f.Kind == RawObject || f.Kind == RawJSON:
		return "CkJsonText(" + j + ")"
	}
	return "CkText(" + j + ")"
}

func dlWriter(w *writer, t *Type) {
	w.f("\nfunction CkWrite%s(const V: TCk%s): TCkWide;\nbegin\n  Result := CkObject([", t.Name, t.Name)
	for i, f := range t.Fields {
		if i > 0 {
			w.f(",\n    ")
		}
		n := "V." + dlName(f.JSON)
		switch {
		case f.Kind == Object && f.Lists > 0:
			w.f("CkPairRaw('%s', CkWrite%sArray(%s))", f.JSON, f.Struct.Name, n)
		case f.Kind == Object && f.Optional:
			w.f("CkPairRaw('%s', CkNonEmpty(CkWrite%s(%s)))", f.JSON, f.Struct.Name, n)
		case f.Kind == Object:
			w.f("CkPairRaw('%s', CkWrite%s(%s))", f.JSON, f.Struct.Name, n)
		case f.Kind == Headers:
			w.f("CkPairRaw('%s', CkWriteHeaders(%s))", f.JSON, n)
		case f.Lists > 0:
			w.f("CkPairRaw('%s', CkWriteStrings(%s))", f.JSON, n)
		case f.Kind == Bool:
			w.f("CkPairBool('%s', %s)", f.JSON, n)
		case f.Kind == RawObject:
			w.f("CkPairRaw('%s', %s)", f.JSON, n)
		default:
			w.f("CkPair('%s', %s)", f.JSON, n)
		}
	}
	if len(t.Fields) == 0 {
		w.f("''")
	}
	w.f("]);\nend;\n")
}

func dlType(f *Field, request bool) string {
	var t string
	switch f.Kind {
	case Object:
		return "TCk" + f.Struct.Name + strings.Repeat("Array", f.Lists)
	case Headers, HeaderValues:
		return "TCkHeaders"
	case Bool:
		t = "Boolean"
	case Int:
		t = "Integer"
	case Int64:
		t = "Int64"
	default:
		t = "TCkText"
	}
	if request && (f.Kind == Int || f.Kind == Int64) {
		t = "TCkText"
	}
	if f.Lists > 0 {
		return "TCkStrings"
	}
	return t
}

// dlReserved are the words Delphi and Free Pascal reserve (a member of that
// name gets a trailing underscore: type → Type_).
var dlReserved = map[string]bool{"and": true, "array": true, "as": true, "asm": true, "begin": true, "case": true, "class": true,
	"const": true, "constructor": true, "destructor": true, "div": true, "do": true, "downto": true, "else": true, "end": true,
	"except": true, "exports": true, "file": true, "finalization": true, "finally": true, "for": true, "function": true,
	"goto": true, "if": true, "implementation": true, "in": true, "inherited": true, "initialization": true, "inline": true,
	"interface": true, "is": true, "label": true, "library": true, "mod": true, "nil": true, "not": true, "object": true,
	"of": true, "operator": true, "or": true, "out": true, "packed": true, "procedure": true, "program": true, "property": true,
	"raise": true, "record": true, "repeat": true, "set": true, "shl": true, "shr": true, "string": true, "then": true,
	"to": true, "try": true, "type": true, "unit": true, "until": true, "uses": true, "var": true, "while": true, "with": true, "xor": true}

func dlName(json string) string {
	if dlReserved[strings.ToLower(json)] {
		return pascal(json) + "_"
	}
	return pascal(json)
}

func dlDoc(w *writer, indent, doc string) {
	w.block(indent+"{ ", indent+"  ", dlComment(doc), " }", 110)
}

// dlComment keeps text inside a { } comment.
func dlComment(s string) string {
	return strings.NewReplacer("{", "(", "}", ")").Replace(oneLine(s))
}

// dlKindCodecs read and write the list and header kinds.
const dlKindCodecs = `
function CkReadStrings(J: TCkJson): TCkStrings;
var
  I: Integer;
begin
  Result := nil;
  if (J = nil) or (J.Kind <> jkArray) then Exit;
  SetLength(Result, J.Count);
  for I := 0 to J.Count - 1 do Result[I] := CkText(J[I]);
end;

function CkWriteStrings(const V: TCkStrings): TCkWide;
var
  I: Integer;
  P: array of TCkWide;
begin
  SetLength(P, Length(V));
  for I := 0 to High(V) do P[I] := CkJsonString(V[I]);
  Result := CkJoin(P, '[', ']');
end;

function CkReadHeaders(J: TCkJson): TCkHeaders;
var
  I, K, N: Integer;
  V: TCkJson;
begin
  Result := nil;
  if (J = nil) or (J.Kind <> jkObject) then Exit;
  N := 0;
  for I := 0 to J.Count - 1 do Inc(N, J[I].Count + Ord(J[I].Kind <> jkArray));
  SetLength(Result, N); { once: a server chooses how many headers it sends }
  N := 0;
  for I := 0 to J.Count - 1 do
  begin
    V := J[I];
    for K := 0 to V.Count - 1 + Ord(V.Kind <> jkArray) do
    begin
      Result[N].Name := J.Names[I];
      if V.Kind = jkArray then Result[N].Value := CkText(V[K]) else Result[N].Value := CkText(V);
      Inc(N);
    end;
  end;
end;

function CkWriteHeaders(const V: TCkHeaders): TCkWide;
var
  I, J, N: Integer;
  Names, Values: array of TCkWide;
begin
  SetLength(Names, Length(V));
  for I := 0 to High(V) do
  begin
    J := 0;
    while (J < I) and (V[J].Name <> V[I].Name) do Inc(J);
    if J < I then Continue; { written with its first value }
    SetLength(Values, Length(V) - I);
    N := 0;
    for J := I to High(V) do
      if V[J].Name = V[I].Name then begin Values[N] := CkJsonString(V[J].Value); Inc(N); end;
    SetLength(Values, N);
    Names[I] := CkJsonString(V[I].Name) + ':' + CkJoin(Values, '[', ']');
  end;
  Result := CkJoin(Names, '{', '}');
end;
`
