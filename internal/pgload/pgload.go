// Package pgload owns Andel's bulk loads over pgx: COPY, goroutines that
// feed it and spool files. It implements domain.OfferLoader, the price-list
// importer's one pass that streams a list's lines through the cooperative's
// per-SKU checks (domain.SKUChecks) and a product lookup straight into
// offer_rows, and the sorted path for bodies whose SKUs are not together.
//
// Why a package of its own: COPY is only reachable through the driver (pgx),
// not through GORM, which every use case in domain uses; the loader runs in
// the transaction domain opened (on the connection it hands over), so the
// rules, the status changes and the audit trail stay in domain and are
// written once. The benchmark data generator (internal/demo) uses InTx and
// Numeric too.
package pgload

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"andel/domain"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/shopspring/decimal"
)

// Loader writes price lists' offers with COPY (domain.OfferLoader). The
// zero value is ready to use: everything it needs comes with each load.
type Loader struct{}

var _ domain.OfferLoader = Loader{}

// LoadOffers runs one pass of l on l.Conn, inside the transaction open on
// it: the one pass (streamOffers), or for l.Sorted the staged and sorted
// one (loadSorted).
func (Loader) LoadOffers(ctx context.Context, l domain.OfferLoad) (domain.LoadedOffers, error) {
	var res domain.LoadedOffers
	err := onConn(l.Conn, func(conn *pgx.Conn) error {
		var err error
		if l.Sorted {
			res, err = loadSorted(ctx, conn, l)
		} else {
			res, err = streamOffers(ctx, conn, l.Pool, l.List, l.Read, l.OnLine)
		}
		return err
	})
	var sysErr *systemError
	switch {
	case err == nil, errors.Is(err, domain.ErrLinesApart):
	case errors.As(err, &sysErr):
		err = sysErr.err
	default:
		res.ReadErr, err = err, nil
	}
	return res, err
}

// systemError marks a failure that is ours (the database, a spool file),
// not the list's, so that it is not reported to the supplier as a
// problem: read returns whatever emit returned, and this tells the two
// apart.
type systemError struct{ err error }

func (e *systemError) Error() string { return e.err.Error() }

// onConn runs fn on the pgx connection under conn, held for fn's duration
// (whatever transaction is open on conn stays open around it).
func onConn(conn *sql.Conn, fn func(*pgx.Conn) error) error {
	return conn.Raw(func(driverConn any) error {
		pc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("database driver is %T, not pgx", driverConn)
		}
		return fn(pc.Conn())
	})
}

// WithConn runs fn on a pgx connection of db's pool, held for fn's
// duration.
func WithConn(ctx context.Context, db *sql.DB, fn func(*pgx.Conn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return onConn(conn, fn)
}

// InTx runs fn in a pgx transaction on a connection of db's pool. The
// transaction commits when fn returns nil and rolls back otherwise.
func InTx(ctx context.Context, db *sql.DB, fn func(pgx.Tx) error) error {
	return WithConn(ctx, db, func(c *pgx.Conn) error { return pgx.BeginFunc(ctx, c, fn) })
}

// Numeric hands a decimal to pgx exactly (coefficient and exponent), never
// through a float: the encoding of every NUMERIC these loads COPY.
func Numeric(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullCount writes a count that 0 leaves unset (no limit) as NULL.
func nullCount(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
