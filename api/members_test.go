package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"andel/internal/demo"
)

func TestMembers(t *testing.T) {
	e := newEnv(t)
	admin := e.login(demo.AdminEmail)

	created := admin.do("POST", "/api/v1/members", map[string]any{
		"name": "Lægehuset Test", "cvr": "29403473", "quality_cluster": "Klynge Test", "joined_on": "2024-03-01",
	}).expect(http.StatusCreated)
	m := created.json()
	id := itoa(int64(m["id"].(float64)))
	if created.header.Get("Location") != "/api/v1/members/"+id || m["status"] != "active" || m["joined_on"] != "2024-03-01" {
		t.Errorf("created %v, Location %q", m, created.header.Get("Location"))
	}

	// Every problem with the input at once; nothing stored.
	fields := admin.do("POST", "/api/v1/members", map[string]any{"cvr": "12345678", "status": "gone", "joined_on": "1/3/2024"}).
		expect(http.StatusUnprocessableEntity).problemFields()
	for _, f := range []string{"status", "joined_on"} {
		if !slices.Contains(fields, f) {
			t.Errorf("problem fields %v lack %s", fields, f)
		}
	}
	fields = admin.do("POST", "/api/v1/members", map[string]any{"cvr": "12345678"}).expect(http.StatusUnprocessableEntity).problemFields()
	if !slices.Equal(fields, []string{"name", "cvr"}) { // 12345678 fails the modulus-11 check
		t.Errorf("fields %v, want [name cvr]", fields)
	}
	fields = admin.do("POST", "/api/v1/members", map[string]any{"name": "X", "cvr": "12345678"}).expect(http.StatusUnprocessableEntity).problemFields()
	if !slices.Equal(fields, []string{"cvr"}) {
		t.Errorf("fields %v, want [cvr] (modulus 11)", fields)
	}
	// Duplicate CVR: 409.
	admin.do("POST", "/api/v1/members", map[string]any{"name": "Dup", "cvr": "29403473"}).expect(http.StatusConflict)
	// Malformed and unknown input: 400, never 500.
	admin.do("POST", "/api/v1/members", `{"name": "x",`).expect(http.StatusBadRequest)
	if f := admin.do("POST", "/api/v1/members", map[string]any{"name": "X", "cvr": "29403473", "id": 7}).expect(http.StatusBadRequest).problemFields(); !slices.Equal(f, []string{"id"}) {
		t.Errorf("unknown field problem %v", f)
	}
	admin.do("POST", "/api/v1/members", map[string]any{"name": 5}).expect(http.StatusBadRequest)

	// PATCH changes only what is given; "" clears an optional field.
	patched := admin.do("PATCH", "/api/v1/members/"+id, map[string]any{"status": "suspended", "quality_cluster": ""}).expect(http.StatusOK).json()
	if patched["status"] != "suspended" || patched["quality_cluster"] != nil || patched["name"] != "Lægehuset Test" {
		t.Errorf("patched %v", patched)
	}
	list := admin.do("GET", "/api/v1/members?status=suspended", nil).expect(http.StatusOK).json()
	if items := list["items"].([]any); len(items) != 1 {
		t.Errorf("suspended members %v", items)
	}
	admin.do("GET", "/api/v1/members?status=bogus&limit=0", nil).expect(http.StatusUnprocessableEntity)

	// Paging walks all 13 members without repeats.
	seen := map[float64]bool{}
	path := "/api/v1/members?limit=5"
	for pages := 0; path != ""; pages++ {
		page := admin.do("GET", path, nil).expect(http.StatusOK).json()
		for _, it := range page["items"].([]any) {
			seen[it.(map[string]any)["id"].(float64)] = true
		}
		path = ""
		if next, ok := page["next_cursor"].(string); ok {
			path = "/api/v1/members?limit=5&cursor=" + next
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != 13 {
		t.Errorf("paged through %d members, want 13", len(seen))
	}

	// Members and the board read; only admins write.
	board := e.login(demo.BoardEmail)
	board.do("GET", "/api/v1/members/"+id, nil).expect(http.StatusOK)
	board.do("PATCH", "/api/v1/members/"+id, map[string]any{"name": "Nope"}).expect(http.StatusForbidden)
	practice := e.login(demo.PracticeEmail)
	mine := practice.do("GET", "/api/v1/members", nil).expect(http.StatusOK).json()["items"].([]any)
	if len(mine) != 1 || mine[0].(map[string]any)["name"] != "Lægehuset Vesterbro" {
		t.Errorf("a practice lists %v, want only itself", mine)
	}

	audit := admin.do("GET", "/api/v1/audit?entity=member&entity_id="+id, nil).expect(http.StatusOK)
	for _, action := range []string{"member.created", "member.updated"} {
		if !strings.Contains(string(audit.body), action) {
			t.Errorf("audit lacks %s", action)
		}
	}
	board.do("GET", "/api/v1/audit", nil).expect(http.StatusForbidden)
}

func TestSuppliers(t *testing.T) {
	e := newEnv(t)
	admin := e.login(demo.AdminEmail)
	s := admin.do("POST", "/api/v1/suppliers", map[string]any{"name": "Ny Leverandør ApS", "vat_id": "29 40 34 73"}).
		expect(http.StatusCreated).json()
	if s["vat_id"] != "DK29403473" {
		t.Errorf("vat id normalised to %v", s["vat_id"])
	}
	fields := admin.do("POST", "/api/v1/suppliers", map[string]any{"name": "", "vat_id": "DK12345678",
		"order_webhook_url": "ftp://x", "order_email": "not-mail"}).expect(http.StatusUnprocessableEntity).problemFields()
	for _, f := range []string{"name", "vat_id", "order_webhook_url", "order_email"} {
		if !slices.Contains(fields, f) {
			t.Errorf("problem fields %v lack %s", fields, f)
		}
	}
	admin.do("POST", "/api/v1/suppliers", map[string]any{"name": "Dup", "vat_id": "DK29403473"}).expect(http.StatusConflict)

	// A supplier keeps its own order channel current, but not its name.
	supplierUser := e.login(demo.SupplierEmail)
	own := itoa(int64(supplierUser.do("GET", "/api/v1/me", nil).json()["supplier_id"].(float64)))
	supplierUser.do("PATCH", "/api/v1/suppliers/"+own, map[string]any{"order_webhook_url": "https://erp.example.com/orders"}).expect(http.StatusOK)
	supplierUser.do("PATCH", "/api/v1/suppliers/"+own, map[string]any{"name": "Renamed"}).expect(http.StatusForbidden)
	e.withKey(e.demoKey(1)).do("GET", "/api/v1/suppliers/"+own, nil).expect(http.StatusOK)
	list := supplierUser.do("GET", "/api/v1/suppliers", nil).expect(http.StatusOK).json()["items"].([]any)
	if len(list) != 1 {
		t.Errorf("a supplier lists %d suppliers, want only itself", len(list))
	}
}
