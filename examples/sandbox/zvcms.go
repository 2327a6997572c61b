package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/core/discount"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/shopspring/decimal"
	"github.com/tidwall/gjson"
)

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
	return s.zServe(body, zvcms.ParseRequest, "")
}

// zvcmsV3 handles one request to the v3 redemption path: the same
// verification as communal.user.coupons-vertify, in the v3 envelope.
func (s *Server) zvcmsV3(body []byte) []byte {
	return s.zServe(body, zvcms.ParseRequestV3, zvcms.ActionVerifyCoupons)
}

// zServe checks a request as the vendor does (OpenId, Token, Timestamp
// window) and runs the action's handler: the envelope's Action, or action
// when the path names it.
func (s *Server) zServe(body []byte, parse func([]byte) (*zvcms.Envelope, error), action string) []byte {
	env, err := parse(body)
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
	if action == "" {
		action = env.Action
	}
	handle := map[string]func([]byte) []byte{
		zvcms.ActionVerifyCoupons: s.zVerify, zvcms.ActionCouponDiscount: s.zDiscount, zvcms.ActionCouponStatus: s.zStatus,
		zvcms.ActionOffCoupon: s.zOffCoupon, zvcms.ActionCouponDetail: s.zDetail, zvcms.ActionConsume: s.zConsume,
		s.cfg.ReversalAction: s.zReverse,
	}[action]
	if handle != nil {
		return handle(params)
	}
	return zSystem("10004", "接口方法不存在: "+action)
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
	return zLocked(s, params, zvcms.ParseVerifyParams, func(p *zvcms.VerifyParams) []byte {
		fp := "type=" + strconv.Itoa(p.Type) + "&customer=" + p.CustomerID + "&coupons=" + strings.Join(p.CouponsCardList, ",")
		if rep := s.zReplay(p.BizID, fp, "核销成功"); rep != nil {
			return rep
		}
		coupons, pr := s.takeCoupons(p.CouponsCardList, p.Type == zvcms.TypeScanCode, p.CustomerID)
		if pr != nil {
			return zBusiness(*pr)
		}
		op := ZOp{Action: zvcms.ActionVerifyCoupons, SentBizID: p.BizID, CustomerID: coupons[0].CustomerID}
		return s.zCommit(op, fp, coupons, int64(p.Amount.Fen), "核销成功", func(returned string, ids []string) interface{} {
			return struct {
				BizID      string    `json:"bizId"`
				CardIDList string    `json:"cardIdList"`
				UserInfo   zUserInfo `json:"userInfo"`
			}{returned, "[" + strings.Join(ids, ",") + "]", userInfoOf(s.member(op.CustomerID))}
		})
	})
}

// zLocked parses a request's params with parse (40001 naming the field when
// they are refused) and runs handle on them holding s.mu.
func zLocked[P any](s *Server, params []byte, parse func([]byte) (*P, error), handle func(p *P) []byte) []byte {
	p, err := parse(params)
	if err != nil {
		return zInvalid(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return handle(p)
}

// zCommit redeems the coupons of a verify or consume (checked already),
// records the operation under the bizId sent (for replays) and the one
// returned (for the reversal), saves, and replies with data (the caller
// holds s.mu).
func (s *Server) zCommit(op ZOp, fp string, coupons []*Coupon, amount int64, message string, data func(returned string, ids []string) interface{}) []byte {
	op.Coupons = make([]string, len(coupons))
	for i, c := range coupons {
		s.redeem(c, op.SentBizID, "zvcms", amount)
		op.Coupons[i] = c.ID
	}
	returned := s.replyBizID(op.SentBizID)
	raw := marshal(data(returned, op.Coupons))
	s.st.Verifies[op.SentBizID] = &Record{Fingerprint: fp, Data: raw}
	s.st.ZOps[returned] = &op
	if err := s.save(); err != nil {
		return zSystem("50000", "系统繁忙, 请稍后重试")
	}
	return zReply(true, true, "0", message, json.RawMessage(raw))
}

// zReplay answers a verify or consume whose bizId was seen before: the
// original reply for the same request, 40015 for another one, 40024 when it
// was reversed since. nil: the bizId is new (the caller holds s.mu).
func (s *Server) zReplay(bizID, fp, message string) []byte {
	rec := s.st.Verifies[bizID]
	if rec == nil {
		return nil
	}
	if rec.Fingerprint != fp {
		return zBusiness(errBizIDReused)
	}
	if op := s.st.ZOps[gjson.GetBytes(rec.Data, "bizId").Str]; op != nil && op.Reversed {
		return zBusiness(errBizIDReversed)
	}
	return zReply(true, true, "0", message, json.RawMessage(rec.Data))
}

// replyBizID is the bizId a reply returns for the one sent (the caller
// holds s.mu): the same, or the sandbox's own with -reply-bizid own.
func (s *Server) replyBizID(sent string) string {
	if s.cfg.ReplyBizID != ReplyBizIDOwn {
		return sent
	}
	return fmt.Sprintf("7%017d", s.nextSeq())
}

// takeCoupons finds the coupons of a verify or consume and checks that each
// can be used by customer, all or none (the caller holds s.mu).
func (s *Server) takeCoupons(list []string, byCode bool, customer string) ([]*Coupon, *problem) {
	coupons := make([]*Coupon, 0, len(list))
	seen := map[string]bool{}
	for _, id := range list {
		c := s.find(id, byCode)
		if c == nil {
			return nil, &errNotFound
		}
		if seen[c.ID] {
			return nil, &problem{"40001", "参数错误: couponsCardList 重复的优惠券 " + id}
		}
		seen[c.ID] = true
		if pr := s.usable(c, customer); pr != nil {
			return nil, pr
		}
		coupons = append(coupons, c)
	}
	return coupons, nil
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
