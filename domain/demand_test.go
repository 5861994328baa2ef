package domain_test

import (
	"context"
	"errors"
	"testing"

	"andel/domain"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
)

func TestDemandConvertsUnitsAndWallsMembers(t *testing.T) {
	t.Parallel()
	svc := domain.NewServices(pgtest.DB(t))
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := svc.SeedDemo(admin, ""); err != nil {
		t.Fatal(err)
	}
	var paper, gloves int64
	svc.DB.Raw("SELECT id FROM products WHERE base_unit = 'MTR' LIMIT 1").Scan(&paper)
	svc.DB.Raw("SELECT id FROM products WHERE base_unit = 'EA' ORDER BY id LIMIT 1").Scan(&gloves)
	var m1, m2 int64
	svc.DB.Raw("SELECT min(id) FROM members").Scan(&m1)
	svc.DB.Raw("SELECT max(id) FROM members").Scan(&m2)
	d := decimal.RequireFromString
	content := d("100")

	lines, err := svc.Demand.Replace(admin, m1, "2027-Q1", []domain.DemandInput{
		{ProductID: paper, Quantity: d("2500"), Unit: "CMT"},                     // 25 MTR, exactly
		{ProductID: gloves, Quantity: d("3"), Unit: "BX", PackContent: &content}, // 300 EA
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{paper: "25", gloves: "300"}
	for _, l := range lines {
		if !l.Quantity.Equal(d(want[l.ProductID])) {
			t.Errorf("product %d: %s %s, want %s", l.ProductID, l.Quantity, l.BaseUnit, want[l.ProductID])
		}
	}
	// Every bad line is reported, and nothing changes.
	_, err = svc.Demand.Replace(admin, m1, "2027-Q1", []domain.DemandInput{
		{ProductID: paper, Quantity: d("1"), Unit: "KGM"},
		{ProductID: gloves, Quantity: d("1"), Unit: "BX"},
		{ProductID: gloves, Quantity: d("0")},
	})
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.EINVALID || len(e.Fields) != 3 {
		t.Fatalf("bad lines: %v", err)
	}
	if got, _ := svc.Demand.Get(admin, m1, "2027-Q1"); len(got) != 2 {
		t.Errorf("a refused replacement changed the demand: %v", got)
	}

	// A member's user sees and states only its own member's demand.
	practice := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleMember, MemberID: m2, Label: "p"})
	if _, err := svc.Demand.Get(practice, m1, "2027-Q1"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a member read another's demand: %v", err)
	}
	if _, err := svc.Demand.Replace(practice, m1, "2027-Q1", nil); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a member replaced another's demand: %v", err)
	}
	if _, err := svc.Demand.Replace(practice, m2, "2027-Q1", []domain.DemandInput{{ProductID: gloves, Quantity: d("200")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Demand.Pool(practice, "2027-Q1", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a member pooled demand: %v", err)
	}
	pool, err := svc.Demand.Pool(admin, "2027-Q1", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pool {
		if p.ProductID == gloves && (!p.Quantity.Equal(d("500")) || p.Members != 2) {
			t.Errorf("pooled gloves %s from %d members, want 500 from 2", p.Quantity, p.Members)
		}
	}
}
