package main

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/zvcms"
)

// zTime formats an RFC 3339 time of the state as the vendor's
// "2006-01-02 15:04:05" (China time); "" stays "".
func zTime(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return ""
	}
	return t.In(allinpay.ChinaZone).Format("2006-01-02 15:04:05")
}

// zUnix formats an RFC 3339 time of the state as Unix seconds; "" stays "".
func zUnix(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return ""
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// zCouponStatus is one coupon of a user.coupon-new-status reply: the
// members of the vendor's table, every value a string.
type zCouponStatus struct {
	BeginAt    string `json:"beginAt"`
	CardID     string `json:"cardId"`
	Channel    string `json:"channel"`
	CouponID   string `json:"couponId"`
	CouponType string `json:"couponType"`
	CreatedAt  string `json:"createdAt"`
	CustomerID string `json:"customerId"`
	Title      string `json:"title"`
	UpdatedAt  string `json:"updatedAt"`
	UseStatus  string `json:"useStatus"`
	TemplateID string `json:"templateId"`
	EndAt      string `json:"endAt"`
	Extra      string `json:"extra"`
}

func (s *Server) couponStatusOf(c *Coupon) zCouponStatus {
	title := ""
	if t := s.templates[c.TemplateID]; t != nil {
		title = t.Name
	}
	updated := c.VerifiedAt
	if updated == "" {
		updated = c.IssuedAt
	}
	return zCouponStatus{BeginAt: zTime(c.IssuedAt), CardID: c.ID, Channel: s.seed.Allinpay.ShopName, CouponID: c.TemplateID,
		CouponType: "0", CreatedAt: zTime(c.IssuedAt), CustomerID: c.CustomerID, Title: title, UpdatedAt: zTime(updated),
		UseStatus: strconv.Itoa(c.Effective(s.cfg.Now())), TemplateID: c.TemplateID, EndAt: zTime(c.ExpiresAt)}
}

// zStatus: user.coupon-new-status with the vendor's params customerId,
// cardId and useStatus. With cardId, data is that coupon (40004 when it is
// not the customer's or not in the useStatus asked); without, data is the
// list of the customer's coupons (in that state), by id.
func (s *Server) zStatus(params []byte) []byte {
	return zLocked(s, params, zvcms.ParseCouponStatusParams, s.zStatusOf)
}

func (s *Server) zStatusOf(p *zvcms.CouponStatusParams) []byte {
	match := func(c *Coupon) bool {
		return c.CustomerID == p.CustomerID && (!p.UseStatus.Valid || int64(c.Effective(s.cfg.Now())) == p.UseStatus.Int)
	}
	if p.CardID != "" {
		c := s.st.Coupons[p.CardID]
		if c == nil || !match(c) {
			return zBusiness(errNotFound)
		}
		return zReply(true, true, "0", "查询成功", s.couponStatusOf(c))
	}
	list := []zCouponStatus{}
	for _, c := range s.st.Coupons {
		if match(c) {
			list = append(list, s.couponStatusOf(c))
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].CardID < list[j].CardID })
	return zReply(true, true, "0", "查询成功", list)
}

// zOffCoupon: coupon.off-coupon, the coupon a redemption code names, with
// the members of the vendor's table (status 0 unused, 1 used, 2 locked: a
// frozen coupon is locked; an expired one stays 0 with end_at past) and
// number_of_user, past the cut of the stored page. A deleted coupon is
// 40004.
func (s *Server) zOffCoupon(params []byte) []byte {
	return zLocked(s, params, zvcms.ParseOffCouponParams, s.zOffCouponOf)
}

func (s *Server) zOffCouponOf(p *zvcms.OffCouponParams) []byte {
	c := s.find(p.Code, true)
	if c == nil || c.Status == StatusDeleted {
		return zBusiness(errNotFound)
	}
	t := s.templates[c.TemplateID]
	if t == nil {
		return zBusiness(errNotFound)
	}
	status, lock := "0", "1"
	switch c.Status {
	case StatusVerified:
		status = "1"
	case StatusFrozen:
		status, lock = "2", "2"
	}
	verifier := ""
	if c.VerifiedBy != "" {
		verifier = "sandbox"
	}
	number, used := 0, 0
	for _, o := range s.st.Coupons {
		if o.TemplateID == c.TemplateID {
			number++
			if o.Status == StatusVerified {
				used++
			}
		}
	}
	amount, ctype := faceValue(t)
	minUse := "0"
	if t.Threshold != "" {
		minUse = t.Threshold
	}
	goodsRange := "0"
	switch {
	case len(t.Include) > 0:
		goodsRange = "2"
	case len(t.Exclude) > 0:
		goodsRange = "3"
	}
	type rules struct {
		ID             string `json:"id"`
		Title          string `json:"title"`
		Amount         string `json:"amount"`
		CouponType     string `json:"coupon_type"`
		MinAmountUse   string `json:"min_amount_use"`
		GoodsRangeType string `json:"goods_range_type"`
		ExpireType     string `json:"expire_type"`
		Desc           string `json:"desc"`
		ShopRangeType  string `json:"shop_range_type"`
		Total          string `json:"total"`
		Number         string `json:"number"`
		Used           string `json:"used"`
		NumberOfUser   string `json:"number_of_user"`
	}
	return zReply(true, true, "0", "查询成功", struct {
		ID                string `json:"id"`
		UserID            string `json:"user_id"`
		CouponID          string `json:"coupon_id"`
		StartAt           string `json:"start_at"`
		EndAt             string `json:"end_at"`
		Status            string `json:"status"`
		TypeID            string `json:"type_id"`
		VerifyCode        string `json:"verify_code"`
		VerifyCodeBarcode string `json:"verify_code_barcode"`
		VerifyCodeQrcode  string `json:"verify_code_qrcode"`
		VerifierName      string `json:"verifier_name"`
		CreatedAt         string `json:"created_at"`
		IsLock            string `json:"is_lock"`
		Coupon            rules  `json:"coupon"`
	}{c.ID, c.CustomerID, c.TemplateID, zUnix(c.IssuedAt), zUnix(c.ExpiresAt), status, "0", c.Code, c.Code, c.Code,
		verifier, zUnix(c.IssuedAt), lock,
		rules{t.ID, t.Name, amount, ctype, minUse, goodsRange, "1", t.Instruction, "0", "0", strconv.Itoa(number), strconv.Itoa(used), "0"}})
}

// zDetail: communal.coupon.coupon-detail. userCouponCode is the user coupon
// id (or its redemption code). Data: the members of the vendor's table as
// far as the stored page goes, and templateId and useStatus (named as in
// user.coupon-new-status) past its cut.
func (s *Server) zDetail(params []byte) []byte {
	return zLocked(s, params, zvcms.ParseCouponDetailParams, s.zDetailOf)
}

func (s *Server) zDetailOf(p *zvcms.CouponDetailParams) []byte {
	c := s.find(p.UserCouponCode, false)
	if c == nil {
		c = s.find(p.UserCouponCode, true)
	}
	if c == nil {
		return zBusiness(errNotFound)
	}
	m := s.member(c.CustomerID)
	if m == nil {
		m = &Member{}
	}
	shop := s.seed.Allinpay
	return zReply(true, true, "0", "查询成功", struct {
		ActivityID           string `json:"activityId"`
		ActivityName         string `json:"activityName"`
		ActivityType         string `json:"activityType"`
		ApplySellerID        string `json:"applySellerId"`
		ApplySellerName      string `json:"applySellerName"`
		Channel              string `json:"channel"`
		CreateScene          string `json:"createScene"`
		CreatedAt            string `json:"createdAt"`
		CustomerID           string `json:"customerId"`
		CustomerName         string `json:"customerName"`
		CustomerPhone        string `json:"customerPhone"`
		GainChannel          string `json:"gainChannel"`
		GainStoreID          string `json:"gainStoreId"`
		GainTime             string `json:"gainTime"`
		GiveState            string `json:"giveState"`
		ID                   string `json:"id"`
		IsBelongCompanyStaff string `json:"isBelongCompanyStaff"`
		IsFixedTimeScope     string `json:"isFixedTimeScope"`
		OrderAmount          string `json:"orderAmount"`
		OriginalTemplateID   string `json:"originalTemplateId"`
		RetrieveCoupon       string `json:"retrieveCoupon"`
		RetrieveReason       string `json:"retrieveReason"`
		RetrieveTime         string `json:"retrieveTime"`
		RetrieveUserCode     string `json:"retrieveUserCode"`
		SellerID             string `json:"sellerId"`
		SellerName           string `json:"sellerName"`
		TemplateID           string `json:"templateId"`
		UseStatus            string `json:"useStatus"`
	}{"", "", "2", shop.ShopID, shop.ShopName, "", "沙箱发券", zTime(c.IssuedAt), c.CustomerID, m.Username, m.Phone,
		"5", shop.ShopID, zTime(c.IssuedAt), "0", c.ID, "0", "0", "", "", "", "", "", "", shop.ShopID, shop.ShopName,
		c.TemplateID, strconv.Itoa(c.Effective(s.cfg.Now()))})
}

// zConsume: communal.user.consume. The coupons, the balance (amount) and the
// points are taken together or not at all, once per bizId (a repeat returns
// the original reply). Deducting balance checks the member's payment
// password when it has one.
func (s *Server) zConsume(params []byte) []byte {
	return zLocked(s, params, zvcms.ParseConsumeParams, s.zConsumeOf)
}

func (s *Server) zConsumeOf(p *zvcms.ConsumeParams) []byte {
	fp := "consume:type=" + strconv.Itoa(p.Type) + "&customer=" + p.CustomerID + "&coupons=" + strings.Join(p.CouponsCardList, ",") +
		"&amount=" + p.Amount.String() + "&points=" + strconv.Itoa(p.Points)
	if rep := s.zReplay(p.BizID, fp, "消费成功"); rep != nil {
		return rep
	}
	coupons, pr := s.takeCoupons(p.CouponsCardList, p.Type == zvcms.TypeScanCode, p.CustomerID)
	if pr != nil {
		return zBusiness(*pr)
	}
	customer := p.CustomerID
	if customer == "" && len(coupons) > 0 {
		customer = coupons[0].CustomerID
	}
	m := s.member(customer)
	var balance money.Fen
	if p.Amount.Fen > 0 || p.Points > 0 {
		if m == nil {
			return zBusiness(errNoMemberBalance)
		}
		if p.Amount.Fen > 0 {
			if m.PayPassword != "" && p.PayPassword != m.PayPassword {
				return zBusiness(errPayPassword)
			}
			if m.Balance != "" {
				var err error
				if balance, err = money.ParseYuan("balance", m.Balance, money.Exact); err != nil {
					return zSystem("50001", "会员余额配置错误")
				}
			}
			if balance < p.Amount.Fen {
				return zBusiness(errBalance)
			}
		}
		if m.Points < int64(p.Points) {
			return zBusiness(errPoints)
		}
		if p.Amount.Fen > 0 { // every check passed: take balance and points
			m.Balance = (balance - p.Amount.Fen).Yuan()
		}
		m.Points -= int64(p.Points)
	}
	op := ZOp{Action: zvcms.ActionConsume, SentBizID: p.BizID, CustomerID: customer, BalanceFen: int64(p.Amount.Fen), Points: int64(p.Points)}
	return s.zCommit(op, fp, coupons, 0, "消费成功", func(returned string, ids []string) interface{} {
		return struct {
			BizID           string   `json:"bizId"`
			CouponsCardList []string `json:"couponsCardList"`
		}{returned, ids}
	})
}

// zReverse: the reversal (冲正) of a verify or consume, under the Action of
// -reversal-action. Params: bizId, the one the verify's or consume's reply
// returned; couponsCardList, optional, the same coupons; any other member
// is accepted and ignored. It returns the coupons to unused (useStatus 0)
// and the balance and points to the member, exactly once per bizId:
// 40020 unknown bizId, 40021 reversed already, 40022 the bizId the request
// sent where the reply returned another, 40023 other coupons.
func (s *Server) zReverse(params []byte) []byte {
	return zLocked(s, params, zvcms.ParseReverseParams, s.zReverseOf)
}

func (s *Server) zReverseOf(p *zvcms.ReverseParams) []byte {
	op := s.st.ZOps[p.BizID]
	if op == nil {
		if s.st.Verifies[p.BizID] != nil {
			return zBusiness(errReverseSentBiz)
		}
		return zBusiness(errReverseUnknown)
	}
	if op.Reversed {
		return zBusiness(errReversedTwice)
	}
	if len(p.CouponsCardList) > 0 {
		want := append([]string(nil), op.Coupons...)
		got := append([]string(nil), p.CouponsCardList...)
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, ",") != strings.Join(got, ",") {
			return zBusiness(errReverseCoupons)
		}
	}
	for _, id := range op.Coupons {
		if c := s.st.Coupons[id]; c != nil && c.VerifiedBy == op.SentBizID {
			s.unredeem(c, op.SentBizID)
		}
	}
	if m := s.member(op.CustomerID); m != nil && (op.BalanceFen > 0 || op.Points > 0) {
		balance, _ := money.ParseYuan("balance", m.Balance, money.Exact)
		if m.Balance == "" {
			balance = 0
		}
		m.Balance = (balance + money.Fen(op.BalanceFen)).Yuan()
		m.Points += op.Points
	}
	op.Reversed, op.ReversedAt = true, s.cfg.Now().In(allinpay.ChinaZone).Format(time.RFC3339)
	if err := s.save(); err != nil {
		return zSystem("50000", "系统繁忙, 请稍后重试")
	}
	return zReply(true, true, "0", "冲正成功", struct {
		BizID      string `json:"bizId"`
		CardIDList string `json:"cardIdList"`
	}{p.BizID, "[" + strings.Join(op.Coupons, ",") + "]"})
}
