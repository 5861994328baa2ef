package domain_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// BenchmarkSurplus100k prepares a patronage run over 100,000 generated
// members (gathering, computing and storing every figure), approves it and
// distributes it (payouts and capital entries), next to a raw COPY of the
// same number of allocation rows as the reference. ANDEL_BENCH_MEMBERS
// changes the size. make bench-surplus; see BENCHMARKS.md.
func BenchmarkSurplus100k(b *testing.B) {
	members := 100000
	if v := os.Getenv("ANDEL_BENCH_MEMBERS"); v != "" {
		members, _ = strconv.Atoi(v)
	}
	db := pgtest.DB(b)
	svc := domain.NewServices(db, domain.Options{})
	ctx := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleAdmin, UserID: 1, Label: "bench"})
	start := time.Now()
	if _, err := demo.GenerateYear(ctx, svc, demo.GenerateOptions{Practices: members, Suppliers: 20, Products: 200,
		Lines: int64(members) * 25, Year: 2025, Seed: 5}); err != nil {
		b.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO member_bank_accounts (member_id, reg_no, account_no)
		SELECT id, lpad((1000 + id % 9000)::text, 4, '0'), (1000000 + id)::text FROM members`).Error; err != nil {
		b.Fatal(err)
	}
	b.Logf("setup: %d members, %d order lines in %s", members, members*25, time.Since(start).Round(time.Millisecond))
	board := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, UserID: 2, Label: "board"})
	for i := 0; i < b.N; i++ {
		period := strconv.Itoa(2025 - i)
		if i > 0 {
			b.Fatal("run with -benchtime 1x: one year of orders")
		}
		// the second reference: the bare aggregation of the year's lines
		// that Prepare starts with (cold as Prepare is warm after it)
		tq := time.Now()
		var groups int64
		if err := db.Raw(`SELECT count(*) FROM (SELECT l.member_id, l.currency, sum(l.net_total) AS net, sum(l.rebate_accrued) AS r
			FROM order_lines l JOIN orders o ON o.id = l.order_id
			WHERE o.status = 'delivered' AND o.placed_on BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY 1, 2) g WHERE net + r >= 0`).Scan(&groups).Error; err != nil {
			b.Fatal(err)
		}
		aggregate := time.Since(tq)
		t0 := time.Now()
		run, err := svc.Surplus.Prepare(ctx, domain.SurplusRunInput{Period: period, CashPercent: "60", ReservePercent: "5"})
		if err != nil {
			b.Fatal(err)
		}
		prepare := time.Since(t0)
		if _, err := svc.Surplus.Approve(board, run.ID); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		rep, err := svc.Surplus.Distribute(ctx, run.ID, domain.DistributeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		distribute := time.Since(t1)

		// the reference: a raw COPY of as many rows of the same shape
		sqlDB, _ := db.DB()
		conn, err := sqlDB.Conn(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		var copyTime time.Duration
		err = conn.Raw(func(dc any) error {
			pc := dc.(interface{ Conn() *pgx.Conn }).Conn()
			if _, err := pc.Exec(ctx, `CREATE TEMP TABLE copy_ref (LIKE surplus_allocations)`); err != nil {
				return err
			}
			rows := make([][]any, run.Members)
			n := pgtype.Numeric{Int: decimal.RequireFromString("123.45").Coefficient(), Exp: -2, Valid: true}
			share := pgtype.Numeric{Int: decimal.RequireFromString("12345").Coefficient(), Exp: -10, Valid: true}
			for j := range rows {
				rows[j] = []any{run.ID, int32(1), int64(j + 1), n, share, n, n, n, n, n, n, "1234", "1234567"}
			}
			t := time.Now()
			_, err := pc.CopyFrom(ctx, pgx.Identifier{"copy_ref"}, []string{"run_id", "computation", "member_id", "patronage",
				"share", "allocation", "cash", "retained", "carry_forward_in", "carry_forward_out", "payout", "bank_reg_no",
				"bank_account_no"}, pgx.CopyFromRows(rows))
			copyTime = time.Since(t)
			return err
		})
		conn.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(prepare.Seconds(), "prepare-s")
		b.ReportMetric(distribute.Seconds(), "distribute-s")
		b.ReportMetric(copyTime.Seconds(), "copy-ref-s")
		b.ReportMetric(aggregate.Seconds(), "aggregate-ref-s")
		b.Logf("%d members (%s): prepare %s, distribute %s (%d payouts, %d capital entries), raw COPY of %d rows %s, bare aggregation of the lines %s; %d CPUs",
			run.Members, fmt.Sprint(run.Distributable), prepare.Round(time.Millisecond), distribute.Round(time.Millisecond),
			rep.Payouts, rep.CapitalEntries, run.Members, copyTime.Round(time.Millisecond), aggregate.Round(time.Millisecond), runtime.NumCPU())
		if prepare > 10*time.Second || distribute > 10*time.Second {
			b.Errorf("over the 10 s budget: prepare %s, distribute %s", prepare, distribute)
		}
	}
}
