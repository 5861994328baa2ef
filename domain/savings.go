package domain

import (
	"context"
	"fmt"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// SavingsService keeps and reads the savings aggregates.
type SavingsService struct {
	db       *gorm.DB
	currency string // the cooperative's (Options.Currency), reported by default
}

// Savings groupings.
const (
	GroupNone     = ""
	GroupMonth    = "month"
	GroupCategory = "category"
	GroupSupplier = "supplier"
	GroupMember   = "member"
	// GroupCluster groups by the members' quality cluster (Member.
	// QualityCluster; "" for members in none), from the members' running
	// totals as GroupMember is: today's cluster of each member, so a
	// member that moved counts wholly in its current cluster.
	GroupCluster = "cluster"
)

// SavingsQuery asks for the figures of orders placed From..To (inclusive
// days), grouped or not.
type SavingsQuery struct {
	From, To time.Time
	GroupBy  string
	Currency string // default: the cooperative's
}

// SavingsFigures are the figures of one group (or of everything). Amounts
// are exact sums of the stored lines' rounded amounts.
type SavingsFigures struct {
	Key             string // month "2026-01", category, supplier or member id, quality cluster; "" for the total
	Label           string // supplier or member name
	Lines           int64
	Spend           decimal.Decimal
	BaselineSpend   decimal.Decimal
	Savings         decimal.Decimal
	OnContractSpend decimal.Decimal
	Rebates         decimal.Decimal
	// SavingsPercent = Savings / BaselineSpend x 100 and OnContractShare =
	// OnContractSpend / Spend x 100, both to 2 decimals (0 with no spend).
	SavingsPercent  decimal.Decimal
	OnContractShare decimal.Decimal
}

// SavingsReport is a savings answer: the total and the groups.
type SavingsReport struct {
	Currency string
	From, To time.Time
	GroupBy  string
	Total    SavingsFigures
	Groups   []SavingsFigures
	// Note says why every figure is zero, when they are.
	Note string
	// TrueUpCredits is the sum of the contract true-up credits (net of
	// reversals) granted From..To in Currency: to the member for a member,
	// to every member for staff. They come on top of Savings (which
	// counts each line at the price it was placed at).
	TrueUpCredits decimal.Decimal
}

// RollupReport counts one rollup run.
type RollupReport struct {
	Orders, Keys int64
}

// Rollup brings savings_daily up to date with the orders that changed
// since the last run (placed, cancelled, rejected, delivered): each
// affected (day, member, supplier) is recomputed from its order lines, so
// a run is incremental, idempotent and safe to repeat. Run it under the
// job's advisory lock (one runner at a time).
func (s *SavingsService) Rollup(ctx context.Context) (RollupReport, error) {
	var rep RollupReport
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var maxID *int64
		if err := tx.Raw("SELECT max(id) FROM savings_changes").Scan(&maxID).Error; err != nil || maxID == nil {
			return err
		}
		if err := tx.Exec(`CREATE TEMP TABLE savings_keys ON COMMIT DROP AS
			SELECT DISTINCT o.placed_on AS day, o.member_id, o.supplier_id
			FROM orders o WHERE o.id IN (SELECT order_id FROM savings_changes WHERE id <= ?)`, *maxID).Error; err != nil {
			return err
		}
		// Statistics, so that a large batch (a first rollup) is hash-joined.
		if err := tx.Exec("ANALYZE savings_keys").Error; err != nil {
			return err
		}
		if err := tx.Raw("SELECT count(DISTINCT order_id) FROM savings_changes WHERE id <= ?", *maxID).Scan(&rep.Orders).Error; err != nil {
			return err
		}
		if err := tx.Raw("SELECT count(*) FROM savings_keys").Scan(&rep.Keys).Error; err != nil {
			return err
		}
		if rep.Keys > 100000 {
			// A large batch (a first rollup): hash joins over the lines beat
			// an index probe per key.
			if err := tx.Exec("SET LOCAL enable_nestloop = off").Error; err != nil {
				return err
			}
			if err := tx.Exec("SET LOCAL work_mem = '128MB'").Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`DELETE FROM savings_daily d USING savings_keys k
			WHERE d.day = k.day AND d.member_id = k.member_id AND d.supplier_id = k.supplier_id`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO savings_daily (day, member_id, supplier_id, category, currency, lines,
				spend, baseline_spend, savings, on_contract_spend, rebates, leakage_spend, missed_savings)
			SELECT o.placed_on, o.member_id, o.supplier_id, l.category, l.currency, count(*),
				sum(l.net_total), sum(l.baseline_total), sum(l.savings),
				coalesce(sum(l.net_total) FILTER (WHERE l.on_contract), 0), sum(l.rebate_accrued),
				coalesce(sum(l.net_total) FILTER (WHERE l.contract_unit_price IS NOT NULL), 0), sum(l.missed_savings)
			FROM savings_keys k
			JOIN orders o ON o.placed_on = k.day AND o.member_id = k.member_id AND o.supplier_id = k.supplier_id
			JOIN order_lines l ON l.order_id = o.id
			WHERE o.status NOT IN ('cancelled', 'rejected')
			GROUP BY 1, 2, 3, 4, 5`).Error; err != nil {
			return err
		}
		if err := refreshComplianceProducts(tx); err != nil {
			return err
		}
		if err := refreshOrderOutcomes(tx); err != nil {
			return err
		}
		if err := refreshRollup(tx); err != nil {
			return err
		}
		if err := refreshMemberRunning(tx); err != nil {
			return err
		}
		if err := refreshBenchmarks(tx); err != nil {
			return err
		}
		if rep.Keys > 10000 {
			// Many new rows: fresh statistics for the dashboards' plans.
			if err := tx.Exec("ANALYZE savings_daily, savings_rollup, savings_member_running, benchmark_rollup, compliance_products").Error; err != nil {
				return err
			}
		}
		return tx.Exec("DELETE FROM savings_changes WHERE id <= ?", *maxID).Error
	})
	return rep, err
}

// rollupDims are the dimensions of savings_rollup and their key columns in
// savings_daily. Members have running totals instead (refreshMemberRunning).
var rollupDims = []struct{ dim, key string }{
	{"total", "''"}, {"category", "category"}, {"supplier", "supplier_id::text"},
}

// refreshRollup recomputes savings_rollup for the days in savings_keys:
// day rows from savings_daily, then month rows from the day rows.
func refreshRollup(tx *gorm.DB) error {
	if err := tx.Exec(`CREATE TEMP TABLE savings_days ON COMMIT DROP AS SELECT DISTINCT day FROM savings_keys`).Error; err != nil {
		return err
	}
	if err := tx.Exec(`DELETE FROM savings_rollup r USING savings_days d WHERE r.grain = 'day' AND r.period = d.day`).Error; err != nil {
		return err
	}
	for _, d := range rollupDims {
		if err := tx.Exec(`INSERT INTO savings_rollup (dim, grain, period, key, currency, lines, spend, baseline_spend, savings, on_contract_spend, rebates,
				leakage_spend, missed_savings)
			SELECT '` + d.dim + `', 'day', s.day, ` + d.key + `, s.currency, sum(lines), sum(spend) * 100, sum(baseline_spend) * 100,
				sum(savings) * 100, sum(on_contract_spend) * 100, sum(rebates) * 100, sum(leakage_spend) * 100, sum(missed_savings) * 100
			FROM savings_daily s WHERE s.day IN (SELECT day FROM savings_days) GROUP BY s.day, 4, s.currency`).Error; err != nil {
			return err
		}
	}
	if err := tx.Exec(`DELETE FROM savings_rollup r WHERE r.grain = 'month'
		AND r.period IN (SELECT DISTINCT date_trunc('month', day)::date FROM savings_days)`).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO savings_rollup (dim, grain, period, key, currency, lines, spend, baseline_spend, savings, on_contract_spend, rebates,
			leakage_spend, missed_savings)
		SELECT dim, 'month', date_trunc('month', period)::date, key, currency, sum(lines), sum(spend), sum(baseline_spend), sum(savings),
			sum(on_contract_spend), sum(rebates), sum(leakage_spend), sum(missed_savings)
		FROM savings_rollup WHERE grain = 'day'
			AND date_trunc('month', period)::date IN (SELECT DISTINCT date_trunc('month', day)::date FROM savings_days)
		GROUP BY dim, 3, key, currency`).Error
}

// monthSpans splits the days from..to into the whole months inside it
// (first days firstMonth..lastMonth, none when firstMonth is after
// lastMonth) and the days before and after them.
func monthSpans(from, to time.Time) (firstMonth, lastMonth time.Time) {
	firstMonth = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !firstMonth.Equal(from) {
		firstMonth = firstMonth.AddDate(0, 1, 0)
	}
	next := to.AddDate(0, 0, 1)
	lastMonth = time.Date(next.Year(), next.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	return firstMonth, lastMonth
}

// savingsRow is one group's sums as the queries return them.
type savingsRow struct {
	Key, Label                                              string
	Lines                                                   int64
	Spend, BaselineSpend, Savings, OnContractSpend, Rebates decimal.Decimal
}

// checkReportRange adds to p what is wrong with a report's date range and
// currency (the savings and compliance reports ask for both alike), and
// returns the currency, def when none was asked for.
func checkReportRange(p *Problems, from, to time.Time, currency, def string) string {
	if from.IsZero() || to.IsZero() {
		p.Add("from", "from and to are required")
	} else if to.Before(from) {
		p.Add("to", "must not be before from")
	}
	if currency == "" {
		currency = def
	}
	if _, err := pricing.ParseCurrency(currency); err != nil {
		p.Add("currency", "must be an ISO 4217 currency code in capitals, such as DKK or EUR")
	}
	return currency
}

// Report returns the savings figures of q. Board and admins see every
// member; a member user only its own figures. Errors: EFORBIDDEN, EINVALID.
func (s *SavingsService) Report(ctx context.Context, q SavingsQuery) (*SavingsReport, error) {
	a, err := require(ctx, RoleAdmin, RoleBoard, RoleMember)
	if err != nil {
		return nil, err
	}
	var p Problems
	switch q.GroupBy {
	case GroupNone, GroupMonth, GroupCategory, GroupSupplier, GroupMember, GroupCluster:
	default:
		p.Add("group_by", "must be month, category, supplier, member or cluster")
	}
	q.Currency = checkReportRange(&p, q.From, q.To, q.Currency, s.currency)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var rows []savingsRow
	switch {
	case a.Role == RoleMember:
		err = s.ownFigures(ctx, a.MemberID, q, &rows)
	case q.GroupBy == GroupMember || q.GroupBy == GroupCluster:
		// 1,600 practices: from their running totals, two rows each
		// (clusters: the same rows summed by the member's cluster).
		err = s.memberRunningFigures(ctx, q.From, q.To, q.Currency, q.GroupBy == GroupCluster, &rows)
	default:
		err = s.rollupFigures(ctx, q, &rows)
	}
	if err != nil {
		return nil, err
	}
	rep := &SavingsReport{Currency: q.Currency, From: q.From, To: q.To, GroupBy: q.GroupBy}
	total := SavingsFigures{}
	for _, r := range rows {
		if a.Role != RoleMember { // staff figures come in hundredths
			r.Spend, r.BaselineSpend, r.Savings = r.Spend.Shift(-2), r.BaselineSpend.Shift(-2), r.Savings.Shift(-2)
			r.OnContractSpend, r.Rebates = r.OnContractSpend.Shift(-2), r.Rebates.Shift(-2)
		}
		f := SavingsFigures{Key: r.Key, Label: r.Label, Lines: r.Lines, Spend: r.Spend, BaselineSpend: r.BaselineSpend,
			Savings: r.Savings, OnContractSpend: r.OnContractSpend, Rebates: r.Rebates}
		f.ratios()
		if q.GroupBy != GroupNone {
			rep.Groups = append(rep.Groups, f)
		}
		total.Lines += f.Lines
		total.Spend = total.Spend.Add(f.Spend)
		total.BaselineSpend = total.BaselineSpend.Add(f.BaselineSpend)
		total.Savings = total.Savings.Add(f.Savings)
		total.OnContractSpend = total.OnContractSpend.Add(f.OnContractSpend)
		total.Rebates = total.Rebates.Add(f.Rebates)
	}
	total.ratios()
	rep.Total = total
	if total.Lines == 0 {
		rep.Note = fmt.Sprintf("no order lines in %s from %s to %s: every figure is zero", q.Currency,
			q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	credits := s.db.WithContext(ctx).Table("contract_credits").Select("coalesce(sum(amount), 0)").
		Where("created_at >= ? AND created_at < ? AND currency = ?", q.From, q.To.AddDate(0, 0, 1), q.Currency)
	if a.Role == RoleMember {
		credits = credits.Where("member_id = ?", a.MemberID)
	}
	if err := credits.Scan(&rep.TrueUpCredits).Error; err != nil {
		return nil, err
	}
	return rep, nil
}

// savingsSums are the sums of a source d of savings rows.
const savingsSums = `coalesce(sum(d.lines), 0) AS lines, coalesce(sum(d.spend), 0) AS spend,
	coalesce(sum(d.baseline_spend), 0) AS baseline_spend, coalesce(sum(d.savings), 0) AS savings,
	coalesce(sum(d.on_contract_spend), 0) AS on_contract_spend, coalesce(sum(d.rebates), 0) AS rebates`

// groupedSums sums source d by keyExpr (or not at all when keyExpr is
// empty), naming the groups through labelJoin (an x.name), if any.
func groupedSums(source, keyExpr, labelJoin string) string {
	return groupedQuery(savingsSums, "d.lines, d.spend, d.baseline_spend, d.savings, d.on_contract_spend, d.rebates",
		source, keyExpr, labelJoin, "")
}

// groupedQuery is the one shape of the reports' grouped sums: sums (a
// select list of sums over d) of source d by keyExpr, or one row of them
// when keyExpr is empty; the groups named through labelJoin (an x.name),
// if any, and kept when they pass where (a condition on the sums' columns
// cols, or ""), ordered by key.
func groupedQuery(sums, cols, source, keyExpr, labelJoin, where string) string {
	if keyExpr == "" {
		return "SELECT '' AS key, '' AS label, " + sums + " FROM " + source
	}
	label := "''"
	if labelJoin != "" {
		label = "x.name"
	}
	if where != "" {
		where = " WHERE " + where
	}
	// Group first, then name the groups (one join per group, not per row).
	return "SELECT d.key, " + label + " AS label, " + cols + " FROM (SELECT " +
		keyExpr + " AS key, " + sums + " FROM " + source + " GROUP BY 1) d " + labelJoin + where + " ORDER BY 1"
}

// ownFigures are a practice's own figures: its rows of savings_daily
// (index on member, day), in currency units.
func (s *SavingsService) ownFigures(ctx context.Context, memberID int64, q SavingsQuery, rows *[]savingsRow) error {
	var keyExpr, labelJoin string
	switch q.GroupBy {
	case GroupMonth:
		keyExpr = "to_char(d.day, 'YYYY-MM')"
	case GroupCategory:
		keyExpr = "d.category"
	case GroupSupplier:
		keyExpr, labelJoin = "d.supplier_id::text", "JOIN suppliers x ON x.id = d.key::bigint"
	case GroupMember:
		keyExpr, labelJoin = "d.member_id::text", "JOIN members x ON x.id = d.key::bigint"
	case GroupCluster:
		keyExpr = "(SELECT coalesce(m.quality_cluster, '') FROM members m WHERE m.id = d.member_id)"
	}
	source := "(SELECT * FROM savings_daily WHERE member_id = ? AND day BETWEEN ? AND ? AND currency = ?) d"
	return s.db.WithContext(ctx).Raw(groupedSums(source, keyExpr, labelJoin),
		memberID, q.From.Format(time.DateOnly), q.To.Format(time.DateOnly), q.Currency).Scan(rows).Error
}

// rollupFigures are the staff's figures by month, category, supplier or
// none, in hundredths: savings_rollup of the grouping's dimension, whole
// months from month rows and the days around them from day rows.
func (s *SavingsService) rollupFigures(ctx context.Context, q SavingsQuery, rows *[]savingsRow) error {
	dim, keyExpr, labelJoin := "total", "", ""
	switch q.GroupBy {
	case GroupCategory:
		dim, keyExpr = "category", "d.key"
	case GroupSupplier:
		dim, keyExpr, labelJoin = "supplier", "d.key", "JOIN suppliers x ON x.id = d.key::bigint"
	case GroupMonth:
		keyExpr = "to_char(d.day, 'YYYY-MM')"
	}
	source, args := rollupRange("period AS day, key, lines, spend, baseline_spend, savings, on_contract_spend, rebates",
		dim, q.Currency, q.From, q.To)
	return s.db.WithContext(ctx).Raw(groupedSums(source, keyExpr, labelJoin), args...).Scan(rows).Error
}

// rollupRange is the subquery "d" of savings_rollup's rows (columns cols,
// dimension dim, currency) that make up the days from..to: the whole
// months inside the range from month rows, the days around them from day
// rows (or only day rows when no whole month fits), with its arguments.
func rollupRange(cols, dim, currency string, from, to time.Time) (string, []any) {
	fromS, toS := from.Format(time.DateOnly), to.Format(time.DateOnly)
	fm, lm := monthSpans(from, to)
	if fm.After(lm) {
		return `(SELECT ` + cols + ` FROM savings_rollup
			WHERE dim = ? AND grain = 'day' AND currency = ? AND period BETWEEN ? AND ?) d`,
			[]any{dim, currency, fromS, toS}
	}
	return `(SELECT ` + cols + ` FROM savings_rollup
				WHERE dim = ? AND grain = 'month' AND currency = ? AND period BETWEEN ? AND ?
			UNION ALL
			SELECT ` + cols + ` FROM savings_rollup WHERE dim = ? AND grain = 'day' AND currency = ?
				AND (period BETWEEN ? AND ? OR period BETWEEN ? AND ?)) d`,
		[]any{dim, currency, fm.Format(time.DateOnly), lm.Format(time.DateOnly),
			dim, currency, fromS, fm.AddDate(0, 0, -1).Format(time.DateOnly),
			lm.AddDate(0, 1, 0).Format(time.DateOnly), toS}
}

// ratios fills the percentages (pricing's rounding: half away from zero).
func (f *SavingsFigures) ratios() {
	f.SavingsPercent = pricing.Percent(f.Savings, f.BaselineSpend)
	f.OnContractShare = pricing.Percent(f.OnContractSpend, f.Spend)
}

// LineTotals sums the stored order lines directly (no rollup): what a
// savings report must equal. For reconciliation tests and audits; staff only.
func (s *SavingsService) LineTotals(ctx context.Context, from, to time.Time, currency string) (*SavingsFigures, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	var f SavingsFigures
	err := s.db.WithContext(ctx).Raw(`SELECT count(*) AS lines, coalesce(sum(l.net_total), 0) AS spend,
			coalesce(sum(l.baseline_total), 0) AS baseline_spend, coalesce(sum(l.savings), 0) AS savings,
			coalesce(sum(l.net_total) FILTER (WHERE l.on_contract), 0) AS on_contract_spend,
			coalesce(sum(l.rebate_accrued), 0) AS rebates
		FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE o.status NOT IN ('cancelled', 'rejected') AND o.placed_on BETWEEN ? AND ? AND l.currency = ?`,
		from.Format(time.DateOnly), to.Format(time.DateOnly), strings.TrimSpace(currency)).Scan(&f).Error
	if err != nil {
		return nil, err
	}
	f.ratios()
	return &f, nil
}
