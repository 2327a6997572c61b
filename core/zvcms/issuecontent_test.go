package zvcms

import "testing"

// IssueStampContent gives IssueStamp's stamp and the SignContent its Token
// signs, for both key styles, on the first (uncached) and later Tokens.
func TestIssueStampContent(t *testing.T) {
	for _, style := range []KeyStyle{LowerCamel, Capitalized} {
		cl := &Client{Credentials: Credentials{OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "sandbox-open-key-TEST-ONLY"}, KeyStyle: style}
		for i := 0; i < 3; i++ {
			in := Stamp{Timestamp: "1547186244", Nonce: "65896" + string(rune('0'+i))}
			want, err := cl.IssueStamp(in)
			if err != nil {
				t.Fatal(err)
			}
			got, content, err := cl.IssueStampContent(in)
			if err != nil {
				t.Fatal(err)
			}
			if got != want || content != SignContent(cl.Credentials, in.Timestamp, in.Nonce, style) ||
				got.Token != Token(cl.Credentials, in.Timestamp, in.Nonce, style) {
				t.Fatalf("%v: got %+v %q, want %+v", style, got, content, want)
			}
		}
	}
	if _, _, err := (&Client{}).IssueStampContent(Stamp{}); err == nil {
		t.Fatal("no credentials: no error")
	}
}
