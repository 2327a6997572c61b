package allinpay

import (
	"encoding/json"
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/tidwall/gjson"
)

// Response is a reply's envelope. Code is the vendor code as written (a JSON
// number or string, "0" meaning success); Data is the raw text of the data
// member (nil when absent or null); Verification says how the sign was
// checked (its members are promoted: r.Verified, r.VerifiedBy).
type Response struct {
	Code    string          `json:"code"`
	Msg     string          `json:"msg"`
	Data    json.RawMessage `json:"data,omitempty"`
	ReqSeq  string          `json:"reqSeq,omitempty"`
	RespSeq string          `json:"respSeq,omitempty"`
	Sign    string          `json:"sign,omitempty"`
	Verification
}

// Success reports whether Code is 0.
func (r *Response) Success() bool {
	n, err := strconv.ParseInt(r.Code, 10, 64)
	return err == nil && n == 0
}

// VerifyResponse checks a reply's top-level sign with the platform public
// keys under the client's VerifyMode; see VerifyReply.
func (c *Client) VerifyResponse(body []byte) (Verification, error) {
	return VerifyReply(body, c.cfg.PlatformPublicKeys, c.cfg.SignType, c.cfg.SignerID, c.cfg.Verify)
}

// ParseResponse verifies a reply (see VerifyReply) and parses its
// envelope. A code other than 0 is errs.APIError with VendorCode and
// VendorMessage (the Response is returned too). A reply without any sign
// whose code is not 0 (gateways often answer errors such as 验签失败
// unsigned) is reported as that APIError rather than as a signature error;
// without a sign, code 0 is errs.SignatureInvalid. A reply of the wrong
// shape is errs.ResponseInvalid with Field the JSON path.
func (c *Client) ParseResponse(body []byte) (*Response, error) {
	pr, err := readReply(body)
	if err != nil {
		return nil, err
	}
	if err := pr.unambiguous(); err != nil {
		return nil, err
	}
	g := gjson.ParseBytes(body)
	r := &Response{}
	if r.Code, err = scalarText("code", g.Get("code"), true); err != nil {
		return nil, err
	}
	if r.Code == "" {
		return nil, errs.New(errs.ResponseInvalid, "code", "the reply has no code")
	}
	if r.Msg, err = scalarText("msg", g.Get("msg"), false); err != nil {
		return nil, err
	}
	if r.ReqSeq, err = scalarText("reqSeq", g.Get("reqSeq"), true); err != nil {
		return nil, err
	}
	if r.RespSeq, err = scalarText("respSeq", g.Get("respSeq"), true); err != nil {
		return nil, err
	}
	if d := g.Get("data"); d.Exists() && d.Type != gjson.Null {
		r.Data = json.RawMessage(d.Raw)
	}
	unsigned := pr.signMember() < 0
	switch {
	case c.cfg.Verify == SkipVerify:
	case unsigned && !r.Success():
	default:
		if r.Verification, err = pr.verify(c.cfg.PlatformPublicKeys, c.cfg.SignType, c.cfg.SignerID, c.cfg.Verify); err != nil {
			return nil, err
		}
	}
	if !unsigned {
		r.Sign, _ = pr.sign() // "" unless a string
	}
	if !r.Success() {
		e := errs.Vendor(errs.APIError, "", r.Code, r.Msg)
		if !r.Verified && c.cfg.Verify != SkipVerify {
			e.Message = "the vendor reported a business error (unsigned reply)"
		}
		return r, e
	}
	return r, nil
}

// scalarText returns a JSON string's value, or a number's text when numbers
// are allowed; "" for absent or null. Other types are errs.ResponseInvalid.
func scalarText(field string, v gjson.Result, numberOK bool) (string, error) {
	switch {
	case !v.Exists() || v.Type == gjson.Null:
		return "", nil
	case v.Type == gjson.String:
		return v.Str, nil
	case v.Type == gjson.Number && numberOK:
		return v.Raw, nil
	}
	return "", errs.New(errs.ResponseInvalid, field, "%s has the wrong JSON type", field)
}
