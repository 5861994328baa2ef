package domain

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// PriceList is a supplier's uploaded list, as a whole.
type PriceList struct {
	ID          int64
	SupplierID  int64
	Format      string // csv, json, ubl
	ContentType string
	BodySHA256  []byte `gorm:"column:body_sha256"`
	BodyBytes   int64
	Source      string // upload, feed, import
	Action      string // add, replace, update, delete
	// ContractRef is the contract the list was issued under (UBL
	// ReferencedContract); "" is the supplier's default catalogue. A list
	// replaces, updates or deletes only what was issued under the same one.
	ContractRef  string
	Currency     *string
	ValidFrom    *time.Time `gorm:"type:date"`
	ValidTo      *time.Time `gorm:"type:date"`
	Status       PriceListStatus
	RowsRead     int64
	RowsValid    int64
	ErrorCount   int64
	WarningCount int64
	Problems     json.RawMessage `gorm:"type:jsonb"` // []PriceListProblem
	CreatedBy    string
	CreatedAt    time.Time
	ValidatedAt  *time.Time
	ActivatedAt  *time.Time
	SupersededAt *time.Time
}

// PriceListProblem is one problem found in a price list, where people can
// find it: a line (and column) of the body, or an XML path.
type PriceListProblem struct {
	Severity string `json:"severity"` // error or warning
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Path     string `json:"path,omitempty"`
	Field    string `json:"field,omitempty"`
	SKU      string `json:"sku,omitempty"`
	Rule     string `json:"rule,omitempty"`
	Message  string `json:"message"`
}

// MaxStoredProblems caps the problems kept with a price list; the counts
// stay exact.
const MaxStoredProblems = 1000

// Upload describes a received price-list body before it is read.
type Upload struct {
	SupplierID  int64
	Format      string
	ContentType string
	SHA256      []byte
	Bytes       int64
	Source      string // upload, feed, import
}

var priceListsOwnership = ownership{supplierColumn: "price_lists.supplier_id"}

// RegisterPriceList records an upload as a price list in status
// validating. The same body from the same supplier is the same list while
// that list is validating, scheduled or active: it is returned with created
// false. A body whose list was rejected is read again (the cause may have
// gone, e.g. an exchange rate set); one whose list was superseded is a roll
// back: a new version, which replaces the list in force. A supplier registers only its
// own lists; admins any supplier's. Errors: ENOTFOUND (no such supplier, or
// not the caller's), EFORBIDDEN.
func (s *CatalogueService) RegisterPriceList(ctx context.Context, u Upload) (*PriceList, bool, error) {
	a, err := require(ctx, RoleAdmin, RoleSupplier)
	if err != nil {
		return nil, false, err
	}
	if a.Role == RoleSupplier && a.SupplierID != u.SupplierID {
		return nil, false, NotFound("supplier")
	}
	var found int64
	if err := s.db.WithContext(ctx).Table("suppliers").Where("id = ?", u.SupplierID).Count(&found).Error; err != nil {
		return nil, false, err
	}
	if found == 0 {
		return nil, false, NotFound("supplier")
	}
	pl := &PriceList{SupplierID: u.SupplierID, Format: u.Format, ContentType: u.ContentType, BodySHA256: u.SHA256,
		BodyBytes: u.Bytes, Source: u.Source, Action: "replace", Status: PriceListValidating,
		Problems: json.RawMessage(`[]`), CreatedBy: a.Label}
	created := false
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The same body still validating under a lease that ran out: its
		// load died with its process. It is rejected as interrupted, so
		// that this upload runs afresh at once.
		if _, err := rejectInterrupted(tx, "supplier_id = ? AND body_sha256 = ? AND lease_until < now()", u.SupplierID, u.SHA256); err != nil {
			return err
		}
		res := tx.Exec(`INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, source, created_by, lease_until)
			VALUES (?, ?, ?, ?, ?, ?, ?, now() + ?::interval) ON CONFLICT (supplier_id, body_sha256) WHERE status NOT IN ('rejected', 'superseded') DO NOTHING`,
			pl.SupplierID, pl.Format, pl.ContentType, pl.BodySHA256, pl.BodyBytes, pl.Source, pl.CreatedBy, loadLease)
		if res.Error != nil {
			return res.Error
		}
		created = res.RowsAffected == 1
		if err := tx.Where("supplier_id = ? AND body_sha256 = ? AND status NOT IN ('rejected', 'superseded')", u.SupplierID, u.SHA256).Take(pl).Error; err != nil {
			return err
		}
		if !created {
			return nil
		}
		return recordAudit(ctx, tx, auditEntry{action: "price_list.uploaded", entity: "price_list", entityID: pl.ID,
			supplierID: pl.SupplierID, details: map[string]any{"format": pl.Format, "bytes": pl.BodyBytes, "source": pl.Source}})
	})
	if err != nil {
		return nil, false, err
	}
	return pl, created, nil
}

// loadLease is how long a validating list is held by its load without a
// sign of life (the progress reporter renews it every second).
const loadLease = "20 seconds"

// rejectInterrupted rejects the validating lists that where selects (with
// args) as interrupted: their load's process ended.
func rejectInterrupted(tx *gorm.DB, where string, args ...any) (int64, error) {
	res := tx.Exec(`UPDATE price_lists SET status = 'rejected', error_count = error_count + 1,
			problems = problems || '[{"severity":"error","message":"the import was interrupted; upload the list again"}]'::jsonb
		WHERE id IN (SELECT id FROM price_lists WHERE status = 'validating' AND `+where+` FOR UPDATE SKIP LOCKED)`, args...)
	return res.RowsAffected, res.Error
}

// GetPriceList returns a price list the caller may see. Errors: ENOTFOUND.
func (s *CatalogueService) GetPriceList(ctx context.Context, id int64) (*PriceList, error) {
	var pl PriceList
	err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, priceListsOwnership)).Where("price_lists.id = ?", id).Take(&pl).Error
	if err != nil {
		return nil, notFoundOr(err, "price list")
	}
	if pl.Status == PriceListValidating {
		// The first request that finds its load dead (lease over) ends it,
		// so that a client polling the list sees it fail, and may send
		// the body again, within the lease of a crash.
		n, err := rejectInterrupted(s.db.WithContext(ctx), "id = ? AND lease_until < now()", id)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			return s.GetPriceList(ctx, id)
		}
	}
	return &pl, nil
}

// PriceListFilter narrows a list of price lists.
type PriceListFilter struct {
	SupplierID int64
	Status     PriceListStatus
	Page       Page
}

// ListPriceLists returns the price lists the caller may see (a supplier its
// own, staff all), newest first.
func (s *CatalogueService) ListPriceLists(ctx context.Context, f PriceListFilter) ([]PriceList, int64, error) {
	q := s.db.WithContext(ctx).Scopes(visibleTo(ctx, priceListsOwnership)).
		Omit("problems") // lists can carry a thousand problems each; GET one for them
	if f.SupplierID != 0 {
		q = q.Where("supplier_id = ?", f.SupplierID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var rows []PriceList
	if err := q.Scopes(f.Page.keyset("price_lists", true)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, f.Page, func(p PriceList) int64 { return p.ID })
	return rows, next, nil
}
