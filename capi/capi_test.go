package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/version"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// call runs ck_invoke (or ck_invoke_gbk) through the exported functions with
// C copies of method and request (nil for NULL) and returns the reply.
func call(t testing.TB, gbk bool, method, request *string) string {
	t.Helper()
	m, r := cString(method), cString(request)
	defer ck_free(m)
	defer ck_free(r)
	f := ck_invoke
	if gbk {
		f = ck_invoke_gbk
	}
	p := f(m, r)
	if p == nil {
		t.Fatal("NULL reply")
	}
	defer ck_free(p)
	return fromC(p)
}

func str(s string) *string { return &s }

// envelope is the decoded shape of every reply.
type reply struct {
	OK     bool                   `json:"ok"`
	Result map[string]interface{} `json:"result"`
	Error  struct {
		Code, Message, Field string
	} `json:"error"`
}

func decode(t testing.TB, s string) reply {
	t.Helper()
	var r reply
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("reply is not JSON: %v: %s", err, s)
	}
	return r
}

func TestVersion(t *testing.T) {
	if got := fromC(ck_version()); got != version.Version {
		t.Fatalf("ck_version = %q, want %q", got, version.Version)
	}
	if ck_version() != ck_version() {
		t.Fatal("ck_version is not one static string")
	}
	r := decode(t, call(t, false, str("version"), str("{}")))
	if !r.OK || r.Result["version"] != version.Version {
		t.Fatalf("version method: %+v", r)
	}
}

func TestNullArguments(t *testing.T) {
	for _, tc := range []struct {
		method, request *string
		field           string
	}{
		{nil, str("{}"), "method"},
		{str("version"), nil, "request_json"},
		{nil, nil, "method"},
	} {
		for _, gbk := range []bool{false, true} {
			r := decode(t, call(t, gbk, tc.method, tc.request))
			if r.OK || r.Error.Code != "INVALID_ARGUMENT" || r.Error.Field != tc.field {
				t.Errorf("gbk=%v %v/%v: %+v", gbk, tc.method, tc.request, r)
			}
		}
	}
	ck_free(nil)
}

func TestRequestLimit(t *testing.T) {
	body := "{" + strings.Repeat(" ", maxRequestBytes-2) + "}"
	if r := decode(t, call(t, false, str("version"), &body)); !r.OK {
		t.Fatalf("a request of exactly %d bytes: %+v", maxRequestBytes, r.Error)
	}
	body += " "
	for _, gbk := range []bool{false, true} {
		r := decode(t, call(t, gbk, str("version"), &body))
		if r.OK || r.Error.Code != "TOO_LARGE" || r.Error.Field != "request_json" {
			t.Errorf("gbk=%v %d bytes: %+v", gbk, len(body), r)
		}
	}
	long := strings.Repeat("m", maxMethodBytes+1)
	if r := decode(t, call(t, false, &long, str("{}"))); r.Error.Code != "TOO_LARGE" || r.Error.Field != "method" {
		t.Errorf("long method: %+v", r)
	}
}

func TestPanicBecomesInternal(t *testing.T) {
	p := safely(func() []byte { panic("request data: secret-openkey") })
	defer ck_free(p)
	s := fromC(p)
	r := decode(t, s)
	if r.OK || r.Error.Code != "INTERNAL" {
		t.Fatalf("panic reply: %s", s)
	}
	if strings.Contains(s, "secret") {
		t.Fatalf("panic value leaked into the reply: %s", s)
	}
}

func TestConcurrentCalls(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				fen := g*100000 + i
				req := `{"fen":"` + itoa(fen) + `"}`
				r := decode(t, call(t, false, str("money.toYuan"), &req))
				if r.Result["fen"] != itoa(fen) {
					t.Errorf("goroutine %d: %s → %+v", g, req, r)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// The GBK entry point: text GBK can hold comes back as GBK; what it cannot
// hold comes back as a JSON escape; the reply always decodes to the same
// JSON value as the UTF-8 reply.
func TestGBKRoundTrip(t *testing.T) {
	enc := simplifiedchinese.GBK.NewEncoder()
	texts := []string{"商品", "€5 满100减20", "o-😀商", "𠀀 rare", "é·ü", "\u2028x", "plain"}
	for _, text := range texts {
		in, _ := json.Marshal(text)
		// The typed builder decodes params and writes them again, so the
		// reply carries the characters themselves, not the request's text.
		raw := `{"zvcms":{"openId":"o","grantCode":"g","openKey":"k"},"timestamp":"1700000000","nonce":"1",` +
			`"params":{"bizId":` + string(in) + `,"customerId":"1","couponsCardList":["2"],"amount":"1","orderAmount":"1"}}`
		utf := call(t, false, str("zvcms.verifyCoupons.request"), &raw)
		// The GBK request: the JSON text itself encoded to GBK where it can
		// be; characters GBK lacks are sent as escapes.
		gbkReq, err := utf8ToGBK([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		g := call(t, true, str("zvcms.verifyCoupons.request"), str(string(gbkReq)))
		back, err := simplifiedchinese.GBK.NewDecoder().String(g)
		if err != nil || !utf8.ValidString(back) {
			t.Fatalf("%q: GBK reply does not decode: %v", text, err)
		}
		var a, b interface{}
		if json.Unmarshal([]byte(utf), &a) != nil || json.Unmarshal([]byte(back), &b) != nil {
			t.Fatalf("%q: replies are not JSON:\n%s\n%s", text, utf, back)
		}
		if ja, _ := json.Marshal(a); string(ja) != mustMarshal(b) {
			t.Errorf("%q: GBK reply differs:\n%s\n%s", text, utf, back)
		}
		if _, err := enc.String(text); err == nil && !strings.Contains(g, string(must(enc.String(text)))) {
			t.Errorf("%q: GBK-encodable text not sent back as GBK: %s", text, g)
		}
	}
}

func mustMarshal(v interface{}) string { b, _ := json.Marshal(v); return string(b) }
func must(s string, _ error) string    { return s }

func TestGBKEscapes(t *testing.T) {
	for in, want := range map[string]string{
		`"商"`:   "\"\xC9\xCC\"",
		`"😀"`:   `"\ud83d\ude00"`,
		`"a😀商"`: "\"a\\ud83d\\ude00\xC9\xCC\"",
		`"€"`:   "\"\x80\"",
		`"é"`:   "\"\xA8\xA6\"",
		`"ñ"`:   `"\u00f1"`,
	} {
		got, err := utf8ToGBK([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("utf8ToGBK(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := utf8ToGBK([]byte("\"\xff\"")); err == nil {
		t.Error("invalid UTF-8 was accepted")
	}
}

func TestGBKInvalid(t *testing.T) {
	for in, off := range map[string]int{"\x81 ": 0, `{"a":"` + "\xC9\xCC\x81\x7F" + `"}`: 8, "ab\xFF": 2, "\x81": 0} {
		_, err := gbkToUTF8("request_json", []byte(in))
		if err == nil || !strings.Contains(err.Error(), "offset "+itoa(off)+")") || !strings.Contains(err.Error(), "request_json") {
			t.Errorf("gbkToUTF8(%q) = %v; want offset %d", in, err, off)
		}
	}
}

// Every registered method has a good and a bad case in the C harness's cases
// file, and every case gives the reply the file says (here through the
// exported functions, under the race detector in make test).
func TestCasesCoverEveryMethod(t *testing.T) {
	f, err := os.Open("../examples/c/cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type tc struct {
		method, req string
		ok, good    bool
		wants       []string
		line        int
	}
	var cases []*tc
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "call "):
			cases = append(cases, &tc{method: line[5:], line: n})
		case strings.HasPrefix(line, "req "):
			cases[len(cases)-1].req = line[4:]
		case line == "ok true":
			cases[len(cases)-1].ok = true
		case line == "good":
			cases[len(cases)-1].good = true
		case strings.HasPrefix(line, "want "):
			cases[len(cases)-1].wants = append(cases[len(cases)-1].wants, line[5:])
		}
	}
	good, bad := map[string]bool{}, map[string]bool{}
	for _, c := range cases {
		got := call(t, false, &c.method, &c.req)
		r := decode(t, got)
		if r.OK != c.ok {
			t.Errorf("cases.txt:%d %s: ok=%v: %s", c.line, c.method, r.OK, got)
		}
		for _, w := range c.wants {
			if !strings.Contains(got, w) {
				t.Errorf("cases.txt:%d %s: reply lacks %s: %s", c.line, c.method, w, got)
			}
		}
		if c.ok || c.good {
			good[c.method] = true
		}
		if !c.ok && !c.good {
			bad[c.method] = true
		}
	}
	for _, m := range registry.Methods() {
		if !good[m] || !bad[m] {
			t.Errorf("examples/c/cases.txt lacks a good (%v) or bad (%v) case for method %s", good[m], bad[m], m)
		}
	}
}

// INVALID_JSON names the byte offset in the text the caller passed: in the
// GBK text for ck_invoke_gbk (a Chinese character is two bytes there, three
// in UTF-8), in the UTF-8 text for ck_invoke.
func TestInvalidJSONOffsetInCallersText(t *testing.T) {
	const utf = `{"备注":"满100减20€",}` // '}' at byte 27 in UTF-8
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(utf)
	if err != nil {
		t.Fatal(err)
	}
	if i := strings.LastIndexByte(gbk, '}'); i != 21 { // 备注满减: 2 bytes each; €: 1 (0x80)
		t.Fatalf("the GBK text's '}' is at byte %d, want 21", i)
	}
	const msg = "the request is not well-formed JSON: invalid character '}' looking for beginning of object key string at byte %d (counted from 0)"
	for _, tc := range []struct {
		gbk     bool
		request string
		at      int
	}{{false, utf, 27}, {true, gbk, 21}, {true, `{"a":1,}`, 7}} {
		r := decode(t, call(t, tc.gbk, str("version"), str(tc.request)))
		if want := strings.Replace(msg, "%d", strconv.Itoa(tc.at), 1); r.OK || r.Error.Code != "INVALID_JSON" || r.Error.Message != want {
			t.Errorf("gbk=%v %q: %+v\n want %s", tc.gbk, tc.request, r, want)
		}
	}
	// A request that ends early: the offset is the GBK text's length.
	r := decode(t, call(t, true, str("version"), str(gbk[:len(gbk)-2])))
	if want := "the request is not well-formed JSON: it ends at byte 20, before the JSON text is complete"; r.Error.Message != want {
		t.Errorf("GBK, cut: %+v\n want %s", r, want)
	}
}
