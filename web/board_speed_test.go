package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"gorm.io/gorm"
)

// capturedSQL is one statement a handler ran through GORM.
type capturedSQL struct {
	sql  string
	vars []any
}

// captureSQL records every statement run through db's GORM callbacks
// (queries, rows, raw) while on() is true.
func captureSQL(t *testing.T, db *gorm.DB) (on func(bool), taken func() []capturedSQL) {
	t.Helper()
	var mu sync.Mutex
	var active bool
	var stmts []capturedSQL
	cb := func(tx *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		if active && tx.Statement != nil {
			stmts = append(stmts, capturedSQL{sql: tx.Statement.SQL.String(), vars: slices.Clone(tx.Statement.Vars)})
		}
	}
	for _, err := range []error{
		db.Callback().Query().After("gorm:query").Register("test:capture-sql", cb),
		db.Callback().Row().After("gorm:row").Register("test:capture-sql", cb),
		db.Callback().Raw().After("gorm:raw").Register("test:capture-sql", cb),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return func(b bool) {
			mu.Lock()
			active = b
			mu.Unlock()
		}, func() []capturedSQL {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(stmts)
		}
}

// planRelations lists the tables a JSON plan reads.
func planRelations(node any, out map[string]bool) {
	switch n := node.(type) {
	case map[string]any:
		if r, ok := n["Relation Name"].(string); ok {
			out[r] = true
		}
		for _, v := range n {
			planRelations(v, out)
		}
	case []any:
		for _, v := range n {
			planRelations(v, out)
		}
	}
}

// TestBoardQueriesSkipOrderLines runs the board's savings pages and
// downloads (several ranges: whole months, edge days, days within one
// month; every grouping, the practice table sorted and searched) and
// EXPLAINs every statement they ran: none may read order_lines (the
// dashboards read the rollups only), and the rollups are what they read.
func TestBoardQueriesSkipOrderLines(t *testing.T) {
	s, sum := boardSite(t)
	y := strconv.Itoa(sum.Year)
	board := s.person(t)
	board.login(demo.BoardEmail)
	on, taken := captureSQL(t, s.svc.DB)
	on(true)
	paths := []string{"/board/savings?preset=last-year", "/board/savings?from=" + y + "-02-14&to=" + y + "-07-03",
		"/board/savings?from=" + y + "-03-05&to=" + y + "-03-20", "/board/savings?from=" + y + "-06-01&to=" + y + "-06-30"}
	for _, p := range []string{"from=" + y + "-01-01&to=" + y + "-12-31", "from=" + y + "-02-14&to=" + y + "-07-03"} {
		paths = append(paths, "/board/savings/practices?"+p, "/board/savings/practices?"+p+"&sort=name&q=vib")
		for _, table := range []string{"months", "categories", "suppliers", "clusters", "practices"} {
			paths = append(paths, "/board/savings/export?"+p+"&table="+table+"&format=csv",
				"/board/savings/export?"+p+"&table="+table+"&format=xlsx")
		}
	}
	for _, p := range paths {
		if pg := board.req("GET", p, nil); pg.status != http.StatusOK {
			t.Fatalf("%s: %d", p, pg.status)
		}
	}
	on(false)
	stmts := taken()
	sqlDB, err := s.svc.DB.DB()
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]int{}
	explained := 0
	for _, st := range stmts {
		q := strings.TrimSpace(st.sql)
		if strings.Contains(strings.ToLower(q), "order_lines") {
			t.Errorf("a board page's query names order_lines: %s", q)
		}
		head := strings.ToUpper(q[:min(6, len(q))])
		if head != "SELECT" && !strings.HasPrefix(head, "WITH") {
			continue
		}
		var plan string
		if err := sqlDB.QueryRowContext(context.Background(), "EXPLAIN (FORMAT JSON) "+q, st.vars...).Scan(&plan); err != nil {
			t.Fatalf("EXPLAIN %s %v: %v", q, st.vars, err)
		}
		var tree any
		if err := json.Unmarshal([]byte(plan), &tree); err != nil {
			t.Fatal(err)
		}
		rels := map[string]bool{}
		planRelations(tree, rels)
		for r := range rels {
			read[r]++
		}
		if rels["order_lines"] || rels["orders"] {
			t.Errorf("the plan of a board page's query reads %v: %s", rels, q)
		}
		explained++
	}
	if explained < 4*len(paths) || read["savings_rollup"] == 0 || read["savings_member_running"] == 0 {
		t.Errorf("%d statements explained over %d requests; tables read: %v", explained, len(paths), read)
	}
	t.Logf("%d statements explained over %d requests; tables read (statements): %v", explained, len(paths), read)
}

// BenchmarkBoardPages generates a cooperative year (1,600 practices in
// 12 quality clusters, 50 suppliers, ANDEL_BENCH_ORDER_LINES order lines,
// default 10,000,000), rolls it up, and times the board's pages through
// the real handler (the server's ServeHTTP with the board's session, so
// the time is the server's): the dashboard (every grouping on one page)
// for several ranges, and the table of every practice sorted and
// searched, and the suppliers' scorecard list for a year and a quarter
// (p50, p95).
//
//	ANDEL_BENCH_ORDER_LINES=200000 go test -run '^$' -bench BoardPages -benchtime 1x -timeout 60m ./web
func BenchmarkBoardPages(b *testing.B) {
	lines := int64(10_000_000)
	if v := os.Getenv("ANDEL_BENCH_ORDER_LINES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		lines = n
	}
	for range b.N {
		s := newSite(b)
		sys := domain.WithActor(context.Background(), domain.SystemActor("bench"))
		started := time.Now()
		rep, err := demo.GenerateYear(sys, s.svc.Services, demo.GenerateOptions{Practices: 1600, Suppliers: 50, Products: 2000,
			Lines: lines, Year: 2026, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.svc.DB.Exec(`UPDATE members SET quality_cluster = 'Klynge ' || (id % 12 + 1) WHERE name LIKE 'Lægepraksis %'`).Error; err != nil {
			b.Fatal(err)
		}
		if _, err := s.svc.Savings.Rollup(sys); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated and rolled up %d orders, %d lines in %s", rep.Orders, rep.Lines, time.Since(started).Round(time.Millisecond))

		// The board's session cookie, from a real login.
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := hc.PostForm(s.http.URL+"/login", url.Values{"email": {demo.BoardEmail}, "password": {demo.Password}})
		if err != nil || res.StatusCode != http.StatusSeeOther {
			b.Fatalf("login: %v %v", res, err)
		}
		res.Body.Close()
		u, _ := url.Parse(s.http.URL)
		var cookies []string
		for _, c := range jar.Cookies(u) {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
		handler := http.Handler(s.srv)
		time1 := func(path string) time.Duration {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Cookie", strings.Join(cookies, "; "))
			req.Header.Set("Accept-Language", "da")
			rec := httptest.NewRecorder()
			t0 := time.Now()
			handler.ServeHTTP(rec, req)
			d := time.Since(t0)
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: %d", path, rec.Code)
			}
			return d
		}
		// Each page request is followed by a reference request, GET
		// /api/v1/savings?group_by=member for the year (1,600 groups of
		// JSON: 13.6 ms p50 on the quiet machine at 10M lines, "orders and
		// savings" above), so that a loaded machine's times can be read as
		// a ratio.
		const ref = "/api/v1/savings?from=2026-01-01&to=2026-12-31&group_by=member"
		var refs []time.Duration
		measure := func(kind string, paths []string) []time.Duration {
			var all []time.Duration
			for _, p := range paths {
				var ds, rs []time.Duration
				for range 25 {
					ds = append(ds, time1(p))
					rs = append(rs, time1(ref))
				}
				ds, rs = ds[5:], rs[5:] // warm-up
				slices.Sort(ds)
				slices.Sort(rs)
				all = append(all, ds...)
				refs = append(refs, rs...)
				b.Logf("%-10s %-72s p50 %6.1f ms  p95 %6.1f ms  (reference p50 %5.1f ms: ratio %.2f)", kind, p,
					ms(pct(ds, 50)), ms(pct(ds, 95)), ms(pct(rs, 50)), ms(pct(ds, 50))/ms(pct(rs, 50)))
			}
			slices.Sort(all)
			return all
		}
		dash := measure("dashboard", []string{
			"/board/savings?from=2026-01-01&to=2026-12-31", "/board/savings?from=2026-02-15&to=2026-11-20",
			"/board/savings?from=2026-04-01&to=2026-06-30", "/board/savings?from=2026-05-05&to=2026-05-20",
			"/board/savings?from=2025-12-01&to=2026-11-30",
		})
		practices := measure("practices", []string{
			"/board/savings/practices?from=2026-01-01&to=2026-12-31", "/board/savings/practices?from=2026-02-15&to=2026-11-20&sort=name",
			"/board/savings/practices?from=2026-01-01&to=2026-12-31&sort=spend&dir=asc&q=" + url.QueryEscape("lægepraksis"),
			"/board/savings/practices?from=2026-01-01&to=2026-12-31&q=-17",
		})
		scorecards := measure("scorecards", []string{
			"/board/scorecards?period=2026", "/board/scorecards?period=2026-Q2&sort=total&dir=asc",
		})
		slices.Sort(refs)
		b.ReportMetric(ms(pct(scorecards, 95)), "scorecards-p95-ms")
		b.ReportMetric(ms(pct(refs, 50)), "reference-p50-ms")
		b.ReportMetric(ms(pct(dash, 50)), "dashboard-p50-ms")
		b.ReportMetric(ms(pct(dash, 95)), "dashboard-p95-ms")
		b.ReportMetric(ms(pct(practices, 50)), "practices-p50-ms")
		b.ReportMetric(ms(pct(practices, 95)), "practices-p95-ms")
	}
}

func pct(sorted []time.Duration, p int) time.Duration {
	return sorted[(len(sorted)*p+99)/100-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
