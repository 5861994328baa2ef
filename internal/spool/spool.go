// Package spool owns the temporary files that hold request bodies and
// sorted lines while a price list is loaded: it creates them locked and
// sweeps what a killed process left.
//
// A spool file is created holding a shared flock(2) for as long as its
// owner keeps it; the kernel drops the lock when the process ends, however
// it ends (kill -9 included). Sweep removes the files of a prefix whose
// lock it can take, that is those no living process holds, so it can run
// at any start without taking another replica's live file (replicas on
// one host share the kernel's locks). Files younger than two seconds are
// left alone: between creating a file and locking it there is a moment
// when it is unlocked.
package spool

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// youngest is the age below which Sweep leaves a file (see the package
// comment).
const youngest = 2 * time.Second

// File is a locked spool file.
type File struct {
	*os.File
}

// Create makes a new file in dir ("" the system's temporary folder) named
// prefix followed by a random part, locked until Close or the end of the
// process.
func Create(dir, prefix string) (*File, error) {
	f, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return nil, err
	}
	if err := lockShared(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &File{File: f}, nil
}

// Remove closes f (dropping its lock) and removes it.
func (f *File) Remove() error {
	err := f.Close()
	if rerr := os.Remove(f.Name()); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
		err = errors.Join(err, rerr)
	}
	if errors.Is(err, os.ErrClosed) {
		err = nil
	}
	return err
}

// Sweep removes the files of dir ("" the system's temporary folder) named
// prefix* that no living process holds, and returns how many it removed.
func Sweep(dir, prefix string, now time.Time) (int, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	removed := 0
	var errs []error
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil || info.ModTime().After(now.Add(-youngest)) {
			continue // gone meanwhile, or just made
		}
		path := filepath.Join(dir, e.Name())
		ok, err := orphaned(path)
		if err != nil {
			if !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		if ok {
			removed++
		}
	}
	return removed, errors.Join(errs...)
}

// orphaned removes path if no process holds its lock, and says whether it
// did. The exclusive lock is held while removing, so that no owner can
// appear in between.
func orphaned(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	free, err := tryLockExclusive(f)
	if err != nil || !free {
		return false, err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	return true, nil
}
