// Command capi is couponkit's C ABI: built with -buildmode=c-shared it is
// libcouponkit.so on Linux and couponkit.dll on Windows. It holds no business
// logic: every call goes to the one core/invoke registry, the same surface the
// WebAssembly module uses. The contract is bindings/c/couponkit.h.
//
// The exported C functions are in capi/exports.c: each keeps the caller's
// floating-point environment and calls one of the Go functions below, which
// cgo exports under internal ckgo_* names that the library does not export.
//
// Rules every export follows:
//   - it recovers panics and reports them as an INTERNAL error envelope;
//   - NULL arguments give an INVALID_ARGUMENT envelope naming the argument;
//   - it is safe to call from many threads at once;
//   - no Go pointer crosses the boundary: replies are copied into C memory
//     (malloc) that the caller releases with ck_free.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/../bindings/c -DCOUPONKIT_STATIC
#include <stdlib.h>

// capi/cmem.c
size_t ck_bounded_len(const char *s, size_t max);
char *ck_copy_out(const char *src, size_t n);
*/
import "C"

import (
	"bytes"
	"unsafe"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/version"
)

// maxMethodBytes bounds the scan of a method name; no method name is longer.
const maxMethodBytes = 256

// versionC is ck_version's reply: C memory allocated once at load time and
// never freed, so callers may keep the pointer for the life of the process.
var versionC = C.CString(version.Version)

// main is required by -buildmode=c-shared and never runs.
func main() {}

// ckgo_version is ck_version: the library version as a static string (never
// freed).
//
//export ckgo_version
func ckgo_version() *C.char { return versionC }

// ckgo_invoke is ck_invoke: it calls one invoke method with a UTF-8 JSON
// request and returns a malloc'd UTF-8 JSON envelope for ck_free.
//
//export ckgo_invoke
func ckgo_invoke(method, request *C.char) *C.char {
	return safely(func() []byte { return invokeC(method, request, nil) })
}

// ckgo_invoke_gbk is ck_invoke_gbk: ck_invoke for callers whose strings are
// GBK (code page 936). The method and request are decoded from GBK, and the
// reply is encoded to GBK, with characters GBK cannot hold written as JSON
// \uXXXX escapes.
//
//export ckgo_invoke_gbk
func ckgo_invoke_gbk(method, request *C.char) *C.char {
	return safely(func() []byte { return gbkReply(invokeC(method, request, gbkToUTF8)) })
}

// invokeC reads the C arguments (bounded), optionally converts them with
// decode, and calls the registry.
func invokeC(method, request *C.char, decode func(field string, b []byte) ([]byte, error)) []byte {
	m, err := readC(method, "method", maxMethodBytes)
	if err != nil {
		return envelope(err)
	}
	r, err := readC(request, "request_json", maxRequestBytes)
	if err != nil {
		return envelope(err)
	}
	if decode == nil {
		return registry.Invoke(string(m), r)
	}
	if m, err = decode("method", m); err != nil {
		return envelope(err)
	}
	raw := r
	if r, err = decode("request_json", r); err != nil {
		return envelope(err)
	}
	reply := registry.Invoke(string(m), r)
	if bytes.HasPrefix(reply, invalidJSONReply) {
		// The offset Invoke named is in the UTF-8 text: name the one in
		// the caller's GBK text instead.
		if err := invoke.CheckRequest(r, gbkOffset(raw, r)); err != nil {
			return envelope(err)
		}
	}
	return reply
}

// invalidJSONReply starts the envelope of an INVALID_JSON error.
var invalidJSONReply = []byte(`{"ok":false,"error":{"code":"INVALID_JSON"`)

// readC copies a NUL-terminated C string of at most limit bytes into Go
// memory. It looks at no more than limit+1 bytes, so an oversized request is
// refused without being read or copied in full.
func readC(p *C.char, field string, limit int) ([]byte, error) {
	if p == nil {
		return nil, errs.Invalid(field, "%s is NULL; pass a NUL-terminated UTF-8 string", field)
	}
	n := int(C.ck_bounded_len(p, C.size_t(limit+1)))
	if n > limit {
		return nil, errs.New(errs.TooLarge, field, "%s is longer than the limit of %d bytes", field, limit)
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n)), nil
}

// toC copies b into malloc'd memory with a terminating NUL (one C call; b
// holds no Go pointers, so passing it is allowed). Out of memory, it panics.
func toC(b []byte) *C.char {
	var src *C.char
	if len(b) > 0 {
		src = (*C.char)(unsafe.Pointer(&b[0]))
	}
	p := C.ck_copy_out(src, C.size_t(len(b)))
	if p == nil {
		panic("couponkit: out of C memory")
	}
	return p
}

// safely runs reply and copies its result into C memory. A panic becomes an
// INTERNAL envelope (without the panic value, which could hold request
// data); if even that cannot be built (no C memory) the result is NULL, the
// only case an export returns NULL.
func safely(reply func() []byte) (p *C.char) {
	defer func() {
		if recover() != nil {
			p = internalReply()
		}
	}()
	return toC(reply())
}

// internalReply is the INTERNAL envelope in C memory, or NULL.
func internalReply() (p *C.char) {
	defer func() {
		if recover() != nil {
			p = nil
		}
	}()
	return toC(envelope(errs.New(errs.Internal, "", "internal error in couponkit (a recovered panic; please report)")))
}

// envelope renders an error made in capi (before the registry is reached)
// as {"ok":false,"error":{...}}, with the registry's own encoder.
func envelope(err error) []byte { return invoke.AppendError(nil, err) }
