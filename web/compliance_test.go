package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"andel/internal/demo"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// offContract stores, for the demo practice and another practice, orders
// placed today with off-contract lines whose savings missed are known
// (as order placement records them), and rolls them up:
//
//	practice: product 0, 100.00 off contract while a contract existed, 12.50 missed;
//	          product 1, 40.00 on contract
//	other:    product 0, 60.00 off contract, 7.25 missed
func (s *site) offContract(cat *catalogue) {
	s.t.Helper()
	db := s.svc.DB
	var other int64
	db.Raw("SELECT id FROM members WHERE id <> ? ORDER BY id LIMIT 1", cat.member).Scan(&other)
	today := time.Now().UTC().Format(time.DateOnly)
	for _, o := range []struct {
		member  int64
		product int
		on      bool
		net     string
		missed  string
	}{{cat.member, 0, false, "100.00", "12.50"}, {cat.member, 1, true, "40.00", "0"}, {other, 0, false, "60.00", "7.25"}} {
		var id int64
		if err := db.Raw(`INSERT INTO orders (member_id, supplier_id, status, currency, placed_on, placed_at, placed_by, net_total,
				vat_total, gross_total, baseline_total, savings_total)
			VALUES (?, ?, 'placed', 'DKK', ?, now(), 'test', ?, 0, ?, ?, 0) RETURNING id`,
			o.member, cat.suppliers[0], today, o.net, o.net, o.net).Scan(&id).Error; err != nil {
			s.t.Fatal(err)
		}
		var contractPrice any
		if !o.on {
			contractPrice = "10.00"
		}
		if err := db.Exec(`INSERT INTO order_lines (order_id, member_id, supplier_id, line_no, product_id, category, on_contract,
				pack_unit, pack_content, base_unit, quantity, base_quantity, pack_price, unit_price, baseline_unit_price, baseline_method,
				vat_rate, currency, net_total, vat_total, gross_total, baseline_total, savings, contract_unit_price, missed_savings)
			SELECT ?, ?, ?, 1, p.id, p.category, ?, 'BX', 100, 'EA', 1, 100, ?, ?::numeric / 100, ?::numeric / 100, 'none',
				0.25, 'DKK', ?, 0, ?, ?, 0, ?, ?
			FROM products p WHERE p.id = ?`, id, o.member, cat.suppliers[0], o.on, o.net, o.net, o.net, o.net, o.net, o.net,
			contractPrice, o.missed, cat.products[o.product]).Error; err != nil {
			s.t.Fatal(err)
		}
		db.Exec("INSERT INTO savings_changes (order_id) VALUES (?)", id)
	}
	if _, err := s.svc.Savings.Rollup(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

// TestBoardCompliance: the board reads the compliance page (Danish,
// tablet): totals, per category with its chart (title and description),
// per practice with the same total as the API; the CSV has the same
// numbers, and the .xlsx beside it equals the API to the øre. The practice reads its own (English, phone) with the product it
// buys off contract and what the contract would have saved, and cannot
// open the board's page. axe on every page.
func TestBoardCompliance(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	s.offContract(cat)

	tb := s.tab(t, tablet, "da-DK,da;q=0.9")
	tb.open("/login")
	tb.login(demo.BoardEmail)
	tb.open("/board/compliance")
	if h := tb.text("h1"); h != "Aftaleoverholdelse" {
		t.Errorf("heading %q", h)
	}
	main := tb.text("main")
	for _, want := range []string{"200,00 kr.", "160,00 kr.", "19,75 kr.", "Pr. praksis", "Pr. kategori"} {
		if !strings.Contains(main, want) {
			t.Errorf("board page lacks %q:\n%s", want, main)
		}
	}
	if got := tb.text("#total-missed"); got != "19,75 kr." {
		t.Errorf("per-practice total missed %q", got)
	}
	if tb.count("#members tbody tr") != 2 || tb.count("svg.chart title") < 2 || tb.count("svg.chart desc") != 1 {
		t.Errorf("rows %d, chart titles %d, descs %d", tb.count("#members tbody tr"), tb.count("svg.chart title"), tb.count("svg.chart desc"))
	}
	if tb.count(`nav a[href="/board/compliance"]`) != 1 {
		t.Error("no menu entry")
	}
	csv := eval[string](tb, `fetch(document.querySelector('a[href^="/board/compliance.csv"]').href).then(r => r.text())`, chromedp.EvalAwaitPromise)
	for _, want := range []string{"Mistet besparelse", "200.00,160.00,80.00,", "19.75,DKK"} {
		if !strings.Contains(csv, want) {
			t.Errorf("CSV lacks %q:\n%s", want, csv)
		}
	}
	// The .xlsx beside it: the same rows, and its figures equal the API's
	// for the same range to the øre (per practice and the total).
	href := tb.attr(`a[href^="/board/compliance.xlsx"]`, "href")
	u, err := url.Parse(href)
	if err != nil || href == "" {
		t.Fatalf("no .xlsx link: %q %v", href, err)
	}
	api := s.person(t)
	api.login(demo.BoardEmail)
	x := api.req("GET", href, nil)
	if x.status != http.StatusOK || !strings.HasPrefix(x.ctype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
		t.Fatalf("xlsx: %d %s", x.status, x.ctype)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatal(err)
	}
	xrows, err := f.GetRows(f.GetSheetList()[0], excelize.Options{RawCellValue: true})
	_ = f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pg := api.req("GET", "/api/v1/compliance?from="+u.Query().Get("from")+"&to="+u.Query().Get("to")+"&group_by=member", nil,
		"Accept", "application/json")
	if pg.status != http.StatusOK {
		t.Fatalf("API: %d %s", pg.status, pg.body)
	}
	var rep struct {
		Total  map[string]any   `json:"total"`
		Groups []map[string]any `json:"groups"`
	}
	if err := json.Unmarshal([]byte(pg.body), &rep); err != nil {
		t.Fatal(err)
	}
	cols := []string{"spend", "off_contract_spend", "off_contract_share", "leakage_spend", "missed_savings"}
	same := func(what string, row []string, want map[string]any) {
		t.Helper()
		if len(row) < 3+len(cols) {
			t.Fatalf("xlsx %s row %q", what, row)
		}
		for i, col := range cols {
			if row[3+i] != want[col] {
				t.Errorf("xlsx %s %s = %q, API %v", what, col, row[3+i], want[col])
			}
		}
	}
	// Header, one row per practice, the categories, the total.
	if len(rep.Groups) != 2 || len(xrows) < 1+len(rep.Groups)+1 {
		t.Fatalf("API groups %d, xlsx rows %d", len(rep.Groups), len(xrows))
	}
	for i, g := range rep.Groups {
		if xrows[1+i][1] != g["key"] {
			t.Errorf("xlsx practice row %d key %q, API %v", i, xrows[1+i][1], g["key"])
		}
		same("practice "+xrows[1+i][1], xrows[1+i], g)
	}
	total := xrows[len(xrows)-1]
	if total[0] != "i alt" {
		t.Errorf("last xlsx row %q is not the total", total)
	}
	same("total", total, rep.Total)
	if rep.Total["missed_savings"] != "19.75" || rep.Total["spend"] != "200.00" {
		t.Errorf("API total %v", rep.Total)
	}

	// Another range: nothing, and says so.
	tb.open("/board/compliance?from=2001-01-01&to=2001-12-31")
	if !strings.Contains(tb.text("main"), "Ingen ordrer i perioden") {
		t.Errorf("empty range: %s", tb.text("main"))
	}

	pt := s.tab(t, phone, "en")
	pt.open("/login")
	pt.login(demo.PracticeEmail)
	pt.open("/compliance")
	if h := pt.text("h1"); h != "Your purchases off contract" {
		t.Errorf("practice heading %q", h)
	}
	if got := pt.text("#own-missed"); got != "DKK 12.50" {
		t.Errorf("own missed %q", got)
	}
	row := pt.text("#offproducts tbody tr")
	if !strings.Contains(row, cat.names[0]) || !strings.Contains(row, "DKK 12.50") || pt.count("#offproducts tbody tr") != 1 {
		t.Errorf("off-contract products: %s", row)
	}
	if strings.Contains(pt.text("main"), "7.25") {
		t.Error("the practice sees another practice's figures")
	}
	if pt.count(`nav a[href="/compliance"]`) != 1 {
		t.Error("no menu entry for the practice")
	}
	pt.open("/board/compliance")
	if !strings.Contains(pt.text("main"), "does not exist") {
		t.Errorf("the practice opened the board's page: %s", pt.text("main"))
	}
}
