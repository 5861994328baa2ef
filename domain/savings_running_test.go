package domain_test

import (
	"context"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// The board's savings by member come from running totals that the rollup
// keeps incrementally. Through orders placed later (the last day moves on),
// cancelled early (rewrite from that day), delivered with rebates, and a
// last day whose orders are all cancelled (the last day moves back), every
// member's figures must equal the sums over its order lines for any range,
// and the running totals must equal a rebuild from scratch.
func TestMemberRunningTotalsFollowChanges(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.GenerateYear(ctx, svc, demo.GenerateOptions{Practices: 12, Suppliers: 3, Products: 20,
		Lines: 4000, Year: 2026, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if err := db.Exec(sql, args...).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// setStatus changes the status of the orders placed in from..to and
	// queues them for the rollup.
	setStatus := func(status, from, to string) {
		t.Helper()
		exec("UPDATE orders SET status = ? WHERE placed_on BETWEEN ? AND ?", status, from, to)
		exec("INSERT INTO savings_changes (order_id) SELECT id FROM orders WHERE placed_on BETWEEN ? AND ?", from, to)
	}
	rollup := func() {
		t.Helper()
		if _, err := svc.Savings.Rollup(ctx); err != nil {
			t.Fatal(err)
		}
	}

	// Only the first half of the year placed so far.
	setStatus("cancelled", "2026-07-01", "2026-12-31")
	rollup()
	checkMemberFigures(t, db, svc)

	// The next quarter arrives: the last day moves on.
	setStatus("placed", "2026-07-01", "2026-09-30")
	rollup()
	checkMemberFigures(t, db, svc)

	// Early orders cancelled, others delivered with rebates.
	setStatus("cancelled", "2026-02-10", "2026-02-12")
	exec(`UPDATE order_lines SET rebate_accrued = round(net_total * 0.02, 2)
		WHERE order_id IN (SELECT id FROM orders WHERE placed_on BETWEEN '2026-03-01' AND '2026-03-05')`)
	setStatus("delivered", "2026-03-01", "2026-03-05")
	rollup()
	checkMemberFigures(t, db, svc)

	// The rest of the year, but every order of its last day cancelled.
	setStatus("placed", "2026-10-01", "2026-12-31")
	var last string
	db.Raw("SELECT max(placed_on)::text FROM orders").Scan(&last)
	setStatus("rejected", last, last)
	rollup()
	checkMemberFigures(t, db, svc)

	// Equal to a rebuild from scratch.
	exec("CREATE TABLE running_kept AS SELECT * FROM savings_member_running")
	exec("DELETE FROM savings_member_running")
	exec("DELETE FROM savings_daily")
	exec("INSERT INTO savings_changes (order_id) SELECT id FROM orders")
	rollup()
	var differ int64
	db.Raw(`SELECT count(*) FROM ((SELECT * FROM savings_member_running EXCEPT SELECT * FROM running_kept)
		UNION ALL (SELECT * FROM running_kept EXCEPT SELECT * FROM savings_member_running)) d`).Scan(&differ)
	if differ != 0 {
		t.Errorf("%d running-total rows differ from a rebuild", differ)
	}
}

// checkMemberFigures compares the board's savings by member with the sums
// over the stored order lines, member by member, for several ranges.
func checkMemberFigures(t *testing.T, db *gorm.DB, svc *domain.Services) {
	t.Helper()
	board := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, Label: "board"})
	for _, span := range [][2]string{{"2026-01-01", "2026-12-31"}, {"2026-02-11", "2026-07-03"},
		{"2026-03-05", "2026-03-05"}, {"2025-06-01", "2026-01-10"}, {"2026-09-15", "2027-03-01"}, {"2027-01-01", "2027-12-31"}} {
		from, _ := time.Parse(time.DateOnly, span[0])
		to, _ := time.Parse(time.DateOnly, span[1])
		rep, err := svc.Savings.Report(board, domain.SavingsQuery{From: from, To: to, GroupBy: domain.GroupMember})
		if err != nil {
			t.Fatal(err)
		}
		type sums struct {
			Key                                                     string
			Lines                                                   int64
			Spend, BaselineSpend, Savings, OnContractSpend, Rebates decimal.Decimal
		}
		var want []sums
		if err := db.Raw(`SELECT o.member_id::text AS key, count(*) AS lines, sum(l.net_total) AS spend,
				sum(l.baseline_total) AS baseline_spend, sum(l.savings) AS savings,
				coalesce(sum(l.net_total) FILTER (WHERE l.on_contract), 0) AS on_contract_spend,
				sum(l.rebate_accrued) AS rebates
			FROM order_lines l JOIN orders o ON o.id = l.order_id
			WHERE o.status NOT IN ('cancelled', 'rejected') AND o.placed_on BETWEEN ? AND ? AND l.currency = 'DKK'
			GROUP BY 1 ORDER BY 1`, span[0], span[1]).Scan(&want).Error; err != nil {
			t.Fatal(err)
		}
		if len(rep.Groups) != len(want) {
			t.Errorf("%v: %d members, order lines have %d", span, len(rep.Groups), len(want))
			continue
		}
		for i, w := range want {
			g := rep.Groups[i]
			if g.Key != w.Key || g.Lines != w.Lines || !g.Spend.Equal(w.Spend) || !g.BaselineSpend.Equal(w.BaselineSpend) ||
				!g.Savings.Equal(w.Savings) || !g.OnContractSpend.Equal(w.OnContractSpend) || !g.Rebates.Equal(w.Rebates) {
				t.Errorf("%v member %s: got %+v, order lines %+v", span, w.Key, g, w)
			}
		}
	}
}
