package demo

import (
	"context"
	"testing"

	"andel/domain"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
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

// TestAwardedContractPromisesBidDeliveryDays: the demo award's contract
// keeps the winning bid's delivery_days.
func TestAwardedContractPromisesBidDeliveryDays(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := context.Background()
	if _, err := Seed(ctx, svc, ""); err != nil {
		t.Fatal(err)
	}
	sum, err := SeedTenders(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		DeliveryDays *string
		BidDays      string
	}
	db.Raw(`SELECT c.delivery_days::text AS delivery_days, b.criteria_values->>'delivery_days' AS bid_days
		FROM contracts c JOIN bids b ON b.tender_id = c.tender_id AND b.supplier_id = c.supplier_id
		WHERE c.tender_id = ?`, sum.AwardedTenderID).Scan(&rows)
	if len(rows) != 1 || rows[0].DeliveryDays == nil || rows[0].BidDays == "" {
		t.Fatalf("contracts %+v", rows)
	}
	got, _ := decimalOf(*rows[0].DeliveryDays)
	want, _ := decimalOf(rows[0].BidDays)
	if !got.Equal(want) {
		t.Errorf("contract promises %s days, the bid %s", *rows[0].DeliveryDays, rows[0].BidDays)
	}
}

func decimalOf(s string) (decimal.Decimal, error) { return decimal.NewFromString(s) }
