package transport

import (
	"context"
	"os"
	"testing"

	"github.com/couponkit/couponkit/tests/hostile"
	"golang.org/x/sys/windows/registry"
)

// TestSystemProxyFromRegistry sets the Internet Options proxy of the current
// user to the hostile server's proxy and sends through Proxy "system". It
// changes the user's settings (and puts them back), so it runs only when
// COUPONKIT_REGISTRY_TEST=1: make test-transport-wine sets it under Wine.
func TestSystemProxyFromRegistry(t *testing.T) {
	if os.Getenv("COUPONKIT_REGISTRY_TEST") != "1" {
		t.Skip("changes the user's Internet Options proxy; make test-transport-wine runs it under Wine (COUPONKIT_REGISTRY_TEST=1)")
	}
	s := startHostile(t)
	k, _, err := registry.CreateKey(registry.CURRENT_USER, internetSettings, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	oldEnable, _, enableErr := k.GetIntegerValue("ProxyEnable")
	oldServer, _, serverErr := k.GetStringValue("ProxyServer")
	defer func() {
		if enableErr == nil {
			_ = k.SetDWordValue("ProxyEnable", uint32(oldEnable))
		} else {
			_ = k.DeleteValue("ProxyEnable")
		}
		if serverErr == nil {
			_ = k.SetStringValue("ProxyServer", oldServer)
		} else {
			_ = k.DeleteValue("ProxyServer")
		}
	}()
	set := func(enable uint32, server string) {
		if err := k.SetDWordValue("ProxyEnable", enable); err != nil {
			t.Fatal(err)
		}
		if err := k.SetStringValue("ProxyServer", server); err != nil {
			t.Fatal(err)
		}
	}
	set(1, "http="+s.Proxy+";https="+s.Proxy)
	c, _ := New(Options{Retries: -1, Transport: TransportOptions{Proxy: "system", RootCAsPEM: s.CAPEM}})
	f0, t0, _ := s.ProxyCounts()
	for _, u := range []string{"http://" + hostile.VendorHost + "/ok", "https://" + hostile.VendorHost + "/ok"} {
		if resp, err := c.Do(context.Background(), Request{URL: u}); err != nil || resp.Status != 200 {
			t.Fatalf("%s through the system proxy: %v", u, err)
		}
	}
	if f1, t1, _ := s.ProxyCounts(); f1-f0 != 1 || t1-t0 != 1 {
		t.Fatalf("the system proxy relayed %d requests and %d tunnels, want 1 and 1", f1-f0, t1-t0)
	}
	// Turned off: direct, so vendor.example (which only the proxy knows)
	// is not reached.
	set(0, s.Proxy)
	if _, err := c.Do(context.Background(), Request{URL: "http://" + hostile.VendorHost + "/ok", TimeoutMs: 3000}); err == nil {
		t.Fatal("ProxyEnable 0: vendor.example was reached")
	}
	if f2, _, _ := s.ProxyCounts(); f2-f0 != 1 {
		t.Fatal("ProxyEnable 0 still went through the proxy")
	}
}
