package domain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
	"andel/internal/testclock"

	"github.com/shopspring/decimal"
)

// TestScorecardHandComputed computes one supplier's March 2026 scorecard
// by hand, then lets a tender with a past-performance criterion take its
// score from it at the deadline and checks the evaluation records the
// inputs.
//
// Orders of supplier S (placed -> confirmed -> delivered, promise):
//
//	1  03-02 10:00 -> 12:00 (2 h)  -> 03-04 12:00, 2 days: on time (at the limit)
//	2  03-03 10:00 -> 03-04 09:00 (23 h) -> 03-08 09:00, 3 days: late
//	3  03-05 10:00 -> 03-06 14:00 (28 h) -> 03-07 14:00, 2 days: on time
//	4  03-06 10:00 -> 11:00 (1 h), shipped, 2 days
//	5  03-09 10:00 rejected
//	6  03-10 10:00 cancelled by the practice: not counted
//	7  03-11 10:00 -> 10:30 (0.5 h) -> 03-12, no promise (off contract)
//
// orders 6, rejected 1: rejections 100 - 16.67 = 83.33; confirmed 5, 4
// within 24 h: response 80.00; response times 1800, 3600, 7200, 82800,
// 100800 s: median (nearest rank) 7200, p90 100800; delivered with a
// promise 3, on time 2: 66.67. Price lists: 4, one rejected (25.00 %),
// 10 warnings in 2,000 rows (5.00 per 1,000): (100 - 25) x (1000 - 5) /
// 1000 = 74.625 -> 74.63. Tender T1: 3 of its 4 lines bid: 75.00.
// Weights 30/20/20/15/15: (66.67x30 + 83.33x20 + 80x20 + 74.63x15 +
// 75x15) / 100 = 75.1115 -> 75.11.
func TestScorecardHandComputed(t *testing.T) {
	t.Parallel()
	var clock testclock.Clock
	svc := domain.NewServices(pgtest.DB(t), domain.Options{Clock: clock.Now})
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(admin, svc, ""); err != nil {
		t.Fatal(err)
	}
	db := svc.DB
	exec := func(sql string, args ...any) {
		t.Helper()
		if err := db.Exec(sql, args...).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	var s, s2, member int64
	db.Raw("INSERT INTO suppliers (name, vat_id) VALUES ('Målt Leverandør', 'DK10000009') RETURNING id").Scan(&s)
	db.Raw("INSERT INTO suppliers (name, vat_id) VALUES ('Ny Leverandør', 'DK20000001') RETURNING id").Scan(&s2)
	db.Raw("SELECT min(id) FROM members").Scan(&member)
	if s == 0 || s2 == 0 || member == 0 {
		t.Fatal("setup failed")
	}
	// at is a UTC time, or NULL for "".
	at := func(v string) *string {
		if v == "" {
			return nil
		}
		v += "Z"
		return &v
	}
	for _, o := range []struct {
		status, placed, confirmed, delivered, promised string
	}{
		{"delivered", "2026-03-02 10:00", "2026-03-02 12:00", "2026-03-04 12:00", "2"},
		{"delivered", "2026-03-03 10:00", "2026-03-04 09:00", "2026-03-08 09:00", "3"},
		{"delivered", "2026-03-05 10:00", "2026-03-06 14:00", "2026-03-07 14:00", "2"},
		{"shipped", "2026-03-06 10:00", "2026-03-06 11:00", "", "2"},
		{"rejected", "2026-03-09 10:00", "", "", ""},
		{"cancelled", "2026-03-10 10:00", "2026-03-10 10:05", "", "2"},
		{"delivered", "2026-03-11 10:00", "2026-03-11 10:30", "2026-03-12 10:00", ""},
	} {
		var promised *string
		if o.promised != "" {
			promised = &o.promised
		}
		exec(`INSERT INTO orders (member_id, supplier_id, status, currency, placed_on, placed_at, placed_by, net_total, vat_total,
				gross_total, baseline_total, savings_total, confirmed_at, delivered_at, promised_days)
			VALUES (?, ?, ?, 'DKK', (?::timestamptz)::date, ?::timestamptz, 'test', 0, 0, 0, 0, 0, ?::timestamptz, ?::timestamptz, ?::numeric)`,
			member, s, o.status, o.placed+"Z", o.placed+"Z", at(o.confirmed), at(o.delivered), promised)
	}
	exec("INSERT INTO savings_changes (order_id) SELECT id FROM orders WHERE supplier_id = ?", s)
	if _, err := svc.Savings.Rollup(admin); err != nil {
		t.Fatal(err)
	}
	for i, pl := range []struct {
		status         string
		rows, warnings int64
	}{{"active", 1200, 3}, {"superseded", 600, 5}, {"rejected", 0, 0}, {"active", 200, 2}} {
		exec(`INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, status, created_by, created_at,
				rows_read, warning_count)
			VALUES (?, 'csv', 'text/csv', sha256(?::bytea), 0, ?, 'test', ?::timestamptz, ?, ?)`,
			s, "list"+string(rune('a'+i)), pl.status, "2026-03-1"+string(rune('0'+i))+" 08:00Z", pl.rows, pl.warnings)
	}

	// Tender T1 (deadline in March): S bids on lot A, 3 of its 4 lines.
	var products []int64
	db.Raw("SELECT id FROM products WHERE status = 'active' AND base_unit = 'EA' ORDER BY id LIMIT 4").Scan(&products)
	if len(products) < 4 {
		t.Fatalf("demo products with EA: %v", products)
	}
	d := decimal.RequireFromString
	clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	var items []domain.LotItemInput
	for _, p := range products {
		items = append(items, domain.LotItemInput{ProductID: p, Quantity: d("1000")})
	}
	t1, err := svc.Tenders.Create(admin, domain.TenderInput{Title: "T1", ContractFrom: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
		ContractTo: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), BidDeadline: time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC),
		Criteria: []domain.CriterionInput{{Name: "price", Weight: d("100")}},
		Lots:     []domain.LotInput{{Title: "Lot A", Items: items[:3]}, {Title: "Lot B", Items: items[3:]}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Tenders.Publish(admin, t1.ID); err != nil {
		t.Fatal(err)
	}
	bid := func(tenderID, supplier int64, lotItems []domain.TenderLotItem) {
		t.Helper()
		in := domain.BidInput{}
		for _, it := range lotItems {
			in.Items = append(in.Items, domain.BidItemInput{LotItemID: it.ID, PackUnit: "BX", PackContent: d("100"), PackPrice: d("40.00")})
		}
		sup := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleSupplier, SupplierID: supplier, Label: "test"})
		if _, _, err := svc.Tenders.SubmitBid(sup, tenderID, in); err != nil {
			t.Fatal(err)
		}
	}
	bid(t1.ID, s, t1.Lots[0].Items)
	clock.Set(time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC))
	if _, err := svc.Tenders.CloseDue(admin); err != nil {
		t.Fatal(err)
	}

	board := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, Label: "board"})
	want := map[string]string{"on_time": "66.67", "rejections": "83.33", "response": "80", "price_lists": "74.63", "tenders": "75"}
	for _, period := range []string{"2026-03", "2026-Q1", "2026"} {
		sc, err := svc.Scorecards.Get(board, s, period)
		if err != nil {
			t.Fatal(err)
		}
		o := sc.Orders
		if o.Orders != 6 || o.Rejected != 1 || o.Confirmed != 5 || o.ConfirmedInDay != 4 || o.DeliveredPromised != 3 || o.OnTime != 2 ||
			o.ResponseMedianS == nil || *o.ResponseMedianS != 7200 || o.ResponseP90S == nil || *o.ResponseP90S != 100800 {
			t.Errorf("%s order outcomes %+v (median %v, p90 %v)", period, o, deref(o.ResponseMedianS), deref(o.ResponseP90S))
		}
		pl := sc.PriceLists
		if pl.Lists != 4 || pl.Rejected != 1 || !pl.RejectedShare.Equal(d("25")) || !pl.WarningsPer1000.Equal(d("5")) {
			t.Errorf("%s price lists %+v", period, pl)
		}
		if len(sc.Tenders) != 1 || sc.Tenders[0].Lines != 4 || sc.Tenders[0].Bid != 3 {
			t.Errorf("%s tenders %+v", period, sc.Tenders)
		}
		for _, p := range sc.Parts {
			if !p.Scored || !p.Score.Equal(d(want[p.Name])) {
				t.Errorf("%s part %s = %s (scored %v), want %s", period, p.Name, p.Score, p.Scored, want[p.Name])
			}
		}
		if sc.Score == nil || !sc.Score.Equal(d("75.11")) {
			t.Errorf("%s score %v, want 75.11", period, sc.Score)
		}
	}
	// Another period: nothing to measure, no total.
	if sc, err := svc.Scorecards.Get(board, s, "2026-05"); err != nil || sc.Score != nil || sc.Parts[0].Scored {
		t.Errorf("May: %+v, %v", sc, err)
	}
	// Walls: the supplier itself sees it, another supplier and a practice
	// get not found, like a supplier that does not exist.
	own := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleSupplier, SupplierID: s, Label: "s"})
	if _, err := svc.Scorecards.Get(own, s, "2026-03"); err != nil {
		t.Errorf("own scorecard: %v", err)
	}
	rival := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleSupplier, SupplierID: s2, Label: "s2"})
	practice := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleMember, MemberID: member, Label: "p"})
	for name, ctx := range map[string]context.Context{"rival": rival, "practice": practice} {
		if _, err := svc.Scorecards.Get(ctx, s, "2026-03"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	if _, err := svc.Scorecards.Get(board, 987654321, "2026-03"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("absent supplier: %v", err)
	}
	if _, err := svc.Scorecards.Get(board, s, "2026-13"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("bad period: %v", err)
	}

	// Weights: staff set them (sum 100); the score follows.
	if _, err := svc.Scorecards.SetWeights(admin, domain.ScorecardWeights{"on_time": 50, "rejections": 0, "response": 50,
		"price_lists": 0, "tenders": 10}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("weights summing to 110: %v", err)
	}
	if _, err := svc.Scorecards.SetWeights(board, domain.ScorecardWeights{"on_time": 100, "rejections": 0, "response": 0,
		"price_lists": 0, "tenders": 0}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the board sets weights: %v", err)
	}
	if _, err := svc.Scorecards.SetWeights(admin, domain.ScorecardWeights{"on_time": 50, "rejections": 0, "response": 50,
		"price_lists": 0, "tenders": 0}); err != nil {
		t.Fatal(err)
	}
	// (66.67 x 50 + 80 x 50) / 100 = 73.335 -> 73.34
	if sc, err := svc.Scorecards.Get(board, s, "2026-03"); err != nil || sc.Score == nil || !sc.Score.Equal(d("73.34")) {
		t.Errorf("reweighted: %v, %v", sc.Score, err)
	}
	if _, err := svc.Scorecards.SetWeights(admin, domain.ScorecardWeights{"on_time": 30, "rejections": 20, "response": 20,
		"price_lists": 15, "tenders": 15}); err != nil {
		t.Fatal(err)
	}

	// Tender T2 with a past-performance criterion: S's score is its
	// scorecard over the year before the deadline (75.11: only March has
	// anything), the newcomer S2's the neutral 50.
	clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	t2, err := svc.Tenders.Create(admin, domain.TenderInput{Title: "T2", ContractFrom: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
		ContractTo: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), BidDeadline: time.Date(2026, 4, 10, 10, 0, 0, 0, time.UTC),
		Criteria: []domain.CriterionInput{{Name: "price", Weight: d("70")}, {Name: "past_performance", Weight: d("30")}},
		Lots:     []domain.LotInput{{Title: "Lot", Items: items[:1]}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Tenders.Publish(admin, t2.ID); err != nil {
		t.Fatal(err)
	}
	// A bidder cannot state its own past performance.
	sup := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleSupplier, SupplierID: s, Label: "test"})
	if _, _, err := svc.Tenders.SubmitBid(sup, t2.ID, domain.BidInput{Values: map[string]decimal.Decimal{"past_performance": d("100")},
		Items: []domain.BidItemInput{{LotItemID: t2.Lots[0].Items[0].ID, PackUnit: "BX", PackContent: d("100"), PackPrice: d("40")}}}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a bid stating its past performance: %v", err)
	}
	bid(t2.ID, s, t2.Lots[0].Items)
	bid(t2.ID, s2, t2.Lots[0].Items)
	clock.Set(time.Date(2026, 4, 10, 11, 0, 0, 0, time.UTC))
	if _, err := svc.Tenders.CloseDue(admin); err != nil {
		t.Fatal(err)
	}
	_, lots, err := svc.Tenders.Evaluation(board, t2.ID)
	if err != nil || len(lots) != 1 {
		t.Fatalf("evaluation: %v %v", lots, err)
	}
	le := lots[0]
	scores := map[int64]string{}
	for _, b := range le.Evaluation.Bids {
		for _, c := range b.Criteria {
			if c.Name == "past_performance" {
				scores[le.Suppliers[parseID(b.BidID)].SupplierID] = c.Value.String()
			}
		}
		in, ok := le.Inputs.PastPerformance[parseID(b.BidID)]
		if !ok {
			t.Errorf("bid %s: no past-performance inputs", b.BidID)
			continue
		}
		switch in.SupplierID {
		case s:
			if in.Score != "75.11" || in.NoHistory || in.From != "2025-04-10" || in.To != "2026-04-09" || in.Orders != 6 || in.OnTime != 2 ||
				in.PriceLists != 4 || in.Warnings != 10 || in.TenderLines != 4 || in.TenderLinesBid != 3 || len(in.Parts) != 5 ||
				in.Parts[0].Name != "on_time" || in.Parts[0].Score != "66.67" || in.Parts[0].Weight != 30 {
				t.Errorf("S's inputs: %+v", in)
			}
		case s2:
			if in.Score != "50" || !in.NoHistory {
				t.Errorf("S2's inputs: %+v", in)
			}
		}
	}
	if scores[s] != "75.11" || scores[s2] != "50" {
		t.Errorf("past-performance values %v", scores)
	}
	if !strings.Contains(le.Explanation, "Past performance") || !strings.Contains(le.Explanation, "score 75.11") {
		t.Errorf("explanation lacks the inputs:\n%s", le.Explanation)
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func parseID(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}
