package domain

import "gorm.io/gorm"

// refreshBenchmarks brings benchmark_rollup up to date after a savings
// rollup changed the (day, member, supplier) keys in savings_keys: the
// month rows of every changed member-month are recomputed from its order
// lines (one pass over them, into product, category and total rows), then the
// quarter and year rows of the changed member-quarters and member-years
// from the month rows. Like the rest of the rollup it is idempotent: a
// row is always rewritten whole from its sources.
func refreshBenchmarks(tx *gorm.DB) error {
	if err := tx.Exec(`CREATE TEMP TABLE bench_months ON COMMIT DROP AS
		SELECT DISTINCT member_id, date_trunc('month', day)::date AS month FROM savings_keys`).Error; err != nil {
		return err
	}
	if err := tx.Exec("ANALYZE bench_months").Error; err != nil {
		return err
	}
	if err := tx.Exec(`DELETE FROM benchmark_rollup r USING bench_months m
		WHERE r.member_id = m.member_id AND r.grain = 'month' AND r.period = m.month`).Error; err != nil {
		return err
	}
	// One pass over the changed months' lines, by product and category.
	if err := tx.Exec(`CREATE TEMP TABLE bench_lines ON COMMIT DROP AS
		SELECT m.month, o.member_id, l.product_id, l.category, l.currency, l.base_unit, count(*) AS lines,
			sum(l.base_quantity) AS base_quantity, (sum(l.net_total) * 100)::bigint AS spend,
			(sum(l.baseline_total) * 100)::bigint AS baseline_spend,
			(coalesce(sum(l.net_total) FILTER (WHERE l.on_contract), 0) * 100)::bigint AS on_contract_spend
		FROM bench_months m
		JOIN orders o ON o.member_id = m.member_id AND o.placed_on >= m.month AND o.placed_on < (m.month + interval '1 month')::date
		JOIN order_lines l ON l.order_id = o.id
		WHERE o.status NOT IN ('cancelled', 'rejected')
		GROUP BY 1, 2, 3, 4, 5, 6`).Error; err != nil {
		return err
	}
	for _, d := range []struct{ dim, key string }{{"product", "product_id::text"}, {"category", "category"}, {"total", "''"}} {
		if err := tx.Exec(`INSERT INTO benchmark_rollup (dim, grain, period, currency, key, member_id, base_unit,
				lines, base_quantity, spend, baseline_spend, on_contract_spend)
			SELECT '` + d.dim + `', 'month', month, currency, ` + d.key + `, member_id, base_unit,
				sum(lines), sum(base_quantity), sum(spend), sum(baseline_spend), sum(on_contract_spend)
			FROM bench_lines GROUP BY month, currency, 5, member_id, base_unit`).Error; err != nil {
			return err
		}
	}
	for _, g := range []struct{ grain, span string }{{"quarter", "3 months"}, {"year", "1 year"}} {
		if err := tx.Exec(`DELETE FROM benchmark_rollup r
			USING (SELECT DISTINCT member_id, date_trunc('`+g.grain+`', month)::date AS period FROM bench_months) c
			WHERE r.member_id = c.member_id AND r.grain = ? AND r.period = c.period`, g.grain).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO benchmark_rollup (dim, grain, period, currency, key, member_id, base_unit,
				lines, base_quantity, spend, baseline_spend, on_contract_spend)
			SELECT r.dim, ?, c.period, r.currency, r.key, r.member_id, r.base_unit,
				sum(r.lines), sum(r.base_quantity), sum(r.spend), sum(r.baseline_spend), sum(r.on_contract_spend)
			FROM (SELECT DISTINCT member_id, date_trunc('`+g.grain+`', month)::date AS period FROM bench_months) c
			JOIN benchmark_rollup r ON r.member_id = c.member_id AND r.grain = 'month'
				AND r.period >= c.period AND r.period < (c.period + interval '`+g.span+`')::date
			GROUP BY r.dim, c.period, r.currency, r.key, r.member_id, r.base_unit`, g.grain).Error; err != nil {
			return err
		}
	}
	return nil
}
