package allinpay

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"sort"
	"strings"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/emmansun/gmsm/sm2"
)

// SignContent returns the text a request signature covers and the keys it
// includes in order: every parameter except sign and signType and except
// those whose value is empty, sorted by key in byte (ASCII) order, joined as
// key=value with '&', values raw (not URL-encoded). When a key occurs more
// than once its first value is used.
func SignContent(params []Param) (content string, fields []string) {
	kept := make([]Param, 0, len(params))
	seen := make(map[string]bool, len(params))
	for _, p := range params {
		if p.Key == "sign" || p.Key == "signType" || p.Value == "" || seen[p.Key] {
			continue
		}
		seen[p.Key] = true
		kept = append(kept, p)
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].Key < kept[j].Key })
	n := 0
	for _, p := range kept {
		n += len(p.Key) + len(p.Value) + 2
	}
	var b strings.Builder
	b.Grow(n)
	fields = make([]string, len(kept))
	for i, p := range kept {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.Key)
		b.WriteByte('=')
		b.WriteString(p.Value)
		fields[i] = p.Key
	}
	return b.String(), fields
}

// Sign signs content (UTF-8 bytes) with key and returns the Base64
// (standard, padded) signature: RSA2 SHA256withRSA and RSA SHA1withRSA
// (PKCS#1 v1.5), SM2 SM3withSM2 with signerID ("" = DefaultSignerID) as an
// ASN.1 DER signature. SM2 randomness comes from crypto/rand. A key that does
// not fit signType is errs.KeyError.
func Sign(key *PrivateKey, signType SignType, signerID string, content []byte) (string, error) {
	return signWith(key, signType, signerID, content, rand.Reader)
}

func signWith(key *PrivateKey, signType SignType, signerID string, content []byte, rnd io.Reader) (string, error) {
	if _, err := ParseSignType("signType", string(signType)); err != nil || signType == "" {
		return "", errs.Invalid("signType", "unknown sign type %q: use RSA2, RSA or SM2", string(signType))
	}
	if err := key.usableWith(signType); err != nil {
		return "", err
	}
	var sig []byte
	var err error
	switch signType {
	case RSA2:
		d := sha256.Sum256(content)
		sig, err = rsa.SignPKCS1v15(nil, key.rsa, crypto.SHA256, d[:])
	case RSA:
		d := sha1.Sum(content)
		sig, err = rsa.SignPKCS1v15(nil, key.rsa, crypto.SHA1, d[:])
	case SM2:
		sig, err = key.sm2.Sign(rnd, content, sm2.NewSM2SignerOption(true, []byte(signerIDOr(signerID))))
	}
	if err != nil {
		// The cause is not wrapped: it is not expected to hold key material,
		// but the rule is that key errors never carry library text.
		return "", errs.New(errs.KeyError, "privateKey", "signing with the %s key failed", key.Algorithm())
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// Verify checks a Base64 signature sign over content with key for signType
// (signerID "" = DefaultSignerID for SM2). A mismatch, bad Base64 (strict:
// padded, no stray bits) or a malformed signature is errs.SignatureInvalid; a
// key that does not fit signType is errs.KeyError.
func Verify(key *PublicKey, signType SignType, signerID string, content []byte, sign string) error {
	return verifyWith("publicKey", key, signType, signerID, content, sign)
}

// verifyWith is Verify naming the key field in errors.
func verifyWith(field string, key *PublicKey, signType SignType, signerID string, content []byte, sign string) error {
	if _, err := ParseSignType("signType", string(signType)); err != nil || signType == "" {
		return errs.Invalid("signType", "unknown sign type %q: use RSA2, RSA or SM2", string(signType))
	}
	if err := key.usableWith(field, signType); err != nil {
		return err
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(sign)
	if err != nil || len(sig) == 0 {
		return errs.New(errs.SignatureInvalid, "sign", "the signature is not valid Base64")
	}
	ok := false
	switch signType {
	case RSA2:
		d := sha256.Sum256(content)
		ok = rsa.VerifyPKCS1v15(key.rsa, crypto.SHA256, d[:], sig) == nil
	case RSA:
		d := sha1.Sum(content)
		ok = rsa.VerifyPKCS1v15(key.rsa, crypto.SHA1, d[:], sig) == nil
	case SM2:
		ok = sm2.VerifyASN1WithSM2(key.sm2, []byte(signerIDOr(signerID)), content, sig)
	}
	if !ok {
		return errs.New(errs.SignatureInvalid, "sign", "the %s signature does not match the signed content", signType)
	}
	return nil
}

func signerIDOr(id string) string {
	if id == "" {
		return DefaultSignerID
	}
	return id
}
