package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
)

// clusterPurchases gives the demo practices something to compare this
// month: the six of Klynge København each buy the first EA product at a
// price of their own (100,000 units at 0.40 + 0.02 x i, baseline 0.60), three of
// Klynge Østjylland buy too (too few to show); then the rollup runs.
func (s *site) clusterPurchases() (product string) {
	s.t.Helper()
	db := s.svc.DB
	var members []struct {
		ID             int64
		QualityCluster string
	}
	db.Raw("SELECT id, quality_cluster FROM members ORDER BY id").Scan(&members)
	var prod struct {
		ID       int64
		Category string
	}
	db.Raw("SELECT id, category FROM products WHERE base_unit = 'EA' ORDER BY id LIMIT 1").Scan(&prod)
	var supplier int64
	db.Raw("SELECT min(id) FROM suppliers").Scan(&supplier)
	now := time.Now().UTC()
	day := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	east := 0
	for i, m := range members {
		if m.QualityCluster != "Klynge København" {
			if east++; east > 3 {
				continue
			}
		}
		price := decimal.New(40+2*int64(i), -2)
		// Large enough that the screenshots' shop orders do not dominate.
		qty := decimal.NewFromInt(100_000)
		net, base := price.Mul(qty), decimal.RequireFromString("0.60").Mul(qty)
		var order int64
		if err := db.Raw(`INSERT INTO orders (member_id, supplier_id, status, currency, placed_on, net_total, vat_total, gross_total,
				baseline_total, savings_total) VALUES (?, ?, 'delivered', 'DKK', ?, ?, 0, ?, ?, ?) RETURNING id`,
			m.ID, supplier, day, net, net, base, base.Sub(net)).Scan(&order).Error; err != nil {
			s.t.Fatal(err)
		}
		if err := db.Exec(`INSERT INTO order_lines (order_id, member_id, supplier_id, line_no, product_id, category, on_contract,
				pack_unit, pack_content, base_unit, quantity, base_quantity, pack_price, unit_price, baseline_unit_price, baseline_method,
				vat_rate, currency, net_total, vat_total, gross_total, baseline_total, savings)
			VALUES (?, ?, ?, 1, ?, ?, ?, 'EA', 1, 'EA', ?, ?, ?, ?, 0.60, 'median_list_price', 0.25, 'DKK', ?, 0, ?, ?, ?)`,
			order, m.ID, supplier, prod.ID, prod.Category, i%2 == 0, qty.IntPart(), qty, price, price, net, net, base, base.Sub(net)).Error; err != nil {
			s.t.Fatal(err)
		}
		db.Exec("INSERT INTO savings_changes (order_id) VALUES (?)", order)
	}
	if _, err := s.svc.Savings.Rollup(domain.WithActor(context.Background(), domain.SystemActor("test"))); err != nil {
		s.t.Fatal(err)
	}
	return prod.Category
}

// TestComparePages: the practice (Danish, tablet) finds "Sammenlign" in
// its menu and sees its position in its cluster as a table and a chart,
// changes the period without JavaScript, and cannot open the board's
// page; the board (English, phone) compares the clusters, one of them
// suppressed with the reason, and narrows to a category. Axe on every page.
func TestComparePages(t *testing.T) {
	s := newSite(t)
	category := s.clusterPurchases()

	tb := s.tab(t, tablet, "da-DK,da;q=0.9")
	tb.open("/login")
	tb.login(demo.PracticeEmail)
	tb.open("/shop")
	if n := tb.count(`nav a[href="/compare"]`); n != 1 || !strings.Contains(tb.text("nav"), "Sammenlign") {
		t.Fatalf("the practice's menu has no Sammenlign: %s", tb.text("nav"))
	}
	tb.open("/compare")
	main := tb.text("main")
	// Vesterbro (the demo practice) paid 0,40 kr., the cheapest of six:
	// median (0,44 + 0,46) / 2 = 0,45 kr.
	for _, want := range []string{"Sammenlign med din klynge", "Klynge København", category, "0,40 kr.", "0,45 kr.",
		"Billigste fjerdedel", "mindst 5 praksisser"} {
		if !strings.Contains(main, want) {
			t.Errorf("compare page lacks %q: %s", want, main)
		}
	}
	if tb.count("svg.chart title") == 0 || tb.count("svg.chart desc") != 1 || tb.count("svg.chart rect.bar") != 1 {
		t.Errorf("chart: %d titles, %d bars", tb.count("svg.chart title"), tb.count("svg.chart rect.bar"))
	}
	if href := tb.attr(`a[href*="data-package"][href*="format=pdf"]`, "href"); !strings.Contains(href, "/api/v1/clusters/Klynge%20K%C3%B8benhavn/data-package") {
		t.Errorf("package link %s", href)
	}
	// Another period, by the form (GET, no script needed).
	last := strconv.Itoa(time.Now().UTC().Year() - 1)
	tb.do(chromedp.SetValue(chromedp.CSS(`#period`), last))
	tb.submit(`form[action="/compare"] button`)
	if p := tb.path(); p != "/compare?period="+last {
		t.Errorf("after choosing %s at %s", last, p)
	}
	tb.axe()
	if !strings.Contains(tb.text("main"), "Hverken I eller jeres klynge") {
		t.Errorf("last year: %s", tb.text("main"))
	}
	tb.open("/board/clusters")
	if !strings.Contains(tb.text("main"), "findes ikke") {
		t.Errorf("a practice opened the board's page: %s", tb.text("main"))
	}

	bd := s.tab(t, phone, "en")
	bd.open("/login")
	bd.login(demo.BoardEmail)
	bd.open("/board/clusters")
	main = bd.text("main")
	for _, want := range []string{"Clusters compared", "Klynge København", "Klynge Østjylland", "Hidden: fewer than 5 practices",
		"The whole cooperative", "2 clusters bought in the period; the figures of 1 can be shown"} {
		if !strings.Contains(main, want) {
			t.Errorf("board page lacks %q: %s", want, main)
		}
	}
	if bd.count("svg.chart rect.bar") != 1 || bd.count("svg.chart desc") != 1 {
		t.Errorf("board chart bars %d", bd.count("svg.chart rect.bar"))
	}
	bd.do(chromedp.SetValue(chromedp.CSS(`#category`), category))
	bd.submit(`form[action="/board/clusters"] button`)
	if p := bd.path(); !strings.Contains(p, "category="+category) {
		t.Errorf("after choosing a category at %s", p)
	}
	bd.axe()
	// One product in EA: the median per unit is shown (0,45 -> 0.45 kr.).
	if main := bd.text("main"); !strings.Contains(main, "0.45") {
		t.Errorf("board category page: %s", main)
	}
}
