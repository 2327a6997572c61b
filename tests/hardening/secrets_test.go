package hardening

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/transport"
	"github.com/couponkit/couponkit/core/zvcms"
	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// secretFiles are the private keys of the test credentials: the merchant
// keys a POS registers (every encoding and algorithm of testdata/allinpay)
// and the sandbox platform's.
var secretFiles = []string{
	"testdata/allinpay/rsa2048_pkcs8.pem", "testdata/allinpay/rsa2048_pkcs1.pem",
	"testdata/allinpay/rsa1024_pkcs8.pem", "testdata/allinpay/sm2_pkcs8.pem",
	"testdata/allinpay/sm2_sec1.pem", PlatformKeyFile,
}

// needles are the secret fragments an output must not contain: the openKey,
// the consume requests' payment password, and for every private key every 8-character window of its PEM Base64 body
// and of the Base64 of its DER at the two other byte alignments, and every
// 16-digit (8-byte) window of the DER in hex, either case.
type needles struct {
	openKey string
	windows map[string]string // fragment → which key
}

func loadNeedles(t *testing.T, e *Env) *needles {
	t.Helper()
	n := &needles{openKey: OpenKey, windows: map[string]string{}}
	add := func(s string, w int, from string) {
		for i := 0; i+w <= len(s); i++ {
			n.windows[s[i:i+w]] = from
		}
	}
	for _, f := range secretFiles {
		text, err := e.ReadRoot(f)
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode([]byte(text))
		if block == nil {
			t.Fatalf("%s: no PEM block", f)
		}
		add(base64.StdEncoding.EncodeToString(block.Bytes), 8, f)
		for shift := 1; shift <= 2; shift++ {
			add(base64.StdEncoding.EncodeToString(block.Bytes[shift:]), 8, f)
		}
		h := hex.EncodeToString(block.Bytes)
		add(h, 16, f)
		add(strings.ToUpper(h), 16, f)
	}
	return n
}

// find returns a description of the first secret fragment in out ("" if
// none).
func (n *needles) find(out []byte) string {
	if bytes.Contains(out, []byte(n.openKey)) {
		return "the openKey"
	}
	if bytes.Contains(out, []byte(PayPassword)) {
		return "the payPassword"
	}
	if bytes.Contains(out, []byte(Passwd)) {
		return "the passwd"
	}
	// JSON writes "/" and "+" as is, but a reply may escape "/" as "\/".
	s := strings.ReplaceAll(string(out), `\/`, "/")
	for _, w := range []int{8, 16} {
		for i := 0; i+w <= len(s); i++ {
			if from, ok := n.windows[s[i:i+w]]; ok {
				return fmt.Sprintf("%q from %s", s[i:i+w], from)
			}
		}
	}
	return ""
}

// TestSecretsNeverInOutput sweeps every reply of every method (the good
// requests, the whole catalogue, and requests holding the secrets in the
// wrong places) and every error of the core key and credential parsers for
// the openKey and the private-key bytes.
func TestSecretsNeverInOutput(t *testing.T) {
	cl0 := &zvcms.Client{Credentials: zvcms.Credentials{OpenID: "a", GrantCode: "b", OpenKey: OpenKey}}
	tr := &canned{}
	r, e := newEnv(t, tr.send)
	n := loadNeedles(t, e)
	checked := 0
	sweep := func(what string, out []byte) {
		t.Helper()
		checked++
		if hit := n.find(out); hit != "" {
			t.Errorf("%s: output holds %s: %.300s", what, hit, out)
		}
	}

	good, err := e.GoodRequests()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range good {
		reply := r.Invoke(g.Method, []byte(g.Body))
		if _, err := envelope(reply); err != nil {
			t.Fatalf("%s: %v", g.Method, err)
		}
		if g.Method == "zvcms.consume.request" {
			// The built body carries the password to the vendor, once, in
			// Params.payPassword; no other member does.
			body := gjson.GetBytes(reply, "result.body").Str
			if gjson.Get(body, "Params.payPassword").Str != PayPassword || strings.Count(body, PayPassword) != 1 {
				t.Errorf("the consume body does not carry the password once: %s", body)
			}
			if reply, err = sjson.DeleteBytes(reply, "result.body"); err != nil {
				t.Fatal(err)
			}
		}
		if g.Method == "allinpay.couponConsume.request" {
			// The form body carries the passwd to the gateway, once, in
			// bizContent; the other members show it as [redacted].
			form, err := url.ParseQuery(gjson.GetBytes(reply, "result.body").Str)
			if err != nil || gjson.Get(form.Get("bizContent"), "couponConsumeList.0.passwd").Str != Passwd || strings.Count(form.Get("bizContent"), Passwd) != 1 {
				t.Errorf("the couponConsume body does not carry the passwd once: %v %s", err, reply)
			}
			if reply, err = sjson.DeleteBytes(reply, "result.body"); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(gjson.GetBytes(reply, "result.signContent").Str, `"passwd":"[redacted]"`) {
				t.Errorf("the couponConsume signContent does not show the passwd redacted: %s", reply)
			}
		}
		// Every good request succeeds, except that the sending methods
		// meet the test transport's refusal.
		if code := gjson.GetBytes(reply, "error.code").Str; code != "" && code != "TRANSPORT_ERROR" {
			t.Errorf("good %s: %s", g.Method, reply)
		}
		sweep("good "+g.Method, reply)
	}

	cases, err := Load(filepath.Join(root, "testdata", "badinput"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		tr.set(c.Reply)
		body, err := e.Body(c)
		if err != nil {
			t.Fatal(err)
		}
		sweep("catalogue "+c.Name, r.Invoke(c.Method, body))
	}

	// Secrets in the wrong places: the library must name the field, never
	// echo the value.
	key, _ := e.ReadRoot(MerchantKeyFile)
	block, _ := pem.Decode([]byte(key))
	bare := base64.StdEncoding.EncodeToString(block.Bytes)
	for _, s := range []string{key, bare, bare[:40], OpenKey} {
		q := jsonString(s)
		for _, m := range []Request{
			{"session.open", `{"allinpay":{"appId":"a","privateKey":"x","platformPublicKey":` + q + `,"gatewayUrl":"https://gw.example/"}}`},
			{"session.open", `{"allinpay":{"appId":"a","privateKey":` + q + `,"platformPublicKey":` + q + `,"gatewayUrl":"https://gw.example/"}}`},
			{"session.open", `{"allinpay":{"appId":"a","privateKey":` + q + `,"signType":"SM2","gatewayUrl":"https://gw.example/"}}`},
			{"session.open", `{"zvcms":{"openId":"a","grantCode":"b","openKey":` + q + `,"baseUrl":"not a url"}}`},
			{"session.open", `{"zvcms":{"openId":"a","grantCode":"b","openKey":` + q + `,"tokenKeyStyle":"x"}}`},
			{"session.open", `{"zvcms":{"openId":"a","grantCode":"b","openKey":[` + q + `]}}`},
			{"zvcms.token", `{"zvcms":{"openId":"a","grantCode":"b","openKey":` + q + `},"timestamp":"x"}`},
			{"zvcms.request", `{"zvcms":{"openId":"a","grantCode":"b","openKey":` + q + `},"action":"a","params":[1]}`},
			{"allinpay.response", `{"allinpay":{"appId":"a","privateKey":` + q + `,"platformPublicKey":` + q + `,"gatewayUrl":"https://gw.example/"},"body":"{}"}`},
			{"money.toFen", `{"yuan":"1","secret":` + q + `}`},
			{"zvcms.consume.request", `{"zvcms":{"openId":"a","grantCode":"b","openKey":` + q + `},"params":{"bizId":"b","customerId":"1","amountFen":-1,"payPassword":` + q + `}}`},
		} {
			sweep("misplaced secret in "+m.Method, r.Invoke(m.Method, []byte(m.Body)))
		}
	}

	// The payment password in every wrong form and with every other member
	// wrong: refused without being quoted; the one-call consume's replies
	// (success, vendor errors, unreadable, no transport) never carry it.
	pw := jsonString(PayPassword)
	zv := `"zvcms":` + e.ZvcmsCreds()
	for _, p := range []string{
		`{"bizId":"b","customerId":"1","amountFen":1,"payPassword":[` + pw + `]}`,
		`{"bizId":"b","customerId":"1","amountFen":1,"payPassword":{"v":` + pw + `}}`,
		`{"bizId":"b","customerId":"1","amountFen":1,"payPassword":` + pw + `,"payPassword":` + pw + `}`,
		`{"bizId":"b","customerId":"1","payPassword":` + pw + `}`,
		`{"bizId":"b","customerId":"x","amountFen":1,"payPassword":` + pw + `}`,
		`{"bizId":"b","customerId":"1","amountFen":"1.5","payPassword":` + pw + `}`,
		`{"bizId":"b","customerId":"1","amountFen":1,"payPasswd":` + pw + `}`,
		`{"bizId":` + pw + `,"amountFen":1,"payPassword":` + pw + `}`,
	} {
		for _, m := range []string{"zvcms.consume.request", "zvcms.consume"} {
			sweep("consume "+p, r.Invoke(m, []byte(`{`+zv+`,"params":`+p+`}`)))
		}
	}
	consume := []byte(`{` + zv + `,"params":{"bizId":"b","customerId":"1","amountFen":1,"payPassword":` + pw + `}}`)
	for _, body := range []string{`{"status":"true","code":"0","data":{"bizId":"7001","couponsCardList":[]}}`,
		`{"status":true,"code":"40031","message":"支付密码错误"}`, `{"status":false,"code":"500","message":"x"}`, `<html>`} {
		tr.set(&Reply{Status: 200, Body: body})
		sweep("consume reply "+body, r.Invoke("zvcms.consume", consume))
	}
	tr.set(&Reply{Status: 500, Body: ""})
	sweep("consume HTTP 500", r.Invoke("zvcms.consume", consume))
	tr.set(nil)
	sweep("consume refused", r.Invoke("zvcms.consume", consume))
	for _, p := range []zvcms.ConsumeParams{{BizID: "b", CustomerID: "1", PayPassword: PayPassword},
		{BizID: "b", CustomerID: "x", Amount: zvcms.FenOf(1), PayPassword: PayPassword},
		{BizID: "b", CustomerID: "1", Amount: zvcms.FenOf(1), PayPassword: PayPassword + "\xff"}} {
		sweep("ConsumeParams formatted", []byte(fmt.Sprintf("%v %+v %#v %s", p, p, p, p)))
		if _, err := cl0.Consume(p, zvcms.Stamp{}); err != nil {
			sweep("Consume error", []byte(err.Error()+fmt.Sprintf(" %+v", err)))
		} else {
			t.Errorf("%+v was accepted", p)
		}
	}

	// The couponConsume passwd in every wrong form and with every other
	// member wrong: refused without being quoted; the one-call's replies
	// (success, vendor errors, unreadable, no transport) never carry it.
	apCreds, err := e.AllinpayCreds()
	if err != nil {
		t.Fatal(err)
	}
	ppw := jsonString(Passwd)
	item := func(extra string) string {
		return `{"shopId":"1","operUserId":"c1","orderId":"o1","couponConsumeList":[{"couponNo":"496996143645800001",` + extra + `}]}`
	}
	for _, p := range []string{
		item(`"consumeAmount":"1","passwd":[` + ppw + `]`),
		item(`"consumeAmount":"1","passwd":{"v":` + ppw + `}`),
		item(`"consumeAmount":"1","passwd":` + ppw + `,"passwd":` + ppw),
		item(`"consumeAmount":"0","passwd":` + ppw),
		item(`"consumeAmount":"1","principalAmt":"1.001","passwd":` + ppw),
		item(`"consumeAmount":"1","passWd":` + ppw),
		item(`"consumeAmount":"1","passwd":` + ppw + `,"stlmShopList":[{"stlmAmount":"1"}]`),
		item(`"consumeAmount":"1","passwd":` + ppw + `,"principalAmt":-1`),
		`{"shopId":"1","operUserId":"c1","couponConsumeList":[{"couponNo":"1","consumeAmount":"1","passwd":` + ppw + `}]}`,
		`{"shopId":"1","operUserId":"c1","orderId":"o1","couponConsumeList":[{"couponNo":"1","consumeAmount":"1","passwd":` + ppw + `},{"couponNo":"1","consumeAmount":"1","passwd":` + ppw + `}]}`,
	} {
		for _, m := range []string{"allinpay.couponConsume.request", "allinpay.couponConsume"} {
			reply := r.Invoke(m, []byte(`{"allinpay":`+apCreds+`,"params":`+p+`}`))
			if gjson.GetBytes(reply, "ok").Bool() {
				t.Errorf("%s %s was accepted", m, p)
			}
			sweep("couponConsume "+p, reply)
		}
	}
	apConsume := []byte(`{"allinpay":` + apCreds + `,"params":` + item(`"consumeAmount":"1","passwd":`+ppw) + `}`)
	for _, body := range []string{`$signed:{"code":0,"msg":"成功","data":{"orgName":"x","tranNo":"7","couponConsumeDetail":[]}}`,
		`{"code":40004,"msg":"卡密码错误"}`, `$signed:{"code":40004,"msg":"卡密码错误","data":null}`, `<html>`} {
		rep := &Reply{Status: 200, Body: body}
		if strings.HasPrefix(body, "$signed:") {
			v, err := e.value("signed", body[len("$signed:"):])
			if err != nil {
				t.Fatal(err)
			}
			rep.Body = gjson.Parse(v).Str
		}
		tr.set(rep)
		sweep("couponConsume reply "+body, r.Invoke("allinpay.couponConsume", apConsume))
	}
	tr.set(nil)
	sweep("couponConsume refused", r.Invoke("allinpay.couponConsume", apConsume))
	it := allinpay.CouponConsumeItem{CouponNo: "1", ConsumeAmount: "x", Passwd: Passwd}
	sweep("CouponConsumeItem formatted", []byte(fmt.Sprintf("%v %+v %s", it, it, it)))
	if err := (&allinpay.CouponConsumeParams{ShopID: "1", OperUserID: "c", OrderID: "o", CouponConsumeList: []allinpay.CouponConsumeItem{it}}).Validate(); err != nil {
		sweep("CouponConsumeParams error", []byte(err.Error()+fmt.Sprintf(" %+v", err)))
	} else {
		t.Error("consumeAmount x was accepted")
	}

	// Errors of the core parsers for mangled keys and credentials.
	for _, f := range secretFiles {
		text, _ := e.ReadRoot(f)
		b, _ := pem.Decode([]byte(text))
		body := base64.StdEncoding.EncodeToString(b.Bytes)
		for _, bad := range []string{
			text[:len(text)/2], text[len(text)/3:], strings.Replace(text, "PRIVATE", "PUBLIC", -1),
			body[:len(body)-8], body[8:], body + "AAAA", strings.Replace(text, "\n", "\\n", -1),
			"-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n",
		} {
			if _, err := allinpay.ParsePrivateKey("privateKey", bad); err != nil {
				sweep("ParsePrivateKey "+f, []byte(err.Error()+fmt.Sprintf(" %+v", err)))
			}
			if _, err := allinpay.ParsePublicKey("platformPublicKey", bad); err != nil {
				sweep("ParsePublicKey "+f, []byte(err.Error()+fmt.Sprintf(" %+v", err)))
			}
		}
		if k, err := allinpay.ParsePrivateKey("privateKey", text); err == nil {
			sweep("PrivateKey formatted "+f, []byte(fmt.Sprintf("%v %s %v", k, k, k.Public())))
		}
	}
	cl := &zvcms.Client{Credentials: zvcms.Credentials{OpenID: "a", GrantCode: "b", OpenKey: OpenKey}}
	if _, err := cl.Build("a", []byte(`not json`), zvcms.Stamp{Timestamp: "x", Nonce: "1"}); err != nil {
		sweep("zvcms Build error", []byte(err.Error()))
	}
	if _, err := cl.NewStamp(zvcms.Stamp{Timestamp: "1", Nonce: "n"}); err != nil {
		sweep("zvcms NewStamp error", []byte(err.Error()))
	}
	t.Logf("%d outputs swept for %d secret fragments, the openKey and the payPassword", checked, len(n.windows))
}

// Secrets a POS sends as request parameters: the zvcms payPassword of
// communal.user.consume (in Params, JSON) and the Allinpay passwd of
// couponConsumeV1 (pre-encrypted, inside bizContent: JSON text in a form
// field). Both are secrets though the library never signs with them.
const (
	payPassword = "PAYPW-731942-TEST-ONLY"
	passwd      = "cGFzc3dkLWVuY3J5cHRlZC1URVNULU9OTFk="
)

// TestSecretsNeverInTrace sends every sending method's request through the
// transport with a trace file (transport.TransportOptions.TraceFile, as the
// surface's transport.traceFile sets it) to a server that answers like the
// vendors (an Allinpay reply signed with the platform key), and sweeps the
// file for the openKey, the private keys, and every Token, sign, payPassword
// and passwd value that went over the wire either way. The consume requests
// go through the generic calls (zvcms.call communal.user.consume,
// allinpay.call couponConsumeV1), as an integrator sends them; the server
// records each secret it received, so the sweep is known to look for values
// that were really in the exchanges.
func TestSecretsNeverInTrace(t *testing.T) {
	e := &Env{Root: root}
	n := loadNeedles(t, e)
	if err := e.keys(); err != nil {
		t.Fatal(err)
	}
	apReply, err := allinpay.SignResponse([]byte(`{"code":0,"msg":"成功","data":{"tranNo":"1","tranDateTime":"2020-04-10 16:03:49","list":[{"templateId":307,"couponNo":"496996143645800001"}]}}`),
		e.platform, allinpay.RSA2, "", allinpay.RawMinusSign)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	wire := map[string][]string{} // the secret values sent and received, by kind
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/api/v2":
			wire["Token"] = append(wire["Token"], gjson.GetBytes(body, "Token").Str)
			if p := gjson.GetBytes(body, "Params.payPassword"); p.Exists() {
				wire["payPassword"] = append(wire["payPassword"], p.Str)
			}
			reply := `{"status":"true","code":"0","message":"ok","data":{"bizId":"order-1","cardIdList":"[390962138708451328]","userInfo":{}}}`
			if gjson.GetBytes(body, "Action").Str == zvcms.ActionCouponDiscount {
				reply = `{"status":"true","code":"0","message":"","data":{"coupon_discount":"1.50","goods_item":[{"trade_mark":"6901234567001","coupon_minus":"1.50"}]}}`
			}
			_, _ = w.Write([]byte(reply))
		case "/allinpay/gateway":
			form, _ := url.ParseQuery(string(body))
			wire["sign"] = append(wire["sign"], form.Get("sign"), gjson.GetBytes(apReply, "sign").Str)
			if p := gjson.Get(form.Get("bizContent"), "couponConsumeList.0.passwd"); p.Exists() {
				wire["passwd"] = append(wire["passwd"], p.Str)
			}
			_, _ = w.Write(apReply)
		default:
			// A reply carrying the secret under secret names, one of them
			// in JSON text inside a string (nothing can redact a secret
			// under any other name).
			_, _ = w.Write([]byte(`{"Token":"` + OpenKey + `","data":{"openKey":"` + OpenKey + `","list":[{"sign":"` + OpenKey + `"}]},` +
				`"inner":` + jsonString(`{"payPassword":"`+OpenKey+`"}`) + `}`))
		}
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "trace.jsonl")
	cl, err := transport.New(transport.Options{Transport: transport.TransportOptions{TraceFile: file}})
	if err != nil {
		t.Fatal(err)
	}
	r := invoke.New(invoke.Options{Now: testClock, Send: cl.Send})
	ap, _ := e.AllinpayCreds()
	fix := func(s string) string { return strings.Replace(s, "http://127.0.0.1:9", srv.URL, 1) }
	sid := mustOK(t, r.Invoke("session.open", []byte(`{"zvcms":`+fix(e.ZvcmsCreds())+`,"allinpay":`+fix(ap)+`}`))).Get("session").Str
	verify := `"params":{"bizId":"order-1","customerId":"383933091455959041","couponsCardList":["390962138708451328"]}`
	calls := []Request{
		{"zvcms.verifyCoupons", `{"session":"` + sid + `",` + verify + `}`},
		{"zvcms.couponDiscount", `{"session":"` + sid + `","params":{"user_coupon_id":"390962138708451328","user_id":"383933091455959041","items":[{"num":2,"trade_mark":"6901234567001","price":"12.50"}]}}`},
		{"zvcms.call", `{"session":"` + sid + `","action":"user.coupon-new-status","params":{"cardId":"390962138708451328"}}`},
		{"zvcms.consume", `{"session":"` + sid + `","params":{"bizId":"order-1","customerId":"383933091455959041","amountFen":1250,"payPassword":"` + PayPassword + `"}}`},
		{"allinpay.couponSend", `{"session":"` + sid + `","params":{"shopId":"1","operUserId":"1","couponType":"1","num":"1","couponTemplateId":"307","idType":"1","memberId":"13800138000","orderId":"send-0001"}}`},
		{"allinpay.call", `{"session":"` + sid + `","method":"allinpay.shopoint.couponService.couponQuery","params":{"couponNo":"496996143645800001"}}`},
		{"zvcms.call", `{"session":"` + sid + `","action":"communal.user.consume","params":{"bizId":"consume-1","customerId":"383933091455959041","amount":"10.00","payPassword":"` + payPassword + `"}}`},
		{"allinpay.call", `{"session":"` + sid + `","method":"allinpay.shopoint.couponService.couponConsumeV1","params":{"shopId":"1","operUserId":"1","orderId":"consume-0001",` +
			`"couponConsumeList":[{"couponNo":"496996143645800001","consumeAmount":"1","passwd":"` + passwd + `"}]}}`},
		{"allinpay.couponConsume", `{"session":"` + sid + `","params":{"shopId":"1","operUserId":"1","orderId":"consume-0002",` +
			`"couponConsumeList":[{"couponNo":"496996143645800001","consumeAmount":"1","passwd":"` + Passwd + `"}]}}`},
		{"http.send", `{"url":"` + srv.URL + `/echo?token=` + OpenKey + `&passwd=` + url.QueryEscape(passwd) + `","headers":{"Authorization":"Bearer ` + OpenKey + `","X-Open-Key":"` + OpenKey + `"},` +
			`"contentType":"application/x-www-form-urlencoded","body":` + jsonString(`a=1&payPassword=`+payPassword+`&bizContent=`+url.QueryEscape(`{"x":{"passwd":"`+passwd+`"},"openKey":"`+OpenKey+`"}`)) + `}`},
		{"http.send", `{"url":"` + srv.URL + `/echo","body":` + jsonString(`{"openKey":"`+OpenKey+`","nested":{"Token":"`+OpenKey+`","params":`+jsonString(`{"payPassword":"`+payPassword+`"}`)+`}}`) + `}`},
	}
	for _, c := range calls {
		reply := r.Invoke(c.Method, []byte(c.Body))
		if code := gjson.GetBytes(reply, "error.code").Str; code != "" && code != "API_ERROR" && code != "RESPONSE_INVALID" {
			t.Fatalf("%s: %s", c.Method, reply)
		}
	}
	trace, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(trace), "\n"), "\n")
	// Token: 5 zvcms calls; sign: 4 Allinpay calls, each way; two
	// payPasswords (the typed and the generic consume) and two passwds
	// (the typed and the generic couponConsumeV1) received by the vendor
	// stand-ins.
	counts := map[string]int{"Token": 5, "sign": 8, "payPassword": 2, "passwd": 2}
	values := []string{payPassword, PayPassword, passwd, Passwd}
	for kind, want := range counts {
		if len(wire[kind]) != want {
			t.Fatalf("%d %s values on the wire, want %d", len(wire[kind]), kind, want)
		}
		values = append(values, wire[kind]...)
	}
	if len(lines) != len(calls) {
		t.Fatalf("%d trace lines for %d calls", len(lines), len(calls))
	}
	for i, line := range lines {
		if hit := n.find([]byte(line)); hit != "" {
			t.Errorf("trace line %d holds %s: %.300s", i+1, hit, line)
		}
		// Each secret as it could appear: as is, JSON-escaped, form-encoded
		// once or twice (a form field inside a form field).
		text := strings.ReplaceAll(line, `\/`, "/")
		for _, secret := range values {
			for _, form := range []string{secret, url.QueryEscape(secret), url.QueryEscape(url.QueryEscape(secret)), strings.Trim(jsonString(secret), `"`)} {
				if len(secret) < 8 || strings.Contains(text, form) {
					t.Errorf("trace line %d holds the secret %q (or a short one was captured): %.300s", i+1, secret, line)
				}
			}
		}
		if !gjson.Valid(line) || gjson.Get(line, "status").Int() != 200 || !strings.Contains(line, transport.Redacted) {
			t.Errorf("trace line %d: %.300s", i+1, line)
		}
	}
	t.Logf("%d traced exchanges swept for %d secret fragments, the openKey and %d Token, sign, payPassword and passwd values", len(lines), len(n.windows), len(values))
}

// TestSweepFindsPlantedSecrets: the sweep itself is not blind.
func TestSweepFindsPlantedSecrets(t *testing.T) {
	e := &Env{Root: root}
	n := loadNeedles(t, e)
	key, _ := e.ReadRoot("testdata/allinpay/sm2_sec1.pem")
	block, _ := pem.Decode([]byte(key))
	der := block.Bytes
	for _, planted := range []string{
		"x" + OpenKey + "x",
		`{"payPassword":"` + PayPassword + `"}`,
		`{"m":"` + base64.StdEncoding.EncodeToString(der)[40:48] + `"}`,
		"…" + base64.StdEncoding.EncodeToString(der[7:20]) + "…",
		"0x" + hex.EncodeToString(der[10:18]),
		strings.ToUpper(hex.EncodeToString(der[20:30])),
	} {
		if n.find([]byte(planted)) == "" {
			t.Errorf("the sweep misses %q", planted)
		}
	}
	if hit := n.find([]byte(`{"ok":true,"result":{"version":"0.1.0"}}`)); hit != "" {
		t.Errorf("false positive %s", hit)
	}
}

// TestClosedSessionDropped: a closed session id is refused by every method
// that takes one (INVALID_ARGUMENT at "session"), closing twice says
// closed:false, and closing frees the slot: MaxSessions sessions can be
// opened, closed, and opened again.
func TestClosedSessionDropped(t *testing.T) {
	r, e := newEnv(t, nil)
	good, err := e.GoodRequests()
	if err != nil {
		t.Fatal(err)
	}
	id := mustOK(t, r.Invoke("session.open", []byte(`{"zvcms":`+e.ZvcmsCreds()+`,"allinpay":`+mustCreds(t, e)+`}`))).Get("session").Str
	mustOK(t, r.Invoke("zvcms.token", []byte(`{"session":"`+id+`"}`)))
	if !mustOK(t, r.Invoke("session.close", []byte(`{"session":"`+id+`"}`))).Get("closed").Bool() {
		t.Fatal("close: closed false")
	}
	if mustOK(t, r.Invoke("session.close", []byte(`{"session":"`+id+`"}`))).Get("closed").Bool() {
		t.Fatal("second close: closed true")
	}
	uses := 0
	for _, g := range good {
		if !strings.Contains(g.Body, `"session":"`+e.Session+`"`) {
			continue
		}
		uses++
		body := strings.Replace(g.Body, e.Session, id, 1)
		if msg := judge(r.Invoke(g.Method, []byte(body)), "INVALID_ARGUMENT", strPtr("session")); msg != "" {
			t.Errorf("%s with a closed session: %s", g.Method, msg)
		}
	}
	if uses < 10 {
		t.Fatalf("only %d methods tried with the closed session", uses)
	}

	if testing.Short() {
		return
	}
	fresh := invoke.New(invoke.Options{})
	open := []byte(`{"zvcms":` + e.ZvcmsCreds() + `}`)
	ids := make([]string, 0, invoke.MaxSessions)
	for round := 0; round < 2; round++ {
		ids = ids[:0]
		for i := 0; i < invoke.MaxSessions; i++ {
			ids = append(ids, mustOK(t, fresh.Invoke("session.open", open)).Get("session").Str)
		}
		if msg := judge(fresh.Invoke("session.open", open), "TOO_LARGE", strPtr("")); msg != "" {
			t.Fatalf("session %d: %s", invoke.MaxSessions+1, msg)
		}
		for _, id := range ids {
			mustOK(t, fresh.Invoke("session.close", []byte(`{"session":"`+id+`"}`)))
		}
	}
}

func strPtr(s string) *string { return &s }

func mustCreds(t *testing.T, e *Env) string {
	t.Helper()
	s, err := e.AllinpayCreds()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
