package zvcms

import (
	"strconv"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/tidwall/gjson"
)

// ReverseParams are the Params of a reversal (冲正) of a verify or a
// consume. The vendor's v2 reversal action is not public: its name comes
// from Client.ReversalAction, and its parameters beyond the two below from
// the merchant's contract, passed through in Extra.
type ReverseParams struct {
	// BizID (bizId) is the bizId the verify or consume REPLY returned
	// (VerifyResult.BizID, ConsumeResult.BizID, Resolution.BizID), which
	// is not necessarily the one the request sent: required.
	BizID string
	// CouponsCardList (couponsCardList) lists the coupons to return, as
	// the verify listed them (ids; written per Client.CouponListStyle);
	// omitted when empty.
	CouponsCardList []string
	// Extra holds further params: one JSON object whose members are sent
	// after bizId and couponsCardList byte for byte. It may not repeat
	// those two. nil or empty is none.
	Extra []byte
}

// Validate checks that bizId is present, the coupons are decimal ids, and
// Extra is one JSON object not repeating bizId or couponsCardList. A
// violation is INVALID_ARGUMENT naming the path inside Params
// ("couponsCardList[0]"; a member of Extra by its name).
func (p *ReverseParams) Validate() error {
	var c check
	c.text("bizId", p.BizID, true)
	for i, id := range p.CouponsCardList {
		c.id("couponsCardList["+strconv.Itoa(i)+"]", id, true)
	}
	if c.err != nil {
		return c.err
	}
	extra := jsontext.TrimSpace(p.Extra)
	if len(extra) == 0 {
		return nil
	}
	if err := checkObject("", extra); err != nil {
		return errs.Invalid("", "the extra params must be one well-formed JSON object")
	}
	gjson.ParseBytes(extra).ForEach(func(k, _ gjson.Result) bool {
		if k.Str == "bizId" || (k.Str == "couponsCardList" && len(p.CouponsCardList) > 0) {
			c.fail(k.Str, "is given twice: as a field and in the extra params")
			return false
		}
		return true
	})
	return c.err
}

func (p *ReverseParams) size() int {
	n := 32 + len(p.BizID) + len(p.Extra)
	for _, s := range p.CouponsCardList {
		n += len(s) + 3
	}
	return n
}

// appendTo writes bizId, couponsCardList (when given) and the members of
// Extra.
func (p *ReverseParams) appendTo(b []byte, style ListStyle) []byte {
	o := object{b: b}
	o.str("bizId", p.BizID)
	if len(p.CouponsCardList) > 0 {
		o.list("couponsCardList", p.CouponsCardList, style)
	}
	b = o.b
	if extra := jsontext.TrimSpace(p.Extra); len(extra) > 2 {
		if inner := jsontext.TrimSpace(extra[1 : len(extra)-1]); len(inner) > 0 {
			b = append(append(b, ','), inner...)
		}
	}
	return append(b, '}')
}

// Reverse validates p and builds a signed reversal (冲正) request under
// Client.ReversalAction. Without a configured action it is INVALID_ARGUMENT
// naming "ReversalAction": the v2 name is not public and comes from the
// merchant's contract with the vendor. A reversal is not idempotent (the
// vendor may refuse a second one); find out whether an earlier one took
// effect with CouponStatus (useStatus 0 again) before repeating it.
func (c *Client) Reverse(p ReverseParams, st Stamp) (Request, error) {
	if c.ReversalAction == "" {
		return Request{}, errs.Invalid("ReversalAction", "no reversal (冲正) action is configured: the zvcms v2 reversal action's name is not public; "+
			"set Client.ReversalAction to the name in the merchant's contract with the vendor (智迈/企迈)")
	}
	if err := checkAction(c.ReversalAction); err != nil {
		return Request{}, errs.Invalid("ReversalAction", "%s", err.(*errs.Error).Message)
	}
	req, err := c.typed(c.ReversalAction, &p, st)
	req.Idempotent = false // whatever the configured name
	return req, err
}

// ParseReverseParams reads the Params of a received reversal (the sandbox's
// side): bizId, couponsCardList (both list styles, optional), and every
// other member into Extra as sent. Errors are INVALID_ARGUMENT naming the
// path ("Params.bizId").
func ParseReverseParams(params []byte) (*ReverseParams, error) {
	return parseParams(params, func(f *fields) *ReverseParams {
		p := &ReverseParams{BizID: f.str("bizId"), CouponsCardList: f.list("couponsCardList")}
		if rest := f.rest(); len(rest) > 0 {
			o := object{}
			for _, m := range rest {
				o.key(m.Name)
				o.b = append(o.b, m.Value...)
			}
			p.Extra = o.end()
		}
		return p
	})
}

// ReverseResult is the data of a successful reversal reply. The reply's
// shape is the merchant's contract's: the members this package can name
// are read when present, and every other member is kept in Unknown.
type ReverseResult struct {
	// BizID (bizId) is the business id the reply names, if any.
	BizID string
	// CardIDList (cardIdList) are the coupons returned, if the reply lists
	// them (an array or the string "[id,id]").
	CardIDList []string
	// Unknown holds the other members of data, as sent.
	Unknown []RawMember
	// Response is the envelope (status, code, message, raw data).
	Response *Response
}

// ParseReverseResponse parses a reversal reply. A vendor error is API_ERROR
// or SYSTEM_ERROR (see Response.Err); data that is not an object (or
// absent) leaves the result empty but for Response.
func ParseReverseResponse(body []byte) (*ReverseResult, error) {
	return parseReply(body, func(d *dec, data gjson.Result, r *Response) *ReverseResult {
		res := &ReverseResult{Response: r}
		if data.IsObject() {
			f := d.fields(data, at("data"))
			res.BizID, res.CardIDList, res.Unknown = f.str("bizId"), f.list("cardIdList"), f.rest()
		}
		return res
	})
}
