package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/discount"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/transport"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/shopspring/decimal"
)

const (
	seedPath = "../../testdata/sandbox/seed.json"
	member   = "383933091455959041"
)

// env is a sandbox behind an httptest server and the clients that talk to it.
type env struct {
	t    testing.TB
	srv  *Server
	hs   *httptest.Server
	zv   *zvcms.Client
	ap   *allinpay.Client
	http *transport.Client
	n    int
}

func newEnv(t testing.TB, statePath string) *env {
	t.Helper()
	return newEnvWith(t, Config{StatePath: statePath}, nil)
}

// newEnvWith is newEnv for a Config (its Seed is filled in) and, when wrap
// is not nil, with the server's handler wrapped.
func newEnvWith(t testing.TB, cfg Config, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	seed, err := LoadSeed(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Seed = seed
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	e := &env{t: t, srv: srv, hs: hs}
	e.zv = &zvcms.Client{Credentials: zvcms.Credentials{OpenID: seed.Zvcms.OpenID, GrantCode: seed.Zvcms.GrantCode,
		OpenKey: seed.Zvcms.OpenKey}, BaseURL: hs.URL + seed.Client.ZvcmsPath}
	e.ap = e.allinpayClient(seed.Client.PlatformPublicKeyFile)
	if e.http, err = transport.New(transport.Options{Timeout: 10 * time.Second, RetryDelay: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) allinpayClient(platformPub string) *allinpay.Client {
	e.t.Helper()
	seed := e.srv.seed
	read := func(name string) string {
		b, err := os.ReadFile(seed.File(name))
		if err != nil {
			e.t.Fatal(err)
		}
		return string(b)
	}
	priv, err := allinpay.ParsePrivateKey("privateKey", read(seed.Client.MerchantPrivateKeyFile))
	if err != nil {
		e.t.Fatal(err)
	}
	pub, err := allinpay.ParsePublicKey("platformPublicKey", read(platformPub))
	if err != nil {
		e.t.Fatal(err)
	}
	c, err := allinpay.NewClient(allinpay.Config{AppID: seed.Allinpay.AppID, PrivateKey: priv, PlatformPublicKeys: []*allinpay.PublicKey{pub},
		GatewayURL: e.hs.URL + seed.Client.AllinpayPath})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// post sends a built request with an optional fault and returns the body.
func (e *env) post(url, ctype string, body []byte, fault string, idem bool) ([]byte, error) {
	var h []transport.Header
	if fault != "" {
		h = []transport.Header{{Name: FaultHeader, Value: fault}}
	}
	resp, err := e.http.Do(context.Background(), transport.Request{URL: url, ContentType: ctype, Body: body, Headers: h, Idempotent: idem})
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

func (e *env) couponSend(orderID, fault string) (*allinpay.CouponSendResult, error) {
	req, err := e.ap.CouponSend(allinpay.CouponSendParams{ShopID: "1", OperUserID: "cashier-01", CouponType: "1", Num: "1",
		CouponTemplateID: "307", IDType: "5", MemberID: member, OrderID: orderID}, time.Time{})
	if err != nil {
		e.t.Fatal(err)
	}
	body, err := e.post(req.URL, req.ContentType, req.Body, fault, false)
	if err != nil {
		return nil, err
	}
	return e.ap.ParseCouponSendResponse(body)
}

func (e *env) verify(bizID, coupon, fault string) (*zvcms.VerifyResult, error) {
	req, err := e.zv.VerifyCoupons(zvcms.VerifyParams{BizID: bizID, CustomerID: member, CouponsCardList: []string{coupon},
		Amount: zvcms.FenOf(500), OrderAmount: zvcms.FenOf(2600)}, zvcms.Stamp{})
	if err != nil {
		e.t.Fatal(err)
	}
	body, err := e.post(req.URL, req.ContentType, req.Body, fault, false)
	if err != nil {
		return nil, err
	}
	return zvcms.ParseVerifyResponse(body)
}

func (e *env) action(action string, params string) (*zvcms.Response, error) {
	req, err := e.zv.Build(action, []byte(params), zvcms.Stamp{})
	if err != nil {
		e.t.Fatal(err)
	}
	body, err := e.post(req.URL, req.ContentType, req.Body, "", true)
	if err != nil {
		return nil, err
	}
	return zvcms.ParseResponse(body)
}

func (e *env) status(coupon string) string {
	e.t.Helper()
	req, err := e.zv.CouponStatus(zvcms.CouponStatusParams{CustomerID: member, CardID: coupon}, zvcms.Stamp{})
	if err != nil {
		e.t.Fatal(err)
	}
	body, err := e.post(req.URL, req.ContentType, req.Body, "", req.Idempotent)
	if err != nil {
		e.t.Fatalf("status of %s: %v", coupon, err)
	}
	r, err := zvcms.ParseCouponStatusResponse(body)
	if err != nil {
		e.t.Fatalf("status of %s: %v", coupon, err)
	}
	c := r.Find(coupon)
	if c == nil || !c.UseStatus.Valid {
		e.t.Fatalf("status of %s: not in the reply %s", coupon, body)
	}
	return c.UseStatus.String()
}

// issue sends one coupon to the member and returns its 18-digit id.
func (e *env) issue() string {
	e.t.Helper()
	e.n++
	res, err := e.couponSend("order-"+strconv.Itoa(e.n)+"-"+e.t.Name(), "")
	if err != nil {
		e.t.Fatalf("couponSend: %v", err)
	}
	if len(res.List) != 1 || res.List[0].CouponNo == nil || len(*res.List[0].CouponNo) != 18 {
		e.t.Fatalf("couponSend result %+v", res)
	}
	return *res.List[0].CouponNo
}

func wantVendor(t *testing.T, err error, kind errs.Kind, code string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != kind || e.VendorCode != code {
		t.Fatalf("want %s with vendor code %s, got %v", kind, code, err)
	}
}

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.TransportError || e.Reason != reason {
		t.Fatalf("want TRANSPORT_ERROR %s, got %v", reason, err)
	}
}

func TestFullFlow(t *testing.T) {
	e := newEnv(t, "")
	coupon := e.issue()
	if e.srv.Coupon(coupon).CustomerID != member {
		t.Fatal("the coupon was not issued to the member")
	}

	// Quote locally, then ask the server and reconcile.
	in := discount.QuoteInput{Lines: []discount.LineInput{
		{ID: "6901234567001", Quantity: "2", UnitPrice: "8.80"},
		{ID: "6901234567002", Quantity: "1", UnitPrice: "6.50"},
		{ID: "2000000000017", Quantity: "3", UnitPrice: "2.35"},
	}, Coupons: []discount.CouponInput{{ID: coupon, Kind: "fixed", Value: "5", Threshold: "20"}}}
	b, cs, err := in.Parse()
	if err != nil {
		t.Fatal(err)
	}
	local, err := discount.Quote(b, cs)
	if err != nil {
		t.Fatal(err)
	}
	p := zvcms.DiscountParams{UserCouponID: coupon, UserID: member, CouponID: "307", TypeCate: zvcms.DineIn}
	for _, l := range in.Lines {
		n, _ := strconv.Atoi(l.Quantity)
		p.Items = append(p.Items, zvcms.Item{Num: n, TradeMark: l.ID, Price: l.UnitPrice})
	}
	req, err := e.zv.CouponDiscount(p, zvcms.Stamp{})
	if err != nil {
		t.Fatal(err)
	}
	body, err := e.post(req.URL, req.ContentType, req.Body, "", true)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := zvcms.ParseDiscountResponse(body)
	if err != nil {
		t.Fatalf("discount: %v\n%s", err, body)
	}
	sd := discount.ServerDiscount{CouponDiscount: dr.CouponDiscount.Fen}
	for _, it := range dr.GoodsItems {
		sd.Items = append(sd.Items, discount.ServerItem{TradeMark: it.TradeMark, CouponMinus: it.CouponMinus.Fen})
	}
	rec, err := discount.Reconcile(local, 0, sd)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Consistent || len(rec.Discrepancies) != 0 || rec.Amount != 500 || rec.OrderAmount != local.Amount {
		t.Fatalf("reconcile: %+v", rec)
	}
	if dr.UserCouponID != coupon || dr.CouponType.Int != 0 || dr.Amount != "5.00" {
		t.Fatalf("discount reply %+v", dr)
	}

	// Verify, status, verify again (business error), replay (same result).
	vr, err := e.verify("pos-1-"+coupon, coupon, "")
	if err != nil {
		t.Fatal(err)
	}
	if vr.BizID != "pos-1-"+coupon || len(vr.CardIDList) != 1 || vr.CardIDList[0] != coupon || vr.UserInfo.CustomerID != member {
		t.Fatalf("verify %+v", vr)
	}
	if s := e.status(coupon); s != "1" {
		t.Fatalf("useStatus %s, want 1", s)
	}
	_, err = e.verify("pos-2-"+coupon, coupon, "")
	wantVendor(t, err, errs.APIError, errUsed.code)
	again, err := e.verify("pos-1-"+coupon, coupon, "")
	if err != nil || again.BizID != vr.BizID {
		t.Fatalf("replay: %+v %v", again, err)
	}
	// The discount of a used coupon is refused too.
	body, _ = e.post(req.URL, req.ContentType, req.Body, "", true)
	_, err = zvcms.ParseDiscountResponse(body)
	wantVendor(t, err, errs.APIError, errUsed.code)

	// Allinpay query sees the redemption: nothing left.
	q, err := e.ap.CouponQuery(allinpay.CouponQueryParams{CouponNo: coupon}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	body, err = e.post(q.URL, q.ContentType, q.Body, "", true)
	if err != nil {
		t.Fatal(err)
	}
	qr, err := e.ap.ParseCouponQueryResponse(body)
	if err != nil || !qr.Verified || qr.CouponNo != coupon || qr.Balance != "0.00" || qr.InitAmount == "0.00" {
		t.Fatalf("couponQuery: %v %+v", err, qr)
	}
	c := e.srv.Counts()
	if c.Redemptions != 1 || len(c.RedeemedTwice) != 0 || len(c.Inconsistent) != 0 {
		t.Fatalf("counts %+v", c)
	}
}

func TestRateCouponDiscountMatchesEngine(t *testing.T) {
	e := newEnv(t, "")
	res, err := e.couponSend("rate-order", "")
	if err != nil {
		t.Fatal(err)
	}
	_ = res
	// Template 308 through couponSend, then the discount of a drinks basket.
	req, _ := e.ap.CouponSend(allinpay.CouponSendParams{ShopCode: "SH0001", OperUserID: "c1", CouponType: "2", Num: "2",
		CouponTemplateID: "308", IDType: "1", MemberID: "13800138000", OrderID: "rate-2"}, time.Time{})
	body, err := e.post(req.URL, req.ContentType, req.Body, "", false)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := e.ap.ParseCouponSendResponse(body)
	if err != nil || len(sent.List) != 2 || sent.List[0].QRCodeContext != nil || sent.List[0].TemplateID != 308 {
		t.Fatalf("couponSend x2 paper: %+v %v", sent, err)
	}
	coupon := *sent.List[1].CouponNo
	params := `{"user_coupon_id":"` + coupon + `","user_id":"` + member + `","items":[` +
		`{"num":"3","trade_mark":"6901234567001","price":"9.99"},{"num":"1","trade_mark":"X","price":"50"}]}`
	r, err := e.action(zvcms.ActionCouponDiscount, params)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		CouponDiscount string `json:"coupon_discount"`
		Amount         string `json:"amount"`
		CouponType     string `json:"coupon_type"`
		Goods          []struct {
			TradeMark   string `json:"trade_mark"`
			CouponMinus string `json:"coupon_minus"`
		} `json:"goods_item"`
	}
	if err := json.Unmarshal(r.Data, &d); err != nil {
		t.Fatal(err)
	}
	// 3 × 9.99 = 29.97 eligible; 15% off = 4.4955 → 4.50 (half-up); X is out of scope.
	if d.CouponDiscount != "4.50" || d.Amount != "8.5" || d.CouponType != "1" || len(d.Goods) != 2 ||
		d.Goods[0].CouponMinus != "4.50" || d.Goods[1].CouponMinus != "0.00" {
		t.Fatalf("rate discount %s", r.Data)
	}
	// Independent check with the engine directly.
	q, err := discount.Quote(discount.Basket{Rounding: money.HalfUp, Lines: []discount.Line{
		{ID: "a", Quantity: decimal.NewFromInt(3), UnitPrice: 999}}},
		[]discount.Coupon{{Kind: discount.Rate, Rate: decimal.RequireFromString("8.5"), Cap: 1000}})
	if err != nil || q.Discount != 450 {
		t.Fatalf("engine %v %v", q, err)
	}
}

func TestBusinessErrors(t *testing.T) {
	e := newEnv(t, "")
	cases := []struct {
		name, coupon string
		want         problem
	}{
		{"frozen", "390962138708451329", errFrozen},
		{"expired", "390962138708451330", errExpired},
		{"deleted", "390962138708451331", errDeleted},
		{"unknown", "390962138708459999", errNotFound},
	}
	for _, tc := range cases {
		_, err := e.verify("biz-"+tc.name, tc.coupon, "")
		wantVendor(t, err, errs.APIError, tc.want.code)
	}
	// Not the member's coupon.
	coupon := e.issue()
	req, _ := e.zv.VerifyCoupons(zvcms.VerifyParams{BizID: "other", CustomerID: "383933091455959999", CouponsCardList: []string{coupon}}, zvcms.Stamp{})
	body, _ := e.post(req.URL, req.ContentType, req.Body, "", false)
	_, err := zvcms.ParseVerifyResponse(body)
	wantVendor(t, err, errs.APIError, errNotOwner.code)
	// Scanned code (type 1) works without customerId.
	code := e.srv.Coupon(coupon).Code
	req, _ = e.zv.VerifyCoupons(zvcms.VerifyParams{BizID: "scan-1", Type: zvcms.TypeScanCode, CouponsCardList: []string{code}}, zvcms.Stamp{})
	body, _ = e.post(req.URL, req.ContentType, req.Body, "", false)
	if vr, err := zvcms.ParseVerifyResponse(body); err != nil || vr.CardIDList[0] != coupon {
		t.Fatalf("scan verify: %+v %v", vr, err)
	}
	// The same bizId with other coupons is refused.
	_, err = e.verify("scan-1", e.issue(), "")
	wantVendor(t, err, errs.APIError, errBizIDReused.code)
	// Threshold not met (template 307 needs 20 yuan).
	r, err := e.action(zvcms.ActionCouponDiscount, `{"user_coupon_id":"`+e.issue()+`","user_id":"`+member+`","items":[{"num":"1","trade_mark":"A","price":"19.99"}]}`)
	wantVendor(t, err, errs.APIError, errNotUsable.code)
	_ = r
	// Invalid params name the field.
	_, err = e.action(zvcms.ActionVerifyCoupons, `{"bizId":"x","customerId":"`+member+`"}`)
	wantVendor(t, err, errs.APIError, "40001")
	if c := e.srv.Counts(); c.Redemptions != 1 || len(c.Inconsistent) != 0 {
		t.Fatalf("counts %+v", c)
	}
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t, "")
	// Wrong openKey → system error (status false).
	bad := *e.zv
	bad.OpenKey = "wrong"
	req, _ := bad.Build(zvcms.ActionCouponStatus, []byte(`{"customerId":"`+member+`","cardId":"390962138708451328"}`), zvcms.Stamp{})
	body, _ := e.post(req.URL, req.ContentType, req.Body, "", true)
	_, err := zvcms.ParseResponse(body)
	wantVendor(t, err, errs.SystemError, "10002")
	// Stale timestamp.
	req, _ = e.zv.Build(zvcms.ActionCouponStatus, []byte(`{"customerId":"`+member+`","cardId":"390962138708451328"}`),
		zvcms.Stamp{Timestamp: strconv.FormatInt(time.Now().Unix()-3600, 10), Nonce: "123456"})
	body, _ = e.post(req.URL, req.ContentType, req.Body, "", true)
	_, err = zvcms.ParseResponse(body)
	wantVendor(t, err, errs.SystemError, "10003")
	// Unknown action.
	_, err = e.action("coupon.no-such-action", `{}`)
	wantVendor(t, err, errs.SystemError, "10004")

	// Allinpay: a request signed with another key is refused, unsigned.
	other := e.allinpayClientWithMerchantKey(t, "../../testdata/allinpay/rsa1024_pkcs8.pem")
	q, _ := other.Build(MethodCouponQuery, "", []byte(`{"couponNo":"390962138708451328"}`), time.Time{})
	body, _ = e.post(q.URL, q.ContentType, q.Body, "", true)
	r, err := e.ap.ParseResponse(body)
	wantVendor(t, err, errs.APIError, "1001")
	if r.Verified {
		t.Fatal("an unsigned rejection must not count as verified")
	}
	// A client configured with the wrong platform key rejects the reply.
	wrong := e.allinpayClient("../allinpay/rsa2048_pub_spki.pem")
	q, _ = wrong.Build(MethodCouponQuery, "", []byte(`{"couponNo":"390962138708451328"}`), time.Time{})
	body, _ = e.post(q.URL, q.ContentType, q.Body, "", true)
	if _, err := wrong.ParseResponse(body); errs.KindOf(err) != errs.SignatureInvalid {
		t.Fatalf("wrong platform key: %v", err)
	}
}

func (e *env) allinpayClientWithMerchantKey(t *testing.T, path string) *allinpay.Client {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := allinpay.ParsePrivateKey("privateKey", string(b))
	if err != nil {
		t.Fatal(err)
	}
	c, err := allinpay.NewClient(allinpay.Config{AppID: e.srv.seed.Allinpay.AppID, PrivateKey: priv,
		GatewayURL: e.hs.URL + e.srv.seed.Client.AllinpayPath, Verify: allinpay.SkipVerify})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestFaults: every fault kind gives the right error; a POS that repeats the
// call with the same bizId / orderId ends with every coupon issued once and
// redeemed once.
func TestFaults(t *testing.T) {
	e := newEnv(t, "")
	before := e.srv.Counts()
	faults := []struct {
		spec, reason string
		processed    bool
	}{
		{"status=500", transport.ReasonHTTPStatus, false},
		{"status=503", transport.ReasonHTTPStatus, false},
		{"truncate", transport.ReasonTruncated, true},
		{"drop", transport.ReasonReset, true},
	}
	issued, verified := 0, 0
	for _, f := range faults {
		// couponSend under the fault, then repeated without it.
		order := "fault-order-" + f.spec
		_, err := e.couponSend(order, f.spec)
		wantReason(t, err, f.reason)
		sent, err := e.couponSend(order, "")
		if err != nil {
			t.Fatalf("%s: couponSend repeat: %v", f.spec, err)
		}
		again, _ := e.couponSend(order, "")
		if *again.List[0].CouponNo != *sent.List[0].CouponNo || again.TranNo != sent.TranNo {
			t.Fatalf("%s: repeated couponSend issued another coupon", f.spec)
		}
		issued++
		coupon := *sent.List[0].CouponNo

		// verify under the fault, then repeated with the same bizId.
		biz := "fault-biz-" + f.spec
		_, err = e.verify(biz, coupon, f.spec)
		wantReason(t, err, f.reason)
		wantStatus := "0"
		if f.processed {
			wantStatus = "1"
		}
		if s := e.status(coupon); s != wantStatus {
			t.Fatalf("%s: after the fault useStatus is %s, want %s", f.spec, s, wantStatus)
		}
		vr, err := e.verify(biz, coupon, "")
		if err != nil || vr.BizID != biz {
			t.Fatalf("%s: repeat with the same bizId: %+v %v", f.spec, vr, err)
		}
		verified++
		// A different bizId cannot redeem it again.
		_, err = e.verify(biz+"-other", coupon, "")
		wantVendor(t, err, errs.APIError, errUsed.code)
	}
	// Latency: a client timeout shorter than the delay is a timeout; the
	// server finishes the verification, and the repeat returns it.
	slow, _ := transport.New(transport.Options{Timeout: 100 * time.Millisecond})
	coupon := e.issue()
	issued++
	req, _ := e.zv.VerifyCoupons(zvcms.VerifyParams{BizID: "slow-1", CustomerID: member, CouponsCardList: []string{coupon}}, zvcms.Stamp{})
	_, err := slow.Do(context.Background(), transport.Request{URL: req.URL, ContentType: req.ContentType, Body: req.Body,
		Headers: []transport.Header{{Name: FaultHeader, Value: "latency=400ms"}}})
	wantReason(t, err, transport.ReasonTimeout)
	resp, err := e.http.Do(context.Background(), transport.Request{URL: req.URL, ContentType: req.ContentType, Body: req.Body,
		Headers: []transport.Header{{Name: FaultHeader, Value: "latency=10ms"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zvcms.ParseVerifyResponse(resp.Body); err != nil {
		t.Fatal(err)
	}
	verified++
	// A query is retried by the transport through a 5xx: the header applies
	// to every attempt, so it still fails, after 3 attempts.
	q, _ := e.ap.Build(MethodCouponQuery, "", []byte(`{"couponNo":"`+coupon+`"}`), time.Time{})
	resp, err = e.http.Do(context.Background(), transport.Request{URL: q.URL, ContentType: q.ContentType, Body: q.Body,
		Idempotent: true, Headers: []transport.Header{{Name: FaultHeader, Value: "status=502"}}})
	wantReason(t, err, transport.ReasonHTTPStatus)
	if resp.Attempts != 3 {
		t.Fatalf("query attempts %d, want 3", resp.Attempts)
	}

	after := e.srv.Counts()
	if after.Coupons != before.Coupons+issued || after.Sends != before.Sends+issued {
		t.Fatalf("coupons %d → %d, sends %d → %d, want +%d each", before.Coupons, after.Coupons, before.Sends, after.Sends, issued)
	}
	if after.Redemptions != before.Redemptions+verified || len(after.RedeemedTwice) != 0 || len(after.Inconsistent) != 0 {
		t.Fatalf("redemptions %d → %d (want +%d), twice %v, inconsistent %v",
			before.Redemptions, after.Redemptions, verified, after.RedeemedTwice, after.Inconsistent)
	}
	if after.ByStatus["1"] != verified {
		t.Fatalf("verified coupons %d, want %d", after.ByStatus["1"], verified)
	}
}

// TestFaultByFlag: a configured fault hits every N-th request only.
func TestFaultByFlag(t *testing.T) {
	seed, err := LoadSeed(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFault("status=500")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(Config{Seed: seed, Fault: f, FaultEvery: 2})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	codes := []int{}
	for i := 0; i < 4; i++ {
		resp, err := http.Post(hs.URL+"/api/v2", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	if codes[0] != 200 || codes[1] != 500 || codes[2] != 200 || codes[3] != 500 {
		t.Fatalf("status codes %v, want 200 500 200 500", codes)
	}
	for _, bad := range []string{"latency=x", "status=99", "explode"} {
		if _, err := ParseFault(bad); err == nil {
			t.Errorf("ParseFault(%q) accepted", bad)
		}
	}
	if f, _ := ParseFault("latency=20ms,truncate"); f.Latency != 20*time.Millisecond || !f.Truncate || f.Drop {
		t.Errorf("ParseFault combined: %+v", f)
	}
}

func TestRestartKeepsState(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	e := newEnv(t, state)
	coupon := e.issue()
	if _, err := e.verify("restart-1", coupon, ""); err != nil {
		t.Fatal(err)
	}
	unused := e.issue()
	e.hs.Close()

	e2 := newEnv(t, state)
	if c := e2.srv.Coupon(coupon); c == nil || c.Status != StatusVerified || c.VerifiedBy != "restart-1" {
		t.Fatalf("after restart: %+v", c)
	}
	_, err := e2.verify("restart-2", coupon, "")
	wantVendor(t, err, errs.APIError, errUsed.code)
	if vr, err := e2.verify("restart-1", coupon, ""); err != nil || vr.CardIDList[0] != coupon {
		t.Fatalf("replay after restart: %v", err)
	}
	if _, err := e2.verify("restart-3", unused, ""); err != nil {
		t.Fatalf("unused coupon after restart: %v", err)
	}
	// A repeated orderId returns the original coupon; a new one continues
	// the id sequence (no reuse after restart).
	if again := e2.issue(); again != coupon {
		t.Fatalf("orderId replay after restart issued %s, want %s", again, coupon)
	}
	e2.n = 10
	if next := e2.issue(); next == coupon || next == unused || e2.srv.Coupon(next) == nil {
		t.Fatalf("id reused after restart: %s", next)
	}
	if c := e2.srv.Counts(); c.Redemptions != 2 || len(c.Inconsistent) != 0 {
		t.Fatalf("counts %+v", c)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("state dir holds %d files (temporary files left behind?)", len(entries))
	}
	var st State
	b, _ := os.ReadFile(state)
	if err := json.Unmarshal(b, &st); err != nil || len(st.Redemptions) != 2 {
		t.Fatalf("state file: %v", err)
	}
}

func TestCORSAndHealth(t *testing.T) {
	e := newEnv(t, "")
	req, _ := http.NewRequest(http.MethodOptions, e.hs.URL+"/api/v2", nil)
	req.Header.Set("Origin", "http://localhost:8000")
	req.Header.Set("Access-Control-Request-Headers", "content-type, x-sandbox-fault")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("preflight %d %v", resp.StatusCode, resp.Header)
	}
	resp, err = http.Get(e.hs.URL + "/state")
	if err != nil {
		t.Fatal(err)
	}
	var s struct{ Counts Counts }
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.Counts.Coupons != 4 {
		t.Fatalf("/state: %+v %v", s, err)
	}
	resp.Body.Close()
}

// BenchmarkVerifyRoundTrip is one complete verification through the
// sandbox: build and sign, send over loopback, check the Token, redeem,
// write the reply, parse it. (No state file; with one, add its fsync.)
func BenchmarkVerifyRoundTrip(b *testing.B) {
	e := newEnv(b, "")
	ids := make([]string, b.N)
	e.srv.mu.Lock()
	for i := range ids {
		ids[i] = e.srv.issue(e.srv.templates["307"], member, "").ID
	}
	e.srv.mu.Unlock()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.verify("bench-"+strconv.Itoa(i), ids[i], ""); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentVerify: many tills racing for one coupon redeem it once.
func TestConcurrentVerify(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "state.json"))
	coupon := e.issue()
	type result struct {
		biz string
		err error
	}
	results := make(chan result, 16)
	for i := 0; i < 16; i++ {
		biz := "same"
		if i%2 == 1 {
			biz = "till-" + strconv.Itoa(i)
		}
		go func(biz string) {
			_, err := e.verify(biz, coupon, "")
			results <- result{biz, err}
		}(biz)
	}
	winners := map[string]int{}
	for i := 0; i < 16; i++ {
		r := <-results
		if r.err == nil {
			winners[r.biz]++
		} else {
			wantVendor(t, r.err, errs.APIError, errUsed.code)
		}
	}
	if len(winners) != 1 {
		t.Fatalf("winning bizIds %v, want exactly one", winners)
	}
	for biz, n := range winners {
		if (biz == "same" && n != 8) || (biz != "same" && n != 1) {
			t.Fatalf("bizId %s succeeded %d times", biz, n)
		}
		if got := e.srv.Coupon(coupon).VerifiedBy; got != biz {
			t.Fatalf("verified by %s, want %s", got, biz)
		}
	}
	if c := e.srv.Counts(); c.Redemptions != 1 || len(c.RedeemedTwice) != 0 || len(c.Inconsistent) != 0 {
		t.Fatalf("counts %+v", c)
	}
}

// TestCouponConsume: Allinpay couponConsumeV1, typed, end to end: it
// redeems all or none, once per orderId (a repeat answers the first
// result), and shares the coupon state with zvcms.
func TestCouponConsume(t *testing.T) {
	e := newEnv(t, "")
	a, b := e.issue(), e.issue()
	consume := func(order string, coupons ...string) (*allinpay.CouponConsumeResult, error) {
		p := allinpay.CouponConsumeParams{ShopID: "1", OperUserID: "cashier-01", OrderID: order}
		for _, c := range coupons {
			p.CouponConsumeList = append(p.CouponConsumeList, allinpay.CouponConsumeItem{CouponNo: c, ConsumeAmount: "1",
				Passwd: "ENCRYPTED-TEST", PrincipalAmt: "5.00", StlmShopList: []allinpay.StlmShop{{StlmShopID: "1", StlmAmount: "5.00"}}})
		}
		req, err := e.ap.CouponConsume(p, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		body, err := e.post(req.URL, req.ContentType, req.Body, "", false)
		if err != nil {
			t.Fatal(err)
		}
		return e.ap.ParseCouponConsumeResponse(body)
	}
	r, err := consume("c-1", a, b)
	if err != nil || !r.Verified || r.VerifiedBy != allinpay.SDKMD5 || r.TranNo == "" || len(r.CouponConsumeDetail) != 2 ||
		r.CouponConsumeDetail[1].CouponNo != b || r.CouponConsumeDetail[0].FinanceList[0].AccountValue == "" {
		t.Fatalf("consume: %+v %v", r, err)
	}
	again, err := consume("c-1", a, b)
	if err != nil || again.TranNo != r.TranNo || !reflect.DeepEqual(again.CouponConsumeDetail, r.CouponConsumeDetail) {
		t.Fatalf("replayed orderId: %v %+v vs %+v", err, again, r)
	}
	var e2 *errs.Error
	if _, err := consume("c-2", a); !errors.As(err, &e2) || e2.VendorCode != "3" || e2.VendorMessage != errUsed.msg+": "+a {
		t.Fatalf("consume a used coupon: %v", err)
	}
	if _, err := consume("c-1", a); errs.KindOf(err) != errs.APIError {
		t.Fatalf("same orderId, other coupons: %v", err)
	}
	_, err = e.verify("after-consume", b, "")
	wantVendor(t, err, errs.APIError, errUsed.code)
	// All or none: one unknown coupon leaves the other unused.
	c := e.issue()
	if _, err := consume("c-3", c, "390962138708459999"); errs.KindOf(err) != errs.APIError {
		t.Fatalf("unknown coupon: %v", err)
	}
	if e.srv.Coupon(c).Status != StatusUnused {
		t.Fatal("a failed consume changed a coupon")
	}
	if n := e.srv.Counts(); n.Redemptions != 2 || len(n.Inconsistent) != 0 {
		t.Fatalf("counts %+v", n)
	}
	// The query after redemption: balance 0, face value kept.
	q, _ := e.ap.CouponQuery(allinpay.CouponQueryParams{CouponNo: a}, time.Time{})
	body, err := e.post(q.URL, q.ContentType, q.Body, "", false)
	if err != nil {
		t.Fatal(err)
	}
	qr, err := e.ap.ParseCouponQueryResponse(body)
	if err != nil || qr.Balance != "0.00" || qr.CouponType != allinpay.CouponTypeAmount && qr.CouponType != allinpay.CouponTypeThreshold ||
		qr.ValidityBeginDate == nil || len(*qr.ValidityBeginDate) != 10 {
		t.Fatalf("query after consume: %+v %v", qr, err)
	}
}

// TestDiagnoseSandboxReply: Diagnose recognises the sandbox's default reply
// variant (sdk+md5) and says which verifyMode to pin.
func TestDiagnoseSandboxReply(t *testing.T) {
	e := newEnv(t, "")
	q, err := e.ap.CouponQuery(allinpay.CouponQueryParams{CouponNo: e.issue()}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	body, err := e.post(q.URL, q.ContentType, q.Body, "", false)
	if err != nil {
		t.Fatal(err)
	}
	d := e.ap.Diagnose(body, &q)
	out, _ := json.MarshalIndent(d, "", "  ")
	t.Logf("Diagnose(sandbox couponQuery reply):\n%s", out)
	if !d.Verified || d.VerifiedBy != allinpay.SDKMD5 || d.VerifyMode != "sdk+md5" || d.Request == nil {
		t.Fatalf("%s", out)
	}
}
