package domain

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// BankAccount is where a member's payouts go: a Danish registration number
// (4 digits) and account number (up to 10 digits).
type BankAccount struct {
	MemberID  int64
	RegNo     string
	AccountNo string
	UpdatedAt time.Time
	UpdatedBy string
}

var (
	regNoPattern   = regexp.MustCompile(`^[0-9]{4}$`)
	accountPattern = regexp.MustCompile(`^[0-9]{1,10}$`)
)

// SetBankAccount sets a member's bank details. Admins, or the member's own
// users. Errors: ENOTFOUND (not the caller's member), EFORBIDDEN, EINVALID.
func (s *SurplusService) SetBankAccount(ctx context.Context, memberID int64, regNo, accountNo string) (*BankAccount, error) {
	if err := s.visibleMember(ctx, memberID); err != nil {
		return nil, err
	}
	a, err := require(ctx, RoleAdmin, RoleMember)
	if err != nil {
		return nil, err
	}
	regNo = strings.ReplaceAll(strings.TrimSpace(regNo), " ", "")
	accountNo = strings.ReplaceAll(strings.TrimSpace(accountNo), " ", "")
	var p Problems
	if !regNoPattern.MatchString(regNo) {
		p.Add("reg_no", "must be a Danish bank registration number: 4 digits")
	}
	if !accountPattern.MatchString(accountNo) {
		p.Add("account_no", "must be a Danish account number: 1 to 10 digits")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	b := &BankAccount{MemberID: memberID, RegNo: regNo, AccountNo: accountNo, UpdatedAt: s.now().UTC(), UpdatedBy: a.Label}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO member_bank_accounts (member_id, reg_no, account_no, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id) DO UPDATE SET reg_no = EXCLUDED.reg_no,
			account_no = EXCLUDED.account_no, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
			b.MemberID, b.RegNo, b.AccountNo, b.UpdatedAt, b.UpdatedBy).Error; err != nil {
			return err
		}
		// the account number is not written to the trail, only its end
		return recordAudit(ctx, tx, auditEntry{action: "member.bank_account_set", entity: "member", entityID: memberID,
			memberID: memberID, details: map[string]any{"reg_no": regNo, "account_no_last4": last4(accountNo)}})
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

func last4(s string) string {
	if len(s) <= 4 {
		return s
	}
	return s[len(s)-4:]
}

// BankAccount returns a member's bank details. Errors: ENOTFOUND (also
// when none are set).
func (s *SurplusService) BankAccount(ctx context.Context, memberID int64) (*BankAccount, error) {
	if err := s.visibleMember(ctx, memberID); err != nil {
		return nil, err
	}
	var b BankAccount
	err := s.db.WithContext(ctx).Table("member_bank_accounts").Where("member_id = ?", memberID).Take(&b).Error
	if err != nil {
		return nil, notFoundOr(err, "bank account")
	}
	return &b, nil
}

func (s *SurplusService) bankAccounts(ctx context.Context) (map[int64]BankAccount, error) {
	var rows []BankAccount
	if err := s.db.WithContext(ctx).Table("member_bank_accounts").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]BankAccount, len(rows))
	for _, r := range rows {
		out[r.MemberID] = r
	}
	return out, nil
}

// visibleMember returns ENOTFOUND unless the caller may see member id.
func (s *SurplusService) visibleMember(ctx context.Context, id int64) error {
	var n int64
	err := s.db.WithContext(ctx).Model(&Member{}).Scopes(visibleTo(ctx, membersOwnership)).
		Where("members.id = ?", id).Count(&n).Error
	if err != nil {
		return err
	}
	if n == 0 {
		return NotFound("member")
	}
	return nil
}

// CapitalEntry is one line of a member's capital account.
type CapitalEntry struct {
	ID           int64
	RunID        int64
	SourceRunID  int64
	Kind         string // retained or redemption
	Period       string // of the patronage run it concerns
	Amount       decimal.Decimal
	CreatedAt    time.Time
	SourcePeriod string
}

// CapitalAccount is a member's individual capital account.
type CapitalAccount struct {
	MemberID int64
	Currency string
	Balance  decimal.Decimal
	Entries  []CapitalEntry
}

// Capital returns a member's capital account: every entry, oldest first,
// and the balance. A member sees its own; staff all. Errors: ENOTFOUND.
func (s *SurplusService) Capital(ctx context.Context, memberID int64) (*CapitalAccount, error) {
	if err := s.visibleMember(ctx, memberID); err != nil {
		return nil, err
	}
	acc := &CapitalAccount{MemberID: memberID, Currency: s.currency, Balance: decimal.Zero, Entries: []CapitalEntry{}}
	err := s.db.WithContext(ctx).Table("capital_entries").Scopes(visibleTo(ctx, capitalOwnership)).
		Select("capital_entries.id, capital_entries.run_id, capital_entries.source_run_id, capital_entries.kind, "+
			"capital_entries.amount, capital_entries.created_at, r.period AS source_period").
		Joins("JOIN surplus_runs r ON r.id = capital_entries.source_run_id").
		Where("capital_entries.member_id = ?", memberID).Order("capital_entries.id").Scan(&acc.Entries).Error
	if err != nil {
		return nil, err
	}
	for i, e := range acc.Entries {
		acc.Entries[i].Period = e.SourcePeriod
		acc.Balance = acc.Balance.Add(e.Amount)
	}
	return acc, nil
}

// StatementCategory is a member's purchases in one category and currency.
type StatementCategory struct {
	Category string
	Currency string
	Net      decimal.Decimal
	Baseline decimal.Decimal
	Savings  decimal.Decimal
}

// Statement is a member's notice of its allocation in a period's run.
type Statement struct {
	MemberID   int64
	MemberName string
	CVR        string
	RunID      int64
	Period     string
	From, To   time.Time
	Currency   string
	Status     string
	ApprovedAt *time.Time
	Purchases  []StatementCategory
	Savings    decimal.Decimal // against baseline, cooperative's currency lines
	// TrueUpCredits are the contract true-up credits (net of reversals) on
	// the member's lines of delivered orders placed in the period, in
	// Currency: owed on top of Savings (see contract_volume.go).
	TrueUpCredits  decimal.Decimal
	Allocation     SurplusAllocation
	TotalPatronage decimal.Decimal
	Distributable  decimal.Decimal
	CapitalBalance decimal.Decimal
}

// StatementPeriods lists the periods of the approved or distributed
// patronage runs member memberID has a statement of, newest first. A member
// sees only its own; staff all. Errors: ENOTFOUND.
func (s *SurplusService) StatementPeriods(ctx context.Context, memberID int64) ([]string, error) {
	if err := s.visibleMember(ctx, memberID); err != nil {
		return nil, err
	}
	var periods []string
	err := s.db.WithContext(ctx).Raw(`SELECT r.period FROM surplus_runs r
		WHERE r.kind = 'patronage' AND r.status IN ('approved', 'distributed')
		  AND EXISTS (SELECT 1 FROM surplus_allocations a WHERE a.run_id = r.id AND a.member_id = ?)
		ORDER BY r.period_to DESC`, memberID).Scan(&periods).Error
	return periods, err
}

// Statement returns member id's statement for the approved or distributed
// patronage run of period. A member sees only its own; staff all. Errors:
// ENOTFOUND (no such member or not the caller's, no approved run of the
// period, or the member has no figures in it).
func (s *SurplusService) Statement(ctx context.Context, memberID int64, period string) (*Statement, error) {
	if err := s.visibleMember(ctx, memberID); err != nil {
		return nil, err
	}
	p, err := ParseSurplusPeriod(period)
	if err != nil {
		return nil, NotFound("statement")
	}
	db := s.db.WithContext(ctx)
	var r SurplusRun
	if err := db.Where("kind = 'patronage' AND period = ? AND status IN ('approved', 'distributed')", p.Label).
		Take(&r).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, NotFound("statement")
		}
		return nil, err
	}
	var m Member
	if err := db.Where("id = ?", memberID).Take(&m).Error; err != nil {
		return nil, notFoundOr(err, "member")
	}
	st := &Statement{MemberID: m.ID, MemberName: m.Name, CVR: m.CVR, RunID: r.ID, Period: r.Period, From: r.PeriodFrom,
		To: r.PeriodTo, Currency: strings.TrimSpace(r.Currency), Status: r.Status, ApprovedAt: r.ApprovedAt,
		Distributable: r.Distributable, Purchases: []StatementCategory{}}
	var allocs []SurplusAllocation
	if err := db.Raw(`SELECT member_id, patronage, share, allocation, cash, retained, carry_forward_in,
		carry_forward_out, payout FROM surplus_allocations WHERE run_id = ? AND computation = ? AND member_id = ?`,
		r.ID, r.Computation, memberID).Scan(&allocs).Error; err != nil {
		return nil, err
	}
	if len(allocs) == 0 {
		return nil, NotFound("statement")
	}
	st.Allocation = allocs[0]
	if err := db.Raw(`SELECT coalesce(sum(patronage), 0) FROM surplus_allocations WHERE run_id = ? AND computation = ?`,
		r.ID, r.Computation).Scan(&st.TotalPatronage).Error; err != nil {
		return nil, err
	}
	if err := db.Raw(`SELECT l.category, l.currency, sum(l.net_total) AS net, sum(l.baseline_total) AS baseline,
		sum(l.savings) AS savings FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE l.member_id = ? AND o.status = 'delivered' AND o.placed_on BETWEEN ? AND ?
		GROUP BY 1, 2 ORDER BY 1, 2`, memberID, r.PeriodFrom, r.PeriodTo).Scan(&st.Purchases).Error; err != nil {
		return nil, err
	}
	st.Savings = decimal.Zero
	for i, c := range st.Purchases {
		st.Purchases[i].Currency = strings.TrimSpace(c.Currency)
		if st.Purchases[i].Currency == st.Currency {
			st.Savings = st.Savings.Add(c.Savings)
		}
	}
	if err := db.Raw(`SELECT coalesce(sum(c.amount), 0) FROM contract_credits c JOIN orders o ON o.id = c.order_id
		WHERE c.member_id = ? AND o.status = 'delivered' AND o.placed_on BETWEEN ? AND ? AND c.currency = ?`,
		memberID, r.PeriodFrom, r.PeriodTo, st.Currency).Scan(&st.TrueUpCredits).Error; err != nil {
		return nil, err
	}
	if err := db.Raw("SELECT coalesce(sum(amount), 0) FROM capital_entries WHERE member_id = ?", memberID).
		Scan(&st.CapitalBalance).Error; err != nil {
		return nil, err
	}
	return st, nil
}
