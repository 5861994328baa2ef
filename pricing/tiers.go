package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Tier is one step of a price ladder: Price applies to every unit of an
// order or pooled volume of at least MinQuantity units ("all-units"
// discount: reaching a tier reprices the whole quantity, not just the units
// above the threshold).
//
// The unit of MinQuantity is the unit the ladder prices: for a bid or an
// offer, packs (orderable units), see BidItem.
type Tier struct {
	MinQuantity decimal.Decimal `json:"min_quantity"`
	Price       Price           `json:"price"`
}

// Tiers is a price ladder, lowest minimum first.
type Tiers []Tier

// Validate checks the ladder and reports every problem it finds: at least
// one tier; minimum quantities not negative and strictly ascending; every
// price valid and in the first tier's currency; and, unless allowIncreasing,
// no tier dearer than the one before (equal is allowed).
// Errors: an Errors list of ErrInvalidTiers, ErrInvalidCurrency and
// ErrCurrencyMismatch problems, fields "[i].min_quantity" and "[i].price".
func (t Tiers) Validate(allowIncreasing bool) error {
	if len(t) == 0 {
		return Errors{newErr(ErrInvalidTiers, "", "a price ladder needs at least one tier")}
	}
	errs := t.validate(allowIncreasing, func(i int, suffix string) string { return fmt.Sprintf("[%d].%s", i, suffix) })
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// validate checks a non-empty ladder; field(i, "min_quantity" or "price")
// names tier i's fields in the errors.
func (t Tiers) validate(allowIncreasing bool, field func(i int, suffix string) string) Errors {
	var errs Errors
	for i, tier := range t {
		if tier.MinQuantity.IsNegative() {
			errs = append(errs, newErr(ErrInvalidTiers, field(i, "min_quantity"), fmt.Sprintf("minimum quantity cannot be negative (got %s)", tier.MinQuantity.String())))
		}
		if err := tier.Price.currency.Validate(); err != nil {
			errs = append(errs, FieldErrors(prefixField(field(i, "price"), err))...)
			continue
		}
		if i == 0 {
			continue
		}
		prev := t[i-1]
		if !tier.MinQuantity.GreaterThan(prev.MinQuantity) {
			errs = append(errs, newErr(ErrInvalidTiers, field(i, "min_quantity"), fmt.Sprintf(
				"minimum quantities must ascend: %s does not exceed the previous tier's %s", tier.MinQuantity.String(), prev.MinQuantity.String())))
		}
		if tier.Price.currency != t[0].Price.currency {
			errs = append(errs, FieldErrors(prefixField(field(i, "price"), sameCurrency(t[0].Price.currency, tier.Price.currency)))...)
			continue
		}
		if !allowIncreasing && prev.Price.currency == tier.Price.currency && tier.Price.amount.GreaterThan(prev.Price.amount) {
			errs = append(errs, newErr(ErrInvalidTiers, field(i, "price"), fmt.Sprintf(
				"a larger quantity may not cost more per unit: %s is above the previous tier's %s", tier.Price.AmountString(), prev.Price.AmountString())))
		}
	}
	return errs
}

// PriceFor returns the tier that applies to qty, the one with the largest
// minimum quantity not above qty, and its index.
// Errors: ErrInvalidQuantity (field "quantity") for a negative qty;
// ErrBelowMinimum (field "quantity") when qty is below the first tier's
// minimum; the errors of Validate(true) for a ladder out of order.
func (t Tiers) PriceFor(qty decimal.Decimal) (Tier, int, error) {
	if qty.IsNegative() {
		return Tier{}, -1, newErr(ErrInvalidQuantity, "quantity", fmt.Sprintf("cannot be negative (got %s)", qty.String()))
	}
	if err := t.Validate(true); err != nil {
		return Tier{}, -1, err
	}
	i := t.index(qty)
	if i < 0 {
		return Tier{}, -1, newErr(ErrBelowMinimum, "quantity", fmt.Sprintf("%s is below the minimum quantity %s", qty.String(), t[0].MinQuantity.String()))
	}
	return t[i], i, nil
}

// index returns the applicable tier of a valid ladder for a non-negative
// qty, or -1 below the first minimum. Ladders are short, so a linear scan
// from the top is as fast as a binary search.
func (t Tiers) index(qty decimal.Decimal) int {
	for i := len(t) - 1; i >= 0; i-- {
		if t[i].MinQuantity.LessThanOrEqual(qty) {
			return i
		}
	}
	return -1
}

// Total returns the cost of qty units at the applicable tier: the tier's
// price x qty, rounded once to the minor unit (Price.Total).
// Errors: those of PriceFor.
func (t Tiers) Total(qty decimal.Decimal) (Money, error) {
	tier, _, err := t.PriceFor(qty)
	if err != nil {
		return Money{}, err
	}
	return tier.Price.Total(qty)
}
