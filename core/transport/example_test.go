package transport_test

import (
	"context"
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
