//go:build !go1.24

package allinpay

// referenceChecksCRT reports whether smx509 (through crypto/x509) refuses an
// RSA private key whose stored CRT values are wrong, as the reader does;
// before Go 1.24 it recomputes them instead.
const referenceChecksCRT = false
