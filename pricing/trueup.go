package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// TrueUpCredit is what a member is owed for packs bought at paid when the
// cooperative's pooled volume later reached the tier priced at reached:
// (paid - reached) x packs, computed exactly and rounded once to the
// currency's minor unit, half away from zero. A reached price not below
// paid owes nothing (zero): a true-up only ever lowers a price.
// Errors: ErrCurrencyMismatch, ErrInvalidCurrency; ErrInvalidQuantity
// (field "quantity") for negative packs.
func TrueUpCredit(paid, reached Price, packs decimal.Decimal) (Money, error) {
	if err := paid.currency.Validate(); err != nil {
		return Money{}, err
	}
	if err := sameCurrency(paid.currency, reached.currency); err != nil {
		return Money{}, err
	}
	if packs.IsNegative() {
		return Money{}, newErr(ErrInvalidQuantity, "quantity", fmt.Sprintf("cannot be negative (got %s)", packs.String()))
	}
	diff := paid.amount.Sub(reached.amount)
	if !diff.IsPositive() {
		return ZeroMoney(paid.currency), nil
	}
	return roundMoney(diff.Mul(packs), paid.currency), nil
}
