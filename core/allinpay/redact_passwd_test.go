package allinpay

import (
	"regexp"
	"testing"
)

// passwdRE is the regular expression RedactPasswd implements without
// package regexp (kept out of the library for the wasm module's size); the
// tests use it as the reference.
var passwdRE = regexp.MustCompile(`"passwd"\s*:\s*"(?:[^"\\]|\\.)*"`)

// redactPasswdCases are known answers; the differential test and the fuzz
// seeds use their inputs too.
var redactPasswdCases = []struct{ in, want string }{
	{``, ``},
	{`{"a":1}`, `{"a":1}`},
	{`{"passwd":"c2VjcmV0"}`, `{"passwd":"[redacted]"}`},
	{`{"passwd" :` + "\t\r\n\f " + `"x"}`, `{"passwd":"[redacted]"}`},
	{`[{"passwd":"a\"b\\"},{"passwd":"c"}]`, `[{"passwd":"[redacted]"},{"passwd":"[redacted]"}]`},
	{`{"passwd":"密码\u00e9"}`, `{"passwd":"[redacted]"}`},
	{`{"passwd":1,"x":"passwd"}`, `{"passwd":1,"x":"passwd"}`},       // not a string value
	{`{"passwd":"open`, `{"passwd":"open`},                           // unterminated
	{`{"passwd":"a\` + "\n" + `b"}`, `{"passwd":"a\` + "\n" + `b"}`}, // an escaped newline is no escape
	{`{"passwd":"a` + "\n" + `b"}`, `{"passwd":"[redacted]"}`},       // a raw newline is a character
	{`{"passwd":"x\`, `{"passwd":"x\`},                               // a backslash at the end
	{`"passwd""passwd":"v"`, `"passwd""passwd":"[redacted]"`},        // the first "passwd" fails, the second matches
	{`{"passwd":"\xff\xfe"}`, `{"passwd":"[redacted]"}`},             // invalid UTF-8
	{`{"passwd":"a\"passwd":"b"}`, `{"passwd":"[redacted]":"b"}`},    // an escaped quote inside the value
	{`{"xpasswd":"v","passwd" : "w"}`, `{"xpasswd":"v","passwd":"[redacted]"}`},
}

func TestRedactPasswd(t *testing.T) {
	for _, c := range redactPasswdCases {
		if got := RedactPasswd(c.in); got != c.want {
			t.Errorf("RedactPasswd(%q) = %q, want %q", c.in, got, c.want)
		}
		if ref := passwdRE.ReplaceAllLiteralString(c.in, `"passwd":"[redacted]"`); ref != c.want {
			t.Errorf("the reference regexp on %q gives %q, the case says %q", c.in, ref, c.want)
		}
	}
}

// FuzzRedactPasswd checks redactPasswd against the regular expression on
// any input.
func FuzzRedactPasswd(f *testing.F) {
	for _, c := range redactPasswdCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := RedactPasswd(s), passwdRE.ReplaceAllLiteralString(s, `"passwd":"[redacted]"`); got != want {
			t.Fatalf("RedactPasswd(%q) = %q, the regexp gives %q", s, got, want)
		}
	})
}
