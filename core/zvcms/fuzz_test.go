package zvcms

import (
	"context"
	"reflect"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

func addFixtures(f *testing.F, names ...string) {
	for _, n := range names {
		f.Add(fixture(f, n))
	}
}

// FuzzParseResponse: the reply parsers never panic and fail only with the
// reply kinds; a parsed discount never holds a negative or over-large amount.
func FuzzParseResponse(f *testing.F) {
	addFixtures(f, "seed000_response.json", "seed000_error_business.json", "seed000_error_system.json",
		"seed001_response.json", "verify_response_lenient.json", "discount_response_rate.json")
	f.Add([]byte(`{"status":true,"code":0,"data":{"cardIdList":"[1, 2]","goods_item":[{"coupon_minus":"0.1"}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		replyKind := func(err error) { wantReplyKind(t, err) }
		_, err := ParseVerifyResponse(body)
		replyKind(err)
		d, err := ParseDiscountResponse(body)
		replyKind(err)
		if err == nil {
			for _, v := range append([]OptFen{d.CouponDiscount, d.FinancePayment}, sharesOf(d)...) {
				if v.Fen < 0 || v.Fen > 999_999_999_999_999 || (!v.Valid && v.Fen != 0) {
					t.Fatalf("amount %+v", v)
				}
			}
		}
	})
}

func sharesOf(d *DiscountResult) []OptFen {
	var out []OptFen
	for _, g := range d.GoodsItems {
		out = append(out, g.CouponMinus)
	}
	return out
}

// FuzzParseRequest: the server-side parsers never panic, fail only with
// request kinds, and whatever params they accept survive a rebuild by the
// Client unchanged (in both list styles).
func FuzzParseRequest(f *testing.F) {
	addFixtures(f, "seed000_request.json", "seed001_request.json")
	c := seedClient()
	if req, err := c.VerifyCoupons(VerifyParams{BizID: "b", CustomerID: "1", CouponsCardList: []string{"2"}, UseCount: 1, TradeMarks: []string{"t"}, Amount: FenOf(1)}, seedStamp); err == nil {
		f.Add(req.Body)
	}
	f.Add([]byte(`{"OpenId":"o","GrantCode":"g","Token":"t","Timestamp":"1","Nonce":"1","Action":"a","Params":{"bizId":"b","customerId":"1","couponsCardList":["2"],"thirdOrderNo":"T-1"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := ParseRequest(body)
		if err != nil {
			if k := errs.KindOf(err); k != errs.InvalidJSON && k != errs.InvalidArgument {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		_ = CheckToken(c.Credentials, env, LowerCamel)
		if p, err := ParseVerifyParams(env.Params); err == nil {
			for _, style := range []ListStyle{ListArray, ListString} {
				cs := *c
				cs.CouponListStyle = style
				parse := ParseRequest
				if p.ThirdOrderNo != "" { // a v3 member: through the v3 envelope
					cs.VerifyAPI, parse = V3, ParseRequestV3
				}
				req, err := cs.VerifyCoupons(*p, seedStamp)
				if err != nil {
					t.Fatalf("accepted params do not build: %v", err)
				}
				back, _ := parse(req.Body)
				p2, err := ParseVerifyParams(back.Params)
				if err != nil || !reflect.DeepEqual(p, p2) {
					if style == ListString && err == nil {
						continue // ids with ',' or brackets cannot survive the string form
					}
					t.Fatalf("rebuild changed params: %v\n%+v\n%+v", err, p, p2)
				}
			}
		} else if errs.KindOf(err) != errs.InvalidArgument {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if p, err := ParseDiscountParams(env.Params); err == nil {
			req, err := c.CouponDiscount(*p, seedStamp)
			if err != nil {
				t.Fatalf("accepted params do not build: %v", err)
			}
			back, _ := ParseRequest(req.Body)
			p2, err := ParseDiscountParams(back.Params)
			if err != nil || !reflect.DeepEqual(p, p2) {
				t.Fatalf("rebuild changed params: %v\n%+v\n%+v", err, p, p2)
			}
		} else if errs.KindOf(err) != errs.InvalidArgument {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// FuzzParseLifecycleResponse: the status, off-coupon, detail, consume and
// reversal parsers never panic and fail only with the reply kinds; what
// they keep raw is well-formed JSON; and the resolver, fed the same body for
// every exchange, ends in one of its three outcomes by one of its rules,
// calling a verification verified only when the body is a successful verify
// reply.
func FuzzParseLifecycleResponse(f *testing.F) {
	addFixtures(f, "status_response.json", "status_response_list.json", "offcoupon_response.json",
		"offcoupon_response_lenient.json", "offcoupon_response_empty_coupon.json", "detail_response.json",
		"detail_response_lenient.json", "consume_response.json", "consume_response_lenient.json",
		"seed000_error_business.json", "seed000_error_system.json")
	f.Add([]byte(`{"status":true,"code":0,"data":{"cardId":"1","useStatus":1,"bizId":"7","cardIdList":"[1]"}}`))
	f.Add([]byte(`{"status":true,"code":0,"data":{"cardId":"1","useStatus":0,"bizId":"7","cardIdList":[1]}}`))
	c := seedClient()
	f.Fuzz(func(t *testing.T, body []byte) {
		replyKind := func(err error) { wantReplyKind(t, err) }
		raw := func(ms []RawMember) {
			for _, m := range ms {
				if !validJSON(m.Value) {
					t.Fatalf("member %q kept as %q", m.Name, m.Value)
				}
			}
		}
		s, err := ParseCouponStatusResponse(body)
		replyKind(err)
		if err == nil {
			for _, cs := range s.Coupons {
				raw(cs.Unknown)
			}
		}
		o, err := ParseOffCouponResponse(body)
		replyKind(err)
		if err == nil {
			raw(o.Unknown)
			raw(o.Coupon.Unknown)
		}
		d, err := ParseCouponDetailResponse(body)
		replyKind(err)
		if err == nil {
			raw(d.Unknown)
			if v := d.OrderAmount; v.Fen < 0 || v.Fen > 999_999_999_999_999 || (!v.Valid && v.Fen != 0) {
				t.Fatalf("orderAmount %+v", v)
			}
		}
		cr, err := ParseConsumeResponse(body)
		replyKind(err)
		if err == nil {
			raw(cr.Unknown)
		}
		rr, err := ParseReverseResponse(body)
		replyKind(err)
		if err == nil {
			raw(rr.Unknown)
		}

		ex := func(context.Context, Request) ([]byte, error) { return body, nil }
		r, err := c.ResolveVerify(context.Background(), VerifyParams{BizID: "b", CustomerID: "1", CouponsCardList: []string{"1"}}, ex)
		if err != nil {
			t.Fatal(err)
		}
		_, verr := ParseVerifyResponse(body)
		switch {
		case r.Outcome == Verified && r.Reason == ReasonRepeatSucceeded && verr == nil && r.Err == nil:
		case r.Outcome == NotVerified && r.Reason == ReasonRepeatRefused && errs.KindOf(r.Err) == errs.APIError:
		case r.Outcome == NotVerified && r.Reason == ReasonCouponNotUsable && !r.Repeated:
		case r.Outcome == StillUnknown && (r.Reason == ReasonStatusUnavailable && !r.Repeated || r.Reason == ReasonRepeatFailed) && r.Err != nil:
		default:
			t.Fatalf("resolution %+v (verify parse: %v)", r, verr)
		}
	})
}

// FuzzParseLifecycleRequest: the server-side parsers of the new actions
// never panic, fail only with request kinds, and whatever params they
// accept survive a rebuild by the Client unchanged.
func FuzzParseLifecycleRequest(f *testing.F) {
	addFixtures(f, "status_request.json", "offcoupon_request.json", "detail_request.json", "consume_request.json")
	c := seedClient()
	c.ReversalAction = "merchant.coupons-reverse"
	if req, err := c.Reverse(ReverseParams{BizID: "7", CouponsCardList: []string{"1"}, Extra: []byte(`{"reason":"退货","n":1.50}`)}, seedStamp); err == nil {
		f.Add(req.Body)
	}
	if req, err := c.Consume(seedConsumeParams(), seedStamp); err == nil {
		f.Add(req.Body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := ParseRequest(body)
		if err != nil {
			return
		}
		same := func(name string, p, p2 interface{}, ok bool) {
			if ok && !reflect.DeepEqual(p, p2) {
				t.Fatalf("%s: %+v → %+v", name, p, p2)
			}
		}
		p, p2, ok := rebuilt(t, env.Params, ParseCouponStatusParams, c.CouponStatus)
		same("status", p, p2, ok)
		o, o2, ok := rebuilt(t, env.Params, ParseOffCouponParams, c.OffCoupon)
		same("off-coupon", o, o2, ok)
		d, d2, ok := rebuilt(t, env.Params, ParseCouponDetailParams, c.CouponDetail)
		same("detail", d, d2, ok)
		cp, cp2, ok := rebuilt(t, env.Params, ParseConsumeParams, c.Consume)
		same("consume", cp, cp2, ok)
		// A reversal's extra params are re-encoded once (whitespace), then
		// stable.
		if r, r2, ok := rebuilt(t, env.Params, ParseReverseParams, c.Reverse); ok {
			same("reverse", []interface{}{r.BizID, r.CouponsCardList}, []interface{}{r2.BizID, r2.CouponsCardList}, true)
			req, _ := c.Reverse(*r2, seedStamp)
			back, _ := ParseRequest(req.Body)
			r2, r3, _ := rebuilt(t, back.Params, ParseReverseParams, c.Reverse)
			same("reverse, twice", r2, r3, true)
		}
	})
}

// rebuilt parses params with parse and, when it accepts them, builds them
// again with build and parses the result; ok is false when parse refused
// them (which must be INVALID_ARGUMENT).
func rebuilt[P any](t *testing.T, params []byte, parse func([]byte) (*P, error), build func(P, Stamp) (Request, error)) (p, p2 *P, ok bool) {
	t.Helper()
	p, err := parse(params)
	if err != nil {
		if errs.KindOf(err) != errs.InvalidArgument {
			t.Fatalf("unexpected error kind: %v", err)
		}
		return nil, nil, false
	}
	req, err := build(*p, seedStamp)
	if err != nil {
		t.Fatalf("accepted params do not build: %v", err)
	}
	back, err := ParseRequest(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	if p2, err = parse(back.Params); err != nil {
		t.Fatalf("rebuilt params refused: %v\n%s", err, req.Body)
	}
	return p, p2, true
}

// wantReplyKind fails unless err is nil or one of the kinds a reply parser
// may return.
func wantReplyKind(t *testing.T, err error) {
	t.Helper()
	switch errs.KindOf(err) {
	case "", errs.ResponseInvalid, errs.APIError, errs.SystemError:
	default:
		t.Fatalf("unexpected error kind: %v", err)
	}
}
