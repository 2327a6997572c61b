package allinpay

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/emmansun/gmsm/sm2"
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
	rsa *rsa.PrivateKey
	sm2 *sm2.PrivateKey
	pub *PublicKey // its public key, which also holds the encoding
}

// PublicKey is a parsed public key: RSA or SM2. It is immutable and safe for
// concurrent use. Obtain one from ParsePublicKey or PrivateKey.Public.
type PublicKey struct {
	rsa         *rsa.PublicKey
	sm2         *ecdsa.PublicKey
	encoding    string
	fingerprint string
	// which is the name the key was parsed under (ParsePublicKey's which):
	// errors about using it name it so.
	which string
}

// Fingerprint is the key's SPKI SHA-256 fingerprint: the SHA-256 of its
// DER SubjectPublicKeyInfo (SM2 keys under id-ecPublicKey with the SM2
// curve, as OpenSSL writes them), in lower-case hex. It names the key in
// results without revealing it; compute it with
// openssl pkey -pubin -in key.pem -outform DER | sha256sum.
func (k *PublicKey) Fingerprint() string {
	if k == nil {
		return ""
	}
	return k.fingerprint
}

// newPublicKey makes a PublicKey and its fingerprint.
func newPublicKey(r *rsa.PublicKey, s *ecdsa.PublicKey, encoding string) *PublicKey {
	k := &PublicKey{rsa: r, sm2: s, encoding: encoding}
	sum := sha256.Sum256(spkiDER(r, s))
	k.fingerprint = hex.EncodeToString(sum[:])
	return k
}

// Algorithm returns AlgorithmRSA or AlgorithmSM2.
func (k *PrivateKey) Algorithm() Algorithm { return k.Public().Algorithm() }

// Encoding names the encoding the key was parsed from, for example
// "PKCS#8 PEM" or "PKCS#1 Base64 DER" (its public key carries the same).
func (k *PrivateKey) Encoding() string { return k.Public().Encoding() }

// Bits returns the RSA modulus size in bits, 256 for SM2, 0 for a zero key.
func (k *PrivateKey) Bits() int { return k.Public().Bits() }

// Public returns the matching public key.
func (k *PrivateKey) Public() *PublicKey {
	if k == nil {
		return nil
	}
	return k.pub
}

// Algorithm returns AlgorithmRSA or AlgorithmSM2.
func (k *PublicKey) Algorithm() Algorithm {
	if k != nil && k.sm2 != nil {
		return AlgorithmSM2
	}
	return AlgorithmRSA
}

// Encoding names the encoding the key was parsed from, for example
// "SubjectPublicKeyInfo PEM".
func (k *PublicKey) Encoding() string {
	if k == nil {
		return ""
	}
	return k.encoding
}

// Bits returns the RSA modulus size in bits, 256 for SM2, 0 for a zero key.
func (k *PublicKey) Bits() int {
	switch {
	case k == nil:
		return 0
	case k.sm2 != nil:
		return 256
	case k.rsa != nil:
		return k.rsa.N.BitLen()
	}
	return 0
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

// usableWith checks k for t; the error names the key by the name it was
// parsed under, else field.
func (k *PublicKey) usableWith(field string, t SignType) error {
	if k != nil && k.which != "" {
		field = k.which
	}
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

// keyFormat is one DER encoding a key may come in.
type keyFormat struct {
	pemTypes []string // the PEM block types that name it
	name     string   // e.g. "PKCS#8", as in Encoding
	what     string   // e.g. "PKCS#8 private key", for messages
	parse    func(der []byte) (*derKey, bool)
}

// decodeKey finds the DER in text and parses it with the format its PEM type
// names, or for bare Base64 with the first format that fits. others are the
// PEM types of the other kind of key (private for public, and vice versa).
// fail makes a KeyError prefixed with the container. No library error text
// reaches the caller: it could echo bytes.
func decodeKey(which, text string, formats, others []keyFormat) (key *derKey, enc string, fail func(string, ...interface{}) error, err error) {
	der, pemType, container, err := keyText(which, text)
	if err != nil {
		return nil, "", nil, err
	}
	fail = func(format string, args ...interface{}) error {
		return errs.New(errs.KeyError, which, container+": "+format, args...)
	}
	var whats, types []string
	for _, f := range formats {
		if pemType == "" {
			if k, ok := f.parse(der); ok {
				return k, f.name + " " + container, fail, nil
			}
		}
		for _, t := range f.pemTypes {
			if t == pemType {
				if k, ok := f.parse(der); ok {
					return k, f.name + " " + container, fail, nil
				}
				return nil, "", nil, fail("not a valid %s", f.what)
			}
		}
		whats = append(whats, f.what)
		types = append(types, f.pemTypes...)
	}
	if strings.HasPrefix(pemType, "ENCRYPTED") {
		return nil, "", nil, fail("the key is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem)")
	}
	for _, f := range others {
		for _, t := range f.pemTypes {
			if (pemType == "" && t == f.pemTypes[0] && parses(f, der)) || t == pemType {
				return nil, "", nil, fail("this is a %s, not what %s needs", f.what, which)
			}
		}
	}
	if pemType == "" {
		return nil, "", nil, fail("not a %s", orList(whats))
	}
	return nil, "", nil, fail("unsupported PEM block type %q (want %s)", pemType, orList(types))
}

func parses(f keyFormat, der []byte) bool {
	_, ok := f.parse(der)
	return ok
}

func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// privateFormats are the private key encodings, in the order bare Base64 DER
// is tried.
var privateFormats = []keyFormat{
	{[]string{"PRIVATE KEY"}, "PKCS#8", "PKCS#8 private key", x509PKCS8},
	{[]string{"RSA PRIVATE KEY"}, "PKCS#1", "PKCS#1 RSA private key", x509PKCS1Private},
	{[]string{"EC PRIVATE KEY", "SM2 PRIVATE KEY"}, "SEC1", "SEC1 SM2 private key", func(der []byte) (*derKey, bool) {
		return parseSEC1(der, nil)
	}},
}

// publicFormats are the public key encodings, in the order bare Base64 DER
// is tried.
var publicFormats = []keyFormat{
	{[]string{"PUBLIC KEY"}, "SubjectPublicKeyInfo", "SubjectPublicKeyInfo public key", x509SPKI},
	{[]string{"RSA PUBLIC KEY"}, "PKCS#1", "PKCS#1 RSA public key", x509PKCS1Public},
	{[]string{"CERTIFICATE"}, "X.509 certificate", "X.509 certificate", x509Certificate},
}

// maxPrivateDER is the largest private key DER read: a 4096-bit RSA key
// takes about 2,400 bytes. Validating an RSA private key costs time growing
// with the cube of its size (a 16384-bit key took over a second), so larger
// ones are refused before crypto/x509 sees them.
const maxPrivateDER = 4096

// x509Key turns an RSA key crypto/x509 parsed into a derKey, checking its
// size.
func x509Key(k interface{}) *derKey {
	switch v := k.(type) {
	case *rsa.PrivateKey:
		if bits := v.N.BitLen(); bits > maxRSABits {
			return rsaTooLarge(bits)
		}
		return &derKey{rsaPriv: v}
	case *rsa.PublicKey:
		if bits := v.N.BitLen(); bits > maxRSABits {
			return rsaTooLarge(bits)
		}
		return &derKey{rsaPub: v}
	}
	return refused(notRSAOrSM2)
}

func tooLargePrivate(der []byte) (*derKey, bool) {
	if len(der) > maxPrivateDER {
		return refused("the private key is too large (over " + strconv.Itoa(maxPrivateDER) + " bytes; RSA keys may have at most " + strconv.Itoa(maxRSABits) + " bits)"), true
	}
	return nil, false
}

// x509PKCS8 reads PKCS#8 (see parsePKCS8), refusing oversized DER first.
func x509PKCS8(der []byte) (*derKey, bool) {
	if k, big := tooLargePrivate(der); big {
		return k, true
	}
	return parsePKCS8(der)
}

// x509PKCS1Private parses a PKCS#1 RSA private key with crypto/x509, which
// validates it and precomputes its CRT values.
func x509PKCS1Private(der []byte) (*derKey, bool) {
	if k, big := tooLargePrivate(der); big {
		return k, true
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return x509Key(k), true
	}
	return nil, false
}

func x509SPKI(der []byte) (*derKey, bool) { return parseSPKI(der) }

// x509PKCS1Public parses a PKCS#1 RSA public key with crypto/x509.
func x509PKCS1Public(der []byte) (*derKey, bool) {
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return x509Key(k), true
	}
	return nil, false
}

func x509Certificate(der []byte) (*derKey, bool) { return parseCertificate(der) }

// ParsePrivateKey parses a private key given as PEM or as bare Base64 DER:
// PKCS#8 ("PRIVATE KEY": RSA, or SM2 under either the SM2 or the EC public
// key OID), PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY", SM2 curve
// only; OpenSSL labels it "SM2 PRIVATE KEY"). RSA keys must have 1024 to
// 4096 bits. which names the key in errors ("privateKey"). An error is
// errs.KeyError with Field which and a message naming the encoding that
// failed; it never contains key material, nor does any wrapped cause.
func ParsePrivateKey(which, text string) (*PrivateKey, error) {
	key, enc, fail, err := decodeKey(which, text, privateFormats, publicFormats)
	if err != nil {
		return nil, err
	}
	k := &PrivateKey{}
	switch {
	case key.refuse != "":
		return nil, fail("%s", key.refuse)
	case key.rsaPriv != nil:
		v := key.rsaPriv
		if err := checkRSABits(v.N.BitLen(), fail); err != nil {
			return nil, err
		}
		k.rsa = v
		k.pub = newPublicKey(&v.PublicKey, nil, enc)
	case key.sm2Priv != nil:
		k.sm2 = key.sm2Priv
		k.pub = newPublicKey(nil, &key.sm2Priv.PublicKey, enc)
	default:
		return nil, fail("%s", notRSAOrSM2)
	}
	return k, nil
}

func checkRSABits(bits int, fail func(string, ...interface{}) error) error {
	if bits < minRSABits {
		return fail("RSA key of %d bits is too small (minimum %d)", bits, minRSABits)
	}
	return nil
}

// ParsePublicKey parses a public key given as PEM or as bare Base64 DER:
// X.509 SubjectPublicKeyInfo ("PUBLIC KEY": RSA or SM2), PKCS#1 ("RSA PUBLIC
// KEY") or an X.509 certificate ("CERTIFICATE"), whose public key is taken
// (the certificate is not otherwise checked). RSA keys must have 1024 to
// 4096 bits. which names the key in errors ("platformPublicKey"). Errors
// are as for ParsePrivateKey.
func ParsePublicKey(which, text string) (*PublicKey, error) {
	key, enc, fail, err := decodeKey(which, text, publicFormats, privateFormats)
	if err != nil {
		return nil, err
	}
	switch {
	case key.refuse != "":
		return nil, fail("%s", key.refuse)
	case key.rsaPub != nil:
		if err := checkRSABits(key.rsaPub.N.BitLen(), fail); err != nil {
			return nil, err
		}
		k := newPublicKey(key.rsaPub, nil, enc)
		k.which = which
		return k, nil
	case key.sm2Pub != nil:
		k := newPublicKey(nil, key.sm2Pub, enc)
		k.which = which
		return k, nil
	}
	return nil, fail("%s", notRSAOrSM2)
}

// String describes the key without any key material: algorithm, size and
// encoding.
func (k *PrivateKey) String() string {
	return string(k.Algorithm()) + "-" + strconv.Itoa(k.Bits()) + " private key (" + k.Encoding() + ")"
}

// String describes the key: algorithm, size and encoding.
func (k *PublicKey) String() string {
	return string(k.Algorithm()) + "-" + strconv.Itoa(k.Bits()) + " public key (" + k.encoding + ")"
}

// ParsePublicKeys parses a list of public keys (a platform key and the one
// that replaces it); which names the list, each error names its element
// ("platformPublicKey[1]").
func ParsePublicKeys(which string, texts []string) ([]*PublicKey, error) {
	keys := make([]*PublicKey, len(texts))
	for i, t := range texts {
		k, err := ParsePublicKey(which+"["+strconv.Itoa(i)+"]", t)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	return keys, nil
}
