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
