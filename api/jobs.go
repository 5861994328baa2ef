package api

import (
	"encoding/json"
	"net/http"
	"slices"
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

// runJob starts a job by hand (admins), and answers with its run.
func (s *Server) runJob(c echo.Context) error {
	ctx := c.Request().Context()
	if domain.ActorFrom(ctx).Role != domain.RoleAdmin {
		return domain.Errorf(domain.EFORBIDDEN, "only admins start jobs")
	}
	name := c.Param("name")
	if s.cfg.Jobs == nil || !slices.Contains(s.cfg.Jobs.Names(), name) {
		return domain.NotFound("job")
	}
	run, err := s.cfg.Jobs.RunNow(ctx, name)
	if err != nil && run == nil {
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
