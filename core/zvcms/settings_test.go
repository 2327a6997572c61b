package zvcms

import (
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// Settings.Client makes the client the settings describe and refuses each
// bad setting by its JSON name, in the order they are checked.
func TestSettingsClient(t *testing.T) {
	creds := Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "k-TEST"}
	cl, err := (&Settings{Credentials: creds, BaseURL: "https://zv.example/api/v2", TokenKeyStyle: "capitalized", CouponListStyle: "string",
		ReversalAction: "sandbox.coupons-reverse", VerifyAPI: "v3", V3BaseURL: "http://zv.example/v3"}).Client()
	if err != nil {
		t.Fatal(err)
	}
	if cl.Credentials != creds || cl.URL() != "https://zv.example/api/v2" || cl.KeyStyle != Capitalized || cl.CouponListStyle != ListString ||
		cl.ReversalAction != "sandbox.coupons-reverse" || cl.VerifyAPI != V3 || cl.V3BaseURL != "http://zv.example/v3" || cl.Now != nil || cl.Nonce != nil {
		t.Errorf("client %#v", cl)
	}
	def, err := (&Settings{Credentials: Credentials{OpenID: "o", GrantCode: "g"}}).Client()
	if err != nil || !def.Keyless() || def.URL() != DefaultBaseURL || def.KeyStyle != LowerCamel || def.CouponListStyle != ListArray || def.VerifyAPI != V2 {
		t.Errorf("defaults %#v, %v", def, err)
	}
	for _, c := range []struct {
		s     Settings
		field string
	}{
		{Settings{BaseURL: "zv.example/api"}, "baseUrl"},
		{Settings{BaseURL: "ftp://zv.example/"}, "baseUrl"},
		{Settings{BaseURL: "http://"}, "baseUrl"},
		{Settings{BaseURL: "ftp://x", TokenKeyStyle: "x"}, "baseUrl"},
		{Settings{TokenKeyStyle: "Capitalized"}, "tokenKeyStyle"},
		{Settings{TokenKeyStyle: "x", CouponListStyle: "x"}, "tokenKeyStyle"},
		{Settings{CouponListStyle: "list"}, "couponListStyle"},
		{Settings{ReversalAction: "two words"}, "reversalAction"},
		{Settings{ReversalAction: `a"b`, V3BaseURL: "x"}, "reversalAction"},
		{Settings{V3BaseURL: "/v3"}, "v3BaseUrl"},
		{Settings{V3BaseURL: "/v3", VerifyAPI: "v4"}, "v3BaseUrl"},
		{Settings{VerifyAPI: "v4"}, "verifyApi"},
	} {
		c.s.Credentials = creds
		_, err := c.s.Client()
		wantKind(t, err, errs.InvalidArgument, c.field)
	}
}

// CheckStamp gives the issued stamp, or the timestamp and nonce, and refuses
// both at once and a keyless request without an issued stamp.
func TestCheckStamp(t *testing.T) {
	keyed := &Client{Credentials: Credentials{OpenID: "o", GrantCode: "g", OpenKey: "k"}}
	keyless := &Client{Credentials: Credentials{OpenID: "o", GrantCode: "g"}}
	issued := &Stamp{Timestamp: "1547186244", Nonce: "658965", Token: "wZxxfv15vYV%2F9o7wPUGrF4P0HHQ%3D"}
	for _, cl := range []*Client{keyed, keyless} {
		if st, err := cl.CheckStamp(Stamp{}, issued); err != nil || st != *issued {
			t.Errorf("issued: %+v, %v", st, err)
		}
		for _, tn := range []Stamp{{Timestamp: "1"}, {Nonce: "2"}, {Timestamp: "1", Nonce: "2"}} {
			_, err := cl.CheckStamp(tn, issued)
			wantKind(t, err, errs.InvalidArgument, "stamp")
		}
	}
	if st, err := keyed.CheckStamp(Stamp{Timestamp: "1", Nonce: "2", Token: "ignored"}, nil); err != nil || st != (Stamp{Timestamp: "1", Nonce: "2"}) {
		t.Errorf("keyed: %+v, %v", st, err)
	}
	if st, err := keyed.CheckStamp(Stamp{}, nil); err != nil || st != (Stamp{}) {
		t.Errorf("keyed, zero: %+v, %v", st, err)
	}
	for _, tn := range []Stamp{{}, {Timestamp: "1", Nonce: "2"}} {
		_, err := keyless.CheckStamp(tn, nil)
		wantKind(t, err, errs.InvalidArgument, "stamp")
	}
}

// ParseInt reads absent, negative and int64 extremes, and refuses anything
// else naming the field.
func TestParseInt(t *testing.T) {
	for s, want := range map[string]OptInt{"": {}, "0": IntOf(0), "7": IntOf(7), "-3": IntOf(-3), "+4": IntOf(4),
		"9223372036854775807": IntOf(9223372036854775807), "-9223372036854775808": IntOf(-9223372036854775808)} {
		if got, err := ParseInt("Params.x", s); err != nil || got != want {
			t.Errorf("%q: %+v, %v", s, got, err)
		}
	}
	for _, s := range []string{"1.0", "1e3", " 1", "x", "9223372036854775808", "0x10", "１"} {
		_, err := ParseInt("Params.x", s)
		wantKind(t, err, errs.InvalidArgument, "Params.x")
	}
}

// MembersJSON keeps the members in order and byte for byte, escaping names.
func TestMembersJSON(t *testing.T) {
	if got := string(MembersJSON(nil)); got != "{}" {
		t.Errorf("none: %s", got)
	}
	got := string(MembersJSON([]RawMember{{"a", []byte(`1.50`)}, {`q"\`, []byte(`{"x":[1, 2]}`)}, {"券", []byte(`"\u0041"`)}}))
	if want := `{"a":1.50,"q\"\\":{"x":[1, 2]},"券":"\u0041"}`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// The status names of a parsed coupon: "" when absent or unknown.
func TestStatusNames(t *testing.T) {
	for v, want := range map[OptInt]string{{}: "", IntOf(0): "unused", IntOf(1): "verified", IntOf(2): "frozen", IntOf(6): "expired", IntOf(7): "deleted", IntOf(3): ""} {
		if got := (&CouponStatus{UseStatus: v}).UseStatusName(); got != want {
			t.Errorf("useStatus %+v: %q, want %q", v, got, want)
		}
	}
	for v, want := range map[OptInt]string{{}: "", IntOf(0): "unused", IntOf(1): "used", IntOf(2): "locked", IntOf(3): ""} {
		if got := (&UserCoupon{Status: v}).StatusName(); got != want {
			t.Errorf("status %+v: %q, want %q", v, got, want)
		}
	}
}

// OptFen.Pointer: nil when absent, a copy of the amount otherwise.
func TestOptFenPointer(t *testing.T) {
	if p := (OptFen{}).Pointer(); p != nil {
		t.Errorf("absent: %v", *p)
	}
	o := FenOf(1250)
	p := o.Pointer()
	if p == nil || *p != 1250 {
		t.Fatalf("present: %v", p)
	}
	*p = 1
	if o.Fen != 1250 {
		t.Error("Pointer aliases the OptFen")
	}
}
