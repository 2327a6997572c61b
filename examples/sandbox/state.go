package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/zvcms"
)

// Coupon use states, the zvcms useStatus values (user.coupon-new-status).
const (
	StatusUnused   = zvcms.UseStatusUnused   // 未使用 (or reversed)
	StatusVerified = zvcms.UseStatusVerified // 已核销
	StatusFrozen   = zvcms.UseStatusFrozen   // 已冻结
	StatusExpired  = zvcms.UseStatusExpired  // 已过期
	StatusDeleted  = zvcms.UseStatusDeleted  // 已删除
)

// Member is a member (会员) of the seed.
type Member struct {
	CustomerID string `json:"customerId"`
	Username   string `json:"username,omitempty"`
	Nickname   string `json:"nickname,omitempty"`
	Phone      string `json:"phone,omitempty"`
	CardNo     string `json:"cardNo,omitempty"`
	OpenID     string `json:"openId,omitempty"`
	Gender     string `json:"gender,omitempty"`
	Birthday   string `json:"birthday,omitempty"`
	GroupID    string `json:"groupId,omitempty"`
	Province   string `json:"province,omitempty"`
	City       string `json:"city,omitempty"`
	District   string `json:"district,omitempty"`
	// Balance is the stored balance (储值余额) in yuan; Points the points
	// (积分); PayPassword the payment password communal.user.consume checks
	// when it deducts balance (TEST ONLY values).
	Balance     string `json:"balance,omitempty"`
	Points      int64  `json:"points,omitempty"`
	PayPassword string `json:"payPassword,omitempty"`
}

// Template is a coupon template (券模板). Money is yuan text.
type Template struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"` // "fixed" or "rate"
	Value       string   `json:"value,omitempty"`
	Rate        string   `json:"rate,omitempty"`
	Threshold   string   `json:"threshold,omitempty"`
	Cap         string   `json:"cap,omitempty"`
	Include     []string `json:"include,omitempty"`
	Exclude     []string `json:"exclude,omitempty"`
	ValidDays   int      `json:"validDays"`
	Instruction string   `json:"instruction,omitempty"`
}

// Coupon is one issued coupon.
type Coupon struct {
	// ID is the 18-digit coupon id: zvcms cardId / user_coupon_id, Allinpay couponNo.
	ID string `json:"id"`
	// Code is the scanned redemption code (核销码), for type=1 requests.
	Code       string `json:"code"`
	TemplateID string `json:"templateId"`
	CustomerID string `json:"customerId,omitempty"`
	Status     int    `json:"status"`
	IssuedAt   string `json:"issuedAt"`
	ExpiresAt  string `json:"expiresAt"`
	// OrderID is the Allinpay couponSend orderId that issued it.
	OrderID string `json:"orderId,omitempty"`
	// VerifiedBy is the bizId (or Allinpay orderId) that redeemed it.
	VerifiedBy string `json:"verifiedBy,omitempty"`
	VerifiedAt string `json:"verifiedAt,omitempty"`
}

// Redemption is one redemption event; a coupon appears in at most one.
type Redemption struct {
	CouponID string `json:"couponId"`
	BizID    string `json:"bizId"`
	Via      string `json:"via"` // "zvcms" or "allinpay"
	Amount   int64  `json:"amount"`
	At       string `json:"at"`
	// Reversed marks a redemption undone by a reversal (冲正).
	Reversed bool `json:"reversed,omitempty"`
}

// ZOp is one zvcms verification or consumption that redeemed coupons (or
// balance), kept in State.ZOps under the bizId its reply returned: what a
// reversal (冲正) needs to undo it, exactly once.
type ZOp struct {
	Action     string   `json:"action"`    // communal.user.coupons-vertify or communal.user.consume
	SentBizID  string   `json:"sentBizId"` // the bizId the request carried (the key of State.Verifies)
	Coupons    []string `json:"coupons"`   // the coupon ids redeemed
	CustomerID string   `json:"customerId,omitempty"`
	BalanceFen int64    `json:"balanceFen,omitempty"` // balance deducted (consume)
	Points     int64    `json:"points,omitempty"`     // points deducted (consume)
	Reversed   bool     `json:"reversed,omitempty"`
	ReversedAt string   `json:"reversedAt,omitempty"`
}

// Record remembers an operation's request and reply data under its
// idempotency key (zvcms bizId, Allinpay orderId), so a replay returns the
// same result.
type Record struct {
	Fingerprint string          `json:"fingerprint"`
	Data        json.RawMessage `json:"data"`
}

// State is everything the sandbox keeps; it is the state file's content.
type State struct {
	Seq         int64              `json:"seq"`
	Members     []Member           `json:"members"`
	Coupons     map[string]*Coupon `json:"coupons"`
	Redemptions []Redemption       `json:"redemptions"`
	// Verifies: zvcms verifications and consumptions by the bizId sent;
	// Sends and Consumes: Allinpay couponSend and couponConsumeV1 by
	// orderId.
	Verifies map[string]*Record `json:"verifies"`
	// ZOps: zvcms verifications and consumptions by the bizId returned.
	ZOps     map[string]*ZOp    `json:"zvcmsOps"`
	Sends    map[string]*Record `json:"sends"`
	Consumes map[string]*Record `json:"consumes"`
}

// Seed is the sandbox's configuration file (testdata/sandbox/seed.json).
type Seed struct {
	Zvcms struct {
		OpenID          string `json:"openId"`
		GrantCode       string `json:"grantCode"`
		OpenKey         string `json:"openKey"`
		KeyStyle        string `json:"keyStyle"`
		TimestampWindow int64  `json:"timestampWindowSeconds"`
	} `json:"zvcms"`
	Allinpay struct {
		AppID                  string `json:"appId"`
		SignType               string `json:"signType"`
		ReplyVariant           string `json:"replyVariant"`
		RequestProfile         string `json:"requestProfile"`
		SignerID               string `json:"signerId"`
		MerchantPublicKeyFile  string `json:"merchantPublicKeyFile"`
		PlatformPrivateKeyFile string `json:"platformPrivateKeyFile"`
		ShopID                 string `json:"shopId"`
		ShopCode               string `json:"shopCode"`
		ShopName               string `json:"shopName"`
	} `json:"allinpay"`
	Client struct {
		MerchantPrivateKeyFile string `json:"merchantPrivateKeyFile"`
		PlatformPublicKeyFile  string `json:"platformPublicKeyFile"`
		ZvcmsPath              string `json:"zvcmsPath"`
		ZvcmsV3Path            string `json:"zvcmsV3Path"` // the v3 base path; the redemption is below it
		AllinpayPath           string `json:"allinpayPath"`
	} `json:"client"`
	IDBase    string     `json:"idBase"`
	Templates []Template `json:"templates"`
	Members   []Member   `json:"members"`
	Coupons   []Coupon   `json:"coupons"`

	// dir is the seed file's directory; key file names are relative to it.
	dir string
}

// LoadSeed reads a seed file.
func LoadSeed(path string) (*Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &Seed{}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("seed %s: %v", path, err)
	}
	s.dir = filepath.Dir(path)
	if s.Zvcms.TimestampWindow <= 0 {
		s.Zvcms.TimestampWindow = 300
	}
	if s.Client.ZvcmsPath == "" {
		s.Client.ZvcmsPath = "/api/v2"
	}
	if s.Client.ZvcmsV3Path == "" {
		s.Client.ZvcmsV3Path = "/v3"
	}
	if s.Client.AllinpayPath == "" {
		s.Client.AllinpayPath = "/allinpay/gateway"
	}
	if _, err := strconv.ParseInt(s.IDBase, 10, 64); err != nil || len(s.IDBase) != 18 {
		return nil, fmt.Errorf("seed %s: idBase must be an 18-digit integer", path)
	}
	return s, nil
}

// File returns a seed-relative file name as a path.
func (s *Seed) File(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(s.dir, name)
}

// ReadKeys parses the Allinpay keys the seed names: the merchant public key
// (verifies requests) and the platform private key (signs replies).
func (s *Seed) ReadKeys() (*allinpay.PublicKey, *allinpay.PrivateKey, error) {
	pub, err := os.ReadFile(s.File(s.Allinpay.MerchantPublicKeyFile))
	if err != nil {
		return nil, nil, err
	}
	priv, err := os.ReadFile(s.File(s.Allinpay.PlatformPrivateKeyFile))
	if err != nil {
		return nil, nil, err
	}
	mpub, err := allinpay.ParsePublicKey("merchantPublicKey", string(pub))
	if err != nil {
		return nil, nil, err
	}
	ppriv, err := allinpay.ParsePrivateKey("platformPrivateKey", string(priv))
	if err != nil {
		return nil, nil, err
	}
	return mpub, ppriv, nil
}

// NewState returns the initial state of a seed.
func NewState(s *Seed) *State {
	st := &State{
		Members:  append([]Member(nil), s.Members...),
		Coupons:  map[string]*Coupon{},
		Verifies: map[string]*Record{}, Sends: map[string]*Record{}, Consumes: map[string]*Record{},
		ZOps: map[string]*ZOp{},
	}
	for i := range s.Coupons {
		c := s.Coupons[i]
		st.Coupons[c.ID] = &c
	}
	return st
}

// LoadState reads a state file; a missing file returns (nil, nil).
func LoadState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st := &State{}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("state file %s: %v", path, err)
	}
	if st.Coupons == nil {
		st.Coupons = map[string]*Coupon{}
	}
	for _, m := range []*map[string]*Record{&st.Verifies, &st.Sends, &st.Consumes} {
		if *m == nil {
			*m = map[string]*Record{}
		}
	}
	if st.ZOps == nil {
		st.ZOps = map[string]*ZOp{}
	}
	return st, nil
}

// Save writes the state atomically: a temporary file in the same directory,
// synced, then renamed over path, so a crash leaves the old or the new state,
// never half of one.
func (st *State) Save(path string) error {
	b, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".sandbox-state-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(append(b, '\n'))
	serr := f.Sync()
	cerr := f.Close()
	for _, e := range []error{werr, serr, cerr} {
		if e != nil {
			os.Remove(tmp)
			return e
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Effective returns a coupon's status at now: an unused coupon past its
// expiry is expired.
func (c *Coupon) Effective(now time.Time) int {
	if c.Status == StatusUnused && c.ExpiresAt != "" {
		if t, err := time.Parse(time.RFC3339, c.ExpiresAt); err == nil && now.After(t) {
			return StatusExpired
		}
	}
	return c.Status
}

// Counts summarises the state for tests and the /state endpoint.
type Counts struct {
	Coupons  int            `json:"coupons"`
	ByStatus map[string]int `json:"byStatus"`
	// Redemptions counts the redemptions in force; Reversals those undone.
	Redemptions int `json:"redemptions"`
	Reversals   int `json:"reversals"`
	// RedeemedTwice lists coupons with more than one redemption in force
	// (must be empty).
	RedeemedTwice []string `json:"redeemedTwice"`
	// Inconsistent lists coupons whose status disagrees with the redemption
	// log (verified without a redemption, or redeemed but not verified).
	Inconsistent []string `json:"inconsistent"`
	Verifies     int      `json:"verifies"`
	Sends        int      `json:"sends"`
	Consumes     int      `json:"consumes"`
}

// Count computes Counts.
func (st *State) Count() Counts {
	c := Counts{Coupons: len(st.Coupons), ByStatus: map[string]int{},
		RedeemedTwice: []string{}, Inconsistent: []string{},
		Verifies: len(st.Verifies), Sends: len(st.Sends), Consumes: len(st.Consumes)}
	per := map[string]int{}
	for _, r := range st.Redemptions {
		if r.Reversed {
			c.Reversals++
			continue
		}
		c.Redemptions++
		per[r.CouponID]++
	}
	for id, n := range per {
		if n > 1 {
			c.RedeemedTwice = append(c.RedeemedTwice, id)
		}
	}
	for id, cp := range st.Coupons {
		c.ByStatus[strconv.Itoa(cp.Status)]++
		redeemed := per[id] > 0
		if redeemed != (cp.VerifiedBy != "") || (redeemed && cp.Status != StatusVerified) {
			c.Inconsistent = append(c.Inconsistent, id)
		}
	}
	sort.Strings(c.RedeemedTwice)
	sort.Strings(c.Inconsistent)
	return c
}
