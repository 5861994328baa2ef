package domain

import (
	"context"
	"time"
)

// ContractPrice is the ContractPricer that orders use: the active contract
// line of product on day on, with the awarded supplier's active offer of
// that product (when it has one) so that the order line can name it. When
// several suppliers hold an active contract price for the product, the
// lowest price per base unit wins (ties: the older contract). It returns
// nil, nil when the product has no active contract.
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
	var offerID int64
	err = s.db.WithContext(ctx).Table("offers").Select("id").
		Where("supplier_id = ? AND product_id = ? AND status = 'active'", best.SupplierID, productID).
		Scopes(validOn("offers", dayOf(on))).
		Order("id DESC").Limit(1).Scan(&offerID).Error
	if err != nil {
		return nil, err
	}
	validTo := best.ValidTo
	return &ContractPrice{
		ContractID: best.ContractID, ContractLineID: best.ID, SupplierID: best.SupplierID, OfferID: offerID,
		PackUnit: best.PackUnit, PackContent: best.PackContent, BaseUnit: best.BaseUnit,
		PackPrice: best.PackPrice, UnitPrice: best.UnitPrice, Currency: best.Currency,
		BaselineUnitPrice: best.BaselineUnitPrice, BaselineMethod: best.BaselineMethod,
		RebateRate: best.RebateRate, ValidTo: &validTo, Tiers: best.Tiers,
	}, nil
}
