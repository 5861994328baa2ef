package api_test

import (
	"net/http"
	"testing"

	"andel/internal/demo"
)

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	admin := e.login(demo.AdminEmail)
	send := func(key string, body any) *response {
		c := *admin
		res := c.doWith("POST", "/api/v1/members", body, map[string]string{"Idempotency-Key": key})
		return res
	}
	body := map[string]any{"name": "Lægehuset Gentaget", "cvr": "29403473"}
	first := send("k-1", body).expect(http.StatusCreated)
	again := send("k-1", body).expect(http.StatusCreated)
	if string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry answered %s (replayed %q), first %s", again.body, again.header.Get("Idempotent-Replayed"), first.body)
	}
	var n int64
	e.svc.DB.Table("members").Where("cvr = ?", "29403473").Count(&n)
	if n != 1 {
		t.Errorf("%d members stored, want 1", n)
	}
	// The same key with another body is refused.
	send("k-1", map[string]any{"name": "Andet", "cvr": "10150817"}).expect(http.StatusUnprocessableEntity)
	// A request refused before it changed anything keeps no key (as Stripe
	// does): the corrected request with the same key goes through.
	bad := map[string]any{"name": "", "cvr": "1"}
	send("k-2", bad).expect(http.StatusUnprocessableEntity)
	if res := send("k-2", bad).expect(http.StatusUnprocessableEntity); res.header.Get("Idempotent-Replayed") != "" {
		t.Error("a refused request's answer was kept and replayed")
	}
	fixed := map[string]any{"name": "Lægehuset Rettet", "cvr": "10150817"}
	send("k-2", fixed).expect(http.StatusCreated)
	if res := send("k-2", fixed).expect(http.StatusCreated); res.header.Get("Idempotent-Replayed") != "true" {
		t.Error("the corrected request's answer was not replayed")
	}
	// Keys belong to their caller: another user's same key is a new request.
	other := e.login(demo.PracticeEmail)
	other.doWith("POST", "/api/v1/members", body, map[string]string{"Idempotency-Key": "k-1"}).expect(http.StatusForbidden)
}

// TestIdempotentOrdersAsStripe: a refused order keeps no key; a key in
// flight is 409; a key whose request died is released when its lease
// ends; a request that executed but lost its answer (a crash between the
// commit and the stored answer) is answered with the orders it made, never
// placed twice.
func TestIdempotentOrdersAsStripe(t *testing.T) {
	e := newEnv(t)
	f := newOrderFixture(t, e)
	db := e.svc.DB
	place := func(key string, body any) *response {
		return f.practice.doWith("POST", "/api/v1/orders", body, map[string]string{"Idempotency-Key": key})
	}
	count := func() (n int64) {
		db.Raw("SELECT count(*) FROM orders").Scan(&n)
		return n
	}
	good := map[string]any{"lines": []map[string]any{{"product_id": f.product, "offer_id": f.offerB, "quantity": 3}}}

	// 1. A 422 uses up nothing: the corrected order with the same key is placed.
	place("fix-1", map[string]any{"lines": []map[string]any{{"product_id": f.product, "offer_id": f.offerB, "quantity": 0}}}).
		expect(http.StatusUnprocessableEntity)
	first := orders(place("fix-1", good).expect(http.StatusCreated))
	if again := orders(place("fix-1", good).expect(http.StatusCreated)); again[0]["id"] != first[0]["id"] {
		t.Errorf("the retry of the corrected order made order %v, first %v", again[0]["id"], first[0]["id"])
	}
	if n := count(); n != 1 {
		t.Fatalf("%d orders after a refused, a placed and a replayed request, want 1", n)
	}

	// 2. A key held by a request still running (lease not over): 409, nothing placed.
	db.Exec(`INSERT INTO idempotency_keys (caller, key, method, path, request_sha256, locked_until)
		SELECT caller, 'running-1', method, path, request_sha256, now() + interval '1 minute' FROM idempotency_keys WHERE key = 'fix-1'`)
	place("running-1", good).expect(http.StatusConflict)
	// ... and once its lease is over without it having changed anything
	// (its server died), the key is free: the retry places the order.
	db.Exec(`UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE key = 'running-1'`)
	place("running-1", good).expect(http.StatusCreated)
	if n := count(); n != 2 {
		t.Fatalf("%d orders, want 2", n)
	}

	// 3. Executed, answer lost: the order committed (and the key with it)
	// but the server died before storing the answer.
	lost := orders(place("lost-1", good).expect(http.StatusCreated))
	db.Exec(`UPDATE idempotency_keys SET status = NULL, response = NULL, content_type = '',
		locked_until = now() + interval '1 minute' WHERE key = 'lost-1'`)
	place("lost-1", good).expect(http.StatusConflict) // its lease runs: it may still answer
	db.Exec(`UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE key = 'lost-1'`)
	res := place("lost-1", good).expect(http.StatusCreated)
	if got := orders(res); len(got) != 1 || got[0]["id"] != lost[0]["id"] || res.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("a retry after a lost answer got %s (replayed %q), want order %v", res.body, res.header.Get("Idempotent-Replayed"), lost[0]["id"])
	}
	place("lost-1", map[string]any{"lines": []map[string]any{{"product_id": f.product, "offer_id": f.offerB, "quantity": 4}}}).
		expect(http.StatusUnprocessableEntity)
	if res := place("lost-1", good).expect(http.StatusCreated); string(res.body) == "" || orders(res)[0]["id"] != lost[0]["id"] {
		t.Errorf("the replayed answer was not kept: %s", res.body)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d orders, want 3", n)
	}
}

// TestIdempotentPriceListRefusalLeavesNothing: an upload refused for its
// Idempotency-Key (used with another body) leaves no validating list
// behind to block its body, and the same body is then accepted at once.
func TestIdempotentPriceListRefusalLeavesNothing(t *testing.T) {
	e := newEnv(t)
	c := e.withKey(e.demoKey(1))
	key := map[string]string{"Idempotency-Key": "list-1"}
	csvA := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nIDEM-1,Handsker,,BX,100,EA,45.00,DKK\n"
	csvB := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nIDEM-1,Handsker,,BX,100,EA,44.00,DKK\n"
	first := c.upload("text/csv", []byte(csvA), key).expect(http.StatusCreated)
	if again := c.upload("text/csv", []byte(csvA), key).expect(http.StatusCreated); string(again.body) != string(first.body) {
		t.Errorf("retry answered %s, first %s", again.body, first.body)
	}
	c.upload("text/csv", []byte(csvB), key).expect(http.StatusUnprocessableEntity)
	var validating int64
	e.svc.DB.Raw("SELECT count(*) FROM price_lists WHERE status = 'validating'").Scan(&validating)
	if validating != 0 {
		t.Errorf("%d lists left validating by a refused upload", validating)
	}
	c.upload("text/csv", []byte(csvB), map[string]string{"Idempotency-Key": "list-2"}).expect(http.StatusCreated)
}
