package domain

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// activate puts price list pl into effect inside tx, following its action:
//
//   - replace (CSV, JSON, UBL default): the list is the supplier's whole
//     catalogue; the supplier's other active lists are superseded (their
//     offers leave the offers view with them);
//   - add, update: the list's SKUs supersede the supplier's active offers
//     of the same SKUs, other offers stay; delete lines withdraw their SKU;
//     older lists left with no active offer become superseded;
//   - delete: the supplier's catalogue is withdrawn (the older lists are
//     superseded and the delete list's own rows withdrawn).
//
// The list's own offers need no change: rows are written active (or
// withdrawn, for delete lines) and are seen once their list is active.
//
// unpriced says whether the list may hold update lines without a price
// (false when its load counted none): only then are the statements that
// keep such lines' current prices run. They join the list with the
// supplier's offers, and even finding nothing that way took 17 s for a
// list of a million lines (the statistics of the rows just loaded are not
// there yet), a third of the import.
func (s *CatalogueService) activate(ctx context.Context, tx *gorm.DB, pl *PriceList, unpriced bool) error {
	list, supplier := pl.ID, pl.SupplierID
	type stmt struct {
		sql  string
		args []any
	}
	ref := pl.ContractRef
	supersedeOlder := stmt{`UPDATE price_lists SET status = 'superseded', superseded_at = now()
		WHERE supplier_id = ? AND status = 'active' AND id <> ? AND contract_ref = ?`, []any{supplier, list, ref}}
	// Update lines without a price (written with an empty currency)
	// keep the current offer's pack, price and tiers (with their maximum
	// quantities; the ordering rules are the update line's own); one with no
	// current offer has no price to keep and is not offered.
	keepPrices := []stmt{
		stmt{`INSERT INTO offer_rows (supplier_id, price_list_id, line_no, sku, gtin, name, description, category,
			pack_unit, pack_content, base_unit, pack_price, currency, min_qty, valid_from, valid_to, action, status, lowest,
			max_qty, not_orderable, min_order_qty, max_order_qty, order_multiple, unit_written)
		SELECT n.supplier_id, n.price_list_id, n.line_no, n.sku, n.gtin, n.name, n.description, n.category,
			t.pack_unit, t.pack_content, t.base_unit, t.pack_price, t.currency, t.min_qty, t.valid_from, t.valid_to, 'update', 'active', false,
			t.max_qty, n.not_orderable, n.min_order_qty, n.max_order_qty, n.order_multiple, t.unit_written
		FROM offer_rows n
		JOIN offers o ON o.supplier_id = n.supplier_id AND o.status = 'active' AND o.price_list_id <> n.price_list_id AND o.sku = n.sku
			AND ` + sameContract + `
		JOIN offer_rows t ON t.price_list_id = o.price_list_id AND t.sku = o.sku AND NOT t.lowest
		WHERE n.price_list_id = ? AND n.lowest AND n.action = 'update' AND n.currency = ''`, []any{ref, list}},
		stmt{`UPDATE offer_rows n SET pack_unit = o.pack_unit, pack_content = o.pack_content, base_unit = o.base_unit,
			pack_price = o.pack_price, currency = o.currency, min_qty = o.min_qty, max_qty = o.max_qty,
			unit_written = o.unit_written
		FROM offers o WHERE o.supplier_id = n.supplier_id AND o.status = 'active' AND o.price_list_id <> n.price_list_id AND o.sku = n.sku
		  AND ` + sameContract + `
		  AND n.price_list_id = ? AND n.lowest AND n.action = 'update' AND n.currency = ''`, []any{ref, list}},
		stmt{`UPDATE offer_rows SET status = 'withdrawn' WHERE price_list_id = ? AND lowest AND action = 'update' AND currency = ''`, []any{list}},
	}
	if !unpriced {
		keepPrices = nil
	}
	var stmts []stmt
	switch pl.Action {
	case "replace":
		stmts = append(stmts, keepPrices...)
		stmts = append(stmts, supersedeOlder)
	case "add", "update":
		stmts = append(stmts, keepPrices...)
		stmts = append(stmts,
			stmt{`UPDATE offers o SET status = CASE WHEN n.action = 'delete' THEN 'withdrawn' ELSE 'superseded' END
			FROM offer_rows n
			WHERE n.price_list_id = ? AND n.lowest AND o.supplier_id = ? AND o.status = 'active' AND o.price_list_id <> ?
			  AND ` + sameContract + ` AND (o.sku = n.sku OR ` + deleteByGTIN + `)`,
				[]any{list, supplier, list, ref, ref}},
			stmt{`UPDATE price_lists p SET status = 'superseded', superseded_at = now()
			WHERE p.supplier_id = ? AND p.status = 'active' AND p.id <> ? AND p.contract_ref = ?
			  AND NOT EXISTS (SELECT 1 FROM offer_rows o WHERE o.price_list_id = p.id AND o.lowest AND o.status = 'active')`,
				[]any{supplier, list, ref}})
	case "delete":
		stmts = append(stmts, supersedeOlder,
			stmt{`UPDATE offer_rows SET status = 'withdrawn' WHERE price_list_id = ? AND status = 'active'`, []any{list}})
	default:
		return fmt.Errorf("price list %d has unknown action %q", pl.ID, pl.Action)
	}
	stmts = append(stmts, stmt{`UPDATE price_lists SET status = 'active', activated_at = now() WHERE id = ?`, []any{list}})
	for _, st := range stmts {
		if err := tx.Exec(st.sql, st.args...).Error; err != nil {
			return fmt.Errorf("activate price list %d: %w", pl.ID, err)
		}
	}
	return recordAudit(ctx, tx, auditEntry{action: "price_list.activated", entity: "price_list", entityID: pl.ID,
		supplierID: pl.SupplierID, details: map[string]any{"action": pl.Action}})
}

// deleteByGTIN matches a delete line n to an active offer o of the same
// supplier by GTIN when no active offer has the line's seller's item id
// (a PEPPOL Delete may name the item by its standard identifier only).
const deleteByGTIN = `(n.action = 'delete' AND n.gtin IS NOT NULL AND o.gtin = n.gtin
	AND NOT EXISTS (SELECT 1 FROM offers s JOIN price_lists sp ON sp.id = s.price_list_id
		WHERE s.supplier_id = o.supplier_id AND s.status = 'active' AND s.sku = n.sku AND sp.contract_ref = ?))`

// sameContract limits offers o to those of lists issued under the contract
// reference given as its parameter: a catalogue changes only its own
// contract's items ("" being the supplier's default catalogue).
const sameContract = `EXISTS (SELECT 1 FROM price_lists op WHERE op.id = o.price_list_id AND op.contract_ref = ?)`

// unmatchedDeletes are warnings, one per delete line of list pl that names
// no active offer of its supplier (by seller's item id, else by GTIN):
// nothing is deleted for it, and the supplier should know; and one per
// update line without a price whose item has no current price to keep.
func unmatchedDeletes(tx *gorm.DB, pl *PriceList) ([]PriceListProblem, error) {
	var rows []struct {
		LineNo int64
		SKU    string `gorm:"column:sku"`
		GTIN   *string
		Action string
	}
	err := tx.Raw(`SELECT n.line_no, n.sku, n.gtin, n.action FROM offer_rows n
		WHERE n.price_list_id = ? AND n.lowest AND (n.action = 'delete' OR (n.action = 'update' AND n.currency = ''))
		  AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.supplier_id = n.supplier_id AND o.status = 'active'
		      AND o.price_list_id <> n.price_list_id AND `+sameContract+` AND (o.sku = n.sku OR `+deleteByGTIN+`))
		ORDER BY n.line_no`, pl.ID, pl.ContractRef, pl.ContractRef).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("delete lines: %w", err)
	}
	probs := make([]PriceListProblem, 0, len(rows))
	for _, r := range rows {
		if r.Action == "update" {
			probs = append(probs, PriceListProblem{Severity: "warning", Line: int(r.LineNo), Field: "pack_price", SKU: r.SKU,
				Message: fmt.Sprintf("line %d updates item %q without a price, and the supplier's catalogue has no price for it to keep; it is not offered", r.LineNo, r.SKU)})
			continue
		}
		what := fmt.Sprintf("seller's item id %q", r.SKU)
		if r.GTIN != nil {
			what += fmt.Sprintf(" or GTIN %s", *r.GTIN)
		}
		probs = append(probs, PriceListProblem{Severity: "warning", Line: int(r.LineNo), Field: "sku", SKU: r.SKU,
			Message: fmt.Sprintf("line %d deletes an item with %s, which is not in the supplier's catalogue; nothing was deleted for it", r.LineNo, what)})
	}
	return probs, nil
}

// OfferRowStatus is the status an offer row is written with: withdrawn for
// a delete line, else active (seen once its list is active).
func OfferRowStatus(lineAction string) string {
	if lineAction == "delete" {
		return "withdrawn"
	}
	return "active"
}

// CatalogueRefresh counts what RefreshCatalogue changed.
type CatalogueRefresh struct {
	Activated       int64 // scheduled lists put into effect
	OffersExpired   int64 // active offers past their validity
	StaleRejected   int64 // uploads whose import was interrupted
	OffersRematched int64 // offers moved to the product their product was merged into
}

// staleImportAfter is how long a list registered without a lease (before
// leases, migration 00023) may stay validating before it is taken for an
// interrupted import; a list with a lease is stale when it runs out.
const staleImportAfter = time.Hour

// RefreshCatalogue brings the catalogue up to date with the clock:
// scheduled lists that became effective are activated (earliest first),
// offers past valid_to expire, imports interrupted long ago are rejected,
// and offers follow merged products. Running it twice in a row
// changes nothing the second time.
func (s *CatalogueService) RefreshCatalogue(ctx context.Context) (CatalogueRefresh, error) {
	var r CatalogueRefresh
	today := s.today()
	var due []PriceList
	if err := s.db.WithContext(ctx).Where("status = 'scheduled' AND (valid_from IS NULL OR valid_from <= ?)", today).
		Order("valid_from, id").Find(&due).Error; err != nil {
		return r, err
	}
	for i := range due {
		pl := &due[i]
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			// Claim it: another replica may be here too.
			res := tx.Exec("UPDATE price_lists SET status = 'scheduled' WHERE id = ? AND status = 'scheduled'", pl.ID)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			// A scheduled list's load is over: whether it has update
			// lines without a price is asked of its rows.
			var unpriced bool
			if err := tx.Raw(`SELECT EXISTS (SELECT 1 FROM offer_rows WHERE price_list_id = ? AND lowest AND action = 'update' AND currency = '')`,
				pl.ID).Scan(&unpriced).Error; err != nil {
				return err
			}
			return s.activate(ctx, tx, pl, unpriced)
		})
		if err != nil {
			return r, err
		}
		r.Activated++
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE offers SET status = 'expired' WHERE status = 'active' AND valid_to < ?`, today)
		if res.Error != nil {
			return res.Error
		}
		r.OffersExpired = res.RowsAffected
		stale, err := rejectInterrupted(tx, "coalesce(lease_until, created_at + ?::interval) < now()",
			fmt.Sprintf("%d seconds", int(staleImportAfter.Seconds())))
		if err != nil {
			return err
		}
		r.StaleRejected = stale
		// Offers in force (or scheduled) follow merges that happened while
		// they were being written (through the index of active offers).
		// Every other offer has its product from the load: a known one, or
		// the candidate made for it.
		res = tx.Exec(`UPDATE offer_rows o SET product_id = m.merged_into FROM products m
			WHERE m.status = 'merged' AND o.product_id = m.id AND o.status = 'active' AND o.lowest`)
		if res.Error != nil {
			return res.Error
		}
		r.OffersRematched = res.RowsAffected
		return nil
	})
	return r, err
}

// RetireSupersededOffers marks the rows of superseded lists superseded,
// each list once (price_lists.offers_retired). They left the catalogue with
// their list already (the offers view); this keeps the indexes of active
// rows small. For catalog-refresh, after the feeds it imported.
func (s *CatalogueService) RetireSupersededOffers(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`WITH lists AS (
			UPDATE price_lists SET offers_retired = true WHERE status = 'superseded' AND NOT offers_retired RETURNING id)
		UPDATE offer_rows SET status = 'superseded'
		WHERE status = 'active' AND lowest AND price_list_id IN (SELECT id FROM lists)`)
	return res.RowsAffected, res.Error
}
