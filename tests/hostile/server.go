// Package hostile is a hostile HTTP server on 127.0.0.1 for the transport's
// tests, and the table of cases it serves with the exact result each must
// give (Cases). The same table drives core/transport directly, the JSON
// method surface (http.send, zvcms.verifyCoupons) in tests/hardening, and
// the C ABI from tests/hardening/c/hardening.c (through cmd/hostile, which
// writes it out).
//
// The server is raw TCP: it reads a request and then writes bytes no HTTP
// library would (endless status lines, header floods, broken chunks, 101,
// endless 100 Continue, drips, hangs, early closes, resets). Besides the
// plain listener it runs TLS listeners (a good certificate from a test CA,
// a self-signed one, an expired one, one for another host, a server that
// speaks only TLS 1.1) and a proxy (absolute-form forwarding and CONNECT)
// that counts what it relays. Certificates are made when the server starts;
// no key is ever written to disk.
package hostile

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/couponkit/couponkit/internal/testnet"
)

// VendorHost is the name the proxy relays to this server's listeners
// (vendor.example:80 to the plain one, vendor.example:443 to the good TLS
// one); it resolves nowhere else, so a request for it that arrives proves
// it went through the proxy.
const VendorHost = "vendor.example"

// ForbiddenHost is the name the proxy refuses to tunnel to (403).
const ForbiddenHost = "forbidden.example"

// TLS listener names.
const (
	TLSGood       = "good"        // a certificate for 127.0.0.1 and vendor.example from the test CA
	TLSSelfSigned = "self-signed" // a self-signed certificate for 127.0.0.1
	TLSExpired    = "expired"     // from the test CA, expired an hour ago
	TLSWrongHost  = "wrong-host"  // from the test CA, for other.example only
	TLS11         = "tls1.1"      // the good certificate, TLS 1.0 and 1.1 only
)

// Server is the hostile server. Create it with Start.
type Server struct {
	// Plain is the host:port of the raw TCP listener; the request's path
	// picks the behaviour (see Cases).
	Plain string
	// TLS maps the TLS listener names to their host:port.
	TLS map[string]string
	// Proxy is the host:port of the counting proxy.
	Proxy string
	// Closed is a host:port where nothing listens.
	Closed string
	// CAPEM is the test CA certificate (PEM): it signs the good, expired
	// and wrong-host certificates.
	CAPEM string
	// GoodPin and CAPin are the pins (Base64 SHA-256 of the
	// SubjectPublicKeyInfo) of the good certificate and of the CA.
	GoodPin, CAPin string

	lns []net.Listener
	wg  sync.WaitGroup

	mu        sync.Mutex
	hits      map[string]int   // requests per path on the plain and TLS listeners
	written   map[string]int64 // bytes written by the last reply per path
	conns     map[string]int   // connections that carried a request for a path
	forwarded int              // requests the proxy relayed
	tunnels   int              // CONNECT tunnels the proxy opened
	proxyAuth []string         // Proxy-Authorization values the proxy saw
	methods   map[string][]string
	active    map[net.Conn]struct{}
	closing   bool
}

// Start starts every listener on 127.0.0.1.
func Start() (*Server, error) {
	s := &Server{TLS: map[string]string{}, hits: map[string]int{}, written: map[string]int64{}, conns: map[string]int{}, methods: map[string][]string{},
		active: map[net.Conn]struct{}{}}
	certs, err := newCerts()
	if err != nil {
		return nil, err
	}
	s.CAPEM, s.GoodPin, s.CAPin = certs.caPEM, certs.goodPin, certs.caPin
	listen := func() (net.Listener, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err == nil {
			s.lns = append(s.lns, ln)
		}
		return ln, err
	}
	ln, err := listen()
	if err != nil {
		return nil, err
	}
	s.Plain = ln.Addr().String()
	s.serve(ln, nil)
	for name, conf := range map[string]*tls.Config{
		TLSGood:       {Certificates: []tls.Certificate{certs.good}},
		TLSSelfSigned: {Certificates: []tls.Certificate{certs.selfSigned}},
		TLSExpired:    {Certificates: []tls.Certificate{certs.expired}},
		TLSWrongHost:  {Certificates: []tls.Certificate{certs.wrongHost}},
		TLS11:         {Certificates: []tls.Certificate{certs.good}, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11},
	} {
		ln, err := listen()
		if err != nil {
			s.Close()
			return nil, err
		}
		s.TLS[name] = ln.Addr().String()
		s.serve(ln, conf)
	}
	pln, err := listen()
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Proxy = pln.Addr().String()
	s.accept(pln, s.proxy)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Closed = closed.Addr().String()
	closed.Close()
	return s, nil
}

// Close stops every listener, closes every connection and waits for their
// goroutines to end.
func (s *Server) Close() {
	for _, ln := range s.lns {
		ln.Close()
	}
	s.mu.Lock()
	s.closing = true
	for c := range s.active {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// URL returns the plain listener's URL for path ("/ok").
func (s *Server) URL(path string) string { return "http://" + s.Plain + path }

// Hits returns how many requests for path arrived (any listener).
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// Conns returns how many connections carried a request for path.
func (s *Server) Conns(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns[path]
}

// Methods returns the methods of the requests for path, in order.
func (s *Server) Methods(path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.methods[path]...)
}

// Written returns how many bytes the last reply for path wrote before the
// client stopped reading (or the reply ended).
func (s *Server) Written(path string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written[path]
}

// ProxyCounts returns how many requests the proxy relayed, how many
// tunnels it opened, and the Proxy-Authorization values it saw.
func (s *Server) ProxyCounts() (forwarded, tunnels int, auth []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.forwarded, s.tunnels, append([]string(nil), s.proxyAuth...)
}

// accept runs handle for every connection of ln.
func (s *Server) accept(ln net.Listener, handle func(net.Conn)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			if s.closing {
				s.mu.Unlock()
				c.Close()
				return
			}
			s.active[c] = struct{}{}
			s.wg.Add(1)
			s.mu.Unlock()
			go func() {
				defer s.wg.Done()
				defer func() {
					c.Close()
					s.mu.Lock()
					delete(s.active, c)
					s.mu.Unlock()
				}()
				handle(c)
			}()
		}
	}()
}

// serve answers the requests of ln (TLS when conf is not nil).
func (s *Server) serve(ln net.Listener, conf *tls.Config) {
	s.accept(ln, func(c net.Conn) {
		if conf != nil {
			tc := tls.Server(c, conf)
			_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
			if err := tc.Handshake(); err != nil {
				return
			}
			_ = tc.SetDeadline(time.Time{})
			c = tc
		}
		s.conversation(c)
	})
}

// request is a request as the server read it.
type request struct {
	method, path string
	header       textproto.MIMEHeader
	body         []byte
}

// conversation answers the requests on c: one, or more for the keep-alive
// behaviours.
func (s *Server) conversation(c net.Conn) {
	br := bufio.NewReader(c)
	for n := 1; ; n++ {
		first, err := br.Peek(1)
		if err != nil {
			return
		}
		if first[0] == 0x16 { // a TLS ClientHello on the plain listener
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"))
			return
		}
		r, err := readOne(br)
		if err != nil {
			return
		}
		path := r.path
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		s.mu.Lock()
		s.hits[path]++
		if n == 1 {
			s.conns[path]++
		}
		s.methods[path] = append(s.methods[path], r.method)
		s.mu.Unlock()
		b, ok := behaviours[path]
		if !ok {
			b = behaviours["/not-found"]
		}
		w := &countingWriter{w: c}
		again := b(&reply{conn: c, w: w, req: r, n: n})
		s.mu.Lock()
		s.written[path] = w.n
		s.mu.Unlock()
		if !again {
			return
		}
	}
}

// readOne reads one request from br, leaving br at the next one.
func readOne(br *bufio.Reader) (*request, error) {
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return nil, err
	}
	parts := strings.SplitN(line, " ", 3)
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "HTTP/1.") {
		return nil, errors.New("not an HTTP/1.x request line")
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return nil, err
	}
	r := &request{method: parts[0], path: parts[1], header: h}
	if n, _ := strconv.Atoi(h.Get("Content-Length")); n > 0 && n <= 1<<20 {
		r.body = make([]byte, n)
		if _, err := io.ReadFull(br, r.body); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// reply is what a behaviour writes to.
type reply struct {
	conn net.Conn
	w    *countingWriter
	req  *request
	n    int // the request's number on its connection (1 for the first)
}

// write writes s; it reports whether the client still reads.
func (r *reply) write(s string) bool {
	_, err := io.WriteString(r.w, s)
	return err == nil
}

// stream writes unit repeatedly until total bytes are written or the client
// stops reading.
func (r *reply) stream(unit string, total int64) {
	chunk := strings.Repeat(unit, 1+(64<<10)/len(unit))
	for r.w.n < total {
		if _, err := io.WriteString(r.w, chunk); err != nil {
			return
		}
	}
}

// drip writes s one byte at a time every gap, until done or the client
// goes.
func (r *reply) drip(s string, gap time.Duration) {
	for i := 0; i < len(s); i++ {
		if _, err := r.w.Write([]byte{s[i]}); err != nil {
			return
		}
		time.Sleep(gap)
	}
}

// hang waits until the client closes the connection (or 30 s).
func (r *reply) hang() {
	_ = r.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, _ = io.Copy(io.Discard, r.conn)
}

// reset closes the connection with a TCP RST.
func (r *reply) reset() {
	c := r.conn
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if tcp, ok := c.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	c.Close()
}

// proxy relays one request (absolute form) or one CONNECT tunnel.
func (s *Server) proxy(c net.Conn) {
	br := bufio.NewReader(c)
	r, err := readOne(br)
	if err != nil {
		return
	}
	s.mu.Lock()
	if a := r.header.Get("Proxy-Authorization"); a != "" {
		s.proxyAuth = append(s.proxyAuth, a)
	}
	s.mu.Unlock()
	target := func(hostport, defaultPort string) string {
		host, port, err := net.SplitHostPort(hostport)
		if err != nil {
			host, port = hostport, defaultPort
		}
		switch {
		case host == VendorHost && port == "443":
			return s.TLS[TLSGood]
		case host == VendorHost:
			return s.Plain
		}
		return net.JoinHostPort(host, port)
	}
	if r.method == "CONNECT" {
		host, _, _ := net.SplitHostPort(r.path)
		if host == ForbiddenHost {
			_, _ = c.Write([]byte("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"))
			return
		}
		up := s.dialUp(c, target(r.path, "443"), &s.tunnels)
		if up == nil {
			return
		}
		defer up.Close()
		_, _ = c.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
		testnet.Pipe(c, br, up)
		return
	}
	// Absolute form: GET http://host/path HTTP/1.1.
	rest := strings.TrimPrefix(r.path, "http://")
	if rest == r.path {
		_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
		return
	}
	hostport, path := rest, "/"
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		hostport, path = rest[:i], rest[i:]
	}
	up := s.dialUp(c, target(hostport, "80"), &s.forwarded)
	if up == nil {
		return
	}
	defer up.Close()
	var b bytes.Buffer
	b.WriteString(r.method + " " + path + " HTTP/1.1\r\n")
	for k, vs := range r.header {
		if k == "Proxy-Authorization" || k == "Proxy-Connection" {
			continue
		}
		for _, v := range vs {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	b.Write(r.body)
	if _, err := up.Write(b.Bytes()); err != nil {
		return
	}
	_, _ = io.Copy(c, up) // the origin's behaviours close after their reply
}

// dialUp connects the proxy to addr and counts the relay in *count, or
// answers the client 502 and returns nil.
func (s *Server) dialUp(c net.Conn, addr string, count *int) net.Conn {
	up, err := net.Dial("tcp", addr)
	if err != nil {
		_, _ = c.Write([]byte("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"))
		return nil
	}
	s.mu.Lock()
	*count++
	s.mu.Unlock()
	return up
}

// certs are the test certificates.
type certs struct {
	good, selfSigned, expired, wrongHost tls.Certificate
	caPEM, goodPin, caPin                string
}

// newCerts makes a CA and the listeners' certificates.
func newCerts() (*certs, error) {
	ca, err := testnet.New("couponkit hostile test CA")
	if err != nil {
		return nil, err
	}
	now := time.Now()
	loop := []net.IP{net.IPv4(127, 0, 0, 1)}
	out := &certs{caPEM: ca.PEM, caPin: ca.Pin}
	for _, l := range []struct {
		to   *tls.Certificate
		leaf testnet.Leaf
	}{
		{&out.good, testnet.Leaf{DNSNames: []string{VendorHost}, IPs: loop}},
		{&out.selfSigned, testnet.Leaf{DNSNames: []string{VendorHost}, IPs: loop, SelfSigned: true}},
		{&out.expired, testnet.Leaf{DNSNames: []string{VendorHost}, IPs: loop, NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-time.Hour)}},
		{&out.wrongHost, testnet.Leaf{DNSNames: []string{"other.example"}}},
	} {
		if *l.to, err = ca.Issue(l.leaf); err != nil {
			return nil, err
		}
	}
	out.goodPin = testnet.Pin(out.good.Leaf)
	return out, nil
}
