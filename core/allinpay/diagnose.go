package allinpay

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// DiagnoseInput is what Diagnose examines.
type DiagnoseInput struct {
	// Body is the reply body exactly as received. Required.
	Body []byte
	// PlatformKeys are the platform public keys to try (none: the contents
	// are shown, nothing is verified).
	PlatformKeys []*PublicKey
	// SignType is the configured sign type; "" tries every one that fits
	// the keys. Another RSA sign type is tried too, to tell RSA from RSA2.
	SignType SignType
	// SignerID is the SM2 signer id ("" = DefaultSignerID).
	SignerID string
	// Request is the request that produced the reply, if known: its signing
	// is reported next to the reply's.
	Request *Request
	// MerchantKey is the merchant's own public key, if known: a platform
	// key equal to it is the classic cause of 验签失败.
	MerchantKey *PublicKey
}

// Diagnosis is Diagnose's report: a plain struct (JSON tags) meant to be
// shown to a developer as is.
type Diagnosis struct {
	// Verified is true when some variant verifies with some key.
	Verified bool `json:"verified"`
	// VerifiedBy is the first variant (in the order of Variants) that
	// verifies; SignType and KeyFingerprint say with what.
	VerifiedBy     Variant  `json:"verifiedBy,omitempty"`
	SignType       SignType `json:"signType,omitempty"`
	KeyFingerprint string   `json:"keyFingerprint,omitempty"`
	// VerifyMode is the verifyMode to pin ("" when nothing verified).
	VerifyMode string `json:"verifyMode,omitempty"`
	// Conclusion says in plain words what was found and what to do.
	Conclusion string `json:"conclusion"`
	// Code and Msg are the reply's code and msg ("" when unreadable).
	Code string `json:"code,omitempty"`
	Msg  string `json:"msg,omitempty"`
	// Signed is true when the reply has a top-level sign; SignBytes is the
	// decoded signature's length and SignLooksLike what that suggests
	// ("RSA-1024", "RSA-2048", "SM2").
	Signed        bool   `json:"signed"`
	SignBytes     int    `json:"signBytes,omitempty"`
	SignLooksLike string `json:"signLooksLike,omitempty"`
	// BodyProblem is why couponkit refuses the body whatever its signature
	// (not strict JSON, a repeated member, a lone surrogate); "" when none.
	BodyProblem string `json:"bodyProblem,omitempty"`
	// Keys are the platform keys tried.
	Keys []DiagnosedKey `json:"keys"`
	// Variants has one check per variant, in the order of Variants.
	Variants []VariantCheck `json:"variants"`
	// Request reports the request's signing, when one was given.
	Request *RequestReport `json:"request,omitempty"`
}

// DiagnosedKey describes one platform key tried.
type DiagnosedKey struct {
	Fingerprint string `json:"fingerprint"`
	Algorithm   string `json:"algorithm"`
	Bits        int    `json:"bits"`
	// IsMerchantKey is true when it is the merchant's own public key.
	IsMerchantKey bool `json:"isMerchantKey,omitempty"`
}

// VariantCheck is what one variant checked.
type VariantCheck struct {
	Variant Variant `json:"variant"`
	// Verified: the sign verifies under this variant (with SignType and
	// the key KeyFingerprint).
	Verified       bool     `json:"verified"`
	SignType       SignType `json:"signType,omitempty"`
	KeyFingerprint string   `json:"keyFingerprint,omitempty"`
	// Content is the form's content (shortened to about 200 bytes, "…"
	// marking the cut), ContentLength its full length in bytes and
	// ContentSHA256 the SHA-256 of all of it, to compare with another
	// implementation's.
	Content       string `json:"content"`
	ContentLength int    `json:"contentLength"`
	ContentSHA256 string `json:"contentSha256"`
	// SignedMessage is what the signature is checked over: the content
	// (shortened) for direct, the Base64 MD5 text for md5.
	SignedMessage string `json:"signedMessage"`
	// Error says why the form could not be computed ("" when it was).
	Error string `json:"error,omitempty"`
}

// RequestReport describes the request that produced the reply.
type RequestReport struct {
	Method       string         `json:"method,omitempty"`
	Profile      RequestProfile `json:"profile"`
	SignType     string         `json:"signType,omitempty"`
	SignedFields []string       `json:"signedFields"`
	SignContent  string         `json:"signContent"`
	SignedText   string         `json:"signedText"`
	// Note says what the other profile would change.
	Note string `json:"note,omitempty"`
}

// Diagnose examines a reply the way a developer debugging 验签失败 would:
// it computes every variant's content, checks the sign under each with
// every key (and every sign type that fits them), and concludes in plain
// words which variant the gateway uses and which verifyMode to set, or why
// nothing verifies (no key, the merchant's own key, a key of another size,
// an unsigned error reply, a body couponkit refuses). It never fails: every
// problem is part of the report. Every passwd (a couponConsume card
// password) in the contents and the request's signing shows as [redacted]
// (RedactPasswd): the report is meant to be shown.
func Diagnose(in DiagnoseInput) Diagnosis {
	d := diagnose(in)
	for i := range d.Variants {
		v := &d.Variants[i]
		v.Content, v.SignedMessage = RedactPasswd(v.Content), RedactPasswd(v.SignedMessage)
	}
	if q := d.Request; q != nil {
		q.SignContent, q.SignedText = RedactPasswd(q.SignContent), RedactPasswd(q.SignedText)
	}
	return d
}

// diagnose is Diagnose before the redaction.
func diagnose(in DiagnoseInput) Diagnosis {
	d := Diagnosis{Keys: []DiagnosedKey{}, Variants: []VariantCheck{}}
	for _, k := range in.PlatformKeys {
		if k == nil || (k.rsa == nil && k.sm2 == nil) {
			continue
		}
		d.Keys = append(d.Keys, DiagnosedKey{Fingerprint: k.Fingerprint(), Algorithm: string(k.Algorithm()), Bits: k.Bits(),
			IsMerchantKey: in.MerchantKey != nil && k.Equal(in.MerchantKey)})
	}
	if in.Request != nil {
		d.Request = requestReport(in.Request)
	}
	r, err := readReply(in.Body)
	if err != nil {
		d.BodyProblem = errText(err)
		d.Conclusion = "The reply is not one strict JSON object (" + d.BodyProblem + "), so it cannot be verified or read. " +
			"Check what reached you: an HTML error page from a proxy, a truncated body, or a gateway URL that is not the API's."
		return d
	}
	g := gjson.ParseBytes(in.Body)
	if c := g.Get("code"); c.Type == gjson.String || c.Type == gjson.Number {
		d.Code = c.String()
	}
	d.Msg = g.Get("msg").String()
	if err := r.unambiguous(); err != nil {
		d.BodyProblem = errText(err)
	}
	sign, serr := r.sign()
	d.Signed = r.signMember() >= 0
	var sig []byte
	if serr == nil {
		var ok bool
		if sig, ok = decodeSign(sign); ok {
			d.SignBytes = len(sig)
			d.SignLooksLike = looksLike(sig)
		}
	}
	for _, v := range Variants() {
		content := r.form(v)
		msg := v.SignedMessage(content)
		sum := sha256.Sum256(content)
		vc := VariantCheck{Variant: v, Content: shorten(content), ContentLength: len(content),
			ContentSHA256: hex.EncodeToString(sum[:]), SignedMessage: shorten(msg)}
		if sig != nil {
			vc.SignType, vc.KeyFingerprint, vc.Verified = tryKeys(in, msg, sig)
		}
		if vc.Verified && !d.Verified {
			d.Verified, d.VerifiedBy, d.SignType, d.KeyFingerprint = true, v, vc.SignType, vc.KeyFingerprint
		}
		d.Variants = append(d.Variants, vc)
	}
	d.Conclusion = conclude(&d, in, serr)
	if d.Verified && d.BodyProblem == "" {
		d.VerifyMode = string(d.VerifiedBy)
	}
	return d
}

// Diagnose is Diagnose with the client's platform keys, sign type, signer
// id and merchant key; req is the request that produced the reply, or nil.
func (c *Client) Diagnose(body []byte, req *Request) Diagnosis {
	return Diagnose(DiagnoseInput{Body: body, PlatformKeys: c.cfg.PlatformPublicKeys, SignType: c.cfg.SignType,
		SignerID: c.cfg.SignerID, Request: req, MerchantKey: c.cfg.PrivateKey.Public()})
}

// tryKeys checks msg against every key under the configured sign type, then
// the other sign types that fit the key.
func tryKeys(in DiagnoseInput, msg, sig []byte) (SignType, string, bool) {
	for _, k := range in.PlatformKeys {
		if k == nil || (k.rsa == nil && k.sm2 == nil) {
			continue
		}
		types := []SignType{SM2}
		if k.Algorithm() == AlgorithmRSA {
			types = []SignType{RSA2, RSA}
			if in.SignType == RSA {
				types = []SignType{RSA, RSA2}
			}
		}
		for _, t := range types {
			if checkSig(k, t, in.SignerID, msg, sig) {
				return t, k.Fingerprint(), true
			}
		}
	}
	return "", "", false
}

// looksLike guesses the algorithm from a signature's length and shape.
func looksLike(sig []byte) string {
	if len(sig) >= 64 && len(sig) <= 74 && sig[0] == 0x30 && int(sig[1]) == len(sig)-2 {
		return "SM2"
	}
	switch len(sig) {
	case 128, 256, 384, 512:
		return "RSA-" + strconv.Itoa(len(sig)*8)
	}
	return "unknown (" + strconv.Itoa(len(sig)) + " bytes)"
}

var variantWords = map[Variant]string{
	SDKMD5:    "the SDK (fastjson) form of the reply with MD5 (the Base64 of its MD5 digest is signed)",
	SDKDirect: "the SDK (fastjson) form of the reply itself",
	RawDirect: "the raw reply minus its sign member, itself",
	RawMD5:    "the raw reply minus its sign member with MD5 (the Base64 of its MD5 digest is signed)",
}

func conclude(d *Diagnosis, in DiagnoseInput, signErr error) string {
	var b strings.Builder
	switch {
	case d.Verified:
		b.WriteString("This gateway signs " + variantWords[d.VerifiedBy] + " (" + d.SignType.JavaName() + ", platform key " + short(d.KeyFingerprint) + "): set verifyMode \"" + string(d.VerifiedBy) + "\" to accept only that.")
		n := 0
		for _, v := range d.Variants {
			if v.Verified {
				n++
			}
		}
		if n > 1 {
			b.WriteString(" " + strconv.Itoa(n) + " variants verify because their contents coincide for this reply (compact, sorted, no null members); pin after a reply where they differ, or keep verifyMode any.")
		}
		if in.SignType != "" && d.SignType != in.SignType {
			b.WriteString(" The gateway signs " + d.SignType.JavaName() + ", not the configured " + in.SignType.JavaName() + ": set signType " + string(d.SignType) + ".")
		}
	case !d.Signed && d.Code != "" && d.Code != "0":
		b.WriteString("The reply carries no sign: it is the gateway's unsigned error answer (code " + d.Code + ", msg \"" + d.Msg + "\"), nothing to verify.")
		if strings.Contains(d.Msg, "签") || strings.Contains(strings.ToLower(d.Msg), "sign") {
			b.WriteString(" The gateway could not verify your request: check that Allinpay holds the public key of your privateKey, and the appId and signType; if this gateway follows the vendor's Java SDK, set requestProfile \"sdk\" (it keeps empty values, signs Base64(MD5(content)) and sends signType as " + orDefaultType(in.SignType).JavaName() + ").")
		}
	case !d.Signed:
		b.WriteString("The reply carries no sign although its code is " + orText(d.Code, "missing") + ": couponkit refuses it (SIGNATURE_INVALID) unless verifyMode is skip.")
	case signErr != nil || d.SignBytes == 0:
		b.WriteString("The reply's sign is not a Base64 string, so no variant can verify it.")
	case len(d.Keys) == 0:
		b.WriteString("No platform public key was given, so nothing could be verified. The sign is " + strconv.Itoa(d.SignBytes) + " bytes, which looks like " + d.SignLooksLike + ". Add Allinpay's platform public key (平台公钥, not your own) and diagnose again; the contents below are what each variant would check.")
	default:
		b.WriteString("No variant verifies with the " + strconv.Itoa(len(d.Keys)) + " platform key(s).")
		for _, k := range d.Keys {
			switch {
			case k.IsMerchantKey:
				b.WriteString(" The key " + short(k.Fingerprint) + " is your own merchant public key: replies are signed with Allinpay's key; get the platform public key (平台公钥) from Allinpay.")
			case strings.HasPrefix(d.SignLooksLike, "RSA-") && k.Algorithm == "RSA" && "RSA-"+strconv.Itoa(k.Bits) != d.SignLooksLike:
				b.WriteString(" The sign is " + d.SignLooksLike + " but the key " + short(k.Fingerprint) + " is RSA-" + strconv.Itoa(k.Bits) + ": it is not the key that signed this reply.")
			case d.SignLooksLike == "SM2" && k.Algorithm == "RSA", strings.HasPrefix(d.SignLooksLike, "RSA-") && k.Algorithm == "SM2":
				b.WriteString(" The sign looks like " + d.SignLooksLike + " but the key " + short(k.Fingerprint) + " is " + k.Algorithm + ".")
			}
		}
		b.WriteString(" If the key is right, the body was changed on the way (a proxy re-encoding it) or the gateway signs in a way not known yet: compare each content below with what the vendor's SDK logs for the same reply.")
	}
	if d.BodyProblem != "" {
		b.WriteString(" Whatever its signature, couponkit refuses this reply: " + d.BodyProblem + ".")
	}
	return b.String()
}

func orDefaultType(t SignType) SignType {
	if t == "" {
		return RSA2
	}
	return t
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// short is the first 16 hex digits of a fingerprint.
func short(fp string) string {
	if len(fp) > 16 {
		return fp[:16] + "…"
	}
	return fp
}

// shorten returns b when it has at most 200 bytes, else its first 150 and
// last 40 bytes (cut at character boundaries) around "…".
func shorten(b []byte) string {
	if len(b) <= 200 {
		return string(b)
	}
	head, tail := 150, len(b)-40
	for head > 0 && !utf8.RuneStart(b[head]) {
		head--
	}
	for tail < len(b) && !utf8.RuneStart(b[tail]) {
		tail++
	}
	return string(b[:head]) + "…" + string(b[tail:])
}

func requestReport(req *Request) *RequestReport {
	rep := &RequestReport{Profile: req.Profile, SignedFields: req.SignedFields, SignContent: shorten([]byte(req.SignContent)),
		SignedText: shorten([]byte(req.SignedText))}
	if rep.SignedFields == nil {
		rep.SignedFields = []string{}
	}
	for _, p := range req.Params {
		switch p.Key {
		case "method":
			rep.Method = p.Value
		case "signType":
			rep.SignType = p.Value
		}
	}
	if rep.Profile == "" {
		rep.Profile = ProfileRules
	}
	if rep.Profile == ProfileRules {
		rep.Note = "signed under the rules profile; a gateway that follows the vendor's Java SDK expects requestProfile sdk"
	} else {
		rep.Note = "signed under the SDK profile; a gateway that follows the vendor's rules page expects requestProfile rules"
	}
	return rep
}

// errText is an error's message without its kind.
func errText(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}
