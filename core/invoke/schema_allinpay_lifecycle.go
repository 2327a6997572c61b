//go:build !couponkit_zvcms

package invoke

import (
	"strconv"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
)

// CouponQueryParams are the bizContent of couponQuery (卡/券查询), with the
// vendor's names.
type CouponQueryParams struct {
	CouponNo string `json:"couponNo" ck:"required"` // the card number, coupon number or coupon dynamic code (卡号或券号或券动态码)
}

// CouponQueryBuild is a couponQuery request.
type CouponQueryBuild struct {
	AllinpayAuth
	Timestamp AllinpayTime      `json:"timestamp"`                              // "yyyy-MM-dd HH:mm:ss" (China time) or Unix seconds (default: the clock)
	Params    CouponQueryParams `json:"params" ck:"required,domain=bizContent"` // the coupon to look up
	AllinpaySignature
}

// allinpayCouponQueryRequest builds a signed
// allinpay.shopoint.couponService.couponQuery request (one card's or
// coupon's details and balance), checking the params first.
func allinpayCouponQueryRequest(c *Call, r *CouponQueryBuild) (*AllinpayRequest, error) {
	p := allinpay.CouponQueryParams{CouponNo: r.Params.CouponNo}
	return c.bizBuilt(&r.AllinpayAuth, &r.AllinpaySignature, false, &p, func(cl *allinpay.Client) (allinpay.Request, error) {
		return cl.CouponQuery(p, time.Time(r.Timestamp))
	})
}

// CouponQueryResult is a verified, parsed couponQuery reply. Money and
// counts are exact decimal text as the gateway wrote them ("50.00").
type CouponQueryResult struct {
	Code string `json:"code"` // "0"
	Verification
	TemplateID        string  `json:"templateId"`        // the coupon template id (模板ID)
	CouponNo          string  `json:"couponNo"`          // the card or coupon number
	CouponName        string  `json:"couponName"`        // the coupon's name
	CouponType        string  `json:"couponType"`        // 0 amount (金额: balance in yuan), 2 counted (计次: balance a count in unit), 3 threshold reduction (满减); another value as sent
	Balance           string  `json:"balance"`           // what is left (余额): yuan, or a count for a counted coupon; exact decimal text
	InitAmount        string  `json:"initAmount"`        // the face value (面额): yuan, or a count; exact decimal text
	Unit              string  `json:"unit"`              // the unit of a counted coupon (单位), "" when absent
	ValidityType      *string `json:"validityType"`      // 0 a date range, 1 n days from receipt (null when absent)
	ValidityBeginDate *string `json:"validityBeginDate"` // the first valid day, yyyy-MM-dd or yyyy-MM-dd HH:mm:ss (null: no limit)
	ValidityEndDate   *string `json:"validityEndDate"`   // the last valid day, yyyy-MM-dd or yyyy-MM-dd HH:mm:ss (null: no limit)
	ReqSeq            string  `json:"reqSeq"`            // request sequence
	RespSeq           string  `json:"respSeq"`           // response sequence
	Data              RawJSON `json:"data"`              // the vendor's data (vendor names), every number as a string
}

// allinpayCouponQueryResponse verifies and parses a couponQuery reply.
func allinpayCouponQueryResponse(c *Call, r *AllinpayReply) (*CouponQueryResult, error) {
	return verified(c, r, (*allinpay.Client).ParseCouponQueryResponse, func(res *allinpay.CouponQueryResult) *CouponQueryResult {
		return &CouponQueryResult{Code: "0", Verification: verification(res.Verification), TemplateID: itoa(res.TemplateID),
			CouponNo: res.CouponNo, CouponName: res.CouponName, CouponType: itoa(res.CouponType), Balance: res.Balance,
			InitAmount: res.InitAmount, Unit: res.Unit, ValidityType: optItoa(res.ValidityType),
			ValidityBeginDate: res.ValidityBeginDate, ValidityEndDate: res.ValidityEndDate, ReqSeq: res.ReqSeq, RespSeq: res.RespSeq,
			Data: RawJSON(res.Data)}
	})
}

// CouponQueryCall is a couponQuery request sent by the library.
type CouponQueryCall struct {
	CouponQueryBuild
	SendOptions
}

// allinpayCouponQuery builds, sends, verifies and parses a couponQuery in
// one call (a query: the transport may retry it).
func allinpayCouponQuery(c *Call, r *CouponQueryCall) (*CouponQueryResult, error) {
	q, err := allinpayCouponQueryRequest(c, &r.CouponQueryBuild)
	return nil, c.allinpaySend(q, err, &r.SendOptions, &r.AllinpayAuth, allinpay.MethodCouponQuery, true)
}

// CouponConsumeParams are the bizContent of couponConsumeV1 (卡/券核销,
// redeem), with the vendor's names.
type CouponConsumeParams struct {
	ShopID            ID                  `json:"shopId"`            // the shop id (店铺ID); this or shopCode is required (the vendor uses shopId when both are given)
	ShopCode          string              `json:"shopCode"`          // the shop number (店铺号)
	OperUserID        string              `json:"operUserId"`        // the cashier's login name (收银员id, required)
	OrderID           string              `json:"orderId"`           // your redemption order number (外部核券订单号, required): repeating a consume with the same orderId answers the first one's result
	CouponConsumeList []CouponConsumeItem `json:"couponConsumeList"` // the cards or coupons to redeem: 1 to 100, each once
}

// CouponConsumeItem is one card or coupon to redeem.
type CouponConsumeItem struct {
	CouponNo      string     `json:"couponNo"`      // the card number, coupon number or dynamic code (required)
	ConsumeAmount ID         `json:"consumeAmount"` // how many uses to redeem (核销次数): a positive integer, a count, not money (required)
	Passwd        string     `json:"passwd"`        // the card's password, already encrypted as your contract says (couponkit does not encrypt it): sent in the built body only, never in another reply member, an error or a trace
	Cidao         string     `json:"cidao"`         // the card's magnetic track data (磁道信息); a card needs passwd or cidao
	PrincipalAmt  Decimal    `json:"principalAmt"`  // the principal (本金), yuan with at most 2 decimals, sent as a JSON number exactly as written
	Remark        string     `json:"remark"`        // a free remark (备注)
	StlmShopList  []StlmShop `json:"stlmShopList"`  // how the settlement is split between shops (结算店铺信息)
}

// StlmShop is one settlement shop of a redemption.
type StlmShop struct {
	StlmShopID   ID      `json:"stlmShopId"`   // the settlement shop id (a positive integer); this or stlmShopCode is required
	StlmShopCode string  `json:"stlmShopCode"` // the settlement shop number
	StlmAmount   Decimal `json:"stlmAmount"`   // the yuan settled to the shop (at most 2 decimals, required), sent as a JSON number exactly as written
}

// CouponConsumeBuild is a couponConsumeV1 request.
type CouponConsumeBuild struct {
	AllinpayAuth
	Timestamp AllinpayTime        `json:"timestamp"`                              // "yyyy-MM-dd HH:mm:ss" (China time) or Unix seconds (default: the clock)
	Params    CouponConsumeParams `json:"params" ck:"required,domain=bizContent"` // the redemption
	AllinpaySignature
}

// allinpayCouponConsumeRequest builds a signed
// allinpay.shopoint.couponService.couponConsumeV1 request (redeem cards or
// coupons), checking the params first. The body carries each passwd; the
// params, signContent and signedText members of the result show it as
// [redacted] — except in an unsigned request (keyless keys), whose exact
// params go to the back office to be signed (docs/keyless.md).
func allinpayCouponConsumeRequest(c *Call, r *CouponConsumeBuild) (*AllinpayRequest, error) {
	p := &r.Params
	cp := allinpay.CouponConsumeParams{ShopID: string(p.ShopID), ShopCode: p.ShopCode, OperUserID: p.OperUserID, OrderID: p.OrderID,
		CouponConsumeList: make([]allinpay.CouponConsumeItem, len(p.CouponConsumeList))}
	for i, it := range p.CouponConsumeList {
		ci := allinpay.CouponConsumeItem{CouponNo: it.CouponNo, ConsumeAmount: string(it.ConsumeAmount), Passwd: it.Passwd,
			Cidao: it.Cidao, PrincipalAmt: string(it.PrincipalAmt), Remark: it.Remark}
		for _, s := range it.StlmShopList {
			ci.StlmShopList = append(ci.StlmShopList, allinpay.StlmShop{StlmShopID: string(s.StlmShopID), StlmShopCode: s.StlmShopCode,
				StlmAmount: string(s.StlmAmount)})
		}
		cp.CouponConsumeList[i] = ci
	}
	return c.bizBuilt(&r.AllinpayAuth, &r.AllinpaySignature, true, &cp, func(cl *allinpay.Client) (allinpay.Request, error) {
		return cl.CouponConsume(cp, time.Time(r.Timestamp))
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func optItoa(n *int64) *string {
	if n == nil {
		return nil
	}
	s := itoa(*n)
	return &s
}

// CouponConsumeResult is a verified, parsed couponConsumeV1 reply.
type CouponConsumeResult struct {
	Code string `json:"code"` // "0"
	Verification
	OrgName             string                `json:"orgName"`             // the organisation or merchant name (机构/商户名称)
	TranNo              string                `json:"tranNo"`              // the transaction serial number (交易流水号)
	CouponConsumeDetail []CouponConsumeDetail `json:"couponConsumeDetail"` // one entry per redeemed coupon (验券交易详情)
	ReqSeq              string                `json:"reqSeq"`              // request sequence
	RespSeq             string                `json:"respSeq"`             // response sequence
	Data                RawJSON               `json:"data"`                // the vendor's data (vendor names), every number as a string
}

// CouponConsumeDetail is one redeemed coupon and its accounting.
type CouponConsumeDetail struct {
	CouponNo    string         `json:"couponNo"`    // the coupon number
	FinanceList []FinanceEntry `json:"financeList"` // the finance accounts the redemption moved (财务科目)
}

// FinanceEntry is one finance account of a redemption.
type FinanceEntry struct {
	AccountNo       string `json:"accountNo"`       // the account number (财务科目号)
	AccountTitle    string `json:"accountTitle"`    // the account name (财务科目名称)
	AccountPriority string `json:"accountPriority"` // the account's priority (an integer)
	AccountValue    string `json:"accountValue"`    // the amount on the account (科目值), yuan as exact decimal text
}

// allinpayCouponConsumeResponse verifies and parses a couponConsumeV1
// reply.
func allinpayCouponConsumeResponse(c *Call, r *AllinpayReply) (*CouponConsumeResult, error) {
	return verified(c, r, (*allinpay.Client).ParseCouponConsumeResponse, func(res *allinpay.CouponConsumeResult) *CouponConsumeResult {
		out := &CouponConsumeResult{Code: "0", Verification: verification(res.Verification), OrgName: res.OrgName, TranNo: res.TranNo,
			ReqSeq: res.ReqSeq, RespSeq: res.RespSeq, CouponConsumeDetail: make([]CouponConsumeDetail, len(res.CouponConsumeDetail)),
			Data: RawJSON(res.Data)}
		for i, d := range res.CouponConsumeDetail {
			od := CouponConsumeDetail{CouponNo: d.CouponNo, FinanceList: make([]FinanceEntry, len(d.FinanceList))}
			for j, f := range d.FinanceList {
				od.FinanceList[j] = FinanceEntry{f.AccountNo, f.AccountTitle, itoa(f.AccountPriority), f.AccountValue}
			}
			out.CouponConsumeDetail[i] = od
		}
		return out
	})
}

// CouponConsumeCall is a couponConsumeV1 request sent by the library.
type CouponConsumeCall struct {
	CouponConsumeBuild
	SendOptions
}

// allinpayCouponConsume builds, sends, verifies and parses a
// couponConsumeV1 (redemption) in one call. It is sent once, never retried:
// after a TRANSPORT_ERROR repeat the same call (same orderId), which
// answers the first redemption's result.
func allinpayCouponConsume(c *Call, r *CouponConsumeCall) (*CouponConsumeResult, error) {
	q, err := allinpayCouponConsumeRequest(c, &r.CouponConsumeBuild)
	return nil, c.allinpaySend(q, err, &r.SendOptions, &r.AllinpayAuth, allinpay.MethodCouponConsumeV1, false)
}

// DiagnoseRequest is a reply that does not verify (or any reply), the keys
// to try and, optionally, the request that produced it.
type DiagnoseRequest struct {
	AllinpayAuth
	Body              string  `json:"body" ck:"required"` // the reply body, exactly as received
	Request           string  `json:"request"`            // the form body of the request that produced it (the .request result's body), if known: its signing is reported too
	PlatformPublicKey KeyList `json:"platformPublicKey"`  // platform public key(s) to try, besides those of the session or inline keys (none at all: the contents are shown, nothing is verified)
	SignType          string  `json:"signType"`           // the sign type configured (RSA2, RSA or SM2); "" tries every one that fits the keys
	SignerID          string  `json:"signerId"`           // the SM2 signer id (default 1234567812345678)
}

// DiagnoseResult is allinpay.diagnose's report, meant to be shown to a
// developer as is.
type DiagnoseResult struct {
	Verified       bool            `json:"verified"`       // whether some variant verifies with some key
	VerifiedBy     string          `json:"verifiedBy"`     // the first variant that verifies ("" when none)
	SignType       string          `json:"signType"`       // the sign type it verifies with
	KeyFingerprint string          `json:"keyFingerprint"` // the SPKI SHA-256 fingerprint of the key it verifies with
	VerifyMode     string          `json:"verifyMode"`     // the verifyMode to pin ("" when nothing verified)
	Conclusion     string          `json:"conclusion"`     // what was found and what to do, in plain words
	Code           string          `json:"code"`           // the reply's code ("" when unreadable)
	Msg            string          `json:"msg"`            // the reply's msg
	Signed         bool            `json:"signed"`         // whether the reply has a top-level sign
	SignBytes      int             `json:"signBytes"`      // the decoded signature's length in bytes (0 when none)
	SignLooksLike  string          `json:"signLooksLike"`  // what the signature's length suggests: RSA-1024, RSA-2048, SM2
	BodyProblem    string          `json:"bodyProblem"`    // why couponkit refuses the body whatever its signature (not strict JSON, a repeated member, a lone surrogate); "" when none
	Keys           []DiagnosedKey  `json:"keys"`           // the platform keys tried
	Variants       []VariantCheck  `json:"variants"`       // one check per variant: sdk+md5, sdk+direct, raw+direct, raw+md5
	Request        *DiagnoseReport `json:"request"`        // the request's signing, when one was given (else null)
}

// DiagnosedKey is one platform key diagnose tried.
type DiagnosedKey struct {
	Fingerprint   string `json:"fingerprint"`   // its SPKI SHA-256 fingerprint (hex)
	Algorithm     string `json:"algorithm"`     // RSA or SM2
	Bits          int    `json:"bits"`          // its size in bits
	IsMerchantKey bool   `json:"isMerchantKey"` // true when it is the merchant's own public key (the classic cause of 验签失败)
}

// VariantCheck is what one variant checked.
type VariantCheck struct {
	Variant        string `json:"variant"`        // sdk+md5, sdk+direct, raw+direct or raw+md5
	Verified       bool   `json:"verified"`       // whether the sign verifies under this variant
	SignType       string `json:"signType"`       // the sign type it verifies with ("" when not)
	KeyFingerprint string `json:"keyFingerprint"` // the key it verifies with ("" when not)
	Content        string `json:"content"`        // the form's content, shortened to about 200 bytes ("…" marks the cut)
	ContentLength  int    `json:"contentLength"`  // the content's full length in bytes
	ContentSHA256  string `json:"contentSha256"`  // the SHA-256 (hex) of the whole content, to compare with another implementation's
	SignedMessage  string `json:"signedMessage"`  // what the signature is checked over: the content (shortened) for direct, the Base64 MD5 text for md5
}

// DiagnoseReport is the signing of the request that produced the reply.
type DiagnoseReport struct {
	Method       string   `json:"method"`       // its method parameter
	Profile      string   `json:"profile"`      // the request profile its signType suggests: rules (RSA2, RSA, SM2) or sdk (the Java names)
	SignType     string   `json:"signType"`     // its signType parameter
	SignedFields []string `json:"signedFields"` // the signed parameters, in order
	SignContent  string   `json:"signContent"`  // the sign content (shortened; a passwd shows as [redacted])
	SignedText   string   `json:"signedText"`   // what was signed (shortened)
	Note         string   `json:"note"`         // what the other profile would change
}

// allinpayDiagnose examines an Allinpay reply the way a developer debugging
// 验签失败 would: for every variant (sdk+md5, sdk+direct, raw+direct,
// raw+md5) whether the sign verifies with each platform key, the content it
// checked (shortened, with its length and SHA-256), and a plain-language
// conclusion naming the verifyMode to set, or why nothing verifies (no key,
// the merchant's own key, a key of another size, an unsigned error reply, a
// body couponkit refuses). Every problem of the reply is part of the
// report, not an error.
func allinpayDiagnose(c *Call, r *DiagnoseRequest) (*DiagnoseResult, error) {
	in := allinpay.DiagnoseInput{Body: []byte(r.Body), SignerID: r.SignerID}
	var err error
	if in.SignType, err = allinpay.ParseSignType("signType", r.SignType); err != nil {
		return nil, err
	}
	if r.Session != "" || r.Allinpay != nil {
		cl, err := c.allinpay(&r.AllinpayAuth)
		if err != nil {
			return nil, err
		}
		in = in.With(cl)
	}
	extra, err := allinpay.ParsePlatformKeys(r.PlatformPublicKey)
	if err != nil {
		return nil, err
	}
	in.PlatformKeys = append(in.PlatformKeys, extra...)
	if r.Request != "" {
		if in.Request, err = allinpay.ParseForm("request", r.Request); err != nil {
			return nil, err
		}
	}
	d := allinpay.Diagnose(in)
	out := &DiagnoseResult{Verified: d.Verified, VerifiedBy: string(d.VerifiedBy), SignType: string(d.SignType), KeyFingerprint: d.KeyFingerprint,
		VerifyMode: d.VerifyMode, Conclusion: d.Conclusion, Code: d.Code, Msg: d.Msg, Signed: d.Signed, SignBytes: d.SignBytes,
		SignLooksLike: d.SignLooksLike, BodyProblem: d.BodyProblem, Keys: make([]DiagnosedKey, len(d.Keys)), Variants: make([]VariantCheck, len(d.Variants))}
	for i, k := range d.Keys {
		out.Keys[i] = DiagnosedKey(k)
	}
	for i, v := range d.Variants {
		out.Variants[i] = VariantCheck{Variant: string(v.Variant), Verified: v.Verified, SignType: string(v.SignType), KeyFingerprint: v.KeyFingerprint,
			Content: v.Content, ContentLength: v.ContentLength, ContentSHA256: v.ContentSHA256, SignedMessage: v.SignedMessage}
	}
	if q := d.Request; q != nil {
		out.Request = &DiagnoseReport{Method: q.Method, Profile: string(q.Profile), SignType: q.SignType, SignedFields: q.SignedFields,
			SignContent: q.SignContent, SignedText: q.SignedText, Note: q.Note}
	}
	return out, nil
}
