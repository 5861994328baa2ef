package domain

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Product is the cooperative's canonical item, which suppliers' offers are
// matched to (by GTIN, else by the SKU it was first seen under).
type Product struct {
	ID               int64
	Name             string
	GTIN             *string `gorm:"column:gtin"`
	Category         string
	BaseUnit         string
	Status           string // active, candidate (seen in a price list, not yet confirmed), merged
	MergedInto       *int64
	OriginSupplierID *int64
	OriginSKU        *string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// ProductFilter narrows a product search.
type ProductFilter struct {
	Query    string // words of the name, a GTIN or a supplier SKU
	GTIN     string
	Category string
	Status   string // default: active and candidate
	Page     Page
}

// CatalogueService owns products, price lists, offers and exchange rates.
type CatalogueService struct {
	db *gorm.DB
	// currency is the cooperative's own (Options.Currency); offers in other
	// currencies are compared through exchange_rates.
	currency string
	// now is the server's clock (Options.Clock).
	now func() time.Time
	// contracts marks contract prices in ProductOffers.
	contracts ContractMarker
	// loads admits maxConcurrentLoads price-list loads at a time.
	loads chan struct{}
}

// Currency is the cooperative's own currency (Options.Currency).
func (s *CatalogueService) Currency() string { return s.currency }

func (s *CatalogueService) today() time.Time {
	return s.now().UTC().Truncate(24 * time.Hour)
}

// SearchProducts finds products by name words, GTIN or SKU, best matches
// first when a query is given (full-text rank, then trigram similarity),
// else by id. Products are the shared catalogue: every caller may search.
func (s *CatalogueService) SearchProducts(ctx context.Context, f ProductFilter) ([]Product, int64, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard, RoleMember, RoleSupplier); err != nil {
		return nil, 0, err
	}
	q := s.db.WithContext(ctx).Model(&Product{}).Scopes(visibleTo(ctx, productsOwnership))
	switch f.Status {
	case "":
		q = q.Where("products.status IN ('active', 'candidate')")
	default:
		q = q.Where("products.status = ?", f.Status)
	}
	if f.GTIN != "" {
		// Also the GTIN of a product merged into this one.
		q = q.Where(`products.gtin = ? OR products.id IN (WITH RECURSIVE m(id, target, hops) AS (
				SELECT id, merged_into, 1 FROM products WHERE gtin = ? AND status = 'merged'
				UNION ALL SELECT p.id, p.merged_into, m.hops + 1 FROM products p JOIN m ON p.id = m.target
				WHERE p.status = 'merged' AND m.hops < ?)
			SELECT target FROM m)`, f.GTIN, f.GTIN, maxMergeHops)
	}
	if f.Category != "" {
		q = q.Where("products.category = ?", f.Category)
	}
	query := strings.TrimSpace(f.Query)
	if query == "" {
		var rows []Product
		if err := q.Scopes(f.Page.keyset("products", false)).Find(&rows).Error; err != nil {
			return nil, 0, err
		}
		rows, next := trimPage(rows, f.Page, func(p Product) int64 { return p.ID })
		return rows, next, nil
	}
	// Ranked search pages by offset (the cursor counts rows): a rank is not
	// a stable key, and result sets of a search are small.
	page := f.Page.normalized()
	like := "%" + escapeLike(query) + "%"
	// The matches are a union of what each index finds (the name's words,
	// its trigrams, the GTIN, the offers' SKUs by trigram: migration
	// 00038), handed to the outer query as an array so that it reads the
	// matching products by id: one OR over every product (the SKUs as an
	// EXISTS) made PostgreSQL visit every product and its offers, and an
	// IN (union) a hash join over every product. A GTIN is looked for when
	// the query is one (digits; the unique index leaves merged products
	// out, and so does this). Parts of names and SKUs are looked for from
	// 3 characters on: a trigram index cannot narrow a shorter fragment
	// (one letter typed into the search box would read and rank nearly
	// every product); one or two characters find whole words. EXPLAIN
	// ANALYZE on 100,000 products: BENCHMARKS.md, web.
	match := `SELECT id FROM products WHERE search @@ plainto_tsquery('simple', @q)`
	if strings.Trim(query, "0123456789") == "" {
		match += ` UNION SELECT id FROM products WHERE gtin = @q AND status <> 'merged'`
	}
	if utf8.RuneCountInString(query) >= 3 {
		match += ` UNION SELECT id FROM products WHERE name ILIKE @like
			UNION SELECT o.product_id FROM offers o WHERE o.status = 'active' AND o.sku ILIKE @like AND o.product_id IS NOT NULL`
	}
	q = q.Where(`products.id = ANY (ARRAY(`+match+`))`,
		map[string]any{"q": query, "like": like}).
		Order(gorm.Expr(`ts_rank(products.search, plainto_tsquery('simple', ?)) + similarity(products.name, ?) DESC, products.id`, query, query)).
		Offset(int(page.After)).Limit(page.Limit + 1)
	var rows []Product
	if err := q.Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	var next int64
	if len(rows) > page.Limit {
		rows, next = rows[:page.Limit], page.After+int64(page.Limit)
	}
	return rows, next, nil
}

// GetProduct returns a product. Errors: ENOTFOUND.
func (s *CatalogueService) GetProduct(ctx context.Context, id int64) (*Product, error) {
	var p Product
	err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, productsOwnership)).Where("products.id = ?", id).Take(&p).Error
	if err != nil || ActorFrom(ctx).Role == "" {
		return nil, notFoundOr(err, "product")
	}
	if err := followMerges(ctx, s.db, &p); err != nil {
		return nil, notFoundOr(err, "product")
	}
	return &p, nil
}

// followMerges replaces a merged product p by the product it was merged
// into (which may have been merged on in turn): a merged product's id
// stays an alias, for reads, orders and demand alike.
func followMerges(ctx context.Context, db *gorm.DB, p *Product) error {
	for hops := 0; p.Status == "merged" && p.MergedInto != nil && hops < maxMergeHops; hops++ {
		var into Product
		if err := db.WithContext(ctx).Where("id = ?", *p.MergedInto).Take(&into).Error; err != nil {
			return err
		}
		*p = into
	}
	return nil
}

// maxMergeHops bounds how far an alias is followed (a merged product
// cannot be merged again, so chains are short).
const maxMergeHops = 16

// ConfirmProduct makes a candidate a product of the catalogue. Admins only.
// Errors: ENOTFOUND, EFORBIDDEN, ECONFLICT (not a candidate).
func (s *CatalogueService) ConfirmProduct(ctx context.Context, id int64) (*Product, error) {
	var p Product
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Scopes(visibleTo(ctx, productsOwnership)).Clauses(forUpdate).Where("id = ?", id).Take(&p).Error; err != nil {
			return notFoundOr(err, "product")
		}
		if _, err := require(ctx, RoleAdmin); err != nil {
			return err
		}
		if p.Status != "candidate" {
			return Errorf(ECONFLICT, "product %d is %s, not a candidate", id, p.Status)
		}
		p.Status = "active"
		if err := tx.Model(&p).Update("status", "active").Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "product.confirmed", entity: "product", entityID: id})
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// MergeProduct folds product id into product into: its offers point at into
// from now on, and id is kept as merged (for the history of orders that name
// it). Admins only. Errors: ENOTFOUND, EFORBIDDEN, EINVALID (into is id, or
// another base-unit dimension), ECONFLICT (either is merged already).
func (s *CatalogueService) MergeProduct(ctx context.Context, id, into int64) (*Product, error) {
	var target Product
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Product
		if err := tx.Scopes(visibleTo(ctx, productsOwnership)).Clauses(forUpdate).Where("id = ?", id).Take(&p).Error; err != nil {
			return notFoundOr(err, "product")
		}
		if _, err := require(ctx, RoleAdmin); err != nil {
			return err
		}
		if into == id {
			return (&Problems{{Field: "into", Message: "must be another product"}}).Err()
		}
		if err := tx.Clauses(forUpdate).Where("id = ?", into).Take(&target).Error; err != nil {
			if ErrorCode(notFoundOr(err, "")) == ENOTFOUND {
				return (&Problems{{Field: "into", Message: "names no product"}}).Err()
			}
			return err
		}
		if p.Status == "merged" || target.Status == "merged" {
			return Errorf(ECONFLICT, "a merged product cannot be merged again")
		}
		if err := tx.Model(&p).Updates(map[string]any{"status": "merged", "merged_into": into, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		// The offers in force (or scheduled) move; past rows keep the
		// product they were sold as (its merged_into leads on).
		if err := tx.Exec("UPDATE offer_rows SET product_id = ? WHERE product_id = ? AND status = 'active' AND lowest", into, id).Error; err != nil {
			return err
		}
		// Its active contract lines follow, so that members keep ordering
		// at them, each with its own awarded item and pack (never another
		// pack's): those in the same base unit, unless into already has a
		// line of that contract or an active line on overlapping days (one
		// contract line per product and day); those stay on the merged
		// product, listed in the audit.
		moved := tx.Exec(`UPDATE contract_lines l SET product_id = ? WHERE l.product_id = ? AND l.status = 'active'
			AND l.base_unit = ? AND NOT EXISTS (SELECT 1 FROM contract_lines o WHERE o.product_id = ?
				AND (o.contract_id = l.contract_id OR (o.status = 'active' AND o.valid_from <= l.valid_to AND o.valid_to >= l.valid_from)))`,
			into, id, target.BaseUnit, into)
		if moved.Error != nil {
			return moved.Error
		}
		var kept []int64
		if err := tx.Raw("SELECT id FROM contract_lines WHERE product_id = ? AND status = 'active' ORDER BY id", id).Scan(&kept).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "product.merged", entity: "product", entityID: id,
			details: map[string]any{"into": into, "contract_lines_moved": moved.RowsAffected, "contract_lines_kept": kept}})
	})
	if err != nil {
		return nil, err
	}
	return &target, nil
}
