package domain

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// periodPattern is a demand period: a year, a half, a quarter or a month.
var periodPattern = regexp.MustCompile(`^[0-9]{4}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$`)

// ValidPeriod reports whether s names a demand period: "2027", "2027-H1",
// "2027-Q3" or "2027-05".
func ValidPeriod(s string) bool { return periodPattern.MatchString(s) }

// periodMonths returns the year and the first and last month a valid
// period covers: 2027 is months 1-12, 2027-H2 7-12, 2027-Q3 7-9, 2027-05
// 5-5.
func periodMonths(period string) (year, first, last int) {
	year, _ = strconv.Atoi(period[:4])
	if len(period) == 4 {
		return year, 1, 12
	}
	n, _ := strconv.Atoi(strings.TrimLeft(period[5:], "HQ"))
	switch period[5] {
	case 'H':
		return year, 6*n - 5, 6 * n
	case 'Q':
		return year, 3*n - 2, 3 * n
	}
	return year, n, n
}

// periodMonthsSQL computes the same months in SQL for demand_lines d, as
// columns m1 and m2 (the period format is checked on the way in).
const periodMonthsSQL = `CASE WHEN length(d.period) = 4 THEN 1
		WHEN substr(d.period, 6, 1) = 'H' THEN substr(d.period, 7, 1)::int * 6 - 5
		WHEN substr(d.period, 6, 1) = 'Q' THEN substr(d.period, 7, 1)::int * 3 - 2
		ELSE substr(d.period, 6, 2)::int END AS m1,
	CASE WHEN length(d.period) = 4 THEN 12
		WHEN substr(d.period, 6, 1) = 'H' THEN substr(d.period, 7, 1)::int * 6
		WHEN substr(d.period, 6, 1) = 'Q' THEN substr(d.period, 7, 1)::int * 3
		ELSE substr(d.period, 6, 2)::int END AS m2`

// DemandLine is a member's expected quantity of a product for a period, in
// the product's base unit; EnteredQuantity and EnteredUnit keep what the
// member stated (a pack unit with PackContent base units per pack, say).
type DemandLine struct {
	ID              int64
	MemberID        int64
	Period          string
	ProductID       int64
	Quantity        decimal.Decimal
	BaseUnit        string
	EnteredQuantity decimal.Decimal
	EnteredUnit     string
	PackContent     *decimal.Decimal
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// ProductName is filled by reads, for display.
	ProductName string `gorm:"->;-:migration"`
}

// DemandInput is one stated need: Quantity of Unit (empty: the product's
// base unit). A package unit (BX, PK, XBX...) needs PackContent, the base
// units one pack holds; a measure of the base unit's dimension (LTR for a
// product in MLT) converts exactly.
type DemandInput struct {
	ProductID   int64
	Quantity    decimal.Decimal
	Unit        string
	PackContent *decimal.Decimal
}

// PooledDemand is the cooperative's demand for one product in a period:
// the sum over members, and how many members stand behind it.
type PooledDemand struct {
	ProductID   int64
	ProductName string
	Category    string
	BaseUnit    string
	Quantity    decimal.Decimal
	Members     int
}

// DemandService records members' expected demand and pools it.
type DemandService struct{ db *gorm.DB }

var demandOwnership = ownership{memberColumn: "demand_lines.member_id"}

// checkMember returns ENOTFOUND unless the caller may see member id (its
// own member, or staff).
func (s *DemandService) checkMember(ctx context.Context, tx *gorm.DB, id int64) error {
	var n int64
	if err := tx.WithContext(ctx).Table("members").Scopes(visibleTo(ctx, membersOwnership)).
		Where("members.id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return NotFound("member")
	}
	return nil
}

// Replace sets member id's demand for period to lines, replacing what it
// stated before (no lines: none). A member's user for its own member, or an
// admin. Errors: ENOTFOUND (another member, or no such member), EFORBIDDEN,
// EINVALID listing every bad line.
func (s *DemandService) Replace(ctx context.Context, memberID int64, period string, lines []DemandInput) ([]DemandLine, error) {
	if err := s.checkMember(ctx, s.db, memberID); err != nil {
		return nil, err
	}
	if _, err := require(ctx, RoleAdmin, RoleMember); err != nil {
		return nil, err
	}
	var p Problems
	if !ValidPeriod(period) {
		p.Add("period", "must be a year (2027), half (2027-H1), quarter (2027-Q3) or month (2027-05)")
	}
	ids := make([]int64, 0, len(lines))
	for _, l := range lines {
		ids = append(ids, l.ProductID)
	}
	var products []Product
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&products).Error; err != nil {
		return nil, err
	}
	// A merged product's old id states demand for the product it was
	// merged into, so that the pooled figure counts it.
	byID := make(map[int64]Product, len(products))
	for _, pr := range products {
		asked := pr.ID
		if err := followMerges(ctx, s.db, &pr); err != nil {
			return nil, err
		}
		byID[asked] = pr
	}
	seen := map[int64]bool{}
	rows := make([]DemandLine, 0, len(lines))
	for i, l := range lines {
		f := fmt.Sprintf("lines[%d]", i)
		pr, ok := byID[l.ProductID]
		if !ok {
			p.Add(f+".product_id", "no such product")
			continue
		}
		if seen[pr.ID] {
			p.Add(f+".product_id", "product %d is stated twice", pr.ID)
			continue
		}
		seen[pr.ID] = true
		if u, err := pricing.ReadUnit(l.Unit); err == nil {
			l.Unit = u.Code // a member may write "stk", "æsk", "ml": stored as its code
		}
		qty, err := demandBaseQuantity(l, pr.BaseUnit)
		if err != nil {
			for _, e := range pricing.FieldErrors(err) {
				field := f + ".quantity"
				if strings.Contains(e.Field, "unit") {
					field = f + ".unit"
				} else if strings.Contains(e.Field, "content") {
					field = f + ".pack_content"
				}
				p.Add(field, "%s", e.Message)
			}
			if len(pricing.FieldErrors(err)) == 0 {
				p.Add(f+".quantity", "%s", err.Error())
			}
			continue
		}
		unit := l.Unit
		if unit == "" {
			unit = pr.BaseUnit
		}
		rows = append(rows, DemandLine{MemberID: memberID, Period: period, ProductID: pr.ID, Quantity: qty,
			BaseUnit: pr.BaseUnit, EnteredQuantity: l.Quantity, EnteredUnit: unit, PackContent: l.PackContent})
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Lock the member row so that two replacements apply one after the other.
		if err := tx.Exec("SELECT 1 FROM members WHERE id = ? FOR UPDATE", memberID).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM demand_lines WHERE member_id = ? AND period = ?", memberID, period).Error; err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := tx.Omit("ID", "CreatedAt", "UpdatedAt").Create(&rows).Error; err != nil {
				return err
			}
		}
		return recordAudit(ctx, tx, auditEntry{action: "demand.replaced", entity: "member", entityID: memberID,
			memberID: memberID, details: map[string]any{"period": period, "lines": len(rows)}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, memberID, period)
}

// demandBaseQuantity converts a stated quantity into the product's base
// unit through pricing.
func demandBaseQuantity(l DemandInput, baseUnit string) (decimal.Decimal, error) {
	q, err := statedBaseQuantity(l, baseUnit)
	if err == nil {
		// Both what was stated and what it comes to are kept.
		if err = pricing.CheckQuantity(l.Quantity); err == nil {
			err = pricing.CheckQuantity(q)
		}
	}
	return q, err
}

func statedBaseQuantity(l DemandInput, baseUnit string) (decimal.Decimal, error) {
	if !l.Quantity.IsPositive() {
		return decimal.Zero, &pricing.Error{Kind: pricing.ErrInvalidQuantity, Field: "quantity", Message: "must be positive"}
	}
	if l.Unit == "" || l.Unit == baseUnit {
		return l.Quantity, nil
	}
	u, err := pricing.LookupUnit(l.Unit)
	if err != nil {
		return decimal.Zero, err
	}
	// A package, or a piece holding a measure (bottles of a product kept
	// in ml), counts through the content per pack.
	if u.IsPackage() || (l.PackContent != nil && !pricing.SameDimension(l.Unit, baseUnit)) {
		if l.PackContent == nil {
			return decimal.Zero, &pricing.Error{Kind: pricing.ErrInvalidQuantity, Field: "content",
				Message: "is required for the pack unit " + l.Unit + " (base units per pack)"}
		}
		pack := pricing.Pack{Unit: l.Unit, Content: pricing.Quantity{Value: *l.PackContent, Unit: baseUnit}}
		q, err := pack.BaseQuantity(l.Quantity, baseUnit)
		if err != nil {
			return decimal.Zero, err
		}
		return q.Value, nil
	}
	return pricing.ConvertUnit(l.Quantity, l.Unit, baseUnit)
}

// Get returns member id's demand for period, by product. The member's own
// users and staff. Errors: ENOTFOUND.
func (s *DemandService) Get(ctx context.Context, memberID int64, period string) ([]DemandLine, error) {
	if err := s.checkMember(ctx, s.db, memberID); err != nil {
		return nil, err
	}
	var rows []DemandLine
	err := s.db.WithContext(ctx).Table("demand_lines").
		Select("demand_lines.*, products.name AS product_name").
		Joins("JOIN products ON products.id = demand_lines.product_id").
		Scopes(visibleTo(ctx, demandOwnership)).
		Where("demand_lines.member_id = ? AND demand_lines.period = ?", memberID, period).
		Order("demand_lines.product_id").Find(&rows).Error
	return rows, err
}

// Pool sums every member's demand for period per product (only products of
// category, when given), with the number of members behind each figure.
// Admins and the board. Errors: EFORBIDDEN, EINVALID.
func (s *DemandService) Pool(ctx context.Context, period, category string) ([]PooledDemand, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	if !ValidPeriod(period) {
		var p Problems
		p.Add("period", "must be a year (2027), half (2027-H1), quarter (2027-Q3) or month (2027-05)")
		return nil, p.Err()
	}
	return s.pool(ctx, s.db, period, category)
}

// DemandPeriod is a period members stated demand for, with how many
// members and products stand behind it.
type DemandPeriod struct {
	Period   string
	Members  int
	Products int
}

// Periods lists the periods with stated demand, latest first (a year
// before its halves, quarters and months), for choosing what a tender
// pools. Admins and the board. Errors: EFORBIDDEN.
func (s *DemandService) Periods(ctx context.Context) ([]DemandPeriod, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, err
	}
	var rows []DemandPeriod
	err := s.db.WithContext(ctx).Raw(`SELECT period, count(DISTINCT member_id) AS members, count(DISTINCT product_id) AS products
		FROM demand_lines GROUP BY period ORDER BY substr(period, 1, 4) DESC, length(period),
		CASE substr(period, 6, 1) WHEN 'H' THEN 1 WHEN 'Q' THEN 2 ELSE 3 END, period LIMIT 200`).Scan(&rows).Error
	return rows, err
}

// pool is Pool without the rights check, for tenders built from demand.
//
// Periods roll up: the demand of a period is every statement for a period
// inside it (2027 counts the statements for 2027, 2027-H1, 2027-Q3 and
// 2027-05). A member that stated both a period and a part of it (2027 and
// 2027-H1) meant the part to be included in the whole: the larger
// statement counts and the part inside it does not, so nothing is counted
// twice. Statements never roll down: a year's statement is not split into
// its quarters.
func (s *DemandService) pool(ctx context.Context, tx *gorm.DB, period, category string) ([]PooledDemand, error) {
	year, first, last := periodMonths(period)
	q := tx.WithContext(ctx).Raw(`WITH d AS (
		SELECT d.member_id, d.product_id, d.period, d.base_unit, d.quantity, `+periodMonthsSQL+`
		FROM demand_lines d WHERE d.period LIKE @year)
	SELECT d.product_id, p.name AS product_name, p.category, d.base_unit, sum(d.quantity) AS quantity,
		count(DISTINCT d.member_id) AS members
	FROM d JOIN products p ON p.id = d.product_id
	WHERE d.m1 >= @first AND d.m2 <= @last AND (@category = '' OR p.category = @category)
	  AND NOT EXISTS (SELECT 1 FROM d o WHERE o.member_id = d.member_id AND o.product_id = d.product_id
		AND o.period <> d.period AND o.m1 <= d.m1 AND o.m2 >= d.m2 AND o.m1 >= @first AND o.m2 <= @last)
	GROUP BY d.product_id, p.name, p.category, d.base_unit ORDER BY d.product_id`,
		map[string]any{"year": fmt.Sprintf("%04d%%", year), "first": first, "last": last, "category": category})
	var rows []PooledDemand
	err := q.Scan(&rows).Error
	return rows, err
}
