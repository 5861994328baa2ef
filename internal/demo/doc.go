// Package demo generates data for trying Andel out and for measuring it:
// the demo cooperative with its logins and keys (Seed, `andel seed`,
// `andel serve -seed`), its demo tenders (SeedTenders), and a synthetic
// cooperative year of orders for benchmarks (GenerateYear, `andel generate
// year`). It goes through domain's services where the rules matter (the
// demo is audited as the seed) and loads the benchmark year with COPY
// (package pgload); none of it is part of the cooperative's rules, so it
// lives outside domain.
package demo
