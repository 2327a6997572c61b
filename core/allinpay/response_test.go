package allinpay

import (
	"bytes"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// The seed response parses to its documented values (verification skipped:
// its sign was made with a vendor key we do not have), and with verification
// on it is a SignatureInvalid, not a parse error.
func TestSeedResponse(t *testing.T) {
	seed := []byte(readTestdata(t, "seed002_response.json"))
	c := testClient(t, keySets[1], SkipVerify)
	res, err := c.ParseCouponSendResponse(seed)
	if err != nil {
		t.Fatal(err)
	}
	checkSeedResult(t, res)
	for _, ks := range keySets {
		_, err := testClient(t, ks, VerifyAny).ParseCouponSendResponse(seed)
		wantKind(t, err, errs.SignatureInvalid, "sign")
	}
}

func checkSeedResult(t *testing.T, res *CouponSendResult) {
	t.Helper()
	if res.TranNo != "50806050005080208145" || res.ShopName != nil || res.TranDateTime != "2020-04-10 16:03:49" ||
		res.Instruction != "" || len(res.List) != 1 {
		t.Fatalf("result %+v", res)
	}
	it := res.List[0]
	if it.TemplateID != 307 || it.CouponName != "专门测试ZHT" || it.CouponNo != nil || it.QRCodeContext == nil ||
		*it.QRCodeContext != "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=gQF48DwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyNDdIQUo1VEw5X1AxeFJTZ051Y0IAAgRlKJBeAwQQDgAA" {
		t.Fatalf("item %+v", it)
	}
}

// resignedSeed returns the seed response with its sign replaced by one made
// with the test platform key of ks.
func resignedSeed(t testing.TB, ks keySet, mode Variant) []byte {
	t.Helper()
	content, _, err := ResponseSignContent([]byte(readTestdata(t, "seed002_response.json")), RawDirect)
	if err != nil {
		t.Fatal(err)
	}
	body, err := SignResponse(content, mustPriv(t, ks.priv), ks.signType, "", mode)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// Known answers for the raw-minus-sign content: the sign member first,
// middle, last, alone, with whitespace, with an escaped key, and with "sign"
// appearing nested or inside strings (untouched).
func TestResponseSignContentRaw(t *testing.T) {
	cases := []struct{ body, content, sign string }{
		{`{"code":0,"msg":"ok","sign":"QUJD"}`, `{"code":0,"msg":"ok"}`, "QUJD"},
		{`{"sign":"QUJD","code":0}`, `{"code":0}`, "QUJD"},
		{`{"code":0,"sign":"QUJD","msg":"x"}`, `{"code":0,"msg":"x"}`, "QUJD"},
		{`{"sign":"QUJD"}`, `{}`, "QUJD"},
		{"{ \"code\": 0 ,\n \"sign\" : \"QUJD\" \n}", "{ \"code\": 0 \n    \n}", "QUJD"},
		{`{"\u0073ign":"QUJD","code":0}`, `{"code":0}`, "QUJD"},
		{`{"data":{"sign":"inner","a":"\"sign\":\"x\""},"sign":"QU\/JD","z":[{"sign":1}]}`,
			`{"data":{"sign":"inner","a":"\"sign\":\"x\""},"z":[{"sign":1}]}`, "QU/JD"},
		{`{"signType":"RSA2","sign":"QUJD","sign2":"x"}`, `{"signType":"RSA2","sign2":"x"}`, "QUJD"},
	}
	for _, c := range cases {
		content, sign, err := ResponseSignContent([]byte(c.body), RawMinusSign)
		if err != nil {
			t.Fatalf("%s: %v", c.body, err)
		}
		if string(content) != c.content || sign != c.sign {
			t.Errorf("%s:\n got %q %q\nwant %q %q", c.body, content, sign, c.content, c.sign)
		}
	}
	bad := []struct {
		body string
		kind errs.Kind
	}{
		{`{"code":0}`, errs.SignatureInvalid},
		{`{"code":0,"sign":"a","sign":"b"}`, errs.ResponseInvalid},
		{`{"code":0,"sign":null}`, errs.SignatureInvalid},
		{`{"code":0,"sign":12}`, errs.SignatureInvalid},
		{`{"code":0,"sign":"a"`, errs.ResponseInvalid},
		{`[{"sign":"a"}]`, errs.ResponseInvalid},
		{`{"code":0,"sign":"a"} {}`, errs.ResponseInvalid},
		{`{"code":0,,"sign":"a"}`, errs.ResponseInvalid},
		{``, errs.ResponseInvalid},
	}
	for _, b := range bad {
		_, _, err := ResponseSignContent([]byte(b.body), RawDirect)
		wantKind(t, err, b.kind, "")
	}
}

// Flipping any single byte of a signed sample response, at every position
// (each single-bit flip, the complement, and every whitespace substitution),
// makes verification or parsing fail; it never silently succeeds.
func TestResponseByteFlips(t *testing.T) {
	masks := []byte{0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff}
	for _, ks := range keySets {
		ks := ks
		t.Run(string(ks.signType), func(t *testing.T) {
			t.Parallel()
			body := resignedSeed(t, ks, RawDirect)
			c := testClient(t, ks, VerifyAny)
			if _, err := c.ParseCouponSendResponse(body); err != nil {
				t.Fatalf("unflipped: %v", err)
			}
			tried := 0
			try := func(i int, b byte) {
				if body[i] == b {
					return
				}
				mut := append([]byte(nil), body...)
				mut[i] = b
				tried++
				if _, err := c.ParseCouponSendResponse(mut); err == nil {
					t.Fatalf("byte %d %q→%q accepted:\n%s", i, body[i], b, mut)
				}
			}
			for i := range body {
				for _, m := range masks {
					try(i, body[i]^m)
				}
				if strings.IndexByte(" \t\r\n", body[i]) >= 0 {
					for _, w := range []byte(" \t\r\n") {
						try(i, w)
					}
				}
			}
			if tried < 9*len(body) {
				t.Fatalf("only %d mutations tried", tried)
			}
		})
	}
}

func TestParseResponseErrors(t *testing.T) {
	ks := keySets[0]
	c := testClient(t, ks, VerifyAny)
	priv := mustPriv(t, ks.priv)
	sign := func(body string) []byte {
		b, err := SignResponse([]byte(body), priv, ks.signType, "", RawMinusSign)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// A signed business error: APIError with the vendor's code and message.
	r, err := c.ParseResponse(sign(`{"code":3,"msg":"券模板不存在","data":null,"reqSeq":"r1","respSeq":"s1"}`))
	e := wantKind(t, err, errs.APIError, "")
	if e.VendorCode != "3" || e.VendorMessage != "券模板不存在" || r == nil || !r.Verified || r.ReqSeq != "r1" || r.RespSeq != "s1" {
		t.Fatalf("%+v %+v", e, r)
	}
	// An unsigned error reply (e.g. the gateway's own 验签失败) is still the
	// vendor's error, marked unsigned.
	r, err = c.ParseResponse([]byte(`{"code":"40002","msg":"验签失败"}`))
	e = wantKind(t, err, errs.APIError, "")
	if e.VendorCode != "40002" || !strings.Contains(e.Message, "unsigned") || r.Verified {
		t.Fatalf("%+v", e)
	}
	// Unsigned success is never accepted.
	_, err = c.ParseResponse([]byte(`{"code":0,"msg":"","data":{}}`))
	wantKind(t, err, errs.SignatureInvalid, "sign")
	// A signed error reply whose signature is wrong is a signature error.
	bad := sign(`{"code":3,"msg":"x"}`)
	bad = bytes.Replace(bad, []byte(`"x"`), []byte(`"y"`), 1)
	_, err = c.ParseResponse(bad)
	wantKind(t, err, errs.SignatureInvalid, "sign")
	// Code as a string "0" is success.
	if _, err := c.ParseResponse(sign(`{"code":"0","msg":"成功"}`)); err != nil {
		t.Fatal(err)
	}
	shape := []struct{ body, field string }{
		{`{"msg":"no code"}`, "code"},
		{`{"code":true}`, "code"},
		{`{"code":0,"msg":5}`, "msg"},
		{`{"code":0,"data":[]}`, "data"},
		{`{"code":0,"data":{"tranNo":{}}}`, "data.tranNo"},
		{`{"code":0,"data":{"shopName":[]}}`, "data.shopName"},
		{`{"code":0,"data":{"tranDateTime":[2020,2,30,1,2,3]}}`, "data.tranDateTime"},
		{`{"code":0,"data":{"tranDateTime":[2020,4,10,24,0,0]}}`, "data.tranDateTime"},
		{`{"code":0,"data":{"tranDateTime":[2020,4]}}`, "data.tranDateTime"},
		{`{"code":0,"data":{"tranDateTime":[2020,4,10,1.5,0,0]}}`, "data.tranDateTime"},
		{`{"code":0,"data":{"tranDateTime":"2020/04/10 16:03:49"}}`, "data.tranDateTime"},
		{`{"code":0,"data":{"list":{}}}`, "data.list"},
		{`{"code":0,"data":{"list":[{"templateId":307.5}]}}`, "data.list[0].templateId"},
		{`{"code":0,"data":{"list":[{"templateId":1e3}]}}`, "data.list[0].templateId"},
		{`{"code":0,"data":{"list":[{"templateId":9223372036854775808}]}}`, "data.list[0].templateId"},
		{`{"code":0,"data":{"list":[{"templateId":1},{"templateId":2,"couponNo":{}}]}}`, "data.list[1].couponNo"},
		{`not json`, ""},
	}
	for _, s := range shape {
		body := []byte(s.body)
		if strings.HasPrefix(s.body, "{") {
			body = sign(s.body)
		}
		_, err := c.ParseCouponSendResponse(body)
		wantKind(t, err, errs.ResponseInvalid, s.field)
	}
}

// tranDateTime arrives as an array (seconds and nanoseconds optional, as
// Jackson writes a LocalDateTime) or a string; templateId as a number or a
// digit string, exactly.
func TestCouponSendResultForms(t *testing.T) {
	c := testClient(t, keySets[0], SkipVerify)
	cases := []struct{ tdt, want string }{
		{`[2020,4,10,16,3,49]`, "2020-04-10 16:03:49"},
		{`[2020,4,10,16,3]`, "2020-04-10 16:03:00"},
		{`[2020,12,31,23,59,59,999000000]`, "2020-12-31 23:59:59"},
		{`[2024,2,29,0,0,1]`, "2024-02-29 00:00:01"},
		{`"2020-04-10 16:03:49"`, "2020-04-10 16:03:49"},
		{`"2020-04-10T16:03:49"`, "2020-04-10 16:03:49"},
		{`"2020-04-10T16:03:49.123"`, "2020-04-10 16:03:49"},
		{`"20200410160349"`, "2020-04-10 16:03:49"},
		{`null`, ""},
	}
	for _, tc := range cases {
		body := `{"code":0,"data":{"tranNo":12345,"shopName":"店","tranDateTime":` + tc.tdt +
			`,"instruction":"须知","list":[{"templateId":"9007199254740993","couponName":"c","couponNo":"N1","qrCodeContext":null}]}}`
		res, err := c.ParseCouponSendResponse([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", tc.tdt, err)
		}
		if res.TranDateTime != tc.want || res.TranNo != "12345" || res.ShopName == nil || *res.ShopName != "店" ||
			res.Instruction != "须知" || res.List[0].TemplateID != 9007199254740993 || *res.List[0].CouponNo != "N1" ||
			res.List[0].QRCodeContext != nil {
			t.Fatalf("%s: %+v", tc.tdt, res)
		}
	}
	res, err := c.ParseCouponSendResponse([]byte(`{"code":0,"data":{"tranNo":"1","list":[{"templateId":9007199254740993}]}}`))
	if err != nil || res.List[0].TemplateID != 9007199254740993 {
		t.Fatalf("exact templateId: %+v %v", res, err)
	}
}
