package spool

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSweep: files of the prefix that no living process holds (a killed
// import's) are removed; a file held by its owner stays however old, and
// so do files just made and files of other names.
func TestSweep(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := now.Add(-time.Hour)
	orphan := func(name string, mod time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("sku\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dead := orphan("andel-x-1", old)
	justMade := orphan("andel-x-2", now)
	other := orphan("not-ours", old)
	live, err := Create(dir, "andel-x-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(live.Name(), old, old); err != nil {
		t.Fatal(err)
	}

	n, err := Sweep(dir, "andel-x-", now)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("removed %d files, want 1", n)
	}
	for p, want := range map[string]bool{dead: false, justMade: true, other: true, live.Name(): true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s exists: %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
	// Its owner done with it, the live file goes with Remove; had the
	// owner died, the next sweep would take it.
	if err := live.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live.Name()); !os.IsNotExist(err) {
		t.Errorf("removed file still there: %v", err)
	}
}
