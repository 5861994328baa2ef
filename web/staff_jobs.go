package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The staff's jobs page: each background job's last runs with their
// counts and errors, and a button that starts one now. A run started here
// takes the same path as `andel job NAME` and POST /api/v1/jobs/{name}/run
// (the jobs runner: the job's advisory lock, a JobRun row), lent by api as
// a JobStarter; its page polls the run with htmx until it has ended, and
// without JavaScript offers a link that reloads it.

// JobStarter starts a registered background job by hand.
type JobStarter interface {
	// Names lists the jobs, sorted.
	Names() []string
	// Start records a run of job name and starts it in the background
	// (or records it as skipped when it runs elsewhere already), and
	// returns the run's id. Errors: ENOTFOUND for an unknown job.
	Start(ctx context.Context, name string) (int64, error)
}

// jobRunsShown is how many of each job's last runs the page shows.
const jobRunsShown = 5

func (p *Pages) staffJobRoutes(s *echo.Group) {
	s.GET("/jobs", p.staffJobs)
	s.POST("/jobs/:name/run", p.runJobNow)
	s.GET("/jobs/runs/:id", p.staffJobRun)
}

type jobView struct {
	Name string
	Runs []jobRunView
}

type jobRunView struct {
	domain.JobRun
	Counts []jobCount
}

type jobCount struct {
	Name  string
	Value int64
}

// Running reports whether the run has not ended.
func (r jobRunView) Running() bool { return r.Status == "running" }

// Duration is how long the run took, to the millisecond ("" while it
// runs).
func (r jobRunView) Duration() string {
	if r.FinishedAt == nil {
		return ""
	}
	return r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
}

func newJobRunView(r domain.JobRun) jobRunView {
	v := jobRunView{JobRun: r}
	var counts map[string]int64
	if len(r.Counts) > 0 && json.Unmarshal(r.Counts, &counts) == nil {
		for k, n := range counts {
			v.Counts = append(v.Counts, jobCount{Name: k, Value: n})
		}
		sort.Slice(v.Counts, func(i, j int) bool { return v.Counts[i].Name < v.Counts[j].Name })
	}
	return v
}

func (p *Pages) jobNames() []string {
	if p.jobs == nil {
		return nil
	}
	return p.jobs.Names()
}

func (p *Pages) staffJobs(c echo.Context) error {
	var jobs []jobView
	for _, name := range p.jobNames() {
		runs, _, err := p.svc.JobRuns.List(c.Request().Context(), name, domain.Page{Limit: jobRunsShown})
		if err != nil {
			return err
		}
		j := jobView{Name: name}
		for _, r := range runs {
			j.Runs = append(j.Runs, newJobRunView(r))
		}
		jobs = append(jobs, j)
	}
	return p.render(c, http.StatusOK, "staff_jobs", jobs)
}

// runJobNow starts job :name and shows its run.
func (p *Pages) runJobNow(c echo.Context) error {
	name := c.Param("name")
	if !slices.Contains(p.jobNames(), name) {
		return domain.NotFound("job")
	}
	id, err := p.jobs.Start(c.Request().Context(), name)
	if err != nil {
		return err
	}
	return seeOther(c, fmt.Sprintf("/staff/jobs/runs/%d", id))
}

// staffJobRun shows one run; htmx polls its status block while it runs.
func (p *Pages) staffJobRun(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := p.svc.JobRuns.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	v := newJobRunView(*r)
	if c.Request().Header.Get("HX-Request") != "" && c.QueryParam("progress") != "" {
		return p.renderBlock(c, http.StatusOK, "staff_jobs_run", "run", v)
	}
	return p.render(c, http.StatusOK, "staff_jobs_run", v)
}
