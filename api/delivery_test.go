package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"andel/domain"
)

// TestOrdersCarryDeliveryData: a practice keeps delivery addresses (one
// default), a GLN and an order contact; each order records them as they
// were when it was placed, and its supplier reads them on the order and in
// the webhook message, never through the member resource.
func TestOrdersCarryDeliveryData(t *testing.T) {
	e := newEnv(t)
	f := newOrderFixture(t, e)
	db := e.svc.DB
	m1 := "/api/v1/members/" + itoa(f.member1)

	// The member's details: a bad GLN and e-mail are refused together.
	bad := f.admin.do("PATCH", m1, map[string]any{"gln": "5790001330553", "order_contact": map[string]string{"email": "not an address"}}).
		expect(http.StatusUnprocessableEntity)
	if fields := bad.problemFields(); len(fields) != 2 {
		t.Errorf("problems %v, want gln and order_contact.email", fields)
	}
	f.admin.do("PATCH", m1, map[string]any{"gln": "5790001330552",
		"order_contact": map[string]string{"name": "Mette Østergaard", "email": "mette@praksis.dk", "phone": "86 12 34 56"}}).
		expect(http.StatusOK)

	// Addresses: the demo's first is the default; a new one made default
	// takes over; the default cannot be unset; a bad postcode is refused.
	list := f.practice.do("GET", m1+"/addresses", nil).expect(http.StatusOK).json()["items"].([]any)
	if len(list) != 1 || obj(list[0])["is_default"] != true {
		t.Fatalf("demo addresses %v, want one default", list)
	}
	f.practice.do("POST", m1+"/addresses", map[string]any{"street": "Vej", "postcode": "12", "city": ""}).
		expect(http.StatusUnprocessableEntity)
	branch := f.practice.do("POST", m1+"/addresses", map[string]any{"label": "Filialen", "street": "Jægergårdsgade 7",
		"postcode": "8000", "city": "Aarhus C", "is_default": true}).expect(http.StatusCreated).json()
	branchID := int64(branch["id"].(float64))
	f.practice.do("PATCH", m1+"/addresses/"+itoa(branchID), map[string]any{"is_default": false}).expect(http.StatusUnprocessableEntity)
	list = f.practice.do("GET", m1+"/addresses", nil).expect(http.StatusOK).json()["items"].([]any)
	if len(list) != 2 || obj(list[0])["id"] != branch["id"] {
		t.Fatalf("addresses %v, want the branch first as the default", list)
	}
	clinicID := int64(obj(list[1])["id"].(float64))

	// Orders go to the default, or to the address named; another member's
	// address is refused as unknown.
	body := map[string]any{"lines": []map[string]any{{"product_id": f.product, "offer_id": f.offerB, "quantity": 3}}}
	o := orders(f.practice.do("POST", "/api/v1/orders", body).expect(http.StatusCreated))[0]
	wantDelivery := func(o map[string]any, street, postcode string) {
		t.Helper()
		d := obj(o["delivery_address"])
		if d["street"] != street || d["postcode"] != postcode || d["country"] != "DK" {
			t.Errorf("delivery address %v, want %s %s DK", d, street, postcode)
		}
		b := obj(o["buyer"])
		if b["gln"] != "5790001330552" || b["cvr"] == "" || b["name"] == "" || obj(b["contact"])["email"] != "mette@praksis.dk" {
			t.Errorf("buyer %v", b)
		}
	}
	wantDelivery(o, "Jægergårdsgade 7", "8000")
	if l := line(o, 0); l["sku"] != "B-50" || l["name"] == "" {
		t.Errorf("line names no item: %v", l)
	}
	body["delivery_address_id"] = clinicID
	toClinic := orders(f.practice.do("POST", "/api/v1/orders", body).expect(http.StatusCreated))[0]
	var other int64
	db.Raw("SELECT min(id) FROM member_addresses WHERE member_id = ?", f.member2).Scan(&other)
	body["delivery_address_id"] = other
	f.practice.do("POST", "/api/v1/orders", body).expect(http.StatusUnprocessableEntity)

	// The order keeps its address when the practice changes it.
	f.practice.do("PATCH", m1+"/addresses/"+itoa(clinicID), map[string]any{"street": "Flyttet 1"}).expect(http.StatusOK)
	f.practice.do("DELETE", m1+"/addresses/"+itoa(branchID), nil).expect(http.StatusNoContent)
	id := itoa(int64(o["id"].(float64)))
	wantDelivery(f.practice.do("GET", "/api/v1/orders/"+id, nil).expect(http.StatusOK).json(), "Jægergårdsgade 7", "8000")

	// The supplier reads the delivery data on its order, not through the member.
	sup := e.withKey(e.demoKey(2))
	wantDelivery(sup.do("GET", "/api/v1/orders/"+id, nil).expect(http.StatusOK).json(), "Jægergårdsgade 7", "8000")
	wantDelivery(sup.do("GET", "/api/v1/orders/"+itoa(int64(toClinic["id"].(float64))), nil).expect(http.StatusOK).json(),
		obj(list[1])["street"].(string), obj(list[1])["postcode"].(string))
	sup.do("GET", m1, nil).expect(http.StatusNotFound)
	sup.do("GET", m1+"/addresses", nil).expect(http.StatusNotFound)

	// A practice with no address cannot order: nothing to deliver to.
	db.Exec("DELETE FROM member_addresses WHERE member_id = ?", f.member1)
	delete(body, "delivery_address_id")
	if fields := f.practice.do("POST", "/api/v1/orders", body).expect(http.StatusUnprocessableEntity).problemFields(); len(fields) != 1 || fields[0] != "delivery_address_id" {
		t.Errorf("problems %v, want delivery_address_id", fields)
	}
}

// TestWebhookMessageCarriesDeliveryData: the JSON message a supplier's
// webhook receives names the buyer, the delivery address and each item.
func TestWebhookMessageCarriesDeliveryData(t *testing.T) {
	e := newEnv(t)
	f := newOrderFixture(t, e)
	e.svc.DB.Exec("UPDATE suppliers SET order_webhook_url = 'https://orders.example.dk/andel' WHERE id = ?", f.supplier2)
	o := orders(f.practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "offer_id": f.offerB, "quantity": 3}}}).expect(http.StatusCreated))[0]
	var raw string
	e.svc.DB.Raw("SELECT body FROM order_outbox WHERE order_id = ?", int64(o["id"].(float64))).Scan(&raw)
	var m domain.OrderMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if m.Order.Delivery.Street == "" || m.Order.Delivery.Postcode == "" || m.Order.Delivery.City == "" ||
		m.Order.Buyer.Name == "" || m.Order.Buyer.CVR == "" || m.Order.SupplierName == "" {
		t.Errorf("the message lacks delivery data: %s", raw)
	}
	if len(m.Lines) != 1 || m.Lines[0].SKU != "B-50" || m.Lines[0].PackContent != "50" || m.Lines[0].Name == "" {
		t.Errorf("the message's line lacks what to ship: %s", raw)
	}
}
