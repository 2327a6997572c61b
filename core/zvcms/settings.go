package zvcms

import (
	"net/url"
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
)

// Settings are a client's configuration as text, as a caller or a
// configuration file gives it: the credentials, the styles and the options
// by their names. Client checks them and makes the Client.
type Settings struct {
	Credentials
	BaseURL         string // the endpoint: "" (DefaultBaseURL) or an absolute http or https URL
	TokenKeyStyle   string // lowerCamel ("", the default) or capitalized (ParseKeyStyle)
	CouponListStyle string // array ("", the default) or string (ParseListStyle)
	ReversalAction  string // the reversal's Action from the merchant's contract ("" none: Reverse fails)
	VerifyAPI       string // v2 ("", the default) or v3 (ParseAPIVersion)
	V3BaseURL       string // the v3 API's base: "" (DefaultV3BaseURL) or an absolute http or https URL
}

// Client checks s and returns the client it describes (without a clock or a
// nonce source: set Now and Nonce, or leave them nil for the defaults).
// Without an OpenKey the client is keyless: its requests need issued
// stamps. A bad setting is INVALID_ARGUMENT naming it by its JSON name
// ("baseUrl", "tokenKeyStyle", "reversalAction", …).
func (s *Settings) Client() (*Client, error) {
	if s.BaseURL != "" && !httpURL(s.BaseURL) {
		return nil, errs.Invalid("baseUrl", "baseUrl must be an absolute http or https URL")
	}
	cl := &Client{Credentials: s.Credentials, BaseURL: s.BaseURL}
	var err error
	if cl.KeyStyle, err = ParseKeyStyle("tokenKeyStyle", s.TokenKeyStyle); err != nil {
		return cl, err
	}
	if cl.CouponListStyle, err = ParseListStyle("couponListStyle", s.CouponListStyle); err != nil {
		return cl, err
	}
	if s.ReversalAction != "" && CheckAction(s.ReversalAction) != nil {
		return cl, errs.Invalid("reversalAction", "reversalAction %q must be printable ASCII without spaces or quotes", jsontext.Clip(s.ReversalAction, 60))
	}
	if s.V3BaseURL != "" && !httpURL(s.V3BaseURL) {
		return cl, errs.Invalid("v3BaseUrl", "v3BaseUrl must be an absolute http or https URL")
	}
	cl.ReversalAction, cl.V3BaseURL = s.ReversalAction, s.V3BaseURL
	cl.VerifyAPI, err = ParseAPIVersion("verifyApi", s.VerifyAPI)
	return cl, err
}

// httpURL reports whether s is an absolute http or https URL with a host.
func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// CheckStamp checks how a request is stamped and returns the stamp to build
// it with: issued, a stamp the back office issued (nil: none), or else t,
// a timestamp and nonce for the OpenKey to sign (zero: the clock and a
// fresh nonce). An issued stamp given together with a timestamp or nonce is
// refused (it has its own), and so is a keyless client's request without an
// issued stamp; both are INVALID_ARGUMENT naming "stamp".
func (c *Client) CheckStamp(t Stamp, issued *Stamp) (Stamp, error) {
	switch {
	case issued != nil && (t.Timestamp != "" || t.Nonce != ""):
		return Stamp{}, errs.Invalid("stamp", "give either stamp or timestamp and nonce, not both (an issued stamp has its own)")
	case issued == nil && c.Keyless():
		return Stamp{}, errs.Invalid("stamp", "stamp is required: the zvcms credentials are keyless (no openKey), so each request needs a stamp {timestamp, nonce, token} issued by the back office (zvcms.stamp)")
	case issued != nil:
		return *issued, nil
	}
	return Stamp{Timestamp: t.Timestamp, Nonce: t.Nonce}, nil
}

// ParseInt reads a vendor integer parameter given as text ("" is absent,
// the zero OptInt); anything but a decimal int64 is INVALID_ARGUMENT naming
// field.
func ParseInt(field, s string) (OptInt, error) {
	if s == "" {
		return OptInt{}, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return OptInt{}, errs.Invalid(field, "%q is not a whole number", jsontext.Clip(s, 60))
	}
	return IntOf(v), nil
}

// MembersJSON writes members as one JSON object, in order and byte for
// byte ({} when there are none): the members a typed reply does not name.
func MembersJSON(members []RawMember) []byte {
	b := []byte{'{'}
	for i, m := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(jsontext.AppendString(b, m.Name), ':')
		b = append(b, m.Value...)
	}
	return append(b, '}')
}

// UseStatusName is the name of the coupon's UseStatus (UseStatusName), or
// "" when it is absent or another value.
func (s *CouponStatus) UseStatusName() string {
	if !s.UseStatus.Valid {
		return ""
	}
	return UseStatusName(s.UseStatus.Int)
}

// StatusName is the name of the coupon's Status (OffStatusName), or "" when
// it is absent or another value.
func (u *UserCoupon) StatusName() string {
	if !u.Status.Valid {
		return ""
	}
	return OffStatusName(u.Status.Int)
}
