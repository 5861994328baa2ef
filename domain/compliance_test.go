package domain_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// sqlRecorder is a GORM logger that keeps every statement run, with its
// arguments in place, so that a test can EXPLAIN what a query ran.
type sqlRecorder struct {
	logger.Interface
	mu   sync.Mutex
	stmt []string
}

func (r *sqlRecorder) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	s, _ := fc()
	r.mu.Lock()
	r.stmt = append(r.stmt, s)
	r.mu.Unlock()
}

func (r *sqlRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stmt
	r.stmt = nil
	return s
}

// explainNoScan runs EXPLAIN on every recorded SELECT and fails when a
// plan reads one of the tables named.
func explainNoScan(t *testing.T, db *gorm.DB, what string, stmts []string, tables ...string) {
	t.Helper()
	if len(stmts) == 0 {
		t.Fatalf("%s ran no statement", what)
	}
	for _, s := range stmts {
		if !strings.HasPrefix(strings.TrimSpace(s), "SELECT") {
			continue
		}
		var plan []string
		if err := db.Raw("EXPLAIN " + s).Scan(&plan).Error; err != nil {
			t.Fatalf("%s: EXPLAIN %s: %v", what, s, err)
		}
		joined := strings.Join(plan, "\n")
		for _, tb := range tables {
			if planReads(joined, tb) {
				t.Errorf("%s reads %s:\n%s\n%s", what, tb, s, joined)
			}
		}
	}
}

// planReads reports whether an EXPLAIN plan reads table (a scan "on" it).
func planReads(plan, table string) bool {
	return strings.Contains(plan+"\n", " on "+table+" ") || strings.Contains(plan+"\n", " on "+table+"\n")
}

// TestComplianceQueriesReadRollupsOnly: no compliance query, for any
// grouping and any actor, reads order_lines or orders (EXPLAIN of every
// statement the report ran).
func TestComplianceQueriesReadRollupsOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.GenerateYear(ctx, svc, demo.GenerateOptions{Practices: 12, Suppliers: 3, Products: 20,
		Lines: 3000, Year: 2026, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Savings.Rollup(ctx); err != nil {
		t.Fatal(err)
	}
	// The generated off-contract lines miss savings (every generated
	// product has a contract); the rollup's total equals the lines'.
	var want struct{ Missed, Leakage decimal.Decimal }
	db.Raw(`SELECT coalesce(sum(l.missed_savings), 0) AS missed,
			coalesce(sum(l.net_total) FILTER (WHERE l.contract_unit_price IS NOT NULL), 0) AS leakage
		FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.status NOT IN ('cancelled', 'rejected')`).Scan(&want)
	boardCtx := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, Label: "board"})
	all, err := svc.Compliance.Report(boardCtx, domain.ComplianceQuery{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if !want.Missed.IsPositive() || !all.Total.MissedSavings.Equal(want.Missed) || !all.Total.LeakageSpend.Equal(want.Leakage) {
		t.Errorf("missed %s / leakage %s, order lines %s / %s", all.Total.MissedSavings, all.Total.LeakageSpend, want.Missed, want.Leakage)
	}
	// The check itself sees a scan of the lines.
	var plan []string
	db.Raw("EXPLAIN SELECT count(*) FROM order_lines").Scan(&plan)
	if !planReads(strings.Join(plan, "\n"), "order_lines") {
		t.Fatalf("planReads misses a scan of order_lines: %v", plan)
	}
	rec := &sqlRecorder{Interface: logger.Discard}
	traced := domain.NewServices(db.Session(&gorm.Session{Logger: rec}), domain.Options{})
	var member int64
	db.Raw("SELECT member_id FROM orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").Scan(&member)
	actors := map[string]domain.Actor{
		"board":  {Role: domain.RoleBoard, Label: "board"},
		"member": {Role: domain.RoleMember, MemberID: member, Label: "practice"},
	}
	for name, a := range actors {
		for _, g := range []string{domain.GroupNone, domain.GroupMember, domain.GroupCategory, domain.GroupSupplier} {
			for _, span := range [][2]string{{"2026-01-01", "2026-12-31"}, {"2026-02-11", "2026-07-03"}, {"2026-03-05", "2026-04-20"}} {
				from, _ := time.Parse(time.DateOnly, span[0])
				to, _ := time.Parse(time.DateOnly, span[1])
				rep, err := traced.Compliance.Report(domain.WithActor(context.Background(), a),
					domain.ComplianceQuery{From: from, To: to, GroupBy: g})
				if err != nil {
					t.Fatal(err)
				}
				if rep.Total.Lines == 0 {
					t.Errorf("%s %s %v: no lines", name, g, span)
				}
				explainNoScan(t, db, name+" group "+g, rec.take(), "order_lines", "orders")
			}
		}
	}
	// Scorecards read their rollup (and the small price-list and tender
	// tables), never the orders.
	var supplier int64
	db.Raw("SELECT min(supplier_id) FROM orders").Scan(&supplier)
	for _, period := range []string{"2026", "2026-Q2", "2026-05"} {
		sc, err := traced.Scorecards.Get(domain.WithActor(context.Background(), actors["board"]), supplier, period)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Orders.Orders == 0 {
			t.Errorf("scorecard %s: no orders", period)
		}
		explainNoScan(t, db, "scorecard "+period, rec.take(), "order_lines", "orders")
	}
}
