package wire

import (
	"reflect"
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
	"github.com/tidwall/gjson"
)

// Money is a result amount in fen. A member name of type Money is written
// as two members: name+"Fen", the integer fen as a string ("1250"), and
// name+"Yuan", the same amount as yuan with two decimals ("12.50"); a nil
// *Money writes "" for both (an amount the vendor did not send), a []Money
// two arrays.
type Money money.Fen

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
	b = jsontext.AppendString(b, name+"Fen")
	b = append(b, ':')
	b = appendMoney(b, v, p, false)
	b = append(b, ',')
	b = jsontext.AppendString(b, name+"Yuan")
	b = append(b, ':')
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
