package domain

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Contract compliance (leakage): the spend practices place off contract,
// and the part of it bought while the product had a contract (leakage)
// with the savings that contract would have given (missed savings, fixed
// on each line when it was placed: lineInputs.price, pricing.MissedSaving).
// Read from the savings rollups only (savings_daily, savings_rollup,
// savings_member_running, compliance_products), never from order_lines.

// ComplianceService reads the compliance figures.
type ComplianceService struct {
	db       *gorm.DB
	currency string
}

// ComplianceQuery asks for the figures of orders placed From..To
// (inclusive days), grouped by GroupMember, GroupCategory, GroupSupplier
// or not at all (GroupNone).
type ComplianceQuery struct {
	From, To time.Time
	GroupBy  string
	Currency string // default: the cooperative's
}

// ComplianceFigures are one group's (or everything's) figures.
type ComplianceFigures struct {
	Key, Label string
	Lines      int64
	Spend      decimal.Decimal // all spend
	// OffContractSpend is the spend on lines not on a contract;
	// LeakageSpend its part bought while the product had a contract, and
	// MissedSavings what those lines would have saved on it.
	OffContractSpend decimal.Decimal
	LeakageSpend     decimal.Decimal
	MissedSavings    decimal.Decimal
	// OffContractShare and LeakageShare are percentages of Spend (2
	// decimals, pricing.Percent).
	OffContractShare decimal.Decimal
	LeakageShare     decimal.Decimal
}

// ComplianceProduct is a product a practice bought off contract: how many
// lines, the spend, and what the contract would have saved.
type ComplianceProduct struct {
	ProductID        int64
	Name, Category   string
	Lines            int64
	OffContractSpend decimal.Decimal
	LeakageSpend     decimal.Decimal
	MissedSavings    decimal.Decimal
}

// ComplianceReport is a compliance answer.
type ComplianceReport struct {
	Currency string
	From, To time.Time
	GroupBy  string
	Total    ComplianceFigures
	Groups   []ComplianceFigures
	// Products are, for a practice, the products it most often bought off
	// contract in the range (most lines first, at most TopProducts).
	Products []ComplianceProduct
	Note     string
}

// TopProducts is how many of its off-contract products a practice sees.
const TopProducts = 10

type complianceRow struct {
	Key, Label                                          string
	Lines                                               int64
	Spend, OnContractSpend, LeakageSpend, MissedSavings decimal.Decimal
}

// Report returns the compliance figures of q: every practice's for board
// and admins, a practice's own for its users (its groups are its own
// categories and suppliers, and its one member row), with its top
// off-contract products. Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
func (s *ComplianceService) Report(ctx context.Context, q ComplianceQuery) (*ComplianceReport, error) {
	a, err := require(ctx, RoleAdmin, RoleBoard, RoleMember)
	if err != nil {
		return nil, err
	}
	var p Problems
	switch q.GroupBy {
	case GroupNone, GroupCategory, GroupSupplier, GroupMember:
	default:
		p.Add("group_by", "must be member, category or supplier")
	}
	q.Currency = checkReportRange(&p, q.From, q.To, q.Currency, s.currency)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var rows []complianceRow
	staff := a.Role != RoleMember
	switch {
	case !staff:
		err = s.ownFigures(ctx, a.MemberID, q, &rows)
	case q.GroupBy == GroupMember:
		err = s.memberFigures(ctx, q, &rows)
	default:
		err = s.rollupFigures(ctx, q, &rows)
	}
	if err != nil {
		return nil, err
	}
	rep := &ComplianceReport{Currency: q.Currency, From: q.From, To: q.To, GroupBy: q.GroupBy}
	var total ComplianceFigures
	for _, r := range rows {
		if staff { // the staff's rollups keep hundredths
			r.Spend, r.OnContractSpend = r.Spend.Shift(-2), r.OnContractSpend.Shift(-2)
			r.LeakageSpend, r.MissedSavings = r.LeakageSpend.Shift(-2), r.MissedSavings.Shift(-2)
		}
		f := ComplianceFigures{Key: r.Key, Label: r.Label, Lines: r.Lines, Spend: r.Spend,
			OffContractSpend: r.Spend.Sub(r.OnContractSpend), LeakageSpend: r.LeakageSpend, MissedSavings: r.MissedSavings}
		f.ratios()
		if q.GroupBy != GroupNone {
			rep.Groups = append(rep.Groups, f)
		}
		total.Lines += f.Lines
		total.Spend = total.Spend.Add(f.Spend)
		total.OffContractSpend = total.OffContractSpend.Add(f.OffContractSpend)
		total.LeakageSpend = total.LeakageSpend.Add(f.LeakageSpend)
		total.MissedSavings = total.MissedSavings.Add(f.MissedSavings)
	}
	total.ratios()
	rep.Total = total
	if total.Lines == 0 {
		rep.Note = fmt.Sprintf("no order lines in %s from %s to %s: every figure is zero", q.Currency,
			q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	if !staff {
		if err := s.topProducts(ctx, a.MemberID, q, &rep.Products); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func (f *ComplianceFigures) ratios() {
	f.OffContractShare = pricing.Percent(f.OffContractSpend, f.Spend)
	f.LeakageShare = pricing.Percent(f.LeakageSpend, f.Spend)
}

const complianceSums = `coalesce(sum(d.lines), 0) AS lines, coalesce(sum(d.spend), 0) AS spend,
	coalesce(sum(d.on_contract_spend), 0) AS on_contract_spend, coalesce(sum(d.leakage_spend), 0) AS leakage_spend,
	coalesce(sum(d.missed_savings), 0) AS missed_savings`

// complianceGrouped sums source d by keyExpr (none when empty), naming the
// groups through labelJoin (an x.name), if any.
func complianceGrouped(source, keyExpr, labelJoin string) string {
	return groupedQuery(complianceSums, "d.lines, d.spend, d.on_contract_spend, d.leakage_spend, d.missed_savings",
		source, keyExpr, labelJoin, "d.lines > 0")
}

// ownFigures are a practice's own figures from its savings_daily rows.
func (s *ComplianceService) ownFigures(ctx context.Context, memberID int64, q ComplianceQuery, rows *[]complianceRow) error {
	var keyExpr, labelJoin string
	switch q.GroupBy {
	case GroupCategory:
		keyExpr = "d.category"
	case GroupSupplier:
		keyExpr, labelJoin = "d.supplier_id::text", "JOIN suppliers x ON x.id = d.key::bigint"
	case GroupMember:
		keyExpr, labelJoin = "d.member_id::text", "JOIN members x ON x.id = d.key::bigint"
	}
	source := "(SELECT * FROM savings_daily WHERE member_id = ? AND day BETWEEN ? AND ? AND currency = ?) d"
	err := s.db.WithContext(ctx).Raw(complianceGrouped(source, keyExpr, labelJoin),
		memberID, q.From.Format(time.DateOnly), q.To.Format(time.DateOnly), q.Currency).Scan(rows).Error
	if err == nil && keyExpr == "" && len(*rows) == 1 && (*rows)[0].Lines == 0 {
		*rows = nil
	}
	return err
}

// rollupFigures are the staff's figures by category, supplier or none
// from savings_rollup (whole months from month rows, the days around
// them from day rows), in hundredths.
func (s *ComplianceService) rollupFigures(ctx context.Context, q ComplianceQuery, rows *[]complianceRow) error {
	dim, keyExpr, labelJoin := "total", "", ""
	switch q.GroupBy {
	case GroupCategory:
		dim, keyExpr = "category", "d.key"
	case GroupSupplier:
		dim, keyExpr, labelJoin = "supplier", "d.key", "JOIN suppliers x ON x.id = d.key::bigint"
	}
	source, args := rollupRange("key, lines, spend, on_contract_spend, leakage_spend, missed_savings", dim, q.Currency, q.From, q.To)
	err := s.db.WithContext(ctx).Raw(complianceGrouped(source, keyExpr, labelJoin), args...).Scan(rows).Error
	if err == nil && keyExpr == "" && len(*rows) == 1 && (*rows)[0].Lines == 0 {
		*rows = nil
	}
	return err
}

// memberFigures are every practice's figures from its running totals:
// running(to) - running(from - 1), two rows per practice whatever the
// range (to capped at the last day kept), in hundredths.
func (s *ComplianceService) memberFigures(ctx context.Context, q ComplianceQuery, rows *[]complianceRow) error {
	db := s.db.WithContext(ctx)
	var last sql.NullTime
	if err := db.Raw("SELECT max(day) FROM savings_member_running").Row().Scan(&last); err != nil {
		return err
	}
	to, before := q.To, q.From.AddDate(0, 0, -1)
	if last.Valid && last.Time.Before(to) {
		to = last.Time
	}
	if !last.Valid || !to.After(before) {
		return nil
	}
	diff := func(col string) string {
		return "sum(CASE WHEN r.day = @hi THEN r." + col + " ELSE -r." + col + " END)::bigint AS " + col
	}
	return db.Raw(`SELECT d.key, m.name AS label, d.lines, d.spend, d.on_contract_spend, d.leakage_spend, d.missed_savings
		FROM (SELECT r.member_id::text AS key, `+diff("lines")+`, `+diff("spend")+`, `+diff("on_contract_spend")+`,
				`+diff("leakage_spend")+`, `+diff("missed_savings")+`
			FROM savings_member_running r
			WHERE r.day IN (@hi, @lo) AND r.currency = @currency
			GROUP BY r.member_id) d
		JOIN members m ON m.id = d.key::bigint
		WHERE d.lines > 0
		ORDER BY 1`, map[string]any{"hi": to.Format(time.DateOnly), "lo": before.Format(time.DateOnly), "currency": q.Currency}).Scan(rows).Error
}

// topProducts are the products member bought off contract most often in
// q's range (most lines, then most missed savings, then product id).
func (s *ComplianceService) topProducts(ctx context.Context, memberID int64, q ComplianceQuery, out *[]ComplianceProduct) error {
	return s.db.WithContext(ctx).Raw(`SELECT d.product_id, p.name, p.category, d.lines, d.off_contract_spend, d.leakage_spend, d.missed_savings
		FROM (SELECT product_id, sum(lines) AS lines, sum(spend) AS off_contract_spend,
				sum(leakage_spend) AS leakage_spend, sum(missed_savings) AS missed_savings
			FROM compliance_products
			WHERE member_id = ? AND day BETWEEN ? AND ? AND currency = ?
			GROUP BY product_id) d
		JOIN products p ON p.id = d.product_id
		ORDER BY d.lines DESC, d.missed_savings DESC, d.product_id
		LIMIT ?`, memberID, q.From.Format(time.DateOnly), q.To.Format(time.DateOnly), q.Currency, TopProducts).Scan(out).Error
}

// refreshComplianceProducts recomputes compliance_products for the (day,
// member, supplier) keys of a savings rollup (savings_keys), from the
// off-contract lines of their orders that stand.
func refreshComplianceProducts(tx *gorm.DB) error {
	if err := tx.Exec(`DELETE FROM compliance_products c USING savings_keys k
		WHERE c.day = k.day AND c.member_id = k.member_id AND c.supplier_id = k.supplier_id`).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO compliance_products (day, member_id, supplier_id, product_id, currency, lines, spend,
			leakage_spend, missed_savings)
		SELECT o.placed_on, o.member_id, o.supplier_id, l.product_id, l.currency, count(*), sum(l.net_total),
			coalesce(sum(l.net_total) FILTER (WHERE l.contract_unit_price IS NOT NULL), 0), sum(l.missed_savings)
		FROM savings_keys k
		JOIN orders o ON o.placed_on = k.day AND o.member_id = k.member_id AND o.supplier_id = k.supplier_id
		JOIN order_lines l ON l.order_id = o.id
		WHERE o.status NOT IN ('cancelled', 'rejected') AND NOT l.on_contract
		GROUP BY 1, 2, 3, 4, 5`).Error
}
