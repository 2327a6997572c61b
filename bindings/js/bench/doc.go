// Package bench holds the Go half of the WebAssembly benchmark (make
// bench-wasm): ref_test.go times, in native Go, the calls that bench.js
// times through the module (calls.json and examples/c/bench_verify.json),
// once through the method registry (what the module runs) and once as
// direct typed calls. bench.js runs it between its own rounds, so both sets
// of figures come from one run on the same machine load.
package bench
