package discount

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
)

// workedCase is one entry of testdata/discount/cases.json.
type workedCase struct {
	Name  string     `json:"name"`
	Shows string     `json:"shows"`
	Input QuoteInput `json:"input"`
	Want  *struct {
		Gross         *money.Fen `json:"gross"`
		PriorDiscount *money.Fen `json:"priorDiscount"`
		Amount        money.Fen  `json:"amount"`
		Discount      money.Fen  `json:"discount"`
		Payable       money.Fen  `json:"payable"`
		Coupons       []struct {
			Discount money.Fen `json:"discount"`
			Reason   Reason    `json:"reason"`
		} `json:"coupons"`
		Lines []struct {
			ID      string      `json:"id"`
			Gross   money.Fen   `json:"gross"`
			Shares  []money.Fen `json:"shares"`
			Payable money.Fen   `json:"payable"`
		} `json:"lines"`
		Units map[string]struct {
			Prior   [][3]int64   `json:"prior"`
			Shares  [][][3]int64 `json:"shares"`
			Payable [][3]int64   `json:"payable"`
		} `json:"units"`
	} `json:"want"`
	Error *struct {
		Kind  errs.Kind `json:"kind"`
		Field string    `json:"field"`
	} `json:"error"`
}

func loadCases(t *testing.T) []workedCase {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/discount/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []workedCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f.Cases
}

func triples(rs []UnitRun) [][3]int64 {
	out := make([][3]int64, len(rs))
	for i, r := range rs {
		out[i] = [3]int64{r.From, r.To, int64(r.Amount)}
	}
	return out
}

func TestWorkedCases(t *testing.T) {
	cases := loadCases(t)
	positive := 0
	for _, c := range cases {
		c := c
		if c.Shows == "" || (c.Want == nil) == (c.Error == nil) {
			t.Fatalf("%s: a case needs a shows line and exactly one of want/error", c.Name)
		}
		if c.Want != nil {
			positive++
		}
		t.Run(c.Name, func(t *testing.T) {
			b, cs, err := c.Input.Parse()
			var res *Result
			if err == nil {
				res, err = Quote(b, cs)
			}
			if c.Error != nil {
				var e *errs.Error
				if !errors.As(err, &e) || e.Kind != c.Error.Kind || e.Field != c.Error.Field {
					t.Fatalf("want %s at %s, got %v", c.Error.Kind, c.Error.Field, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := c.Want
			if w.Gross != nil && *w.Gross != res.Gross {
				t.Errorf("gross %d, want %d", res.Gross, *w.Gross)
			}
			if w.PriorDiscount != nil && *w.PriorDiscount != res.PriorDiscount {
				t.Errorf("prior %d, want %d", res.PriorDiscount, *w.PriorDiscount)
			}
			if res.Amount != w.Amount || res.Discount != w.Discount || res.Payable != w.Payable {
				t.Errorf("totals %d/%d/%d, want %d/%d/%d", res.Amount, res.Discount, res.Payable, w.Amount, w.Discount, w.Payable)
			}
			if len(res.Coupons) != len(w.Coupons) {
				t.Fatalf("%d coupons, want %d", len(res.Coupons), len(w.Coupons))
			}
			for j, wc := range w.Coupons {
				got := res.Coupons[j]
				if got.Discount != wc.Discount || got.Reason != wc.Reason || got.Applied != (wc.Discount > 0) {
					t.Errorf("coupon %d: %d %q applied=%v, want %d %q", j, got.Discount, got.Reason, got.Applied, wc.Discount, wc.Reason)
				}
			}
			if len(res.Lines) != len(w.Lines) {
				t.Fatalf("%d lines, want %d", len(res.Lines), len(w.Lines))
			}
			byID := map[string]*LineResult{}
			for i, wl := range w.Lines {
				got := &res.Lines[i]
				byID[got.ID] = got
				if got.ID != wl.ID || got.Gross != wl.Gross || got.Payable != wl.Payable || !reflect.DeepEqual(got.Shares, wl.Shares) {
					t.Errorf("line %d: %s gross %d shares %v payable %d, want %s %d %v %d", i, got.ID, got.Gross, got.Shares, got.Payable, wl.ID, wl.Gross, wl.Shares, wl.Payable)
				}
			}
			for id, wu := range w.Units {
				u, ok := byID[id].Units()
				if !ok {
					t.Fatalf("line %s has no unit split", id)
				}
				shares := make([][][3]int64, len(u.Shares))
				for j := range u.Shares {
					shares[j] = triples(u.Shares[j])
				}
				if !reflect.DeepEqual(triples(u.Prior), wu.Prior) || !reflect.DeepEqual(shares, wu.Shares) || !reflect.DeepEqual(triples(u.Payable), wu.Payable) {
					t.Errorf("units of %s: prior %v shares %v payable %v, want %v %v %v", id, triples(u.Prior), shares, triples(u.Payable), wu.Prior, wu.Shares, wu.Payable)
				}
			}
		})
	}
	if positive < 25 {
		t.Fatalf("only %d worked cases with expected results; the issue asks for at least 25", positive)
	}
}
