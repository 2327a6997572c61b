// Package golden holds the Go half of the cross-check between the Go core
// and the WebAssembly module: its test replays the calls of
// testdata/invoke-golden/cases.json through core/invoke and compares the
// replies byte for byte; bindings/js/test/golden.test.js replays the same
// file through the .wasm. Regenerate the file with
//
//	go test ./bindings/js/golden -update
package golden
