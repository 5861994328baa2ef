package pgtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"andel/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestDBIsMigratedAndIsolated(t *testing.T) {
	for i := range 4 {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			db := pgtest.DB(t)
			var n int64
			if err := db.Table("members").Count(&n).Error; err != nil {
				t.Fatalf("members table (from the migrations): %v", err)
			}
			if n != 0 {
				t.Fatalf("fresh database has %d members", n)
			}
			if err := db.Exec("INSERT INTO members (name, cvr) VALUES (?, ?)", "Lægehuset", "1000000"+string(rune('0'+i))).Error; err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestURL(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tz string
	if err := conn.QueryRow(ctx, "SHOW timezone").Scan(&tz); err != nil {
		t.Fatal(err)
	}
	if tz != "UTC" {
		t.Errorf("timezone = %q, want UTC", tz)
	}
	// A connection left open must not stop the cleanup from dropping it.
}

func TestCloneSpeed(t *testing.T) {
	pgtest.URL(t) // warm: server and template
	const n = 10
	began := time.Now()
	for range n {
		t.Run("", func(t *testing.T) { pgtest.URL(t) })
	}
	// Logged, not asserted: a loaded CI machine must not fail the build.
	t.Logf("create + drop per database: %v", time.Since(began)/n)
}
