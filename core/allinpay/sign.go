package allinpay

import (
	"crypto"
	"crypto/md5"
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

// RequestProfile is how a request is signed. The vendor's rules page and
// the vendor's open-platform Java SDK disagree (PROTOCOLS.md section 2):
// the merchant's gateway decides which one it checks.
type RequestProfile string

const (
	// ProfileRules (the default, "" or "rules") follows the rules page:
	// empty values are left out of the sign content, the content itself is
	// signed, and signType is sent as RSA2, RSA or SM2.
	ProfileRules RequestProfile = "rules"
	// ProfileSDK ("sdk") follows the Java SDK: empty strings stay in the
	// sign content (only absent parameters are left out), the signature is
	// over Base64(MD5(content)), and signType is sent as the Java algorithm
	// name (SHA256WithRSA, SHA1WithRSA, SM3withSM2).
	ProfileSDK RequestProfile = "sdk"
)

// ParseRequestProfile parses "rules" or "sdk"; "" is ProfileRules.
func ParseRequestProfile(field, s string) (RequestProfile, error) {
	switch RequestProfile(s) {
	case "", ProfileRules:
		return ProfileRules, nil
	case ProfileSDK:
		return ProfileSDK, nil
	}
	return "", errs.Invalid(field, "unknown request profile %q: use rules or sdk", s)
}

func (p RequestProfile) orDefault() RequestProfile {
	if p == "" {
		return ProfileRules
	}
	return p
}

// signTypeText is the signType parameter value for t under the profile.
func (p RequestProfile) signTypeText(t SignType) string {
	if p == ProfileSDK {
		return t.JavaName()
	}
	return string(t)
}

// SignContent returns the sign content under the rules profile; see
// RequestProfile.SignContent.
func SignContent(params []Param) (content string, fields []string) {
	return ProfileRules.SignContent(params)
}

// SignContent returns the text a request signature covers and the keys it
// includes, in order: every parameter except sign and signType, sorted by
// key in byte (ASCII) order, joined as key=value with '&', values raw (not
// URL-encoded). The rules profile also leaves out parameters whose value is
// empty; the SDK profile keeps them (a parameter absent from params is left
// out). When a key occurs more than once its first value is used.
func (p RequestProfile) SignContent(params []Param) (content string, fields []string) {
	keepEmpty := p == ProfileSDK
	kept := make([]Param, 0, len(params))
	seen := make(map[string]bool, len(params))
	for _, p := range params {
		if p.Key == "sign" || p.Key == "signType" || (p.Value == "" && !keepEmpty) || seen[p.Key] {
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

// SignedText returns the text the signature is computed over for a sign
// content: the content itself under the rules profile, the Base64 of its
// MD5 digest under the SDK profile (as the SDK's SecretUtils.sign does).
func (p RequestProfile) SignedText(content string) string {
	if p == ProfileSDK {
		return md5Base64([]byte(content))
	}
	return content
}

// md5Base64 is Base64 (standard, padded) of the MD5 digest of b.
func md5Base64(b []byte) string {
	d := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(d[:])
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
	sig, ok := decodeSign(sign)
	if !ok {
		return errs.New(errs.SignatureInvalid, "sign", "the signature is not valid Base64")
	}
	if !checkSig(key, signType, signerID, content, sig) {
		return errs.New(errs.SignatureInvalid, "sign", "the %s signature does not match the signed content", signType)
	}
	return nil
}

// decodeSign decodes a Base64 signature strictly (padded, no stray bits).
func decodeSign(s string) ([]byte, bool) {
	sig, err := base64.StdEncoding.Strict().DecodeString(s)
	return sig, err == nil && len(sig) > 0
}

// checkSig reports whether sig is key's signature of msg under signType;
// the key has been checked to fit it.
func checkSig(key *PublicKey, signType SignType, signerID string, msg, sig []byte) bool {
	switch signType {
	case RSA2:
		d := sha256.Sum256(msg)
		return rsa.VerifyPKCS1v15(key.rsa, crypto.SHA256, d[:], sig) == nil
	case RSA:
		d := sha1.Sum(msg)
		return rsa.VerifyPKCS1v15(key.rsa, crypto.SHA1, d[:], sig) == nil
	case SM2:
		return sm2.VerifyASN1WithSM2(key.sm2, []byte(signerIDOr(signerID)), msg, sig)
	}
	return false
}

func signerIDOr(id string) string {
	if id == "" {
		return DefaultSignerID
	}
	return id
}
