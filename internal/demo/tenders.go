package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"andel/domain"

	"github.com/shopspring/decimal"
)

// demoTenderPrefix starts the title of every demo tender: its presence
// makes SeedTenders a no-op.
const demoTenderPrefix = "Demo: "

// TenderSummary tells what SeedTenders created.
type TenderSummary struct {
	DemandPeriod string
	DemandLines  int
	// OpenTenderID is a published tender open for the demo suppliers' bids
	// for a week; AwardedTenderID an awarded one with its contracts.
	OpenTenderID    int64
	AwardedTenderID int64
	Contracts       int
	Skipped         bool // demo tenders existed already
}

// SeedTenders adds demo group purchasing to the demo cooperative (run
// Seed first): next year's demand for half of the members, a tender
// built from it and published for a week, and a second tender whose bids
// (from the three demo suppliers), close, evaluation and award are played
// through on a clock set back three hours, so that its contracts are
// active today. It is idempotent: when a demo tender exists it does
// nothing. Everything goes through the services, so it is audited as the
// seed.
func SeedTenders(ctx context.Context, svc *domain.Services) (*TenderSummary, error) {
	ctx = domain.WithActor(ctx, domain.SystemActor("seed"))
	var n int64
	if err := svc.DB.WithContext(ctx).Table("tenders").Where("title LIKE ?", demoTenderPrefix+"%").Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return &TenderSummary{Skipped: true}, nil
	}
	product := func(name string) (int64, error) {
		var id int64
		err := svc.DB.WithContext(ctx).Raw("SELECT id FROM products WHERE name = ? AND status <> 'merged' ORDER BY id LIMIT 1", name).Scan(&id).Error
		if err == nil && id == 0 {
			err = fmt.Errorf("demo product %q missing: run Seed first", name)
		}
		return id, err
	}
	gloves, err := product(demoProducts[0].name)
	if err != nil {
		return nil, err
	}
	syringes, err := product(demoProducts[2].name)
	if err != nil {
		return nil, err
	}
	gauze, err := product(demoProducts[4].name)
	if err != nil {
		return nil, err
	}
	var members, suppliers []int64
	if err := svc.DB.WithContext(ctx).Raw("SELECT id FROM members ORDER BY id LIMIT 6").Scan(&members).Error; err != nil {
		return nil, err
	}
	if err := svc.DB.WithContext(ctx).Raw("SELECT id FROM suppliers ORDER BY id LIMIT 3").Scan(&suppliers).Error; err != nil {
		return nil, err
	}
	if len(members) == 0 || len(suppliers) < 3 {
		return nil, fmt.Errorf("the demo cooperative is missing: run Seed first")
	}
	d := decimal.RequireFromString
	now := time.Now().UTC()
	sum := &TenderSummary{DemandPeriod: strconv.Itoa(now.Year() + 1)}
	box := d("100")
	for i, m := range members {
		k := decimal.NewFromInt(int64(i + 1))
		lines := []domain.DemandInput{
			{ProductID: gloves, Quantity: k.Mul(d("10")), Unit: "BX", PackContent: &box},
			{ProductID: syringes, Quantity: k.Mul(d("250"))},
		}
		if _, err := svc.Demand.Replace(ctx, m, sum.DemandPeriod, lines); err != nil {
			return nil, fmt.Errorf("seed demand: %w", err)
		}
		sum.DemandLines += len(lines)
	}
	criteria := []domain.CriterionInput{{Name: "price", Weight: d("80")}, {Name: "delivery_days", Weight: d("20"), Direction: "lower_is_better"}}
	open, err := svc.Tenders.Create(ctx, domain.TenderInput{Title: demoTenderPrefix + "Handsker og sprøjter " + sum.DemandPeriod,
		Description:  "Rammeaftale på nitrilhandsker og sprøjter for medlemmernes samlede behov.",
		ContractFrom: time.Date(now.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC), ContractTo: time.Date(now.Year()+1, 12, 31, 0, 0, 0, 0, time.UTC),
		BidDeadline: now.Add(7 * 24 * time.Hour).Truncate(time.Hour), RebateRate: d("0.02"), Criteria: criteria,
		Lots: []domain.LotInput{{Title: "Handsker og sprøjter", FromDemand: sum.DemandPeriod}}})
	if err != nil {
		return nil, fmt.Errorf("seed open tender: %w", err)
	}
	if _, err := svc.Tenders.Publish(ctx, open.ID); err != nil {
		return nil, err
	}
	sum.OpenTenderID = open.ID

	// The awarded tender is played through on its own clock.
	past := svc.Tenders.WithClock(func() time.Time { return now.Add(-3 * time.Hour) })
	done, err := past.Create(ctx, domain.TenderInput{Title: demoTenderPrefix + "Gazekompresser",
		Description: "Sterile gazekompresser 10x10 cm.", ContractFrom: now, ContractTo: now.AddDate(1, 0, 0),
		BidDeadline: now.Add(-time.Hour), RebateRate: d("0.025"), Criteria: criteria,
		Lots: []domain.LotInput{{Title: "Gazekompresser", Items: []domain.LotItemInput{{ProductID: gauze, Quantity: d("60000")}}}}})
	if err != nil {
		return nil, fmt.Errorf("seed awarded tender: %w", err)
	}
	if _, err := past.Publish(ctx, done.ID); err != nil {
		return nil, err
	}
	item := done.Lots[0].Items[0].ID
	// Each supplier bids its own item from its price list (SKU, GTIN, pack)
	// at its list's quantity price, so that the contract names what to
	// ship; a supplier without such an offer bids a pack of its own.
	bids := []struct{ unit, content, price, tierFrom, tierPrice, days string }{
		{"BX", "100", "38.00", "500", "35.50", "2"},
		{"XCT", "1200", "432.00", "", "", "1"},
		{"BX", "50", "19.50", "200", "18.25", "4"},
	}
	for i, b := range bids {
		in := domain.BidInput{Values: map[string]decimal.Decimal{"delivery_days": d(b.days)}, Items: []domain.BidItemInput{{
			LotItemID: item, PackUnit: b.unit, PackContent: d(b.content), PackPrice: d(b.price)}}}
		if b.tierFrom != "" {
			in.Items[0].Tiers = []domain.BidTierInput{{MinPacks: d(b.tierFrom), PackPrice: d(b.tierPrice)}}
		}
		if o, err := ownOffer(ctx, svc, suppliers[i], gauze); err != nil {
			return nil, err
		} else if o != nil {
			in.Items[0] = domain.BidItemInput{LotItemID: item, SKU: o.SKU, GTIN: o.GTIN, PackUnit: o.PackUnit,
				PackContent: o.PackContent, PackPrice: o.PackPrice}
		}
		sup := domain.WithActor(ctx, domain.Actor{Role: domain.RoleSupplier, SupplierID: suppliers[i], Label: "seed"})
		if _, _, err := past.SubmitBid(sup, done.ID, in); err != nil {
			return nil, fmt.Errorf("seed bid: %w", err)
		}
	}
	past = past.WithClock(func() time.Time { return now })
	if _, err := past.CloseDue(ctx); err != nil {
		return nil, err
	}
	_, contracts, err := past.Award(ctx, done.ID, nil)
	if err != nil {
		return nil, fmt.Errorf("seed award: %w", err)
	}
	sum.AwardedTenderID, sum.Contracts = done.ID, len(contracts)
	return sum, nil
}

// demoOffer is a supplier's own item of a product, as its price list has it.
type demoOffer struct {
	SKU, GTIN, PackUnit    string
	PackContent, PackPrice decimal.Decimal
}

// ownOffer is supplier's offer of product at its best quantity price (its
// list's highest tier), or nil when it lists none.
func ownOffer(ctx context.Context, svc *domain.Services, supplier, product int64) (*demoOffer, error) {
	var o []demoOffer
	err := svc.DB.WithContext(ctx).Raw(`SELECT r.sku, coalesce(r.gtin, '') AS gtin, r.pack_unit, r.pack_content, r.pack_price
		FROM offer_rows r JOIN price_lists p ON p.id = r.price_list_id
		WHERE r.supplier_id = ? AND r.product_id = ? AND p.status = 'active' AND r.action <> 'delete'
		ORDER BY r.min_qty DESC, r.id LIMIT 1`, supplier, product).Scan(&o).Error
	if err != nil || len(o) == 0 {
		return nil, err
	}
	return &o[0], nil
}
