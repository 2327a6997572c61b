package invoke_test

import (
	"fmt"
	"time"

	"github.com/couponkit/couponkit/core/invoke"
	"github.com/tidwall/gjson"
)

// One registry serves every call; replies are JSON envelopes.
func ExampleRegistry_Invoke() {
	r := invoke.New(invoke.Options{})
	fmt.Println(string(r.Invoke("money.toFen", []byte(`{"yuan":"12.5"}`))))
	fmt.Println(string(r.Invoke("money.toFen", []byte(`{"yuan":"12.5","yaun":"1"}`))))
	// Output:
	// {"ok":true,"result":{"fen":"1250","yuan":"12.50"}}
	// {"ok":false,"error":{"code":"INVALID_ARGUMENT","message":"unknown field \"yaun\"; allowed here: yuan, rounding, signed","field":"yaun"}}
}

// Register the credentials once, then build verification requests with the
// session id; the clock and nonce are fixed here for a reproducible Token.
func ExampleRegistry_Invoke_session() {
	r := invoke.New(invoke.Options{
		Now:   func() time.Time { return time.Unix(1547186244, 0) },
		Nonce: func() string { return "658965" },
	})
	open := r.Invoke("session.open", []byte(`{"zvcms":{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","openKey":"sandbox-open-key-TEST-ONLY"}}`))
	session := gjson.GetBytes(open, "result.session").Str

	req := r.Invoke("zvcms.verifyCoupons.request", []byte(`{"session":"`+session+`","params":{"bizId":"order-1","customerId":"383933091455959041","couponsCardList":["390962138708451328"],"amount":500,"orderAmount":2600}}`))
	fmt.Println(gjson.GetBytes(req, "result.url").Str)
	fmt.Println(gjson.GetBytes(req, "result.token").Str)

	r.Invoke("session.close", []byte(`{"session":"`+session+`"}`))
	// Output:
	// http://openapi.zvcms.com/api/v2
	// wZxxfv15vYV%2F9o7wPUGrF4P0HHQ%3D
}
