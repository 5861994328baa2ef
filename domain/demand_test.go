package domain_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
)

func TestDemandConvertsUnitsAndWallsMembers(t *testing.T) {
	t.Parallel()
	svc := domain.NewServices(pgtest.DB(t), domain.Options{})
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(admin, svc, ""); err != nil {
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

// Periods roll up: a year pools its halves, quarters and months; a member
// that stated a period and a part of it is counted once (the larger
// statement); statements never roll down.
func TestDemandPeriodsRollUp(t *testing.T) {
	t.Parallel()
	svc := domain.NewServices(pgtest.DB(t), domain.Options{})
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(admin, svc, ""); err != nil {
		t.Fatal(err)
	}
	var gloves int64
	svc.DB.Raw("SELECT id FROM products WHERE base_unit = 'EA' ORDER BY id LIMIT 1").Scan(&gloves)
	var members []int64
	svc.DB.Raw("SELECT id FROM members ORDER BY id LIMIT 3").Scan(&members)
	if len(members) < 3 {
		t.Fatalf("the demo has %d members, want 3", len(members))
	}
	d := decimal.RequireFromString
	state := func(member int64, period, qty string) {
		t.Helper()
		if _, err := svc.Demand.Replace(admin, member, period, []domain.DemandInput{{ProductID: gloves, Quantity: d(qty)}}); err != nil {
			t.Fatal(err)
		}
	}
	state(members[0], "2027", "1000")   // the whole year ...
	state(members[0], "2027-H1", "600") // ... of which H1: counted in the year's 1000
	state(members[1], "2027-H1", "300")
	state(members[1], "2027-Q3", "100")
	state(members[1], "2027-05", "40") // inside H1: counted in its 300
	state(members[2], "2027-11", "7")
	state(members[2], "2028", "999") // another year

	pooled := func(period string) (string, int) {
		t.Helper()
		pool, err := svc.Demand.Pool(admin, period, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pool {
			if p.ProductID == gloves {
				return p.Quantity.String(), p.Members
			}
		}
		return "0", 0
	}
	for _, c := range []struct {
		period, qty string
		members     int
	}{
		{"2027", "1407", 3},   // 1000 + (300 + 100) + 7
		{"2027-H1", "900", 2}, // 600 + 300 (the 40 of May is inside member 2's H1)
		{"2027-Q2", "40", 1},  // only May lies inside Q2; H1 does not roll down
		{"2027-H2", "107", 2}, // 100 + 7
		{"2027-05", "40", 1},
		{"2028", "999", 1},
		{"2026", "0", 0},
	} {
		if q, n := pooled(c.period); q != c.qty || n != c.members {
			t.Errorf("pooled %s: %s from %d members, want %s from %d", c.period, q, n, c.qty, c.members)
		}
	}

	// The periods stated, latest year first, each year before its halves,
	// quarters and months, with the members behind each; staff only.
	periods, err := svc.Demand.Periods(admin)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range periods {
		got = append(got, fmt.Sprintf("%s:%d", p.Period, p.Members))
	}
	if want := "[2028:1 2027:1 2027-H1:2 2027-Q3:1 2027-05:1 2027-11:1]"; fmt.Sprint(got) != want {
		t.Errorf("periods %v, want %s", got, want)
	}
	practice := domain.WithActor(context.Background(), domain.Actor{UserID: 1, Role: domain.RoleMember, MemberID: members[0], Label: "practice"})
	if _, err := svc.Demand.Periods(practice); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a member listed the periods: %v", err)
	}
}

// Issue 12: members state demand in the units they write (Danish words
// through pricing's one table), stored as Rec 20 codes; a bottle sold as a
// piece counts through its content.
func TestDemandReadsUnitWords(t *testing.T) {
	t.Parallel()
	svc := domain.NewServices(pgtest.DB(t), domain.Options{})
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(admin, svc, ""); err != nil {
		t.Fatal(err)
	}
	var paper, gloves, sprit, creme, m1 int64
	svc.DB.Raw("SELECT id FROM products WHERE base_unit = 'MTR' LIMIT 1").Scan(&paper)
	svc.DB.Raw("SELECT id FROM products WHERE base_unit = 'EA' ORDER BY id LIMIT 1").Scan(&gloves)
	svc.DB.Raw("INSERT INTO products (name, category, base_unit) VALUES ('Hånddesinfektion', 'hygiejne', 'MLT') RETURNING id").Scan(&sprit)
	svc.DB.Raw("INSERT INTO products (name, category, base_unit) VALUES ('Håndcreme', 'hygiejne', 'MLT') RETURNING id").Scan(&creme)
	svc.DB.Raw("SELECT min(id) FROM members").Scan(&m1)
	d := decimal.RequireFromString
	hundred, litre, half := d("100"), d("1000"), d("0.5")
	lines, err := svc.Demand.Replace(admin, m1, "2027-Q3", []domain.DemandInput{
		{ProductID: paper, Quantity: d("250"), Unit: "cm"},                        // 2.5 MTR
		{ProductID: gloves, Quantity: d("3"), Unit: "Æsk", PackContent: &hundred}, // 3 XBX of 100 EA
		{ProductID: sprit, Quantity: d("4"), Unit: "fl", PackContent: &litre},     // 4 bottles of 1000 ml
		{ProductID: creme, Quantity: d("6"), Unit: "stk", PackContent: &half},     // 6 pieces of 0.5 ml
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][2]string{paper: {"2.5", "CMT"}, gloves: {"300", "XBX"}, sprit: {"4000", "XBO"}, creme: {"3", "H87"}}
	for _, l := range lines {
		if w := want[l.ProductID]; !l.Quantity.Equal(d(w[0])) || l.EnteredUnit != w[1] {
			t.Errorf("product %d: %s (entered in %s), want %s (%s)", l.ProductID, l.Quantity, l.EnteredUnit, w[0], w[1])
		}
	}
	_, err = svc.Demand.Replace(admin, m1, "2027-Q3", []domain.DemandInput{{ProductID: gloves, Quantity: d("3"), Unit: "æskk", PackContent: &hundred}})
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.EINVALID || len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, "did you mean XBX (Box, package)") {
		t.Fatalf("unknown unit: %v", err)
	}
}
