//go:build js && wasm

// Command full is the size floor of couponkit.wasm: what couponkit-zvcms.wasm
// uses (package wasmfloor) and what the full module adds for Allinpay, and
// none of couponkit's code.
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"

	"github.com/couponkit/couponkit/internal/wasmfloor"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// allinpay uses, beyond wasmfloor.Zvcms, what the full module adds for
// Allinpay: RSA keys read by crypto/x509's PKCS#1 parsers, RSA-SHA256
// signatures, and SM2 signatures over SM3.
func allinpay(in string) string {
	msg := []byte(in)
	if k, err := x509.ParsePKCS1PrivateKey(msg); err == nil {
		sum := sha256.Sum256(msg)
		sig, _ := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
		if pub, err := x509.ParsePKCS1PublicKey(msg); err == nil && rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) == nil {
			wasmfloor.Sink += "rsa"
		}
	}
	if k, err := sm2.GenerateKey(rand.Reader); err == nil {
		sig, _ := sm2.SignASN1(rand.Reader, k, msg, sm2.DefaultSM2SignerOpts)
		if sm2.VerifyASN1WithSM2(&k.PublicKey, nil, msg, sig) {
			wasmfloor.Sink += "sm2"
		}
	}
	sum := sm3.Sum(msg)
	return wasmfloor.Zvcms(in) + string(sum[:])
}

//go:wasmexport ck_floor
func ckFloor() int32 {
	wasmfloor.Sink = allinpay(wasmfloor.Sink)
	return int32(len(wasmfloor.Sink))
}

func main() { select {} }
