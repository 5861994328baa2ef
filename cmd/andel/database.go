package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"andel/domain"
	"andel/internal/pgserver"
	"andel/migrations"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for the direct connection
	"gorm.io/gorm"
)

// database is an open database and, in development, the private server
// behind it.
type database struct {
	DB  *gorm.DB
	URL string
	// DirectURL, when set, is PostgreSQL itself behind a pooler at URL:
	// migrations run there (see Config.DatabaseDirectURL).
	DirectURL string
	server    *pgserver.Server
}

// openDatabase connects to DATABASE_URL, or starts the private PostgreSQL
// under the data folder when it is unset. With share, a private server that
// another andel process already runs on the data folder (`make run` in
// another terminal) is used rather than refused; serve does not share, so
// that the server it relies on is its own.
func openDatabase(ctx context.Context, cfg Config, log *slog.Logger, share bool) (*database, error) {
	d := &database{URL: cfg.DatabaseURL, DirectURL: cfg.DatabaseDirectURL}
	if d.URL == "" {
		dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "postgres"))
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return nil, err
		}
		log.Info("DATABASE_URL is not set: using a private PostgreSQL", "data_dir", dir)
		srv, err := pgserver.Start(ctx, pgserver.Options{DataDir: dir, LogFile: filepath.Join(filepath.Dir(dir), "postgres.log"), Attach: share})
		if err != nil {
			return nil, err
		}
		d.server = srv
		if srv.Attached() {
			log.Info("the private PostgreSQL is already running (another andel process started it): using it")
		}
		if err := ensureDatabase(ctx, srv, "andel"); err != nil {
			_ = srv.Stop()
			return nil, err
		}
		d.URL = srv.URL("andel")
		log.Info("private PostgreSQL is up", "version", srv.Version(), "url", d.URL)
	}
	db, err := domain.OpenDB(d.URL)
	if err == nil {
		err = pingDB(ctx, db)
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	d.DB = db
	return d, nil
}

func pingDB(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("cannot reach the database: %w", err)
	}
	return nil
}

// ensureDatabase creates database name on the private server if missing.
func ensureDatabase(ctx context.Context, srv *pgserver.Server, name string) error {
	admin, err := domain.OpenDB(srv.URL("postgres"))
	if err != nil {
		return err
	}
	defer closeDB(admin)
	var exists bool
	if err := admin.WithContext(ctx).Raw("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", name).Scan(&exists).Error; err != nil {
		return err
	}
	if exists {
		return nil
	}
	return admin.WithContext(ctx).Exec(`CREATE DATABASE "` + name + `"`).Error
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

// Close closes the connections and stops the private server, if any (one
// another process started keeps running).
func (d *database) Close() error {
	if d.DB != nil {
		closeDB(d.DB)
	}
	if d.server != nil {
		return d.server.Stop()
	}
	return nil
}

// Private reports whether this is the development server started here.
func (d *database) Private() bool { return d.server != nil }

// migrate applies pending migrations.
// With a DirectURL they run on a connection of their own to PostgreSQL
// itself: goose's session-level lock (which keeps replicas starting
// together from migrating at once) does not survive a pooler in
// transaction mode.
func (d *database) migrate(ctx context.Context) error {
	if d.DirectURL != "" && d.server == nil {
		direct, err := sql.Open("pgx", d.DirectURL)
		if err != nil {
			return err
		}
		defer direct.Close()
		direct.SetMaxOpenConns(1)
		return migrations.Up(ctx, direct)
	}
	sqlDB, err := d.DB.DB()
	if err != nil {
		return err
	}
	return migrations.Up(ctx, sqlDB)
}

// errSchemaBehind is why serve refuses to start on an unmigrated database.
var errSchemaBehind = errors.New("the database schema is behind this program: run `andel migrate` (or serve -migrate)")

// checkSchema returns errSchemaBehind when migrations are pending.
func (d *database) checkSchema(ctx context.Context) error {
	sqlDB, err := d.DB.DB()
	if err != nil {
		return err
	}
	n, err := migrations.Pending(ctx, sqlDB)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w (%d pending)", errSchemaBehind, n)
	}
	return nil
}
