package zvcms

import "testing"

// tokenForm accepts exactly the text Token writes, and nothing else.
func TestTokenForm(t *testing.T) {
	c := Credentials{OpenID: "o", GrantCode: "g", OpenKey: "k"}
	for _, ts := range []string{"1", "1547186244", "1700000000", "42"} {
		tok := Token(c, ts, "658965", LowerCamel)
		if !tokenForm(tok) {
			t.Fatalf("tokenForm(%q) = false for a Token", tok)
		}
	}
	for _, bad := range []string{
		"", "abc", "%2",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D%3D", // 27+2 characters: not 20 bytes
		"AAAAAAAAAAAAAAAAAAAAAAAAAAA%3d",    // lower-case escape
		"AAAAAAAAAAAAAAAAAAAAAAAAAAA=",      // '=' not escaped
		"AAAAAAAAAAAAAAAAAAAAAAAAAA+A%3D",   // '+' not escaped
		"AAAAAAAAAAAAAAAAAAAAAAAAAA%41A%3D", // an escape Token never writes
		"AAAAAAAAAAAAAAAAAAAAAAAAAAB%3D",    // non-canonical Base64 (padding bits set)
	} {
		if tokenForm(bad) {
			t.Errorf("tokenForm(%q) = true", bad)
		}
	}
	if !tokenForm("AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D") {
		t.Error("tokenForm of 20 zero bytes = false")
	}
}
