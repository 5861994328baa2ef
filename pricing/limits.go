package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// What the database keeps, and so the largest values this package lets
// into a Price, a Money, an exchange rate or a quantity: prices are
// NUMERIC(18,6) (12 digits before the point), totals NUMERIC(18,2) (16),
// rates NUMERIC(18,8) (10), quantities and pack contents NUMERIC(18,6)
// (12). A larger value would fail only when stored, as a server error;
// refused here, it is the client's 4xx naming the field. Sensible bounds
// below these (how many packs one order line may hold) are the
// cooperative's and configured in domain.
var (
	maxPrice    = decimal.New(1, 12)
	maxMoney    = decimal.New(1, 16)
	maxRate     = decimal.New(1, 10)
	maxQuantity = decimal.New(1, 12)
)

// tooLarge reports whether |d| does not stay below limit.
func tooLarge(d, limit decimal.Decimal) bool { return d.Abs().Cmp(limit) >= 0 }

// CheckQuantity returns ErrInvalidQuantity when q is too large to be kept
// (12 digits before the point) or has more than 6 decimals.
func CheckQuantity(q decimal.Decimal) error {
	if tooLarge(q, maxQuantity) {
		return newErr(ErrInvalidQuantity, "quantity", fmt.Sprintf("%s is too large: a quantity has at most 12 digits before the point", q))
	}
	if !hasAtMostDecimals(q, 6) {
		return newErr(ErrInvalidQuantity, "quantity", fmt.Sprintf("%s has more than 6 decimals", q))
	}
	return nil
}

// CheckMoneySize returns ErrInvalidAmount when amount is too large to be
// kept as money (16 digits before the point), for inputs checked before
// their currency is known.
func CheckMoneySize(amount decimal.Decimal) error {
	if tooLarge(amount, maxMoney) {
		return newErr(ErrInvalidAmount, "amount",
			fmt.Sprintf("%s is too large: an amount has at most 16 digits before the point", amount.String()))
	}
	return nil
}

// CheckPriceSize returns ErrInvalidAmount when amount is too large to be
// kept as a price (12 digits before the point), for readers that check a
// price before its currency is known.
func CheckPriceSize(amount decimal.Decimal) error {
	if tooLarge(amount, maxPrice) {
		return newErr(ErrInvalidAmount, "amount",
			fmt.Sprintf("%s is too large: a price has at most 12 digits before the point", amount.String()))
	}
	return nil
}
