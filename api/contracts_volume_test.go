package api_test

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"andel/internal/demo"
)

// insertItem puts a supplier's active offer with its own SKU and GTIN into
// the catalogue (with its price list) and returns the offer's id.
func (e *env) insertItem(supplierID, productID int64, sku, gtin, packUnit, content, price string) int64 {
	e.t.Helper()
	sha := make([]byte, 32)
	_, _ = rand.Read(sha)
	var pl, id int64
	db := e.svc.DB
	if err := db.Raw(`INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, currency, status, created_by)
		VALUES (?, 'csv', 'text/csv', ?, 0, 'DKK', 'active', 'test') RETURNING id`, supplierID, sha).Scan(&pl).Error; err != nil {
		e.t.Fatal(err)
	}
	if err := db.Raw(`INSERT INTO offers (supplier_id, price_list_id, line_no, sku, gtin, name, product_id, pack_unit, pack_content, base_unit, pack_price, currency, status)
		VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, 'EA', ?, 'DKK', 'active') RETURNING id`,
		supplierID, pl, sku, gtin, "Nitrilhandsker "+sku, productID, packUnit, content, price).Scan(&id).Error; err != nil {
		e.t.Fatal(err)
	}
	return id
}

// awardTender runs a one-item tender for product through publish, one bid
// (item, with the product's lot item id filled in), close and award with
// award as the body, and returns the tender's path and the award's answer.
func awardTender(t *testing.T, e *env, admin, sup *client, product int64, quantity, from, to string, item m, award m, status int) (string, *response) {
	t.Helper()
	e.clock.Reset()
	deadline := time.Now().Add(time.Hour).Truncate(time.Second)
	body := tenderBody(deadline, m{"title": "Handsker", "items": []m{{"product_id": product, "quantity": quantity}}})
	body["contract_from"], body["contract_to"] = from, to
	tender := admin.do("POST", "/api/v1/tenders", body).expect(http.StatusCreated).json()
	path := fmt.Sprintf("/api/v1/tenders/%d", int64(tender["id"].(float64)))
	item["item_id"] = obj(list(obj(list(tender["lots"])[0])["items"])[0])["id"]
	admin.do("POST", path+"/publish", nil).expect(http.StatusOK)
	sup.do("POST", path+"/bids", m{"values": m{"delivery_days": "2"}, "items": []m{item}}).expect(http.StatusCreated)
	e.clock.Set(deadline.Add(time.Minute))
	if run := admin.runJob("tender-close"); obj(run["counts"])["tenders_closed"] != float64(1) {
		t.Fatalf("close run %v", run)
	}
	return path, admin.do("POST", path+"/award", award).expect(status)
}

// TestContractVolumeEndToEnd: members with delivery addresses order on a
// tiered contract; every order line carries the awarded SKU, GTIN and
// pack (also after staff merged another pack of the supplier into the
// product, and in the supplier's webhook message with the delivery
// address); the catalogue marks only the awarded pack; members pay the tier
// of the committed volume from the first order; the cooperative's
// cumulative volume crosses two tiers and every earlier line's true-up
// credit is exact to the øre (computed by hand below), listed per member,
// in the savings report and owed in the supplier's settlement; a
// cancellation removes its volume and reverses its credits; a second
// overlapping award is 409 listing the conflict, and with supersede ends
// the first contract's line the day before the new one starts, after
// which orders use the new contract. Along the way: the webhook message
// and the PEPPOL Order carry the item and the delivery address, and the
// practice's corrected order after a 422 goes through with the same
// Idempotency-Key.
func TestContractVolumeEndToEnd(t *testing.T) {
	e := newEnv(t)
	db := e.svc.DB
	admin := e.login(demo.AdminEmail)
	var member1, member2 int64
	db.Raw("SELECT member_id FROM users WHERE email = ?", demo.PracticeEmail).Scan(&member1)
	db.Raw("SELECT id FROM members WHERE id <> ? ORDER BY id LIMIT 1", member1).Scan(&member2)
	admin.do("POST", "/api/v1/users", m{"email": "second@practice.test", "password": demo.Password,
		"role": "member", "member_id": member2}).expect(http.StatusCreated)
	p1, p2 := e.login(demo.PracticeEmail), e.login("second@practice.test")
	for i, p := range []*client{p1, p2} {
		member := []int64{member1, member2}[i]
		p.do("POST", fmt.Sprintf("/api/v1/members/%d/addresses", member), m{"label": "Klinikken", "street": fmt.Sprintf("Lægevej %d", i+1),
			"postcode": "8000", "city": "Aarhus C", "is_default": true}).expect(http.StatusCreated)
	}
	supA, supB := e.withKey(e.demoKey(1)), e.withKey(e.demoKey(2))
	supplierA := e.supplierOfKey(1)
	db.Exec("UPDATE suppliers SET order_webhook_url = 'https://orders.example.dk/andel' WHERE id = ?", supplierA)
	gloves := e.productID("Nitrilhandsker, pudderfri, str. M")

	// A sells the gloves in boxes of 100 (its item NH-M-100) and, as
	// another product staff later merge into the gloves, in cartons of
	// 2,000 (NH-M-2000).
	box := e.insertItem(supplierA, gloves, "NH-M-100", "5701234000013", "BX", "100", "46.00")
	var carton int64
	db.Raw("INSERT INTO products (name, category, base_unit) VALUES ('Nitrilhandsker karton M', 'handsker', 'EA') RETURNING id").Scan(&carton)
	cartonOffer := e.insertItem(supplierA, carton, "NH-M-2000", "5701234000020", "CT", "2000", "800.00")

	// A bid naming a bad GTIN is refused on that field.
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	yearOn := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
	{
		e.clock.Reset()
		deadline := time.Now().Add(time.Hour).Truncate(time.Second)
		tender := admin.do("POST", "/api/v1/tenders", tenderBody(deadline, m{"title": "Probe", "items": []m{{"product_id": gloves, "quantity": "10"}}})).
			expect(http.StatusCreated).json()
		path := fmt.Sprintf("/api/v1/tenders/%d", int64(tender["id"].(float64)))
		admin.do("POST", path+"/publish", nil).expect(http.StatusOK)
		item := obj(list(obj(list(tender["lots"])[0])["items"])[0])["id"]
		bad := supA.do("POST", path+"/bids", m{"values": m{"delivery_days": "2"}, "items": []m{{"item_id": item, "sku": "NH-M-100",
			"gtin": "5701234000014", "pack_unit": "BX", "pack_content": "100", "pack_price": "44.00"}}}).expect(http.StatusUnprocessableEntity)
		if f := bad.problemFields(); len(f) != 1 || f[0] != "items[0].gtin" {
			t.Errorf("bad GTIN: problems %v", f)
		}
		admin.do("POST", path+"/cancel", m{"reason": "probe"}).expect(http.StatusOK)
	}

	// The tender pools 6,000 gloves: 60 boxes of 100. A bids 44.00 a box,
	// 41.00 from 50 boxes, 39.4725 from 100 and 38.90 from 150.
	_, res := awardTender(t, e, admin, supA, gloves, "6000", yesterday, yearOn, m{"sku": "NH-M-100", "gtin": "5701234000013",
		"pack_unit": "BX", "pack_content": "100", "pack_price": "44.00", "tiers": []m{{"min_packs": "50", "pack_price": "41.00"},
			{"min_packs": "100", "pack_price": "39.4725"}, {"min_packs": "150", "pack_price": "38.90"}}}, nil, http.StatusOK)
	contractID := int64(obj(list(res.json()["contracts"])[0])["id"].(float64))
	contractPath := fmt.Sprintf("/api/v1/contracts/%d", contractID)
	cl := obj(list(p1.do("GET", contractPath, nil).expect(http.StatusOK).json()["lines"])[0])
	if cl["sku"] != "NH-M-100" || cl["gtin"] != "5701234000013" || cl["pack_unit"] != "BX" || cl["pack_content"] != "100" {
		t.Errorf("contract line names %v", cl)
	}
	decEq(t, "committed quantity", cl["committed_quantity"], "60")
	decEq(t, "ordered quantity", cl["ordered_quantity"], "0")
	decEq(t, "tier reached", obj(cl["tier_reached"])["pack_price"], "41.00")
	decEq(t, "true-up total", cl["true_up_total"], "0")

	// Staff merge the carton product into the gloves: the carton offer now
	// belongs to the gloves too, yet the contract still ships boxes of 100,
	// and the catalogue marks only the box as the contract price.
	admin.do("POST", fmt.Sprintf("/api/v1/products/%d/merge", carton), m{"into": gloves}).expect(http.StatusOK)
	marked := map[float64]bool{}
	for _, o := range list(p1.do("GET", fmt.Sprintf("/api/v1/products/%d/offers", gloves), nil).expect(http.StatusOK).json()["items"]) {
		o := obj(o)
		if o["is_contract"] == true {
			marked[o["id"].(float64)] = true
			decEq(t, "marked contract pack price", obj(o["contract"])["pack_price"], "41.00")
		}
	}
	if len(marked) != 1 || !marked[float64(box)] || marked[float64(cartonOffer)] {
		t.Errorf("offers marked as the contract price %v, want only the box %d", marked, box)
	}

	// Orders, each priced at the tier of the cooperative's volume (the
	// committed 60 boxes until the orders pass it):
	//   o1 member 1,  5 boxes: volume  5 -> 60: 41.00,  net   205.00
	//   o2 member 2,  7 boxes: volume 12 -> 60: 41.00,  net   287.00
	//   o3 member 1, 33 boxes: volume 45 -> 60: 41.00,  net 1,353.00
	//   o4 member 2,  3 boxes, cancelled: volume 48, then 45 again
	//   o5 member 2, 60 boxes: volume 105: 39.4725, net 2,368.35 (60 x 39.4725)
	//      true-up to 39.4725, (41.00 - 39.4725) = 1.5275 a box:
	//        o1  5 x 1.5275 =  7.6375 ->  7.64
	//        o2  7 x 1.5275 = 10.6925 -> 10.69
	//        o3 33 x 1.5275 = 50.4075 -> 50.41
	//   o6 member 1, 50 boxes: volume 155: 38.90, net 1,945.00
	//      true-up to 38.90, (39.4725 - 38.90) = 0.5725 a box:
	//        o1  5 x 0.5725 =  2.8625 ->  2.86
	//        o2  7 x 0.5725 =  4.0075 ->  4.01
	//        o3 33 x 0.5725 = 18.8925 -> 18.89
	//        o5 60 x 0.5725 = 34.35   -> 34.35
	//   member 1: 7.64 + 50.41 + 2.86 + 18.89 = 79.80
	//   member 2: 10.69 + 4.01 + 34.35       = 49.05; the supplier owes 128.85.
	var key map[string]string // the Idempotency-Key of the next order, if any
	place := func(p *client, boxes int, packPrice, net string) map[string]any {
		t.Helper()
		o := orders(p.doWith("POST", "/api/v1/orders", m{"lines": []m{{"product_id": gloves, "quantity": boxes}}}, key).expect(http.StatusCreated))[0]
		key = nil
		l := line(o, 0)
		if l["on_contract"] != true || l["sku"] != "NH-M-100" || l["gtin"] != "5701234000013" || l["pack_unit"] != "BX" ||
			l["pack_content"] != "100" || l["offer_id"] != float64(box) {
			t.Errorf("order line of %d boxes names %v; want the awarded box NH-M-100 (offer %d)", boxes, l, box)
		}
		decEq(t, fmt.Sprintf("%d boxes: pack price", boxes), l["pack_price"], packPrice)
		decEq(t, fmt.Sprintf("%d boxes: net", boxes), l["net_total"], net)
		if d := obj(o["delivery_address"]); d["street"] == "" || d["postcode"] != "8000" {
			t.Errorf("order without its delivery address: %v", o)
		}
		return o
	}
	// The practice's first try is refused (0 boxes); the corrected order
	// with the same Idempotency-Key goes through, and its retry replays it.
	key = map[string]string{"Idempotency-Key": "first-gloves"}
	p1.doWith("POST", "/api/v1/orders", m{"lines": []m{{"product_id": gloves, "quantity": 0}}}, key).expect(http.StatusUnprocessableEntity)
	o1 := place(p1, 5, "41.00", "205.00")
	if again := orders(p1.doWith("POST", "/api/v1/orders", m{"lines": []m{{"product_id": gloves, "quantity": 5}}},
		map[string]string{"Idempotency-Key": "first-gloves"}).expect(http.StatusCreated)); again[0]["id"] != o1["id"] {
		t.Errorf("the retry of the corrected order made order %v, first %v", again[0]["id"], o1["id"])
	}
	o2 := place(p2, 7, "41.00", "287.00")
	o3 := place(p1, 33, "41.00", "1353.00")
	o4 := place(p2, 3, "41.00", "123.00")
	p2.do("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", int64(o4["id"].(float64))), nil).expect(http.StatusOK)
	decEq(t, "ordered after the cancellation", obj(list(p1.do("GET", contractPath, nil).json()["lines"])[0])["ordered_quantity"], "45")
	o5 := place(p2, 60, "39.4725", "2368.35")
	o6 := place(p1, 50, "38.90", "1945.00")

	// The supplier's webhook message names the item and the address.
	var body string
	db.Raw("SELECT body FROM order_outbox WHERE order_id = ? AND event = 'order.placed'", int64(o1["id"].(float64))).Scan(&body)
	for _, want := range []string{`"sku":"NH-M-100"`, `"gtin":"5701234000013"`, `"pack_unit":"BX"`, `"pack_content":"100"`, `"street":"Lægevej 1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("webhook message lacks %s: %s", want, body)
		}
	}
	// ... and so does the PEPPOL Order a supplier on the PEPPOL channel
	// receives (the same document GET /orders/{id} answers as XML).
	peppol := string(supA.doRaw("GET", fmt.Sprintf("/api/v1/orders/%d", int64(o1["id"].(float64))), nil,
		map[string]string{"Accept": "application/xml"}).expect(http.StatusOK).body)
	for _, want := range []string{"<cbc:ID>NH-M-100</cbc:ID>", `<cbc:ID schemeID="0160">5701234000013</cbc:ID>`,
		`<cbc:Quantity unitCode="XBX" unitCodeListID="UNECERec20">5</cbc:Quantity>`, "<cbc:StreetName>Lægevej 1</cbc:StreetName>"} {
		if !strings.Contains(peppol, want) {
			t.Errorf("PEPPOL order lacks %s:\n%s", want, peppol)
		}
	}

	id := func(o map[string]any) float64 { return o["id"].(float64) }
	want := map[[2]float64]string{ // (order, cause) -> credit
		{id(o1), id(o5)}: "7.64", {id(o2), id(o5)}: "10.69", {id(o3), id(o5)}: "50.41",
		{id(o1), id(o6)}: "2.86", {id(o2), id(o6)}: "4.01", {id(o3), id(o6)}: "18.89", {id(o5), id(o6)}: "34.35",
	}
	got := map[[2]float64]string{}
	for i, p := range []*client{p1, p2} {
		member := []int64{member1, member2}[i]
		for _, c := range list(p.do("GET", fmt.Sprintf("/api/v1/members/%d/credits", member), nil).expect(http.StatusOK).json()["items"]) {
			c := obj(c)
			if c["kind"] != "true_up" || c["member_id"] != float64(member) || c["contract_id"] != float64(contractID) {
				t.Errorf("credit %v", c)
			}
			got[[2]float64{c["order_id"].(float64), c["cause_order_id"].(float64)}] = c["amount"].(string)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("credits %v, want %v", got, want)
	}
	// Another member's credits are not there for a practice.
	p1.do("GET", fmt.Sprintf("/api/v1/members/%d/credits", member2), nil).expect(http.StatusNotFound)

	cl = obj(list(admin.do("GET", contractPath, nil).expect(http.StatusOK).json()["lines"])[0])
	decEq(t, "ordered quantity", cl["ordered_quantity"], "155")
	decEq(t, "tier reached", obj(cl["tier_reached"])["min_packs"], "150")
	decEq(t, "tier reached price", obj(cl["tier_reached"])["pack_price"], "38.90")
	decEq(t, "line true-up total", cl["true_up_total"], "128.85")
	st := supA.do("GET", contractPath+"/settlement", nil).expect(http.StatusOK).json()
	decEq(t, "settlement owed", st["true_up_total"], "128.85")
	owed := map[float64]string{}
	for _, mm := range list(st["members"]) {
		owed[obj(mm)["member_id"].(float64)] = obj(mm)["amount"].(string)
	}
	if owed[float64(member1)] != "79.80" || owed[float64(member2)] != "49.05" {
		t.Errorf("settlement per member %v, want 79.80 and 49.05", owed)
	}
	decEq(t, "no shortfall", obj(list(st["lines"])[0])["shortfall_quantity"], "0")
	p1.do("GET", contractPath+"/settlement", nil).expect(http.StatusNotFound)
	supB.do("GET", contractPath+"/settlement", nil).expect(http.StatusNotFound)
	today := time.Now().UTC().Format(time.DateOnly)
	sv := p1.do("GET", "/api/v1/savings?from="+today+"&to="+today, nil).expect(http.StatusOK).json()
	decEq(t, "member 1's true-up credits in its savings", sv["true_up_credits"], "79.80")

	// Member 2 cancels o2: its packs leave the volume, its credits
	// (10.69 + 4.01) are reversed; the tier reached stays.
	p2.do("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", int64(id(o2))), nil).expect(http.StatusOK)
	cl = obj(list(admin.do("GET", contractPath, nil).expect(http.StatusOK).json()["lines"])[0])
	decEq(t, "ordered after cancelling o2", cl["ordered_quantity"], "148")
	decEq(t, "tier reached after cancelling o2", obj(cl["tier_reached"])["pack_price"], "38.90")
	decEq(t, "line true-up total after the reversal", cl["true_up_total"], "114.15")
	var reversal string
	db.Raw("SELECT amount::text FROM contract_credits WHERE order_id = ? AND kind = 'reversal'", int64(id(o2))).Scan(&reversal)
	if reversal != "-14.70" {
		t.Errorf("reversal of o2's credits %q, want -14.70", reversal)
	}

	// A second tender for the gloves, B's contract from tomorrow: the award
	// would overlap A's active line (409 naming it), with supersede it ends
	// A's line today, and from tomorrow orders go to B.
	tomorrow := time.Now().UTC().AddDate(0, 0, 1)
	path2, res := awardTender(t, e, admin, supB, gloves, "1000", tomorrow.Format(time.DateOnly), yearOn, m{"sku": "B-NH-M",
		"pack_unit": "BX", "pack_content": "100", "pack_price": "37.00"}, nil, http.StatusConflict)
	if f := res.problemFields(); len(f) != 1 || f[0] != fmt.Sprintf("products[%d]", gloves) ||
		!strings.Contains(string(res.body), fmt.Sprintf("contract %d", contractID)) {
		t.Errorf("overlapping award: %s", res.body)
	}
	res = admin.do("POST", path2+"/award", m{"supersede": true}).expect(http.StatusOK)
	newContract := int64(obj(list(res.json()["contracts"])[0])["id"].(float64))
	old := admin.do("GET", contractPath, nil).expect(http.StatusOK).json()
	ol := obj(list(old["lines"])[0])
	if ol["valid_to"] != today || ol["superseded_by"] == nil {
		t.Errorf("superseded line %v, want valid to %s", ol, today)
	}
	var audited int64
	db.Raw("SELECT count(*) FROM audit_events WHERE action = 'contract_line.superseded'").Scan(&audited)
	if audited != 1 {
		t.Errorf("%d supersede audit events, want 1", audited)
	}
	if l := line(orders(p1.do("POST", "/api/v1/orders", m{"lines": []m{{"product_id": gloves, "quantity": 1}}}).expect(http.StatusCreated))[0], 0); l["contract_id"] != float64(contractID) {
		t.Errorf("today's order went to contract %v, want %d", l["contract_id"], contractID)
	}
	e.clock.Set(tomorrow.Add(time.Hour))
	l := line(orders(p1.do("POST", "/api/v1/orders", m{"lines": []m{{"product_id": gloves, "quantity": 1}}}).expect(http.StatusCreated))[0], 0)
	if l["contract_id"] != float64(newContract) || l["sku"] != "B-NH-M" {
		t.Errorf("tomorrow's order line %v, want contract %d", l, newContract)
	}

	// Member 1's statement of the year shows the credits of its delivered
	// lines: o1 (7.64 + 2.86) and o3 (50.41 + 18.89) = 79.80.
	for _, o := range []map[string]any{o1, o3} {
		for _, st := range []string{"confirmed", "shipped", "delivered"} {
			supA.do("POST", fmt.Sprintf("/api/v1/orders/%d/status", int64(id(o))), m{"status": st}).expect(http.StatusOK)
		}
	}
	year := time.Now().UTC().Format("2006")
	run := admin.do("POST", "/api/v1/surplus-runs", m{"period": year, "other_income": []m{{"description": "Renter", "amount": "1000.00"}}}).
		expect(http.StatusCreated).json()
	e.login(demo.BoardEmail).do("POST", fmt.Sprintf("/api/v1/surplus-runs/%d/approve", int64(run["id"].(float64))), nil).expect(http.StatusOK)
	stmt := p1.do("GET", fmt.Sprintf("/api/v1/members/%d/statements/%s", member1, year), nil).expect(http.StatusOK).json()
	decEq(t, "statement true-up credits", stmt["true_up_credits"], "79.80")
	// Its patronage is what it paid in the end: o1 205.00 + o3 1,353.00
	// delivered, less their credits 79.80 = 1,478.20.
	decEq(t, "statement patronage", stmt["patronage"], "1478.20")
	// The practice's savings page links its refund statement.
	page := string(p1.do("GET", "/savings?year="+year, nil).body)
	if want := fmt.Sprintf("/api/v1/members/%d/statements/%s?format=pdf", member1, year); !strings.Contains(page, want) {
		t.Errorf("the savings page does not link %s", want)
	}
}

// TestContractVolumeConcurrentOrders: 16 orders of 7 boxes at once from
// two members on a contract committed at 10 boxes (44.00), with a tier of
// 41.00 from 100 boxes. The volume ends at exactly 112 boxes; whichever
// orders came before the crossing were trued up once, exactly, so that
// every line nets to the tier reached: sum(net) - sum(credits) = 112 x 41.00.
func TestContractVolumeConcurrentOrders(t *testing.T) {
	e := newEnv(t)
	db := e.svc.DB
	admin := e.login(demo.AdminEmail)
	var member2 int64
	db.Raw("SELECT id FROM members WHERE id <> (SELECT member_id FROM users WHERE email = ?) ORDER BY id LIMIT 1", demo.PracticeEmail).Scan(&member2)
	admin.do("POST", "/api/v1/users", m{"email": "second@practice.test", "password": demo.Password,
		"role": "member", "member_id": member2}).expect(http.StatusCreated)
	practices := []*client{e.login(demo.PracticeEmail), e.login("second@practice.test")}
	gloves := e.productID("Nitrilhandsker, pudderfri, str. M")
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	_, res := awardTender(t, e, admin, e.withKey(e.demoKey(1)), gloves, "1000", yesterday, time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly),
		m{"pack_unit": "BX", "pack_content": "100", "pack_price": "44.00", "tiers": []m{{"min_packs": "100", "pack_price": "41.00"}}}, nil, http.StatusOK)
	contractID := int64(obj(list(res.json()["contracts"])[0])["id"].(float64))

	var n atomic.Int64
	statuses := concurrently(16, func() int {
		return practices[n.Add(1)%2].do("POST", "/api/v1/orders", m{"lines": []m{{"product_id": gloves, "quantity": 7}}}).status
	})
	for _, s := range statuses {
		if s != http.StatusCreated {
			t.Fatalf("concurrent orders answered %v", statuses)
		}
	}
	var sums struct{ Ordered, Peak, Net, Credits, Lines string }
	db.Raw(`SELECT l.ordered_quantity::text AS ordered, l.peak_quantity::text AS peak,
			(SELECT sum(net_total) FROM order_lines WHERE contract_line_id = l.id)::text AS net,
			(SELECT coalesce(sum(amount), 0) FROM contract_credits WHERE contract_line_id = l.id)::text AS credits,
			(SELECT count(DISTINCT order_line_id) FROM contract_credits WHERE contract_line_id = l.id)::text AS lines
		FROM contract_lines l WHERE l.contract_id = ?`, contractID).Scan(&sums)
	if sums.Ordered != "112.000000" || sums.Peak != "112.000000" {
		t.Errorf("volume %+v, want 112 boxes", sums)
	}
	// 14 orders (98 boxes) came before the crossing at 44.00 and were each
	// credited 7 x 3.00 = 21.00; the crossing order and the one after paid 41.00.
	decEq(t, "net less credits", dec(t, sums.Net).Sub(dec(t, sums.Credits)).String(), "4592.00")
	decEq(t, "credits", sums.Credits, "294.00")
	if sums.Lines != "14" {
		t.Errorf("%s lines credited, want 14", sums.Lines)
	}

	// Staff merge the gloves into another product: the contract line
	// follows with its pack, and members order it there at the tier reached.
	var merged int64
	db.Raw("INSERT INTO products (name, category, base_unit) VALUES ('Nitrilhandsker M', 'handsker', 'EA') RETURNING id").Scan(&merged)
	admin.do("POST", fmt.Sprintf("/api/v1/products/%d/merge", gloves), m{"into": merged}).expect(http.StatusOK)
	l := line(orders(practices[0].do("POST", "/api/v1/orders", m{"lines": []m{{"product_id": merged, "quantity": 2}}}).expect(http.StatusCreated))[0], 0)
	if l["contract_id"] != float64(contractID) || l["pack_unit"] != "BX" || l["pack_content"] != "100" {
		t.Errorf("order of the merged product %v, want contract %d's boxes of 100", l, contractID)
	}
	decEq(t, "merged product's contract price", l["pack_price"], "41.00")
}

// TestContractShortfall: the tender pooled 60 boxes (41.00 from 50) but
// the members order only 5; they pay 41.00 all the same, and after the
// contract's end the settlement shows the shortfall as the supplier's risk:
// 55 boxes short, 5 boxes that would cost 44.00 at their own volume,
// (44.00 - 41.00) x 5 = 15.00 not charged; nothing is taken back.
func TestContractShortfall(t *testing.T) {
	e := newEnv(t)
	admin, practice := e.login(demo.AdminEmail), e.login(demo.PracticeEmail)
	sup := e.withKey(e.demoKey(1))
	gloves := e.productID("Nitrilhandsker, pudderfri, str. M")
	from := time.Now().UTC().AddDate(0, 0, -1)
	to := time.Now().UTC().AddDate(0, 0, 5)
	_, res := awardTender(t, e, admin, sup, gloves, "6000", from.Format(time.DateOnly), to.Format(time.DateOnly),
		m{"pack_unit": "BX", "pack_content": "100", "pack_price": "44.00", "tiers": []m{{"min_packs": "50", "pack_price": "41.00"}}}, nil, http.StatusOK)
	contractPath := fmt.Sprintf("/api/v1/contracts/%d", int64(obj(list(res.json()["contracts"])[0])["id"].(float64)))
	l := line(orders(practice.do("POST", "/api/v1/orders", m{"lines": []m{{"product_id": gloves, "quantity": 5}}}).expect(http.StatusCreated))[0], 0)
	decEq(t, "5 boxes at the committed tier", l["pack_price"], "41.00")

	st := sup.do("GET", contractPath+"/settlement", nil).expect(http.StatusOK).json()
	if st["ended"] != false {
		t.Errorf("settlement before the end: %v", st)
	}
	e.clock.Set(to.AddDate(0, 0, 2))
	st = admin.do("GET", contractPath+"/settlement", nil).expect(http.StatusOK).json()
	sl := obj(list(st["lines"])[0])
	if st["ended"] != true {
		t.Errorf("settlement after the end: %v", st)
	}
	decEq(t, "shortfall boxes", sl["shortfall_quantity"], "55")
	decEq(t, "shortfall amount", sl["shortfall_amount"], "15.00")
	decEq(t, "committed tier", obj(sl["committed_tier"])["pack_price"], "41.00")
	decEq(t, "actual tier", obj(sl["actual_tier"])["pack_price"], "44.00")
	decEq(t, "nothing owed", st["true_up_total"], "0")
}
