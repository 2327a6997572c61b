// Command sandbox is a local stand-in for the two coupon APIs couponkit
// speaks: the zvcms OpenAPI v2 endpoint and an Allinpay shopoint gateway,
// over one coupon state, for demos and end-to-end tests.
//
//	go run ./examples/sandbox -addr 127.0.0.1:0 -seed testdata/sandbox/seed.json
//
// prints the base URL (http://127.0.0.1:PORT) alone on the first line of
// stdout, then serves until SIGINT/SIGTERM. The zvcms endpoint is
// <base>/api/v2 and the gateway <base>/allinpay/gateway (seed "client"
// paths). With -tls-addr it serves the same over HTTPS too, with a
// certificate from a CA made at start (written to -tls-ca), and prints
// "tls https://…" on the next line; with -proxy-addr it runs a counting
// forward proxy and prints "proxy http://…". See examples/sandbox/README.md.
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/couponkit/couponkit/internal/testnet"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (port 0 picks a free port)")
	seedPath := flag.String("seed", "testdata/sandbox/seed.json", "seed file: credentials, keys, templates, members, coupons")
	statePath := flag.String("state", "", "state file: loaded at start when it exists, rewritten atomically after every change (\"\" keeps state in memory)")
	faultSpec := flag.String("fault", "", "fault injected into API requests: latency=<dur>,status=<code>,truncate,drop")
	faultEvery := flag.Int("fault-every", 1, "inject -fault into every N-th API request only")
	quiet := flag.Bool("quiet", false, "do not log requests on stderr")
	replyVariant := flag.String("allinpay-reply", "", "how Allinpay replies are signed: sdk+md5 (default), sdk+direct, raw+direct or raw+md5 (overrides the seed)")
	requestProfile := flag.String("allinpay-request-profile", "", "the Allinpay request signing profile accepted: rules, sdk or any (default: the seed's, else any)")
	reversal := flag.String("reversal-action", DefaultReversalAction, "zvcms Action serving reversals (冲正); the default is the sandbox's own name, not the vendor's (which is not public)")
	replyBizID := flag.String("reply-bizid", ReplyBizIDSent, "bizId a verify or consume reply returns: sent (the request's) or own (the sandbox's, never the one sent)")
	tlsAddr := flag.String("tls-addr", "", "also serve HTTPS on this address, with a certificate for 127.0.0.1, ::1 and localhost from a CA made at start (needs -tls-ca)")
	tlsCA := flag.String("tls-ca", "", "file the -tls-addr CA certificate (PEM, no key) is written to, for clients' transport.rootCAs")
	proxyAddr := flag.String("proxy-addr", "", "also run a counting forward proxy (plain and CONNECT, to any host) on this address; GET /counts on it gives its counts")
	flag.Parse()
	log.SetFlags(log.Ltime | log.Lmicroseconds)
	log.SetPrefix("sandbox: ")

	fault, err := ParseFault(*faultSpec)
	if err != nil {
		log.Fatal(err)
	}
	seed, err := LoadSeed(*seedPath)
	if err != nil {
		log.Fatal(err)
	}
	srv, err := NewServer(Config{Seed: seed, StatePath: *statePath, Fault: fault, FaultEvery: *faultEvery,
		ReplyVariant: *replyVariant, RequestProfile: *requestProfile,
		ReversalAction: *reversal, ReplyBizID: *replyBizID})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	var h http.Handler = srv
	if !*quiet {
		h = logRequests(srv)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	servers := []*http.Server{hs}
	lines := fmt.Sprintf("http://%s\n", ln.Addr())
	if *tlsAddr != "" {
		tln, err := listenTLS(*tlsAddr, *tlsCA)
		if err != nil {
			log.Fatal(err)
		}
		ts := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, ts)
		go serve(ts, tln)
		lines += fmt.Sprintf("tls https://%s\n", tln.Addr())
	}
	if *proxyAddr != "" {
		pln, err := net.Listen("tcp", *proxyAddr)
		if err != nil {
			log.Fatal(err)
		}
		ps := &http.Server{Handler: NewProxy(), ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, ps)
		go serve(ps, pln)
		lines += fmt.Sprintf("proxy http://%s\n", pln.Addr())
	}
	fmt.Print(lines)
	_ = os.Stdout.Sync()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		for _, s := range servers[1:] {
			_ = s.Shutdown(ctx)
		}
		_ = hs.Shutdown(ctx)
	}()
	c := srv.Counts()
	log.Printf("serving zvcms at %s and allinpay at %s (%d coupons, %d redemptions)",
		seed.Client.ZvcmsPath, seed.Client.AllinpayPath, c.Coupons, c.Redemptions)
	if err := hs.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
	log.Printf("stopped")
}

// serve runs s on ln until it is shut down.
func serve(s *http.Server, ln net.Listener) {
	if err := s.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

// listenTLS listens on addr with TLS, with a certificate for 127.0.0.1,
// ::1 and localhost (and addr's host) issued by a CA made now, whose
// certificate is written to caFile.
func listenTLS(addr, caFile string) (net.Listener, error) {
	if caFile == "" {
		return nil, fmt.Errorf("-tls-addr needs -tls-ca (the file the CA certificate is written to)")
	}
	ca, err := testnet.New("couponkit sandbox test CA")
	if err != nil {
		return nil, err
	}
	leaf := testnet.Leaf{DNSNames: []string{"localhost"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" && net.ParseIP(host) == nil && host != "localhost" {
		leaf.DNSNames = append(leaf.DNSNames, host)
	} else if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() && !ip.IsUnspecified() {
		leaf.IPs = append(leaf.IPs, ip)
	}
	cert, err := ca.Issue(leaf)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(caFile, []byte(ca.PEM), 0o644); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), nil
}

// logRequests logs one line per request on stderr.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		log.Printf("%s %s %s (%s)", r.Method, r.URL.Path, r.Header.Get(FaultHeader), time.Since(start).Round(time.Microsecond))
	})
}
