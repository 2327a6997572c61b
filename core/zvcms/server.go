package zvcms

import (
	"github.com/couponkit/couponkit/core/errs"
	"github.com/tidwall/gjson"
)

// Envelope is a received request (the server's side): the seven top-level
// fields, with Params kept as raw JSON for ParseVerifyParams,
// ParseDiscountParams or the caller's own decoding.
type Envelope struct {
	OpenID    string // OpenId
	GrantCode string // GrantCode
	Token     string // Token, as sent (URL-encoded)
	Timestamp string // Timestamp
	Nonce     string // Nonce
	Action    string // Action
	// Params is the raw JSON of "Params", byte for byte; nil when absent.
	Params []byte
}

// ParseRequest parses a request body as a server receives it. A body that is
// not one JSON object is INVALID_JSON; a missing or non-string OpenId,
// GrantCode, Token, Timestamp, Nonce or Action is INVALID_ARGUMENT naming it
// (numbers are accepted as their text); Params, when present, must be an
// object. Check the Token with CheckToken.
func ParseRequest(body []byte) (*Envelope, error) {
	if !validJSON(body) {
		return nil, errs.New(errs.InvalidJSON, "", "the request body is not well-formed JSON (or nests more than %d levels)", maxDepth)
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return nil, errs.New(errs.InvalidJSON, "", "the request body is not a JSON object")
	}
	d := dec{kind: errs.InvalidArgument}
	req := func(key string) string {
		s := d.str(root.Get(key), at(key))
		if s == "" {
			d.fail(at(key), "%s is missing", key)
		}
		return s
	}
	env := &Envelope{
		OpenID: req("OpenId"), GrantCode: req("GrantCode"), Token: req("Token"),
		Timestamp: req("Timestamp"), Nonce: req("Nonce"), Action: req("Action"),
	}
	if d.err != nil {
		return nil, d.err
	}
	if p := root.Get("Params"); p.Exists() && p.Type != gjson.Null {
		if !p.IsObject() {
			return nil, errs.Invalid("Params", "Params must be a JSON object")
		}
		env.Params = []byte(p.Raw)
	}
	return env, nil
}
