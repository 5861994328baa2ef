package main

import (
	"bytes"
	"context"
	"testing"

	"andel/domain"
	"andel/internal/pgtest"
)

// TestDemoSeedNamesWhatToShip: `andel seed` gives the demo what a supplier
// needs to ship a contract order: the awarded contract lines name the
// supplier's own item (SKU and GTIN from its price list) and every demo
// practice has a delivery address. Seeding again changes nothing.
func TestDemoSeedNamesWhatToShip(t *testing.T) {
	url := pgtest.URL(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("ANDEL_LOG_LEVEL", "warn")
	var out bytes.Buffer
	for range 2 {
		if err := run(context.Background(), []string{"seed"}, nil, &out); err != nil {
			t.Fatalf("seed: %v\n%s", err, out.String())
		}
	}
	db, err := domain.OpenDB(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { sqlDB, _ := db.DB(); sqlDB.Close() }()
	var lines, named, members, addressed, contracts int64
	db.Raw("SELECT count(*), count(*) FILTER (WHERE sku <> '' AND gtin <> '') FROM contract_lines").Row().Scan(&lines, &named)
	db.Raw("SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM member_addresses a WHERE a.member_id = m.id AND a.is_default)) FROM members m").
		Row().Scan(&members, &addressed)
	db.Raw("SELECT count(*) FROM contracts").Scan(&contracts)
	if lines == 0 || named != lines {
		t.Errorf("%d of %d demo contract lines name the supplier's item (SKU and GTIN)", named, lines)
	}
	if members == 0 || addressed != members {
		t.Errorf("%d of %d demo practices have a default delivery address", addressed, members)
	}
	if contracts != 1 {
		t.Errorf("%d demo contracts after seeding twice, want 1", contracts)
	}
}
