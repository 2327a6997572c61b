package invoke

import (
	"errors"
	"reflect"
	"testing"

	"github.com/couponkit/couponkit/core/discount"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/zvcms"
)

// The seed 001 reply: coupon_discount "1" and one empty placeholder item.
const seed001Reply = `{"status":"true","code":"0","message":"说明","data":{"type_cate":"1","multi_mark":"aEtGbNNVQ3m1YStlySDB0Q","coupon_discount":"1","user_coupon_name":"测试优惠券","user_coupon_id":"496996143645872129","finance_payment":"1","userInfo":{"avatar":"","birthday":"","gender":"","nickname":"","groupId":"","phone":"","username":"","province":"","district":"","city":""},"amount":"","coupon_type":"","goods_item":[{"trade_mark":"","coupon_minus":""}]}}`

// serverOf turns a parsed user.user-by-coupon reply into the engine's
// figures: the seed's, a two-item split, and replies without a discount.
func TestServerOf(t *testing.T) {
	s, err := serverOf(zvcms.ParseDiscountResponse([]byte(seed001Reply)))
	if err != nil {
		t.Fatal(err)
	}
	if want := (discount.ServerDiscount{CouponDiscount: 100, Items: []discount.ServerItem{{}}}); !reflect.DeepEqual(s, want) {
		t.Fatalf("got %+v, want %+v", s, want)
	}
	// The seed's goods: one item 201909280011111 at 1 yuan.
	b, coupons, err := discount.QuoteInput{Lines: []discount.LineInput{{ID: "201909280011111", Quantity: "1", UnitPrice: "1"}}}.Parse()
	if err != nil {
		t.Fatal(err)
	}
	local, err := discount.Quote(b, coupons)
	if err != nil {
		t.Fatal(err)
	}
	r, err := discount.Reconcile(local, 0, s)
	if err != nil || r.Source != discount.SourceLocal || !reflect.DeepEqual(r.Allocation, []money.Fen{100}) || r.Amount != 100 || r.OrderAmount != 100 {
		t.Fatalf("got %+v, %v", r, err)
	}
	good := `{"status":true,"code":0,"data":{"coupon_discount":"3.50","goods_item":[{"trade_mark":"x","coupon_minus":"1.25"},{"trade_mark":"y","coupon_minus":2.25}]}}`
	if s, err = serverOf(zvcms.ParseDiscountResponse([]byte(good))); err != nil || s.CouponDiscount != 350 || s.Items[0].CouponMinus != 125 || s.Items[1] != (discount.ServerItem{TradeMark: "y", CouponMinus: 225}) {
		t.Fatalf("got %+v, %v", s, err)
	}
	_, err = serverOf(zvcms.ParseDiscountResponse([]byte(`{"status":true,"code":0,"data":{"coupon_discount":"","goods_item":[]}}`)))
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.ResponseInvalid || e.Field != "data.coupon_discount" {
		t.Errorf("no coupon_discount: %v, want RESPONSE_INVALID data.coupon_discount", err)
	}
}
