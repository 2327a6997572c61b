package allinpay

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/couponkit/couponkit/core/money"
)

// CouponQueryParams are the business parameters of couponQuery (卡/券查询,
// prodoc.allinpay.com doc-1572).
type CouponQueryParams struct {
	// CouponNo is the card number, coupon number or coupon dynamic code
	// (卡号或券号或券动态码). Required.
	CouponNo string `json:"couponNo"`
}

// Validate checks p. Errors are errs.InvalidArgument with Field the
// vendor's member name ("couponNo"), relative to the business parameters.
func (p *CouponQueryParams) Validate() error {
	if p.CouponNo == "" {
		return errs.Invalid("couponNo", "couponNo (the card or coupon number, or its dynamic code) is required")
	}
	return nil
}

// BizContent returns p as the bizContent JSON object.
func (p *CouponQueryParams) BizContent() []byte {
	b := append(make([]byte, 0, 32+len(p.CouponNo)), `{"couponNo":`...)
	return append(jsontext.AppendString(b, p.CouponNo), '}')
}

// CouponQuery validates p and returns the signed couponQuery request
// (MethodCouponQuery, the configured version) at time at (zero: the clock).
func (c *Client) CouponQuery(p CouponQueryParams, at time.Time) (Request, error) {
	if err := p.Validate(); err != nil {
		return Request{}, err
	}
	return c.Build(MethodCouponQuery, "", p.BizContent(), at)
}

// The coupon types couponQuery reports (couponType).
const (
	CouponTypeAmount    = 0 // 金额: a stored-value amount, balance in yuan
	CouponTypeCounted   = 2 // 计次: counted uses, balance a count in unit
	CouponTypeThreshold = 3 // 满减: a threshold reduction
)

// CouponQueryResult is the data of a successful couponQuery reply. Money
// and counts are exact decimal text as BigDecimal wrote them (plain, with
// the scale kept: "50.00").
type CouponQueryResult struct {
	// TemplateID is the coupon template id (模板ID).
	TemplateID int64 `json:"templateId"`
	// CouponNo is the card or coupon number.
	CouponNo string `json:"couponNo"`
	// CouponName is the coupon's name.
	CouponName string `json:"couponName"`
	// CouponType is CouponTypeAmount, CouponTypeCounted or
	// CouponTypeThreshold (other values are passed on as sent).
	CouponType int64 `json:"couponType"`
	// Balance is what is left (余额): yuan, or a count for counted coupons.
	Balance string `json:"balance"`
	// InitAmount is the face value (面额): yuan, or a count.
	InitAmount string `json:"initAmount"`
	// Unit is the unit of a counted coupon (单位), "" when absent.
	Unit string `json:"unit,omitempty"`
	// ValidityType is 0 (a date range) or 1 (n days from receipt); nil
	// when absent.
	ValidityType *int64 `json:"validityType"`
	// ValidityBeginDate and ValidityEndDate bound the validity (yyyy-MM-dd,
	// or yyyy-MM-dd HH:mm:ss when the gateway sends a time); nil means no
	// limit (the vendor sends null).
	ValidityBeginDate *string `json:"validityBeginDate"`
	ValidityEndDate   *string `json:"validityEndDate"`
	// ReqSeq and RespSeq are the envelope's sequence numbers, if sent.
	ReqSeq  string `json:"reqSeq,omitempty"`
	RespSeq string `json:"respSeq,omitempty"`
	// Data is the reply's data object as sent (the vendor's names), for
	// members beyond these.
	Data json.RawMessage `json:"data"`
	// Verification says how the reply's sign was checked.
	Verification
}

// ParseCouponQueryResponse verifies and parses a couponQuery reply (see
// ParseResponse for the error kinds); fields of the wrong type are
// errs.ResponseInvalid with Field such as "data.balance".
func (c *Client) ParseCouponQueryResponse(body []byte) (*CouponQueryResult, error) {
	r, err := c.ParseResponse(body)
	if err != nil {
		return nil, err
	}
	return parseCouponQueryData(r)
}

func parseCouponQueryData(r *Response) (*CouponQueryResult, error) {
	d, err := dataObject(r, "couponQuery")
	if err != nil {
		return nil, err
	}
	res := &CouponQueryResult{ReqSeq: r.ReqSeq, RespSeq: r.RespSeq, Data: r.Data, Verification: r.Verification}
	if res.TemplateID, err = exactInt("data.templateId", d.Get("templateId")); err != nil {
		return nil, err
	}
	if res.CouponNo, err = scalarText("data.couponNo", d.Get("couponNo"), true); err != nil {
		return nil, err
	}
	if res.CouponName, err = scalarText("data.couponName", d.Get("couponName"), false); err != nil {
		return nil, err
	}
	if res.CouponType, err = exactInt("data.couponType", d.Get("couponType")); err != nil {
		return nil, err
	}
	if res.Balance, err = decimalText("data.balance", d.Get("balance")); err != nil {
		return nil, err
	}
	if res.InitAmount, err = decimalText("data.initAmount", d.Get("initAmount")); err != nil {
		return nil, err
	}
	if res.Unit, err = scalarText("data.unit", d.Get("unit"), false); err != nil {
		return nil, err
	}
	if res.ValidityType, err = optionalInt("data.validityType", d.Get("validityType")); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		out  **string
	}{{"validityBeginDate", &res.ValidityBeginDate}, {"validityEndDate", &res.ValidityEndDate}} {
		s, err := parseJavaTime("data."+f.name, d.Get(f.name), true)
		if err != nil {
			return nil, err
		}
		if s != "" {
			*f.out = &s
		}
	}
	return res, nil
}

// CouponConsumeParams are the business parameters of couponConsumeV1
// (卡/券核销, redeem, prodoc.allinpay.com doc 2001). Every value is text;
// empty means absent (not sent).
type CouponConsumeParams struct {
	// ShopID is the shop id (店铺ID); ShopID or ShopCode is required, and
	// the vendor uses ShopID when both are given.
	ShopID string `json:"shopId,omitempty"`
	// ShopCode is the shop number (店铺号).
	ShopCode string `json:"shopCode,omitempty"`
	// OperUserID is the cashier's login name (收银员id). Required.
	OperUserID string `json:"operUserId,omitempty"`
	// OrderID is your redemption order number (外部核券订单号). Required;
	// repeating a redemption with the same OrderID answers the first one's
	// result (what to do when the outcome of a call is unknown).
	OrderID string `json:"orderId,omitempty"`
	// CouponConsumeList are the cards or coupons to redeem (验卡/券列表),
	// at least one, at most 100, each coupon once.
	CouponConsumeList []CouponConsumeItem `json:"couponConsumeList,omitempty"`
}

// CouponConsumeItem is one card or coupon to redeem.
type CouponConsumeItem struct {
	// CouponNo is the card number, coupon number or dynamic code. Required.
	CouponNo string `json:"couponNo,omitempty"`
	// ConsumeAmount is how many uses to redeem (核销次数; 次 for counted
	// cards and coupons): a positive integer. Required.
	ConsumeAmount string `json:"consumeAmount,omitempty"`
	// Passwd is the card's password, already encrypted as your contract
	// says (加密传输: couponkit does not encrypt it). It is sent, never
	// logged, and never appears in an error or in String.
	Passwd string `json:"passwd,omitempty"`
	// Cidao is the card's magnetic track data (磁道信息); a card needs
	// Passwd or Cidao.
	Cidao string `json:"cidao,omitempty"`
	// PrincipalAmt is the principal in yuan (本金): at most 2 decimals, not
	// negative. Sent as a JSON number, exactly as written.
	PrincipalAmt string `json:"principalAmt,omitempty"`
	// Remark is a free remark (备注).
	Remark string `json:"remark,omitempty"`
	// StlmShopList splits the settlement between shops (结算店铺信息).
	StlmShopList []StlmShop `json:"stlmShopList,omitempty"`
}

// StlmShop is one settlement shop of a redemption.
type StlmShop struct {
	// StlmShopID is the settlement shop id (an integer); StlmShopID or
	// StlmShopCode is required.
	StlmShopID string `json:"stlmShopId,omitempty"`
	// StlmShopCode is the settlement shop number.
	StlmShopCode string `json:"stlmShopCode,omitempty"`
	// StlmAmount is the amount settled to the shop in yuan (at most 2
	// decimals). Required. Sent as a JSON number, exactly as written.
	StlmAmount string `json:"stlmAmount,omitempty"`
}

// String describes the item without its password.
func (it CouponConsumeItem) String() string {
	pw := ""
	if it.Passwd != "" {
		pw = " passwd:[redacted]"
	}
	return "{couponNo:" + it.CouponNo + " consumeAmount:" + it.ConsumeAmount + pw + "}"
}

// maxConsumeItems is the most coupons one couponConsumeV1 call redeems.
const maxConsumeItems = 100

// Validate checks p as the vendor documents it. Errors are
// errs.InvalidArgument with Field the vendor's member path relative to the
// business parameters ("couponConsumeList[0].couponNo"); no error ever
// contains a password.
func (p *CouponConsumeParams) Validate() error {
	if p.ShopID == "" && p.ShopCode == "" {
		return errs.Invalid("shopId", "shopId or shopCode is required")
	}
	if p.OperUserID == "" {
		return errs.Invalid("operUserId", "operUserId (the cashier's login name) is required")
	}
	if p.OrderID == "" {
		return errs.Invalid("orderId", "orderId (your redemption order number) is required")
	}
	switch n := len(p.CouponConsumeList); {
	case n == 0:
		return errs.Invalid("couponConsumeList", "couponConsumeList needs at least one coupon")
	case n > maxConsumeItems:
		return errs.New(errs.TooLarge, "couponConsumeList", "couponConsumeList has %d coupons; at most %d per call", n, maxConsumeItems)
	}
	first := map[string]int{}
	for i := range p.CouponConsumeList {
		path := "couponConsumeList[" + strconv.Itoa(i) + "]"
		it := &p.CouponConsumeList[i]
		if it.CouponNo == "" {
			return errs.Invalid(path+".couponNo", "couponNo is required")
		}
		if j, dup := first[it.CouponNo]; dup {
			return errs.Invalid(path+".couponNo", "the coupon is already in couponConsumeList[%d]: redeem each coupon once per call", j)
		}
		first[it.CouponNo] = i
		if !positiveInteger(it.ConsumeAmount) {
			return errs.Invalid(path+".consumeAmount", "consumeAmount is the number of uses to redeem: a positive integer (\"1\"), got %q", jsontext.Clip(it.ConsumeAmount, 40))
		}
		if it.PrincipalAmt != "" {
			if _, err := money.ParseYuan(path+".principalAmt", it.PrincipalAmt, money.Exact); err != nil {
				return err
			}
		}
		for j := range it.StlmShopList {
			sp := path + ".stlmShopList[" + strconv.Itoa(j) + "]"
			s := &it.StlmShopList[j]
			switch {
			case s.StlmShopID == "" && s.StlmShopCode == "":
				return errs.Invalid(sp+".stlmShopId", "stlmShopId or stlmShopCode is required")
			case s.StlmShopID != "" && !positiveInteger(s.StlmShopID):
				return errs.Invalid(sp+".stlmShopId", "stlmShopId must be a positive integer, got %q", jsontext.Clip(s.StlmShopID, 40))
			case s.StlmAmount == "":
				return errs.Invalid(sp+".stlmAmount", "stlmAmount (the yuan settled to the shop) is required")
			}
			if _, err := money.ParseYuan(sp+".stlmAmount", s.StlmAmount, money.Exact); err != nil {
				return err
			}
		}
	}
	return nil
}

// BizContent returns p as the bizContent JSON object: the non-empty members
// in the documented order, strings escaped minimally, principalAmt,
// stlmShopId and stlmAmount as JSON numbers written exactly as given (the
// vendor types them Decimal and Integer). It does not validate.
func (p *CouponConsumeParams) BizContent() []byte {
	w := objWriter{b: make([]byte, 0, 256)}
	w.open()
	w.str("shopId", p.ShopID)
	w.str("shopCode", p.ShopCode)
	w.str("operUserId", p.OperUserID)
	w.str("orderId", p.OrderID)
	w.key("couponConsumeList")
	w.b = append(w.b, '[')
	for i, it := range p.CouponConsumeList {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.open()
		w.str("couponNo", it.CouponNo)
		w.str("consumeAmount", it.ConsumeAmount)
		w.str("passwd", it.Passwd)
		w.str("cidao", it.Cidao)
		w.num("principalAmt", it.PrincipalAmt)
		w.str("remark", it.Remark)
		if len(it.StlmShopList) > 0 {
			w.key("stlmShopList")
			w.b = append(w.b, '[')
			for j, s := range it.StlmShopList {
				if j > 0 {
					w.b = append(w.b, ',')
				}
				w.open()
				w.num("stlmShopId", s.StlmShopID)
				w.str("stlmShopCode", s.StlmShopCode)
				w.num("stlmAmount", s.StlmAmount)
				w.close()
			}
			w.b = append(w.b, ']')
		}
		w.close()
	}
	w.b = append(w.b, ']')
	w.close()
	return w.b
}

// objWriter writes nested JSON objects whose empty members are left out.
type objWriter struct {
	b     []byte
	first []bool
}

func (w *objWriter) open() { w.b = append(w.b, '{'); w.first = append(w.first, true) }

func (w *objWriter) close() { w.b = append(w.b, '}'); w.first = w.first[:len(w.first)-1] }

func (w *objWriter) key(k string) {
	if !w.first[len(w.first)-1] {
		w.b = append(w.b, ',')
	}
	w.first[len(w.first)-1] = false
	w.b = append(jsontext.AppendString(w.b, k), ':')
}

func (w *objWriter) str(k, v string) {
	if v != "" {
		w.key(k)
		w.b = jsontext.AppendString(w.b, v)
	}
}

// num writes v, validated number text, as a JSON number.
func (w *objWriter) num(k, v string) {
	if v != "" {
		w.key(k)
		w.b = append(w.b, v...)
	}
}

// CouponConsume validates p and returns the signed couponConsumeV1 request
// (MethodCouponConsumeV1, the configured version) at time at (zero: the
// clock).
func (c *Client) CouponConsume(p CouponConsumeParams, at time.Time) (Request, error) {
	if err := p.Validate(); err != nil {
		return Request{}, err
	}
	return c.Build(MethodCouponConsumeV1, "", p.BizContent(), at)
}

// CouponConsumeResult is the data of a successful couponConsumeV1 reply.
type CouponConsumeResult struct {
	// OrgName is the organisation or merchant name (机构/商户名称).
	OrgName string `json:"orgName"`
	// TranNo is the transaction serial number (交易流水号): what a later
	// reversal refers to.
	TranNo string `json:"tranNo"`
	// CouponConsumeDetail is one entry per redeemed coupon (验券交易详情).
	CouponConsumeDetail []CouponConsumeDetail `json:"couponConsumeDetail"`
	// ReqSeq and RespSeq are the envelope's sequence numbers, if sent.
	ReqSeq  string `json:"reqSeq,omitempty"`
	RespSeq string `json:"respSeq,omitempty"`
	// Data is the reply's data object as sent (the vendor's names), for
	// members beyond these.
	Data json.RawMessage `json:"data"`
	// Verification says how the reply's sign was checked.
	Verification
}

// CouponConsumeDetail is one redeemed coupon and its accounting.
type CouponConsumeDetail struct {
	// CouponNo is the coupon number.
	CouponNo string `json:"couponNo"`
	// FinanceList are the finance accounts the redemption moved (财务科目).
	FinanceList []FinanceEntry `json:"financeList"`
}

// FinanceEntry is one finance account of a redemption.
type FinanceEntry struct {
	// AccountNo is the account number (财务科目号).
	AccountNo string `json:"accountNo"`
	// AccountTitle is the account name (财务科目名称).
	AccountTitle string `json:"accountTitle"`
	// AccountPriority is the account's priority (an integer).
	AccountPriority int64 `json:"accountPriority"`
	// AccountValue is the amount on the account (科目值, yuan), exact
	// decimal text.
	AccountValue string `json:"accountValue"`
}

// ParseCouponConsumeResponse verifies and parses a couponConsumeV1 reply
// (see ParseResponse for the error kinds); fields of the wrong type are
// errs.ResponseInvalid with Field such as
// "data.couponConsumeDetail[0].financeList[1].accountValue".
func (c *Client) ParseCouponConsumeResponse(body []byte) (*CouponConsumeResult, error) {
	r, err := c.ParseResponse(body)
	if err != nil {
		return nil, err
	}
	return parseCouponConsumeData(r)
}

func parseCouponConsumeData(r *Response) (*CouponConsumeResult, error) {
	d, err := dataObject(r, "couponConsumeV1")
	if err != nil {
		return nil, err
	}
	res := &CouponConsumeResult{ReqSeq: r.ReqSeq, RespSeq: r.RespSeq, Data: r.Data, Verification: r.Verification}
	if res.OrgName, err = scalarText("data.orgName", d.Get("orgName"), false); err != nil {
		return nil, err
	}
	if res.TranNo, err = scalarText("data.tranNo", d.Get("tranNo"), true); err != nil {
		return nil, err
	}
	details, err := objectArray("data.couponConsumeDetail", d.Get("couponConsumeDetail"))
	if err != nil {
		return nil, err
	}
	res.CouponConsumeDetail = make([]CouponConsumeDetail, len(details))
	for i, det := range details {
		path := "data.couponConsumeDetail[" + strconv.Itoa(i) + "]"
		out := &res.CouponConsumeDetail[i]
		if out.CouponNo, err = scalarText(path+".couponNo", det.Get("couponNo"), true); err != nil {
			return nil, err
		}
		fin, err := objectArray(path+".financeList", det.Get("financeList"))
		if err != nil {
			return nil, err
		}
		out.FinanceList = make([]FinanceEntry, len(fin))
		for j, f := range fin {
			fp := path + ".financeList[" + strconv.Itoa(j) + "]."
			e := &out.FinanceList[j]
			if e.AccountNo, err = scalarText(fp+"accountNo", f.Get("accountNo"), true); err != nil {
				return nil, err
			}
			if e.AccountTitle, err = scalarText(fp+"accountTitle", f.Get("accountTitle"), false); err != nil {
				return nil, err
			}
			prio, err := optionalInt(fp+"accountPriority", f.Get("accountPriority"))
			if err != nil {
				return nil, err
			}
			if prio != nil {
				e.AccountPriority = *prio
			}
			if e.AccountValue, err = decimalText(fp+"accountValue", f.Get("accountValue")); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}
