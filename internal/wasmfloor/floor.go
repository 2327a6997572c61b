//go:build js && wasm

// Package wasmfloor measures the floor under the WebAssembly module's size:
// programs that link only what a variant uses from the Go runtime, the
// standard library and the project's dependencies, and none of couponkit's
// own code. `make wasm-floor` builds them as the modules are built and prints
// their gzip -9 sizes beside the modules' and issue 16's targets
// (docs/testing.md, "JavaScript and WebAssembly"). Each use below stands for
// how the core uses the package; the results go to a global so that nothing
// is dead code.
package wasmfloor

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// Sink keeps every result reachable.
var Sink string

// Zvcms uses what the zvcms + discount + money module needs: reading JSON
// with gjson and a reflection-driven decoder, editing it in place with
// sjson, exact decimals, the HMAC-SHA1 Token in URL-encoded Base64, and
// formatted errors and times.
func Zvcms(in string) string {
	mac := hmac.New(sha1.New, []byte(in))
	mac.Write([]byte(gjson.Get(in, "signContent").String()))
	token := url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	d, err := decimal.NewFromString(gjson.Get(in, "price").Raw)
	if err != nil {
		return err.Error()
	}
	gjson.Parse(in).ForEach(func(k, v gjson.Result) bool {
		Sink += reflect.ValueOf(k.Str).Kind().String() + v.Raw
		return true
	})
	out, _ := sjson.Set(in, "token", token)
	n, _ := strconv.ParseInt(gjson.Get(in, "fen").Raw, 10, 64)
	return fmt.Sprintf("%s %s %d %s", out, d.Mul(decimal.New(100, 0)).StringFixed(0), n, time.Unix(n, 0).Format(time.RFC3339))
}
