// Package pgserver runs a private PostgreSQL server process from the server
// programs installed on the machine (Debian's `postgresql` package): the
// newcomer's `andel serve` without DATABASE_URL, and the test harness
// (internal/pgtest), both use it.
//
// Start creates the cluster with initdb when the data directory holds none,
// then runs postgres directly as a child process that listens on 127.0.0.1
// only (no Unix socket, so no /var/run permissions are needed), in its own
// process group (a terminal's Ctrl-C reaches our program, which then stops the
// server in order). On Linux the kernel signals the server if our process dies
// without stopping it, so a kill -9 or a test timeout leaves no server behind.
// A postmaster.pid left by a crashed run is removed, and a server orphaned by
// one is shut down, before the new server starts. A server that another live
// process started on the folder is in use: Start fails, or with
// Options.Attach returns a handle on that server instead (a second terminal's
// command while `andel serve` runs), which Stop leaves running.
//
// PostgreSQL refuses to run as root. When this process is root, initdb and
// postgres run as the `postgres` system user, which then owns the data
// directory and must be able to reach it.
//
// Authentication is `trust` for the superuser "postgres" on 127.0.0.1: this is
// a development and test server, never a production one.
package pgserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configure Start.
type Options struct {
	// DataDir is the cluster directory. When it holds no cluster (no
	// PG_VERSION) it must be empty or absent, and initdb creates one. Empty is
	// allowed only with Ephemeral: a new temporary directory is used.
	DataDir string
	// Port to listen on at 127.0.0.1; 0 picks a free one.
	Port int
	// Ephemeral is for tests: durability is off (fsync, synchronous_commit,
	// full_page_writes; initdb --no-sync), the time zone is UTC, and Stop
	// removes DataDir. Without it, DataDir is kept: dev data survives restarts.
	Ephemeral bool
	// LogFile receives the server's log (appended). Whether or not it is set,
	// the last lines are kept in memory and quoted in errors.
	LogFile string
	// BinDir holds the server programs; empty means FindBinaries.
	BinDir string
	// Attach: when another live process already runs a server on DataDir,
	// connect to it rather than fail with an *InUseError. The returned
	// Server does not own that server: Stop leaves it running, and it stops
	// when its owner stops it.
	Attach bool
}

// Server is a running PostgreSQL server process.
type Server struct {
	opts    Options
	bins    *Binaries
	user    *serverUser
	dataDir string
	port    int
	tempDir string // created by Start, removed by Stop
	// attached: the server belongs to another process (Options.Attach).
	attached bool
	logFile  *os.File
	tail     *tailBuffer

	cmd     *exec.Cmd
	done    chan struct{} // closed when the process has exited
	waitErr error         // valid once done is closed

	stopOnce sync.Once
	stopErr  error
}

const (
	ownerFile  = "pgserver.owner"
	tempPrefix = "pgserver-"
)

// Start runs a PostgreSQL server as described in the package documentation
// and returns once it accepts connections. ctx bounds the startup only (2
// minutes when it has no deadline: crash recovery of a large dev database can
// take a while); the server runs until Stop.
func Start(ctx context.Context, opts Options) (_ *Server, err error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
	}
	s := &Server{opts: opts, tail: newTailBuffer(16 << 10)}
	if opts.BinDir != "" {
		s.bins, err = BinariesIn(opts.BinDir)
	} else {
		s.bins, err = FindBinaries()
	}
	if err != nil {
		return nil, err
	}
	if s.user, err = lookupServerUser(); err != nil {
		return nil, err
	}

	defer func() {
		if err != nil {
			if s.logFile != nil {
				s.logFile.Close()
			}
			if s.tempDir != "" {
				os.RemoveAll(s.tempDir)
			}
		}
	}()
	if opts.DataDir == "" {
		if !opts.Ephemeral {
			return nil, errors.New("pgserver: Options.DataDir is required unless Ephemeral")
		}
		sweepTempDirs()
		if s.tempDir, err = os.MkdirTemp("", tempPrefix); err != nil {
			return nil, fmt.Errorf("pgserver: %w", err)
		}
		s.dataDir = s.tempDir
	} else if s.dataDir, err = filepath.Abs(opts.DataDir); err != nil {
		return nil, fmt.Errorf("pgserver: %w", err)
	}
	// Parents we create are 0755 (less umask), so that the server user can
	// reach its folder; existing ones are checked.
	if err := os.MkdirAll(filepath.Dir(s.dataDir), 0o755); err != nil {
		return nil, fmt.Errorf("pgserver: %w", err)
	}
	if err := s.user.checkReachable(s.dataDir); err != nil {
		return nil, err
	}
	if err := os.Mkdir(s.dataDir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("pgserver: %w", err)
	}
	if err := s.initCluster(ctx); err != nil {
		return nil, err
	}
	if err := clearStaleLock(ctx, s.dataDir); err != nil {
		var inUse *InUseError
		if opts.Attach && !opts.Ephemeral && errors.As(err, &inUse) {
			return s, s.attach(ctx, inUse)
		}
		return nil, err
	}

	var logw io.Writer = s.tail
	if opts.LogFile != "" {
		if err := os.MkdirAll(filepath.Dir(opts.LogFile), 0o755); err != nil {
			return nil, fmt.Errorf("pgserver: log file: %w", err)
		}
		if s.logFile, err = os.OpenFile(opts.LogFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644); err != nil {
			return nil, fmt.Errorf("pgserver: log file: %w", err)
		}
		logw = io.MultiWriter(s.logFile, s.tail)
	}

	// A chosen free port can be taken by someone else before the server binds
	// it, and a crashed server's backends can hold its shared memory for a
	// moment: both are worth another try.
	for attempt := 1; ; attempt++ {
		port := opts.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				return nil, err
			}
		}
		mark := s.tail.Len()
		err = s.launch(ctx, port, logw)
		if err == nil {
			break
		}
		log := s.tail.Since(mark)
		retry := (opts.Port == 0 && (strings.Contains(log, "could not bind") || strings.Contains(log, "could not create any TCP/IP sockets"))) ||
			strings.Contains(log, "pre-existing shared memory block")
		if !retry || attempt == 5 || ctx.Err() != nil {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
		}
	}
	// Record which process runs the server, so a later Start on this
	// directory can tell a live owner from a crashed one.
	_ = os.WriteFile(filepath.Join(s.dataDir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	return s, nil
}

// attach makes s a handle on the server another process runs on s.dataDir,
// once it accepts connections (its owner may still be starting it).
func (s *Server) attach(ctx context.Context, inUse *InUseError) error {
	s.attached = true
	s.done = make(chan struct{}) // never closed: the process is not ours to wait for
	pidFile := filepath.Join(s.dataDir, "postmaster.pid")
	wantPID := strconv.Itoa(inUse.PID)
	for {
		if b, err := os.ReadFile(pidFile); err == nil {
			lines := strings.Split(string(b), "\n")
			if len(lines) >= 8 && strings.TrimSpace(lines[0]) == wantPID && strings.TrimSpace(lines[7]) == "ready" {
				if s.port, err = strconv.Atoi(strings.TrimSpace(lines[3])); err == nil {
					if c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)), time.Second); err == nil {
						c.Close()
						return nil
					}
				}
			}
		}
		if !servesDir(inUse.PID, s.dataDir) {
			return fmt.Errorf("pgserver: the PostgreSQL server %d on %s (started by process %d) stopped while we attached to it",
				inUse.PID, s.dataDir, inUse.Owner)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pgserver: the PostgreSQL server %d on %s (started by process %d) did not accept connections: %w",
				inUse.PID, s.dataDir, inUse.Owner, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Attached reports whether the server belongs to another process
// (Options.Attach): Stop leaves it running.
func (s *Server) Attached() bool { return s.attached }

// URL is a postgres:// URL for database dbname as the superuser "postgres".
func (s *Server) URL(dbname string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path:     "/" + dbname,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Port is the TCP port the server listens on at 127.0.0.1.
func (s *Server) Port() int { return s.port }

// DataDir is the absolute path of the cluster directory.
func (s *Server) DataDir() string { return s.dataDir }

// Version is the server programs' version, e.g. "15.18".
func (s *Server) Version() string { return s.bins.Version }

// Major is the server's major version, e.g. 15.
func (s *Server) Major() int { return s.bins.Major }

// Done is closed when the server process has exited, whether by Stop or not
// (never for an attached server).
func (s *Server) Done() <-chan struct{} { return s.done }

// Stop shuts the server down (fast shutdown: clients are disconnected, a
// checkpoint is written), waits for it to exit, and removes the data
// directory if the server is Ephemeral. An attached server is left running.
// It is safe to call more than once.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	if s.attached {
		return nil
	}
	var errs []error
	select {
	case <-s.done:
		errs = append(errs, fmt.Errorf("pgserver: the server had exited before Stop: %v%s", s.waitErr, s.logTail()))
	default:
		sig := syscall.SIGINT // fast shutdown
		if s.opts.Ephemeral {
			sig = syscall.SIGQUIT // immediate: the data is thrown away anyway
		}
		if !s.signalAndWait(sig, time.Minute) &&
			!s.signalAndWait(syscall.SIGQUIT, 10*time.Second) &&
			!s.signalAndWait(syscall.SIGKILL, 10*time.Second) {
			errs = append(errs, fmt.Errorf("pgserver: server process %d did not exit", s.cmd.Process.Pid))
		}
	}
	os.Remove(filepath.Join(s.dataDir, ownerFile))
	if s.opts.Ephemeral {
		if err := os.RemoveAll(s.dataDir); err != nil {
			errs = append(errs, fmt.Errorf("pgserver: %w", err))
		}
	}
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
	}
	if s.logFile != nil {
		s.logFile.Close()
	}
	return errors.Join(errs...)
}

func (s *Server) signalAndWait(sig syscall.Signal, d time.Duration) bool {
	_ = s.cmd.Process.Signal(sig)
	select {
	case <-s.done:
		return true
	case <-time.After(d):
		return false
	}
}

func (s *Server) logTail() string {
	t := strings.TrimSpace(s.tail.String())
	if t == "" {
		return ""
	}
	lines := strings.Split(t, "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return "\nserver log (last lines):\n\t" + strings.Join(lines, "\n\t")
}

// initCluster runs initdb unless dataDir already holds a cluster, which must
// then be of the same major version as the server programs.
func (s *Server) initCluster(ctx context.Context) error {
	dir := s.dataDir
	v, err := os.ReadFile(filepath.Join(dir, "PG_VERSION"))
	if err == nil {
		cluster := strings.TrimSpace(string(v))
		if !strings.HasPrefix(s.bins.Version+".", cluster+".") {
			return fmt.Errorf("pgserver: %s holds a PostgreSQL %s cluster but the server programs in %s are version %s: "+
				"start it with version %s programs (Options.BinDir), or remove the folder to start afresh (its data is lost)",
				dir, cluster, s.bins.Dir, s.bins.Version, cluster)
		}
		if s.user != nil {
			fi, err := os.Stat(dir)
			if err != nil {
				return fmt.Errorf("pgserver: %w", err)
			}
			if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != s.user.uid {
				return fmt.Errorf("pgserver: %s is owned by uid %d, but the server runs as the %s user (uid %d): chown -R %s: %s",
					dir, st.Uid, s.user.name, s.user.uid, s.user.name, dir)
			}
		}
		return nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("pgserver: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("pgserver: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("pgserver: %s is not empty and holds no PostgreSQL cluster (no PG_VERSION): refusing to initdb over it", dir)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("pgserver: %w", err)
	}
	if err := s.user.chown(dir); err != nil {
		return err
	}
	args := []string{"-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8"}
	if s.opts.Ephemeral {
		args = append(args, "--no-sync")
	}
	// C.UTF-8 sorts by code point like C, but knows upper and lower case
	// beyond ASCII (æ/Æ); fall back to C where the locale is missing.
	out, err := s.run(ctx, "initdb", append(args, "--locale=C.UTF-8")...)
	if err != nil && strings.Contains(out, "locale") {
		out, err = s.run(ctx, "initdb", append(args, "--no-locale")...)
	}
	if err != nil {
		return fmt.Errorf("pgserver: initdb %s: %w\n%s", dir, err, strings.TrimSpace(out))
	}
	return nil
}

func (s *Server) run(ctx context.Context, prog string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, s.bins.path(prog), args...)
	cmd.Dir = "/"
	cmd.Env = serverEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.user.credential()}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// launch runs postgres on port and waits until it accepts connections.
func (s *Server) launch(ctx context.Context, port int, logw io.Writer) error {
	args := []string{
		"-D", s.dataDir,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "port=" + strconv.Itoa(port),
		"-c", "unix_socket_directories=",
	}
	deathSig := syscall.SIGINT
	if s.opts.Ephemeral {
		args = append(args,
			"-c", "fsync=off",
			"-c", "synchronous_commit=off",
			"-c", "full_page_writes=off",
			"-c", "timezone=UTC",
			"-c", "max_connections=200",
			"-c", "jit=off",
			"-c", "log_checkpoints=off",
		)
		deathSig = syscall.SIGQUIT
	}
	cmd := exec.Command(s.bins.path("postgres"), args...)
	cmd.Dir = "/"
	cmd.Env = serverEnv()
	cmd.Stdout = logw
	cmd.Stderr = logw
	cmd.WaitDelay = 5 * time.Second
	cmd.SysProcAttr = sysProcAttr(s.user.credential(), deathSig)

	done := make(chan struct{})
	started := make(chan error, 1)
	go func() {
		// The kernel sends Pdeathsig when the thread that started the child
		// exits, not the process: keep this thread until the server is gone.
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.waitErr = cmd.Wait()
		close(done)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("pgserver: start postgres: %w", err)
	}
	s.cmd, s.done, s.port = cmd, done, port

	pidFile := filepath.Join(s.dataDir, "postmaster.pid")
	wantPID := strconv.Itoa(cmd.Process.Pid)
	delay := 5 * time.Millisecond
	for {
		if b, err := os.ReadFile(pidFile); err == nil {
			lines := strings.Split(string(b), "\n")
			if len(lines) >= 8 && strings.TrimSpace(lines[0]) == wantPID && strings.TrimSpace(lines[7]) == "ready" {
				if c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second); err == nil {
					c.Close()
					return nil
				}
			}
		}
		select {
		case <-done:
			return fmt.Errorf("pgserver: postgres exited while starting (%v)%s", s.waitErr, s.logTail())
		case <-ctx.Done():
			_ = cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
			return fmt.Errorf("pgserver: postgres did not become ready: %w%s", ctx.Err(), s.logTail())
		case <-time.After(delay):
			delay = min(2*delay, 50*time.Millisecond)
		}
	}
}

// serverEnv is our environment without PG* variables, which could point
// initdb or postgres elsewhere.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgserver: pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu    sync.Mutex
	buf   []byte
	max   int
	total int
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	t.total += len(p)
	if len(t.buf) > 2*t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if len(b) > t.max {
		b = b[len(b)-t.max:]
	}
	return string(b)
}

// Len is how many bytes were ever written; Since(Len()) is what follows.
func (t *tailBuffer) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total
}

func (t *tailBuffer) Since(mark int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := min(t.total-mark, len(t.buf))
	return string(t.buf[len(t.buf)-n:])
}
