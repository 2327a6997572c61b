package main

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/core/discount"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/shopspring/decimal"
	"github.com/tidwall/gjson"
)

// ActionCouponStatus is the zvcms action that reports a user coupon's status.
const ActionCouponStatus = "user.coupon-new-status"

// zReply renders a zvcms reply. A success uses the seed's success shape
// (status "true" as a string); errors use the seed's error shape (status a
// JSON boolean, no data).
func zReply(ok bool, status bool, code, message string, data interface{}) []byte {
	if ok {
		return marshal(struct {
			Status  string      `json:"status"`
			Code    string      `json:"code"`
			Message string      `json:"message"`
			Data    interface{} `json:"data"`
		}{"true", code, message, data})
	}
	return marshal(struct {
		Status  bool   `json:"status"`
		Code    string `json:"code"`
		Message string `json:"message"`
	}{status, code, message})
}

// zBusiness is a business error (status true, code ≠ 0).
func zBusiness(p problem) []byte { return zReply(false, true, p.code, p.msg, nil) }

// zSystem is a system error (status false).
func zSystem(code, msg string) []byte { return zReply(false, false, code, msg, nil) }

// zInvalid is a parameter error naming the field.
func zInvalid(err error) []byte {
	var e *errs.Error
	msg := err.Error()
	if errors.As(err, &e) {
		msg = e.Field + " " + e.Message
	}
	return zBusiness(problem{"40001", "参数错误: " + strings.TrimSpace(msg)})
}

// zvcms handles one zvcms v2 request body.
func (s *Server) zvcms(body []byte) []byte {
	env, err := zvcms.ParseRequest(body)
	if err != nil {
		return zSystem("10000", "请求格式错误")
	}
	if env.OpenID != s.creds.OpenID {
		return zSystem("10001", "OpenId 无效")
	}
	if err := zvcms.CheckToken(s.creds, env, s.keyStyle); err != nil {
		return zSystem("10002", "签名错误")
	}
	ts, err := strconv.ParseInt(env.Timestamp, 10, 64)
	if d := s.cfg.Now().Unix() - ts; err != nil || d > s.seed.Zvcms.TimestampWindow || -d > s.seed.Zvcms.TimestampWindow {
		return zSystem("10003", "时间戳超出允许范围")
	}
	params := env.Params
	if params == nil {
		params = []byte("{}")
	}
	switch env.Action {
	case zvcms.ActionVerifyCoupons:
		return s.zVerify(params)
	case zvcms.ActionCouponDiscount:
		return s.zDiscount(params)
	case ActionCouponStatus:
		return s.zStatus(params)
	}
	return zSystem("10004", "接口方法不存在: "+env.Action)
}

// zUserInfo is the verify reply's userInfo: every field a string.
type zUserInfo struct {
	CustomerID string `json:"customer_id"`
	Birthday   string `json:"birthday"`
	Username   string `json:"username"`
	Nickname   string `json:"nickname"`
	Phone      string `json:"phone"`
	Gender     string `json:"gender"`
	Province   string `json:"province"`
	City       string `json:"city"`
	District   string `json:"district"`
}

func userInfoOf(m *Member) zUserInfo {
	if m == nil {
		return zUserInfo{}
	}
	return zUserInfo{m.CustomerID, m.Birthday, m.Username, m.Nickname, m.Phone, m.Gender, m.Province, m.City, m.District}
}

// zVerify: communal.user.coupons-vertify. All coupons or none are verified;
// a replayed bizId with the same coupons returns the original reply.
func (s *Server) zVerify(params []byte) []byte {
	p, err := zvcms.ParseVerifyParams(params)
	if err != nil {
		return zInvalid(err)
	}
	byCode := p.Type == zvcms.TypeScanCode
	fp := "type=" + strconv.Itoa(p.Type) + "&customer=" + p.CustomerID + "&coupons=" + strings.Join(p.CouponsCardList, ",")
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.st.Verifies[p.BizID]; rec != nil {
		if rec.Fingerprint != fp {
			return zBusiness(errBizIDReused)
		}
		return zReply(true, true, "0", "核销成功", rec.Data)
	}
	coupons := make([]*Coupon, 0, len(p.CouponsCardList))
	seen := map[string]bool{}
	for _, id := range p.CouponsCardList {
		c := s.find(id, byCode)
		if c == nil {
			return zBusiness(errNotFound)
		}
		if seen[c.ID] {
			return zBusiness(problem{"40001", "参数错误: couponsCardList 重复的优惠券 " + id})
		}
		seen[c.ID] = true
		if pr := s.usable(c, p.CustomerID); pr != nil {
			return zBusiness(*pr)
		}
		coupons = append(coupons, c)
	}
	ids := make([]string, len(coupons))
	for i, c := range coupons {
		s.redeem(c, p.BizID, "zvcms", int64(p.Amount.Fen))
		ids[i] = c.ID
	}
	data := marshal(struct {
		BizID      string    `json:"bizId"`
		CardIDList string    `json:"cardIdList"`
		UserInfo   zUserInfo `json:"userInfo"`
	}{p.BizID, "[" + strings.Join(ids, ",") + "]", userInfoOf(s.member(coupons[0].CustomerID))})
	s.st.Verifies[p.BizID] = &Record{Fingerprint: fp, Data: data}
	if err := s.save(); err != nil {
		return zSystem("50000", "系统繁忙, 请稍后重试")
	}
	return zReply(true, true, "0", "核销成功", json.RawMessage(data))
}

// lookup finds the coupon a discount or status request names: the scanned
// code when type is 1, else user_coupon_id, else coupon_code.
func (s *Server) lookup(userCouponID, couponCode string, typ int) *Coupon {
	switch {
	case typ == zvcms.TypeScanCode:
		return s.find(userCouponID, true)
	case userCouponID != "":
		return s.find(userCouponID, false)
	case couponCode != "":
		return s.find(couponCode, true)
	}
	return nil
}

// couponOf returns the discount engine's coupon for a template.
func couponOf(t *Template) (discount.Coupon, error) {
	return discount.CouponInput{ID: t.ID, Kind: t.Kind, Value: t.Value, Rate: t.Rate,
		Threshold: t.Threshold, Cap: t.Cap, Include: t.Include, Exclude: t.Exclude}.Parse("template")
}

// faceValue is the reply's amount: a fixed coupon's value in yuan, a rate
// coupon's rate as printed.
func faceValue(t *Template) (string, string) {
	if t.Kind == "rate" {
		return t.Rate, "1"
	}
	f, err := money.ParseYuan("value", t.Value, money.Exact)
	if err != nil {
		return t.Value, "0"
	}
	return f.Yuan(), "0"
}

// zDiscount: user.user-by-coupon, computed with core/discount over the
// items (price is the unit price in yuan, num the quantity).
func (s *Server) zDiscount(params []byte) []byte {
	p, err := zvcms.ParseDiscountParams(params)
	if err != nil {
		return zInvalid(err)
	}
	s.mu.Lock()
	c := s.lookup(p.UserCouponID, p.CouponCode, p.Type)
	var pr *problem
	var m *Member
	if c != nil {
		user := p.UserID
		if p.Type == zvcms.TypeScanCode {
			user = ""
		}
		pr = s.usable(c, user)
		m = s.member(c.CustomerID)
	}
	var cp Coupon
	if c != nil {
		cp = *c
	}
	s.mu.Unlock()
	switch {
	case c == nil:
		return zBusiness(errNotFound)
	case pr != nil:
		return zBusiness(*pr)
	case p.CouponID != "" && p.CouponID != cp.TemplateID:
		return zBusiness(problem{"40001", "参数错误: coupon_id 与优惠券不符"})
	}
	t := s.templates[cp.TemplateID]
	if t == nil {
		return zBusiness(errNotFound)
	}
	coupon, err := couponOf(t)
	if err != nil {
		return zSystem("50001", "券模板配置错误")
	}
	b := discount.Basket{Rounding: money.HalfUp}
	for i, it := range p.Items {
		price, err := money.ParseYuan("Params.items["+strconv.Itoa(i)+"].price", it.Price, money.Exact)
		if err != nil {
			return zInvalid(err)
		}
		b.Lines = append(b.Lines, discount.Line{ID: it.TradeMark, Quantity: decimal.NewFromInt(int64(it.Num)), UnitPrice: price})
	}
	res, err := discount.Quote(b, []discount.Coupon{coupon})
	if err != nil {
		return zInvalid(err)
	}
	if !res.Coupons[0].Applied {
		return zBusiness(problem{errNotUsable.code, errNotUsable.msg + ": " + string(res.Coupons[0].Reason)})
	}
	type goodsItem struct {
		TradeMark   string `json:"trade_mark"`
		CouponMinus string `json:"coupon_minus"`
	}
	type userInfo struct {
		Avatar   string `json:"avatar"`
		Birthday string `json:"birthday"`
		Gender   string `json:"gender"`
		Nickname string `json:"nickname"`
		GroupID  string `json:"groupId"`
		Phone    string `json:"phone"`
		Username string `json:"username"`
		Province string `json:"province"`
		District string `json:"district"`
		City     string `json:"city"`
	}
	var ui userInfo
	if m != nil {
		ui = userInfo{"", m.Birthday, m.Gender, m.Nickname, m.GroupID, m.Phone, m.Username, m.Province, m.District, m.City}
	}
	items := make([]goodsItem, len(res.Lines))
	for i, l := range res.Lines {
		items[i] = goodsItem{l.ID, l.Shares[0].Yuan()}
	}
	amount, ctype := faceValue(t)
	typeCate := ""
	if p.TypeCate != 0 {
		typeCate = strconv.Itoa(p.TypeCate)
	}
	d := res.Coupons[0].Discount.Yuan()
	return zReply(true, true, "0", "计算成功", struct {
		TypeCate       string      `json:"type_cate"`
		MultiMark      string      `json:"multi_mark"`
		CouponDiscount string      `json:"coupon_discount"`
		UserCouponName string      `json:"user_coupon_name"`
		UserCouponID   string      `json:"user_coupon_id"`
		FinancePayment string      `json:"finance_payment"`
		UserInfo       userInfo    `json:"userInfo"`
		Amount         string      `json:"amount"`
		CouponType     string      `json:"coupon_type"`
		GoodsItem      []goodsItem `json:"goods_item"`
	}{typeCate, p.MultiMark, d, t.Name, cp.ID, d, ui, amount, ctype, items})
}

// zStatus: user.coupon-new-status. Params: user_coupon_id (or coupon_code,
// or the scanned code with type 1) and optionally user_id.
func (s *Server) zStatus(params []byte) []byte {
	v := gjson.ParseBytes(params)
	str := func(k string) string {
		r := v.Get(k)
		if r.Type == gjson.String {
			return r.Str
		}
		return r.Raw
	}
	typ, _ := strconv.Atoi(str("type"))
	id, code, user := str("user_coupon_id"), str("coupon_code"), str("user_id")
	if id == "" && code == "" {
		return zBusiness(problem{"40001", "参数错误: Params.user_coupon_id 或 coupon_code 必填"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(id, code, typ)
	if c == nil || (user != "" && c.CustomerID != "" && user != c.CustomerID) {
		return zBusiness(errNotFound)
	}
	name := ""
	if t := s.templates[c.TemplateID]; t != nil {
		name = t.Name
	}
	return zReply(true, true, "0", "查询成功", struct {
		UserCouponID string `json:"user_coupon_id"`
		CouponID     string `json:"coupon_id"`
		CouponName   string `json:"coupon_name"`
		CustomerID   string `json:"customer_id"`
		UseStatus    string `json:"useStatus"`
		BizID        string `json:"bizId"`
		UseTime      string `json:"use_time"`
		ExpireTime   string `json:"expire_time"`
	}{c.ID, c.TemplateID, name, c.CustomerID, strconv.Itoa(c.Effective(s.cfg.Now())), c.VerifiedBy, c.VerifiedAt, c.ExpiresAt})
}
