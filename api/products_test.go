package api_test

import (
	"net/http"
	"testing"

	"andel/internal/demo"
)

func TestProductSearchConfirmMerge(t *testing.T) {
	e := newEnv(t)
	key := e.demoKey(1)
	var glovesGTIN string
	e.svc.DB.Raw("SELECT gtin FROM products WHERE name LIKE 'Nitrilhandsker%str. M' LIMIT 1").Scan(&glovesGTIN)
	e.withKey(key).upload("text/csv", []byte("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n"+
		"NH-M-100,Nitrilhandsker M 100 stk,"+glovesGTIN+",BX,100,EA,45.00,DKK\n"+
		"GZ-5,Gazekompres 5x5 cm usteril,,BX,100,EA,19.95,DKK\n"), nil).expect(http.StatusCreated)
	member := e.login(demo.PracticeEmail)
	names := func(path string) []string {
		var out []string
		for _, it := range member.do("GET", path, nil).expect(http.StatusOK).json()["items"].([]any) {
			out = append(out, it.(map[string]any)["name"].(string))
		}
		return out
	}
	if got := names("/api/v1/products?q=nitrilhandsker"); len(got) != 2 {
		t.Errorf("q=nitrilhandsker: %v", got)
	}
	if got := names("/api/v1/products?q=NH-M-100"); len(got) != 1 || got[0] != "Nitrilhandsker, pudderfri, str. M" {
		t.Errorf("by SKU: %v", got)
	}
	if got := names("/api/v1/products?gtin=" + glovesGTIN); len(got) != 1 {
		t.Errorf("by GTIN: %v", got)
	}
	if got := names("/api/v1/products?category=sprøjter"); len(got) != 2 {
		t.Errorf("by category: %v", got)
	}
	if got := names("/api/v1/products?q=gaze"); len(got) < 2 || got[0] != "Gazekompres 10x10 cm, steril" && got[0] != "Gazekompres 5x5 cm usteril" {
		t.Errorf("q=gaze: %v", got)
	}
	member.do("GET", "/api/v1/products?gtin=123", nil).expect(http.StatusUnprocessableEntity)

	// The unmatched gauze is a candidate: staff merge it into the catalogue's own.
	var candidate, target int64
	e.svc.DB.Raw("SELECT id FROM products WHERE status = 'candidate' AND origin_sku = 'GZ-5'").Scan(&candidate)
	e.svc.DB.Raw("SELECT id FROM products WHERE name = 'Gazekompres 10x10 cm, steril'").Scan(&target)
	admin := e.login(demo.AdminEmail)
	member.do("POST", "/api/v1/products/"+itoa(candidate)+"/merge", map[string]any{"into": target}).expect(http.StatusForbidden)
	admin.do("POST", "/api/v1/products/"+itoa(candidate)+"/merge", map[string]any{"into": candidate}).expect(http.StatusUnprocessableEntity)
	const aliasGTIN = "4006381333931" // the candidate's, no other product's
	e.svc.DB.Exec("UPDATE products SET gtin = ? WHERE id = ?", aliasGTIN, candidate)
	admin.do("POST", "/api/v1/products/"+itoa(candidate)+"/merge", map[string]any{"into": target}).expect(http.StatusOK)
	// The merged product's id and GTIN lead to the product it joined.
	if got := member.do("GET", "/api/v1/products/"+itoa(candidate), nil).expect(http.StatusOK).json(); got["id"] != float64(target) {
		t.Errorf("GET the merged product answers %v, want product %d", got["id"], target)
	}
	if got := names("/api/v1/products?gtin=" + aliasGTIN); len(got) != 1 || got[0] != "Gazekompres 10x10 cm, steril" {
		t.Errorf("by the merged product's GTIN: %v", got)
	}
	offers := member.do("GET", "/api/v1/products/"+itoa(target)+"/offers", nil).expect(http.StatusOK).json()["items"].([]any)
	if len(offers) != 1 || offers[0].(map[string]any)["sku"] != "GZ-5" {
		t.Errorf("offers after merge: %v", offers)
	}
	admin.do("POST", "/api/v1/products/"+itoa(candidate)+"/merge", map[string]any{"into": target}).expect(http.StatusConflict)
	admin.do("POST", "/api/v1/products/"+itoa(target)+"/confirm", nil).expect(http.StatusConflict) // already active
	// An offer written while the merge ran (still on the merged candidate)
	// follows it at the next catalog-refresh, and only once.
	e.svc.DB.Exec("UPDATE offer_rows SET product_id = ? WHERE sku = 'GZ-5' AND lowest", candidate)
	if n := admin.runJob("catalog-refresh")["counts"].(map[string]any)["offers_rematched"]; n != 1.0 {
		t.Errorf("rematched %v offers, want 1", n)
	}
	if n := admin.runJob("catalog-refresh")["counts"].(map[string]any)["offers_rematched"]; n != 0.0 {
		t.Errorf("second run rematched %v offers, want 0", n)
	}
	offers = member.do("GET", "/api/v1/products/"+itoa(target)+"/offers", nil).expect(http.StatusOK).json()["items"].([]any)
	if len(offers) != 1 {
		t.Errorf("offers after the refresh: %v", offers)
	}
	// Orders and demand by the merged product's old id are the product's.
	offer := int64(offers[0].(map[string]any)["id"].(float64))
	o := orders(member.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": candidate, "offer_id": offer, "quantity": 2}}}).expect(http.StatusCreated))[0]
	if l := line(o, 0); l["product_id"] != float64(target) {
		t.Errorf("an order by the old id is for product %v, want %d", l["product_id"], target)
	}
	var memberID int64
	e.svc.DB.Raw("SELECT member_id FROM users WHERE email = ?", demo.PracticeEmail).Scan(&memberID)
	d := member.do("PUT", "/api/v1/members/"+itoa(memberID)+"/demand/2027", map[string]any{"lines": []map[string]any{
		{"product_id": candidate, "quantity": "100"}}}).expect(http.StatusOK).json()
	if l := d["lines"].([]any); len(l) != 1 || l[0].(map[string]any)["product_id"] != float64(target) {
		t.Errorf("demand by the old id: %v, want product %d", l, target)
	}
}
