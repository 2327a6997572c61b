// Command sandbox is a local stand-in for the two coupon APIs couponkit
// speaks: the zvcms OpenAPI v2 endpoint and an Allinpay shopoint gateway,
// over one coupon state, for demos and end-to-end tests.
//
//	go run ./examples/sandbox -addr 127.0.0.1:0 -seed testdata/sandbox/seed.json
//
// prints the base URL (http://127.0.0.1:PORT) alone on the first line of
// stdout, then serves until SIGINT/SIGTERM. The zvcms endpoint is
// <base>/api/v2 and the gateway <base>/allinpay/gateway (seed "client"
// paths). See examples/sandbox/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
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
	fmt.Printf("http://%s\n", ln.Addr())
	_ = os.Stdout.Sync()
	var h http.Handler = srv
	if !*quiet {
		h = logRequests(srv)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
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

// logRequests logs one line per request on stderr.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		log.Printf("%s %s %s (%s)", r.Method, r.URL.Path, r.Header.Get(FaultHeader), time.Since(start).Round(time.Microsecond))
	})
}
