package zvcms

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// randText returns a random string mixing ASCII (including '&', '=', '%',
// spaces and quotes), Chinese and 4-byte UTF-8.
func randText(r *rand.Rand, max int) string {
	alphabets := []string{
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
		"0123456789",
		"&=%+/ \"'\\?#",
		"智迈企迈优惠券核销冲正",
		"😀🎫",
	}
	n := r.Intn(max + 1)
	var b strings.Builder
	for i := 0; i < n; i++ {
		rs := []rune(alphabets[r.Intn(len(alphabets))])
		b.WriteRune(rs[r.Intn(len(rs))])
	}
	return b.String()
}

// TestTokenMatchesOpenSSL compares Token with `openssl dgst -sha1 -mac HMAC`
// for 1200 random credential/timestamp/nonce sets. To keep the test fast the
// sets come in groups of 20 sharing one random openKey, so that one openssl
// process digests a group's 20 messages (60 processes in one shell script).
func TestTokenMatchesOpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("openssl is required for this test: sudo apt-get install openssl (make test installs it)")
	}
	const groups, per = 60, 20
	r := rand.New(rand.NewSource(20190101))
	dir := t.TempDir()
	var script bytes.Buffer
	type set struct {
		c                Credentials
		timestamp, nonce string
		style            KeyStyle
	}
	var sets []set
	for g := 0; g < groups; g++ {
		key := randText(r, 80)
		if key == "" {
			key = "k"
		}
		fmt.Fprintf(&script, "openssl dgst -sha1 -mac HMAC -macopt hexkey:%s", hex.EncodeToString([]byte(key)))
		for j := 0; j < per; j++ {
			i := len(sets)
			s := set{
				c:         Credentials{OpenID: randText(r, 40), GrantCode: randText(r, 20), OpenKey: key},
				timestamp: randText(r, 12), nonce: randText(r, 8), style: KeyStyle(i % 2),
			}
			if i%3 == 0 { // realistic values too
				s.timestamp = fmt.Sprint(1500000000 + r.Intn(500000000))
				s.nonce = fmt.Sprint(100000 + r.Intn(900000))
			}
			sets = append(sets, s)
			// The signed content is built here independently of SignContent.
			names := []string{"grantCode", "nonce", "openId", "timestamp"}
			if s.style == Capitalized {
				names = []string{"GrantCode", "Nonce", "OpenId", "Timestamp"}
			}
			msg := names[0] + "=" + s.c.GrantCode + "&" + names[1] + "=" + s.nonce + "&" +
				names[2] + "=" + s.c.OpenID + "&" + names[3] + "=" + s.timestamp
			m := filepath.Join(dir, fmt.Sprint("m", i))
			if err := os.WriteFile(m, []byte(msg), 0o600); err != nil {
				t.Fatal(err)
			}
			script.WriteString(" " + m)
		}
		script.WriteString("\n")
	}
	sh := filepath.Join(dir, "hmac.sh")
	if err := os.WriteFile(sh, script.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", "-e", sh).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(sets) {
		t.Fatalf("openssl printed %d lines, want %d:\n%.500s", len(lines), len(sets), out)
	}
	plus, slash, nonASCII := 0, 0, 0
	for i, s := range sets {
		// "HMAC-SHA1(<dir>/m<i>)= <hex>"
		line := lines[i]
		if !strings.Contains(line, fmt.Sprintf("/m%d)= ", i)) {
			t.Fatalf("set %d: unexpected openssl line %q", i, line)
		}
		sum, err := hex.DecodeString(line[strings.LastIndex(line, " ")+1:])
		if err != nil || len(sum) != 20 {
			t.Fatalf("set %d: openssl line %q", i, line)
		}
		b64 := base64.StdEncoding.EncodeToString(sum)
		plus += strings.Count(b64, "+")
		slash += strings.Count(b64, "/")
		if strings.ContainsAny(s.c.OpenKey+s.c.OpenID+s.c.GrantCode, "智迈企优惠券核销冲正😀🎫") {
			nonASCII++
		}
		want := url.QueryEscape(b64)
		if got := Token(s.c, s.timestamp, s.nonce, s.style); got != want {
			t.Fatalf("set %d (%+v): Token %q, openssl %q", i, s, got, want)
		}
	}
	if plus == 0 || slash == 0 || nonASCII < len(sets)/2 {
		t.Fatalf("the random sets do not cover '+' (%d), '/' (%d) and non-ASCII (%d)", plus, slash, nonASCII)
	}
}

// A known answer computed once with
// printf 'grantCode=782c281f62&nonce=658965&openId=6dc05b4ac175cf316d226252b05cf685&timestamp=1547186244' | openssl dgst -sha1 -hmac test-open-key -binary | base64
func TestTokenKnownAnswer(t *testing.T) {
	c := seedClient().Credentials
	if got, want := SignContent(c, "1547186244", "658965", LowerCamel),
		"grantCode=782c281f62&nonce=658965&openId=6dc05b4ac175cf316d226252b05cf685&timestamp=1547186244"; got != want {
		t.Fatalf("SignContent = %q", got)
	}
	if got, want := SignContent(c, "1547186244", "658965", Capitalized),
		"GrantCode=782c281f62&Nonce=658965&OpenId=6dc05b4ac175cf316d226252b05cf685&Timestamp=1547186244"; got != want {
		t.Fatalf("SignContent = %q", got)
	}
	if got := Token(c, "1547186244", "658965", LowerCamel); got != knownToken {
		t.Fatalf("Token = %q, want %q", got, knownToken)
	}
	if Token(c, "1547186244", "658965", Capitalized) == knownToken {
		t.Fatal("the key style does not change the Token")
	}
}

func TestPrintingRedactsOpenKey(t *testing.T) {
	const secret = "s3cr3t-open-key-value"
	c := Client{Credentials: Credentials{OpenID: "oid", GrantCode: "gc", OpenKey: secret}, BaseURL: "http://x.invalid/api"}
	for _, v := range []interface{}{c, &c, c.Credentials, &c.Credentials, []Client{c}, map[string]Credentials{"k": c.Credentials}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, secret, "%s of %T", verb, v)
			assert.Contains(t, out, "oid", "%s of %T keeps the OpenId", verb, v)
			assert.Contains(t, out, redacted, "%s of %T marks the key as set", verb, v)
		}
	}
	assert.Contains(t, fmt.Sprint(c), "http://x.invalid/api")
	assert.NotContains(t, fmt.Sprint(Credentials{OpenID: "oid"}), redacted, "an empty key is not shown as set")
}
