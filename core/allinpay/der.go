package allinpay

import (
	"crypto/ecdsa"
	"crypto/rsa"
	encasn1 "encoding/asn1"
	"math/big"
	"strconv"

	"github.com/emmansun/gmsm/sm2"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// The DER readers below replace crypto/x509 and gmsm's smx509, which would
// bring every certificate, curve and signature scheme they know (SM9,
// Ed25519, X.509 verification, ...) into the binaries. On well-formed DER
// they accept exactly the keys smx509 turned into RSA or SM2 keys
// (der_test.go holds them to it), with these differences: RSA keys over
// maxRSABits are refused, SM2 scalars 0 and n-1 (which cannot sign) are
// invalid, an EC key on another curve is refused as such in every
// container, and a certificate is read only as far as its public key.
// Members a reader does not use are ignored, as encoding/asn1 ignored them
// (later versions of a structure add members), but must be well-formed DER.
// No library error text is returned.

// maxRSABits is the largest RSA modulus accepted. Validating a private key
// costs time growing with the cube of its size: a 16384-bit key took over a
// second. Real keys have 1024 to 4096 bits.
const maxRSABits = 4096

// sm2ScalarSize is the byte length of an SM2 private scalar.
const sm2ScalarSize = 32

// Why a well-formed key is refused.
const (
	notSM2Curve = "an EC key that is not on the SM2 curve"
	notRSAOrSM2 = "the key is neither RSA nor SM2"
)

// Object identifiers and tags.
var (
	oidRSA           = encasn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidECPublicKey   = encasn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSM2           = encasn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301} // key algorithm and curve
	tagExplicit0     = asn1.Tag(0).Constructed().ContextSpecific()
	tagExplicit1     = asn1.Tag(1).Constructed().ContextSpecific()
	asn1NullEncoding = []byte{0x05, 0x00}
)

// derKey is what a DER reader found: one of the four keys, or refuse, the
// reason a well-formed key cannot be used here (another curve or algorithm,
// too large). The reason names no key material.
type derKey struct {
	rsaPriv *rsa.PrivateKey
	sm2Priv *sm2.PrivateKey
	rsaPub  *rsa.PublicKey
	sm2Pub  *ecdsa.PublicKey
	refuse  string
}

func refused(reason string) *derKey { return &derKey{refuse: reason} }

func rsaTooLarge(bits int) *derKey {
	return refused("RSA key of " + strconv.Itoa(bits) + " bits is too large (maximum " + strconv.Itoa(maxRSABits) + ")")
}

// wellFormed reports whether s holds nothing but complete DER elements. The
// members after those a reader uses are ignored (later versions of a
// structure add members), but not garbage left by a corrupted length.
func wellFormed(s cryptobyte.String) bool {
	for !s.Empty() {
		var el cryptobyte.String
		var tag asn1.Tag
		if !s.ReadAnyASN1Element(&el, &tag) {
			return false
		}
	}
	return true
}

// algorithmIdentifier reads an AlgorithmIdentifier SEQUENCE: the algorithm
// OID and the parameters element, if any (with its header).
func algorithmIdentifier(s *cryptobyte.String) (oid encasn1.ObjectIdentifier, params cryptobyte.String, ok bool) {
	var ai cryptobyte.String
	if !s.ReadASN1(&ai, asn1.SEQUENCE) || !ai.ReadASN1ObjectIdentifier(&oid) {
		return nil, nil, false
	}
	if !ai.Empty() {
		var tag asn1.Tag
		if !ai.ReadAnyASN1Element(&params, &tag) || !wellFormed(ai) {
			return nil, nil, false
		}
	}
	return oid, params, true
}

// curveOID returns the named curve OID the parameters element holds, or nil.
func curveOID(params cryptobyte.String) encasn1.ObjectIdentifier {
	var oid encasn1.ObjectIdentifier
	if !params.ReadASN1ObjectIdentifier(&oid) {
		return nil
	}
	return oid
}

// parsePKCS8 reads a PKCS#8 PrivateKeyInfo: RSA, or SM2 under the SM2 OID or
// id-ecPublicKey. Data after the structure is ignored, as before.
func parsePKCS8(der []byte) (*derKey, bool) {
	s := cryptobyte.String(der)
	var p8 cryptobyte.String
	var version int
	var priv []byte
	if !s.ReadASN1(&p8, asn1.SEQUENCE) || !p8.ReadASN1Integer(&version) {
		return nil, false
	}
	oid, params, ok := algorithmIdentifier(&p8)
	if !ok || !p8.ReadASN1Bytes(&priv, asn1.OCTET_STRING) || !wellFormed(p8) {
		return nil, false
	}
	switch {
	case oid.Equal(oidRSA):
		return parsePKCS1Private(priv)
	case oid.Equal(oidSM2), oid.Equal(oidECPublicKey):
		k, ok := parseSEC1(priv, curveOID(params))
		if ok && k.refuse != "" && oid.Equal(oidSM2) {
			return nil, false // the SM2 algorithm on another curve: malformed
		}
		return k, ok
	}
	return refused(notRSAOrSM2), true
}

// parsePKCS1Private reads a PKCS#1 RSAPrivateKey (multi-prime included),
// checks its size, then validates it and precomputes its CRT values as the
// toolchain's crypto/x509 does (see validateRSA).
func parsePKCS1Private(der []byte) (*derKey, bool) {
	s := cryptobyte.String(der)
	var k cryptobyte.String
	var version, e int
	n, d, p, q := new(big.Int), new(big.Int), new(big.Int), new(big.Int)
	if !s.ReadASN1(&k, asn1.SEQUENCE) || !s.Empty() ||
		!k.ReadASN1Integer(&version) || version > 1 ||
		!k.ReadASN1Integer(n) || !k.ReadASN1Integer(&e) || !k.ReadASN1Integer(d) ||
		!k.ReadASN1Integer(p) || !k.ReadASN1Integer(q) {
		return nil, false
	}
	if n.Sign() <= 0 || d.Sign() <= 0 || p.Sign() <= 0 || q.Sign() <= 0 {
		return nil, false
	}
	// The CRT values are optional; when present they must be positive.
	var crt [3]*big.Int
	for i := 0; i < 3 && k.PeekASN1Tag(asn1.INTEGER); i++ {
		crt[i] = new(big.Int)
		if !k.ReadASN1Integer(crt[i]) || crt[i].Sign() <= 0 {
			return nil, false
		}
	}
	primes := []*big.Int{p, q}
	if k.PeekASN1Tag(asn1.SEQUENCE) {
		var others cryptobyte.String
		if !k.ReadASN1(&others, asn1.SEQUENCE) {
			return nil, false
		}
		for !others.Empty() {
			var info cryptobyte.String
			prime, exp, coeff := new(big.Int), new(big.Int), new(big.Int)
			if !others.ReadASN1(&info, asn1.SEQUENCE) || !info.ReadASN1Integer(prime) ||
				!info.ReadASN1Integer(exp) || !info.ReadASN1Integer(coeff) || prime.Sign() <= 0 {
				return nil, false
			}
			primes = append(primes, prime)
		}
	}
	if !wellFormed(k) {
		return nil, false
	}
	if bits := n.BitLen(); bits > maxRSABits {
		return rsaTooLarge(bits), true
	}
	key := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: e}, D: d, Primes: primes}
	if !validateRSA(key, crt) {
		return nil, false
	}
	return &derKey{rsaPriv: key}, true
}

// parseSEC1 reads a SEC 1 ECPrivateKey. curve, when not nil, is the curve a
// PKCS#8 wrapper named, and overrides the key's own. Only the SM2 curve
// makes a key; another named curve is refused. The public key member, if
// any, is not used: the public point is computed from the scalar.
func parseSEC1(der []byte, curve encasn1.ObjectIdentifier) (*derKey, bool) {
	s := cryptobyte.String(der)
	var k, inner cryptobyte.String
	var version int
	var scalar []byte
	var present bool
	if !s.ReadASN1(&k, asn1.SEQUENCE) || !k.ReadASN1Integer(&version) || version != 1 ||
		!k.ReadASN1Bytes(&scalar, asn1.OCTET_STRING) || !k.ReadOptionalASN1(&inner, &present, tagExplicit0) {
		return nil, false
	}
	// The curve [0] and the public key [1] are optional. As encoding/asn1
	// read them, an empty one is malformed and one holding another type
	// counts as absent, along with every member after it.
	more := true
	if present {
		if inner.Empty() {
			return nil, false
		}
		if more = inner.PeekASN1Tag(asn1.OBJECT_IDENTIFIER); more {
			var own encasn1.ObjectIdentifier
			if !inner.ReadASN1ObjectIdentifier(&own) {
				return nil, false
			}
			if curve == nil {
				curve = own
			}
		}
	}
	if more {
		if !k.ReadOptionalASN1(&inner, &present, tagExplicit1) {
			return nil, false
		}
		if present {
			var pub encasn1.BitString
			if inner.Empty() || (inner.PeekASN1Tag(asn1.BIT_STRING) && !inner.ReadASN1BitString(&pub)) {
				return nil, false
			}
		}
	}
	if !wellFormed(k) {
		return nil, false
	}
	switch {
	case curve == nil:
		return nil, false
	case !curve.Equal(oidSM2):
		return refused(notSM2Curve), true
	}
	// Tolerate leading zero padding and stripped leading zeros, as OpenSSL
	// and crypto/x509 do.
	for len(scalar) > sm2ScalarSize {
		if scalar[0] != 0 {
			return nil, false
		}
		scalar = scalar[1:]
	}
	var buf [sm2ScalarSize]byte
	copy(buf[sm2ScalarSize-len(scalar):], scalar)
	priv, err := sm2.NewPrivateKey(buf[:])
	if err != nil {
		return nil, false
	}
	return &derKey{sm2Priv: priv}, true
}

// parseSPKI reads a SubjectPublicKeyInfo: RSA (NULL parameters) or SM2
// (id-ecPublicKey or the SM2 OID with the SM2 curve). Nothing may follow it.
func parseSPKI(der []byte) (*derKey, bool) {
	s := cryptobyte.String(der)
	k, ok := readSPKI(&s)
	if !ok || !s.Empty() {
		return nil, false
	}
	return k, true
}

func readSPKI(s *cryptobyte.String) (*derKey, bool) {
	var spki cryptobyte.String
	var bits []byte
	if !s.ReadASN1(&spki, asn1.SEQUENCE) {
		return nil, false
	}
	oid, params, ok := algorithmIdentifier(&spki)
	if !ok || !spki.ReadASN1BitStringAsBytes(&bits) || !wellFormed(spki) {
		return nil, false
	}
	switch {
	case oid.Equal(oidRSA):
		if string(params) != string(asn1NullEncoding) {
			return nil, false
		}
		key := cryptobyte.String(bits)
		var seq cryptobyte.String
		if !key.ReadASN1(&seq, asn1.SEQUENCE) {
			return nil, false
		}
		return rsaPublic(&seq)
	case oid.Equal(oidSM2), oid.Equal(oidECPublicKey):
		curve := curveOID(params)
		switch {
		case curve == nil:
			return nil, false
		case !curve.Equal(oidSM2):
			if oid.Equal(oidSM2) {
				return nil, false
			}
			return refused(notSM2Curve), true
		}
		pub, err := sm2.NewPublicKey(bits)
		if err != nil {
			return nil, false
		}
		return &derKey{sm2Pub: pub}, true
	}
	return refused(notRSAOrSM2), true
}

// parsePKCS1Public reads a PKCS#1 RSAPublicKey. Nothing may follow it.
func parsePKCS1Public(der []byte) (*derKey, bool) {
	s := cryptobyte.String(der)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, asn1.SEQUENCE) || !s.Empty() {
		return nil, false
	}
	k, ok := rsaPublic(&seq)
	if !ok || (k.rsaPub != nil && k.rsaPub.E > 1<<31-1) {
		return nil, false
	}
	return k, true
}

// rsaPublic reads the modulus and exponent of an RSA public key SEQUENCE's
// contents.
func rsaPublic(seq *cryptobyte.String) (*derKey, bool) {
	n := new(big.Int)
	var e int
	if !seq.ReadASN1Integer(n) || !seq.ReadASN1Integer(&e) || !wellFormed(*seq) || n.Sign() <= 0 || e <= 0 {
		return nil, false
	}
	if bits := n.BitLen(); bits > maxRSABits {
		return rsaTooLarge(bits), true
	}
	return &derKey{rsaPub: &rsa.PublicKey{N: n, E: e}}, true
}

// parseCertificate reads an X.509 certificate just far enough to take its
// SubjectPublicKeyInfo. Neither its signature nor its other contents
// (names, validity, extensions) are checked: the key is what the certificate
// is used for here, as before.
func parseCertificate(der []byte) (*derKey, bool) {
	s := cryptobyte.String(der)
	var cert, tbs cryptobyte.String
	if !s.ReadASN1(&cert, asn1.SEQUENCE) || !s.Empty() || !cert.ReadASN1(&tbs, asn1.SEQUENCE) ||
		!cert.SkipASN1(asn1.SEQUENCE) || !cert.SkipASN1(asn1.BIT_STRING) || !wellFormed(cert) ||
		!tbs.SkipOptionalASN1(tagExplicit0) || // version
		!tbs.SkipASN1(asn1.INTEGER) || // serialNumber
		!tbs.SkipASN1(asn1.SEQUENCE) || // signature
		!tbs.SkipASN1(asn1.SEQUENCE) || // issuer
		!tbs.SkipASN1(asn1.SEQUENCE) || // validity
		!tbs.SkipASN1(asn1.SEQUENCE) { // subject
		return nil, false
	}
	k, ok := readSPKI(&tbs)
	if !ok || !wellFormed(tbs) {
		return nil, false
	}
	return k, true
}
