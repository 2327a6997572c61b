//go:build js && wasm

// Command zvcms is the size floor of couponkit-zvcms.wasm: the dependencies
// that module uses and none of couponkit's code (package wasmfloor).
package main

import "github.com/couponkit/couponkit/internal/wasmfloor"

//go:wasmexport ck_floor
func ckFloor() int32 {
	wasmfloor.Sink = wasmfloor.Zvcms(wasmfloor.Sink)
	return int32(len(wasmfloor.Sink))
}

func main() { select {} }
