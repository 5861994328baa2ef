package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"andel/internal/pgserver"
)

// TestCrashPostgresKilled kills PostgreSQL (SIGKILL to the postmaster: no
// shutdown, no checkpoint) while practices place orders through the real
// program, starts it again on the same folder and port, and retries every
// request with its Idempotency-Key: none answers 409 "still being
// processed" for longer than the key's lease, every request that succeeded
// before the kill replays its order, every order is whole and there is
// exactly one per key.
func TestCrashPostgresKilled(t *testing.T) {
	started := time.Now()
	dir := t.TempDir() // 0700, and so is its parent: the server user must get in when we are root
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	opts := pgserver.Options{DataDir: filepath.Join(dir, "pg")} // durable: acknowledged commits survive the kill
	pg, err := pgserver.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	current := pg
	t.Cleanup(func() { current.Stop() })
	opts.Port = pg.Port()
	admin, err := sql.Open("pgx", pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE andel"); err != nil {
		t.Fatal(err)
	}
	admin.Close()
	dbURL := pg.URL("andel")
	p := startProc(t, []string{"DATABASE_URL=" + dbURL, "ANDEL_ADDR=" + freeAddr(t), "ANDEL_JOBS=false",
		"ANDEL_LOG_LEVEL=error", "ANDEL_DATA_DIR=" + t.TempDir()}, "-migrate", "-seed")
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	product, offer, qty := orderable(t, db)
	var before int
	db.QueryRow("SELECT coalesce(max(id), 0) FROM orders").Scan(&before)
	practice := apiLogin(t, p.base, "practice@demo.andel")
	t.Logf("server up after %v", time.Since(started).Round(time.Millisecond))

	// Six practices' worth of load, each placing orders one after another
	// until a while after the kill.
	type attempt struct {
		key    string
		body   []byte
		status int
		order  int64
	}
	var (
		mu       sync.Mutex
		attempts []*attempt
		wg       sync.WaitGroup
		stop     = make(chan struct{})
	)
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				a := &attempt{key: fmt.Sprintf("pg-kill-%d-%d", w, i), body: orderBody(product, offer, qty, i)}
				status, body, _, err := practice.do("POST", "/api/v1/orders", "application/json", a.body, map[string]string{"Idempotency-Key": a.key})
				if err == nil {
					a.status = status
					var o orderAnswer
					if status == http.StatusCreated && json.Unmarshal(body, &o) == nil && len(o.Orders) == 1 {
						a.order = o.Orders[0].ID
					}
				}
				mu.Lock()
				attempts = append(attempts, a)
				mu.Unlock()
				if err != nil || status >= 500 {
					time.Sleep(250 * time.Millisecond) // a client backing off
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	pidText, err := os.ReadFile(filepath.Join(opts.DataDir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(pidText), "\n", 2)[0]))
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-pg.Done()
	time.Sleep(700 * time.Millisecond) // requests fail meanwhile
	if current, err = pgserver.Start(ctx, opts); err != nil {
		t.Fatalf("PostgreSQL does not start again: %v", err)
	}
	time.Sleep(500 * time.Millisecond) // and succeed again
	close(stop)
	wg.Wait()

	var failed, succeeded int
	for _, a := range attempts {
		if a.status == http.StatusCreated {
			succeeded++
		} else {
			failed++
		}
	}
	if failed == 0 {
		t.Fatalf("no request failed: the kill came too late or too early (%d succeeded)", succeeded)
	}
	t.Logf("load and kill done after %v", time.Since(started).Round(time.Millisecond))
	// Every request retried with its key (six at a time): completes or
	// replays.
	var longest time.Duration
	var keys []string
	next := make(chan *attempt)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range next {
				status, body, h, waited := retryUntilDone(t, practice, "/api/v1/orders", a.body, a.key, 40*time.Second)
				var o orderAnswer
				mu.Lock()
				longest = max(longest, waited)
				if status != http.StatusCreated || json.Unmarshal(body, &o) != nil || len(o.Orders) != 1 {
					t.Errorf("retry of %s: %d %s", a.key, status, body)
				} else if a.order != 0 && (o.Orders[0].ID != a.order || h.Get("Idempotent-Replayed") != "true") {
					t.Errorf("retry of %s, which had succeeded with order %d: order %d, replayed %q", a.key, a.order, o.Orders[0].ID, h.Get("Idempotent-Replayed"))
				}
				mu.Unlock()
			}
		}()
	}
	for _, a := range attempts {
		keys = append(keys, a.key)
		next <- a
	}
	close(next)
	wg.Wait()
	if longest > 20*time.Second {
		t.Errorf("a retry answered 409 for %v", longest)
	}
	checkOrdersWhole(t, db, keys)
	var orders int
	db.QueryRow("SELECT count(*) FROM orders WHERE id > $1", before).Scan(&orders)
	if orders != len(attempts) {
		t.Errorf("%d orders for %d keys", orders, len(attempts))
	}
	p.kill()
	t.Logf("%d requests (%d succeeded, %d failed around the kill); retries waited at most %v; %v in all",
		len(attempts), succeeded, failed, longest.Round(time.Millisecond), time.Since(started).Round(time.Millisecond))
}
