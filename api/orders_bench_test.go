package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/jobs"

	"github.com/shopspring/decimal"
)

// generateYear fills e's database with a generated cooperative year.
func generateYear(t testing.TB, e *env, o demo.GenerateOptions) demo.GenerateReport {
	t.Helper()
	rep, err := demo.GenerateYear(domain.WithActor(context.Background(), domain.SystemActor("generator")), e.svc.Services, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestGeneratedYearReconciles runs the benchmark's code path at a small
// scale: generate, roll up, and check that every grouping of the savings
// endpoint sums to its total, which equals the sum over the order lines.
func TestGeneratedYearReconciles(t *testing.T) {
	e := newEnv(t)
	rep := generateYear(t, e, demo.GenerateOptions{Practices: 40, Suppliers: 5, Products: 60, Lines: 5000, Year: 2026, Seed: 1})
	if rep.Lines != 5000 || rep.Orders == 0 {
		t.Fatalf("generated %+v", rep)
	}
	admin := e.login(demo.AdminEmail)
	if run := admin.runJob("savings-rollup"); run["status"] != "succeeded" {
		t.Fatalf("rollup %v", run)
	}
	for _, span := range [][2]string{{"2026-01-01", "2026-12-31"}, {"2026-02-14", "2026-07-03"}, {"2026-05-05", "2026-05-20"}} {
		q := "/api/v1/savings?from=" + span[0] + "&to=" + span[1]
		total := admin.do("GET", q, nil).expect(http.StatusOK).json()["total"].(map[string]any)
		from, _ := time.Parse(time.DateOnly, span[0])
		to, _ := time.Parse(time.DateOnly, span[1])
		lines, err := e.svc.Savings.LineTotals(domain.WithActor(context.Background(), domain.SystemActor("test")), from, to, "DKK")
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range map[string]decimal.Decimal{"spend": lines.Spend, "baseline_spend": lines.BaselineSpend,
			"savings": lines.Savings, "on_contract_spend": lines.OnContractSpend, "rebates_accrued": lines.Rebates} {
			if total[k] != v.StringFixed(2) {
				t.Errorf("%v: %s %v, order lines %s", span, k, total[k], v.StringFixed(2))
			}
		}
		for _, g := range []string{"month", "category", "supplier", "member", "cluster"} {
			sum := map[string]decimal.Decimal{}
			for _, gr := range admin.do("GET", q+"&group_by="+g, nil).expect(http.StatusOK).json()["groups"].([]any) {
				for _, k := range []string{"spend", "baseline_spend", "savings", "on_contract_spend", "rebates_accrued"} {
					sum[k] = sum[k].Add(decimal.RequireFromString(gr.(map[string]any)[k].(string)))
				}
			}
			for k, v := range sum {
				if v.StringFixed(2) != total[k] {
					t.Errorf("%v group_by=%s: %s sums to %s, total %v", span, g, k, v.StringFixed(2), total[k])
				}
			}
		}
	}
}

// BenchmarkSavings generates a cooperative year (1,600 practices, 50
// suppliers, ANDEL_BENCH_ORDER_LINES order lines, default 10,000,000),
// times the savings-rollup job over all of it and then over one more
// batch of orders (incremental), and measures the latency of GET
// /api/v1/savings through the real HTTP handler for a year, by every
// grouping, as the board and as a practice (p50, p95).
//
//	make bench-savings   # or: go test -run '^$' -bench Savings -benchtime 1x -timeout 60m ./api
func BenchmarkSavings(b *testing.B) {
	lines := benchOrderLines(b)
	for range b.N {
		e := newEnv(b)
		started := time.Now()
		rep := generateYear(b, e, demo.GenerateOptions{Practices: 1600, Suppliers: 50, Products: 2000, Lines: lines, Year: 2026, Seed: 1})
		gen := time.Since(started)
		b.Logf("generated %d orders, %d lines in %s (%.0f lines/s)", rep.Orders, rep.Lines, gen.Round(time.Millisecond), float64(rep.Lines)/gen.Seconds())
		admin := e.login(demo.AdminEmail)
		// The job as cron runs it (advisory lock, JobRun), not through the
		// API, whose requests have a 30 s deadline.
		runner := jobs.NewRunner(e.svc, slog.New(slog.NewTextHandler(testWriter{b}, &slog.HandlerOptions{Level: slog.LevelWarn})))
		rollup := func() {
			run, err := runner.RunNow(context.Background(), "savings-rollup")
			if err != nil || run.Status != "succeeded" {
				b.Fatalf("rollup %+v: %v", run, err)
			}
		}
		started = time.Now()
		rollup()
		full := time.Since(started)
		b.ReportMetric(full.Seconds(), "rollup-full-s")
		// Incremental: a day's new orders of the same practices (10,000
		// lines, about 2,000 orders, on one day), then the same again spread
		// over the whole year (the worst case: every day of the year is
		// recomputed).
		generateYear(b, e, demo.GenerateOptions{Practices: 1600, Suppliers: 50, Products: 2000, Lines: 10_000, Year: 2026, Seed: 2,
			Day: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), More: true})
		started = time.Now()
		rollup()
		inc := time.Since(started)
		b.ReportMetric(inc.Seconds(), "rollup-day-10k-lines-s")
		generateYear(b, e, demo.GenerateOptions{Practices: 1600, Suppliers: 50, Products: 2000, Lines: 10_000, Year: 2026, Seed: 3, More: true})
		started = time.Now()
		rollup()
		spread := time.Since(started)
		b.ReportMetric(spread.Seconds(), "rollup-year-10k-lines-s")
		b.Logf("rollup: full %s, 10,000 lines on one day %s, 10,000 lines over the year %s", full.Round(time.Millisecond),
			inc.Round(time.Millisecond), spread.Round(time.Millisecond))

		board := e.login(demo.BoardEmail)
		// A practice user of a generated practice (the demo practice has no orders).
		var member int64
		e.svc.DB.Raw("SELECT max(id) FROM members").Scan(&member)
		admin.do("POST", "/api/v1/users", map[string]any{"email": "bench@practice.test", "password": demo.Password,
			"role": "member", "member_id": member}).expect(http.StatusCreated)
		practice := e.login("bench@practice.test")
		var all []time.Duration
		for _, who := range []struct {
			name string
			c    *client
		}{{"board", board}, {"practice", practice}} {
			for _, g := range []string{"", "month", "category", "supplier", "member", "cluster"} {
				for _, span := range []string{"from=2026-01-01&to=2026-12-31", "from=2026-02-15&to=2026-11-20"} {
					var ds []time.Duration
					for range 40 {
						t0 := time.Now()
						who.c.do("GET", "/api/v1/savings?"+span+"&group_by="+g, nil).expect(http.StatusOK)
						ds = append(ds, time.Since(t0))
					}
					ds = ds[5:] // warm-up
					slices.Sort(ds)
					all = append(all, ds...)
					b.Logf("%-8s %s group_by=%-8s p50 %6.1f ms  p95 %6.1f ms", who.name, span, g, ms(pct(ds, 50)), ms(pct(ds, 95)))
				}
			}
		}
		slices.Sort(all)
		b.ReportMetric(ms(pct(all, 50)), "p50-ms")
		b.ReportMetric(ms(pct(all, 95)), "p95-ms")
	}
}

func pct(sorted []time.Duration, p int) time.Duration {
	return sorted[(len(sorted)*p+99)/100-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// benchOrderLines is the size of the generated year the benchmarks run on:
// ANDEL_BENCH_ORDER_LINES, by default the issues' 10,000,000 lines.
func benchOrderLines(b *testing.B) int64 {
	v := os.Getenv("ANDEL_BENCH_ORDER_LINES")
	if v == "" {
		return 10_000_000
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		b.Fatalf("ANDEL_BENCH_ORDER_LINES=%q is not a positive number of lines", v)
	}
	return n
}
