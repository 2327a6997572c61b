package wire

import (
	"errors"
	"math/rand"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/tidwall/gjson"
)

type inner struct {
	Price string `json:"priceYuan" ck:"alias=price,domain=price"`
	N     int    `json:"n"`
}

type embedded struct {
	Session string `json:"session"`
}

type outer struct {
	embedded
	Name   string    `json:"name" ck:"required"`
	OK     bool      `json:"ok"`
	Big    int64     `json:"big"`
	Items  []inner   `json:"items" ck:"max=3,domain=Items"`
	Ext    *inner    `json:"ext" ck:"lenient"`
	Raw    RawObject `json:"raw"`
	hidden string
}

func decode(t *testing.T, js string) (*outer, *Request, error) {
	t.Helper()
	var o outer
	r, err := Decode(gjson.Parse(js), &o)
	return &o, r, err
}

func TestDecode(t *testing.T) {
	o, _, err := decode(t, `{"session":"s","name":7,"ok":"true","big":"-9007199254740993","items":[{"price":1.50},{"priceYuan":"2","n":"3"}],"ext":"","raw":{ "a" : [1, 2.50] }}`)
	if err != nil {
		t.Fatal(err)
	}
	if o.Session != "s" || o.Name != "7" || !o.OK || o.Big != -9007199254740993 || len(o.Items) != 2 ||
		o.Items[0].Price != "1.50" || o.Items[1].N != 3 || o.Ext != nil || string(o.Raw) != `{"a":[1,2.50]}` {
		t.Fatalf("%+v", o)
	}
	for _, c := range []struct{ js, field string }{
		{`{"name":"a","nmae":1}`, "nmae"},
		{`{"name":"a","name":"b"}`, "name"},
		{`{}`, "name"},
		{`{"name":""}`, "name"},
		{`{"name":null}`, "name"},
		{`{"name":true}`, "name"},
		{`{"name":"a","ok":"yes"}`, "ok"},
		{`{"name":"a","big":1.5}`, "big"},
		{`{"name":"a","items":{}}`, "items"},
		{`{"name":"a","items":[{"price":"1","price":"2"}]}`, "items[0].price"},
		{`{"name":"a","items":[{"priceYuan":"1","price":"2"}]}`, "items[0].price"},
		{`{"name":"a","items":[{},{"n":[]}]}`, "items[1].n"},
		{`{"name":"a","items":[1]}`, "items[0]"},
		{`{"name":"a","ext":[1]}`, "ext"},
		{`{"name":"a","raw":[]}`, "raw"},
		{`{"name":"a","hidden":"x"}`, "hidden"},
	} {
		_, _, err := decode(t, c.js)
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.InvalidArgument || e.Field != c.field {
			t.Errorf("%s: %v, want INVALID_ARGUMENT at %s", c.js, err, c.field)
		}
	}
	_, _, err = decode(t, `{"name":"a","items":[{},{},{},{}]}`)
	if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Kind != errs.TooLarge || e.Field != "items" {
		t.Errorf("4 items: %v", err)
	}
	// TOO_LARGE wins over a bad element, whatever its position.
	_, _, err = decode(t, `{"name":"a","items":[1,2,3,4]}`)
	if e := (*errs.Error)(nil); !errors.As(err, &e) || e.Kind != errs.TooLarge {
		t.Errorf("4 bad items: %v", err)
	}
}

// Field names a domain package's path as the caller wrote the request.
func TestField(t *testing.T) {
	_, r, err := decode(t, `{"name":"a","items":[{"priceYuan":"1"},{"price":"2"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	for domain, want := range map[string]string{
		"Items[0].price": "items[0].priceYuan",
		"Items[1].price": "items[1].price",
		"items[1].n":     "items[1].n",
		"Items[9].price": "items[9].priceYuan",
		"name":           "name",
		"ext.price":      "ext.priceYuan",
		"Items[1].x.y":   "items[1].x.y",
		"data.code":      "data.code",
		"*":              "*",
	} {
		if got := r.Field(domain); got != want {
			t.Errorf("Field(%q) = %q, want %q", domain, got, want)
		}
	}
}

type result struct {
	Total  money.Fen   `json:"total"`
	Shares []money.Fen `json:"shares"`
	None   *money.Fen  `json:"none"`
	List   []string    `json:"list"`
	Opt    *result     `json:"opt,omitempty"`
	Note   string      `json:"note,omitempty"`
	Data   RawJSON     `json:"data"`
	Empty  RawJSON     `json:"empty"`
	Null   *string     `json:"null"`
	Counts [][]int64   `json:"counts"`
}

func TestAppend(t *testing.T) {
	got := string(Append(nil, &result{Total: -5, Shares: []money.Fen{1250, 0}, Data: RawJSON(`{ "id" : 390962138708451328, "x": [true, -1.5e3, "7"] }`),
		Counts: [][]int64{{1, 2}, nil}}))
	want := `{"totalFen":"-5","totalYuan":"-0.05","sharesFen":["1250","0"],"sharesYuan":["12.50","0.00"],"noneFen":"","noneYuan":"",` +
		`"list":[],"data":{"id":"390962138708451328","x":[true,"-1.5e3","7"]},"empty":null,"null":null,"counts":[[1,2],[]]}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if !gjson.Valid(got) || strings.Contains(got, "opt") {
		t.Fatal("invalid or omitempty ignored")
	}
}

// Fields lists the members in order, embedded ones in place.
func TestFields(t *testing.T) {
	var names []string
	for _, f := range Fields(reflect.TypeOf(outer{})) {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "session name ok big items ext raw" {
		t.Fatal(names)
	}
	if f := Fields(reflect.TypeOf(inner{}))[0]; f.Alias != "price" || f.GoName != "Price" {
		t.Fatalf("%+v", f)
	}
}

// TestTextListLimits: the string form "[id,id]" has the array form's limits.
// A string of brackets deeper than gjson's recursive validator can take
// (about 7 million levels) stopped the process with a stack overflow, which
// no recover catches; a string of a million ids was read whole.
func TestTextListLimits(t *testing.T) {
	list := func(s string) (TextList, error) {
		var l TextList
		err := l.DecodeJSON(gjson.Parse(`"` + s + `"`))
		return l, err
	}
	ids := func(n int) string { return strings.TrimSuffix(strings.Repeat("7,", n), ",") }
	for _, c := range []struct {
		name, s string
		n       int // elements read (when no error)
		kind    errs.Kind
		message string
	}{
		{"string form", `[1, \"2\",3]`, 3, "", ""},
		{"bare", ` 4,5 `, 2, "", ""},
		{"MaxElements ids", ids(MaxElements), MaxElements, "", ""},
		{"MaxElements ids in brackets", "[" + ids(MaxElements) + "]", MaxElements, "", ""},
		{"one id more", ids(MaxElements + 1), 0, errs.TooLarge, "has more than 10000 elements"},
		{"one id more, bracketed but not JSON", "[" + ids(MaxElements+1), 0, errs.TooLarge, "has more than 10000 elements"},
		{"a million ids", ids(1000000), 0, errs.TooLarge, "has more than 10000 elements"},
		{"MaxDepth levels", strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth), 0, errs.InvalidArgument, ""},
		{"one level more", strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), 0, errs.TooLarge, "nests arrays more than 64 levels deep"},
		{"8 million levels", strings.Repeat("[", 8<<20), 0, errs.TooLarge, "nests arrays more than 64 levels deep"},
	} {
		l, err := list(c.s)
		if c.kind == "" {
			if err != nil || len(l) != c.n {
				t.Errorf("%s: %d elements, %v; want %d", c.name, len(l), err, c.n)
			}
			continue
		}
		if errs.KindOf(err) != c.kind || !strings.Contains(fmtErr(err), c.message) {
			t.Errorf("%s: %v; want %s %q", c.name, err, c.kind, c.message)
		}
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestHeadersLimits: at most MaxHeaders names and MaxHeaders fields in all.
// 1,000 names of 5,000 values each (a 15 MB request) took 28 s to decode,
// the repeated-name check scanning every field for every name.
func TestHeadersLimits(t *testing.T) {
	decodeHeaders := func(js string) (Headers, error) {
		var h Headers
		err := h.DecodeJSON(gjson.Parse(js))
		return h, err
	}
	values := func(n int) string { return "[" + strings.TrimSuffix(strings.Repeat(`"v",`, n), ",") + "]" }
	names := func(n int, value string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"X-` + strconv.Itoa(i) + `":` + value)
		}
		return b.String() + "}"
	}
	h, err := decodeHeaders(`{"X-A":["1","2"],"X-B":"3"}`)
	if err != nil || !reflect.DeepEqual(h, Headers{{"X-A", "1"}, {"X-A", "2"}, {"X-B", "3"}}) {
		t.Errorf("%v %v", h, err)
	}
	for _, c := range []struct {
		name, js string
		fields   int
		kind     errs.Kind
		field    string
	}{
		{"MaxHeaders names", names(MaxHeaders, `"v"`), MaxHeaders, "", ""},
		{"MaxHeaders values of one name", `{"X-A":` + values(MaxHeaders) + `}`, MaxHeaders, "", ""},
		{"one name more", names(MaxHeaders+1, `"v"`), 0, errs.TooLarge, ""},
		{"one value more", `{"X-A":` + values(MaxHeaders+1) + `}`, 0, errs.TooLarge, ""},
		{"1,000 names of 5,000 values", names(1000, values(5000)), 0, errs.TooLarge, ""},
		{"a name twice", `{"X-A":"1","X-B":"2","X-A":"3"}`, 0, errs.InvalidArgument, "X-A"},
	} {
		h, err := decodeHeaders(c.js)
		var e *errs.Error
		switch {
		case c.kind == "" && (err != nil || len(h) != c.fields):
			t.Errorf("%s: %d fields, %v; want %d", c.name, len(h), err, c.fields)
		case c.kind != "" && (!errors.As(err, &e) || e.Kind != c.kind || e.Field != c.field):
			t.Errorf("%s: %v; want %s on %q", c.name, err, c.kind, c.field)
		}
	}
}

// TestHeaderValuesJSON: each name once, in the order names first came, with
// its values in order; against a second writer, written for the test, on
// random lists.
func TestHeaderValuesJSON(t *testing.T) {
	reference := func(h HeaderValues) string {
		var names []string
		vals := map[string][]string{}
		for _, f := range h {
			if _, ok := vals[f.Name]; !ok {
				names = append(names, f.Name)
			}
			vals[f.Name] = append(vals[f.Name], f.Value)
		}
		var b strings.Builder
		b.WriteString("{")
		for i, n := range names {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(strconv.Quote(n) + ":[")
			for j, v := range vals[n] {
				if j > 0 {
					b.WriteString(",")
				}
				b.WriteString(strconv.Quote(v))
			}
			b.WriteString("]")
		}
		return b.String() + "}"
	}
	h := HeaderValues{{"Set-Cookie", "a"}, {"X-B", "1"}, {"Set-Cookie", "b"}, {"X-C", ""}, {"X-B", "2"}}
	if got, want := string(h.AppendJSON(nil)), `{"Set-Cookie":["a","b"],"X-B":["1","2"],"X-C":[""]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got := string((&HeaderValues{}).AppendJSON(nil)); got != "{}" {
		t.Errorf("empty: %s", got)
	}
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 2000; n++ {
		var h HeaderValues
		for k := rng.Intn(12); k > 0; k-- {
			h = append(h, Header{Name: string(rune('A' + rng.Intn(4))), Value: strconv.Itoa(rng.Intn(100))})
		}
		if got, want := string(h.AppendJSON(nil)), reference(h); got != want {
			t.Fatalf("%v: got %s, want %s", h, got, want)
		}
	}
}
