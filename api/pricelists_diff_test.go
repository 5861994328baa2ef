package api_test

import (
	"context"
	"net/http"
	"testing"

	"andel/internal/demo"
)

// TestPriceListDiff: a supplier with a contract replaces its list, raising
// the contract product's price, lowering another, dropping one, changing a
// pack and adding an item. The diff says each (per base unit, with the
// percentage), flags the increase under contract, and staff see it in the
// list's report; another supplier's list is 404.
func TestPriceListDiff(t *testing.T) {
	e := newEnv(t)
	if _, err := demo.SeedTenders(context.Background(), e.svc.Services); err != nil {
		t.Fatal(err)
	}
	db := e.svc.DB
	var line struct {
		ProductID, SupplierID int64
	}
	db.Raw(`SELECT product_id, supplier_id FROM contract_lines WHERE status = 'active' ORDER BY id LIMIT 1`).Scan(&line)
	if line.SupplierID == 0 {
		t.Fatal("the demo award made no contract line")
	}
	key := ""
	for i := 1; i <= 50 && key == ""; i++ {
		if k := e.demoKey(i); e.supplierOf(k) == line.SupplierID {
			key = k
		}
	}
	var product struct {
		GTIN, BaseUnit string
	}
	db.Raw("SELECT gtin, base_unit FROM products WHERE id = ?", line.ProductID).Scan(&product)
	if key == "" || product.GTIN == "" {
		t.Fatalf("no key for supplier %d or no GTIN on product %d", line.SupplierID, line.ProductID)
	}
	// Each list: C-1 (the contract's product), D-1, R-1, P-1, U-1, NEW-1 as
	// "unit content base_unit price", "" when absent. The second raises C-1
	// 10% (under contract), lowers D-1 20%, drops R-1, sells P-1 as a
	// 500 ml bottle at the same price per ml, keeps U-1, adds NEW-1.
	items := []struct{ sku, name, gtin, first, second string }{
		{"C-1", "Kontraktvare", product.GTIN, "XBX,100," + product.BaseUnit + ",45.00", "XBX,100," + product.BaseUnit + ",49.50"},
		{"D-1", "Gaze", "", "XPK,10,H87,12.00", "XPK,10,H87,9.60"},
		{"R-1", "Plaster", "", "XBX,50,H87,30.00", ""},
		{"P-1", "Sprit", "", "H87,1,LTR,40.00", "H87,500,MLT,20.00"},
		{"U-1", "Vat", "", "XBX,10,H87,9.00", "XBX,10,H87,9.00"},
		{"NEW-1", "Ny vare", "", "", "XBX,10,H87,20.00"},
	}
	lists := make([]map[string]any, 2)
	for i := range lists {
		body := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n"
		for _, it := range items {
			if v := []string{it.first, it.second}[i]; v != "" {
				body += it.sku + "," + it.name + "," + it.gtin + "," + v + ",DKK\n"
			}
		}
		lists[i] = e.withKey(key).upload("text/csv", []byte(body), nil).expect(http.StatusCreated).json()
	}
	old, pl := int64(lists[0]["id"].(float64)), lists[1]
	id := itoa(int64(pl["id"].(float64)))

	d := e.withKey(key).do("GET", "/api/v1/price-lists/"+id+"/diff", nil).expect(http.StatusOK).json()
	if d["previous_price_list_id"] != float64(old) {
		t.Errorf("previous list %v, want %d", d["previous_price_list_id"], old)
	}
	counts := d["counts"].(map[string]any)
	want := map[string]float64{"added": 1, "removed": 1, "price_up": 1, "price_down": 1, "pack_changed": 1,
		"unchanged": 1, "flagged_increases": 1}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("counts[%s] = %v, want %v (%v)", k, counts[k], v, counts)
		}
	}
	only := func(k string) map[string]any {
		items := d[k].([]any)
		if len(items) != 1 {
			t.Fatalf("%s: %v", k, items)
		}
		return items[0].(map[string]any)
	}
	if a := only("added"); a["sku"] != "NEW-1" || a["unit_price"] != "2" || a["base_unit"] != "H87" || a["pack_price"] != "20" {
		t.Errorf("added %v", a)
	}
	if r := only("removed"); r["sku"] != "R-1" || r["unit_price"] != "0.6" {
		t.Errorf("removed %v", r)
	}
	u := only("price_up")
	if u["new"].(map[string]any)["sku"] != "C-1" || u["old_unit_price"] != "0.45" || u["new_unit_price"] != "0.495" ||
		u["change_percent"] != "10" || u["under_contract"] != true {
		t.Errorf("price up %v", u)
	}
	dn := only("price_down")
	if dn["new"].(map[string]any)["sku"] != "D-1" || dn["old_unit_price"] != "1.2" || dn["new_unit_price"] != "0.96" ||
		dn["change_percent"] != "-20" || dn["under_contract"] != false {
		t.Errorf("price down %v", dn)
	}
	p := only("pack_changed")
	if o, n := p["old"].(map[string]any), p["new"].(map[string]any); n["sku"] != "P-1" || o["base_unit"] != "LTR" || n["base_unit"] != "MLT" ||
		n["pack_content"] != "500" || n["unit_price"] != "0.04" || o["unit_price"] != "40" {
		t.Errorf("pack changed %v", p)
	}

	// Staff see the flagged increase in the list's report; the supplier's
	// own answer does not carry it.
	report := e.login(demo.AdminEmail).do("GET", "/api/v1/price-lists/"+id, nil).expect(http.StatusOK).json()
	flagged, _ := report["flagged_increases"].([]any)
	if len(flagged) != 1 || flagged[0].(map[string]any)["new"].(map[string]any)["sku"] != "C-1" {
		t.Errorf("staff report flagged %v", report["flagged_increases"])
	}
	if own := e.withKey(key).do("GET", "/api/v1/price-lists/"+id, nil).expect(http.StatusOK).json(); own["flagged_increases"] != nil {
		t.Errorf("a supplier sees flagged increases: %v", own["flagged_increases"])
	}

	// Another supplier's key: 404, as for a list that does not exist.
	for i := 1; i <= 2; i++ {
		if k := e.demoKey(i); e.supplierOf(k) != line.SupplierID {
			e.withKey(k).do("GET", "/api/v1/price-lists/"+id+"/diff", nil).expect(http.StatusNotFound)
			break
		}
	}
}
