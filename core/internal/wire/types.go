package wire

import (
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
	"github.com/tidwall/gjson"
)

// A money.Fen member of a result is written as two members: name+"Fen",
// the integer fen as a string ("1250"), and name+"Yuan", the same amount as
// yuan with two decimals ("12.50"); a nil *money.Fen writes "" for both (an
// amount the vendor did not send), a []money.Fen two arrays.

// RawObject is a request member kept as JSON text: it must be an object, and
// is kept byte for byte but for the white space between tokens.
type RawObject []byte

// DecodeJSON keeps v's text when it is an object.
func (o *RawObject) DecodeJSON(v gjson.Result) error {
	if !v.IsObject() {
		return errs.Invalid("", "must be a JSON object, got %s", KindName(v))
	}
	*o = compact([]byte(v.Raw), false)
	return nil
}

// RawJSON is a result member holding JSON text from a vendor's reply. It is
// written compacted, every number as a JSON string of its text (18-digit
// ids survive JavaScript and C# parsers); nil is written as null.
type RawJSON []byte

// AppendJSON writes the text with its numbers quoted.
func (r *RawJSON) AppendJSON(b []byte) []byte {
	if len(*r) == 0 {
		return append(b, "null"...)
	}
	return append(b, compact(*r, true)...)
}

// appendPair writes the members name+"Fen" and name+"Yuan" of v (a Money,
// *Money or []Money).
func appendPair(b []byte, name string, v reflect.Value, p *plan) []byte {
	b = append(append(append(b, '"'), name...), `Fen":`...) // names are identifiers: nothing to escape
	b = appendMoney(b, v, p, false)
	b = append(append(append(b, `,"`...), name...), `Yuan":`...)
	return appendMoney(b, v, p, true)
}

func appendMoney(b []byte, v reflect.Value, p *plan, yuan bool) []byte {
	if v.Kind() == reflect.Ptr {
		if v.IsNil() {
			return append(b, `""`...)
		}
		v = v.Elem()
	}
	if p.kind == kSlice {
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendMoney(b, v.Index(i), p.elem, yuan)
		}
		return append(b, ']')
	}
	f := v.Int()
	b = append(b, '"')
	if !yuan {
		b = strconv.AppendInt(b, f, 10)
		return append(b, '"')
	}
	u := uint64(f)
	if f < 0 {
		b = append(b, '-')
		u = uint64(-f)
	}
	b = strconv.AppendUint(b, u/100, 10)
	return append(b, '.', byte('0'+u%100/10), byte('0'+u%10), '"')
}

// compact returns the well-formed JSON text v without white space outside
// strings, its numbers quoted when quoteNumbers; every other byte is kept.
func compact(v []byte, quoteNumbers bool) []byte {
	out := make([]byte, 0, len(v)+16)
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(v) && v[j] != '"' {
				if v[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(v) {
				j = len(v) - 1
			}
			out = append(out, v[i:j+1]...)
			i = j + 1
		case quoteNumbers && (c == '-' || c >= '0' && c <= '9'):
			j := i + 1
			for j < len(v) && isNumberByte(v[j]) {
				j++
			}
			out = append(append(append(out, '"'), v[i:j]...), '"')
			i = j
		case jsontext.IsSpace(c):
			i++
		default:
			out = append(out, c)
			i++
		}
	}
	return out
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

// Fen is a vendor amount in whole fen sent as text ("500" or 500); absent
// or "" is no amount (Valid false).
type Fen struct {
	Fen   money.Fen // the amount
	Valid bool      // whether one was given
}

// SetText parses the fen.
func (f *Fen) SetText(s string) error {
	v, err := money.ParseFen("", s)
	*f = Fen{v, err == nil}
	return err
}

// TextList is a list of ids or codes: a JSON array of strings or numbers
// (read from their text), or the vendors' string form "[id,id]".
type TextList []string

// DecodeJSON reads either form, with the same limits: at most MaxElements
// entries, and a string that is JSON nested at most MaxDepth levels (the
// string is text inside the request, which the request's own depth check
// does not see; gjson's validator recurses once a level).
func (l *TextList) DecodeJSON(v gjson.Result) error {
	if v.Type == gjson.String {
		s := strings.TrimSpace(v.Str)
		if strings.HasPrefix(s, "[") {
			if jsontext.Depth([]byte(s), MaxDepth) > MaxDepth {
				return errs.New(errs.TooLarge, "", "nests arrays more than %d levels deep", MaxDepth)
			}
			if gjson.Valid(s) {
				return l.DecodeJSON(gjson.Parse(s))
			}
		}
		for rest, more := strings.Trim(s, "[]"), true; more; {
			var part string
			part, rest, more = strings.Cut(rest, ",")
			if part = strings.Trim(strings.TrimSpace(part), `"`); part == "" {
				continue
			}
			if len(*l) == MaxElements {
				return errs.New(errs.TooLarge, "", "has more than %d elements", MaxElements)
			}
			*l = append(*l, part)
		}
		return nil
	}
	if !v.IsArray() {
		return errs.Invalid("", "must be a JSON array, got %s", KindName(v))
	}
	var err error
	v.ForEach(func(_, e gjson.Result) bool {
		var s string
		if len(*l) == MaxElements {
			err = errs.New(errs.TooLarge, "", "has more than %d elements", MaxElements)
		} else if s, err = Text(e); err != nil {
			err = errs.Prefix("["+strconv.Itoa(len(*l))+"]", err)
		}
		*l = append(*l, s)
		return err == nil
	})
	return err
}

// Bytes is a result's text held as bytes (a built request's body), written
// as a JSON string without a copy.
type Bytes []byte

// AppendJSON writes the string.
func (t *Bytes) AppendJSON(b []byte) []byte {
	if len(*t) == 0 {
		return append(b, `""`...)
	}
	return jsontext.AppendString(b, unsafe.String(&(*t)[0], len(*t)))
}

// Header is one HTTP header field; lists of Header keep the fields' order
// and may repeat a name.
type Header struct {
	Name  string // the field name ("X-Trace"; replies' in canonical form)
	Value string // the field value
}

// MaxHeaders bounds the members of a Headers object, and the header fields
// they make (a name given with a list of values is a field per value).
const MaxHeaders = 1000

// Headers are request headers, in order: a JSON object whose members are a
// header's value or a list of its values.
type Headers []Header

// DecodeJSON reads the object.
func (h *Headers) DecodeJSON(v gjson.Result) error {
	if !v.IsObject() {
		return errs.Invalid("", "must be a JSON object, got %s", KindName(v))
	}
	var err error
	seen := map[string]bool{}
	v.ForEach(func(k, val gjson.Result) bool {
		if len(seen) == MaxHeaders {
			err = errs.New(errs.TooLarge, "", "has more than %d members", MaxHeaders)
			return false
		}
		if seen[k.Str] {
			err = errs.Invalid(k.Str, "header %q is given twice; give its values as a list", clip(k.Str))
			return false
		}
		seen[k.Str] = true
		values := []string{""}
		if val.IsArray() {
			err = Value(val, &values)
		} else {
			values[0], err = Text(val)
		}
		if err == nil && len(*h)+len(values) > MaxHeaders {
			err = errs.New(errs.TooLarge, "", "makes more than %d header fields (a field per value)", MaxHeaders)
			return false
		}
		for _, s := range values {
			*h = append(*h, Header{Name: k.Str, Value: s})
		}
		err = errs.Prefix(k.Str, err)
		return err == nil
	})
	return err
}

// HeaderValues are reply headers, written as an object of each name's
// values in order: {"Set-Cookie": ["a", "b"]}.
type HeaderValues []Header

// AppendJSON writes the object, the names in the order they first came, in
// time linear in the fields (a server chooses how many distinct names it
// sends).
func (h *HeaderValues) AppendJSON(b []byte) []byte {
	var names []string
	values := make(map[string][]string, len(*h))
	for _, f := range *h {
		if _, ok := values[f.Name]; !ok {
			names = append(names, f.Name)
		}
		values[f.Name] = append(values[f.Name], f.Value)
	}
	b = append(b, '{')
	for i, name := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(jsontext.AppendString(b, name), ':', '[')
		for j, s := range values[name] {
			if j > 0 {
				b = append(b, ',')
			}
			b = jsontext.AppendString(b, s)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
