//go:build !unix

package spool

import "os"

// Without flock(2) a file's owner cannot be told apart: nothing is locked,
// and Sweep takes nothing.
func lockShared(*os.File) error { return nil }

func tryLockExclusive(*os.File) (bool, error) { return false, nil }
