package zvcms

import (
	"context"
	"errors"

	"github.com/couponkit/couponkit/core/errs"
)

// Exchange sends a built request and returns the reply body. An error means
// no complete reply was obtained (a TRANSPORT_ERROR from core/transport, or
// the context's error). It is how ResolveVerify reaches the vendor while
// this package does no I/O: wrap core/transport's Client.Do (passing
// req.Idempotent on, so that the status queries may be retried), or any
// HTTP client.
type Exchange func(ctx context.Context, req Request) ([]byte, error)

// InDoubt reports whether err leaves the outcome of a verify (or consume, or
// reversal) unknown: no complete reply (TRANSPORT_ERROR), an unreadable
// reply (RESPONSE_INVALID), a system error (SYSTEM_ERROR: the server may
// have changed state before failing) or any error that is not a couponkit
// error. A success, a business error (API_ERROR: the vendor refused) and a
// request that was never built (INVALID_ARGUMENT, KEY_ERROR) are not in
// doubt.
func InDoubt(err error) bool {
	switch errs.KindOf(err) {
	case "", errs.APIError, errs.InvalidArgument, errs.InvalidJSON, errs.KeyError, errs.TooLarge:
		return false
	}
	return true
}

// Outcome is what ResolveVerify found out.
type Outcome string

// Outcomes of ResolveVerify.
const (
	// Verified: the verification under the bizId has taken effect (it had,
	// or the repeat made it so); Resolution.BizID is the one to reverse.
	Verified Outcome = "verified"
	// NotVerified: it has not taken effect and will not (the coupons are
	// not redeemable, or the vendor refused the repeat).
	NotVerified Outcome = "not_verified"
	// StillUnknown: the evidence could not be obtained (the network, a
	// system error, an unreadable reply); ask again later.
	StillUnknown Outcome = "still_unknown"
)

// Reasons of a Resolution: which rule decided.
const (
	// ReasonRepeatSucceeded: every coupon was unused or used, and the
	// verify repeated with the same bizId succeeded (Verified).
	ReasonRepeatSucceeded = "repeat_succeeded"
	// ReasonRepeatRefused: the repeat was refused with a business error,
	// e.g. 已使用 when another bizId redeemed the coupon (NotVerified).
	ReasonRepeatRefused = "repeat_refused"
	// ReasonCouponNotUsable: a coupon is frozen, expired or deleted; a
	// verification that took effect leaves all its coupons verified, so
	// this one did not (NotVerified; nothing repeated).
	ReasonCouponNotUsable = "coupon_not_usable"
	// ReasonStatusUnavailable: a coupon's state could not be read (the
	// query failed, the reply does not list it, it is locked, or its state
	// is not a known one) (StillUnknown; nothing repeated).
	ReasonStatusUnavailable = "status_unavailable"
	// ReasonRepeatFailed: the repeat got no usable answer (StillUnknown).
	ReasonRepeatFailed = "repeat_failed"
)

// CouponEvidence is what the query said about one coupon of the verify.
type CouponEvidence struct {
	// Coupon is the entry of couponsCardList: an id, or a scanned code
	// when the verify's Type is TypeScanCode.
	Coupon string
	// Action is the query asked: ActionCouponStatus for ids,
	// ActionOffCoupon for scanned codes.
	Action string
	// Status is the coupon's state on that action's scale: useStatus
	// (UseStatus*) for ActionCouponStatus, status (OffStatus*) for
	// ActionOffCoupon. Not Valid when the query failed.
	Status OptInt
	// Err is the query's error, or nil.
	Err error
}

// Resolution is the result of ResolveVerify, with its evidence.
type Resolution struct {
	// Outcome is Verified, NotVerified or StillUnknown.
	Outcome Outcome
	// Reason is the rule that decided (Reason*).
	Reason string
	// BizID is the bizId to reverse with: the one the repeated verify's
	// reply returned (Verified only; "" if the reply left it out).
	BizID string
	// Coupons holds one entry per coupon of the verify, in order, for as
	// far as the queries went.
	Coupons []CouponEvidence
	// Repeated tells whether the verify was sent again (same bizId).
	Repeated bool
	// Verify is the repeated verify's reply (Verified).
	Verify *VerifyResult
	// Err is the error behind NotVerified after a refused repeat (the
	// vendor's API_ERROR) or behind StillUnknown; nil otherwise.
	Err error
}

// ResolveVerify finds out what became of a verify whose outcome is in doubt
// (InDoubt: a timeout, a dropped connection, an unreadable reply) and
// completes it when it can. p must be the original params, the same bizId
// and coupons. It sends its requests through ex:
//
//  1. For each coupon it asks the state: user.coupon-new-status with the
//     customerId and the coupon as cardId, or for scanned codes (Type 1)
//     coupon.off-coupon with the code. These queries are idempotent.
//  2. If a coupon is frozen, expired or deleted: NotVerified (a
//     verification that took effect leaves every coupon verified). If a
//     state cannot be read, or a scanned coupon is locked (possibly by the
//     verification in flight): StillUnknown.
//  3. Otherwise every coupon is unused or verified, and the verify is
//     repeated with the same bizId, which the vendor answers idempotently:
//     the original reply if it took effect, the verification now if it did
//     not. Success: Verified. A business error (e.g. 已使用: another bizId
//     redeemed the coupon): NotVerified. No usable answer: StillUnknown.
//
// The repeat is sent even when the coupons are already verified, because
// the status reply does not say which bizId verified them: only the repeat
// tells ours from another till's. The rules rely on the vendor answering a
// repeated bizId with its original reply and on a verification taking all
// its coupons or none (assumptions: the vendor's pages do not describe a
// repeat; see docs/reversal.md).
//
// Errors are for requests that cannot be built (INVALID_ARGUMENT with the
// Params path, KEY_ERROR) or a nil ex; everything the exchanges meet is in
// the Resolution.
func (c *Client) ResolveVerify(ctx context.Context, p VerifyParams, ex Exchange) (*Resolution, error) {
	if err := p.Validate(); err != nil {
		return nil, paramsErr(err)
	}
	if ex == nil {
		return nil, errs.Invalid("", "ResolveVerify needs an Exchange to send its requests")
	}
	if err := c.validate(false); err != nil {
		return nil, err
	}
	res := &Resolution{}
	done := func(o Outcome, reason string, err error) (*Resolution, error) {
		res.Outcome, res.Reason, res.Err = o, reason, err
		return res, nil
	}
	byCode := p.Type == TypeScanCode
	var unknown error
	for _, coupon := range p.CouponsCardList {
		ev := c.queryState(ctx, ex, p.CustomerID, coupon, byCode)
		res.Coupons = append(res.Coupons, ev)
		switch s := ev.Status; {
		case ev.Err != nil:
			unknown = ev.Err
		case !byCode && (s.Int == UseStatusFrozen || s.Int == UseStatusExpired || s.Int == UseStatusDeleted):
			return done(NotVerified, ReasonCouponNotUsable, nil)
		case s.Int != UseStatusUnused && s.Int != UseStatusVerified: // also OffStatusUnused, OffStatusUsed
			unknown = errs.New(errs.ResponseInvalid, "", "coupon %s is in state %d on the %s scale, neither unused nor used", clip(coupon), s.Int, ev.Action)
		}
		if unknown != nil && ctx.Err() != nil {
			break
		}
	}
	if unknown != nil {
		return done(StillUnknown, ReasonStatusUnavailable, unknown)
	}
	req, err := c.VerifyCoupons(p, Stamp{})
	if err != nil {
		return nil, err
	}
	res.Repeated = true
	body, err := ex(ctx, req)
	if err != nil {
		return done(StillUnknown, ReasonRepeatFailed, err)
	}
	vr, err := ParseVerifyResponse(body)
	switch {
	case err == nil:
		res.Verify, res.BizID = vr, vr.BizID
		return done(Verified, ReasonRepeatSucceeded, nil)
	case errors.Is(err, errs.APIError):
		return done(NotVerified, ReasonRepeatRefused, err)
	}
	return done(StillUnknown, ReasonRepeatFailed, err)
}

// queryState asks one coupon's state: user.coupon-new-status for an id,
// coupon.off-coupon for a scanned code.
func (c *Client) queryState(ctx context.Context, ex Exchange, customer, coupon string, byCode bool) CouponEvidence {
	ev := CouponEvidence{Coupon: coupon, Action: ActionCouponStatus}
	if byCode {
		ev.Action = ActionOffCoupon
	}
	if err := ctx.Err(); err != nil {
		ev.Err = err
		return ev
	}
	var req Request
	var err error
	if byCode {
		req, err = c.OffCoupon(OffCouponParams{Code: coupon}, Stamp{})
	} else {
		req, err = c.CouponStatus(CouponStatusParams{CustomerID: customer, CardID: coupon}, Stamp{})
	}
	if err != nil {
		ev.Err = err
		return ev
	}
	body, err := ex(ctx, req)
	if err != nil {
		ev.Err = err
		return ev
	}
	if byCode {
		r, err := ParseOffCouponResponse(body)
		if err != nil {
			ev.Err = err
			return ev
		}
		ev.Status = r.Status
	} else {
		r, err := ParseCouponStatusResponse(body)
		if err != nil {
			ev.Err = err
			return ev
		}
		if s := r.Find(coupon); s != nil {
			ev.Status = s.UseStatus
		}
	}
	if !ev.Status.Valid {
		ev.Err = errs.New(errs.ResponseInvalid, "data", "the %s reply does not give coupon %s's state", ev.Action, clip(coupon))
	}
	return ev
}
