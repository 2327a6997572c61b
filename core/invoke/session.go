package invoke

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/zvcms"
)

// MaxSessions is how many sessions may be open at once in one registry; one
// more is TOO_LARGE (a program that never closes its sessions finds out).
const MaxSessions = 10000

// session is what session.open registered: parsed credentials (nil: none)
// and transport options.
type session struct {
	zv *zvcms.Client
	ap *apClient // nil: none (always, in the zvcms variant)
	tr *Transport
}

// open stores s under a fresh random id ("s_" and 32 hex digits).
func (r *Registry) open(s *session) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", errs.New(errs.Internal, "", "no randomness for a session id")
	}
	id := "s_" + hex.EncodeToString(b[:])
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.sessions) >= MaxSessions {
		return "", errs.New(errs.TooLarge, "", "%d sessions are open; close some with session.close", MaxSessions)
	}
	r.sessions[id] = s
	return id, nil
}

// session returns the open session id ("" gives nil).
func (c *Call) session(id string) (*session, error) {
	c.r.mu.RLock()
	s := c.r.sessions[id]
	c.r.mu.RUnlock()
	if s == nil && id != "" {
		return nil, errs.Invalid("session", "unknown or closed session %q; open one with session.open", clip(id))
	}
	return s, nil
}

// auth resolves a request's credentials, what ("zvcms credentials"): the
// session's (held) or inline (made by inline; form shows them), exactly one.
func auth[T any](c *Call, id, vendor, what, form string, given bool, held func(*session) *T, inline func() (*T, error)) (*T, error) {
	if id != "" && given {
		return nil, errs.Invalid(vendor, "give either session or %s, not both", what)
	}
	s, err := c.session(id)
	switch {
	case err != nil:
		return nil, err
	case s != nil && held(s) == nil:
		return nil, errs.Invalid("session", "the session has no %s", what)
	case s != nil:
		return held(s), nil
	case !given:
		return nil, errs.Invalid(vendor, "%s are required: give session or %s", what, form)
	}
	return inline()
}

// zvcms resolves a request's zvcms credentials: the session's client or
// one made of the inline credentials. Adapters only read it (a session's is
// shared by its calls).
func (c *Call) zvcms(a *ZvcmsAuth) (*zvcms.Client, error) {
	return auth(c, a.Session, "zvcms", "zvcms credentials", "zvcms {openId, grantCode, openKey}", a.Zvcms != nil, func(s *session) *zvcms.Client { return s.zv },
		func() (*zvcms.Client, error) { return c.zvcmsClient(a.Zvcms) })
}

// zvcmsClient makes a client of z that uses the registry's clock and
// nonces; without openKey it is keyless (its requests need issued stamps).
func (c *Call) zvcmsClient(z *ZvcmsCredentials) (*zvcms.Client, error) {
	cl, err := (&zvcms.Settings{Credentials: zvcms.Credentials{OpenID: z.OpenID, GrantCode: z.GrantCode, OpenKey: z.OpenKey},
		BaseURL: z.BaseURL, TokenKeyStyle: z.TokenKeyStyle, CouponListStyle: z.CouponListStyle, ReversalAction: z.ReversalAction,
		VerifyAPI: z.VerifyAPI, V3BaseURL: z.V3BaseURL}).Client()
	if err != nil {
		return nil, errs.Prefix("zvcms", err)
	}
	cl.Now, cl.Nonce = c.r.opts.Now, c.r.opts.Nonce
	return cl, nil
}
