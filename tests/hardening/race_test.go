//go:build race

package hardening

// raceEnabled: under the race detector every call is several times slower,
// so the per-call time bound is checked only in the plain run
// (make test-hardening).
const raceEnabled = true
