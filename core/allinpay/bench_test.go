package allinpay

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"strconv"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

var benchParams = CouponSendParams{ShopID: "10086", OperUserID: "cashier01", CouponType: "1", Num: "2",
	CouponTemplateID: "307", IDType: "1", MemberID: "13800000000", OrderID: "POS-20200410-000123",
	Remark: "会员日发券", ExtendInfo: []byte(`{"buyerType":"个人"}`)}

// BenchmarkCouponSend compares building and signing a couponSend with a bare
// signature of the same content, per key type: RSA2-2048 against
// rsa.SignPKCS1v15 over the same SHA-256 digest, SM2 against sm2 Sign of the
// same content. Budget: couponSend ≤ 1.10 × bare for RSA2-2048.
func BenchmarkCouponSend(b *testing.B) {
	for _, ks := range []keySet{keySets[0], keySets[2]} {
		c := testClient(b, ks, RawMinusSign)
		req, err := c.CouponSend(benchParams, fixedInstant)
		if err != nil {
			b.Fatal(err)
		}
		content := []byte(req.SignContent)
		priv := mustPriv(b, ks.priv)
		name := string(ks.signType) + "-" + strconv.Itoa(ks.bits)
		b.Run(name+"/bare", func(b *testing.B) {
			b.ReportAllocs()
			if ks.signType == SM2 {
				opts := sm2.NewSM2SignerOption(true, []byte(DefaultSignerID))
				for i := 0; i < b.N; i++ {
					if _, err := priv.sm2.Sign(rand.Reader, content, opts); err != nil {
						b.Fatal(err)
					}
				}
				return
			}
			digest := sha256.Sum256(content)
			for i := 0; i < b.N; i++ {
				if _, err := rsa.SignPKCS1v15(nil, priv.rsa, crypto.SHA256, digest[:]); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/couponSend", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.CouponSend(benchParams, fixedInstant); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCouponSendRatioRSA2 interleaves a bare rsa.SignPKCS1v15 and a full
// couponSend with RSA2-2048 in the same loop, so both see the same machine
// state, and reports each one's ns/op and their ratio (budget ≤ 1.10).
func BenchmarkCouponSendRatioRSA2(b *testing.B) {
	ks := keySets[0]
	c := testClient(b, ks, RawMinusSign)
	req, err := c.CouponSend(benchParams, fixedInstant)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte(req.SignContent))
	key := mustPriv(b, ks.priv).rsa
	var bare, full time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := c.CouponSend(benchParams, fixedInstant); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		bare += t1.Sub(t0)
		full += t2.Sub(t1)
	}
	b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N), "bare-ns/op")
	b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "couponSend-ns/op")
	b.ReportMetric(float64(full)/float64(bare), "ratio")
}

// BenchmarkVerifyResponse measures verifying and parsing a signed couponSend
// reply per key type and verify mode.
func BenchmarkVerifyResponse(b *testing.B) {
	for _, ks := range keySets {
		for _, mode := range []VerifyMode{RawMinusSign, SortedCanonical} {
			body := resignedSeed(b, ks, mode)
			c := testClient(b, ks, mode)
			b.Run(string(ks.signType)+"-"+strconv.Itoa(ks.bits)+"/"+mode.String(), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := c.ParseCouponSendResponse(body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkParsePrivateKey shows why keys are parsed once.
func BenchmarkParsePrivateKey(b *testing.B) {
	for _, name := range []string{"rsa2048_pkcs8.pem", "sm2_pkcs8.pem"} {
		text := readTestdata(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := ParsePrivateKey("privateKey", text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
