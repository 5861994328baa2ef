package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"github.com/shopspring/decimal"
)

// TestStaffEditAndCancelDraftTender: staff open a draft made from pooled
// demand on its form (every field as saved), put both lines into one lot
// with a changed quantity typed the Danish way ("6.000") and a new title,
// and save (the members behind each line are kept); a form with a bad weight is shown again and
// changes nothing; a draft made through the API without a demand period
// is edited on the same form; a tender is cancelled only with a reason,
// which the page and the audit history show, and a cancelled tender's
// edit page is refused. In Danish on a tablet, axe on every page.
func TestStaffEditAndCancelDraftTender(t *testing.T) {
	s := newSite(t)
	seeded, err := demo.SeedTenders(context.Background(), s.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	period := seeded.DemandPeriod
	var gloves, syringes int64
	s.svc.DB.Raw("SELECT id FROM products WHERE name LIKE 'Nitrilhandsker%' AND status <> 'merged' ORDER BY id LIMIT 1").Scan(&gloves)
	s.svc.DB.Raw("SELECT id FROM products WHERE name LIKE 'Engangssprøjte%' AND status <> 'merged' ORDER BY id LIMIT 1").Scan(&syringes)

	staff := s.person(t)
	staff.login(demo.AdminEmail)
	pg := staff.req("POST", "/staff/tenders", url.Values{"_csrf": {staff.csrf}, "period": {period}, "title": {"Handsker og sprøjter"},
		"description": {"Til klinikkerne"}, "contract_from": {"2027-01-01"}, "contract_to": {"2027-12-31"},
		"bid_deadline": {"2027-01-15T12:00"}, "rebate": {"2,5"},
		"crit-weight-0": {"80"}, "crit-name-1": {"delivery_days"}, "crit-weight-1": {"20"}, "crit-dir-1": {"lower_is_better"},
		"lot-title-1": {"Handsker"}, "lot-title-2": {"Sprøjter"},
		"lot-" + itoa(gloves): {"1"}, "qty-" + itoa(gloves): {"21000"}, "lot-" + itoa(syringes): {"2"}, "qty-" + itoa(syringes): {"5250"}})
	if pg.status != http.StatusSeeOther || !strings.Contains(pg.location, "done=tender-created") {
		t.Fatalf("create: %d %s %s", pg.status, pg.location, mainOf(pg.body))
	}
	var tender int64
	fmt.Sscanf(strings.TrimPrefix(pg.location, "/staff/tenders/"), "%d", &tender)

	tb := s.tab(t, tablet, "da")
	tb.open("/")
	tb.login(demo.AdminEmail)
	tb.open("/staff/tenders/" + itoa(tender))
	tb.axe()
	tb.submit(`#edit`)
	for sel, want := range map[string]string{`#title`: "Handsker og sprøjter", `#rebate`: "2,5", `#contract_from`: "2027-01-01",
		`#bid_deadline`: "2027-01-15T12:00", `#crit-weight-0`: "80", `#crit-weight-1`: "20", `#crit-name-1`: "delivery_days",
		`#lot-title-1`: "Handsker", `#lot-title-2`: "Sprøjter", `#lot-title-3`: "", `#qty-` + itoa(syringes): "5.250",
		`#crit-name-2`: ""} {
		if got := eval[string](tb, fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != want {
			t.Errorf("edit form %s = %q, want %q", sel, got, want)
		}
	}
	if got := eval[string](tb, `document.querySelector('select[name="lot-`+itoa(syringes)+`"]').value`); got != "2" {
		t.Errorf("syringes in lot %s, want 2", got)
	}
	if got := tb.text(`#weight-sum`); got != "100" {
		t.Errorf("weight sum %q", got)
	}

	// A weight that makes the sum 110: shown again, nothing saved.
	tb.set(map[string]string{`#crit-weight-1`: "30", `#title`: "Ændret"})
	tb.submit(`#tender-form button[type=submit]`)
	if !strings.Contains(tb.text(`#e-criteria`), "vægtene giver tilsammen 110, ikke 100") || tb.attr(`#title`, "value") != "Ændret" {
		t.Fatalf("a bad weight: %s", tb.text("main"))
	}
	if got, _ := s.svc.Tenders.Get(admin(), tender); got.Title != "Handsker og sprøjter" {
		t.Errorf("a refused edit saved the title %q", got.Title)
	}

	// Both lines in one lot, the syringes' quantity changed.
	tb.set(map[string]string{`#crit-weight-1`: "20", `#title`: "Handsker og sprøjter, samlet", `#lot-title-1`: "Alt",
		`#lot-title-2`: "", `select[name="lot-` + itoa(syringes) + `"]`: "1", `#qty-` + itoa(syringes): "6.000"})
	tb.submit(`#tender-form button[type=submit]`)
	if !strings.Contains(tb.path(), "done=tender-saved") {
		t.Fatalf("after save at %s: %s", tb.path(), tb.text("main"))
	}
	if n := tb.count("section.lot"); n != 1 {
		t.Errorf("%d lots after the edit, want 1", n)
	}
	got, err := s.svc.Tenders.Get(admin(), tender)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Handsker og sprøjter, samlet" || got.Description != "Til klinikkerne" || !got.RebateRate.Equal(decimal.RequireFromString("0.025")) ||
		got.DemandPeriod == nil || *got.DemandPeriod != period || len(got.Lots) != 1 || len(got.Lots[0].Items) != 2 {
		t.Fatalf("saved %+v", got)
	}
	for _, it := range got.Lots[0].Items {
		want := map[int64]string{gloves: "21000", syringes: "6000"}[it.ProductID]
		if !it.Quantity.Equal(decimal.RequireFromString(want)) || it.MembersCount != 6 {
			t.Errorf("line %d: %s from %d members, want %s from 6", it.ProductID, it.Quantity, it.MembersCount, want)
		}
	}

	// A draft made through the API, lines of its own and no period.
	apiTender, err := s.svc.Tenders.Create(admin(), domain.TenderInput{Title: "Fra API", ContractFrom: date(2027, 1, 1),
		ContractTo: date(2027, 12, 31), BidDeadline: time.Now().Add(72 * time.Hour), RebateRate: decimal.RequireFromString("0.01"),
		AllowIncreasingTiers: true,
		Criteria:             []domain.CriterionInput{{Name: "price", Weight: decimal.NewFromInt(100)}},
		Lots: []domain.LotInput{{Title: "Sprøjter", Description: "Beskrivelse fra API",
			Items: []domain.LotItemInput{{ProductID: syringes, Quantity: decimal.NewFromInt(900)}}}}})
	if err != nil {
		t.Fatal(err)
	}
	tb.open("/staff/tenders/" + itoa(apiTender.ID) + "/edit")
	tb.axe()
	tb.set(map[string]string{`#qty-` + itoa(syringes): "1200"})
	tb.submit(`#tender-form button[type=submit]`)
	if !strings.Contains(tb.path(), "done=tender-saved") {
		t.Fatalf("API draft after save at %s: %s", tb.path(), tb.text("main"))
	}
	got, _ = s.svc.Tenders.Get(admin(), apiTender.ID)
	if len(got.Lots) != 1 || len(got.Lots[0].Items) != 1 || !got.Lots[0].Items[0].Quantity.Equal(decimal.NewFromInt(1200)) ||
		got.Lots[0].Description != "Beskrivelse fra API" || !got.AllowIncreasingTiers || got.DemandPeriod != nil {
		t.Errorf("API draft saved as %+v", got)
	}

	// Cancelling needs a reason: the browser asks for it (required), and
	// the server refuses a form without one (posted without a browser).
	pg = staff.req("POST", "/staff/tenders/"+itoa(tender)+"/cancel", url.Values{"_csrf": {staff.csrf}, "reason": {"  "}})
	if pg.status != http.StatusUnprocessableEntity || !strings.Contains(pg.body, `id="e-cancel-reason"`) || !strings.Contains(pg.body, `aria-invalid="true"`) {
		t.Fatalf("a cancel without reason: %d %s", pg.status, mainOf(pg.body))
	}
	if got, _ := s.svc.Tenders.Get(admin(), tender); got.Status != domain.TenderDraft {
		t.Fatalf("cancelled without a reason: %s", got.Status)
	}
	tb.open("/staff/tenders/" + itoa(tender))
	eval[bool](tb, `document.querySelector("details.cancel").open = true`)
	tb.axe()
	tb.set(map[string]string{`#cancel-reason`: "Behovet er dækket af en eksisterende aftale"})
	tb.submit(`#cancel-button`)
	if st := tb.text("#tender-status"); st != "Annulleret" || !strings.Contains(tb.text("#cancelled"), "Behovet er dækket") {
		t.Fatalf("after cancel: %s; %s", st, tb.text("main"))
	}
	if tb.count(`#edit`)+tb.count(`#publish`)+tb.count(`#cancel-button`) != 0 {
		t.Error("a cancelled tender still offers edit, publish or cancel")
	}
	var audited int64
	s.svc.DB.Raw(`SELECT count(*) FROM audit_events WHERE entity = 'tender' AND entity_id = ? AND action = 'tender.cancelled'
		AND details->>'reason' = 'Behovet er dækket af en eksisterende aftale'`, tender).Scan(&audited)
	if audited != 1 {
		t.Errorf("%d audit entries of the cancel with its reason", audited)
	}
	if pg := staff.req("GET", "/staff/tenders/"+itoa(tender)+"/edit", nil); pg.status != http.StatusConflict {
		t.Errorf("the edit page of a cancelled tender: %d", pg.status)
	}
	if pg := staff.req("POST", "/staff/tenders/"+itoa(tender)+"/edit", url.Values{"_csrf": {staff.csrf}, "title": {"x"}}); pg.status != http.StatusConflict {
		t.Errorf("saving a cancelled tender: %d", pg.status)
	}
}

func admin() context.Context {
	return domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleAdmin, Label: "test"})
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// draftTender makes a draft from next year's demo demand, for the
// screenshots of the draft's page and its edit form.
func (s *site) draftTender(t *testing.T) int64 {
	t.Helper()
	period := fmt.Sprint(time.Now().Year() + 1)
	tender, err := s.svc.Tenders.Create(admin(), domain.TenderInput{Title: "Sårpleje " + period, ContractFrom: date(time.Now().Year()+1, 1, 1),
		ContractTo: date(time.Now().Year()+1, 12, 31), BidDeadline: time.Now().Add(14 * 24 * time.Hour), RebateRate: decimal.RequireFromString("0.02"),
		Criteria: []domain.CriterionInput{{Name: "price", Weight: decimal.NewFromInt(80)}, {Name: "delivery_days", Weight: decimal.NewFromInt(20), Direction: "lower_is_better"}},
		Lots:     []domain.LotInput{{Title: "Alt fra behovet", FromDemand: period}}})
	if err != nil {
		t.Fatal(err)
	}
	return tender.ID
}
