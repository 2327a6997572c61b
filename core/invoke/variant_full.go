//go:build !couponkit_zvcms

package invoke

import "github.com/couponkit/couponkit/core/internal/wire"

// Variant names the build: "full" (every method), or "zvcms" (built with the
// tag couponkit_zvcms: zvcms, discount and money, without Allinpay and so
// without RSA, SM2 and their key parsing; the slim WebAssembly module).
const Variant = "full"

// unknown is the error of a method this registry does not have.
func unknown(method string) error { return wire.Unknown(method) }
