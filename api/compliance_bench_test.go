package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/jobs"
)

// BenchmarkComplianceScorecards generates a cooperative year (1,600
// practices, 50 suppliers, ANDEL_BENCH_ORDER_LINES order lines, default
// 10,000,000) with delivery outcomes, runs the savings-rollup job (which
// keeps the compliance and scorecard rollups), and measures the latency of
// GET /api/v1/compliance (every grouping, two ranges, as the board and as
// a practice) and GET /api/v1/suppliers/{id}/scorecard (a year and a
// quarter, for every supplier, as the board) through the real HTTP
// handler (p50, p95); for the year by practice and by category also the
// domain call alone and the JSON encoding of its report.
//
//	ANDEL_BENCH_ORDER_LINES=200000 go test -run '^$' -bench ComplianceScorecards -benchtime 1x -timeout 60m ./api
func BenchmarkComplianceScorecards(b *testing.B) {
	lines := benchOrderLines(b)
	for range b.N {
		e := newEnv(b)
		started := time.Now()
		rep := generateYear(b, e, demo.GenerateOptions{Practices: 1600, Suppliers: 50, Products: 2000, Lines: lines, Year: 2026, Seed: 1})
		gen := domain.WithActor(context.Background(), domain.SystemActor("generator"))
		if _, err := demo.GenerateDeliveryOutcomes(gen, e.svc.Services); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d orders, %d lines with delivery outcomes in %s", rep.Orders, rep.Lines, time.Since(started).Round(time.Millisecond))
		runner := jobs.NewRunner(e.svc, slog.New(slog.NewTextHandler(testWriter{b}, &slog.HandlerOptions{Level: slog.LevelWarn})))
		started = time.Now()
		if run, err := runner.RunNow(context.Background(), "savings-rollup"); err != nil || run.Status != "succeeded" {
			b.Fatalf("rollup %+v: %v", run, err)
		}
		b.ReportMetric(time.Since(started).Seconds(), "rollup-full-s")

		admin, board := e.login(demo.AdminEmail), e.login(demo.BoardEmail)
		var member int64
		e.svc.DB.Raw("SELECT max(member_id) FROM orders").Scan(&member)
		admin.do("POST", "/api/v1/users", map[string]any{"email": "bench@practice.test", "password": demo.Password,
			"role": "member", "member_id": member}).expect(http.StatusCreated)
		practice := e.login("bench@practice.test")
		var suppliers []int64
		e.svc.DB.Raw("SELECT DISTINCT supplier_id FROM orders ORDER BY 1").Scan(&suppliers)

		measure := func(name string, n int, path func(i int) string, c *client) []time.Duration {
			var ds []time.Duration
			for i := range n + 5 {
				t0 := time.Now()
				c.do("GET", path(i), nil).expect(http.StatusOK)
				ds = append(ds, time.Since(t0))
			}
			ds = ds[5:] // warm-up
			slices.Sort(ds)
			b.Logf("%-58s p50 %6.1f ms  p95 %6.1f ms", name, ms(pct(ds, 50)), ms(pct(ds, 95)))
			return ds
		}
		// Where the by-practice time goes: the domain call alone (SQL and
		// scanning 1,600 rows) and encoding its report as JSON, without
		// HTTP, for the year.
		bctx := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, Label: "bench"})
		for _, g := range []string{domain.GroupMember, domain.GroupCategory} {
			var calls, encs []time.Duration
			for range 45 {
				t0 := time.Now()
				rep, err := e.svc.Compliance.Report(bctx, domain.ComplianceQuery{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
					To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), GroupBy: g})
				if err != nil {
					b.Fatal(err)
				}
				calls = append(calls, time.Since(t0))
				t0 = time.Now()
				if _, err := json.Marshal(rep); err != nil {
					b.Fatal(err)
				}
				encs = append(encs, time.Since(t0))
			}
			calls, encs = calls[5:], encs[5:]
			slices.Sort(calls)
			slices.Sort(encs)
			b.Logf("%-58s p50 %6.1f ms  p95 %6.1f ms; its JSON p50 %.1f ms  p95 %.1f ms", "board compliance year group_by="+g+", domain call only",
				ms(pct(calls, 50)), ms(pct(calls, 95)), ms(pct(encs, 50)), ms(pct(encs, 95)))
		}
		var all []time.Duration
		for _, who := range []struct {
			name string
			c    *client
		}{{"board", board}, {"practice", practice}} {
			for _, g := range []string{"", "member", "category", "supplier"} {
				for _, span := range []string{"from=2026-01-01&to=2026-12-31", "from=2026-02-15&to=2026-11-20"} {
					q := "/api/v1/compliance?" + span + "&group_by=" + g
					all = append(all, measure(fmt.Sprintf("%s compliance %s group_by=%s", who.name, span, g), 40,
						func(int) string { return q }, who.c)...)
				}
			}
		}
		for _, period := range []string{"2026", "2026-Q2"} {
			all = append(all, measure("board scorecard period="+period, 50, func(i int) string {
				return "/api/v1/suppliers/" + itoa(suppliers[i%len(suppliers)]) + "/scorecard?period=" + period
			}, board)...)
		}
		slices.Sort(all)
		b.ReportMetric(ms(pct(all, 50)), "p50-ms")
		b.ReportMetric(ms(pct(all, 95)), "p95-ms")
	}
}
