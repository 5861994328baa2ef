package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// An offer in another currency is ordered off-contract in that currency
// (what its supplier invoices); the median baseline, in the cooperative's
// currency, is converted into it through the exchange rate.
func TestOrderOfferInForeignCurrency(t *testing.T) {
	e := newEnv(t)
	f := newOrderFixture(t, e)
	db := e.svc.DB
	f.admin.do("PUT", "/api/v1/exchange-rates/EUR", map[string]string{"rate": "7.5"}).expect(http.StatusOK)
	supplier3 := e.supplierOf(e.demoKey(3))
	// A fourth supplier for the SEK offer: a baseline takes one price per
	// supplier (its lowest), so each currency's offer comes from its own.
	var supplier4 int64
	if err := db.Raw(`INSERT INTO suppliers (name, vat_id) VALUES ('Svensk Vård AB', 'SE556000000001') RETURNING id`).Scan(&supplier4).Error; err != nil {
		t.Fatal(err)
	}
	offerIn := func(list int64, sku, price, currency string) int64 {
		t.Helper()
		supplier := supplier3
		if currency == "SEK" {
			supplier = supplier4
		}
		if err := db.Exec(`INSERT INTO price_lists (id, supplier_id, format, content_type, body_sha256, body_bytes, currency, status, created_by)
			OVERRIDING SYSTEM VALUE VALUES (?, ?, 'csv', 'text/csv', sha256(?::bytea), 0, ?, 'active', 'test')`,
			list, supplier, sku, currency).Error; err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := db.Raw(`INSERT INTO offers (supplier_id, price_list_id, line_no, sku, name, product_id, pack_unit,
			pack_content, base_unit, pack_price, currency, min_qty) VALUES (?, ?, 1, ?, ?, ?, 'BX', 100, 'EA', ?, ?, 1)
			RETURNING id`, supplier, list, sku, sku, f.product, price, currency).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	// 5.00 EUR a box of 100: 0.05 EUR = 0.375 DKK each.
	eurOffer := offerIn(900003, "C-100", "5.00", "EUR")

	// By hand: the median of 0.45 (A's lowest tier), 0.50 (B) and 0.375 DKK
	// (C) is 0.45 DKK = 0.06 EUR. Two boxes: 10.00 EUR, 200 each, savings
	// (0.06 - 0.05) x 200 = 2.00 EUR, baseline 12.00 EUR.
	res := f.practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "offer_id": eurOffer, "quantity": 2}}}).expect(http.StatusCreated)
	os := orders(res)
	if len(os) != 1 || os[0]["currency"] != "EUR" {
		t.Fatalf("orders %s", res.body)
	}
	wantFields(t, line(os[0], 0), map[string]string{"currency": "EUR", "pack_price": "5.00", "unit_price": "0.05",
		"baseline_unit_price": "0.06", "baseline_method": "median_list_price", "net_total": "10.00",
		"baseline_total": "12.00", "savings": "2.00", "vat_total": "2.50", "gross_total": "12.50"})

	// A currency without a rate: 422 on that line naming the missing rate,
	// nothing stored. 65.80 SEK a box of 100: 0.658 SEK each.
	sekOffer := offerIn(900004, "S-100", "65.80", "SEK")
	var before int64
	db.Raw("SELECT count(*) FROM orders").Scan(&before)
	sekLine := map[string]any{"product_id": f.product, "offer_id": sekOffer, "quantity": 1000}
	bad := f.practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "offer_id": f.offerB, "quantity": 1}, sekLine}}).expect(http.StatusUnprocessableEntity)
	if got := bad.problemFields(); !slices.Contains(got, "lines[1].offer_id") || len(got) != 1 {
		t.Errorf("problems %v", got)
	}
	if !strings.Contains(string(bad.body), "no exchange rate from SEK to DKK") {
		t.Errorf("the problem does not name the missing rate: %s", bad.body)
	}
	var after int64
	db.Raw("SELECT count(*) FROM orders").Scan(&after)
	if after != before {
		t.Errorf("%d orders stored after a 422", after-before)
	}

	// With a rate the median mixes three currencies, ranked by exact value
	// in DKK: 0.375 (C, EUR), 0.45 (A), 0.4509274 (0.658 SEK x 0.6853), 0.50
	// (B). An even count: the mean of 0.45 DKK and 0.658 SEK, expressed in
	// SEK and rounded once: (0.45 + 0.4509274) / (2 x 0.6853) = 0.9009274 /
	// 1.3706 = 0.65732336... = 0.657323 SEK (through a DKK median rounded to
	// 0.450464 first it would be 0.657324). 1,000 boxes = 100,000 each at
	// 0.658: net 65,800.00 SEK, savings (0.657323 - 0.658) x 100,000 =
	// -67.70 SEK (dearer than the median), baseline 65,732.30 SEK.
	f.admin.do("PUT", "/api/v1/exchange-rates/SEK", map[string]string{"rate": "0.6853"}).expect(http.StatusOK)
	res = f.practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{sekLine}}).expect(http.StatusCreated)
	os = orders(res)
	if len(os) != 1 || os[0]["currency"] != "SEK" {
		t.Fatalf("orders %s", res.body)
	}
	wantFields(t, line(os[0], 0), map[string]string{"currency": "SEK", "pack_price": "65.80", "unit_price": "0.658",
		"baseline_unit_price": "0.657323", "baseline_method": "median_list_price", "net_total": "65800.00",
		"baseline_total": "65732.30", "savings": "-67.70", "vat_total": "16450.00", "gross_total": "82250.00"})
	wantFields(t, os[0], map[string]string{"currency": "SEK", "net_total": "65800.00", "savings_total": "-67.70"})

	// The EUR line of the same product, now the median moved: (0.45 +
	// 0.4509274) / (2 x 7.5) = 0.9009274 / 15 = 0.06006182... = 0.060062
	// EUR. One box, 100 each at 0.05: net 5.00, savings 0.10062 -> 1.01 EUR.
	res = f.practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "offer_id": eurOffer, "quantity": 1}}}).expect(http.StatusCreated)
	wantFields(t, line(orders(res)[0], 0), map[string]string{"currency": "EUR", "unit_price": "0.05",
		"baseline_unit_price": "0.060062", "net_total": "5.00", "savings": "1.01", "baseline_total": "6.01"})
}
