package demo

import (
	"context"

	"andel/domain"
)

// GenerateDeliveryOutcomes gives the generator's orders (placed_by
// 'generator') without outcomes yet what a supplier's scorecard measures:
// a promised delivery time (1-4 days, by supplier), when each was
// confirmed, delivered or rejected. Each supplier has its own quality (a
// fixed draw from its id): good suppliers confirm within hours and deliver
// on time, poor ones take days and are often late, so that scorecards
// spread. Deterministic (hashes of the ids), in SQL over the whole year at
// once; queues the orders for the savings rollup, which keeps the outcomes.
// Admins only.
func GenerateDeliveryOutcomes(ctx context.Context, svc *domain.Services) (int64, error) {
	if a := domain.ActorFrom(ctx); a.Role != domain.RoleAdmin {
		return 0, domain.Errorf(domain.EFORBIDDEN, "only admins generate data")
	}
	// u(x) is a uniform draw in [0, 1) from x; q the supplier's quality.
	// One statement: the orders updated are queued for the rollup as they
	// change (RETURNING), so a second run queues nothing.
	var n int64
	err := svc.DB.WithContext(ctx).Raw(`WITH o AS (
			SELECT o.id, o.status, o.placed_at,
				1 + o.supplier_id % 4 AS promised,
				(abs(hashtext(o.supplier_id::text || 'q')) % 1000) / 1000.0 AS q,
				(abs(hashtext(o.id::text || 'r')) % 1000) / 1000.0 AS ur,
				(abs(hashtext(o.id::text || 'd')) % 1000) / 1000.0 AS ud
			FROM orders o
			WHERE o.placed_by = 'generator' AND o.confirmed_at IS NULL AND o.rejected_at IS NULL
				AND o.status NOT IN ('placed', 'cancelled')),
		t AS (
			SELECT id, status, placed_at, promised, q,
				-- placed to confirmed: 5 minutes to 3 days, skewed short, longer for poor suppliers
				placed_at + interval '5 minutes' + (ur * ur * ur) * (1.5 - q) * interval '48 hours' AS confirmed_at,
				-- confirmed to delivered: around the promise, late more often for poor suppliers
				promised * (0.4 + ud * (0.8 + (1 - q) * 0.7)) AS days
			FROM o),
		u AS (UPDATE orders x SET promised_days = t.promised,
			confirmed_at = CASE WHEN t.status <> 'rejected' THEN t.confirmed_at END,
			shipped_at = CASE WHEN t.status IN ('shipped', 'delivered') THEN t.confirmed_at + t.days * interval '12 hours' END,
			delivered_at = CASE WHEN t.status = 'delivered' THEN t.confirmed_at + t.days * interval '1 day' END,
			rejected_at = CASE WHEN t.status = 'rejected' THEN t.placed_at + interval '6 hours' END
		FROM t WHERE x.id = t.id
		RETURNING x.id),
		queued AS (INSERT INTO savings_changes (order_id) SELECT id FROM u RETURNING order_id)
		SELECT count(*) FROM queued`).Scan(&n).Error
	return n, err
}
