//go:build js && wasm

// Command wasm is the couponkit WebAssembly module: it exposes the core/invoke
// method registry to JavaScript through functions exported over linear
// memory (//go:wasmexport) and holds no logic of its own. The loader is
// bindings/js/src/index.js; the contract it relies on:
//
//	ck_buffer(size int32) ptr       the input buffer, replaced by a new one of size bytes
//	ck_invoke(requestLen, methodLen int32) ptr
//	                                calls method = buffer[requestLen:requestLen+methodLen]
//	                                with request = buffer[0:requestLen] (both UTF-8) and
//	                                returns the reply envelope (UTF-8 JSON); its length
//	                                is in the reply slot
//	ck_call(requestLen, index int32) ptr
//	                                the same for the method methods[index] of ck_info's list,
//	                                with request = buffer[0:requestLen]: no name to copy or look up
//	ck_info() ptr                   {"version","goVersion","variant","methods"} as JSON, length in the slot
//	ck_slot() ptr                   the address of the reply slot (a little-endian uint32)
//	ck_close()                      ends the Go program (exit code 0)
//
// A reply stays valid until the next ck_invoke (which writes over it),
// ck_info or ck_close; the input buffer until the next ck_buffer. Both live
// in Go's heap (Go's collector does not move objects) and are referenced
// from globals here, so they are not collected while JavaScript reads or
// writes them. Memory
// growth replaces the module's ArrayBuffer: JavaScript takes its views of
// memory afresh after every call.
//
// What the Go runtime requires (Go 1.24+, GOOS=js): the program must be
// started once with wasm_exec.js (go.run), which initialises the runtime and
// runs main; main then blocks for good, and the exports are called while it
// is blocked. An export must not block (wait on a channel, a timer or an
// event): with no goroutine left to run, the scheduler would hand control
// back to JavaScript from inside the call. It may yield (runtime.Gosched),
// which lets the runtime's own goroutines run and then resumes it. A panic is recovered here and by
// the registry and becomes an INTERNAL envelope; a fatal runtime error (out
// of memory) ends the program, and the loader then refuses further calls.
//
// Built with the tag couponkit_zvcms it is the zvcms variant
// (couponkit-zvcms.wasm: zvcms, discount and money, no Allinpay and so no
// RSA or SM2 code), which answers the Allinpay methods UNKNOWN_METHOD naming
// the variant.
//
// The registry uses the system clock and crypto/rand nonces (requests may
// fix both with "timestamp" and "nonce"). Options.Send stays nil: the module
// does no network I/O (net/http would add to its size), so the sending
// methods (zvcms.verifyCoupons, …) report TRANSPORT_ERROR and the page posts
// the signed requests with fetch itself.
package main

import (
	"os"
	"runtime"
	"strconv"
	"unsafe"

	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/version"
)

var (
	registry = invoke.New(invoke.Options{})
	// names maps each method name to itself, so looking a name up in the
	// input buffer needs no allocation.
	names = map[string]string{}
	// methods is the method list ck_info reports, which ck_call indexes.
	methods = registry.Methods()
	// input is the buffer JavaScript writes the method and request into.
	input []byte
	// reply is the last reply, kept reachable until the next call.
	reply []byte
	// replies is the buffer ck_invoke writes replies into, reused from call
	// to call (a reply is only valid until the next call anyway), unless
	// one grew it beyond replyKeep.
	replies []byte
	// slot receives the length of the reply.
	slot uint32
)

// yieldAfter is the reply size from which ck_invoke yields to the runtime's
// background goroutines before returning. A yield costs about 0.9 µs; after
// a 100-line quote (34 KB reply) it saves 5 to 10% of the call.
const yieldAfter = 4 << 10

// replyKeep is the largest reply buffer kept for the next call.
const replyKeep = 1 << 20

// internalReply is the envelope of a panic outside the registry (which
// recovers its own) or of a call that does not fit the input buffer: both
// are defects of this module or its loader.
const internalReply = `{"ok":false,"error":{"code":"INTERNAL","message":"internal error in the couponkit WebAssembly module (please report)"}}`

func init() {
	for _, n := range methods {
		names[n] = n
	}
}

// ck_buffer replaces the input buffer with a new one of size bytes and
// returns its address; size 0 (or less) drops it and returns 0.
//
//go:wasmexport ck_buffer
func ck_buffer(size int32) unsafe.Pointer {
	input = nil
	if size <= 0 {
		return nil
	}
	input = make([]byte, size)
	return unsafe.Pointer(&input[0])
}

// ck_invoke runs one method (see the package comment).
//
//go:wasmexport ck_invoke
func ck_invoke(requestLen, methodLen int32) (p unsafe.Pointer) {
	defer func() {
		if recover() != nil {
			p = setReply([]byte(internalReply))
		}
	}()
	r, m := int(requestLen), int(methodLen)
	if m < 0 || r < 0 || r+m > len(input) {
		return setReply([]byte(internalReply))
	}
	name := input[r : r+m]
	method, ok := names[string(name)]
	if !ok {
		method = string(name)
	}
	return run(method, r)
}

// ck_call runs methods[index] (see the package comment).
//
//go:wasmexport ck_call
func ck_call(requestLen, index int32) (p unsafe.Pointer) {
	defer func() {
		if recover() != nil {
			p = setReply([]byte(internalReply))
		}
	}()
	r, i := int(requestLen), int(index)
	if i < 0 || i >= len(methods) || r < 0 || r > len(input) {
		return setReply([]byte(internalReply))
	}
	return run(methods[i], r)
}

// run calls method with request input[:r] and sets the reply.
func run(method string, r int) unsafe.Pointer {
	out := registry.AppendInvoke(replies[:0], method, input[:r])
	if replies = out; cap(out) > replyKeep {
		replies = nil
	}
	if len(out) >= yieldAfter {
		// The runtime's background goroutines (GC mark workers, the sweeper)
		// run only when an export yields; without that the call that
		// allocates does all the collector's work itself. A large reply
		// stands for a call that allocated a lot.
		runtime.Gosched()
	}
	return setReply(out)
}

// ck_info returns the module's version, Go version, variant and method names.
//
//go:wasmexport ck_info
func ck_info() unsafe.Pointer {
	b := []byte(`{"version":`)
	b = strconv.AppendQuote(b, version.Version)
	b = append(b, `,"goVersion":`...)
	b = strconv.AppendQuote(b, runtime.Version())
	b = append(b, `,"variant":`...)
	b = strconv.AppendQuote(b, invoke.Variant)
	b = append(b, `,"methods":[`...)
	for i, n := range methods {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, n) // names are ASCII identifiers: JSON strings too
	}
	return setReply(append(b, "]}"...))
}

// ck_slot returns the address of the reply slot.
//
//go:wasmexport ck_slot
func ck_slot() unsafe.Pointer { return unsafe.Pointer(&slot) }

// ck_close ends the program: the instance can then be dropped.
//
//go:wasmexport ck_close
func ck_close() {
	input, reply, replies = nil, nil, nil
	os.Exit(0)
}

func setReply(b []byte) unsafe.Pointer {
	reply = b
	slot = uint32(len(b))
	return unsafe.Pointer(&b[0])
}

// main only keeps the program alive: the exports do the work.
func main() {
	select {}
}
