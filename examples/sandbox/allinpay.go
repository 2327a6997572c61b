package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/money"
)

// Allinpay method names the gateway serves.
const (
	MethodCouponQuery     = "allinpay.shopoint.couponService.couponQuery"
	MethodCouponConsumeV1 = "allinpay.shopoint.couponService.couponConsumeV1"
)

// aReply is a gateway reply before signing.
type aReply struct {
	Code    int         `json:"code"`
	Msg     string      `json:"msg"`
	Data    interface{} `json:"data,omitempty"`
	ReqSeq  string      `json:"reqSeq,omitempty"`
	RespSeq string      `json:"respSeq,omitempty"`
}

// aUnsigned is a gateway-level rejection (bad appId, bad signature, …),
// answered unsigned as gateways do.
func aUnsigned(code int, msg string) []byte {
	return marshal(aReply{Code: code, Msg: msg})
}

// signed signs a reply with the platform key.
func (s *Server) signed(r aReply) []byte {
	b, err := allinpay.SignResponse(marshal(r), s.platformPriv, s.signType, s.seed.Allinpay.SignerID, s.verifyMode)
	if err != nil {
		return aUnsigned(9999, "系统错误: 签名失败")
	}
	return b
}

// aFail is a signed business failure (code 3, the reason in msg).
func (s *Server) aFail(seq, msg string) []byte {
	return s.signed(aReply{Code: 3, Msg: msg, ReqSeq: seq, RespSeq: "SBX" + seq})
}

// aOK is a signed success.
func (s *Server) aOK(seq string, data interface{}) []byte {
	return s.signed(aReply{Code: 0, Msg: "成功", Data: data, ReqSeq: seq, RespSeq: "SBX" + seq})
}

// allinpay handles one gateway request body.
func (s *Server) allinpay(body []byte) []byte {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return aUnsigned(1000, "请求格式错误")
	}
	if form.Get("appId") != s.seed.Allinpay.AppID {
		return aUnsigned(1002, "appId不存在")
	}
	if err := allinpay.VerifyRequest(form, s.merchantPub, s.signType, s.seed.Allinpay.SignerID); err != nil {
		return aUnsigned(1001, "验签失败")
	}
	at, err := time.ParseInLocation(allinpay.TimestampLayout, form.Get("timestamp"), allinpay.ChinaZone)
	if d := s.cfg.Now().Sub(at); err != nil || d > 10*time.Minute || d < -10*time.Minute {
		return aUnsigned(1005, "timestamp无效或超出允许范围")
	}
	biz := []byte(form.Get("bizContent"))
	if !json.Valid(biz) {
		return aUnsigned(1000, "bizContent不是合法的JSON")
	}
	seq := strconv.FormatInt(at.UnixNano()%1e9, 10)
	switch form.Get("method") {
	case allinpay.MethodCouponSend:
		return s.aCouponSend(seq, biz)
	case MethodCouponQuery:
		return s.aCouponQuery(seq, biz)
	case MethodCouponConsumeV1:
		return s.aConsume(seq, biz)
	}
	return aUnsigned(1003, "method不存在: "+form.Get("method"))
}

// javaDateTime is a time as the gateway's Java LocalDateTime list.
func javaDateTime(t time.Time) []int {
	t = t.In(allinpay.ChinaZone)
	return []int{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second()}
}

// tranNo is a 20-digit transaction number.
func tranNo(seq int64) string { return fmt.Sprintf("5080%016d", seq) }

// findMember resolves an Allinpay member account (idType: 1 phone, 2 card
// number, 3 openid, 5 external id = customerId). An unknown openid creates a
// member, as the vendor documents. The caller holds s.mu.
func (s *Server) findMember(idType, id string) *Member {
	for i := range s.st.Members {
		m := &s.st.Members[i]
		switch {
		case idType == "1" && m.Phone == id, idType == "2" && m.CardNo == id,
			idType == "3" && m.OpenID == id, idType == "5" && m.CustomerID == id:
			return m
		}
	}
	if idType == "3" {
		base, _ := strconv.ParseInt(s.seed.IDBase, 10, 64)
		s.st.Members = append(s.st.Members, Member{CustomerID: strconv.FormatInt(base+500000+s.nextSeq(), 10), OpenID: id})
		return &s.st.Members[len(s.st.Members)-1]
	}
	return nil
}

// aCouponSend issues num coupons of a template, once per orderId.
func (s *Server) aCouponSend(seq string, biz []byte) []byte {
	var p allinpay.CouponSendParams
	if err := json.Unmarshal(biz, &p); err != nil {
		return s.aFail(seq, "参数错误: bizContent 字段类型不符")
	}
	if err := p.Validate(); err != nil {
		return s.aFail(seq, "参数错误: "+err.Error())
	}
	if (p.ShopID != "" && p.ShopID != s.seed.Allinpay.ShopID) || (p.ShopID == "" && p.ShopCode != s.seed.Allinpay.ShopCode) {
		return s.aFail(seq, "店铺不存在")
	}
	t := s.templates[p.CouponTemplateID]
	if t == nil {
		return s.aFail(seq, "券模板不存在")
	}
	num, _ := strconv.Atoi(p.Num)
	if num > 100 {
		return s.aFail(seq, "单次发券数量不能超过100")
	}
	fp := strings.Join([]string{p.CouponTemplateID, p.Num, p.CouponType, p.IDType, p.MemberID}, "|")
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.st.Sends[p.OrderID]; rec != nil {
		if rec.Fingerprint != fp {
			return s.aFail(seq, "外部发券订单号重复")
		}
		return s.aOK(seq, rec.Data)
	}
	customer := ""
	if p.IDType != "" {
		m := s.findMember(p.IDType, p.MemberID)
		if m == nil {
			return s.aFail(seq, "会员不存在")
		}
		customer = m.CustomerID
	}
	type item struct {
		TemplateID    int64   `json:"templateId"`
		CouponName    string  `json:"couponName"`
		CouponNo      *string `json:"couponNo"`
		QRCodeContext *string `json:"qrCodeContext"`
	}
	tid, _ := strconv.ParseInt(t.ID, 10, 64)
	items := make([]item, 0, num)
	for i := 0; i < num; i++ {
		c := s.issue(t, customer, p.OrderID)
		no, qr := c.ID, "https://sandbox.couponkit.invalid/qr?code="+c.Code
		it := item{TemplateID: tid, CouponName: t.Name, CouponNo: &no}
		if p.CouponType == "1" {
			it.QRCodeContext = &qr
		}
		items = append(items, it)
	}
	shop := s.seed.Allinpay.ShopName
	data := marshal(struct {
		TranNo       string  `json:"tranNo"`
		ShopName     *string `json:"shopName"`
		TranDateTime []int   `json:"tranDateTime"`
		Instruction  string  `json:"instruction,omitempty"`
		List         []item  `json:"list"`
	}{tranNo(s.nextSeq()), &shop, javaDateTime(s.cfg.Now()), t.Instruction, items})
	s.st.Sends[p.OrderID] = &Record{Fingerprint: fp, Data: data}
	if err := s.save(); err != nil {
		return aUnsigned(9999, "系统繁忙")
	}
	return s.aOK(seq, json.RawMessage(data))
}

// aCouponQuery reports one coupon by couponNo.
func (s *Server) aCouponQuery(seq string, biz []byte) []byte {
	var p struct {
		CouponNo string `json:"couponNo"`
	}
	if json.Unmarshal(biz, &p) != nil || p.CouponNo == "" {
		return s.aFail(seq, "参数错误: couponNo 必填")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.Coupons[p.CouponNo]
	if c == nil {
		return s.aFail(seq, "券不存在")
	}
	t := s.templates[c.TemplateID]
	tid, _ := strconv.ParseInt(c.TemplateID, 10, 64)
	face, _ := faceValue(t)
	return s.aOK(seq, struct {
		CouponNo   string `json:"couponNo"`
		TemplateID int64  `json:"templateId"`
		CouponName string `json:"couponName"`
		Kind       string `json:"couponKind"`
		FaceValue  string `json:"faceValue"`
		Status     int    `json:"status"`
		MemberID   string `json:"memberId"`
		ValidStart string `json:"validStartDate"`
		ValidEnd   string `json:"validEndDate"`
		UsedTime   string `json:"usedTime,omitempty"`
	}{c.ID, tid, t.Name, t.Kind, face, c.Effective(s.cfg.Now()), c.CustomerID, chinaText(c.IssuedAt), chinaText(c.ExpiresAt), chinaText(c.VerifiedAt)})
}

// chinaText reformats an RFC 3339 time as yyyy-MM-dd HH:mm:ss in UTC+8.
func chinaText(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return ""
	}
	return allinpay.FormatTimestamp(t)
}

// aConsume redeems coupons (couponConsumeV1), all or none, once per orderId.
func (s *Server) aConsume(seq string, biz []byte) []byte {
	var p struct {
		OrderID string `json:"orderId"`
		List    []struct {
			CouponNo      string `json:"couponNo"`
			ConsumeAmount string `json:"consumeAmount"`
		} `json:"couponConsumeList"`
	}
	if json.Unmarshal(biz, &p) != nil || p.OrderID == "" || len(p.List) == 0 {
		return s.aFail(seq, "参数错误: orderId 与 couponConsumeList 必填")
	}
	parts := make([]string, len(p.List))
	amounts := make([]money.Fen, len(p.List))
	for i, e := range p.List {
		if e.ConsumeAmount != "" {
			f, err := money.ParseYuan("couponConsumeList["+strconv.Itoa(i)+"].consumeAmount", e.ConsumeAmount, money.Exact)
			if err != nil {
				return s.aFail(seq, "参数错误: "+err.Error())
			}
			amounts[i] = f
		}
		parts[i] = e.CouponNo + ":" + amounts[i].String()
	}
	fp := strings.Join(parts, ",")
	key := "allinpay:" + p.OrderID
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.st.Consumes[p.OrderID]; rec != nil {
		if rec.Fingerprint != fp {
			return s.aFail(seq, "外部订单号重复")
		}
		return s.aOK(seq, rec.Data)
	}
	cs := make([]*Coupon, len(p.List))
	for i, e := range p.List {
		c := s.st.Coupons[e.CouponNo]
		if c == nil {
			return s.aFail(seq, "券不存在: "+e.CouponNo)
		}
		for j := 0; j < i; j++ {
			if cs[j] == c {
				return s.aFail(seq, "参数错误: 重复的券号 "+e.CouponNo)
			}
		}
		if pr := s.usable(c, ""); pr != nil {
			return s.aFail(seq, pr.msg+": "+e.CouponNo)
		}
		cs[i] = c
	}
	type item struct {
		CouponNo      string `json:"couponNo"`
		ConsumeAmount string `json:"consumeAmount"`
		Status        int    `json:"status"`
	}
	items := make([]item, len(cs))
	for i, c := range cs {
		s.redeem(c, key, "allinpay", int64(amounts[i]))
		items[i] = item{c.ID, amounts[i].Yuan(), StatusVerified}
	}
	data := marshal(struct {
		TranNo       string `json:"tranNo"`
		TranDateTime []int  `json:"tranDateTime"`
		List         []item `json:"list"`
	}{tranNo(s.nextSeq()), javaDateTime(s.cfg.Now()), items})
	s.st.Consumes[p.OrderID] = &Record{Fingerprint: fp, Data: data}
	if err := s.save(); err != nil {
		return aUnsigned(9999, "系统繁忙")
	}
	return s.aOK(seq, json.RawMessage(data))
}
