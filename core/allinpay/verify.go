package allinpay

import (
	"bytes"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/tidwall/sjson"
)

// Variant is one way a gateway may sign a reply: a canonical form (which
// bytes of the reply) and a digest step (what is signed from them), written
// "form+digest":
//
//   - form "sdk": SDKForm, the fastjson string the vendor's Java SDK
//     rebuilds from the reply without its sign; form "raw": the raw body
//     with the top-level sign member deleted, every other byte kept.
//   - digest "direct": the form's bytes are signed; digest "md5": the Base64
//     text of their MD5 digest is signed (the SDK's SecretUtils).
//
// Security: every variant is a deterministic function of the one reply
// body, and the parsed data is always read from that same body. A reply
// with a repeated member (at any depth) or a lone surrogate escape is
// refused before any signature is checked, because there a reader's view
// (first member wins, U+FFFD) could differ from a signed view (fastjson:
// last member wins, '?'); without them, every member the parsed data reads
// is covered, with the same value, by every variant (the SDK form only
// drops null members, which read as absent, and re-spells numbers, which
// the typed results read by value).
type Variant string

// The four variants, in the order VerifyAny tries them (the SDK form with
// MD5 first: the variant the evidence favours).
const (
	SDKMD5    Variant = "sdk+md5"
	SDKDirect Variant = "sdk+direct"
	RawDirect Variant = "raw+direct"
	RawMD5    Variant = "raw+md5"
)

// RawMinusSign is the old name of RawDirect (the only variant before the
// SDK evidence), kept for one release.
//
// Deprecated: use RawDirect.
const RawMinusSign = RawDirect

// Variants returns the four variants in the order VerifyAny tries them.
func Variants() []Variant { return []Variant{SDKMD5, SDKDirect, RawDirect, RawMD5} }

// Form returns the variant's canonical form: "sdk" or "raw".
func (v Variant) Form() string { f, _, _ := strings.Cut(string(v), "+"); return f }

// Digest returns the variant's digest step: "direct" or "md5".
func (v Variant) Digest() string { _, d, _ := strings.Cut(string(v), "+"); return d }

func (v Variant) valid() bool {
	switch v {
	case SDKMD5, SDKDirect, RawDirect, RawMD5:
		return true
	}
	return false
}

// SignedMessage returns what the signature covers for a form's content: the
// content itself (direct) or the Base64 text of its MD5 digest (md5).
func (v Variant) SignedMessage(content []byte) []byte {
	if v.Digest() == "md5" {
		return []byte(md5Base64(content))
	}
	return content
}

// VerifyMode says how replies are verified: VerifyAny (the default), one
// pinned Variant (VerifyMode(SDKMD5), …), or SkipVerify.
type VerifyMode string

const (
	// VerifyAny ("" or "any") accepts a reply whose sign verifies under any
	// Variant; the result names the one that matched (VerifiedBy), so that
	// the merchant can pin it.
	VerifyAny VerifyMode = ""
	// SkipVerify ("skip") does not check the signature at all. Only an
	// explicit choice selects it; use it for debugging, never in production.
	SkipVerify VerifyMode = "skip"
)

// String returns the mode as ParseVerifyMode accepts it ("any" for
// VerifyAny).
func (m VerifyMode) String() string {
	if m == VerifyAny {
		return "any"
	}
	return string(m)
}

// ParseVerifyMode parses "any" (or ""), a variant name ("sdk+md5",
// "sdk+direct", "raw+direct", "raw+md5") or "skip". The old names are
// accepted for one release: "raw" is raw+direct and "sorted" (a sorted
// canonical form that was our guess at the SDK's) is sdk+direct.
func ParseVerifyMode(field, s string) (VerifyMode, error) {
	switch s {
	case "", "any":
		return VerifyAny, nil
	case "skip":
		return SkipVerify, nil
	case "raw":
		return VerifyMode(RawDirect), nil
	case "sorted":
		// The old sorted canonical form was a guess at the SDK's form.
		return VerifyMode(SDKDirect), nil
	}
	if Variant(s).valid() {
		return VerifyMode(s), nil
	}
	return "", errs.Invalid(field, "unknown verify mode %q: use any, sdk+md5, sdk+direct, raw+direct, raw+md5 or skip", s)
}

// variants returns the variants the mode accepts, in trial order.
func (m VerifyMode) variants() []Variant {
	if Variant(m).valid() {
		return []Variant{Variant(m)}
	}
	return Variants()
}

// Verification says how a reply's signature was checked.
type Verification struct {
	// Verified is true when the sign was checked and matched.
	Verified bool `json:"verified"`
	// VerifiedBy is the variant that matched ("sdk+md5", …); "" when not
	// verified. When two forms give the same bytes (a compact, sorted reply
	// without nulls) it names the first in the order of Variants.
	VerifiedBy Variant `json:"verifiedBy,omitempty"`
	// KeyFingerprint is the SPKI SHA-256 fingerprint of the platform key that
	// verified it (see PublicKey.Fingerprint).
	KeyFingerprint string `json:"keyFingerprint,omitempty"`
}

// ResponseSignContent returns a reply's content under a variant's form
// (before the digest step; see Variant.SignedMessage) and its sign value.
// A body that is not one strict JSON object is errs.ResponseInvalid, as is
// one with a repeated member or a lone surrogate escape (Field: its path);
// a missing or non-string sign is errs.SignatureInvalid.
func ResponseSignContent(body []byte, v Variant) (content []byte, sign string, err error) {
	if !v.valid() {
		return nil, "", errs.Invalid("variant", "unknown variant %q", string(v))
	}
	r, err := readReply(body)
	if err != nil {
		return nil, "", err
	}
	if err := r.unambiguous(); err != nil {
		return nil, "", err
	}
	sign, err = r.sign()
	if err != nil {
		return nil, "", err
	}
	return r.form(v), sign, nil
}

// form returns the reply's content under v's form.
func (r *parsedReply) form(v Variant) []byte {
	if v.Form() == "sdk" {
		return r.sdkForm()
	}
	return r.rawForm()
}

// sign returns the top-level sign value, or errs.SignatureInvalid when it is
// missing or not a string.
func (r *parsedReply) sign() (string, error) {
	i := r.signMember()
	switch {
	case i < 0:
		return "", errs.New(errs.SignatureInvalid, "sign", "the reply carries no sign")
	case r.top[i].valKind != jString:
		return "", errs.New(errs.SignatureInvalid, "sign", "the reply's sign is not a string")
	}
	return string(utf16Decode(r.top[i].valStr)), nil
}

// VerifyReply checks a reply's top-level sign with any of the platform keys
// under mode (nothing is checked under SkipVerify) for signType and signerID
// ("" = DefaultSignerID). The body is first refused, as errs.ResponseInvalid,
// when it is not one strict JSON object or has a repeated member or a lone
// surrogate escape (in every mode, SkipVerify included). A sign that matches
// nothing is errs.SignatureInvalid.
func VerifyReply(body []byte, keys []*PublicKey, signType SignType, signerID string, mode VerifyMode) (Verification, error) {
	mode, err := ParseVerifyMode("verify", string(mode))
	if err != nil {
		return Verification{}, err
	}
	r, err := readReply(body)
	if err != nil {
		return Verification{}, err
	}
	if err := r.unambiguous(); err != nil {
		return Verification{}, err
	}
	if mode == SkipVerify {
		return Verification{}, nil
	}
	return r.verify(keys, signType, signerID, mode)
}

func (r *parsedReply) verify(keys []*PublicKey, signType SignType, signerID string, mode VerifyMode) (Verification, error) {
	sign, err := r.sign()
	if err != nil {
		return Verification{}, err
	}
	if len(keys) == 0 {
		return Verification{}, errs.New(errs.KeyError, "platformPublicKeys", "no platform public key to verify the reply with")
	}
	for i, k := range keys {
		if err := k.usableWith("platformPublicKeys["+strconv.Itoa(i)+"]", signType); err != nil {
			return Verification{}, err
		}
	}
	sig, ok := decodeSign(sign)
	if !ok {
		return Verification{}, errs.New(errs.SignatureInvalid, "sign", "the signature is not valid Base64")
	}
	forms := map[string][]byte{}
	vs := mode.variants()
	for _, v := range vs {
		content, ok := forms[v.Form()]
		if !ok {
			content = r.form(v)
			forms[v.Form()] = content
		}
		msg := v.SignedMessage(content)
		for _, k := range keys {
			if checkSig(k, signType, signerID, msg, sig) {
				return Verification{Verified: true, VerifiedBy: v, KeyFingerprint: k.Fingerprint()}, nil
			}
		}
	}
	what := "verifies under no variant (" + joinVariants(vs) + ")"
	if len(vs) == 1 {
		what = "does not verify as the pinned variant " + string(vs[0])
	}
	return Verification{}, errs.New(errs.SignatureInvalid, "sign",
		"the %s signature %s with the %d platform key(s); Diagnose shows what each variant checked",
		signType, what, len(keys))
}

func joinVariants(vs []Variant) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// SignResponse signs a reply body for a server (the sandbox) with the
// platform private key under variant v: it computes the variant's content
// of body, signs it, and sets a top-level "sign" member with sjson
// (appended after the last member; every other byte is kept), so that
// ResponseSignContent(result, v) yields exactly what was signed. body must
// be one strict JSON object without a sign member, repeated members or lone
// surrogates. SM2 randomness comes from crypto/rand. Pure: no I/O.
func SignResponse(body []byte, platform *PrivateKey, signType SignType, signerID string, v Variant) ([]byte, error) {
	if !v.valid() {
		return nil, errs.Invalid("variant", "unknown variant %q: use sdk+md5, sdk+direct, raw+direct or raw+md5", string(v))
	}
	r, err := readReply(body)
	if err == nil {
		err = r.unambiguous()
	}
	if err != nil {
		return nil, errs.Invalid("body", "the reply body cannot be signed: %s", errs.KindOf(err))
	}
	if r.signMember() >= 0 {
		return nil, errs.Invalid("body", "the reply body already has a sign member")
	}
	sign, err := Sign(platform, signType, signerID, v.SignedMessage(r.form(v)))
	if err != nil {
		return nil, err
	}
	return r.withSign(sign)
}

// withSign returns the body with a top-level sign member set by sjson (the
// whitespace around the object kept), checking that its raw form is the
// body itself.
func (r *parsedReply) withSign(sign string) ([]byte, error) {
	body := r.body
	obj, err := sjson.SetBytes(append([]byte(nil), body[r.objStart:r.objEnd]...), "sign", sign)
	if err != nil {
		return nil, errs.Invalid("body", "the sign member could not be set")
	}
	out := make([]byte, 0, len(body)+len(obj)-(r.objEnd-r.objStart))
	out = append(append(append(out, body[:r.objStart]...), obj...), body[r.objEnd:]...)
	if check, err := readReply(out); err != nil || !bytes.Equal(check.rawForm(), body) {
		return nil, errs.New(errs.Internal, "body", "setting the sign member changed the body")
	}
	return out, nil
}

// VerifyRequest checks a received request form for a server (the sandbox)
// as VerifyRequestAs with either profile, discarding which one matched.
func VerifyRequest(form url.Values, merchant *PublicKey, signType SignType, signerID string) error {
	_, err := VerifyRequestAs(form, merchant, signType, signerID, "")
	return err
}

// VerifyRequestAs checks a received request form: the sign parameter against
// the sign content of the other parameters under profile ("" accepts
// either and returns the one that matched), with the merchant's public
// key. signType "" takes the form's signType (RSA2, RSA, SM2 or the Java
// name); otherwise a form signType naming another algorithm is
// errs.InvalidArgument. A repeated parameter is errs.InvalidArgument; a
// missing or wrong sign is errs.SignatureInvalid. Pure: no I/O.
func VerifyRequestAs(form url.Values, merchant *PublicKey, signType SignType, signerID string, profile RequestProfile) (RequestProfile, error) {
	keys := make([]string, 0, len(form))
	for k, vs := range form {
		if len(vs) > 1 {
			return "", errs.Invalid(k, "parameter %s is sent more than once", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	got, err := ParseSignType("signType", form.Get("signType"))
	if err != nil {
		return "", err
	}
	switch {
	case signType == "" && got == "":
		return "", errs.Invalid("signType", "the request has no signType")
	case signType == "":
		signType = got
	case got != "" && got != signType:
		return "", errs.Invalid("signType", "the request says signType %s but %s is expected", form.Get("signType"), signType)
	}
	sign := form.Get("sign")
	if sign == "" {
		return "", errs.New(errs.SignatureInvalid, "sign", "the request carries no sign")
	}
	if err := merchant.usableWith("merchantPublicKey", signType); err != nil {
		return "", err
	}
	sig, ok := decodeSign(sign)
	if !ok {
		return "", errs.New(errs.SignatureInvalid, "sign", "the signature is not valid Base64")
	}
	params := make([]Param, len(keys))
	for i, k := range keys {
		params[i] = Param{k, form.Get(k)}
	}
	profiles := []RequestProfile{ProfileRules, ProfileSDK}
	if profile != "" {
		p, err := ParseRequestProfile("profile", string(profile))
		if err != nil {
			return "", err
		}
		profiles = []RequestProfile{p}
	}
	for _, p := range profiles {
		content, _ := p.SignContent(params)
		if checkSig(merchant, signType, signerID, []byte(p.SignedText(content)), sig) {
			return p, nil
		}
	}
	return "", errs.New(errs.SignatureInvalid, "sign", "the %s signature does not match the request under the %s profile", signType, orList(profileNames(profiles)))
}

func profileNames(ps []RequestProfile) []string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return s
}
