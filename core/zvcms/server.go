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
	return parseRequest(body, &[7]string{"OpenId", "GrantCode", "Token", "Timestamp", "Nonce", "Action", "Params"})
}

// parseRequest parses a request envelope whose members are called names:
// OpenId, GrantCode, Token, Timestamp, Nonce, Action ("" for none), Params.
func parseRequest(body []byte, names *[7]string) (*Envelope, error) {
	if !validJSON(body) {
		return nil, errs.New(errs.InvalidJSON, "", "the request body is not well-formed JSON (or nests more than %d levels)", maxDepth)
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return nil, errs.New(errs.InvalidJSON, "", "the request body is not a JSON object")
	}
	d := dec{kind: errs.InvalidArgument}
	req := func(i int) string {
		if names[i] == "" {
			return ""
		}
		s := d.str(root.Get(names[i]), at(names[i]))
		if s == "" {
			d.fail(at(names[i]), "%s is missing", names[i])
		}
		return s
	}
	env := &Envelope{OpenID: req(0), GrantCode: req(1), Token: req(2), Timestamp: req(3), Nonce: req(4), Action: req(5)}
	if d.err != nil {
		return nil, d.err
	}
	if p := root.Get(names[6]); p.Exists() && p.Type != gjson.Null {
		if !p.IsObject() {
			return nil, errs.Invalid(names[6], "%s must be a JSON object", names[6])
		}
		env.Params = []byte(p.Raw)
	}
	return env, nil
}
