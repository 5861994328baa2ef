package domain_test

import (
	"context"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
)

// The board's savings by quality cluster are the members' running totals
// summed by each member's cluster ("" for members in none): for several
// ranges they equal the sums over the order lines grouped by cluster, sum
// to the report's total, and a practice asking by cluster sees its own
// figures under its own cluster only.
func TestSavingsByCluster(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.GenerateYear(ctx, svc, demo.GenerateOptions{Practices: 9, Suppliers: 3, Products: 20,
		Lines: 3000, Year: 2026, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	// Three clusters of the nine practices, the last third in none.
	if err := db.Exec(`UPDATE members SET quality_cluster = CASE WHEN id % 3 = 0 THEN 'Klynge Nord'
		WHEN id % 3 = 1 THEN 'Klynge Syd' END`).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Savings.Rollup(ctx); err != nil {
		t.Fatal(err)
	}
	board := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, Label: "board"})
	type sums struct {
		Key                                                     string
		Lines                                                   int64
		Spend, BaselineSpend, Savings, OnContractSpend, Rebates decimal.Decimal
	}
	for _, span := range [][2]string{{"2026-01-01", "2026-12-31"}, {"2026-02-11", "2026-07-03"}, {"2026-03-05", "2026-03-05"}} {
		from, _ := time.Parse(time.DateOnly, span[0])
		to, _ := time.Parse(time.DateOnly, span[1])
		rep, err := svc.Savings.Report(board, domain.SavingsQuery{From: from, To: to, GroupBy: domain.GroupCluster})
		if err != nil {
			t.Fatal(err)
		}
		var want []sums
		if err := db.Raw(`SELECT coalesce(m.quality_cluster, '') AS key, count(*) AS lines, sum(l.net_total) AS spend,
				sum(l.baseline_total) AS baseline_spend, sum(l.savings) AS savings,
				coalesce(sum(l.net_total) FILTER (WHERE l.on_contract), 0) AS on_contract_spend,
				sum(l.rebate_accrued) AS rebates
			FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN members m ON m.id = o.member_id
			WHERE o.status NOT IN ('cancelled', 'rejected') AND o.placed_on BETWEEN ? AND ? AND l.currency = 'DKK'
			GROUP BY 1 ORDER BY 1`, span[0], span[1]).Scan(&want).Error; err != nil {
			t.Fatal(err)
		}
		if len(rep.Groups) != len(want) || len(want) == 0 || (span[0] == "2026-01-01" && len(want) != 3) {
			t.Fatalf("%v: %d clusters, order lines have %d (the year: 3)", span, len(rep.Groups), len(want))
		}
		total := decimal.Zero
		for i, w := range want {
			g := rep.Groups[i]
			total = total.Add(g.Savings)
			if g.Key != w.Key || g.Lines != w.Lines || !g.Spend.Equal(w.Spend) || !g.BaselineSpend.Equal(w.BaselineSpend) ||
				!g.Savings.Equal(w.Savings) || !g.OnContractSpend.Equal(w.OnContractSpend) || !g.Rebates.Equal(w.Rebates) {
				t.Errorf("%v cluster %q: got %+v, order lines %+v", span, w.Key, g, w)
			}
		}
		plain, err := svc.Savings.Report(board, domain.SavingsQuery{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		if !total.Equal(plain.Total.Savings) || !rep.Total.Spend.Equal(plain.Total.Spend) {
			t.Errorf("%v: clusters' savings %s, spend %s; total %s, %s", span, total, rep.Total.Spend, plain.Total.Savings, plain.Total.Spend)
		}
	}

	// A practice sees itself under its cluster only.
	var member struct {
		ID      int64
		Cluster string
	}
	db.Raw("SELECT id, coalesce(quality_cluster, '') AS cluster FROM members WHERE quality_cluster = 'Klynge Nord' ORDER BY id LIMIT 1").Scan(&member)
	own := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleMember, MemberID: member.ID, Label: "practice"})
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	rep, err := svc.Savings.Report(own, domain.SavingsQuery{From: from, To: to, GroupBy: domain.GroupCluster})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 1 || rep.Groups[0].Key != member.Cluster || !rep.Groups[0].Spend.Equal(rep.Total.Spend) || rep.Total.Lines == 0 {
		t.Errorf("practice by cluster: %+v", rep.Groups)
	}
	if _, err := svc.Savings.Report(board, domain.SavingsQuery{From: from, To: to, GroupBy: "region"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("group_by=region: %v, want EINVALID", err)
	}
}
