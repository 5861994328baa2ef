package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// boardSite is the demo cooperative with last year's orders (two a month
// per practice), rolled up, and a draft surplus run for that year
// prepared by the demo admin user.
func boardSite(t *testing.T) (*site, *demo.SurplusSummary) {
	t.Helper()
	s := newSite(t)
	sum, err := demo.SeedSurplus(context.Background(), s.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Savings.Rollup(domain.WithActor(context.Background(), domain.SystemActor("test"))); err != nil {
		t.Fatal(err)
	}
	return s, sum
}

// apiSavings asks GET /api/v1/savings for the range and grouping.
func apiSavings(t *testing.T, p *person, from, to, group string) map[string]any {
	t.Helper()
	q := "/api/v1/savings?from=" + from + "&to=" + to
	if group != "" {
		q += "&group_by=" + group
	}
	pg := p.req("GET", q, nil, "Accept", "application/json")
	if pg.status != http.StatusOK {
		t.Fatalf("%s: %d %s", q, pg.status, pg.body)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(pg.body), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// shownFigure reads a figure as the page writes it ("1.234,50 kr.",
// "12,50 %" in Danish; "DKK 1,234.50", "12.50 %" in English) back to the
// API's form ("1234.50").
func shownFigure(t *testing.T, s string, danish bool) string {
	t.Helper()
	s = strings.TrimSpace(strings.NewReplacer(" kr.", "", " %", "", "DKK ", "", "\u00a0", " ", "−", "-").Replace(s))
	if danish {
		s = strings.ReplaceAll(s, ".", "")
		s = strings.ReplaceAll(s, ",", ".")
	} else {
		s = strings.ReplaceAll(s, ",", "")
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("figure %q: %v", s, err)
	}
	return d.StringFixed(2)
}

// shownRow is a row of figures on a board page (data-group, data-key,
// data-field cells).
type shownRow struct {
	Group  string            `json:"group"`
	Key    string            `json:"key"`
	Total  bool              `json:"total"`
	Shown  bool              `json:"shown"`
	Fields map[string]string `json:"fields"`
}

func shownRows(tb *tab) []shownRow {
	tb.t.Helper()
	raw := eval[string](tb, `JSON.stringify([...document.querySelectorAll("[data-group]")].map(e => ({
		group: e.dataset.group, key: e.dataset.key || "", total: e.hasAttribute("data-total"), shown: e.hasAttribute("data-shown"),
		fields: Object.fromEntries([...e.querySelectorAll("[data-field]")].map(f => [f.dataset.field, f.textContent.trim()]))})))`)
	var rows []shownRow
	if err := json.Unmarshal([]byte(raw), &rows); err != nil {
		tb.t.Fatal(err)
	}
	return rows
}

// apiGroupOf is the API grouping of each table of the pages.
var apiGroupOf = map[string]string{"total": "", "month": "month", "categories": "category", "suppliers": "supplier",
	"clusters": "cluster", "practices": "member"}

// reconcile compares every figure of the rows with GET /api/v1/savings
// for the same range: a group's row with the API's group of that key
// (zero when the API has none: a month without orders), a total row with
// the API's total. It returns how many figures it compared.
func reconcile(t *testing.T, api *person, rows []shownRow, from, to string, danish bool) int {
	t.Helper()
	answers := map[string]map[string]any{}
	n := 0
	for _, r := range rows {
		if r.Shown {
			continue // the sum of a search's rows: checked against its rows
		}
		g, ok := apiGroupOf[r.Group]
		if !ok {
			t.Fatalf("unknown group %q", r.Group)
		}
		ans, ok := answers[g]
		if !ok {
			ans = apiSavings(t, api, from, to, g)
			answers[g] = ans
		}
		want := map[string]any{}
		switch {
		case r.Group == "total" || r.Total:
			want = ans["total"].(map[string]any)
			if r.Group == "total" {
				want["true_up_credits"] = ans["true_up_credits"]
			}
		default:
			for _, x := range ans["groups"].([]any) {
				if gr := x.(map[string]any); gr["key"] == r.Key || (gr["key"] == nil && r.Key == "") {
					want = gr
				}
			}
		}
		if len(r.Fields) < 6 {
			t.Errorf("%s %q: only %d figures", r.Group, r.Key, len(r.Fields))
		}
		for field, text := range r.Fields {
			if field == "cumulative" {
				continue // the running sum of the months above (checked by the sum test)
			}
			w, _ := want[field].(string)
			if w == "" {
				w = "0.00"
			}
			if got := shownFigure(t, text, danish); got != w {
				t.Errorf("%s %q %s: the page shows %q (%s), the API %s", r.Group, r.Key, field, text, got, w)
			}
			n++
		}
	}
	// Every group the API has is on the page (the practices of the
	// dashboard are its top 10 only).
	for g, ans := range answers {
		if g == "" || g == "member" {
			continue
		}
		for _, x := range ans["groups"].([]any) {
			key, _ := x.(map[string]any)["key"].(string)
			found := false
			for _, r := range rows {
				found = found || (apiGroupOf[r.Group] == g && r.Key == key && !r.Total)
			}
			if !found {
				t.Errorf("group_by=%s %q is not on the page", g, key)
			}
		}
	}
	return n
}

// TestBoardSavingsDashboard: the board logs in (sent to the dashboard),
// picks last year, and every figure on the dashboard equals GET
// /api/v1/savings for that range; the practice table's total equals the
// API's total by member, its search (as you type) and sort work, and the
// CSV and .xlsx downloads carry the same figures to the øre. In Danish on
// a tablet, then in English on a phone; axe on every page.
func TestBoardSavingsDashboard(t *testing.T) {
	s, sum := boardSite(t)
	year := strconv.Itoa(sum.Year)
	from, to := year+"-01-01", year+"-12-31"
	api := s.person(t)
	api.login(demo.BoardEmail)

	tb := s.tab(t, tablet, "da-DK,da;q=0.9")
	tb.open("/")
	tb.login(demo.BoardEmail)
	if p := tb.path(); p != "/board/savings" {
		t.Fatalf("the board lands on %s, want /board/savings", p)
	}
	tb.axe()
	tb.submit(`a[data-preset="last-year"]`)
	if p := tb.path(); p != "/board/savings?preset=last-year" {
		t.Fatalf("at %s", p)
	}
	if got := tb.attr(`#from`, "value") + " " + tb.attr(`#to`, "value"); got != from+" "+to {
		t.Fatalf("range %s, want %s %s", got, from, to)
	}
	for _, id := range []string{"chart-months-title", "chart-months-desc", "chart-categories-title", "chart-suppliers-title", "chart-clusters-title"} {
		if tb.count("svg #"+id) != 1 {
			t.Errorf("no chart part #%s", id)
		}
	}
	if n := tb.count(`svg.mchart rect.bar`); n != 13 { // 12 months and the legend
		t.Errorf("%d bars in the month chart, want 12 and the legend's", n)
	}
	rows := shownRows(tb)
	n := reconcile(t, api, rows, from, to, true)
	if n < 100 {
		t.Errorf("only %d figures compared", n)
	}
	total := apiSavings(t, api, from, to, "")["total"].(map[string]any)
	if total["savings"] == "0.00" || total["rebates_accrued"] == "0.00" {
		t.Fatalf("the seeded year saved nothing: %v", total)
	}
	// The months' cumulative column ends at the total savings.
	var cum string
	for _, r := range rows {
		if r.Group == "month" && !r.Total {
			cum = r.Fields["cumulative"]
		}
	}
	if shownFigure(t, cum, true) != total["savings"] {
		t.Errorf("cumulative %s, total savings %v", cum, total["savings"])
	}

	// Every practice: the table's total is the API's total by member.
	tb.submit(`a[href^="/board/savings/practices?"]`)
	members := apiSavings(t, api, from, to, "member")
	if n := tb.count(`#practice-table tbody tr[data-key]`); n != len(members["groups"].([]any)) || n < 10 {
		t.Fatalf("%d practices on the page, the API has %d (at %s: %s)", n, len(members["groups"].([]any)), tb.path(), tb.text("main"))
	}
	reconcile(t, api, shownRows(tb), from, to, true)
	for _, r := range shownRows(tb) {
		if r.Total && shownFigure(t, r.Fields["savings"], true) != members["total"].(map[string]any)["savings"] {
			t.Errorf("practice total %s, API %v", r.Fields["savings"], members["total"])
		}
	}
	// Sorted by spend, smallest first, then largest first (server-side).
	tb.submit(`th a[data-sort="spend"]`)
	spends := func() []decimal.Decimal {
		var out []decimal.Decimal
		for _, r := range shownRows(tb) {
			if !r.Total && !r.Shown {
				out = append(out, decimal.RequireFromString(shownFigure(t, r.Fields["spend"], true)))
			}
		}
		return out
	}
	desc := tb.attr(`th[aria-sort]`, "aria-sort")
	sp := spends()
	for i := 1; i < len(sp); i++ {
		if (desc == "descending" && sp[i].GreaterThan(sp[i-1])) || (desc == "ascending" && sp[i].LessThan(sp[i-1])) {
			t.Fatalf("not sorted %s by spend: %v", desc, sp)
		}
	}
	// Search as you type (htmx swaps the table).
	name := "Lægerne på Amager"
	tb.do(chromedp.SendKeys(chromedp.CSS(`#q`), "amager"),
		chromedp.WaitVisible(chromedp.CSS(`#practice-table tr[data-shown]`)))
	tb.axe()
	if got := tb.text(`#practice-table tbody th[scope=row]`); got != name || tb.count(`#practice-table tbody tr[data-key]`) != 1 {
		t.Errorf("search amager shows %q (%d rows)", got, tb.count(`#practice-table tbody tr[data-key]`))
	}
	if p := tb.path(); !strings.Contains(p, "q=amager") {
		t.Errorf("the search is not in the address: %s", p)
	}

	// Downloads: CSV (Danish Excel) and .xlsx, same figures to the øre.
	q := "from=" + from + "&to=" + to
	for _, table := range []struct{ name, group string }{{"practices", "member"}, {"months", "month"}, {"suppliers", "supplier"}, {"clusters", "cluster"}, {"categories", "category"}} {
		want := apiSavings(t, api, from, to, table.group)
		csvPage := api.req("GET", "/board/savings/export?"+q+"&table="+table.name+"&format=csv", nil)
		if csvPage.status != http.StatusOK || !strings.HasPrefix(csvPage.ctype, "text/csv") || !strings.HasPrefix(csvPage.body, "\ufeff") {
			t.Fatalf("%s CSV: %d %s", table.name, csvPage.status, csvPage.ctype)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvPage.body, "\ufeff")))
		r.Comma = ';'
		records, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		checkExport(t, "CSV "+table.name, records, want, func(s string) string { return strings.Replace(s, ",", ".", 1) })

		x := api.req("GET", "/board/savings/export?"+q+"&table="+table.name+"&format=xlsx", nil)
		if x.status != http.StatusOK {
			t.Fatalf("%s xlsx: %d", table.name, x.status)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
		if err != nil {
			t.Fatal(err)
		}
		xrows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		checkExport(t, "xlsx "+table.name, xrows, want, func(s string) string { return s })
		_ = f.Close()
	}

	// In English the CSV is plain: no byte-order mark, commas, decimal points.
	enCSV := api.req("GET", "/board/savings/export?"+q+"&table=months&format=csv", nil, "Accept-Language", "en")
	if r := csv.NewReader(strings.NewReader(enCSV.body)); strings.HasPrefix(enCSV.body, "\ufeff") || !strings.HasPrefix(enCSV.body, "Key,Name,Spend (DKK)") {
		t.Errorf("English CSV: %q", enCSV.body[:min(80, len(enCSV.body))])
	} else if records, err := r.ReadAll(); err != nil {
		t.Fatal(err)
	} else {
		checkExport(t, "English CSV months", records, apiSavings(t, api, from, to, "month"), func(s string) string { return s })
	}
	// Only the board and staff have these pages: another role gets 404.
	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	for _, p := range []string{"/board/savings", "/board/savings/practices", "/board/savings/export?table=months", "/board/surplus",
		"/board/surplus/" + itoa(sum.RunID)} {
		if pg := nurse.req("GET", p, nil); pg.status != http.StatusNotFound {
			t.Errorf("a practice at %s: %d", p, pg.status)
		}
	}

	// In English on a phone: the dashboard of a quarter, the same figures.
	en := s.tab(t, phone, "en")
	en.open("/login")
	en.login(demo.BoardEmail)
	en.axe()
	en.submit(`a[data-preset="q2-` + year + `"]`)
	if !strings.Contains(en.text("main"), "Savings by quality cluster") {
		t.Errorf("not in English: %s", en.text("h1"))
	}
	reconcile(t, api, shownRows(en), year+"-04-01", year+"-06-30", false)
	// A custom range typed in the form; a bad one is refused (400) with the form kept.
	en.open("/board/savings?from=" + year + "-02-14&to=" + year + "-07-03")
	reconcile(t, api, shownRows(en), year+"-02-14", year+"-07-03", false)
	en.open("/board/savings/practices?from=" + year + "-02-14&to=" + year + "-07-03")
	if pg := api.req("GET", "/board/savings?from="+year+"-07-03&to="+year+"-02-14", nil); pg.status != http.StatusBadRequest || !strings.Contains(pg.body, `role="alert"`) {
		t.Errorf("a reversed range: %d", pg.status)
	}
	// A period without orders: every figure zero, said so.
	en.open("/board/savings?from=2030-01-01&to=2031-06-30")
	if main := en.text("main"); !strings.Contains(main, "No orders in the period") || en.count(`svg.mchart rect.bar`) != 19 {
		t.Errorf("an empty period: %d bars: %s", en.count(`svg.mchart rect.bar`), main)
	}
	reconcile(t, api, shownRows(en), "2030-01-01", "2031-06-30", false)
	en.open("/board/savings?from=2025-13-01&to=x")
	if en.count(`#range-error`) != 1 {
		t.Errorf("no error for a bad range")
	}
	t.Logf("axe checked %d + %d pages", len(tb.visited), len(en.visited))
}

// checkExport compares a download's rows with the API's answer: each
// group's figures, the total row, and the rows' sum equals the total.
func checkExport(t *testing.T, what string, records [][]string, want map[string]any, toPlain func(string) string) {
	t.Helper()
	if len(records) < 3 {
		t.Fatalf("%s: %d rows", what, len(records))
	}
	cols := []string{"spend", "baseline_spend", "savings", "savings_percent", "rebates_accrued", "on_contract_share"}
	groups := map[string]map[string]any{}
	for _, x := range want["groups"].([]any) {
		g := x.(map[string]any)
		k, _ := g["key"].(string)
		groups[k] = g
	}
	sums := map[string]decimal.Decimal{}
	last := records[len(records)-1]
	for _, rec := range records[1 : len(records)-1] {
		g := groups[rec[0]]
		for i, col := range cols {
			v := toPlain(rec[2+i])
			w, _ := g[col].(string)
			if w == "" {
				w = "0.00"
			}
			if v != w {
				t.Errorf("%s %q %s: %s, the API %s", what, rec[0], col, v, w)
			}
			if col != "savings_percent" && col != "on_contract_share" {
				sums[col] = sums[col].Add(decimal.RequireFromString(v))
			}
		}
	}
	total := want["total"].(map[string]any)
	for i, col := range cols {
		if v := toPlain(last[2+i]); v != total[col] {
			t.Errorf("%s total %s: %s, the API %v", what, col, v, total[col])
		}
		if s, ok := sums[col]; ok && s.StringFixed(2) != total[col] {
			t.Errorf("%s: the rows' %s sum to %s, the total is %v", what, col, s.StringFixed(2), total[col])
		}
	}
}

// TestBoardApprovesSurplus: the admin who prepared the demo run opens it
// and presses approve: refused, with the four-eyes rule said, and the
// run stays a draft. The board finds a practice in the allocations, sees
// the totals check pass and approves; after the distribution the page
// links the payout file.
func TestBoardApprovesSurplus(t *testing.T) {
	s, sum := boardSite(t)
	id := itoa(sum.RunID)
	status := func() string {
		var st string
		s.svc.DB.Raw("SELECT status FROM surplus_runs WHERE id = ?", sum.RunID).Scan(&st)
		return st
	}

	staff := s.tab(t, tablet, "da")
	staff.open("/login")
	staff.login(demo.AdminEmail)
	staff.open("/board/surplus/" + id)
	if staff.count(`#preparer-note`) != 1 {
		t.Errorf("the preparer is not told that they cannot approve")
	}
	staff.submit(`form.approve button`)
	if msg := staff.text(`.refused`); !strings.Contains(msg, "fire-øjne-princippet") || !strings.Contains(msg, "selv forberedt") {
		t.Errorf("the preparer's approval: %q", msg)
	}
	if st := status(); st != domain.SurplusDraft {
		t.Fatalf("after the preparer's approve the run is %s", st)
	}
	// Through the router: the refusal is a 403 page, never a change.
	admin := s.person(t)
	admin.login(demo.AdminEmail)
	if pg := admin.req("POST", "/board/surplus/"+id+"/approve", url.Values{"_csrf": {admin.csrf}}); pg.status != http.StatusForbidden {
		t.Errorf("the preparer's approve: %d", pg.status)
	}

	board := s.tab(t, tablet, "da")
	board.open("/login")
	board.login(demo.BoardEmail)
	board.open("/board/surplus")
	board.submit(`a[href="/board/surplus/` + id + `"]`)
	if board.count(`#preparer-note`) != 0 {
		t.Errorf("the board is told it prepared the run")
	}
	check := board.text(`#totals-check`)
	if !strings.Contains(check, "Stemmer") || board.count(`#totals-check.check-ok`) != 1 {
		t.Errorf("totals check: %q", check)
	}
	run, err := s.svc.Surplus.Get(domain.WithActor(context.Background(), domain.SystemActor("test")), sum.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if got := shownFigure(t, board.text(`#allocated-total`), true); got != run.Distributable.StringFixed(2) {
		t.Errorf("allocations total %s, distributable %s", got, run.Distributable.StringFixed(2))
	}
	all := board.count(`tr.allocation-row`)
	if all < 10 {
		t.Fatalf("%d allocations shown", all)
	}
	board.do(chromedp.SendKeys(chromedp.CSS(`#q`), "Viby"),
		chromedp.WaitNotPresent(chromedp.CSS(`tr.allocation-row:nth-of-type(2)`)))
	board.axe()
	if got := board.text(`tr.allocation-row th`); !strings.Contains(got, "Viby Lægehus") {
		t.Errorf("search Viby: %q", got)
	}
	board.submit(`form.approve button`)
	if p := board.path(); p != "/board/surplus/"+id+"?done=surplus-approved" {
		t.Fatalf("after approve at %s: %s", p, board.text("main"))
	}
	if st := status(); st != domain.SurplusApproved {
		t.Fatalf("the run is %s after the board's approval", st)
	}
	if !strings.Contains(board.text(`#approved-by`), demo.BoardEmail) || board.count(`form.approve`) != 0 {
		t.Errorf("approved: %q", board.text(`#approved-by`))
	}
	if board.count(`.payout-file`) != 0 {
		t.Errorf("a payout file before the distribution")
	}

	if _, err := s.svc.Surplus.Distribute(domain.WithActor(context.Background(), domain.SystemActor("test")), sum.RunID, domain.DistributeOptions{}); err != nil {
		t.Fatal(err)
	}
	board.open("/board/surplus/" + id)
	href := board.attr(`a.payout-file`, "href")
	boardAPI := s.person(t)
	boardAPI.login(demo.BoardEmail)
	file := boardAPI.req("GET", href, nil)
	if file.status != http.StatusOK || !strings.Contains(file.body, "TOTAL") {
		t.Errorf("payout file %s: %d %s", href, file.status, file.body)
	}
}
