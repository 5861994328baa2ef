// Package jobs owns Andel's background work: the registry of named jobs,
// the cron schedule that starts them, and the runner that makes every run
// safe with several replicas (a PostgreSQL advisory lock, so one replica
// runs a job at a time), recorded (a JobRun row with counts), and startable
// by hand (`andel job NAME`, POST /api/v1/jobs/{name}/run).
//
// Jobs call domain services; they hold no business rules of their own and
// must be safe to re-run: a second run right after the first changes nothing.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sort"
	"time"

	"andel/domain"

	"gorm.io/gorm"
)

// Counts is what a run reports it did, e.g. {"sessions_deleted": 3}.
type Counts map[string]int64

// Job is a named unit of background work.
type Job struct {
	Name string
	// Schedule is the default cron spec (5 fields, UTC); configuration may
	// override it.
	Schedule string
	// Run does the work. ctx carries the system actor "job:<name>".
	Run func(ctx context.Context) (Counts, error)
}

// Runner runs registered jobs under their advisory lock and records them.
type Runner struct {
	db   *gorm.DB
	svc  *domain.Services
	log  *slog.Logger
	jobs map[string]Job
}

// NewRunner returns a runner with every job of Andel registered.
func NewRunner(svc *domain.Services, log *slog.Logger) *Runner {
	r := &Runner{db: svc.DB, svc: svc, log: log, jobs: map[string]Job{}}
	for _, j := range builtin(svc) {
		r.Register(j)
	}
	return r
}

// Register adds j, replacing a job of the same name.
func (r *Runner) Register(j Job) { r.jobs[j.Name] = j }

// Names lists the registered jobs, sorted.
func (r *Runner) Names() []string {
	names := make([]string, 0, len(r.jobs))
	for n := range r.jobs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ErrUnknownJob is returned for a name that no job has.
var ErrUnknownJob = errors.New("unknown job")

// RunNow runs job name at once (trigger "manual") and returns its run.
// When another replica or process holds the job's lock, the run is recorded
// as skipped. The returned error is the job's own failure, if any; the run
// records it too.
func (r *Runner) RunNow(ctx context.Context, name string) (*domain.JobRun, error) {
	return r.run(ctx, name, "manual")
}

// Begin records a manual run of job name (status running) and returns it
// with the function that carries it out: takes the lock, runs the job and
// records how it ended in the same run. The caller runs it, typically in
// the background (the API answers with the run at once); it must not read
// the run while that function runs.
func (r *Runner) Begin(ctx context.Context, name string) (*domain.JobRun, func(context.Context) error, error) {
	return r.begin(ctx, name, "manual")
}

func (r *Runner) run(ctx context.Context, name, trigger string) (*domain.JobRun, error) {
	run, execute, err := r.begin(ctx, name, trigger)
	if err != nil {
		return nil, err
	}
	return run, execute(ctx)
}

func (r *Runner) begin(ctx context.Context, name, trigger string) (*domain.JobRun, func(context.Context) error, error) {
	j, ok := r.jobs[name]
	if !ok {
		return nil, nil, fmt.Errorf("%w %q (known: %v)", ErrUnknownJob, name, r.Names())
	}
	run, err := r.svc.JobRuns.Start(domain.WithActor(ctx, domain.SystemActor("job:"+name)), name, trigger)
	if err != nil {
		return nil, nil, err
	}
	return run, func(ctx context.Context) error {
		return r.execute(domain.WithActor(ctx, domain.SystemActor("job:"+name)), j, run, name, trigger)
	}, nil
}

// execute runs job j under its advisory lock and records the end of run.
func (r *Runner) execute(ctx context.Context, j Job, run *domain.JobRun, name, trigger string) error {
	var counts Counts
	var jobErr error
	locked := false
	started := time.Now()
	// The lock is a session lock on one pinned connection, taken and
	// released on that same connection: through the pool, an unlock could
	// run on another connection and leave the lock held.
	connErr := r.db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		key := lockKey(name)
		if err := conn.Raw("SELECT pg_try_advisory_lock(?)", key).Scan(&locked).Error; err != nil {
			return err
		}
		if !locked {
			return nil
		}
		defer func() {
			// A fresh context: the job's may be cancelled, the unlock must still run.
			if err := conn.WithContext(context.WithoutCancel(ctx)).Exec("SELECT pg_advisory_unlock(?)", key).Error; err != nil {
				r.log.Error("releasing job lock failed", "job", name, "err", err)
			}
		}()
		counts, jobErr = safeRun(ctx, j)
		return nil
	})
	status := "succeeded"
	switch {
	case connErr != nil:
		status, jobErr = "failed", connErr
	case !locked:
		status = "skipped"
	case jobErr != nil:
		status = "failed"
	}
	if err := r.svc.JobRuns.Finish(context.WithoutCancel(ctx), run, status, counts, jobErr); err != nil {
		return errors.Join(jobErr, err)
	}
	level := slog.LevelInfo
	if jobErr != nil {
		level = slog.LevelError
	}
	r.log.Log(ctx, level, "job finished", "job", name, "trigger", trigger, "status", status,
		"counts", counts, "duration", time.Since(started), "err", jobErr)
	return jobErr
}

// safeRun turns a panicking job into a failed run.
func safeRun(ctx context.Context, j Job) (counts Counts, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job panicked: %v", p)
		}
	}()
	return j.Run(ctx)
}

// lockKey maps a job name to its advisory lock key, in a namespace of its
// own ("andel-job:") so that other advisory locks of the schema never clash.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("andel-job:" + name))
	return int64(h.Sum64())
}

// Has reports whether a job is registered under name.
func (r *Runner) Has(name string) bool {
	_, ok := r.jobs[name]
	return ok
}
