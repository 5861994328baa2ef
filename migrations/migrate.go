package migrations

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// MigrationStatus is one migration's state: pending or applied (and when).
type MigrationStatus = goose.MigrationStatus

// lockID names the advisory lock migrating takes; goose's default, so that
// the goose command line run by hand respects it too.
const lockID = lock.DefaultLockID

func provider(db *sql.DB, locked bool) (*goose.Provider, error) {
	// Out of order: engineers number migrations on parallel branches, so a
	// development database may already hold a higher number than one that
	// lands later; the migrations are independent, and each applies once.
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithAllowOutofOrder(true)}
	if locked {
		// Retry every second for up to 10 minutes while another replica migrates.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID), lock.WithLockTimeout(1, 600))
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, FS, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Up applies every pending migration, each in its own transaction (unless
// the file says `-- +goose NO TRANSACTION`). It holds a session-level
// advisory lock meanwhile, so replicas starting together migrate one after
// the other: the later ones wait, then find nothing left to do. A failed
// migration stops the run; the ones before it stay applied.
func Up(ctx context.Context, db *sql.DB) error {
	p, err := provider(db, true)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrations: up: %w", err)
	}
	return nil
}

// Status lists every migration of FS in version order with its state. It
// takes no lock, so it answers even while another process migrates (it may
// then see a migration as pending that is being applied).
func Status(ctx context.Context, db *sql.DB) ([]*MigrationStatus, error) {
	p, err := provider(db, false)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: status: %w", err)
	}
	return st, nil
}

// Pending counts the migrations of FS not applied to db: a server refuses to
// start, and reports not ready, while it is above zero. Versions the database
// has but FS lacks (a newer release migrated it) do not count.
func Pending(ctx context.Context, db *sql.DB) (int, error) {
	st, err := Status(ctx, db)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range st {
		if m.State == goose.StatePending {
			n++
		}
	}
	return n, nil
}
