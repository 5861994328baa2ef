package domain_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
)

// TestScorecardAll: the list of every supplier's scorecard is the board's
// and the staff's, one per supplier by name, each as Get computes it; a
// supplier, a practice and a bad period are refused.
func TestScorecardAll(t *testing.T) {
	t.Parallel()
	svc := domain.NewServices(pgtest.DB(t), domain.Options{})
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(admin, svc, ""); err != nil {
		t.Fatal(err)
	}
	// Every input of a scorecard has rows: last year's orders with their
	// outcomes (SeedSurplus; the rollup keeps the outcomes), this year's
	// closed tender with bids (SeedTenders), and price lists of both
	// years, one rejected with warnings.
	if _, err := demo.SeedSurplus(admin, svc); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedTenders(admin, svc); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Savings.Rollup(admin); err != nil {
		t.Fatal(err)
	}
	lastYear := time.Now().UTC().AddDate(-1, 0, 0)
	if err := svc.DB.Exec(`INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, status, rows_read, warning_count, created_by, created_at)
		SELECT id, 'csv', 'text/csv', sha256(id::text::bytea), 0, st, 400, w, 'test', at FROM suppliers,
			(VALUES ('rejected', 7, ?::timestamptz), ('active', 2, ?::timestamptz)) v(st, w, at)`, lastYear, time.Now().UTC()).Error; err != nil {
		t.Fatal(err)
	}
	var orders, lists, tenders int
	for _, year := range []string{strconv.Itoa(lastYear.Year()), strconv.Itoa(time.Now().Year())} {
		compareAllWithGet(t, svc, year, &orders, &lists, &tenders)
	}
	if orders == 0 || lists == 0 || tenders == 0 {
		t.Errorf("the comparison had no orders (%d), price lists (%d) or tenders (%d) to compare", orders, lists, tenders)
	}
	if _, err := svc.Scorecards.All(admin, "2026-Q5"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("bad period: %v", err)
	}
	var sup, member int64
	svc.DB.Raw("SELECT min(id) FROM suppliers").Scan(&sup)
	svc.DB.Raw("SELECT min(id) FROM members").Scan(&member)
	for name, a := range map[string]domain.Actor{
		"supplier": {Role: domain.RoleSupplier, SupplierID: sup, Label: "s"},
		"practice": {Role: domain.RoleMember, MemberID: member, Label: "p"},
	} {
		if _, err := svc.Scorecards.All(domain.WithActor(context.Background(), a), "2026"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s: %v, want forbidden", name, err)
		}
	}
	if _, err := svc.Scorecards.All(context.Background(), "2026"); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Errorf("nobody: %v", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// compareAllWithGet checks All's scorecards for year against Get's, figure
// by figure, and counts the orders, price lists and tenders they had.
func compareAllWithGet(t *testing.T, svc *domain.Services, year string, orders, lists, tenders *int) {
	t.Helper()
	board := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, Label: "board"})
	var names []string
	svc.DB.Raw("SELECT name FROM suppliers ORDER BY name, id").Scan(&names)
	all, err := svc.Scorecards.All(board, year)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(names) || len(names) == 0 {
		t.Fatalf("%d scorecards for %d suppliers", len(all), len(names))
	}
	for i, sc := range all {
		one, err := svc.Scorecards.Get(board, sc.SupplierID, year)
		if err != nil {
			t.Fatal(err)
		}
		if sc.SupplierName != names[i] || len(sc.Parts) != 5 || (sc.Score == nil) != (one.Score == nil) ||
			(sc.Score != nil && !sc.Score.Equal(*one.Score)) || sc.Orders.Orders != one.Orders.Orders || sc.PriceLists.Lists != one.PriceLists.Lists {
			t.Errorf("scorecard %d (%s) differs from Get: %+v vs %+v", i, sc.SupplierName, sc, one)
		}
		// All reads its inputs for every supplier at once: every figure
		// must still be Get's.
		if a, b := mustJSON(t, sc), mustJSON(t, one); a != b {
			t.Errorf("scorecard %d (%s):\nAll %s\nGet %s", i, sc.SupplierName, a, b)
		}
	}
	for _, sc := range all {
		*orders += int(sc.Orders.Orders)
		*lists += int(sc.PriceLists.Lists)
		*tenders += len(sc.Tenders)
	}
}
