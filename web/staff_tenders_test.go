package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
)

// bidThroughAPI submits a supplier's bid as its ERP would: JSON with its
// bearer key to POST /api/v1/tenders/{id}/bids.
func (s *site) bidThroughAPI(t *testing.T, key string, tender int64, bid map[string]any) {
	t.Helper()
	body, _ := json.Marshal(bid)
	r, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/tenders/%d/bids", s.http.URL, tender), strings.NewReader(string(body)))
	r.Header.Set("Authorization", "Bearer "+key)
	r.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		var problem map[string]any
		_ = json.NewDecoder(res.Body).Decode(&problem)
		t.Fatalf("bid: %d %v", res.StatusCode, problem)
	}
}

// demoSuppliers are the three demo suppliers' names, by id.
func (s *site) demoSuppliers(t *testing.T) []string {
	t.Helper()
	var names []string
	s.svc.DB.Raw("SELECT name FROM suppliers ORDER BY id LIMIT 3").Scan(&names)
	if len(names) != 3 || s.demo.APIKeys[names[2]] == "" {
		t.Fatalf("demo suppliers %v, keys for %d", names, len(s.demo.APIKeys))
	}
	return names
}

// set fills in form fields (by CSS selector) as a person would type them.
func (tb *tab) set(values map[string]string) {
	tb.t.Helper()
	b, _ := json.Marshal(values)
	if missing := eval[string](tb, `(() => { const v = `+string(b)+`; for (const [sel, val] of Object.entries(v)) {
		const el = document.querySelector(sel); if (!el) return sel; el.value = val; } return "" })()`); missing != "" {
		tb.t.Fatalf("no field %s (at %s)", missing, tb.location())
	}
}

// waitText waits until the text of sel satisfies ok (htmx swaps it).
func (tb *tab) waitText(sel string, ok func(string) bool, within time.Duration) string {
	tb.t.Helper()
	var last string
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		last = eval[string](tb, fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent.trim()`, sel))
		if ok(last) {
			return last
		}
	}
	tb.t.Fatalf("%s still shows %q (at %s)", sel, last, tb.location())
	return last
}

// TestStaffTenderFromDemandToAward: staff create a tender from the
// members' pooled demand (a form with two problems is shown again with
// each next to its field), publish it and watch the bid count while the
// three demo suppliers bid through the API; past the deadline they run
// the close job from the jobs page and follow its run until it ends, read
// the evaluation (per-base-unit prices at pooled volume, scores, weights,
// totals, checked by hand), are refused an award to the second-ranked bid
// without a reason, award the default and see the contract and the OCDS
// record. In Danish on a tablet, then the pages in English on a phone;
// axe on every page.
func TestStaffTenderFromDemandToAward(t *testing.T) {
	s := newSite(t)
	seeded, err := demo.SeedTenders(context.Background(), s.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	period := seeded.DemandPeriod // six members: gloves 1000·k EA, syringes 250·k EA, k = 1..6
	sup := s.demoSuppliers(t)

	tb := s.tab(t, tablet, "da")
	tb.open("/")
	tb.login(demo.AdminEmail)
	if p := tb.path(); p != "/staff/tenders" {
		t.Fatalf("staff land on %s", p)
	}
	tb.axe()
	if n := tb.count("tr.tender-row"); n != 2 {
		t.Errorf("the list shows %d tenders, want the demo's two", n)
	}
	tb.submit(`a[href="/staff/tenders/new"]`)
	tb.set(map[string]string{`#period`: period})
	tb.submit(`#demand-form button`)
	lines := eval[[]string](tb, `[...document.querySelectorAll("tr.pooled-line")].map(r => r.querySelector("th").textContent + "|" + r.querySelector(".members").textContent + "|" + r.querySelector(".pooled-qty").textContent)`)
	var gloves, syringes int64
	s.svc.DB.Raw("SELECT id FROM products WHERE name LIKE 'Nitrilhandsker%' AND status <> 'merged' ORDER BY id LIMIT 1").Scan(&gloves)
	s.svc.DB.Raw("SELECT id FROM products WHERE name LIKE 'Engangssprøjte%' AND status <> 'merged' ORDER BY id LIMIT 1").Scan(&syringes)
	var names []string
	s.svc.DB.Raw("SELECT name FROM products WHERE id IN (?, ?) ORDER BY id", gloves, syringes).Scan(&names)
	wantLines := map[string]bool{}
	for _, n := range names {
		if strings.HasPrefix(n, "Nitril") {
			wantLines[n+"|6|21.000 EA"] = true
		} else {
			wantLines[n+"|6|5.250 EA"] = true
		}
	}
	if len(lines) != 2 || !wantLines[lines[0]] || !wantLines[lines[1]] {
		t.Fatalf("pooled lines %v, want %v (gloves 1000·21 EA, syringes 250·21 EA, from 6 members each)", lines, wantLines)
	}

	// Two problems at once: no title, and weights summing to 110; each is
	// shown next to its field and what was typed stays.
	tb.set(map[string]string{`#title`: "", `#crit-weight-1`: "30", `select[name="lot-` + itoa(syringes) + `"]`: "2",
		`#lot-title-1`: "Handsker", `#lot-title-2`: "Sprøjter"})
	tb.submit(`form[action="/staff/tenders"] button[type=submit]`)
	// The domain's problems in the page's language (Localizer.Problem).
	if tb.count(`#problems li`) != 2 || !strings.Contains(tb.text(`#e-criteria`), "vægtene giver tilsammen 110, ikke 100") ||
		!strings.Contains(tb.text(`#problems`), "skal udfyldes") || tb.count(`#e-title`) != 1 {
		t.Fatalf("problems shown: %q", tb.text("main"))
	}
	if v := tb.attr(`#lot-title-2`, "value"); v != "Sprøjter" || tb.attr(`#crit-weight-1`, "value") != "30" {
		t.Errorf("the form lost what was typed: lot 2 %q", v)
	}
	if w := tb.text(`#weight-sum`); w != "110" {
		t.Errorf("weight sum shown %q", w)
	}
	// A weight that is not a number is listed with the domain's problems
	// (without a browser: the form as posted).
	staff := s.person(t)
	staff.login(demo.AdminEmail)
	badWeight := url.Values{"_csrf": {staff.csrf}, "period": {period}, "title": {""},
		"contract_from": {"2027-01-01"}, "contract_to": {"2026-01-01"}, "bid_deadline": {"2027-01-01T12:00"}, "rebate": {"2"},
		"crit-weight-0": {"80"}, "crit-name-1": {"delivery_days"}, "crit-weight-1": {"tyve"}, "crit-dir-1": {"lower_is_better"},
		"lot-title-1": {"Handsker"}, "lot-" + itoa(gloves): {"1"}, "qty-" + itoa(gloves): {"21000"}, "lot-" + itoa(syringes): {"1"}, "qty-" + itoa(syringes): {"5250"}}
	pg := staff.req("POST", "/staff/tenders", badWeight)
	// The same form in English: the problems as the domain wrote them.
	if en := staff.req("POST", "/staff/tenders", badWeight, "Accept-Language", "en"); en.status != http.StatusUnprocessableEntity ||
		!strings.Contains(en.body, "is not a number") || !strings.Contains(en.body, "must not be before contract_from") {
		t.Errorf("English: a bad weight: %d: %s", en.status, mainOf(en.body))
	}
	for _, want := range []string{`href="#title"`, `href="#contract_to"`, `href="#crit-weight-1"`, "er ikke et tal", "må ikke ligge før contract_from"} {
		if pg.status != http.StatusUnprocessableEntity || !strings.Contains(pg.body, want) {
			t.Errorf("a bad weight: %d, the page lacks %s: %s", pg.status, want, mainOf(pg.body))
		}
	}
	var n int64
	s.svc.DB.Raw("SELECT count(*) FROM tenders").Scan(&n)
	if n != 2 {
		t.Errorf("%d tenders after refused forms, want the demo's 2", n)
	}

	tb.set(map[string]string{`#title`: "Handsker og sprøjter " + period, `#crit-weight-1`: "20"})
	tb.submit(`form[action="/staff/tenders"] button[type=submit]`)
	if !strings.Contains(tb.path(), "done=tender-created") {
		t.Fatalf("after create at %s: %s", tb.path(), tb.text("main"))
	}
	var tender int64
	fmt.Sscanf(strings.TrimPrefix(tb.path(), "/staff/tenders/"), "%d", &tender)
	if n := tb.count("section.lot"); n != 2 {
		t.Errorf("%d lots, want gloves and syringes apart", n)
	}
	if st := tb.text("#tender-status"); st != "Kladde" {
		t.Errorf("status %q", st)
	}

	// Published; the suppliers bid through the API; the page shows how
	// many (its htmx poll catches up), never what.
	tb.submit(`#publish`)
	if st := tb.text("#tender-status"); st != "Offentliggjort" || tb.text(".bids-count") != "0" {
		t.Fatalf("after publish: %s, %s bids", st, tb.text(".bids-count"))
	}
	var items []struct{ ID, ProductID int64 }
	s.svc.DB.Raw("SELECT id, product_id FROM tender_lot_items WHERE tender_id = ? ORDER BY id", tender).Scan(&items)
	item := map[int64]int64{}
	for _, it := range items {
		item[it.ProductID] = it.ID
	}
	line := func(product int64, unit, content, price string) map[string]any {
		return map[string]any{"item_id": item[product], "pack_unit": unit, "pack_content": content, "pack_price": price}
	}
	bids := []map[string]any{
		{"values": map[string]string{"delivery_days": "2"}, "items": []any{line(gloves, "BX", "100", "45.00"), line(syringes, "BX", "100", "30.00")}},
		{"values": map[string]string{"delivery_days": "1"}, "items": []any{line(gloves, "BX", "250", "110.00"), line(syringes, "XPK", "50", "14.00")}},
		{"values": map[string]string{"delivery_days": "5"}, "items": []any{line(gloves, "BX", "200", "80.00"), line(syringes, "BX", "100", "31.00")}},
	}
	for i, b := range bids {
		s.bidThroughAPI(t, s.demo.APIKeys[sup[i]], tender, b)
	}
	tb.waitText(".bids-count", func(s string) bool { return s == "3" }, 12*time.Second)
	if strings.Contains(tb.text("main"), "45,00") || tb.count("tr.bid-eval") != 0 {
		t.Error("staff see a sealed bid's content")
	}
	tb.axe()

	// Past the deadline, by the server's clock: the close job from the
	// jobs page, followed until its run has ended.
	var deadline time.Time
	s.svc.DB.Raw("SELECT bid_deadline FROM tenders WHERE id = ?", tender).Scan(&deadline)
	s.clock.Set(deadline.Add(time.Hour))
	tb.open(fmt.Sprintf("/staff/tenders/%d", tender))
	if tb.count(`#bid-count a[href="/staff/jobs"]`) != 1 {
		t.Errorf("past the deadline the page does not point to the jobs: %s", tb.text("#bid-count"))
	}
	tb.submit(`#bid-count a[href="/staff/jobs"]`)
	tb.submit(`#job-tender-close button.run-now`)
	if !strings.HasPrefix(tb.path(), "/staff/jobs/runs/") {
		t.Fatalf("after run now at %s", tb.path())
	}
	tb.waitText(".run-status", func(s string) bool { return s == "Gennemført" || s == "Fejlet" }, 30*time.Second)
	tb.axe()
	if n := tb.text(`[data-count="tenders_closed"]`); n != "1" {
		t.Fatalf("tenders closed %q: %s", n, tb.text("main"))
	}
	tb.open("/staff/jobs")
	if st := tb.text("#job-tender-close .run-status"); st != "Gennemført" {
		t.Errorf("the jobs page shows the last close run %q", st)
	}

	// The evaluation, by hand. Gloves 21000 EA:
	//  A 210 boxes of 100 x 45.00 = 9450.00 (0.45/EA); B 84 x 250 at 110.00 = 9240.00 (0.44);
	//  C 105 x 200 at 80.00 = 8400.00 (0.40). Price score: C 100, B 90.909091, A 88.888889;
	//  x 80/100: C 80, B 72.7272728, A 71.1111112. Delivery (best 1): B 100, A 50, C 20;
	//  x 20/100: B 20, A 10, C 4. Totals: B 92.7272728, C 84, A 81.1111112.
	tb.open(fmt.Sprintf("/staff/tenders/%d", tender))
	var lots []int64
	s.svc.DB.Raw("SELECT id FROM tender_lots WHERE tender_id = ? ORDER BY position", tender).Scan(&lots)
	ranking := eval[[]string](tb, fmt.Sprintf(`[...document.querySelectorAll("#eval-%d tr.bid-eval")].map(r =>
		[".rank", ".supplier", ".evaluated-cost", ".price-score", ".price-points", ".total"].map(c => r.querySelector(c).textContent.trim()).join("|"))`, lots[0]))
	want := []string{
		"1|" + sup[1] + "|9.240,00 kr.|90,909091|72,7272728|92,7272728",
		"2|" + sup[2] + "|8.400,00 kr.|100|80|84",
		"3|" + sup[0] + "|9.450,00 kr.|88,888889|71,1111112|81,1111112",
	}
	if strings.Join(ranking, "\n") != strings.Join(want, "\n") {
		t.Errorf("lot 1 ranking\n%s\nwant\n%s", strings.Join(ranking, "\n"), strings.Join(want, "\n"))
	}
	units := eval[[]string](tb, fmt.Sprintf(`[...document.querySelectorAll("#eval-%d tr.item-eval .unit-price")].map(c => c.textContent.trim())`, lots[0]))
	if strings.Join(units, ",") != "0,44 kr./EA,0,40 kr./EA,0,45 kr./EA" {
		t.Errorf("per-base-unit prices at pooled volume %v", units)
	}

	// Another bid than the top-ranked needs a reason: refused without.
	var second int64
	s.svc.DB.Raw("SELECT b.id FROM bids b JOIN suppliers s ON s.id = b.supplier_id WHERE b.tender_id = ? AND s.name = ?", tender, sup[2]).Scan(&second)
	tb.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#award-%d-%d`, lots[0], second)), chromedp.NodeVisible))
	tb.submit(`#award-button`)
	if tb.count(fmt.Sprintf(`#e-reason-%d`, lots[0])) != 1 || tb.text("#tender-status") != "Lukket" {
		t.Fatalf("an award to rank 2 without a reason: %s", tb.text("main"))
	}
	if tb.attr(fmt.Sprintf(`#award-%d-%d`, lots[0], second), "checked") == "" && !eval[bool](tb, fmt.Sprintf(`document.querySelector("#award-%d-%d").checked`, lots[0], second)) {
		t.Error("the refused choice is not shown again")
	}
	// The default: the top-ranked bid of each lot (B wins the syringes too:
	// 1470.00 is the lowest cost and 1 day the best delivery).
	var first int64
	s.svc.DB.Raw("SELECT b.id FROM bids b JOIN suppliers s ON s.id = b.supplier_id WHERE b.tender_id = ? AND s.name = ?", tender, sup[1]).Scan(&first)
	tb.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#award-%d-%d`, lots[0], first)), chromedp.NodeVisible))
	tb.submit(`#award-button`)
	if !strings.Contains(tb.path(), "done=tender-awarded") || tb.text("#tender-status") != "Tildelt" {
		t.Fatalf("after the award at %s: %s", tb.path(), tb.text("main"))
	}
	awards := eval[[]string](tb, `[...document.querySelectorAll("tr.award-row")].map(r => r.querySelector(".award-supplier").textContent + "|" + r.querySelector(".award-reason").textContent)`)
	if len(awards) != 2 || awards[0] != sup[1]+"|" || awards[1] != sup[1]+"|" {
		t.Errorf("awards %v, want both lots to %s without a reason", awards, sup[1])
	}
	if n, l := tb.count("section.contract"), tb.count("tr.contract-line"); n != 1 || l != 2 {
		t.Errorf("%d contracts with %d lines, want one with gloves and syringes", n, l)
	}
	ocds := eval[string](tb, `fetch(document.querySelector("#ocds").getAttribute("href")).then(r => r.status + " " + r.headers.get("Content-Type"))`, chromedp.EvalAwaitPromise)
	if !strings.HasPrefix(ocds, "200 application/json") {
		t.Errorf("the OCDS download answers %q", ocds)
	}

	// Walled: a supplier and the board do not reach the staff's pages.
	supplier := s.person(t)
	supplier.login(demo.SupplierEmail)
	if pg := supplier.req("POST", fmt.Sprintf("/staff/tenders/%d/award", tender), url.Values{"_csrf": {supplier.csrf}}); pg.status != http.StatusNotFound {
		t.Errorf("a supplier's award: %d", pg.status)
	}
	board := s.person(t)
	board.login(demo.BoardEmail)
	if pg := board.req("POST", "/staff/jobs/tender-close/run", url.Values{"_csrf": {board.csrf}}); pg.status != http.StatusNotFound {
		t.Errorf("the board started a job: %d", pg.status)
	}

	// In English on a phone.
	en := s.tab(t, phone, "en")
	en.open("/login")
	en.login(demo.AdminEmail)
	en.axe()
	en.open(fmt.Sprintf("/staff/tenders/%d", tender))
	if st := en.text("#tender-status"); st != "Awarded" {
		t.Errorf("English status %q", st)
	}
	en.open("/staff/tenders/new?period=" + period)
	en.open("/staff/jobs")
	en.submit(`#job-housekeeping button.run-now`)
	en.waitText(".run-status", func(s string) bool { return s == "Succeeded" }, 30*time.Second)
	en.axe()
}

// tenderScreens gives the staff's tender and job pages something to show: a tender
// closed with three bids (its evaluation and the award form), closed by
// the tender-close job started from the jobs page (a run to show), and the
// demo's awarded tender. It returns the closed and the awarded tender's
// ids and the run's page.
func (s *site) tenderScreens(t *testing.T) (closed, awarded int64, run string) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	now := time.Now().UTC()
	past := s.svc.Tenders.WithClock(func() time.Time { return now.Add(-3 * time.Hour) })
	var gloves int64
	s.svc.DB.Raw("SELECT id FROM products WHERE name LIKE 'Nitrilhandsker%' AND status <> 'merged' ORDER BY id LIMIT 1").Scan(&gloves)
	d := decimal.RequireFromString
	tender, err := past.Create(ctx, domain.TenderInput{Title: "Nitrilhandsker " + now.Format("2006"), Description: "Pudderfri, str. M.",
		ContractFrom: now.AddDate(2, 0, 0), ContractTo: now.AddDate(3, 0, 0), BidDeadline: now.Add(-time.Hour), RebateRate: d("0.02"),
		Criteria: []domain.CriterionInput{{Name: "price", Weight: d("80")}, {Name: "delivery_days", Weight: d("20"), Direction: "lower_is_better"}},
		Lots:     []domain.LotInput{{Title: "Handsker", Items: []domain.LotItemInput{{ProductID: gloves, Quantity: d("21000")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := past.Publish(ctx, tender.ID); err != nil {
		t.Fatal(err)
	}
	var suppliers []int64
	s.svc.DB.Raw("SELECT id FROM suppliers ORDER BY id LIMIT 3").Scan(&suppliers)
	for i, b := range []struct{ content, price, days string }{{"100", "45.00", "2"}, {"250", "110.00", "1"}, {"200", "80.00", "5"}} {
		sup := domain.WithActor(ctx, domain.Actor{Role: domain.RoleSupplier, SupplierID: suppliers[i], Label: "test"})
		if _, _, err := past.SubmitBid(sup, tender.ID, domain.BidInput{Values: map[string]decimal.Decimal{"delivery_days": d(b.days)},
			Items: []domain.BidItemInput{{LotItemID: tender.Lots[0].Items[0].ID, PackUnit: "BX", PackContent: d(b.content), PackPrice: d(b.price)}}}); err != nil {
			t.Fatal(err)
		}
	}
	admin := s.person(t)
	admin.login(demo.AdminEmail)
	pg := admin.req("POST", "/staff/jobs/tender-close/run", url.Values{"_csrf": {admin.csrf}})
	if pg.status != http.StatusSeeOther || !strings.HasPrefix(pg.location, "/staff/jobs/runs/") {
		t.Fatalf("run now: %d %q", pg.status, pg.location)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var status string
		s.svc.DB.Raw("SELECT status FROM tenders WHERE id = ?", tender.ID).Scan(&status)
		var running int64
		s.svc.DB.Raw("SELECT count(*) FROM job_runs WHERE status = 'running'").Scan(&running)
		if status == "closed" && running == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the close job left the tender %s", status)
		}
	}
	s.svc.DB.Raw("SELECT id FROM tenders WHERE status = 'awarded' ORDER BY id LIMIT 1").Scan(&awarded)
	return tender.ID, awarded, pg.location
}
