package zvcms

import (
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/tidwall/gjson"
)

// RawMember is a member of a reply object that the typed result does not
// name, kept as it was sent so that nothing the vendor adds is lost.
type RawMember struct {
	// Name is the member name (unescaped).
	Name string
	// Value is the member's raw JSON value, byte for byte.
	Value []byte
}

// Member returns the raw JSON value of the member called name, or nil.
func Member(members []RawMember, name string) []byte {
	for i := range members {
		if members[i].Name == name {
			return members[i].Value
		}
	}
	return nil
}

// fields reads the members of one reply object leniently (see dec) and
// remembers which names it read, so that rest can return the others.
type fields struct {
	d    *dec
	v    gjson.Result // an object, or the zero Result (no members)
	path loc          // the object's path, without key
	read []string
}

// fields returns a reader of the object at v (absent, null, "" and [] read
// as an empty object; anything else is an error at path).
func (d *dec) fields(v gjson.Result, path loc) *fields {
	return &fields{d: d, v: d.obj(v, path), path: path, read: make([]string, 0, 24)}
}

func (f *fields) get(key string) gjson.Result {
	f.read = append(f.read, key)
	if !f.v.IsObject() {
		return gjson.Result{}
	}
	return f.v.Get(key)
}

// str reads a scalar as text ("" when absent).
func (f *fields) str(key string) string { return f.d.str(f.get(key), f.path.in(key)) }

// optInt reads an integer sent as a string or a number.
func (f *fields) optInt(key string) OptInt { return f.d.optInt(f.get(key), f.path.in(key)) }

// yuan reads a non-negative yuan amount with at most two decimals as fen.
func (f *fields) yuan(key string) OptFen { return f.d.yuan(f.get(key), f.path.in(key)) }

// fen reads a non-negative whole number of fen.
func (f *fields) fen(key string) OptFen { return f.d.fen(f.get(key), f.path.in(key)) }

// array returns the elements of the array member key and its path.
func (f *fields) array(key string) ([]gjson.Result, loc) {
	path := at(f.path.in(key).String())
	return f.d.arr(f.get(key), path), path
}

// decimal reads a non-negative decimal and keeps its text as sent.
func (f *fields) decimal(key string) string { return f.d.decimalText(f.get(key), f.path.in(key)) }

// list reads a list of ids (an array or the string "[id,id]").
func (f *fields) list(key string) []string { return f.d.list(f.get(key), f.path.in(key)) }

// object returns a reader of the nested object member key.
func (f *fields) object(key string) *fields {
	return f.d.fields(f.get(key), at(f.path.in(key).String()))
}

// rest returns the members not read, in the order sent.
func (f *fields) rest() []RawMember {
	if !f.v.IsObject() {
		return nil
	}
	var out []RawMember
	f.v.ForEach(func(k, v gjson.Result) bool {
		for _, r := range f.read {
			if r == k.Str {
				return true
			}
		}
		out = append(out, RawMember{Name: k.Str, Value: []byte(v.Raw)})
		return true
	})
	return out
}

// hasMembers reports whether v is an object with at least one member.
func hasMembers(v gjson.Result) bool {
	n := 0
	if v.IsObject() {
		v.ForEach(func(_, _ gjson.Result) bool { n++; return false })
	}
	return n > 0
}

// object writes a JSON object member by member.
type object struct {
	b    []byte
	open bool
}

func (o *object) key(k string) {
	if o.open {
		o.b = append(o.b, ',')
	} else {
		o.b = append(o.b, '{')
		o.open = true
	}
	o.b = jsontext.AppendString(o.b, k)
	o.b = append(o.b, ':')
}

// str writes a string member.
func (o *object) str(k, v string) {
	o.key(k)
	o.b = jsontext.AppendString(o.b, v)
}

// int writes an integer member as a JSON string, "" when absent.
func (o *object) int(k string, v OptInt) {
	o.key(k)
	if v.Valid {
		o.b = appendIntString(o.b, v.Int, false)
	} else {
		o.b = append(o.b, `""`...)
	}
}

// list writes an id list per style, or "" when it is empty.
func (o *object) list(k string, ids []string, style ListStyle) {
	o.key(k)
	if len(ids) == 0 {
		o.b = append(o.b, `""`...)
		return
	}
	o.b = appendList(o.b, ids, style)
}

// end closes the object and returns the buffer.
func (o *object) end() []byte {
	if !o.open {
		o.b = append(o.b, '{')
	}
	return append(o.b, '}')
}

// requiredText checks a required text member (present, valid UTF-8).
func requiredText(name, v string) error {
	var c check
	c.text(name, v, true)
	return c.err
}

// appendOneText writes a Params object of one string member.
func appendOneText(b []byte, name, v string) []byte {
	o := object{b: b}
	o.str(name, v)
	return o.end()
}
