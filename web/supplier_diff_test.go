package web_test

import (
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"andel/internal/demo"

	"github.com/chromedp/chromedp"
)

// The two lists of the diff test: the second raises DIFF-1 by 10% per
// box, lowers DIFF-4 by 10%, drops DIFF-2, adds DIFF-3 and sells DIFF-5
// in boxes of 20 instead of 10 at the same box price (a pack change, and
// half the price per piece).
const (
	diffListA = "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n" +
		"DIFF-1,Vat,,BX,10,EA,12.50,DKK\nDIFF-2,Gaze,,BX,20,EA,22.50,DKK\n" +
		"DIFF-4,Plaster,,BX,50,EA,30.00,DKK\nDIFF-5,Spatel,,BX,10,EA,8.00,DKK\n"
	// The Danish spreadsheet export: semicolons and decimal commas.
	diffListB = "varenummer;varenavn;ean;enhed;indhold;basisenhed;pris;valuta\n" +
		"DIFF-1;Vat;;BX;10;EA;13,75;DKK\nDIFF-3;Handsker;;BX;100;EA;45,00;DKK\n" +
		"DIFF-4;Plaster;;BX;50;EA;27,00;DKK\nDIFF-5;Spatel;;BX;20;EA;8,00;DKK\n"
)

// TestSupplierPriceListDiff: a supplier sends a list, then a changed one,
// and the second list's page shows what changed against the first (the
// list it replaced, named by its number): counts, the price changes with
// both pack prices, both unit prices and the percentage, the items added
// and removed, the pack change; the first list's own page compares with
// no list (none took effect before it), never with the second. In Danish on a tablet and English
// on a phone, axe on every page; the whole diff downloads as CSV; another
// supplier's diff is the 404 page.
func TestSupplierPriceListDiff(t *testing.T) {
	s := newSite(t)
	s.catalogue()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	if err := os.WriteFile(a, []byte(diffListA), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte(diffListB), 0o644); err != nil {
		t.Fatal(err)
	}

	tb := s.tab(t, tablet, "da")
	tb.open("/supplier/price-lists")
	tb.login(demo.SupplierEmail)
	upload := func(file string) string {
		t.Helper()
		tb.do(chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}))
		tb.submit(`form[action="/supplier/price-lists"] button[type=submit]`)
		if st := tb.text("#progress .pl-status"); st != "Aktiv" {
			t.Fatalf("list %s is %q: %s", file, st, tb.text("main"))
		}
		return strings.TrimPrefix(strings.SplitN(tb.path(), "?", 2)[0], "/supplier/price-lists/")
	}
	idA := upload(a)
	tb.open("/supplier/price-lists")
	idB := upload(b)
	if idA == idB || idA == "" {
		t.Fatalf("list ids %q and %q", idA, idB)
	}
	if p := tb.path(); p != "/supplier/price-lists/"+idB {
		t.Fatalf("after the second upload at %s, want list %s's page", p, idB)
	}
	tb.do(chromedp.WaitVisible(chromedp.CSS(`#diff`)))
	if h := tb.text("h1"); !strings.Contains(h, idB) {
		t.Fatalf("page heading %q is not list %s's", h, idB)
	}
	if got := tb.text("#diff p"); !strings.Contains(got, "prisliste "+idA) {
		t.Errorf("the diff says %q, want it against list %s", got, idA)
	}
	counts := map[string]string{"#diff-added": "1", "#diff-removed": "1", "#diff-up": "1", "#diff-down": "2", "#diff-pack": "1", "#diff-unchanged": "0"}
	for sel, want := range counts {
		if got := tb.text(sel); got != want {
			t.Errorf("%s = %q, want %s", sel, got, want)
		}
	}
	row := func(sel string) []string {
		t.Helper()
		return eval[[]string](tb, `[...document.querySelectorAll(`+strconv.Quote(sel)+`)].map(r => [...r.cells].map(c => c.textContent.trim()).join(" | "))`)
	}
	up := row("#diff tr.diff-up")
	if len(up) != 1 || up[0] != "DIFF-1 | Vat | 12,50 kr. | 13,75 kr. | 1,25 kr./EA | 1,375 kr./EA | +10 %" {
		t.Errorf("price increases %q", up)
	}
	down := row("#diff tr.diff-down")
	want := []string{"DIFF-4 | Plaster | 30,00 kr. | 27,00 kr. | 0,60 kr./EA | 0,54 kr./EA | -10 %",
		"DIFF-5 | Spatel | 8,00 kr. | 8,00 kr. | 0,80 kr./EA | 0,40 kr./EA | -50 %"}
	if strings.Join(down, "\n") != strings.Join(want, "\n") {
		t.Errorf("price decreases\n%s\nwant\n%s", strings.Join(down, "\n"), strings.Join(want, "\n"))
	}
	if got := row("#diff table.diff-added tbody tr"); len(got) != 1 || got[0] != "DIFF-3 | Handsker | BX 100 EA | 45,00 kr. | 0,45 kr./EA" {
		t.Errorf("added %q", got)
	}
	if got := row("#diff table.diff-removed tbody tr"); len(got) != 1 || got[0] != "DIFF-2 | Gaze | BX 20 EA | 22,50 kr. | 1,125 kr./EA" {
		t.Errorf("removed %q", got)
	}
	if got := row("#diff table.diff-packs tbody tr"); len(got) != 1 || got[0] != "DIFF-5 | Spatel | BX 10 EA | BX 20 EA" {
		t.Errorf("pack changes %q", got)
	}

	// The first list's page: against the demo's list, without the second's items.
	tb.open("/supplier/price-lists/" + idA)
	tb.do(chromedp.WaitVisible(chromedp.CSS(`#diff`)))
	if got := tb.text("#diff p"); strings.Contains(got, idB) || !strings.Contains(got, "ingen tidligere") {
		t.Errorf("list %s's diff is against %q, want no earlier list (none took effect before it)", idA, got)
	}
	if n := tb.count(`#diff tr[data-sku="DIFF-3"]`); n != 0 {
		t.Errorf("list %s's diff shows the second list's new item", idA)
	}

	// English on a phone.
	en := s.tab(t, phone, "en")
	en.open("/login")
	en.login(demo.SupplierEmail)
	en.open("/supplier/price-lists/" + idB)
	en.do(chromedp.WaitVisible(chromedp.CSS(`#diff`)))
	if h := en.text("#diff-h"); h != "Changes against the active price list" {
		t.Errorf("English diff heading %q", h)
	}
	if r := eval[string](en, `document.querySelector("#diff tr.diff-up .pct").textContent.trim()`); r != "+10 %" {
		t.Errorf("English change %q", r)
	}

	// The CSV: every change, amounts as the API writes them.
	sup := s.person(t)
	sup.login(demo.SupplierEmail)
	pg := sup.req("GET", "/supplier/price-lists/"+idB+"/diff.csv", nil)
	if pg.status != http.StatusOK || !strings.HasPrefix(pg.ctype, "text/csv") {
		t.Fatalf("diff CSV: %d %s", pg.status, pg.ctype)
	}
	recs, err := csv.NewReader(strings.NewReader(pg.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range recs[1:] {
		got[r[0]+" "+r[1]+" "+r[6]+" "+r[7]+" "+r[11]] = true
	}
	for _, w := range []string{"added DIFF-3  45.00 ", "removed DIFF-2 22.50  ", "price_up DIFF-1 12.50 13.75 10",
		"price_down DIFF-4 30.00 27.00 -10", "price_down DIFF-5 8.00 8.00 -50", "pack_changed DIFF-5 8.00 8.00 "} {
		if !got[w] {
			t.Errorf("diff CSV lacks %q: %v", w, recs)
		}
	}
	// Another supplier's list: the 404 page, for the page and the CSV.
	theirs := int64(910002) // the second supplier's (catalogue)
	for _, path := range []string{"/supplier/price-lists/" + itoa(theirs), "/supplier/price-lists/" + itoa(theirs) + "/diff.csv"} {
		if pg := sup.req("GET", path, nil); pg.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, pg.status)
		}
	}
}

// diffScreens sends the diff test's two lists as the demo supplier and
// returns the second's id (its page shows a diff).
func (s *site) diffScreens(t *testing.T) int64 {
	t.Helper()
	sup := s.person(t)
	sup.login(demo.SupplierEmail)
	sup.upload("a.csv", diffListA)
	pg := sup.upload("b.csv", diffListB)
	id, _ := strconv.ParseInt(strings.TrimPrefix(pg.location, "/supplier/price-lists/"), 10, 64)
	if id == 0 {
		t.Fatalf("upload: %d %q", pg.status, pg.location)
	}
	return id
}
