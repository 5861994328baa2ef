package web_test

import (
	"context"
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

// scorecardHistory gives the demo supplier (the supplier login's) a March
// 2024, when the demo has nothing, whose scorecard is computed by hand:
//
// Orders (placed -> confirmed -> delivered, promised days):
//
//	1  03-04 10:00 -> 12:00 (2 h)        -> 03-06 12:00, 2 days: on time (at the limit)
//	2  03-05 10:00 -> 03-06 09:00 (23 h) -> 03-10 09:00, 3 days: late (limit 03-09 09:00)
//	3  03-07 10:00 -> 03-08 14:00 (28 h) -> 03-09 14:00, 2 days: on time
//	4  03-08 10:00 -> 11:00 (1 h), shipped, 2 days
//	5  03-11 10:00 rejected
//	6  03-12 10:00 cancelled by the practice: not counted
//	7  03-13 10:00 -> 10:30 (0.5 h) -> 03-14 10:00, no promise
//
// On time: 2 of 3 delivered with a promise = 66.67. Rejections: 1 of 6
// = 16.67 %, score 83.33. Response: 4 of 5 confirmed within 24 h = 80;
// times 1800, 3600, 7200, 82800, 100800 s: median (nearest rank) 7200 s
// = 2 h 0 min, p90 100800 s = 28 h 0 min. Price lists: 5, 2 rejected =
// 40 %; 10 warnings in 2,000 lines = 5 per 1,000: (100 - 40) x (1000 -
// 5) / 1000 = 59.70. Tender: lot A (3 lines) of 5 lines bid = 60.
//
// Weights 30/20/20/15/15: 66.67x30 + 83.33x20 + 80x20 + 59.70x15 + 60x15
// = 2000.10 + 1666.60 + 1600 + 895.50 + 900 = 7062.20; / 100 = 70.62.
// Weights 40/10/10/20/20: 2666.80 + 833.30 + 800 + 1194.00 + 1200 =
// 6694.10; / 100 = 66.94.
func (s *site) scorecardHistory() (own, other int64) {
	s.t.Helper()
	db := s.svc.DB
	db.Raw("SELECT supplier_id FROM users WHERE email = ?", demo.SupplierEmail).Scan(&own)
	db.Raw("SELECT id FROM suppliers WHERE id <> ? ORDER BY id LIMIT 1", own).Scan(&other)
	var member int64
	db.Raw("SELECT min(id) FROM members").Scan(&member)
	if own == 0 || other == 0 || member == 0 {
		s.t.Fatal("setup: no demo supplier or member")
	}
	exec := func(sql string, args ...any) {
		s.t.Helper()
		if err := db.Exec(sql, args...).Error; err != nil {
			s.t.Fatalf("%s: %v", sql, err)
		}
	}
	at := func(v string) *string {
		if v == "" {
			return nil
		}
		v = "2024-03-" + v + "Z"
		return &v
	}
	for _, o := range []struct{ status, placed, confirmed, delivered, promised string }{
		{"delivered", "04 10:00", "04 12:00", "06 12:00", "2"},
		{"delivered", "05 10:00", "06 09:00", "10 09:00", "3"},
		{"delivered", "07 10:00", "08 14:00", "09 14:00", "2"},
		{"shipped", "08 10:00", "08 11:00", "", "2"},
		{"rejected", "11 10:00", "", "", ""},
		{"cancelled", "12 10:00", "12 10:05", "", "2"},
		{"delivered", "13 10:00", "13 10:30", "14 10:00", ""},
	} {
		var promised *string
		if o.promised != "" {
			promised = &o.promised
		}
		placed := at(o.placed)
		exec(`INSERT INTO orders (member_id, supplier_id, status, currency, placed_on, placed_at, placed_by, net_total, vat_total,
				gross_total, baseline_total, savings_total, confirmed_at, delivered_at, promised_days)
			VALUES (?, ?, ?, 'DKK', (?::timestamptz)::date, ?::timestamptz, 'test', 0, 0, 0, 0, 0, ?::timestamptz, ?::timestamptz, ?::numeric)`,
			member, own, o.status, *placed, *placed, at(o.confirmed), at(o.delivered), promised)
	}
	exec("INSERT INTO savings_changes (order_id) SELECT id FROM orders WHERE supplier_id = ? AND placed_on < '2025-01-01'", own)
	if _, err := s.svc.Savings.Rollup(context.Background()); err != nil {
		s.t.Fatal(err)
	}
	for i, pl := range []struct {
		status         string
		rows, warnings int64
	}{{"active", 1000, 4}, {"superseded", 500, 1}, {"rejected", 0, 0}, {"active", 500, 5}, {"rejected", 0, 0}} {
		exec(`INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, status, created_by, created_at,
				rows_read, warning_count)
			VALUES (?, 'csv', 'text/csv', sha256(?::bytea), 0, ?, 'test', ?::timestamptz, ?, ?)`,
			own, "scorecard list "+string(rune('a'+i)), pl.status, "2024-03-1"+string(rune('0'+i))+" 08:00Z", pl.rows, pl.warnings)
	}

	// A tender with its deadline in March: lot A (3 lines) and lot B (2).
	var products []int64
	db.Raw("SELECT id FROM products WHERE status = 'active' AND base_unit = 'EA' ORDER BY id LIMIT 5").Scan(&products)
	if len(products) < 5 {
		s.t.Fatalf("demo products with EA: %v", products)
	}
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	d := decimal.RequireFromString
	s.clock.Set(time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC))
	defer s.clock.Reset()
	var items []domain.LotItemInput
	for _, p := range products {
		items = append(items, domain.LotItemInput{ProductID: p, Quantity: d("1000")})
	}
	tender, err := s.svc.Tenders.Create(admin, domain.TenderInput{Title: "Handsker 2024",
		ContractFrom: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), ContractTo: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC),
		BidDeadline: time.Date(2024, 3, 15, 12, 0, 0, 0, time.UTC), Criteria: []domain.CriterionInput{{Name: "price", Weight: d("100")}},
		Lots: []domain.LotInput{{Title: "Lot A", Items: items[:3]}, {Title: "Lot B", Items: items[3:]}}})
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.Tenders.Publish(admin, tender.ID); err != nil {
		s.t.Fatal(err)
	}
	in := domain.BidInput{}
	for _, it := range tender.Lots[0].Items {
		in.Items = append(in.Items, domain.BidItemInput{LotItemID: it.ID, PackUnit: "BX", PackContent: d("100"), PackPrice: d("40.00")})
	}
	sup := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleSupplier, SupplierID: own, Label: "test"})
	if _, _, err := s.svc.Tenders.SubmitBid(sup, tender.ID, in); err != nil {
		s.t.Fatal(err)
	}
	s.clock.Set(time.Date(2024, 3, 16, 9, 0, 0, 0, time.UTC))
	if _, err := s.svc.Tenders.CloseDue(admin); err != nil {
		s.t.Fatal(err)
	}
	return own, other
}

// TestScorecardPages: the board reads the suppliers' scorecards for March
// 2024 (Danish, tablet), the demo supplier's total and parts as computed
// by hand in scorecardHistory, opens its scorecard with every part's
// inputs, weight and score, and changes the period with the chooser; the
// supplier reads its own (English, phone) and gets the 404 page for
// another's; staff are refused weights summing to 90 (422, nothing
// stored) and then set weights summing to 100, and the total changes as
// computed by hand. axe on every page, in both languages and at both
// sizes.
func TestScorecardPages(t *testing.T) {
	s := newSite(t)
	own, other := s.scorecardHistory()
	card := func(tb *tab, lang string) {
		t.Helper()
		da := lang == "da"
		pick := func(dk, en string) string {
			if da {
				return dk
			}
			return en
		}
		want := map[string][2]string{ // part: score, weight
			"on_time": {pick("66,67", "66.67"), "30"}, "rejections": {pick("83,33", "83.33"), "20"}, "response": {"80", "20"},
			"price_lists": {pick("59,7", "59.7"), "15"}, "tenders": {"60", "15"},
		}
		for part, w := range want {
			row := `#parts-table tr[data-part="` + part + `"]`
			if got := tb.text(row + " .score"); got != w[0] {
				t.Errorf("%s %s score %q, want %s", lang, part, got, w[0])
			}
			if got := tb.text(row + " .weight"); got != w[1] {
				t.Errorf("%s %s weight %q, want %s", lang, part, got, w[1])
			}
		}
		if got := tb.text("#total"); got != pick("70,62", "70.62") {
			t.Errorf("%s total %q, want 70.62", lang, got)
		}
		inputs := map[string]string{
			"on_time":     pick("2 af 3 leverede ordrer", "2 of 3 delivered orders"),
			"rejections":  pick("1 af 6 ordrer afvist (afvisningsrate 16,67 %)", "1 of 6 orders rejected (rejection rate 16.67%)"),
			"response":    pick("4 af 5 bekræftede ordrer bekræftet inden for 24 timer (80 %). Median 2 t 0 min, 90 %-fraktil 28 t 0 min", "4 of 5 confirmed orders confirmed within 24 hours (80%). Median 2 h 0 min, 90th percentile 28 h 0 min"),
			"price_lists": pick("5 prislister, 2 afvist (40 %); 10 advarsler i 2.000 læste linjer (5 pr. 1.000 linjer)", "5 price lists, 2 rejected (40%); 10 warnings in 2,000 lines read (5 per 1,000 lines)"),
			"tenders":     pick("3 af 5 udbudslinjer prissat (udbud budt på: 1)", "3 of 5 tender lines priced (tenders bid on: 1)"),
		}
		for part, w := range inputs {
			if got := tb.text(`#parts-table tr[data-part="` + part + `"] .inputs`); !strings.Contains(got, w) {
				t.Errorf("%s %s inputs %q, want %q", lang, part, got, w)
			}
		}
		if got := tb.text("#weighted-sum"); got != pick("7.062,2", "7,062.2") {
			t.Errorf("%s weighted sum %q", lang, got)
		}
		if got := tb.text("#weights-sum"); got != "100" {
			t.Errorf("%s weights %q", lang, got)
		}
		if got, w := tb.text("#response-median"), pick("2 t 0 min", "2 h 0 min"); got != w {
			t.Errorf("%s median %q, want %q", lang, got, w)
		}
		if got, w := tb.text("#response-p90"), pick("28 t 0 min", "28 h 0 min"); got != w {
			t.Errorf("%s p90 %q, want %q", lang, got, w)
		}
		if strings.Contains(tb.text("main"), "MISSING") {
			t.Errorf("%s: a message is malformed: %s", lang, tb.text("main"))
		}
		if !strings.Contains(tb.text("main"), "Handsker 2024") {
			t.Errorf("%s: the tender is not listed", lang)
		}
	}

	// The board: the list, sortable, with a chart; then the supplier.
	board := s.tab(t, tablet, "da-DK,da;q=0.9")
	board.open("/login")
	board.login(demo.BoardEmail)
	board.open("/board/scorecards?period=2024-03")
	row := `#scorecard-table tr[data-supplier="` + itoa(own) + `"]`
	if got := board.text(row + " .total"); got != "70,62" {
		t.Errorf("board list total %q, want 70,62", got)
	}
	if got := board.text(row + ` td[data-part="price_lists"]`); got != "59,7" {
		t.Errorf("board list price lists %q", got)
	}
	if got := board.text(`#scorecard-table tr[data-supplier="` + itoa(other) + `"] .total`); got != "–" {
		t.Errorf("a supplier without history shows %q", got)
	}
	if board.count("svg.chart title") != 2 || board.count("svg.chart desc") != 1 || board.count("svg.chart rect.bar") != 1 {
		t.Errorf("chart: titles %d, descs %d, bars %d", board.count("svg.chart title"), board.count("svg.chart desc"), board.count("svg.chart rect.bar"))
	}
	if got := eval[string](board, `document.querySelector("svg.chart text.value").textContent`); got != "70,62" {
		t.Errorf("chart value %q, table 70,62", got)
	}
	if board.attr(`th[aria-sort] a`, "data-sort") != "score" || board.count(`#scorecard-table tbody tr:first-child[data-supplier="`+itoa(own)+`"]`) != 1 {
		t.Error("not sorted by total, highest first")
	}
	if board.count(`nav a[href="/board/scorecards"][aria-current="page"]`) != 1 {
		t.Error("no current menu entry")
	}
	board.submit(`a[data-sort="name"]`)
	if !strings.Contains(board.path(), "sort=name") || board.attr(`th[aria-sort] a`, "data-sort") != "name" {
		t.Errorf("sort by name: %s", board.path())
	}
	board.submit(row + " th a")
	if board.path() != "/board/scorecards/"+itoa(own)+"?period=2024-03" {
		t.Errorf("supplier link went to %s", board.path())
	}
	card(board, "da")
	// The chooser: the first quarter holds the same month.
	board.do(chromedp.SetValue(chromedp.CSS(`#period`), "2024-Q1"))
	board.submit(`#period-form button[type=submit]`)
	if board.path() != "/board/scorecards/"+itoa(own)+"?period=2024-Q1" || board.text("#total") != "70,62" {
		t.Errorf("quarter: %s total %q", board.path(), board.text("#total"))
	}
	board.open("/board/scorecards/" + itoa(own) + "?period=2024-05")
	if got := board.text("#total"); !strings.Contains(got, "Intet samlet pointtal") {
		t.Errorf("May 2024: %q", got)
	}
	board.open("/board/scorecards/" + itoa(own) + "?period=2024-7")
	if board.count("#period-err") != 1 || board.count("#total") != 0 {
		t.Error("a bad period is not marked at the chooser")
	}
	boardEN := s.tab(t, phone, "en")
	boardEN.open("/login")
	boardEN.login(demo.BoardEmail)
	boardEN.open("/board/scorecards?period=2024-03")
	if got := boardEN.text(row + " .total"); got != "70.62" {
		t.Errorf("board list (en) total %q", got)
	}
	// On a phone the table is cards: the chooser sorts too.
	boardEN.do(chromedp.SetValue(chromedp.CSS(`#sort`), "name"), chromedp.SetValue(chromedp.CSS(`#dir`), "desc"))
	boardEN.submit(`#period-form button[type=submit]`)
	if p := boardEN.path(); !strings.Contains(p, "sort=name") || !strings.Contains(p, "dir=desc") || !strings.Contains(p, "period=2024-03") {
		t.Errorf("sorted with the chooser: %s", p)
	}
	names := eval[[]string](boardEN, `[...document.querySelectorAll("#scorecard-table tbody th")].map(e => e.textContent.trim())`)
	if len(names) != 3 || !(names[0] > names[1] && names[1] > names[2]) {
		t.Errorf("names descending: %q", names)
	}
	boardEN.open("/board/scorecards/" + itoa(own) + "?period=2024-03")
	card(boardEN, "en")

	api := s.person(t)
	api.login(demo.BoardEmail)
	if pg := api.req("GET", "/board/scorecards/"+itoa(own)+"?period=2024-7", nil); pg.status != http.StatusUnprocessableEntity {
		t.Errorf("bad period: %d", pg.status)
	}
	if pg := api.req("GET", "/board/scorecards?period=2024-13", nil); pg.status != http.StatusUnprocessableEntity {
		t.Errorf("bad period in the list: %d", pg.status)
	}
	if pg := api.req("GET", "/staff/scorecard-weights", nil); pg.status != http.StatusNotFound {
		t.Errorf("the board opened the weights form: %d", pg.status)
	}

	// The supplier: its own, and never another's.
	sup := s.tab(t, phone, "en")
	sup.open("/login")
	sup.login(demo.SupplierEmail)
	sup.open("/supplier/scorecard?period=2024-03")
	card(sup, "en")
	if sup.count(`nav a[href="/supplier/scorecard"]`) != 1 {
		t.Error("no menu entry for the supplier")
	}
	sup.open("/supplier/scorecard/" + itoa(own) + "?period=2024-03")
	if sup.text("#total") != "70.62" {
		t.Errorf("own by id: %q", sup.text("#total"))
	}
	sup.open("/supplier/scorecard/" + itoa(other) + "?period=2024-03")
	if !strings.Contains(sup.text("main"), "does not exist") || sup.count("#total") != 0 {
		t.Errorf("the supplier opened another's scorecard: %s", sup.text("main"))
	}
	supDA := s.tab(t, tablet, "da")
	supDA.open("/login")
	supDA.login(demo.SupplierEmail)
	supDA.open("/supplier/scorecard?period=2024-03")
	card(supDA, "da")
	sp := s.person(t)
	sp.login(demo.SupplierEmail)
	for _, path := range []string{"/supplier/scorecard/" + itoa(other) + "?period=2024-03", "/board/scorecards/" + itoa(own),
		"/staff/suppliers/" + itoa(own) + "/scorecard"} {
		if pg := sp.req("GET", path, nil); pg.status != http.StatusNotFound {
			t.Errorf("supplier %s: %d", path, pg.status)
		}
	}

	// Staff: from the supplier's page to its scorecard; the weights.
	staff := s.tab(t, phone, "da")
	staff.open("/login")
	staff.login(demo.AdminEmail)
	staff.open("/staff/suppliers/" + itoa(own))
	staff.submit(`a[href="/staff/suppliers/` + itoa(own) + `/scorecard"]`)
	staff.open("/staff/suppliers/" + itoa(own) + "/scorecard?period=2024-03")
	card(staff, "da")
	staff.open("/staff/scorecards?period=2024-03")
	if got := staff.text(row + " .total"); got != "70,62" {
		t.Errorf("staff list total %q", got)
	}
	staff.open("/staff/scorecard-weights")
	set := func(w [5]string) {
		t.Helper()
		for i, part := range domain.ScorecardParts {
			staff.do(chromedp.SetValue(chromedp.CSS(`#w-`+part), w[i]))
		}
		staff.submit(`form[action="/staff/scorecard-weights"] button[type=submit]`)
	}
	set([5]string{"40", "10", "10", "20", "10"})
	if got := staff.text("#w-weights-err"); !strings.Contains(got, "90") {
		t.Errorf("sum of 90: %q", got)
	}
	if staff.attr("#w-tenders", "value") != "10" || staff.count(`div.error[role=alert] a[href="#w-weights"]`) != 1 {
		t.Error("the refused form does not keep what was typed or list the problem")
	}
	var stored int
	s.svc.DB.Raw("SELECT on_time FROM scorecard_weights").Scan(&stored)
	if stored != 30 {
		t.Errorf("a refused form stored weights: on_time %d", stored)
	}
	staffAPI := s.person(t)
	staffAPI.login(demo.AdminEmail)
	staffAPI.req("GET", "/staff/scorecard-weights", nil)
	if pg := staffAPI.req("POST", "/staff/scorecard-weights", url.Values{"_csrf": {staffAPI.csrf}, "on_time": {"40"},
		"rejections": {"10"}, "response": {"10"}, "price_lists": {"20"}, "tenders": {"10"}}); pg.status != http.StatusUnprocessableEntity {
		t.Errorf("sum of 90 answered %d", pg.status)
	}
	if pg := staffAPI.req("POST", "/staff/scorecard-weights", url.Values{"_csrf": {staffAPI.csrf}, "on_time": {"x"},
		"rejections": {"10"}, "response": {"10"}, "price_lists": {"20"}, "tenders": {"101"}}); pg.status != http.StatusUnprocessableEntity ||
		strings.Count(pg.body, `class="error" id="w-`) != 2 {
		t.Errorf("not whole numbers answered %d", pg.status)
	}
	set([5]string{"40", "10", "10", "20", "20"})
	if !strings.Contains(staff.text("main"), "Vægtene er gemt") {
		t.Errorf("no notice after saving: %s", staff.text("main"))
	}
	staff.open("/staff/suppliers/" + itoa(own) + "/scorecard?period=2024-03")
	if got := staff.text("#total"); got != "66,94" {
		t.Errorf("total after the new weights %q, want 66,94", got)
	}
	if got := staff.text("#weighted-sum"); got != "6.694,1" {
		t.Errorf("weighted sum after the new weights %q", got)
	}
	staffEN := s.tab(t, tablet, "en")
	staffEN.open("/login")
	staffEN.login(demo.AdminEmail)
	staffEN.open("/staff/scorecard-weights")
	if staffEN.attr("#w-on_time", "value") != "40" {
		t.Error("the weights form does not show the stored weights")
	}
	staffEN.open("/staff/scorecards?period=2024-03")
	if got := staffEN.text(row + " .total"); got != "66.94" {
		t.Errorf("staff list (en) total %q", got)
	}
}
