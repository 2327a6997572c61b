package zvcms

import (
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
)

// The vendor's v3 API (open.zmcms.cn doc3) serves each action under a path
// of its own, with a lower-camel envelope {"openId", "grantCode", "token",
// "timestamp", "nonce", "params"} and no Action; the Token is computed as
// for v2. This package uses it for the redemption only (Client.VerifyAPI):
// the v3 page of that action (doc3 article 472) shows its path and params.

// DefaultV3BaseURL is the v3 API's base, used when Client.V3BaseURL is "".
const DefaultV3BaseURL = "http://openapi.zvcms.com/v3"

// PathV3WriteOffCoupon is the v3 path of the redemption (优惠券核销), the
// twin of communal.user.coupons-vertify.
const PathV3WriteOffCoupon = "/crm/coupon/writeOffCoupon"

// APIVersion is the vendor API a request goes to.
type APIVersion int

const (
	// V2 is the OpenAPI v2 (one endpoint, the Action in the body); the
	// default.
	V2 APIVersion = iota
	// V3 is the v3 API (a path per action, the lower-camel envelope).
	V3
)

// String returns the name ParseAPIVersion accepts.
func (v APIVersion) String() string {
	switch v {
	case V2:
		return "v2"
	case V3:
		return "v3"
	}
	return "APIVersion(" + strconv.Itoa(int(v)) + ")"
}

// ParseAPIVersion parses "v2" or "v3"; "" is V2. field names the value in
// the error.
func ParseAPIVersion(field, s string) (APIVersion, error) {
	switch s {
	case "", "v2":
		return V2, nil
	case "v3":
		return V3, nil
	}
	return 0, errs.Invalid(field, "unknown API version %q (want v2 or v3)", s)
}

// ParseRequestV3 parses a v3 request body as a server receives it, like
// ParseRequest but with the lower-camel members (openId, grantCode, token,
// timestamp, nonce, params) and no Action: the path names the action, and
// Envelope.Action is left "". Check the Token with CheckToken.
func ParseRequestV3(body []byte) (*Envelope, error) {
	return parseRequest(body, &[7]string{"openId", "grantCode", "token", "timestamp", "nonce", "", "params"})
}
