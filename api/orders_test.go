package api_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/suppliers"

	"github.com/shopspring/decimal"
)

// orderFixture is a small catalogue to order from: one product (base unit
// EA) with an offer of supplier 1 (boxes of 100 at 45.00 from 2 packs,
// 42.00 from 10) and one of supplier 2 (boxes of 50 at 25.00 from 1).
type orderFixture struct {
	member1, member2       int64
	supplier1, supplier2   int64
	product                int64
	offerA, offerB         int64
	practice, admin, board *client
}

func newOrderFixture(t *testing.T, e *env) *orderFixture {
	t.Helper()
	db := e.svc.DB
	f := &orderFixture{}
	db.Raw("SELECT member_id FROM users WHERE email = ?", demo.PracticeEmail).Scan(&f.member1)
	db.Raw("SELECT id FROM members WHERE id <> ? ORDER BY id LIMIT 1", f.member1).Scan(&f.member2)
	f.supplier1 = e.supplierOf(e.demoKey(1))
	f.supplier2 = e.supplierOf(e.demoKey(2))
	db.Raw("SELECT id FROM products WHERE base_unit = 'EA' ORDER BY id LIMIT 1").Scan(&f.product)
	offer := func(supplier, priceList int64, sku, content, price string, minQty int64) int64 {
		var id int64
		if err := db.Raw(`INSERT INTO offers (supplier_id, price_list_id, line_no, sku, name, category, product_id, pack_unit,
			pack_content, base_unit, pack_price, currency, min_qty, status) VALUES (?, ?, 1, ?, ?, 'handsker', ?, 'BX', ?, 'EA', ?, 'DKK', ?, 'active')
			RETURNING id`, supplier, priceList, sku, sku, f.product, content, price, minQty).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		return id
	}
	// The active price lists the offers belong to (the offers view shows
	// the offers of active lists).
	for _, pl := range []struct{ id, supplier int64 }{{900001, f.supplier1}, {900002, f.supplier2}} {
		if err := db.Exec(`INSERT INTO price_lists (id, supplier_id, format, content_type, body_sha256, body_bytes, status, created_by)
			OVERRIDING SYSTEM VALUE VALUES (?, ?, 'csv', 'text/csv', sha256(?::bytea), 0, 'active', 'test')`,
			pl.id, pl.supplier, strconv.FormatInt(pl.id, 10)).Error; err != nil {
			t.Fatal(err)
		}
	}
	f.offerA = offer(f.supplier1, 900001, "A-100", "100", "45.00", 2)
	f.offerB = offer(f.supplier2, 900002, "B-50", "50", "25.00", 1)
	// A's tier above its lowest: another row of its list and SKU.
	if err := db.Exec(`INSERT INTO offer_rows (supplier_id, price_list_id, line_no, sku, pack_unit, pack_content, base_unit,
		pack_price, currency, min_qty, lowest) VALUES (?, 900001, 2, 'A-100', 'BX', 100, 'EA', 42.00, 'DKK', 10, false)`, f.supplier1).Error; err != nil {
		t.Fatal(err)
	}
	f.practice = e.login(demo.PracticeEmail)
	f.admin = e.login(demo.AdminEmail)
	f.board = e.login(demo.BoardEmail)
	return f
}

// loginMember2 creates and logs in a user of the second member.
func (f *orderFixture) loginMember2(e *env) *client {
	f.admin.do("POST", "/api/v1/users", map[string]any{"email": "second@practice.test", "password": demo.Password,
		"role": "member", "member_id": f.member2}).expect(http.StatusCreated)
	return e.login("second@practice.test")
}

func line(r map[string]any, i int) map[string]any {
	return r["lines"].([]any)[i].(map[string]any)
}

func orders(r *response) []map[string]any {
	var out []map[string]any
	for _, o := range r.json()["orders"].([]any) {
		out = append(out, o.(map[string]any))
	}
	return out
}

func wantFields(t *testing.T, got map[string]any, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if s, _ := got[k].(string); s != v {
			t.Errorf("%s = %v, want %s", k, got[k], v)
		}
	}
}

// TestOrdersWithoutContract: every line names an offer; tier prices, the
// median-list-price baseline, VAT and savings are snapshotted; validation,
// idempotency, walls, transitions and cancel.
func TestOrdersWithoutContract(t *testing.T) {
	e := newEnv(t)
	f := newOrderFixture(t, e)
	db := e.svc.DB

	// Every problem at once, nothing stored.
	bad := f.practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "quantity": 2},                       // no contract, no offer
		{"product_id": f.product, "offer_id": f.offerA, "quantity": 1}, // below min_qty 2
		{"product_id": f.product, "offer_id": f.offerB, "quantity": 0}, // zero
		{"product_id": f.product, "offer_id": 987654, "quantity": 1},   // unknown offer
		{"product_id": 987654, "offer_id": f.offerB, "quantity": -1},   // unknown product, negative
	}}).expect(http.StatusUnprocessableEntity)
	got := bad.problemFields()
	for _, want := range []string{"lines[0].offer_id", "lines[1].quantity", "lines[2].quantity", "lines[3].offer_id", "lines[4].quantity", "lines[4].product_id"} {
		if !slices.Contains(got, want) {
			t.Errorf("problems %v lack %s", got, want)
		}
	}
	var n int64
	db.Raw("SELECT count(*) FROM orders").Scan(&n)
	if n != 0 {
		t.Fatalf("%d orders stored after a 422", n)
	}

	body := map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "offer_id": f.offerA, "quantity": 10},
		{"product_id": f.product, "offer_id": f.offerB, "quantity": 3},
	}}
	key := map[string]string{"Idempotency-Key": "order-1"}
	res := f.practice.doWith("POST", "/api/v1/orders", body, key).expect(http.StatusCreated)
	os := orders(res)
	if len(os) != 2 {
		t.Fatalf("want one order per supplier: %s", res.body)
	}
	// Baseline: median of the coop unit prices 0.45 (A's lowest tier) and 0.50 = 0.475.
	wantFields(t, line(os[0], 0), map[string]string{"pack_price": "42.00", "unit_price": "0.42", "base_quantity": "1000",
		"baseline_unit_price": "0.475", "baseline_method": "median_list_price", "net_total": "420.00", "vat_total": "105.00",
		"gross_total": "525.00", "savings": "55.00", "baseline_total": "475.00", "rebate_rate": "0"})
	if line(os[0], 0)["on_contract"] != false {
		t.Error("a line without contract is on contract")
	}
	wantFields(t, line(os[1], 0), map[string]string{"unit_price": "0.50", "net_total": "75.00", "savings": "-3.75"})
	wantFields(t, os[0], map[string]string{"net_total": "420.00", "vat_total": "105.00", "gross_total": "525.00", "status": "placed"})

	// The same key and body: the same orders; another body: 422.
	again := orders(f.practice.doWith("POST", "/api/v1/orders", body, key).expect(http.StatusCreated))
	if again[0]["id"] != os[0]["id"] || again[1]["id"] != os[1]["id"] {
		t.Errorf("retry made new orders: %v vs %v", again[0]["id"], os[0]["id"])
	}
	body2 := map[string]any{"lines": []map[string]any{{"product_id": f.product, "offer_id": f.offerB, "quantity": 4}}}
	f.practice.doWith("POST", "/api/v1/orders", body2, key).expect(http.StatusUnprocessableEntity)
	db.Raw("SELECT count(*) FROM orders").Scan(&n)
	if n != 2 {
		t.Fatalf("%d orders, want 2", n)
	}

	// A later price list changes nothing placed.
	db.Exec("UPDATE offers SET pack_price = 99 WHERE id = ?", f.offerB)
	idB := itoa(int64(os[1]["id"].(float64)))
	if l := line(f.practice.do("GET", "/api/v1/orders/"+idB, nil).expect(http.StatusOK).json(), 0); l["net_total"] != "75.00" {
		t.Errorf("placed line changed: %v", l)
	}

	// Walls: each supplier sees the order addressed to it only.
	s1, s2 := e.withKey(e.demoKey(1)), e.withKey(e.demoKey(2))
	if items := s2.do("GET", "/api/v1/orders", nil).expect(http.StatusOK).json()["items"].([]any); len(items) != 1 {
		t.Errorf("supplier 2 sees %d orders", len(items))
	}
	idA := itoa(int64(os[0]["id"].(float64)))
	s2.do("GET", "/api/v1/orders/"+idA, nil).expect(http.StatusNotFound)
	if items := f.admin.do("GET", "/api/v1/orders", nil).expect(http.StatusOK).json()["items"].([]any); len(items) != 2 {
		t.Errorf("admin sees %d orders", len(items))
	}

	// Transitions.
	f.practice.do("POST", "/api/v1/orders/"+idA+"/status", map[string]string{"status": "confirmed"}).expect(http.StatusForbidden)
	s1.do("POST", "/api/v1/orders/"+idA+"/status", map[string]string{"status": "delivered"}).expect(http.StatusConflict)
	s1.do("POST", "/api/v1/orders/"+idA+"/status", map[string]string{"status": "rejected"}).expect(http.StatusUnprocessableEntity)
	s1.do("POST", "/api/v1/orders/"+idA+"/status", map[string]string{"status": "lost"}).expect(http.StatusUnprocessableEntity)
	s1.do("POST", "/api/v1/orders/"+idA+"/status", map[string]string{"status": "confirmed"}).expect(http.StatusOK)
	f.practice.do("POST", "/api/v1/orders/"+idA+"/cancel", nil).expect(http.StatusConflict)
	s1.do("POST", "/api/v1/orders/"+idA+"/status", map[string]string{"status": "shipped"}).expect(http.StatusOK)
	s1.do("POST", "/api/v1/orders/"+idA+"/status", map[string]string{"status": "confirmed"}).expect(http.StatusConflict)
	d := s1.do("POST", "/api/v1/orders/"+idA+"/status", map[string]string{"status": "delivered"}).expect(http.StatusOK).json()
	if d["status"] != "delivered" || line(d, 0)["rebate_accrued"] != "0.00" {
		t.Errorf("delivered %v", d)
	}
	s2.do("POST", "/api/v1/orders/"+idB+"/cancel", nil).expect(http.StatusForbidden)
	f.practice.do("POST", "/api/v1/orders/"+idB+"/cancel", nil).expect(http.StatusOK)
	s2.do("POST", "/api/v1/orders/"+idB+"/status", map[string]string{"status": "confirmed"}).expect(http.StatusConflict)
}

// webhookReceiver is a supplier's order endpoint: it checks the signature,
// fails the first attempt on purpose, and counts each delivery id.
type webhookReceiver struct {
	mu       sync.Mutex
	secret   string
	attempts int
	seen     map[string]int
	orders   []string
	badSigs  int
}

func (w *webhookReceiver) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.attempts++
	sig := r.Header.Get(suppliers.SignatureHeader)
	parts := strings.SplitN(sig, ",", 2)
	if len(parts) != 2 {
		w.badSigs++
		rw.WriteHeader(http.StatusUnauthorized)
		return
	}
	ts := strings.TrimPrefix(parts[0], "t=")
	mac := hmac.New(sha256.New, []byte(w.secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	if !hmac.Equal([]byte(strings.TrimPrefix(parts[1], "v1=")), []byte(hex.EncodeToString(mac.Sum(nil)))) {
		w.badSigs++
		rw.WriteHeader(http.StatusUnauthorized)
		return
	}
	if w.attempts == 1 {
		rw.WriteHeader(http.StatusServiceUnavailable) // the injected first failure
		return
	}
	id := r.Header.Get(suppliers.DeliveryIDHeader)
	if w.seen[id] == 0 {
		w.orders = append(w.orders, string(body))
	}
	w.seen[id]++
	rw.WriteHeader(http.StatusNoContent)
}

// TestOrderSavingsEndToEnd starts from an awarded contract. The contract
// comes from a fake ContractPricer that stands in for the tender award
// until contracts are wired into orders: product P at supplier 1 in boxes
// of 100 for 40.00 (0.40 per EA), baseline 0.50 per EA, rebate 2%.
func TestOrderSavingsEndToEnd(t *testing.T) {
	var f *orderFixture // the fake contract is for the fixture's product
	e := newEnvWith(t, domain.Options{ContractPricer: func(ctx context.Context, productID int64, on time.Time) (*domain.ContractPrice, error) {
		if productID != f.product {
			return nil, nil
		}
		return &domain.ContractPrice{ContractID: 7, ContractLineID: 70, SupplierID: f.supplier1, OfferID: f.offerA,
			PackUnit: "BX", PackContent: decimal.NewFromInt(100), BaseUnit: "EA",
			PackPrice: decimal.RequireFromString("40.00"), UnitPrice: decimal.RequireFromString("0.40"), Currency: "DKK",
			BaselineUnitPrice: decimal.RequireFromString("0.50"), BaselineMethod: "median_list_price",
			RebateRate: decimal.RequireFromString("0.02")}, nil
	}})
	f = newOrderFixture(t, e)
	clock := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	e.clock.Set(clock)
	// Both suppliers get webhooks with secrets issued through the API.
	receivers := map[int64]*webhookReceiver{}
	for _, sid := range []int64{f.supplier1, f.supplier2} {
		w := &webhookReceiver{seen: map[string]int{}}
		srv := httptest.NewServer(w)
		t.Cleanup(srv.Close)
		e.svc.DB.Exec("UPDATE suppliers SET order_webhook_url = ? WHERE id = ?", srv.URL, sid)
		w.secret = f.admin.do("POST", "/api/v1/suppliers/"+itoa(sid)+"/webhook-secret", nil).expect(http.StatusCreated).json()["secret"].(string)
		receivers[sid] = w
	}
	practice2 := f.loginMember2(e)

	// Practice 1: the contract line, and an off-contract line at supplier 2;
	// its retry with the same key returns the same orders.
	body := map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "quantity": 10},
		{"product_id": f.product, "offer_id": f.offerB, "quantity": 4},
	}}
	key := map[string]string{"Idempotency-Key": "p1-order"}
	first := orders(f.practice.doWith("POST", "/api/v1/orders", body, key).expect(http.StatusCreated))
	retry := orders(f.practice.doWith("POST", "/api/v1/orders", body, key).expect(http.StatusCreated))
	if len(first) != 2 || retry[0]["id"] != first[0]["id"] || retry[1]["id"] != first[1]["id"] {
		t.Fatalf("orders %v, retry %v", first, retry)
	}
	l := line(first[0], 0)
	wantFields(t, l, map[string]string{"unit_price": "0.40", "baseline_unit_price": "0.50", "net_total": "400.00",
		"savings": "100.00", "rebate_rate": "0.02"})
	if l["on_contract"] != true || line(first[1], 0)["on_contract"] != false {
		t.Errorf("on-contract flags: %v / %v", l["on_contract"], line(first[1], 0)["on_contract"])
	}
	// Practice 2: 3 boxes at the contract.
	second := orders(practice2.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "quantity": 3}}}).expect(http.StatusCreated))

	// The outbox: the first attempt fails, the retry after the backoff
	// succeeds; each order arrives exactly once.
	run := func(job string) map[string]any {
		return f.admin.runJob(job)
	}
	run("order-outbox")
	run("order-outbox") // nothing due yet: no double send
	clock = clock.Add(domain.OutboxMaxDelay)
	e.clock.Set(clock)
	run("order-outbox")
	run("order-outbox")
	var pending int64
	e.svc.DB.Raw("SELECT count(*) FROM order_outbox WHERE status <> 'delivered'").Scan(&pending)
	if pending != 0 {
		t.Errorf("%d messages undelivered", pending)
	}
	for sid, w := range receivers {
		want := 1 // supplier 2: practice 1's off-contract order
		if sid == f.supplier1 {
			want = 2
		}
		if len(w.orders) != want || w.badSigs != 0 {
			t.Errorf("supplier %d received %d orders (want %d), %d bad signatures", sid, len(w.orders), want, w.badSigs)
		}
		for id, n := range w.seen {
			if n != 1 {
				t.Errorf("delivery %s accepted %d times", id, n)
			}
		}
	}

	// Supplier 1 confirms and delivers practice 1's contract order.
	s1 := e.withKey(e.demoKey(1))
	id1 := itoa(int64(first[0]["id"].(float64)))
	for _, st := range []string{"confirmed", "shipped", "delivered"} {
		s1.do("POST", "/api/v1/orders/"+id1+"/status", map[string]string{"status": st}).expect(http.StatusOK)
	}
	if r := run("savings-rollup"); r["status"] != "succeeded" {
		t.Fatalf("rollup %v", r)
	}
	_ = second

	// By hand: p1 400.00 on contract (baseline 500.00, savings 100.00,
	// rebate 2% = 8.00) + 100.00 off contract (baseline 0.50 x 200 = 100.00,
	// savings 0.00); p2 120.00 on contract (baseline 150.00, savings 30.00).
	// Spend 620.00, baseline 750.00, savings 130.00 = 17.33%, on contract
	// 520.00 = 83.87%, rebates 8.00.
	q := "/api/v1/savings?from=2026-01-01&to=2026-12-31"
	total := f.board.do("GET", q, nil).expect(http.StatusOK).json()["total"].(map[string]any)
	wantFields(t, total, map[string]string{"spend": "620.00", "baseline_spend": "750.00", "savings": "130.00",
		"savings_percent": "17.33", "on_contract_spend": "520.00", "on_contract_share": "83.87", "rebates_accrued": "8.00"})
	// The same figures from day rows only, and from a whole month with days around it.
	for _, r := range []string{"from=2026-03-10&to=2026-03-10", "from=2026-02-15&to=2026-04-15", "from=2026-03-01&to=2026-03-31"} {
		other := f.board.do("GET", "/api/v1/savings?"+r+"&group_by=member", nil).expect(http.StatusOK).json()["total"].(map[string]any)
		wantFields(t, other, map[string]string{"spend": "620.00", "savings": "130.00", "rebates_accrued": "8.00"})
	}
	if empty := f.board.do("GET", "/api/v1/savings?from=2026-03-11&to=2026-05-31", nil).expect(http.StatusOK).json()["total"].(map[string]any); empty["spend"] != "0.00" {
		t.Errorf("days without orders: %v", empty)
	}
	for _, g := range []string{"month", "category", "supplier", "member"} {
		res := f.admin.do("GET", q+"&group_by="+g, nil).expect(http.StatusOK).json()
		sum := map[string]decimal.Decimal{}
		for _, gr := range res["groups"].([]any) {
			for _, k := range []string{"spend", "baseline_spend", "savings", "on_contract_spend", "rebates_accrued"} {
				sum[k] = sum[k].Add(decimal.RequireFromString(gr.(map[string]any)[k].(string)))
			}
		}
		for k, v := range sum {
			if v.StringFixed(2) != total[k] {
				t.Errorf("group_by=%s: %s sums to %s, total %s", g, k, v.StringFixed(2), total[k])
			}
		}
	}
	// The rollup equals the stored lines.
	lines, err := e.svc.Savings.LineTotals(domain.WithActor(context.Background(), domain.SystemActor("test")),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), "DKK")
	if err != nil {
		t.Fatal(err)
	}
	if lines.Spend.StringFixed(2) != total["spend"] || lines.Savings.StringFixed(2) != total["savings"] || lines.Rebates.StringFixed(2) != total["rebates_accrued"] {
		t.Errorf("lines %+v vs rollup %v", lines, total)
	}
	// A practice sees its own figures only; a supplier none.
	own := f.practice.do("GET", q, nil).expect(http.StatusOK).json()["total"].(map[string]any)
	wantFields(t, own, map[string]string{"spend": "500.00", "savings": "100.00", "rebates_accrued": "8.00"})
	s1.do("GET", q, nil).expect(http.StatusForbidden)
	f.board.do("GET", "/api/v1/savings?from=2026-01-01&to=2026-12-31&group_by=week", nil).expect(http.StatusUnprocessableEntity)

	// A cancellation leaves the figures after the next rollup.
	practice2.do("POST", "/api/v1/orders/"+itoa(int64(second[0]["id"].(float64)))+"/cancel", nil).expect(http.StatusOK)
	run("savings-rollup")
	total = f.board.do("GET", q, nil).expect(http.StatusOK).json()["total"].(map[string]any)
	wantFields(t, total, map[string]string{"spend": "500.00", "savings": "100.00"})
}

// addOrderProbes adds the order routes to the tenancy walk: an order of
// member 2 to supplier 2 is foreign to every tenant actor of the walk.
func addOrderProbes(t *testing.T, e *env, routes map[string][]probe, supplier2, member2 int64, missing string) {
	t.Helper()
	var id int64
	if err := e.svc.DB.Raw(`INSERT INTO orders (member_id, supplier_id, currency, placed_on, net_total, vat_total, gross_total,
		baseline_total, savings_total) VALUES (?, ?, 'DKK', current_date, 0, 0, 0, 0, 0) RETURNING id`, member2, supplier2).Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	o, a := "/api/v1/orders/"+itoa(id), "/api/v1/orders/"+missing
	routes["GET /api/v1/orders/:id"] = []probe{{foreign: o, absent: a}}
	routes["POST /api/v1/orders/:id/cancel"] = []probe{{foreign: o + "/cancel", absent: a + "/cancel"}}
	routes["POST /api/v1/orders/:id/status"] = []probe{{foreign: o + "/status", absent: a + "/status", body: map[string]string{"status": "confirmed"}}}
	routes["POST /api/v1/orders/:id/response"] = []probe{{foreign: o + "/response", absent: a + "/response", body: map[string]string{}}}
	routes["POST /api/v1/suppliers/:id/webhook-secret"] = []probe{{foreign: "/api/v1/suppliers/" + itoa(supplier2) + "/webhook-secret",
		absent: "/api/v1/suppliers/" + missing + "/webhook-secret"}}
}
