package demo_test

import (
	"context"
	"testing"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
)

// The generated year gives benchmarks something to compare: practices in
// clusters of about 14, prices paid per unit for one product that differ
// between practices, and on-contract shares that spread.
func TestGeneratedYearHasClustersAndSpread(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.GenerateYear(ctx, svc, demo.GenerateOptions{Practices: 140, Suppliers: 8, Products: 80,
		Lines: 20000, Year: 2026, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	var clusters, smallest int
	db.Raw("SELECT count(DISTINCT quality_cluster) FROM members WHERE name LIKE 'Lægepraksis %'").Scan(&clusters)
	db.Raw("SELECT min(n) FROM (SELECT count(*) AS n FROM members WHERE name LIKE 'Lægepraksis %' GROUP BY quality_cluster) c").Scan(&smallest)
	if clusters != 10 || smallest != 14 {
		t.Errorf("%d clusters, the smallest of %d practices; want 10 of 14", clusters, smallest)
	}
	// Off-contract prices of one product: several levels.
	var levels int
	db.Raw(`SELECT max(n) FROM (SELECT count(DISTINCT unit_price) AS n FROM order_lines WHERE NOT on_contract GROUP BY product_id) p`).Scan(&levels)
	if levels < 4 {
		t.Errorf("at most %d off-contract prices per product", levels)
	}
	var spread bool
	db.Raw(`SELECT min(s) < 0.7 AND max(s) > 0.9 FROM (SELECT sum(net_total) FILTER (WHERE on_contract) / sum(net_total) AS s
		FROM order_lines GROUP BY member_id) m`).Scan(&spread)
	if !spread {
		t.Error("on-contract shares do not spread from below 70% to above 90%")
	}
	// Each practice buys a small assortment, not the whole catalogue.
	var most int
	db.Raw("SELECT max(n) FROM (SELECT count(DISTINCT product_id) AS n FROM order_lines GROUP BY member_id) m").Scan(&most)
	if most > 50 {
		t.Errorf("a practice bought %d products", most)
	}
}
