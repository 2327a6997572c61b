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

// session holds what session.open registered: parsed credentials and the
// transport options.
type session struct {
	zv *zvcms.Client    // nil when the session has no zvcms credentials
	ap *allinpay.Client // nil when the session has no Allinpay keys
	tr *Transport       // nil for the default transport
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
	if id == "" {
		return nil, nil
	}
	c.r.mu.RLock()
	s := c.r.sessions[id]
	c.r.mu.RUnlock()
	if s == nil {
		return nil, errs.Invalid("session", "unknown or closed session %q; open one with session.open", clip(id))
	}
	return s, nil
}

// zvcms resolves a request's zvcms credentials: the session's or inline,
// exactly one of them. The client uses the registry's clock and nonces.
func (c *Call) zvcms(a *ZvcmsAuth) (*zvcms.Client, error) {
	var base *zvcms.Client
	if a.Session != "" && a.Zvcms != nil {
		return nil, errs.Invalid("zvcms", "give either session or zvcms credentials, not both")
	}
	switch s, err := c.session(a.Session); {
	case err != nil:
		return nil, err
	case s != nil && s.zv == nil:
		return nil, errs.Invalid("session", "the session has no zvcms credentials")
	case s != nil:
		base = s.zv
	case a.Zvcms == nil:
		return nil, errs.Invalid("zvcms", "zvcms credentials are required: give session or zvcms {openId, grantCode, openKey}")
	default:
		if base, err = zvcmsClient(a.Zvcms); err != nil {
			return nil, err
		}
	}
	cl := *base
	cl.Now, cl.Nonce = c.r.opts.Now, c.r.opts.Nonce
	return &cl, nil
}

// zvcmsClient checks inline zvcms credentials and makes their client.
func zvcmsClient(z *ZvcmsCredentials) (*zvcms.Client, error) {
	if z.OpenKey == "" {
		return nil, errs.New(errs.KeyError, "zvcms.openKey", "openKey is required (the secret issued with openId and grantCode)")
	}
	if z.BaseURL != "" {
		if u, err := url.Parse(z.BaseURL); err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return nil, errs.Invalid("zvcms.baseUrl", "baseUrl must be an absolute http or https URL")
		}
	}
	cl := &zvcms.Client{Credentials: zvcms.Credentials{OpenID: z.OpenID, GrantCode: z.GrantCode, OpenKey: z.OpenKey}, BaseURL: z.BaseURL}
	var err error
	if cl.KeyStyle, err = zvcms.ParseKeyStyle("zvcms.tokenKeyStyle", z.TokenKeyStyle); err != nil {
		return nil, err
	}
	if cl.CouponListStyle, err = zvcms.ParseListStyle("zvcms.couponListStyle", z.CouponListStyle); err != nil {
		return nil, err
	}
	return cl, nil
}

// allinpay resolves a request's Allinpay keys: the session's or inline,
// exactly one of them.
func (c *Call) allinpay(a *AllinpayAuth) (*allinpay.Client, error) {
	if a.Session != "" && a.Allinpay != nil {
		return nil, errs.Invalid("allinpay", "give either session or allinpay keys, not both")
	}
	switch s, err := c.session(a.Session); {
	case err != nil:
		return nil, err
	case s != nil && s.ap == nil:
		return nil, errs.Invalid("session", "the session has no allinpay keys")
	case s != nil:
		return s.ap, nil
	case a.Allinpay == nil:
		return nil, errs.Invalid("allinpay", "allinpay keys are required: give session or allinpay {appId, privateKey, platformPublicKey, gatewayUrl}")
	}
	return c.allinpayClient(a.Allinpay)
}

// allinpayClient parses inline Allinpay keys and makes their client.
func (c *Call) allinpayClient(k *AllinpayKeys) (*allinpay.Client, error) {
	cfg := allinpay.Config{AppID: k.AppID, SignerID: k.SignerID, GatewayURL: k.GatewayURL, Version: k.Version, Now: c.r.now}
	var err error
	if cfg.SignType, err = allinpay.ParseSignType("signType", k.SignType); err != nil {
		return nil, errs.Prefix("allinpay", err)
	}
	if cfg.Verify, err = allinpay.ParseVerifyMode("verifyMode", k.VerifyMode); err != nil {
		return nil, errs.Prefix("allinpay", err)
	}
	if k.PrivateKey != "" {
		if cfg.PrivateKey, err = allinpay.ParsePrivateKey("privateKey", k.PrivateKey); err != nil {
			return nil, errs.Prefix("allinpay", err)
		}
	}
	if k.PlatformPublicKey != "" {
		if cfg.PlatformPublicKey, err = allinpay.ParsePublicKey("platformPublicKey", k.PlatformPublicKey); err != nil {
			return nil, errs.Prefix("allinpay", err)
		}
	}
	cl, err := allinpay.NewClient(cfg)
	return cl, errs.Prefix("allinpay", err)
}
