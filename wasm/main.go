//go:build js && wasm

// Command wasm is the couponkit WebAssembly module: it exposes the core/invoke
// method registry to JavaScript and holds no logic of its own.
//
// The loader (bindings/js) starts it with go.argv = ["couponkit", HOOK],
// where globalThis[HOOK] is an object with a ready(api) function that
// receives the api object. Started without a hook, the module sets
// globalThis.couponkit to the api instead. The api object is:
//
//	invoke(method, requestJSON) → reply envelope JSON (string), synchronous
//	methods()                   → array of method names
//	close()                     → releases these functions and ends the program
//	version, goVersion          → strings
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
	"syscall/js"

	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/version"
)

// api builds the JS object for registry reg. The returned release function
// frees every js.Func the object holds.
func api(reg *invoke.Registry, done chan<- struct{}) (obj js.Value, release func()) {
	var funcs []js.Func
	fn := func(f func(args []js.Value) interface{}) js.Value {
		jf := js.FuncOf(func(_ js.Value, args []js.Value) interface{} { return f(args) })
		funcs = append(funcs, jf)
		return jf.Value
	}
	arg := func(args []js.Value, i int) string {
		if i < len(args) && args[i].Type() == js.TypeString {
			return args[i].String()
		}
		return ""
	}
	obj = js.Global().Get("Object").New()
	obj.Set("version", version.Version)
	obj.Set("goVersion", runtime.Version())
	obj.Set("invoke", fn(func(args []js.Value) interface{} {
		return string(reg.Invoke(arg(args, 0), []byte(arg(args, 1))))
	}))
	obj.Set("methods", fn(func([]js.Value) interface{} {
		names := reg.Methods()
		list := make([]interface{}, len(names))
		for i, n := range names {
			list[i] = n
		}
		return list
	}))
	closed := false
	obj.Set("close", fn(func([]js.Value) interface{} {
		if !closed {
			closed = true
			close(done)
		}
		return nil
	}))
	release = func() {
		for _, f := range funcs {
			f.Release()
		}
	}
	return obj, release
}

func main() {
	var hook js.Value
	if len(os.Args) > 1 {
		hook = js.Global().Get(os.Args[1])
	}
	reg := invoke.New(invoke.Options{})
	done := make(chan struct{})
	obj, release := api(reg, done)
	if hook.Truthy() {
		hook.Call("ready", obj)
	} else {
		js.Global().Set("couponkit", obj)
	}
	<-done
	release()
	if !hook.Truthy() {
		js.Global().Delete("couponkit")
	}
}
