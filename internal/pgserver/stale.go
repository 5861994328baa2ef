package pgserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clearStaleLock deals with a postmaster.pid left in dataDir:
//
//   - no process has that pid (or it is another program, the pid being
//     reused after a crash or reboot): the file is stale and is removed;
//   - a postgres server for dataDir still runs, and the process that started
//     it (recorded in pgserver.owner) is still its parent: the folder is in
//     use, an *InUseError naming the server's port;
//   - a postgres server for dataDir runs but its starter is gone (an orphan
//     of a run killed with -9): it is shut down in order, then removed.
//
// Without /proc (not Linux) the file is left for postgres itself to judge.
func clearStaleLock(ctx context.Context, dataDir string) error {
	pidPath := filepath.Join(dataDir, "postmaster.pid")
	b, err := os.ReadFile(pidPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("pgserver: %w", err)
	}
	if _, err := os.Stat("/proc/self/cwd"); err != nil {
		return nil
	}
	lines := strings.Split(string(b), "\n")
	pid, _ := strconv.Atoi(strings.TrimSpace(lines[0]))
	if pid < 0 { // a single-user backend writes its pid negated
		pid = -pid
	}
	if pid <= 0 || !servesDir(pid, dataDir) {
		if err := os.Remove(pidPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("pgserver: remove stale %s: %w", pidPath, err)
		}
		return nil
	}

	port := ""
	if len(lines) > 3 {
		port = strings.TrimSpace(lines[3])
	}
	ppid := parentPID(pid)
	if ob, err := os.ReadFile(filepath.Join(dataDir, ownerFile)); err == nil {
		if owner, _ := strconv.Atoi(strings.TrimSpace(string(ob))); owner > 0 && owner == ppid {
			n, _ := strconv.Atoi(port)
			return &InUseError{DataDir: dataDir, Owner: owner, PID: pid, Port: n}
		}
	}

	// An orphaned server: stop it as gently as it allows.
	for _, step := range []struct {
		sig  syscall.Signal
		wait time.Duration
	}{{syscall.SIGINT, time.Minute}, {syscall.SIGQUIT, 10 * time.Second}, {syscall.SIGKILL, 10 * time.Second}} {
		_ = syscall.Kill(pid, step.sig)
		deadline := time.Now().Add(step.wait)
		for servesDir(pid, dataDir) && time.Now().Before(deadline) {
			select {
			case <-ctx.Done():
				return fmt.Errorf("pgserver: stopping the orphaned server %d on %s: %w", pid, dataDir, ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
		if !servesDir(pid, dataDir) {
			if err := os.Remove(pidPath); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("pgserver: %w", err)
			}
			return nil
		}
	}
	return fmt.Errorf("pgserver: the orphaned PostgreSQL server %d on %s (port %s) does not stop", pid, dataDir, port)
}

// InUseError is Start's answer when another live process runs a server on
// the data directory (and Options.Attach is not set).
type InUseError struct {
	DataDir string
	Owner   int // the process that started the server
	PID     int // the server's
	Port    int // where it listens at 127.0.0.1 (0: not yet known)
}

func (e *InUseError) Error() string {
	return fmt.Sprintf("pgserver: %s is in use: process %d runs a PostgreSQL server on it (pid %d, port %d); stop that process first",
		e.DataDir, e.Owner, e.PID, e.Port)
}

// servesDir tells whether process pid is alive and works in dir (a postmaster
// makes its data directory its working directory). A zombie, a vanished
// process, and a process we may not inspect (another user's: ours would run
// as us) all answer false.
func servesDir(pid int, dir string) bool {
	cwd, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/cwd")
	if err != nil {
		return false
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return filepath.Clean(cwd) == filepath.Clean(dir)
}

// parentPID reads the parent pid from /proc/pid/stat, or 0.
func parentPID(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// sweepTempDirs removes the temporary data directories of ephemeral servers
// whose process died without Stop (a test binary killed by its timeout: the
// kernel stopped the server, but nobody removed its folder). A folder is
// removed when the process named in its pgserver.owner is gone, or, without
// that file (a start that crashed), when it is over an hour old; never while
// a server runs in it.
func sweepTempDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, dir := range dirs {
		fi, err := os.Lstat(dir)
		if err != nil || !fi.IsDir() {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid")); err == nil {
			pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
			if pid > 0 && servesDir(pid, dir) {
				continue
			}
		}
		if b, err := os.ReadFile(filepath.Join(dir, ownerFile)); err == nil {
			owner, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			if owner <= 0 || syscall.Kill(owner, 0) != syscall.ESRCH {
				continue
			}
		} else if time.Since(fi.ModTime()) < time.Hour {
			continue
		}
		os.RemoveAll(dir)
	}
}
