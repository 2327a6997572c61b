package allinpay

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/pem"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// Algorithm is a key's algorithm family.
type Algorithm string

// The key algorithms.
const (
	// AlgorithmRSA keys sign RSA2 and RSA.
	AlgorithmRSA Algorithm = "RSA"
	// AlgorithmSM2 keys sign SM2.
	AlgorithmSM2 Algorithm = "SM2"
)

// minRSABits is the smallest RSA modulus accepted.
const minRSABits = 1024

// PrivateKey is a parsed merchant (or, in a sandbox, platform) private key:
// RSA or SM2. It is immutable and safe for concurrent use. Its zero value is
// not usable: obtain one from ParsePrivateKey.
type PrivateKey struct {
	rsa      *rsa.PrivateKey
	sm2      *sm2.PrivateKey
	encoding string
	pub      *PublicKey
}

// PublicKey is a parsed public key: RSA or SM2. It is immutable and safe for
// concurrent use. Obtain one from ParsePublicKey or PrivateKey.Public.
type PublicKey struct {
	rsa      *rsa.PublicKey
	sm2      *ecdsa.PublicKey
	encoding string
}

// Algorithm returns AlgorithmRSA or AlgorithmSM2.
func (k *PrivateKey) Algorithm() Algorithm {
	if k != nil && k.sm2 != nil {
		return AlgorithmSM2
	}
	return AlgorithmRSA
}

// Encoding names the encoding the key was parsed from, for example
// "PKCS#8 PEM" or "PKCS#1 Base64 DER".
func (k *PrivateKey) Encoding() string { return k.encoding }

// Bits returns the RSA modulus size in bits, or 256 for SM2.
func (k *PrivateKey) Bits() int {
	if k.sm2 != nil {
		return 256
	}
	return k.rsa.N.BitLen()
}

// Public returns the matching public key.
func (k *PrivateKey) Public() *PublicKey { return k.pub }

// Algorithm returns AlgorithmRSA or AlgorithmSM2.
func (k *PublicKey) Algorithm() Algorithm {
	if k != nil && k.sm2 != nil {
		return AlgorithmSM2
	}
	return AlgorithmRSA
}

// Encoding names the encoding the key was parsed from, for example
// "SubjectPublicKeyInfo PEM".
func (k *PublicKey) Encoding() string { return k.encoding }

// Bits returns the RSA modulus size in bits, or 256 for SM2.
func (k *PublicKey) Bits() int {
	if k.sm2 != nil {
		return 256
	}
	return k.rsa.N.BitLen()
}

// Equal reports whether k and o are the same public key.
func (k *PublicKey) Equal(o *PublicKey) bool {
	switch {
	case k == nil || o == nil:
		return k == o
	case k.rsa != nil && o.rsa != nil:
		return k.rsa.Equal(o.rsa)
	case k.sm2 != nil && o.sm2 != nil:
		return k.sm2.X.Cmp(o.sm2.X) == 0 && k.sm2.Y.Cmp(o.sm2.Y) == 0
	}
	return false
}

func algorithmOf(t SignType) Algorithm {
	if t == SM2 {
		return AlgorithmSM2
	}
	return AlgorithmRSA
}

func (k *PrivateKey) usableWith(t SignType) error {
	if k == nil || (k.rsa == nil && k.sm2 == nil) {
		return errs.New(errs.KeyError, "privateKey", "the private key is missing (parse it with ParsePrivateKey)")
	}
	if k.Algorithm() != algorithmOf(t) {
		return errs.New(errs.KeyError, "privateKey", "an %s private key cannot sign %s", k.Algorithm(), t)
	}
	return nil
}

// usableWith checks k for t; field names the key in errors.
func (k *PublicKey) usableWith(field string, t SignType) error {
	if k == nil || (k.rsa == nil && k.sm2 == nil) {
		return errs.New(errs.KeyError, field, "the public key is missing (parse it with ParsePublicKey)")
	}
	if k.Algorithm() != algorithmOf(t) {
		return errs.New(errs.KeyError, field, "an %s public key cannot verify %s", k.Algorithm(), t)
	}
	return nil
}

// keyText splits text into DER bytes: the first PEM block when text holds
// "-----BEGIN", else bare Base64 (whitespace and line breaks ignored, padding
// optional). It returns the PEM block type ("" for bare Base64) and the
// container name for messages. Errors never quote the text.
func keyText(which, text string) (der []byte, pemType, container string, err error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return nil, "", "", errs.New(errs.KeyError, which, "the key is empty")
	}
	if strings.Contains(t, "-----BEGIN") {
		block, _ := pem.Decode([]byte(t))
		if block == nil {
			return nil, "", "PEM", errs.New(errs.KeyError, which, "PEM: no complete PEM block (check the BEGIN/END lines and the Base64 between them)")
		}
		if _, ok := block.Headers["Proc-Type"]; ok {
			return nil, "", "PEM", errs.New(errs.KeyError, which, "PEM: the key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)")
		}
		return block.Bytes, block.Type, "PEM", nil
	}
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, t)
	enc := base64.StdEncoding
	if len(clean)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	der, derr := enc.DecodeString(clean)
	if derr != nil {
		return nil, "", "Base64 DER", errs.New(errs.KeyError, which, "bare Base64 DER: the text is neither PEM nor valid Base64")
	}
	return der, "", "Base64 DER", nil
}

// ParsePrivateKey parses a private key given as PEM or as bare Base64 DER:
// PKCS#8 ("PRIVATE KEY": RSA, or SM2 under either the SM2 or the EC public
// key OID), PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY", SM2 curve
// only; OpenSSL labels it "SM2 PRIVATE KEY"). RSA keys must have at least 1024 bits. which names the key in errors
// ("privateKey"). An error is errs.KeyError with Field which and a message
// naming the encoding that failed; it never contains key material, nor does
// any wrapped cause.
func ParsePrivateKey(which, text string) (*PrivateKey, error) {
	der, pemType, container, err := keyText(which, text)
	if err != nil {
		return nil, err
	}
	fail := func(format string, args ...interface{}) error {
		return errs.New(errs.KeyError, which, container+": "+format, args...)
	}
	var key interface{}
	var enc string
	switch pemType {
	case "PRIVATE KEY":
		key, enc = parsePKCS8(der), "PKCS#8"
		if key == nil {
			return nil, fail("not a valid PKCS#8 private key")
		}
	case "RSA PRIVATE KEY":
		key, enc = parsePKCS1Private(der), "PKCS#1"
		if key == nil {
			return nil, fail("not a valid PKCS#1 RSA private key")
		}
	case "EC PRIVATE KEY", "SM2 PRIVATE KEY":
		key, enc = parseSEC1(der), "SEC1"
		if key == nil {
			return nil, fail("not a valid SEC1 SM2 private key (only the SM2 curve is accepted)")
		}
	case "ENCRYPTED PRIVATE KEY":
		return nil, fail("the PKCS#8 key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)")
	case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE":
		return nil, fail("this is a public key or certificate (%s), not a private key", pemType)
	case "":
		if key, enc = parsePKCS8(der), "PKCS#8"; key == nil {
			if key, enc = parsePKCS1Private(der), "PKCS#1"; key == nil {
				if key, enc = parseSEC1(der), "SEC1"; key == nil {
					return nil, fail("not a PKCS#8, PKCS#1 RSA or SEC1 SM2 private key")
				}
			}
		}
	default:
		return nil, fail("unsupported PEM block type %q (want PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or SM2 PRIVATE KEY)", pemType)
	}
	k := &PrivateKey{encoding: enc + " " + container}
	switch v := key.(type) {
	case *rsa.PrivateKey:
		if v.N.BitLen() < minRSABits {
			return nil, fail("%s: RSA key of %d bits is too small (minimum %d)", enc, v.N.BitLen(), minRSABits)
		}
		k.rsa = v
		k.pub = &PublicKey{rsa: &v.PublicKey, encoding: k.encoding}
	case *sm2.PrivateKey:
		k.sm2 = v
		k.pub = &PublicKey{sm2: &v.PublicKey, encoding: k.encoding}
	case string:
		if v == "ec" {
			return nil, fail("%s: an EC key that is not on the SM2 curve", enc)
		}
		return nil, fail("%s: the key is neither RSA nor SM2", enc)
	default:
		return nil, fail("%s: the key is neither RSA nor SM2", enc)
	}
	return k, nil
}

// The parse helpers return nil for any failure, so no library error text
// (which could echo bytes) reaches a caller.

func parsePKCS8(der []byte) interface{} {
	k, err := smx509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil
	}
	switch k.(type) {
	case *rsa.PrivateKey, *sm2.PrivateKey:
		return k
	case *ecdsa.PrivateKey:
		return "ec" // an EC key on another curve: a non-nil, unusable value
	}
	return "other"
}

func parsePKCS1Private(der []byte) interface{} {
	k, err := smx509.ParsePKCS1PrivateKey(der)
	if err != nil {
		return nil
	}
	return k
}

func parseSEC1(der []byte) interface{} {
	k, err := smx509.ParseSM2PrivateKey(der)
	if err != nil {
		return nil
	}
	return k
}

// ParsePublicKey parses a public key given as PEM or as bare Base64 DER:
// X.509 SubjectPublicKeyInfo ("PUBLIC KEY": RSA or SM2), PKCS#1 ("RSA PUBLIC
// KEY") or an X.509 certificate ("CERTIFICATE"), whose public key is taken.
// which names the key in errors ("platformPublicKey"). Errors are as for
// ParsePrivateKey.
func ParsePublicKey(which, text string) (*PublicKey, error) {
	der, pemType, container, err := keyText(which, text)
	if err != nil {
		return nil, err
	}
	fail := func(format string, args ...interface{}) error {
		return errs.New(errs.KeyError, which, container+": "+format, args...)
	}
	var key interface{}
	var enc string
	switch pemType {
	case "PUBLIC KEY":
		key, enc = parseSPKI(der), "SubjectPublicKeyInfo"
		if key == nil {
			return nil, fail("not a valid SubjectPublicKeyInfo public key")
		}
	case "RSA PUBLIC KEY":
		key, enc = parsePKCS1Public(der), "PKCS#1"
		if key == nil {
			return nil, fail("not a valid PKCS#1 RSA public key")
		}
	case "CERTIFICATE":
		key, enc = parseCertKey(der), "X.509 certificate"
		if key == nil {
			return nil, fail("not a valid X.509 certificate")
		}
	case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "SM2 PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
		return nil, fail("this is a private key (%s); give the public key", pemType)
	case "":
		if key, enc = parseSPKI(der), "SubjectPublicKeyInfo"; key == nil {
			if key, enc = parsePKCS1Public(der), "PKCS#1"; key == nil {
				if key, enc = parseCertKey(der), "X.509 certificate"; key == nil {
					return nil, fail("not a SubjectPublicKeyInfo, PKCS#1 RSA public key or X.509 certificate")
				}
			}
		}
	default:
		return nil, fail("unsupported PEM block type %q (want PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE)", pemType)
	}
	k := &PublicKey{encoding: enc + " " + container}
	switch v := key.(type) {
	case *rsa.PublicKey:
		if v.N.BitLen() < minRSABits {
			return nil, fail("%s: RSA key of %d bits is too small (minimum %d)", enc, v.N.BitLen(), minRSABits)
		}
		k.rsa = v
	case *ecdsa.PublicKey:
		if !sm2.IsSM2PublicKey(v) {
			return nil, fail("%s: an EC key that is not on the SM2 curve", enc)
		}
		k.sm2 = v
	default:
		return nil, fail("%s: the key is neither RSA nor SM2", enc)
	}
	return k, nil
}

func parseSPKI(der []byte) interface{} {
	k, err := smx509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil
	}
	return k
}

func parsePKCS1Public(der []byte) interface{} {
	k, err := smx509.ParsePKCS1PublicKey(der)
	if err != nil {
		return nil
	}
	return k
}

func parseCertKey(der []byte) interface{} {
	c, err := smx509.ParseCertificate(der)
	if err != nil {
		return nil
	}
	return c.PublicKey
}

// String describes the key without any key material: algorithm, size and
// encoding.
func (k *PrivateKey) String() string {
	return string(k.Algorithm()) + "-" + strconv.Itoa(k.Bits()) + " private key (" + k.encoding + ")"
}

// String describes the key: algorithm, size and encoding.
func (k *PublicKey) String() string {
	return string(k.Algorithm()) + "-" + strconv.Itoa(k.Bits()) + " public key (" + k.encoding + ")"
}
