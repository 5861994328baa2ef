package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"andel/internal/demo"
)

// problemsOfOrder returns "field: message" for each problem of a 422.
func problemsOfOrder(t *testing.T, r *response) []string {
	t.Helper()
	fields := r.problemFields()
	errs, _ := r.json()["errors"].([]any)
	out := make([]string, len(fields))
	for i := range fields {
		out[i] = fields[i] + ": " + errs[i].(map[string]any)["message"].(string)
	}
	return out
}

// hasProblem reports whether some problem starts with field and contains msg.
func hasProblem(problems []string, field, msg string) bool {
	return slices.ContainsFunc(problems, func(p string) bool {
		return strings.HasPrefix(p, field+": ") && strings.Contains(p, msg)
	})
}

// A Danish supplier's list says how its items are ordered: "Kan bestilles"
// nej keeps a line in the catalogue but out of orders; "Max antal" bounds
// a tier; "Min ordre", "Max ordre" and "Multiplum" bound an order line.
// The catalogue shows them, and an order breaking them is refused with
// every broken line named and what would be allowed.
func TestOrderRulesFromADanishList(t *testing.T) {
	e := newEnv(t)
	e.setClock("2026-06-01")
	db := e.svc.DB
	var gtins []string
	db.Raw("SELECT gtin FROM products WHERE base_unit = 'EA' AND gtin IS NOT NULL AND status = 'active' ORDER BY id LIMIT 3").Scan(&gtins)
	if len(gtins) < 3 {
		t.Fatalf("the demo has %d products with a GTIN in EA", len(gtins))
	}
	csv := "Varenavn;Varenummer;EAN;Enhed;Indhold;Basisenhed;Pris;Valuta;Min. antal;Max antal;Kan bestilles;Min. ordre;Max ordre;Multiplum\r\n" +
		// Gloves: 45,00 a box for 1 to 9 boxes, 40,00 from 10; at least 2 boxes, in twos.
		fmt.Sprintf("Nitrilhandsker M;HND-M;%s;æsk;100;stk;45,00;DKK;1;9;ja;2;;2\r\n", gtins[0]) +
		fmt.Sprintf("Nitrilhandsker M;HND-M;%s;æsk;100;stk;40,00;DKK;10;;ja;2;;2\r\n", gtins[0]) +
		// Listed for information: not orderable.
		fmt.Sprintf("Spritswab (udgået);SW-OLD;%s;æsk;200;stk;30,00;DKK;1;;nej;;;\r\n", gtins[1]) +
		// At most 20 boxes an order.
		fmt.Sprintf("Gazekompres;GZ-5;%s;pk;10;stk;12,50;DKK;1;;;;20;\r\n", gtins[2])
	key := e.demoKey(1)
	pl := e.withKey(key).upload("text/csv; charset=utf-8", []byte(csv), nil).expect(http.StatusCreated).json()
	if pl["status"] != "active" || pl["rows_valid"] != 4.0 {
		t.Fatalf("list %v", pl)
	}
	sid := e.supplierOf(key)
	if c := e.catalogue(sid); c != "GZ-5=active HND-M=active SW-OLD=active" {
		t.Errorf("catalogue %s: a line that is not orderable must stay in it", c)
	}
	var rows []struct {
		SKU                                                string `gorm:"column:sku"`
		MinQty, MaxQty, MinOrderQty, MaxOrderQty, Multiple *int64
		NotOrderable                                       bool
	}
	db.Raw(`SELECT sku, min_qty, max_qty, min_order_qty, max_order_qty, order_multiple AS multiple, not_orderable
		FROM offer_rows WHERE supplier_id = ? ORDER BY sku, min_qty`, sid).Scan(&rows)
	var got []string
	n := func(p *int64) string {
		if p == nil {
			return "-"
		}
		return itoa(*p)
	}
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s min=%s max=%s order=%s..%s x%s not_orderable=%v", r.SKU, n(r.MinQty), n(r.MaxQty),
			n(r.MinOrderQty), n(r.MaxOrderQty), n(r.Multiple), r.NotOrderable))
	}
	want := []string{
		"GZ-5 min=1 max=- order=-..20 x- not_orderable=false",
		"HND-M min=1 max=9 order=2..- x2 not_orderable=false",
		"HND-M min=10 max=- order=2..- x2 not_orderable=false",
		"SW-OLD min=1 max=- order=-..- x- not_orderable=true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("stored rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	practice := e.login(demo.PracticeEmail)
	offerOf := func(gtin string) (productID int64, offer map[string]any) {
		db.Raw("SELECT id FROM products WHERE gtin = ?", gtin).Scan(&productID)
		items := practice.do("GET", "/api/v1/products/"+itoa(productID)+"/offers", nil).expect(http.StatusOK).json()["items"].([]any)
		for _, it := range items {
			if o := it.(map[string]any); o["supplier_id"] == float64(sid) {
				return productID, o
			}
		}
		t.Fatalf("no offer of supplier %d for %s", sid, gtin)
		return 0, nil
	}
	gloves, glovesOffer := offerOf(gtins[0])
	swab, swabOffer := offerOf(gtins[1])
	gauze, gauzeOffer := offerOf(gtins[2])
	tiers := glovesOffer["tiers"].([]any)
	if glovesOffer["orderable"] != true || glovesOffer["min_order_qty"] != 2.0 || glovesOffer["order_multiple"] != 2.0 ||
		glovesOffer["max_order_qty"] != nil || len(tiers) != 2 || tiers[0].(map[string]any)["max_qty"] != 9.0 || tiers[1].(map[string]any)["max_qty"] != nil {
		t.Errorf("gloves offer %v", glovesOffer)
	}
	if swabOffer["orderable"] != false {
		t.Errorf("swab offer %v: shown, not orderable", swabOffer)
	}
	if gauzeOffer["max_order_qty"] != 20.0 {
		t.Errorf("gauze offer %v", gauzeOffer)
	}
	id := func(o map[string]any) int64 { return int64(o["id"].(float64)) }

	// Every broken line at once, nothing stored.
	bad := practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": gloves, "offer_id": id(glovesOffer), "quantity": 3}, // not a multiple of 2
		{"product_id": swab, "offer_id": id(swabOffer), "quantity": 1},     // not orderable
		{"product_id": gauze, "offer_id": id(gauzeOffer), "quantity": 25},  // above 20
		{"product_id": gloves, "offer_id": id(glovesOffer), "quantity": 1}, // below 2, not a multiple
	}}).expect(http.StatusUnprocessableEntity)
	problems := problemsOfOrder(t, bad)
	for _, w := range []struct{ field, msg string }{
		{"lines[0].quantity", "3 packs is not a multiple of 2, the supplier's order multiple of SKU HND-M (nearest allowed: 2 or 4)"},
		{"lines[1].offer_id", "(SKU SW-OLD) is not orderable"},
		{"lines[2].quantity", "25 packs is above the supplier's maximum order of 20 packs of SKU GZ-5 (allowed: from 1 to 20 packs)"},
		{"lines[3].quantity", "1 packs is below the supplier's minimum order of 2 packs of SKU HND-M (allowed: multiples of 2 from 2 packs)"},
		{"lines[3].quantity", "not a multiple of 2"},
	} {
		if !hasProblem(problems, w.field, w.msg) {
			t.Errorf("no problem %s %q in\n%s", w.field, w.msg, strings.Join(problems, "\n"))
		}
	}
	var count int64
	db.Raw("SELECT count(*) FROM orders").Scan(&count)
	if count != 0 {
		t.Fatalf("%d orders stored after a 422", count)
	}

	// Within the rules: 10 boxes of gloves reach 40,00; 20 packs of gauze.
	res := practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": gloves, "offer_id": id(glovesOffer), "quantity": 10},
		{"product_id": gauze, "offer_id": id(gauzeOffer), "quantity": 20},
	}}).expect(http.StatusCreated)
	os := orders(res)
	if len(os) != 1 || line(os[0], 0)["pack_price"] != "40.00" || line(os[0], 1)["pack_price"] != "12.50" {
		t.Errorf("orders %s", res.body)
	}
}

// The official PEPPOL example sells MNTR011 at 10.00 EUR a piece from 1 up
// to 10 pounds (MaximumQuantity 10 LBR), between 1 and 100 pounds an order
// (MinimumOrderQuantity, MaximumOrderQuantity). Its price's maximum bounds
// the tier: 11 pounds has no price and is refused; 10 is priced. The same
// document with OrderableIndicator false stays in the catalogue and is
// refused in orders.
func TestOrderRulesFromThePeppolExample(t *testing.T) {
	e := newEnv(t)
	e.setClock("2018-10-15")
	db := e.svc.DB
	admin, practice := e.login(demo.AdminEmail), e.login(demo.PracticeEmail)
	admin.do("PUT", "/api/v1/exchange-rates/EUR", map[string]string{"rate": "7.4604"}).expect(http.StatusOK)
	supplier := e.withKey(e.demoKey(2))
	supplier.upload("application/xml", sharedPeppol(t, "Catalogue_Example.xml"), nil).expect(http.StatusCreated)
	var r struct {
		MaxQty, MinOrderQty, MaxOrderQty, OrderMultiple int64
		NotOrderable                                    bool
		ProductID                                       int64
	}
	db.Raw(`SELECT max_qty, min_order_qty, max_order_qty, order_multiple, not_orderable, product_id FROM offers WHERE sku = 'MNTR011'`).Scan(&r)
	if r.MaxQty != 10 || r.MinOrderQty != 1 || r.MaxOrderQty != 100 || r.OrderMultiple != 1 || r.NotOrderable {
		t.Fatalf("MNTR011 as stored: %+v", r)
	}
	admin.do("POST", "/api/v1/products/"+itoa(r.ProductID)+"/confirm", nil).expect(http.StatusOK)
	var offerID int64
	db.Raw("SELECT id FROM offers WHERE sku = 'MNTR011'").Scan(&offerID)
	order := func(qty int) *response {
		return practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
			{"product_id": r.ProductID, "offer_id": offerID, "quantity": qty}}})
	}
	p := problemsOfOrder(t, order(11).expect(http.StatusUnprocessableEntity))
	if !hasProblem(p, "lines[0].quantity", "no price of the offer applies to 11 packs: it is priced for 1 to 10 packs") {
		t.Errorf("11 pounds: %q", p)
	}
	p = problemsOfOrder(t, order(101).expect(http.StatusUnprocessableEntity))
	if !hasProblem(p, "lines[0].quantity", "101 packs is above the supplier's maximum order of 100 packs of SKU MNTR011") {
		t.Errorf("101 pounds: %q", p)
	}
	if l := line(orders(order(10).expect(http.StatusCreated))[0], 0); l["pack_price"] != "100.00" || l["currency"] != "EUR" {
		t.Errorf("10 pounds: %v", l)
	}

	// The same catalogue, not orderable (a later issue of it).
	e.setClock("2018-10-16")
	body := bytes.Replace(sharedPeppol(t, "Catalogue_Example.xml"), []byte("<cbc:OrderableIndicator>true</cbc:OrderableIndicator>"),
		[]byte("<cbc:OrderableIndicator>false</cbc:OrderableIndicator>"), 1)
	supplier.upload("application/xml", body, nil).expect(http.StatusCreated)
	if c := e.catalogue(e.supplierOf(e.demoKey(2))); !strings.Contains(c, "MNTR011=active") {
		t.Errorf("catalogue %s: the line must stay", c)
	}
	db.Raw("SELECT id FROM offers WHERE sku = 'MNTR011'").Scan(&offerID)
	p = problemsOfOrder(t, order(1).expect(http.StatusUnprocessableEntity))
	if !hasProblem(p, "lines[0].offer_id", "(SKU MNTR011) is not orderable") {
		t.Errorf("not orderable: %q", p)
	}
}
