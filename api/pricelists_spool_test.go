package api_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"os"
	"strings"
	"testing"

	"andel/domain"
)

// TestUploadsLeaveNoSpooledBody: whatever an upload ends in (in force,
// the same body again, a replay by its Idempotency-Key, 409 while the key
// is held, 422 for the key reused with another body, a rejected list, a
// body too large), no spooled body outlives its request.
func TestUploadsLeaveNoSpooledBody(t *testing.T) {
	dir := t.TempDir()
	e := newEnvWith(t, domain.Options{PriceListSpoolDir: dir, PriceListMaxBytes: 64 << 10})
	key := e.demoKey(1)
	sup := e.withKey(key)
	spooled := func(step string) {
		t.Helper()
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) > 0 {
			t.Errorf("after %s: %d spooled files left (%s)", step, len(entries), entries[0].Name())
		}
	}
	const head = "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n"
	good := []byte(head + "S-1,Vat,,BX,10,EA,12.50,DKK\n")
	other := []byte(head + "S-2,Plaster,,BX,10,EA,9.50,DKK\n")

	sup.upload("text/csv", good, nil).expect(http.StatusCreated)
	spooled("a list in force")
	sup.upload("text/csv", good, nil).expect(http.StatusOK)
	spooled("the same body again")
	k := map[string]string{"Idempotency-Key": "spool-1"}
	sup.upload("text/csv", other, k).expect(http.StatusCreated)
	if sup.upload("text/csv", other, k).expect(http.StatusCreated).header.Get("Idempotent-Replayed") != "true" {
		t.Error("not replayed")
	}
	spooled("a replay")
	sup.upload("text/csv", good, k).expect(http.StatusUnprocessableEntity)
	spooled("a key reused with another body (422)")
	sup.upload("text/csv", []byte(head+"S-3,Bad,,QQQ,10,EA,-1,DKK\n"), nil).expect(http.StatusUnprocessableEntity)
	spooled("a rejected list (422)")
	big := []byte(head + strings.Repeat("S-4,"+strings.Repeat("x", 100)+",,BX,10,EA,1.00,DKK\n", 1000))
	sup.upload("text/csv", big, nil).expect(http.StatusRequestEntityTooLarge)
	spooled("a body too large (413)")

	// 409: the key is held by a request still running (claimed here as
	// that request would).
	held := []byte(head + "S-5,Sprit,,BX,10,EA,5.00,DKK\n")
	sum := sha256.Sum256(held)
	caller := domain.IdempotencyCaller(domain.Actor{Role: domain.RoleSupplier, SupplierID: e.supplierOf(key)})
	if _, _, err := e.svc.Idempotency.Begin(context.Background(), caller, "spool-2", "POST", "/api/v1/price-lists", sum[:]); err != nil {
		t.Fatal(err)
	}
	sup.upload("text/csv", held, map[string]string{"Idempotency-Key": "spool-2"}).expect(http.StatusConflict)
	spooled("a key still held (409)")
	var validating int64
	e.svc.DB.Raw("SELECT count(*) FROM price_lists WHERE status = 'validating'").Scan(&validating)
	if validating != 0 {
		t.Errorf("%d lists left validating", validating)
	}
}
