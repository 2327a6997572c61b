package allinpay

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/couponkit/couponkit/core/errs"
)

// FuzzSDKForm: for any body, SDKForm never panics, refuses only with
// RESPONSE_INVALID, and when it gives a form, the form is valid JSON and
// stable: the form of a reply rebuilt from the form is the form itself.
// The seeds are every body of the fastjson fixtures.
func FuzzSDKForm(f *testing.F) {
	cases, _ := loadFastjsonCases(f)
	for _, c := range cases {
		f.Add([]byte(c.Body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		form, err := SDKForm(body)
		if err != nil {
			if errs.KindOf(err) != errs.ResponseInvalid {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if !json.Valid(form) {
			t.Fatalf("form of %q is not JSON: %q", body, form)
		}
		checkStable(t, body)
	})
}

// TestSDKFormRandomValues: the stability property on random JSON values
// (objects with non-BMP, escaped and repeated keys, nulls, numbers of every
// shape, control and special characters), 3,000 of them.
func TestSDKFormRandomValues(t *testing.T) {
	rng := rand.New(rand.NewSource(14))
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		randObject(rng, &b, 0)
		checkStable(t, []byte(b.String()))
	}
}

var randKeys = []string{"a", "b", "sign", "A", "_", "10", "9", "", "中", "\U0001F600", "\uE000", `\u0061`, `\ud83d\ude00`, "$x"}

var randStrings = []string{"", "x", `\"`, `\\`, `\/`, "/", `\u0000`, `\u001f`, `\u007f`, "\u0080", "\u2028", `\u2029`, "专门", "\U0001F600",
	`\ud83d\ude00`, `\ud800`, "<&>", `\b\f\n\r\t`, "null"}

var randNumbers = []string{"0", "-0", "1", "-12", "1.50", "0.0000001", "1e3", "10e1", "-0.0", "123e-2", "2.50E+2", "1E400",
	"3.141592653589793238462643383279", "18446744073709551616", "0e0", "-0e5", "9007199254740993"}

func randObject(rng *rand.Rand, b *strings.Builder, depth int) {
	b.WriteByte('{')
	n := rng.Intn(5)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + randKeys[rng.Intn(len(randKeys))] + `":`)
		randJSONValue(rng, b, depth+1)
	}
	b.WriteByte('}')
}

func randJSONValue(rng *rand.Rand, b *strings.Builder, depth int) {
	k := rng.Intn(8)
	if depth > 5 {
		k = rng.Intn(5)
	}
	switch k {
	case 0:
		b.WriteString("null")
	case 1:
		b.WriteString([]string{"true", "false"}[rng.Intn(2)])
	case 2:
		b.WriteString(randNumbers[rng.Intn(len(randNumbers))])
	case 3, 4:
		b.WriteString(`"` + randStrings[rng.Intn(len(randStrings))] + randStrings[rng.Intn(len(randStrings))] + `"`)
	case 5:
		randObject(rng, b, depth)
	default:
		b.WriteByte('[')
		for i, n := 0, rng.Intn(4); i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			randJSONValue(rng, b, depth+1)
		}
		b.WriteByte(']')
	}
}

// FuzzResponseSignContent: for any strict JSON object without a top-level
// sign, setting a sign member as SignResponse does (sjson) and taking the
// raw form gives the object back byte for byte, and the SDK form does not
// change; parsing never panics.
func FuzzResponseSignContent(f *testing.F) {
	f.Add([]byte(`{"code":0,"data":{"sign":"x","s":"\"sign\""},"msg":"\\"}`))
	f.Add([]byte("{ }"))
	f.Add([]byte(" {\"a\" : [1,{\"b\":\"}\"}] ,\n\"c\":null}\t"))
	f.Add([]byte(`{"\u0073igN":1}`))
	f.Add([]byte(`{"sign":"QUJD","code":3,"msg":"x"}`))
	skip := &Client{cfg: Config{Verify: SkipVerify}}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = skip.ParseCouponSendResponse(body)
		_, _ = skip.ParseCouponConsumeResponse(body)
		_, _ = skip.ParseCouponQueryResponse(body)
		_ = Diagnose(DiagnoseInput{Body: body})
		r, err := readReply(body)
		if err != nil || r.unambiguous() != nil || r.signMember() >= 0 || !utf8.Valid(body) {
			return
		}
		signed, err := r.withSign("QUJD")
		if err != nil {
			t.Fatal(err)
		}
		content, sign, err := ResponseSignContent(signed, RawDirect)
		if err != nil || sign != "QUJD" || !bytes.Equal(content, body) {
			t.Fatalf("raw round trip of %q: %q %q %v", body, content, sign, err)
		}
		sdk, _, err := ResponseSignContent(signed, SDKMD5)
		if err != nil || !bytes.Equal(sdk, r.sdkForm()) {
			t.Fatalf("SDK form changed by signing %q: %v", body, err)
		}
	})
}
