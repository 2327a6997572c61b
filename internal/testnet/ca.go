// Package testnet holds what the project's test servers share: throw-away
// certificate authorities and server certificates (ECDSA P-256) made in
// memory, and the relay of a proxy's CONNECT tunnel. Its users are the
// hostile server (tests/hostile) and the sandbox's HTTPS listener and proxy
// (examples/sandbox -tls-addr, -proxy-addr). Nothing is ever written to
// disk here; a caller that needs the CA certificate elsewhere writes CA.PEM
// itself (it holds no key).
package testnet

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net"
	"sync/atomic"
	"time"
)

// CA is a certificate authority whose key lives only in memory.
type CA struct {
	// Cert is the CA certificate.
	Cert *x509.Certificate
	// PEM is Cert as PEM text (a CERTIFICATE block), what a client adds to
	// its roots (transport.rootCAs).
	PEM string
	// Pin is the Base64 SHA-256 of Cert's SubjectPublicKeyInfo
	// (transport.pinSha256).
	Pin string

	key    *ecdsa.PrivateKey
	serial int64
}

// New makes a CA named name, valid from an hour ago for a day.
func New(name string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, PEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), Pin: Pin(cert), key: key, serial: 1}, nil
}

// Leaf describes a server certificate.
type Leaf struct {
	// DNSNames and IPs are the names the certificate is for.
	DNSNames []string
	IPs      []net.IP
	// NotBefore and NotAfter bound its validity; zero values mean an hour
	// ago and a day from now.
	NotBefore, NotAfter time.Time
	// SelfSigned makes the certificate sign itself instead of being issued
	// by the CA.
	SelfSigned bool
}

// Issue makes a key and a server certificate for l, issued by ca (or self-
// signed), ready for a tls.Config.
func (ca *CA) Issue(l Leaf) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	if l.NotBefore.IsZero() {
		l.NotBefore = now.Add(-time.Hour)
	}
	if l.NotAfter.IsZero() {
		l.NotAfter = now.Add(24 * time.Hour)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(atomic.AddInt64(&ca.serial, 1)), Subject: pkix.Name{CommonName: "couponkit test server"},
		NotBefore: l.NotBefore, NotAfter: l.NotAfter, DNSNames: l.DNSNames, IPAddresses: l.IPs,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	parent, signer := ca.Cert, ca.key
	if l.SelfSigned {
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// Pin is the pin of c: the Base64 SHA-256 of its SubjectPublicKeyInfo.
func Pin(c *x509.Certificate) string {
	h := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(h[:])
}
