package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"github.com/shopspring/decimal"
)

// TestComplianceHandComputed: a small cooperative whose figures are worked
// out by hand. The contract sells the fixture's product at 40.00 per box of
// 100 (0.40 per EA). Practice 1 buys 10 boxes on it (400.00), 4 boxes of
// 50 from supplier 2 off contract at 25.00 (200 EA at 0.50: 100.00, missed
// (0.50 - 0.40) x 200 = 20.00) and 3 packs of a product with no contract
// (3 x 12.34 = 37.02: off contract, not leakage, nothing missed). Practice
// 2 buys 3 boxes of 50 off contract (150 EA: 75.00, missed 15.00).
func TestComplianceHandComputed(t *testing.T) {
	var f *orderFixture
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
	e.clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	db := e.svc.DB
	var paper, offerC int64
	var category string
	db.Raw("SELECT category FROM products WHERE id = ?", f.product).Scan(&category)
	if err := db.Raw(`INSERT INTO products (name, category, base_unit) VALUES ('Kopipapir', 'papir-test', 'EA') RETURNING id`).Scan(&paper).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Raw(`INSERT INTO offers (supplier_id, price_list_id, line_no, sku, name, category, product_id, pack_unit,
		pack_content, base_unit, pack_price, currency, min_qty, status) VALUES (?, 900002, 2, 'C-10', 'Kopipapir', 'papir-test', ?, 'PK', 10, 'EA', 12.34, 'DKK', 1, 'active')
		RETURNING id`, f.supplier2, paper).Scan(&offerC).Error; err != nil {
		t.Fatal(err)
	}
	practice2 := f.loginMember2(e)
	f.practice.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "quantity": 10},
		{"product_id": f.product, "offer_id": f.offerB, "quantity": 4},
		{"product_id": paper, "offer_id": offerC, "quantity": 3},
	}}).expect(http.StatusCreated)
	o2 := orders(practice2.do("POST", "/api/v1/orders", map[string]any{"lines": []map[string]any{
		{"product_id": f.product, "offer_id": f.offerB, "quantity": 3}}}).expect(http.StatusCreated))
	// The line itself carries the contract's price of the day and what it missed.
	wantFields(t, line(o2[0], 0), map[string]string{"unit_price": "0.50", "net_total": "75.00"})
	var stored struct {
		ContractUnitPrice, MissedSavings decimal.Decimal
	}
	db.Raw("SELECT contract_unit_price, missed_savings FROM order_lines WHERE member_id = ?", f.member2).Scan(&stored)
	if !stored.ContractUnitPrice.Equal(decimal.RequireFromString("0.40")) || !stored.MissedSavings.Equal(decimal.RequireFromString("15.00")) {
		t.Fatalf("stored line: %+v, want contract price 0.40 and 15.00 missed", stored)
	}
	if r := f.admin.runJob("savings-rollup"); r["status"] != "succeeded" {
		t.Fatalf("rollup: %v", r)
	}

	const q = "/api/v1/compliance?from=2026-03-01&to=2026-03-31"
	figures := func(m any) map[string]string {
		out := map[string]string{}
		for k, v := range m.(map[string]any) {
			if s, ok := v.(string); ok {
				out[k] = s
			}
		}
		return out
	}
	check := func(who string, got any, want map[string]string) {
		t.Helper()
		g := figures(got)
		for k, v := range want {
			if g[k] != v {
				t.Errorf("%s: %s = %q, want %q (%v)", who, k, g[k], v, g)
			}
		}
	}
	for _, c := range []*client{f.board, f.admin} {
		total := c.do("GET", q, nil).expect(http.StatusOK).json()
		// 212.02 / 612.02 = 34.6426...; 175.00 / 612.02 = 28.5938...
		check("total", total["total"], map[string]string{"spend": "612.02", "off_contract_spend": "212.02",
			"off_contract_share": "34.64", "leakage_spend": "175.00", "leakage_share": "28.59", "missed_savings": "35.00"})
		byMember := c.do("GET", q+"&group_by=member", nil).expect(http.StatusOK).json()["groups"].([]any)
		if len(byMember) != 2 {
			t.Fatalf("by member: %v", byMember)
		}
		check("member 1", byMember[0], map[string]string{"key": itoa(f.member1), "spend": "537.02", "off_contract_spend": "137.02",
			"leakage_spend": "100.00", "missed_savings": "20.00", "off_contract_share": "25.51"})
		check("member 2", byMember[1], map[string]string{"key": itoa(f.member2), "spend": "75.00", "off_contract_spend": "75.00",
			"leakage_spend": "75.00", "missed_savings": "15.00", "off_contract_share": "100.00"})
		bySupplier := c.do("GET", q+"&group_by=supplier", nil).expect(http.StatusOK).json()["groups"].([]any)
		want := map[string]map[string]string{
			itoa(f.supplier1): {"spend": "400.00", "off_contract_spend": "0.00", "missed_savings": "0.00"},
			itoa(f.supplier2): {"spend": "212.02", "off_contract_spend": "212.02", "leakage_spend": "175.00", "missed_savings": "35.00"},
		}
		if len(bySupplier) != 2 {
			t.Fatalf("by supplier: %v", bySupplier)
		}
		for _, g := range bySupplier {
			check("supplier", g, want[figures(g)["key"]])
		}
		byCategory := c.do("GET", q+"&group_by=category", nil).expect(http.StatusOK).json()["groups"].([]any)
		wantCat := map[string]map[string]string{
			category:     {"spend": "575.00", "off_contract_spend": "175.00", "leakage_spend": "175.00", "missed_savings": "35.00"},
			"papir-test": {"spend": "37.02", "off_contract_spend": "37.02", "leakage_spend": "0.00", "missed_savings": "0.00"},
		}
		if len(byCategory) != 2 {
			t.Fatalf("by category: %v", byCategory)
		}
		for _, g := range byCategory {
			check("category", g, wantCat[figures(g)["key"]])
		}
	}

	// A practice sees its own only, with its products bought off contract.
	own := f.practice.do("GET", q+"&group_by=member", nil).expect(http.StatusOK).json()
	groups := own["groups"].([]any)
	if len(groups) != 1 {
		t.Fatalf("practice 1 sees %d members: %v", len(groups), groups)
	}
	check("own", groups[0], map[string]string{"key": itoa(f.member1), "spend": "537.02", "missed_savings": "20.00"})
	check("own total", own["total"], map[string]string{"spend": "537.02", "leakage_spend": "100.00", "missed_savings": "20.00"})
	products := own["products"].([]any)
	if len(products) != 2 {
		t.Fatalf("products: %v", products)
	}
	p0, p1 := products[0].(map[string]any), products[1].(map[string]any)
	if int64(p0["product_id"].(float64)) != f.product || p0["missed_savings"] != "20.00" || p0["off_contract_spend"] != "100.00" ||
		int64(p1["product_id"].(float64)) != paper || p1["missed_savings"] != "0.00" || p1["off_contract_spend"] != "37.02" {
		t.Errorf("products: %v", products)
	}
	other := practice2.do("GET", q+"&group_by=supplier", nil).expect(http.StatusOK).json()
	check("practice 2", other["total"], map[string]string{"spend": "75.00", "missed_savings": "15.00"})

	// Suppliers see none; bad input is every problem at once.
	e.withKey(e.demoKey(1)).do("GET", q, nil).expect(http.StatusForbidden)
	bad := f.board.do("GET", "/api/v1/compliance?from=2026-13-01&group_by=month", nil)
	if bad.status != http.StatusUnprocessableEntity && bad.status != http.StatusBadRequest {
		t.Fatalf("bad input: %d %s", bad.status, bad.body)
	}
	f.board.do("GET", "/api/v1/compliance?from=2026-03-01&to=2026-03-31&group_by=month", nil).expect(http.StatusUnprocessableEntity)
}

// TestScorecardEndpoints: who sees a scorecard, and the weights staff set
// (the figures themselves are computed by hand in domain's
// TestScorecardHandComputed).
func TestScorecardEndpoints(t *testing.T) {
	e := newEnv(t)
	admin, board, practice := e.login(demo.AdminEmail), e.login(demo.BoardEmail), e.login(demo.PracticeEmail)
	key := e.withKey(e.demoKey(1))
	own := e.supplierOf(e.demoKey(1))
	path := "/api/v1/suppliers/" + itoa(own) + "/scorecard?period=2026"
	for name, c := range map[string]*client{"admin": admin, "board": board, "supplier itself": key} {
		sc := c.do("GET", path, nil).expect(http.StatusOK).json()
		if int64(sc["supplier_id"].(float64)) != own || len(sc["parts"].([]any)) != 5 {
			t.Errorf("%s: %v", name, sc)
		}
	}
	practice.do("GET", path, nil).expect(http.StatusNotFound)
	admin.do("GET", "/api/v1/suppliers/"+itoa(own)+"/scorecard?period=2026-7", nil).expect(http.StatusUnprocessableEntity)

	w := board.do("GET", "/api/v1/scorecard-weights", nil).expect(http.StatusOK).json()
	if w["on_time"] != float64(30) || w["tenders"] != float64(15) {
		t.Errorf("default weights %v", w)
	}
	key.do("GET", "/api/v1/scorecard-weights", nil).expect(http.StatusForbidden)
	board.do("PUT", "/api/v1/scorecard-weights", map[string]int{"on_time": 40, "rejections": 20, "response": 20,
		"price_lists": 10, "tenders": 10}).expect(http.StatusForbidden)
	bad := admin.do("PUT", "/api/v1/scorecard-weights", map[string]int{"on_time": 40, "rejections": 20, "response": 20,
		"price_lists": 10}).expect(http.StatusUnprocessableEntity).json()
	if len(bad["errors"].([]any)) != 1 {
		t.Errorf("missing part: %v", bad)
	}
	admin.do("PUT", "/api/v1/scorecard-weights", map[string]int{"on_time": 40, "rejections": 20, "response": 20,
		"price_lists": 10, "tenders": 20}).expect(http.StatusUnprocessableEntity)
	got := admin.do("PUT", "/api/v1/scorecard-weights", map[string]int{"on_time": 40, "rejections": 20, "response": 20,
		"price_lists": 10, "tenders": 10}).expect(http.StatusOK).json()
	if got["on_time"] != float64(40) {
		t.Errorf("set weights: %v", got)
	}
	sc := key.do("GET", path, nil).expect(http.StatusOK).json()
	if sc["parts"].([]any)[0].(map[string]any)["weight"] != float64(40) {
		t.Errorf("the scorecard does not carry the new weight: %v", sc["parts"])
	}
}

// TestContractShowsDeliveryDays: a contract's JSON carries the delivery
// time its awarded bid promised.
func TestContractShowsDeliveryDays(t *testing.T) {
	e := newEnv(t)
	sum, err := demo.SeedTenders(context.Background(), e.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	var days string
	e.svc.DB.Raw(`SELECT c.id, b.criteria_values->>'delivery_days' FROM contracts c
		JOIN bids b ON b.tender_id = c.tender_id AND b.supplier_id = c.supplier_id WHERE c.tender_id = ?`, sum.AwardedTenderID).Row().Scan(&id, &days)
	got := e.login(demo.AdminEmail).do("GET", "/api/v1/contracts/"+itoa(id), nil).expect(http.StatusOK).json()
	if d, _ := got["delivery_days"].(string); d == "" || !decimal.RequireFromString(d).Equal(decimal.RequireFromString(days)) {
		t.Errorf("contract delivery_days %v, the bid's %s", got["delivery_days"], days)
	}
}

// TestOrderKeepsPromiseAndMoveTimes: an order on the demo award's contract
// keeps the contract's delivery days, and the supplier's moves are stamped
// with the server's clock (what the scorecard measures).
func TestOrderKeepsPromiseAndMoveTimes(t *testing.T) {
	e := newEnv(t)
	if _, err := demo.SeedTenders(context.Background(), e.svc.Services); err != nil {
		t.Fatal(err)
	}
	var line struct {
		ProductID, SupplierID int64
		Days                  decimal.Decimal
	}
	e.svc.DB.Raw(`SELECT l.product_id, l.supplier_id, c.delivery_days AS days FROM contract_lines l
		JOIN contracts c ON c.id = l.contract_id WHERE l.status = 'active' ORDER BY l.id LIMIT 1`).Scan(&line)
	if line.ProductID == 0 || !line.Days.IsPositive() {
		t.Fatalf("contract line %+v", line)
	}
	placed := time.Now().UTC().Truncate(time.Second) // the demo contract runs from today
	e.clock.Set(placed)
	o := orders(e.login(demo.PracticeEmail).do("POST", "/api/v1/orders",
		map[string]any{"lines": []map[string]any{{"product_id": line.ProductID, "quantity": 2}}}).expect(http.StatusCreated))[0]
	id := int64(o["id"].(float64))
	var supplier *client
	for i := 1; i <= 3; i++ {
		if e.supplierOf(e.demoKey(i)) == line.SupplierID {
			supplier = e.withKey(e.demoKey(i))
		}
	}
	if supplier == nil {
		t.Fatal("no demo key of the awarded supplier")
	}
	confirmed, delivered := placed.Add(3*time.Hour), placed.Add(50*time.Hour)
	e.clock.Set(confirmed)
	supplier.do("POST", "/api/v1/orders/"+itoa(id)+"/status", map[string]string{"status": "confirmed"}).expect(http.StatusOK)
	e.clock.Set(confirmed.Add(time.Hour))
	supplier.do("POST", "/api/v1/orders/"+itoa(id)+"/status", map[string]string{"status": "shipped"}).expect(http.StatusOK)
	e.clock.Set(delivered)
	supplier.do("POST", "/api/v1/orders/"+itoa(id)+"/status", map[string]string{"status": "delivered"}).expect(http.StatusOK)
	var got struct {
		PromisedDays             decimal.Decimal
		ConfirmedAt, DeliveredAt time.Time
	}
	e.svc.DB.Raw("SELECT promised_days, confirmed_at, delivered_at FROM orders WHERE id = ?", id).Scan(&got)
	if !got.PromisedDays.Equal(line.Days) || !got.ConfirmedAt.Equal(confirmed) || !got.DeliveredAt.Equal(delivered) {
		t.Errorf("order %+v; want %s days, confirmed %s, delivered %s", got, line.Days, confirmed, delivered)
	}
}
