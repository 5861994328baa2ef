package domain_test

import (
	"context"
	"testing"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgload"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
)

// TestProductCandidatesCarryTheirEvidence: a price list naming two items
// the catalogue lacks makes two candidates; the queue shows each with the
// offer it came from (supplier, SKU, name, GTIN) and, for the one named
// like a demo product, that product as a merge suggestion with its
// suppliers. Confirmed or merged, a candidate leaves the queue.
func TestProductCandidatesCarryTheirEvidence(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(ctx, svc, ""); err != nil {
		t.Fatal(err)
	}
	var supplier int64
	var supplierName string
	db.Raw("SELECT id, name FROM suppliers ORDER BY id DESC LIMIT 1").Row().Scan(&supplier, &supplierName)
	var gloves, large domain.Product
	db.Raw("SELECT * FROM products WHERE name = 'Nitrilhandsker, pudderfri, str. M'").Scan(&gloves)
	db.Raw("SELECT * FROM products WHERE name = 'Nitrilhandsker, pudderfri, str. L'").Scan(&large)
	var list int64
	if err := db.Raw(`INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, created_by)
		VALUES (?, 'csv', 'text/csv', sha256('candidates'::bytea), 0, 'test') RETURNING id`, supplier).Scan(&list).Error; err != nil {
		t.Fatal(err)
	}
	gtin := "5790000000012"
	lines := []domain.PriceLine{
		{LineNo: 2, Action: "add", SKU: "NH-M-200", GTIN: gtin, Name: "Nitrilhandsker pudderfri str M", PackUnit: "BX",
			PackContent: decimal.NewFromInt(200), BaseUnit: "EA", PackPrice: decimal.NewFromInt(90), Currency: "DKK", MinQty: 1},
		{LineNo: 3, Action: "add", SKU: "ZZ-1", Name: "Øretragt til otoskop", PackUnit: "BX",
			PackContent: decimal.NewFromInt(50), BaseUnit: "EA", PackPrice: decimal.NewFromInt(40), Currency: "DKK", MinQty: 1},
		// a product the catalogue knows by its GTIN: no candidate
		{LineNo: 4, Action: "add", SKU: "NH-L-200", GTIN: *large.GTIN, Name: "Nitril L", PackUnit: "BX",
			PackContent: decimal.NewFromInt(200), BaseUnit: "EA", PackPrice: decimal.NewFromInt(90), Currency: "DKK", MinQty: 1},
	}
	read := func(emit func(domain.PriceLine) error) (domain.ParseOutcome, error) {
		for _, l := range lines {
			if err := emit(l); err != nil {
				return domain.ParseOutcome{}, err
			}
		}
		return domain.ParseOutcome{RowsRead: 3, RowsValid: 3}, nil
	}
	if _, err := svc.Catalogue.LoadPriceList(ctx, list, read, pgload.Loader{}); err != nil {
		t.Fatal(err)
	}
	queue, next, err := svc.Catalogue.ProductCandidates(ctx, domain.Page{})
	if err != nil || next != 0 {
		t.Fatal(err, next)
	}
	if len(queue) != 2 {
		t.Fatalf("%d candidates, want 2: %+v", len(queue), queue)
	}
	byName := map[string]domain.ProductCandidate{}
	for _, c := range queue {
		byName[c.Name] = c
	}
	glove, ear := byName["Nitrilhandsker pudderfri str M"], byName["Øretragt til otoskop"]
	if glove.ID == 0 || ear.ID == 0 {
		t.Fatalf("candidates %v", byName)
	}
	if glove.GTIN == nil || *glove.GTIN != gtin || ear.GTIN != nil || ear.OriginSupplierName != supplierName {
		t.Errorf("candidates %+v and %+v: the GTIN, or the supplier that named the one without", glove, ear)
	}
	if len(glove.Offers) != 1 || glove.Offers[0].SKU != "NH-M-200" || glove.Offers[0].SupplierName != supplierName ||
		glove.Offers[0].GTIN == nil || *glove.Offers[0].GTIN != gtin || glove.Offers[0].PriceListID != list {
		t.Errorf("glove offers %+v", glove.Offers)
	}
	if len(glove.Similar) < 2 || glove.Similar[0].ID != gloves.ID || glove.Similar[0].SimilarityPercent <= 30 ||
		glove.Similar[1].ID != large.ID || glove.Similar[1].SimilarityPercent >= glove.Similar[0].SimilarityPercent || glove.Similar[1].Suppliers != supplierName {
		t.Errorf("glove suggestions %+v, want the demo's gloves M (%d) first, then L (%d) offered by %s", glove.Similar, gloves.ID, large.ID, supplierName)
	}
	for _, s := range ear.Similar {
		if s.ID == gloves.ID {
			t.Errorf("the ear funnel is suggested to be gloves")
		}
	}
	one, err := svc.Catalogue.ProductCandidate(ctx, ear.ID)
	if err != nil || one.Offers[0].SKU != "ZZ-1" {
		t.Errorf("one candidate: %+v %v", one, err)
	}
	if _, err := svc.Catalogue.ProductCandidate(ctx, gloves.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("an active product as a candidate: %v", err)
	}

	if _, err := svc.Catalogue.MergeProduct(ctx, glove.ID, gloves.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Catalogue.ConfirmProduct(ctx, ear.ID); err != nil {
		t.Fatal(err)
	}
	if queue, _, err := svc.Catalogue.ProductCandidates(ctx, domain.Page{}); err != nil || len(queue) != 0 {
		t.Errorf("after confirm and merge the queue holds %v (%v)", queue, err)
	}
	board := domain.WithActor(context.Background(), domain.Actor{UserID: 2, Role: domain.RoleBoard, Label: "board"})
	if _, _, err := svc.Catalogue.ProductCandidates(board, domain.Page{}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("board reads the queue: %v", err)
	}
}
