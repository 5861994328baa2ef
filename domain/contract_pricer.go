package domain

import (
	"cmp"
	"context"
	"time"
)

// ContractPrice is the ContractPricer that orders use: the active contract
// line of product on day on, with the awarded supplier's active offer of
// the awarded item (awardedOffer) so that the order line can name it. When
// several suppliers hold an active contract price for the product (awards
// refuse overlaps, so only lines from before that rule), the lowest price
// per base unit wins (ties: the older contract). It returns nil, nil when
// the product has no active contract.
func (s *ContractService) ContractPrice(ctx context.Context, productID int64, on time.Time) (*ContractPrice, error) {
	lines, err := s.ActiveContractLines(ctx, productID, on)
	if err != nil || len(lines) == 0 {
		return nil, err
	}
	best := lines[0]
	for _, l := range lines[1:] {
		if l.Currency == best.Currency && (l.UnitPrice.LessThan(best.UnitPrice) ||
			l.UnitPrice.Equal(best.UnitPrice) && l.ContractID < best.ContractID) {
			best = l
		}
	}
	offer, err := s.awardedOffer(ctx, best, on)
	if err != nil {
		return nil, err
	}
	validTo := best.ValidTo
	cp := &ContractPrice{
		ContractID: best.ContractID, ContractLineID: best.ID, SupplierID: best.SupplierID,
		SKU: best.SKU, GTIN: best.GTIN,
		PackUnit: best.PackUnit, PackContent: best.PackContent, BaseUnit: best.BaseUnit,
		PackPrice: best.PackPrice, UnitPrice: best.UnitPrice, Currency: best.Currency,
		BaselineUnitPrice: best.BaselineUnitPrice, BaselineMethod: best.BaselineMethod,
		RebateRate: best.RebateRate, ValidTo: &validTo, Tiers: best.Tiers,
		Committed: best.CommittedQuantity, Ordered: best.OrderedQuantity, Peak: best.PeakQuantity,
	}
	if offer != nil {
		cp.OfferID = offer.ID
		cp.SKU = cmp.Or(cp.SKU, offer.SKU)
		if offer.GTIN != nil {
			cp.GTIN = cmp.Or(cp.GTIN, *offer.GTIN)
		}
	}
	return cp, nil
}

// awardedOffer is the supplier's active offer, valid on day on, of the
// item contract line l awarded: the offer with the line's SKU (or, for a
// line awarded without one, an offer of the line's product) in the line's
// pack (same pack unit and content). Never an offer of another pack, even
// when a product merge has put several packs of the supplier under one
// product. nil when there is none.
func (s *ContractService) awardedOffer(ctx context.Context, l ContractLine, on time.Time) (*Offer, error) {
	q := s.db.WithContext(ctx).Table("offers").
		Where("supplier_id = ? AND status = 'active'", l.SupplierID).
		Scopes(validOn("offers", dayOf(on)))
	if l.SKU != "" {
		q = q.Where("sku = ?", l.SKU)
	} else {
		q = q.Where("product_id = ?", l.ProductID)
	}
	var offers []Offer
	if err := q.Order("id DESC").Limit(20).Find(&offers).Error; err != nil {
		return nil, err
	}
	for i := range offers {
		if l.samePack(offers[i]) {
			return &offers[i], nil
		}
	}
	return nil, nil
}

// samePack reports whether offer o sells the line's pack: the same pack
// unit holding the same content (compared in the line's base unit).
func (l ContractLine) samePack(o Offer) bool {
	if o.PackUnit != l.PackUnit {
		return false
	}
	c, err := o.Pack().ContentIn(l.BaseUnit)
	return err == nil && c.Equal(l.PackContent)
}
