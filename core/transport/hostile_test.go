package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/tests/hostile"
)

// startHostile starts the hostile server for one test.
func startHostile(t *testing.T) *hostile.Server {
	t.Helper()
	s, err := hostile.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// outcomeOf states a Do result as the JSON envelope would.
func outcomeOf(resp *Response, err error) (hostile.Outcome, string) {
	if err == nil {
		return hostile.Outcome{Code: "OK", Status: resp.Status}, ""
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		return hostile.Outcome{Code: "NOT_AN_ERRS_ERROR"}, err.Error()
	}
	return hostile.Outcome{Code: string(e.Kind), Reason: e.Reason, Field: e.Field}, e.Message
}

// checkCase checks a Do result against the case.
func checkCase(t *testing.T, c hostile.Case, resp *Response, err error) {
	t.Helper()
	got, msg := outcomeOf(resp, err)
	if want := c.Want(hostile.LayerTransport); got != want {
		t.Fatalf("%s: got %v (%s), want %v", c.Name, got, msg, want)
	}
	if c.Message != "" && !strings.Contains(msg, c.Message) {
		t.Errorf("%s: message %q does not say %q", c.Name, msg, c.Message)
	}
	for _, secret := range hostile.Secrets {
		if strings.Contains(msg, secret) {
			t.Errorf("%s: message %q holds the secret %q", c.Name, msg, secret)
		}
	}
	if err == nil && c.Body != nil && !bytes.Equal(resp.Body, c.Body) {
		t.Errorf("%s: body %q, want %q", c.Name, resp.Body, c.Body)
	}
}

// TestHostile runs every hostile case in this process except the floods
// and the environment-proxy ones (TestHostileChildren), and checks that no
// refused request reached the server.
func TestHostile(t *testing.T) {
	s := startHostile(t)
	c, err := New(Options{Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, hc := range hostile.Cases() {
		if hc.Flood || hc.EnvProxy {
			continue
		}
		n++
		f0, t0, _ := s.ProxyCounts()
		resp, err := c.Do(context.Background(), hc.Request(s))
		checkCase(t, hc, resp, err)
		f1, t1, auth := s.ProxyCounts()
		if f1-f0 != hc.Forwarded || t1-t0 != hc.Tunnels {
			t.Errorf("%s: the proxy relayed %d requests and %d tunnels, want %d and %d", hc.Name, f1-f0, t1-t0, hc.Forwarded, hc.Tunnels)
		}
		if want := "Basic " + base64.StdEncoding.EncodeToString([]byte("till:"+hostile.ProxyPassword)); hc.Forwarded+hc.Tunnels > 0 && (len(auth) == 0 || auth[len(auth)-1] != want) {
			t.Errorf("%s: the proxy saw the credentials %q, want %s (till:%s)", hc.Name, auth, want, hostile.ProxyPassword)
		}
		if hc.Name == "ok" && (strings.Join(resp.Values("Set-Cookie"), ",") != "a=1,b=2" || strings.Join(resp.Values("x-rep"), ",") != "one,two") {
			t.Errorf("ok: repeated headers %v", resp.Headers)
		}
	}
	if got := s.Hits("/inject"); got != 0 {
		t.Errorf("%d refused requests reached the server", got)
	}
	if got := s.Hits("/redirect-target"); got != 0 {
		t.Errorf("a redirect was followed %d times", got)
	}
	t.Logf("%d hostile cases in process", n)
}

// TestHostileChildren runs the flood cases and the environment-proxy cases,
// each in a child process (TestHostileChild) that reports its outcome and
// how far the call raised its peak resident memory: under
// hostile.FloodPeakBytes for every flood.
func TestHostileChildren(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the children read their peak memory from /proc")
	}
	s := startHostile(t)
	for _, hc := range hostile.Cases() {
		if !hc.Flood && !hc.EnvProxy {
			continue
		}
		f0, t0, _ := s.ProxyCounts()
		r, err := hostile.RunChild(s, "TestHostileChild", hc, hostile.LayerTransport)
		if err != nil {
			t.Fatalf("%s: %v", hc.Name, err)
		}
		if want := hc.Want(hostile.LayerTransport); r.Outcome != want || r.Problem != "" {
			t.Errorf("%s: got %v (%s) %s, want %v", hc.Name, r.Outcome, r.Message, r.Problem, want)
		}
		if hc.Message != "" && !strings.Contains(r.Message, hc.Message) {
			t.Errorf("%s: message %q does not say %q", hc.Name, r.Message, hc.Message)
		}
		f1, t1, _ := s.ProxyCounts()
		if f1-f0 != hc.Forwarded || t1-t0 != hc.Tunnels {
			t.Errorf("%s: the proxy relayed %d requests and %d tunnels, want %d and %d", hc.Name, f1-f0, t1-t0, hc.Forwarded, hc.Tunnels)
		}
		if hc.Flood {
			t.Logf("%-32s %-26v peak +%5.1f MiB  (server offered %d MiB, wrote %.1f MiB)", hc.Name, r.Outcome,
				float64(r.PeakGrowth)/(1<<20), hostile.FloodBytes>>20, float64(s.Written(hc.Path))/(1<<20))
			if r.PeakGrowth >= hostile.FloodPeakBytes && !hostile.RaceEnabled {
				t.Errorf("%s: peak memory rose by %d bytes, over %d", hc.Name, r.PeakGrowth, hostile.FloodPeakBytes)
			}
		}
	}
}

// TestHostileChild is the child of TestHostileChildren.
func TestHostileChild(t *testing.T) {
	hc, s, _, ok := hostile.ChildCase()
	if !ok {
		t.Skip("run by TestHostileChildren")
	}
	c, err := New(Options{Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	peak, err := hostile.StartPeak()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), hc.Request(s))
	r := hostile.Report{}
	r.Outcome, r.Message = outcomeOf(resp, err)
	if r.PeakGrowth, err = peak(); err != nil {
		r.Problem = err.Error()
	}
	if r.Outcome.Code == "OK" && hc.Body != nil && !bytes.Equal(resp.Body, hc.Body) {
		r.Problem = fmt.Sprintf("body %q", resp.Body)
	}
	r.Print()
}
