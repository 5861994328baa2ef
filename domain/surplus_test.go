package domain_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// surplusYear generates a small cooperative year (2025) and gives every
// member but the last bank details. It returns the services, an admin
// context and the member ids.
func surplusYear(t *testing.T, practices int, lines int64) (*domain.Services, context.Context, []int64) {
	t.Helper()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleAdmin, UserID: 1, Label: "admin@test"})
	if _, err := demo.GenerateYear(ctx, svc, demo.GenerateOptions{Practices: practices, Suppliers: 3, Products: 12, Lines: lines,
		Year: 2025, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	db.Raw("SELECT id FROM members ORDER BY id").Scan(&ids)
	for i, id := range ids[:len(ids)-1] {
		if _, err := svc.Surplus.SetBankAccount(ctx, id, fmt.Sprintf("%04d", 1000+i), fmt.Sprintf("%d", 4000000+i)); err != nil {
			t.Fatal(err)
		}
	}
	return svc, ctx, ids
}

func boardCtx() context.Context {
	return domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, UserID: 2, Label: "board@test"})
}

func fieldsOf(err error) []string {
	var e *domain.Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestSurplusRunRefusesBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	svc, ctx, _ := surplusYear(t, 8, 400)
	count := func() (n int64) { svc.DB.Raw("SELECT count(*) FROM surplus_runs").Scan(&n); return }
	_, err := svc.Surplus.Prepare(ctx, domain.SurplusRunInput{Period: "2025", CashPercent: "12.345", MinimumPayout: "-1",
		ReservePercent: "101", Costs: []domain.SurplusLineInput{{Description: "", Amount: "12,50"}, {Description: "x", Amount: "-3"}}})
	got := strings.Join(fieldsOf(err), " ")
	for _, want := range []string{"cash_percent", "minimum_payout", "reserve_percent", "costs[0].description", "costs[0].amount", "costs[1].amount"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems %q lack %s (%v)", got, want, err)
		}
	}
	if _, err := svc.Surplus.Prepare(ctx, domain.SurplusRunInput{Period: "2019"}); domain.ErrorCode(err) != domain.EINVALID ||
		!strings.Contains(err.Error(), "no delivered orders") {
		t.Errorf("a period without orders: %v", err)
	}
	if _, err := svc.Surplus.Prepare(ctx, domain.SurplusRunInput{Period: "2025-13-01/2025-01-01"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a malformed period: %v", err)
	}
	if _, err := svc.Surplus.Prepare(boardCtx(), domain.SurplusRunInput{Period: "2025"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a board user prepares: %v", err)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d runs stored after bad input", n)
	}
	run, err := svc.Surplus.Prepare(ctx, domain.SurplusRunInput{Period: "2025", CashPercent: "60"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Surplus.Prepare(ctx, domain.SurplusRunInput{Period: "2025-06-01/2026-05-31"}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("an overlapping run: %v", err)
	}
	// A distributable amount of zero or less is saved, not approved.
	neg, err := svc.Surplus.Recompute(ctx, run.ID, domain.SurplusRecomputeInput{
		Costs: &[]domain.SurplusLineInput{{Description: "Everything", Amount: run.Income.Add(decimal.NewFromInt(1)).String()}}})
	if err != nil || !neg.Distributable.IsNegative() {
		t.Fatalf("recompute with a large cost: %v, %v", neg, err)
	}
	if _, err := svc.Surplus.Approve(boardCtx(), run.ID); domain.ErrorCode(err) != domain.EINVALID ||
		strings.Join(fieldsOf(err), "") != "distributable" {
		t.Errorf("approving a negative run: %v", err)
	}
	if _, err := svc.Surplus.Distribute(ctx, run.ID, domain.DistributeOptions{}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("distributing a draft: %v", err)
	}
	var payouts int64
	svc.DB.Raw("SELECT count(*) FROM surplus_payouts").Scan(&payouts)
	if payouts != 0 {
		t.Errorf("%d payouts after refusals", payouts)
	}
}

// TestSurplusFrozenAfterApproval tries to change an approved run's
// snapshot, figures and totals behind the service's back.
func TestSurplusFrozenAfterApproval(t *testing.T) {
	t.Parallel()
	svc, ctx, _ := surplusYear(t, 6, 300)
	run, err := svc.Surplus.Prepare(ctx, domain.SurplusRunInput{Period: "2025", CashPercent: "50"})
	if err != nil {
		t.Fatal(err)
	}
	// the preparer may not approve, even as board
	self := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleBoard, UserID: 1, Label: "admin@test"})
	if _, err := svc.Surplus.Approve(self, run.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("approval by the preparer: %v", err)
	}
	if _, err := svc.Surplus.Approve(ctx, run.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("approval by an admin: %v", err)
	}
	ok, err := svc.Surplus.Approve(boardCtx(), run.ID)
	if err != nil || ok.ApprovedSHA256 == nil || *ok.ApprovedSHA256 != ok.SnapshotSHA256 {
		t.Fatalf("approve: %+v, %v", ok, err)
	}
	if _, err := svc.Surplus.Approve(boardCtx(), run.ID); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("second approval: %v", err)
	}
	if _, err := svc.Surplus.Recompute(ctx, run.ID, domain.SurplusRecomputeInput{}); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("recompute after approval: %v", err)
	}
	for _, q := range []string{
		"UPDATE surplus_computations SET snapshot = snapshot || ' ' WHERE run_id = ?",
		"DELETE FROM surplus_computations WHERE run_id = ?",
		"UPDATE surplus_allocations SET allocation = allocation + 1, cash = cash + 1 WHERE run_id = ?",
		"DELETE FROM surplus_allocations WHERE run_id = ?",
		"UPDATE surplus_runs SET snapshot_sha256 = 'x', approved_sha256 = 'x' WHERE id = ?",
		"UPDATE surplus_runs SET distributable = distributable + 1 WHERE id = ?",
		"UPDATE surplus_runs SET computation = computation + 1 WHERE id = ?",
		`INSERT INTO surplus_computations (run_id, computation, snapshot, sha256, computed_by)
		 SELECT id, computation + 1, '{}', 'x', 'mallory' FROM surplus_runs WHERE id = ?`,
		`INSERT INTO surplus_allocations (run_id, computation, member_id, patronage, share, allocation, cash, retained,
		 carry_forward_in, carry_forward_out, payout) SELECT id, computation, 999999, 0, 0, 1, 1, 0, 0, 0, 1 FROM surplus_runs WHERE id = ?`,
	} {
		if err := svc.DB.Exec(q, run.ID).Error; err == nil {
			t.Errorf("%s: allowed on an approved run", q)
		}
	}
	if err := svc.Surplus.Verify(boardCtx(), run.ID); err != nil {
		t.Errorf("verify after the attempts: %v", err)
	}
}

// TestSurplusDistributeExactlyOnce stops a distribution after its first
// batch, then runs it on three goroutines at once (replicas), and again.
func TestSurplusDistributeExactlyOnce(t *testing.T) {
	t.Parallel()
	svc, ctx, ids := surplusYear(t, 40, 2000)
	run, err := svc.Surplus.Prepare(ctx, domain.SurplusRunInput{Period: "2025", CashPercent: "70", MinimumPayout: "100"})
	if err != nil {
		t.Fatal(err)
	}
	if run.MissingBankDetails != 1 {
		t.Errorf("missing bank details: %d, want 1 (member %d)", run.MissingBankDetails, ids[len(ids)-1])
	}
	if _, err := svc.Surplus.Approve(boardCtx(), run.ID); err != nil {
		t.Fatal(err)
	}
	killed := errors.New("killed")
	_, err = svc.Surplus.Distribute(ctx, run.ID, domain.DistributeOptions{BatchSize: 7, AfterBatch: func(n int) error {
		if n == 2 {
			return killed
		}
		return nil
	}})
	if !errors.Is(err, killed) {
		t.Fatalf("half-way: %v", err)
	}
	var half int64
	svc.DB.Raw("SELECT count(*) FROM surplus_payouts WHERE run_id = ?", run.ID).Scan(&half)
	if half == 0 || half >= int64(run.Members) {
		t.Fatalf("%d payouts after the kill, want some", half)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = svc.Surplus.DistributeApproved(ctx, domain.DistributeOptions{BatchSize: 5})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	rep, err := svc.Surplus.DistributeApproved(ctx, domain.DistributeOptions{})
	if err != nil || rep.Payouts != 0 || rep.CapitalEntries != 0 || rep.Runs != 0 {
		t.Errorf("a run after the end: %+v, %v", rep, err)
	}
	checkDistributed(t, svc.DB, run.ID)
}

// checkDistributed checks a distributed run's payouts and capital entries
// against its figures: one per member, sums exact.
func checkDistributed(t *testing.T, db *gorm.DB, runID int64) {
	t.Helper()
	var r struct {
		Status                           string
		CashTotal, RetainedTotal         decimal.Decimal
		Payouts, Paid, Entries, Credited decimal.Decimal
		Dup                              int64
	}
	db.Raw(`SELECT status, cash_total, retained_total,
		(SELECT count(*) FROM surplus_payouts WHERE run_id = r.id) AS payouts,
		(SELECT coalesce(sum(amount), 0) FROM surplus_payouts WHERE run_id = r.id) AS paid,
		(SELECT count(*) FROM capital_entries WHERE run_id = r.id) AS entries,
		(SELECT coalesce(sum(amount), 0) FROM capital_entries WHERE run_id = r.id) AS credited,
		(SELECT count(*) FROM (SELECT member_id FROM surplus_payouts WHERE run_id = r.id GROUP BY 1 HAVING count(*) > 1) d) AS dup
		FROM surplus_runs r WHERE id = ?`, runID).Scan(&r)
	var want struct{ Payouts, Entries int64 }
	db.Raw(`SELECT count(*) FILTER (WHERE payout > 0) AS payouts, count(*) FILTER (WHERE retained > 0) AS entries
		FROM surplus_allocations a JOIN surplus_runs r ON r.id = a.run_id AND r.computation = a.computation WHERE r.id = ?`, runID).Scan(&want)
	if r.Status != domain.SurplusDistributed || !r.Paid.Equal(r.CashTotal) || !r.Credited.Equal(r.RetainedTotal) ||
		r.Payouts.IntPart() != want.Payouts || r.Entries.IntPart() != want.Entries || r.Dup != 0 {
		t.Errorf("distributed run: %+v, want %+v", r, want)
	}
}

// TestSurplusAllocationProperties: for random patronage the allocations
// sum to the distributable amount, each is within one øre of its exact
// share, cash + retained = allocation, the order of members does not
// matter, and the encoded snapshot recomputes to the same figures.
func TestSurplusAllocationProperties(t *testing.T) {
	t.Parallel()
	sizes := []int{1, 2, 3, 17, 250, 3000}
	switch {
	case testing.Short():
	case raceEnabled:
		sizes = append(sizes, 20000)
	default:
		sizes = append(sizes, 20000, 100000)
	}
	rng := rand.New(rand.NewPCG(11, 13))
	for it, n := range sizes {
		snap := domain.SurplusSnapshot{Kind: domain.SurplusPatronage, Period: "2025", From: "2025-01-01", To: "2025-12-31",
			Currency: "DKK", Options: domain.SurplusOptions{Basis: domain.BasisWhole, CashShare: pricing.BasisPoints(rng.IntN(10001)),
				MinimumPayout: decimal.NewFromInt(int64(rng.IntN(200)))},
			Lines: []domain.SurplusLine{{Kind: domain.LineRebate, Description: "r", Amount: decimal.New(rng.Int64N(1e11), -2)},
				{Kind: domain.LineCost, Description: "c", Amount: decimal.New(rng.Int64N(1e6), -2)}}}
		for i := range n {
			m := domain.SurplusMember{MemberID: int64(i + 1), Status: "active",
				Patronage: decimal.New(rng.Int64N(1e12), -int32(rng.IntN(7))), CarryIn: decimal.Zero, RegNo: "1234", AccountNo: "1"}
			if rng.IntN(10) == 0 {
				m.Status = "left"
			}
			if rng.IntN(20) == 0 {
				m.RegNo, m.AccountNo = "", ""
			}
			if rng.IntN(8) == 0 {
				m.CarryIn = decimal.New(rng.Int64N(10000), -2)
			}
			snap.Members = append(snap.Members, m)
		}
		f, err := domain.ComputeSurplus(snap)
		if err != nil {
			t.Fatal(err)
		}
		total, patronage := decimal.Zero, decimal.Zero
		for _, m := range snap.Members {
			patronage = patronage.Add(m.Patronage)
		}
		dist := new(big.Rat).SetFrac(f.Distributable.Coefficient(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-f.Distributable.Exponent())), nil))
		pat := patronage.Rat()
		oere := big.NewRat(1, 100)
		sumCash, sumRet, sumOut := decimal.Zero, decimal.Zero, decimal.Zero
		for i, a := range f.Allocations {
			total = total.Add(a.Allocation)
			exact := new(big.Rat).Quo(new(big.Rat).Mul(dist, snap.Members[i].Patronage.Rat()), pat)
			diff := new(big.Rat).Sub(a.Allocation.Rat(), exact)
			if diff.Abs(diff).Cmp(oere) >= 0 {
				t.Fatalf("n=%d member %d: allocation %s, exact %s", n, a.MemberID, a.Allocation, exact.FloatString(6))
			}
			if !a.Cash.Add(a.Retained).Equal(a.Allocation) || !a.Payout.Add(a.CarryForwardOut).Equal(a.Cash.Add(a.CarryForwardIn)) {
				t.Fatalf("n=%d member %d: %+v", n, a.MemberID, a)
			}
			sumCash, sumRet, sumOut = sumCash.Add(a.Payout), sumRet.Add(a.Retained), sumOut.Add(a.CarryForwardOut)
		}
		if !total.Equal(f.Distributable) || !sumCash.Equal(f.CashTotal) || !sumRet.Equal(f.RetainedTotal) || !sumOut.Equal(f.CarryForwardTotal) {
			t.Fatalf("n=%d: allocations %s of %s; cash %s/%s", n, total, f.Distributable, sumCash, f.CashTotal)
		}
		shuffled := snap
		shuffled.Members = append([]domain.SurplusMember(nil), snap.Members...)
		rng.Shuffle(len(shuffled.Members), func(i, j int) {
			shuffled.Members[i], shuffled.Members[j] = shuffled.Members[j], shuffled.Members[i]
		})
		g, err := domain.ComputeSurplus(shuffled)
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := snap.Encode()
		if err != nil {
			t.Fatal(err)
		}
		var decoded domain.SurplusSnapshot
		if err := json.Unmarshal(b, &decoded); err != nil {
			t.Fatal(err)
		}
		h, err := domain.ComputeSurplus(decoded)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range f.Allocations {
			if fmt.Sprint(a) != fmt.Sprint(g.Allocations[i]) || fmt.Sprint(a) != fmt.Sprint(h.Allocations[i]) {
				t.Fatalf("n=%d iteration %d: member %d differs by order or after decoding: %v %v %v", n, it, a.MemberID, a, g.Allocations[i], h.Allocations[i])
			}
		}
	}
}

// TestSurplusCategoryBasis: each category's pool (its share of the
// distributable amount by rebates) goes to the members who bought in it.
func TestSurplusCategoryBasis(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	snap := domain.SurplusSnapshot{Kind: domain.SurplusPatronage, Currency: "DKK",
		Options: domain.SurplusOptions{Basis: domain.BasisCategory, CashShare: 10000},
		Lines: []domain.SurplusLine{{Kind: domain.LineRebate, Category: "a", Amount: d("300")},
			{Kind: domain.LineRebate, Category: "b", Amount: d("100")}, {Kind: domain.LineCost, Amount: d("100")}},
		Members: []domain.SurplusMember{
			{MemberID: 1, Patronage: d("1000"), ByCategory: map[string]decimal.Decimal{"a": d("1000")}, RegNo: "1", AccountNo: "1"},
			{MemberID: 2, Patronage: d("3000"), ByCategory: map[string]decimal.Decimal{"a": d("1000"), "b": d("2000")}, RegNo: "1", AccountNo: "1"},
			{MemberID: 3, Patronage: d("1000"), ByCategory: map[string]decimal.Decimal{"b": d("1000")}, RegNo: "1", AccountNo: "1"},
		}}
	f, err := domain.ComputeSurplus(snap)
	if err != nil {
		t.Fatal(err)
	}
	// 300 distributable: pool a 225 (3/4), pool b 75; a halves, b 2:1
	want := map[int64]string{1: "112.50", 2: "162.50", 3: "25.00"}
	for _, a := range f.Allocations {
		if a.Allocation.StringFixed(2) != want[a.MemberID] || !a.Payout.Equal(a.Allocation) {
			t.Errorf("member %d: %s, want %s", a.MemberID, a.Allocation.StringFixed(2), want[a.MemberID])
		}
	}
}
