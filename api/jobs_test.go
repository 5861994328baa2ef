package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/jobs"
)

// TestJobStartedByHandRunsInBackground: POST /jobs/{name}/run answers 202
// at once while the job goes on after the request; a second start while it
// runs is answered with its skipped run; the run is polled at Location
// until it ends; a shutdown stops a job still running and records it.
func TestJobStartedByHandRunsInBackground(t *testing.T) {
	e := newEnv(t)
	admin := e.login(demo.AdminEmail)
	inside, release := make(chan struct{}, 1), make(chan struct{})
	e.jobs.Register(jobs.Job{Name: "test-slow", Run: func(ctx context.Context) (jobs.Counts, error) {
		inside <- struct{}{}
		select {
		case <-release:
			return jobs.Counts{"done": 1}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}})

	res := admin.do("POST", "/api/v1/jobs/test-slow/run", nil).expect(http.StatusAccepted)
	run, loc := res.json(), res.header.Get("Location")
	if run["status"] != "running" || run["finished_at"] != nil || loc != "/api/v1/job-runs/"+itoa(int64(run["id"].(float64))) {
		t.Fatalf("started run %v at %q", run, loc)
	}
	<-inside // the request has been answered, the job is still running
	if got := admin.do("GET", loc, nil).expect(http.StatusOK).json(); got["status"] != "running" {
		t.Errorf("run while the job runs: %v", got)
	}

	// Already running: the second start is skipped (after the short wait for
	// the lock a run asked for by hand allows), and says so.
	res = admin.do("POST", "/api/v1/jobs/test-slow/run", nil).expect(http.StatusOK)
	skipped := res.json()
	if skipped["status"] != "skipped" || skipped["finished_at"] == nil || skipped["id"] == run["id"] ||
		res.header.Get("Content-Location") != "/api/v1/job-runs/"+itoa(int64(skipped["id"].(float64))) {
		t.Errorf("second start: %v (%v)", skipped, res.header)
	}

	close(release)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		got := admin.do("GET", loc, nil).expect(http.StatusOK).json()
		if got["status"] == "running" {
			if time.Now().After(deadline) {
				t.Fatal("the job is still running after a minute")
			}
			continue
		}
		if got["status"] != "succeeded" || obj(got["counts"])["done"] != float64(1) || got["finished_at"] == nil {
			t.Errorf("ended run %v", got)
		}
		break
	}

	// A shutdown stops a job still running; the server waits for it to
	// record its end.
	release = make(chan struct{})
	run = admin.do("POST", "/api/v1/jobs/test-slow/run", nil).expect(http.StatusAccepted).json()
	<-inside
	closed := make(chan struct{})
	go func() { e.srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not stop the job")
	}
	var ended domain.JobRun
	e.svc.DB.Where("id = ?", int64(run["id"].(float64))).Take(&ended)
	if ended.Status != "failed" || ended.FinishedAt == nil || ended.Error == "" {
		t.Errorf("run stopped by the shutdown: %+v", ended)
	}
}
