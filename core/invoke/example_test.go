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

// A reversal (冲正) needs the Action of the merchant's contract in the zvcms
// credentials (the v2 name is not public) and takes the bizId the verify's
// reply returned; further params of the contract go in params.extra.
func ExampleRegistry_Invoke_reverse() {
	r := invoke.New(invoke.Options{
		Now:   func() time.Time { return time.Unix(1547186244, 0) },
		Nonce: func() string { return "658965" },
	})
	creds := `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","openKey":"sandbox-open-key-TEST-ONLY"}`
	params := `"params":{"bizId":"700000000000000003","couponsCardList":["390962138708451328"],"extra":{"reason":"整单撤销"}}`
	fmt.Println(gjson.GetBytes(r.Invoke("zvcms.reverse.request", []byte(`{"zvcms":`+creds+`,`+params+`}`)), "error.field").Str)

	creds = creds[:len(creds)-1] + `,"reversalAction":"merchant.coupons-reverse"}`
	req := r.Invoke("zvcms.reverse.request", []byte(`{"zvcms":`+creds+`,`+params+`}`))
	body := gjson.GetBytes(req, "result.body").Str
	fmt.Println(gjson.Get(body, "Action").Str, gjson.Get(body, "Params").Raw, "idempotent:", gjson.GetBytes(req, "result.idempotent").Bool())
	// Output:
	// zvcms.reversalAction
	// merchant.coupons-reverse {"bizId":"700000000000000003","couponsCardList":["390962138708451328"],"reason":"整单撤销"} idempotent: false
}
