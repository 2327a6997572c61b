package allinpay

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
)

// Keys are an application's keys and settings as text, as a caller or a
// configuration file gives them (PEM or Base64 DER keys, the sign type and
// modes by name). Client checks them and makes the Client.
type Keys struct {
	AppID              string   // the appId (required)
	PrivateKey         string   // the merchant private key; "" makes a keyless client
	PlatformPublicKeys []string // the platform's public keys (ParsePlatformKeys)
	SignType           string   // RSA2, RSA or SM2 ("": from the keys)
	SignerID           string   // the SM2 signer id ("": DefaultSignerID)
	GatewayURL         string   // the gateway URL
	Version            string   // the API version ("": DefaultVersion)
	VerifyMode         string   // ParseVerifyMode's names ("": any)
	RequestProfile     string   // rules ("", the default) or sdk
}

// Client parses the keys and makes the client they describe, its clock now
// (nil: time.Now). Errors name the member by its JSON name: signType,
// verifyMode, privateKey, requestProfile, platformPublicKey (or
// platformPublicKey[i] in a list of several), and NewClient's.
func (k *Keys) Client(now func() time.Time) (*Client, error) {
	cfg := Config{AppID: k.AppID, SignerID: k.SignerID, GatewayURL: k.GatewayURL, Version: k.Version, Now: now}
	var err error
	if cfg.SignType, err = ParseSignType("signType", k.SignType); err != nil {
		return nil, err
	}
	if cfg.Verify, err = ParseVerifyMode("verifyMode", k.VerifyMode); err != nil {
		return nil, err
	}
	if k.PrivateKey != "" {
		if cfg.PrivateKey, err = ParsePrivateKey("privateKey", k.PrivateKey); err != nil {
			return nil, err
		}
	}
	if cfg.RequestProfile, err = ParseRequestProfile("requestProfile", k.RequestProfile); err != nil {
		return nil, err
	}
	if cfg.PlatformPublicKeys, err = ParsePlatformKeys(k.PlatformPublicKeys); err != nil {
		return nil, err
	}
	cl, err := NewClient(cfg)
	return cl, keyField(err, len(k.PlatformPublicKeys))
}

// keyField renames Config's platformPublicKeys field to the member the
// caller wrote (platformPublicKey, or platformPublicKey[i] in a list of n>1).
func keyField(err error, n int) error {
	var e *errs.Error
	if !errors.As(err, &e) || !strings.HasPrefix(e.Field, "platformPublicKeys") {
		return err
	}
	c := *e
	c.Field = "platformPublicKey"
	if rest := strings.TrimPrefix(e.Field, "platformPublicKeys"); n > 1 {
		c.Field += rest
	}
	return &c
}

// ParsePlatformKeys parses the platform public keys as a caller lists them:
// none, one key (its error names "platformPublicKey"; one "" is no key) or
// several (each error names "platformPublicKey[i]").
func ParsePlatformKeys(texts []string) ([]*PublicKey, error) {
	switch {
	case len(texts) == 0 || len(texts) == 1 && texts[0] == "":
		return nil, nil
	case len(texts) == 1:
		k, err := ParsePublicKey("platformPublicKey", texts[0])
		if err != nil {
			return nil, err
		}
		return []*PublicKey{k}, nil
	}
	return ParsePublicKeys("platformPublicKey", texts)
}

// ParseTimestamp reads a request timestamp as a caller gives it:
// "yyyy-MM-dd HH:mm:ss" in China time, or Unix seconds (1 to 2^40-1).
// Anything else is INVALID_ARGUMENT naming field.
func ParseTimestamp(field, s string) (time.Time, error) {
	if jsontext.IsDigits(s) {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < 1<<40 {
			return time.Unix(n, 0), nil
		}
	} else if v, err := time.ParseInLocation(TimestampLayout, s, ChinaZone); err == nil {
		return v, nil
	}
	return time.Time{}, errs.Invalid(field, "timestamp %q must be \"yyyy-MM-dd HH:mm:ss\" (China time) or Unix seconds", jsontext.Clip(s, 60))
}

// Complete completes a request Build (or a typed builder) returned: with a
// keyless client and a sign (the signature the back office made over its
// SignContent) it is Attach's request; without a sign it is q as it is. A
// sign given to a client with a private key is INVALID_ARGUMENT naming
// "sign" (it signs its requests itself).
func (c *Client) Complete(q Request, sign string) (Request, error) {
	switch {
	case sign == "":
		return q, nil
	case !c.Keyless():
		return Request{}, errs.Invalid("sign", "sign is only for keyless keys (no privateKey): these keys sign the request themselves")
	}
	return c.Attach(q.Params, sign)
}

// Redacted returns q with every passwd (a couponConsume card password)
// redacted in SignContent, SignedText and the Params values (RedactPasswd),
// as it may be shown or logged; Body, the bytes to send, keeps it.
func (q Request) Redacted() Request {
	q.SignContent, q.SignedText = RedactPasswd(q.SignContent), RedactPasswd(q.SignedText)
	params := make([]Param, len(q.Params))
	for i, p := range q.Params {
		params[i] = Param{Key: p.Key, Value: RedactPasswd(p.Value)}
	}
	if q.Params != nil {
		q.Params = params
	}
	return q
}

// ParseForm reads a request's form body (key=value&…, URL-encoded; the
// parameters in the order sent) and recomputes its signing under the
// profile its signType suggests (the Java SDK's names: ProfileSDK). A body
// that does not decode is INVALID_ARGUMENT naming field.
func ParseForm(field, form string) (*Request, error) {
	q := &Request{Profile: ProfileRules}
	for _, kv := range strings.Split(form, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, errs.Invalid(field, "the request is not a form body (key=value&…, URL-encoded): %q does not decode", jsontext.Clip(kv, 60))
		}
		q.Params = append(q.Params, Param{Key: key, Value: val})
		if key == "signType" {
			if t, err := ParseSignType("signType", val); err == nil && t != "" && val == t.JavaName() {
				q.Profile = ProfileSDK
			}
		}
	}
	q.SignContent, q.SignedFields = q.Profile.SignContent(q.Params)
	q.SignedText = q.Profile.SignedText(q.SignContent)
	return q, nil
}

// RedactPasswd replaces the value of every JSON passwd member in s: each
// leftmost `"passwd"`, optional white space (\t \n \f \r and space),
// a colon, white space again and a string value whose escapes are a
// backslash and any character but a newline, as the regular expression
// `"passwd"\s*:\s*"(?:[^"\\]|\\.)*"` would (the test checks against it).
// A scanner rather than package regexp: the regexp's compiler and its
// Unicode tables cost 128 KB gzip in the full wasm module (measured).
func RedactPasswd(s string) string {
	const key, repl = `"passwd"`, `"passwd":"[redacted]"`
	var b strings.Builder
	done := 0 // s[:done] is in b
	for from := 0; ; {
		i := strings.Index(s[from:], key)
		if i < 0 {
			break
		}
		start := from + i
		end := passwdValueEnd(s, start+len(key))
		if end < 0 {
			from = start + 1
			continue
		}
		b.WriteString(s[done:start])
		b.WriteString(repl)
		done, from = end, end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// passwdValueEnd is the end of `\s*:\s*"(?:[^"\\]|\\.)*"` at s[i:], or -1
// when it does not match there.
func passwdValueEnd(s string, i int) int {
	space := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r') {
			i++
		}
	}
	space()
	if i >= len(s) || s[i] != ':' {
		return -1
	}
	i++
	space()
	if i >= len(s) || s[i] != '"' {
		return -1
	}
	// Byte by byte: '"', '\\' and '\n' are ASCII, never inside a UTF-8
	// sequence, and an invalid byte is one character to the regexp too.
	for i++; i < len(s); i++ {
		switch s[i] {
		case '"':
			return i + 1
		case '\\':
			if i+1 >= len(s) || s[i+1] == '\n' {
				return -1
			}
			i++
		}
	}
	return -1
}

// With returns in with what the client cl knows: its platform keys (before
// any in already lists), its private key's public half as MerchantKey, and
// its sign type and signer id where in gives none.
func (in DiagnoseInput) With(cl *Client) DiagnoseInput {
	cfg := cl.Config()
	in.PlatformKeys = append(append([]*PublicKey(nil), cfg.PlatformPublicKeys...), in.PlatformKeys...)
	in.MerchantKey = cfg.PrivateKey.Public()
	if in.SignType == "" {
		in.SignType = cfg.SignType
	}
	if in.SignerID == "" {
		in.SignerID = cfg.SignerID
	}
	return in
}

// TypedMethod returns the method with a typed reply parser
// (ParseCouponSendResponse, ParseCouponQueryResponse,
// ParseCouponConsumeResponse) that name names: its full name or its last
// dot-separated parts ("couponSend", "couponService.couponQuery");
// "couponConsume" names couponConsumeV1. Any other name gives "".
func TypedMethod(name string) string {
	if name == "couponConsume" {
		name = MethodCouponConsumeV1
	}
	for _, m := range []string{MethodCouponSend, MethodCouponQuery, MethodCouponConsumeV1} {
		if name != "" && (name == m || strings.HasSuffix(m, "."+name)) {
			return m
		}
	}
	return ""
}
