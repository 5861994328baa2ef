package pgserver

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ErrNoServerPrograms is returned (wrapped) when no PostgreSQL server programs
// can be found on this machine.
var ErrNoServerPrograms = errors.New("no PostgreSQL server programs (postgres, initdb) found on PATH or under /usr/lib/postgresql/*/bin: " +
	"install the Debian package `postgresql` (apt-get install postgresql), as `make run` and `make test` do (scripts/need.sh)")

// debianRoot is where Debian and Ubuntu install one directory per major version.
const debianRoot = "/usr/lib/postgresql"

// Binaries is an installation of the PostgreSQL server programs.
type Binaries struct {
	Dir     string // directory holding postgres and initdb
	Version string // e.g. "15.18"
	Major   int    // e.g. 15
}

// FindBinaries locates the PostgreSQL server programs: the directory of
// `postgres` on PATH (symlinks resolved) when it also holds initdb, else the
// highest major version under /usr/lib/postgresql/*/bin. It returns an error
// wrapping ErrNoServerPrograms when there are none.
func FindBinaries() (*Binaries, error) {
	var candidates []string
	if p, err := exec.LookPath("postgres"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if abs, err := filepath.Abs(p); err == nil {
			candidates = append(candidates, filepath.Dir(abs))
		}
	}
	candidates = append(candidates, debianDirs()...)
	for _, dir := range candidates {
		if hasServerPrograms(dir) {
			return BinariesIn(dir)
		}
	}
	return nil, fmt.Errorf("pgserver: %w", ErrNoServerPrograms)
}

// BinariesIn describes the server programs in dir (postgres, initdb).
func BinariesIn(dir string) (*Binaries, error) {
	if !hasServerPrograms(dir) {
		return nil, fmt.Errorf("pgserver: %s holds no postgres and initdb: %w", dir, ErrNoServerPrograms)
	}
	out, err := exec.Command(filepath.Join(dir, "postgres"), "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("pgserver: %s --version: %w", filepath.Join(dir, "postgres"), err)
	}
	version, major, err := parseVersion(string(out))
	if err != nil {
		return nil, fmt.Errorf("pgserver: %s: %w", dir, err)
	}
	return &Binaries{Dir: dir, Version: version, Major: major}, nil
}

func (b *Binaries) path(prog string) string { return filepath.Join(b.Dir, prog) }

func hasServerPrograms(dir string) bool {
	for _, prog := range []string{"postgres", "initdb"} {
		fi, err := os.Stat(filepath.Join(dir, prog))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// debianDirs lists /usr/lib/postgresql/*/bin, highest major version first.
func debianDirs() []string {
	entries, err := os.ReadDir(debianRoot)
	if err != nil {
		return nil
	}
	type dir struct {
		path string
		key  []int
	}
	var dirs []dir
	for _, e := range entries {
		var key []int
		for _, part := range strings.Split(e.Name(), ".") {
			n, err := strconv.Atoi(part)
			if err != nil {
				key = nil
				break
			}
			key = append(key, n)
		}
		if key == nil {
			continue
		}
		dirs = append(dirs, dir{filepath.Join(debianRoot, e.Name(), "bin"), key})
	}
	sort.Slice(dirs, func(i, j int) bool {
		a, b := dirs[i].key, dirs[j].key
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k] != b[k] {
				return a[k] > b[k]
			}
		}
		return len(a) > len(b)
	})
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = d.path
	}
	return out
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\)\s+(\d+)(\.\d+)?`)

// parseVersion reads "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".
// Before PostgreSQL 10 the major version had two parts (9.6); Major is then 9.
func parseVersion(s string) (version string, major int, err error) {
	m := versionRE.FindStringSubmatch(s)
	if m == nil {
		return "", 0, fmt.Errorf("cannot read the version in %q", strings.TrimSpace(s))
	}
	major, err = strconv.Atoi(m[1])
	if err != nil {
		return "", 0, err
	}
	return m[1] + m[2], major, nil
}
