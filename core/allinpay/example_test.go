package allinpay_test

import (
	"errors"
	"fmt"
	"os"
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
		`"couponNo":null,"qrCodeContext":"https://mp.weixin.qq.com/q"}]}}`), priv, allinpay.RSA2, "", allinpay.RawMinusSign)
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
