package main

import (
	"context"
	"fmt"
	"strings"

	"andel/app"
	"andel/domain"
	"andel/internal/demo"
)

// seedDemoPriceLists gives each demo supplier a price list of the demo
// products, imported as a supplier uploads one (CSV through the importer),
// so that the practice's shop has offers to compare: different pack
// prices per supplier, a quantity tier from 10 packs. A supplier that has
// a price list already is left alone (running it again changes nothing).
func seedDemoPriceLists(ctx context.Context, svc *app.Services) error {
	ctx = domain.WithActor(ctx, domain.SystemActor("seed"))
	var products []struct {
		Name, GTIN, Category, BaseUnit string
	}
	if err := svc.DB.WithContext(ctx).Raw(`SELECT name, gtin, category, base_unit FROM products
		WHERE gtin IS NOT NULL AND status = 'active' ORDER BY id LIMIT 20`).Scan(&products).Error; err != nil {
		return err
	}
	var sups []int64
	// The demo suppliers are those with the seed's demo API keys.
	if err := svc.DB.WithContext(ctx).Raw(`SELECT id FROM suppliers s
		WHERE EXISTS (SELECT 1 FROM api_keys k WHERE k.supplier_id = s.id AND k.prefix LIKE 'demo%')
		AND NOT EXISTS (SELECT 1 FROM price_lists p WHERE p.supplier_id = s.id) ORDER BY id LIMIT 3`).Scan(&sups).Error; err != nil {
		return err
	}
	im := svc.Importer
	for si, sup := range sups {
		var b strings.Builder
		b.WriteString("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty,category\n")
		for pi, p := range products {
			if (pi+si)%4 == 3 { // not every supplier sells everything
				continue
			}
			unit, content := "XBX", "100"
			if p.BaseUnit == "MTR" {
				unit, content = "XRO", "50"
			}
			// Pack prices from 40 to about 140 kroner, each supplier its own.
			price := 40 + pi*11 + si*6
			fmt.Fprintf(&b, "D%d-%03d,%q,%s,%s,%s,%s,%d.%02d,DKK,1,%s\n", si+1, pi+1, p.Name, p.GTIN, unit, content, p.BaseUnit, price, (pi*25)%100, p.Category)
			fmt.Fprintf(&b, "D%d-%03d,%q,%s,%s,%s,%s,%d.%02d,DKK,10,%s\n", si+1, pi+1, p.Name, p.GTIN, unit, content, p.BaseUnit, price-3, (pi*25)%100, p.Category)
		}
		rec, err := im.Receive(ctx, sup, "text/csv; charset=utf-8", strings.NewReader(b.String()), "import")
		if err != nil {
			return fmt.Errorf("demo price list of supplier %d: %w", sup, err)
		}
		if _, err := im.Load(ctx, rec, nil); err != nil {
			return fmt.Errorf("demo price list of supplier %d: %w", sup, err)
		}
	}
	return nil
}

// seededDemo is what seedDemo made (or found).
type seededDemo struct {
	demo    *demo.Summary
	tenders *demo.TenderSummary
	surplus *demo.SurplusSummary
}

// seedDemo makes the demo cooperative, in the order its parts need: the
// members, suppliers and products; the suppliers' price lists (their
// offers); the tenders, whose bids name the suppliers' own items; and a
// year of orders with a draft surplus run. Running it again changes
// nothing. `andel seed` and `serve -seed` both call it.
func seedDemo(ctx context.Context, svc *app.Services, password string) (*seededDemo, error) {
	var s seededDemo
	var err error
	if s.demo, err = demo.Seed(ctx, svc.Services, password); err != nil {
		return nil, err
	}
	if err := seedDemoPriceLists(ctx, svc); err != nil {
		return nil, err
	}
	if s.tenders, err = demo.SeedTenders(ctx, svc.Services); err != nil {
		return nil, err
	}
	if s.surplus, err = demo.SeedSurplus(ctx, svc.Services); err != nil {
		return nil, err
	}
	return &s, nil
}
