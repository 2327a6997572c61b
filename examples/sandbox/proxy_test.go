package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/transport"
	"github.com/tidwall/gjson"
)

// The HTTPS listener (-tls-addr) is trusted with the CA it writes and with
// nothing else; the proxy (-proxy-addr) relays plain requests and CONNECT
// tunnels to it and counts both (the counts below are running totals), and
// answers GET /counts itself.
func TestTLSListenerAndProxy(t *testing.T) {
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok " + r.URL.Path)) })
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	tln, err := listenTLS("127.0.0.1:0", caFile)
	if err != nil {
		t.Fatal(err)
	}
	ts := &http.Server{Handler: origin}
	go func() { _ = ts.Serve(tln) }()
	defer ts.Close()
	plain := httptest.NewServer(origin)
	defer plain.Close()
	proxy := NewProxy()
	ps := httptest.NewServer(proxy)
	defer ps.Close()
	caPEM, err := os.ReadFile(caFile)
	// No key block (" KEY-----" ends every PEM key label; the base64 of the
	// certificate has no space, but may spell KEY).
	if err != nil || !strings.Contains(string(caPEM), "BEGIN CERTIFICATE") || strings.Contains(string(caPEM), " KEY-----") {
		t.Fatalf("CA file: %v %q", err, caPEM)
	}
	c, _ := transport.New(transport.Options{})
	tlsURL := "https://" + tln.Addr().String()
	_, port, _ := net.SplitHostPort(tln.Addr().String())
	for _, tc := range []struct {
		url                string
		opts               transport.TransportOptions
		forwarded, tunnels int
		reason             string
	}{
		{tlsURL + "/a", transport.TransportOptions{RootCAsPEM: string(caPEM)}, 0, 0, ""},
		{tlsURL + "/a", transport.TransportOptions{}, 0, 0, transport.ReasonTLS},
		{"https://localhost:" + port + "/a", transport.TransportOptions{RootCAsPEM: string(caPEM)}, 0, 0, ""},
		{plain.URL + "/b", transport.TransportOptions{Proxy: ps.URL}, 1, 0, ""},
		{tlsURL + "/c", transport.TransportOptions{Proxy: ps.URL, RootCAsPEM: string(caPEM)}, 1, 1, ""},
	} {
		resp, err := c.Do(context.Background(), transport.Request{Method: "GET", URL: tc.url, Transport: tc.opts})
		if tc.reason != "" {
			if e, ok := err.(*errs.Error); !ok || e.Reason != tc.reason {
				t.Errorf("%s %+v: %v, want %s", tc.url, tc.opts, err, tc.reason)
			}
			continue
		}
		if err != nil || resp.Status != 200 || !strings.HasPrefix(string(resp.Body), "ok /") {
			t.Fatalf("%s %+v: %v %+v", tc.url, tc.opts, err, resp)
		}
		counts, err := c.Do(context.Background(), transport.Request{Method: "GET", URL: ps.URL + "/counts", Transport: transport.TransportOptions{Proxy: "none"}})
		if err != nil {
			t.Fatal(err)
		}
		if f, n := gjson.GetBytes(counts.Body, "forwarded").Int(), gjson.GetBytes(counts.Body, "tunnels").Int(); int(f) != tc.forwarded || int(n) != tc.tunnels {
			t.Errorf("%s %+v: counts %s, want %d forwarded and %d tunnels", tc.url, tc.opts, counts.Body, tc.forwarded, tc.tunnels)
		}
	}
}
