package domain_test

import (
	"context"
	"testing"

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
	board := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, Label: "board"})
	var names []string
	svc.DB.Raw("SELECT name FROM suppliers ORDER BY name, id").Scan(&names)
	all, err := svc.Scorecards.All(board, "2026")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(names) || len(names) == 0 {
		t.Fatalf("%d scorecards for %d suppliers", len(all), len(names))
	}
	for i, sc := range all {
		one, err := svc.Scorecards.Get(board, sc.SupplierID, "2026")
		if err != nil {
			t.Fatal(err)
		}
		if sc.SupplierName != names[i] || len(sc.Parts) != 5 || (sc.Score == nil) != (one.Score == nil) ||
			(sc.Score != nil && !sc.Score.Equal(*one.Score)) || sc.Orders.Orders != one.Orders.Orders || sc.PriceLists.Lists != one.PriceLists.Lists {
			t.Errorf("scorecard %d (%s) differs from Get: %+v vs %+v", i, sc.SupplierName, sc, one)
		}
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
