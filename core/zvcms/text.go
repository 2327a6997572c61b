package zvcms

import (
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
)

// appendIntString appends v as a JSON string ("12"), or "" when v is 0 and
// zeroAbsent.
func appendIntString(dst []byte, v int64, zeroAbsent bool) []byte {
	dst = append(dst, '"')
	if v != 0 || !zeroAbsent {
		dst = strconv.AppendInt(dst, v, 10)
	}
	return append(dst, '"')
}

// checkObject reports an INVALID_ARGUMENT naming field unless b is exactly
// one well-formed JSON object.
func checkObject(field string, b []byte) error {
	b = jsontext.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' || !validJSON(b) {
		return errs.Invalid(field, "must be one well-formed JSON object")
	}
	return nil
}

// clip shortens untrusted text quoted in an error message.
func clip(s string) string { return jsontext.Clip(s, 40) }

// ParamsField is the request member holding the business parameters. Errors
// about them name "Params" followed by the path inside it: the Validate
// methods of the *Params types report the path alone ("items[2].price"), and
// the Client methods and the Parse*Params functions prefix it with
// ParamsField ("Params.items[2].price"). The other fields a Client names are
// the envelope members ("OpenId", "GrantCode", "Timestamp", "Nonce",
// "Action") and its own options ("OpenKey", "KeyStyle", "CouponListStyle",
// "ReversalAction").
const ParamsField = "Params"

// paramsErr prefixes a validator's field path with ParamsField.
func paramsErr(err error) error { return errs.Prefix(ParamsField, err) }
