package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

type jobRunResponse struct {
	ID         int64           `json:"id"`
	Job        string          `json:"job"`
	Trigger    string          `json:"trigger"`
	StartedAt  time.Time       `json:"started_at"`
	FinishedAt *time.Time      `json:"finished_at"`
	Status     string          `json:"status"`
	Counts     json.RawMessage `json:"counts"`
	Error      string          `json:"error,omitempty"`
}

func toJobRunResponse(r domain.JobRun) jobRunResponse {
	return jobRunResponse{ID: r.ID, Job: r.Job, Trigger: r.Trigger, StartedAt: r.StartedAt,
		FinishedAt: r.FinishedAt, Status: r.Status, Counts: r.Counts, Error: r.Error}
}

// runJob starts a job by hand (admins). The job's lock is taken at once:
// when the job is already running (another replica, the schedule, an
// earlier start), the run is recorded as skipped and answered 200, as it
// ended. Otherwise the answer is 202 with the run (status running) and
// its Location to poll, and the job goes on in the background (a rollup
// over a national year takes longer than a request may), detached from the
// request but stopped when the server shuts down.
func (s *Server) runJob(c echo.Context) error {
	ctx := c.Request().Context()
	if domain.ActorFrom(ctx).Role != domain.RoleAdmin {
		return domain.Errorf(domain.EFORBIDDEN, "only admins start jobs")
	}
	run, started, err := s.startJob(ctx, c.Param("name"))
	if err != nil {
		return err
	}
	location := "/api/v1/job-runs/" + strconv.FormatInt(run.ID, 10)
	if !started {
		c.Response().Header().Set("Content-Location", location)
		return c.JSON(http.StatusOK, run)
	}
	c.Response().Header().Set(echo.HeaderLocation, location)
	return c.JSON(http.StatusAccepted, run)
}

// startJob starts job name by hand: the one path of the API and the staff's
// jobs page. It answers the run as it began (started false: already
// running elsewhere, recorded as skipped); the job itself goes on in the
// background under the server's lifetime. Errors: ENOTFOUND (no such job,
// or no runner).
func (s *Server) startJob(ctx context.Context, name string) (jobRunResponse, bool, error) {
	if s.cfg.Jobs == nil || !slices.Contains(s.cfg.Jobs.Names(), name) {
		return jobRunResponse{}, false, domain.NotFound("job")
	}
	run, execute, err := s.cfg.Jobs.Begin(ctx, name)
	if err != nil {
		return jobRunResponse{}, false, err
	}
	resp := toJobRunResponse(*run) // before execute changes run
	if execute == nil {
		return resp, false, nil
	}
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		// The job's own lifetime: the server's, not the request's.
		if err := execute(s.stopping); err != nil {
			s.log.Error("job started by hand failed", "job", name, "job_run_id", resp.ID, "err", err)
		}
	}()
	return resp, true, nil
}

// webJobs lends the staff's jobs page (package web) the API's way of
// starting a job by hand.
type webJobs struct{ s *Server }

func (w webJobs) Names() []string {
	if w.s.cfg.Jobs == nil {
		return nil
	}
	return w.s.cfg.Jobs.Names()
}

func (w webJobs) Start(ctx context.Context, name string) (int64, error) {
	run, _, err := w.s.startJob(ctx, name)
	return run.ID, err
}

// getJobRun answers one job run (staff), to poll a job started by hand.
func (s *Server) getJobRun(c echo.Context) error {
	id, err := pathID(c, "id", "job run")
	if err != nil {
		return err
	}
	run, err := s.svc.JobRuns.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toJobRunResponse(*run))
}

func (s *Server) listJobRuns(c echo.Context) error {
	var p domain.Problems
	page := pageParams(c, &p)
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.JobRuns.List(c.Request().Context(), c.QueryParam("job"), page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, next, toJobRunResponse))
}
