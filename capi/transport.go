//go:build !couponkit_notransport

package main

import (
	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/transport"
)

// init wires the HTTP transport (core/transport: net/http with Go's own TLS
// stack) into the registry, so the one-call methods (http.send,
// zvcms.verifyCoupons, zvcms.couponDiscount, zvcms.call, allinpay.couponSend,
// allinpay.call) work from C, C#, Delphi and VB6 without any HTTP code in the
// caller; transport.Check refuses a session's bad transport options at
// session.open.
//
// Build with -tags couponkit_notransport for a library without it, whose
// one-call methods then report TRANSPORT_ERROR "unavailable"; the sizes of
// both are in docs/testing.md, "Library sizes".
//
// The registry is made again here because package variables (registry.go)
// are initialized before any init function runs; no call can reach the
// library before init has finished, so no session is lost.
func init() {
	registry = invoke.New(invoke.Options{Send: transport.Send, CheckTransport: transport.Check})
}
