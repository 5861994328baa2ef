package domain

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// This file holds the one place of each pricing rule that domain applies
// to its rows: the per-base-unit price of a pack, the tier ladders of
// offers and contracts, the "valid on a day" filter, and the loader of a
// median baseline's candidates. The arithmetic itself is pricing's.

// validOn is the one "valid on day" filter of rows with a validity period
// (valid_from, valid_to; NULL, where allowed, is open): the rows of table
// whose period covers day. Offers, contracts and contract lines use it.
func validOn(table string, day time.Time) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		return db.Where("("+table+".valid_from IS NULL OR "+table+".valid_from <= ?) AND ("+table+".valid_to IS NULL OR "+table+".valid_to >= ?)", day, day)
	}
}

// currencyOf is a stored currency code as pricing's (CHAR columns come
// padded).
func currencyOf(code string) pricing.Currency {
	return pricing.Currency(strings.TrimSpace(code))
}

// packOf is a stored pack: content of contentUnit per packUnit.
func packOf(packUnit string, content decimal.Decimal, contentUnit string) pricing.Pack {
	return pricing.Pack{Unit: packUnit, Content: pricing.Quantity{Value: content, Unit: contentUnit}}
}

// Pack is the offer's pack.
func (o Offer) Pack() pricing.Pack { return packOf(o.PackUnit, o.PackContent, o.BaseUnit) }

// perBaseUnit is the one per-base-unit price of a pack price: price per
// one unit of the pack's content measured in unit (pricing.PackOffer.PerUnit,
// 6 decimals, half away from zero).
func perBaseUnit(price pricing.Price, pack pricing.Pack, unit string) (pricing.Price, error) {
	return pricing.PackOffer{Price: price, Pack: pack}.PerUnit(unit)
}

// ladderStep is one stored step of a price ladder: PackPrice from Min packs.
type ladderStep struct {
	Min       decimal.Decimal
	PackPrice decimal.Decimal
}

// ladder is the one builder of a price ladder by packs from stored steps
// (offers: their own minimum and the rows above it; contracts: zero and
// the tiers above), all in currency cur. Errors: those of pricing for a
// malformed stored price (a bug).
func ladder(cur pricing.Currency, steps []ladderStep) (pricing.Tiers, error) {
	tiers := make(pricing.Tiers, len(steps))
	for i, st := range steps {
		p, err := pricing.NewPrice(st.PackPrice, cur)
		if err != nil {
			return nil, err
		}
		tiers[i] = pricing.Tier{MinQuantity: st.Min, Price: p}
	}
	return tiers, nil
}

// offerLadder is an offer's ladder by packs from its tiers (OfferTier:
// its own lowest, then the rows of its price list above it).
func offerLadder(cur pricing.Currency, tiers []OfferTier) (pricing.Tiers, error) {
	steps := make([]ladderStep, len(tiers))
	for i, t := range tiers {
		steps[i] = ladderStep{Min: decimal.NewFromInt(t.MinQty), PackPrice: t.PackPrice}
	}
	return ladder(cur, steps)
}

// contractLadder is a contract line's ladder by packs: its plain price
// from zero packs, then its tiers.
func contractLadder(cur pricing.Currency, packPrice decimal.Decimal, tiers []ContractLineTier) (pricing.Tiers, error) {
	steps := make([]ladderStep, 0, len(tiers)+1)
	steps = append(steps, ladderStep{Min: decimal.Zero, PackPrice: packPrice})
	for _, t := range tiers {
		steps = append(steps, ladderStep{Min: t.MinPacks, PackPrice: t.PackPrice})
	}
	return ladder(cur, steps)
}

// baselineCandidates loads the candidates of a product's median baseline
// on day: its offers with status active valid on day, at their lowest
// tier, from suppliers that hold no active contract price for the product
// on day. pricing.RateTable.MedianListBaseline takes one price per
// supplier from them.
func baselineCandidates(ctx context.Context, db *gorm.DB, productID int64, day time.Time) ([]Offer, []pricing.BaselineOffer, error) {
	var offers []Offer
	err := db.WithContext(ctx).Table("offers").
		Where("offers.product_id = ? AND offers.status = 'active'", productID).
		Scopes(validOn("offers", day)).
		Where("NOT EXISTS (?)", db.Session(&gorm.Session{NewDB: true}).Table("contract_lines").Select("1").
			Joins("JOIN contracts c ON c.id = contract_lines.contract_id").
			Where("contract_lines.product_id = offers.product_id AND contract_lines.supplier_id = offers.supplier_id").
			Where("contract_lines.status = 'active' AND c.status = 'active'").Scopes(validOn("contract_lines", day))).
		Order("offers.id").Find(&offers).Error
	if err != nil {
		return nil, nil, err
	}
	cands := make([]pricing.BaselineOffer, len(offers))
	for i, o := range offers {
		// A malformed stored price (a bug) leaves the zero Price, which
		// pricing reports as skipped with its reason.
		price, _ := pricing.NewPrice(o.PackPrice, currencyOf(o.Currency))
		cands[i] = pricing.BaselineOffer{SupplierID: o.SupplierID, OfferID: o.ID,
			Offer: pricing.PackOffer{Price: price, Pack: o.Pack()}}
	}
	return offers, cands, nil
}

// baselineOffer is one offer considered for a baseline, as recorded in
// the baseline's inputs.
type baselineOffer struct {
	OfferID     int64  `json:"offer_id"`
	SupplierID  int64  `json:"supplier_id"`
	PackPrice   string `json:"pack_price"`
	PackUnit    string `json:"pack_unit"`
	PackContent string `json:"pack_content"`
	ContentUnit string `json:"content_unit"`
	Currency    string `json:"currency"`
	// UnitPrice is per base unit in Currency, Rate the rate of Currency
	// into the cooperative's, Price per base unit in the baseline's
	// currency (both rounded to 6 decimals for the record; the median is
	// taken over exact values).
	UnitPrice string `json:"unit_price,omitempty"`
	Rate      string `json:"rate,omitempty"`
	Price     string `json:"price,omitempty"`
	// Used: the supplier's lowest offer, one of the median's prices.
	Used    bool   `json:"used"`
	Skipped string `json:"skipped,omitempty"`
}

// baselineRecord is the JSON record of a median baseline's inputs: the
// day, the product, every candidate offer with its per-unit price and
// rate, and the prices the median was taken over (one per supplier).
func baselineRecord(day time.Time, productID int64, baseUnit string, offers []Offer, mb pricing.MedianBaseline, ok bool, none string) (json.RawMessage, error) {
	used := make([]baselineOffer, len(offers))
	var prices []string
	for i, o := range offers {
		in := mb.Offers[i]
		bo := baselineOffer{OfferID: o.ID, SupplierID: o.SupplierID, PackPrice: o.PackPrice.String(), PackUnit: o.PackUnit,
			PackContent: o.PackContent.String(), ContentUnit: o.BaseUnit, Currency: strings.TrimSpace(o.Currency),
			Used: in.Used, Skipped: in.Skipped}
		if in.Skipped == "" {
			bo.UnitPrice, bo.Price = in.UnitPrice.AmountString(), in.Price.AmountString()
			if in.Rate != nil {
				bo.Rate = in.Rate.Rate.String()
			}
		}
		if in.Used {
			prices = append(prices, bo.Price)
		}
		used[i] = bo
	}
	inputs := map[string]any{"on": day.Format(time.DateOnly), "product_id": productID, "base_unit": baseUnit,
		"currency": string(mb.To), "offers": used}
	if mb.ToRate != nil {
		inputs["rate"] = mb.ToRate.Rate.String()
	}
	if ok {
		inputs["prices"] = prices
	} else {
		inputs["note"] = none
	}
	return json.Marshal(inputs)
}
