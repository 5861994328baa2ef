package demo

import (
	"context"
	"testing"

	"andel/domain"
	"andel/internal/pgtest"
)

func TestSeedSurplusIsIdempotent(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := context.Background()
	if _, err := Seed(ctx, svc, ""); err != nil {
		t.Fatal(err)
	}
	first, err := SeedSurplus(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	board := domain.WithActor(ctx, domain.Actor{Role: domain.RoleBoard, UserID: 999, Label: "board"})
	run, err := svc.Surplus.Get(board, first.RunID)
	if err != nil || run.Status != domain.SurplusDraft || run.PreparedBy != AdminEmail || !run.Distributable.IsPositive() ||
		run.Members != 12 || run.MissingBankDetails != 1 {
		t.Fatalf("demo run %+v, %v", run, err)
	}
	second, err := SeedSurplus(ctx, svc)
	if err != nil || !second.Skipped {
		t.Errorf("second seed: %+v, %v", second, err)
	}
	if err := svc.Surplus.Verify(board, first.RunID); err != nil {
		t.Error(err)
	}
}
