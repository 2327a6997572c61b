package hardening

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/invoke"
	"github.com/tidwall/gjson"
)

// root is the repository root seen from this package.
const root = "../.."

// callBound is the longest any single call may take (the time bound).
const callBound = time.Second

// testClock is the fixed clock of the test registries (the timestamp of the
// golden calls in docs/methods.md).
func testClock() time.Time { return time.Unix(1547186244, 0) }

// canned is a transport answering with a reply set per case.
type canned struct {
	mu    sync.Mutex
	reply *Reply
}

func (c *canned) set(r *Reply) { c.mu.Lock(); c.reply = r; c.mu.Unlock() }

func (c *canned) send(_ context.Context, _ invoke.HTTPRequest) (invoke.HTTPResponse, error) {
	c.mu.Lock()
	r := c.reply
	c.mu.Unlock()
	if r == nil {
		return invoke.HTTPResponse{}, &errs.Error{Kind: errs.TransportError, Reason: "refused", Message: "no canned reply"}
	}
	return invoke.HTTPResponse{Status: r.Status, Body: []byte(r.Body), Headers: []invoke.Header{{Name: "Content-Type", Value: "text/html"}}}, nil
}

// newEnv returns a registry (with send as its transport, nil for none) and
// the Env of its sessions: one with both credentials, one with zvcms only,
// one opened and closed.
func newEnv(t testing.TB, send invoke.SendFunc) (*invoke.Registry, *Env) {
	t.Helper()
	r := invoke.New(invoke.Options{Now: testClock, Nonce: func() string { return "658965" }, Send: send})
	e := &Env{Root: root}
	ap, err := e.AllinpayCreds()
	if err != nil {
		t.Fatal(err)
	}
	open := func(req string) string {
		v := mustOK(t, r.Invoke("session.open", []byte(req)))
		return v.Get("session").Str
	}
	e.Session = open(`{"zvcms":` + e.ZvcmsCreds() + `,"allinpay":` + ap + `}`)
	e.ZvSession = open(`{"zvcms":` + e.ZvcmsCreds() + `}`)
	e.Closed = open(`{"zvcms":` + e.ZvcmsCreds() + `}`)
	if !mustOK(t, r.Invoke("session.close", []byte(`{"session":"`+e.Closed+`"}`))).Get("closed").Bool() {
		t.Fatal("session.close did not close")
	}
	return r, e
}

// envelope checks that reply is one valid envelope: UTF-8 JSON, an object
// with ok true and a result object, or ok false and an error whose code is
// in the closed set, whose members are all strings and whose message is not
// empty. It returns the parsed reply.
func envelope(reply []byte) (gjson.Result, error) {
	if !gjson.ValidBytes(reply) {
		return gjson.Result{}, errors.New("reply is not valid JSON")
	}
	v := gjson.ParseBytes(reply)
	if !v.IsObject() {
		return v, errors.New("reply is not an object")
	}
	n := 0
	v.ForEach(func(_, _ gjson.Result) bool { n++; return true })
	switch ok := v.Get("ok"); {
	case n != 2:
		return v, errors.New("reply does not have exactly two members")
	case ok.Type == gjson.True:
		if !v.Get("result").IsObject() {
			return v, errors.New("success without a result object")
		}
	case ok.Type == gjson.False:
		e := v.Get("error")
		known := false
		for _, k := range errs.Kinds {
			known = known || e.Get("code").Str == string(k)
		}
		if !e.IsObject() || !known || e.Get("message").Str == "" {
			return v, errors.New("failure without a known code and a message")
		}
		var bad error
		e.ForEach(func(k, m gjson.Result) bool {
			if m.Type != gjson.String {
				bad = errors.New("error member " + k.Str + " is not a string")
			}
			return bad == nil
		})
		if bad != nil {
			return v, bad
		}
	default:
		return v, errors.New("ok is not a boolean")
	}
	return v, nil
}

// mustOK checks a success envelope and returns its result.
func mustOK(t testing.TB, reply []byte) gjson.Result {
	t.Helper()
	v, err := envelope(reply)
	if err != nil || !v.Get("ok").Bool() {
		t.Fatalf("want success, got %v: %.300s", err, reply)
	}
	return v.Get("result")
}
