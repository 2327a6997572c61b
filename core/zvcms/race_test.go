//go:build race

package zvcms

const raceEnabled = true
