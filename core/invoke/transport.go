package invoke

import (
	"context"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/core/allinpay"
	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/zvcms"
)

// MaxTimeoutMs is the largest timeoutMs a request may give (10 minutes).
const MaxTimeoutMs = 600000

// sendFields are the members every one-call method accepts besides its
// builder's: extra HTTP headers and a timeout for the whole exchange.
var sendFields = []string{"headers", "timeoutMs"}

// registerTransport registers the methods that do network I/O through
// Options.Send:
//
//   - http.send: one raw HTTP exchange ({method, url, contentType, body,
//     headers, timeoutMs, idempotent} → {status, headers, body}), whatever
//     the status;
//   - zvcms.verifyCoupons, zvcms.couponDiscount, zvcms.call (any action),
//     allinpay.couponSend and allinpay.call (any method): build the signed
//     request exactly as the *.request method of the same name, send it,
//     verify and parse the reply; the result is that of zvcms.response or
//     allinpay.response.
//
// Only queries are retried by the transport (zvcms.couponDiscount, and the
// generic calls when the request says "idempotent": true); a verification or
// an issue is sent once: after a TRANSPORT_ERROR its outcome is unknown, and
// the caller repeats the same call (same bizId / orderId), which the vendor
// answers with the original result. A reply with an HTTP status outside 2xx
// is TRANSPORT_ERROR with reason "http_status".
func (r *Registry) registerTransport() {
	r.register("http.send", []string{"method", "url", "contentType", "body", "headers", "timeoutMs", "idempotent"}, func(c *call) error {
		req := HTTPRequest{Method: c.in.str("method"), URL: c.in.need("url"), ContentType: c.in.str("contentType"),
			Body: []byte(c.in.str("body")), Idempotent: c.in.boolean("idempotent", false)}
		if req.Method == "" {
			req.Method = "POST"
		}
		c.sendOptions(&req)
		if err := c.fail(); err != nil {
			return err
		}
		resp, err := c.send(req)
		if err != nil {
			return err
		}
		c.out.raw("status", []byte(strconv.Itoa(resp.Status)))
		c.out.obj("headers")
		seen := map[string]bool{}
		for _, h := range resp.Headers {
			if !seen[h.Name] {
				seen[h.Name] = true
				c.out.str(h.Name, h.Value)
			}
		}
		c.out.end()
		c.out.str("body", string(resp.Body))
		return nil
	})
	zvcmsCall := func(name, action string, idempotent bool) {
		fields := append(append([]string(nil), zvcmsRequestFields...), sendFields...)
		if action == "" {
			fields = append(fields, "action", "idempotent")
		}
		r.register(name, fields, func(c *call) error {
			req, err := c.zvcmsBuild(action)
			if err != nil {
				return err
			}
			idem := idempotent
			if action == "" {
				idem = c.in.boolean("idempotent", false)
			}
			body, err := c.exchange(HTTPRequest{Method: "POST", URL: req.URL, ContentType: req.ContentType,
				Body: req.Body, Idempotent: idem})
			if err != nil {
				return err
			}
			return c.zvcmsParse(req.Action, body)
		})
	}
	zvcmsCall("zvcms.verifyCoupons", zvcms.ActionVerifyCoupons, false)
	zvcmsCall("zvcms.couponDiscount", zvcms.ActionCouponDiscount, true)
	zvcmsCall("zvcms.call", "", false)

	allinpayCall := func(name, method string) {
		fields := append(append([]string(nil), allinpayRequestFields...), sendFields...)
		if method == "" {
			fields = append(fields, "method", "version", "idempotent")
		}
		r.register(name, fields, func(c *call) error {
			cl, req, err := c.allinpayBuild(method)
			if err != nil {
				return err
			}
			idempotent := method == "" && c.in.boolean("idempotent", false)
			body, err := c.exchange(HTTPRequest{Method: "POST", URL: req.URL, ContentType: req.ContentType,
				Body: req.Body, Idempotent: idempotent})
			if err != nil {
				return err
			}
			parseAs := method
			if parseAs == "" {
				parseAs = c.in.str("method")
			}
			return c.allinpayParse(cl, parseAs, body)
		})
	}
	allinpayCall("allinpay.couponSend", allinpay.MethodCouponSend)
	allinpayCall("allinpay.call", "")
}

// sendOptions reads the optional "headers" (an object of strings) and
// "timeoutMs" (1 … MaxTimeoutMs) into req.
func (c *call) sendOptions(req *HTTPRequest) {
	if c.in.has("headers") {
		h := c.in.obj("headers", nil)
		for _, k := range h.names() {
			req.Headers = append(req.Headers, Header{Name: k, Value: h.str(k)})
		}
	}
	if t := c.in.str("timeoutMs"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > MaxTimeoutMs {
			c.in.fail("timeoutMs", "timeoutMs must be a whole number of milliseconds from 1 to %d", MaxTimeoutMs)
			return
		}
		req.TimeoutMs = n
	}
}

// exchange sends a built vendor request (with the call's headers and
// timeout) and returns the reply body; a status outside 2xx is
// TRANSPORT_ERROR with reason "http_status".
func (c *call) exchange(req HTTPRequest) ([]byte, error) {
	c.sendOptions(&req)
	if err := c.fail(); err != nil {
		return nil, err
	}
	resp, err := c.send(req)
	if err != nil {
		return nil, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, &errs.Error{Kind: errs.TransportError, Reason: "http_status",
			Message: "the server answered HTTP " + strconv.Itoa(resp.Status) + " instead of a reply"}
	}
	return resp.Body, nil
}

// send runs one HTTP exchange through Options.Send. Without a transport (as
// in wasm) it is TRANSPORT_ERROR with reason "unavailable". Send's
// TRANSPORT_ERROR and INVALID_ARGUMENT (a request it refused before
// sending, naming the field) pass through; any other error becomes
// TRANSPORT_ERROR with reason "network".
func (c *call) send(req HTTPRequest) (HTTPResponse, error) {
	if c.r.opts.Send == nil {
		return HTTPResponse{}, &errs.Error{Kind: errs.TransportError, Reason: "unavailable",
			Message: "this build has no HTTP transport; send the built request with your own HTTP client (the *.request methods) and parse the reply with the *.response methods"}
	}
	ctx := context.Background()
	if req.TimeoutMs > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(req.TimeoutMs)*time.Millisecond)
		defer cancel()
	}
	resp, err := c.r.opts.Send(ctx, req)
	if err != nil {
		if k := errs.KindOf(err); k != errs.TransportError && k != errs.InvalidArgument {
			return HTTPResponse{}, &errs.Error{Kind: errs.TransportError, Reason: "network", Message: "the HTTP exchange failed", Err: err}
		}
		return HTTPResponse{}, err
	}
	return resp, nil
}
