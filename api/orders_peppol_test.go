package api_test

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestOrderAsPEPPOLAndOrderResponse: GET /orders/{id} with Accept:
// application/xml answers the order as a PEPPOL BIS Order 3 document with
// the buyer, the delivery address, every line's item and the totals; the
// supplier answers with PEPPOL Order Responses that move the order.
func TestOrderAsPEPPOLAndOrderResponse(t *testing.T) {
	e := newEnv(t)
	f := newOrderFixture(t, e)
	placed := orders(f.practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "offer_id": f.offerB, "quantity": 3}}}).expect(http.StatusCreated))[0]
	id := itoa(int64(placed["id"].(float64)))
	sup := e.withKey(e.demoKey(2))

	res := sup.doRaw("GET", "/api/v1/orders/"+id, nil, map[string]string{"Accept": "application/xml"}).expect(http.StatusOK)
	if !strings.HasPrefix(res.header.Get("Content-Type"), "application/xml") {
		t.Errorf("content type %q", res.header.Get("Content-Type"))
	}
	var doc struct {
		XMLName         xml.Name
		CustomizationID string `xml:"CustomizationID"`
		ID              string `xml:"ID"`
		Buyer           string `xml:"BuyerCustomerParty>Party>PartyName>Name"`
		Street          string `xml:"Delivery>DeliveryLocation>Address>StreetName"`
		Payable         string `xml:"AnticipatedMonetaryTotal>PayableAmount"`
		Lines           []struct {
			SKU      string `xml:"LineItem>Item>SellersItemIdentification>ID"`
			Quantity struct {
				Unit  string `xml:"unitCode,attr"`
				Value string `xml:",chardata"`
			} `xml:"LineItem>Quantity"`
			Amount string `xml:"LineItem>LineExtensionAmount"`
		} `xml:"OrderLine"`
	}
	if err := xml.Unmarshal(res.body, &doc); err != nil {
		t.Fatalf("%v\n%s", err, res.body)
	}
	if doc.XMLName.Local != "Order" || doc.CustomizationID != "urn:fdc:peppol.eu:poacc:trns:order:3" || doc.ID != id ||
		doc.Buyer != obj(placed["buyer"])["name"] || doc.Street != obj(placed["delivery_address"])["street"] ||
		doc.Payable != placed["gross_total"] || len(doc.Lines) != 1 || doc.Lines[0].SKU != "B-50" ||
		doc.Lines[0].Quantity.Value != "3" || doc.Lines[0].Quantity.Unit != "XBX" || doc.Lines[0].Amount != line(placed, 0)["net_total"] {
		t.Errorf("the PEPPOL order does not say what the order says: %+v\n%s", doc, res.body)
	}
	if again := f.practice.do("GET", "/api/v1/orders/"+id+"?format=xml", nil).expect(http.StatusOK); string(again.body) != string(res.body) {
		t.Error("?format=xml answers another document than Accept: application/xml")
	}
	f.practice.do("GET", "/api/v1/orders/"+id+"?format=csv", nil).expect(http.StatusUnprocessableEntity)
	e.withKey(e.demoKey(1)).doRaw("GET", "/api/v1/orders/"+id, nil, map[string]string{"Accept": "application/xml"}).expect(http.StatusNotFound)

	example, err := os.ReadFile("../../shared/standards/peppol-order/OrderResponse_Example.xml")
	if err != nil {
		t.Fatal(err)
	}
	respond := func(orderID, code, note string) *response {
		b := strings.Replace(string(example), "<cbc:ID>11233</cbc:ID>", "<cbc:ID>"+orderID+"</cbc:ID>", 1)
		b = strings.Replace(b, ">CA<", ">"+code+"<", 1)
		b = strings.Replace(b, "Response message with amendments in the details", note, 1)
		return sup.doRaw("POST", "/api/v1/orders/"+id+"/response", []byte(b), map[string]string{"Content-Type": "application/xml"})
	}
	// Accepted with changes is not taken yet; a response to another order,
	// or not a response at all, is refused; nothing moves.
	respond(id, "CA", "Leveres i æsker à 40").expect(http.StatusUnprocessableEntity)
	respond("999999", "AP", "OK").expect(http.StatusUnprocessableEntity)
	sup.doRaw("POST", "/api/v1/orders/"+id+"/response", []byte("<Order/>"), nil).expect(http.StatusUnprocessableEntity)
	if st := sup.do("GET", "/api/v1/orders/"+id, nil).json()["status"]; st != "placed" {
		t.Fatalf("a refused response moved the order to %v", st)
	}
	if o := respond(id, "AP", "Tak for ordren").expect(http.StatusOK).json(); o["status"] != "confirmed" {
		t.Errorf("AP: order %v, want confirmed", o["status"])
	}
	if o := respond(id, "RE", "Varen er udgået").expect(http.StatusOK).json(); o["status"] != "rejected" || !strings.HasPrefix(o["status_reason"].(string), "Varen er udgået") {
		t.Errorf("RE: order %v (%v), want rejected with the note as reason", o["status"], o["status_reason"])
	}
	respond(id, "AP", "igen").expect(http.StatusConflict) // a rejected order stays rejected
}

// TestPEPPOLOrderChannel: a supplier that takes PEPPOL gets each placed
// order at its webhook as a PEPPOL BIS Order 3 document with the delivery
// address, signed the same way as the JSON message.
func TestPEPPOLOrderChannel(t *testing.T) {
	e := newEnv(t)
	f := newOrderFixture(t, e)
	w := &webhookReceiver{seen: map[string]int{}, attempts: 1} // no injected failure
	srv := httptest.NewServer(w)
	t.Cleanup(srv.Close)
	e.svc.DB.Exec("UPDATE suppliers SET order_webhook_url = ? WHERE id = ?", srv.URL, f.supplier2)
	sup := e.withKey(e.demoKey(2))
	w.secret = sup.do("POST", "/api/v1/suppliers/"+itoa(f.supplier2)+"/webhook-secret", nil).expect(http.StatusCreated).json()["secret"].(string)
	sup.do("PATCH", "/api/v1/suppliers/"+itoa(f.supplier2), map[string]string{"order_format": "edifact"}).expect(http.StatusUnprocessableEntity)
	if s := sup.do("PATCH", "/api/v1/suppliers/"+itoa(f.supplier2), map[string]string{"order_format": "peppol"}).expect(http.StatusOK).json(); s["order_format"] != "peppol" {
		t.Fatalf("supplier %v", s)
	}
	placed := orders(f.practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "offer_id": f.offerB, "quantity": 3}}}).expect(http.StatusCreated))[0]
	f.admin.runJob("order-outbox")
	if len(w.orders) != 1 || w.badSigs != 0 {
		t.Fatalf("received %d orders, %d bad signatures", len(w.orders), w.badSigs)
	}
	var doc struct {
		XMLName xml.Name
		ID      string `xml:"ID"`
		Street  string `xml:"Delivery>DeliveryLocation>Address>StreetName"`
		SKU     string `xml:"OrderLine>LineItem>Item>SellersItemIdentification>ID"`
	}
	if err := xml.Unmarshal([]byte(w.orders[0]), &doc); err != nil {
		t.Fatalf("%v: %s", err, w.orders[0])
	}
	if doc.XMLName.Local != "Order" || doc.ID != itoa(int64(placed["id"].(float64))) ||
		doc.Street != obj(placed["delivery_address"])["street"] || doc.SKU != "B-50" {
		t.Errorf("the webhook got %+v:\n%s", doc, w.orders[0])
	}
}
