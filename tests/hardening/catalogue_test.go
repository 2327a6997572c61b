package hardening

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

// minCases is the least number of catalogue cases the issue asks for.
const minCases = 150

// TestCatalogue sends every catalogue case through invoke and checks the
// reply: one valid envelope, the expected code (and field), never INTERNAL,
// and (outside the race detector) within callBound of wall and CPU time.
func TestCatalogue(t *testing.T) {
	cases, err := Load(filepath.Join(root, "testdata", "badinput"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < minCases {
		t.Fatalf("the catalogue has %d cases, want at least %d", len(cases), minCases)
	}
	tr := &canned{}
	plain, plainEnv := newEnv(t, nil)
	withSend, sendEnv := newEnv(t, tr.send)
	var slowest time.Duration
	var slowName string
	for _, c := range cases {
		r, e := plain, plainEnv
		if c.Reply != nil {
			r, e = withSend, sendEnv
			tr.set(c.Reply)
		}
		body, err := e.Body(c)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		start, cpu0 := time.Now(), cpuTime()
		reply := r.Invoke(c.Method, body)
		took, cpu := time.Since(start), cpuTime()-cpu0
		if took > slowest {
			slowest, slowName = took, c.Name
		}
		if msg := judge(reply, c.Code, c.Field); msg != "" {
			t.Errorf("%s (%s): %s", c.Name, c.Method, msg)
		}
		// Over the bound means the call's own work: its wall time and the
		// process's CPU time during it both beyond it (a machine busy with
		// other work stretches the wall time alone).
		if !raceEnabled && took > callBound && cpu > callBound {
			t.Errorf("%s: took %v (%v CPU), over the bound of %v", c.Name, took, cpu, callBound)
		}
	}
	t.Logf("%d cases; slowest %s: %v", len(cases), slowName, slowest)
}

// judge returns "" when reply is a valid envelope with the expected code
// ("OK": success) and, when field is given, that error field; otherwise
// what is wrong. INTERNAL is always wrong.
func judge(reply []byte, code string, field *string) string {
	v, err := envelope(reply)
	if err != nil {
		return err.Error() + ": " + clipReply(reply)
	}
	got := v.Get("error.code").Str
	if v.Get("ok").Bool() {
		got = "OK"
	}
	switch {
	case got == string(errs.Internal):
		return "INTERNAL: " + clipReply(reply)
	case got != code:
		return "want " + code + ", got " + clipReply(reply)
	case field != nil && got != "OK" && v.Get("error.field").Str != *field:
		return "want field " + *field + ", got " + clipReply(reply)
	}
	return ""
}

func clipReply(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}
