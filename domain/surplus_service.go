package domain

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"andel/pricing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// SurplusRun is a surplus distribution (patronage refund) or a redemption
// of retained amounts, with its current figures.
type SurplusRun struct {
	ID                  int64
	Kind                string
	Status              string
	Period              string
	PeriodFrom          time.Time `gorm:"type:date"`
	PeriodTo            time.Time `gorm:"type:date"`
	Currency            string
	SourceRunID         *int64
	MemberID            *int64
	Computation         int
	SnapshotSHA256      string `gorm:"column:snapshot_sha256"`
	Income              decimal.Decimal
	Costs               decimal.Decimal
	Reserve             decimal.Decimal
	Distributable       decimal.Decimal
	CashTotal           decimal.Decimal
	RetainedTotal       decimal.Decimal
	CarryForwardTotal   decimal.Decimal
	CarryForwardInTotal decimal.Decimal
	Members             int
	MissingBankDetails  int
	PreparedByUserID    *int64
	PreparedBy          string
	PreparedAt          time.Time `gorm:"autoCreateTime:false"`
	ApprovedByUserID    *int64
	ApprovedBy          *string
	ApprovedAt          *time.Time
	ApprovedSHA256      *string `gorm:"column:approved_sha256"`
	DistributedAt       *time.Time
	CancelledAt         *time.Time
	UpdatedAt           time.Time

	// Snapshot is the current computation's inputs (loaded by Get).
	Snapshot *SurplusSnapshot `gorm:"-"`
	// Missing lists the members whose cash is carried forward for want of
	// bank details (loaded by Get).
	Missing []int64 `gorm:"-"`
}

// SurplusLineInput is a staff-entered income or cost line; amounts are
// decimal strings, validated here so that every problem is listed.
type SurplusLineInput struct {
	Description string
	Category    string
	Amount      string
}

// SurplusRunInput prepares a run. Percentages and amounts are decimal
// strings; empty means the default (cash 100 %, no minimum, no reserve).
type SurplusRunInput struct {
	Kind           string // patronage (default) or redemption
	Period         string
	Basis          string // whole (default) or category
	CashPercent    string
	MinimumPayout  string
	ReservePercent string
	ReserveAmount  string
	OtherIncome    []SurplusLineInput
	Costs          []SurplusLineInput
	// Redemption runs: the patronage run whose retained amounts are paid
	// and the percentage; or MemberID (a member that left) for all of its
	// balance.
	SourceRunID       int64
	MemberID          int64
	RedemptionPercent string
}

// SurplusRecomputeInput changes a draft's options or staff lines before
// recomputing; a nil field keeps what the run had.
type SurplusRecomputeInput struct {
	Basis          *string
	CashPercent    *string
	MinimumPayout  *string
	ReservePercent *string
	ReserveAmount  *string
	OtherIncome    *[]SurplusLineInput
	Costs          *[]SurplusLineInput
}

// SurplusService prepares, approves and distributes surplus runs and keeps
// the members' capital accounts.
type SurplusService struct {
	db *gorm.DB
	// catalogue gives the exchange rates of orders in other currencies
	catalogue *CatalogueService
	currency  string // the cooperative's
	now       func() time.Time
}

var (
	surplusRunsOwnership = ownership{} // the cooperative's: staff only
	capitalOwnership     = ownership{memberColumn: "capital_entries.member_id"}
)

// parseAmount reads a non-negative amount with at most 2 decimals.
func parseAmount(p *Problems, field, s string) decimal.Decimal {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	switch {
	case err != nil:
		p.Add(field, "must be a decimal amount such as 1234.50")
	case d.IsNegative():
		p.Add(field, "cannot be negative")
	case !d.Equal(d.Round(2)):
		p.Add(field, "has more than 2 decimals")
	case pricing.CheckMoneySize(d) != nil:
		p.Add(field, "is too large: an amount has at most 16 digits before the point")
	}
	return d
}

func parsePercent(p *Problems, field, s string) pricing.BasisPoints {
	b, err := pricing.ParsePercent(s)
	if err != nil {
		p.Add(field, "%v", err)
	}
	return b
}

func parseLines(p *Problems, field, kind string, in []SurplusLineInput) []SurplusLine {
	out := make([]SurplusLine, 0, len(in))
	for i, l := range in {
		f := fmt.Sprintf("%s[%d]", field, i)
		if strings.TrimSpace(l.Description) == "" {
			p.Add(f+".description", "is required")
		}
		checkLength(p, f+".description", strings.TrimSpace(l.Description), 500)
		checkLength(p, f+".category", strings.TrimSpace(l.Category), 200)
		a := parseAmount(p, f+".amount", l.Amount)
		out = append(out, SurplusLine{Kind: kind, Description: strings.TrimSpace(l.Description),
			Category: strings.TrimSpace(l.Category), Amount: a.Round(2)})
	}
	return out
}

// options validates the option fields into o.
func parseOptions(p *Problems, o *SurplusOptions, basis, cash, minimum, reservePct, reserveAmt *string) {
	if basis != nil {
		switch b := strings.TrimSpace(*basis); b {
		case "", BasisWhole:
			o.Basis = BasisWhole
		case BasisCategory:
			o.Basis = BasisCategory
		default:
			p.Add("basis", "must be whole or category")
		}
	}
	if cash != nil {
		if strings.TrimSpace(*cash) == "" {
			o.CashShare = pricing.FullBasisPoints
		} else {
			o.CashShare = parsePercent(p, "cash_percent", *cash)
		}
	}
	if minimum != nil {
		o.MinimumPayout = decimal.Zero
		if strings.TrimSpace(*minimum) != "" {
			o.MinimumPayout = parseAmount(p, "minimum_payout", *minimum).Round(2)
		}
	}
	if reservePct != nil || reserveAmt != nil {
		rp, ra := "", ""
		if reservePct != nil {
			rp = strings.TrimSpace(*reservePct)
		} else if o.ReservePercent != nil {
			rp = o.ReservePercent.String()
		}
		if reserveAmt != nil {
			ra = strings.TrimSpace(*reserveAmt)
		} else if o.ReserveAmount != nil {
			ra = o.ReserveAmount.String()
		}
		o.ReservePercent, o.ReserveAmount = nil, nil
		switch {
		case rp != "" && ra != "":
			p.Add("reserve_amount", "give a reserve percentage or a reserve amount, not both")
		case rp != "":
			b := parsePercent(p, "reserve_percent", rp)
			o.ReservePercent = &b
		case ra != "":
			a := parseAmount(p, "reserve_amount", ra).Round(2)
			o.ReserveAmount = &a
		}
	}
}

// Prepare creates a draft run and computes it. Admins only. Errors:
// EFORBIDDEN; EINVALID listing every problem (malformed or negative
// amounts, percentages outside 0-100 or not whole basis points, a period
// without delivered orders, an unknown source run); ECONFLICT for a
// patronage run overlapping another of the same kind, or a redemption of a
// source that has one in progress.
func (s *SurplusService) Prepare(ctx context.Context, in SurplusRunInput) (*SurplusRun, error) {
	a, err := require(ctx, RoleAdmin)
	if err != nil {
		return nil, err
	}
	var p Problems
	kind := strings.TrimSpace(in.Kind)
	if kind == "" {
		kind = SurplusPatronage
	}
	if kind != SurplusPatronage && kind != SurplusRedemption {
		p.Add("kind", "must be patronage or redemption")
	}
	snap := SurplusSnapshot{Kind: kind, Currency: s.currency, Lines: []SurplusLine{}, Members: []SurplusMember{}}
	snap.Options = SurplusOptions{Basis: BasisWhole, CashShare: pricing.FullBasisPoints}
	parseOptions(&p, &snap.Options, &in.Basis, &in.CashPercent, &in.MinimumPayout, &in.ReservePercent, &in.ReserveAmount)
	other := parseLines(&p, "other_income", LineIncome, in.OtherIncome)
	costs := parseLines(&p, "costs", LineCost, in.Costs)
	var period SurplusPeriod
	if kind == SurplusRedemption {
		if len(in.OtherIncome)+len(in.Costs) > 0 {
			p.Add("costs", "a redemption has no income or cost lines")
		}
		if in.MemberID == 0 && in.SourceRunID == 0 {
			p.Add("source_run_id", "name the patronage run whose retained amounts are paid, or member_id for a member that left")
		}
		if in.MemberID != 0 && in.SourceRunID != 0 {
			p.Add("member_id", "a single-member redemption pays the member's whole balance: give no source_run_id")
		}
		snap.Options.RedemptionPercent = pricing.FullBasisPoints
		if in.MemberID == 0 {
			snap.Options.RedemptionPercent = parsePercent(&p, "redemption_percent", in.RedemptionPercent)
		} else if strings.TrimSpace(in.RedemptionPercent) != "" && strings.TrimSpace(in.RedemptionPercent) != "100" {
			p.Add("redemption_percent", "a single-member redemption pays 100 percent")
		}
	} else {
		if in.SourceRunID != 0 || in.MemberID != 0 {
			p.Add("source_run_id", "only a redemption run has a source run or member")
		}
		var err error
		if period, err = ParseSurplusPeriod(in.Period); err != nil {
			p.Add("period", "%v", err)
		}
	}
	if len(p) > 0 {
		return nil, p.Err()
	}
	snap.Lines = append(append(snap.Lines, other...), costs...)
	snap.SourceRunID, snap.MemberID = in.SourceRunID, in.MemberID
	if kind == SurplusRedemption {
		period, err = s.redemptionPeriod(ctx, &snap, &p)
		if err != nil {
			return nil, err
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
	}
	snap.Period, snap.From, snap.To = period.Label, period.From.Format(time.DateOnly), period.To.Format(time.DateOnly)
	if err := s.gather(ctx, &snap, &p); err != nil {
		return nil, err
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	run := &SurplusRun{Kind: kind, Status: SurplusDraft, Period: period.Label, PeriodFrom: period.From, PeriodTo: period.To,
		Currency: s.currency, PreparedByUserID: nonZero(a.UserID), PreparedBy: a.Label, PreparedAt: s.now().UTC()}
	if in.SourceRunID != 0 {
		run.SourceRunID = &in.SourceRunID
	}
	if in.MemberID != 0 {
		run.MemberID = &in.MemberID
	}
	err = inSurplusTx(ctx, s.db, func(tx surplusTx) error {
		if kind == SurplusRedemption {
			// one redemption in progress per source (or member) at a time
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lockKeyOf("surplus-redemption")); err != nil {
				return err
			}
			var busy bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM surplus_runs WHERE kind = 'redemption'
				AND status IN ('draft', 'approved') AND (source_run_id = $1 OR member_id = $2))`,
				nullInt(in.SourceRunID), nullInt(in.MemberID)).Scan(&busy); err != nil {
				return err
			}
			if busy {
				return Errorf(ECONFLICT, "a redemption of these retained amounts is already in progress")
			}
		}
		err := tx.QueryRow(ctx, `INSERT INTO surplus_runs (kind, status, period, period_from, period_to, currency,
			source_run_id, member_id, prepared_by_user_id, prepared_by, prepared_at)
			VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, updated_at`,
			run.Kind, run.Period, run.PeriodFrom, run.PeriodTo, run.Currency, run.SourceRunID, run.MemberID,
			run.PreparedByUserID, run.PreparedBy, run.PreparedAt).Scan(&run.ID, &run.UpdatedAt)
		if err != nil {
			return surplusWriteError(err)
		}
		if err := s.storeComputation(ctx, tx, run, snap, a.Label); err != nil {
			return err
		}
		return recordAudit(ctx, tx.db, auditEntry{action: "surplus_run.prepared", entity: "surplus_run", entityID: run.ID,
			memberID: in.MemberID, details: runAudit(run)})
	})
	if err != nil {
		return nil, err
	}
	return run, nil
}

func nullInt(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// surplusWriteError maps the overlap exclusion to ECONFLICT.
func surplusWriteError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23P01" && pgErr.ConstraintName == "surplus_runs_no_overlap" {
		return &Error{Code: ECONFLICT, Message: "another patronage run covers part of this period",
			Fields: []FieldError{{Field: "period", Message: "overlaps a run that is not cancelled"}}}
	}
	return err
}

func runAudit(r *SurplusRun) map[string]any {
	return map[string]any{"kind": r.Kind, "status": r.Status, "period": r.Period, "computation": r.Computation,
		"snapshot_sha256": r.SnapshotSHA256, "distributable": r.Distributable.StringFixed(2),
		"cash_total": r.CashTotal.StringFixed(2), "retained_total": r.RetainedTotal.StringFixed(2),
		"carry_forward_total": r.CarryForwardTotal.StringFixed(2)}
}

// redemptionPeriod checks a redemption's source and returns its period
// (the source run's, or for a single member the span of its capital).
func (s *SurplusService) redemptionPeriod(ctx context.Context, snap *SurplusSnapshot, p *Problems) (SurplusPeriod, error) {
	db := s.db.WithContext(ctx)
	if snap.MemberID != 0 {
		var m Member
		if err := db.Where("id = ?", snap.MemberID).Take(&m).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				p.Add("member_id", "no such member")
				return SurplusPeriod{}, nil
			}
			return SurplusPeriod{}, err
		}
		if m.Status != MemberLeft {
			p.Add("member_id", "a single-member redemption is for a member that left (this one is %s)", m.Status)
		}
		var span struct{ From, To *time.Time }
		if err := db.Raw(`SELECT min(r.period_from) AS "from", max(r.period_to) AS "to" FROM capital_entries e
			JOIN surplus_runs r ON r.id = e.source_run_id WHERE e.member_id = ?`, snap.MemberID).Scan(&span).Error; err != nil {
			return SurplusPeriod{}, err
		}
		if span.From == nil {
			p.Add("member_id", "the member has no capital to redeem")
			return SurplusPeriod{}, nil
		}
		return SurplusPeriod{Label: "member-" + strconv.FormatInt(snap.MemberID, 10), From: *span.From, To: *span.To}, nil
	}
	var src SurplusRun
	if err := db.Where("id = ?", snap.SourceRunID).Take(&src).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			p.Add("source_run_id", "no such surplus run")
			return SurplusPeriod{}, nil
		}
		return SurplusPeriod{}, err
	}
	if src.Kind != SurplusPatronage || src.Status != SurplusDistributed {
		p.Add("source_run_id", "must be a distributed patronage run (this one is a %s %s run)", src.Status, src.Kind)
	}
	return SurplusPeriod{Label: src.Period, From: src.PeriodFrom, To: src.PeriodTo}, nil
}

// gather reads a run's inputs from the database into snap: for a
// patronage run the rebates and the members' patronage of delivered lines
// in the period and the carry-ins of the previous distributed run; for a
// redemption the members' retained balances. Problems: no delivered
// orders, a missing exchange rate, nothing to redeem.
func (s *SurplusService) gather(ctx context.Context, snap *SurplusSnapshot, p *Problems) error {
	bank, err := s.bankAccounts(ctx)
	if err != nil {
		return err
	}
	statuses := map[int64]string{}
	var ms []struct {
		ID     int64
		Status string
	}
	if err := s.db.WithContext(ctx).Raw("SELECT id, status FROM members").Scan(&ms).Error; err != nil {
		return err
	}
	for _, m := range ms {
		statuses[m.ID] = m.Status
	}
	byID := map[int64]*SurplusMember{}
	member := func(id int64) *SurplusMember {
		m, ok := byID[id]
		if !ok {
			m = &SurplusMember{MemberID: id, Status: statuses[id]}
			if b, ok := bank[id]; ok {
				m.RegNo, m.AccountNo = b.RegNo, b.AccountNo
			}
			byID[id] = m
		}
		return m
	}
	if snap.Kind == SurplusRedemption {
		return s.gatherRedemption(ctx, snap, p, member, byID)
	}
	cur := pricing.Currency(s.currency)
	rates, err := s.catalogue.RateTable(ctx)
	if err != nil {
		return err
	}
	reported := map[string]bool{}
	convert := func(amount decimal.Decimal, currency string) (decimal.Decimal, bool) {
		currency = strings.TrimSpace(currency)
		if currency == s.currency {
			return amount, true
		}
		r, err := rates.Lookup(pricing.Currency(currency))
		if err != nil {
			if !reported[currency] {
				reported[currency] = true
				p.Add("period", "orders in %s have no exchange rate into %s", currency, s.currency)
			}
			return decimal.Zero, false
		}
		m, err := r.ConvertMoney(pricing.MustMoney(amount.String(), pricing.Currency(currency)))
		if err != nil {
			p.Add("period", "%v", err)
			return decimal.Zero, false
		}
		return m.Amount(), true
	}
	_ = cur
	// Two hash aggregates of the period's delivered lines: per member (and
	// category, for the category basis), and the rebates per supplier,
	// contract and category. work_mem keeps them in memory (a national
	// year has millions of lines); one GROUPING SETS scan was slower.
	memberCols := "l.member_id, NULL::bigint, NULL::bigint, NULL::text, l.currency"
	memberGroup := "l.member_id, l.currency"
	if snap.Options.Basis == BasisCategory {
		memberCols = "l.member_id, NULL::bigint, NULL::bigint, l.category, l.currency"
		memberGroup = "l.member_id, l.category, l.currency"
	}
	type aggRow struct {
		memberID, supplierID, contractID *int64
		category                         *string
		currency                         string
		net, rebate                      decimal.Decimal
	}
	var rows []aggRow
	err = inSurplusTx(ctx, s.db, func(tx surplusTx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil {
			return err
		}
		for _, q := range []string{
			`SELECT ` + memberCols + `, sum((l.net_total * 100)::bigint), 0::numeric
			FROM order_lines l JOIN orders o ON o.id = l.order_id
			WHERE o.status = 'delivered' AND o.placed_on BETWEEN $1 AND $2
			GROUP BY ` + memberGroup,
			// Contract true-up credits on those lines are what the member
			// did not pay in the end: they come off its patronage.
			`SELECT ` + memberCols + `, -sum((c.amount * 100)::bigint), 0::numeric
			FROM contract_credits c JOIN order_lines l ON l.id = c.order_line_id JOIN orders o ON o.id = l.order_id
			WHERE o.status = 'delivered' AND o.placed_on BETWEEN $1 AND $2
			GROUP BY ` + memberGroup,
			`SELECT NULL::bigint, l.supplier_id, l.contract_id, l.category, l.currency, 0::numeric, sum((l.rebate_accrued * 100)::bigint)
			FROM order_lines l JOIN orders o ON o.id = l.order_id
			WHERE o.status = 'delivered' AND o.placed_on BETWEEN $1 AND $2 AND l.rebate_accrued <> 0
			GROUP BY l.supplier_id, l.contract_id, l.category, l.currency`,
		} {
			res, err := tx.Query(ctx, q, snap.From, snap.To)
			if err != nil {
				return err
			}
			var net, rebate decimal.Decimal
			for res.Next() {
				var r aggRow
				if err := res.Scan(&r.memberID, &r.supplierID, &r.contractID, &r.category, &r.currency, &net, &rebate); err != nil {
					res.Close()
					return err
				}
				// sums in hundredths: sums of bigint run on 128-bit integers,
				// several times faster than numeric sums, and exact
				r.net, r.rebate = net.Shift(-2), rebate.Shift(-2)
				rows = append(rows, r)
			}
			res.Close()
			if err := res.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		p.Add("period", "has no delivered orders (%s to %s)", snap.From, snap.To)
		return nil
	}
	var names []struct {
		ID   int64
		Name string
	}
	if err := s.db.WithContext(ctx).Raw("SELECT id, name FROM suppliers").Scan(&names).Error; err != nil {
		return err
	}
	supplierName := map[int64]string{}
	for _, n := range names {
		supplierName[n.ID] = n.Name
	}
	var lines []SurplusLine
	for _, r := range rows {
		if r.memberID != nil {
			amt, ok := convert(r.net, r.currency)
			if !ok {
				continue
			}
			m := member(*r.memberID)
			m.Patronage = m.Patronage.Add(amt)
			if snap.Options.Basis == BasisCategory && r.category != nil {
				if m.ByCategory == nil {
					m.ByCategory = map[string]decimal.Decimal{}
				}
				m.ByCategory[*r.category] = m.ByCategory[*r.category].Add(amt)
			}
			continue
		}
		if r.rebate.IsZero() || r.supplierID == nil {
			continue
		}
		amt, ok := convert(r.rebate, r.currency)
		if !ok {
			continue
		}
		l := SurplusLine{Kind: LineRebate, Description: "Rebates: " + supplierName[*r.supplierID], SupplierID: *r.supplierID, Amount: amt}
		if r.category != nil {
			l.Category = *r.category
		}
		if r.contractID != nil {
			l.ContractID = *r.contractID
		}
		if c := strings.TrimSpace(r.currency); c != s.currency {
			l.Currency, l.Original = c, r.rebate
		}
		lines = append(lines, l)
	}
	// the same order every time: the snapshot is hashed
	slices.SortFunc(lines, func(a, b SurplusLine) int {
		if c := cmpInt64(a.SupplierID, b.SupplierID); c != 0 {
			return c
		}
		if c := cmpInt64(a.ContractID, b.ContractID); c != 0 {
			return c
		}
		if c := strings.Compare(a.Category, b.Category); c != 0 {
			return c
		}
		return strings.Compare(a.Currency, b.Currency)
	})
	snap.Lines = append(lines, snap.Lines...)
	// carry-ins: the previous distributed patronage run's carry-forwards
	var carry []struct {
		MemberID        int64
		CarryForwardOut decimal.Decimal
	}
	err = s.db.WithContext(ctx).Raw(`SELECT a.member_id, a.carry_forward_out FROM surplus_allocations a
		JOIN surplus_runs r ON r.id = a.run_id AND r.computation = a.computation
		WHERE r.id = (SELECT id FROM surplus_runs WHERE kind = 'patronage' AND status = 'distributed'
		              AND period_to < ? ORDER BY period_to DESC LIMIT 1)
		  AND a.carry_forward_out > 0`, snap.From).Scan(&carry).Error
	if err != nil {
		return err
	}
	for _, c := range carry {
		m := member(c.MemberID)
		m.CarryIn = c.CarryForwardOut
	}
	snap.Members = sortedMembers(byID)
	return nil
}

func (s *SurplusService) gatherRedemption(ctx context.Context, snap *SurplusSnapshot, p *Problems,
	member func(int64) *SurplusMember, byID map[int64]*SurplusMember) error {
	q := `SELECT member_id, source_run_id, sum(amount) AS balance FROM capital_entries WHERE `
	arg := snap.SourceRunID
	if snap.MemberID != 0 {
		q += "member_id = ?"
		arg = snap.MemberID
	} else {
		q += "source_run_id = ?"
	}
	var rows []struct {
		MemberID, SourceRunID int64
		Balance               decimal.Decimal
	}
	if err := s.db.WithContext(ctx).Raw(q+" GROUP BY 1, 2 HAVING sum(amount) > 0 ORDER BY 1, 2", arg).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		m := member(r.MemberID)
		if m.RegNo == "" {
			// no bank details: nothing can be paid; the balance stays
			delete(byID, r.MemberID)
			snap.Lines = append(snap.Lines, SurplusLine{Kind: "unpaid", Description: "no bank details: member " +
				strconv.FormatInt(r.MemberID, 10), Amount: r.Balance})
			continue
		}
		m.Patronage = m.Patronage.Add(r.Balance)
		if m.BySource == nil {
			m.BySource = map[string]decimal.Decimal{}
		}
		m.BySource[strconv.FormatInt(r.SourceRunID, 10)] = r.Balance
	}
	snap.Members = sortedMembers(byID)
	if len(snap.Members) == 0 {
		p.Add("source_run_id", "no member with bank details holds retained amounts of it")
	}
	return nil
}

func sortedMembers(byID map[int64]*SurplusMember) []SurplusMember {
	out := make([]SurplusMember, 0, len(byID))
	for _, m := range byID {
		out = append(out, *m)
	}
	sortMembers(out)
	return out
}

// storeComputation computes snap and stores it as the run's next
// computation with every member's figures (COPY), and the run's totals.
func (s *SurplusService) storeComputation(ctx context.Context, tx surplusTx, run *SurplusRun, snap SurplusSnapshot, by string) error {
	f, err := ComputeSurplus(snap)
	if err != nil {
		if ErrorCode(err) == EINVALID {
			return err
		}
		return fmt.Errorf("compute surplus run %d: %w", run.ID, err)
	}
	b, sum, err := snap.Encode()
	if err != nil {
		return err
	}
	n := run.Computation + 1
	if _, err := tx.Exec(ctx, `INSERT INTO surplus_computations (run_id, computation, snapshot, sha256, computed_by)
		VALUES ($1, $2, $3, $4, $5)`, run.ID, n, string(b), sum, by); err != nil {
		return err
	}
	// every member's figures in one statement: one array per column
	al := f.Allocations
	num := func(get func(a SurplusAllocation) decimal.Decimal) string {
		return pgArray(len(al), false, func(i int) string { return get(al[i]).String() })
	}
	if _, err := tx.Exec(ctx, `INSERT INTO surplus_allocations (run_id, computation, member_id, patronage, share,
		allocation, cash, retained, carry_forward_in, carry_forward_out, payout, bank_reg_no, bank_account_no)
		SELECT $1, $2, * FROM unnest($3::bigint[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[],
			$8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::text[], $13::text[])`,
		run.ID, n, pgArray(len(al), false, func(i int) string { return strconv.FormatInt(al[i].MemberID, 10) }),
		num(func(a SurplusAllocation) decimal.Decimal { return a.Patronage }),
		num(func(a SurplusAllocation) decimal.Decimal { return a.Share }),
		num(func(a SurplusAllocation) decimal.Decimal { return a.Allocation }),
		num(func(a SurplusAllocation) decimal.Decimal { return a.Cash }),
		num(func(a SurplusAllocation) decimal.Decimal { return a.Retained }),
		num(func(a SurplusAllocation) decimal.Decimal { return a.CarryForwardIn }),
		num(func(a SurplusAllocation) decimal.Decimal { return a.CarryForwardOut }),
		num(func(a SurplusAllocation) decimal.Decimal { return a.Payout }),
		pgArray(len(al), true, func(i int) string { return al[i].BankRegNo }),
		pgArray(len(al), true, func(i int) string { return al[i].BankAccountNo })); err != nil {
		return err
	}
	run.Computation, run.SnapshotSHA256 = n, sum
	run.Income, run.Costs, run.Reserve, run.Distributable = f.Income, f.Costs, f.Reserve, f.Distributable
	run.CashTotal, run.RetainedTotal, run.CarryForwardTotal, run.CarryForwardInTotal =
		f.CashTotal, f.RetainedTotal, f.CarryForwardTotal, f.CarryForwardInTotal
	run.Members, run.MissingBankDetails = len(f.Allocations), len(f.MissingBankDetails)
	run.Missing = f.MissingBankDetails
	snapCopy := snap
	run.Snapshot = &snapCopy
	return tx.QueryRow(ctx, `UPDATE surplus_runs SET computation = $2, snapshot_sha256 = $3, income = $4, costs = $5,
		reserve = $6, distributable = $7, cash_total = $8, retained_total = $9, carry_forward_total = $10,
		carry_forward_in_total = $11, members = $12, missing_bank_details = $13, updated_at = now()
		WHERE id = $1 RETURNING updated_at`, run.ID, n, sum, f.Income, f.Costs, f.Reserve,
		f.Distributable, f.CashTotal, f.RetainedTotal, f.CarryForwardTotal,
		f.CarryForwardInTotal, run.Members, run.MissingBankDetails).Scan(&run.UpdatedAt)
}

// Get returns a run with its current snapshot. Staff only. Errors:
// EFORBIDDEN, ENOTFOUND.
func (s *SurplusService) Get(ctx context.Context, id int64) (*SurplusRun, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	var r SurplusRun
	if err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, surplusRunsOwnership)).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFoundOr(err, "surplus run")
	}
	snap, err := s.snapshot(ctx, r.ID, r.Computation)
	if err != nil {
		return nil, err
	}
	r.Snapshot = snap
	err = s.db.WithContext(ctx).Raw(`SELECT member_id FROM surplus_allocations WHERE run_id = ? AND computation = ?
		AND carry_forward_out > 0 AND bank_reg_no = '' ORDER BY member_id`, r.ID, r.Computation).Scan(&r.Missing).Error
	return &r, err
}

// snapshot reads and decodes a stored computation's inputs.
func (s *SurplusService) snapshot(ctx context.Context, runID int64, n int) (*SurplusSnapshot, error) {
	var raw string
	if err := s.db.WithContext(ctx).Raw("SELECT snapshot FROM surplus_computations WHERE run_id = ? AND computation = ?",
		runID, n).Scan(&raw).Error; err != nil {
		return nil, err
	}
	var snap SurplusSnapshot
	if err := jsonUnmarshal([]byte(raw), &snap); err != nil {
		return nil, err
	}
	return &snap, nil
}

// SurplusRunFilter narrows a run list.
type SurplusRunFilter struct {
	Status, Kind string
	Page         Page
}

// List returns runs, newest first. Staff only.
func (s *SurplusService) List(ctx context.Context, f SurplusRunFilter) ([]SurplusRun, int64, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, 0, err
	}
	q := s.db.WithContext(ctx).Scopes(visibleTo(ctx, surplusRunsOwnership))
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	var rows []SurplusRun
	if err := q.Scopes(f.Page.keyset("surplus_runs", true)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, f.Page, func(r SurplusRun) int64 { return r.ID })
	return rows, next, nil
}

// Allocations returns a page of a run's current figures, by member id.
// Staff only.
func (s *SurplusService) Allocations(ctx context.Context, runID int64, page Page) ([]SurplusAllocation, int64, error) {
	r, err := s.Get(ctx, runID)
	if err != nil {
		return nil, 0, err
	}
	page = page.normalized()
	var rows []SurplusAllocation
	err = s.db.WithContext(ctx).Raw(`SELECT member_id, patronage, share, allocation, cash, retained, carry_forward_in,
		carry_forward_out, payout, bank_reg_no, bank_account_no FROM surplus_allocations
		WHERE run_id = ? AND computation = ? AND member_id > ? ORDER BY member_id LIMIT ?`,
		r.ID, r.Computation, page.After, page.Limit+1).Scan(&rows).Error
	if err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, page, func(a SurplusAllocation) int64 { return a.MemberID })
	return rows, next, nil
}

// lockDraft reads run id for update inside tx and checks its status.
func lockRun(ctx context.Context, tx surplusTx, id int64) (*SurplusRun, error) {
	var r SurplusRun
	err := tx.QueryRow(ctx, `SELECT id, kind, status, period, period_from, period_to, currency, source_run_id, member_id,
		computation, snapshot_sha256, distributable, prepared_by_user_id, prepared_by
		FROM surplus_runs WHERE id = $1 FOR UPDATE`, id).Scan(&r.ID, &r.Kind, &r.Status, &r.Period, &r.PeriodFrom,
		&r.PeriodTo, &r.Currency, &r.SourceRunID, &r.MemberID, &r.Computation, &r.SnapshotSHA256, &r.Distributable,
		&r.PreparedByUserID, &r.PreparedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFound("surplus run")
	}
	return &r, err
}

// Recompute computes a draft again from the database's current data, with
// the changes of in; the earlier computation stays in the history.
// Admins only. Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT (not a draft),
// EINVALID.
func (s *SurplusService) Recompute(ctx context.Context, id int64, in SurplusRecomputeInput) (*SurplusRun, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	a, err := require(ctx, RoleAdmin)
	if err != nil {
		return nil, err
	}
	var out *SurplusRun
	err = inSurplusTx(ctx, s.db, func(tx surplusTx) error {
		r, err := lockRun(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Status != SurplusDraft {
			return Errorf(ECONFLICT, "the run is %s: only a draft is recomputed", r.Status)
		}
		old, err := s.snapshot(ctx, r.ID, r.Computation)
		if err != nil {
			return err
		}
		var p Problems
		snap := SurplusSnapshot{Kind: old.Kind, Period: old.Period, From: old.From, To: old.To, Currency: old.Currency,
			SourceRunID: old.SourceRunID, MemberID: old.MemberID, Options: old.Options, Lines: []SurplusLine{}}
		parseOptions(&p, &snap.Options, in.Basis, in.CashPercent, in.MinimumPayout, in.ReservePercent, in.ReserveAmount)
		var staff []SurplusLine
		for _, l := range old.Lines {
			if (l.Kind == LineIncome && in.OtherIncome == nil) || (l.Kind == LineCost && in.Costs == nil) {
				staff = append(staff, l)
			}
		}
		if in.OtherIncome != nil {
			staff = append(staff, parseLines(&p, "other_income", LineIncome, *in.OtherIncome)...)
		}
		if in.Costs != nil {
			staff = append(staff, parseLines(&p, "costs", LineCost, *in.Costs)...)
		}
		if r.Kind == SurplusRedemption && (in.OtherIncome != nil || in.Costs != nil) {
			p.Add("costs", "a redemption has no income or cost lines")
		}
		if err := p.Err(); err != nil {
			return err
		}
		snap.Lines = append(snap.Lines, staff...)
		if err := s.gather(ctx, &snap, &p); err != nil {
			return err
		}
		if err := p.Err(); err != nil {
			return err
		}
		if err := s.storeComputation(ctx, tx, r, snap, a.Label); err != nil {
			return err
		}
		out = r
		return recordAudit(ctx, tx.db, auditEntry{action: "surplus_run.recomputed", entity: "surplus_run", entityID: r.ID,
			details: runAudit(r)})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, out.ID)
}

// Approve approves a draft: a board user who did not prepare it; the
// snapshot's sha256 is recorded and the figures are frozen. Errors:
// ENOTFOUND; EFORBIDDEN (not board, or the preparer); ECONFLICT (not a
// draft); EINVALID (nothing to distribute).
func (s *SurplusService) Approve(ctx context.Context, id int64) (*SurplusRun, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	a, err := require(ctx, RoleBoard)
	if err != nil {
		return nil, Errorf(EFORBIDDEN, "only a board user may approve a surplus run")
	}
	err = inSurplusTx(ctx, s.db, func(tx surplusTx) error {
		r, err := lockRun(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Status != SurplusDraft {
			return Errorf(ECONFLICT, "the run is %s: only a draft is approved", r.Status)
		}
		if r.PreparedByUserID != nil && *r.PreparedByUserID == a.UserID {
			return Errorf(EFORBIDDEN, "the user who prepared the run may not approve it")
		}
		if !r.Distributable.IsPositive() {
			return &Error{Code: EINVALID, Message: "nothing to distribute", Fields: []FieldError{{Field: "distributable",
				Message: fmt.Sprintf("is %s: income less costs and reserve must be positive to approve", r.Distributable.StringFixed(2))}}}
		}
		now := s.now().UTC()
		if _, err := tx.Exec(ctx, `UPDATE surplus_runs SET status = 'approved', approved_by_user_id = $2, approved_by = $3,
			approved_at = $4, approved_sha256 = snapshot_sha256, updated_at = now() WHERE id = $1`,
			r.ID, nonZero(a.UserID), a.Label, now); err != nil {
			return err
		}
		r.Status = SurplusApproved
		return recordAudit(ctx, tx.db, auditEntry{action: "surplus_run.approved", entity: "surplus_run", entityID: r.ID,
			details: map[string]any{"snapshot_sha256": r.SnapshotSHA256, "computation": r.Computation,
				"distributable": r.Distributable.StringFixed(2)}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Cancel cancels a draft or approved run. Staff only. Errors: ENOTFOUND,
// EFORBIDDEN, ECONFLICT (distributed or cancelled).
func (s *SurplusService) Cancel(ctx context.Context, id int64) (*SurplusRun, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	err := inSurplusTx(ctx, s.db, func(tx surplusTx) error {
		r, err := lockRun(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Status != SurplusDraft && r.Status != SurplusApproved {
			return Errorf(ECONFLICT, "the run is %s: only a draft or approved run is cancelled", r.Status)
		}
		var started bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM surplus_payouts WHERE run_id = $1)
			OR EXISTS (SELECT 1 FROM capital_entries WHERE run_id = $1)`, id).Scan(&started); err != nil {
			return err
		}
		if started {
			return Errorf(ECONFLICT, "the run's distribution has started; it is completed by the surplus-distribute job")
		}
		if _, err := tx.Exec(ctx, `UPDATE surplus_runs SET status = 'cancelled', cancelled_at = now(), updated_at = now()
			WHERE id = $1`, id); err != nil {
			return err
		}
		return recordAudit(ctx, tx.db, auditEntry{action: "surplus_run.cancelled", entity: "surplus_run", entityID: id,
			details: map[string]any{"was": r.Status}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Verify recomputes the run's current figures from its stored snapshot
// and reports the first member (or total) whose stored figure differs.
// Staff only.
func (s *SurplusService) Verify(ctx context.Context, id int64) error {
	r, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	f, err := ComputeSurplus(*r.Snapshot)
	if err != nil {
		return err
	}
	_, sum, err := r.Snapshot.Encode()
	if err != nil {
		return err
	}
	if sum != r.SnapshotSHA256 {
		return fmt.Errorf("snapshot hash %s, stored %s", sum, r.SnapshotSHA256)
	}
	for _, t := range []struct {
		name       string
		got, store decimal.Decimal
	}{{"distributable", f.Distributable, r.Distributable}, {"cash_total", f.CashTotal, r.CashTotal},
		{"retained_total", f.RetainedTotal, r.RetainedTotal}, {"carry_forward_total", f.CarryForwardTotal, r.CarryForwardTotal}} {
		if !t.got.Equal(t.store) {
			return fmt.Errorf("%s: recomputed %s, stored %s", t.name, t.got, t.store)
		}
	}
	var stored []SurplusAllocation
	if err := s.db.WithContext(ctx).Raw(`SELECT member_id, patronage, share, allocation, cash, retained, carry_forward_in,
		carry_forward_out, payout, bank_reg_no, bank_account_no FROM surplus_allocations
		WHERE run_id = ? AND computation = ? ORDER BY member_id`, r.ID, r.Computation).Scan(&stored).Error; err != nil {
		return err
	}
	if len(stored) != len(f.Allocations) {
		return fmt.Errorf("%d members stored, %d recomputed", len(stored), len(f.Allocations))
	}
	for i, a := range f.Allocations {
		b := stored[i]
		if a.MemberID != b.MemberID || !a.Patronage.Equal(b.Patronage) || !a.Share.Equal(b.Share) ||
			!a.Allocation.Equal(b.Allocation) || !a.Cash.Equal(b.Cash) || !a.Retained.Equal(b.Retained) ||
			!a.CarryForwardIn.Equal(b.CarryForwardIn) || !a.CarryForwardOut.Equal(b.CarryForwardOut) || !a.Payout.Equal(b.Payout) {
			return fmt.Errorf("member %d: recomputed %+v, stored %+v", a.MemberID, a, b)
		}
	}
	return nil
}
