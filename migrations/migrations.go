// Package migrations owns the database schema: numbered goose SQL files,
// embedded into the binary so that `andel migrate` and the test harness apply
// exactly what was committed.
package migrations

import "embed"

// FS holds every *.sql migration at its root, in goose's numbered naming.
//
//go:embed *.sql
var FS embed.FS
