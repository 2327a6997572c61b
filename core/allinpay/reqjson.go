package allinpay

import "github.com/couponkit/couponkit/core/errs"

// CheckBizContent checks JSON text given to a request builder (the
// bizContent of Build, a free-form object such as extendInfo): one strict
// JSON object (RFC 8259, UTF-8, at most 64 levels, no "$ref" or "@type"
// key, which fastjson on the gateway would interpret), no member repeated
// in any object, no lone surrogate escape (\ud800 without its pair).
// Errors are relative to the object: text that is not one object is
// errs.InvalidArgument with Field "", a lone surrogate errs.InvalidJSON
// with Field the string's path and the byte offset in the message, a
// repeated member errs.InvalidArgument with Field its path
// ("extendInfo.buyerType"). Callers prefix the name they took the text
// under (errs.Prefix).
func CheckBizContent(text []byte) error {
	r, why := parseStrict(text)
	if why != "" {
		return errs.Invalid("", "must be one strict JSON object ({} for none): %s", why)
	}
	if r.dupPath != "" {
		return errs.Invalid(r.dupPath, "the member %s appears more than once", r.dupPath)
	}
	if r.loneSurrogate >= 0 {
		return errs.New(errs.InvalidJSON, r.surrogatePath, "a lone surrogate escape (an unpaired \\uD800-\\uDFFF) at byte %d", r.loneSurrogate)
	}
	return nil
}
