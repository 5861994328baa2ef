package api_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"andel/internal/demo"
	"andel/jobs"
)

// benchUser creates a practice user for member and logs it in.
func benchUser(e *env, admin *client, email string, member int64) *client {
	admin.do("POST", "/api/v1/users", map[string]any{"email": email, "password": demo.Password,
		"role": "member", "member_id": member}).expect(http.StatusCreated)
	return e.login(email)
}

// TestBenchmarksThroughTheAPI: on a generated year of 70 practices in 5
// clusters, a practice sees its own position, the board each cluster, and
// a practice downloads its own cluster's data package (HTML, PDF, JSON)
// but not another's; bad input is 422 with every problem listed.
func TestBenchmarksThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	generateYear(t, e, demo.GenerateOptions{Practices: 70, Suppliers: 4, Products: 24, Lines: 6000, Year: 2026, Seed: 5})
	admin := e.login(demo.AdminEmail)
	if run := admin.runJob("savings-rollup"); run["status"] != "succeeded" {
		t.Fatalf("rollup %v", run)
	}
	var m struct {
		ID             int64
		QualityCluster string
	}
	e.svc.DB.Raw("SELECT id, quality_cluster FROM members WHERE name LIKE 'Lægepraksis %' ORDER BY id LIMIT 1").Scan(&m)
	var other string
	e.svc.DB.Raw("SELECT max(quality_cluster) FROM members WHERE name LIKE 'Lægepraksis %'").Scan(&other)
	if m.QualityCluster == "" || other == m.QualityCluster {
		t.Fatalf("clusters %q %q", m.QualityCluster, other)
	}
	practice := benchUser(e, admin, "bench1@practice.test", m.ID)

	res := practice.do("GET", "/api/v1/benchmarks?period=2026", nil).expect(http.StatusOK).json()
	own, cluster := res["own"].(map[string]any), res["cluster"].(map[string]any)
	if own == nil || cluster["shown"] != true || cluster["name"] != m.QualityCluster || res["clusters"] != nil {
		t.Fatalf("practice's year: %v", res)
	}
	// Every generated product is in EA: a price per unit and a band.
	if own["unit_price"] == nil || cluster["unit_price"] == nil || res["band"] == nil || res["base_unit"] != "EA" {
		t.Errorf("no prices: %v", res)
	}
	res = practice.do("GET", "/api/v1/benchmarks?period=2026-Q2&category=handsker", nil).expect(http.StatusOK).json()
	if res["category"] != "handsker" || res["period"] != "2026-Q2" || res["from"] != "2026-04-01" || res["to"] != "2026-06-30" {
		t.Errorf("quarter: %v", res)
	}
	practice.do("GET", "/api/v1/benchmarks?period=2026&cluster="+url.QueryEscape(other), nil).expect(http.StatusNotFound)
	fields := practice.do("GET", "/api/v1/benchmarks?period=2026-13&category=handsker&product_id=1", nil).expect(http.StatusUnprocessableEntity).problemFields()
	if !slices.Contains(fields, "period") || !slices.Contains(fields, "category") {
		t.Errorf("fields %v", fields)
	}
	practice.do("GET", "/api/v1/benchmarks?product_id=x", nil).expect(http.StatusUnprocessableEntity)

	board := e.login(demo.BoardEmail)
	res = board.do("GET", "/api/v1/benchmarks?period=2026", nil).expect(http.StatusOK).json()
	if cl := res["clusters"].([]any); len(cl) != 5 || res["own"] != nil {
		t.Errorf("board sees %d clusters: %v", len(cl), res)
	}
	res = board.do("GET", "/api/v1/benchmarks?period=2026&cluster="+url.QueryEscape(other), nil).expect(http.StatusOK).json()
	if cl := res["clusters"].([]any); len(cl) != 1 || cl[0].(map[string]any)["name"] != other {
		t.Errorf("board, one cluster: %v", res)
	}
	e.login(demo.SupplierEmail).do("GET", "/api/v1/benchmarks?period=2026", nil).expect(http.StatusForbidden)

	path := "/api/v1/clusters/" + url.PathEscape(m.QualityCluster) + "/data-package?period=2026"
	page := practice.do("GET", path, nil).expect(http.StatusOK)
	if !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") || !bytes.Contains(page.body, []byte(">You<")) ||
		!bytes.Contains(page.body, []byte(">A<")) {
		t.Errorf("HTML package: %s %s", page.header, page.body)
	}
	expectStyleAllowed(t, page)
	pdf := practice.do("GET", path+"&format=pdf", nil).expect(http.StatusOK)
	if pdf.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.body, []byte("%PDF")) {
		t.Errorf("PDF package: %s", pdf.header)
	}
	js := practice.doWith("GET", path, nil, map[string]string{"Accept": "application/json"}).expect(http.StatusOK).json()
	cols := js["columns"].([]any)
	if len(cols) != 14 || cols[0] != "you" || cols[1] != "A" || slices.Contains(cols[1:], any("you")) {
		t.Errorf("columns %v", cols)
	}
	practice.do("GET", "/api/v1/clusters/"+url.PathEscape(other)+"/data-package?period=2026", nil).expect(http.StatusNotFound)
	practice.do("GET", path+"&format=xml", nil).expect(http.StatusUnprocessableEntity)
	js = board.do("GET", "/api/v1/clusters/"+url.PathEscape(other)+"/data-package?period=2026&format=json", nil).expect(http.StatusOK).json()
	if cols := js["columns"].([]any); len(cols) == 0 || slices.Contains(cols, any("you")) {
		t.Errorf("board's package columns %v", cols)
	}
}

// BenchmarkClusterBenchmarks generates a cooperative year (1,600 practices
// in 115 clusters, 50 suppliers, ANDEL_BENCH_ORDER_LINES order lines,
// default 10,000,000), rolls it up with the savings-rollup job, and
// measures GET /api/v1/benchmarks and the data package through the real
// HTTP handler as a practice and as the board, for a year, a quarter and
// a month, all purchases, a category and a product (p50, p95).
//
//	ANDEL_BENCH_ORDER_LINES=200000 go test -run '^$' -bench ClusterBenchmarks -benchtime 1x -timeout 60m ./api
func BenchmarkClusterBenchmarks(b *testing.B) {
	lines := benchOrderLines(b)
	for range b.N {
		e := newEnv(b)
		started := time.Now()
		rep := generateYear(b, e, demo.GenerateOptions{Practices: 1600, Suppliers: 50, Products: 2000, Lines: lines, Year: 2026, Seed: 1})
		b.Logf("generated %d orders, %d lines in %s", rep.Orders, rep.Lines, time.Since(started).Round(time.Millisecond))
		runner := jobs.NewRunner(e.svc, slog.New(slog.NewTextHandler(testWriter{b}, &slog.HandlerOptions{Level: slog.LevelWarn})))
		started = time.Now()
		if run, err := runner.RunNow(context.Background(), "savings-rollup"); err != nil || run.Status != "succeeded" {
			b.Fatalf("rollup %+v: %v", run, err)
		}
		b.Logf("savings-rollup (with the benchmark rollup) %s", time.Since(started).Round(time.Millisecond))
		var rows, clusters int64
		e.svc.DB.Raw("SELECT count(*) FROM benchmark_rollup").Scan(&rows)
		e.svc.DB.Raw("SELECT count(DISTINCT quality_cluster) FROM members").Scan(&clusters)
		b.Logf("benchmark_rollup: %d rows; %d clusters", rows, clusters)

		admin := e.login(demo.AdminEmail)
		var m struct {
			ID             int64
			QualityCluster string
		}
		e.svc.DB.Raw(`SELECT id, quality_cluster FROM members WHERE name LIKE 'Lægepraksis %'
			AND id IN (SELECT member_id FROM benchmark_rollup WHERE dim = 'product') ORDER BY id DESC LIMIT 1`).Scan(&m)
		var product int64
		e.svc.DB.Raw(`SELECT key::bigint FROM benchmark_rollup WHERE dim = 'product' AND grain = 'year' AND member_id = ?
			ORDER BY spend DESC LIMIT 1`, m.ID).Scan(&product)
		practice := benchUser(e, admin, "bench@practice.test", m.ID)
		board := e.login(demo.BoardEmail)
		pkg := "/api/v1/clusters/" + url.PathEscape(m.QualityCluster) + "/data-package?format=json&period="
		var all []time.Duration
		for _, who := range []struct {
			name string
			c    *client
		}{{"practice", practice}, {"board", board}} {
			for _, period := range []string{"2026", "2026-Q2", "2026-05"} {
				for _, sel := range []string{"", "&category=handsker", "&product_id=" + strconv.FormatInt(product, 10), "package"} {
					path := "/api/v1/benchmarks?period=" + period + sel
					if sel == "package" {
						path = pkg + period
					}
					var ds []time.Duration
					for range 25 {
						t0 := time.Now()
						who.c.do("GET", path, nil).expect(http.StatusOK)
						ds = append(ds, time.Since(t0))
					}
					ds = ds[5:] // warm-up
					slices.Sort(ds)
					all = append(all, ds...)
					b.Logf("%-8s %-8s %-22s p50 %6.1f ms  p95 %6.1f ms", who.name, period, strings.TrimPrefix(sel, "&"), ms(pct(ds, 50)), ms(pct(ds, 95)))
				}
			}
		}
		slices.Sort(all)
		b.ReportMetric(ms(pct(all, 50)), "p50-ms")
		b.ReportMetric(ms(pct(all, 95)), "p95-ms")
		b.Logf("all benchmark requests: p50 %.1f ms, p95 %.1f ms", ms(pct(all, 50)), ms(pct(all, 95)))
	}
}
