package api_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"github.com/shopspring/decimal"
)

// productID returns the id of the demo product whose name starts with name.
func (e *env) productID(name string) int64 {
	e.t.Helper()
	var id int64
	e.svc.DB.Raw("SELECT id FROM products WHERE name LIKE ? ORDER BY id LIMIT 1", name+"%").Scan(&id)
	if id == 0 {
		e.t.Fatalf("no demo product %q", name)
	}
	return id
}

// supplierOfKey returns the supplier id of the i'th demo key.
func (e *env) supplierOfKey(i int) int64 {
	e.t.Helper()
	var id int64
	e.svc.DB.Raw("SELECT supplier_id FROM api_keys WHERE prefix = ?", fmt.Sprintf("demo%d", i)).Scan(&id)
	if id == 0 {
		e.t.Fatalf("no demo key %d", i)
	}
	return id
}

// insertOffer puts an active offer (with its price-list row) into the
// catalogue directly, as the price-list loader would.
func (e *env) insertOffer(supplierID, productID int64, packUnit, content, baseUnit, price, currency string) {
	e.t.Helper()
	sha := make([]byte, 32)
	_, _ = rand.Read(sha)
	var pl int64
	db := e.svc.DB
	if err := db.Raw(`INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, currency, status, created_by)
		VALUES (?, 'csv', 'text/csv', ?, 0, ?, 'active', 'test') RETURNING id`, supplierID, sha, currency).Scan(&pl).Error; err != nil {
		e.t.Fatal(err)
	}
	sku := fmt.Sprintf("SKU-%d-%d", pl, productID)
	if err := db.Exec(`INSERT INTO offers (supplier_id, price_list_id, line_no, sku, product_id, pack_unit, pack_content, base_unit, pack_price, currency, status)
		VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 'active')`, supplierID, pl, sku, productID, packUnit, content, baseUnit, price, currency).Error; err != nil {
		e.t.Fatal(err)
	}
}

// dec parses a decimal string of a response (fails the test otherwise).
func dec(t testing.TB, v any) decimal.Decimal {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%v (%T) is not a decimal string", v, v)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func decEq(t testing.TB, what string, got any, want string) {
	t.Helper()
	if g := dec(t, got); !g.Equal(decimal.RequireFromString(want)) {
		t.Errorf("%s = %s, want %s", what, g, want)
	}
}

// m is a JSON object of a response.
type m = map[string]any

func list(v any) []any { l, _ := v.([]any); return l }
func obj(v any) m      { o, _ := v.(map[string]any); return o }

// tenderBody is a tender request with one lot of the given items and the
// criteria price 80 / delivery_days 20.
func tenderBody(deadline time.Time, lot m) m {
	today := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	return m{"title": "Handsker og sprøjter 2027", "description": "Rammeaftale", "category": "",
		"contract_from": today, "contract_to": time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly),
		"bid_deadline": deadline.Format(time.RFC3339), "rebate_rate": "0.02",
		"criteria": []m{{"name": "price", "weight": "80"}, {"name": "delivery_days", "weight": "20", "direction": "lower_is_better"}},
		"lots":     []m{lot}}
}

// TestTenderEndToEnd walks the whole group-purchasing flow: demand, a
// tender from pooled demand, sealed bids from three suppliers, the close
// job, the evaluation checked against numbers computed by hand, the award
// into contracts marked in the catalogue, and the OCDS export.
func TestTenderEndToEnd(t *testing.T) {
	e := newEnv(t)
	admin, board := e.login(demo.AdminEmail), e.login(demo.BoardEmail)
	practice := e.login(demo.PracticeEmail)
	supA, supB, supC := e.withKey(e.demoKey(1)), e.withKey(e.demoKey(2)), e.withKey(e.demoKey(3))
	gloves, syringes := e.productID("Nitrilhandsker, pudderfri, str. M"), e.productID("Engangssprøjte 2 ml")
	var members []int64
	e.svc.DB.Raw("SELECT id FROM members ORDER BY id LIMIT 3").Scan(&members)
	var own int64
	e.svc.DB.Raw("SELECT member_id FROM users WHERE email = ?", demo.PracticeEmail).Scan(&own)
	var others []int64
	for _, id := range members {
		if id != own {
			others = append(others, id)
		}
	}

	// 1. Demand: the practice states its own (gloves in boxes of 100), an
	// admin states two other members'; the practice cannot touch another's.
	res := practice.do("PUT", fmt.Sprintf("/api/v1/members/%d/demand/2027", own), m{"lines": []m{
		{"product_id": gloves, "quantity": "10", "unit": "BX", "pack_content": "100"},
		{"product_id": syringes, "quantity": "500"}}}).expect(http.StatusOK).json()
	decEq(t, "gloves stated in boxes", obj(list(res["lines"])[0])["quantity"], "1000")
	practice.do("PUT", fmt.Sprintf("/api/v1/members/%d/demand/2027", others[0]), m{"lines": []m{}}).expect(http.StatusNotFound)
	practice.do("GET", fmt.Sprintf("/api/v1/members/%d/demand/2027", others[0]), nil).expect(http.StatusNotFound)
	bad := practice.do("PUT", fmt.Sprintf("/api/v1/members/%d/demand/2027-13", own), m{"lines": []m{
		{"product_id": gloves, "quantity": "-1"}, {"product_id": 987654321, "quantity": "1"}}}).expect(http.StatusUnprocessableEntity)
	if f := bad.problemFields(); len(f) < 3 {
		t.Errorf("demand problems %v, want period, quantity and product listed", f)
	}
	admin.do("PUT", fmt.Sprintf("/api/v1/members/%d/demand/2027", others[0]), m{"lines": []m{
		{"product_id": gloves, "quantity": "1500"}, {"product_id": syringes, "quantity": "300"}}}).expect(http.StatusOK)
	admin.do("PUT", fmt.Sprintf("/api/v1/members/%d/demand/2027", others[1]), m{"lines": []m{
		{"product_id": gloves, "quantity": "2000"}}}).expect(http.StatusOK)
	pool := board.do("GET", "/api/v1/demand?period=2027", nil).expect(http.StatusOK).json()
	pooled := map[float64]m{}
	for _, it := range list(pool["items"]) {
		pooled[obj(it)["product_id"].(float64)] = obj(it)
	}
	decEq(t, "pooled gloves", pooled[float64(gloves)]["quantity"], "4500")
	if pooled[float64(gloves)]["members"] != float64(3) || pooled[float64(syringes)]["members"] != float64(2) {
		t.Errorf("members behind pooled demand: %v", pooled)
	}
	practice.do("GET", "/api/v1/demand?period=2027", nil).expect(http.StatusForbidden)
	supA.do("GET", "/api/v1/demand?period=2027", nil).expect(http.StatusForbidden)

	// 2. A tender from pooled demand, the syringes edited to 1000.
	deadline := time.Now().Add(time.Hour).Truncate(time.Second)
	tb := tenderBody(deadline, m{"title": "Lot 1", "from_demand": m{"period": "2027"},
		"items": []m{{"product_id": syringes, "quantity": "1000"}}})
	supA.do("POST", "/api/v1/tenders", tb).expect(http.StatusForbidden)
	badTender := tenderBody(deadline, m{"title": ""})
	badTender["criteria"] = []m{{"name": "price", "weight": "70"}, {"name": "delivery_days", "weight": "20", "direction": "sideways"}}
	if f := admin.do("POST", "/api/v1/tenders", badTender).expect(http.StatusUnprocessableEntity).problemFields(); len(f) < 2 {
		t.Errorf("tender problems %v, want every one", f)
	}
	tender := admin.do("POST", "/api/v1/tenders", tb).expect(http.StatusCreated).json()
	tid := int64(tender["id"].(float64))
	path := fmt.Sprintf("/api/v1/tenders/%d", tid)
	items := map[int64]int64{} // product -> lot item id
	for _, it := range list(obj(list(tender["lots"])[0])["items"]) {
		items[int64(obj(it)["product_id"].(float64))] = int64(obj(it)["id"].(float64))
		if obj(it)["product_id"] == float64(gloves) {
			decEq(t, "lot gloves", obj(it)["quantity"], "4500")
			if obj(it)["members"] != float64(3) {
				t.Errorf("admin sees %v members behind gloves, want 3", obj(it)["members"])
			}
		} else {
			decEq(t, "lot syringes (edited)", obj(it)["quantity"], "1000")
		}
	}
	supA.do("GET", path, nil).expect(http.StatusNotFound) // a draft is not shown to suppliers
	// The list shows every criterion, as the tender itself does.
	for _, it := range list(admin.do("GET", "/api/v1/tenders", nil).expect(http.StatusOK).json()["items"]) {
		if obj(it)["id"] != float64(tid) {
			continue
		}
		var names []string
		for _, c := range list(obj(it)["criteria"]) {
			names = append(names, obj(c)["name"].(string))
		}
		if fmt.Sprint(names) != "[price delivery_days]" {
			t.Errorf("the tender list shows criteria %v, want [price delivery_days]", names)
		}
	}
	admin.do("POST", path+"/award", nil).expect(http.StatusConflict)

	// Two concurrent publications: exactly one succeeds.
	statuses := concurrently(2, func() int { return admin.do("POST", path+"/publish", nil).status })
	if !sameElems(statuses, []int{http.StatusOK, http.StatusConflict}) {
		t.Fatalf("concurrent publish answered %v, want one 200 and one 409", statuses)
	}
	pub := admin.do("POST", path+"/publish", nil).expect(http.StatusConflict).json()
	if !strings.Contains(fmt.Sprint(pub["detail"]), "published") {
		t.Errorf("409 does not name the state: %v", pub)
	}

	// Suppliers see the published tender and its pooled quantities, never
	// the members behind them, nor the bid count.
	seen := supA.do("GET", path, nil).expect(http.StatusOK)
	if strings.Contains(string(seen.body), `"members"`) || strings.Contains(string(seen.body), "bids_count") {
		t.Errorf("a supplier sees members or bid counts: %s", seen.body)
	}
	if l := list(supA.do("GET", "/api/v1/tenders", nil).expect(http.StatusOK).json()["items"]); len(l) != 1 {
		t.Errorf("supplier lists %d tenders, want the published one", len(l))
	}

	// 3. Bids. A's first bid is replaced; a bad bid lists every problem.
	bidA := m{"values": m{"delivery_days": "2"}, "items": []m{
		{"item_id": items[gloves], "pack_unit": "BX", "pack_content": "100", "pack_price": "45.00",
			"tiers": []m{{"min_packs": "40", "pack_price": "42.00"}}},
		{"item_id": items[syringes], "pack_unit": "BX", "pack_content": "100", "pack_price": "30.00"}}}
	first := m{"values": m{"delivery_days": "9"}, "items": bidA["items"]}
	a1 := supA.do("POST", path+"/bids", first).expect(http.StatusCreated).json()
	a2 := supA.do("POST", path+"/bids", bidA).expect(http.StatusOK).json()
	if a1["id"] != a2["id"] || a2["revision"] != float64(2) {
		t.Errorf("replacement: %v then %v", a1, a2)
	}
	// Each submission gets a signed receipt; it verifies against the
	// published key, and a changed one does not.
	receipt1, receipt2 := obj(a1["receipt"]), obj(a2["receipt"])
	if receipt2["revision"] != float64(2) || len(fmt.Sprint(receipt2["sha256"])) != 64 || receipt1["sha256"] == receipt2["sha256"] {
		t.Errorf("receipts %v / %v", receipt1, receipt2)
	}
	if k := e.anonymous().do("GET", "/api/v1/receipts/key", nil).expect(http.StatusOK).json(); k["algorithm"] != "Ed25519" || k["key_id"] != receipt2["key_id"] {
		t.Errorf("published key %v, receipt signed by %v", k, receipt2["key_id"])
	}
	if v := supA.do("POST", "/api/v1/receipts/verify", receipt2).expect(http.StatusOK).json(); v["valid"] != true || v["bid_compared"] != false {
		t.Errorf("verify before opening: %v", v)
	}
	forged := m{}
	for k, v := range receipt2 {
		forged[k] = v
	}
	forged["received_at"] = "2020-01-01T00:00:00Z" // claims an earlier time
	supA.do("POST", "/api/v1/receipts/verify", forged).expect(http.StatusUnprocessableEntity)
	badBid := supB.do("POST", path+"/bids", m{"values": m{"speed": "1"}, "items": []m{
		{"item_id": items[gloves], "pack_unit": "QQ", "pack_content": "0", "pack_price": "-1"},
		{"item_id": 987654321, "pack_unit": "BX", "pack_content": "1", "pack_price": "1"}}}).expect(http.StatusUnprocessableEntity)
	if f := badBid.problemFields(); len(f) < 5 {
		t.Errorf("bad bid problems %v, want every one listed", f)
	}
	bidB := supB.do("POST", path+"/bids", m{"values": m{"delivery_days": "1"}, "items": []m{
		{"item_id": items[gloves], "pack_unit": "BX", "pack_content": "250", "pack_price": "110.00"},
		{"item_id": items[syringes], "pack_unit": "Pakke", "pack_content": "50", "pack_price": "14.00"}}}).expect(http.StatusCreated).json()
	// A Danish unit word is read through pricing's table and stored as its code.
	if it := obj(list(bidB["items"])[1]); it["pack_unit"] != "XPK" {
		t.Errorf("bid B's syringes in %v, want XPK (pakke)", it["pack_unit"])
	}
	bidC := supC.do("POST", path+"/bids", m{"values": m{"delivery_days": "5"}, "items": []m{
		{"item_id": items[gloves], "pack_unit": "BX", "pack_content": "200", "pack_price": "80.00",
			"tiers": []m{{"min_packs": "20", "pack_price": "78.00"}}},
		{"item_id": items[syringes], "pack_unit": "BX", "pack_content": "100", "pack_price": "31.00"}}}).expect(http.StatusCreated).json()
	bidPath := func(b m) string { return fmt.Sprintf("%s/bids/%d", path, int64(b["id"].(float64))) }

	// Sealed: a rival, the practice, staff: nobody but the bidder reads it.
	supA.do("GET", bidPath(a2), nil).expect(http.StatusOK)
	for name, c := range map[string]*client{"rival supplier": supA, "practice": practice, "admin": admin, "board": board} {
		if r := c.do("GET", bidPath(bidB), nil); r.status != http.StatusNotFound {
			t.Errorf("%s read a sealed bid: %d %s", name, r.status, r.body)
		}
	}
	admin.do("GET", path+"/bids", nil).expect(http.StatusConflict)
	board.do("GET", path+"/bids", nil).expect(http.StatusConflict)
	practice.do("GET", path+"/bids", nil).expect(http.StatusNotFound)
	if own := list(supA.do("GET", path+"/bids", nil).expect(http.StatusOK).json()["items"]); len(own) != 1 {
		t.Errorf("supplier A lists %d bids, want its own", len(own))
	}
	if n := admin.do("GET", path, nil).expect(http.StatusOK).json()["bids_count"]; n != float64(3) {
		t.Errorf("admin sees bids_count %v, want 3", n)
	}
	if n := board.do("GET", path, nil).expect(http.StatusOK).json()["bids_count"]; n != float64(3) {
		t.Errorf("board sees bids_count %v, want 3", n)
	}
	board.do("GET", path+"/evaluation", nil).expect(http.StatusConflict)
	// The OCDS export before close says nothing of the bids, not even who bid.
	sealed := supA.do("GET", path+"/ocds", nil).expect(http.StatusOK).body
	checkOCDS(t, sealed)
	if strings.Contains(string(sealed), "tenderer") || strings.Contains(string(sealed), `"bids"`) {
		t.Errorf("OCDS before close tells of bids: %s", sealed)
	}

	// 4. After the deadline by the server's clock: a late bid is refused
	// and nothing is stored.
	later := time.Now().Add(2 * time.Hour)
	e.clock.Set(later)
	supA.do("POST", path+"/bids", first).expect(http.StatusConflict)
	if got := supA.do("GET", bidPath(a2), nil).expect(http.StatusOK).json(); got["revision"] != float64(2) {
		t.Errorf("a late bid changed the stored one: %v", got)
	}

	// 5. The close job, twice: the second run does nothing.
	run1 := admin.runJob("tender-close")
	run2 := admin.runJob("tender-close")
	if obj(run1["counts"])["tenders_closed"] != float64(1) || obj(run2["counts"])["tenders_closed"] != float64(0) {
		t.Fatalf("close job runs: %v / %v", run1, run2)
	}
	if st := admin.do("GET", path, nil).json()["status"]; st != "closed" {
		t.Fatalf("status after close %v", st)
	}
	supA.do("GET", bidPath(bidB), nil).expect(http.StatusNotFound) // rivals stay walled
	admin.do("GET", bidPath(bidB), nil).expect(http.StatusOK)      // staff may read once closed
	// Opened: the receipt of the bid as sent matches the opened bid; the
	// receipt of its replaced first revision does not; the evaluation lists
	// each bid's hash.
	if v := supA.do("POST", "/api/v1/receipts/verify", receipt2).expect(http.StatusOK).json(); v["bid_compared"] != true {
		t.Errorf("verify after opening: %v", v)
	}
	supA.do("POST", "/api/v1/receipts/verify", receipt1).expect(http.StatusUnprocessableEntity)
	hashes := map[any]any{}
	for _, l := range list(admin.do("GET", path+"/evaluation", nil).expect(http.StatusOK).json()["lots"]) {
		for _, b := range list(obj(l)["bids"]) {
			hashes[obj(b)["bid_id"]] = obj(b)["sha256"]
		}
	}
	if hashes[a2["id"]] != receipt2["sha256"] || hashes[bidB["id"]] != obj(bidB["receipt"])["sha256"] {
		t.Errorf("evaluation hashes %v, receipts %v / %v", hashes, receipt2["sha256"], obj(bidB["receipt"])["sha256"])
	}
	practice.do("GET", path+"/evaluation", nil).expect(http.StatusForbidden)
	supA.do("GET", path+"/evaluation", nil).expect(http.StatusForbidden)

	// 6. The evaluation, by hand. Pooled: 4500 EA gloves, 1000 EA syringes.
	//  A: gloves 45 boxes of 100, tier from 40 at 42.00 = 1890.00; syringes 10 x 30.00 = 300.00; 2190.00
	//  B: gloves 18 boxes of 250 x 110.00 = 1980.00; syringes 20 x 14.00 = 280.00; 2260.00
	//  C: gloves 22.5 -> 23 boxes of 200, tier from 20 at 78.00 = 1794.00; syringes 10 x 31.00 = 310.00; 2104.00
	//  price score = 2104.00 / cost x 100 (6 decimals): C 100, A 96.073059, B 93.097345
	//  delivery (lower is better, best 1): B 100, A 50, C 20
	//  total = score x 0.8 + delivery x 0.2: B 74.477876 + 20 = 94.477876,
	//          A 76.8584472 + 10 = 86.8584472, C 80 + 4 = 84
	ev := board.do("GET", path+"/evaluation", nil).expect(http.StatusOK).json()
	lot := obj(list(ev["lots"])[0])
	decEq(t, "lowest cost", lot["lowest_cost"], "2104.00")
	want := []struct {
		bid                        m
		cost, score, total, weight string
	}{
		{bidB, "2260.00", "93.097345", "94.477876", "74.477876"},
		{a2, "2190.00", "96.073059", "86.8584472", "76.8584472"},
		{bidC, "2104.00", "100", "84", "80"},
	}
	bids := list(lot["bids"])
	if len(bids) != 3 {
		t.Fatalf("evaluation has %d bids", len(bids))
	}
	for i, w := range want {
		b := obj(bids[i])
		if b["bid_id"] != w.bid["id"] || b["rank"] != float64(i+1) {
			t.Errorf("rank %d: bid %v rank %v, want bid %v", i+1, b["bid_id"], b["rank"], w.bid["id"])
		}
		decEq(t, fmt.Sprintf("rank %d cost", i+1), b["evaluated_cost"], w.cost)
		decEq(t, fmt.Sprintf("rank %d price score", i+1), b["price_score"], w.score)
		decEq(t, fmt.Sprintf("rank %d price weighted", i+1), b["price_weighted"], w.weight)
		decEq(t, fmt.Sprintf("rank %d total", i+1), b["total"], w.total)
	}
	cGloves := obj(list(obj(bids[2])["items"])[0])
	decEq(t, "C gloves packs", cGloves["packs"], "23")
	decEq(t, "C gloves pack price (tier)", cGloves["pack_price"], "78.00")
	decEq(t, "C gloves per EA", cGloves["unit_price"], "0.39")
	if cGloves["rounded_up"] != true {
		t.Errorf("C's gloves were not rounded up to whole boxes: %v", cGloves)
	}
	if !strings.Contains(fmt.Sprint(lot["explanation"]), "2104.00") {
		t.Errorf("explanation lacks the numbers: %v", lot["explanation"])
	}

	// 7. Baseline offers for gloves: 0.50 (A), 0.48 (B), 6.00 EUR / 100 at 7.5 = 0.45 (C):
	// median 0.48. Syringes have none: baseline = contract price.
	e.insertOffer(e.supplierOfKey(1), gloves, "BX", "100", "EA", "50.00", "DKK")
	e.insertOffer(e.supplierOfKey(2), gloves, "BX", "200", "EA", "96.00", "DKK")
	e.insertOffer(e.supplierOfKey(3), gloves, "BX", "100", "EA", "6.00", "EUR")
	e.svc.DB.Exec("INSERT INTO exchange_rates (currency, rate, updated_by) VALUES ('EUR', 7.5, 'test')")

	// Choosing a lower-ranked bid needs a reason.
	choose := m{"lots": []m{{"lot_id": lot["lot_id"], "bid_id": a2["id"]}}}
	if f := admin.do("POST", path+"/award", choose).expect(http.StatusUnprocessableEntity).problemFields(); len(f) != 1 {
		t.Errorf("award without a reason: %v", f)
	}
	board.do("POST", path+"/award", nil).expect(http.StatusForbidden)
	// Two concurrent awards: exactly one succeeds.
	var awardBody []byte
	var mu sync.Mutex
	statuses = concurrently(2, func() int {
		r := admin.do("POST", path+"/award", nil)
		if r.status == http.StatusOK {
			mu.Lock()
			awardBody = r.body
			mu.Unlock()
		}
		return r.status
	})
	if !sameElems(statuses, []int{http.StatusOK, http.StatusConflict}) {
		t.Fatalf("concurrent awards answered %v, want one 200 and one 409", statuses)
	}
	var award struct {
		Tender    m   `json:"tender"`
		Contracts []m `json:"contracts"`
	}
	if err := json.Unmarshal(awardBody, &award); err != nil {
		t.Fatal(err)
	}
	if award.Tender["status"] != "awarded" || len(award.Contracts) != 1 || award.Contracts[0]["supplier_id"] != float64(e.supplierOfKey(2)) {
		t.Fatalf("award: %s", awardBody)
	}
	contractID := int64(award.Contracts[0]["id"].(float64))
	contract := practice.do("GET", fmt.Sprintf("/api/v1/contracts/%d", contractID), nil).expect(http.StatusOK).json()
	decEq(t, "rebate rate", contract["rebate_rate"], "0.02")
	for _, l := range list(contract["lines"]) {
		line := obj(l)
		switch int64(line["product_id"].(float64)) {
		case gloves:
			decEq(t, "gloves contract pack price", line["pack_price"], "110.00")
			decEq(t, "gloves contract unit price", line["unit_price"], "0.44")
			decEq(t, "gloves baseline", line["baseline_unit_price"], "0.48")
			if line["baseline_method"] != "median_list_price" || len(list(obj(line["baseline_inputs"])["prices"])) != 3 {
				t.Errorf("gloves baseline: %v", line)
			}
		case syringes:
			decEq(t, "syringes contract unit price", line["unit_price"], "0.28")
			decEq(t, "syringes baseline", line["baseline_unit_price"], "0.28")
			if line["baseline_method"] != "none" {
				t.Errorf("syringes baseline method %v, want none", line["baseline_method"])
			}
		}
	}
	// Contracts: members and staff see it, the winner its own, rivals nothing.
	for name, c := range map[string]*client{"practice": practice, "board": board, "winner": supB} {
		if n := len(list(c.do("GET", "/api/v1/contracts", nil).expect(http.StatusOK).json()["items"])); n != 1 {
			t.Errorf("%s lists %d contracts, want 1", name, n)
		}
	}
	if n := len(list(supA.do("GET", "/api/v1/contracts", nil).expect(http.StatusOK).json()["items"])); n != 0 {
		t.Errorf("a losing supplier lists %d contracts", n)
	}
	supA.do("GET", fmt.Sprintf("/api/v1/contracts/%d", contractID), nil).expect(http.StatusNotFound)

	// 8. The catalogue marks B's offer of the awarded pack (boxes of 250)
	// as the contract price, not B's other pack (boxes of 200, above).
	e.insertOffer(e.supplierOfKey(2), gloves, "BX", "250", "EA", "120.00", "DKK")
	marked := 0
	for _, o := range list(practice.do("GET", fmt.Sprintf("/api/v1/products/%d/offers", gloves), nil).expect(http.StatusOK).json()["items"]) {
		o := obj(o)
		if o["is_contract"] == true {
			marked++
			if o["supplier_id"] != float64(e.supplierOfKey(2)) {
				t.Errorf("a rival's offer is marked as a contract price: %v", o)
			}
			if o["pack_content"] != "250" {
				t.Errorf("another pack than the awarded one is marked: %v", o)
			}
			decEq(t, "marked contract unit price", obj(o["contract"])["unit_price"], "0.44")
		}
	}
	if marked != 1 {
		t.Errorf("%d offers marked as contract prices, want 1", marked)
	}

	// 9. The audit trail: transitions, bids (not their content), the award.
	var actions []string
	e.svc.DB.Raw("SELECT action FROM audit_events WHERE entity IN ('tender', 'bid', 'contract') ORDER BY id").Scan(&actions)
	for _, a := range []string{"tender.created", "tender.published", "bid.submitted", "bid.replaced", "tender.closed", "tender.awarded", "contract.created"} {
		if !contains(actions, a) {
			t.Errorf("audit lacks %s: %v", a, actions)
		}
	}
	var leaked int64
	e.svc.DB.Raw("SELECT count(*) FROM audit_events WHERE entity = 'bid' AND details::text LIKE '%pack_price%'").Scan(&leaked)
	if leaked != 0 {
		t.Errorf("the audit trail holds bid content")
	}

	// 10. OCDS.
	final := board.do("GET", path+"/ocds", nil).expect(http.StatusOK).body
	checkOCDS(t, final)
	if os.Getenv("ANDEL_SHOW_OCDS") != "" {
		t.Logf("%s", final)
	}
	var pkg struct {
		Releases []struct {
			Awards    []m `json:"awards"`
			Contracts []m `json:"contracts"`
			Bids      m   `json:"bids"`
		} `json:"releases"`
	}
	if err := json.Unmarshal(final, &pkg); err != nil {
		t.Fatal(err)
	}
	if r := pkg.Releases[0]; len(r.Awards) != 1 || len(r.Contracts) != 1 || len(list(r.Bids["statistics"])) == 0 {
		t.Errorf("OCDS after award lacks awards, contracts or bid statistics: %s", final)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// concurrently runs f n times at once and returns the answers.
func concurrently(n int, f func() int) []int {
	out := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = f()
		}()
	}
	close(start)
	wg.Wait()
	return out
}

func sameElems(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[int]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	for _, v := range count {
		if v != 0 {
			return false
		}
	}
	return true
}

// addTenderProbes adds the tender routes to the tenancy walk: a draft
// tender is invisible to every tenant actor, and a rival supplier's bid on
// a published tender is invisible to every other tenant.
func addTenderProbes(t *testing.T, e *env, routes map[string][]probe, supplier2, member2 int64, missing string) {
	t.Helper()
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	var product int64
	e.svc.DB.Raw("SELECT min(id) FROM products").Scan(&product)
	in := domain.TenderInput{Title: "Probe", ContractFrom: time.Now(), ContractTo: time.Now().AddDate(1, 0, 0),
		BidDeadline: time.Now().Add(time.Hour), Criteria: []domain.CriterionInput{{Name: "price", Weight: decimal.NewFromInt(100)}},
		Lots: []domain.LotInput{{Title: "Lot", Items: []domain.LotItemInput{{ProductID: product, Quantity: decimal.NewFromInt(100)}}}}}
	draft, err := e.svc.Tenders.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	open, err := e.svc.Tenders.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Tenders.Publish(ctx, open.ID); err != nil {
		t.Fatal(err)
	}
	rival := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleSupplier, SupplierID: supplier2, Label: "rival"})
	bid, _, err := e.svc.Tenders.SubmitBid(rival, open.ID, domain.BidInput{Items: []domain.BidItemInput{{
		LotItemID: open.Lots[0].Items[0].ID, PackUnit: "BX", PackContent: decimal.NewFromInt(10), PackPrice: decimal.NewFromInt(5)}}})
	if err != nil {
		t.Fatal(err)
	}
	d, o := "/api/v1/tenders/"+itoa(draft.ID), "/api/v1/tenders/"+itoa(open.ID)
	abs := "/api/v1/tenders/" + missing
	routes["GET /api/v1/members/:id/demand/:period"] = []probe{{foreign: "/api/v1/members/" + itoa(member2) + "/demand/2027",
		absent: "/api/v1/members/" + missing + "/demand/2027"}}
	routes["PUT /api/v1/members/:id/demand/:period"] = []probe{{foreign: "/api/v1/members/" + itoa(member2) + "/demand/2027",
		absent: "/api/v1/members/" + missing + "/demand/2027", body: map[string]any{"lines": []any{}}}}
	for _, r := range []string{"GET /api/v1/tenders/:id", "PUT /api/v1/tenders/:id", "POST /api/v1/tenders/:id/publish", "POST /api/v1/tenders/:id/cancel",
		"GET /api/v1/tenders/:id/bids", "GET /api/v1/tenders/:id/evaluation", "POST /api/v1/tenders/:id/award",
		"GET /api/v1/tenders/:id/ocds"} {
		suffix := strings.TrimPrefix(strings.Fields(r)[1], "/api/v1/tenders/:id")
		routes[r] = []probe{{foreign: d + suffix, absent: abs + suffix}}
	}
	// A rival supplier's contract: its settlement is the rival's and staff's.
	var rivalContract int64
	if err := e.svc.DB.Raw(`INSERT INTO contracts (tender_id, supplier_id, currency, rebate_rate, valid_from, valid_to)
		VALUES (?, ?, 'DKK', 0, current_date, current_date + 365) RETURNING id`, draft.ID, supplier2).Scan(&rivalContract).Error; err != nil {
		t.Fatal(err)
	}
	routes["GET /api/v1/contracts/:id/settlement"] = []probe{{foreign: "/api/v1/contracts/" + itoa(rivalContract) + "/settlement",
		absent: "/api/v1/contracts/" + missing + "/settlement"}}
	routes["GET /api/v1/members/:id/credits"] = []probe{{foreign: "/api/v1/members/" + itoa(member2) + "/credits",
		absent: "/api/v1/members/" + missing + "/credits"}}
	routes["POST /api/v1/tenders/:id/bids"] = []probe{{foreign: d + "/bids", absent: abs + "/bids",
		body: map[string]any{"items": []any{}}}}
	for _, r := range []string{"GET /api/v1/tenders/:id/bids/:bidID", "DELETE /api/v1/tenders/:id/bids/:bidID"} {
		routes[r] = []probe{{foreign: o + "/bids/" + itoa(bid.ID), absent: o + "/bids/" + missing}}
	}
}
