package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"
)

// The importer writes each SKU's lines in one pass when they are together
// in the body; a CSV whose tiers are apart is loaded again sorted, with
// the same checks and the same catalogue as a result. Either way the
// offer's lowest tier is the offer and the tiers above it are ordered at.
func TestTiersApartInBody(t *testing.T) {
	e := newEnv(t)
	e.setClock("2026-06-01")
	key := e.demoKey(1)
	sid := e.supplierOf(key)
	c := e.withKey(key)
	const header = "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty\n"

	// The same SKU and minimum twice, rows apart: rejected, nothing changes.
	bad := header +
		"D-1,Plaster,,BX,10,EA,20.00,DKK,1\n" +
		"D-2,Gaze,,BX,10,EA,15.00,DKK,1\n" +
		"D-1,Plaster,,BX,10,EA,19.00,DKK,1\n" + // line 4: again
		"D-2,Gaze,,PK,10,EA,14.00,DKK,5\n" // line 5: another pack than line 3
	got := problemsOf(c.upload("text/csv", []byte(bad), nil).expect(http.StatusUnprocessableEntity))
	for _, want := range []string{"error 4 min_qty", "error 5 sku"} {
		if !slices.Contains(got, want) {
			t.Errorf("problems %v lack %q", got, want)
		}
	}
	if cat := e.catalogue(sid); cat != "" {
		t.Fatalf("a rejected list changed the catalogue: %s", cat)
	}

	good := header +
		"T-1,Tape,,BX,10,EA,20.00,DKK,1\n" +
		"T-2,Gaze,,BX,10,EA,15.00,DKK,1\n" +
		"T-1,Tape,,BX,10,EA,18.00,DKK,10\n" +
		"T-2,Gaze,,BX,10,EA,16.00,DKK,5\n" // line 5: dearer at more packs
	res := c.upload("text/csv", []byte(good), nil).expect(http.StatusCreated)
	if pl := res.json(); pl["status"] != "active" || pl["rows_valid"] != 4.0 {
		t.Fatalf("list %v", pl)
	}
	if got := problemsOf(res); !slices.Equal(got, []string{"warning 5 pack_price"}) {
		t.Errorf("problems %v", got)
	}
	if cat := e.catalogue(sid); cat != "T-1=active T-2=active" {
		t.Errorf("catalogue %s", cat)
	}
	var product, offer int64
	e.svc.DB.Raw("SELECT product_id, id FROM offers WHERE sku = 'T-1'").Row().Scan(&product, &offer)
	practice := e.login(demo.PracticeEmail)
	offers := practice.do("GET", "/api/v1/products/"+itoa(product)+"/offers", nil).expect(http.StatusOK).json()["items"].([]any)
	tiers := offers[0].(map[string]any)["tiers"].([]any)
	if len(tiers) != 2 || tiers[0].(map[string]any)["unit_price"] != "2.00" || tiers[1].(map[string]any)["unit_price"] != "1.80" {
		t.Errorf("tiers %v", tiers)
	}
	// Confirmed by staff, ordered at the lowest tier and at the one above.
	e.login(demo.AdminEmail).do("POST", "/api/v1/products/"+itoa(product)+"/confirm", nil).expect(http.StatusOK)
	for qty, want := range map[int]string{1: "20.00", 10: "18.00"} {
		os := orders(practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
			{"product_id": product, "offer_id": offer, "quantity": qty}}}).expect(http.StatusCreated))
		if got := line(os[0], 0)["pack_price"]; got != want {
			t.Errorf("%d packs at %v, want %s", qty, got, want)
		}
	}

	// The same SKUs again, together this time: the earlier list leaves the
	// catalogue at once, and catalog-refresh marks its rows afterwards.
	again := header +
		"T-1,Tape,,BX,10,EA,21.00,DKK,1\n" +
		"T-2,Gaze,,BX,10,EA,16.00,DKK,1\n"
	c.upload("text/csv", []byte(again), nil).expect(http.StatusCreated)
	if cat := e.catalogue(sid); cat != "T-1=superseded T-1=active T-2=superseded T-2=active" {
		t.Errorf("catalogue %s", cat)
	}
	var visible int64
	e.svc.DB.Raw("SELECT count(*) FROM offers WHERE supplier_id = ?", sid).Scan(&visible)
	if visible != 2 {
		t.Errorf("%d offers in the catalogue, want the 2 of the new list", visible)
	}
	for i, want := range []int64{2, 0} {
		n, err := e.svc.Catalogue.RetireSupersededOffers(context.Background())
		if err != nil || n != want {
			t.Errorf("retire run %d: %d rows, %v; want %d", i+1, n, err, want)
		}
	}
}

// A first list's offers are written with the ids of the candidate products
// made for them. The same new GTIN under two SKUs makes one candidate,
// whether the two are in one lookup batch or far apart (two batches), and
// no offer is left pointing at a product that does not exist.
func TestCandidatesOfAFirstList(t *testing.T) {
	e := newEnv(t)
	key := e.demoKey(1)
	c := e.withKey(key)
	gtin := func(body string) string {
		for d := 0; d <= 9; d++ {
			if g := body + strconv.Itoa(d); domain.ValidGTIN(g) {
				return g
			}
		}
		panic("no check digit fits")
	}
	x, y := gtin("579000012345"), gtin("579000067890")
	var b strings.Builder
	b.WriteString("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n")
	fmt.Fprintf(&b, "G-A,Handske A,%s,BX,100,EA,40.00,DKK\n", x)
	fmt.Fprintf(&b, "H-1,Gaze 1,%s,BX,10,EA,12.00,DKK\n", y)
	fmt.Fprintf(&b, "H-2,Gaze 2,%s,BX,10,EA,13.00,DKK\n", y)
	for i := range 1200 { // more than one lookup batch
		fmt.Fprintf(&b, "F-%04d,Fyld %d,,BX,1,EA,1.00,DKK\n", i, i)
	}
	fmt.Fprintf(&b, "G-B,Handske B,%s,BX,100,EA,41.00,DKK\n", x)
	c.upload("text/csv", []byte(b.String()), nil).expect(http.StatusCreated)

	db := e.svc.DB
	for _, g := range []string{x, y} {
		var products, offers int64
		db.Raw("SELECT count(*) FROM products WHERE gtin = ?", g).Scan(&products)
		db.Raw(`SELECT count(*) FROM offers o JOIN products p ON p.id = o.product_id AND p.gtin = ? WHERE o.gtin = ?`, g, g).Scan(&offers)
		if products != 1 || offers != 2 {
			t.Errorf("GTIN %s: %d products, %d offers on it; want 1 candidate with both offers", g, products, offers)
		}
	}
	var fillers, dangling int64
	db.Raw("SELECT count(*) FROM products WHERE origin_sku LIKE 'F-%' AND status = 'candidate'").Scan(&fillers)
	db.Raw("SELECT count(*) FROM offer_rows o WHERE o.lowest AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = o.product_id)").Scan(&dangling)
	if fillers != 1200 || dangling != 0 {
		t.Errorf("%d candidates for the SKUs without GTIN (want 1200), %d offers without their product", fillers, dangling)
	}
}
