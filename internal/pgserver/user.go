package pgserver

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// serverUser is who runs initdb and postgres: nil means this process's own
// user. PostgreSQL refuses to run as root, so as root it is the `postgres`
// system user (created by the Debian package).
type serverUser struct {
	name     string
	uid, gid int
}

func lookupServerUser() (*serverUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgserver: running as root, which PostgreSQL refuses, and there is no `postgres` system user to run it as (%v): "+
			"install the Debian package `postgresql` (apt-get install postgresql), which creates it", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("pgserver: user postgres has non-numeric uid %q / gid %q", u.Uid, u.Gid)
	}
	return &serverUser{name: u.Username, uid: uid, gid: gid}, nil
}

func (u *serverUser) credential() *syscall.Credential {
	if u == nil {
		return nil
	}
	return &syscall.Credential{Uid: uint32(u.uid), Gid: uint32(u.gid), Groups: []uint32{}}
}

// chown gives path to the server user (nothing to do when we are that user).
func (u *serverUser) chown(path string) error {
	if u == nil {
		return nil
	}
	if err := os.Chown(path, u.uid, u.gid); err != nil {
		return fmt.Errorf("pgserver: %w", err)
	}
	return nil
}

// checkReachable reports a clear error when the server user cannot traverse
// every directory above dir (for example a data folder under /root, mode 0700).
func (u *serverUser) checkReachable(dir string) error {
	if u == nil {
		return nil
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("pgserver: %w", err)
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if ok {
			mode := fi.Mode().Perm()
			var x bool
			switch {
			case int(st.Uid) == u.uid:
				x = mode&0o100 != 0
			case int(st.Gid) == u.gid:
				x = mode&0o010 != 0
			default:
				x = mode&0o001 != 0
			}
			if !x {
				return fmt.Errorf("pgserver: PostgreSQL runs as the %s user (we are root), which cannot enter %s (mode %04o): "+
					"choose a data folder it can reach, or allow it with `chmod o+x %s`", u.name, p, mode, p)
			}
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}
