package api_test

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"golang.org/x/text/encoding/charmap"
)

// upload posts a price list body as the client, with a content type.
func (c *client) upload(contentType string, body []byte, headers map[string]string) *response {
	c.e.t.Helper()
	h := map[string]string{"Content-Type": contentType}
	for k, v := range headers {
		h[k] = v
	}
	return c.doRaw("POST", "/api/v1/price-lists", body, h)
}

// catalogue is what the catalogue holds for one supplier, for before/after
// comparisons: "sku=status" for every offer, by SKU and age.
func (e *env) catalogue(supplierID int64) string {
	var rows []struct {
		SKU    string `gorm:"column:sku"`
		Status string
	}
	// An offer row's own status, or its list's while the list is not in force.
	e.svc.DB.Raw(`SELECT o.sku, CASE WHEN o.status <> 'active' THEN o.status WHEN p.status = 'scheduled' THEN 'pending'
			WHEN p.status = 'superseded' THEN 'superseded' ELSE o.status END AS status
		FROM offer_rows o JOIN price_lists p ON p.id = o.price_list_id
		WHERE o.supplier_id = ? AND o.lowest ORDER BY o.sku, o.id`, supplierID).Scan(&rows)
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = r.SKU + "=" + r.Status
	}
	return strings.Join(parts, " ")
}

func (e *env) supplierOf(key string) int64 {
	var id int64
	e.svc.DB.Raw("SELECT supplier_id FROM api_keys WHERE prefix = ?", strings.Split(key, "_")[1]).Scan(&id)
	return id
}

func (e *env) setClock(day string) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.Set(t.Add(12 * time.Hour))
}

func sharedPeppol(t *testing.T, name string) []byte {
	b, err := os.ReadFile("../suppliers/testdata/peppol/" + name) // copies of ../shared/standards/peppol-catalogue
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var gtin0160 = regexp.MustCompile(`schemeID="0160">(\d{12})\d<`)

// withValidGTINs corrects the check digit of every GTIN (scheme 0160) of a
// shared PEPPOL document: the official examples use made-up GTINs whose
// check digits are wrong, which Andel rejects.
func withValidGTINs(doc []byte) []byte {
	return gtin0160.ReplaceAllFunc(doc, func(m []byte) []byte {
		body := string(gtin0160.FindSubmatch(m)[1])
		for d := 0; d <= 9; d++ {
			if g := body + strconv.Itoa(d); domain.ValidGTIN(g) {
				return []byte(`schemeID="0160">` + g + `<`)
			}
		}
		panic("no check digit fits")
	})
}

func problemsOf(r *response) []string {
	r.t.Helper()
	var out []string
	pl := r.json()
	if p, ok := pl["price_list"].(map[string]any); ok {
		pl = p
	}
	for _, kind := range []string{"errors", "warnings"} {
		for _, p := range pl[kind].([]any) {
			m := p.(map[string]any)
			line, _ := m["line"].(float64)
			out = append(out, fmt.Sprintf("%s %d %v", m["severity"], int(line), m["field"]))
		}
	}
	return out
}

func TestPeppolCatalogues(t *testing.T) {
	e := newEnv(t)
	key := e.demoKey(1)
	supplier := e.withKey(key)
	sid := e.supplierOf(key)
	admin := e.login(demo.AdminEmail)

	e.setClock("2015-06-01") // within the snippets' validity
	// As published, the examples carry GTINs with wrong check digits: those
	// are warnings (no PEPPOL rule checks them). Without exchange rates for
	// their currencies each is rejected for that alone, with every problem,
	// and the catalogue does not change.
	for name, want := range map[string][]string{
		"Snippet-1-1.xml": {"warning 119 gtin", "warning 254 gtin", "error 101 currency", "error 376 currency"},
		"Snippet-1-2.xml": {"warning 73 gtin", "warning 149 gtin", "error 52 currency"},
	} {
		got := problemsOf(supplier.upload("application/xml", sharedPeppol(t, name), nil).expect(http.StatusUnprocessableEntity))
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: problems %v lack %q", name, got, w)
			}
		}
		for _, p := range got {
			if strings.HasPrefix(p, "error") && !strings.HasSuffix(p, " currency") {
				t.Errorf("%s: error %q; only the currencies' are wanted", name, p)
			}
		}
	}
	if c := e.catalogue(sid); c != "" {
		t.Fatalf("rejected lists changed the catalogue: %s", c)
	}

	// With exchange rates for EUR and NOK they apply as published.
	admin.do("PUT", "/api/v1/exchange-rates/EUR", map[string]string{"rate": "7.4604"}).expect(http.StatusOK)
	admin.do("PUT", "/api/v1/exchange-rates/NOK", map[string]string{"rate": "0.6512"}).expect(http.StatusOK)
	e.setClock("2015-06-01")
	res1 := supplier.upload("application/xml", sharedPeppol(t, "Snippet-1-1.xml"), nil).expect(http.StatusCreated)
	first := res1.json()
	if first["status"] != "active" || first["action"] != "update" {
		t.Fatalf("Snippet-1-1: %v", first)
	}
	if got := strings.Join(problemsOf(res1), "|"); strings.Contains(got, "error") || !strings.Contains(got, "warning 119 gtin") {
		t.Errorf("Snippet-1-1 report: %s", got)
	}
	after1 := e.catalogue(sid)
	if after1 != "34234-324=active 654321=active 983492342=active INST01=active MNTR01=active PC01=active" {
		t.Errorf("after Snippet-1-1 (Update): %s", after1)
	}
	// The lines whose GTIN was wrong are imported without it: no offer
	// carries the placeholder, and their products are candidates by SKU.
	var placeholders int64
	e.svc.DB.Raw("SELECT count(*) FROM offer_rows WHERE gtin IN ('1234567890123', '1234567890124', '1234567890114')").Scan(&placeholders)
	if placeholders != 0 {
		t.Errorf("%d offers kept a GTIN with a wrong check digit", placeholders)
	}
	var origin string
	e.svc.DB.Raw(`SELECT p.status || ':' || coalesce(p.origin_sku, '') || ':' || coalesce(p.gtin, '') FROM offers o JOIN products p ON p.id = o.product_id
		WHERE o.supplier_id = ? AND o.sku = 'PC01'`, sid).Scan(&origin)
	if origin != "candidate:PC01:" {
		t.Errorf("PC01's product %q, want a candidate by SKU without a GTIN", origin)
	}
	second := supplier.upload("application/xml", sharedPeppol(t, "Snippet-1-2.xml"), nil).expect(http.StatusCreated).json()
	if second["action"] != "replace" || second["status"] != "active" {
		t.Errorf("Snippet-1-2: %v", second)
	}
	// Replace: the earlier catalogue is superseded as a whole.
	if got := e.catalogue(sid); got != "12345=active 34234-324=superseded 654321=superseded 6789=active 983492342=superseded INST01=superseded MNTR01=superseded PC01=superseded PC01=active" {
		t.Errorf("after Snippet-1-2 (Replace): %s", got)
	}
	old := supplier.do("GET", "/api/v1/price-lists/"+itoa(int64(first["id"].(float64))), nil).expect(http.StatusOK).json()
	if old["status"] != "superseded" {
		t.Errorf("first list is %v after the replacing one", old["status"])
	}
	// PC01 again, still without a GTIN: the same candidate product.
	var pc01 []int64
	e.svc.DB.Raw("SELECT DISTINCT product_id FROM offer_rows WHERE supplier_id = ? AND sku = 'PC01' AND lowest", sid).Scan(&pc01)
	if len(pc01) != 1 {
		t.Errorf("PC01 on products %v", pc01)
	}

	// The full example as published, for another supplier, as of its
	// validity. It sells copy paper by the pound (OrderableUnit LBR) with a
	// content of 10 pieces: priced per piece.
	e.setClock("2018-10-15")
	resEx := e.withKey(e.demoKey(2)).upload("application/xml", sharedPeppol(t, "Catalogue_Example.xml"), nil).expect(http.StatusCreated)
	res := resEx.json()
	if res["status"] != "active" || res["currency"] != "EUR" || res["valid_from"] != "2018-09-01" || res["valid_to"] != "2019-08-31" {
		t.Errorf("example list: %v", res)
	}
	if got := strings.Join(problemsOf(resEx), "|"); got != "warning 202 gtin|warning 268 unit|warning 286 gtin" {
		t.Errorf("example report: %s", got)
	}
	sid2 := e.supplierOf(e.demoKey(2))
	if got := e.catalogue(sid2); got != "MNTR011=active MNTR012=active" {
		t.Errorf("after the example: %s", got)
	}
	// Its products were unknown: they arrive as candidates (by SKU, the
	// GTINs being wrong), and the offers endpoint prices them per base
	// unit in DKK too.
	var productID int64
	e.svc.DB.Raw("SELECT product_id FROM offers WHERE sku = 'MNTR011'").Scan(&productID)
	offers := admin.do("GET", "/api/v1/products/"+itoa(productID)+"/offers", nil).expect(http.StatusOK).json()["items"].([]any)
	if len(offers) != 1 {
		t.Fatalf("offers of MNTR011's product: %v", offers)
	}
	o := offers[0].(map[string]any)
	// 10.00 EUR for a BaseQuantity of 1 piece: 100.00 a pack of 10, and
	// 10.00 x 7.4604 = 74.604 DKK a piece.
	if o["currency"] != "EUR" || o["pack_price"] != "100.00" || o["unit_price"] != "10.00" || o["coop_unit_price"] != "74.604" {
		t.Errorf("offer %v", o)
	}

	// With valid GTINs, the lines match by GTIN as before.
	e.setClock("2015-06-02")
	fixed := supplier.upload("application/xml", withValidGTINs(sharedPeppol(t, "Snippet-1-2.xml")), nil).expect(http.StatusCreated)
	if got := strings.Join(problemsOf(fixed), "|"); strings.Contains(got, "gtin") {
		t.Errorf("valid GTINs warned: %s", got)
	}
	var withGTIN int64
	e.svc.DB.Raw("SELECT count(*) FROM offers WHERE supplier_id = ? AND gtin IS NOT NULL", sid).Scan(&withGTIN)
	if withGTIN != 2 {
		t.Errorf("%d offers with a GTIN after the corrected list", withGTIN)
	}
}

// danishCSV is a list as a Danish spreadsheet exports it: semicolons,
// decimal commas, dd-mm-yyyy dates, Danish headers in another order, and
// (once encoded) Windows-1252.
const danishCSV = "varenavn;varenummer;ean;enhed;indhold;basisenhed;pris;valuta;min_antal;gyldig_fra;gyldig_til;kategori\r\n" +
	"Nitrilhandsker, pudderfri, str. M;NH-M;%s;BX;100;EA;45,00;DKK;1;01-01-2026;31-12-2027;handsker\r\n" +
	"Nitrilhandsker, pudderfri, str. M;NH-M;%s;BX;100;EA;42,50;DKK;10;01-01-2026;31-12-2027;handsker\r\n" +
	"Spritswab 70%% isopropyl (æske);SW-70;;BX;200;EA;1.234,50;DKK;1;;;forbinding\r\n" +
	"Briksepapir 50 cm × 50 m;BP-50;;PR;50;MTR;89,95;DKK;1;;;papir\r\n"

func TestDanishCSVInWindows1252(t *testing.T) {
	e := newEnv(t)
	e.setClock("2026-06-01")
	var gtin string
	e.svc.DB.Raw("SELECT gtin FROM products ORDER BY id LIMIT 1").Scan(&gtin)
	body, err := charmap.Windows1252.NewEncoder().Bytes([]byte(fmt.Sprintf(danishCSV, gtin, gtin)))
	if err != nil {
		t.Fatal(err)
	}
	key := e.demoKey(1)
	pl := e.withKey(key).upload("text/csv", body, nil).expect(http.StatusCreated).json()
	if pl["status"] != "active" || pl["rows_read"] != 4.0 || pl["rows_valid"] != 4.0 || pl["format"] != "csv" {
		t.Fatalf("list %v", pl)
	}
	if c := e.catalogue(e.supplierOf(key)); c != "BP-50=active NH-M=active SW-70=active" {
		t.Errorf("catalogue %s", c)
	}
	var names []string
	e.svc.DB.Raw("SELECT name FROM products WHERE status = 'candidate' ORDER BY name").Scan(&names)
	if strings.Join(names, "|") != "Briksepapir 50 cm × 50 m|Spritswab 70% isopropyl (æske)" {
		t.Errorf("candidates %q: Windows-1252 not read as such", names)
	}
	var productID int64
	e.svc.DB.Raw("SELECT id FROM products WHERE gtin = ?", gtin).Scan(&productID)
	offers := e.login(demo.PracticeEmail).do("GET", "/api/v1/products/"+itoa(productID)+"/offers", nil).expect(http.StatusOK).json()["items"].([]any)
	o := offers[0].(map[string]any)
	tiers := o["tiers"].([]any)
	if o["unit_price"] != "0.45" || len(tiers) != 2 || tiers[1].(map[string]any)["unit_price"] != "0.425" || o["valid_to"] != "2027-12-31" {
		t.Errorf("offer %v", o)
	}
	var price string
	e.svc.DB.Raw("SELECT pack_price::text FROM offers WHERE sku = 'SW-70'").Scan(&price)
	if price != "1234.500000" {
		t.Errorf("1.234,50 stored as %s", price)
	}
}

const jsonList = `{"currency": "DKK", "valid_from": "2026-01-01", "lines": [
 {"sku": "SP-2", "name": "Engangssprøjte 2 ml", "gtin": "%s", "unit": "PK", "pack_content": "100", "base_unit": "EA",
  "pack_price": "31.25", "tiers": [{"min_qty": "20", "pack_price": "29.00"}]},
 {"sku": "SP-5", "name": "Engangssprøjte 5 ml", "unit": "PK", "pack_content": "100", "base_unit": "EA", "pack_price": "38.75"}
]}`

func TestJSONListAndScheduling(t *testing.T) {
	e := newEnv(t)
	e.setClock("2025-12-01")
	var gtin string
	e.svc.DB.Raw("SELECT gtin FROM products WHERE name LIKE 'Engangssprøjte 2 ml%' LIMIT 1").Scan(&gtin)
	key := e.demoKey(3)
	sid := e.supplierOf(key)
	c := e.withKey(key)
	pl := c.upload("application/json", []byte(fmt.Sprintf(jsonList, gtin)), nil).expect(http.StatusCreated).json()
	// Effective from a later day: scheduled, nothing in force yet.
	if pl["status"] != "scheduled" || pl["valid_from"] != "2026-01-01" {
		t.Fatalf("list %v", pl)
	}
	if cat := e.catalogue(sid); cat != "SP-2=pending SP-5=pending" {
		t.Errorf("catalogue %s", cat)
	}
	admin := e.login(demo.AdminEmail)
	run := admin.runJob("catalog-refresh")
	if run["counts"].(map[string]any)["lists_activated"] != 0.0 {
		t.Errorf("activated before its day: %v", run)
	}
	e.setClock("2026-01-01")
	run = admin.runJob("catalog-refresh")
	if run["counts"].(map[string]any)["lists_activated"] != 1.0 {
		t.Errorf("refresh %v", run)
	}
	if cat := e.catalogue(sid); cat != "SP-2=active SP-5=active" {
		t.Errorf("catalogue after refresh %s", cat)
	}
	// Twice in a row: the second run changes nothing.
	run = admin.runJob("catalog-refresh")
	for k, v := range run["counts"].(map[string]any) {
		if v != 0.0 {
			t.Errorf("second refresh changed %s: %v", k, v)
		}
	}
	// A supplier lists its own lists only; a member none.
	if items := c.do("GET", "/api/v1/price-lists", nil).expect(http.StatusOK).json()["items"].([]any); len(items) != 1 {
		t.Errorf("supplier sees %d lists", len(items))
	}
	if items := e.withKey(e.demoKey(1)).do("GET", "/api/v1/price-lists", nil).expect(http.StatusOK).json()["items"].([]any); len(items) != 0 {
		t.Errorf("another supplier sees %d lists", len(items))
	}
	if items := e.login(demo.PracticeEmail).do("GET", "/api/v1/price-lists", nil).expect(http.StatusOK).json()["items"].([]any); len(items) != 0 {
		t.Errorf("a practice sees %d lists", len(items))
	}
}
