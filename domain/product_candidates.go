package domain

import (
	"context"
	"strings"
)

// ProductCandidate is a product a price list brought that the catalogue
// did not know (status candidate), with the evidence staff weigh before
// confirming it or merging it into a product the catalogue has: the
// offers that name it and the products it may be the same as.
type ProductCandidate struct {
	Product
	// OriginSupplierName is the supplier whose list first named it.
	OriginSupplierName string
	Offers             []CandidateOffer
	Similar            []SimilarProduct
}

// CandidateOffer is a supplier's offer matched to a candidate, as the
// supplier wrote it.
type CandidateOffer struct {
	SupplierID   int64
	SupplierName string
	PriceListID  int64
	SKU          string
	Name         string
	GTIN         *string `gorm:"column:gtin"`
	BaseUnit     string
}

// SimilarProduct is an active product a candidate may be the same as: the
// same GTIN, or a name alike by trigram similarity, with the suppliers
// offering it.
type SimilarProduct struct {
	Product
	// SimilarityPercent is 100 for the same GTIN, else the names' trigram
	// similarity in whole percent (higher is closer).
	SimilarityPercent int
	// Suppliers names the suppliers with an active offer of it,
	// comma-separated ("" when none).
	Suppliers string
}

// maxSimilar bounds the merge suggestions shown per candidate.
const maxSimilar = 5

// ProductCandidates returns the queue of candidate products, oldest first
// (by id, paged), each with its evidence. Admins only. Errors: EFORBIDDEN.
func (s *CatalogueService) ProductCandidates(ctx context.Context, p Page) ([]ProductCandidate, int64, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, 0, err
	}
	var rows []Product
	if err := s.db.WithContext(ctx).Where("status = 'candidate'").Scopes(p.keyset("products", false)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, p, func(p Product) int64 { return p.ID })
	out := make([]ProductCandidate, len(rows))
	for i, prod := range rows {
		c, err := s.candidateEvidence(ctx, prod)
		if err != nil {
			return nil, 0, err
		}
		out[i] = *c
	}
	return out, next, nil
}

// ProductCandidate returns one candidate with its evidence. Admins only.
// Errors: EFORBIDDEN, ENOTFOUND (no such product, or not a candidate).
func (s *CatalogueService) ProductCandidate(ctx context.Context, id int64) (*ProductCandidate, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, err
	}
	var prod Product
	if err := s.db.WithContext(ctx).Where("id = ? AND status = 'candidate'", id).Take(&prod).Error; err != nil {
		return nil, notFoundOr(err, "product candidate")
	}
	return s.candidateEvidence(ctx, prod)
}

func (s *CatalogueService) candidateEvidence(ctx context.Context, prod Product) (*ProductCandidate, error) {
	db := s.db.WithContext(ctx)
	c := &ProductCandidate{Product: prod}
	if prod.OriginSupplierID != nil {
		if err := db.Raw("SELECT name FROM suppliers WHERE id = ?", *prod.OriginSupplierID).Scan(&c.OriginSupplierName).Error; err != nil {
			return nil, err
		}
	}
	// Its offers in force, one per supplier and SKU (a ladder of tiers is
	// one offer).
	if err := db.Raw(`SELECT DISTINCT ON (o.supplier_id, o.sku) o.supplier_id, s.name AS supplier_name, o.price_list_id,
			o.sku, o.name, o.gtin, o.base_unit
		FROM offer_rows o JOIN suppliers s ON s.id = o.supplier_id
		WHERE o.product_id = ? AND o.status IN ('active', 'pending')
		ORDER BY o.supplier_id, o.sku, o.price_list_id DESC`, prod.ID).Scan(&c.Offers).Error; err != nil {
		return nil, err
	}
	// Products it may be: the same GTIN as one of its offers, or a name
	// like its own or an offer's (pg_trgm's % operator, threshold 0.3).
	names := []string{prod.Name}
	var gtins []string
	if prod.GTIN != nil {
		gtins = append(gtins, *prod.GTIN)
	}
	for _, o := range c.Offers {
		if o.Name != "" && !containsString(names, o.Name) {
			names = append(names, o.Name)
		}
		if o.GTIN != nil && !containsString(gtins, *o.GTIN) {
			gtins = append(gtins, *o.GTIN)
		}
	}
	if gtins == nil {
		gtins = []string{""}
	}
	if err := db.Raw(`SELECT p.*, round(100 * sim.similarity)::int AS similarity_percent,
			COALESCE((SELECT string_agg(DISTINCT s.name, ', ') FROM offer_rows o JOIN suppliers s ON s.id = o.supplier_id
				WHERE o.product_id = p.id AND o.status = 'active'), '') AS suppliers
		FROM products p
		CROSS JOIN LATERAL (SELECT max(CASE WHEN p.gtin IN ? THEN 1 ELSE similarity(p.name, n) END) AS similarity
			FROM unnest(?::text[]) AS n) sim
		WHERE p.status = 'active' AND p.id <> ?
		  AND (p.gtin IN ? OR EXISTS (SELECT 1 FROM unnest(?::text[]) AS n WHERE p.name % n))
		ORDER BY sim.similarity DESC, p.id LIMIT ?`,
		gtins, pgTextArray(names), prod.ID, gtins, pgTextArray(names), maxSimilar).Scan(&c.Similar).Error; err != nil {
		return nil, err
	}
	return c, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// pgTextArray writes a PostgreSQL text[] literal of list.
func pgTextArray(list []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}
