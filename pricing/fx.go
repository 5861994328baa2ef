package pricing

import (
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
)

// MaxRateDecimals is the most decimals an exchange rate may have.
const MaxRateDecimals = 10

// ExchangeRate says what one unit of From costs in To: 1 EUR = 7.4604 DKK
// is {From: EUR, To: DKK, Rate: 7.4604}. Conversions multiply, which is
// exact, and round once at the end.
//
// JSON: {"from":"EUR","to":"DKK","rate":"7.4604"}.
type ExchangeRate struct {
	From Currency        `json:"from"`
	To   Currency        `json:"to"`
	Rate decimal.Decimal `json:"rate"`
}

// NewExchangeRate returns a validated rate (see Validate).
func NewExchangeRate(from, to Currency, rate decimal.Decimal) (ExchangeRate, error) {
	r := ExchangeRate{From: from, To: to, Rate: rate}
	if err := r.Validate(); err != nil {
		return ExchangeRate{}, err
	}
	return r, nil
}

// Validate checks that both currencies are valid, the rate is positive
// with at most 10 decimals, and a rate from a currency to itself is 1.
// Errors: ErrInvalidCurrency (fields "from", "to"); ErrInvalidRate (field
// "rate").
func (r ExchangeRate) Validate() error {
	if err := r.From.Validate(); err != nil {
		return prefixField("from", err)
	}
	if err := r.To.Validate(); err != nil {
		return prefixField("to", err)
	}
	if !r.Rate.IsPositive() {
		return newErr(ErrInvalidRate, "rate", fmt.Sprintf("an exchange rate must be positive (got %s)", r.Rate.String()))
	}
	if tooLarge(r.Rate, maxRate) {
		return newErr(ErrInvalidRate, "rate", fmt.Sprintf("an exchange rate of %s is too large: at most 10 digits before the point", r.Rate.String()))
	}
	if !hasAtMostDecimals(r.Rate, MaxRateDecimals) {
		return newErr(ErrInvalidRate, "rate", fmt.Sprintf("an exchange rate has at most %d decimals (got %s)", MaxRateDecimals, r.Rate.String()))
	}
	if r.From == r.To && !r.Rate.Equal(decimal.NewFromInt(1)) {
		return newErr(ErrInvalidRate, "rate", fmt.Sprintf("the rate from %s to itself is 1 (got %s)", r.From, r.Rate.String()))
	}
	return nil
}

// String returns "1 EUR = 7.4604 DKK".
func (r ExchangeRate) String() string {
	return fmt.Sprintf("1 %s = %s %s", r.From, r.Rate.String(), r.To)
}

// ConvertMoney converts m from r.From to r.To: m x rate rounded half away
// from zero to To's minor unit.
// Errors: those of Validate; ErrCurrencyMismatch when m is not in From.
func (r ExchangeRate) ConvertMoney(m Money) (Money, error) {
	if err := r.Validate(); err != nil {
		return Money{}, err
	}
	if m.currency != r.From {
		return Money{}, sameCurrency(r.From, m.currency)
	}
	return roundMoney(m.amount.Mul(r.Rate), r.To), nil
}

// ConvertPrice converts a price from r.From to r.To: p x rate rounded half
// away from zero to 6 decimals.
// Errors: those of Validate; ErrCurrencyMismatch when p is not in From.
func (r ExchangeRate) ConvertPrice(p Price) (Price, error) {
	if err := r.Validate(); err != nil {
		return Price{}, err
	}
	if p.currency != r.From {
		return Price{}, sameCurrency(r.From, p.currency)
	}
	return Price{amount: p.amount.Mul(r.Rate).Round(MaxPriceDecimals), currency: r.To}, nil
}

// ConvertPriceBack converts a price from r.To back to r.From: p / rate,
// rounded half away from zero to 6 decimals (e.g. a baseline in the
// cooperative's currency measured against an offer in the supplier's;
// RateTable.ConvertPrice gives the same through a table).
// Errors: those of Validate; ErrCurrencyMismatch when p is not in To.
func (r ExchangeRate) ConvertPriceBack(p Price) (Price, error) {
	if err := r.Validate(); err != nil {
		return Price{}, err
	}
	if p.currency != r.To {
		return Price{}, sameCurrency(r.To, p.currency)
	}
	return Price{amount: p.amount.DivRound(r.Rate, MaxPriceDecimals), currency: r.From}, nil
}

// ConvertPrice converts p into currency to through the table: p x the
// rate of its currency / the rate of to, computed exactly and rounded once,
// half away from zero, to 6 decimals. From a foreign currency into the
// table's this is ExchangeRate.ConvertPrice, the other way round
// ConvertPriceBack; between two foreign currencies it goes through the
// table's own without rounding on the way.
// Errors: those of Lookup (field "rates.<currency>") and of Validate.
func (t RateTable) ConvertPrice(p Price, to Currency) (Price, error) {
	e, err := t.convertExact(exactOf(p), to)
	if err != nil {
		return Price{}, err
	}
	return e.price(), nil
}

// MedianListPrice returns the median of prices per base unit given in any
// of the table's currencies, as a price in currency to. Each price is
// converted into to exactly (price x rate of its currency / rate of to,
// never rounded); the median is the middle one, or for an even count the
// mean of the two middle ones, rounded once to 6 decimals, half away from
// zero. A middle price already in to is thus its own baseline to the last
// decimal. With every price in one currency and to that currency, the
// result is exactly MedianListPrice's. Contract and order baselines use
// MedianListBaseline, which takes one price per supplier from offers.
// Errors: ErrInvalidInput (field "prices") for no prices; ErrInvalidRate
// (field "prices[i].rates.<currency>", or "rates.<currency>" for to) when
// the table has no rate for a currency; ErrInvalidCurrency.
func (t RateTable) MedianListPrice(prices []Price, to Currency) (Baseline, error) {
	if len(prices) == 0 {
		return Baseline{}, newErr(ErrInvalidInput, "prices", "the median needs at least one list price")
	}
	if err := to.Validate(); err != nil {
		return Baseline{}, prefixField("to", err)
	}
	if _, err := t.Lookup(to); err != nil {
		return Baseline{}, err
	}
	values := make([]*big.Rat, len(prices))
	for i, p := range prices {
		if err := p.currency.Validate(); err != nil {
			return Baseline{}, prefixField(fmt.Sprintf("prices[%d]", i), err)
		}
		e, err := t.convertExact(exactOf(p), to)
		if err != nil {
			return Baseline{}, prefixField(fmt.Sprintf("prices[%d]", i), err)
		}
		values[i] = e.r
	}
	m := exact{r: median(values), currency: to}
	return Baseline{Method: BaselineMedianListPrice, Price: m.price(), Inputs: len(prices)}, nil
}

// Identity returns the rate 1 from c to c.
func Identity(c Currency) ExchangeRate {
	return ExchangeRate{From: c, To: c, Rate: decimal.NewFromInt(1)}
}

// RateTable holds the rates into one currency (the cooperative's), one per
// foreign currency.
type RateTable struct {
	to    Currency
	rates map[Currency]ExchangeRate
}

// NewRateTable builds the table of rates into to. Each rate must convert
// into to, and no currency may appear twice.
// Errors: ErrInvalidCurrency; the errors of ExchangeRate.Validate (field
// "[i]..."); ErrInvalidRate for a rate into another currency;
// ErrInvalidInput for a duplicate.
func NewRateTable(to Currency, rates ...ExchangeRate) (RateTable, error) {
	if err := to.Validate(); err != nil {
		return RateTable{}, err
	}
	t := RateTable{to: to, rates: map[Currency]ExchangeRate{}}
	for i, r := range rates {
		field := fmt.Sprintf("[%d]", i)
		if err := r.Validate(); err != nil {
			return RateTable{}, prefixField(field, err)
		}
		if r.To != to {
			return RateTable{}, newErr(ErrInvalidRate, field+".to", fmt.Sprintf("the table converts into %s, not %s", to, r.To))
		}
		if _, dup := t.rates[r.From]; dup {
			return RateTable{}, newErr(ErrInvalidInput, field+".from", fmt.Sprintf("more than one rate from %s", r.From))
		}
		t.rates[r.From] = r
	}
	return t, nil
}

// To returns the table's target currency.
func (t RateTable) To() Currency { return t.to }

// Lookup returns the rate from c into the table's currency; for the table's
// own currency, the identity rate.
// Errors: ErrInvalidRate (field "rates.<c>") when there is no rate for c.
func (t RateTable) Lookup(c Currency) (ExchangeRate, error) {
	if c == t.to {
		return Identity(c), nil
	}
	r, ok := t.rates[c]
	if !ok {
		return ExchangeRate{}, newErr(ErrInvalidRate, "rates."+string(c), fmt.Sprintf("no exchange rate from %s to %s", c, t.to))
	}
	return r, nil
}
