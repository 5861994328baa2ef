package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"andel/internal/demo"
)

// maxPageBytes is issue 14's limit: no page over 100 kB of HTML and
// assets together.
const maxPageBytes = 100_000

// TestPageSizes: every page of the practice and the supplier on the demo
// data (with an order placed, a standard list, a cart, a rejected list's
// report, a list's diff, the open tender with a bid, an API key), in
// Danish and English, weighs under 100 kB with the stylesheet and scripts
// it loads. BenchmarkShopPages checks the shop's pages on 100,000
// products.
func TestPageSizes(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	for i := range cat.products {
		nurse.req("POST", "/cart", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[i])}, "offer_id": {itoa(cat.offers[i])}, "quantity": {"4"}})
	}
	key := cartKey.FindStringSubmatch(nurse.req("GET", "/cart", nil).body)
	placed := nurse.req("POST", "/checkout", url.Values{"_csrf": {nurse.csrf}, "key": {key[1]}}).location
	nurse.req("POST", "/lists", url.Values{"_csrf": {nurse.csrf}, "name": {"Månedlig bestilling"}})
	var listID, orderID int64
	s.svc.DB.Raw("SELECT id FROM standard_lists ORDER BY id LIMIT 1").Scan(&listID)
	s.svc.DB.Raw("SELECT id FROM orders ORDER BY id LIMIT 1").Scan(&orderID)
	nurse.req("POST", "/lists/"+itoa(listID)+"/lines", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[0])}, "offer_id": {itoa(cat.offers[0])}, "quantity": {"2"}})
	nurse.req("POST", "/cart", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[1])}, "offer_id": {itoa(cat.offers[1])}, "quantity": {"1"}})
	if _, err := s.svc.Savings.Rollup(context.Background()); err != nil {
		t.Fatal(err)
	}
	badList, tender := s.supplierScreens(t)
	diffList := s.diffScreens(t)
	word := url.QueryEscape(strings.Fields(cat.names[0])[0])

	pages := map[string][]string{
		demo.PracticeEmail: {"/shop", "/shop?q=" + word, "/shop?q=a", "/shop/products/" + itoa(cat.products[0]), "/cart", placed,
			"/orders", "/orders/" + itoa(orderID), "/lists", "/lists/" + itoa(listID), "/demand", "/demand?q=" + word, "/savings"},
		demo.SupplierEmail: {"/supplier/orders", "/supplier/price-lists", "/supplier/price-lists/" + itoa(badList),
			"/supplier/price-lists/" + itoa(diffList), "/supplier/tenders", "/supplier/tenders/" + itoa(tender), "/supplier/integration"},
	}
	checked, largest, largestAt := 0, 0, ""
	for who, paths := range pages {
		for _, lang := range []string{"da", "en"} {
			p := s.person(t)
			p.login(who)
			assets := map[string]int{}
			for _, path := range paths {
				pg := p.req("GET", path, nil, "Accept-Language", lang)
				if pg.status != http.StatusOK {
					t.Errorf("%s %s (%s): %d", who, path, lang, pg.status)
					continue
				}
				size := len(pg.body)
				for _, m := range assetRef.FindAllStringSubmatch(pg.body, -1) {
					a := strings.ReplaceAll(m[1], "&amp;", "&")
					if _, ok := assets[a]; !ok {
						res := p.req("GET", a, nil)
						if res.status != http.StatusOK {
							t.Errorf("asset %s: %d", a, res.status)
						}
						assets[a] = len(res.body)
					}
				}
				seen := map[string]bool{}
				for _, m := range assetRef.FindAllStringSubmatch(pg.body, -1) {
					if a := strings.ReplaceAll(m[1], "&amp;", "&"); !seen[a] {
						seen[a], size = true, size+assets[a]
					}
				}
				if len(seen) == 0 {
					t.Errorf("%s loads no assets: is the pattern still right?", path)
				}
				if size >= maxPageBytes {
					t.Errorf("%s (%s) weighs %d bytes with its assets (HTML %d), over %d", path, lang, size, len(pg.body), maxPageBytes)
				}
				if size > largest {
					largest, largestAt = size, path+" ("+lang+")"
				}
				checked++
			}
		}
	}
	t.Logf("the largest page: %s, %d bytes with its assets", largestAt, largest)
	if checked != 2*(len(pages[demo.PracticeEmail])+len(pages[demo.SupplierEmail])) {
		t.Errorf("checked %d pages", checked)
	}
}
