package pricing

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// BasisPoints is a percentage in hundredths of a percent: 10000 is 100 %.
// The board's cash share, a reserve percentage and a redemption percentage
// are whole basis points, so that they are exact in any base.
type BasisPoints int64

// FullBasisPoints is 100 %.
const FullBasisPoints BasisPoints = 10000

// ShareDecimals is the number of decimals of a member's share of the
// total patronage (ShareOf).
const ShareDecimals = 10

// ParsePercent reads a percentage between 0 and 100 given as a decimal
// string ("12.5", "100") and returns it in basis points. Errors:
// ErrInvalidInput for a malformed number, a value outside 0-100, or one
// that is not a whole basis point (more than two decimals that are not
// zero).
func ParsePercent(s string) (BasisPoints, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return 0, newErr(ErrInvalidInput, "", fmt.Sprintf("%q is not a number", s))
	}
	return PercentFromDecimal(d)
}

// PercentFromDecimal is ParsePercent for a number already read.
func PercentFromDecimal(d decimal.Decimal) (BasisPoints, error) {
	if d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
		return 0, newErr(ErrInvalidInput, "", fmt.Sprintf("a percentage must be between 0 and 100 (got %s)", d.String()))
	}
	bp := d.Shift(2)
	if !bp.Equal(bp.Truncate(0)) {
		return 0, newErr(ErrInvalidInput, "", fmt.Sprintf("a percentage must be a whole basis point, at most 2 decimals (got %s)", d.String()))
	}
	return BasisPoints(bp.IntPart()), nil
}

// Valid reports whether b is between 0 and 100 %.
func (b BasisPoints) Valid() bool { return b >= 0 && b <= FullBasisPoints }

// Decimal returns b as a percentage ("12.50" -> 12.5).
func (b BasisPoints) Decimal() decimal.Decimal { return decimal.New(int64(b), -2) }

// String returns the percentage with two decimals ("12.50").
func (b BasisPoints) String() string { return b.Decimal().StringFixed(2) }

// fraction is b as a fraction of one (exact: 4 decimals).
func (b BasisPoints) fraction() decimal.Decimal { return decimal.New(int64(b), -4) }

// PercentOf returns b of m, rounded to the minor unit half away from zero
// (one rounding of the exact product): a reserve percentage of the income,
// a redemption percentage of the retained amounts. Errors:
// ErrInvalidInput for b outside 0-100 %; ErrInvalidCurrency.
func PercentOf(m Money, b BasisPoints) (Money, error) {
	if !b.Valid() {
		return Money{}, newErr(ErrInvalidInput, "", fmt.Sprintf("a percentage must be between 0 and 100 (got %s)", b))
	}
	return m.MulRound(b.fraction())
}

// SplitCash splits a member's allocation into the part paid in cash and
// the part retained on its capital account by the board's cash share:
// cash is allocation x share rounded half away from zero to the minor
// unit, retained is the rest, so cash + retained = allocation exactly and
// both have the allocation's sign. Errors: ErrInvalidInput for a share
// outside 0-100 %; ErrInvalidAmount for a negative allocation.
func SplitCash(allocation Money, cashShare BasisPoints) (cash, retained Money, err error) {
	if allocation.IsNegative() {
		return Money{}, Money{}, newErr(ErrInvalidAmount, "", fmt.Sprintf("cannot split a negative allocation (%s)", allocation))
	}
	cash, err = PercentOf(allocation, cashShare)
	if err != nil {
		return Money{}, Money{}, err
	}
	retained, err = allocation.Sub(cash)
	return cash, retained, err
}

// ShareOf returns part / whole with ShareDecimals decimals, half away from
// zero: a member's share of the total patronage, for display (the
// allocation itself is Allocate's exact integer arithmetic). Zero when
// whole is zero.
func ShareOf(part, whole decimal.Decimal) decimal.Decimal {
	if whole.IsZero() {
		return decimal.Zero
	}
	return part.DivRound(whole, ShareDecimals)
}

// PayoutRule decides what of a member's cash is paid now.
type PayoutRule struct {
	// Minimum is the smallest payout made; a payable amount below it is
	// carried forward. The zero value means no minimum.
	Minimum Money
	// Payable is false when the member cannot be paid (no bank details):
	// its whole payable amount is carried forward.
	Payable bool
}

// Payout returns what is paid now and what is carried forward of a
// member's cash plus its carry-in: all paid when the member can be paid
// and the sum is at least the minimum, else all carried forward. payout +
// carryForward = cash + carryIn exactly. Errors: ErrCurrencyMismatch,
// ErrInvalidAmount for negative amounts.
func (r PayoutRule) Payout(cash, carryIn Money) (payout, carryForward Money, err error) {
	if cash.IsNegative() || carryIn.IsNegative() {
		return Money{}, Money{}, newErr(ErrInvalidAmount, "", "cash and carry-in cannot be negative")
	}
	payable, err := cash.Add(carryIn)
	if err != nil {
		return Money{}, Money{}, err
	}
	zero := ZeroMoney(cash.currency)
	if !r.Payable {
		return zero, payable, nil
	}
	if r.Minimum.currency != "" {
		c, err := payable.Cmp(r.Minimum)
		if err != nil {
			return Money{}, Money{}, err
		}
		if c < 0 {
			return zero, payable, nil
		}
	}
	return payable, zero, nil
}
