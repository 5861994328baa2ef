package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

// Money is an exact amount of one currency, always held at the currency's
// minor unit (2 decimals, øre, for DKK). Money values are totals: they come
// from NewMoney (exact input), RoundMoney and Price.Total (the one rounding
// place for a computed amount), parsing, JSON, or arithmetic on other Money.
//
// The zero value has no currency; every operation on it fails with
// ErrInvalidCurrency. Use ZeroMoney(DKK) for a zero amount.
//
// JSON: {"amount":"1234.50","currency":"DKK"}, the amount always a string.
type Money struct {
	amount   decimal.Decimal
	currency Currency
}

// NewMoney returns amount in currency c without rounding.
// Errors: ErrInvalidCurrency; ErrInvalidAmount (field "amount") when amount
// has more decimals than c's minor unit allows (use RoundMoney to round).
func NewMoney(amount decimal.Decimal, c Currency) (Money, error) {
	if err := c.Validate(); err != nil {
		return Money{}, err
	}
	places := c.MinorUnits()
	if !hasAtMostDecimals(amount, places) {
		return Money{}, newErr(ErrInvalidAmount, "amount",
			fmt.Sprintf("%s has more than %d decimals, the most %s allows", amount.String(), places, c))
	}
	if tooLarge(amount, maxMoney) {
		return Money{}, newErr(ErrInvalidAmount, "amount",
			fmt.Sprintf("%s is too large: an amount has at most 16 digits before the point", amount.String()))
	}
	return Money{amount: amount.Round(places), currency: c}, nil
}

// RoundMoney rounds amount to c's minor unit, half away from zero
// (12.345 -> 12.35, -12.345 -> -12.35), and returns it as Money. This is the
// package's rounding rule for money totals.
// Errors: ErrInvalidCurrency.
func RoundMoney(amount decimal.Decimal, c Currency) (Money, error) {
	if err := c.Validate(); err != nil {
		return Money{}, err
	}
	return roundMoney(amount, c), nil
}

// roundMoney is RoundMoney for a currency already validated.
func roundMoney(amount decimal.Decimal, c Currency) Money {
	return Money{amount: amount.Round(c.MinorUnits()), currency: c}
}

// ZeroMoney returns zero in currency c. With an invalid c the result fails
// every later operation with ErrInvalidCurrency.
func ZeroMoney(c Currency) Money {
	return Money{amount: decimal.Zero.Round(c.MinorUnits()), currency: c}
}

// MustMoney parses a plain amount ("1234.50") in currency c and panics on
// any error. It is meant for constants and tests, never for user input.
func MustMoney(s string, c Currency) Money {
	m, err := ParseMoney(s, c, LocalePlain)
	if err != nil {
		panic(err)
	}
	return m
}

// Amount returns the amount, with exactly c.MinorUnits() decimals.
func (m Money) Amount() decimal.Decimal { return m.amount }

// Currency returns the currency.
func (m Money) Currency() Currency { return m.currency }

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.amount.IsZero() }

// IsNegative reports whether the amount is below zero.
func (m Money) IsNegative() bool { return m.amount.IsNegative() }

// IsPositive reports whether the amount is above zero.
func (m Money) IsPositive() bool { return m.amount.IsPositive() }

// Sign returns -1, 0 or +1.
func (m Money) Sign() int { return m.amount.Sign() }

// Equal reports whether m and o have the same currency and value.
func (m Money) Equal(o Money) bool {
	return m.currency == o.currency && m.amount.Equal(o.amount)
}

// Neg returns -m.
func (m Money) Neg() Money { return Money{amount: m.amount.Neg(), currency: m.currency} }

// Abs returns |m|.
func (m Money) Abs() Money { return Money{amount: m.amount.Abs(), currency: m.currency} }

// sameCurrency checks that amounts in a and b can be combined: both valid
// (else ErrInvalidCurrency) and equal (else ErrCurrencyMismatch).
func sameCurrency(a, b Currency) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a != b {
		if err := b.Validate(); err != nil {
			return err
		}
		return newErr(ErrCurrencyMismatch, "currency",
			fmt.Sprintf("cannot combine %s with %s; convert with an exchange rate first", a, b))
	}
	return nil
}

// Add returns m + o, which is exact.
// Errors: ErrCurrencyMismatch when the currencies differ; ErrInvalidCurrency.
func (m Money) Add(o Money) (Money, error) {
	if err := sameCurrency(m.currency, o.currency); err != nil {
		return Money{}, err
	}
	return Money{amount: m.amount.Add(o.amount), currency: m.currency}, nil
}

// Sub returns m - o, which is exact.
// Errors: ErrCurrencyMismatch when the currencies differ; ErrInvalidCurrency.
func (m Money) Sub(o Money) (Money, error) {
	if err := sameCurrency(m.currency, o.currency); err != nil {
		return Money{}, err
	}
	return Money{amount: m.amount.Sub(o.amount), currency: m.currency}, nil
}

// Cmp compares m and o: -1 if m < o, 0 if equal, +1 if m > o.
// Errors: ErrCurrencyMismatch when the currencies differ; ErrInvalidCurrency.
func (m Money) Cmp(o Money) (int, error) {
	if err := sameCurrency(m.currency, o.currency); err != nil {
		return 0, err
	}
	return m.amount.Cmp(o.amount), nil
}

// MulRound returns m x f rounded to the minor unit half away from zero: for
// rates applied to a total (a rebate rate, a reserve share). The product is
// exact before the one rounding.
// Errors: ErrInvalidCurrency.
func (m Money) MulRound(f decimal.Decimal) (Money, error) {
	if err := m.currency.Validate(); err != nil {
		return Money{}, err
	}
	return roundMoney(m.amount.Mul(f), m.currency), nil
}

// SumMoney adds ms, all in currency c, exactly. An empty list sums to zero.
// Errors: ErrCurrencyMismatch (field "[i]") when an element is in another
// currency; ErrInvalidCurrency.
func SumMoney(c Currency, ms ...Money) (Money, error) {
	if err := c.Validate(); err != nil {
		return Money{}, err
	}
	total := decimal.Zero
	for i, m := range ms {
		if m.currency != c {
			return Money{}, prefixField(fmt.Sprintf("[%d]", i), sameCurrency(c, m.currency))
		}
		total = total.Add(m.amount)
	}
	return roundMoney(total, c), nil
}

// AmountString returns the amount with exactly the currency's minor-unit
// decimals and '.' as separator ("1234.50"), the form used in JSON and CSV.
func (m Money) AmountString() string { return m.amount.StringFixed(m.currency.MinorUnits()) }

// Format returns the amount in the given locale without the currency:
// "1234.50" plain, "1.234,50" Danish.
func (m Money) Format(loc Locale) string {
	return FormatAmount(m.amount, m.currency.MinorUnits(), loc)
}

// String returns "1234.50 DKK".
func (m Money) String() string { return m.AmountString() + " " + string(m.currency) }

// moneyJSON is the wire form shared by Money and Price.
type moneyJSON struct {
	Amount   json.RawMessage `json:"amount"`
	Currency string          `json:"currency"`
}

// MarshalJSON writes {"amount":"1234.50","currency":"DKK"}, and null for
// the zero value (no currency).
// Errors: ErrInvalidCurrency for a Money with an invalid currency.
func (m Money) MarshalJSON() ([]byte, error) {
	if m.currency == "" {
		return []byte("null"), nil
	}
	if err := m.currency.Validate(); err != nil {
		return nil, err
	}
	return marshalAmount(m.AmountString(), m.currency)
}

// UnmarshalJSON reads {"amount":"1234.50","currency":"DKK"}. The amount must
// be a JSON string in the plain format (a JSON number is refused: it may
// have passed through a float on the way) with at most the currency's
// minor-unit decimals. JSON null leaves m unchanged.
// Errors: ErrInvalidAmount, ErrInvalidCurrency, ErrInvalidInput.
func (m *Money) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s, c, err := unmarshalAmount(b)
	if err != nil {
		return err
	}
	v, err := ParseMoney(s, c, LocalePlain)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

func marshalAmount(amount string, c Currency) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"amount":"`)
	buf.WriteString(amount)
	buf.WriteString(`","currency":"`)
	buf.WriteString(string(c))
	buf.WriteString(`"}`)
	return buf.Bytes(), nil
}

func unmarshalAmount(b []byte) (string, Currency, error) {
	var w moneyJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return "", "", newErr(ErrInvalidInput, "", `expected {"amount":"1234.50","currency":"DKK"}`)
	}
	if len(w.Amount) == 0 || string(w.Amount) == "null" {
		return "", "", newErr(ErrInvalidAmount, "amount", "amount is missing")
	}
	var s string
	if err := json.Unmarshal(w.Amount, &s); err != nil {
		return "", "", newErr(ErrInvalidAmount, "amount", `amount must be a JSON string such as "1234.50", not a number`)
	}
	c, err := ParseCurrency(w.Currency)
	if err != nil {
		return "", "", err
	}
	return s, c, nil
}

// hasAtMostDecimals reports whether d loses nothing when cut to places
// decimals (1.50 has at most 1 decimal; trailing zeros do not count).
func hasAtMostDecimals(d decimal.Decimal, places int32) bool {
	if d.Exponent() >= -places {
		return true
	}
	return d.Truncate(places).Equal(d)
}
