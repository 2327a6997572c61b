package invoke

import (
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/tidwall/gjson"
)

// zvcmsRequestFields are the top-level members of the zvcms *.request
// methods: credentials (session or inline), the optional stamp, and params.
var zvcmsRequestFields = []string{"session", "zvcms", "timestamp", "nonce", "params"}

// The params members of the typed zvcms builders, with the vendor's names:
// seed 000 (camelCase) and seed 001 (snake_case).
var (
	verifyParamFields   = []string{"bizId", "channel", "customerId", "groupId", "couponsCardList", "type", "ext", "useCount", "tradeMarks", "amount", "orderAmount"}
	verifyExtFields     = []string{"channelType", "multiStoreId", "multiStoreMark", "orderNo", "reason"}
	discountParamFields = []string{"user_coupon_id", "user_id", "items", "multi_mark", "coupon_id", "type_cate", "discount_price", "type", "coupon_code", "usage_scenarios"}
	discountItemFields  = []string{"num", "trade_mark", "price"}
)

// registerZvcms registers the zvcms.* request and response methods.
func (r *Registry) registerZvcms() {
	r.register("zvcms.token", []string{"session", "zvcms", "timestamp", "nonce"}, func(c *call) error {
		cl := c.zvcmsClient()
		st := c.stamp()
		if err := c.fail(); err != nil {
			return err
		}
		st, err := cl.NewStamp(st)
		if err != nil {
			return zvcmsErr(err)
		}
		c.out.str("token", zvcms.Token(cl.Credentials, st.Timestamp, st.Nonce, cl.KeyStyle))
		c.out.str("timestamp", st.Timestamp)
		c.out.str("nonce", st.Nonce)
		c.out.str("signContent", zvcms.SignContent(cl.Credentials, st.Timestamp, st.Nonce, cl.KeyStyle))
		return nil
	})
	for _, action := range []string{"", zvcms.ActionVerifyCoupons, zvcms.ActionCouponDiscount} {
		action := action
		name, fields := zvcmsMethodName(action), zvcmsRequestFields
		if action == "" {
			fields = append([]string{"action"}, zvcmsRequestFields...)
		}
		r.register(name, fields, func(c *call) error {
			req, err := c.zvcmsBuild(action)
			if err != nil {
				return err
			}
			c.writeZvcmsRequest(req)
			return nil
		})
	}
	r.register("zvcms.response", []string{"body", "action"}, func(c *call) error {
		action, body := c.in.str("action"), c.in.need("body")
		if err := c.fail(); err != nil {
			return err
		}
		return c.zvcmsParse(action, []byte(body))
	})
}

// zvcmsMethodName is the invoke method building action's request.
func zvcmsMethodName(action string) string {
	switch action {
	case zvcms.ActionVerifyCoupons:
		return "zvcms.verifyCoupons.request"
	case zvcms.ActionCouponDiscount:
		return "zvcms.couponDiscount.request"
	}
	return "zvcms.request"
}

// stamp reads the optional "timestamp" (Unix seconds) and "nonce".
func (c *call) stamp() zvcms.Stamp {
	return zvcms.Stamp{Timestamp: c.in.id("timestamp"), Nonce: c.in.id("nonce")}
}

// zvcmsBuild reads the request's credentials, stamp and params and builds
// the signed request: for action "" any action (members "action" and a raw
// "params" object sent byte for byte), else the typed builder of
// zvcms.ActionVerifyCoupons or zvcms.ActionCouponDiscount.
func (c *call) zvcmsBuild(action string) (zvcms.Request, error) {
	cl := c.zvcmsClient()
	st := c.stamp()
	var (
		verify   *zvcms.VerifyParams
		discount *zvcms.DiscountParams
		raw      []byte
	)
	switch action {
	case "":
		action = c.in.need("action")
		raw = compact(c.in.rawObject("params"), false)
	case zvcms.ActionVerifyCoupons:
		verify = c.verifyParams()
	case zvcms.ActionCouponDiscount:
		discount = c.discountParams()
	}
	if err := c.fail(); err != nil {
		return zvcms.Request{}, err
	}
	var req zvcms.Request
	var err error
	switch {
	case verify != nil:
		req, err = cl.VerifyCoupons(*verify, st)
	case discount != nil:
		req, err = cl.CouponDiscount(*discount, st)
	default:
		req, err = cl.Build(action, raw, st)
	}
	return req, zvcmsErr(err)
}

// typedParams returns the request's required params object, checking its
// members against allowed.
func (c *call) typedParams(allowed []string) (*reader, []byte) {
	if !c.in.has("params") {
		c.setErr(errs.Invalid("params", "params is required"))
	}
	return c.in.obj("params", allowed), c.in.rawObject("params")
}

// checkNested checks the members of v (at path) when it is an object; other
// shapes are left to the vendor parsers, which accept "" and [] as empty.
func (c *call) checkNested(path string, v gjson.Result, allowed []string) {
	if v.IsObject() {
		c.object(path, v, allowed)
	}
}

// verifyParams reads seed 000's params (camelCase names). Lists given in
// the seed's stringified form ("[id,id]") and an ext that is not an object
// ("" or []) are left to zvcms.ParseVerifyParams; the usual JSON forms are
// read here in the same pass that checks the member names.
func (c *call) verifyParams() *zvcms.VerifyParams {
	p, raw := c.typedParams(verifyParamFields)
	ext := &reader{c: c, path: "params.ext"}
	legacy := false
	if v := p.get("ext"); v.IsObject() {
		ext = c.object("params.ext", v, verifyExtFields)
	} else {
		legacy = v.Exists() && v.Type != gjson.Null
	}
	legacy = legacy || p.get("couponsCardList").Type == gjson.String || p.get("tradeMarks").Type == gjson.String
	if c.err != nil {
		return nil
	}
	if legacy {
		vp, err := zvcms.ParseVerifyParams(raw)
		c.setErr(zvcmsErr(err))
		return vp
	}
	vp := &zvcms.VerifyParams{
		BizID: p.str("bizId"), Channel: p.str("channel"), CustomerID: p.str("customerId"), GroupID: p.str("groupId"),
		CouponsCardList: p.list("couponsCardList"), Type: p.integer("type"), UseCount: p.integer("useCount"),
		TradeMarks: p.list("tradeMarks"), Amount: p.optFen("amount"), OrderAmount: p.optFen("orderAmount"),
		Ext: zvcms.Ext{ChannelType: ext.integer("channelType"), MultiStoreID: ext.str("multiStoreId"),
			MultiStoreMark: ext.str("multiStoreMark"), OrderNo: ext.str("orderNo"), Reason: ext.str("reason")},
	}
	if c.err != nil {
		return nil
	}
	return vp
}

// maxListLen bounds an id list (couponsCardList, tradeMarks).
const maxListLen = 10000

// list reads member name as a JSON array of strings or numbers (their raw
// text); absent or null is nil.
func (rd *reader) list(name string) []string {
	elems := rd.array(name, maxListLen)
	if len(elems) == 0 {
		return nil
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		var ok bool
		if out[i], ok = text(e); !ok {
			rd.c.setErr(typeError(index(join(rd.path, name), i), e))
		}
	}
	return out
}

// integer reads member name as a whole number (a JSON number or string);
// absent, null or "" is 0.
func (rd *reader) integer(name string) int {
	s := rd.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < -1<<31 || n > 1<<31-1 {
		rd.fail(name, "%q is not a whole number", clip(s))
		return 0
	}
	return n
}

// optFen reads member name as fen that may be absent.
func (rd *reader) optFen(name string) zvcms.OptFen {
	f, ok := rd.fen(name)
	return zvcms.OptFen{Fen: f, Valid: ok}
}

// discountParams reads seed 001's params (snake_case names).
func (c *call) discountParams() *zvcms.DiscountParams {
	p, raw := c.typedParams(discountParamFields)
	for i, it := range p.array("items", maxItems) {
		c.checkNested(index("params.items", i), it, discountItemFields)
	}
	if c.err != nil {
		return nil
	}
	dp, err := zvcms.ParseDiscountParams(raw)
	c.setErr(zvcmsErr(err))
	return dp
}

// maxItems bounds the goods lines of one discount request (the discount
// engine's own limit is larger; a vendor request is one order).
const maxItems = 10000

// zvcmsErr renames the zvcms package's field names to the request's:
// "Params.x" → "params.x", "Timestamp" → "timestamp", "Nonce" → "nonce",
// "Action" → "action", "OpenId" → "zvcms.openId" and so on.
func zvcmsErr(err error) error {
	return renameField(err, func(f string) string {
		switch {
		case strings.HasPrefix(f, "Params"):
			return "params" + f[len("Params"):]
		case f == "Timestamp", f == "Nonce", f == "Action":
			return strings.ToLower(f)
		case f == "OpenId", f == "GrantCode", f == "OpenKey":
			return "zvcms." + strings.ToLower(f[:1]) + f[1:]
		}
		return f
	})
}

// writeZvcmsRequest writes a built zvcms request's result members.
func (c *call) writeZvcmsRequest(req zvcms.Request) {
	w := &c.out
	w.str("url", req.URL)
	w.str("contentType", req.ContentType)
	w.strBytes("body", req.Body)
	w.str("token", req.Token)
	w.str("timestamp", req.Timestamp)
	w.str("nonce", req.Nonce)
	w.str("action", req.Action)
}

// zvcmsParse parses a zvcms reply body and writes its result members: typed
// for zvcms.ActionVerifyCoupons and zvcms.ActionCouponDiscount, the envelope
// for any other action. A vendor error is API_ERROR or SYSTEM_ERROR.
func (c *call) zvcmsParse(action string, body []byte) error {
	w := &c.out
	switch action {
	case zvcms.ActionVerifyCoupons:
		res, err := zvcms.ParseVerifyResponse(body)
		if err != nil {
			return err
		}
		writeZvcmsEnvelope(w, res.Response, false)
		w.str("bizId", res.BizID)
		w.strs("cardIdList", res.CardIDList)
		writeUserInfo(w, res.UserInfo)
		w.raw("data", stringifyNumbers(res.Response.Data))
	case zvcms.ActionCouponDiscount:
		res, err := zvcms.ParseDiscountResponse(body)
		if err != nil {
			return err
		}
		writeZvcmsEnvelope(w, res.Response, false)
		w.str("type_cate", res.TypeCate.String())
		w.str("multi_mark", res.MultiMark)
		w.str("coupon_discount", res.CouponDiscount.Yuan())
		w.str("coupon_discount_fen", res.CouponDiscount.String())
		w.str("user_coupon_name", res.UserCouponName)
		w.str("user_coupon_id", res.UserCouponID)
		w.str("finance_payment", res.FinancePayment.Yuan())
		w.str("finance_payment_fen", res.FinancePayment.String())
		writeUserInfo(w, res.UserInfo)
		w.str("amount", res.Amount)
		w.str("coupon_type", res.CouponType.String())
		w.arr("goods_item")
		for _, g := range res.GoodsItems {
			w.elemObj()
			w.str("trade_mark", g.TradeMark)
			w.str("coupon_minus", g.CouponMinus.Yuan())
			w.str("coupon_minus_fen", g.CouponMinus.String())
			w.end()
		}
		w.endArr()
		w.raw("data", stringifyNumbers(res.Response.Data))
	default:
		res, err := zvcms.ParseResponse(body)
		if err != nil {
			return err
		}
		writeZvcmsEnvelope(w, res, true)
	}
	return nil
}

// writeZvcmsEnvelope writes status, code and message (and, with data, the
// raw data with numbers as strings).
func writeZvcmsEnvelope(w *writer, r *zvcms.Response, data bool) {
	w.boolean("status", r.Status)
	w.str("code", r.Code)
	w.str("message", r.Message)
	if data {
		w.raw("data", stringifyNumbers(r.Data))
	}
}

// writeUserInfo writes the member block with the vendor's names.
func writeUserInfo(w *writer, u zvcms.UserInfo) {
	w.obj("userInfo")
	w.str("customer_id", u.CustomerID)
	w.str("groupId", u.GroupID)
	w.str("username", u.Username)
	w.str("nickname", u.Nickname)
	w.str("avatar", u.Avatar)
	w.str("phone", u.Phone)
	w.str("gender", u.Gender)
	w.str("birthday", u.Birthday)
	w.str("province", u.Province)
	w.str("city", u.City)
	w.str("district", u.District)
	w.end()
}
