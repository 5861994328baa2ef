package domain

import (
	"context"
	"slices"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
)

// Offer is one SKU of a supplier's price list, matched to a product.
type Offer struct {
	ID          int64
	SupplierID  int64
	PriceListID int64
	LineNo      int64
	SKU         string  `gorm:"column:sku"`
	GTIN        *string `gorm:"column:gtin"`
	Name        string
	Description string
	Category    string
	ProductID   *int64
	PackUnit    string
	PackContent decimal.Decimal
	BaseUnit    string
	// UnitWritten is PackUnit as the supplier wrote it ("æsk" for XBX);
	// nil when the list wrote the code.
	UnitWritten *string         `gorm:"column:unit_written"`
	PackPrice   decimal.Decimal // at the lowest tier
	Currency    string
	MinQty      int64
	ValidFrom   *time.Time `gorm:"type:date"`
	ValidTo     *time.Time `gorm:"type:date"`
	Action      string
	Status      string
	// MaxQty bounds the lowest tier's price (packs; 0: none).
	MaxQty int64 `gorm:"column:max_qty"`
	// The supplier's ordering rules for the item: NotOrderable lists it
	// for information only; MinOrderQty, MaxOrderQty, OrderMultiple bound
	// an order's packs (0: no rule). See order_rules.go.
	NotOrderable  bool
	MinOrderQty   int64
	MaxOrderQty   int64
	OrderMultiple int64
}

// OfferTier is one step of an offer's price ladder: PackPrice from MinQty
// packs, up to MaxQty packs when MaxQty > 0.
type OfferTier struct {
	MinQty    int64
	MaxQty    int64
	PackPrice decimal.Decimal
}

// PricedOffer is an offer as members compare it: its tiers and its price
// per base unit of the product, in its own currency and in the
// cooperative's, all computed by package pricing.
type PricedOffer struct {
	Offer
	SupplierName string
	Tiers        []PricedTier
	// UnitPrice is the lowest tier's price per product base unit in the
	// offer's currency; CoopUnitPrice the same in the cooperative's
	// currency (through the exchange rate). Empty when the offer cannot be
	// compared (Problem says why).
	UnitPrice     *pricing.Price
	CoopUnitPrice *pricing.Price
	ProductUnit   string
	Problem       string
	// Contract is set when the offer's price is a contract price of the
	// cooperative (marked by the contract catalogue, see ContractMarker).
	Contract *ContractMark
}

// PricedTier is a tier with its price per base unit.
type PricedTier struct {
	MinQty    int64
	MaxQty    int64 // 0: no maximum
	PackPrice pricing.Price
	UnitPrice pricing.Price
}

// ContractMark says that an offer is the item a cooperative contract
// awarded for the product: the contract line's supplier, SKU and pack.
type ContractMark struct {
	ContractID int64
	// ContractLineID, SupplierID, SKU and Line (its pack) say which offer
	// the mark belongs to (Marks).
	ContractLineID int64
	SupplierID     int64
	SKU            string
	Line           ContractLine
	UnitPrice      pricing.Price // per product base unit
	PackPrice      pricing.Price
	ValidTo        *time.Time
}

// Marks reports whether offer o is the awarded item: the contract line's
// supplier, its SKU when the line names one, and its pack (the same pack
// unit holding the same content). Another pack of the same supplier is not
// the contract price.
func (m ContractMark) Marks(o Offer) bool {
	if o.SupplierID != m.SupplierID || (m.SKU != "" && o.SKU != m.SKU) {
		return false
	}
	return m.Line.samePack(o)
}

// ContractMarker finds the contract prices of a product on a day. Tender
// contracts provide it; nil means no contracts yet.
type ContractMarker func(ctx context.Context, productID int64, on time.Time) ([]ContractMark, error)

// ProductOffers returns the currently valid offers of every supplier for
// product id, each priced per base unit by pricing and sorted cheapest
// first in the cooperative's currency (offers that cannot be compared
// last). Every authenticated caller may read the catalogue. Errors:
// ENOTFOUND.
func (s *CatalogueService) ProductOffers(ctx context.Context, id int64) ([]PricedOffer, error) {
	p, err := s.GetProduct(ctx, id)
	if err != nil {
		return nil, err
	}
	today := s.today()
	var rows []supplierOffer
	err = s.db.WithContext(ctx).Table("offers").
		Select("offers.*, suppliers.name AS supplier_name").
		Joins("JOIN suppliers ON suppliers.id = offers.supplier_id").
		Where("offers.product_id = ? AND offers.status = 'active'", id).
		Scopes(validOn("offers", today)).
		Order("offers.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	rates, err := s.RateTable(ctx)
	if err != nil {
		return nil, err
	}
	tiers, err := s.offerTiers(ctx, rows)
	if err != nil {
		return nil, err
	}
	var contracts []ContractMark
	if s.contracts != nil {
		if contracts, err = s.contracts(ctx, id, today); err != nil {
			return nil, err
		}
	}
	out := make([]PricedOffer, len(rows))
	for i, r := range rows {
		po := PricedOffer{Offer: r.Offer, SupplierName: r.SupplierName, ProductUnit: p.BaseUnit}
		for _, m := range contracts {
			if m.Marks(r.Offer) {
				po.Contract = &m
				break
			}
		}
		priceOffer(&po, tiers[tierKey{r.PriceListID, r.SKU}], rates)
		out[i] = po
	}
	slices.SortStableFunc(out, func(a, b PricedOffer) int {
		switch {
		case a.CoopUnitPrice == nil && b.CoopUnitPrice == nil:
			return 0
		case a.CoopUnitPrice == nil:
			return 1
		case b.CoopUnitPrice == nil:
			return -1
		}
		c, _ := a.CoopUnitPrice.Cmp(*b.CoopUnitPrice)
		return c
	})
	return out, nil
}

// priceOffer fills the per-base-unit prices of po from its tiers.
func priceOffer(po *PricedOffer, tiers []OfferTier, rates pricing.RateTable) {
	cur := currencyOf(po.Currency)
	ladder, err := offerLadder(cur, tiers)
	if err != nil {
		po.Problem = err.Error()
		return
	}
	for i, t := range ladder {
		unit, err := perBaseUnit(t.Price, po.Pack(), po.ProductUnit)
		if err != nil {
			po.Problem = err.Error()
			return
		}
		po.Tiers = append(po.Tiers, PricedTier{MinQty: tiers[i].MinQty, MaxQty: tiers[i].MaxQty, PackPrice: t.Price, UnitPrice: unit})
	}
	if len(po.Tiers) == 0 {
		po.Problem = "the offer has no prices"
		return
	}
	base := po.Tiers[0].UnitPrice
	po.UnitPrice = &base
	rate, err := rates.Lookup(cur)
	if err != nil {
		po.Problem = "no exchange rate for " + string(cur)
		return
	}
	coop, err := rate.ConvertPrice(base)
	if err != nil {
		po.Problem = err.Error()
		return
	}
	po.CoopUnitPrice = &coop
}

type tierKey struct {
	priceListID int64
	sku         string
}

// supplierOffer is an offer as ProductOffers reads it, with its supplier's name.
type supplierOffer struct {
	Offer
	SupplierName string
}

// offerTiers loads the tiers of offers: each offer's own (its lowest),
// then the rows of its price list and SKU above it.
func (s *CatalogueService) offerTiers(ctx context.Context, offers []supplierOffer) (map[tierKey][]OfferTier, error) {
	out := map[tierKey][]OfferTier{}
	if len(offers) == 0 {
		return out, nil
	}
	pairs := make([][]any, len(offers))
	for i, o := range offers {
		pairs[i] = []any{o.PriceListID, o.SKU}
		if o.Action != "delete" {
			out[tierKey{o.PriceListID, o.SKU}] = []OfferTier{{MinQty: o.MinQty, MaxQty: o.MaxQty, PackPrice: o.PackPrice}}
		}
	}
	var rows []struct {
		PriceListID int64
		SKU         string `gorm:"column:sku"`
		MinQty      int64
		MaxQty      int64
		PackPrice   decimal.Decimal
	}
	err := s.db.WithContext(ctx).Table("offer_rows").
		Select("price_list_id, sku, min_qty, coalesce(max_qty, 0) AS max_qty, pack_price").
		Where("(price_list_id, sku) IN ? AND NOT lowest", pairs).Where("action <> 'delete'").
		Order("price_list_id, sku, min_qty").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		k := tierKey{r.PriceListID, r.SKU}
		if t := out[k]; len(t) > 0 && r.MinQty > t[len(t)-1].MinQty {
			out[k] = append(t, OfferTier{MinQty: r.MinQty, MaxQty: r.MaxQty, PackPrice: r.PackPrice})
		}
	}
	return out, nil
}
