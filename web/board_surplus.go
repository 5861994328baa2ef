package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// Surplus runs for the board (/board/surplus, /board/surplus/{id}): the
// run's figures, its allocations, the totals check and the approval, all
// through SurplusService (the API's service). Staff (admin) open the same
// pages: they prepare, change and cancel runs there (staff_surplus.go),
// and the preparer's own approval is refused with the four-eyes rule
// spelled out.

func (p *Pages) surplusBoardRoutes(g *echo.Group) {
	staff := requireRole(domain.RoleBoard, domain.RoleAdmin)
	g.GET("/board/surplus", p.surplusRuns, staff)
	g.GET("/board/surplus/:id", p.surplusRun, staff)
	g.POST("/board/surplus/:id/approve", p.surplusApprove, staff)
}

func init() { validFlash["surplus-approved"] = true }

// surplusRunsData is the list of runs.
type surplusRunsData struct {
	Runs []domain.SurplusRun
	Next int64 // cursor of the next page, 0 at the end
}

func (p *Pages) surplusRuns(c echo.Context) error {
	after, _ := strconv.ParseInt(c.QueryParam("after"), 10, 64)
	runs, next, err := p.svc.Surplus.List(c.Request().Context(), domain.SurplusRunFilter{Page: domain.Page{Limit: 50, After: max(after, 0)}})
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "board_surplus_runs", surplusRunsData{Runs: runs, Next: next})
}

// allocationRow is one member's figures in a run, with its name.
type allocationRow struct {
	domain.SurplusAllocation
	Name         string
	SharePercent decimal.Decimal
}

// surplusData is what board_surplus.html shows.
type surplusData struct {
	Run         *domain.SurplusRun
	Currency    string
	Lines       []domain.SurplusLine
	Rows        []allocationRow // those matching the search
	Members     int             // allocations in the run
	Query       string
	Allocated   decimal.Decimal // sum of every allocation
	CheckOK     bool
	Difference  decimal.Decimal
	Preparer    bool   // the person looking prepared the run
	CanApprove  bool   // the run is a draft (the button is shown)
	Refused     string // message key of a refused approval
	CashPercent decimal.Decimal
	Reserve     string // the reserve option as written
	Basis       string
	MinPayout   decimal.Decimal
	// ApprovedBy and the times, when set (the run's are pointers).
	ApprovedBy                string
	ApprovedAt, DistributedAt time.Time
	// Edit is the staff's change form of a draft (staff_surplus.go).
	Edit *surplusFormData
}

// surplusDetail reads run id with all its allocations (searched by ?q=,
// a practice's name, CVR or member id) and checks their sum.
func (p *Pages) surplusDetail(c echo.Context, id int64) (*surplusData, error) {
	ctx := c.Request().Context()
	run, err := p.svc.Surplus.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &surplusData{Run: run, Currency: strings.TrimSpace(run.Currency), Query: strings.TrimSpace(c.QueryParam("q")),
		CanApprove: run.Status == domain.SurplusDraft}
	if len(d.Query) > 200 {
		d.Query = d.Query[:200]
	}
	if run.ApprovedBy != nil {
		d.ApprovedBy = *run.ApprovedBy
	}
	if run.ApprovedAt != nil {
		d.ApprovedAt = *run.ApprovedAt
	}
	if run.DistributedAt != nil {
		d.DistributedAt = *run.DistributedAt
	}
	a := pageOf(c).Actor
	d.Preparer = run.PreparedByUserID != nil && *run.PreparedByUserID == a.UserID
	if sn := run.Snapshot; sn != nil {
		d.Lines = sn.Lines
		o := sn.Options
		d.Basis, d.CashPercent, d.MinPayout = o.Basis, o.CashShare.Decimal(), o.MinimumPayout
		switch {
		case o.ReservePercent != nil:
			d.Reserve = pricing.FormatAmount(o.ReservePercent.Decimal(), 2, pageOf(c).L.locale) + " %"
		case o.ReserveAmount != nil:
			d.Reserve = pageOf(c).L.Amount(*o.ReserveAmount, d.Currency)
		}
	}
	names, err := p.memberNames(ctx)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(d.Query)
	page := domain.Page{Limit: domain.MaxPageLimit}
	for {
		rows, next, err := p.svc.Surplus.Allocations(ctx, id, page)
		if err != nil {
			return nil, err
		}
		for _, al := range rows {
			d.Members++
			d.Allocated = d.Allocated.Add(al.Allocation)
			m := names[al.MemberID]
			if q == "" || strings.Contains(strings.ToLower(m.Name), q) || m.CVR == q || strconv.FormatInt(al.MemberID, 10) == q {
				d.Rows = append(d.Rows, allocationRow{SurplusAllocation: al, Name: m.Name, SharePercent: al.Share.Shift(2)})
			}
		}
		if next == 0 {
			break
		}
		page.After = next
	}
	d.Difference = d.Allocated.Sub(run.Distributable)
	d.CheckOK = d.Difference.IsZero()
	d.Edit = p.surplusEditForm(c, run)
	return d, nil
}

// memberNames are every member's name and CVR by id.
func (p *Pages) memberNames(ctx context.Context) (map[int64]domain.Member, error) {
	out := map[int64]domain.Member{}
	page := domain.Page{Limit: domain.MaxPageLimit}
	for {
		ms, next, err := p.svc.Members.List(ctx, domain.MemberFilter{Page: page})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			out[m.ID] = m
		}
		if next == 0 {
			return out, nil
		}
		page.After = next
	}
}

func surplusID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.NotFound("surplus run")
	}
	return id, nil
}

func (p *Pages) surplusRun(c echo.Context) error {
	id, err := surplusID(c)
	if err != nil {
		return err
	}
	d, err := p.surplusDetail(c, id)
	if err != nil {
		return err
	}
	if c.Request().Header.Get("HX-Request") != "" && c.Request().Header.Get("HX-Target") == "allocation-table" {
		return p.renderBlock(c, http.StatusOK, "board_surplus", "allocation-table", d)
	}
	return p.render(c, http.StatusOK, "board_surplus", d)
}

// surplusApprove approves the run (SurplusService.Approve decides). A
// refusal shows the run again with why: the preparer may not approve
// (four eyes), only the board approves, the run is no longer a draft, or
// there is nothing to distribute.
func (p *Pages) surplusApprove(c echo.Context) error {
	id, err := surplusID(c)
	if err != nil {
		return err
	}
	_, err = p.svc.Surplus.Approve(c.Request().Context(), id)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/board/surplus/"+strconv.FormatInt(id, 10)+"?done=surplus-approved")
	}
	var key string
	status := http.StatusForbidden
	switch domain.ErrorCode(err) {
	case domain.EFORBIDDEN:
		key = "board.surplus.refused.role"
	case domain.ECONFLICT:
		key, status = "board.surplus.refused.state", http.StatusConflict
	case domain.EINVALID:
		key, status = "board.surplus.refused.nothing", http.StatusUnprocessableEntity
	default:
		return err
	}
	d, derr := p.surplusDetail(c, id)
	if derr != nil {
		return derr
	}
	if key == "board.surplus.refused.role" && d.Preparer {
		key = "board.surplus.refused.preparer"
	}
	d.Refused = key
	return p.render(c, status, "board_surplus", d)
}
