package zvcms

import (
	"bytes"
	"errors"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// A request built by a keyless client with a stamp the back office issued
// (IssueStamp) equals the one the keyed client builds at the same timestamp
// and nonce, and the server side accepts its Token.
func TestKeylessIssuedStampEqualsKeyed(t *testing.T) {
	office := &Client{Credentials: Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "k-TEST"}}
	page := &Client{Credentials: Credentials{OpenID: office.OpenID, GrantCode: office.GrantCode}}
	if !page.Keyless() || office.Keyless() {
		t.Fatal("Keyless")
	}
	for i := 0; i < 50; i++ { // fresh stamps: every Base64 escape occurs
		st, err := office.IssueStamp(Stamp{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Timestamp == "" || st.Nonce == "" || st.Token != Token(office.Credentials, st.Timestamp, st.Nonce, LowerCamel) {
			t.Fatalf("IssueStamp %+v", st)
		}
		params := []byte(`{"customerId":"1"}`)
		got, err := page.Build(ActionCouponStatus, params, st)
		if err != nil {
			t.Fatal(err)
		}
		want, err := office.Build(ActionCouponStatus, params, Stamp{Timestamp: st.Timestamp, Nonce: st.Nonce})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Body, want.Body) || got.Token != want.Token {
			t.Fatalf("stamped %s\nkeyed   %s", got.Body, want.Body)
		}
		env, err := ParseRequest(got.Body)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckToken(office.Credentials, env, LowerCamel); err != nil {
			t.Fatal(err)
		}
		// The keyed client accepts the stamp too (its Token matches).
		if _, err := office.Build(ActionCouponStatus, params, st); err != nil {
			t.Fatal(err)
		}
	}
}

func TestKeylessStampRefusals(t *testing.T) {
	office := &Client{Credentials: Credentials{OpenID: "o", GrantCode: "g", OpenKey: "k"}}
	page := &Client{Credentials: Credentials{OpenID: "o", GrantCode: "g"}}
	good, err := office.IssueStamp(Stamp{Timestamp: "1547186244", Nonce: "658965"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		cl    *Client
		st    Stamp
		kind  errs.Kind
		field string
	}{
		{page, Stamp{}, errs.KeyError, "OpenKey"},
		{page, Stamp{Timestamp: "1", Nonce: "1"}, errs.KeyError, "OpenKey"},
		{page, Stamp{Nonce: "1", Token: good.Token}, errs.InvalidArgument, "Timestamp"},
		{page, Stamp{Timestamp: "1", Nonce: "1", Token: "abc"}, errs.InvalidArgument, "Token"},
		{page, Stamp{Timestamp: "1", Nonce: "1", Token: good.Token + "A"}, errs.InvalidArgument, "Token"},
		{page, Stamp{Timestamp: "1", Nonce: "1", Token: "ZmZmZmZmZmZmZmZmZmZmZmZmZmY="}, errs.InvalidArgument, "Token"},
		{page, Stamp{Timestamp: "1", Nonce: "1", Token: "ZmZmZmZmZmZmZmZmZmZmZmZmZmY%3d"}, errs.InvalidArgument, "Token"},
		{page, Stamp{Timestamp: "x", Nonce: "1", Token: good.Token}, errs.InvalidArgument, "Timestamp"},
		{office, Stamp{Timestamp: good.Timestamp, Nonce: "658966", Token: good.Token}, errs.KeyError, "Token"},
	}
	for i, c := range cases {
		_, err := c.cl.Build("a.b", nil, c.st)
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != c.kind || e.Field != c.field {
			t.Errorf("case %d: want %s %s, got %v", i, c.kind, c.field, err)
		}
	}
	if _, err := page.Build("a.b", nil, Stamp{Timestamp: "1", Nonce: "1", Token: "ZmZmZmZmZmZmZmZmZmZmZmZmZmY%3D"}); err != nil {
		t.Errorf("a well-formed Token: %v", err)
	}
	if _, err := page.IssueStamp(Stamp{}); err == nil {
		t.Error("a keyless client issued a stamp")
	}
	if _, err := office.IssueStamp(good); err == nil {
		t.Error("IssueStamp took a stamp with a Token")
	}
}
