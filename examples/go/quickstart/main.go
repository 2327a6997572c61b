// Command quickstart prices a coupon and redeems it against the local
// sandbox (the zvcms OpenAPI v2 stand-in of examples/sandbox), with the Go
// core and the standard library's HTTP client:
//
//	go run . http://127.0.0.1:8080
//
// It prints the discount the sandbox gives and the redemption's bizId.
package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/couponkit/couponkit/core/zvcms"
)

func main() {
	base := "http://127.0.0.1:8080" // the sandbox: make sandbox-run
	if len(os.Args) > 1 {
		base = os.Args[1]
	}
	client := zvcms.Client{
		Credentials: zvcms.Credentials{ // the sandbox's test credentials
			OpenID:    "6dc05b4ac175cf316d226252b05cf685",
			GrantCode: "782c281f62",
			OpenKey:   "sandbox-open-key-TEST-ONLY",
		},
		BaseURL: base + "/api/v2",
	}
	const member, coupon = "383933091455959041", "390962138708451328"

	// 1. What does the coupon take off two teas at 12.50 yuan?
	req, err := client.CouponDiscount(zvcms.DiscountParams{
		UserCouponID: coupon,
		UserID:       member,
		Items:        []zvcms.Item{{Num: 2, TradeMark: "6901234567001", Price: "12.50"}},
	}, zvcms.Stamp{}) // zero Stamp: now and a random nonce
	exitOn(err)
	d, err := zvcms.ParseDiscountResponse(post(req))
	exitOn(err)
	fmt.Printf("discount %s yuan\n", d.CouponDiscount.Yuan())

	// 2. Redeem it (核销). Keep the reply's bizId: a reversal (冲正) needs it.
	req, err = client.VerifyCoupons(zvcms.VerifyParams{
		BizID:           "quickstart-1",
		CustomerID:      member,
		CouponsCardList: []string{coupon},
		Amount:          d.CouponDiscount,  // fen
		OrderAmount:     zvcms.FenOf(2500), // fen: 25.00 yuan
	}, zvcms.Stamp{})
	exitOn(err)
	v, err := zvcms.ParseVerifyResponse(post(req))
	exitOn(err)
	if len(v.CardIDList) != 1 {
		exitOn(fmt.Errorf("the reply lists %d coupons, not 1", len(v.CardIDList)))
	}
	fmt.Printf("verified bizId %s, coupon %s\n", v.BizID, v.CardIDList[0])
}

// post sends a built request and returns the reply body.
func post(req zvcms.Request) []byte {
	resp, err := http.Post(req.URL, req.ContentType, bytes.NewReader(req.Body))
	exitOn(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	exitOn(err)
	return body
}

// exitOn prints err (a *errs.Error names the field or the vendor's code) and exits.
func exitOn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}
