package main

import (
	"io"
	"os"
	"testing"
)

// TestOutput runs the example docs/discount.md includes and checks every
// figure it prints (worked by hand: 5.00 over 25.00 and 16.04 by largest
// remainder is 304.6 → 305 and 195.4 → 195; 8.8折 of tea's remaining 21.95 is
// 2.634 → 2.63; the vendor's 3.00/2.00 split is consistent but differs from
// the local one on both lines).
func TestOutput(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	runErr := run()
	os.Stdout = stdout
	w.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if runErr != nil {
		t.Fatal(runErr)
	}
	want := `tea  amount  25.00, coupon shares [305 263] fen, payable  19.32
nuts amount  16.04, coupon shares [195 0] fen, payable  14.09
tea per-unit discount runs: [{From:1 To:2 Amount:284}]
reconcile: consistent true, source server, allocation [300 200], discrepancies 2
verify with amount 500 fen of orderAmount 4104 fen
`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
