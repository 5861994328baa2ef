package web

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// The staff's side of the surplus runs (role admin), beside the board's
// pages of board_surplus.go: a form that prepares a patronage run
// (/board/surplus/new, SurplusService.Prepare), and on a draft's page a
// form that changes its options and lines and recomputes it
// (SurplusService.Recompute) and one that cancels it (Cancel). Every form
// posts and redirects with a notice; a refused form is shown again with
// each problem next to its field and all of them in a summary above.
// Redemption runs are still prepared through the API only.

func (p *Pages) staffSurplusRoutes(g *echo.Group) {
	admin := requireRole(domain.RoleAdmin)
	g.GET("/board/surplus/new", p.newSurplusForm, admin)
	g.POST("/board/surplus", p.prepareSurplus, admin)
	g.POST("/board/surplus/:id/recompute", p.recomputeSurplus, admin)
	g.POST("/board/surplus/:id/cancel", p.cancelSurplus, admin)
}

func init() {
	validFlash["surplus-prepared"] = true
	validFlash["surplus-recomputed"] = true
	validFlash["surplus-cancelled"] = true
}

// surplusLineRows is how many empty income and cost rows a form offers
// (a run with more lines gets its lines and these); maxSurplusRows bounds
// the rows read from a form.
const (
	surplusLineRows = 3
	maxSurplusRows  = 100
)

// surplusFormData is the form of a new run or of a draft's changes.
type surplusFormData struct {
	L    *Localizer
	CSRF string
	// Action is where the form posts; RunID is the draft's (0 for a new run).
	Action string
	RunID  int64
	Key    string // a new run's idempotency key
	Form   url.Values
	// Errors are the problems by form field name, shown next to the
	// field; Problems all of them, in the summary above the form.
	Errors   map[string]string
	Problems []surplusProblem
	Income   []int // row numbers of the other income lines
	Costs    []int // row numbers of the cost lines
	Currency string
}

// V is a field of the form (as sent, or its default).
func (d *surplusFormData) V(name string) string { return d.Form.Get(name) }

// VF is V of a name built with printf.
func (d *surplusFormData) VF(format string, args ...any) string {
	return d.Form.Get(fmt.Sprintf(format, args...))
}

// E is the problem of a field ("" when none).
func (d *surplusFormData) E(name string) string { return d.Errors[name] }

// EF is E of a name built with printf.
func (d *surplusFormData) EF(format string, args ...any) string {
	return d.Errors[fmt.Sprintf(format, args...)]
}

func (d *surplusFormData) problem(field, msg string) {
	if _, dup := d.Errors[field]; dup {
		return
	}
	d.Errors[field] = msg
	pr := surplusProblem{Field: field, Label: surplusFieldLabel(field), Message: msg}
	if m := surplusRowField.FindStringSubmatch(field); m != nil {
		pr.Row, _ = strconv.Atoi(m[1])
		pr.Row++
	}
	d.Problems = append(d.Problems, pr)
}

// surplusProblem is one problem of the form: the field (its id, to link
// to), the message key of its label, the line's row (from 1; 0 for an
// option) and what is wrong.
type surplusProblem struct {
	Field, Label, Message string
	Row                   int
}

var surplusRowField = regexp.MustCompile(`^(?:income|cost)-(?:desc|cat|amount)-(\d+)$`)

// rows numbers n rows from 0.
func rows(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// newSurplusFormData is an empty form for the page's person.
func (p *Pages) newSurplusFormData(c echo.Context, form url.Values) *surplusFormData {
	pg := pageOf(c)
	return &surplusFormData{L: pg.L, CSRF: pg.CSRF, Form: form, Errors: map[string]string{},
		Currency: p.svc.Options().Currency}
}

// formRows is the number of rows of kind ("income", "cost") a sent form
// had, bounded.
func formRows(form url.Values, kind string) int {
	n, _ := strconv.Atoi(form.Get(kind + "-rows"))
	return min(max(n, surplusLineRows), maxSurplusRows)
}

func (p *Pages) newSurplusForm(c echo.Context) error {
	d := p.newSurplusFormData(c, url.Values{})
	d.Action, d.Key = "/board/surplus", newKey()
	last := p.svc.Options().Clock().In(copenhagen).Year() - 1
	d.Form.Set("period", strconv.Itoa(last))
	d.Form.Set("basis", domain.BasisWhole)
	d.Form.Set("cash_percent", "100")
	d.Income, d.Costs = rows(surplusLineRows), rows(surplusLineRows)
	return p.render(c, http.StatusOK, "board_surplus_new", d)
}

// surplusPath is the path every web preparation's key is claimed for,
// with a constant body hash: a second submit of the same form (a double
// click, a resend) finds the first one's answer.
const surplusPath = "/board/surplus"

var surplusHash = sha256.Sum256([]byte("web surplus run"))

// prepareSurplus prepares a patronage run from the form under its
// idempotency key: a second submit with the same key waits for the first
// and is sent to the same run, never a second one. A refused form
// releases the key (nothing was made), so the corrected form may use it.
func (p *Pages) prepareSurplus(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	key := form.Get("key")
	if !keyPattern.MatchString(key) {
		return domain.Errorf(domain.EINVALID, "bad form key: open the form again")
	}
	ctx := c.Request().Context()
	caller := domain.IdempotencyCaller(domain.ActorFrom(ctx))
	var (
		stored *domain.IdempotencyRecord
		claim  int64
	)
	for range 300 { // the first submit still running (a national year takes a while): wait for it
		stored, claim, err = p.svc.Idempotency.Begin(ctx, caller, key, http.MethodPost, surplusPath, surplusHash[:])
		if domain.ErrorCode(err) != domain.ECONFLICT {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	if err != nil {
		return err
	}
	if stored != nil {
		if ids := stored.ExecutedIDs("surplus_run"); len(ids) > 0 {
			return seeOther(c, fmt.Sprintf("/board/surplus/%d?done=surplus-prepared", ids[0]))
		}
		return seeOther(c, string(stored.Response))
	}
	ctx = domain.WithIdempotencyClaim(ctx, claim)
	stop := p.renewClaim(ctx, claim)
	finish := func(status int, location string) {
		stop()
		if _, err := p.svc.Idempotency.Finish(context.WithoutCancel(ctx), claim, status, "text/plain", []byte(location)); err != nil {
			p.log.Error("finishing the surplus form's key failed", "err", err)
		}
	}
	d := p.newSurplusFormData(c, form)
	d.Action, d.Key = "/board/surplus", key
	d.Income, d.Costs = rows(formRows(form, "income")), rows(formRows(form, "cost"))
	o := d.readOptions()
	income, incomeRows := d.readLines("income")
	costs, costRows := d.readLines("cost")
	run, err := p.svc.Surplus.Prepare(ctx, domain.SurplusRunInput{Kind: domain.SurplusPatronage,
		Period: strings.TrimSpace(form.Get("period")), Basis: o.basis, CashPercent: o.cash, MinimumPayout: o.minimum,
		ReservePercent: o.reservePct, ReserveAmount: o.reserveAmt, OtherIncome: income, Costs: costs})
	if err != nil {
		finish(http.StatusUnprocessableEntity, "") // nothing made: the key is released
		status, ok := d.domainProblems(err, incomeRows, costRows)
		if !ok {
			return err
		}
		return p.render(c, status, "board_surplus_new", d)
	}
	to := fmt.Sprintf("/board/surplus/%d?done=surplus-prepared", run.ID)
	finish(http.StatusSeeOther, to)
	return seeOther(c, to)
}

// renewClaim keeps idempotency claim id alive while its request runs
// (its lease is short, domain.IdempotencyLease, so that the key of a
// request that died is free again soon); stop ends it.
func (p *Pages) renewClaim(ctx context.Context, id int64) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(p.svc.Idempotency.RenewEvery())
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := p.svc.Idempotency.Renew(context.WithoutCancel(ctx), id); err != nil {
					p.log.Warn("renewing the surplus form's key failed", "err", err)
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// surplusOptionInput are the option fields as the domain reads them.
type surplusOptionInput struct {
	basis, cash, minimum, reservePct, reserveAmt string
}

// readOptions reads the option fields: numbers typed the Danish way
// ("1.234,50", "12,5") or plain ("1234.50") become plain decimals; what
// cannot be read is a problem of its field and is handed to the domain as
// typed, which lists it with its other problems.
func (d *surplusFormData) readOptions() surplusOptionInput {
	return surplusOptionInput{basis: strings.TrimSpace(d.V("basis")),
		cash: d.number("cash_percent", false), minimum: d.number("minimum_payout", true),
		reservePct: d.number("reserve_percent", false), reserveAmt: d.number("reserve_amount", true)}
}

// number reads field as a decimal string, in the page's language first
// ("1.000" on a Danish page is a thousand); money says which problem an
// unreadable value is.
func (d *surplusFormData) number(field string, money bool) string {
	s := strings.TrimSpace(d.V(field))
	if s == "" {
		return ""
	}
	n, err := parseTyped(s, d.L)
	if err != nil {
		key := "ssurplus.err.percent"
		if money {
			key = "ssurplus.err.amount"
		}
		d.problem(field, d.L.T(key))
		return "unreadable " + s // refused by the domain too, which lists the form's other problems
	}
	return n.String()
}

// readLines reads the rows of kind ("income", "cost") with a description
// or an amount; it returns them and the form row of each.
func (d *surplusFormData) readLines(kind string) ([]domain.SurplusLineInput, []int) {
	var (
		out  []domain.SurplusLineInput
		rows []int
	)
	for i := range formRows(d.Form, kind) {
		desc := strings.TrimSpace(d.VF("%s-desc-%d", kind, i))
		amt := strings.TrimSpace(d.VF("%s-amount-%d", kind, i))
		if desc == "" && amt == "" {
			continue
		}
		if amt == "" {
			d.problem(fmt.Sprintf("%s-amount-%d", kind, i), d.L.T("ssurplus.err.required"))
		} else {
			amt = d.number(fmt.Sprintf("%s-amount-%d", kind, i), true)
		}
		out = append(out, domain.SurplusLineInput{Description: desc, Category: strings.TrimSpace(d.VF("%s-cat-%d", kind, i)),
			Amount: amt})
		rows = append(rows, i)
	}
	return out, rows
}

var surplusLineField = regexp.MustCompile(`^(other_income|costs)\[(\d+)\]\.(description|amount|category)$`)

// domainProblems puts the problems of a refusal (EINVALID, or ECONFLICT
// for an overlapping period) next to the form fields they came from and
// returns the status to answer; ok is false for any other error.
func (d *surplusFormData) domainProblems(err error, incomeRows, costRows []int) (status int, ok bool) {
	de, isDomain := err.(*domain.Error)
	if !isDomain || (de.Code != domain.EINVALID && de.Code != domain.ECONFLICT) {
		return 0, false
	}
	status = http.StatusUnprocessableEntity
	if de.Code == domain.ECONFLICT {
		status = http.StatusConflict
	}
	for _, f := range de.Fields {
		d.problem(surplusFormField(f.Field, incomeRows, costRows), d.L.Problem(f.Message))
	}
	if len(de.Fields) == 0 {
		d.problem("", d.L.Problem(de.Message))
	}
	return status, true
}

// surplusFormField maps a domain field (costs[1].amount) to the form
// field it came from (cost-amount-3).
func surplusFormField(field string, incomeRows, costRows []int) string {
	m := surplusLineField.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	i, _ := strconv.Atoi(m[2])
	kind, list := "income", incomeRows
	if m[1] == "costs" {
		kind, list = "cost", costRows
	}
	if i >= len(list) {
		return field
	}
	part := map[string]string{"description": "desc", "amount": "amount", "category": "cat"}[m[3]]
	return fmt.Sprintf("%s-%s-%d", kind, part, list[i])
}

// surplusFieldLabel is the message key of a form field's label.
func surplusFieldLabel(field string) string {
	for _, kind := range []string{"income", "cost"} {
		for _, part := range []string{"desc", "amount", "cat"} {
			if strings.HasPrefix(field, kind+"-"+part+"-") {
				return "ssurplus.f." + kind + "-" + part
			}
		}
	}
	switch field {
	case "period", "basis", "cash_percent", "minimum_payout", "reserve_percent", "reserve_amount":
		return "ssurplus.f." + field
	}
	return "" // shown by its name
}

// --- A draft's changes and its cancellation ---

// surplusEditForm is the change form of a draft run, filled in with its
// current options and staff lines (nil for anyone but staff, or a run
// that is not a draft).
func (p *Pages) surplusEditForm(c echo.Context, run *domain.SurplusRun) *surplusFormData {
	if pageOf(c).Actor.Role != domain.RoleAdmin || run.Status != domain.SurplusDraft || run.Kind != domain.SurplusPatronage ||
		run.Snapshot == nil {
		return nil
	}
	d := p.newSurplusFormData(c, url.Values{})
	d.Action, d.RunID = fmt.Sprintf("/board/surplus/%d/recompute", run.ID), run.ID
	l := d.L
	o := run.Snapshot.Options
	money := func(a decimal.Decimal) string { return pricing.FormatAmount(a, 2, l.locale) }
	d.Form.Set("basis", o.Basis)
	d.Form.Set("cash_percent", l.Qty(o.CashShare.Decimal()))
	if o.MinimumPayout.IsPositive() {
		d.Form.Set("minimum_payout", money(o.MinimumPayout))
	}
	if o.ReservePercent != nil {
		d.Form.Set("reserve_percent", l.Qty(o.ReservePercent.Decimal()))
	}
	if o.ReserveAmount != nil {
		d.Form.Set("reserve_amount", money(*o.ReserveAmount))
	}
	n := map[string]int{}
	for _, ln := range run.Snapshot.Lines {
		kind := ln.Kind
		if kind != domain.LineIncome && kind != domain.LineCost {
			continue // the rebates come from the orders
		}
		i := n[kind]
		n[kind]++
		d.Form.Set(fmt.Sprintf("%s-desc-%d", kind, i), ln.Description)
		d.Form.Set(fmt.Sprintf("%s-cat-%d", kind, i), ln.Category)
		d.Form.Set(fmt.Sprintf("%s-amount-%d", kind, i), money(ln.Amount))
	}
	d.Income = rows(min(n[domain.LineIncome]+surplusLineRows, maxSurplusRows))
	d.Costs = rows(min(n[domain.LineCost]+surplusLineRows, maxSurplusRows))
	return d
}

// recomputeSurplus changes the draft's options and staff lines to the
// form's and recomputes it. Sending it twice recomputes twice with the
// same figures (a second computation in the history, nothing else).
func (p *Pages) recomputeSurplus(c echo.Context) error {
	id, err := surplusID(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	d := p.newSurplusFormData(c, form)
	d.Action, d.RunID = fmt.Sprintf("/board/surplus/%d/recompute", id), id
	d.Income, d.Costs = rows(formRows(form, "income")), rows(formRows(form, "cost"))
	o := d.readOptions()
	income, incomeRows := d.readLines("income")
	costs, costRows := d.readLines("cost")
	if income == nil {
		income = []domain.SurplusLineInput{}
	}
	if costs == nil {
		costs = []domain.SurplusLineInput{}
	}
	_, err = p.svc.Surplus.Recompute(c.Request().Context(), id, domain.SurplusRecomputeInput{Basis: &o.basis,
		CashPercent: &o.cash, MinimumPayout: &o.minimum, ReservePercent: &o.reservePct, ReserveAmount: &o.reserveAmt,
		OtherIncome: &income, Costs: &costs})
	if err == nil { // a problem of the form is always one of the domain's too
		return seeOther(c, fmt.Sprintf("/board/surplus/%d?done=surplus-recomputed#figures", id))
	}
	if domain.ErrorCode(err) == domain.ECONFLICT {
		return p.surplusRefused(c, id, "ssurplus.refused.state", http.StatusConflict)
	}
	status, ok := d.domainProblems(err, incomeRows, costRows)
	if !ok {
		return err
	}
	sd, err := p.surplusDetail(c, id)
	if err != nil {
		return err
	}
	sd.Edit = d
	return p.render(c, status, "board_surplus", sd)
}

// cancelSurplus cancels a draft (or an approved run not yet paid out).
func (p *Pages) cancelSurplus(c echo.Context) error {
	id, err := surplusID(c)
	if err != nil {
		return err
	}
	if _, err := p.svc.Surplus.Cancel(c.Request().Context(), id); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return p.surplusRefused(c, id, "ssurplus.refused.state", http.StatusConflict)
		}
		return err
	}
	return seeOther(c, fmt.Sprintf("/board/surplus/%d?done=surplus-cancelled", id))
}

// surplusRefused shows the run again with why a change was refused.
func (p *Pages) surplusRefused(c echo.Context, id int64, key string, status int) error {
	d, err := p.surplusDetail(c, id)
	if err != nil {
		return err
	}
	d.Refused = key
	return p.render(c, status, "board_surplus", d)
}

// surplusField is one input of the form as the template writes it.
type surplusField struct {
	Name, Value, Error, Label, Hint string
	Decimal                         bool
}

// Field is the input name of the form, with its label (and hint, when
// the messages have one).
func (d *surplusFormData) Field(name string) surplusField {
	f := surplusField{Name: name, Value: d.V(name), Error: d.E(name), Label: d.L.T("ssurplus.f." + name),
		Decimal: name != "period"}
	if h := "ssurplus.h." + name; d.L.T(h) != h {
		f.Hint = d.L.T(h)
	}
	return f
}

// surplusLinesView is one table of lines of the form.
type surplusLinesView struct {
	D    *surplusFormData
	Kind string // income or cost
	Rows []int
}

// Lines is the income ("income") or cost ("cost") lines' table.
func (d *surplusFormData) Lines(kind string) surplusLinesView {
	if kind == "cost" {
		return surplusLinesView{D: d, Kind: kind, Rows: d.Costs}
	}
	return surplusLinesView{D: d, Kind: kind, Rows: d.Income}
}
