//go:build race

package hostile

// RaceEnabled: under the race detector memory use is several times higher,
// so the flood cases' peak memory is asserted only in the plain runs.
const RaceEnabled = true
