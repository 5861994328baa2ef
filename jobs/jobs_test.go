package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"andel/app"
	"andel/domain"
	"andel/internal/pgtest"
	"andel/jobs"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestRunNowRecordsRuns(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := app.New(db, domain.Options{})
	r := jobs.NewRunner(svc, quietLog())
	ctx := context.Background()

	db.Exec("INSERT INTO sessions (token, data, expiry) VALUES ('old', '', now() - interval '1 day'), ('live', '', now() + interval '1 day')")
	run, err := r.RunNow(ctx, "housekeeping")
	if err != nil || run.Status != "succeeded" || run.Trigger != "manual" || run.FinishedAt == nil {
		t.Fatalf("run = %+v, err = %v", run, err)
	}
	if string(run.Counts) != `{"idempotency_keys_deleted":0,"login_failures_deleted":0,"sessions_deleted":1}` {
		t.Errorf("counts %s", run.Counts)
	}
	// A second run in a row changes nothing.
	run, _ = r.RunNow(ctx, "housekeeping")
	if string(run.Counts) != `{"idempotency_keys_deleted":0,"login_failures_deleted":0,"sessions_deleted":0}` {
		t.Errorf("second run counts %s", run.Counts)
	}

	r.Register(jobs.Job{Name: "boom", Run: func(context.Context) (jobs.Counts, error) { panic("kaboom") }})
	run, err = r.RunNow(ctx, "boom")
	if err == nil || run.Status != "failed" || run.Error == "" {
		t.Errorf("panicking job: run %+v, err %v", run, err)
	}
	if _, err := r.RunNow(ctx, "nope"); !errors.Is(err, jobs.ErrUnknownJob) {
		t.Errorf("unknown job: %v", err)
	}
}

// TestOneRunAtATime: while one process runs a job, another's run of the
// same job is skipped, not run twice.
func TestOneRunAtATime(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := app.New(db, domain.Options{})
	replica1 := jobs.NewRunner(svc, quietLog())
	replica2 := jobs.NewRunner(svc, quietLog())
	inside, release := make(chan struct{}), make(chan struct{})
	calls := 0
	slow := jobs.Job{Name: "slow", Run: func(context.Context) (jobs.Counts, error) {
		calls++
		close(inside)
		<-release
		return jobs.Counts{"done": 1}, nil
	}}
	replica1.Register(slow)
	replica2.Register(slow)

	done := make(chan *domain.JobRun)
	go func() {
		run, _ := replica1.RunNow(context.Background(), "slow")
		done <- run
	}()
	<-inside
	skipped, err := replica2.RunNow(context.Background(), "slow")
	if err != nil || skipped.Status != "skipped" {
		t.Errorf("concurrent run: %+v, %v; want skipped", skipped, err)
	}
	close(release)
	if first := <-done; first.Status != "succeeded" {
		t.Errorf("first run %+v", first)
	}
	if calls != 1 {
		t.Errorf("job body ran %d times", calls)
	}
	// The lock was released: the next run goes ahead.
	inside = make(chan struct{})
	release = make(chan struct{})
	close(release)
	if run, _ := replica2.RunNow(context.Background(), "slow"); run.Status != "succeeded" {
		t.Errorf("run after release: %+v", run)
	}
}

func TestScheduleRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	r := jobs.NewRunner(app.New(nil, domain.Options{}), quietLog())
	if _, err := r.NewSchedule(map[string]string{"nope": "* * * * *"}); err == nil {
		t.Error("unknown job accepted")
	}
	if _, err := r.NewSchedule(map[string]string{"housekeeping": "every tuesday"}); err == nil {
		t.Error("bad spec accepted")
	}
	if _, err := r.NewSchedule(map[string]string{"housekeeping": "off"}); err != nil {
		t.Error(err)
	}
}

// TestInterruptedRunsAreEnded: a run a crash left recorded as running is
// marked failed (interrupted) at the next start, or by the job's next run,
// never left running for good; a run alive elsewhere (its lock held) is
// left alone.
func TestInterruptedRunsAreEnded(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := app.New(db, domain.Options{})
	ctx := context.Background()
	crashed := func(job string) int64 {
		var id int64
		db.Raw("INSERT INTO job_runs (job, trigger, started_at, status, counts) VALUES (?, 'schedule', now() - interval '1 hour', 'running', '{}') RETURNING id", job).Scan(&id)
		return id
	}
	status := func(id int64) (s string) {
		db.Raw("SELECT status FROM job_runs WHERE id = ?", id).Scan(&s)
		return s
	}
	// At start: every job nobody runs gets its crashed runs ended.
	a, b := crashed("housekeeping"), crashed("savings-rollup")
	r := jobs.NewRunner(svc, quietLog())
	if n, err := r.RecoverInterrupted(ctx); err != nil || n != 2 {
		t.Fatalf("recovered %d, %v; want 2", n, err)
	}
	if status(a) != "failed" || status(b) != "failed" {
		t.Errorf("crashed runs are %s and %s, want failed", status(a), status(b))
	}
	// By the next run: a crash after start is ended when the job runs again.
	c := crashed("housekeeping")
	if run, err := r.RunNow(ctx, "housekeeping"); err != nil || run.Status != "succeeded" {
		t.Fatalf("run %+v, %v", run, err)
	}
	if status(c) != "failed" {
		t.Errorf("the crashed run is %s after the job ran again", status(c))
	}
	// A run alive in another process (the job's lock held) is left alone.
	started := make(chan struct{})
	release := make(chan struct{})
	other := jobs.NewRunner(svc, quietLog())
	other.Register(jobs.Job{Name: "slow", Run: func(context.Context) (jobs.Counts, error) {
		close(started)
		<-release
		return nil, nil
	}})
	done := make(chan struct{})
	go func() { defer close(done); _, _ = other.RunNow(ctx, "slow") }()
	<-started
	r.Register(jobs.Job{Name: "slow", Run: func(context.Context) (jobs.Counts, error) { return nil, nil }})
	if _, err := r.RecoverInterrupted(ctx); err != nil {
		t.Fatal(err)
	}
	var running int64
	db.Raw("SELECT count(*) FROM job_runs WHERE job = 'slow' AND status = 'running'").Scan(&running)
	if running != 1 {
		t.Errorf("%d runs of a live job still running, want 1", running)
	}
	close(release)
	<-done
}
