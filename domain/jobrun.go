package domain

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// JobRun records one run of a background job: when, how it was started,
// how it ended and what it counted.
type JobRun struct {
	ID         int64
	Job        string
	Trigger    string // "schedule" or "manual"
	StartedAt  time.Time
	FinishedAt *time.Time
	Status     string          // running, succeeded, failed, skipped
	Counts     json.RawMessage `gorm:"type:jsonb"`
	Error      string
	// Slot is the schedule slot a scheduled run claimed (nil for a run
	// started by hand): one run per job and slot, whichever replica.
	Slot *time.Time
}

// JobRunService reads and writes job runs.
type JobRunService struct{ db *gorm.DB }

// Start records that job started now.
func (s *JobRunService) Start(ctx context.Context, job, trigger string) (*JobRun, error) {
	r := &JobRun{Job: job, Trigger: trigger, StartedAt: time.Now().UTC(), Status: "running", Counts: json.RawMessage(`{}`)}
	if err := s.db.WithContext(ctx).Create(r).Error; err != nil {
		return nil, err
	}
	return r, nil
}

// StartSlot records that job started now for its schedule slot, unless a
// run of the same slot was recorded before (by another replica): then it
// returns nil. The slot's unique index decides, so exactly one replica
// gets each slot.
func (s *JobRunService) StartSlot(ctx context.Context, job string, slot time.Time) (*JobRun, error) {
	slot = slot.UTC()
	r := &JobRun{Job: job, Trigger: "schedule", StartedAt: time.Now().UTC(), Status: "running", Counts: json.RawMessage(`{}`), Slot: &slot}
	var ids []int64
	if err := s.db.WithContext(ctx).Raw(`INSERT INTO job_runs (job, trigger, started_at, status, counts, slot)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job, slot) WHERE slot IS NOT NULL DO NOTHING RETURNING id`,
		r.Job, r.Trigger, r.StartedAt, r.Status, string(r.Counts), slot).Scan(&ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	r.ID = ids[0]
	return r, nil
}

// Finish records how run ended: status succeeded, failed or skipped, with
// the job's counts and, on failure, its error.
func (s *JobRunService) Finish(ctx context.Context, r *JobRun, status string, counts map[string]int64, runErr error) error {
	b, err := json.Marshal(counts)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	r.FinishedAt, r.Status, r.Counts = &now, status, b
	if runErr != nil {
		r.Error = runErr.Error()
	}
	return s.db.WithContext(ctx).Model(r).Select("FinishedAt", "Status", "Counts", "Error").Updates(r).Error
}

// MarkInterrupted ends job's runs still recorded as running, other than
// run except, as failed: their process ended before they finished. The
// caller must hold the job's lock, which proves that none of them still
// runs anywhere. It returns how many it ended.
func (s *JobRunService) MarkInterrupted(ctx context.Context, job string, except int64) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`UPDATE job_runs SET status = 'failed', finished_at = now(),
		error = 'interrupted: its process ended before the run finished (it is safe to run again)'
		WHERE job = ? AND status = 'running' AND id <> ?`, job, except)
	return res.RowsAffected, res.Error
}

// Get returns run id. Staff only. Errors: EFORBIDDEN, ENOTFOUND.
func (s *JobRunService) Get(ctx context.Context, id int64) (*JobRun, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	var r JobRun
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFoundOr(err, "job run")
	}
	return &r, nil
}

// List returns the latest runs, newest first, of job (all jobs if empty).
// Staff only. Errors: EFORBIDDEN.
func (s *JobRunService) List(ctx context.Context, job string, p Page) ([]JobRun, int64, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, 0, err
	}
	q := s.db.WithContext(ctx)
	if job != "" {
		q = q.Where("job = ?", job)
	}
	var rows []JobRun
	if err := q.Scopes(p.keyset("job_runs", true)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, p, func(r JobRun) int64 { return r.ID })
	return rows, next, nil
}
