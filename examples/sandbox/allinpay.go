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
	MethodCouponQuery     = allinpay.MethodCouponQuery
	MethodCouponConsumeV1 = allinpay.MethodCouponConsumeV1
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

// signed signs a reply with the platform key in the configured variant.
func (s *Server) signed(r aReply) []byte {
	b, err := allinpay.SignResponse(marshal(r), s.platformPriv, s.signType, s.seed.Allinpay.SignerID, s.replyVariant)
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
	if _, err := allinpay.VerifyRequestAs(form, s.merchantPub, s.signType, s.seed.Allinpay.SignerID, s.requestProfile); err != nil {
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

// couponKind is a template's couponType as couponQuery reports it (0 金额,
// 2 计次, 3 满减): a fixed value with a threshold, or a capped rate, is 3;
// a fixed value without threshold is 0. The sandbox has no counted coupons.
func couponKind(t *Template) int {
	if t.Kind == "fixed" && t.Threshold == "" {
		return allinpay.CouponTypeAmount
	}
	return allinpay.CouponTypeThreshold
}

// faceFen is a template's face value in fen (a rate coupon: its cap).
func faceFen(t *Template) money.Fen {
	v := t.Value
	if t.Kind == "rate" {
		v = t.Cap
	}
	f, err := money.ParseYuan("value", v, money.Exact)
	if err != nil {
		return 0
	}
	return f
}

// yuanNumber is fen as a JSON number with two decimals, as BigDecimal
// amounts come (5.00).
func yuanNumber(f money.Fen) json.Number { return json.Number(f.Yuan()) }

// aCouponQuery reports one coupon by couponNo, in the vendor's shape
// (prodoc doc-1572): templateId, couponNo, couponName, couponType,
// balance, initAmount, unit, validityType, validityBeginDate,
// validityEndDate. A redeemed, expired or deleted coupon has balance 0.
func (s *Server) aCouponQuery(seq string, biz []byte) []byte {
	var p allinpay.CouponQueryParams
	if json.Unmarshal(biz, &p) != nil || p.Validate() != nil {
		return s.aFail(seq, "参数错误: couponNo 必填")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.find(p.CouponNo, false)
	if c == nil {
		c = s.find(p.CouponNo, true) // the dynamic code
	}
	if c == nil {
		return s.aFail(seq, "券不存在")
	}
	t := s.templates[c.TemplateID]
	tid, _ := strconv.ParseInt(c.TemplateID, 10, 64)
	face, balance := faceFen(t), faceFen(t)
	if c.Effective(s.cfg.Now()) != StatusUnused {
		balance = 0
	}
	day := func(rfc string) *string {
		d := chinaText(rfc)
		if d == "" {
			return nil
		}
		d = d[:10]
		return &d
	}
	return s.aOK(seq, struct {
		TemplateID        int64       `json:"templateId"`
		CouponNo          string      `json:"couponNo"`
		CouponName        string      `json:"couponName"`
		CouponType        int         `json:"couponType"`
		Balance           json.Number `json:"balance"`
		InitAmount        json.Number `json:"initAmount"`
		Unit              *string     `json:"unit"`
		ValidityType      int         `json:"validityType"`
		ValidityBeginDate *string     `json:"validityBeginDate"`
		ValidityEndDate   *string     `json:"validityEndDate"`
	}{tid, c.ID, t.Name, couponKind(t), yuanNumber(balance), yuanNumber(face), nil, 0, day(c.IssuedAt), day(c.ExpiresAt)})
}

// chinaText reformats an RFC 3339 time as yyyy-MM-dd HH:mm:ss in UTC+8.
func chinaText(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return ""
	}
	return allinpay.FormatTimestamp(t)
}

// consumeBiz is couponConsumeV1's bizContent as the sandbox reads it (the
// amounts and stlmShopId are JSON numbers).
type consumeBiz struct {
	ShopID     string `json:"shopId"`
	ShopCode   string `json:"shopCode"`
	OperUserID string `json:"operUserId"`
	OrderID    string `json:"orderId"`
	List       []struct {
		CouponNo      string      `json:"couponNo"`
		ConsumeAmount string      `json:"consumeAmount"`
		Passwd        string      `json:"passwd"`
		Cidao         string      `json:"cidao"`
		PrincipalAmt  json.Number `json:"principalAmt"`
		Remark        string      `json:"remark"`
		StlmShopList  []struct {
			StlmShopID   json.Number `json:"stlmShopId"`
			StlmShopCode string      `json:"stlmShopCode"`
			StlmAmount   json.Number `json:"stlmAmount"`
		} `json:"stlmShopList"`
	} `json:"couponConsumeList"`
}

// params converts to the core's type, for its validation.
func (b *consumeBiz) params() allinpay.CouponConsumeParams {
	p := allinpay.CouponConsumeParams{ShopID: b.ShopID, ShopCode: b.ShopCode, OperUserID: b.OperUserID, OrderID: b.OrderID}
	for _, e := range b.List {
		it := allinpay.CouponConsumeItem{CouponNo: e.CouponNo, ConsumeAmount: e.ConsumeAmount, Passwd: e.Passwd,
			Cidao: e.Cidao, PrincipalAmt: string(e.PrincipalAmt), Remark: e.Remark}
		for _, st := range e.StlmShopList {
			it.StlmShopList = append(it.StlmShopList, allinpay.StlmShop{StlmShopID: string(st.StlmShopID),
				StlmShopCode: st.StlmShopCode, StlmAmount: string(st.StlmAmount)})
		}
		p.CouponConsumeList = append(p.CouponConsumeList, it)
	}
	return p
}

// aConsume redeems coupons (couponConsumeV1), all or none, once per orderId:
// repeating an orderId with the same coupons answers the first result, with
// other coupons 外部核券订单号重复. The reply has the vendor's shape (prodoc
// doc 2001): orgName, tranNo, couponConsumeDetail[{couponNo,
// financeList[{accountNo, accountTitle, accountPriority, accountValue}]}].
func (s *Server) aConsume(seq string, biz []byte) []byte {
	var b consumeBiz
	if err := json.Unmarshal(biz, &b); err != nil {
		return s.aFail(seq, "参数错误: bizContent 字段类型不符")
	}
	p := b.params()
	if err := p.Validate(); err != nil {
		return s.aFail(seq, "参数错误: "+err.Error())
	}
	if (p.ShopID != "" && p.ShopID != s.seed.Allinpay.ShopID) || (p.ShopID == "" && p.ShopCode != s.seed.Allinpay.ShopCode) {
		return s.aFail(seq, "店铺不存在")
	}
	parts := make([]string, len(p.CouponConsumeList))
	for i, e := range p.CouponConsumeList {
		parts[i] = e.CouponNo + ":" + e.ConsumeAmount
	}
	fp := strings.Join(parts, ",")
	key := "allinpay:" + p.OrderID
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.st.Consumes[p.OrderID]; rec != nil {
		if rec.Fingerprint != fp {
			return s.aFail(seq, "外部核券订单号重复")
		}
		return s.aOK(seq, rec.Data)
	}
	cs := make([]*Coupon, len(p.CouponConsumeList))
	for i, e := range p.CouponConsumeList {
		c := s.find(e.CouponNo, false)
		if c == nil {
			c = s.find(e.CouponNo, true)
		}
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
		if e.ConsumeAmount != "1" {
			return s.aFail(seq, "核销次数超过可用次数: "+e.CouponNo)
		}
		cs[i] = c
	}
	type finance struct {
		AccountNo       string      `json:"accountNo"`
		AccountTitle    string      `json:"accountTitle"`
		AccountPriority int         `json:"accountPriority"`
		AccountValue    json.Number `json:"accountValue"`
	}
	type detail struct {
		CouponNo    string    `json:"couponNo"`
		FinanceList []finance `json:"financeList"`
	}
	details := make([]detail, len(cs))
	for i, c := range cs {
		face := faceFen(s.templates[c.TemplateID])
		s.redeem(c, key, "allinpay", int64(face))
		details[i] = detail{c.ID, []finance{{"6001", "券面额", 1, yuanNumber(face)}}}
	}
	data := marshal(struct {
		OrgName             string   `json:"orgName"`
		TranNo              string   `json:"tranNo"`
		CouponConsumeDetail []detail `json:"couponConsumeDetail"`
	}{s.seed.Allinpay.ShopName, tranNo(s.nextSeq()), details})
	s.st.Consumes[p.OrderID] = &Record{Fingerprint: fp, Data: data}
	if err := s.save(); err != nil {
		return aUnsigned(9999, "系统繁忙")
	}
	return s.aOK(seq, json.RawMessage(data))
}
