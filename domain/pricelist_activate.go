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
func (s *CatalogueService) activate(ctx context.Context, tx *gorm.DB, pl *PriceList) error {
	list, supplier := pl.ID, pl.SupplierID
	type stmt struct {
		sql  string
		args []any
	}
	supersedeOlder := stmt{`UPDATE price_lists SET status = 'superseded', superseded_at = now()
		WHERE supplier_id = ? AND status = 'active' AND id <> ?`, []any{supplier, list}}
	var stmts []stmt
	switch pl.Action {
	case "replace":
		stmts = append(stmts, supersedeOlder)
	case "add", "update":
		stmts = append(stmts,
			stmt{`UPDATE offers o SET status = CASE WHEN n.action = 'delete' THEN 'withdrawn' ELSE 'superseded' END
			FROM offer_rows n
			WHERE n.price_list_id = ? AND n.lowest AND o.supplier_id = ? AND o.status = 'active' AND o.sku = n.sku AND o.price_list_id <> ?`,
				[]any{list, supplier, list}},
			stmt{`UPDATE price_lists p SET status = 'superseded', superseded_at = now()
			WHERE p.supplier_id = ? AND p.status = 'active' AND p.id <> ?
			  AND NOT EXISTS (SELECT 1 FROM offer_rows o WHERE o.price_list_id = p.id AND o.lowest AND o.status = 'active')`,
				[]any{supplier, list}})
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

// staleImportAfter is how long a list may stay validating before it is
// taken for an interrupted import (a replica that died mid-upload).
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
			return s.activate(ctx, tx, pl)
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
		res = tx.Exec(`UPDATE price_lists SET status = 'rejected', error_count = error_count + 1,
				problems = problems || '[{"severity":"error","message":"the import was interrupted; upload the list again"}]'::jsonb
			WHERE id IN (SELECT id FROM price_lists WHERE status = 'validating' AND created_at < ? FOR UPDATE SKIP LOCKED)`,
			time.Now().UTC().Add(-staleImportAfter))
		if res.Error != nil {
			return res.Error
		}
		r.StaleRejected = res.RowsAffected
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
