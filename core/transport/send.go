package transport

import (
	"context"
	"errors"
	"net/textproto"
	"sort"
	"sync"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/invoke"
)

// Send is an invoke.SendFunc over a Client with the default Options, created
// on first use and shared (connections are reused). Pass it as
// invoke.Options.Send to give the JSON method surface (the C ABI) its
// one-call methods:
//
//	reg := invoke.New(invoke.Options{Send: transport.Send})
func Send(ctx context.Context, req invoke.HTTPRequest) (invoke.HTTPResponse, error) {
	defaultOnce.Do(func() { defaultClient, _ = New(Options{}) })
	return defaultClient.Send(ctx, req)
}

var (
	defaultOnce   sync.Once
	defaultClient *Client
)

var _ invoke.SendFunc = Send

// Send is the invoke.SendFunc of c: it sends req and returns the reply
// whatever its HTTP status (the caller judges the status); an error means no
// complete reply was obtained and is a TRANSPORT_ERROR with a Reason.
func (c *Client) Send(ctx context.Context, req invoke.HTTPRequest) (invoke.HTTPResponse, error) {
	var h textproto.MIMEHeader
	if len(req.Headers) > 0 {
		h = make(textproto.MIMEHeader, len(req.Headers))
		for _, f := range req.Headers {
			h.Add(f.Name, f.Value)
		}
	}
	resp, err := c.Do(ctx, Request{Method: req.Method, URL: req.URL, ContentType: req.ContentType,
		Header: h, Body: req.Body, Idempotent: req.Idempotent})
	var e *errs.Error
	if err != nil && !(resp != nil && errors.As(err, &e) && e.Reason == ReasonHTTPStatus) {
		return invoke.HTTPResponse{}, err
	}
	out := invoke.HTTPResponse{Status: resp.Status, Body: resp.Body}
	names := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range resp.Header[k] {
			out.Headers = append(out.Headers, invoke.Header{Name: k, Value: v})
		}
	}
	return out, nil
}
