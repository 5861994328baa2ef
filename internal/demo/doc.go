// Package demo generates data for measuring Andel: a synthetic cooperative
// year of orders for benchmarks (GenerateYear, `andel generate year`),
// loaded with COPY (package pgload). None of it is part of the
// cooperative's rules, so it lives outside domain.
package demo
