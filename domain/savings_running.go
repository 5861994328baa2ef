package domain

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"
)

// Running totals per member (savings_member_running): the board's savings
// by member read two days of them, running(to) - running(from - 1), so the
// grouping costs two rows per practice whatever the range.

// refreshMemberRunning brings savings_member_running up to date with
// savings_daily after a rollup changed the (day, member, supplier) keys in
// savings_keys: each changed member's rows are rewritten from its earliest
// changed day, and every member's rows are carried forward to the latest
// day with orders, so that rows stay dense.
func refreshMemberRunning(tx *gorm.DB) error {
	var bounds struct{ OldMax, NewMax *time.Time }
	if err := tx.Raw(`SELECT (SELECT max(day) FROM savings_member_running) AS old_max,
		(SELECT max(day) FROM savings_daily) AS new_max`).Scan(&bounds).Error; err != nil {
		return err
	}
	if bounds.NewMax == nil {
		return tx.Exec("DELETE FROM savings_member_running").Error
	}
	newMax := bounds.NewMax.Format(time.DateOnly)
	// Days after the latest with orders (all of that day's orders cancelled).
	if err := tx.Exec("DELETE FROM savings_member_running WHERE day > ?", newMax).Error; err != nil {
		return err
	}
	// Each member's first day to rewrite: its earliest changed day, or the
	// day after the old last day when the last day moved on.
	extend := "SELECT NULL::bigint, NULL::date WHERE false"
	var args []any
	if bounds.OldMax != nil && bounds.OldMax.Before(*bounds.NewMax) {
		extend = "SELECT member_id, day + 1 FROM savings_member_running WHERE day = ?"
		args = append(args, bounds.OldMax.Format(time.DateOnly))
	}
	if err := tx.Exec(`CREATE TEMP TABLE running_from ON COMMIT DROP AS
		SELECT member_id, min(from_day) AS from_day FROM (
			SELECT member_id, min(day) AS from_day FROM savings_keys GROUP BY member_id
			UNION ALL `+extend+`) f
		GROUP BY member_id`, args...).Error; err != nil {
		return err
	}
	if err := tx.Exec("ANALYZE running_from").Error; err != nil {
		return err
	}
	// The running totals the day before (base), the member's day sums from
	// then on (daily), and the currencies to write with their first day.
	if err := tx.Exec(`CREATE TEMP TABLE running_base ON COMMIT DROP AS
		SELECT r.member_id, r.currency, f.from_day, r.lines, r.spend, r.baseline_spend, r.savings, r.on_contract_spend, r.rebates,
			r.leakage_spend, r.missed_savings
		FROM running_from f JOIN savings_member_running r ON r.day = f.from_day - 1 AND r.member_id = f.member_id`).Error; err != nil {
		return err
	}
	if err := tx.Exec(`CREATE TEMP TABLE running_daily ON COMMIT DROP AS
		SELECT d.member_id, d.currency, d.day, sum(d.lines) AS lines, (sum(d.spend) * 100)::bigint AS spend,
			(sum(d.baseline_spend) * 100)::bigint AS baseline_spend, (sum(d.savings) * 100)::bigint AS savings,
			(sum(d.on_contract_spend) * 100)::bigint AS on_contract_spend, (sum(d.rebates) * 100)::bigint AS rebates,
			(sum(d.leakage_spend) * 100)::bigint AS leakage_spend, (sum(d.missed_savings) * 100)::bigint AS missed_savings
		FROM running_from f JOIN savings_daily d ON d.member_id = f.member_id AND d.day >= f.from_day
		GROUP BY 1, 2, 3`).Error; err != nil {
		return err
	}
	if err := tx.Exec(`DELETE FROM savings_member_running r USING running_from f
		WHERE r.member_id = f.member_id AND r.day >= f.from_day`).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO savings_member_running (day, member_id, currency, lines, spend, baseline_spend,
			savings, on_contract_spend, rebates, leakage_spend, missed_savings)
		SELECT g.day::date, p.member_id, p.currency,
			coalesce(b.lines, 0) + sum(coalesce(d.lines, 0)) OVER w,
			coalesce(b.spend, 0) + sum(coalesce(d.spend, 0)) OVER w,
			coalesce(b.baseline_spend, 0) + sum(coalesce(d.baseline_spend, 0)) OVER w,
			coalesce(b.savings, 0) + sum(coalesce(d.savings, 0)) OVER w,
			coalesce(b.on_contract_spend, 0) + sum(coalesce(d.on_contract_spend, 0)) OVER w,
			coalesce(b.rebates, 0) + sum(coalesce(d.rebates, 0)) OVER w,
			coalesce(b.leakage_spend, 0) + sum(coalesce(d.leakage_spend, 0)) OVER w,
			coalesce(b.missed_savings, 0) + sum(coalesce(d.missed_savings, 0)) OVER w
		FROM (SELECT member_id, currency, min(start) AS start FROM (
				SELECT member_id, currency, from_day AS start FROM running_base
				UNION ALL
				SELECT member_id, currency, min(day) FROM running_daily GROUP BY 1, 2) s
			GROUP BY 1, 2) p
		CROSS JOIN LATERAL generate_series(p.start, ?::date, interval '1 day') g(day)
		LEFT JOIN running_base b ON b.member_id = p.member_id AND b.currency = p.currency
		LEFT JOIN running_daily d ON d.member_id = p.member_id AND d.currency = p.currency AND d.day = g.day
		WINDOW w AS (PARTITION BY p.member_id, p.currency ORDER BY g.day)
		ORDER BY 1, 2, 3`, newMax).Error
}

// memberRunningFigures returns the figures of every member with orders in
// from..to in currency, in hundredths: running(to) - running(from - 1),
// with to capped at the last day kept (nothing was ordered after it).
// byCluster sums the members' figures by their quality cluster instead
// (key the cluster, "" for members in none).
func (s *SavingsService) memberRunningFigures(ctx context.Context, from, to time.Time, currency string, byCluster bool, rows *[]savingsRow) error {
	db := s.db.WithContext(ctx)
	// NULL before the first rollup: nothing to report yet.
	var last sql.NullTime
	if err := db.Raw("SELECT max(day) FROM savings_member_running").Row().Scan(&last); err != nil {
		return err
	}
	before := from.AddDate(0, 0, -1)
	if last.Valid && last.Time.Before(to) {
		to = last.Time
	}
	if !last.Valid || !to.After(before) {
		return nil // nothing ordered in the range
	}
	hi, lo := to.Format(time.DateOnly), before.Format(time.DateOnly)
	diff := func(col string) string {
		return "sum(CASE WHEN r.day = @hi THEN r." + col + " ELSE -r." + col + " END)::bigint AS " + col
	}
	perMember := `SELECT r.member_id, ` + diff("lines") + `, ` + diff("spend") + `, ` + diff("baseline_spend") + `,
				` + diff("savings") + `, ` + diff("on_contract_spend") + `, ` + diff("rebates") + `
			FROM savings_member_running r
			WHERE r.day IN (@hi, @lo) AND r.currency = @currency
			GROUP BY r.member_id`
	args := map[string]any{"hi": hi, "lo": lo, "currency": currency}
	if byCluster {
		return db.Raw(`SELECT coalesce(m.quality_cluster, '') AS key, '' AS label, sum(d.lines) AS lines, sum(d.spend) AS spend,
				sum(d.baseline_spend) AS baseline_spend, sum(d.savings) AS savings,
				sum(d.on_contract_spend) AS on_contract_spend, sum(d.rebates) AS rebates
			FROM (`+perMember+`) d
			JOIN members m ON m.id = d.member_id
			WHERE d.lines > 0
			GROUP BY 1
			ORDER BY 1`, args).Scan(rows).Error
	}
	return db.Raw(`SELECT d.member_id::text AS key, m.name AS label, d.lines, d.spend, d.baseline_spend, d.savings,
			d.on_contract_spend, d.rebates
		FROM (`+perMember+`) d
		JOIN members m ON m.id = d.member_id
		WHERE d.lines > 0
		ORDER BY d.member_id::text`, args).Scan(rows).Error
}
