//go:build !go1.22

package hostile

// LaxEmptyContentLength: before Go 1.22, net/http reads a reply whose
// Content-Length is empty as one without a length (its body ends when the
// connection closes) and drops the header, so the transport cannot tell it
// from a reply without one; Go 1.22 and later refuse it. Either way the
// body stays under Options.MaxBody. The Windows 7 DLLs (Go 1.20) are lax.
const LaxEmptyContentLength = true
