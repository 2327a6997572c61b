package zvcms

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
)

const testdataDir = "../../testdata/zvcms"

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeJSON decodes b keeping numbers as their text (no float64).
func decodeJSON(t testing.TB, b []byte) map[string]interface{} {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]interface{}
	if err := d.Decode(&m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, b)
	}
	return m
}

// jsonEqual compares two JSON objects as values, ignoring the listed
// top-level keys.
func jsonEqual(t testing.TB, got, want []byte, ignore ...string) {
	t.Helper()
	g, w := decodeJSON(t, got), decodeJSON(t, want)
	for _, k := range ignore {
		delete(g, k)
		delete(w, k)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON differs\n got: %s\nwant: %s", got, want)
	}
}

func wantKind(t testing.TB, err error, kind errs.Kind, field string) *errs.Error {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("want *errs.Error %s %s, got %v", kind, field, err)
	}
	if e.Kind != kind || e.Field != field {
		t.Fatalf("want %s %q, got %s %q (%v)", kind, field, e.Kind, e.Field, err)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("errors.Is(%v, %s) is false", err, kind)
	}
	return e
}

// seedClient has the seed's OpenId and GrantCode and a test-only key.
func seedClient() *Client {
	return &Client{Credentials: Credentials{
		OpenID: "6dc05b4ac175cf316d226252b05cf685", GrantCode: "782c281f62", OpenKey: "test-open-key",
	}}
}

var seedStamp = Stamp{Timestamp: "1547186244", Nonce: "658965"}
