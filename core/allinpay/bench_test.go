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
		c := testClient(b, ks, VerifyAny)
		req, err := c.CouponSend(benchParams, fixedInstant)
		if err != nil {
			b.Fatal(err)
		}
		content := []byte(req.SignContent)
		priv := mustPriv(b, ks.priv)
		name := string(ks.signType) + "-" + strconv.Itoa(ks.bits)
		bareSign := bareSigner(priv, content)
		b.Run(name+"/bare", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := bareSign(); err != nil {
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

// BenchmarkCouponSendRatio interleaves a bare signature of the same content
// (RSA2-2048: rsa.SignPKCS1v15 over the same SHA-256 digest; SM2: sm2 Sign)
// and a full couponSend in the same loop, so both see the same machine state,
// and reports each one's mean and fastest ns/op and their ratios (budget for
// RSA2-2048 ≤ 1.10). On a busy machine the ratio of the fastest runs
// (min-ratio) is the stable figure: preemption only ever adds time.
func BenchmarkCouponSendRatio(b *testing.B) {
	for _, ks := range []keySet{keySets[0], keySets[2]} {
		c := testClient(b, ks, VerifyAny)
		req, err := c.CouponSend(benchParams, fixedInstant)
		if err != nil {
			b.Fatal(err)
		}
		priv := mustPriv(b, ks.priv)
		bareSign := bareSigner(priv, []byte(req.SignContent))
		b.Run(string(ks.signType)+"-"+strconv.Itoa(ks.bits), func(b *testing.B) {
			var bare, full time.Duration
			minBare, minFull := time.Duration(1<<62), time.Duration(1<<62)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if err := bareSign(); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := c.CouponSend(benchParams, fixedInstant); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				d1, d2 := t1.Sub(t0), t2.Sub(t1)
				bare += d1
				full += d2
				if d1 < minBare {
					minBare = d1
				}
				if d2 < minFull {
					minFull = d2
				}
			}
			b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N), "bare-ns/op")
			b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "couponSend-ns/op")
			b.ReportMetric(float64(full)/float64(bare), "mean-ratio")
			b.ReportMetric(float64(minBare.Nanoseconds()), "bare-min-ns")
			b.ReportMetric(float64(minFull.Nanoseconds()), "couponSend-min-ns")
			b.ReportMetric(float64(minFull)/float64(minBare), "min-ratio")
		})
	}
}

// bareSigner returns a function that signs content with priv directly:
// rsa.SignPKCS1v15 over its precomputed SHA-256 digest, or sm2 Sign.
func bareSigner(priv *PrivateKey, content []byte) func() error {
	if priv.sm2 != nil {
		opts := sm2.NewSM2SignerOption(true, []byte(DefaultSignerID))
		return func() error {
			_, err := priv.sm2.Sign(rand.Reader, content, opts)
			return err
		}
	}
	digest := sha256.Sum256(content)
	return func() error {
		_, err := rsa.SignPKCS1v15(nil, priv.rsa, crypto.SHA256, digest[:])
		return err
	}
}

// BenchmarkVerifyResponse measures verifying and parsing a signed couponSend
// reply per key type and verify mode.
func BenchmarkVerifyResponse(b *testing.B) {
	for _, ks := range keySets {
		for _, v := range Variants() {
			body := resignedSeed(b, ks, v)
			c := testClient(b, ks, VerifyAny)
			b.Run(string(ks.signType)+"-"+strconv.Itoa(ks.bits)+"/"+string(v), func(b *testing.B) {
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
	for _, name := range []string{"rsa2048_pkcs8.pem", "rsa2048_pkcs1.pem", "sm2_pkcs8.pem", "sm2_sec1.pem"} {
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

// BenchmarkParsePublicKey measures parsing each public key encoding.
func BenchmarkParsePublicKey(b *testing.B) {
	for _, name := range []string{"rsa2048_pub_spki.pem", "rsa2048_pub_pkcs1.pem", "rsa2048_cert.pem", "sm2_pub_spki.pem", "sm2_cert.pem"} {
		text := readTestdata(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := ParsePublicKey("platformPublicKey", text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
