package hostile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Child processes: a flood case runs in a process of its own so that its
// peak memory is its alone (the server streams from the parent), and an
// environment-proxy case because net/http reads HTTP_PROXY once per
// process. The parent runs its own test binary again with -test.run set to
// a test that calls ChildCase.

const (
	envServer = "COUPONKIT_HOSTILE_SERVER"
	envCase   = "COUPONKIT_HOSTILE_CASE"
	envLayer  = "COUPONKIT_HOSTILE_LAYER"
	reportTag = "HOSTILE-REPORT "
)

// Report is what a child found.
type Report struct {
	// Outcome is the result of the call.
	Outcome Outcome
	// Message is the error message ("" on success).
	Message string
	// PeakGrowth is how far the call raised the child's peak resident
	// memory above its resident memory before the call, in bytes.
	PeakGrowth int64
	// Problem is anything else the child checked and found wrong.
	Problem string
}

// ProxyEnv is the environment that sends requests through s's proxy.
func (s *Server) ProxyEnv() []string {
	p := "http://" + s.Proxy
	return []string{"HTTP_PROXY=" + p, "HTTPS_PROXY=" + p, "http_proxy=" + p, "https_proxy=" + p, "NO_PROXY=", "no_proxy="}
}

// RunChild runs test (a test name of the running test binary) in a child
// process for c at layer, with the proxy environment when c needs it and
// none otherwise, and returns its report.
func RunChild(s *Server, test string, c Case, layer string) (Report, error) {
	addrs, err := json.Marshal(s)
	if err != nil {
		return Report{}, err
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	for _, e := range os.Environ() {
		if k, _, _ := strings.Cut(e, "="); !strings.EqualFold(k, "http_proxy") && !strings.EqualFold(k, "https_proxy") && !strings.EqualFold(k, "no_proxy") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Env = append(cmd.Env, envServer+"="+string(addrs), envCase+"="+c.Name, envLayer+"="+layer)
	if c.EnvProxy {
		cmd.Env = append(cmd.Env, s.ProxyEnv()...)
	}
	out, err := cmd.CombinedOutput()
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, reportTag) {
			var r Report
			if jerr := json.Unmarshal([]byte(line[len(reportTag):]), &r); jerr != nil {
				return r, jerr
			}
			return r, nil
		}
	}
	return Report{}, fmt.Errorf("the child gave no report (%v): %s", err, clipOut(out))
}

func clipOut(b []byte) string {
	if len(b) > 2000 {
		return string(b[len(b)-2000:])
	}
	return string(b)
}

// ChildCase returns the case, the server and the layer a child process is
// to run, and false when the process is not a child.
func ChildCase() (Case, *Server, string, bool) {
	addrs := os.Getenv(envServer)
	if addrs == "" {
		return Case{}, nil, "", false
	}
	s := &Server{}
	if err := json.Unmarshal([]byte(addrs), s); err != nil {
		panic(err)
	}
	name := os.Getenv(envCase)
	for _, c := range Cases() {
		if c.Name == name {
			return c, s, os.Getenv(envLayer), true
		}
	}
	panic("hostile: no case " + name)
}

// Print writes the report for the parent to find.
func (r Report) Print() {
	b, _ := json.Marshal(r)
	fmt.Println(reportTag + string(b))
}

// StartPeak resets the process's peak resident memory to its current
// resident memory (Linux: /proc/self/clear_refs) and returns a function
// reporting how far the peak has risen since, in bytes.
func StartPeak() (func() (int64, error), error) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return nil, err
	}
	start, err := statusKB("VmRSS")
	if err != nil {
		return nil, err
	}
	return func() (int64, error) {
		// VmHWM may lag VmRSS: take the larger.
		peak, err := statusKB("VmHWM")
		if err != nil {
			return 0, err
		}
		rss, err := statusKB("VmRSS")
		if rss > peak {
			peak = rss
		}
		return (peak - start) << 10, err
	}, nil
}

// statusKB reads a "Name: N kB" line of /proc/self/status.
func statusKB(name string) (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no " + name + " in /proc/self/status")
}
