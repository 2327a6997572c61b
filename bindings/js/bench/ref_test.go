package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/discount"
	"github.com/couponkit/couponkit/core/invoke"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/zvcms"
)

// call is one entry of calls.json.
type call struct {
	Method  string `json:"method"`
	Request string `json:"request"`
}

// verifyFile is the zvcms.verifyCoupons.request the C benchmark sends too.
type verifyFile struct {
	Zvcms struct {
		OpenID    string `json:"openId"`
		GrantCode string `json:"grantCode"`
		OpenKey   string `json:"openKey"`
	} `json:"zvcms"`
	Timestamp string `json:"timestamp"`
	Nonce     string `json:"nonce"`
	Params    struct {
		BizID           string   `json:"bizId"`
		CustomerID      string   `json:"customerId"`
		CouponsCardList []string `json:"couponsCardList"`
		Ext             struct {
			ChannelType    int    `json:"channelType"`
			MultiStoreMark string `json:"multiStoreMark"`
		} `json:"ext"`
		Amount      string `json:"amount"`
		OrderAmount string `json:"orderAmount"`
	} `json:"params"`
}

type fixture struct {
	calls     map[string]call
	verifyRaw []byte
	verify    verifyFile
}

func load(b *testing.B) fixture {
	var f fixture
	raw, err := os.ReadFile("calls.json")
	if err != nil {
		b.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		b.Fatal(err)
	}
	f.calls = map[string]call{}
	for k, v := range all {
		var c call
		if json.Unmarshal(v, &c) == nil && c.Method != "" {
			f.calls[k] = c
		}
	}
	if f.verifyRaw, err = os.ReadFile("../../../examples/c/bench_verify.json"); err != nil {
		b.Fatal(err)
	}
	f.verifyRaw = bytes.TrimSpace(f.verifyRaw)
	if err := json.Unmarshal(f.verifyRaw, &f.verify); err != nil {
		b.Fatal(err)
	}
	return f
}

func ok(b *testing.B, name string, reply []byte) {
	if !bytes.HasPrefix(reply, []byte(`{"ok":true`)) {
		b.Fatalf("%s: %s", name, reply)
	}
}

// BenchmarkInvoke is each call through the method registry, as the module
// makes it once the request bytes are in Go memory.
func BenchmarkInvoke(b *testing.B) {
	f := load(b)
	r := invoke.New(invoke.Options{})
	v := f.verify.Zvcms
	creds, _ := json.Marshal(map[string]interface{}{"zvcms": map[string]string{
		"openId": v.OpenID, "grantCode": v.GrantCode, "openKey": v.OpenKey}})
	open := r.Invoke("session.open", creds)
	ok(b, "session.open", open)
	var sess struct {
		Result struct{ Session string } `json:"result"`
	}
	if err := json.Unmarshal(open, &sess); err != nil {
		b.Fatal(err)
	}
	run := func(name, method string, req []byte) {
		b.Run(name, func(b *testing.B) {
			ok(b, name, r.Invoke(method, req))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				r.Invoke(method, req)
			}
		})
	}
	for _, name := range []string{"version", "token", "quote"} {
		c := f.calls[name]
		run(name, c.Method, []byte(strings.ReplaceAll(c.Request, "$SESSION", sess.Result.Session)))
	}
	run("verifyCoupons.request", "zvcms.verifyCoupons.request", f.verifyRaw)
}

// BenchmarkDirect is the same work as typed Go calls, without the JSON
// surface: what a Go program importing the packages pays.
func BenchmarkDirect(b *testing.B) {
	f := load(b)
	v := f.verify
	creds := zvcms.Credentials{OpenID: v.Zvcms.OpenID, GrantCode: v.Zvcms.GrantCode, OpenKey: v.Zvcms.OpenKey}
	var tok struct{ Timestamp, Nonce string }
	if err := json.Unmarshal([]byte(f.calls["token"].Request), &tok); err != nil {
		b.Fatal(err)
	}
	b.Run("token", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if zvcms.Token(creds, tok.Timestamp, tok.Nonce, zvcms.LowerCamel) == "" {
				b.Fatal("empty token")
			}
		}
	})
	b.Run("verifyCoupons.request", func(b *testing.B) {
		cl := zvcms.Client{Credentials: creds}
		p := zvcms.VerifyParams{BizID: v.Params.BizID, CustomerID: v.Params.CustomerID, CouponsCardList: v.Params.CouponsCardList,
			Ext: zvcms.Ext{ChannelType: v.Params.Ext.ChannelType, MultiStoreMark: v.Params.Ext.MultiStoreMark}}
		for _, a := range []struct {
			dst  *zvcms.OptFen
			text string
		}{{&p.Amount, v.Params.Amount}, {&p.OrderAmount, v.Params.OrderAmount}} {
			n, err := strconv.ParseInt(a.text, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			*a.dst = zvcms.FenOf(money.Fen(n))
		}
		st := zvcms.Stamp{Timestamp: v.Timestamp, Nonce: v.Nonce}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := cl.VerifyCoupons(p, st); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("quote", func(b *testing.B) {
		var in discount.QuoteInput
		if err := json.Unmarshal([]byte(f.calls["quote"].Request), &in); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			basket, coupons, err := in.Parse()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := discount.Quote(basket, coupons); err != nil {
				b.Fatal(err)
			}
		}
	})
}
