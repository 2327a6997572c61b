package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/couponkit/couponkit/internal/testnet"
)

// Proxy is a stand-in for a shop network's HTTP proxy (-proxy-addr): it
// relays absolute-form requests (http://host/path) and CONNECT tunnels
// (https) to any host, and counts them, so a test can prove that a
// client's requests went through it. A request for the proxy itself
// (origin form) is answered: GET /counts gives {"forwarded":N,"tunnels":N},
// anything else 404. Proxy-Authorization is accepted and not checked.
type Proxy struct {
	mu                 sync.Mutex
	forwarded, tunnels int
	relay              *http.Transport
}

// NewProxy returns a proxy that dials upstream servers directly (never
// through another proxy).
func NewProxy() *Proxy {
	return &Proxy{relay: &http.Transport{Proxy: nil, DisableCompression: true, ResponseHeaderTimeout: 30 * time.Second}}
}

// Counts returns how many requests the proxy relayed and how many tunnels
// it opened.
func (p *Proxy) Counts() (forwarded, tunnels int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.forwarded, p.tunnels
}

func (p *Proxy) count(n *int) {
	p.mu.Lock()
	*n++
	p.mu.Unlock()
}

// ServeHTTP relays r, or answers it when it is for the proxy itself.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodConnect:
		p.tunnel(w, r)
	case r.URL.IsAbs():
		p.forward(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/counts":
		f, t := p.Counts()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]int{"forwarded": f, "tunnels": t})
	default:
		http.NotFound(w, r)
	}
}

// forward relays an absolute-form request and its reply.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request) {
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Authorization")
	out.Header.Del("Proxy-Connection")
	resp, err := p.relay.RoundTrip(out)
	if err != nil {
		http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	p.count(&p.forwarded)
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// tunnel opens a CONNECT tunnel to r.Host.
func (p *Proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	up, err := net.DialTimeout("tcp", r.Host, 10*time.Second)
	if err != nil {
		http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		up.Close()
		http.Error(w, "proxy: cannot tunnel", http.StatusInternalServerError)
		return
	}
	c, buf, err := hj.Hijack()
	if err != nil {
		up.Close()
		return
	}
	p.count(&p.tunnels)
	_, _ = c.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	testnet.Pipe(c, buf, up)
}
