package invoke

import (
	"unsafe"

	"github.com/couponkit/couponkit/core/internal/jsontext"
)

// writer appends the members of a JSON object (and nested objects and
// arrays) to b. first is true right after an opening '{' or '['.
type writer struct {
	b     []byte
	first bool
}

func (w *writer) sep() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
}

// key writes the separator and "k":.
func (w *writer) key(k string) {
	w.sep()
	w.b = jsontext.AppendString(w.b, k)
	w.b = append(w.b, ':')
}

// str writes "k":"v".
func (w *writer) str(k, v string) {
	w.key(k)
	w.b = jsontext.AppendString(w.b, v)
}

// strBytes writes "k":"v" for v given as bytes (not retained).
func (w *writer) strBytes(k string, v []byte) {
	w.key(k)
	if len(v) == 0 {
		w.b = append(w.b, '"', '"')
		return
	}
	w.b = jsontext.AppendString(w.b, unsafe.String(&v[0], len(v)))
}

// opt writes "k":"v" unless v is empty.
func (w *writer) opt(k, v string) {
	if v != "" {
		w.str(k, v)
	}
}

// raw writes "k":v where v is JSON text; empty v is written as null.
func (w *writer) raw(k string, v []byte) {
	w.key(k)
	if len(v) == 0 {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, v...)
}

// boolean writes "k":true or "k":false.
func (w *writer) boolean(k string, v bool) {
	w.key(k)
	if v {
		w.b = append(w.b, "true"...)
	} else {
		w.b = append(w.b, "false"...)
	}
}

// strs writes "k":["a","b"] (an empty list is []).
func (w *writer) strs(k string, v []string) {
	w.arr(k)
	for _, s := range v {
		w.elemStr(s)
	}
	w.endArr()
}

// optPtr writes "k":"v", or "k":null when v is nil.
func (w *writer) optPtr(k string, v *string) {
	if v == nil {
		w.raw(k, nil)
		return
	}
	w.str(k, *v)
}

// obj opens the nested object "k":{; close it with end.
func (w *writer) obj(k string) {
	w.key(k)
	w.b = append(w.b, '{')
	w.first = true
}

// end closes a nested object.
func (w *writer) end() {
	w.b = append(w.b, '}')
	w.first = false
}

// arr opens the nested array "k":[; close it with endArr.
func (w *writer) arr(k string) {
	w.key(k)
	w.b = append(w.b, '[')
	w.first = true
}

// endArr closes a nested array.
func (w *writer) endArr() {
	w.b = append(w.b, ']')
	w.first = false
}

// elemObj opens an object element of the current array; close it with end.
func (w *writer) elemObj() {
	w.sep()
	w.b = append(w.b, '{')
	w.first = true
}

// elemArr opens an array element of the current array; close it with
// endArr.
func (w *writer) elemArr() {
	w.sep()
	w.b = append(w.b, '[')
	w.first = true
}

// elemStr writes a string element of the current array.
func (w *writer) elemStr(s string) {
	w.sep()
	w.b = jsontext.AppendString(w.b, s)
}

// stringifyNumbers returns the JSON text v compacted, with every number
// written as a JSON string of its raw text (18-digit ids survive JavaScript
// and C# parsers). v must be well-formed JSON; nil stays nil.
func stringifyNumbers(v []byte) []byte { return compact(v, true) }

// compact returns the well-formed JSON text v without whitespace outside
// strings, numbers quoted when quoteNumbers; every other byte is kept.
func compact(v []byte, quoteNumbers bool) []byte {
	if len(v) == 0 {
		return nil
	}
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
		case quoteNumbers && (c == '-' || (c >= '0' && c <= '9')):
			j := i + 1
			for j < len(v) && isNumberByte(v[j]) {
				j++
			}
			out = append(out, '"')
			out = append(out, v[i:j]...)
			out = append(out, '"')
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
