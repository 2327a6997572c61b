package allinpay

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// sharedDir finds the team's shared folder (fixtures produced with the
// vendors' own software): $COUPONKIT_SHARED, else the first "shared" folder
// beside the repository root or beside one of its ancestors (../shared for
// a checkout, ../../shared for a worktree under wt/). It fails the test when
// there is none: the fixtures are the known answers, never optional.
func sharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("COUPONKIT_SHARED"); d != "" {
		return d
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for d := filepath.Dir(root); ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "shared", "fixtures")); err == nil && st.IsDir() {
			return filepath.Join(d, "shared")
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	t.Fatalf("no shared/fixtures beside %s or any of its parents; set COUPONKIT_SHARED to the shared folder", root)
	return ""
}

// fastjsonCase is one case of shared/fixtures/allinpay-fastjson/cases.json.
type fastjsonCase struct {
	Name      string `json:"name"`
	Body      string `json:"body"`
	Canonical string `json:"canonical"`
	B64       string `json:"canonical_utf8_b64"`
	Error     string `json:"error"`
}

func loadFastjsonCases(t testing.TB) ([]fastjsonCase, map[string][]string) {
	t.Helper()
	dir := filepath.Join(sharedDir(t), "fixtures", "allinpay-fastjson")
	raw, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []fastjsonCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) < 166 {
		t.Fatalf("cases.json has %d cases, want 166", len(doc.Cases))
	}
	rules, err := os.ReadFile(filepath.Join(dir, "RULES.md"))
	if err != nil {
		t.Fatal(err)
	}
	return doc.Cases, rulesOf(string(rules), doc.Cases)
}

// rulesOf maps each case name to the rules (R1…R14) whose row in RULES.md
// names it (a name ending in * names every case with that prefix).
func rulesOf(md string, cases []fastjsonCase) map[string][]string {
	out := map[string][]string{}
	row := regexp.MustCompile(`^\| (R\d+) \|.*\| ([^|]+) \|$`)
	name := regexp.MustCompile(`[a-z][a-z0-9_]*\*?`)
	for _, line := range strings.Split(md, "\n") {
		m := row.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		for _, n := range name.FindAllString(m[2], -1) {
			for _, c := range cases {
				if c.Name == n || (strings.HasSuffix(n, "*") && strings.HasPrefix(c.Name, n[:len(n)-1])) {
					out[c.Name] = appendOnce(out[c.Name], m[1])
				}
			}
		}
	}
	return out
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// strictBody is the test's own judgement, by encoding/json, of whether a
// body is a strict JSON object without fastjson's special keys: those must
// give the fixture's bytes, every other body must be refused.
func strictBody(body string) bool {
	if !json.Valid([]byte(body)) {
		return false
	}
	var v interface{}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return false
	}
	if _, ok := v.(map[string]interface{}); !ok {
		return false
	}
	var special func(interface{}) bool
	special = func(v interface{}) bool {
		switch x := v.(type) {
		case map[string]interface{}:
			for k, e := range x {
				if k == "$ref" || k == "@type" || special(e) {
					return true
				}
			}
		case []interface{}:
			for _, e := range x {
				if special(e) {
					return true
				}
			}
		}
		return false
	}
	return !special(v)
}

// TestSDKFormFixtures: every strict-JSON case gives fastjson's bytes, every
// other one is refused with RESPONSE_INVALID; the counts per rule are
// printed.
func TestSDKFormFixtures(t *testing.T) {
	cases, rules := loadFastjsonCases(t)
	type tally struct{ matched, refused int }
	perRule := map[string]*tally{}
	matched, refused, ambiguous := 0, 0, 0
	for _, c := range cases {
		got, err := SDKForm([]byte(c.Body))
		strict := strictBody(c.Body)
		if strict && c.Error != "" {
			t.Errorf("%s: a strict body fastjson refused (%s): the fixture contradicts the rules", c.Name, c.Error)
			continue
		}
		rs := rules[c.Name]
		if len(rs) == 0 {
			rs = []string{"(none)"}
		}
		for _, r := range rs {
			if perRule[r] == nil {
				perRule[r] = &tally{}
			}
		}
		if !strict {
			if err == nil {
				t.Errorf("%s: a body that is not strict JSON was accepted: %q", c.Name, got)
				continue
			}
			wantKind(t, err, errs.ResponseInvalid, "")
			if len(rules[c.Name]) == 0 {
				t.Logf("%s (in no rule's list): refused: %v", c.Name, err)
			}
			refused++
			for _, r := range rs {
				perRule[r].refused++
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		want, derr := base64.StdEncoding.DecodeString(c.B64)
		if derr != nil {
			t.Fatal(derr)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", c.Name, got, want)
			continue
		}
		matched++
		for _, r := range rs {
			perRule[r].matched++
		}
		// Repeated members and lone surrogates: the form is fastjson's, but
		// verification refuses the body, naming the path.
		pr, _ := readReply([]byte(c.Body))
		if uerr := pr.unambiguous(); uerr != nil {
			ambiguous++
			e := wantKind(t, uerr, errs.ResponseInvalid, "")
			if e.Field == "" {
				t.Errorf("%s: refusal names no path: %v", c.Name, uerr)
			}
			if !strings.HasPrefix(c.Name, "dup_") && !strings.Contains(c.Name, "surrogate") {
				t.Errorf("%s: refused as ambiguous: %v", c.Name, uerr)
			}
		} else if strings.HasPrefix(c.Name, "dup_") || strings.Contains(c.Name, "lone") || strings.Contains(c.Name, "reversed") {
			t.Errorf("%s: not refused as ambiguous", c.Name)
		}
	}
	names := make([]string, 0, len(perRule))
	for r := range perRule {
		names = append(names, r)
	}
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) < len(names[j]) || (len(names[i]) == len(names[j]) && names[i] < names[j])
	})
	for _, r := range names {
		t.Logf("%-6s byte-for-byte %3d  refused %3d", r, perRule[r].matched, perRule[r].refused)
	}
	t.Logf("all %d cases: %d byte for byte (%d of them refused by verification: repeated members, lone surrogates), %d refused",
		len(cases), matched, ambiguous, refused)
	if matched+refused != len(cases) {
		t.Errorf("%d cases neither matched nor refused", len(cases)-matched-refused)
	}
	// RULES.md's own checker counts 140 as it accepts a BOM and reads
	// $ref/@type keys as plain ones; refusing those (R12, R14) leaves 122.
	if matched < 122 {
		t.Errorf("only %d strict cases matched, want 122", matched)
	}
}

// TestSDKFormStable: the form of a reply rebuilt from the form is the form
// itself, for every fixture case.
func TestSDKFormStable(t *testing.T) {
	cases, _ := loadFastjsonCases(t)
	for _, c := range cases {
		checkStable(t, []byte(c.Body))
	}
}

// checkStable checks the property on one body: never a panic; when a form
// exists, it holds no lone surrogate and SDKForm(form) == form. A body with
// a lone surrogate is the one exception, as in fastjson: the form writes it
// as '?', which sorts elsewhere among its object's keys (U+003F, not
// U+D800-DFFF), so there the form of the form is the fixed point.
func checkStable(t *testing.T, body []byte) {
	t.Helper()
	form, err := SDKForm(body)
	if err != nil {
		return
	}
	if r, err := readReply(form); err != nil || r.loneSurrogate >= 0 {
		t.Fatalf("form of %q is %q: refused (%v) or holding a lone surrogate", body, form, err)
	}
	if r, _ := readReply(body); r.loneSurrogate >= 0 {
		if form, err = SDKForm(form); err != nil {
			t.Fatalf("form of the form of %q refused: %v", body, err)
		}
	}
	again, err := SDKForm(form)
	if err != nil {
		t.Fatalf("form of %q refused: %v", body, err)
	}
	if !bytes.Equal(again, form) {
		t.Fatalf("unstable form for %q:\n %q\n %q", body, form, again)
	}
}

func TestJavaNumber(t *testing.T) {
	for lit, want := range map[string]string{
		"0": "0", "-0": "0", "100": "100", "-12": "-12", "1.50": "1.50", "1.0": "1.0", "-0.0": "0.0",
		"1e3": "1E+3", "1E+3": "1E+3", "1.5e-7": "1.5E-7", "0.0000001": "1E-7", "0.00000010": "1.0E-7",
		"0.000001": "0.000001", "10e1": "1.0E+2", "12.3e5": "1.23E+6", "1.5E10": "1.5E+10", "123e-2": "1.23",
		"2.50E+2": "250", "0e0": "0", "1E0": "1", "-0e5": "0E+5", "1e400": "1E+400", "-1.5": "-1.5",
	} {
		got, ok := javaNumber(nil, lit)
		if !ok || string(got) != want {
			t.Errorf("%s: got %q, want %q", lit, got, want)
		}
	}
	for lit, want := range map[string]string{
		"1.50": "1.50", "1.05E+1": "10.5", "1E+2": "100", "0E-8": "0.00000000", "-0.5": "-0.5", "12": "12", "0e5": "0",
	} {
		if got, ok := plainDecimal(lit); !ok || got != want {
			t.Errorf("plain %s: got %q, want %q", lit, got, want)
		}
	}
	if _, ok := javaNumber(nil, "1e99999999999"); ok {
		t.Error("an exponent beyond int32 was accepted")
	}
}

// TestSDKFormLoneSurrogateKey: a key holding a lone surrogate sorts by its
// decoded UTF-16 unit (U+D800, after "A": RULES.md R5) and is then written
// as '?' (R11), so the form is not a fixed point there; fastjson's is not
// either. The body is the fuzzer's (testdata/fuzz/FuzzSDKForm).
func TestSDKFormLoneSurrogateKey(t *testing.T) {
	for body, want := range map[string]string{
		`{"\ud800":0,"A":0}`:                  `{"A":0,"?":0}`,
		`{"?":0,"A":0}`:                       `{"?":0,"A":0}`,
		`{"a":{"\udc00":1,"b":2,"\ue000":3}}`: `{"a":{"b":2,"?":1,"` + "\ue000" + `":3}}`,
	} {
		got, err := SDKForm([]byte(body))
		if err != nil || string(got) != want {
			t.Errorf("SDKForm(%s) = %s, %v; want %s", body, got, err, want)
		}
	}
}
