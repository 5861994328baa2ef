package domain_test

import (
	"context"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
	"andel/internal/testclock"

	"github.com/shopspring/decimal"
)

// TestAwardCreatesContractLines runs a one-lot tender through the services
// and checks what ordering and the catalogue read: ActiveContractLines,
// MarkContracts, and expiry after the contract period.
func TestAwardCreatesContractLines(t *testing.T) {
	t.Parallel()
	var clock testclock.Clock
	svc := domain.NewServices(pgtest.DB(t), domain.Options{Clock: clock.Now})
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(admin, svc, ""); err != nil {
		t.Fatal(err)
	}
	var product, supplier int64
	svc.DB.Raw("SELECT id FROM products WHERE base_unit = 'EA' ORDER BY id LIMIT 1").Scan(&product)
	svc.DB.Raw("SELECT min(id) FROM suppliers").Scan(&supplier)
	d := decimal.RequireFromString
	now := time.Now().UTC()
	from, to := now.AddDate(0, 0, -1), now.AddDate(0, 6, 0)
	tender, err := svc.Tenders.Create(admin, domain.TenderInput{Title: "Handsker", ContractFrom: from, ContractTo: to,
		BidDeadline: now.Add(time.Hour), RebateRate: d("0.015"),
		Criteria: []domain.CriterionInput{{Name: "price", Weight: d("100")}},
		Lots:     []domain.LotInput{{Title: "Lot", Items: []domain.LotItemInput{{ProductID: product, Quantity: d("1000")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Tenders.Publish(admin, tender.ID); err != nil {
		t.Fatal(err)
	}
	sup := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleSupplier, SupplierID: supplier, Label: "s"})
	if _, _, err := svc.Tenders.SubmitBid(sup, tender.ID, domain.BidInput{Items: []domain.BidItemInput{{
		LotItemID: tender.Lots[0].Items[0].ID, PackUnit: "BX", PackContent: d("300"), PackPrice: d("100.00"),
		Tiers: []domain.BidTierInput{{MinPacks: d("3"), PackPrice: d("90.00")}}}}}); err != nil {
		t.Fatal(err)
	}
	clock.Set(now.Add(2 * time.Hour))
	if res, err := svc.Tenders.CloseDue(admin); err != nil || res.Closed != 1 {
		t.Fatalf("close: %+v %v", res, err)
	}
	if res, err := svc.Tenders.CloseDue(admin); err != nil || res.Closed != 0 {
		t.Fatalf("second close: %+v %v", res, err)
	}
	if _, _, err := svc.Tenders.Award(admin, tender.ID, nil); err != nil {
		t.Fatal(err)
	}

	lines, err := svc.Contracts.ActiveContractLines(context.Background(), product, now)
	if err != nil || len(lines) != 1 {
		t.Fatalf("active lines %v, %v", lines, err)
	}
	l := lines[0]
	// 100.00 per 300 EA = 0.333333 per EA (6 decimals, half away from zero).
	if !l.UnitPrice.Equal(d("0.333333")) || !l.PackPrice.Equal(d("100")) || l.SupplierID != supplier ||
		!l.RebateRate.Equal(d("0.015")) || len(l.Tiers) != 1 || !l.Tiers[0].UnitPrice.Equal(d("0.3")) {
		t.Errorf("contract line %+v", l)
	}
	if l.BaselineMethod != domain.BaselineNone || !l.BaselineUnitPrice.Equal(l.UnitPrice) {
		t.Errorf("no offers: baseline %s %s, want none at the contract price", l.BaselineMethod, l.BaselineUnitPrice)
	}
	if _, _, _, tiers, err := l.Pricing(); err != nil || len(tiers) != 2 {
		t.Errorf("Pricing: %v %v", tiers, err)
	}
	// The tender pooled 1,000 EA: 4 boxes of 300 (3.33 rounded up), which
	// reach the tier from 3 boxes: members pay 90.00 (0.30 per EA) from
	// the first order, and the catalogue marks that price.
	if !l.CommittedQuantity.Equal(d("4")) || !l.OrderedQuantity.IsZero() {
		t.Errorf("committed %s, ordered %s; want 4 and 0", l.CommittedQuantity, l.OrderedQuantity)
	}
	if tr, err := l.TierReached(); err != nil || tr.PackPrice.AmountString() != "90.00" || !tr.MinPacks.Equal(d("3")) {
		t.Errorf("tier reached %+v %v", tr, err)
	}
	marks, err := svc.Contracts.MarkContracts(context.Background(), product, now)
	if err != nil || len(marks) != 1 || marks[0].SupplierID != supplier || marks[0].UnitPrice.AmountString() != "0.30" {
		t.Errorf("marks %v %v", marks, err)
	}
	if after, _ := svc.Contracts.ActiveContractLines(context.Background(), product, to.AddDate(0, 0, 1)); len(after) != 0 {
		t.Errorf("lines after the contract period: %v", after)
	}
	clock.Set(to.AddDate(0, 0, 2))
	if n, err := svc.Contracts.ExpireLapsed(admin); err != nil || n != 1 {
		t.Errorf("expired %d, %v", n, err)
	}
	if n, _ := svc.Contracts.ExpireLapsed(admin); n != 0 {
		t.Errorf("second expiry expired %d", n)
	}
}

// TestAwardToLowerRankNeedsReason: choosing a bid that is not ranked first
// needs a written reason, which is stored with the award and audited.
func TestAwardToLowerRankNeedsReason(t *testing.T) {
	t.Parallel()
	var clock testclock.Clock
	svc := domain.NewServices(pgtest.DB(t), domain.Options{Clock: clock.Now})
	admin := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(admin, svc, ""); err != nil {
		t.Fatal(err)
	}
	var product int64
	var suppliers []int64
	svc.DB.Raw("SELECT id FROM products WHERE base_unit = 'EA' ORDER BY id LIMIT 1").Scan(&product)
	svc.DB.Raw("SELECT id FROM suppliers ORDER BY id LIMIT 2").Scan(&suppliers)
	d := decimal.RequireFromString
	now := time.Now().UTC()
	tender, err := svc.Tenders.Create(admin, domain.TenderInput{Title: "Handsker", ContractFrom: now, ContractTo: now.AddDate(1, 0, 0),
		BidDeadline: now.Add(time.Hour), Criteria: []domain.CriterionInput{{Name: "price", Weight: d("100")}},
		Lots: []domain.LotInput{{Title: "Lot", Items: []domain.LotItemInput{{ProductID: product, Quantity: d("1000")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Tenders.Publish(admin, tender.ID); err != nil {
		t.Fatal(err)
	}
	var bids []int64
	for i, price := range []string{"40.00", "45.00"} {
		sup := domain.WithActor(context.Background(), domain.Actor{Role: domain.RoleSupplier, SupplierID: suppliers[i], Label: "s"})
		b, _, err := svc.Tenders.SubmitBid(sup, tender.ID, domain.BidInput{Items: []domain.BidItemInput{{
			LotItemID: tender.Lots[0].Items[0].ID, PackUnit: "BX", PackContent: d("100"), PackPrice: d(price)}}})
		if err != nil {
			t.Fatal(err)
		}
		bids = append(bids, b.ID)
	}
	clock.Set(now.Add(2 * time.Hour))
	if _, err := svc.Tenders.CloseDue(admin); err != nil {
		t.Fatal(err)
	}
	lot := tender.Lots[0].ID
	_, _, err = svc.Tenders.Award(admin, tender.ID, []domain.AwardChoice{{LotID: lot, BidID: bids[1]}})
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("award to rank 2 without a reason: %v", err)
	}
	reason := "Rank 1 cannot deliver to Bornholm"
	_, contracts, err := svc.Tenders.Award(admin, tender.ID, []domain.AwardChoice{{LotID: lot, BidID: bids[1], Reason: reason}})
	if err != nil || len(contracts) != 1 || contracts[0].SupplierID != suppliers[1] {
		t.Fatalf("award to rank 2: %v %v", contracts, err)
	}
	var stored string
	svc.DB.Raw("SELECT reason FROM tender_awards WHERE lot_id = ? AND NOT top_ranked", lot).Scan(&stored)
	var audited int64
	svc.DB.Raw("SELECT count(*) FROM audit_events WHERE action = 'tender.awarded' AND details::text LIKE ?", "%Bornholm%").Scan(&audited)
	if stored != reason || audited != 1 {
		t.Errorf("reason stored %q, audited %d times", stored, audited)
	}
}
