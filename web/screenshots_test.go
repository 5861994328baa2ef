package web_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"andel/internal/demo"

	"github.com/chromedp/chromedp"
)

// TestScreenshots writes a PNG of every page of every role, in both
// languages, at tablet and phone width, into $ANDEL_SCREENSHOTS (make
// screenshots: screenshots/, ignored by git). Without the variable it is
// skipped. Pages are also checked with axe on the way.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("ANDEL_SCREENSHOTS")
	if dir == "" {
		t.Skip("ANDEL_SCREENSHOTS is not set (make screenshots sets it)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := newSite(t)
	cat := s.catalogue()
	// Something in every page: an order placed, a list, items in the cart.
	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	for i := range cat.products {
		nurse.req("POST", "/cart", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[i])}, "offer_id": {itoa(cat.offers[i])}, "quantity": {"4"}})
	}
	key := strings.SplitN(strings.SplitN(nurse.req("GET", "/cart", nil).body, `name="key" value="`, 2)[1], `"`, 2)[0]
	placed := nurse.req("POST", "/checkout", url.Values{"_csrf": {nurse.csrf}, "key": {key}}).location
	nurse.req("POST", "/lists", url.Values{"_csrf": {nurse.csrf}, "name": {"Månedlig bestilling"}})
	var listID, orderID int64
	s.svc.DB.Raw("SELECT id FROM standard_lists ORDER BY id LIMIT 1").Scan(&listID)
	s.svc.DB.Raw("SELECT id FROM orders ORDER BY id LIMIT 1").Scan(&orderID)
	nurse.req("POST", "/lists/"+itoa(listID)+"/lines", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[0])}, "offer_id": {itoa(cat.offers[0])}, "quantity": {"2"}})
	nurse.req("POST", "/cart", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[1])}, "offer_id": {itoa(cat.offers[1])}, "quantity": {"1"}})
	// The board's pages: last year's orders and a draft surplus run.
	surplus, err := demo.SeedSurplus(context.Background(), s.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Savings.Rollup(context.Background()); err != nil {
		t.Fatal(err)
	}
	badList, tender := s.supplierScreens(t)
	staff := s.staffScreens(t, badList)
	closed, awarded, run := s.tenderScreens(t)
	draft := s.draftTender(t)
	staff = append(staff, []struct{ name, path string }{
		{"tender-draft", "/staff/tenders/" + itoa(draft)}, {"tender-edit", "/staff/tenders/" + itoa(draft) + "/edit"},
		{"tenders", "/staff/tenders"}, {"tender-new", "/staff/tenders/new"},
		{"tender-demand", "/staff/tenders/new?period=" + strconv.Itoa(time.Now().Year()+1)},
		{"tender-published", "/staff/tenders/" + itoa(tender)}, {"tender-evaluation", "/staff/tenders/" + itoa(closed)},
		{"tender-awarded", "/staff/tenders/" + itoa(awarded)}, {"jobs", "/staff/jobs"}, {"job-run", run},
		{"surplus-new", "/board/surplus/new"}, {"surplus-draft", "/board/surplus/" + itoa(surplus.RunID)},
	}...)
	s.clusterPurchases()
	diffList := s.diffScreens(t)
	s.offContract(cat)
	scored, _ := s.scorecardHistory() // March 2024 of the demo supplier
	sc := "?period=2024-03"
	staff = append(staff, []struct{ name, path string }{
		{"scorecards", "/staff/scorecards" + sc}, {"scorecard", "/staff/suppliers/" + itoa(scored) + "/scorecard" + sc},
		{"scorecard-weights", "/staff/scorecard-weights"},
	}...)

	pages := map[string][]struct{ name, path string }{
		"anonymous": {{"login", "/login"}, {"notfound", "/no-such-page"}},
		demo.PracticeEmail: {
			{"shop", "/shop"}, {"search", "/shop?q=" + url.QueryEscape(strings.Fields(cat.names[0])[0])},
			{"product", "/shop/products/" + itoa(cat.products[0])}, {"cart", "/cart"}, {"placed", placed},
			{"orders", "/orders"}, {"order", "/orders/" + itoa(orderID)}, {"lists", "/lists"},
			{"list", "/lists/" + itoa(listID)}, {"demand", "/demand?q=" + url.QueryEscape(strings.Fields(cat.names[0])[0])}, {"savings", "/savings"},
			{"compare", "/compare"},
			{"compliance", "/compliance"},
		},
		demo.BoardEmail: {
			{"savings", "/board/savings?preset=last-year"}, {"practices", "/board/savings/practices?preset=last-year"},
			{"surplus-runs", "/board/surplus"}, {"surplus-run", "/board/surplus/" + itoa(surplus.RunID)},
			{"clusters", "/board/clusters"},
			{"compliance", "/board/compliance"},
			{"scorecards", "/board/scorecards" + sc}, {"scorecard", "/board/scorecards/" + itoa(scored) + sc},
		},
		demo.AdminEmail: staff,
		demo.SupplierEmail: {
			{"orders", "/supplier/orders"}, {"pricelists", "/supplier/price-lists"},
			{"pricelist", "/supplier/price-lists/" + itoa(badList)}, {"pricelist-diff", "/supplier/price-lists/" + itoa(diffList)},
			{"tenders", "/supplier/tenders"},
			{"tender", "/supplier/tenders/" + itoa(tender)}, {"integration", "/supplier/integration"},
			{"scorecard", "/supplier/scorecard" + sc},
		},
	}
	for who, list := range pages {
		for _, lang := range []string{"da", "en"} {
			for sizeName, size := range map[string][2]int64{"tablet": tablet, "phone": phone} {
				tb := s.tab(t, size, lang)
				if who != "anonymous" {
					tb.open("/login")
					tb.login(who)
				}
				role := strings.SplitN(who, "@", 2)[0]
				for _, pg := range list {
					tb.open(pg.path)
					png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					name := filepath.Join(dir, role+"-"+pg.name+"-"+lang+"-"+sizeName+".png")
					if err := os.WriteFile(name, png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
}
