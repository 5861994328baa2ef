package migrations_test

import (
	"context"
	"database/sql"
	"io/fs"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"andel/internal/pgtest"
	"andel/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// blank creates an empty database (not from the migrated template).
func blank(t *testing.T, name string) string {
	t.Helper()
	s := pgtest.Server(t)
	admin, err := sql.Open("pgx", s.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	return s.URL(name)
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func files(t *testing.T) int {
	t.Helper()
	m, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil || len(m) == 0 {
		t.Fatalf("no migrations in FS: %v", err)
	}
	return len(m)
}

func TestUpFromScratch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db := open(t, blank(t, "scratch"))

	n, err := migrations.Pending(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if want := files(t); n != want {
		t.Fatalf("Pending on an empty database = %d, want %d", n, want)
	}

	// Two replicas migrating at once: the advisory lock serializes them.
	other := open(t, pgtest.Server(t).URL("scratch"))
	errs := make(chan error, 2)
	for _, d := range []*sql.DB{db, other} {
		go func() { errs <- migrations.Up(ctx, d) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent Up: %v", err)
		}
	}
	if err := migrations.Up(ctx, db); err != nil {
		t.Fatalf("Up again: %v", err)
	}
	if n, err := migrations.Pending(ctx, db); err != nil || n != 0 {
		t.Fatalf("Pending after Up = %d, %v", n, err)
	}
	st, err := migrations.Status(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range st {
		if m.State != "applied" || m.AppliedAt.IsZero() {
			t.Errorf("%s: %s at %v", m.Source.Path, m.State, m.AppliedAt)
		}
	}
}

func TestTemplateIsMigrated(t *testing.T) {
	db := open(t, pgtest.URL(t))
	if n, err := migrations.Pending(context.Background(), db); err != nil || n != 0 {
		t.Fatalf("Pending on a test database = %d, %v", n, err)
	}
}
