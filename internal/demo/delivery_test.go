package demo

import (
	"context"
	"testing"

	"andel/domain"
	"andel/internal/pgtest"
)

// TestGeneratedDeliveryOutcomesSpreadScorecards: the generated year's
// orders get outcomes, the rollup keeps them, and suppliers' scorecards
// differ.
func TestGeneratedDeliveryOutcomesSpreadScorecards(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := GenerateYear(ctx, svc, GenerateOptions{Practices: 10, Suppliers: 4, Products: 20, Lines: 4000, Year: 2026, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	n, err := GenerateDeliveryOutcomes(ctx, svc)
	if err != nil || n == 0 {
		t.Fatalf("outcomes for %d orders, %v", n, err)
	}
	if again, err := GenerateDeliveryOutcomes(ctx, svc); err != nil || again != 0 {
		t.Errorf("a second run changed %d orders (%v)", again, err)
	}
	if _, err := svc.Savings.Rollup(ctx); err != nil {
		t.Fatal(err)
	}
	var suppliers []int64
	db.Raw("SELECT DISTINCT supplier_id FROM orders ORDER BY 1").Scan(&suppliers)
	scores := map[string]bool{}
	for _, s := range suppliers {
		sc, err := svc.Scorecards.Get(ctx, s, "2026")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range sc.Parts[:3] { // the order parts
			if !p.Scored {
				t.Errorf("supplier %d: part %s not scored (%+v)", s, p.Name, sc.Orders)
			}
		}
		if sc.Orders.OnTime == 0 || sc.Orders.OnTime == sc.Orders.DeliveredPromised {
			t.Errorf("supplier %d: on time %d of %d: no spread", s, sc.Orders.OnTime, sc.Orders.DeliveredPromised)
		}
		if sc.Score != nil {
			scores[sc.Score.String()] = true
		}
	}
	if len(scores) < 2 {
		t.Errorf("every supplier scores the same: %v", scores)
	}
}
