package invoke

// The Allinpay key types are in every build: session.open takes them even in
// the zvcms variant (which refuses them, see variant_zvcms.go).

// AllinpayKeys are an Allinpay application's keys, PEM or Base64 DER.
type AllinpayKeys struct {
	AppID             string `json:"appId" ck:"required"`           // the appId issued by Allinpay
	PrivateKey        string `json:"privateKey"`                    // the merchant private key that signs requests (PKCS#8, PKCS#1 or SEC1); without it the keys are keyless: requests come back unsigned with their signContent for the back office (allinpay.sign), see docs/keyless.md
	PlatformPublicKey string `json:"platformPublicKey"`             // the platform's public key that verifies replies (not the merchant's own)
	SignType          string `json:"signType"`                      // RSA2 (default for RSA keys), RSA or SM2
	SignerID          string `json:"signerId"`                      // SM2 signer id (default 1234567812345678)
	GatewayURL        string `json:"gatewayUrl"`                    // the gateway URL (required to build requests)
	Version           string `json:"version"`                       // the API version (default 1.0)
	VerifyMode        string `json:"verifyMode" ck:"domain=verify"` // reply verification: raw (default), sorted, or skip (an explicit opt-out)
}

// AllinpayAuth gives a method Allinpay keys: a session or inline, one of them.
type AllinpayAuth struct {
	Session  string        `json:"session"`  // a session opened with Allinpay keys
	Allinpay *AllinpayKeys `json:"allinpay"` // the keys inline, instead of a session
}
