package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"sort"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"

	"github.com/shopspring/decimal"
)

// addSurplusProbes adds the member-owned surplus routes to the tenancy
// walk: another member's capital, bank details and statements are 404.
func addSurplusProbes(routes map[string][]probe, member2 int64, missing string) {
	m, a := "/api/v1/members/"+itoa(member2), "/api/v1/members/"+missing
	routes["GET /api/v1/members/:id/capital"] = []probe{{foreign: m + "/capital", absent: a + "/capital"}}
	routes["GET /api/v1/members/:id/bank-account"] = []probe{{foreign: m + "/bank-account", absent: a + "/bank-account"}}
	routes["PUT /api/v1/members/:id/bank-account"] = []probe{{foreign: m + "/bank-account", absent: a + "/bank-account",
		body: map[string]string{"reg_no": "1234", "account_no": "99"}}}
	routes["GET /api/v1/members/:id/statements/:period"] = []probe{{foreign: m + "/statements/2025", absent: a + "/statements/2025"}}
}

// surplusExempt are the surplus routes with an id that belong to no
// tenant: the cooperative's runs, staff only (403 for others).
var surplusExempt = map[string]string{
	"GET /api/v1/surplus-runs/:id":             "a surplus run is the cooperative's; staff only (403 for others)",
	"POST /api/v1/surplus-runs/:id/recompute":  "a surplus run is the cooperative's; staff only (403 for others)",
	"POST /api/v1/surplus-runs/:id/approve":    "a surplus run is the cooperative's; staff only (403 for others)",
	"POST /api/v1/surplus-runs/:id/cancel":     "a surplus run is the cooperative's; staff only (403 for others)",
	"GET /api/v1/surplus-runs/:id/payouts.csv": "a surplus run is the cooperative's; staff only (403 for others)",
}

// handAllocation computes by hand (big rationals, no package pricing) the
// largest-remainder allocation of total over weights, in øre: each gets
// floor(total x w / W), and the øre left go to the largest remainders,
// ties to the larger weight, then the smaller member id.
func handAllocation(total decimal.Decimal, weights map[int64]decimal.Decimal) map[int64]decimal.Decimal {
	W := new(big.Rat)
	for _, w := range weights {
		W.Add(W, w.Rat())
	}
	units := total.Shift(2).BigInt()
	type part struct {
		id   int64
		w    *big.Rat
		q    *big.Int
		frac *big.Rat
	}
	var parts []part
	given := new(big.Int)
	for id, w := range weights {
		exact := new(big.Rat).Quo(new(big.Rat).Mul(new(big.Rat).SetInt(units), w.Rat()), W)
		q := new(big.Int).Quo(exact.Num(), exact.Denom())
		frac := new(big.Rat).Sub(exact, new(big.Rat).SetInt(q))
		parts = append(parts, part{id, w.Rat(), q, frac})
		given.Add(given, q)
	}
	sort.Slice(parts, func(i, j int) bool {
		if c := parts[i].frac.Cmp(parts[j].frac); c != 0 {
			return c > 0
		}
		if c := parts[i].w.Cmp(parts[j].w); c != 0 {
			return c > 0
		}
		return parts[i].id < parts[j].id
	})
	left := new(big.Int).Sub(units, given).Int64()
	out := map[int64]decimal.Decimal{}
	for i, p := range parts {
		q := new(big.Int).Set(p.q)
		if int64(i) < left {
			q.Add(q, big.NewInt(1))
		}
		out[p.id] = decimal.NewFromBigInt(q, -2)
	}
	return out
}

// halfUp rounds x to øre, half away from zero (x >= 0), by hand.
func halfUp(x *big.Rat) decimal.Decimal {
	h := new(big.Rat).Mul(x, big.NewRat(100, 1))
	h.Add(h, big.NewRat(1, 2))
	return decimal.NewFromBigInt(new(big.Int).Quo(h.Num(), h.Denom()), -2)
}

// TestSurplusEndToEnd runs a generated year's patronage refund through the
// API: prepare, a cost added and recomputed, approval refused to the
// preparer and a member user and given by the board, the job twice, a
// second year's run killed half-way and completed by the job, payouts and
// capital sums, three statements against hand-computed figures, a 25 %
// redemption and a single-member redemption.
func TestSurplusEndToEnd(t *testing.T) {
	e := newEnv(t)
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.GenerateYear(ctx, e.svc.Services, demo.GenerateOptions{Practices: 30, Suppliers: 3, Products: 12, Lines: 3000,
		Year: 2025, Seed: 42}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.GenerateYear(ctx, e.svc.Services, demo.GenerateOptions{Practices: 30, Suppliers: 3, Products: 12, Lines: 1500,
		Year: 2024, Seed: 43, More: true}); err != nil {
		t.Fatal(err)
	}
	var gen []int64
	e.svc.DB.Raw("SELECT id FROM members WHERE name LIKE 'Lægepraksis %' ORDER BY id").Scan(&gen)
	admin, board, practice := e.login(demo.AdminEmail), e.login(demo.BoardEmail), e.login(demo.PracticeEmail)

	// Bank details: validated, every problem listed.
	bad := admin.do("PUT", "/api/v1/members/"+itoa(gen[0])+"/bank-account", map[string]string{"reg_no": "12a", "account_no": "12345678901"}).
		expect(http.StatusUnprocessableEntity).problemFields()
	if strings.Join(bad, ",") != "reg_no,account_no" {
		t.Errorf("bad bank details: %v", bad)
	}
	noBank, left := gen[1], gen[2]
	for i, id := range gen {
		if id != noBank {
			admin.do("PUT", "/api/v1/members/"+itoa(id)+"/bank-account", map[string]string{"reg_no": fmt.Sprintf("%04d", 2000+i),
				"account_no": fmt.Sprintf("%d", 7000000+i)}).expect(http.StatusOK)
		}
	}
	admin.do("PATCH", "/api/v1/members/"+itoa(left), map[string]string{"status": "left"}).expect(http.StatusOK)

	// Bad input: every problem listed, nothing stored.
	fields := admin.do("POST", "/api/v1/surplus-runs", map[string]any{"period": "2025", "cash_percent": "60.001",
		"reserve_percent": "-5", "minimum_payout": "abc", "costs": []map[string]string{{"description": "x", "amount": "-1"}}}).
		expect(http.StatusUnprocessableEntity).problemFields()
	if strings.Join(fields, ",") != "cash_percent,minimum_payout,reserve_percent,costs[0].amount" {
		t.Errorf("bad run: %v", fields)
	}
	admin.do("POST", "/api/v1/surplus-runs", map[string]any{"period": "2023"}).expect(http.StatusUnprocessableEntity)
	practice.do("POST", "/api/v1/surplus-runs", map[string]any{"period": "2025"}).expect(http.StatusForbidden)

	// Prepare, then add a cost and recompute.
	res := admin.do("POST", "/api/v1/surplus-runs", map[string]any{"period": "2025", "cash_percent": "60",
		"minimum_payout": "50", "reserve_percent": "10", "other_income": []map[string]string{{"description": "Interest", "amount": "125.00"}}}).
		expect(http.StatusCreated)
	run := res.json()
	id := itoa(int64(run["id"].(float64)))
	if res.header.Get("Location") != "/api/v1/surplus-runs/"+id || run["status"] != "draft" || run["computation"].(float64) != 1 {
		t.Fatalf("prepared %v", run)
	}
	for _, k := range []string{"status", "period", "income", "costs", "reserve", "distributable", "cash_total", "retained_total", "carry_forward_total"} {
		if _, ok := run[k]; !ok {
			t.Errorf("run lacks %s", k)
		}
	}
	admin.do("POST", "/api/v1/surplus-runs", map[string]any{"period": "2025-03-01/2025-03-31"}).expect(http.StatusConflict)
	var rebates decimal.Decimal
	e.svc.DB.Raw(`SELECT sum(l.rebate_accrued) FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE o.status = 'delivered' AND o.placed_on BETWEEN '2025-01-01' AND '2025-12-31'`).Scan(&rebates)
	if want := rebates.Add(decimal.RequireFromString("125")); !dec(t, run["income"]).Equal(want) {
		t.Errorf("income %v, want rebates %s + 125", run["income"], rebates)
	}
	run = admin.do("POST", "/api/v1/surplus-runs/"+id+"/recompute", map[string]any{
		"costs": []map[string]string{{"description": "Revision", "category": "administration", "amount": "1000.00"}}}).expect(http.StatusOK).json()
	income := dec(t, run["income"])
	net := income.Sub(decimal.NewFromInt(1000))
	reserve := halfUp(new(big.Rat).Mul(net.Rat(), big.NewRat(10, 100)))
	D := net.Sub(reserve)
	if run["computation"].(float64) != 2 || run["costs"] != "1000.00" || !dec(t, run["reserve"]).Equal(reserve) || !dec(t, run["distributable"]).Equal(D) {
		t.Fatalf("recomputed %v; want reserve %s, distributable %s", run, reserve, D)
	}
	var history int64
	e.svc.DB.Raw("SELECT count(*) FROM surplus_computations WHERE run_id = ?", id).Scan(&history)
	if history != 2 {
		t.Errorf("%d computations kept, want 2", history)
	}

	// Approval: not the preparer, not a member user; the board once.
	admin.do("POST", "/api/v1/surplus-runs/"+id+"/approve", nil).expect(http.StatusForbidden)
	practice.do("POST", "/api/v1/surplus-runs/"+id+"/approve", nil).expect(http.StatusForbidden)
	approved := board.do("POST", "/api/v1/surplus-runs/"+id+"/approve", nil).expect(http.StatusOK).json()
	if approved["status"] != "approved" || approved["approved_sha256"] != run["snapshot_sha256"] {
		t.Fatalf("approved %v", approved)
	}
	board.do("POST", "/api/v1/surplus-runs/"+id+"/approve", nil).expect(http.StatusConflict)

	// The job, twice: the second changes nothing.
	first := admin.runJob("surplus-distribute")
	counts := first["counts"].(map[string]any)
	if first["status"] != "succeeded" || counts["runs"].(float64) != 1 || counts["payouts"].(float64) == 0 {
		t.Fatalf("first job run %v", first)
	}
	second := admin.runJob("surplus-distribute")
	if c := second["counts"].(map[string]any); c["runs"].(float64) != 0 || c["payouts"].(float64) != 0 || c["capital_entries"].(float64) != 0 {
		t.Errorf("second job run changed something: %v", second)
	}
	done := board.do("GET", "/api/v1/surplus-runs/"+id, nil).expect(http.StatusOK).json()
	if done["status"] != "distributed" {
		t.Fatalf("after the job: %v", done["status"])
	}
	missing := done["missing_bank_details"].([]any)
	if len(missing) != 1 || int64(missing[0].(float64)) != noBank {
		t.Errorf("missing bank details %v, want [%d]", missing, noBank)
	}
	checkPayoutFile(t, board, id, dec(t, done["cash_total"]))
	var credited, paid decimal.Decimal
	e.svc.DB.Raw("SELECT coalesce(sum(amount), 0) FROM capital_entries WHERE run_id = ?", id).Scan(&credited)
	e.svc.DB.Raw("SELECT coalesce(sum(amount), 0) FROM surplus_payouts WHERE run_id = ?", id).Scan(&paid)
	if !credited.Equal(dec(t, done["retained_total"])) || !paid.Equal(dec(t, done["cash_total"])) {
		t.Errorf("capital %s vs retained %v; paid %s vs cash %v", credited, done["retained_total"], paid, done["cash_total"])
	}
	if !dec(t, done["cash_total"]).Add(dec(t, done["retained_total"])).Add(dec(t, done["carry_forward_total"])).
		Equal(D.Add(dec(t, done["carry_forward_in_total"]))) {
		t.Errorf("cash + retained + carried forward != distributable + carried in: %v", done)
	}

	// Three statements against figures computed by hand.
	var patronage []struct {
		MemberID int64
		Net      decimal.Decimal
	}
	e.svc.DB.Raw(`SELECT o.member_id, sum(l.net_total) AS net FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE o.status = 'delivered' AND o.placed_on BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY 1`).Scan(&patronage)
	weights := map[int64]decimal.Decimal{}
	total := decimal.Zero
	for _, p := range patronage {
		weights[p.MemberID] = p.Net
		total = total.Add(p.Net)
	}
	alloc := handAllocation(D, weights)
	var own int64 = gen[3]
	if _, err := e.svc.Users.Create(ctx, domain.NewUser{Email: "own@gen.andel", Password: demo.Password, Role: domain.RoleMember, MemberID: own}); err != nil {
		t.Fatal(err)
	}
	ownUser := e.login("own@gen.andel")
	for _, m := range []int64{own, noBank, left} {
		a := alloc[m]
		cash := halfUp(new(big.Rat).Mul(a.Rat(), big.NewRat(60, 100)))
		if m == left {
			cash = a
		}
		retained := a.Sub(cash)
		payout, carry := cash, decimal.Zero
		if m == noBank || cash.LessThan(decimal.NewFromInt(50)) {
			payout, carry = decimal.Zero, cash
		}
		c := board
		if m == own {
			c = ownUser
		}
		st := c.do("GET", "/api/v1/members/"+itoa(m)+"/statements/2025", nil).expect(http.StatusOK).json()
		want := map[string]decimal.Decimal{"patronage": weights[m], "total_patronage": total, "allocation": a, "cash": cash,
			"retained": retained, "carry_forward_in": decimal.Zero, "carry_forward_out": carry, "payout": payout,
			"capital_balance": retained, "distributable": D}
		for k, v := range want {
			if !dec(t, st[k]).Equal(v) {
				t.Errorf("member %d statement %s = %v, by hand %s", m, k, st[k], v)
			}
		}
		share := new(big.Rat).Quo(weights[m].Rat(), total.Rat())
		if got := dec(t, st["share"]); new(big.Rat).Sub(got.Rat(), share).Abs(new(big.Rat).Sub(got.Rat(), share)).Cmp(big.NewRat(1, 10_000_000_000)) > 0 {
			t.Errorf("member %d share %v, by hand %s", m, st["share"], share.FloatString(12))
		}
		if st["approved_at"] == nil || len(st["purchases"].([]any)) == 0 {
			t.Errorf("member %d statement lacks approval date or purchases: %v", m, st)
		}
	}
	ownUser.do("GET", "/api/v1/members/"+itoa(noBank)+"/statements/2025", nil).expect(http.StatusNotFound)
	ownUser.do("GET", "/api/v1/members/"+itoa(noBank)+"/capital", nil).expect(http.StatusNotFound)
	ownUser.do("GET", "/api/v1/surplus-runs/"+id, nil).expect(http.StatusForbidden)
	html := ownUser.doWith("GET", "/api/v1/members/"+itoa(own)+"/statements/2025", nil, map[string]string{"Accept": "text/html"}).expect(http.StatusOK)
	if !strings.HasPrefix(html.header.Get("Content-Type"), "text/html") || !bytes.Contains(html.body, []byte("@media print")) ||
		!bytes.Contains(html.body, []byte(alloc[own].StringFixed(2))) {
		t.Errorf("HTML statement: %s %.300s", html.header.Get("Content-Type"), html.body)
	}
	expectStyleAllowed(t, html)
	pdf := ownUser.do("GET", "/api/v1/members/"+itoa(own)+"/statements/2025?format=pdf", nil).expect(http.StatusOK)
	if pdf.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf.body, []byte("%PDF-")) {
		t.Errorf("PDF statement: %s %.20q", pdf.header.Get("Content-Type"), pdf.body)
	}
	ownUser.do("GET", "/api/v1/members/"+itoa(own)+"/statements/2025?format=doc", nil).expect(http.StatusUnprocessableEntity)
	ownUser.do("GET", "/api/v1/members/"+itoa(own)+"/statements/2022", nil).expect(http.StatusNotFound)

	// A second year's run, killed half-way and completed by the job.
	r24 := admin.do("POST", "/api/v1/surplus-runs", map[string]any{"period": "2024", "cash_percent": "100"}).expect(http.StatusCreated).json()
	id24 := int64(r24["id"].(float64))
	board.do("POST", "/api/v1/surplus-runs/"+itoa(id24)+"/approve", nil).expect(http.StatusOK)
	killed := errors.New("killed")
	_, err := e.svc.Surplus.Distribute(ctx, id24, domain.DistributeOptions{BatchSize: 4, AfterBatch: func(n int) error {
		if n == 3 {
			return killed
		}
		return nil
	}})
	if !errors.Is(err, killed) {
		t.Fatalf("kill: %v", err)
	}
	var half int64
	e.svc.DB.Raw("SELECT count(*) FROM surplus_payouts WHERE run_id = ?", id24).Scan(&half)
	var wantHalf int64
	e.svc.DB.Raw(`SELECT count(*) FILTER (WHERE payout > 0) FROM (SELECT payout FROM surplus_allocations
		WHERE run_id = ? ORDER BY member_id LIMIT 12) a`, id24).Scan(&wantHalf)
	if half != wantHalf || half == 0 {
		t.Errorf("%d payouts after 3 batches of 4, want %d", half, wantHalf)
	}
	if run := admin.runJob("surplus-distribute"); run["status"] != "succeeded" {
		t.Fatalf("completing job: %v", run)
	}
	d24 := board.do("GET", "/api/v1/surplus-runs/"+itoa(id24), nil).expect(http.StatusOK).json()
	if d24["status"] != "distributed" {
		t.Fatalf("2024 run %v", d24["status"])
	}
	var dup int64
	e.svc.DB.Raw(`SELECT count(*) FROM (SELECT member_id FROM surplus_payouts WHERE run_id = ? GROUP BY 1 HAVING count(*) > 1) d`, id24).Scan(&dup)
	if dup != 0 {
		t.Errorf("%d members paid twice", dup)
	}
	checkPayoutFile(t, board, itoa(id24), dec(t, d24["cash_total"]))

	// Redemption: 25 % of 2025's retained amounts, exactly.
	admin.do("PUT", "/api/v1/members/"+itoa(noBank)+"/bank-account", map[string]string{"reg_no": "9999", "account_no": "1"}).expect(http.StatusOK)
	admin.do("POST", "/api/v1/surplus-runs", map[string]any{"kind": "redemption", "source_run_id": id24 + 1000,
		"redemption_percent": "125"}).expect(http.StatusUnprocessableEntity)
	red := admin.do("POST", "/api/v1/surplus-runs", map[string]any{"kind": "redemption", "source_run_id": run["id"],
		"redemption_percent": "25"}).expect(http.StatusCreated).json()
	retainedTotal := dec(t, done["retained_total"])
	quarter := halfUp(new(big.Rat).Mul(retainedTotal.Rat(), big.NewRat(1, 4)))
	if !dec(t, red["distributable"]).Equal(quarter) {
		t.Errorf("redemption pays %v, 25%% of %s is %s", red["distributable"], retainedTotal, quarter)
	}
	board.do("POST", "/api/v1/surplus-runs/"+itoa(int64(red["id"].(float64)))+"/approve", nil).expect(http.StatusOK)
	admin.runJob("surplus-distribute")
	var redeemed decimal.Decimal
	e.svc.DB.Raw("SELECT -sum(amount) FROM capital_entries WHERE run_id = ?", red["id"]).Scan(&redeemed)
	if !redeemed.Equal(quarter) {
		t.Errorf("redeemed %s, want %s", redeemed, quarter)
	}
	capital := ownUser.do("GET", "/api/v1/members/"+itoa(own)+"/capital", nil).expect(http.StatusOK).json()
	ret := alloc[own].Sub(halfUp(new(big.Rat).Mul(alloc[own].Rat(), big.NewRat(60, 100))))
	bal := dec(t, capital["balance"])
	if exact := new(big.Rat).Mul(ret.Rat(), big.NewRat(3, 4)); new(big.Rat).Sub(bal.Rat(), exact).Abs(new(big.Rat).Sub(bal.Rat(), exact)).Cmp(big.NewRat(1, 100)) >= 0 ||
		len(capital["entries"].([]any)) != 2 {
		t.Errorf("capital after redemption %v; retained was %s", capital, ret)
	}

	// A member that leaves is paid its whole balance.
	leaver := gen[4]
	admin.do("POST", "/api/v1/surplus-runs", map[string]any{"kind": "redemption", "member_id": leaver}).expect(http.StatusUnprocessableEntity)
	admin.do("PATCH", "/api/v1/members/"+itoa(leaver), map[string]string{"status": "left"}).expect(http.StatusOK)
	if c := board.do("GET", "/api/v1/members/"+itoa(leaver)+"/capital", nil).expect(http.StatusOK).json(); dec(t, c["balance"]).IsZero() {
		t.Fatalf("the leaver has no capital: %v", c)
	}
	one := admin.do("POST", "/api/v1/surplus-runs", map[string]any{"kind": "redemption", "member_id": leaver}).expect(http.StatusCreated).json()
	board.do("POST", "/api/v1/surplus-runs/"+itoa(int64(one["id"].(float64)))+"/approve", nil).expect(http.StatusOK)
	admin.runJob("surplus-distribute")
	if c := board.do("GET", "/api/v1/members/"+itoa(leaver)+"/capital", nil).expect(http.StatusOK).json(); c["balance"] != "0.00" {
		t.Errorf("left member's capital after its redemption: %v", c)
	}

	// Every step is in the audit trail.
	var actions []string
	e.svc.DB.Raw("SELECT DISTINCT action FROM audit_events WHERE entity = 'surplus_run' ORDER BY 1").Scan(&actions)
	if strings.Join(actions, ",") != "surplus_run.approved,surplus_run.distributed,surplus_run.prepared,surplus_run.recomputed" {
		t.Errorf("audited %v", actions)
	}
}

// checkPayoutFile reads a run's payout file: one row per payout and a
// TOTAL row, equal to the cash distributed.
func checkPayoutFile(t *testing.T, c *client, id string, cash decimal.Decimal) {
	t.Helper()
	res := c.do("GET", "/api/v1/surplus-runs/"+id+"/payouts.csv", nil).expect(http.StatusOK)
	rows, err := csv.NewReader(bytes.NewReader(res.body)).ReadAll()
	if err != nil || len(rows) < 3 {
		t.Fatalf("payout file: %v %s", err, res.body)
	}
	sum := decimal.Zero
	for _, r := range rows[1 : len(rows)-1] {
		if len(r[3]) != 4 || r[4] == "" || r[6] == "" {
			t.Errorf("payout row without bank details or reference: %v", r)
		}
		sum = sum.Add(decimal.RequireFromString(r[5]))
	}
	last := rows[len(rows)-1]
	if last[1] != "TOTAL" || !decimal.RequireFromString(last[5]).Equal(sum) || !sum.Equal(cash) {
		t.Errorf("payout file sums to %s (TOTAL %v), cash distributed %s", sum, last, cash)
	}
}

func TestSurplusRunCancelAndList(t *testing.T) {
	e := newEnv(t)
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.GenerateYear(ctx, e.svc.Services, demo.GenerateOptions{Practices: 5, Suppliers: 2, Products: 4, Lines: 200, Year: 2025, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	admin, board := e.login(demo.AdminEmail), e.login(demo.BoardEmail)
	r := admin.do("POST", "/api/v1/surplus-runs", map[string]any{"period": "2025"}).expect(http.StatusCreated).json()
	id := itoa(int64(r["id"].(float64)))
	board.do("POST", "/api/v1/surplus-runs/"+id+"/cancel", nil).expect(http.StatusOK)
	board.do("POST", "/api/v1/surplus-runs/"+id+"/cancel", nil).expect(http.StatusConflict)
	admin.do("POST", "/api/v1/surplus-runs/"+id+"/recompute", nil).expect(http.StatusConflict)
	// the cancelled run no longer blocks its period
	admin.do("POST", "/api/v1/surplus-runs", map[string]any{"period": "2025"}).expect(http.StatusCreated)
	list := board.do("GET", "/api/v1/surplus-runs?status=cancelled", nil).expect(http.StatusOK).json()
	if n := len(list["items"].([]any)); n != 1 {
		t.Errorf("%d cancelled runs listed", n)
	}
	board.do("GET", "/api/v1/surplus-runs?status=paid", nil).expect(http.StatusUnprocessableEntity)
	page := board.do("GET", "/api/v1/surplus-runs/"+id+"?limit=2", nil).expect(http.StatusOK).json()
	allocs := page["allocations"].(map[string]any)
	if len(allocs["items"].([]any)) != 2 || allocs["next_cursor"] == nil {
		t.Errorf("first page of allocations: %v", allocs)
	}
	e.login(demo.PracticeEmail).do("GET", "/api/v1/surplus-runs", nil).expect(http.StatusForbidden)
}
