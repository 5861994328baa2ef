package domain

import (
	"context"

	"andel/pricing"
)

// ProductBaseline is the baseline per base unit a product's order lines
// are measured against today, in the cooperative's currency: its
// contract's baseline when it has an active contract, else the median of
// the suppliers' lowest list prices (pricing.RateTable.MedianListBaseline,
// the rule an off-contract order line uses). nil when there is none (no
// contract and no comparable offer). Every caller may read the catalogue.
// Errors: ENOTFOUND.
func (s *CatalogueService) ProductBaseline(ctx context.Context, productID int64, contract *ContractPrice) (*pricing.Baseline, error) {
	prod, err := s.GetProduct(ctx, productID)
	if err != nil {
		return nil, err
	}
	rates, err := s.RateTable(ctx)
	if err != nil {
		return nil, err
	}
	cur := currencyOf(s.currency)
	if contract != nil {
		cb, err := pricing.NewPrice(contract.BaselineUnitPrice, currencyOf(contract.Currency))
		if err != nil {
			return nil, err
		}
		if converted, cerr := rates.ConvertPrice(cb, cur); cerr == nil {
			return &pricing.Baseline{Method: pricing.BaselineMethod(contract.BaselineMethod), Price: converted}, nil
		}
		return nil, nil // a contract in a currency without a rate: no baseline to show
	}
	_, cands, err := baselineCandidates(ctx, s.db, prod.ID, s.today())
	if err != nil {
		return nil, err
	}
	mb, ok, err := rates.MedianListBaseline(cands, prod.BaseUnit, cur)
	if err != nil || !ok {
		return nil, err
	}
	return &mb.Baseline, nil
}
