package allinpay

import (
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // TZ=America/New_York must work even without system tzdata

	"github.com/couponkit/couponkit/core/errs"
)

// The seed request example, given to the generic builder, becomes a body
// whose bizContent carries exactly the seed's business fields, byte for byte.
func TestSeedRequestBuild(t *testing.T) {
	seed := strings.TrimSpace(readTestdata(t, "seed002_request_bizcontent.json"))
	c := testClient(t, keySets[0], VerifyAny)
	req, err := c.Build(MethodCouponSend, "", []byte(seed), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	form, err := url.ParseQuery(string(req.Body))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"appId": "test-app-1", "method": MethodCouponSend, "version": "1.0",
		"timestamp": "2020-04-10 16:03:49", "format": "JSON", "charset": "UTF-8",
		"signType": "RSA2", "bizContent": seed, "sign": req.Sign,
	}
	if len(form) != len(want) {
		t.Fatalf("form keys: %v", form)
	}
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, form.Get(k), v)
		}
	}
	var biz map[string]interface{}
	if err := json.Unmarshal([]byte(form.Get("bizContent")), &biz); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(biz, map[string]interface{}{"shopId": "1", "operUserId": "1", "couponType": "1", "num": "10", "couponTemplateId": "307"}) {
		t.Fatalf("bizContent fields: %v", biz)
	}
	if got := strings.Join(req.SignedFields, ","); got != "appId,bizContent,charset,format,method,timestamp,version" {
		t.Fatalf("SignedFields %s", got)
	}
	if req.SignContent != "appId=test-app-1&bizContent="+seed+"&charset=UTF-8&format=JSON&method="+MethodCouponSend+"&timestamp=2020-04-10 16:03:49&version=1.0" {
		t.Fatalf("SignContent %s", req.SignContent)
	}
	if req.URL != "http://127.0.0.1:8099/shopoint" || req.ContentType != "application/x-www-form-urlencoded; charset=UTF-8" {
		t.Fatalf("URL/ContentType %q %q", req.URL, req.ContentType)
	}
	// The typed call with the seed's values (plus the required orderId)
	// produces the seed's JSON with orderId in its documented place.
	p := CouponSendParams{ShopID: "1", OperUserID: "1", CouponType: "1", Num: "10", CouponTemplateID: "307"}
	_, err = c.CouponSend(p, time.Time{})
	wantKind(t, err, errs.InvalidArgument, "orderId")
	p.OrderID = "A-1"
	req, err = c.CouponSend(p, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Params[7]; got.Key != "bizContent" || got.Value != strings.TrimSuffix(seed, "}")+`,"orderId":"A-1"}` {
		t.Fatalf("couponSend bizContent %v", got)
	}
}

// Every field of seed 002 reaches bizContent in the documented order, values
// escaped as JSON and extendInfo compacted.
func TestCouponSendAllFields(t *testing.T) {
	p := CouponSendParams{ShopID: "S1", ShopCode: "C1", OperUserID: "张三", CouponType: "2", Num: "3",
		CouponTemplateID: "307", IDType: "1", MemberID: "13800000000", OrderID: `o"<&>\`,
		SourceType: "3", SourceValue: "g1", Remark: "备注\n", ExtendInfo: json.RawMessage(`{ "buyerType": "个人",
  "buyerIdNo": "51*****217" }`), BuyerMobile: "189***25"}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	got := string(p.BizContent())
	want := `{"shopId":"S1","shopCode":"C1","operUserId":"张三","couponType":"2","num":"3","couponTemplateId":"307",` +
		`"idType":"1","memberId":"13800000000","orderId":"o\"<&>\\","sourceType":"3","sourceValue":"g1","remark":"备注\n",` +
		`"extendInfo":{"buyerType":"个人","buyerIdNo":"51*****217"},"buyerMobile":"189***25"}`
	if got != want {
		t.Fatalf("bizContent\n got %s\nwant %s", got, want)
	}
	// The JSON tags name the same fields (the invoke surface decodes them).
	var viaTags CouponSendParams
	if err := json.Unmarshal([]byte(want), &viaTags); err != nil {
		t.Fatal(err)
	}
	if string(viaTags.BizContent()) != want {
		t.Fatalf("JSON tags do not round-trip: %s", viaTags.BizContent())
	}
}

func TestCouponSendValidation(t *testing.T) {
	ok := CouponSendParams{ShopCode: "C1", OperUserID: "u", CouponType: "1", Num: "1", CouponTemplateID: "t", OrderID: "o"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		field string
		edit  func(*CouponSendParams)
	}{
		{"shopId", func(p *CouponSendParams) { p.ShopCode = "" }},
		{"operUserId", func(p *CouponSendParams) { p.OperUserID = "" }},
		{"couponType", func(p *CouponSendParams) { p.CouponType = "" }},
		{"couponType", func(p *CouponSendParams) { p.CouponType = "3" }},
		{"num", func(p *CouponSendParams) { p.Num = "" }},
		{"num", func(p *CouponSendParams) { p.Num = "0" }},
		{"num", func(p *CouponSendParams) { p.Num = "-1" }},
		{"num", func(p *CouponSendParams) { p.Num = "1.5" }},
		{"num", func(p *CouponSendParams) { p.Num = "+2" }},
		{"num", func(p *CouponSendParams) { p.Num = "07" }},
		{"num", func(p *CouponSendParams) { p.Num = "1e3" }},
		{"num", func(p *CouponSendParams) { p.Num = "1234567890" }},
		{"couponTemplateId", func(p *CouponSendParams) { p.CouponTemplateID = "" }},
		{"idType", func(p *CouponSendParams) { p.IDType, p.MemberID = "4", "m" }},
		{"memberId", func(p *CouponSendParams) { p.IDType = "5" }},
		{"orderId", func(p *CouponSendParams) { p.OrderID = "" }},
		{"sourceType", func(p *CouponSendParams) { p.SourceType, p.SourceValue = "5", "v" }},
		{"sourceValue", func(p *CouponSendParams) { p.SourceType = "2" }},
		{"extendInfo", func(p *CouponSendParams) { p.ExtendInfo = json.RawMessage(`[1]`) }},
		{"extendInfo", func(p *CouponSendParams) { p.ExtendInfo = json.RawMessage(`{"a":`) }},
		{"extendInfo", func(p *CouponSendParams) { p.ExtendInfo = json.RawMessage(`"x"`) }},
	}
	c := testClient(t, keySets[2], VerifyAny)
	for _, tc := range cases {
		p := ok
		tc.edit(&p)
		_, err := c.CouponSend(p, time.Time{})
		wantKind(t, err, errs.InvalidArgument, tc.field)
	}
	for _, idType := range []string{"1", "2", "3", "5"} {
		p := ok
		p.IDType, p.MemberID = idType, "m"
		if err := p.Validate(); err != nil {
			t.Errorf("idType %s: %v", idType, err)
		}
	}
	for _, num := range []string{"1", "10", "999999999"} {
		p := ok
		p.Num = num
		if err := p.Validate(); err != nil {
			t.Errorf("num %s: %v", num, err)
		}
	}
}

func TestBuildArguments(t *testing.T) {
	c := testClient(t, keySets[0], VerifyAny)
	for _, biz := range []string{"", "[]", `{"a":1} {}`, `{"a":}`, "null", `"{}"`} {
		_, err := c.Build("m", "", []byte(biz), time.Time{})
		wantKind(t, err, errs.InvalidArgument, "bizContent")
	}
	_, err := c.Build("", "", []byte(`{}`), time.Time{})
	wantKind(t, err, errs.InvalidArgument, "method")
	// bizContent bytes are preserved (whitespace, order, escapes).
	biz := " {\"z\" : \"\\u4e2d\", \"a\":[1, 2.50]}\n"
	req, err := c.Build("m.x", "2.0", []byte(biz), fixedInstant.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	form, _ := url.ParseQuery(string(req.Body))
	if form.Get("bizContent") != biz || form.Get("version") != "2.0" || form.Get("timestamp") != "2020-04-10 16:03:50" {
		t.Fatalf("form %v", form)
	}
	// Params are in the order of the body, sign last.
	var keys []string
	for _, kv := range strings.Split(string(req.Body), "&") {
		keys = append(keys, kv[:strings.IndexByte(kv, '=')])
	}
	var pkeys []string
	for _, p := range req.Params {
		pkeys = append(pkeys, p.Key)
	}
	if !reflect.DeepEqual(keys, pkeys) || pkeys[len(pkeys)-1] != "sign" {
		t.Fatalf("body order %v, Params %v", keys, pkeys)
	}
	if !sort.StringsAreSorted(req.SignedFields) {
		t.Fatalf("SignedFields not sorted: %v", req.SignedFields)
	}
}

// The timestamp for one instant is the same whatever the machine's TZ: the
// test binary re-runs itself under three TZ values.
func TestTimestampTZIndependent(t *testing.T) {
	if os.Getenv("ALLINPAY_TZ_CHILD") == "1" {
		c := testClient(t, keySets[0], VerifyAny)
		req, err := c.Build("m", "", []byte(`{}`), fixedInstant)
		if err != nil {
			t.Fatal(err)
		}
		// Local offset proves the TZ took effect; the rest must not depend on it.
		os.Stdout.WriteString("CHILD local=" + fixedInstant.Format("-0700") + " ts=" + FormatTimestamp(fixedInstant) +
			" param=" + req.Params[3].Value + " utcin=" + FormatTimestamp(fixedInstant.UTC()) + "\n")
		return
	}
	want := map[string]string{"UTC": "+0000", "America/New_York": "-0400", "Asia/Shanghai": "+0800"}
	for tz, offset := range want {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTimestampTZIndependent$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TZ="+tz, "ALLINPAY_TZ_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("TZ=%s: %v\n%s", tz, err, out)
		}
		line := "CHILD local=" + offset + " ts=2020-04-10 16:03:49 param=2020-04-10 16:03:49 utcin=2020-04-10 16:03:49"
		if !strings.Contains(string(out), line+"\n") {
			t.Fatalf("TZ=%s: got\n%s\nwant %s", tz, out, line)
		}
	}
}

// One Client and its keys serve many goroutines at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	for _, ks := range keySets {
		c := testClient(t, ks, VerifyAny)
		priv := mustPriv(t, ks.priv)
		var wg sync.WaitGroup
		errc := make(chan error, 16)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				p := CouponSendParams{ShopID: "1", OperUserID: "u", CouponType: "1", Num: "1", CouponTemplateID: "t", OrderID: "o" + string(rune('a'+g))}
				for i := 0; i < 5; i++ {
					req, err := c.CouponSend(p, time.Time{})
					if err != nil {
						errc <- err
						return
					}
					form, _ := url.ParseQuery(string(req.Body))
					if err := VerifyRequest(form, priv.Public(), "", ""); err != nil {
						errc <- err
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
	}
}

func TestVerifyRequestErrors(t *testing.T) {
	ks := keySets[2]
	c := testClient(t, ks, VerifyAny)
	req, err := c.Build("m", "", []byte(`{"a":"中"}`), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	pub := mustPriv(t, ks.priv).Public()
	fresh := func() url.Values { f, _ := url.ParseQuery(string(req.Body)); return f }
	if err := VerifyRequest(fresh(), pub, SM2, DefaultSignerID); err != nil {
		t.Fatal(err)
	}
	f := fresh()
	f.Del("sign")
	wantKind(t, VerifyRequest(f, pub, SM2, ""), errs.SignatureInvalid, "sign")
	f = fresh()
	f.Set("timestamp", "2020-04-10 16:03:50")
	wantKind(t, VerifyRequest(f, pub, SM2, ""), errs.SignatureInvalid, "sign")
	wantKind(t, VerifyRequest(fresh(), pub, SM2, "other-signer"), errs.SignatureInvalid, "sign")
	wantKind(t, VerifyRequest(fresh(), pub, RSA2, ""), errs.InvalidArgument, "signType")
	// The key error names the key as it was parsed (mustPub: platformPublicKey).
	wantKind(t, VerifyRequest(fresh(), mustPub(t, "rsa2048_pub_spki.pem"), "", ""), errs.KeyError, "platformPublicKey")
	f = fresh()
	f.Add("appId", "second")
	wantKind(t, VerifyRequest(f, pub, SM2, ""), errs.InvalidArgument, "appId")
	// An extra empty parameter is not signed, so it does not break the sign;
	// a non-empty one does.
	f = fresh()
	f.Set("extra", "")
	if err := VerifyRequest(f, pub, SM2, ""); err != nil {
		t.Fatal(err)
	}
	f.Set("extra", "x")
	wantKind(t, VerifyRequest(f, pub, SM2, ""), errs.SignatureInvalid, "sign")
}
