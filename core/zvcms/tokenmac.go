package zvcms

import (
	"crypto/hmac"
	"crypto/sha1"
	"hash"
	"sync"
	"sync/atomic"
	"unsafe"
)

// tokenMAC is a Client's cache of the HMAC-SHA1 keyed with its OpenKey: a
// pool of crypto/hmac hashes made for key, each Reset between Tokens. A
// reset crypto/hmac hash restores its saved inner and outer states (the
// key's ipad and opad blocks already absorbed), so a cached Token costs
// three SHA-1 blocks instead of five and allocates nothing.
type tokenMAC struct {
	key  string
	pool sync.Pool // of *macState
}

// macState is one pooled hash with its buffers.
type macState struct {
	h       hash.Hash
	content []byte          // the signed content, reused
	sum     [sha1.Size]byte // the digest
}

// oneToken marks a Client that has computed one Token: the cache is made on
// the second, so a client used once pays nothing for it.
var oneToken tokenMAC

// appendToken appends the Token of st (Timestamp and Nonce set) computed
// with c's OpenKey: appendToken's result, through c's cached keyed hash
// from the second Token on.
func (c *Client) appendToken(dst []byte, st Stamp) []byte {
	m := c.tokenMAC()
	if m == nil || m.key != c.OpenKey {
		// the first Token, or a client copied from another one and given
		// another OpenKey since: no cache
		return appendToken(dst, c.Credentials, st.Timestamp, st.Nonce, c.KeyStyle)
	}
	s := m.pool.Get().(*macState)
	s.content = appendSignContent(s.content[:0], c.Credentials, st.Timestamp, st.Nonce, c.KeyStyle)
	s.h.Write(s.content)
	dst = appendTokenText(dst, s.h.Sum(s.sum[:0]))
	s.h.Reset()
	m.pool.Put(s)
	return dst
}

// tokenMAC returns c's cache, nil on the first call. c.mac is written at
// most twice (nil → &oneToken → the cache), atomically: a Client is used
// concurrently.
func (c *Client) tokenMAC() *tokenMAC {
	for {
		p := atomic.LoadPointer(&c.mac)
		switch {
		case p == nil:
			if atomic.CompareAndSwapPointer(&c.mac, nil, unsafe.Pointer(&oneToken)) {
				return nil
			}
		case p == unsafe.Pointer(&oneToken):
			m := &tokenMAC{key: c.OpenKey}
			key := []byte(m.key)
			m.pool.New = func() interface{} { return &macState{h: hmac.New(sha1.New, key), content: make([]byte, 0, 256)} }
			if atomic.CompareAndSwapPointer(&c.mac, p, unsafe.Pointer(m)) {
				return m
			}
		default:
			return (*tokenMAC)(p)
		}
	}
}
