package demo_test

import (
	"context"
	"testing"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
)

func TestSeedTendersIsIdempotent(t *testing.T) {
	t.Parallel()
	svc := domain.NewServices(pgtest.DB(t), domain.Options{})
	ctx := context.Background()
	if _, err := demo.Seed(ctx, svc, ""); err != nil {
		t.Fatal(err)
	}
	first, err := demo.SeedTenders(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	if first.Skipped || first.OpenTenderID == 0 || first.AwardedTenderID == 0 || first.Contracts != 1 || first.DemandLines == 0 {
		t.Fatalf("first seed: %+v", first)
	}
	var status domain.TenderStatus
	svc.DB.Raw("SELECT status FROM tenders WHERE id = ?", first.AwardedTenderID).Scan(&status)
	if status != domain.TenderAwarded {
		t.Errorf("demo tender is %s, want awarded", status)
	}
	var before, after int64
	svc.DB.Raw("SELECT count(*) FROM audit_events").Scan(&before)
	second, err := demo.SeedTenders(ctx, svc)
	if err != nil || !second.Skipped {
		t.Fatalf("second seed: %+v %v", second, err)
	}
	svc.DB.Raw("SELECT count(*) FROM audit_events").Scan(&after)
	if after != before {
		t.Errorf("second seed changed the database")
	}
}
