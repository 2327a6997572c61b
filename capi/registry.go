package main

import "github.com/couponkit/couponkit/core/invoke"

// maxRequestBytes is the largest request ck_invoke accepts (16 MiB); it is
// checked before the request is copied out of C memory.
const maxRequestBytes = invoke.MaxRequestBytes

// registry is capi's one package-level registry: it holds the sessions that
// every thread shares. The clock and nonce are the system ones; without a
// transport the sending methods report TRANSPORT_ERROR "unavailable".
// transport.go replaces it, at load time, with a registry that has the HTTP
// transport (unless built with -tags couponkit_notransport).
var registry = invoke.New(invoke.Options{})
