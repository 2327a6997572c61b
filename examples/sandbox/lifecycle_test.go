package main

import (
	"context"
	"errors"
	"math/rand"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/transport"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/tidwall/gjson"
)

// send posts a built zvcms request without a fault and returns the body.
func (e *env) send(req zvcms.Request, err error) []byte {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
	body, err := e.post(req.URL, req.ContentType, req.Body, "", req.Idempotent)
	if err != nil {
		e.t.Fatal(err)
	}
	return body
}

func (e *env) verifyMany(bizID string, coupons ...string) (*zvcms.VerifyResult, error) {
	return zvcms.ParseVerifyResponse(e.send(e.zv.VerifyCoupons(zvcms.VerifyParams{BizID: bizID, CustomerID: member,
		CouponsCardList: coupons, Amount: zvcms.FenOf(500)}, zvcms.Stamp{})))
}

func (e *env) reverse(bizID string, coupons ...string) (*zvcms.ReverseResult, error) {
	return zvcms.ParseReverseResponse(e.send(e.zv.Reverse(zvcms.ReverseParams{BizID: bizID, CouponsCardList: coupons,
		Extra: []byte(`{"reason":"整单撤销"}`)}, zvcms.Stamp{})))
}

func (e *env) member() Member {
	e.srv.mu.Lock()
	defer e.srv.mu.Unlock()
	return *e.srv.member(member)
}

// A cashier's lookups before and after a redemption: the code the customer
// shows (coupon.off-coupon), the coupon's detail, the member's coupons.
func TestLifecycleLookups(t *testing.T) {
	e := newEnv(t, "")
	coupon := e.issue()
	code := e.srv.Coupon(coupon).Code

	off, err := zvcms.ParseOffCouponResponse(e.send(e.zv.OffCoupon(zvcms.OffCouponParams{Code: code}, zvcms.Stamp{})))
	if err != nil {
		t.Fatal(err)
	}
	if off.ID != coupon || off.UserID != member || off.VerifyCode != code || off.Status != zvcms.IntOf(zvcms.OffStatusUnused) ||
		off.IsLock != zvcms.IntOf(zvcms.LockReleased) || off.Coupon.Title != "满20减5元券" || off.Coupon.Amount != "5.00" ||
		off.Coupon.CouponType != zvcms.IntOf(zvcms.CouponFixedAmount) || off.Coupon.MinAmountUse != "20" ||
		string(zvcms.Member(off.Coupon.Unknown, "number_of_user")) != `"0"` {
		t.Fatalf("off-coupon %+v", off.UserCoupon)
	}
	detail, err := zvcms.ParseCouponDetailResponse(e.send(e.zv.CouponDetail(zvcms.CouponDetailParams{UserCouponCode: coupon}, zvcms.Stamp{})))
	if err != nil {
		t.Fatal(err)
	}
	if detail.ID != coupon || detail.CustomerName != "张三" || detail.CustomerPhone != "13800138000" || detail.SellerName != "沙箱门店" ||
		string(zvcms.Member(detail.Unknown, "useStatus")) != `"0"` || string(zvcms.Member(detail.Unknown, "templateId")) != `"307"` {
		t.Fatalf("detail %+v", detail.CouponDetail)
	}
	// Every coupon of the member (data a list), then only the frozen ones.
	all, err := zvcms.ParseCouponStatusResponse(e.send(e.zv.CouponStatus(zvcms.CouponStatusParams{CustomerID: member}, zvcms.Stamp{})))
	if err != nil || len(all.Coupons) != 5 || all.Find(coupon) == nil || all.Find(coupon).Title != "满20减5元券" ||
		all.Find("390962138708451330").UseStatus != zvcms.IntOf(zvcms.UseStatusExpired) {
		t.Fatalf("status list %+v %v", all, err)
	}
	frozen, err := zvcms.ParseCouponStatusResponse(e.send(e.zv.CouponStatus(zvcms.CouponStatusParams{CustomerID: member,
		UseStatus: zvcms.IntOf(zvcms.UseStatusFrozen)}, zvcms.Stamp{})))
	if err != nil || len(frozen.Coupons) != 1 || frozen.Coupons[0].CardID != "390962138708451329" {
		t.Fatalf("frozen %+v %v", frozen, err)
	}

	if _, err := e.verify("lookup-1", coupon, ""); err != nil {
		t.Fatal(err)
	}
	if s := e.status(coupon); s != "1" {
		t.Fatalf("useStatus %s", s)
	}
	off, err = zvcms.ParseOffCouponResponse(e.send(e.zv.OffCoupon(zvcms.OffCouponParams{Code: code}, zvcms.Stamp{})))
	if err != nil || off.Status != zvcms.IntOf(zvcms.OffStatusUsed) || off.VerifierName == "" || off.Coupon.Used.Int < 1 {
		t.Fatalf("off-coupon after the verify %+v %v", off, err)
	}

	// Unknown things are 40004, bad params 40001 naming the field.
	_, err = zvcms.ParseOffCouponResponse(e.send(e.zv.OffCoupon(zvcms.OffCouponParams{Code: "999999999999"}, zvcms.Stamp{})))
	wantVendor(t, err, errs.APIError, errNotFound.code)
	_, err = zvcms.ParseOffCouponResponse(e.send(e.zv.OffCoupon(zvcms.OffCouponParams{Code: "100000000004"}, zvcms.Stamp{}))) // deleted
	wantVendor(t, err, errs.APIError, errNotFound.code)
	_, err = zvcms.ParseCouponDetailResponse(e.send(e.zv.CouponDetail(zvcms.CouponDetailParams{UserCouponCode: "1"}, zvcms.Stamp{})))
	wantVendor(t, err, errs.APIError, errNotFound.code)
	_, err = zvcms.ParseCouponStatusResponse(e.send(e.zv.CouponStatus(zvcms.CouponStatusParams{CustomerID: "383933091455959999", CardID: coupon}, zvcms.Stamp{})))
	wantVendor(t, err, errs.APIError, errNotFound.code)
	r, err := e.action(zvcms.ActionCouponStatus, `{"cardId":"`+coupon+`"}`)
	var ve *errs.Error
	if !errors.As(err, &ve) || ve.VendorCode != "40001" || !strings.Contains(ve.VendorMessage, "Params.customerId") {
		t.Fatalf("status without customerId: %+v %v", r, err)
	}
	// The old example's params are refused, not silently answered.
	_, err = e.action(zvcms.ActionCouponStatus, `{"user_coupon_id":"`+coupon+`"}`)
	wantVendor(t, err, errs.APIError, "40001")
}

// verify → reverse → useStatus 0 → verify again, with the sandbox returning
// its own bizId, and the three documented reversal errors.
func TestReversal(t *testing.T) {
	e := newEnvWith(t, Config{ReplyBizID: ReplyBizIDOwn}, nil)
	e.zv.ReversalAction = DefaultReversalAction
	a, b := e.issue(), e.issue()
	vr, err := e.verifyMany("pos-r-1", a, b)
	if err != nil {
		t.Fatal(err)
	}
	if vr.BizID == "pos-r-1" || len(vr.BizID) != 18 || vr.BizID[0] != '7' {
		t.Fatalf("the reply's bizId %q is not the sandbox's own", vr.BizID)
	}
	// Reversing with the bizId sent, an unknown one, or other coupons.
	_, err = e.reverse("pos-r-1", a, b)
	wantVendor(t, err, errs.APIError, errReverseSentBiz.code)
	_, err = e.reverse("700000000000999999")
	wantVendor(t, err, errs.APIError, errReverseUnknown.code)
	_, err = e.reverse(vr.BizID, a)
	wantVendor(t, err, errs.APIError, errReverseCoupons.code)
	if e.status(a) != "1" || e.status(b) != "1" {
		t.Fatal("a refused reversal changed the coupons")
	}
	rr, err := e.reverse(vr.BizID, b, a)
	if err != nil || rr.BizID != vr.BizID || !reflect.DeepEqual(rr.CardIDList, []string{a, b}) {
		t.Fatalf("reversal %+v %v", rr, err)
	}
	if e.status(a) != "0" || e.status(b) != "0" {
		t.Fatal("the reversal did not return the coupons to useStatus 0")
	}
	_, err = e.reverse(vr.BizID, a, b)
	wantVendor(t, err, errs.APIError, errReversedTwice.code)
	// The reversed bizId is spent; a new one redeems the coupons again.
	_, err = e.verifyMany("pos-r-1", a, b)
	wantVendor(t, err, errs.APIError, errBizIDReversed.code)
	vr2, err := e.verifyMany("pos-r-2", a, b)
	if err != nil || vr2.BizID == vr.BizID || vr2.BizID == "pos-r-2" {
		t.Fatalf("verify again: %+v %v", vr2, err)
	}
	if e.status(a) != "1" {
		t.Fatal("not verified again")
	}
	// Without coupons the reversal takes the verify's.
	if _, err := e.reverse(vr2.BizID); err != nil || e.status(b) != "0" {
		t.Fatalf("reversal by bizId alone: %v", err)
	}
	c := e.srv.Counts()
	if c.Redemptions != 0 || c.Reversals != 4 || len(c.RedeemedTwice) != 0 || len(c.Inconsistent) != 0 {
		t.Fatalf("counts %+v", c)
	}

	// In the default mode the reply echoes the bizId sent, which then
	// reverses.
	e = newEnv(t, "")
	e.zv.ReversalAction = DefaultReversalAction
	a = e.issue()
	if vr, err = e.verifyMany("pos-s-1", a); err != nil || vr.BizID != "pos-s-1" {
		t.Fatalf("%+v %v", vr, err)
	}
	if _, err := e.reverse("pos-s-1", a); err != nil || e.status(a) != "0" {
		t.Fatalf("reversal with the echoed bizId: %v", err)
	}

	// The sandbox serves reversals under the configured name only; a client
	// without one refuses to build the request.
	e = newEnvWith(t, Config{ReversalAction: "merchant.coupons-reverse"}, nil)
	e.zv.ReversalAction = DefaultReversalAction
	a = e.issue()
	if _, err := e.verifyMany("pos-m-1", a); err != nil {
		t.Fatal(err)
	}
	_, err = e.reverse("pos-m-1")
	wantVendor(t, err, errs.SystemError, "10004")
	e.zv.ReversalAction = "merchant.coupons-reverse"
	if _, err := e.reverse("pos-m-1"); err != nil {
		t.Fatal(err)
	}
	e.zv.ReversalAction = ""
	if _, err := e.zv.Reverse(zvcms.ReverseParams{BizID: "pos-m-1"}, zvcms.Stamp{}); errs.KindOf(err) != errs.InvalidArgument {
		t.Fatalf("no action: %v", err)
	}
}

// Coupons, balance and points in one consumption, all or none, once per
// bizId, and its reversal.
func TestConsume(t *testing.T) {
	e := newEnvWith(t, Config{ReplyBizID: ReplyBizIDOwn}, nil)
	e.zv.ReversalAction = DefaultReversalAction
	coupon := e.issue()
	consume := func(biz, password string, amount int64, points int, coupons ...string) (*zvcms.ConsumeResult, error) {
		return zvcms.ParseConsumeResponse(e.send(e.zv.Consume(zvcms.ConsumeParams{BizID: biz, CustomerID: member,
			CouponsCardList: coupons, Amount: zvcms.FenOf(money.Fen(amount)), Points: points, PayPassword: password}, zvcms.Stamp{})))
	}
	_, err := consume("con-1", "000000", 1250, 100, coupon)
	wantVendor(t, err, errs.APIError, errPayPassword.code)
	_, err = consume("con-1", "123456", 10001, 0, coupon)
	wantVendor(t, err, errs.APIError, errBalance.code)
	_, err = consume("con-1", "123456", 1250, 501, coupon)
	wantVendor(t, err, errs.APIError, errPoints.code)
	if m := e.member(); m.Balance != "100.00" || m.Points != 500 || e.status(coupon) != "0" {
		t.Fatalf("a refused consumption changed something: %+v", m)
	}
	res, err := consume("con-1", "123456", 1250, 100, coupon)
	if err != nil || res.BizID == "con-1" || !reflect.DeepEqual(res.CouponsCardList, []string{coupon}) {
		t.Fatalf("consume %+v %v", res, err)
	}
	if m := e.member(); m.Balance != "87.50" || m.Points != 400 || e.status(coupon) != "1" {
		t.Fatalf("after the consumption: %+v", m)
	}
	again, err := consume("con-1", "123456", 1250, 100, coupon)
	if err != nil || again.BizID != res.BizID {
		t.Fatalf("replay %+v %v", again, err)
	}
	if m := e.member(); m.Balance != "87.50" {
		t.Fatal("the replay deducted twice")
	}
	_, err = consume("con-1", "123456", 1300, 100, coupon)
	wantVendor(t, err, errs.APIError, errBizIDReused.code)
	// Balance alone (no coupons).
	if _, err := consume("con-2", "123456", 50, 0); err != nil {
		t.Fatal(err)
	}
	_, err = e.reverse("con-1") // the bizId sent, not the one returned
	wantVendor(t, err, errs.APIError, errReverseSentBiz.code)
	_, err = e.reverse(res.BizID)
	if err != nil {
		t.Fatal(err)
	}
	if m := e.member(); m.Balance != "99.50" || m.Points != 500 || e.status(coupon) != "0" {
		t.Fatalf("after the reversal: %+v", m)
	}
	c := e.srv.Counts()
	if c.Redemptions != 0 || c.Reversals != 1 || len(c.Inconsistent) != 0 {
		t.Fatalf("counts %+v", c)
	}
}

// TestResolveAfterEachFault: one till, one fault at a time, then
// ResolveVerify through core/transport.
func TestResolveAfterEachFault(t *testing.T) {
	e := newEnvWith(t, Config{ReplyBizID: ReplyBizIDOwn}, nil)
	slow, err := transport.New(transport.Options{Timeout: 150 * time.Millisecond, RetryDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ fault, reason string }{
		{"drop", transport.ReasonReset}, {"truncate", transport.ReasonTruncated},
		{"status=503", transport.ReasonHTTPStatus}, {"latency=500ms", transport.ReasonTimeout},
	} {
		coupon := e.issue()
		p := zvcms.VerifyParams{BizID: "in-doubt-" + f.fault, CustomerID: member, CouponsCardList: []string{coupon}}
		req, _ := e.zv.VerifyCoupons(p, zvcms.Stamp{})
		_, err := slow.Do(context.Background(), transport.Request{URL: req.URL, ContentType: req.ContentType, Body: req.Body,
			Headers: []transport.Header{{Name: FaultHeader, Value: f.fault}}})
		wantReason(t, err, f.reason)
		if !zvcms.InDoubt(err) {
			t.Fatalf("%s is not in doubt", f.fault)
		}
		res, err := e.zv.ResolveVerify(context.Background(), p, exchangeVia(e.http, nil))
		if err != nil || res.Outcome != zvcms.Verified || !res.Repeated || len(res.BizID) != 18 || res.BizID == p.BizID {
			t.Fatalf("%s: %+v %v", f.fault, res, err)
		}
		if f.fault == "latency=500ms" {
			time.Sleep(600 * time.Millisecond) // the delayed original arrives after the repeat: a replay
		}
		e.srv.mu.Lock()
		op := e.srv.st.ZOps[res.BizID]
		e.srv.mu.Unlock()
		if op == nil || op.SentBizID != p.BizID || e.status(coupon) != "1" {
			t.Fatalf("%s: the sandbox holds %+v", f.fault, op)
		}
	}
	// A coupon redeemed by another bizId: not verified; an expired one too.
	coupon := e.issue()
	if _, err := e.verify("other-till", coupon, ""); err != nil {
		t.Fatal(err)
	}
	res, _ := e.zv.ResolveVerify(context.Background(), zvcms.VerifyParams{BizID: "mine", CustomerID: member, CouponsCardList: []string{coupon}}, exchangeVia(e.http, nil))
	if res.Outcome != zvcms.NotVerified || res.Reason != zvcms.ReasonRepeatRefused || res.Coupons[0].Status != zvcms.IntOf(1) {
		t.Fatalf("%+v", res)
	}
	res, _ = e.zv.ResolveVerify(context.Background(), zvcms.VerifyParams{BizID: "mine-2", CustomerID: member, CouponsCardList: []string{"390962138708451330"}}, exchangeVia(e.http, nil))
	if res.Outcome != zvcms.NotVerified || res.Reason != zvcms.ReasonCouponNotUsable || res.Repeated {
		t.Fatalf("%+v", res)
	}
	// Scanned codes go through coupon.off-coupon.
	coupon = e.issue()
	code := e.srv.Coupon(coupon).Code
	res, _ = e.zv.ResolveVerify(context.Background(), zvcms.VerifyParams{BizID: "scan-r", Type: zvcms.TypeScanCode, CouponsCardList: []string{code}}, exchangeVia(e.http, nil))
	if res.Outcome != zvcms.Verified || res.Coupons[0].Action != zvcms.ActionOffCoupon || e.status(coupon) != "1" {
		t.Fatalf("%+v", res)
	}
	if c := e.srv.Counts(); len(c.RedeemedTwice) != 0 || len(c.Inconsistent) != 0 || c.Redemptions != 6 {
		t.Fatalf("counts %+v", c)
	}
}

// exchangeVia is a zvcms.Exchange over core/transport; fault, when not nil,
// picks an X-Sandbox-Fault for each request ("" for none).
func exchangeVia(c *transport.Client, fault func() string) zvcms.Exchange {
	return func(ctx context.Context, req zvcms.Request) ([]byte, error) {
		var h []transport.Header
		if fault != nil {
			if f := fault(); f != "" {
				h = []transport.Header{{Name: FaultHeader, Value: f}}
			}
		}
		resp, err := c.Do(ctx, transport.Request{URL: req.URL, ContentType: req.ContentType, Body: req.Body, Headers: h, Idempotent: req.Idempotent})
		if err != nil {
			return nil, err
		}
		return resp.Body, nil
	}
}

// TestConcurrentTillsResolve: 16 tills sell at once, each verification
// meeting a random fault (drop after commit, truncated reply, latency past
// the timeout, 5xx) or none, over a pool of coupons each presented at two
// tills or more. A till that gets an in-doubt error resolves it with
// ResolveVerify (whose own requests meet faults too) until it knows. In the
// end every till's belief is the state the sandbox holds, and no coupon is
// redeemed twice. The counts are logged (go test -v).
func TestConcurrentTillsResolve(t *testing.T) {
	const tills, sales, pool = 16, 6, 40
	var inflight sync.WaitGroup
	e := newEnvWith(t, Config{ReplyBizID: ReplyBizIDOwn}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inflight.Add(1)
			defer inflight.Done()
			h.ServeHTTP(w, r)
		})
	})
	client, err := transport.New(transport.Options{Timeout: 300 * time.Millisecond, RetryDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	coupons := make([]string, pool)
	for i := range coupons {
		coupons[i] = e.issue()
	}
	faults := []string{"", "", "drop", "truncate", "latency=700ms", "status=500", "status=503"}
	type sale struct {
		biz      string
		coupons  []string
		fault    string
		first    errs.Kind // the verify's error kind ("" success)
		verified bool      // what the till believes in the end
		bizID    string    // the bizId it would reverse with
		rounds   int       // resolutions it needed
		unknown  int       // of which still_unknown
		outcome  zvcms.Outcome
	}
	results := make([][]sale, tills)
	var wg sync.WaitGroup
	for ti := 0; ti < tills; ti++ {
		wg.Add(1)
		go func(ti int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(ti) + 1500))
			resolveFault := func() string {
				if rng.Intn(5) == 0 {
					return faults[2+rng.Intn(len(faults)-2)]
				}
				return ""
			}
			for si := 0; si < sales; si++ {
				s := sale{biz: "till" + strconv.Itoa(ti) + "-sale" + strconv.Itoa(si), fault: faults[rng.Intn(len(faults))]}
				k := (ti*sales + si) % pool
				s.coupons = []string{coupons[k]}
				if rng.Intn(3) == 0 {
					s.coupons = append(s.coupons, coupons[(k+pool/2+ti)%pool])
				}
				if s.coupons[0] == s.coupons[len(s.coupons)-1] && len(s.coupons) == 2 {
					s.coupons = s.coupons[:1]
				}
				p := zvcms.VerifyParams{BizID: s.biz, CustomerID: member, CouponsCardList: s.coupons, Amount: zvcms.FenOf(500)}
				req, err := e.zv.VerifyCoupons(p, zvcms.Stamp{})
				if err != nil {
					t.Error(err)
					return
				}
				body, err := exchangeVia(client, func() string { return s.fault })(context.Background(), req)
				var vr *zvcms.VerifyResult
				if err == nil {
					vr, err = zvcms.ParseVerifyResponse(body)
				}
				s.first = errs.KindOf(err)
				switch {
				case err == nil:
					s.verified, s.bizID = true, vr.BizID
				case !zvcms.InDoubt(err):
					// A refusal (used by another till): definitive.
				default:
					for s.outcome = zvcms.StillUnknown; s.outcome == zvcms.StillUnknown && s.rounds < 60; {
						s.rounds++
						r, err := e.zv.ResolveVerify(context.Background(), p, exchangeVia(client, resolveFault))
						if err != nil {
							t.Error(err)
							return
						}
						s.outcome = r.Outcome
						if r.Outcome == zvcms.StillUnknown {
							s.unknown++
						}
						s.verified, s.bizID = r.Outcome == zvcms.Verified, r.BizID
					}
				}
				results[ti] = append(results[ti], s)
			}
		}(ti)
	}
	wg.Wait()
	inflight.Wait() // delayed originals still being handled

	counts := map[string]int{}
	believed := map[string]string{} // coupon → the sale that believes it redeemed it
	e.srv.mu.Lock()
	defer e.srv.mu.Unlock()
	for _, rs := range results {
		for _, s := range rs {
			counts["sales"]++
			if s.fault == "" {
				s.fault = "none"
			}
			counts["fault "+s.fault]++
			switch {
			case s.first == "":
				counts["verified at once"]++
			case s.rounds == 0:
				counts["refused at once ("+string(s.first)+")"]++
			default:
				counts["in doubt ("+string(s.first)+")"]++
				counts["resolved "+string(s.outcome)]++
				counts["resolution rounds"] += s.rounds
				counts["still_unknown rounds"] += s.unknown
			}
			if s.outcome == zvcms.StillUnknown && s.rounds > 0 {
				t.Errorf("%s: still unknown after %d rounds", s.biz, s.rounds)
			}
			// The sandbox's truth: a record under the sent bizId whose op
			// redeemed the coupons.
			held := false
			returned := ""
			if rec := e.srv.st.Verifies[s.biz]; rec != nil {
				returned = gjson.GetBytes(rec.Data, "bizId").Str
				op := e.srv.st.ZOps[returned]
				held = op != nil && !op.Reversed
			}
			if held != s.verified {
				t.Errorf("%s (fault %q, first %s, %d rounds): the till believes verified=%v, the sandbox holds %v",
					s.biz, s.fault, s.first, s.rounds, s.verified, held)
			}
			if s.verified {
				counts["coupons redeemed"] += len(s.coupons)
				if s.bizID != returned {
					t.Errorf("%s: the till would reverse with %q, the sandbox returned %q", s.biz, s.bizID, returned)
				}
				for _, c := range s.coupons {
					if other, ok := believed[c]; ok {
						t.Errorf("coupon %s: both %s and %s believe they redeemed it", c, other, s.biz)
					}
					believed[c] = s.biz
					if got := e.srv.st.Coupons[c].VerifiedBy; got != s.biz {
						t.Errorf("coupon %s: verified by %q in the sandbox, %s believes it", c, got, s.biz)
					}
				}
			}
		}
	}
	n := e.srv.st.Count()
	if len(n.RedeemedTwice) != 0 || len(n.Inconsistent) != 0 || n.Redemptions != counts["coupons redeemed"] {
		t.Errorf("sandbox counts %+v, tills believe %d coupons redeemed", n, counts["coupons redeemed"])
	}
	if counts["sales"] != tills*sales || counts["in doubt (TRANSPORT_ERROR)"] == 0 || counts["resolved verified"] == 0 {
		t.Errorf("the run did not cover the cases: %v", counts)
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString("\n  " + k + ": " + strconv.Itoa(counts[k]))
	}
	t.Logf("%d tills × %d sales over %d coupons; sandbox: %d redemptions, redeemed twice %v, inconsistent %v%s",
		tills, sales, pool, n.Redemptions, n.RedeemedTwice, n.Inconsistent, b.String())
}

// The v3 redemption path: the same coupon state and bizId namespace as v2,
// the same Token, and a reversal of what it redeemed.
func TestV3Redemption(t *testing.T) {
	e := newEnvWith(t, Config{ReplyBizID: ReplyBizIDOwn}, nil)
	e.zv.ReversalAction = DefaultReversalAction
	v3 := *e.zv
	v3.VerifyAPI, v3.V3BaseURL = zvcms.V3, e.hs.URL+e.srv.seed.Client.ZvcmsV3Path
	coupon := e.issue()
	p := zvcms.VerifyParams{BizID: "v3-1", CustomerID: member, CouponsCardList: []string{coupon}, ThirdOrderNo: "MT-1"}
	req, err := v3.VerifyCoupons(p, zvcms.Stamp{})
	if err != nil || !strings.HasSuffix(req.URL, "/v3/crm/coupon/writeOffCoupon") {
		t.Fatalf("%s %v", req.URL, err)
	}
	vr, err := zvcms.ParseVerifyResponse(e.send(req, nil))
	if err != nil || vr.BizID == "v3-1" || vr.CardIDList[0] != coupon || e.status(coupon) != "1" {
		t.Fatalf("v3 verify %+v %v", vr, err)
	}
	// A repeat through v2 under the same bizId is the same verification.
	p.ThirdOrderNo = ""
	again, err := zvcms.ParseVerifyResponse(e.send(e.zv.VerifyCoupons(p, zvcms.Stamp{})))
	if err != nil || again.BizID != vr.BizID {
		t.Fatalf("v2 repeat %+v %v", again, err)
	}
	// A wrong key is refused on v3 as on v2; v2's Action-less twin is not v3.
	bad := v3
	bad.OpenKey = "wrong"
	_, err = zvcms.ParseVerifyResponse(e.send(bad.VerifyCoupons(zvcms.VerifyParams{BizID: "v3-2", CustomerID: member, CouponsCardList: []string{e.issue()}}, zvcms.Stamp{})))
	wantVendor(t, err, errs.SystemError, "10002")
	v2body, _ := e.zv.VerifyCoupons(zvcms.VerifyParams{BizID: "v3-3", CustomerID: member, CouponsCardList: []string{e.issue()}}, zvcms.Stamp{})
	v2body.URL = req.URL
	_, err = zvcms.ParseVerifyResponse(e.send(v2body, nil))
	wantVendor(t, err, errs.SystemError, "10000")
	if _, err := e.reverse(vr.BizID, coupon); err != nil || e.status(coupon) != "0" {
		t.Fatalf("reversal of a v3 redemption: %v", err)
	}
	// ResolveVerify repeats through v3 when the client is configured so.
	c2 := e.issue()
	res, err := v3.ResolveVerify(context.Background(), zvcms.VerifyParams{BizID: "v3-4", CustomerID: member, CouponsCardList: []string{c2}, ThirdOrderNo: "MT-4"},
		exchangeVia(e.http, nil))
	if err != nil || res.Outcome != zvcms.Verified || e.status(c2) != "1" {
		t.Fatalf("%+v %v", res, err)
	}
}
