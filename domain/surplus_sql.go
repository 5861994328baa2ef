package domain

import (
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// surplusTx is a GORM transaction with the two calls the surplus code
// makes: statements written with PostgreSQL's numbered parameters ($1, a
// number may repeat), passed to GORM as its positional ones.
type surplusTx struct{ db *gorm.DB }

var numberedParam = regexp.MustCompile(`\$(\d+)`)

// positional rewrites $n parameters to ? with the arguments in order of use.
func positional(q string, args []any) (string, []any) {
	var out []any
	q = numberedParam.ReplaceAllStringFunc(q, func(m string) string {
		n, _ := strconv.Atoi(m[1:])
		out = append(out, args[n-1])
		return "?"
	})
	return q, out
}

// Exec runs a statement and returns the rows it affected.
func (t surplusTx) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	q, a := positional(q, args)
	res := t.db.WithContext(ctx).Exec(q, a...)
	return res.RowsAffected, res.Error
}

// QueryRow runs a query that returns one row.
func (t surplusTx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q, a := positional(q, args)
	return t.db.WithContext(ctx).Raw(q, a...).Row()
}

// Query runs a query that returns rows.
func (t surplusTx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q, a := positional(q, args)
	return t.db.WithContext(ctx).Raw(q, a...).Rows()
}

// inSurplusTx runs fn in one transaction of db.
func inSurplusTx(ctx context.Context, db *gorm.DB, fn func(tx surplusTx) error) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(surplusTx{tx}) })
}

// pgArray is a PostgreSQL array literal of n elements, for inserting many
// rows in one statement (INSERT ... SELECT FROM unnest($1::bigint[], ...)):
// one parameter per column instead of one per value. Elements are
// double-quoted when quote is set (text), with " and \ escaped.
func pgArray(n int, quote bool, elem func(i int) string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		v := elem(i)
		if quote {
			b.WriteByte('"')
			b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v))
			b.WriteByte('"')
		} else {
			b.WriteString(v)
		}
	}
	b.WriteByte('}')
	return b.String()
}
