package domain

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"andel/pricing"
)

// DiffItem is one SKU of a price list as a diff shows it: its offer (the
// lowest tier) and its price per base unit.
type DiffItem struct {
	SKU         string          `json:"sku"`
	Name        string          `json:"name"`
	ProductID   *int64          `json:"product_id"`
	PackUnit    string          `json:"pack_unit"`
	PackContent decimal.Decimal `json:"pack_content"`
	BaseUnit    string          `json:"base_unit"`
	PackPrice   decimal.Decimal `json:"pack_price"`
	Currency    string          `json:"currency"`
	UnitPrice   decimal.Decimal `json:"unit_price"` // per BaseUnit, 6 decimals (pricing.PackOffer.PerUnit)
}

// PriceChange is a SKU whose price per base unit moved between two lists.
// Both unit prices are in Old's base unit (a 1 l bottle replacing a
// 500 ml one compares per ml); ChangePercent is (new - old) / old x 100,
// 2 decimals (pricing.Percent). UnderContract flags an increase on a
// product with an active contract line of this supplier.
type PriceChange struct {
	Old           DiffItem        `json:"old"`
	New           DiffItem        `json:"new"`
	Unit          string          `json:"unit"`
	OldUnitPrice  decimal.Decimal `json:"old_unit_price"`
	NewUnitPrice  decimal.Decimal `json:"new_unit_price"`
	ChangePercent decimal.Decimal `json:"change_percent"`
	UnderContract bool            `json:"under_contract"`
}

// PackChange is a SKU sold in another pack than before (unit, content or
// base unit). Its price per base unit, when comparable, is in PriceUp or
// PriceDown too.
type PackChange struct {
	Old DiffItem `json:"old"`
	New DiffItem `json:"new"`
}

// DiffCounts are the sizes of a diff's parts; the lists themselves are
// capped at MaxDiffItems each.
type DiffCounts struct {
	Added            int `json:"added"`
	Removed          int `json:"removed"`
	PriceUp          int `json:"price_up"`
	PriceDown        int `json:"price_down"`
	PackChanged      int `json:"pack_changed"`
	Unchanged        int `json:"unchanged"`
	FlaggedIncreases int `json:"flagged_increases"`
}

// MaxDiffItems caps each list of a PriceListDiff; Counts stay exact.
const MaxDiffItems = 1000

// PriceListDiff compares a price list with the one it replaced (or, while
// scheduled or validating, would replace): the supplier's latest earlier
// list that took effect. SKUs are compared by their offer (lowest tier).
// For a list that updates or deletes items (a UBL Update catalogue), only
// the SKUs it names are compared, and removed lists its delete lines.
type PriceListDiff struct {
	PriceListID         int64         `json:"price_list_id"`
	PreviousPriceListID *int64        `json:"previous_price_list_id"`
	Added               []DiffItem    `json:"added"`
	Removed             []DiffItem    `json:"removed"`
	PriceUp             []PriceChange `json:"price_up"`
	PriceDown           []PriceChange `json:"price_down"`
	PackChanged         []PackChange  `json:"pack_changed"`
	Counts              DiffCounts    `json:"counts"`
}

// FlaggedIncreases returns the increases on products under contract.
func (d *PriceListDiff) FlaggedIncreases() []PriceChange {
	out := []PriceChange{}
	for _, c := range d.PriceUp {
		if c.UnderContract {
			out = append(out, c)
		}
	}
	return out
}

// diffRow is a SKU of the new list joined with the previous list's.
type diffRow struct {
	SKU, NewAction                                 string
	NewName, NewPackUnit, NewBaseUnit, NewCurrency *string
	NewPackContent, NewPackPrice                   decimal.NullDecimal
	NewProductID                                   *int64
	OldName, OldPackUnit, OldBaseUnit, OldCurrency *string
	OldPackContent, OldPackPrice                   decimal.NullDecimal
	OldProductID                                   *int64
	UnderContract                                  bool
	HasNew, HasOld                                 bool
}

// DiffPriceList compares list id with the list it replaces (see
// PriceListDiff). A supplier sees its own lists only (ENOTFOUND for
// another's).
func (s *CatalogueService) DiffPriceList(ctx context.Context, id int64) (*PriceListDiff, error) {
	return s.diffPriceList(ctx, id, false)
}

// FlaggedIncreases returns the price increases of list id on products
// under contract (the diff's flagged increases alone, without reading the
// rest of the list), for staff reading the list's report.
func (s *CatalogueService) FlaggedIncreases(ctx context.Context, id int64) ([]PriceChange, error) {
	d, err := s.diffPriceList(ctx, id, true)
	if err != nil {
		return nil, err
	}
	return d.FlaggedIncreases(), nil
}

func (s *CatalogueService) diffPriceList(ctx context.Context, id int64, contractOnly bool) (*PriceListDiff, error) {
	pl, err := s.GetPriceList(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &PriceListDiff{PriceListID: pl.ID, Added: []DiffItem{}, Removed: []DiffItem{}, PriceUp: []PriceChange{},
		PriceDown: []PriceChange{}, PackChanged: []PackChange{}}
	db := s.db.WithContext(ctx)
	var prev []int64
	if err := db.Raw(`SELECT id FROM price_lists WHERE supplier_id = ? AND id < ? AND activated_at IS NOT NULL
		ORDER BY activated_at DESC, id DESC LIMIT 1`, pl.SupplierID, pl.ID).Scan(&prev).Error; err != nil {
		return nil, err
	}
	prevID := int64(0)
	if len(prev) > 0 {
		prevID = prev[0]
		d.PreviousPriceListID = &prevID
	}
	partial := pl.Action == "update" || pl.Action == "delete"
	join := "FULL OUTER JOIN"
	if partial {
		join = "LEFT JOIN" // only the SKUs the list names
	}
	where := ""
	if contractOnly {
		join, where = "JOIN", `WHERE EXISTS (SELECT 1 FROM contract_lines c WHERE c.supplier_id = n.supplier_id
			AND c.status = 'active' AND c.product_id IN (n.product_id, o.product_id))`
	}
	rows, err := db.Raw(`WITH n AS (SELECT * FROM offer_rows WHERE price_list_id = ? AND lowest),
			o AS (SELECT * FROM offer_rows WHERE price_list_id = ? AND lowest AND action <> 'delete')
		SELECT COALESCE(n.sku, o.sku) AS sku, COALESCE(n.action, '') AS new_action,
			n.name AS new_name, n.pack_unit AS new_pack_unit, n.base_unit AS new_base_unit, n.currency AS new_currency,
			n.pack_content AS new_pack_content, n.pack_price AS new_pack_price, n.product_id AS new_product_id,
			o.name AS old_name, o.pack_unit AS old_pack_unit, o.base_unit AS old_base_unit, o.currency AS old_currency,
			o.pack_content AS old_pack_content, o.pack_price AS old_pack_price, o.product_id AS old_product_id,
			EXISTS (SELECT 1 FROM contract_lines c WHERE c.supplier_id = ? AND c.status = 'active'
				AND c.product_id IN (n.product_id, o.product_id)) AS under_contract,
			n.sku IS NOT NULL AS has_new, o.sku IS NOT NULL AS has_old
		FROM n `+join+` o ON o.sku = n.sku `+where+`
		ORDER BY 1`, pl.ID, prevID, pl.SupplierID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r diffRow
		if err := db.ScanRows(rows, &r); err != nil {
			return nil, err
		}
		if err := d.add(&r, partial); err != nil {
			return nil, err
		}
	}
	return d, rows.Err()
}

func (d *PriceListDiff) add(r *diffRow, partial bool) error {
	newItem, oldItem := DiffItem{SKU: r.SKU}, DiffItem{SKU: r.SKU}
	if r.HasNew {
		if err := newItem.fill(r.NewName, r.NewPackUnit, r.NewBaseUnit, r.NewCurrency, r.NewPackContent, r.NewPackPrice, r.NewProductID); err != nil {
			return err
		}
	}
	if r.HasOld {
		if err := oldItem.fill(r.OldName, r.OldPackUnit, r.OldBaseUnit, r.OldCurrency, r.OldPackContent, r.OldPackPrice, r.OldProductID); err != nil {
			return err
		}
	}
	switch {
	case r.HasNew && r.NewAction == "delete":
		if r.HasOld {
			d.Counts.Removed++
			appendCapped(&d.Removed, oldItem)
		}
		return nil
	case r.HasNew && !r.HasOld:
		d.Counts.Added++
		appendCapped(&d.Added, newItem)
		return nil
	case !r.HasNew:
		if !partial {
			d.Counts.Removed++
			appendCapped(&d.Removed, oldItem)
		}
		return nil
	}
	changed := false
	if newItem.PackUnit != oldItem.PackUnit || newItem.BaseUnit != oldItem.BaseUnit || !newItem.PackContent.Equal(oldItem.PackContent) {
		changed = true
		d.Counts.PackChanged++
		appendCapped(&d.PackChanged, PackChange{Old: oldItem, New: newItem})
	}
	c, cmp, ok := priceChange(oldItem, newItem)
	switch {
	case ok && cmp > 0:
		changed = true
		c.UnderContract = r.UnderContract
		d.Counts.PriceUp++
		if c.UnderContract {
			d.Counts.FlaggedIncreases++
		}
		appendCapped(&d.PriceUp, c)
	case ok && cmp < 0:
		changed = true
		d.Counts.PriceDown++
		appendCapped(&d.PriceDown, c)
	}
	if !changed {
		d.Counts.Unchanged++
	}
	return nil
}

// priceChange compares two offers of a SKU per base unit of the old one,
// through pricing: cmp is +1 when the new one is dearer, decided exactly
// (pricing.ComparePerUnit, no rounding); the unit prices shown are
// pricing's 6-decimal ones. ok is false when they cannot be compared
// (another currency, or contents of different dimensions: a pack change).
func priceChange(o, n DiffItem) (c PriceChange, cmp int, ok bool) {
	if o.Currency != n.Currency {
		return PriceChange{}, 0, false
	}
	oldOffer, err1 := diffOffer(o)
	newOffer, err2 := diffOffer(n)
	if err1 != nil || err2 != nil {
		return PriceChange{}, 0, false
	}
	op, err1 := oldOffer.PerUnit(o.BaseUnit)
	np, err2 := newOffer.PerUnit(o.BaseUnit)
	cmp, err3 := pricing.ComparePerUnit(newOffer, oldOffer)
	if err1 != nil || err2 != nil || err3 != nil {
		return PriceChange{}, 0, false
	}
	return PriceChange{Old: o, New: n, Unit: o.BaseUnit, OldUnitPrice: op.Amount(), NewUnitPrice: np.Amount(),
		ChangePercent: pricing.Percent(np.Amount().Sub(op.Amount()), op.Amount())}, cmp, true
}

func diffOffer(i DiffItem) (pricing.PackOffer, error) {
	p, err := pricing.NewPrice(i.PackPrice, pricing.Currency(i.Currency))
	if err != nil {
		return pricing.PackOffer{}, err
	}
	return pricing.PackOffer{Price: p, Pack: pricing.Pack{Unit: i.PackUnit, Content: pricing.Quantity{Value: i.PackContent, Unit: i.BaseUnit}}}, nil
}

func (i *DiffItem) fill(name, packUnit, baseUnit, currency *string, content, price decimal.NullDecimal, productID *int64) error {
	if name == nil || packUnit == nil || baseUnit == nil || currency == nil || !content.Valid || !price.Valid {
		return fmt.Errorf("diff: offer %s has empty columns", i.SKU)
	}
	i.Name, i.PackUnit, i.BaseUnit, i.Currency = *name, *packUnit, *baseUnit, *currency
	i.PackContent, i.PackPrice, i.ProductID = content.Decimal, price.Decimal, productID
	i.UnitPrice = decimal.Zero
	if o, err := diffOffer(*i); err == nil {
		if p, err := o.PerUnit(i.BaseUnit); err == nil {
			i.UnitPrice = p.Amount()
		}
	}
	return nil
}

func appendCapped[T any](s *[]T, v T) {
	if len(*s) < MaxDiffItems {
		*s = append(*s, v)
	}
}
