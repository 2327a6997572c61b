package zvcms

import (
	"strings"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

// TestDeepBodiesRefused is the regression test for a crash found by the
// hardening catalogue: a body nested millions of levels deep (here 15 MB of
// '[') made the recursive JSON validator overflow the goroutine stack, a
// fatal error that kills the process (under WebAssembly 5,000 levels were
// enough). Every parser now refuses such a body with its typed error.
func TestDeepBodiesRefused(t *testing.T) {
	deep := strings.Repeat("[", 15_000_000)
	kind := func(what string, err error, want errs.Kind) {
		t.Helper()
		if errs.KindOf(err) != want {
			t.Errorf("%s: want %s, got %v", what, want, err)
		}
	}
	_, err := ParseResponse([]byte(deep))
	kind("ParseResponse", err, errs.ResponseInvalid)
	_, err = ParseVerifyResponse([]byte(`{"status":true,"code":0,"data":` + deep))
	kind("ParseVerifyResponse", err, errs.ResponseInvalid)
	_, err = ParseDiscountResponse([]byte(deep + strings.Repeat("]", 15_000_000)))
	kind("ParseDiscountResponse", err, errs.ResponseInvalid)
	_, err = ParseRequest([]byte(`{"Params":` + deep))
	kind("ParseRequest", err, errs.InvalidJSON)
	// A list given as a JSON string is parsed too.
	r, err := ParseVerifyResponse([]byte(`{"status":true,"code":0,"data":{"bizId":"1","cardIdList":"` + strings.Repeat("[", 100_000) + `"}}`))
	if errs.KindOf(err) == errs.Internal {
		t.Fatalf("cardIdList string: %v", err)
	}
	_ = r
	// 64 levels are still fine.
	ok := `{"status":true,"code":0,"data":{"x":` + strings.Repeat("[", 62) + strings.Repeat("]", 62) + `}}`
	if _, err := ParseResponse([]byte(ok)); err != nil {
		t.Fatalf("64 levels: %v", err)
	}
}
