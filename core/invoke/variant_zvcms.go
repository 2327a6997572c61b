//go:build couponkit_zvcms

package invoke

import (
	"strings"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/wire"
)

// Variant names the build: "full" (every method), or "zvcms" (built with the
// tag couponkit_zvcms: zvcms, discount and money, without Allinpay and so
// without RSA, SM2 and their key parsing; the slim WebAssembly module).
const Variant = "zvcms"

// apClient stands for the Allinpay client, which this variant has not.
type apClient struct{}

// unknown is the error of a method this registry does not have; an Allinpay
// method names the variant.
func unknown(method string) error {
	if strings.HasPrefix(method, "allinpay.") {
		return errs.New(errs.UnknownMethod, "method", "%q is not in this build: it is the zvcms variant (couponkit-zvcms.wasm: zvcms, discount and money, without Allinpay); load the full module (couponkit.wasm) for the Allinpay methods", clip(method))
	}
	return wire.Unknown(method)
}

// allinpayClient refuses Allinpay keys: this variant has no Allinpay.
func (c *Call) allinpayClient(*AllinpayKeys) (*apClient, error) {
	return nil, errs.Invalid("allinpay", "this build is the zvcms variant (couponkit-zvcms.wasm: zvcms, discount and money, without Allinpay): it takes no Allinpay keys; load the full module (couponkit.wasm)")
}
