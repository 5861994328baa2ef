package api_test

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"andel/internal/demo"
)

// ublCatalogue is a PEPPOL catalogue with the header action (and optional
// extra header elements, e.g. a ReferencedContract) around lines.
func ublCatalogue(id, action, header string, lines ...string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<Catalogue xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
	xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2">
	<cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:catalogue:3</cbc:CustomizationID>
	<cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:catalogue_only:3</cbc:ProfileID>
	<cbc:ID>` + id + `</cbc:ID>
	<cbc:ActionCode>` + action + `</cbc:ActionCode>
	<cbc:IssueDate>2026-05-01</cbc:IssueDate>
	` + header + `
	<cac:ProviderParty><cac:PartyName><cbc:Name>Leverandør</cbc:Name></cac:PartyName></cac:ProviderParty>
	<cac:ReceiverParty><cac:PartyName><cbc:Name>Andel</cbc:Name></cac:PartyName></cac:ReceiverParty>
	` + strings.Join(lines, "\n") + `
</Catalogue>`)
}

// ublLine is a catalogue line: its action, the item's seller's id and GTIN
// (each may be empty) and, when price is not empty, a box of 10 pieces at
// that price in DKK.
func ublLine(no int, action, sku, gtin, price string) string {
	s := fmt.Sprintf("<cac:CatalogueLine><cbc:ID>%d</cbc:ID><cbc:ActionCode>%s</cbc:ActionCode>", no, action)
	if price != "" {
		s += `<cbc:OrderableUnit>XBX</cbc:OrderableUnit><cbc:ContentUnitQuantity unitCode="C62">10</cbc:ContentUnitQuantity>
		<cac:RequiredItemLocationQuantity><cac:Price><cbc:PriceAmount currencyID="DKK">` + price + `</cbc:PriceAmount></cac:Price></cac:RequiredItemLocationQuantity>`
	}
	s += "<cac:Item><cbc:Name>Vare " + sku + gtin + "</cbc:Name>"
	if sku != "" {
		s += "<cac:SellersItemIdentification><cbc:ID>" + sku + "</cbc:ID></cac:SellersItemIdentification>"
	}
	if gtin != "" {
		s += `<cac:StandardItemIdentification><cbc:ID schemeID="0160">` + gtin + "</cbc:ID></cac:StandardItemIdentification>"
	}
	return s + "</cac:Item></cac:CatalogueLine>"
}

// firstSupplierOn starts an environment on day, with the first demo
// supplier: its id and its client.
func firstSupplierOn(t *testing.T, day string) (*env, int64, *client) {
	e := newEnv(t)
	e.setClock(day)
	key := e.demoKey(1)
	return e, e.supplierOf(key), e.withKey(key)
}

// prices is "sku=pack price" of a supplier's offers in force.
func (e *env) prices(supplierID int64) string {
	var rows []string
	e.svc.DB.Raw(`SELECT sku || '=' || pack_price::numeric(12,2) FROM offers WHERE supplier_id = ? AND status = 'active' ORDER BY sku`, supplierID).Scan(&rows)
	return strings.Join(rows, " ")
}

func TestDeleteAndUpdateLinesNeedNoPrice(t *testing.T) {
	e, sid, c := firstSupplierOn(t, "2026-05-01")
	const g1, g2 = "5701234567899", "5790000000104"
	c.upload("application/xml", ublCatalogue("K1", "Replace", "",
		ublLine(1, "Add", "A", "", "10.00"),
		ublLine(2, "Add", "B", g1, "20.00"),
		ublLine(3, "Add", "C", g2, "30.00"),
		ublLine(4, "Add", "D", "", "40.00"),
	), nil).expect(http.StatusCreated)
	if got := e.prices(sid); got != "A=10.00 B=20.00 C=30.00 D=40.00" {
		t.Fatalf("first catalogue: %s", got)
	}

	// An Update: B deleted by its GTIN alone, A's name updated without a
	// price (it keeps its price), D repriced, and a Delete of an item the
	// supplier does not sell (a warning naming the line).
	res := c.upload("application/xml", ublCatalogue("K2", "Update", "",
		ublLine(1, "Delete", "", g1, ""),
		ublLine(2, "Update", "A", "", ""),
		ublLine(3, "Update", "D", "", "38.00"),
		ublLine(4, "Delete", "NOPE", "", ""),
	), nil).expect(http.StatusCreated)
	pl := res.json()
	if pl["status"] != "active" || pl["action"] != "update" {
		t.Fatalf("update list %v", pl)
	}
	if got := e.prices(sid); got != "A=10.00 C=30.00 D=38.00" {
		t.Errorf("after the update: %s", got)
	}
	var warned bool
	for _, w := range pl["warnings"].([]any) {
		m := w.(map[string]any)
		if m["sku"] == "NOPE" && strings.Contains(m["message"].(string), "nothing was deleted") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning for the Delete that matches nothing: %v", pl["warnings"])
	}
	// Besides it, only line 1's: its GTIN stands in for a seller's item id.
	if pl["warning_count"] != 2.0 || pl["error_count"] != 0.0 {
		t.Errorf("counts %v %v: %v", pl["warning_count"], pl["error_count"], pl["warnings"])
	}

	// A Delete catalogue, its lines without prices: the catalogue is
	// withdrawn.
	del := c.upload("application/xml", ublCatalogue("K3", "Delete", "",
		ublLine(1, "Delete", "A", "", ""),
		ublLine(2, "Delete", "", g2, ""),
	), nil).expect(http.StatusCreated).json()
	if del["status"] != "active" || del["action"] != "delete" {
		t.Fatalf("delete list %v", del)
	}
	if got := e.prices(sid); got != "" {
		t.Errorf("after the Delete catalogue: %s", got)
	}
	ids := e.login(demo.PracticeEmail).do("GET", "/api/v1/price-lists", nil).expect(http.StatusOK).json()["items"].([]any)
	if len(ids) != 0 {
		t.Errorf("a practice sees lists")
	}
}

func TestCatalogueTiersFixture(t *testing.T) {
	e := newEnv(t)
	body, err := os.ReadFile("../suppliers/testdata/catalogue_tiers.xml")
	if err != nil {
		t.Fatal(err)
	}
	e.login(demo.AdminEmail).do("PUT", "/api/v1/exchange-rates/EUR", map[string]string{"rate": "7.4604"}).expect(http.StatusOK)
	e.setClock("2027-01-15")
	key := e.demoKey(1)
	res := e.withKey(key).upload("application/xml", body, nil).expect(http.StatusCreated)
	pl := res.json()
	if pl["status"] != "active" || pl["action"] != "update" {
		t.Fatalf("list %v", pl)
	}
	// Its Delete line (OLD-9, no price) names nothing this supplier sells.
	if got := problemsOf(res); !slices.Contains(got, "warning 153 sku") {
		t.Errorf("problems %v", got)
	}
	if got := e.catalogue(e.supplierOf(key)); got != "H-100=active OLD-9=withdrawn SAL-1=active SP-12=active" {
		t.Errorf("catalogue %s", got)
	}
}

func TestExpiredListRefusedCatalogueUnchanged(t *testing.T) {
	e, sid, c := firstSupplierOn(t, "2026-05-01")
	c.upload("application/xml", ublCatalogue("K1", "Replace", "",
		ublLine(1, "Add", "A", "", "10.00"), ublLine(2, "Add", "B", "", "20.00")), nil).expect(http.StatusCreated)
	before, prices := e.catalogue(sid), e.prices(sid)

	// A Replace whose validity ended in April: refused, nothing changes.
	expired := ublCatalogue("K0", "Replace", `<cac:ValidityPeriod><cbc:StartDate>2026-01-01</cbc:StartDate><cbc:EndDate>2026-04-30</cbc:EndDate></cac:ValidityPeriod>`,
		ublLine(1, "Add", "C", "", "5.00"))
	res := c.upload("application/xml", expired, nil).expect(http.StatusUnprocessableEntity)
	found := false
	for _, p := range res.json()["errors"].([]any) {
		if m := p.(map[string]any); m["field"] == "valid_to" && strings.Contains(m["message"].(string), "validity ended on 2026-04-30") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error about the ended validity: %s", res.body)
	}
	if got := e.catalogue(sid); got != before {
		t.Errorf("catalogue %s, was %s", got, before)
	}
	if got := e.prices(sid); got != prices || got != "A=10.00 B=20.00" {
		t.Errorf("prices %s, were %s", got, prices)
	}
	// A CSV list whose every line ended is refused too.
	csv := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty,valid_from,valid_to\nX,x,,XBX,10,C62,1.00,DKK,1,2026-01-01,2026-03-31\n"
	c.upload("text/csv", []byte(csv), nil).expect(http.StatusUnprocessableEntity)
	if got := e.prices(sid); got != "A=10.00 B=20.00" {
		t.Errorf("prices after the ended CSV: %s", got)
	}
}

func TestReferencedContractScopesReplaceAndDelete(t *testing.T) {
	e, sid, c := firstSupplierOn(t, "2026-05-01")
	contract := func(id string) string {
		return `<cac:ReferencedContract><cbc:ID>` + id + `</cbc:ID></cac:ReferencedContract>`
	}
	c.upload("application/xml", ublCatalogue("D1", "Replace", "", ublLine(1, "Add", "A", "", "10.00")), nil).expect(http.StatusCreated)
	k17 := c.upload("application/xml", ublCatalogue("K1", "Replace", contract("AFTALE-17"), ublLine(1, "Add", "B", "", "20.00")), nil).expect(http.StatusCreated).json()
	if k17["contract_ref"] != "AFTALE-17" {
		t.Errorf("the list does not say its contract: %v", k17["contract_ref"])
	}
	// Under another contract: the default catalogue and AFTALE-17 stay.
	c.upload("application/xml", ublCatalogue("K2", "Replace", contract("AFTALE-18"), ublLine(1, "Add", "C", "", "30.00")), nil).expect(http.StatusCreated)
	if got := e.prices(sid); got != "A=10.00 B=20.00 C=30.00" {
		t.Fatalf("after three catalogues: %s", got)
	}
	// A new AFTALE-17 replaces only AFTALE-17's.
	c.upload("application/xml", ublCatalogue("K3", "Replace", contract("AFTALE-17"), ublLine(1, "Add", "B2", "", "21.00")), nil).expect(http.StatusCreated)
	if got := e.prices(sid); got != "A=10.00 B2=21.00 C=30.00" {
		t.Errorf("after AFTALE-17 again: %s", got)
	}
	// A CSV (no reference) replaces the default catalogue only.
	c.upload("text/csv", []byte("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nA2,a,,XBX,10,C62,11.00,DKK\n"), nil).expect(http.StatusCreated)
	if got := e.prices(sid); got != "A2=11.00 B2=21.00 C=30.00" {
		t.Errorf("after the CSV: %s", got)
	}
	// Deleting the AFTALE-18 catalogue leaves the others; an Update under
	// AFTALE-17 deleting A2 (the default catalogue's) deletes nothing.
	c.upload("application/xml", ublCatalogue("K4", "Delete", contract("AFTALE-18"), ublLine(1, "Delete", "C", "", "")), nil).expect(http.StatusCreated)
	res := c.upload("application/xml", ublCatalogue("K5", "Update", contract("AFTALE-17"), ublLine(1, "Delete", "A2", "", "")), nil).expect(http.StatusCreated).json()
	if got := e.prices(sid); got != "A2=11.00 B2=21.00" {
		t.Errorf("after the deletes: %s", got)
	}
	if res["warning_count"] != 1.0 {
		t.Errorf("the Delete of another contract's item is not reported: %v", res["warnings"])
	}
}

func TestRollBackABA(t *testing.T) {
	e, sid, c := firstSupplierOn(t, "2026-05-01")
	head := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n"
	a := []byte(head + "X,x,,XBX,10,C62,10.00,DKK\n")
	b := []byte(head + "X,x,,XBX,10,C62,12.00,DKK\n")
	first := c.upload("text/csv", a, nil).expect(http.StatusCreated).json()
	// The body of the list in force again: that list (200).
	if again := c.upload("text/csv", a, nil).expect(http.StatusOK).json(); again["id"] != first["id"] {
		t.Errorf("same body: list %v, want %v", again["id"], first["id"])
	}
	c.upload("text/csv", b, nil).expect(http.StatusCreated)
	if got := e.prices(sid); got != "X=12.00" {
		t.Fatalf("after B: %s", got)
	}
	// A again: a new version with A's prices in force (201).
	back := c.upload("text/csv", a, nil).expect(http.StatusCreated).json()
	if back["id"] == first["id"] || back["status"] != "active" {
		t.Errorf("roll back: %v", back)
	}
	if got := e.prices(sid); got != "X=10.00" {
		t.Errorf("after rolling back to A: %s", got)
	}
	old := c.do("GET", "/api/v1/price-lists/"+itoa(int64(first["id"].(float64))), nil).expect(http.StatusOK).json()
	if old["status"] != "superseded" {
		t.Errorf("the first A is %v", old["status"])
	}
	// And A once more, now in force: 200 with the new version.
	if again := c.upload("text/csv", a, nil).expect(http.StatusOK).json(); again["id"] != back["id"] {
		t.Errorf("A in force again: list %v, want %v", again["id"], back["id"])
	}
}

func TestItemGainingAGTINStaysOnItsProduct(t *testing.T) {
	e, sid, c := firstSupplierOn(t, "2026-05-01")
	head := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n"
	c.upload("text/csv", []byte(head+"X,Vare X,,XBX,10,C62,10.00,DKK\n"), nil).expect(http.StatusCreated)
	var before int64
	e.svc.DB.Raw("SELECT product_id FROM offers WHERE supplier_id = ? AND sku = 'X'", sid).Scan(&before)
	if before == 0 {
		t.Fatal("no product for X")
	}
	const g = "4006381333931" // no demo product has it
	c.upload("text/csv", []byte(head+"X,Vare X,"+g+",XBX,10,C62,11.00,DKK\n"), nil).expect(http.StatusCreated)
	var after int64
	e.svc.DB.Raw("SELECT product_id FROM offers WHERE supplier_id = ? AND sku = 'X'", sid).Scan(&after)
	if after != before {
		t.Errorf("X moved from product %d to %d when it gained a GTIN", before, after)
	}
	var gtin string
	e.svc.DB.Raw("SELECT coalesce(gtin, '') FROM products WHERE id = ?", before).Scan(&gtin)
	if gtin != g {
		t.Errorf("the product's GTIN is %q, want %s", gtin, g)
	}
	var offersLeft int64
	e.svc.DB.Raw("SELECT count(*) FROM offers WHERE product_id = ?", before).Scan(&offersLeft)
	if offersLeft != 1 {
		t.Errorf("the product has %d offers", offersLeft)
	}
	// X with yet another GTIN, while its product has one: a conflict, X's
	// offer goes to a candidate with the new GTIN; the product keeps its.
	c.upload("text/csv", []byte(head+"X,Vare X,9780201379624,XBX,10,C62,11.00,DKK\n"), nil).expect(http.StatusCreated)
	var x int64
	var status string
	e.svc.DB.Raw("SELECT product_id FROM offers WHERE supplier_id = ? AND sku = 'X'", sid).Scan(&x)
	e.svc.DB.Raw("SELECT status || ':' || coalesce(gtin, '') FROM products WHERE id = ?", x).Scan(&status)
	if x == before || status != "candidate:9780201379624" {
		t.Errorf("X on product %d (%s)", x, status)
	}
	e.svc.DB.Raw("SELECT coalesce(gtin, '') FROM products WHERE id = ?", before).Scan(&gtin)
	if gtin != g {
		t.Errorf("the first product's GTIN became %q", gtin)
	}
}
