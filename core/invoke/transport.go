package invoke

import (
	"context"
	"time"

	"github.com/couponkit/couponkit/core/errs"
)

// registerTransport registers the methods that do network I/O through
// Options.Send (issue 8): http.send and the one-call methods
// zvcms.verifyCoupons, zvcms.couponDiscount and allinpay.couponSend, which
// build, send, verify and parse in one call.
//
// This file belongs to the transport/sandbox work. The package helpers it can
// use are defined in the other files:
//   - r.register(name, fields, handler): fields are the accepted top-level
//     request members (zvcmsRequestFields, allinpayRequestFields are the
//     credential, stamp and params members of the *.request methods);
//   - c.in reads the request (str, need, id, fen, yuan, boolean, obj, array,
//     rawObject), recording the first error in c (c.fail() returns it);
//     c.out writes the result members (str, opt, raw, boolean, strs, obj/end,
//     arr/endArr, elemObj, elemStr);
//   - c.zvcmsBuild(action) and c.allinpayBuild(method) read credentials
//     (session or inline), params and stamp and build the signed request;
//     c.zvcmsParse(action, body) and c.allinpayParse(client, method, body)
//     parse (and verify) a reply and write the same result members as
//     zvcms.response and allinpay.response;
//   - c.send below runs r.opts.Send.
func (r *Registry) registerTransport() {}

// send runs one HTTP exchange through Options.Send. Without a transport (as
// in wasm) it is TRANSPORT_ERROR with reason "unavailable".
func (c *call) send(req HTTPRequest) (HTTPResponse, error) {
	if c.r.opts.Send == nil {
		return HTTPResponse{}, &errs.Error{Kind: errs.TransportError, Reason: "unavailable",
			Message: "this build has no HTTP transport; send the built request with your own HTTP client"}
	}
	ctx := context.Background()
	if req.TimeoutMs > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(req.TimeoutMs)*time.Millisecond)
		defer cancel()
	}
	return c.r.opts.Send(ctx, req)
}
