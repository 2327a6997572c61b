package invoke

import (
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/wire"
	"github.com/tidwall/gjson"
)

// The Allinpay key types are in every build: session.open takes them even in
// the zvcms variant (which refuses them, see variant_zvcms.go).

// AllinpayKeys are an Allinpay application's keys, PEM or Base64 DER.
type AllinpayKeys struct {
	AppID             string  `json:"appId" ck:"required"`                              // the appId issued by Allinpay
	PrivateKey        string  `json:"privateKey"`                                       // the merchant private key that signs requests (PKCS#8, PKCS#1 or SEC1); without it the keys are keyless: requests come back unsigned with their signContent for the back office (allinpay.sign), see docs/keyless.md
	PlatformPublicKey KeyList `json:"platformPublicKey" ck:"domain=platformPublicKeys"` // the platform's public key that verifies replies (not the merchant's own), or a list of them: a reply verifies when any one does (add Allinpay's new key before it rotates)
	SignType          string  `json:"signType"`                                         // RSA2 (default for RSA keys), RSA or SM2
	SignerID          string  `json:"signerId"`                                         // SM2 signer id (default 1234567812345678)
	GatewayURL        string  `json:"gatewayUrl"`                                       // the gateway URL (required to build requests)
	Version           string  `json:"version"`                                          // the API version (default 1.0)
	VerifyMode        string  `json:"verifyMode" ck:"domain=verify"`                    // reply verification: any (default: every variant, the result's verifiedBy names the one that matched), one pinned variant (sdk+md5, sdk+direct, raw+direct, raw+md5), or skip (an explicit opt-out); the old raw and sorted are aliases of raw+direct and sdk+direct
	RequestProfile    string  `json:"requestProfile"`                                   // request signing: rules (default: the vendor's rules page) or sdk (the vendor's Java SDK: empty values kept, Base64(MD5(content)) signed, signType sent as SHA256WithRSA)
}

// KeyList is one key (a JSON string) or several (an array of strings).
type KeyList []string

// DecodeJSON reads a string or an array of strings.
func (l *KeyList) DecodeJSON(v gjson.Result) error {
	if v.Type == gjson.String {
		*l = KeyList{v.Str}
		return nil
	}
	if !v.IsArray() {
		return errs.Invalid("", "must be a key (a string) or a list of keys, got %s", wire.KindName(v))
	}
	var err error
	v.ForEach(func(_, e gjson.Result) bool {
		switch {
		case len(*l) == 16:
			err = errs.New(errs.TooLarge, "", "has more than 16 keys")
		case e.Type != gjson.String:
			err = errs.Invalid("["+strconv.Itoa(len(*l))+"]", "must be a key (a string), got %s", wire.KindName(e))
		}
		*l = append(*l, e.Str)
		return err == nil
	})
	return err
}

// AllinpayAuth gives a method Allinpay keys: a session or inline, one of them.
type AllinpayAuth struct {
	Session  string        `json:"session"`  // a session opened with Allinpay keys
	Allinpay *AllinpayKeys `json:"allinpay"` // the keys inline, instead of a session
}
