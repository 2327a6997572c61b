package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/couponkit/couponkit/core/discount"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/money"
)

// example is one golden call (testdata/invoke-golden): a request and the
// reply the registry gave, checked by go test ./bindings/js/golden.
type example struct {
	Name, Method, Request, Reply string
}

// loadExamples reads the golden calls of the wasm module (cases.json) and
// of the sending methods (transport.json).
func loadExamples(root string) (map[string][]example, error) {
	out := map[string][]example{}
	for _, name := range []string{"cases.json", "transport.json"} {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "invoke-golden", name))
		if err != nil {
			return nil, err
		}
		var cases []example
		if err := json.Unmarshal(b, &cases); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		for _, c := range cases {
			out[c.Method] = append(out[c.Method], c)
		}
	}
	return out, nil
}

// markdown writes docs/methods.md, the method reference.
func markdown(m *Model, ex map[string][]example) []byte {
	var w writer
	w.f("<!-- %s -->\n\n# The JSON method surface: method reference\n\n", header)
	w.f("Every binding (C, C#, Delphi, JavaScript) calls the same registry,\n")
	w.f("`core/invoke`: a method name and a JSON request in, a JSON envelope out. In C\n")
	w.f("that is `ck_invoke(\"money.toFen\", \"{\\\"yuan\\\":\\\"12.5\\\"}\")`; in Go\n")
	w.f("`invoke.New(invoke.Options{}).Invoke(method, request)`. The C#, Delphi and\n")
	w.f("TypeScript types are generated from the same schema as this page.\n\n")
	w.f("- [Conventions](#conventions)\n- [Envelope and errors](#envelope-and-errors)\n- [Limits](#limits)\n- [Methods](#methods)\n- [Types](#types)\n\n")

	w.f("## Conventions\n\n")
	conv := m.docs.pkg
	if i := strings.Index(conv, "Conventions, decided once"); i >= 0 {
		conv = conv[i:]
	}
	if i := strings.Index(conv, "\nAdding a method"); i >= 0 {
		conv = conv[:i]
	}
	for _, line := range strings.Split(strings.TrimSpace(conv), "\n")[1:] {
		line = strings.TrimPrefix(line, "  ")
		w.f("%s\n", line)
	}
	w.f("- Members that are absent and members that are `null` are the same. A\n")
	w.f("  request is one JSON object in UTF-8; an empty request means `{}`.\n")
	w.f("- Unknown members are an error (`INVALID_ARGUMENT` naming the member, with the\n")
	w.f("  allowed names in the message): a typo never goes unnoticed. A member given\n")
	w.f("  twice is an error too. Old member names still accepted are listed with\n")
	w.f("  their new names in [CHANGES.md](../CHANGES.md).\n")
	w.f("- Credentials: the methods that sign take `session` (from `session.open`,\n")
	w.f("  keys parsed once) or the credentials inline (`zvcms`, `allinpay`), not both.\n")
	w.f("  Secrets (`openKey`, private keys) never appear in any reply or error.\n")
	w.f("- The `*.request` methods do no I/O: they return `url`, `contentType` and\n")
	w.f("  `body` for your own HTTP client; pass the reply text to the matching\n")
	w.f("  `*.response` method. The sending methods (`http.send`, `zvcms.verifyCoupons`,\n")
	w.f("  …) use the library's transport, which the WebAssembly module does not\n")
	w.f("  have (`TRANSPORT_ERROR` with reason `unavailable`).\n\n")

	w.f("## Envelope and errors\n\nEvery reply, success or failure, is one JSON object:\n\n")
	w.f("```\n{\"ok\":true,\"result\":{…}}\n{\"ok\":false,\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":\"…\",\"field\":\"params.amount\"}}\n```\n\n")
	w.f("`error` has `code` and `message` (English, for the developer) and, when they\n")
	w.f("apply, `field` (the request path at fault, or the reply's JSON path for\n")
	w.f("`RESPONSE_INVALID`), `vendorStatus`, `vendorCode` and `vendorMessage` (the\n")
	w.f("vendor's own, verbatim, for `API_ERROR` and `SYSTEM_ERROR`) and `reason`\n")
	w.f("(for `TRANSPORT_ERROR`). Nothing is signalled any other way. The codes:\n\n| code | meaning |\n| --- | --- |\n")
	for _, k := range errs.Kinds {
		w.f("| `%s` | %s |\n", k, errDoc[k])
	}

	w.f("\n## Limits\n\nBeyond them a request is `TOO_LARGE`:\n\n")
	w.f("- a request of %d bytes (16 MiB), nested %d levels deep;\n", invoke.MaxRequestBytes, invoke.MaxDepth)
	w.f("- %d elements in any array, %d members in `headers`, %d open sessions;\n", invoke.MaxQuoteLines, invoke.MaxHeaders, invoke.MaxSessions)
	w.f("- a quote or reconciliation of %d lines and %d coupons, lines × coupons at\n  most %d, per-unit detail (`units`) for %d lines;\n", invoke.MaxQuoteLines, discount.MaxCoupons, invoke.MaxQuoteShares, invoke.MaxQuoteUnitLines)
	w.f("- a timeout of at most %d ms.\n\n", invoke.MaxTimeoutMs)
	w.f("Amounts go up to %s yuan; a larger one is `INVALID_ARGUMENT`\n", money.MaxFen.Yuan())
	w.f("naming its field (a bad value, not a size limit).\n\n")

	w.f("## Methods\n\n| method | request | result | |\n| --- | --- | --- | --- |\n")
	for _, meth := range m.Methods {
		w.f("| [`%s`](#%s) | [%s](#%s) | [%s](#%s) | %s |\n", meth.Name, anchor(meth.Name), meth.Request.Name, anchor(meth.Request.Name),
			meth.Result.Name, anchor(meth.Result.Name), sentence(meth.Doc))
	}
	w.f("\nThe examples are the golden calls of `testdata/invoke-golden` (checked by\n")
	w.f("`go test ./bindings/js/golden` against the registry, and by `make test-wasm`\n")
	w.f("against the WebAssembly module): clock fixed, `$SESSION` standing for a session\n")
	w.f("opened with the sandbox's test credentials, strings over 120 characters cut\n")
	w.f("short with `…`. The sending methods' replies come from a stand-in transport.\n")
	for _, meth := range m.Methods {
		w.f("\n### `%s`\n\n%s\n\n", meth.Name, oneLine(meth.Doc))
		w.f("Request: [%s](#%s). Result: [%s](#%s). In C# `Api.%s` (and `Session.%s` when it takes a session), in Delphi `Ck%s`.\n",
			meth.Request.Name, anchor(meth.Request.Name), meth.Result.Name, anchor(meth.Result.Name), meth.Binding, meth.Binding, meth.Binding)
		var ok, bad *example
		for i := range ex[meth.Name] {
			c := &ex[meth.Name][i]
			isOK := strings.HasPrefix(c.Reply, `{"ok":true`)
			if isOK && ok == nil {
				ok = c
			}
			if !isOK && bad == nil {
				bad = c
			}
		}
		for _, c := range []*example{ok, bad} {
			if c != nil {
				w.f("\n%s:\n\n```json\n%s\n```\n```json\n%s\n```\n", strings.ToUpper(c.Name[:1])+c.Name[1:], pretty(c.Request), pretty(c.Reply))
			}
		}
	}

	w.f("\n## Types\n\nRequest members marked **required** must be given; the others may be left\nout. Result members are always present unless marked *optional*.\n")
	for _, t := range m.Types {
		w.f("\n### %s\n\n%s\n\n", t.Name, oneLine(t.Doc))
		if len(t.Fields) == 0 {
			w.f("No members.\n")
			continue
		}
		w.f("| member | type | |\n| --- | --- | --- |\n")
		for _, f := range t.Fields {
			name := "`" + f.JSON + "`"
			if f.Kind == Pair {
				name = "`" + f.JSON + "Fen`, `" + f.JSON + "Yuan`"
			}
			if f.Alias != "" {
				name += " (was `" + f.Alias + "`)"
			}
			note := oneLine(f.Doc)
			if t.Request && f.Required {
				note = "**required**. " + note
			}
			if !t.Request && f.OmitEmpty {
				note = "*optional*. " + note
			}
			w.f("| %s | %s | %s |\n", name, mdType(f, t.Request), strings.ReplaceAll(note, "|", "\\|"))
		}
	}
	return w.Bytes()
}

// errDoc says what each code means at the surface.
var errDoc = map[errs.Kind]string{
	errs.InvalidJSON:      "the request is not well-formed JSON or not UTF-8",
	errs.InvalidArgument:  "not an object; an unknown, repeated, missing or wrong member (`field` names it); an unknown or closed session",
	errs.UnknownMethod:    "no such method (`field` is `method`)",
	errs.KeyError:         "`openKey` missing; a key that does not parse or fit the sign type (`field` says which, e.g. `allinpay.privateKey`)",
	errs.SignatureInvalid: "an Allinpay reply's signature does not verify",
	errs.ResponseInvalid:  "a vendor reply is not in the documented shape (`field` is its JSON path)",
	errs.APIError:         "the vendor's business error (`vendorCode`, `vendorMessage`; zvcms adds `vendorStatus`)",
	errs.SystemError:      "the vendor's system error (zvcms `status` false)",
	errs.TransportError:   "the HTTP exchange of a sending method failed, or the build has no transport (`reason`)",
	errs.TooLarge:         "a documented limit is exceeded",
	errs.Internal:         "a bug in couponkit (a recovered panic); please report it",
}

func anchor(s string) string { return strings.ToLower(strings.ReplaceAll(s, ".", "")) }

func mdType(f *Field, request bool) string {
	var t string
	switch f.Kind {
	case Text:
		switch f.GoType {
		case "ID", "Fen":
			t = "string (digits; a number is read from its text)"
		case "Decimal":
			t = "string (decimal; a number is read from its text)"
		case "AllinpayTime":
			t = "string or number"
		case "TextList":
			t = "list of strings (or the text \"[a,b]\")"
		case "KeyList":
			t = "string or list of strings"
		default:
			t = "string"
			if !request && f.Optional {
				t = "string or null"
			}
		}
	case Int, Int64:
		t = "number"
	case Bool:
		t = "boolean"
	case Object:
		t = "[" + f.Struct.Name + "](#" + anchor(f.Struct.Name) + ")"
		if !request && f.Optional && !f.OmitEmpty {
			t += " or null"
		}
	case Pair:
		t = "string fen, string yuan"
	case RawObject:
		t = "object (sent byte for byte)"
	case RawJSON:
		t = "JSON (numbers as strings)"
	case Headers:
		t = "object of string or list of strings"
	case HeaderValues:
		t = "object of lists of strings"
	}
	if f.GoType == "TextList" || f.GoType == "KeyList" {
		return t
	}
	for i := 0; i < f.Lists; i++ {
		t = "list of " + t
	}
	return t
}

// pretty indents JSON text, strings over 120 characters cut short.
func pretty(s string) string {
	var out bytes.Buffer
	var short strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			short.WriteByte(s[i])
			continue
		}
		j := i + 1
		for ; j < len(s) && s[j] != '"'; j++ {
			if s[j] == '\\' {
				j++
			}
		}
		if lit := s[i : j+1]; len(lit) > 122 {
			k := 100
			for k > 1 && lit[k]&0xC0 == 0x80 {
				k--
			}
			for p := k - 1; p > k-6; p-- { // not inside an escape
				if lit[p] == '\\' {
					k = p
					break
				}
			}
			short.WriteString(lit[:k] + "…\"")
		} else {
			short.WriteString(lit)
		}
		i = j
	}
	if json.Indent(&out, []byte(short.String()), "", "  ") != nil {
		return s
	}
	return out.String()
}
