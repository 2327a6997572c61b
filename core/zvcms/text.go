package zvcms

import (
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/tidwall/gjson"
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
// "Action"; in v3 bodies "params" and the lower-camel names) and its own
// options ("OpenKey", "KeyStyle", "CouponListStyle", "VerifyAPI",
// "ReversalAction").
const ParamsField = "Params"

// paramsErr prefixes a validator's field path with ParamsField.
func paramsErr(err error) error { return errs.Prefix(ParamsField, err) }

// typed is the Params of a typed builder.
type typed interface {
	// Validate reports the first violation, naming its path inside Params.
	Validate() error
	// size is about the length of the Params JSON.
	size() int
	// appendTo writes the Params JSON object.
	appendTo(b []byte, style ListStyle) []byte
}

// typed validates p and builds a signed request for action with p as its
// Params.
func (c *Client) typed(action string, p typed, st Stamp) (Request, error) {
	if err := p.Validate(); err != nil {
		return Request{}, paramsErr(err)
	}
	buf, req, err := c.begin(action, st, p.size())
	if err != nil {
		return Request{}, err
	}
	return finish(p.appendTo(buf, c.CouponListStyle), req), nil
}

// paramsJSON validates p and returns its Params JSON object.
func paramsJSON(p typed, style ListStyle) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, paramsErr(err)
	}
	return p.appendTo(make([]byte, 0, p.size()), style), nil
}

// parseParams reads the Params of a received request (the server's side)
// with read, leniently (every scalar a string or a number, "" absent), and
// validates the result. Errors are INVALID_ARGUMENT naming the path
// ("Params.ext.channelType").
func parseParams[P interface{ Validate() error }](params []byte, read func(f *fields) P) (P, error) {
	var none P
	if err := checkObject(ParamsField, params); err != nil {
		return none, err
	}
	d := dec{kind: errs.InvalidArgument}
	p := read(d.fields(gjson.ParseBytes(params), at(ParamsField)))
	if d.err != nil {
		return none, d.err
	}
	if err := p.Validate(); err != nil {
		return none, paramsErr(err)
	}
	return p, nil
}

// parseReply parses a reply's envelope and reads its data with read,
// leniently (errors of kind RESPONSE_INVALID at their JSON path). A vendor
// error is returned as ParseResponse returns it.
func parseReply[R any](body []byte, read func(d *dec, data gjson.Result, r *Response) *R) (*R, error) {
	r, data, err := parseEnvelope(body)
	if err != nil {
		return nil, err
	}
	d := dec{kind: errs.ResponseInvalid}
	res := read(&d, data, r)
	if d.err != nil {
		return nil, d.err
	}
	return res, nil
}
