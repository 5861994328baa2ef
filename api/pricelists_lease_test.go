package api_test

import (
	"crypto/sha256"
	"net/http"
	"testing"
)

// TestInterruptedUploadIsReleased: a list left validating by a load whose
// process died (its lease ran out) does not block its body: the same body
// sent again runs afresh at once, and catalog-refresh rejects what is left;
// a load still alive (lease running) keeps its list.
func TestInterruptedUploadIsReleased(t *testing.T) {
	e := newEnv(t)
	sup := e.withKey(e.demoKey(1))
	sid := e.supplierOf(e.demoKey(1))
	body := []byte("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nLEASE-1,Handsker,,BX,100,EA,45.00,DKK\n")
	sum := sha256.Sum256(body)
	left := func(lease string) int64 {
		var id int64
		if err := e.svc.DB.Raw(`INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, created_by, lease_until)
			VALUES (?, 'csv', 'text/csv', ?, ?, 'test', now() + ?::interval) RETURNING id`, sid, sum[:], len(body), lease).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	status := func(id int64) (s string) {
		e.svc.DB.Raw("SELECT status FROM price_lists WHERE id = ?", id).Scan(&s)
		return s
	}
	// Alive: the same body answers with the list being loaded.
	alive := left("1 minute")
	if got := sup.upload("text/csv", body, nil).expect(http.StatusOK).json()["id"]; got != float64(alive) {
		t.Errorf("the same body answered list %v, want the live load's %d", got, alive)
	}
	// Dead: its lease ran out; the same body runs afresh at once.
	e.svc.DB.Exec("UPDATE price_lists SET lease_until = now() - interval '1 second' WHERE id = ?", alive)
	fresh := sup.upload("text/csv", body, nil).expect(http.StatusCreated).json()
	if fresh["id"] == float64(alive) || fresh["status"] != "active" || status(alive) != "rejected" {
		t.Errorf("after the lease: new list %v (%v), the interrupted one %s", fresh["id"], fresh["status"], status(alive))
	}
	// catalog-refresh rejects a dead load's list nobody sent again.
	other := []byte("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nLEASE-2,Gaze,,BX,100,EA,12.00,DKK\n")
	sum = sha256.Sum256(other)
	body = other
	dead := left("-1 second")
	e.login("admin@demo.andel").runJob("catalog-refresh")
	if status(dead) != "rejected" {
		t.Errorf("catalog-refresh left the interrupted list %s", status(dead))
	}
}
