package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/zvcms"
)

// maxBody is the largest request body the sandbox reads.
const maxBody = 1 << 20

// FaultHeader is the request header that injects a fault into one request.
const FaultHeader = "X-Sandbox-Fault"

// Fault is an injected failure. Latency is added before the request is
// handled; Status answers that HTTP status without handling the request;
// Truncate and Drop handle the request (its state change is kept) and then
// send half of the reply under the full Content-Length, or close the
// connection without any reply: the "outcome unknown" cases a POS must
// survive by repeating the call with the same bizId / orderId.
type Fault struct {
	Latency  time.Duration
	Status   int
	Truncate bool
	Drop     bool
}

// None reports whether f injects nothing.
func (f Fault) None() bool { return f == Fault{} }

// ParseFault parses a fault spec: comma-separated items among
// "latency=<duration>", "status=<code>", "truncate", "drop" ("" = none).
func ParseFault(spec string) (Fault, error) {
	var f Fault
	for _, item := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		k, v, _ := strings.Cut(item, "=")
		switch k {
		case "latency":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return f, fmt.Errorf("fault %q: latency wants a duration such as 200ms", item)
			}
			f.Latency = d
		case "status":
			n, err := strconv.Atoi(v)
			if err != nil || n < 100 || n > 599 {
				return f, fmt.Errorf("fault %q: status wants an HTTP status code", item)
			}
			f.Status = n
		case "truncate":
			f.Truncate = true
		case "drop":
			f.Drop = true
		default:
			return f, fmt.Errorf("fault %q: want latency=<duration>, status=<code>, truncate or drop", item)
		}
	}
	return f, nil
}

// Config configures a Server.
type Config struct {
	// Seed is the loaded seed file.
	Seed *Seed
	// StatePath, when not "", is the state file: loaded at start if it
	// exists, rewritten atomically after every change.
	StatePath string
	// Fault is injected into every FaultEvery-th API request (every request
	// when FaultEvery ≤ 1), unless a request carries its own X-Sandbox-Fault.
	Fault      Fault
	FaultEvery int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReplyVariant overrides the seed's allinpay.replyVariant: how gateway
	// replies are signed ("sdk+md5", the default, "sdk+direct", "raw+direct"
	// or "raw+md5").
	ReplyVariant string
	// RequestProfile overrides the seed's allinpay.requestProfile: the
	// request signing profile accepted ("rules", "sdk"; "" or "any": either).
	RequestProfile string
	// ReversalAction is the zvcms Action the sandbox serves reversals (冲正)
	// under; "" means DefaultReversalAction. The vendor's v2 name is not
	// public: a client configures the one of its contract.
	ReversalAction string
	// ReplyBizID says which bizId a verify or consume reply returns:
	// ReplyBizIDSent ("" too) the one the request sent, as in the seed's
	// example; ReplyBizIDOwn the sandbox's own, so that a reversal with the
	// sent one fails as it would where the vendor's differs.
	ReplyBizID string
}

// DefaultReversalAction is the sandbox's own name for its reversal action,
// for its tests and demos only: it is not the vendor's (which is not
// public).
const DefaultReversalAction = "sandbox.coupons-reverse"

// Values of Config.ReplyBizID (flag -reply-bizid).
const (
	// ReplyBizIDSent: the reply's bizId is the one the request sent.
	ReplyBizIDSent = "sent"
	// ReplyBizIDOwn: the reply's bizId is the sandbox's own, an 18-digit
	// number (7 followed by the id sequence, zero-padded), never the one
	// sent.
	ReplyBizIDOwn = "own"
)

// Server is the sandbox: an http.Handler serving the zvcms v2 endpoint and
// the Allinpay gateway over one coupon state.
type Server struct {
	cfg          Config
	seed         *Seed
	templates    map[string]*Template
	creds        zvcms.Credentials
	keyStyle     zvcms.KeyStyle
	merchantPub  *allinpay.PublicKey
	platformPriv *allinpay.PrivateKey
	signType     allinpay.SignType
	// replyVariant is how replies are signed; requestProfile the request
	// profile accepted ("" = either).
	replyVariant   allinpay.Variant
	requestProfile allinpay.RequestProfile
	apiRequests    int64

	mu sync.Mutex
	st *State
}

// NewServer builds a Server, loading the state file when it exists.
func NewServer(cfg Config) (*Server, error) {
	s := &Server{cfg: cfg, seed: cfg.Seed, templates: map[string]*Template{}}
	if s.cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	if s.cfg.ReversalAction == "" {
		s.cfg.ReversalAction = DefaultReversalAction
	}
	switch s.cfg.ReplyBizID {
	case "":
		s.cfg.ReplyBizID = ReplyBizIDSent
	case ReplyBizIDSent, ReplyBizIDOwn:
	default:
		return nil, fmt.Errorf("reply bizId mode %q: want %s or %s", cfg.ReplyBizID, ReplyBizIDSent, ReplyBizIDOwn)
	}
	sd := cfg.Seed
	for i := range sd.Templates {
		s.templates[sd.Templates[i].ID] = &sd.Templates[i]
	}
	s.creds = zvcms.Credentials{OpenID: sd.Zvcms.OpenID, GrantCode: sd.Zvcms.GrantCode, OpenKey: sd.Zvcms.OpenKey}
	var err error
	if s.keyStyle, err = zvcms.ParseKeyStyle("keyStyle", sd.Zvcms.KeyStyle); err != nil {
		return nil, err
	}
	if s.signType, err = allinpay.ParseSignType("signType", sd.Allinpay.SignType); err != nil {
		return nil, err
	}
	if s.signType == "" {
		s.signType = allinpay.RSA2
	}
	variant := cfg.ReplyVariant
	if variant == "" {
		variant = sd.Allinpay.ReplyVariant
	}
	if variant == "" {
		variant = string(allinpay.SDKMD5)
	}
	mode, err := allinpay.ParseVerifyMode("replyVariant", variant)
	if err != nil || mode == allinpay.VerifyAny || mode == allinpay.SkipVerify {
		return nil, fmt.Errorf("allinpay reply variant %q: use sdk+md5, sdk+direct, raw+direct or raw+md5 (the sandbox always signs)", variant)
	}
	s.replyVariant = allinpay.Variant(mode)
	profile := cfg.RequestProfile
	if profile == "" {
		profile = sd.Allinpay.RequestProfile
	}
	if profile != "" && profile != "any" {
		if s.requestProfile, err = allinpay.ParseRequestProfile("requestProfile", profile); err != nil {
			return nil, err
		}
	}
	if s.merchantPub, s.platformPriv, err = sd.ReadKeys(); err != nil {
		return nil, err
	}
	if cfg.StatePath != "" {
		if s.st, err = LoadState(cfg.StatePath); err != nil {
			return nil, err
		}
	}
	if s.st == nil {
		s.st = NewState(sd)
		if cfg.StatePath != "" {
			if err := s.st.Save(cfg.StatePath); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// Counts returns the state's summary.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.Count()
}

// Coupon returns a copy of a coupon by id (nil when unknown).
func (s *Server) Coupon(id string) *Coupon {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.Coupons[id]
	if !ok {
		return nil
	}
	cp := *c
	return &cp
}

// save persists the state (the caller holds s.mu).
func (s *Server) save() error {
	if s.cfg.StatePath == "" {
		return nil
	}
	return s.st.Save(s.cfg.StatePath)
}

// reply is a handler's answer before any fault is applied.
type reply struct {
	status int
	ctype  string
	body   []byte
}

func jsonReply(body []byte) reply {
	return reply{status: http.StatusOK, ctype: "application/json;charset=UTF-8", body: body}
}

// ServeHTTP routes: POST <zvcmsPath>, POST <allinpayPath>, GET /health,
// GET /state; OPTIONS answers CORS preflights.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type, "+FaultHeader)
	h.Set("Access-Control-Max-Age", "600")
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	path := r.URL.Path
	switch {
	case r.Method == http.MethodGet && path == "/health":
		_, _ = io.WriteString(w, "ok\n")
		return
	case r.Method == http.MethodGet && path == "/state":
		s.mu.Lock()
		b, _ := json.MarshalIndent(struct {
			Counts Counts `json:"counts"`
			State  *State `json:"state"`
		}{s.st.Count(), s.st}, "", " ")
		s.mu.Unlock()
		h.Set("Content-Type", "application/json")
		_, _ = w.Write(b)
		return
	case path != s.seed.Client.ZvcmsPath && path != s.seed.Client.AllinpayPath && path != s.zvcmsV3Path():
		http.NotFound(w, r)
		return
	case r.Method != http.MethodPost:
		h.Set("Allow", "POST, OPTIONS")
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	fault, err := s.faultFor(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if fault.Latency > 0 {
		// The request is handled after the wait even when the client has
		// given up meanwhile, as a real server would: the client's timeout
		// leaves the outcome unknown.
		time.Sleep(fault.Latency)
	}
	if fault.Status != 0 {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(fault.Status)
		fmt.Fprintf(w, "sandbox fault: HTTP %d\n", fault.Status)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return
	}
	var rep reply
	switch {
	case len(body) > maxBody:
		rep = reply{status: http.StatusRequestEntityTooLarge, ctype: "text/plain", body: []byte("request too large\n")}
	case path == s.seed.Client.ZvcmsPath:
		rep = jsonReply(s.zvcms(body))
	case path == s.zvcmsV3Path():
		rep = jsonReply(s.zvcmsV3(body))
	default:
		rep = jsonReply(s.allinpay(body))
	}
	if fault.Drop || fault.Truncate {
		hijackFault(w, rep, fault)
		return
	}
	h.Set("Content-Type", rep.ctype)
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

// zvcmsV3Path is the path of the zvcms v3 redemption.
func (s *Server) zvcmsV3Path() string { return s.seed.Client.ZvcmsV3Path + zvcms.PathV3WriteOffCoupon }

// faultFor returns the fault for this request: its header, else the
// configured one when this request's turn has come.
func (s *Server) faultFor(r *http.Request) (Fault, error) {
	n := atomic.AddInt64(&s.apiRequests, 1)
	if spec := r.Header.Get(FaultHeader); spec != "" {
		return ParseFault(spec)
	}
	if s.cfg.FaultEvery > 1 && n%int64(s.cfg.FaultEvery) != 0 {
		return Fault{}, nil
	}
	return s.cfg.Fault, nil
}

// hijackFault sends half the reply (Truncate) or nothing (Drop) and closes
// the connection.
func hijackFault(w http.ResponseWriter, rep reply, f Fault) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if f.Drop {
		return
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n",
		rep.status, http.StatusText(rep.status), rep.ctype, len(rep.body))
	b.Write(rep.body[:len(rep.body)/2])
	_, _ = buf.Write(b.Bytes())
	_ = buf.Flush()
}

// marshal encodes v as compact JSON without HTML escaping (URLs keep '&').
func marshal(v interface{}) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// problem is a coupon that cannot be used: a vendor-style code and message.
type problem struct{ code, msg string }

// Business error codes of the sandbox (zvcms code; Allinpay msg).
var (
	errNotFound    = problem{"40004", "查询的信息不存在"}
	errUsed        = problem{"40010", "优惠券已使用"}
	errFrozen      = problem{"40011", "优惠券已冻结"}
	errExpired     = problem{"40012", "优惠券已过期"}
	errDeleted     = problem{"40013", "优惠券已删除"}
	errNotOwner    = problem{"40014", "优惠券不属于该会员"}
	errBizIDReused = problem{"40015", "业务标识已用于其他核销"}
	errNotUsable   = problem{"40016", "不满足优惠券使用条件"}

	// The zvcms reversal (冲正) and consumption.
	errReverseUnknown  = problem{"40020", "冲正失败: 业务标识不存在"}
	errReversedTwice   = problem{"40021", "冲正失败: 该业务已冲正"}
	errReverseSentBiz  = problem{"40022", "冲正失败: 这是请求时的业务标识, 请使用核销返回的 bizId"}
	errReverseCoupons  = problem{"40023", "冲正失败: 优惠券与核销不符"}
	errBizIDReversed   = problem{"40024", "业务标识已冲正, 请使用新的业务标识"}
	errBalance         = problem{"40030", "余额不足"}
	errPayPassword     = problem{"40031", "支付密码错误"}
	errPoints          = problem{"40032", "积分不足"}
	errNoMemberBalance = problem{"40033", "会员不存在, 无法扣除余额或积分"}
)

// usable reports why coupon c cannot be used now by customer (nil: usable).
func (s *Server) usable(c *Coupon, customer string) *problem {
	if customer != "" && c.CustomerID != "" && customer != c.CustomerID {
		return &errNotOwner
	}
	switch c.Effective(s.cfg.Now()) {
	case StatusVerified:
		return &errUsed
	case StatusFrozen:
		return &errFrozen
	case StatusExpired:
		return &errExpired
	case StatusDeleted:
		return &errDeleted
	}
	return nil
}

// find returns the coupon with id, or with redemption code id when byCode.
func (s *Server) find(id string, byCode bool) *Coupon {
	if !byCode {
		return s.st.Coupons[id]
	}
	for _, c := range s.st.Coupons {
		if c.Code == id {
			return c
		}
	}
	return nil
}

// member returns the member with customer id (nil when unknown).
func (s *Server) member(customerID string) *Member {
	for i := range s.st.Members {
		if s.st.Members[i].CustomerID == customerID {
			return &s.st.Members[i]
		}
	}
	return nil
}

// nextSeq advances the id sequence (the caller holds s.mu).
func (s *Server) nextSeq() int64 {
	s.st.Seq++
	return s.st.Seq
}

// issue creates one coupon of template t for customer (the caller holds s.mu).
func (s *Server) issue(t *Template, customer, orderID string) *Coupon {
	seq := s.nextSeq()
	base, _ := strconv.ParseInt(s.seed.IDBase, 10, 64)
	now := s.cfg.Now().In(allinpay.ChinaZone)
	days := t.ValidDays
	if days <= 0 {
		days = 30
	}
	c := &Coupon{
		ID:         strconv.FormatInt(base+seq, 10),
		Code:       fmt.Sprintf("%012d", (seq*7919+200000000000)%1000000000000),
		TemplateID: t.ID, CustomerID: customer, Status: StatusUnused,
		IssuedAt:  now.Format(time.RFC3339),
		ExpiresAt: now.AddDate(0, 0, days).Format(time.RFC3339),
		OrderID:   orderID,
	}
	s.st.Coupons[c.ID] = c
	return c
}

// unredeem returns c to unused and marks its redemption by key reversed
// (the caller holds s.mu).
func (s *Server) unredeem(c *Coupon, key string) {
	c.Status, c.VerifiedBy, c.VerifiedAt = StatusUnused, "", ""
	for i := range s.st.Redemptions {
		if r := &s.st.Redemptions[i]; r.CouponID == c.ID && r.BizID == key && !r.Reversed {
			r.Reversed = true
		}
	}
}

// redeem marks c verified by key and logs the redemption (the caller holds
// s.mu and has checked usable).
func (s *Server) redeem(c *Coupon, key, via string, amount int64) {
	at := s.cfg.Now().In(allinpay.ChinaZone).Format(time.RFC3339)
	c.Status, c.VerifiedBy, c.VerifiedAt = StatusVerified, key, at
	s.st.Redemptions = append(s.st.Redemptions, Redemption{CouponID: c.ID, BizID: key, Via: via, Amount: amount, At: at})
}
