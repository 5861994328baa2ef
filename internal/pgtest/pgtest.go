// Package pgtest gives integration tests their own PostgreSQL databases,
// with no database started by hand.
//
// A package that uses it calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// The first test that asks for a database starts one throwaway server for the
// whole test binary (internal/pgserver, Ephemeral: no fsync, data in a
// temporary folder) and creates the template database andel_template with
// every migration applied (migrations.Up). Each call to DB or URL then clones
// the template into a fresh database test_N (CREATE DATABASE ... TEMPLATE, a
// about 20 ms), which t.Cleanup drops. Tests may therefore run
// with t.Parallel and change whatever they like. When m.Run returns, Main
// stops the server and removes its folder; a Ctrl-C does the same.
//
// When the PostgreSQL server programs are missing, the tests that ask for a
// database fail (never skip) with the message to install the Debian package
// `postgresql`.
//
// pgtest imports andel/domain (DB opens with domain.OpenDB), so tests inside
// package domain that need a database must be external: package domain_test.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"gorm.io/gorm"

	"andel/domain"
	"andel/internal/pgserver"
	"andel/migrations"
)

// Template is the database, with all migrations applied, that each test
// database is cloned from.
const Template = "andel_template"

var (
	mainCalled atomic.Bool
	startOnce  sync.Once
	srv        *pgserver.Server
	admin      *sql.DB // the "postgres" maintenance database
	startErr   error
	counter    atomic.Int64

	// cloneStrategy: copying the template's files is about 5 times faster
	// than the default WAL_LOG of PostgreSQL 15+ when fsync is off.
	cloneStrategy string
)

// Main runs the tests of a package (call it from TestMain), then stops the
// test server if one was started, and exits with the tests' code.
//
// after, if given, run once the tests have (a shared browser closes).
func Main(m *testing.M, after ...func()) {
	mainCalled.Store(true)
	code := m.Run()
	for _, f := range after {
		f()
	}
	if err := shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

var shutdownOnce sync.Once

func shutdown() (err error) {
	shutdownOnce.Do(func() {
		if admin != nil {
			admin.Close()
		}
		if srv != nil {
			err = srv.Stop()
		}
	})
	return err
}

// server starts the test server and the template on first use.
func server(t testing.TB) *pgserver.Server {
	t.Helper()
	if !mainCalled.Load() {
		t.Fatal("pgtest: the package's TestMain must call pgtest.Main(m), which stops the test server at the end:\n\tfunc TestMain(m *testing.M) { pgtest.Main(m) }")
	}
	startOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		startErr = start(ctx)
	})
	if startErr != nil {
		t.Fatal(startErr)
	}
	return srv
}

func start(ctx context.Context) error {
	s, err := pgserver.Start(ctx, pgserver.Options{Ephemeral: true})
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	srv = s
	if s.Major() >= 15 {
		cloneStrategy = " STRATEGY FILE_COPY"
	}
	// Ctrl-C: stop the server and remove its folder before going.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		shutdown()
		fmt.Fprintf(os.Stderr, "pgtest: %v: stopped the test server\n", sig)
		os.Exit(2)
	}()

	if admin, err = sql.Open("pgx", s.URL("postgres")); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	admin.SetMaxIdleConns(4)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+Template); err != nil {
		return fmt.Errorf("pgtest: create template: %w", err)
	}
	tdb, err := sql.Open("pgx", s.URL(Template))
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	err = migrations.Up(ctx, tdb)
	tdb.Close()
	if err != nil {
		return fmt.Errorf("pgtest: migrate template: %w", err)
	}
	// No one may connect to the template: a connection would make every
	// CREATE DATABASE ... TEMPLATE wait, then fail.
	if _, err := admin.ExecContext(ctx, "ALTER DATABASE "+Template+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return nil
}

// URL creates a fresh database cloned from the template, dropped when t
// ends, and returns its postgres:// URL: for tests that open their own
// connections or run the real program end to end.
func URL(t testing.TB) string {
	t.Helper()
	s := server(t)
	name := fmt.Sprintf("test_%d", counter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+Template+cloneStrategy); err != nil {
		t.Fatalf("pgtest: create %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// FORCE: connections a test left open must not keep the database.
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return s.URL(name)
}

// DB creates a fresh database cloned from the template (see URL) and opens it
// with domain.OpenDB; the connections are closed and the database dropped
// when t ends. Safe for parallel tests.
func DB(t testing.TB) *gorm.DB {
	t.Helper()
	url := URL(t)
	db, err := domain.OpenDB(url)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { // runs before URL's cleanup drops the database
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return db
}

// Server is the test binary's server, started on first use: for tests that
// need its URL for another database (Server(t).URL("postgres")) or its port.
func Server(t testing.TB) *pgserver.Server {
	t.Helper()
	return server(t)
}
