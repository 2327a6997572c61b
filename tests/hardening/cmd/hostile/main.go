// Command hostile serves the hostile cases (tests/hostile) on 127.0.0.1 for
// a program that runs them through the C ABI: it starts the server, writes
// the cases in the line format tests/hardening/c/hardening.c reads,
//
//	H\t<name>\t<method>\t<code>\t<reason or ->\t<field or ->\t<message or ->\t<status>\t<flood 0|1>\t<len>\n<request>\n
//
// (the field as it is written in a JSON reply), then one line per secret no
// reply may hold (the URLs' query string, the proxy password, the openKey),
//
//	S\t<len>\n<secret>\n
//
// runs the command with
// "@CASES@" replaced by the file and HTTP_PROXY / HTTPS_PROXY set to the
// server's counting proxy, and then checks what the server saw: no refused
// request arrived, and the proxy relayed exactly the requests and tunnels
// every case makes (explicit proxies in the requests' "transport" member,
// the environment's). The exit status is 0 when the command and these
// checks passed. Every case of the table is written, each through http.send
// and, unless it sets the method, URL or content type, zvcms.verifyCoupons.
//
// Usage: hostile -out build/hardening/hostile.txt -- CMD [ARG…]
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/tests/hostile"
)

func main() {
	out := flag.String("out", "build/hardening/hostile.txt", "case file to write")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: hostile -out FILE -- CMD [ARG…]")
		os.Exit(2)
	}
	if err := run(*out, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

// jsonText is s as it appears inside a JSON string written by the library.
func jsonText(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	t := strings.TrimSpace(b.String())
	return t[1 : len(t)-1]
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func run(out string, command []string) error {
	s, err := hostile.Start()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	calls, forwarded, tunnels := 0, 0, 0
	for _, c := range hostile.Cases() {
		for _, layer := range c.Layers() {
			method, req := c.JSON(s, layer)
			want := c.Want(layer)
			flood := 0
			if c.Flood {
				flood = 1
			}
			fmt.Fprintf(w, "H\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n%s\n", c.Name, method, want.Code, orDash(want.Reason),
				orDash(jsonText(want.Field)), orDash(c.Message), want.Status, flood, len(req), req)
			calls++
			forwarded += c.Forwarded
			tunnels += c.Tunnels
		}
	}
	for _, secret := range hostile.Secrets {
		fmt.Fprintf(w, "S\t%d\n%s\n", len(secret), secret)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	args := make([]string, len(command))
	for i, a := range command {
		args[i] = strings.Replace(a, "@CASES@", out, -1)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	for _, e := range os.Environ() {
		if k, _, _ := strings.Cut(e, "="); !strings.EqualFold(k, "http_proxy") && !strings.EqualFold(k, "https_proxy") && !strings.EqualFold(k, "no_proxy") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Env = append(cmd.Env, s.ProxyEnv()...)
	fmt.Printf("hostile: %d calls written to %s; server %s, proxy %s (HTTP_PROXY, HTTPS_PROXY)\n", calls, out, s.Plain, s.Proxy)
	runErr := cmd.Run()
	f1, t1, _ := s.ProxyCounts()
	var problems []string
	if runErr != nil {
		problems = append(problems, args[0]+": "+runErr.Error())
	}
	if n := s.Hits("/inject"); n != 0 {
		problems = append(problems, strconv.Itoa(n)+" refused requests reached the server")
	}
	if f1 != forwarded || t1 != tunnels {
		problems = append(problems, fmt.Sprintf("the proxy relayed %d requests and %d tunnels, want %d and %d", f1, t1, forwarded, tunnels))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	fmt.Printf("hostile: no refused request reached the server; the proxy relayed %d requests and %d tunnels, as expected\n", f1, t1)
	return nil
}
