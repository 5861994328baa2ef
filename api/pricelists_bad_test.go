package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"andel/internal/demo"
)

// TestBadListsChangeNothing uploads a broken list in each format after a
// good one and checks that every problem is reported where it is, and that
// the catalogue is exactly as before.
func TestBadListsChangeNothing(t *testing.T) {
	e := newEnv(t)
	key := e.demoKey(1)
	sid := e.supplierOf(key)
	c := e.withKey(key)
	c.upload("text/csv", []byte("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nOK-1,Vat,,BX,10,EA,12.50,DKK\n"), nil).expect(http.StatusCreated)
	before := e.catalogue(sid)
	var productsBefore int64
	e.svc.DB.Table("products").Count(&productsBefore)

	badCSV := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty,valid_from,valid_to\n" +
		"A-1,Alpha,57900000001,BX,100,EA,45.00,DKK,1,,\n" + // a GTIN of 11 digits (line 2; a wrong check digit is only a warning)
		"A-2,Beta,,QQQ,100,EA,45.00,DKK,1,,\n" + // unknown unit (3)
		"A-3,Gamma,,BX,100,EA,-1.00,DKK,1,,\n" + // negative price (4)
		"A-4,Delta,,BX,100,EA,abc,DKK,1,,\n" + // not a number (5)
		"A-5,Epsilon,,BX,100,EA,10.00,USD,1,,\n" + // no exchange rate (6)
		"A-6,Zeta,,BX,100,EA,10.00,DKK,1,,\n" +
		"A-6,Zeta,,BX,100,EA,9.00,DKK,1,,\n" + // same sku and min_qty twice (8)
		"A-7,Eta,,BX,100,EA,10.00,DKK,1,2027-05-01,2027-01-01\n" // ends before it starts (9)
	res := c.upload("text/csv", []byte(badCSV), nil).expect(http.StatusUnprocessableEntity)
	got := problemsOf(res)
	for _, want := range []string{"error 2 gtin", "error 3 unit", "error 4 pack_price", "error 5 pack_price", "error 6 currency", "error 8 min_qty", "error 9 valid_to"} {
		if !slices.Contains(got, want) {
			t.Errorf("CSV problems %v lack %q", got, want)
		}
	}
	if fields := res.problemFields(); !slices.Contains(fields, "line 2: gtin") {
		t.Errorf("problem fields %v", fields)
	}

	badJSON := `{"currency": "DKK", "lines": [
  {"sku": "J-1", "name": "x", "unit": "BX", "pack_content": "0", "base_unit": "EA", "pack_price": "1.00"},
  {"sku": "J-2", "name": "y", "unit": "BX", "pack_content": "10", "base_unit": "EA", "pack_price": 1.5},
  {"sku": "J-3", "name": "z", "gtin": "123", "unit": "BX", "pack_content": "10", "base_unit": "KGM", "pack_price": "2.00"}
]}`
	got = problemsOf(c.upload("application/json", []byte(badJSON), nil).expect(http.StatusUnprocessableEntity))
	for _, want := range []string{"error 2 pack_content", "error 3 pack_price", "error 4 gtin"} {
		if !slices.Contains(got, want) {
			t.Errorf("JSON problems %v lack %q", got, want)
		}
	}

	badUBL := bytes.ReplaceAll(withValidGTINs(sharedPeppol(t, "Snippet-1-2.xml")), []byte(`currencyID="EUR">1100.00`), []byte(`currencyID="EUR">-5`))
	badUBL = bytes.Replace(badUBL, []byte(`<cbc:ID>1</cbc:ID>`), []byte(`<cbc:ID>2</cbc:ID>`), 1) // duplicate line id
	res = c.upload("application/xml", badUBL, nil).expect(http.StatusUnprocessableEntity)
	if pl := res.json()["price_list"].(map[string]any); pl["error_count"].(float64) < 3 {
		t.Errorf("UBL problems %v", problemsOf(res))
	}

	// An empty list and a body that is not a list at all.
	c.upload("text/csv", []byte("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n"), nil).expect(http.StatusUnprocessableEntity)
	c.upload("application/xml", []byte("<not-a-catalogue/>"), nil).expect(http.StatusUnprocessableEntity)
	c.upload("application/pdf", []byte("%PDF"), nil).expect(http.StatusUnsupportedMediaType)

	if after := e.catalogue(sid); after != before {
		t.Errorf("catalogue changed: %s -> %s", before, after)
	}
	var productsAfter int64
	e.svc.DB.Table("products").Count(&productsAfter)
	if productsAfter != productsBefore {
		t.Errorf("products %d -> %d", productsBefore, productsAfter)
	}
	var lines int64
	e.svc.DB.Raw("SELECT count(*) FROM offer_rows l JOIN price_lists p ON p.id = l.price_list_id WHERE p.status = 'rejected'").Scan(&lines)
	if lines != 0 {
		t.Errorf("%d lines of rejected lists were kept", lines)
	}
}

// TestLargeListIsAcceptedAndPolled: a list over the synchronous limit is
// answered 202 at once and its progress polled until it is in force.
func TestLargeListIsAcceptedAndPolled(t *testing.T) {
	e := newEnv(t)
	key := e.demoKey(2)
	var b strings.Builder
	b.WriteString("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty\n")
	const skus = 12000
	for i := 0; i < skus; i++ {
		fmt.Fprintf(&b, "SKU-%06d,Generated item %d with a long enough name to fill bytes,,BX,100,EA,%d.%02d,DKK,1\n", i, i, 10+i%90, i%100)
		fmt.Fprintf(&b, "SKU-%06d,Generated item %d with a long enough name to fill bytes,,BX,100,EA,%d.%02d,DKK,10\n", i, i, 9+i%90, i%100)
	}
	body := []byte(b.String())
	if len(body) <= 1<<20 {
		t.Fatalf("body of %d bytes is not large", len(body))
	}
	c := e.withKey(key)
	res := c.upload("text/csv", body, map[string]string{"Idempotency-Key": "big-1"}).expect(http.StatusAccepted)
	loc := res.header.Get("Location")
	if res.json()["status"] != "validating" || loc == "" {
		t.Fatalf("202 answer %s", res.body)
	}
	// The same key and body again: the same answer, nothing new.
	again := c.upload("text/csv", body, map[string]string{"Idempotency-Key": "big-1"}).expect(http.StatusAccepted)
	if again.header.Get("Idempotent-Replayed") != "true" {
		t.Error("retry with the key was not replayed")
	}
	deadline := time.Now().Add(60 * time.Second)
	var pl map[string]any
	for time.Now().Before(deadline) {
		pl = c.do("GET", loc, nil).expect(http.StatusOK).json()
		if pl["status"] != "validating" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if pl["status"] != "active" || pl["rows_read"] != float64(2*skus) || pl["rows_valid"] != float64(2*skus) {
		t.Fatalf("after polling: %v", pl)
	}
	var offers int64
	e.svc.DB.Table("offers").Where("price_list_id = ? AND status = 'active'", int64(pl["id"].(float64))).Count(&offers)
	if offers != skus {
		t.Errorf("%d offers, want %d", offers, skus)
	}
	// Without the key, the same body is recognised by its hash.
	same := c.upload("text/csv", body, nil).expect(http.StatusOK).json()
	if same["id"] != pl["id"] {
		t.Errorf("same body made list %v, first was %v", same["id"], pl["id"])
	}
}

// TestCatalogueFeed: a supplier's feed is pulled with a conditional GET,
// imported once, not again while unchanged, and a failing feed is recorded
// without touching the catalogue.
func TestCatalogueFeed(t *testing.T) {
	e := newEnv(t)
	var hits, conditional atomic.Int64
	var failing atomic.Bool
	feed := "sku;name;ean;enhed;indhold;basisenhed;pris;valuta\nF-1;Feedvare;;BX;10;EA;12,50;DKK\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if failing.Load() {
			http.Error(w, "down for maintenance", http.StatusInternalServerError)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/plain") // a web server's guess; sniffed as CSV
		w.Write([]byte(feed))
	}))
	defer srv.Close()
	key := e.demoKey(3)
	sid := e.supplierOf(key)
	admin := e.login(demo.AdminEmail)
	admin.do("PATCH", "/api/v1/suppliers/"+itoa(sid), map[string]string{"catalogue_feed_url": srv.URL + "/prices.csv"}).expect(http.StatusOK)

	counts := func() map[string]any {
		return admin.runJob("catalog-refresh")["counts"].(map[string]any)
	}
	if c := counts(); c["feeds_imported"] != 1.0 {
		t.Fatalf("first run %v", c)
	}
	if cat := e.catalogue(sid); cat != "F-1=active" {
		t.Fatalf("catalogue %s", cat)
	}
	if c := counts(); c["feeds_not_modified"] != 1.0 || c["feeds_imported"] != 0.0 || conditional.Load() != 1 {
		t.Errorf("second run %v (conditional requests %d)", c, conditional.Load())
	}
	failing.Store(true)
	if c := counts(); c["feeds_failed"] != 1.0 {
		t.Errorf("failing run %v", c)
	}
	if cat := e.catalogue(sid); cat != "F-1=active" {
		t.Errorf("a failing feed changed the catalogue: %s", cat)
	}
	var state struct {
		Failures  int
		LastError string
	}
	e.svc.DB.Raw("SELECT failures, last_error FROM supplier_feeds WHERE supplier_id = ?", sid).Scan(&state)
	if state.Failures != 1 || !strings.Contains(state.LastError, "500") {
		t.Errorf("feed state %+v", state)
	}
	failing.Store(false)
	counts() // retried next run: recovers (not modified)
	e.svc.DB.Raw("SELECT failures, last_error FROM supplier_feeds WHERE supplier_id = ?", sid).Scan(&state)
	if state.Failures != 0 {
		t.Errorf("feed state after recovery %+v", state)
	}
}
