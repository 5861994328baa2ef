package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"andel/internal/demo"

	"github.com/shopspring/decimal"
)

// TestOrderAtAwardedContract orders, without naming an offer, a product
// that a real tender award put under contract (the demo's awarded tender):
// the line goes to the awarded supplier at the contract price, with the
// baseline the award fixed.
func TestOrderAtAwardedContract(t *testing.T) {
	e := newEnv(t)
	if _, err := demo.SeedTenders(context.Background(), e.svc.Services); err != nil {
		t.Fatal(err)
	}
	var line struct {
		ProductID, SupplierID, ContractID int64
		UnitPrice, BaselineUnitPrice      string
		BaselineMethod                    string
	}
	e.svc.DB.Raw(`SELECT product_id, supplier_id, contract_id, unit_price::text AS unit_price,
		baseline_unit_price::text AS baseline_unit_price, baseline_method
		FROM contract_lines WHERE status = 'active' ORDER BY id LIMIT 1`).Scan(&line)
	if line.ProductID == 0 {
		t.Fatal("the demo award made no contract line")
	}
	res := e.login(demo.PracticeEmail).do("POST", "/api/v1/orders",
		map[string]any{"lines": []map[string]any{{"product_id": line.ProductID, "quantity": 3}}}).expect(http.StatusCreated)
	body := res.json()
	orders, _ := body["orders"].([]any)
	if len(orders) != 1 {
		t.Fatalf("answer %s", res.body)
	}
	o := orders[0].(map[string]any)
	l := o["lines"].([]any)[0].(map[string]any)
	if o["supplier_id"] != float64(line.SupplierID) || l["on_contract"] != true || l["contract_id"] != float64(line.ContractID) ||
		l["baseline_method"] != line.BaselineMethod {
		t.Errorf("order %v, contract line %+v", o, line)
	}
	if !dec(t, l["unit_price"]).Equal(decimal.RequireFromString(line.UnitPrice)) {
		t.Errorf("3 packs at %v, contract unit price %s", l["unit_price"], line.UnitPrice)
	}

	// A contract tier (a lower price from 1,000 packs) applies from there.
	var lineID int64
	e.svc.DB.Raw("SELECT id FROM contract_lines WHERE status = 'active' ORDER BY id LIMIT 1").Scan(&lineID)
	var tier struct{ PackPrice, UnitPrice string }
	if err := e.svc.DB.Raw(`INSERT INTO contract_line_tiers (contract_line_id, supplier_id, min_packs, pack_price, unit_price)
		SELECT id, supplier_id, 1000, pack_price - 0.01, round((pack_price - 0.01) / pack_content, 6) FROM contract_lines WHERE id = ?
		RETURNING pack_price::text AS pack_price, unit_price::text AS unit_price`, lineID).Scan(&tier).Error; err != nil {
		t.Fatal(err)
	}
	res = e.login(demo.PracticeEmail).do("POST", "/api/v1/orders",
		map[string]any{"lines": []map[string]any{{"product_id": line.ProductID, "quantity": 1000}}}).expect(http.StatusCreated)
	l = res.json()["orders"].([]any)[0].(map[string]any)["lines"].([]any)[0].(map[string]any)
	if !dec(t, l["pack_price"]).Equal(decimal.RequireFromString(tier.PackPrice)) ||
		!dec(t, l["unit_price"]).Equal(decimal.RequireFromString(tier.UnitPrice)) {
		t.Errorf("1,000 packs at %v / %v, tier %+v", l["pack_price"], l["unit_price"], tier)
	}
}

// TestOrderAtContractTiers runs a tender through the API whose winning bid
// has tiers, awards it, and orders at the contract: each line is priced at
// the tier the cooperative's pooled volume reaches (the committed volume,
// or what is ordered with this order's packs), any positive number of packs may be ordered
// (the contract line has no minimum of its own), and an off-contract line
// in another currency is measured against the contract's baseline,
// converted at the day's rate. Every figure is computed by hand.
func TestOrderAtContractTiers(t *testing.T) {
	e := newEnv(t)
	admin, practice := e.login(demo.AdminEmail), e.login(demo.PracticeEmail)
	supA := e.withKey(e.demoKey(1))
	gloves := e.productID("Nitrilhandsker, pudderfri, str. M")

	// Offers before the tender, for the baseline: 0.50 (A), 0.48 (B) and
	// 6.00 EUR / 100 at 7.5 = 0.45 DKK (C): median 0.48 DKK.
	e.insertOffer(e.supplierOfKey(1), gloves, "BX", "100", "EA", "50.00", "DKK")
	e.insertOffer(e.supplierOfKey(2), gloves, "BX", "200", "EA", "96.00", "DKK")
	e.insertOffer(e.supplierOfKey(3), gloves, "BX", "100", "EA", "6.00", "EUR")
	admin.do("PUT", "/api/v1/exchange-rates/EUR", map[string]string{"rate": "7.5"}).expect(http.StatusOK)

	deadline := time.Now().Add(time.Hour).Truncate(time.Second)
	tender := admin.do("POST", "/api/v1/tenders", tenderBody(deadline, m{"title": "Handsker",
		"items": []m{{"product_id": gloves, "quantity": "4500"}}})).expect(http.StatusCreated).json()
	path := fmt.Sprintf("/api/v1/tenders/%d", int64(tender["id"].(float64)))
	item := obj(list(obj(list(tender["lots"])[0])["items"])[0])["id"]
	admin.do("POST", path+"/publish", nil).expect(http.StatusOK)
	// Boxes of 100 at 45.00 (0.45 each), 42.00 from 40 boxes, 40.00 from 100.
	supA.do("POST", path+"/bids", m{"values": m{"delivery_days": "2"}, "items": []m{{"item_id": item,
		"pack_unit": "BX", "pack_content": "100", "pack_price": "45.00",
		"tiers": []m{{"min_packs": "40", "pack_price": "42.00"}, {"min_packs": "100", "pack_price": "40.00"}}}}}).expect(http.StatusCreated)
	e.clock.Set(deadline.Add(time.Minute))
	if run := admin.runJob("tender-close"); obj(run["counts"])["tenders_closed"] != float64(1) {
		t.Fatalf("close run %v", run)
	}
	admin.do("POST", path+"/award", nil).expect(http.StatusOK)
	var tiers int64
	e.svc.DB.Raw("SELECT count(*) FROM contract_line_tiers t JOIN contract_lines l ON l.id = t.contract_line_id WHERE l.product_id = ?", gloves).Scan(&tiers)
	if tiers != 2 {
		t.Fatalf("the award made %d contract tiers, want 2", tiers)
	}

	// Bad quantities on contract lines: 422 on each line's quantity, nothing stored.
	bad := practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": gloves, "quantity": 0}, {"product_id": gloves, "quantity": -40}}}).expect(http.StatusUnprocessableEntity)
	if got := bad.problemFields(); len(got) != 2 || got[0] != "lines[0].quantity" || got[1] != "lines[1].quantity" {
		t.Errorf("problems %v", got)
	}

	// By hand, against the baseline 0.48 (100 EA a box). The tender pooled
	// 4,500 EA = 45 boxes (committed), which reach the tier from 40: 42.00.
	// This order adds 1 + 39 + 40 + 100 = 180 boxes on the contract line,
	// so the cooperative's volume is 180 boxes and every line pays the
	// tier from 100 boxes, 40.00 (0.40 per EA), whatever its own packs:
	//   1 box    : net    40.00, savings (0.48 - 0.40) x    100 =   8.00
	//   39 boxes : net 1,560.00, savings (0.48 - 0.40) x  3,900 = 312.00
	//   40 boxes : net 1,600.00, savings (0.48 - 0.40) x  4,000 = 320.00
	//   100 boxes: net 4,000.00, savings (0.48 - 0.40) x 10,000 = 800.00
	// Order: net 7,200.00, savings 1,440.00, baseline 8,640.00, VAT 1,800.00.
	res := practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": gloves, "quantity": 1}, {"product_id": gloves, "quantity": 39},
		{"product_id": gloves, "quantity": 40}, {"product_id": gloves, "quantity": 100}}}).expect(http.StatusCreated)
	os := orders(res)
	if len(os) != 1 || os[0]["supplier_id"] != float64(e.supplierOfKey(1)) {
		t.Fatalf("orders %s", res.body)
	}
	for i, want := range []map[string]string{
		{"pack_price": "40.00", "unit_price": "0.40", "net_total": "40.00", "savings": "8.00", "baseline_total": "48.00"},
		{"pack_price": "40.00", "unit_price": "0.40", "net_total": "1560.00", "savings": "312.00", "baseline_total": "1872.00"},
		{"pack_price": "40.00", "unit_price": "0.40", "net_total": "1600.00", "savings": "320.00", "baseline_total": "1920.00"},
		{"pack_price": "40.00", "unit_price": "0.40", "net_total": "4000.00", "savings": "800.00", "baseline_total": "4800.00"},
	} {
		l := line(os[0], i)
		if l["on_contract"] != true || l["baseline_method"] != "median_list_price" || l["currency"] != "DKK" {
			t.Errorf("line %d: %v", i, l)
		}
		decEq(t, fmt.Sprintf("line %d baseline unit price", i), l["baseline_unit_price"], "0.48")
		for k, v := range want {
			decEq(t, fmt.Sprintf("line %d %s", i, k), l[k], v)
		}
	}
	for k, v := range map[string]string{"net_total": "7200.00", "savings_total": "1440.00", "baseline_total": "8640.00", "vat_total": "1800.00", "gross_total": "9000.00"} {
		decEq(t, "order "+k, os[0][k], v)
	}

	// Off-contract, C's EUR offer: the contract's baseline, 0.48 DKK, at the
	// day's rate 7.4604 is 0.48 / 7.4604 = 0.0643397... = 0.064340 EUR. Two
	// boxes, 200 EA at 0.06: net 12.00 EUR, savings 0.00434 x 200 = 0.868
	// = 0.87 EUR.
	admin.do("PUT", "/api/v1/exchange-rates/EUR", map[string]string{"rate": "7.4604"}).expect(http.StatusOK)
	var eurOffer int64
	e.svc.DB.Raw("SELECT id FROM offers WHERE product_id = ? AND currency = 'EUR'", gloves).Scan(&eurOffer)
	res = practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": gloves, "offer_id": eurOffer, "quantity": 2}}}).expect(http.StatusCreated)
	l := line(orders(res)[0], 0)
	if l["on_contract"] != false || l["currency"] != "EUR" || l["baseline_method"] != "median_list_price" {
		t.Errorf("off-contract line %v", l)
	}
	for k, v := range map[string]string{"unit_price": "0.06", "baseline_unit_price": "0.06434", "net_total": "12.00", "savings": "0.87", "baseline_total": "12.87"} {
		decEq(t, "off-contract "+k, l[k], v)
	}
}
