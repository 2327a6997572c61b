//go:build go1.24

package allinpay

import (
	"crypto/rsa"
	"math/big"
)

// validateRSA validates key and precomputes its CRT values as crypto/x509
// does since Go 1.24 under this module's go 1.20 GODEBUG defaults
// (x509rsacrt=0): the encoded CRT values (Dp, Dq, Qinv, nil when absent)
// are used when they are consistent with the key, else recomputed.
// Precomputing first lets Validate reuse the work instead of redoing it (Go
// 1.24's crypto/rsa checks cost milliseconds).
func validateRSA(key *rsa.PrivateKey, crt [3]*big.Int) bool {
	key.Precomputed.Dp, key.Precomputed.Dq, key.Precomputed.Qinv = crt[0], crt[1], crt[2]
	key.Precompute()
	if key.Validate() == nil {
		return true
	}
	if crt[0] == nil && crt[1] == nil && crt[2] == nil {
		return false
	}
	key.Precomputed = rsa.PrecomputedValues{}
	key.Precompute()
	return key.Validate() == nil
}
