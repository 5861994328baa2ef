package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"andel/internal/demo"

	"github.com/chromedp/chromedp"
)

// storedBid is the demo supplier's bid on a tender as the database has it.
type storedBid struct {
	ID       int64
	Status   string
	Revision int
	Receipt  string
	Items    int
	Tiers    int
}

func (s *site) storedBid(t *testing.T, tender int64) storedBid {
	t.Helper()
	var b storedBid
	s.svc.DB.Raw(`SELECT b.id, b.status, b.revision, b.receipt_sha256 AS receipt,
			(SELECT count(*) FROM bid_items i WHERE i.bid_id = b.id) AS items,
			(SELECT count(*) FROM bid_item_tiers r JOIN bid_items i ON i.id = r.bid_item_id WHERE i.bid_id = b.id) AS tiers
		FROM bids b WHERE b.tender_id = ? AND b.supplier_id = (SELECT supplier_id FROM users WHERE email = ?)`,
		tender, demo.SupplierEmail).Scan(&b)
	return b
}

// fillTemplate fills the template's rows (header first) with a pack of
// 100 at price, and adds the rows extra; sep and the numbers are the
// file's dialect.
func fillTemplate(t *testing.T, tmpl string, sep rune, price string, extra ...[]string) []byte {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(tmpl, "\ufeff")))
	r.Comma = sep
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("template: %v\n%s", err, tmpl)
	}
	for _, rec := range recs[1:] {
		rec[7], rec[8], rec[9] = "BX", "100", price
	}
	recs = append(recs, extra...)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = sep
	_ = w.WriteAll(recs)
	return buf.Bytes()
}

// TestSupplierBidsByFile: a supplier downloads the open tender's bid
// template (Danish: semicolons, Danish headers, BOM), sends a file with a
// problem on several lines and sees every one with its line while nothing
// is stored, sends a good one with a tier ladder in decimal commas and
// sees what the bid offers, sends a bad one again and the bid is as it
// was, withdraws it; in English on a phone bids with three tiers in the
// form, then by an English file (commas, decimal points) that replaces
// it; after the deadline a withdrawal is refused and nothing changes.
// Axe on every page.
func TestSupplierBidsByFile(t *testing.T) {
	s := newSite(t)
	ts, err := demo.SeedTenders(context.Background(), s.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	tender := itoa(ts.OpenTenderID)
	sup := s.person(t)
	sup.login(demo.SupplierEmail)

	// The Danish template.
	tpl := sup.req("GET", "/supplier/tenders/"+tender+"/bid.csv", nil)
	if tpl.status != http.StatusOK || !strings.HasPrefix(tpl.ctype, "text/csv") {
		t.Fatalf("template: %d %s", tpl.status, tpl.ctype)
	}
	if !strings.HasPrefix(tpl.body, "\ufeffvarelinje;delaftale;vare;basisenhed;mængde;varenummer;ean;enhed;indhold;pris;min_antal\n") {
		t.Fatalf("Danish template starts %q", tpl.body[:min(len(tpl.body), 120)])
	}
	var items []int64
	s.svc.DB.Raw("SELECT id FROM tender_lot_items WHERE tender_id = ? ORDER BY id", ts.OpenTenderID).Scan(&items)
	if n := strings.Count(tpl.body, "\n") - 1; n != len(items) || n < 2 {
		t.Fatalf("template has %d item rows, the tender %d items (the test needs 2 or more)", n, len(items))
	}
	first := itoa(items[0])

	dir := t.TempDir()
	file := func(name string, body []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Lines: 1 header, 2..n+1 the items, then the extra rows.
	n := len(items)
	bad := fillTemplate(t, tpl.body, ';', "45,00",
		[]string{first, "", "", "", "", "", "", "", "", "40,00", "2,5"},         // a tier of half packs: line n+2
		[]string{"999999999", "", "", "", "", "", "", "BX", "100", "10,00", ""}, // not an item: line n+3
		[]string{first, "", "", "", "", "", "", "", "", "", "10"})               // a tier without a price: line n+4
	// Line 3's price (the second item's) is not a number.
	at := bytes.Index(bad, []byte(";BX;100;45,00;"))
	at += 1 + bytes.Index(bad[at+1:], []byte(";BX;100;45,00;"))
	bad = append(bad[:at:at], append([]byte(";BX;100;abc;"), bad[at+len(";BX;100;45,00;"):]...)...)
	good := fillTemplate(t, tpl.body, ';', "45,00",
		[]string{first, "", "", "", "", "", "", "", "", "40,00", "10"},
		[]string{first, "", "", "", "", "", "", "BX", "100", "38,50", "50"})

	tb := s.tab(t, tablet, "da")
	tb.open("/supplier/tenders/" + tender)
	tb.login(demo.SupplierEmail)
	tb.axe()
	if href := tb.attr("#bid-template", "href"); href != "/supplier/tenders/"+tender+"/bid.csv" {
		t.Errorf("template link %q", href)
	}
	send := func(path string) {
		t.Helper()
		tb.do(chromedp.SetUploadFiles(chromedp.CSS(`#bid-file`), []string{path}))
		tb.do(chromedp.SetValue(chromedp.CSS(`input[id^="csv-value-"]`), "2"))
		tb.submit(`form[action$="/bids/csv"] button[type=submit]`)
	}
	send(file("bad.csv", bad))
	alert := tb.text("[role=alert]")
	for _, want := range []string{"Linje 3, pris", "Linje " + itoa(int64(n+2)) + ", min_antal", "Linje " + itoa(int64(n+3)) + ", varelinje",
		"Linje " + itoa(int64(n+4)) + ", pris"} {
		if !strings.Contains(alert, want) {
			t.Errorf("the problems lack %q: %s", want, alert)
		}
	}
	if b := s.storedBid(t, ts.OpenTenderID); b.ID != 0 {
		t.Errorf("a refused file stored a bid: %+v", b)
	}

	send(file("good.csv", good))
	if !strings.Contains(tb.path(), "done=bid-submitted") {
		t.Fatalf("after the good file at %s: %s", tb.path(), tb.text("main"))
	}
	taken := s.storedBid(t, ts.OpenTenderID)
	if taken.Status != "submitted" || taken.Items != n || taken.Tiers != 2 {
		t.Errorf("stored %+v, want %d items and the first's 2 tiers", taken, n)
	}
	if got := tb.text("table.bid-items tbody tr td:last-child"); got != "fra 10: 40,00 kr.; fra 50: 38,50 kr." {
		t.Errorf("the first item's tiers read %q", got)
	}
	// Bad again: refused whole, the bid as it was.
	tb.open("/supplier/tenders/" + tender)
	send(file("bad.csv", bad))
	if b := s.storedBid(t, ts.OpenTenderID); b != taken {
		t.Errorf("a refused file changed the bid: %+v, was %+v", b, taken)
	}
	// Withdraw.
	tb.open("/supplier/tenders/" + tender)
	tb.submit(`button.withdraw`)
	if !strings.Contains(tb.path(), "done=bid-withdrawn") || !strings.Contains(tb.text("main"), "Buddet er trukket tilbage") {
		t.Errorf("after withdrawing at %s", tb.path())
	}
	if b := s.storedBid(t, ts.OpenTenderID); b.Status != "withdrawn" {
		t.Errorf("withdrawn bid is %q", b.Status)
	}
	if tb.count("button.withdraw") != 0 || tb.count("table.bid-items") != 0 {
		t.Error("a withdrawn bid still offers withdrawing, or shows its content")
	}

	// English on a phone: the form with three tiers, then an English file.
	en := s.tab(t, phone, "en")
	en.open("/login")
	en.login(demo.SupplierEmail)
	en.open("/supplier/tenders/" + tender)
	eval[bool](en, `(() => {
		const set = (sel, v) => document.querySelectorAll(sel).forEach(i => i.value = v);
		set('input[name^="unit-"]', "BX"); set('input[name^="content-"]', "100");
		set('input[name^="price-"]', "45.00"); set('input[name^="value-"]', "2");
		const tier = (k, min, price) => { set('input[name="tiermin'+k+'-`+first+`"]', min); set('input[name="tierprice'+k+'-`+first+`"]', price); };
		tier(1, "10", "40.00"); tier(2, "50", "38.50"); tier(3, "100", "37.00");
		return true })()`)
	en.submit(`form[action$="/bids"] button[type=submit]`)
	if !strings.Contains(en.path(), "done=bid-submitted") {
		t.Fatalf("after the form bid at %s: %s", en.path(), en.text("main"))
	}
	if b := s.storedBid(t, ts.OpenTenderID); b.Status != "submitted" || b.Tiers != 3 {
		t.Errorf("form bid stored %+v, want 3 tiers", b)
	}
	if got := en.text("table.bid-items tbody tr td:last-child"); got != "from 10: DKK 40.00; from 50: DKK 38.50; from 100: DKK 37.00" {
		t.Errorf("the tiers in English read %q", got)
	}
	etpl := sup.req("GET", "/supplier/tenders/"+tender+"/bid.csv", nil, "Accept-Language", "en")
	if !strings.HasPrefix(etpl.body, "item_id,lot,product,base_unit,quantity,sku,gtin,pack_unit,pack_content,pack_price,min_packs\n") {
		t.Fatalf("English template starts %q", etpl.body[:min(len(etpl.body), 120)])
	}
	en.do(chromedp.SetUploadFiles(chromedp.CSS(`#bid-file`), []string{file("en.csv", fillTemplate(t, etpl.body, ',', "44.50"))}))
	en.do(chromedp.SetValue(chromedp.CSS(`input[id^="csv-value-"]`), "3"))
	en.submit(`form[action$="/bids/csv"] button[type=submit]`)
	if !strings.Contains(en.path(), "done=bid-submitted") {
		t.Fatalf("after the English file at %s: %s", en.path(), en.text("main"))
	}
	last := s.storedBid(t, ts.OpenTenderID)
	if last.Tiers != 0 || last.Items != n || last.Revision <= taken.Revision {
		t.Errorf("the English file's bid %+v, want it to replace the form's whole (no tiers)", last)
	}

	// After the deadline: no withdrawing, nothing changes.
	if err := s.svc.DB.Exec("UPDATE tenders SET bid_deadline = now() - interval '1 minute' WHERE id = ?", ts.OpenTenderID).Error; err != nil {
		t.Fatal(err)
	}
	en.open("/supplier/tenders/" + tender)
	if en.count("button.withdraw") != 0 || en.count("#bid-file") != 0 {
		t.Error("past the deadline the page still offers withdrawing or sending a file")
	}
	pg := sup.req("POST", "/supplier/tenders/"+tender+"/bids/"+itoa(last.ID)+"/withdraw", map[string][]string{"_csrf": {sup.csrf}})
	if pg.status != http.StatusConflict || !strings.Contains(mainOf(pg.body), "tilbudsfristen er overskredet") {
		t.Errorf("withdrawing after the deadline: %d %s", pg.status, mainOf(pg.body))
	}
	pg = sup.req("POST", "/supplier/tenders/"+tender+"/bids/"+itoa(last.ID)+"/withdraw", map[string][]string{"_csrf": {sup.csrf}}, "Accept-Language", "en")
	if pg.status != http.StatusConflict || !strings.Contains(mainOf(pg.body), "deadline") {
		t.Errorf("withdrawing after the deadline, in English: %d %s", pg.status, mainOf(pg.body))
	}
	if b := s.storedBid(t, ts.OpenTenderID); b != last {
		t.Errorf("the bid changed after the deadline: %+v, was %+v", b, last)
	}
}
