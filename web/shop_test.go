package web_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"

	"github.com/chromedp/chromedp"
)

// catalogue is a small shop: three products (base unit EA) offered by two
// suppliers, the first two by supplier 1, the third by supplier 2.
type catalogue struct {
	products  [3]int64
	names     [3]string
	offers    [3]int64
	suppliers [2]int64
	member    int64
}

func (s *site) catalogue() *catalogue {
	s.t.Helper()
	db := s.svc.DB
	c := &catalogue{}
	db.Raw("SELECT member_id FROM users WHERE email = ?", demo.PracticeEmail).Scan(&c.member)
	var sups []int64
	db.Raw("SELECT id FROM suppliers ORDER BY id LIMIT 2").Scan(&sups)
	copy(c.suppliers[:], sups)
	var prods []domain.Product
	db.Raw("SELECT * FROM products WHERE base_unit = 'EA' ORDER BY id LIMIT 3").Scan(&prods)
	if len(prods) != 3 || len(sups) != 2 {
		s.t.Fatalf("demo has %d EA products and %d suppliers", len(prods), len(sups))
	}
	for i, pl := range []int64{910001, 910002} {
		if err := db.Exec(`INSERT INTO price_lists (id, supplier_id, format, content_type, body_sha256, body_bytes, status, created_by)
			OVERRIDING SYSTEM VALUE VALUES (?, ?, 'csv', 'text/csv', sha256(?::bytea), 0, 'active', 'test')`,
			pl, c.suppliers[i], strconv.FormatInt(pl, 10)).Error; err != nil {
			s.t.Fatal(err)
		}
	}
	for i, p := range prods {
		c.products[i], c.names[i] = p.ID, p.Name
		sup, list := c.suppliers[0], int64(910001)
		if i == 2 {
			sup, list = c.suppliers[1], 910002
		}
		if err := db.Raw(`INSERT INTO offers (supplier_id, price_list_id, line_no, sku, name, category, product_id, pack_unit,
			pack_content, base_unit, pack_price, currency, min_qty, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'BX', 100, 'EA', ?, 'DKK', 1, 'active')
			RETURNING id`, sup, list, i+1, "SKU-"+strconv.Itoa(i+1), p.Name, p.Category, p.ID, strconv.Itoa(1200+i*10)+".50").
			Scan(&c.offers[i]).Error; err != nil {
			s.t.Fatal(err)
		}
	}
	return c
}

func (s *site) orderCount(member int64) int64 {
	var n int64
	s.svc.DB.Raw("SELECT count(*) FROM orders WHERE member_id = ?", member).Scan(&n)
	return n
}

// TestPracticeShopsDanish: a practice logs in (sent there from the shop
// and back), searches, adds three products from two suppliers, checks
// out, sees two orders, reloads the confirmation (no third order) and
// reorders from the history; in Danish, on a tablet, axe on every page.
func TestPracticeShopsDanish(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	tb := s.tab(t, tablet, "da-DK,da;q=0.9,en;q=0.5")

	tb.open("/shop")
	if p := tb.path(); !strings.HasPrefix(p, "/login?next=%2Fshop") {
		t.Fatalf("a logged-out user is at %s, want the login page", p)
	}
	if h := tb.text("h1"); h != "Log ind på Andel" {
		t.Errorf("login heading %q", h)
	}
	tb.login(demo.PracticeEmail)
	if p := tb.path(); p != "/shop" {
		t.Fatalf("after login at %s, want /shop", p)
	}
	tb.axe()

	// Results as you type (htmx), then a product page.
	word := strings.Fields(cat.names[0])[0]
	tb.do(chromedp.SendKeys(chromedp.CSS(`#q`), word),
		chromedp.WaitVisible(chromedp.CSS(`#results a[href="/shop/products/`+itoa(cat.products[0])+`"]`)))
	tb.axe()

	for i := range cat.products {
		tb.open("/shop/products/" + itoa(cat.products[i]))
		if i == 0 && (!strings.Contains(tb.text("main"), "1.200,50 kr.") || !strings.Contains(tb.text("main"), "Referencepris: 12,005 kr. pr. EA")) {
			t.Errorf("product page does not show the pack price in Danish: %s", tb.text("main"))
		}
		tb.do(chromedp.SetValue(chromedp.CSS(`#qty`+itoa(cat.offers[i])), "2"))
		tb.submit(`form:has(#qty` + itoa(cat.offers[i]) + `) button[type=submit]`)
	}
	if p := tb.path(); !strings.HasPrefix(p, "/shop/products/") || !strings.Contains(p, "done=added") {
		t.Errorf("after adding at %s", p)
	}

	tb.open("/cart")
	if n := tb.count("main section.card"); n != 2 {
		t.Fatalf("cart shows %d orders, want 2 (two suppliers)", n)
	}
	main := tb.text("main")
	for _, want := range []string{"Moms", "I alt med moms", "kr."} {
		if !strings.Contains(main, want) {
			t.Errorf("cart lacks %q: %s", want, main)
		}
	}
	tb.submit(`form[action="/checkout"] button`)
	placed := tb.path()
	if !strings.HasPrefix(placed, "/orders/placed?key=") {
		t.Fatalf("after checkout at %s", placed)
	}
	if n := tb.count(".placed-order"); n != 2 {
		t.Fatalf("confirmation shows %d orders, want 2", n)
	}
	if n := s.orderCount(cat.member); n != 2 {
		t.Fatalf("%d orders stored, want 2", n)
	}
	before := eval[float64](tb, `performance.timeOrigin`)
	tb.do(chromedp.Reload())
	tb.waitNewPage(before)
	tb.axe()
	if n := tb.count(".placed-order"); n != 2 || s.orderCount(cat.member) != 2 {
		t.Fatalf("after reloading the confirmation: %d shown, %d stored; want 2 and 2", n, s.orderCount(cat.member))
	}

	tb.open("/orders")
	if n := tb.count("tr.order-row"); n != 2 {
		t.Fatalf("history shows %d orders, want 2", n)
	}
	tb.open("/orders/" + tb.attr(`tr.order-row a`, "href")[len("/orders/"):])
	if !strings.Contains(tb.text(".timeline"), "Afgivet") {
		t.Errorf("timeline: %s", tb.text(".timeline"))
	}
	tb.submit(`form[action$="/reorder"] button`)
	if p := tb.path(); p != "/cart?done=reordered" {
		t.Fatalf("after reorder at %s", p)
	}
	if n := tb.count("main section.card"); n < 1 {
		t.Errorf("reorder left the cart empty")
	}
	if !strings.Contains(tb.text(".flash"), "kurven") {
		t.Errorf("flash: %s", tb.text(".flash"))
	}
	if s.orderCount(cat.member) != 2 {
		t.Errorf("reorder placed an order")
	}

	// A Danish supplier's list writes its units as words: the product page
	// shows the word first, then the Rec 20 code and its name.
	for sku, want := range s.danishUnits(t) {
		var product int64
		s.svc.DB.Raw("SELECT product_id FROM offer_rows WHERE sku = ? AND lowest", sku).Scan(&product)
		tb.open("/shop/products/" + itoa(product))
		if main := tb.text("main"); !strings.Contains(main, want) {
			t.Errorf("product page of %s lacks %q: %s", sku, want, main)
		}
	}
	t.Logf("axe checked %d pages: %v", len(tb.visited), tb.visited)
}

// danishUnits imports a Danish CSV for the third demo supplier through the
// API, its units written as words (æsk, stk, fl), and returns each SKU's
// pack unit as the product page should show it.
func (s *site) danishUnits(t *testing.T) map[string]string {
	t.Helper()
	var third string
	s.svc.DB.Raw("SELECT name FROM suppliers ORDER BY id OFFSET 2 LIMIT 1").Scan(&third)
	body := "Varenavn;Varenummer;EAN;Enhed;Indhold;Basisenhed;Pris;Valuta\r\n" +
		"Nitrilhandske enhedstest;UW-1;;æsk;100;stk;45,00;DKK\r\n" +
		"Hånddesinfektion enhedstest;UW-2;;stk;1;l;39,95;DKK\r\n" +
		"Sæbe enhedstest;UW-3;;fl;500;ml;22,25;DKK\r\n"
	r, _ := http.NewRequest("POST", s.http.URL+"/api/v1/price-lists", strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+s.demo.APIKeys[third])
	r.Header.Set("Content-Type", "text/csv")
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("Danish list: %d %s", res.StatusCode, b)
	}
	return map[string]string{"UW-1": "pr. æsk (XBX, Box)", "UW-2": "pr. stk (H87, piece)", "UW-3": "pr. fl (XBO, Bottle, non-protected, cylindrical)"}
}

// TestPracticeShopsEnglish is a smaller pass in English on a phone: the
// language switch, search without JavaScript's help (the plain form),
// product, cart.
func TestPracticeShopsEnglish(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	tb := s.tab(t, phone, "da")
	tb.open("/login")
	tb.submit(`button[name=lang][value=en]`)
	if h := tb.text("h1"); h != "Log in to Andel" {
		t.Fatalf("after the switch the heading is %q", h)
	}
	tb.login(demo.PracticeEmail)
	tb.open("/shop?q=" + strings.Fields(cat.names[2])[0])
	tb.open("/shop/products/" + itoa(cat.products[2]))
	if main := tb.text("main"); !strings.Contains(main, "DKK 1,220.50") {
		t.Errorf("pack price not in English: %s", main)
	}
	tb.submit(`form:has(#qty` + itoa(cat.offers[2]) + `) button[type=submit]`)
	tb.open("/cart")
	if !strings.Contains(tb.text("main"), "Total incl. VAT") {
		t.Errorf("cart not in English: %s", tb.text("main"))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
