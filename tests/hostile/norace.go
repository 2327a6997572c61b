//go:build !race

package hostile

// RaceEnabled says the race detector is on (see race.go).
const RaceEnabled = false
