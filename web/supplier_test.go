package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"andel/internal/demo"

	"github.com/chromedp/chromedp"
)

// badPriceList has an error on each of lines 2-6, 8 and 9 (as the API's
// TestBadListsChangeNothing).
const badPriceList = "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty,valid_from,valid_to\n" +
	"A-1,Alpha,57900000001,BX,100,EA,45.00,DKK,1,,\n" +
	"A-2,Beta,,QQQ,100,EA,45.00,DKK,1,,\n" +
	"A-3,Gamma,,BX,100,EA,-1.00,DKK,1,,\n" +
	"A-4,Delta,,BX,100,EA,abc,DKK,1,,\n" +
	"A-5,Epsilon,,BX,100,EA,10.00,USD,1,,\n" +
	"A-6,Zeta,,BX,100,EA,10.00,DKK,1,,\n" +
	"A-6,Zeta,,BX,100,EA,9.00,DKK,1,,\n" +
	"A-7,Eta,,BX,100,EA,10.00,DKK,1,2027-05-01,2027-01-01\n"

const goodPriceList = "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nOK-1,Vat,,BX,10,EA,12.50,DKK\nOK-2,Gaze,,BX,20,EA,22.50,DKK\n"

// placeOrder has the demo practice order product i of the catalogue (from
// its first supplier for i < 2) and returns the order's id.
func (s *site) placeOrder(t *testing.T, cat *catalogue, i int) int64 {
	t.Helper()
	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	nurse.req("POST", "/cart", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[i])}, "offer_id": {itoa(cat.offers[i])}, "quantity": {"2"}})
	key := strings.SplitN(strings.SplitN(nurse.req("GET", "/cart", nil).body, `name="key" value="`, 2)[1], `"`, 2)[0]
	if pg := nurse.req("POST", "/checkout", url.Values{"_csrf": {nurse.csrf}, "key": {key}}); pg.status != http.StatusSeeOther {
		t.Fatalf("checkout: %d", pg.status)
	}
	var id int64
	s.svc.DB.Raw("SELECT max(id) FROM orders WHERE member_id = ?", cat.member).Scan(&id)
	return id
}

// TestSupplierPortal: a supplier uploads a bad CSV and sees every error
// in the report, uploads a good one and sees it active, confirms an order
// with the practice's delivery data, and the practice sees the new status;
// in Danish on a tablet, then a pass in English on a phone (a bid on the
// open tender with its receipt, an API key issued once and revoked, the
// webhook set and its secret made); axe on every page. Another supplier's
// list is the 404 page.
func TestSupplierPortal(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	if _, err := demo.SeedTenders(context.Background(), s.svc.Services); err != nil {
		t.Fatal(err)
	}
	var own int64
	s.svc.DB.Raw("SELECT supplier_id FROM users WHERE email = ?", demo.SupplierEmail).Scan(&own)
	if own != cat.suppliers[0] {
		t.Fatalf("the demo supplier is %d, want the catalogue's first (%d)", own, cat.suppliers[0])
	}
	// Both orders before the uploads: the good list supersedes the
	// test's list of these offers.
	orderID, second := s.placeOrder(t, cat, 0), s.placeOrder(t, cat, 1)

	dir := t.TempDir()
	bad, good := filepath.Join(dir, "bad.csv"), filepath.Join(dir, "good.csv")
	if err := os.WriteFile(bad, []byte(badPriceList), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(goodPriceList), 0o644); err != nil {
		t.Fatal(err)
	}

	tb := s.tab(t, tablet, "da")
	tb.open("/supplier/price-lists")
	tb.login(demo.SupplierEmail)
	if p := tb.path(); p != "/supplier/price-lists" {
		t.Fatalf("after login at %s", p)
	}
	tb.axe()
	upload := func(file string) {
		t.Helper()
		tb.do(chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
		tb.submit(`form[action="/supplier/price-lists"] button[type=submit]`)
	}
	upload(bad)
	if p := tb.path(); !strings.HasPrefix(p, "/supplier/price-lists/") {
		t.Fatalf("after the upload at %s", p)
	}
	if st := tb.text("#progress .pl-status"); st != "Afvist" {
		t.Errorf("bad list status %q", st)
	}
	report := eval[[]string](tb, `[...document.querySelectorAll("tr.problem-error")].map(r => [...r.cells].slice(1, 3).map(c => c.textContent.trim()).join(" "))`)
	for _, want := range []string{"2 gtin", "3 unit", "4 pack_price", "5 pack_price", "6 currency", "8 min_qty", "9 valid_to"} {
		found := false
		for _, r := range report {
			found = found || r == want
		}
		if !found {
			t.Errorf("report %v lacks %q", report, want)
		}
	}
	if n, want := tb.count("tr.problem-error"), tb.text("#error-count"); itoa(int64(n)) != want {
		t.Errorf("report shows %d errors, the list has %s", n, want)
	}
	// The readers' messages (English in the API) in Danish on the Danish
	// page, the values as the list had them.
	messages := strings.Join(eval[[]string](tb, `[...document.querySelectorAll("tr.problem-error")].map(r => r.cells[4].textContent.trim())`), "\n")
	for _, want := range []string{`"QQQ" er hverken en enhedskode fra UN/ECE Recommendation 20`, "USD er ikke andelsselskabets valuta",
		"gyldigheden slutter (2027-01-01), før den begynder (2027-05-01)"} {
		if !strings.Contains(messages, want) {
			t.Errorf("the Danish report lacks %q: %s", want, messages)
		}
	}
	// Only errors, only warnings.
	tb.open(tb.path() + "?show=warning")
	if tb.count("tr.problem-error") != 0 {
		t.Errorf("warnings only shows errors")
	}
	badPath := strings.SplitN(tb.path(), "?", 2)[0]

	tb.open("/supplier/price-lists")
	upload(good)
	if st := tb.text("#progress .pl-status"); st != "Aktiv" {
		t.Errorf("good list status %q: %s", st, tb.text("main"))
	}
	tb.open("/supplier/price-lists")
	if st := eval[[]string](tb, `[...document.querySelectorAll("tr.pricelist-row .pl-status")].map(c => c.textContent)`); strings.Join(st, ",") != "Erstattet,Aktiv,Afvist" {
		t.Errorf("history shows %v, want the test's list superseded (its id is highest), the good list active, the bad one rejected", st)
	}

	// The order, with where it goes; confirm it.
	tb.open("/supplier/orders?status=placed")
	card := tb.text("#order-" + itoa(orderID))
	for _, want := range []string{"Leveringsadresse", "Køber"} {
		if !strings.Contains(card, want) {
			t.Errorf("order card lacks %q: %s", want, card)
		}
	}
	tb.submit(`#order-` + itoa(orderID) + ` button.to-confirmed`)
	if !strings.Contains(tb.text("main"), "Ordren er bekræftet") {
		t.Errorf("no notice after confirming: %s", tb.path())
	}
	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	if pg := nurse.req("GET", "/orders/"+itoa(orderID), nil); !strings.Contains(mainOf(pg.body), "Bekræftet") {
		t.Errorf("the practice does not see the order confirmed")
	}

	// A rejection needs a reason; the practice sees it.
	if pg := sup0(s, t).req("POST", "/supplier/orders/"+itoa(second)+"/status", url.Values{"status": {"rejected"}}); pg.status != http.StatusForbidden {
		t.Errorf("reject without CSRF: %d", pg.status)
	}
	sup := s.person(t)
	sup.login(demo.SupplierEmail)
	if pg := sup.req("POST", "/supplier/orders/"+itoa(second)+"/status", url.Values{"_csrf": {sup.csrf}, "status": {"rejected"}, "reason": {" "}}); pg.status != http.StatusUnprocessableEntity {
		t.Errorf("reject without a reason: %d", pg.status)
	}
	if pg := sup.req("POST", "/supplier/orders/"+itoa(second)+"/status", url.Values{"_csrf": {sup.csrf}, "status": {"rejected"}, "reason": {"Udgået vare"}}); pg.status != http.StatusSeeOther {
		t.Errorf("reject: %d %s", pg.status, mainOf(pg.body))
	}
	if pg := nurse.req("GET", "/orders/"+itoa(second), nil); !strings.Contains(mainOf(pg.body), "Udgået vare") {
		t.Errorf("the practice does not see the rejection's reason")
	}

	// Another supplier's list and a missing one: the same 404 page.
	theirs, missing, mine := sup.req("GET", "/supplier/price-lists/910002", nil), sup.req("GET", "/supplier/price-lists/99999999", nil), sup.req("GET", badPath, nil)
	if theirs.status != http.StatusNotFound || missing.status != http.StatusNotFound || mine.status != http.StatusOK || mainOf(theirs.body) != mainOf(missing.body) {
		t.Errorf("price list pages: another's %d, missing %d, own %d", theirs.status, missing.status, mine.status)
	}
	if pg := sup.req("POST", "/supplier/orders/99999999/status", url.Values{"_csrf": {sup.csrf}, "status": {"confirmed"}}); pg.status != http.StatusNotFound {
		t.Errorf("confirming a missing order: %d", pg.status)
	}

	// In English on a phone.
	en := s.tab(t, phone, "en")
	en.open("/login")
	en.login(demo.SupplierEmail)
	if h := en.text("h1"); h != "Incoming orders" {
		t.Errorf("English heading %q", h)
	}
	en.axe()
	en.open(badPath)
	if st := en.text("#progress .pl-status"); st != "Rejected" {
		t.Errorf("English status %q", st)
	}
	if main := en.text("main"); !strings.Contains(main, `"QQQ" is neither a UN/ECE Recommendation 20 unit code`) {
		t.Errorf("the English report lacks the unit's message in English: %s", main)
	}
	// Tenders: the open one, its lots and pooled quantities; a bid with a
	// bad price is shown again with its problem and what was typed, then
	// taken with a receipt.
	en.open("/supplier/tenders")
	if n := en.count("tr.tender-row"); n != 1 {
		t.Fatalf("%d open tenders, want the demo's one", n)
	}
	en.open(en.attr("tr.tender-row a", "href"))
	if n := en.count("tr.lot-item"); n == 0 {
		t.Fatal("the tender shows no lot items")
	}
	fill := func(price string) {
		t.Helper()
		eval[bool](en, `(() => {
			const set = (sel, v) => document.querySelectorAll(sel).forEach(i => i.value = v);
			set('input[name^="unit-"]', "BX"); set('input[name^="content-"]', "100");
			set('input[name^="price-"]', `+strconv.Quote(price)+`); set('input[name^="value-"]', "2");
			return true })()`)
	}
	fill("abc")
	en.submit(`form[action$="/bids"] button[type=submit]`)
	if en.count(`[role=alert]`) != 1 || en.attr(`input[name^="price-"]`, "value") != "abc" {
		t.Errorf("a bad bid is not shown again with its problem: %s", en.text("main"))
	}
	fill("45.00")
	en.submit(`form[action$="/bids"] button[type=submit]`)
	if !strings.Contains(en.path(), "done=bid-submitted") {
		t.Fatalf("after the bid at %s: %s", en.path(), en.text("main"))
	}
	if r := en.text("code.receipt"); len(r) != 64 || strings.Trim(r, "0123456789abcdef") != "" {
		t.Errorf("bid receipt %q, want a SHA-256 in hex", r)
	}

	// API keys: issued and shown once, then revoked; the webhook.
	en.open("/supplier/integration")
	en.do(chromedp.SendKeys(chromedp.CSS(`#key-name`), "ERP"))
	en.submit(`form[action="/supplier/integration/keys"] button`)
	if k := en.text("#new-key"); !strings.HasPrefix(k, "andel_") {
		t.Errorf("new key %q", k)
	}
	en.open("/supplier/integration")
	if en.count("#new-key") != 0 {
		t.Error("the key is shown again")
	}
	en.submit(`form[action$="/revoke"] button`)
	if en.count(".revoked") == 0 {
		t.Error("the key is not shown revoked")
	}
	en.do(chromedp.SetValue(chromedp.CSS(`#hook-url`), "https://erp.example.dk/andel/orders"),
		chromedp.SetValue(chromedp.CSS(`#hook-format`), "peppol"))
	en.submit(`form[action="/supplier/integration/webhook"] button`)
	var hook struct {
		OrderWebhookURL *string
		OrderFormat     string
	}
	s.svc.DB.Raw("SELECT order_webhook_url, order_format FROM suppliers WHERE id = ?", own).Scan(&hook)
	if hook.OrderWebhookURL == nil || *hook.OrderWebhookURL != "https://erp.example.dk/andel/orders" || hook.OrderFormat != "peppol" {
		t.Errorf("webhook stored: %+v", hook)
	}
	en.submit(`form[action="/supplier/integration/webhook/secret"] button`)
	if sec := en.text("#new-secret"); len(sec) < 32 {
		t.Errorf("new secret %q", sec)
	}
}

// sup0 is the demo supplier logged in without a CSRF token sent.
func sup0(s *site, t *testing.T) *person {
	p := s.person(t)
	p.login(demo.SupplierEmail)
	return p
}

// supplierScreens gives the supplier's pages something to show (a bad
// list's report, an order confirmed beside the placed ones, the demo's
// open tender, an API key) and returns the bad list's and the tender's id.
func (s *site) supplierScreens(t *testing.T) (list, tender int64) {
	t.Helper()
	ts, err := demo.SeedTenders(context.Background(), s.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	sup := s.person(t)
	sup.login(demo.SupplierEmail)
	pg := sup.upload("bad.csv", badPriceList)
	id, _ := strconv.ParseInt(strings.TrimPrefix(pg.location, "/supplier/price-lists/"), 10, 64)
	if id == 0 {
		t.Fatalf("upload: %d %q", pg.status, pg.location)
	}
	var orderID int64
	s.svc.DB.Raw("SELECT min(id) FROM orders WHERE supplier_id = (SELECT supplier_id FROM users WHERE email = ?)", demo.SupplierEmail).Scan(&orderID)
	sup.req("POST", "/supplier/orders/"+itoa(orderID)+"/status", url.Values{"_csrf": {sup.csrf}, "status": {"confirmed"}})
	sup.req("POST", "/supplier/integration/keys", url.Values{"_csrf": {sup.csrf}, "name": {"ERP"}})
	return id, ts.OpenTenderID
}

// upload sends a file as the price-list form does (multipart).
func (p *person) upload(name, body string) page {
	p.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", p.csrf)
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(body))
	_ = w.Close()
	r, _ := http.NewRequest("POST", p.s.http.URL+"/supplier/price-lists", &buf)
	r.Header.Set("Content-Type", w.FormDataContentType())
	res, err := p.hc.Do(r)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b)}
}
