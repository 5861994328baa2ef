package domain

import (
	"strings"
	"time"

	"gorm.io/gorm"
)

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
	return refreshBenchmarkSummaries(tx)
}

// refreshBenchmarkSummaries recomputes benchmark_summary (the cooperative's
// figures per category and over all purchases) for every period the
// changed member-months fall in: their months, quarters and years.
func refreshBenchmarkSummaries(tx *gorm.DB) error {
	var periods []struct {
		Grain  string
		Period time.Time
	}
	if err := tx.Raw(`SELECT DISTINCT 'month' AS grain, month AS period FROM bench_months
		UNION SELECT DISTINCT 'quarter', date_trunc('quarter', month)::date FROM bench_months
		UNION SELECT DISTINCT 'year', date_trunc('year', month)::date FROM bench_months`).Scan(&periods).Error; err != nil {
		return err
	}
	for _, p := range periods {
		day := p.Period.Format(time.DateOnly)
		for _, dim := range []string{"category", "total"} {
			res, err := tx.Raw(`SELECT currency || '|' || key, member_id, key, base_unit, (base_quantity * 1000000)::bigint,
					spend, baseline_spend, on_contract_spend
				FROM benchmark_rollup WHERE dim = ? AND grain = ? AND period = ?`, dim, p.Grain, day).Rows()
			if err != nil {
				return err
			}
			var rows []benchRow
			for res.Next() {
				var r benchRow
				// The group key (currency|key) is read into Cluster: one
				// summary per currency and key.
				if err := res.Scan(&r.Cluster, &r.MemberID, &r.Key, &r.BaseUnit, &r.BaseMicro, &r.Spend, &r.BaselineSpend, &r.OnContractSpend); err != nil {
					res.Close()
					return err
				}
				rows = append(rows, r)
			}
			res.Close()
			if err := res.Err(); err != nil {
				return err
			}
			if err := tx.Exec("DELETE FROM benchmark_summary WHERE dim = ? AND grain = ? AND period = ?", dim, p.Grain, day).Error; err != nil {
				return err
			}
			groups := map[string][]benchRow{}
			var order []string
			for _, r := range rows {
				if _, ok := groups[r.Cluster]; !ok {
					order = append(order, r.Cluster)
				}
				groups[r.Cluster] = append(groups[r.Cluster], r)
			}
			for _, g := range order {
				sums, _, mixed := sumPractices(groups[g])
				sum := summarize(sums, !mixed)
				var q1, med, q3 any
				if sum.HasQuartiles {
					q1, med, q3 = sum.Q1, sum.Median, sum.Q3
				}
				currency, key, _ := strings.Cut(g, "|")
				if err := tx.Exec(`INSERT INTO benchmark_summary (dim, grain, period, currency, key, practices, priced,
						spend, baseline_spend, on_contract_spend, top_spend, q1, median, q3)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, dim, p.Grain, day, currency, key, sum.Practices, sum.Priced,
					sum.Spend, sum.BaselineSpend, sum.OnContractSpend, sum.Top, q1, med, q3).Error; err != nil {
					return err
				}
			}
		}
	}
	return nil
}
