//go:build go1.22

package hostile

// LaxEmptyContentLength says net/http accepts an empty Content-Length (see
// lax_go120.go).
const LaxEmptyContentLength = false
