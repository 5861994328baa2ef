// Package jobs owns Andel's background work: the registry of named jobs,
// the cron schedule that starts them, and the runner that makes every run
// safe with several replicas (a transaction-level PostgreSQL advisory
// lock, so one replica runs a job at a time, also behind PgBouncer; and a
// claimed schedule slot, so a scheduled run happens once per slot),
// recorded (a JobRun row with counts), and startable by hand
// (`andel job NAME`, POST /api/v1/jobs/{name}/run).
//
// Jobs call domain services; they hold no business rules of their own and
// must be safe to re-run: a second run right after the first changes nothing.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sort"
	"time"

	"andel/app"
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
	svc  *app.Services
	log  *slog.Logger
	jobs map[string]Job
}

// NewRunner returns a runner with every job of Andel registered.
func NewRunner(svc *app.Services, log *slog.Logger) *Runner {
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
// When another replica or process holds the job's lock (still after
// manualLockWait), the run is recorded as skipped. The returned error is
// the job's own failure, if any; the run records it too.
func (r *Runner) RunNow(ctx context.Context, name string) (*domain.JobRun, error) {
	return r.run(ctx, name, "manual")
}

// Begin starts a manual run of job name: it records the run and takes the
// job's advisory lock (waiting up to manualLockWait). When another replica
// or process holds the lock, the run is recorded as skipped and returned with a nil function.
// Otherwise the run (status running) is returned with the function that
// carries it out under the lock, records how it ended in the same run and
// releases the lock; the caller must call it exactly once, typically in the
// background (the API answers with the run at once), and must not read the
// run while it runs. An error means no run was started (a failure to reach
// the lock is recorded as a failed run).
func (r *Runner) Begin(ctx context.Context, name string) (*domain.JobRun, func(context.Context) error, error) {
	return r.begin(ctx, name, "manual", nil)
}

func (r *Runner) run(ctx context.Context, name, trigger string) (*domain.JobRun, error) {
	run, execute, err := r.begin(ctx, name, trigger, nil)
	if err != nil || execute == nil {
		return run, err
	}
	return run, execute(ctx)
}

// runSlot runs job name for its schedule slot, unless another replica
// claimed the slot first (then nothing is recorded and run is nil).
func (r *Runner) runSlot(ctx context.Context, name string, slot time.Time) (*domain.JobRun, error) {
	run, execute, err := r.begin(ctx, name, "schedule", &slot)
	if err != nil || execute == nil {
		return run, err
	}
	return run, execute(ctx)
}

func (r *Runner) begin(ctx context.Context, name, trigger string, slot *time.Time) (*domain.JobRun, func(context.Context) error, error) {
	j, ok := r.jobs[name]
	if !ok {
		return nil, nil, fmt.Errorf("%w %q (known: %v)", ErrUnknownJob, name, r.Names())
	}
	actor := domain.SystemActor("job:" + name)
	actx := domain.WithActor(ctx, actor)
	started := time.Now()
	// The lock first, then the record: a run's started_at and finished_at
	// (written before the lock is released) lie inside its hold of the
	// lock, so two runs' times never overlap unless the runs did.
	lock, lockErr := r.tryLock(ctx, name)
	if slot == nil {
		lock, lockErr = r.waitLock(ctx, name, lock, lockErr)
	}
	var run *domain.JobRun
	var err error
	if slot != nil {
		if lockErr == nil && lock == nil {
			// Another replica runs the job (this slot's run, or a long
			// earlier one: the slot is skipped, as cron skips a tick while
			// its previous run goes on).
			return nil, nil, nil
		}
		run, err = r.svc.JobRuns.StartSlot(actx, name, *slot)
		if err == nil && run == nil {
			if lock != nil {
				lock.release(ctx, r.log)
			}
			r.log.Debug("schedule slot taken by another replica", "job", name, "slot", *slot)
			return nil, nil, nil
		}
	} else {
		run, err = r.svc.JobRuns.Start(actx, name, trigger)
	}
	if err != nil {
		if lock != nil {
			lock.release(ctx, r.log)
		}
		return nil, nil, err
	}
	switch {
	case lockErr != nil:
		return run, nil, r.finish(ctx, run, trigger, started, "failed", nil, lockErr)
	case lock == nil:
		return run, nil, r.finish(ctx, run, trigger, started, "skipped", nil, nil)
	}
	// Holding the lock, no other run of this job is alive: one still
	// recorded as running was cut off by a crash.
	if n, err := r.svc.JobRuns.MarkInterrupted(ctx, name, run.ID); err != nil {
		err = r.finish(ctx, run, trigger, started, "failed", nil, err)
		lock.release(ctx, r.log)
		return run, nil, err
	} else if n > 0 {
		r.log.Warn("earlier runs were interrupted by a crash; marked failed", "job", name, "runs", n)
	}
	return run, func(ctx context.Context) error {
		ctx = domain.WithActor(ctx, actor)
		counts, jobErr := safeRun(ctx, j)
		status := "succeeded"
		if jobErr != nil {
			status = "failed"
		}
		err := r.finish(ctx, run, trigger, started, status, counts, jobErr)
		lock.release(ctx, r.log) // after the record: see above
		return err
	}, nil
}

// RecoverInterrupted ends, for every job no replica is running now, the
// runs a crash left recorded as running: serve calls it when it starts,
// so that they do not wait for the job's next run. It returns how many.
func (r *Runner) RecoverInterrupted(ctx context.Context) (int64, error) {
	var total int64
	for _, name := range r.Names() {
		lock, err := r.tryLock(ctx, name)
		if err != nil {
			return total, err
		}
		if lock == nil {
			continue // running now elsewhere: its runs are alive
		}
		n, err := r.svc.JobRuns.MarkInterrupted(ctx, name, 0)
		lock.release(ctx, r.log)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// finish records how run ended and logs it; it returns the job's error
// (joined with a failure to record it).
func (r *Runner) finish(ctx context.Context, run *domain.JobRun, trigger string, started time.Time, status string, counts Counts, jobErr error) error {
	if err := r.svc.JobRuns.Finish(context.WithoutCancel(ctx), run, status, counts, jobErr); err != nil {
		return errors.Join(jobErr, err)
	}
	level := slog.LevelInfo
	if jobErr != nil {
		level = slog.LevelError
	}
	r.log.Log(ctx, level, "job finished", "job", run.Job, "job_run_id", run.ID, "trigger", trigger, "status", status,
		"counts", counts, "duration", time.Since(started), "err", jobErr)
	return jobErr
}

// jobLock is a job's advisory lock, taken with pg_try_advisory_xact_lock
// in a transaction that stays open for the whole run and is rolled back to
// release it. A transaction-level lock works behind PgBouncer in
// transaction pooling (the transaction keeps its server connection; a
// session-level lock would stay with a server connection other clients
// then use, and its unlock could run on another one), and it ends with
// the transaction when the process dies: the connection closes.
type jobLock struct {
	tx *sql.Tx
}

// tryLock takes the advisory lock of job name in a transaction of its
// own; nil, nil when another run holds it. The transaction does not end
// with ctx (a run started by a request outlives the request); release
// ends it.
func (r *Runner) tryLock(ctx context.Context, name string) (*jobLock, error) {
	db, err := r.db.DB()
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return nil, err
	}
	var locked bool
	if err := tx.QueryRowContext(ctx, "SELECT pg_try_advisory_xact_lock($1)", lockKey(name)).Scan(&locked); err != nil || !locked {
		_ = tx.Rollback()
		return nil, err
	}
	return &jobLock{tx: tx}, nil
}

// manualLockWait is how long a run asked for by hand waits for the job's
// lock before it is recorded as skipped. A run records its end just before
// it releases the lock, so a run asked for the moment the previous one is
// seen finished would otherwise find the lock still held, for a moment,
// and be skipped.
const manualLockWait = 2 * time.Second

// waitLock retries tryLock for up to manualLockWait while another run
// holds the lock (lock and err both nil).
func (r *Runner) waitLock(ctx context.Context, name string, lock *jobLock, err error) (*jobLock, error) {
	deadline := time.Now().Add(manualLockWait)
	for lock == nil && err == nil && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return nil, nil
		case <-time.After(50 * time.Millisecond):
		}
		lock, err = r.tryLock(ctx, name)
	}
	return lock, err
}

// release ends the lock's transaction, and with it the lock. A rollback
// that fails leaves the connection broken, and database/sql drops it,
// which ends the transaction on the server too.
func (l *jobLock) release(_ context.Context, log *slog.Logger) {
	if err := l.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		log.Error("releasing job lock failed", "err", err)
	}
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
