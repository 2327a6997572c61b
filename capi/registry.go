package main

import "github.com/couponkit/couponkit/core/invoke"

// maxRequestBytes is the largest request ck_invoke accepts (16 MiB); it is
// checked before the request is copied out of C memory.
const maxRequestBytes = invoke.MaxRequestBytes

// send is the HTTP transport of the one-call methods (Options.Send). nil: no
// transport, those methods report TRANSPORT_ERROR "unavailable" and callers
// send the built requests themselves. transport.go sets it (unless built with
// -tags couponkit_notransport).
var send invoke.SendFunc

// registry is capi's one package-level registry: it holds the sessions that
// every thread shares. The clock and nonce are the system ones.
var registry = invoke.New(invoke.Options{Send: send})
