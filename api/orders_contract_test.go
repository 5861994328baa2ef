package api_test

import (
	"context"
	"net/http"
	"testing"

	"andel/domain"

	"github.com/shopspring/decimal"
)

// TestOrderAtAwardedContract orders, without naming an offer, a product
// that a real tender award put under contract (the demo's awarded tender):
// the line goes to the awarded supplier at the contract price, with the
// baseline the award fixed.
func TestOrderAtAwardedContract(t *testing.T) {
	e := newEnv(t)
	if _, err := e.svc.SeedDemoTenders(context.Background()); err != nil {
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
	res := e.login(domain.DemoPracticeEmail).do("POST", "/api/v1/orders",
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
	res = e.login(domain.DemoPracticeEmail).do("POST", "/api/v1/orders",
		map[string]any{"lines": []map[string]any{{"product_id": line.ProductID, "quantity": 1000}}}).expect(http.StatusCreated)
	l = res.json()["orders"].([]any)[0].(map[string]any)["lines"].([]any)[0].(map[string]any)
	if !dec(t, l["pack_price"]).Equal(decimal.RequireFromString(tier.PackPrice)) ||
		!dec(t, l["unit_price"]).Equal(decimal.RequireFromString(tier.UnitPrice)) {
		t.Errorf("1,000 packs at %v / %v, tier %+v", l["pack_price"], l["unit_price"], tier)
	}
}
