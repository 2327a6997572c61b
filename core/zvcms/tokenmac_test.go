package zvcms

import (
	"math/rand"
	"strconv"
	"sync"
	"testing"
)

// TestClientTokenCache: a Client's Tokens, computed once without its cached
// keyed hash and then through it, are the known answer (openssl) every time,
// and each equal to the one-shot Token (TestTokenMatchesOpenSSL checks that
// one against openssl) for random stamps, credentials and both key styles.
func TestClientTokenCache(t *testing.T) {
	c := seedClient()
	for i := 0; i < 4; i++ {
		st, err := c.IssueStamp(seedStamp)
		if err != nil || st.Token != knownToken {
			t.Fatalf("IssueStamp #%d: %q, %v; want %q", i+1, st.Token, err, knownToken)
		}
		if c.tokenMAC(); i > 0 && (*tokenMAC)(c.mac) == &oneToken {
			t.Fatalf("IssueStamp #%d: no cache made", i+1)
		}
	}
	r := rand.New(rand.NewSource(16))
	for i := 0; i < 300; i++ {
		if i%50 == 0 { // fresh credentials now and then: each client starts uncached
			key := randText(r, 100)
			if key == "" {
				key = "k"
			}
			c = &Client{Credentials: Credentials{OpenID: randText(r, 40), GrantCode: randText(r, 20), OpenKey: key}, KeyStyle: KeyStyle(i / 50 % 2)}
		}
		st := Stamp{Timestamp: strconv.Itoa(1500000000 + r.Intn(500000000)), Nonce: strconv.Itoa(100000 + r.Intn(900000))}
		var buf [8]byte // too small: the Token grows it
		if got, want := string(c.appendToken(buf[:0], st)), Token(c.Credentials, st.Timestamp, st.Nonce, c.KeyStyle); got != want {
			t.Fatalf("set %d: cached Token %q, one-shot %q", i, got, want)
		}
	}
}

// TestClientTokenCacheKeyChange: a copy of a Client that shares its cache
// but has another OpenKey does not use the cache.
func TestClientTokenCacheKeyChange(t *testing.T) {
	c := seedClient()
	for i := 0; i < 3; i++ {
		c.appendToken(nil, seedStamp)
	}
	d := *c
	d.OpenKey = "another-open-key"
	want := Token(d.Credentials, seedStamp.Timestamp, seedStamp.Nonce, d.KeyStyle)
	if want == knownToken {
		t.Fatal("the key does not change the Token")
	}
	for i := 0; i < 3; i++ {
		if got := string(d.appendToken(nil, seedStamp)); got != want {
			t.Fatalf("copy with another key: %q, want %q", got, want)
		}
		if got := string(c.appendToken(nil, seedStamp)); got != knownToken {
			t.Fatalf("original after the copy: %q", got)
		}
	}
}

// TestClientTokenCacheConcurrent: one Client issuing Tokens from 8
// goroutines at once (run with -race) gives each the Token of its stamp.
func TestClientTokenCacheConcurrent(t *testing.T) {
	c := seedClient()
	var wg sync.WaitGroup
	errc := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				st := Stamp{Timestamp: strconv.Itoa(1547186244 + g), Nonce: strconv.Itoa(100000 + i)}
				got, err := c.IssueStamp(st)
				if want := Token(c.Credentials, st.Timestamp, st.Nonce, c.KeyStyle); err != nil || got.Token != want {
					errc <- "goroutine " + strconv.Itoa(g) + ": " + got.Token + " want " + want
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errc)
	for e := range errc {
		t.Error(e)
	}
}

// TestClientTokenAllocs: from the third Token on, a Client's Token
// allocates nothing (sync.Pool drops items at random under -race, so
// the count is checked only without it).
func TestClientTokenAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	c := seedClient()
	var buf [64]byte
	c.appendToken(buf[:0], seedStamp)
	c.appendToken(buf[:0], seedStamp)
	if n := testing.AllocsPerRun(100, func() { c.appendToken(buf[:0], seedStamp) }); n != 0 {
		t.Fatalf("a cached Token allocates %v times", n)
	}
}
