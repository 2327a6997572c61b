package zvcms

import (
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
		replyKind := func(err error) {
			switch errs.KindOf(err) {
			case "", errs.ResponseInvalid, errs.APIError, errs.SystemError:
			default:
				t.Fatalf("unexpected error kind: %v", err)
			}
		}
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
				req, err := cs.VerifyCoupons(*p, seedStamp)
				if err != nil {
					t.Fatalf("accepted params do not build: %v", err)
				}
				back, _ := ParseRequest(req.Body)
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
