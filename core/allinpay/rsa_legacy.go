//go:build !go1.24

package allinpay

import (
	"crypto/rsa"
	"math/big"
)

// validateRSA validates key and precomputes its CRT values as crypto/x509
// does before Go 1.24: the encoded CRT values are ignored and recomputed.
// Validate must come first: precomputing an invalid key may panic there.
func validateRSA(key *rsa.PrivateKey, _ [3]*big.Int) bool {
	if key.Validate() != nil {
		return false
	}
	key.Precompute()
	return true
}
