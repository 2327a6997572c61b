package allinpay

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	encasn1 "encoding/asn1"
	"strconv"

	"github.com/emmansun/gmsm/sm2"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// The readers below unwrap the key containers with cryptobyte: PKCS#8,
// SubjectPublicKeyInfo and X.509 certificates (read only as far as their
// public key). The RSA key inside is parsed and validated by crypto/x509
// (ParsePKCS1PrivateKey, ParsePKCS1PublicKey); SM2 keys, whose curve
// crypto/x509 does not know, by the SEC 1 reader here. crypto/x509's own
// container parsers are not used: they bring every algorithm they know
// (ECDSA, Ed25519, X25519, certificate parsing; what that costs in the
// library and the WebAssembly module, against the PKCS#1 parsers alone:
// docs/testing.md, "JavaScript and WebAssembly"). An EC key on another
// curve is refused as such in every container. Members a reader does not
// use are ignored (later versions of a structure add members), but must be
// well-formed DER. No library error text is returned.

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
	oidRSA         = encasn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidECPublicKey = encasn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSM2         = encasn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301} // key algorithm and curve
	tagExplicit0   = asn1.Tag(0).Constructed().ContextSpecific()
	tagExplicit1   = asn1.Tag(1).Constructed().ContextSpecific()
	// asn1NullEncoding is the DER NULL of RSA AlgorithmIdentifier parameters.
	asn1NullEncoding = []byte{0x05, 0x00}
)

// derKey is what a reader found: one of the four keys, or refuse, the
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

// parsePKCS8 reads a PKCS#8 PrivateKeyInfo: RSA (the PKCS#1 key inside
// parsed by crypto/x509), or SM2 under the SM2 OID or id-ecPublicKey. Data
// after the structure is ignored, as before.
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
		return x509PKCS1Private(priv)
	case oid.Equal(oidSM2), oid.Equal(oidECPublicKey):
		k, ok := parseSEC1(priv, curveOID(params))
		if ok && k.refuse != "" && oid.Equal(oidSM2) {
			return nil, false // the SM2 algorithm on another curve: malformed
		}
		return k, ok
	}
	return refused(notRSAOrSM2), true
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

// parseSPKI reads a SubjectPublicKeyInfo: RSA (NULL parameters, the PKCS#1
// key parsed by crypto/x509) or SM2 (id-ecPublicKey or the SM2 OID, with
// the SM2 curve). Nothing may follow it.
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
		return x509PKCS1Public(bits)
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

// spkiDER writes a public key's SubjectPublicKeyInfo as OpenSSL does: RSA
// with NULL parameters around the PKCS#1 key; SM2 under id-ecPublicKey with
// the SM2 curve OID and the uncompressed point.
func spkiDER(r *rsa.PublicKey, k *ecdsa.PublicKey) []byte {
	var b cryptobyte.Builder
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if r != nil {
			b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(oidRSA)
				b.AddBytes(asn1NullEncoding)
			})
			b.AddASN1BitString(x509.MarshalPKCS1PublicKey(r))
			return
		}
		var point [65]byte
		point[0] = 4
		k.X.FillBytes(point[1:33])
		k.Y.FillBytes(point[33:])
		b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oidECPublicKey)
			b.AddASN1ObjectIdentifier(oidSM2)
		})
		b.AddASN1BitString(point[:])
	})
	return b.BytesOrPanic()
}
