package invoke

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/zvcms"
)

// MaxSessions is how many sessions may be open at once in one registry; one
// more is TOO_LARGE (a program that never closes its sessions finds out).
const MaxSessions = 10000

// session holds parsed credentials registered once by session.open.
type session struct {
	zv *zvcms.Client    // nil when the session has no zvcms credentials
	ap *allinpay.Client // nil when the session has no Allinpay keys
}

// Field names of the credential objects, shared by session.open and every
// method taking inline credentials.
var (
	zvcmsCredFields    = []string{"openId", "grantCode", "openKey", "baseUrl", "tokenKeyStyle", "couponListStyle"}
	allinpayCredFields = []string{"appId", "privateKey", "platformPublicKey", "signType", "signerId", "gatewayUrl", "version", "verifyMode"}
)

// registerSession registers "session.open" and "session.close".
func (r *Registry) registerSession() {
	r.register("session.open", []string{"zvcms", "allinpay"}, func(c *call) error {
		s := &session{}
		if c.in.has("zvcms") {
			s.zv = c.zvcmsCreds(c.in.obj("zvcms", zvcmsCredFields))
		}
		if c.in.has("allinpay") {
			s.ap = c.allinpayCreds(c.in.obj("allinpay", allinpayCredFields))
		}
		if err := c.fail(); err != nil {
			return err
		}
		if s.zv == nil && s.ap == nil {
			return errs.Invalid("zvcms", "give zvcms credentials, allinpay keys or both")
		}
		id, err := r.openSession(s)
		if err != nil {
			return err
		}
		c.out.str("session", id)
		c.out.boolean("zvcms", s.zv != nil)
		c.out.boolean("allinpay", s.ap != nil)
		return nil
	})
	r.register("session.close", []string{"session"}, func(c *call) error {
		id := c.in.need("session")
		if err := c.fail(); err != nil {
			return err
		}
		r.mu.Lock()
		_, ok := r.sessions[id]
		delete(r.sessions, id)
		r.mu.Unlock()
		c.out.boolean("closed", ok)
		return nil
	})
}

// openSession stores s under a fresh random id ("s_" and 32 hex digits).
func (r *Registry) openSession(s *session) (string, error) {
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

// session returns the session named by the request's "session" field.
func (c *call) session() *session {
	id := c.in.str("session")
	if c.err != nil {
		return nil
	}
	c.r.mu.RLock()
	s := c.r.sessions[id]
	c.r.mu.RUnlock()
	if s == nil {
		c.setErr(errs.Invalid("session", "unknown or closed session %q; open one with session.open", clip(id)))
	}
	return s
}

// zvcmsClient resolves the zvcms credentials of the request: the session's
// ("session") or inline ("zvcms"), exactly one of them. The returned client
// uses the registry's clock and nonce source. nil means an error is recorded.
func (c *call) zvcmsClient() *zvcms.Client {
	var base *zvcms.Client
	switch {
	case c.in.has("session") && c.in.has("zvcms"):
		c.setErr(errs.Invalid("zvcms", "give either session or zvcms credentials, not both"))
	case c.in.has("session"):
		if s := c.session(); s != nil {
			if base = s.zv; base == nil {
				c.setErr(errs.Invalid("session", "the session has no zvcms credentials"))
			}
		}
	case c.in.has("zvcms"):
		base = c.zvcmsCreds(c.in.obj("zvcms", zvcmsCredFields))
	default:
		c.setErr(errs.Invalid("zvcms", "zvcms credentials are required: give session or zvcms {openId, grantCode, openKey}"))
	}
	if base == nil || c.err != nil {
		return nil
	}
	cl := *base
	cl.Now, cl.Nonce = c.r.opts.Now, c.r.opts.Nonce
	return &cl
}

// allinpayClient resolves the Allinpay keys of the request: the session's
// ("session") or inline ("allinpay"), exactly one of them. nil means an
// error is recorded.
func (c *call) allinpayClient() *allinpay.Client {
	switch {
	case c.in.has("session") && c.in.has("allinpay"):
		c.setErr(errs.Invalid("allinpay", "give either session or allinpay keys, not both"))
	case c.in.has("session"):
		if s := c.session(); s != nil {
			if s.ap == nil {
				c.setErr(errs.Invalid("session", "the session has no allinpay keys"))
			}
			return s.ap
		}
	case c.in.has("allinpay"):
		return c.allinpayCreds(c.in.obj("allinpay", allinpayCredFields))
	default:
		c.setErr(errs.Invalid("allinpay", "allinpay keys are required: give session or allinpay {appId, privateKey, platformPublicKey, gatewayUrl}"))
	}
	return nil
}

// zvcmsCreds reads an inline zvcms credentials object.
func (c *call) zvcmsCreds(rd *reader) *zvcms.Client {
	cl := &zvcms.Client{Credentials: zvcms.Credentials{
		OpenID: rd.need("openId"), GrantCode: rd.need("grantCode"), OpenKey: rd.str("openKey"),
	}}
	if c.err == nil && cl.OpenKey == "" {
		c.setErr(errs.New(errs.KeyError, join(rd.path, "openKey"), "openKey is required (the secret issued with openId and grantCode)"))
	}
	cl.BaseURL = rd.str("baseUrl")
	if cl.BaseURL != "" && c.err == nil {
		if u, err := url.Parse(cl.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			rd.fail("baseUrl", "baseUrl must be an absolute http or https URL")
		}
	}
	var err error
	if cl.KeyStyle, err = zvcms.ParseKeyStyle(join(rd.path, "tokenKeyStyle"), rd.str("tokenKeyStyle")); err != nil {
		c.setErr(err)
	}
	if cl.CouponListStyle, err = zvcms.ParseListStyle(join(rd.path, "couponListStyle"), rd.str("couponListStyle")); err != nil {
		c.setErr(err)
	}
	if c.err != nil {
		return nil
	}
	return cl
}

// allinpayCreds reads an inline Allinpay keys object, parsing the keys.
func (c *call) allinpayCreds(rd *reader) *allinpay.Client {
	cfg := allinpay.Config{
		AppID: rd.need("appId"), SignerID: rd.str("signerId"),
		GatewayURL: rd.str("gatewayUrl"), Version: rd.str("version"),
		Now: c.r.now,
	}
	st, err := allinpay.ParseSignType(join(rd.path, "signType"), rd.str("signType"))
	c.setErr(err)
	cfg.SignType = st
	cfg.Verify, err = allinpay.ParseVerifyMode(join(rd.path, "verifyMode"), rd.str("verifyMode"))
	c.setErr(err)
	priv, pub := rd.str("privateKey"), rd.str("platformPublicKey")
	if c.err != nil {
		return nil
	}
	if priv != "" {
		if cfg.PrivateKey, err = allinpay.ParsePrivateKey("privateKey", priv); err != nil {
			c.setErr(errs.Prefix(rd.path, err))
			return nil
		}
	}
	if pub != "" {
		k, err := allinpay.ParsePublicKey("platformPublicKey", pub)
		if err != nil {
			c.setErr(errs.Prefix(rd.path, err))
			return nil
		}
		cfg.PlatformPublicKeys = []*allinpay.PublicKey{k}
	}
	cl, err := allinpay.NewClient(cfg)
	if err != nil {
		c.setErr(errs.Prefix(rd.path, err))
		return nil
	}
	return cl
}
