package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	osexec "os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"andel/internal/pgtest"
)

// pgbouncerBinary finds the PgBouncer program (Debian's `pgbouncer`
// package puts it in /usr/sbin, off a normal user's PATH).
func pgbouncerBinary(t *testing.T) string {
	if p, err := osexec.LookPath("pgbouncer"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/pgbouncer"); err == nil {
		return "/usr/sbin/pgbouncer"
	}
	t.Fatal("pgbouncer is not installed: `scripts/need.sh pgbouncer` (Debian package pgbouncer) installs it; make test does")
	return ""
}

// startPgBouncer runs PgBouncer in transaction pooling mode in front of
// the PostgreSQL at pgURL and returns its address. As root it runs as the
// `postgres` system user (PgBouncer refuses root).
func startPgBouncer(t *testing.T, pgURL string) string {
	t.Helper()
	bin := pgbouncerBinary(t)
	pg, err := url.Parse(pgURL)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "andel-pgbouncer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	conf := fmt.Sprintf(`[databases]
* = host=%s port=%s user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %s
unix_socket_dir =
auth_type = any
pool_mode = transaction
max_client_conn = 400
default_pool_size = 12
ignore_startup_parameters = extra_float_digits,options
logfile = %s
`, pg.Hostname(), pg.Port(), port, filepath.Join(dir, "pgbouncer.log"))
	confPath := filepath.Join(dir, "pgbouncer.ini")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := osexec.Command(bin, confPath)
	attr := childAttr()
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, which PgBouncer refuses, and no postgres user to run it as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, p := range []string{dir, confPath} {
			if err := os.Chown(p, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
		if attr == nil {
			attr = &syscall.SysProcAttr{}
		}
		attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
	}
	cmd.SysProcAttr = attr
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(dir, "pgbouncer.log"))
			t.Fatalf("pgbouncer ended: %s\n%s", logs, log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("pgbouncer does not listen on %s: %s", addr, logs)
		}
	}
}

// TestReplicasBehindPgBouncer: three `andel serve` replicas on one
// PostgreSQL reached through PgBouncer in transaction pooling mode (their
// migrations on the direct connection, all three migrating an empty
// database at once), placing orders through every replica at once (each
// retried once through another replica) while the schedule runs jobs
// every two seconds on all three and each replica starts a job by hand:
// no order lost or doubled or half-applied, no schedule slot run twice,
// no two runs of a job overlapping, every run finished.
func TestReplicasBehindPgBouncer(t *testing.T) {
	started := time.Now()
	srv := pgtest.Server(t)
	admin, err := sql.Open("pgx", srv.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("replicas_%d", time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	direct := srv.URL(name)
	bouncer := startPgBouncer(t, direct)
	pooled, _ := url.Parse(direct)
	pooled.Host = bouncer
	pooled.RawQuery = "sslmode=disable&default_query_exec_mode=exec"
	db, err := sql.Open("pgx", direct)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	jobs := "housekeeping=@every 2s;savings-rollup=@every 2s;order-outbox=@every 2s"
	common := []string{"DATABASE_URL=" + pooled.String(), "ANDEL_DATABASE_DIRECT_URL=" + direct,
		"ANDEL_JOBS=true", "ANDEL_SCHEDULES=" + jobs, "ANDEL_LOG_LEVEL=error", "ANDEL_DATA_DIR=" + t.TempDir(),
		"ANDEL_RECEIPT_KEY=" + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
	replicas := make([]*proc, 3)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := []string{"-migrate"}
			if i == 0 {
				args = append(args, "-seed")
			}
			replicas[i] = startProc(t, append(common, "ANDEL_ADDR="+freeAddr(t)), args...)
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	var versions int
	db.QueryRow("SELECT count(*) FROM goose_db_version WHERE is_applied").Scan(&versions)
	t.Logf("replicas up after %v (%d migrations applied once)", time.Since(started).Round(time.Millisecond), versions)

	// Orders through every replica at once; each retried through the next
	// replica with the same key, which must replay the same order.
	product, offer, qty := orderable(t, db)
	var before int
	db.QueryRow("SELECT coalesce(max(id), 0) FROM orders").Scan(&before)
	clients := make([]*apiClient, len(replicas))
	admins := make([]*apiClient, len(replicas))
	for i, r := range replicas {
		clients[i] = apiLogin(t, r.base, "practice@demo.andel")
		admins[i] = apiLogin(t, r.base, "admin@demo.andel")
	}
	const perReplica = 20
	var keys []string
	var mu sync.Mutex
	for i := range replicas {
		for j := range perReplica {
			key := fmt.Sprintf("replica-%d-order-%d", i, j)
			keys = append(keys, key)
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := orderBody(product, offer, qty, j)
				status, b, _, err := clients[i].do("POST", "/api/v1/orders", "application/json", body, map[string]string{"Idempotency-Key": key})
				var first, again orderAnswer
				if err != nil || status != http.StatusCreated || json.Unmarshal(b, &first) != nil || len(first.Orders) != 1 {
					mu.Lock()
					t.Errorf("order %s through replica %d: %d %s %v", key, i, status, b, err)
					mu.Unlock()
					return
				}
				next := clients[(i+1)%len(clients)]
				status, b, h, _ := retryUntilDone(t, next, "/api/v1/orders", body, key, 30*time.Second)
				if status != http.StatusCreated || json.Unmarshal(b, &again) != nil || len(again.Orders) != 1 ||
					again.Orders[0].ID != first.Orders[0].ID || h.Get("Idempotent-Replayed") != "true" {
					mu.Lock()
					t.Errorf("retry of %s through another replica: %d %s", key, status, b)
					mu.Unlock()
				}
			}()
		}
		// Each replica starts a job by hand meanwhile.
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, job := range []string{"savings-rollup", "housekeeping"} {
				if status, b, _, err := admins[i].do("POST", "/api/v1/jobs/"+job+"/run", "", nil, nil); err != nil || (status != http.StatusAccepted && status != http.StatusOK) {
					mu.Lock()
					t.Errorf("start %s on replica %d: %d %s %v", job, i, status, b, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	// Every endpoint family answers through every replica.
	for i, c := range admins {
		for _, path := range []string{"/api/v1/members?limit=5", "/api/v1/products?limit=5", "/api/v1/orders?limit=5",
			"/api/v1/price-lists?limit=5", "/api/v1/tenders", "/api/v1/job-runs?limit=5", "/api/v1/savings?from=2026-01-01&to=2026-12-31"} {
			if status, b, _, err := c.do("GET", path, "", nil, nil); err != nil || status != http.StatusOK {
				t.Errorf("replica %d: GET %s: %d %s %v", i, path, status, b, err)
			}
		}
	}
	// Let the schedule fire a few slots on all three.
	time.Sleep(5 * time.Second)

	var orders int
	db.QueryRow("SELECT count(*) FROM orders WHERE id > $1", before).Scan(&orders)
	if orders != len(keys) {
		t.Errorf("%d orders for %d keys (lost or doubled)", orders, len(keys))
	}
	checkOrdersWhole(t, db, keys)

	// Jobs: no slot twice (the unique index would refuse it; counted here
	// all the same), scheduled runs happened, no two runs of a job
	// overlapped, none left running.
	var dupSlots, scheduled, overlaps int
	db.QueryRow(`SELECT count(*) FROM (SELECT job, slot FROM job_runs WHERE slot IS NOT NULL GROUP BY job, slot HAVING count(*) > 1) d`).Scan(&dupSlots)
	db.QueryRow(`SELECT count(*) FROM job_runs WHERE trigger = 'schedule' AND status = 'succeeded'`).Scan(&scheduled)
	db.QueryRow(`SELECT count(*) FROM job_runs a JOIN job_runs b ON a.job = b.job AND a.id < b.id
		AND a.status = 'succeeded' AND b.status = 'succeeded'
		AND a.started_at < b.finished_at AND b.started_at < a.finished_at`).Scan(&overlaps)
	if dupSlots != 0 || scheduled == 0 || overlaps != 0 {
		t.Errorf("job runs: %d slots run twice, %d scheduled runs succeeded, %d overlapping runs", dupSlots, scheduled, overlaps)
	}
	for _, r := range replicas {
		r.kill()
	}
	var running int
	db.QueryRow("SELECT count(*) FROM job_runs WHERE status = 'running'").Scan(&running)
	var failed int
	db.QueryRow("SELECT count(*) FROM job_runs WHERE status = 'failed'").Scan(&failed)
	if failed != 0 {
		var msg string
		db.QueryRow("SELECT job || ': ' || error FROM job_runs WHERE status = 'failed' LIMIT 1").Scan(&msg)
		t.Errorf("%d job runs failed behind the pooler (%s)", failed, msg)
	}
	var runs int
	db.QueryRow("SELECT count(*) FROM job_runs").Scan(&runs)
	t.Logf("%d orders, %d job runs (%d scheduled, %d running when killed) in %v", orders, runs, scheduled, running, time.Since(started).Round(time.Millisecond))
	if strings.Contains(replicas[0].logs.String(), "prepared statement") {
		t.Errorf("prepared statements through the pooler:\n%s", replicas[0].logs)
	}
}
