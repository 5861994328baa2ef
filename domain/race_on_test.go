//go:build race

package domain_test

// raceEnabled: the race detector slows the large property cases ~10x, so
// `make test` (which runs with -race) keeps to the smaller ones.
const raceEnabled = true
