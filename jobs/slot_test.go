package jobs

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"andel/app"
	"andel/domain"
	"andel/internal/pgtest"

	"github.com/robfig/cron/v3"
)

// TestSlotOf: every tick of a minute (on time or late by under a minute)
// names the activation it belongs to.
func TestSlotOf(t *testing.T) {
	hourly, _ := cron.ParseStandard("17 * * * *")
	slot := time.Date(2027, 3, 1, 10, 17, 0, 0, time.UTC)
	for _, late := range []time.Duration{0, time.Millisecond, 1500 * time.Millisecond, 58 * time.Second} {
		if got := slotOf(hourly, slot.Add(late)); !got.Equal(slot) {
			t.Errorf("a tick %v late: slot %v, want %v", late, got, slot)
		}
	}
	every, _ := cron.ParseStandard("@every 10m")
	if got := slotOf(every, slot.Add(3*time.Minute)); !got.Equal(time.Date(2027, 3, 1, 10, 20, 0, 0, time.UTC)) {
		t.Errorf("@every slot %v", got)
	}
}

// TestOneRunPerSlot: three replicas whose cron fires the same slot (the
// job fast enough to end before the next replica looks) run it once; the
// next slot runs again.
func TestOneRunPerSlot(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := app.New(db, domain.Options{})
	var calls atomic.Int64
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var replicas []*Runner
	for range 3 {
		r := NewRunner(svc, log)
		r.Register(Job{Name: "tick", Run: func(context.Context) (Counts, error) { calls.Add(1); return nil, nil }})
		replicas = append(replicas, r)
	}
	slot := time.Date(2027, 3, 1, 10, 17, 0, 0, time.UTC)
	for i, s := range []time.Time{slot, slot, slot.Add(time.Hour)} {
		var wg sync.WaitGroup
		for _, r := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := r.runSlot(context.Background(), "tick", s); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		want := int64(1)
		if i == 2 {
			want = 2
		}
		if calls.Load() != want {
			t.Errorf("after round %d: %d runs, want %d", i+1, calls.Load(), want)
		}
	}
	var runs int64
	db.Raw("SELECT count(*) FROM job_runs WHERE job = 'tick'").Scan(&runs)
	if runs != 2 {
		t.Errorf("%d runs recorded, want 2 (one per slot)", runs)
	}
}
