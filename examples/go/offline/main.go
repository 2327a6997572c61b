// Command offline shows couponkit's zvcms core without a network: it builds
// both zvcms requests (verify coupons, coupon discount) with fixed stamps,
// then parses the vendor's example replies from testdata/zvcms and prints
// everything readably. `make demo` runs it until the sandbox exists.
//
//	go run ./examples/go/offline [-testdata DIR]
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/zvcms"
)

func main() {
	dir := flag.String("testdata", "", "directory of the zvcms fixtures (default: testdata/zvcms of the module)")
	flag.Parse()
	if *dir == "" {
		*dir = findFixtures()
	}
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "offline demo:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	client := zvcms.Client{
		// The seed's OpenId and GrantCode; the openKey is made up (the
		// vendor's is secret), so the Tokens differ from the seed's.
		Credentials: zvcms.Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "demo-open-key"},
	}
	stamp := zvcms.Stamp{Timestamp: "1547186244", Nonce: "658965"} // fixed: same output every run

	heading("1. Verify (核销) coupons: " + zvcms.ActionVerifyCoupons)
	req, err := client.VerifyCoupons(zvcms.VerifyParams{
		BizID:           "pos-20190111-0001",
		CustomerID:      "383933091455959041",
		CouponsCardList: []string{"390962138708451328"},
		Ext:             zvcms.Ext{ChannelType: zvcms.ChannelPOS, MultiStoreMark: "aEtGbNNVQ3m1YStlySDB0Q", OrderNo: "O201901110001"},
		Amount:          zvcms.FenOf(500),  // 5.00 yuan, sent as fen
		OrderAmount:     zvcms.FenOf(2600), // 26.00 yuan
	}, stamp)
	if err != nil {
		return err
	}
	printRequest(client, req)

	res, err := zvcms.ParseVerifyResponse(read(dir, "seed000_response.json"))
	if err != nil {
		return err
	}
	fmt.Println("\nReply (seed000_response.json) parsed:")
	fmt.Printf("  status %v, code %s, message %q\n", res.Response.Status, res.Response.Code, res.Response.Message)
	fmt.Printf("  bizId for a reversal (冲正): %s\n", res.BizID)
	fmt.Printf("  verified card ids:          %q\n", res.CardIDList)
	if res.UserInfo == (zvcms.UserInfo{}) {
		fmt.Println("  member:                     (every field empty in this example)")
	} else {
		fmt.Printf("  member:                     %+v\n", res.UserInfo)
	}
	for _, name := range []string{"seed000_error_business.json", "seed000_error_system.json"} {
		_, err := zvcms.ParseVerifyResponse(read(dir, name))
		printVendorError(name, err)
	}

	heading("2. Coupon discount over goods: " + zvcms.ActionCouponDiscount)
	req, err = client.CouponDiscount(zvcms.DiscountParams{
		UserCouponID: "390913439370321921",
		UserID:       "383933091455959041",
		Items: []zvcms.Item{
			{Num: 1, TradeMark: "201909280011111", Price: "1"},
			{Num: 2, TradeMark: "201909280011112", Price: money.Fen(1250).Yuan()}, // "12.50"
		},
		MultiMark: "aEtGbNNVQ3m1YStlySDB0Q",
		CouponID:  "953",
		TypeCate:  zvcms.DineIn,
	}, stamp)
	if err != nil {
		return err
	}
	printRequest(client, req)

	for _, name := range []string{"seed001_response.json", "discount_response_rate.json"} {
		d, err := zvcms.ParseDiscountResponse(read(dir, name))
		if err != nil {
			return err
		}
		fmt.Printf("\nReply (%s) parsed:\n", name)
		fmt.Printf("  coupon %q (user coupon id %s), type %s, amount %s\n",
			d.UserCouponName, d.UserCouponID, couponType(d.CouponType), orAbsent(d.Amount))
		fmt.Printf("  discount %s yuan, finance payment %s yuan, dining %s, store %s\n",
			orAbsent(d.CouponDiscount.Yuan()), orAbsent(d.FinancePayment.Yuan()), dining(d.TypeCate), d.MultiMark)
		var sum money.Fen
		all := d.CouponDiscount.Valid
		for _, g := range d.GoodsItems {
			fmt.Printf("  goods %-16s share %s\n", orAbsent(g.TradeMark), orAbsent(g.CouponMinus.Yuan()))
			sum += g.CouponMinus.Fen
			all = all && g.CouponMinus.Valid
		}
		if all {
			fmt.Printf("  shares add up to %s yuan, equal to the discount: %v\n", sum.Yuan(), sum == d.CouponDiscount.Fen)
		}
	}
	_, err = zvcms.ParseDiscountResponse(read(dir, "seed001_error_business.json"))
	printVendorError("seed001_error_business.json", err)
	return nil
}

func heading(s string) { fmt.Printf("\n== %s\n", s) }

func printRequest(c zvcms.Client, req zvcms.Request) {
	fmt.Printf("POST %s\nContent-Type: %s\n", req.URL, req.ContentType)
	fmt.Printf("Token = urlencode(base64(HMAC-SHA1(openKey, %q)))\n      = %s\n",
		zvcms.SignContent(c.Credentials, req.Timestamp, req.Nonce, c.KeyStyle), req.Token)
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, req.Body, "", "  "); err != nil {
		pretty.Write(req.Body)
	}
	fmt.Printf("Body (%d bytes):\n%s\n", len(req.Body), pretty.String())
}

func printVendorError(name string, err error) {
	var e *errs.Error
	if errors.As(err, &e) {
		fmt.Printf("\nReply (%s): %s\n  vendor status %s, code %q, message %q\n", name, e.Kind, e.VendorStatus, e.VendorCode, e.VendorMessage)
		return
	}
	fmt.Printf("\nReply (%s): unexpected result %v\n", name, err)
}

func couponType(t zvcms.OptInt) string {
	switch {
	case !t.Valid:
		return "(absent)"
	case t.Int == zvcms.CouponFixedAmount:
		return "fixed amount"
	case t.Int == zvcms.CouponRate:
		return "rate (折扣)"
	}
	return t.String()
}

func dining(t zvcms.OptInt) string {
	switch {
	case !t.Valid:
		return "(absent)"
	case t.Int == zvcms.DineIn:
		return "dine-in (堂食)"
	case t.Int == zvcms.PickUp:
		return "pick-up (自取)"
	case t.Int == zvcms.Takeaway:
		return "takeaway (外卖)"
	}
	return t.String()
}

func orAbsent(s string) string {
	if s == "" {
		return "(absent)"
	}
	return s
}

func read(dir, name string) []byte {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		fmt.Fprintln(os.Stderr, "offline demo:", err)
		os.Exit(1)
	}
	return b
}

// findFixtures returns testdata/zvcms of the module containing the working
// directory.
func findFixtures() string {
	d, err := os.Getwd()
	if err != nil {
		return filepath.Join("testdata", "zvcms")
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "testdata", "zvcms")
		}
		parent := filepath.Dir(d)
		if parent == d {
			return filepath.Join("testdata", "zvcms")
		}
		d = parent
	}
}
