package zvcms

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/tidwall/gjson"
)

// fakeVendor answers the resolver's requests from a script: the state of
// each coupon (or a failure) and the answer to the repeated verify. It
// checks every request as the vendor would and records them.
type fakeVendor struct {
	t      *testing.T
	states map[string]string // coupon → the status reply's data, or "!" + a transport failure
	verify string            // the verify reply, or "!" for a transport failure
	sent   []Request
}

func (f *fakeVendor) exchange(_ context.Context, req Request) ([]byte, error) {
	f.sent = append(f.sent, req)
	env, err := ParseRequest(req.Body)
	if err != nil || CheckToken(seedClient().Credentials, env, LowerCamel) != nil {
		f.t.Fatalf("the resolver sent a bad request: %v\n%s", err, req.Body)
	}
	answer := func(s string) ([]byte, error) {
		if strings.HasPrefix(s, "!") {
			return nil, errs.New(errs.TransportError, "", "%s", s[1:])
		}
		return []byte(s), nil
	}
	switch env.Action {
	case ActionCouponStatus:
		p, err := ParseCouponStatusParams(env.Params)
		if err != nil || !req.Idempotent {
			f.t.Fatalf("status request %s: %v", env.Params, err)
		}
		return answer(f.states[p.CardID])
	case ActionOffCoupon:
		p, err := ParseOffCouponParams(env.Params)
		if err != nil || !req.Idempotent {
			f.t.Fatalf("off-coupon request %s: %v", env.Params, err)
		}
		return answer(f.states[p.Code])
	case ActionVerifyCoupons:
		if req.Idempotent || gjson.GetBytes(env.Params, "bizId").Str != "pos-7" {
			f.t.Fatalf("the repeat is not the original verify: %s", env.Params)
		}
		return answer(f.verify)
	}
	f.t.Fatalf("unexpected action %s", env.Action)
	return nil, nil
}

func (f *fakeVendor) actions() string {
	var a []string
	for _, r := range f.sent {
		a = append(a, r.Action)
	}
	return strings.Join(a, " ")
}

func statusData(id string, useStatus string) string {
	return `{"status":"true","code":"0","message":"","data":{"cardId":"` + id + `","customerId":"383933091455959041","useStatus":` + useStatus + `}}`
}

const (
	c1 = "390962138708451328"
	c2 = "390962138708451329"

	verifyOK      = `{"status":"true","code":"0","message":"核销成功","data":{"bizId":"700000000000000009","cardIdList":"[` + c1 + `,` + c2 + `]"}}`
	verifyUsed    = `{"status":true,"code":"40010","message":"优惠券已使用"}`
	verifySystem  = `{"status":false,"code":"50000","message":"系统繁忙"}`
	verifyGarbled = `{"status":"true","code":"0","data":{"bizI`
)

func TestResolveVerify(t *testing.T) {
	status, off, verify := ActionCouponStatus, ActionOffCoupon, ActionVerifyCoupons
	cases := []struct {
		name    string
		byCode  bool
		states  map[string]string
		verify  string
		outcome Outcome
		reason  string
		errKind errs.Kind
		sent    string
	}{
		{"unused: the repeat redeems", false, map[string]string{c1: statusData(c1, `"0"`), c2: statusData(c2, "0")}, verifyOK,
			Verified, ReasonRepeatSucceeded, "", status + " " + status + " " + verify},
		{"verified by us: the repeat returns the original", false, map[string]string{c1: statusData(c1, "1"), c2: statusData(c2, `"1"`)}, verifyOK,
			Verified, ReasonRepeatSucceeded, "", status + " " + status + " " + verify},
		{"verified by another bizId", false, map[string]string{c1: statusData(c1, "1"), c2: statusData(c2, "1")}, verifyUsed,
			NotVerified, ReasonRepeatRefused, errs.APIError, status + " " + status + " " + verify},
		{"one expired", false, map[string]string{c1: statusData(c1, "0"), c2: statusData(c2, "6")}, "",
			NotVerified, ReasonCouponNotUsable, "", status + " " + status},
		{"first frozen", false, map[string]string{c1: statusData(c1, "2")}, "",
			NotVerified, ReasonCouponNotUsable, "", status},
		{"deleted beats a failed query", false, map[string]string{c1: "!timeout", c2: statusData(c2, "7")}, "",
			NotVerified, ReasonCouponNotUsable, "", status + " " + status},
		{"status query times out", false, map[string]string{c1: "!timeout", c2: statusData(c2, "0")}, "",
			StillUnknown, ReasonStatusUnavailable, errs.TransportError, status + " " + status},
		{"status query refused", false, map[string]string{c1: `{"status":true,"code":"40004","message":"查询的信息不存在"}`, c2: statusData(c2, "0")}, "",
			StillUnknown, ReasonStatusUnavailable, errs.APIError, status + " " + status},
		{"status reply without the coupon", false, map[string]string{c1: `{"status":true,"code":0,"data":[]}`, c2: statusData(c2, "0")}, "",
			StillUnknown, ReasonStatusUnavailable, errs.ResponseInvalid, status + " " + status},
		{"status reply lists another coupon", false, map[string]string{c1: statusData(c2, "0"), c2: statusData(c2, "0")}, "",
			StillUnknown, ReasonStatusUnavailable, errs.ResponseInvalid, status + " " + status},
		{"unknown state", false, map[string]string{c1: statusData(c1, "3"), c2: statusData(c2, "0")}, "",
			StillUnknown, ReasonStatusUnavailable, errs.ResponseInvalid, status + " " + status},
		{"repeat times out", false, map[string]string{c1: statusData(c1, "0"), c2: statusData(c2, "0")}, "!reset",
			StillUnknown, ReasonRepeatFailed, errs.TransportError, status + " " + status + " " + verify},
		{"repeat meets a system error", false, map[string]string{c1: statusData(c1, "0"), c2: statusData(c2, "0")}, verifySystem,
			StillUnknown, ReasonRepeatFailed, errs.SystemError, status + " " + status + " " + verify},
		{"repeat reply unreadable", false, map[string]string{c1: statusData(c1, "0"), c2: statusData(c2, "0")}, verifyGarbled,
			StillUnknown, ReasonRepeatFailed, errs.ResponseInvalid, status + " " + status + " " + verify},
		{"scanned codes unused", true, map[string]string{c1: `{"status":true,"code":0,"data":{"status":0}}`, c2: `{"status":true,"code":0,"data":{"status":"1"}}`}, verifyOK,
			Verified, ReasonRepeatSucceeded, "", off + " " + off + " " + verify},
		{"scanned code locked", true, map[string]string{c1: `{"status":true,"code":0,"data":{"status":2,"is_lock":2}}`, c2: `{"status":true,"code":0,"data":{"status":0}}`}, "",
			StillUnknown, ReasonStatusUnavailable, errs.ResponseInvalid, off + " " + off},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeVendor{t: t, states: tc.states, verify: tc.verify}
			p := VerifyParams{BizID: "pos-7", CustomerID: "383933091455959041", CouponsCardList: []string{c1, c2}, Amount: FenOf(500)}
			if tc.byCode {
				p.Type, p.CustomerID = TypeScanCode, ""
			}
			if _, ok := tc.states[c2]; !ok {
				p.CouponsCardList = p.CouponsCardList[:1]
			}
			r, err := seedClient().ResolveVerify(context.Background(), p, f.exchange)
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != tc.outcome || r.Reason != tc.reason || errs.KindOf(r.Err) != tc.errKind || f.actions() != tc.sent {
				t.Fatalf("got %s %s %v after %q", r.Outcome, r.Reason, r.Err, f.actions())
			}
			if r.Repeated != strings.HasSuffix(tc.sent, verify) || len(r.Coupons) != strings.Count(tc.sent, "-status")+strings.Count(tc.sent, "off-") {
				t.Fatalf("evidence %+v", r)
			}
			if tc.outcome == Verified && (r.BizID != "700000000000000009" || r.Verify == nil || len(r.Verify.CardIDList) != 2) {
				t.Fatalf("verified without the reply's bizId: %+v", r)
			}
			if tc.outcome != Verified && (r.BizID != "" || r.Verify != nil) {
				t.Fatalf("a bizId without a verification: %+v", r)
			}
			for i, ev := range r.Coupons {
				if ev.Coupon != p.CouponsCardList[i] || ev.Action != f.sent[i].Action || ev.Status.Valid == (ev.Err != nil) {
					t.Fatalf("evidence %d: %+v", i, ev)
				}
			}
		})
	}
}

func TestResolveVerifyRefusals(t *testing.T) {
	c := seedClient()
	called := false
	ex := func(context.Context, Request) ([]byte, error) { called = true; return nil, errors.New("unreachable") }
	_, err := c.ResolveVerify(context.Background(), VerifyParams{CustomerID: "1", CouponsCardList: []string{"1"}}, ex)
	wantKind(t, err, errs.InvalidArgument, "Params.bizId")
	_, err = c.ResolveVerify(context.Background(), seedVerifyParams(), nil)
	wantKind(t, err, errs.InvalidArgument, "")
	c.OpenKey = ""
	_, err = c.ResolveVerify(context.Background(), seedVerifyParams(), ex)
	wantKind(t, err, errs.KeyError, "OpenKey")
	if called {
		t.Fatal("a refused resolution sent a request")
	}
	// A cancelled context: nothing is sent, the outcome stays unknown.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := seedClient().ResolveVerify(ctx, VerifyParams{BizID: "b", CustomerID: "1", CouponsCardList: []string{"1", "2"}}, ex)
	if err != nil || r.Outcome != StillUnknown || !errors.Is(r.Err, context.Canceled) || called || len(r.Coupons) != 1 {
		t.Fatalf("%+v %v", r, err)
	}
}

func TestInDoubt(t *testing.T) {
	for err, want := range map[error]bool{
		nil: false,
		errs.Vendor(errs.APIError, "true", "40010", "已使用"):   false,
		errs.Invalid("Params.bizId", "is required"):          false,
		errs.New(errs.KeyError, "OpenKey", "empty"):          false,
		errs.New(errs.TransportError, "", "timeout"):         true,
		errs.New(errs.ResponseInvalid, "", "truncated"):      true,
		errs.Vendor(errs.SystemError, "false", "50000", "忙"): true,
		context.DeadlineExceeded:                             true,
	} {
		if InDoubt(err) != want {
			t.Errorf("InDoubt(%v) != %v", err, want)
		}
	}
}
