package hardening

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/transport"
	"github.com/couponkit/couponkit/tests/hostile"
	"github.com/tidwall/gjson"
)

// hostileRegistry is a registry wired as the C ABI's is (capi/transport.go),
// over a fresh transport.Client: the case's transport options reach it
// through the JSON request's "transport" member.
func hostileRegistry(t testing.TB) *invoke.Registry {
	t.Helper()
	cl, err := transport.New(transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return invoke.New(invoke.Options{Send: cl.Send, CheckTransport: transport.Check})
}

// replyOutcome states a reply envelope of layer as a hostile.Outcome, with
// the error message and the http.send body.
func replyOutcome(layer string, reply []byte) (hostile.Outcome, string, string) {
	v := gjson.ParseBytes(reply)
	if v.Get("ok").Bool() && layer == hostile.LayerSend {
		return hostile.Outcome{Code: "OK", Status: int(v.Get("result.status").Int())}, "", v.Get("result.body").Str
	}
	if v.Get("ok").Bool() {
		return hostile.Outcome{Code: "OK"}, "", ""
	}
	e := v.Get("error")
	return hostile.Outcome{Code: e.Get("code").Str, Reason: e.Get("reason").Str, Field: e.Get("field").Str}, e.Get("message").Str, ""
}

// checkReply checks one envelope of case c at layer.
func checkReply(t *testing.T, c hostile.Case, layer string, reply []byte) {
	t.Helper()
	if _, err := envelope(reply); err != nil {
		t.Errorf("%s via %s: %v: %.300s", c.Name, layer, err, reply)
		return
	}
	got, msg, body := replyOutcome(layer, reply)
	if want := c.Want(layer); got != want {
		t.Errorf("%s via %s: got %v (%s), want %v", c.Name, layer, got, msg, want)
		return
	}
	if c.Message != "" && !strings.Contains(msg, c.Message) {
		t.Errorf("%s via %s: message %q does not say %q", c.Name, layer, msg, c.Message)
	}
	for _, secret := range hostile.Secrets {
		if strings.Contains(string(reply), secret) {
			t.Errorf("%s via %s: the reply holds the secret %q: %.300s", c.Name, layer, secret, reply)
		}
	}
	if layer == hostile.LayerSend && got.Code == "OK" && c.Body != nil && utf8.Valid(c.Body) && body != string(c.Body) {
		t.Errorf("%s via %s: body %q, want %q", c.Name, layer, body, c.Body)
	}
}

// TestHostileThroughInvoke runs the hostile cases through http.send and
// zvcms.verifyCoupons (the JSON surface the C ABI, C# and Delphi call),
// except the floods and the environment-proxy cases
// (TestHostileInvokeChildren).
func TestHostileThroughInvoke(t *testing.T) {
	s, err := hostile.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	for _, c := range hostile.Cases() {
		if c.Flood || c.EnvProxy {
			continue
		}
		r := hostileRegistry(t)
		for _, layer := range c.Layers() {
			n++
			f0, t0, _ := s.ProxyCounts()
			method, req := c.JSON(s, layer)
			checkReply(t, c, layer, r.Invoke(method, []byte(req)))
			f1, t1, _ := s.ProxyCounts()
			if f1-f0 != c.Forwarded || t1-t0 != c.Tunnels {
				t.Errorf("%s via %s: the proxy relayed %d requests and %d tunnels, want %d and %d", c.Name, layer, f1-f0, t1-t0, c.Forwarded, c.Tunnels)
			}
		}
	}
	if got := s.Hits("/inject"); got != 0 {
		t.Errorf("%d refused requests reached the server", got)
	}
	t.Logf("%d hostile calls through invoke", n)
}

// TestHostileInvokeChildren runs the flood and environment-proxy cases
// through invoke, each call in a child process (TestHostileInvokeChild)
// that reports how far it raised its peak resident memory: under
// hostile.FloodPeakBytes for every flood.
func TestHostileInvokeChildren(t *testing.T) {
	if hostile.RaceEnabled {
		// A child under the race detector takes a second to start, and
		// its peak memory is not the library's; core/transport runs the
		// same cases in children under the race detector.
		t.Skip("run without the race detector by make test-hardening (hardening-go)")
	}
	s, err := hostile.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range hostile.Cases() {
		if !c.Flood && !c.EnvProxy {
			continue
		}
		for _, layer := range c.Layers() {
			f0, t0, _ := s.ProxyCounts()
			r, err := hostile.RunChild(s, "TestHostileInvokeChild", c, layer)
			if err != nil {
				t.Fatalf("%s via %s: %v", c.Name, layer, err)
			}
			if want := c.Want(layer); r.Outcome != want || r.Problem != "" {
				t.Errorf("%s via %s: got %v (%s) %s, want %v", c.Name, layer, r.Outcome, r.Message, r.Problem, want)
			}
			f1, t1, _ := s.ProxyCounts()
			if f1-f0 != c.Forwarded || t1-t0 != c.Tunnels {
				t.Errorf("%s via %s: the proxy relayed %d requests and %d tunnels, want %d and %d", c.Name, layer, f1-f0, t1-t0, c.Forwarded, c.Tunnels)
			}
			if !c.Flood {
				continue
			}
			t.Logf("%-32s %-6s %-26v peak +%5.1f MiB", c.Name, layer, r.Outcome, float64(r.PeakGrowth)/(1<<20))
			if r.PeakGrowth >= hostile.FloodPeakBytes && !hostile.RaceEnabled {
				t.Errorf("%s via %s: peak memory rose by %d bytes, over %d", c.Name, layer, r.PeakGrowth, hostile.FloodPeakBytes)
			}
		}
	}
}

// TestHostileInvokeChild is the child of TestHostileInvokeChildren.
func TestHostileInvokeChild(t *testing.T) {
	c, s, layer, ok := hostile.ChildCase()
	if !ok {
		t.Skip("run by TestHostileInvokeChildren")
	}
	reg := hostileRegistry(t)
	method, req := c.JSON(s, layer)
	peak, err := hostile.StartPeak()
	if err != nil {
		t.Fatal(err)
	}
	reply := reg.Invoke(method, []byte(req))
	rep := hostile.Report{}
	rep.Outcome, rep.Message, _ = replyOutcome(layer, reply)
	if rep.PeakGrowth, err = peak(); err != nil {
		rep.Problem = err.Error()
	}
	if _, err := envelope(reply); err != nil {
		rep.Problem = err.Error()
	}
	rep.Print()
}
