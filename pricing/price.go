package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// MaxPriceDecimals is the most decimals a Price keeps (rounding policy).
const MaxPriceDecimals = 6

// Price is the price of one unit of something (one pack, one base unit, one
// tier step): a non-negative amount of one currency with at most 6 decimals.
// A Price is not a total: multiply it by a quantity with Total to get Money.
//
// The zero value has no currency; every operation on it fails with
// ErrInvalidCurrency.
//
// JSON: {"amount":"0.45","currency":"DKK"}, the amount always a string.
type Price struct {
	amount   decimal.Decimal
	currency Currency
}

// NewPrice returns a price without rounding.
// Errors: ErrInvalidCurrency; ErrInvalidAmount (field "amount") when amount
// is negative or has more than 6 decimals (use RoundPrice to round).
func NewPrice(amount decimal.Decimal, c Currency) (Price, error) {
	if err := c.Validate(); err != nil {
		return Price{}, err
	}
	if amount.IsNegative() {
		return Price{}, newErr(ErrInvalidAmount, "amount", fmt.Sprintf("a price cannot be negative (got %s)", amount.String()))
	}
	if !hasAtMostDecimals(amount, MaxPriceDecimals) {
		return Price{}, newErr(ErrInvalidAmount, "amount",
			fmt.Sprintf("%s has more than %d decimals, the most a price keeps", amount.String(), MaxPriceDecimals))
	}
	if err := CheckPriceSize(amount); err != nil {
		return Price{}, err
	}
	return Price{amount: amount, currency: c}, nil
}

// RoundPrice rounds amount to 6 decimals half away from zero and returns it
// as a Price. Errors: as NewPrice, except for the decimals.
func RoundPrice(amount decimal.Decimal, c Currency) (Price, error) {
	return NewPrice(amount.Round(MaxPriceDecimals), c)
}

// MustPrice parses a plain amount ("0.45") in currency c and panics on any
// error. It is meant for constants and tests, never for user input.
func MustPrice(s string, c Currency) Price {
	p, err := ParsePrice(s, c, LocalePlain)
	if err != nil {
		panic(err)
	}
	return p
}

// Amount returns the amount (at most 6 decimals).
func (p Price) Amount() decimal.Decimal { return p.amount }

// Currency returns the currency.
func (p Price) Currency() Currency { return p.currency }

// IsZero reports whether the price is zero.
func (p Price) IsZero() bool { return p.amount.IsZero() }

// Equal reports whether p and o have the same currency and value.
func (p Price) Equal(o Price) bool { return p.currency == o.currency && p.amount.Equal(o.amount) }

// Cmp compares p and o: -1 if p < o, 0 if equal, +1 if p > o.
// Errors: ErrCurrencyMismatch when the currencies differ; ErrInvalidCurrency.
func (p Price) Cmp(o Price) (int, error) {
	if err := sameCurrency(p.currency, o.currency); err != nil {
		return 0, err
	}
	return p.amount.Cmp(o.amount), nil
}

// Total returns the line total p x qty: the exact product rounded once to
// the currency's minor unit, half away from zero. This is the rounding place
// for a line; sum the rounded lines with Money.Add or SumMoney.
// Errors: ErrInvalidCurrency; ErrInvalidQuantity (field "quantity") when qty
// is negative.
func (p Price) Total(qty decimal.Decimal) (Money, error) {
	if err := p.currency.Validate(); err != nil {
		return Money{}, err
	}
	if qty.IsNegative() {
		return Money{}, newErr(ErrInvalidQuantity, "quantity", fmt.Sprintf("quantity cannot be negative (got %s)", qty.String()))
	}
	total := p.amount.Mul(qty)
	if tooLarge(total, maxMoney) {
		return Money{}, newErr(ErrInvalidAmount, "amount",
			fmt.Sprintf("%s x %s is too large: a total has at most 16 digits before the point", p.AmountString(), qty.String()))
	}
	return roundMoney(total, p.currency), nil
}

// AmountString returns the amount with '.' as separator and as many
// decimals as it needs, at least the currency's minor unit and at most 6
// ("45.00", "0.45", "0.123456").
func (p Price) AmountString() string {
	return p.amount.StringFixed(priceDecimals(p.amount, p.currency))
}

// Format returns the amount in the given locale without the currency, with
// the decimals AmountString uses ("0,123456" in Danish).
func (p Price) Format(loc Locale) string {
	return FormatAmount(p.amount, priceDecimals(p.amount, p.currency), loc)
}

// String returns "0.45 DKK".
func (p Price) String() string { return p.AmountString() + " " + string(p.currency) }

// MarshalJSON writes {"amount":"0.45","currency":"DKK"}, and null for the
// zero value (no currency).
// Errors: ErrInvalidCurrency for a Price with an invalid currency.
func (p Price) MarshalJSON() ([]byte, error) {
	if p.currency == "" {
		return []byte("null"), nil
	}
	if err := p.currency.Validate(); err != nil {
		return nil, err
	}
	return marshalAmount(p.AmountString(), p.currency)
}

// UnmarshalJSON reads {"amount":"0.45","currency":"DKK"}; the amount must be
// a JSON string in the plain format with at most 6 decimals, not negative.
// JSON null leaves p unchanged.
// Errors: ErrInvalidAmount, ErrInvalidCurrency, ErrInvalidInput.
func (p *Price) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s, c, err := unmarshalAmount(b)
	if err != nil {
		return err
	}
	v, err := ParsePrice(s, c, LocalePlain)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// priceDecimals is the number of decimals to print a price with.
func priceDecimals(d decimal.Decimal, c Currency) int32 {
	places := c.MinorUnits()
	for places < MaxPriceDecimals && !hasAtMostDecimals(d, places) {
		places++
	}
	return places
}
