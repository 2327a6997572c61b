package invoke

import (
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/jsontext"
)

// allinpayRequestFields are the top-level members of the Allinpay *.request
// methods: keys (session or inline), the optional timestamp, and params.
var allinpayRequestFields = []string{"session", "allinpay", "timestamp", "params"}

// couponSendParamFields are couponSend's business parameters (seed 002).
var couponSendParamFields = []string{"shopId", "shopCode", "operUserId", "couponType", "num", "couponTemplateId",
	"idType", "memberId", "orderId", "sourceType", "sourceValue", "remark", "extendInfo", "buyerMobile"}

// registerAllinpay registers the allinpay.* request and response methods.
func (r *Registry) registerAllinpay() {
	r.register("allinpay.request", append([]string{"method", "version"}, allinpayRequestFields...), func(c *call) error {
		_, req, err := c.allinpayBuild("")
		if err != nil {
			return err
		}
		c.writeAllinpayRequest(req)
		return nil
	})
	r.register("allinpay.couponSend.request", allinpayRequestFields, func(c *call) error {
		_, req, err := c.allinpayBuild(allinpay.MethodCouponSend)
		if err != nil {
			return err
		}
		c.writeAllinpayRequest(req)
		return nil
	})
	r.register("allinpay.response", []string{"session", "allinpay", "body", "method"}, func(c *call) error {
		cl := c.allinpayClient()
		method, body := c.in.str("method"), c.in.need("body")
		if err := c.fail(); err != nil {
			return err
		}
		return c.allinpayParse(cl, method, []byte(body))
	})
}

// allinpayTime reads the optional "timestamp": "yyyy-MM-dd HH:mm:ss" in
// China time, or Unix seconds. The zero time means "now" (the clock).
func (c *call) allinpayTime() time.Time {
	s := c.in.str("timestamp")
	if s == "" || c.err != nil {
		return time.Time{}
	}
	if jsontext.IsDigits(s) {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < 1<<40 {
			return time.Unix(n, 0)
		}
	} else if t, err := time.ParseInLocation(allinpay.TimestampLayout, s, allinpay.ChinaZone); err == nil {
		return t
	}
	c.setErr(errs.Invalid("timestamp", "timestamp %q must be \"yyyy-MM-dd HH:mm:ss\" (China time) or Unix seconds", clip(s)))
	return time.Time{}
}

// allinpayBuild reads the request's keys, timestamp and params and builds
// the signed request: for method "" any method (members "method",
// "version" and "params", the bizContent object sent byte for byte), else
// couponSend (allinpay.MethodCouponSend) from its typed params.
func (c *call) allinpayBuild(method string) (*allinpay.Client, allinpay.Request, error) {
	cl := c.allinpayClient()
	at := c.allinpayTime()
	var (
		send    allinpay.CouponSendParams
		version string
		raw     []byte
	)
	if method == "" {
		method, version, raw = c.in.need("method"), c.in.str("version"), compact(c.in.rawObject("params"), false)
		if raw == nil {
			raw = []byte("{}")
		}
	} else {
		send = c.couponSendParams()
	}
	if err := c.fail(); err != nil {
		return nil, allinpay.Request{}, err
	}
	// The core names params fields relative to the params object.
	if raw != nil {
		if err := allinpay.CheckBizContent(raw); err != nil {
			return nil, allinpay.Request{}, errs.Prefix("params", err)
		}
	} else if err := send.Validate(); err != nil {
		return nil, allinpay.Request{}, errs.Prefix("params", err)
	}
	var req allinpay.Request
	var err error
	if raw != nil {
		req, err = cl.Build(method, version, raw, at)
	} else {
		req, err = cl.CouponSend(send, at)
	}
	return cl, req, allinpayErr(err)
}

// couponSendParams reads couponSend's params (seed 002 names); every value
// is text (numbers are taken as their raw text), extendInfo an object.
func (c *call) couponSendParams() allinpay.CouponSendParams {
	p, _ := c.typedParams(couponSendParamFields)
	return allinpay.CouponSendParams{
		ShopID: p.str("shopId"), ShopCode: p.str("shopCode"), OperUserID: p.str("operUserId"),
		CouponType: p.str("couponType"), Num: p.str("num"), CouponTemplateID: p.str("couponTemplateId"),
		IDType: p.str("idType"), MemberID: p.str("memberId"), OrderID: p.str("orderId"),
		SourceType: p.str("sourceType"), SourceValue: p.str("sourceValue"), Remark: p.str("remark"),
		ExtendInfo: p.rawObject("extendInfo"), BuyerMobile: p.str("buyerMobile"),
	}
}

// allinpayErr renames the allinpay package's request fields to the
// request's: "bizContent.x" → "params.x", "bizContent" → "params",
// "method" and "version" unchanged.
func allinpayErr(err error) error {
	return renameField(err, func(f string) string {
		if strings.HasPrefix(f, "bizContent") {
			return "params" + f[len("bizContent"):]
		}
		return f
	})
}

// writeAllinpayRequest writes a built Allinpay request's result members.
func (c *call) writeAllinpayRequest(req allinpay.Request) {
	w := &c.out
	w.str("url", req.URL)
	w.str("contentType", req.ContentType)
	w.strBytes("body", req.Body)
	w.arr("params")
	for _, p := range req.Params {
		w.elemObj()
		w.str("key", p.Key)
		w.str("value", p.Value)
		w.end()
	}
	w.endArr()
	w.strs("signedFields", req.SignedFields)
	w.str("signContent", req.SignContent)
	w.str("sign", req.Sign)
}

// allinpayParse verifies and parses an Allinpay reply body and writes its
// result members: typed for couponSend (method allinpay.MethodCouponSend
// or "couponSend"), the envelope for any other method.
func (c *call) allinpayParse(cl *allinpay.Client, method string, body []byte) error {
	w := &c.out
	if method == allinpay.MethodCouponSend || method == "couponSend" {
		res, err := cl.ParseCouponSendResponse(body)
		if err != nil {
			return err
		}
		w.str("code", "0")
		w.boolean("verified", cl.Config().Verify != allinpay.SkipVerify)
		w.str("tranNo", res.TranNo)
		w.optPtr("shopName", res.ShopName)
		w.str("tranDateTime", res.TranDateTime)
		w.str("instruction", res.Instruction)
		w.arr("list")
		for _, it := range res.List {
			w.elemObj()
			w.str("templateId", strconv.FormatInt(it.TemplateID, 10))
			w.str("couponName", it.CouponName)
			w.optPtr("couponNo", it.CouponNo)
			w.optPtr("qrCodeContext", it.QRCodeContext)
			w.end()
		}
		w.endArr()
		w.str("reqSeq", res.ReqSeq)
		w.str("respSeq", res.RespSeq)
		return nil
	}
	res, err := cl.ParseResponse(body)
	if err != nil {
		return err
	}
	w.str("code", res.Code)
	w.boolean("verified", res.Verified)
	w.str("msg", res.Msg)
	w.raw("data", stringifyNumbers(res.Data))
	w.str("reqSeq", res.ReqSeq)
	w.str("respSeq", res.RespSeq)
	return nil
}
