package domain

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// activate puts price list pl into effect inside tx, following its action:
//
//   - replace (CSV, JSON, UBL default): the list is the supplier's whole
//     catalogue; every other active offer of the supplier is superseded;
//   - add, update: the list's SKUs supersede the supplier's active offers
//     of the same SKUs, other offers stay; delete lines withdraw their SKU;
//   - delete: the supplier's catalogue is withdrawn.
//
// Older lists left with no active offer become superseded. When the list's
// own offers exist already (pending: a scheduled list), they are switched
// on here; a list being loaded calls activate before it inserts its offers
// and gives them their status as it inserts them (offerStatusSQL), so that
// no offer is written twice.
func (s *CatalogueService) activate(ctx context.Context, tx pgx.Tx, pl *PriceList, offersPending bool) error {
	list, supplier := pl.ID, pl.SupplierID
	type stmt struct {
		sql  string
		args []any
	}
	var stmts []stmt
	switch pl.Action {
	case "replace":
		stmts = append(stmts, stmt{`UPDATE offers SET status = 'superseded'
			WHERE supplier_id = $2 AND status = 'active' AND price_list_id <> $1`, []any{list, supplier}})
	case "add", "update":
		stmts = append(stmts, stmt{`UPDATE offers o SET status = CASE WHEN n.action = 'delete' THEN 'withdrawn' ELSE 'superseded' END
			FROM (SELECT DISTINCT ON (sku) sku, action FROM price_list_lines WHERE price_list_id = $1 ORDER BY sku, min_qty) n
			WHERE o.supplier_id = $2 AND o.status = 'active' AND o.sku = n.sku AND o.price_list_id <> $1`, []any{list, supplier}})
	case "delete":
		stmts = append(stmts, stmt{`UPDATE offers SET status = 'withdrawn'
			WHERE supplier_id = $2 AND status = 'active' AND price_list_id <> $1`, []any{list, supplier}})
	default:
		return fmt.Errorf("price list %d has unknown action %q", pl.ID, pl.Action)
	}
	if offersPending {
		stmts = append(stmts, stmt{`UPDATE offers SET status = ` + offerStatusSQL(pl.Action, "action") + ` WHERE price_list_id = $1`, []any{list}})
	}
	stmts = append(stmts,
		stmt{`UPDATE price_lists p SET status = 'superseded', superseded_at = now()
		 WHERE p.supplier_id = $2 AND p.status = 'active' AND p.id <> $1
		   AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.price_list_id = p.id AND o.status = 'active')`, []any{list, supplier}},
		stmt{`UPDATE price_lists SET status = 'active', activated_at = now() WHERE id = $1`, []any{list}})
	for _, st := range stmts {
		if _, err := tx.Exec(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("activate price list %d: %w", pl.ID, err)
		}
	}
	return recordAuditPgx(ctx, tx, auditEntry{action: "price_list.activated", entity: "price_list", entityID: pl.ID,
		supplierID: pl.SupplierID, details: map[string]any{"action": pl.Action}})
}

// offerStatusSQL is the status an offer of a list with catalogue action
// listAction takes when the list is in force; lineAction is the SQL
// expression of the offer's own action.
func offerStatusSQL(listAction, lineAction string) string {
	if listAction == "delete" {
		return "'withdrawn'"
	}
	return "CASE WHEN " + lineAction + " = 'delete' THEN 'withdrawn' ELSE 'active' END"
}

// CatalogueRefresh counts what RefreshCatalogue changed.
type CatalogueRefresh struct {
	Activated       int64 // scheduled lists put into effect
	OffersExpired   int64 // active offers past their validity
	StaleRejected   int64 // uploads whose import was interrupted
	OffersRematched int64 // offers moved to the product their product was merged into, or newly matched by GTIN
}

// staleImportAfter is how long a list may stay validating before it is
// taken for an interrupted import (a replica that died mid-upload).
const staleImportAfter = time.Hour

// RefreshCatalogue brings the catalogue up to date with the clock:
// scheduled lists that became effective are activated (earliest first),
// offers past valid_to expire, imports interrupted long ago are rejected,
// and offers are re-matched to products by GTIN. Running it twice in a row
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
		err := inPgxTx(ctx, s.db, func(tx pgx.Tx) error {
			// Claim it: another replica may be here too.
			tag, err := tx.Exec(ctx, "UPDATE price_lists SET status = 'scheduled' WHERE id = $1 AND status = 'scheduled'", pl.ID)
			if err != nil || tag.RowsAffected() == 0 {
				return err
			}
			return s.activate(ctx, tx, pl, true)
		})
		if err != nil {
			return r, err
		}
		r.Activated++
	}
	err := inPgxTx(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE offers SET status = 'expired' WHERE status = 'active' AND valid_to < $1`, today)
		if err != nil {
			return err
		}
		r.OffersExpired = tag.RowsAffected()
		tag, err = tx.Exec(ctx, `UPDATE price_lists SET status = 'rejected', error_count = error_count + 1,
				problems = problems || '[{"severity":"error","message":"the import was interrupted; upload the list again"}]'::jsonb
			WHERE id IN (SELECT id FROM price_lists WHERE status = 'validating' AND created_at < $1 FOR UPDATE SKIP LOCKED)`,
			time.Now().UTC().Add(-staleImportAfter))
		if err != nil {
			return err
		}
		r.StaleRejected = tag.RowsAffected()
		// Offers follow merges, and find products whose GTIN became known.
		tag, err = tx.Exec(ctx, `UPDATE offers o SET product_id = COALESCE(m.merged_into, g.id)
			FROM offers x
			LEFT JOIN products m ON m.id = x.product_id AND m.status = 'merged'
			LEFT JOIN products g ON x.product_id IS NULL AND g.gtin = x.gtin AND g.status <> 'merged'
			WHERE o.id = x.id AND o.status IN ('active', 'pending') AND (m.id IS NOT NULL OR g.id IS NOT NULL)`)
		if err != nil {
			return err
		}
		r.OffersRematched = tag.RowsAffected()
		return nil
	})
	return r, err
}
