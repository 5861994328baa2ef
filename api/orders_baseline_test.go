package api_test

import (
	"net/http"
	"testing"

	"andel/internal/demo"
)

// TestOrderMedianBaselineRoundedOnce (issue 10, bug 2): a line ordered
// without a contract against list offers of 179.00 and 171.00 per box of
// 300 EA. Their exact median is 350.00 / 600 = 0.58333... per EA: stored
// as 0.583333 (rounded once to 6 decimals), while the line's totals use the
// exact median. 50 boxes of the 171.00 offer are 15,000 EA: net 8,550.00,
// baseline 15,000 x 0.58333... = 8,750.00, savings 200.00. Rounding the
// median first (0.583334 x 15,000) gave 8,750.01 and 200.01.
func TestOrderMedianBaselineRoundedOnce(t *testing.T) {
	e := newEnv(t)
	db := e.svc.DB
	var product int64
	if err := db.Raw(`INSERT INTO products (name, category, base_unit) VALUES ('Vatpinde, 300 stk', 'vat', 'EA') RETURNING id`).
		Scan(&product).Error; err != nil {
		t.Fatal(err)
	}
	e.insertOffer(e.supplierOfKey(1), product, "BX", "300", "EA", "179.00", "DKK")
	e.insertOffer(e.supplierOfKey(2), product, "BX", "300", "EA", "171.00", "DKK")
	var offer int64
	db.Raw("SELECT id FROM offers WHERE product_id = ? AND pack_price = 171", product).Scan(&offer)

	practice := e.login(demo.PracticeEmail)
	res := practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": product, "offer_id": offer, "quantity": 50}}}).expect(http.StatusCreated)
	os := orders(res)
	if len(os) != 1 {
		t.Fatalf("orders %s", res.body)
	}
	wantFields(t, line(os[0], 0), map[string]string{"pack_price": "171.00", "unit_price": "0.57", "base_quantity": "15000",
		"baseline_unit_price": "0.583333", "baseline_method": "median_list_price", "net_total": "8550.00",
		"baseline_total": "8750.00", "savings": "200.00"})
	wantFields(t, os[0], map[string]string{"net_total": "8550.00", "baseline_total": "8750.00", "savings_total": "200.00"})
}
