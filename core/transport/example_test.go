package transport_test

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/transport"
)

// Send a built request and tell a reply from a transport failure.
func ExampleClient_Do() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = w.Write([]byte(`{"status":"true","code":"0","message":"ok"}`))
	}))
	defer srv.Close()

	hc, err := transport.New(transport.Options{Timeout: 5 * time.Second})
	if err != nil {
		panic(err)
	}
	resp, err := hc.Do(context.Background(), transport.Request{
		URL: srv.URL + "/api/v2", ContentType: "application/json", Body: []byte(`{"Action":"…"}`)})
	fmt.Println(resp.Status, string(resp.Body), err)

	// A verification is never retried: after this error its outcome is
	// unknown, and the caller repeats it with the same bizId.
	_, err = hc.Do(context.Background(), transport.Request{URL: srv.URL + "/down", Body: []byte("{}")})
	var e *errs.Error
	if errors.As(err, &e) {
		fmt.Println(e.Kind, e.Reason)
	}
	// Output:
	// 200 {"status":"true","code":"0","message":"ok"} <nil>
	// TRANSPORT_ERROR http_status
}

// Reach a server with a private CA through the options every request may
// carry, and watch each exchange with a trace (secrets redacted).
func ExampleClient_Do_transportOptions() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"status":"true","code":"0","sign":"c2lnbmF0dXJl"}`))
	}))
	defer srv.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})

	hc, err := transport.New(transport.Options{
		Transport: transport.TransportOptions{
			RootCAsPEM: string(ca),                                   // added to the system roots
			PinSHA256:  []string{transport.PinOf(srv.Certificate())}, // and the key must be this one
			Proxy:      "none",                                       // not HTTP_PROXY / HTTPS_PROXY
		},
		Trace: func(ev transport.TraceEvent) {
			fmt.Printf("trace: %s %d %s\n", ev.Method, ev.Status, ev.ResponseBody)
		},
	})
	if err != nil {
		panic(err)
	}
	resp, err := hc.Do(context.Background(), transport.Request{URL: srv.URL + "/api/v2", ContentType: "application/json",
		Body: []byte(`{"Token":"secret"}`), TimeoutMs: 5000})
	fmt.Println(resp.Status, err)
	// Output:
	// trace: POST 200 {"status":"true","code":"0","sign":"***"}
	// 200 <nil>
}
