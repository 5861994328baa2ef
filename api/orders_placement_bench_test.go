package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
)

// BenchmarkOrderPlacement: 8 practices order at once through the real HTTP
// handler with cookie sessions, 3 lines an order (two at the contract, one
// off contract at another supplier's list price), and in the same run, as
// the physical reference, pgbench's TPC-B transaction at the same
// concurrency against the same PostgreSQL server. Reports orders/s, p50 and
// p95 latency, the TPC-B rate and their ratio. ANDEL_BENCH_ORDERS sets the
// number of orders (default 2,000). Run: make bench-orders.
func BenchmarkOrderPlacement(b *testing.B) {
	const clients = 8
	total := 2000
	if v, err := strconv.Atoi(os.Getenv("ANDEL_BENCH_ORDERS")); err == nil && v > 0 {
		total = v
	}
	e := newEnv(b)
	ctx := domain.WithActor(context.Background(), domain.SystemActor("bench"))
	if _, err := demo.SeedTenders(ctx, e.svc.Services); err != nil {
		b.Fatal(err)
	}
	contractProducts, offProduct, offOffer := orderMix(b, e)

	// One user per practice, each its own session.
	admin := e.login(demo.AdminEmail)
	var members []int64
	e.svc.DB.Raw("SELECT id FROM members ORDER BY id LIMIT ?", clients).Scan(&members)
	sessions := make([]*benchSession, clients)
	for i, m := range members {
		email := fmt.Sprintf("bench%d@practice.test", i)
		admin.do("POST", "/api/v1/users", map[string]any{"email": email, "password": demo.Password, "role": "member", "member_id": m}).
			expect(http.StatusCreated)
		s, err := newBenchSession(e.http.URL, email)
		if err != nil {
			b.Fatal(err)
		}
		sessions[i] = s
	}
	order := func(s *benchSession, r *rand.Rand) error {
		lines := []map[string]any{
			{"product_id": contractProducts[0], "quantity": 1 + r.IntN(5)},
			{"product_id": contractProducts[1%len(contractProducts)], "quantity": 1 + r.IntN(5)},
			{"product_id": offProduct, "offer_id": offOffer, "quantity": 1 + r.IntN(3)},
		}
		return s.post("/api/v1/orders", map[string]any{"lines": lines}, http.StatusCreated)
	}
	// Warm up: plans, caches, connections.
	for _, s := range sessions {
		if err := order(s, rand.New(rand.NewPCG(1, 2))); err != nil {
			b.Fatal(err)
		}
	}

	b.ResetTimer()
	lat, elapsed, err := concurrentRuns(clients, total, func(worker int, r *rand.Rand) error { return order(sessions[worker], r) })
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	tpcb, err := tpcbRate(pgtest.URL(b), clients, total)
	if err != nil {
		b.Fatal(err)
	}
	rate := float64(total) / elapsed.Seconds()
	b.ReportMetric(rate, "orders/s")
	b.ReportMetric(ms(percentile(lat, 50)), "p50_ms")
	b.ReportMetric(ms(percentile(lat, 95)), "p95_ms")
	b.ReportMetric(tpcb, "tpcb_tps")
	b.ReportMetric(rate/tpcb, "ratio")
	b.Logf("%d orders by %d practices: %.0f orders/s, p50 %.1f ms, p95 %.1f ms; TPC-B %.0f tps; ratio %.2f",
		total, clients, rate, ms(percentile(lat, 50)), ms(percentile(lat, 95)), tpcb, rate/tpcb)
}

// orderMix finds two products with an active contract and an offer of
// another product (or another supplier) to order off contract.
func orderMix(b *testing.B, e *env) (contract []int64, offProduct, offOffer int64) {
	e.svc.DB.Raw(`SELECT DISTINCT cl.product_id FROM contract_lines cl WHERE cl.status = 'active' ORDER BY 1 LIMIT 2`).Scan(&contract)
	if len(contract) == 0 {
		b.Fatal("the demo has no contract")
	}
	// An off-contract offer: a list of supplier 2 for a product it holds no contract for.
	sup := e.withKey(e.demoKey(2))
	var p struct {
		ID   int64
		GTIN string
	}
	e.svc.DB.Raw(`SELECT id, gtin FROM products WHERE id NOT IN ? AND gtin IS NOT NULL ORDER BY id LIMIT 1`, contract).Scan(&p)
	csv := "varenummer;varenavn;ean;enhed;indhold;basisenhed;pris;valuta\n" +
		"BENCH-1;Bench vare;" + p.GTIN + ";BX;100;EA;45,00;DKK\n"
	sup.upload("text/csv; charset=utf-8", []byte(csv), nil).expect(http.StatusCreated)
	e.svc.DB.Raw("SELECT id FROM offers WHERE sku = 'BENCH-1' AND status = 'active' ORDER BY id DESC LIMIT 1").Scan(&offOffer)
	if offOffer == 0 {
		b.Fatal("the off-contract offer was not imported")
	}
	return contract, p.ID, offOffer
}

// concurrentRuns runs total calls of do over workers goroutines and
// returns each call's latency and the wall time.
func concurrentRuns(workers, total int, do func(worker int, r *rand.Rand) error) ([]time.Duration, time.Duration, error) {
	var (
		mu   sync.Mutex
		lat  = make([]time.Duration, 0, total)
		next = make(chan struct{}, total)
		errs = make(chan error, workers)
		wg   sync.WaitGroup
	)
	for range total {
		next <- struct{}{}
	}
	close(next)
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for range next {
				t0 := time.Now()
				if err := do(w, r); err != nil {
					errs <- err
					return
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	return lat, elapsed, <-errs
}

// percentile is the p'th percentile of d (pct over a sorted copy).
func percentile(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return pct(s, p)
}

// tpcbRate runs pgbench's TPC-B transaction (scale 1: 100,000 accounts)
// total times over workers connections against the database at url and
// returns transactions per second: the physical reference of a write
// transaction on this machine and server.
func tpcbRate(url string, workers, total int) (float64, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(workers)
	for _, q := range []string{
		`CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler char(88))`,
		`CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int, filler char(84))`,
		`CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84))`,
		`CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))`,
		`INSERT INTO pgbench_branches SELECT 1, 0, ''`,
		`INSERT INTO pgbench_tellers SELECT t, 1, 0, '' FROM generate_series(1, 10) t`,
		`INSERT INTO pgbench_accounts SELECT a, 1, 0, '' FROM generate_series(1, 100000) a`,
		`VACUUM ANALYZE pgbench_branches, pgbench_tellers, pgbench_accounts`,
	} {
		if _, err := db.Exec(q); err != nil {
			return 0, fmt.Errorf("tpc-b setup: %w", err)
		}
	}
	tx := func(r *rand.Rand) error {
		aid, tid, delta := 1+r.IntN(100000), 1+r.IntN(10), r.IntN(10001)-5000
		t, err := db.Begin()
		if err != nil {
			return err
		}
		defer t.Rollback()
		for _, s := range []struct {
			q    string
			args []any
		}{
			{"UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2", []any{delta, aid}},
			{"UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2", []any{delta, tid}},
			{"UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = 1", []any{delta}},
			{"INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, 1, $2, $3, CURRENT_TIMESTAMP)", []any{tid, aid, delta}},
		} {
			if _, err := t.Exec(s.q, s.args...); err != nil {
				return err
			}
		}
		var bal int
		if err := t.QueryRow("SELECT abalance FROM pgbench_accounts WHERE aid = $1", aid).Scan(&bal); err != nil {
			return err
		}
		return t.Commit()
	}
	_, elapsed, err := concurrentRuns(workers, total, func(_ int, r *rand.Rand) error { return tx(r) })
	if err != nil {
		return 0, err
	}
	return float64(total) / elapsed.Seconds(), nil
}

// benchSession is a practice's logged-in HTTP session (cookie and CSRF
// token), safe to use from one goroutine.
type benchSession struct {
	base, csrf string
	hc         *http.Client
}

func newBenchSession(base, email string) (*benchSession, error) {
	jar, _ := cookiejar.New(nil)
	s := &benchSession{base: base, hc: &http.Client{Jar: jar, Timeout: time.Minute}}
	body, _ := json.Marshal(map[string]string{"email": email, "password": demo.Password})
	res, err := s.hc.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var v struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || res.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("login %s: %s %v", email, res.Status, err)
	}
	s.csrf = v.CSRF
	return s, nil
}

func (s *benchSession) post(path string, v any, want int) error {
	body, _ := json.Marshal(v)
	req, _ := http.NewRequest("POST", s.base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", s.csrf)
	res, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return fmt.Errorf("POST %s: %s %s", path, res.Status, msg)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	return nil
}
