package pgserver

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func startT(t *testing.T, opts Options) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	began := time.Now()
	s, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("started PostgreSQL %s on port %d in %v", s.Version(), s.Port(), time.Since(began).Round(time.Millisecond))
	t.Cleanup(func() { s.Stop() })
	return s
}

func exec1(t *testing.T, s *Server, sql string, args ...any) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if !strings.HasPrefix(sql, "SELECT") && !strings.HasPrefix(sql, "SHOW") {
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return ""
	}
	var out string
	if err := conn.QueryRow(ctx, sql, args...).Scan(&out); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// dataDir is a folder the server user can reach when the tests run as root.
func dataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir() // /tmp/TestName123/001, both 0700
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "data", "pg") // parents created by Start
}

func TestStartStopKeepsData(t *testing.T) {
	dir := dataDir(t)
	s := startT(t, Options{DataDir: dir, LogFile: filepath.Join(filepath.Dir(dir), "pg.log")})
	exec1(t, s, "CREATE TABLE kept (v text) ; INSERT INTO kept VALUES ('æøå')")
	if got := exec1(t, s, "SELECT upper(v) FROM kept"); got != "ÆØÅ" {
		t.Errorf("upper = %q, want ÆØÅ (server encoding and locale)", got)
	}
	if got := exec1(t, s, "SHOW listen_addresses"); got != "127.0.0.1" {
		t.Errorf("listen_addresses = %q", got)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
		t.Fatalf("data dir not kept: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(filepath.Dir(dir), "pg.log")); !strings.Contains(string(b), "ready to accept connections") {
		t.Errorf("log file lacks the server log:\n%s", b)
	}

	s2 := startT(t, Options{DataDir: dir})
	if got := exec1(t, s2, "SELECT v FROM kept"); got != "æøå" {
		t.Errorf("after restart: %q", got)
	}
}

func TestEphemeral(t *testing.T) {
	s := startT(t, Options{Ephemeral: true})
	if got := exec1(t, s, "SHOW fsync"); got != "off" {
		t.Errorf("fsync = %q", got)
	}
	dir := s.DataDir()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("ephemeral data dir %s not removed: %v", dir, err)
	}
}

// A server killed hard leaves postmaster.pid (and perhaps backends) behind:
// the next Start must recover.
func TestRecoversFromCrash(t *testing.T) {
	dir := dataDir(t)
	s := startT(t, Options{DataDir: dir})
	exec1(t, s, "CREATE TABLE t (v int); INSERT INTO t VALUES (7)")
	exec1(t, s, "CHECKPOINT")
	s.cmd.Process.Kill()
	<-s.Done()
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); err != nil {
		t.Fatalf("expected a stale postmaster.pid: %v", err)
	}
	s2 := startT(t, Options{DataDir: dir})
	if got := exec1(t, s2, "SELECT v::text FROM t"); got != "7" {
		t.Errorf("after crash: %q", got)
	}
}

// A pid file naming a live process that is not a server for this folder (a
// pid reused after a reboot) is stale too.
func TestStalePidReused(t *testing.T) {
	dir := dataDir(t)
	s := startT(t, Options{DataDir: dir})
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte("1\n"+dir+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	startT(t, Options{DataDir: dir})
}

func TestInUse(t *testing.T) {
	dir := dataDir(t)
	startT(t, Options{DataDir: dir})
	_, err := Start(context.Background(), Options{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second Start on the same folder: %v, want an in-use error", err)
	}
}

// With Attach, a second Start on a folder in use connects to the server
// already running there, and its Stop leaves that server running.
func TestAttach(t *testing.T) {
	dir := dataDir(t)
	s := startT(t, Options{DataDir: dir})
	exec1(t, s, "CREATE TABLE t (v int); INSERT INTO t VALUES (7)")
	a, err := Start(context.Background(), Options{DataDir: dir, Attach: true})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Attached() || a.Port() != s.Port() || a.URL("postgres") != s.URL("postgres") {
		t.Errorf("attached = %v on port %d, want the server on port %d", a.Attached(), a.Port(), s.Port())
	}
	if got := exec1(t, a, "SELECT v::text FROM t"); got != "7" {
		t.Errorf("through the attached handle: %q", got)
	}
	if err := a.Stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.Done():
		t.Fatal("Stop of the attached handle stopped the owner's server")
	default:
	}
	if got := exec1(t, s, "SELECT 'still up'"); got != "still up" {
		t.Errorf("owner's server after the attached Stop: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, ownerFile)); err != nil {
		t.Errorf("the owner's record went with the attached Stop: %v", err)
	}
	// Without a server running, Attach starts one as usual.
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	b := startT(t, Options{DataDir: dir, Attach: true})
	if b.Attached() {
		t.Error("attached to a stopped server")
	}
	exec1(t, b, "SELECT 'ok'")
}

// An orphaned server (its starter died, the kernel's death signal did not
// reach it) is shut down in order and replaced.
func TestOrphan(t *testing.T) {
	dir := dataDir(t)
	s := startT(t, Options{DataDir: dir})
	// Pretend another, dead process started it.
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte("999999999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := startT(t, Options{DataDir: dir})
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("orphan still running")
	}
	exec1(t, s2, "SELECT 'ok'")
}

func TestMissingBinaries(t *testing.T) {
	_, err := Start(context.Background(), Options{Ephemeral: true, BinDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "install the Debian package `postgresql` (apt-get install postgresql)") {
		t.Fatalf("err = %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := FindBinaries(); err != nil {
		t.Errorf("FindBinaries without PATH should fall back to %s: %v", debianRoot, err)
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{
		"postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n": "15.18",
		"postgres (PostgreSQL) 9.6.24\n":                         "9.6",
		"postgres (PostgreSQL) 17beta1\n":                        "17",
	} {
		got, _, err := parseVersion(in)
		if err != nil || got != want {
			t.Errorf("parseVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// TestMain doubles as the helper process of TestKilledOwner: a dev's
// `make run` that gets killed with -9.
func TestMain(m *testing.M) {
	if dir := os.Getenv("PGSERVER_HELPER_DIR"); dir != "" {
		s, err := Start(context.Background(), Options{DataDir: dir})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("ready", s.Port())
		select {}
	}
	os.Exit(m.Run())
}

func TestKilledOwner(t *testing.T) {
	dir := dataDir(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PGSERVER_HELPER_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if !strings.HasPrefix(line, "ready ") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper: %q", line)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	cmd.Process.Kill() // kill -9
	cmd.Wait()

	s := startT(t, Options{DataDir: dir})
	exec1(t, s, "SELECT 'ok'")
	if pid <= 0 || servesDir(pid, dir) {
		t.Errorf("the killed run's server (pid %d) still runs", pid)
	}
}

func TestSweepTempDirs(t *testing.T) {
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	mk := func(owner int) string {
		dir, err := os.MkdirTemp("", tempPrefix)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(owner)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	gone, alive := mk(dead.Process.Pid), mk(os.Getpid())
	young, err := os.MkdirTemp("", tempPrefix) // a start in progress: no owner yet
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(young) })
	sweepTempDirs()
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("folder of a dead process kept: %v", err)
	}
	for _, d := range []string{alive, young} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("folder in use removed: %v", err)
		}
	}
}
