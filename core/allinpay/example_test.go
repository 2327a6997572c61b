package allinpay_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/errs"
)

// TEST-ONLY keys from testdata/allinpay (never use them for real traffic).
func exampleKeys() (*allinpay.PrivateKey, *allinpay.PublicKey) {
	privText, _ := os.ReadFile("../../testdata/allinpay/rsa2048_pkcs8.pem")
	pubText, _ := os.ReadFile("../../testdata/allinpay/rsa2048_pub_spki.pem")
	priv, err := allinpay.ParsePrivateKey("privateKey", string(privText))
	if err != nil {
		panic(err)
	}
	// In production this is Allinpay's platform public key, not your own.
	pub, err := allinpay.ParsePublicKey("platformPublicKey", string(pubText))
	if err != nil {
		panic(err)
	}
	return priv, pub
}

func ExampleParsePrivateKey() {
	_, err := allinpay.ParsePrivateKey("privateKey", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")
	var e *errs.Error
	if errors.As(err, &e) {
		fmt.Println(e.Kind, e.Field)
		fmt.Println(e.Message)
	}
	priv, _ := exampleKeys()
	fmt.Println(priv)
	// Output:
	// KEY_ERROR privateKey
	// Base64 DER: not a PKCS#8 private key, PKCS#1 RSA private key or SEC1 SM2 private key
	// RSA-2048 private key (PKCS#8 PEM)
}

func ExampleClient_CouponSend() {
	priv, pub := exampleKeys()
	client, err := allinpay.NewClient(allinpay.Config{
		AppID:              "your-app-id",
		SignType:           allinpay.RSA2,
		PrivateKey:         priv,
		PlatformPublicKeys: []*allinpay.PublicKey{pub},
		GatewayURL:         "https://gateway.example/shopoint", // from your Allinpay contract
	})
	if err != nil {
		panic(err)
	}
	req, err := client.CouponSend(allinpay.CouponSendParams{
		ShopID: "1", OperUserID: "1", CouponType: "1", Num: "10", CouponTemplateID: "307", OrderID: "POS-0001",
	}, time.Date(2020, 4, 10, 8, 3, 49, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	// POST req.Body to req.URL with Content-Type req.ContentType.
	fmt.Println(req.ContentType)
	fmt.Println(req.SignedFields)
	fmt.Println(req.SignContent)
	// Output:
	// application/x-www-form-urlencoded; charset=UTF-8
	// [appId bizContent charset format method timestamp version]
	// appId=your-app-id&bizContent={"shopId":"1","operUserId":"1","couponType":"1","num":"10","couponTemplateId":"307","orderId":"POS-0001"}&charset=UTF-8&format=JSON&method=allinpay.shopoint.couponService.couponSend&timestamp=2020-04-10 16:03:49&version=1.0
}

func ExampleClient_ParseCouponSendResponse() {
	priv, pub := exampleKeys()
	client, _ := allinpay.NewClient(allinpay.Config{AppID: "your-app-id", PrivateKey: priv,
		PlatformPublicKeys: []*allinpay.PublicKey{pub}, GatewayURL: "https://gateway.example/shopoint"})
	// A reply as the platform would sign it (here: with the test key).
	body, _ := allinpay.SignResponse([]byte(`{"code":0,"msg":"成功","data":{"tranNo":"50806050005080208145",`+
		`"shopName":null,"tranDateTime":[2020,4,10,16,3,49],"list":[{"templateId":307,"couponName":"专门测试ZHT",`+
		`"couponNo":null,"qrCodeContext":"https://mp.weixin.qq.com/q"}]}}`), priv, allinpay.RSA2, "", allinpay.SDKMD5)
	res, err := client.ParseCouponSendResponse(body)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.TranNo, res.TranDateTime, res.ShopName == nil)
	fmt.Println(res.List[0].TemplateID, res.List[0].CouponName, res.List[0].CouponNo == nil, *res.List[0].QRCodeContext)

	// A vendor business error is an API_ERROR with the vendor's code and msg.
	_, err = client.ParseCouponSendResponse([]byte(`{"code":3,"msg":"券模板不存在"}`))
	var e *errs.Error
	if errors.As(err, &e) {
		fmt.Println(e.Kind, e.VendorCode, e.VendorMessage)
	}
	// Output:
	// 50806050005080208145 2020-04-10 16:03:49 true
	// 307 专门测试ZHT true https://mp.weixin.qq.com/q
	// API_ERROR 3 券模板不存在
}

func ExampleSDKForm() {
	// What the vendor's Java SDK verifies: nulls dropped, keys sorted at every
	// depth, numbers as BigDecimal.toString(), the sign removed.
	form, err := allinpay.SDKForm([]byte(`{"sign":"…","code":0,"data":{"z":1e3,"shopName":null,"a":"x/y","n":0.0000001}}`))
	fmt.Println(string(form), err)
	// Output:
	// {"code":0,"data":{"a":"x/y","n":1E-7,"z":1E+3}} <nil>
}

func ExampleClient_Diagnose() {
	priv, pub := exampleKeys()
	client, _ := allinpay.NewClient(allinpay.Config{AppID: "your-app-id", PrivateKey: priv,
		PlatformPublicKeys: []*allinpay.PublicKey{pub}, GatewayURL: "https://gateway.example/shopoint"})
	// The first real reply of a gateway (here: signed with the test key over
	// the SDK form with MD5).
	body, _ := allinpay.SignResponse([]byte(`{"code":0,"msg":"成功","data":{"tranNo":"1","shopName":null}}`),
		priv, allinpay.RSA2, "", allinpay.SDKMD5)
	d := client.Diagnose(body, nil)
	fmt.Println(d.Verified, d.VerifiedBy, d.VerifyMode)
	for _, v := range d.Variants {
		fmt.Println(v.Variant, v.Verified)
	}
	// Then pin it: Config.Verify = allinpay.VerifyMode(d.VerifyMode).
	// Output:
	// true sdk+md5 sdk+md5
	// sdk+md5 true
	// sdk+direct false
	// raw+direct false
	// raw+md5 false
}

func ExampleClient_CouponConsume() {
	priv, pub := exampleKeys()
	client, _ := allinpay.NewClient(allinpay.Config{AppID: "your-app-id", PrivateKey: priv,
		PlatformPublicKeys: []*allinpay.PublicKey{pub}, GatewayURL: "https://gateway.example/shopoint",
		RequestProfile: allinpay.ProfileSDK})
	p := allinpay.CouponConsumeParams{ShopID: "1", OperUserID: "cashier-01", OrderID: "POS-0002",
		CouponConsumeList: []allinpay.CouponConsumeItem{{CouponNo: "10000000010000055943", ConsumeAmount: "1"}}}
	req, err := client.CouponConsume(p, time.Date(2020, 4, 10, 8, 3, 49, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Println(string(p.BizContent()))
	fmt.Println(req.Profile, req.Params[6].Value, req.SignedText)
	// A consumeAmount is a count of uses:
	p.CouponConsumeList[0].ConsumeAmount = "1.5"
	_, err = client.CouponConsume(p, time.Time{})
	fmt.Println(err)
	// Output:
	// {"shopId":"1","operUserId":"cashier-01","orderId":"POS-0002","couponConsumeList":[{"couponNo":"10000000010000055943","consumeAmount":"1"}]}
	// sdk SHA256WithRSA BopCjD4V+/oAAKHfRckGLw==
	// INVALID_ARGUMENT couponConsumeList[0].consumeAmount: consumeAmount is the number of uses to redeem: a positive integer ("1"), got "1.5"
}

// Keyless mode: the page's client has no private key and builds the request
// unsigned; the back office checks the sign content (its method and appId
// are parameters in it) and signs it; the page attaches the signature.
func ExampleClient_SignContent() {
	priv, pub := exampleKeys()
	cfg := allinpay.Config{AppID: "your-app-id", SignType: allinpay.RSA2, PlatformPublicKeys: []*allinpay.PublicKey{pub},
		GatewayURL: "https://gateway.example/shopoint"}
	page, err := allinpay.NewClient(cfg) // no PrivateKey: keyless
	if err != nil {
		panic(err)
	}
	cfg.PrivateKey = priv
	office, err := allinpay.NewClient(cfg)
	if err != nil {
		panic(err)
	}
	at := time.Date(2020, 4, 10, 8, 3, 49, 0, time.UTC)
	p := allinpay.CouponSendParams{ShopID: "1", OperUserID: "1", CouponType: "1", Num: "10", CouponTemplateID: "307", OrderID: "POS-0001"}
	unsigned, err := page.CouponSend(p, at)
	if err != nil {
		panic(err)
	}

	// The back office: sign only what it means to send.
	if !strings.Contains("&"+unsigned.SignContent+"&", "&method="+allinpay.MethodCouponSend+"&") {
		panic("not a couponSend")
	}
	sign, err := office.SignContent(unsigned.SignContent)
	if err != nil {
		panic(err)
	}

	req, err := page.Attach(unsigned.Params, sign)
	if err != nil {
		panic(err)
	}
	direct, _ := office.CouponSend(p, at)
	fmt.Println(page.Keyless(), len(unsigned.Body), bytes.Equal(req.Body, direct.Body))
	// Output:
	// true 0 true
}
