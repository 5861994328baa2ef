package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"

	"github.com/shopspring/decimal"
)

// TestStaffPrepareSurplusRun: staff cancel the demo's draft from its page,
// open the new-run form from the list and prepare a run for the same year
// in Danish on a tablet: a cost with three decimals is refused next to its
// field with nothing stored, the corrected form (amounts typed
// "2.500,75", "1.000") prepares the run once even when sent again with
// its key, and the page shows the domain's figures to the øre. They
// recompute with another cash percentage (a form with two reserves is
// refused first), their own approval is refused, and the board approves.
// The form in English on a phone; axe on every page.
func TestStaffPrepareSurplusRun(t *testing.T) {
	s, sum := boardSite(t)
	sys := domain.WithActor(context.Background(), domain.SystemActor("test"))
	runs := func() int64 {
		var n int64
		s.svc.DB.Raw("SELECT count(*) FROM surplus_runs").Scan(&n)
		return n
	}
	get := func(id int64) *domain.SurplusRun {
		t.Helper()
		r, err := s.svc.Surplus.Get(sys, id)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// figures compares the run page's figures with the domain's.
	figures := func(tb *tab, r *domain.SurplusRun) {
		t.Helper()
		for field, want := range map[string]decimal.Decimal{"income": r.Income, "costs": r.Costs, "reserve": r.Reserve,
			"distributable": r.Distributable, "cash_total": r.CashTotal, "retained_total": r.RetainedTotal,
			"carry_forward_total": r.CarryForwardTotal} {
			if got := shownFigure(t, strings.TrimPrefix(tb.text(`dd[data-field="`+field+`"]`), "− "), true); got != want.StringFixed(2) {
				t.Errorf("%s: the page shows %s, the domain %s", field, got, want.StringFixed(2))
			}
		}
	}

	staff := s.tab(t, tablet, "da")
	staff.open("/login")
	staff.login(demo.AdminEmail)

	// Cancel the demo's draft.
	seeded := itoa(sum.RunID)
	staff.open("/board/surplus/" + seeded)
	staff.submit(`form.cancel button`)
	if p := staff.path(); p != "/board/surplus/"+seeded+"?done=surplus-cancelled" {
		t.Fatalf("after cancel at %s: %s", p, staff.text("main"))
	}
	if r := get(sum.RunID); r.Status != domain.SurplusCancelled {
		t.Fatalf("the cancelled draft is %s", r.Status)
	}
	if !strings.Contains(staff.text(`.flash`), "annulleret") || staff.count(`form.recompute`)+staff.count(`form.cancel`) != 0 {
		t.Errorf("after cancel: flash %q, %d change forms", staff.text(`.flash`), staff.count(`form.recompute`))
	}

	// The form, from the list.
	staff.open("/board/surplus")
	staff.submit(`#new-run`)
	if p := staff.path(); p != "/board/surplus/new" {
		t.Fatalf("the new-run link goes to %s", p)
	}
	year := strconv.Itoa(sum.Year)
	if v := staff.attr(`#period`, "value"); v != year {
		t.Errorf("the period proposed is %q, want last year %s", v, year)
	}
	before := runs()
	staff.set(map[string]string{"#period": year, "#cash_percent": "60", "#minimum_payout": "50", "#reserve_percent": "10",
		"#income-desc-0": "Renteindtægter", "#income-amount-0": "2.500,75",
		"#cost-desc-0": "Revision", "#cost-amount-0": "1.234,50",
		"#cost-desc-1": "Administration", "#cost-amount-1": "12,345"})
	key := staff.attr(`input[name="key"]`, "value")
	staff.submit(`form.prepare button[type=submit]`)
	if got := staff.text(`#e-cost-amount-1`); !strings.Contains(got, "decimaler") {
		t.Errorf("the cost with three decimals: %q", got)
	}
	if got := staff.text(`#problems`); !strings.Contains(got, "Omkostning") || !strings.Contains(got, "decimaler") {
		t.Errorf("the summary: %q", got)
	}
	if n := staff.count(`[aria-invalid="true"]`); n != 1 {
		t.Errorf("%d fields marked invalid, want 1", n)
	}
	if runs() != before {
		t.Fatalf("a refused form stored a run")
	}
	if v := staff.attr(`#cost-amount-0`, "value"); v != "1.234,50" || staff.attr(`input[name="key"]`, "value") != key {
		t.Errorf("the form shown again has %q and key %q", v, staff.attr(`input[name="key"]`, "value"))
	}

	staff.set(map[string]string{"#cost-amount-1": "1.000"}) // a thousand, the Danish way
	staff.submit(`form.prepare button[type=submit]`)
	p := staff.path()
	idText, ok := strings.CutSuffix(strings.TrimPrefix(p, "/board/surplus/"), "?done=surplus-prepared")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil {
		t.Fatalf("after prepare at %s: %s", p, staff.text("main"))
	}
	if runs() != before+1 {
		t.Fatalf("%d runs after one preparation", runs()-before)
	}
	if !strings.Contains(staff.text(`.flash`), "forberedt som kladde") {
		t.Errorf("flash: %q", staff.text(`.flash`))
	}

	// Sent again with its key (a double click): the same run, no other.
	admin := s.person(t)
	admin.login(demo.AdminEmail)
	again := admin.req("POST", "/board/surplus", url.Values{"_csrf": {admin.csrf}, "key": {key}, "period": {year},
		"cash_percent": {"60"}, "cost-desc-0": {"Revision"}, "cost-amount-0": {"1.234,50"}})
	if again.status != http.StatusSeeOther || again.location != p || runs() != before+1 {
		t.Errorf("the same key again: %d to %q, %d runs", again.status, again.location, runs()-before)
	}

	// Through the router: a refused form is a 422 page, nothing stored.
	form := admin.req("GET", "/board/surplus/new", nil)
	newKey := strings.SplitN(strings.SplitN(form.body, `name="key" value="`, 2)[1], `"`, 2)[0]
	if bad := admin.req("POST", "/board/surplus", url.Values{"_csrf": {admin.csrf}, "key": {newKey}, "period": {year},
		"cash_percent": {"120"}}); bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "mellem 0 og 100") ||
		runs() != before+1 {
		t.Errorf("cash 120 %%: %d, %d runs", bad.status, runs()-before)
	}

	// The figures: the form's amounts as typed, the page's as computed.
	r := get(id)
	o := r.Snapshot.Options
	if o.CashShare != 6000 || !o.MinimumPayout.Equal(decimal.NewFromInt(50)) || o.ReservePercent == nil || *o.ReservePercent != 1000 ||
		o.ReserveAmount != nil || o.Basis != domain.BasisWhole {
		t.Errorf("options %+v", o)
	}
	var other, costs, rebates decimal.Decimal
	for _, l := range r.Snapshot.Lines {
		switch l.Kind {
		case domain.LineIncome:
			other = other.Add(l.Amount)
		case domain.LineCost:
			costs = costs.Add(l.Amount)
		case domain.LineRebate:
			rebates = rebates.Add(l.Amount)
		}
	}
	if other.StringFixed(2) != "2500.75" || costs.StringFixed(2) != "2234.50" || !r.Costs.Equal(costs) ||
		!r.Income.Equal(rebates.Add(other)) || !rebates.IsPositive() {
		t.Errorf("income %s (rebates %s, other %s), costs %s (lines %s)", r.Income, rebates, other, r.Costs, costs)
	}
	figures(staff, r)
	if check := staff.text(`#totals-check`); staff.count(`#totals-check.check-ok`) != 1 {
		t.Errorf("totals check: %q", check)
	}

	// Change the cash percentage and recompute; a form with both
	// reserves is refused first, next to its field.
	if v := staff.attr(`form.recompute #cash_percent`, "value"); v != "60" {
		t.Errorf("the change form has cash %q", v)
	}
	if v := staff.attr(`form.recompute #cost-amount-1`, "value"); v != "1.000,00" {
		t.Errorf("the change form has the second cost %q", v)
	}
	staff.set(map[string]string{"#cash_percent": "40", "#reserve_amount": "500"})
	staff.submit(`form.recompute button[type=submit]`)
	if got := staff.text(`#e-reserve_amount`); !strings.Contains(got, "ikke begge") {
		t.Errorf("two reserves: %q", got)
	}
	if get(id).Computation != r.Computation {
		t.Fatalf("a refused change recomputed the run")
	}
	staff.set(map[string]string{"#reserve_amount": ""})
	staff.submit(`form.recompute button[type=submit]`)
	if p := staff.path(); p != "/board/surplus/"+idText+"?done=surplus-recomputed" {
		t.Fatalf("after recompute at %s: %s", p, staff.text("main"))
	}
	r2 := get(id)
	if r2.Computation != r.Computation+1 || r2.Snapshot.Options.CashShare != 4000 || !r2.Distributable.Equal(r.Distributable) ||
		!r2.Costs.Equal(r.Costs) || r2.CashTotal.Equal(r.CashTotal) {
		t.Errorf("recomputed: computation %d, cash %d bp, distributable %s (was %s), cash total %s (was %s)", r2.Computation,
			r2.Snapshot.Options.CashShare, r2.Distributable, r.Distributable, r2.CashTotal, r.CashTotal)
	}
	figures(staff, r2)

	// The preparer's approval is refused; the board's is not.
	staff.submit(`form.approve button`)
	if msg := staff.text(`.refused`); !strings.Contains(msg, "selv forberedt") {
		t.Errorf("the preparer's approval: %q", msg)
	}
	board := s.tab(t, tablet, "da")
	board.open("/login")
	board.login(demo.BoardEmail)
	board.open("/board/surplus/" + idText)
	if board.count(`form.recompute`)+board.count(`form.cancel`)+board.count(`#new-run`) != 0 {
		t.Errorf("the board is offered the staff's forms")
	}
	figures(board, r2)
	board.submit(`form.approve button`)
	if p := board.path(); p != "/board/surplus/"+idText+"?done=surplus-approved" {
		t.Fatalf("after approve at %s: %s", p, board.text("main"))
	}
	if st := get(id).Status; st != domain.SurplusApproved {
		t.Fatalf("the run is %s after the board's approval", st)
	}
	board.open("/board/surplus")
	if board.count(`#new-run`) != 0 {
		t.Errorf("the board is offered the new-run form")
	}
	// The staff's forms are theirs only (another role's is a page not
	// there, as requireRole answers), and an approved run is not changed.
	boardHTTP := s.person(t)
	boardHTTP.login(demo.BoardEmail)
	for _, path := range []string{"/board/surplus", "/board/surplus/" + idText + "/recompute", "/board/surplus/" + idText + "/cancel"} {
		if pg := boardHTTP.req("POST", path, url.Values{"_csrf": {boardHTTP.csrf}}); pg.status != http.StatusNotFound {
			t.Errorf("the board's POST %s: %d", path, pg.status)
		}
	}
	if pg := admin.req("POST", "/board/surplus/"+idText+"/recompute", url.Values{"_csrf": {admin.csrf}, "cash_percent": {"10"}}); pg.status != http.StatusConflict {
		t.Errorf("recompute of an approved run: %d", pg.status)
	}
	staff.open("/board/surplus/" + idText)
	if staff.count(`form.recompute`) != 0 {
		t.Errorf("an approved run has the change form")
	}

	// The form in English on a phone.
	phoneStaff := s.tab(t, phone, "en")
	phoneStaff.open("/login")
	phoneStaff.login(demo.AdminEmail)
	phoneStaff.open("/board/surplus/new")
	if got := phoneStaff.text(`label[for="cash_percent"]`); got != "Paid in cash (%)" {
		t.Errorf("English label %q", got)
	}
}
