package pricing

import (
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"
)

// BaselineMethod names how a contract line's baseline price was fixed; it
// is recorded with the baseline.
type BaselineMethod string

const (
	// BaselineMedianListPrice is the median of the pre-tender list prices
	// for the product, per base unit (MedianListPrice).
	BaselineMedianListPrice BaselineMethod = "median_list_price"
	// BaselinePreviousPrice is the last price paid before the contract
	// (PreviousPrice).
	BaselinePreviousPrice BaselineMethod = "previous_price"
)

// ParseBaselineMethod checks that s names a known method.
// Errors: ErrInvalidInput (field "baseline_method").
func ParseBaselineMethod(s string) (BaselineMethod, error) {
	switch m := BaselineMethod(s); m {
	case BaselineMedianListPrice, BaselinePreviousPrice:
		return m, nil
	}
	return "", newErr(ErrInvalidInput, "baseline_method", fmt.Sprintf("unknown baseline method %q (use %q or %q)", s, BaselineMedianListPrice, BaselinePreviousPrice))
}

// Baseline is a baseline price per base unit with the method and inputs
// that fixed it.
type Baseline struct {
	Method BaselineMethod `json:"method"`
	Price  Price          `json:"price"`
	// Inputs is how many prices the method looked at.
	Inputs int `json:"inputs"`
	// At is the time of the price chosen by BaselinePreviousPrice (zero
	// for the median).
	At time.Time `json:"at,omitzero"`
}

// MedianListPrice returns the median of prices (per base unit, one
// currency). For an even count it is the mean of the two middle prices,
// (a + b) / 2 computed with DivRound to 6 decimals, half away from zero.
// Errors: ErrInvalidInput (field "prices") for no prices;
// ErrCurrencyMismatch, ErrInvalidCurrency (field "prices[i]...").
func MedianListPrice(prices []Price) (Baseline, error) {
	if len(prices) == 0 {
		return Baseline{}, newErr(ErrInvalidInput, "prices", "the median needs at least one list price")
	}
	c := prices[0].currency
	values := make([]*big.Rat, len(prices))
	for i, p := range prices {
		if err := sameCurrency(c, p.currency); err != nil {
			return Baseline{}, prefixField(fmt.Sprintf("prices[%d]", i), err)
		}
		values[i] = p.amount.Rat()
	}
	m := exact{r: median(values), currency: c}
	return Baseline{Method: BaselineMedianListPrice, Price: m.price(), Inputs: len(prices)}, nil
}

// PricePoint is a price paid (per base unit) at a time.
type PricePoint struct {
	At    time.Time `json:"at"`
	Price Price     `json:"price"`
}

// PreviousPrice returns the latest price in history strictly before
// before (the contract's start), whatever the order of history.
// Errors: ErrInvalidInput (field "history") when no point is before
// before, or when two different prices share the latest time;
// ErrInvalidCurrency (field "history[i]...").
func PreviousPrice(history []PricePoint, before time.Time) (Baseline, error) {
	best := -1
	for i, p := range history {
		if err := p.Price.currency.Validate(); err != nil {
			return Baseline{}, prefixField(fmt.Sprintf("history[%d].price", i), err)
		}
		if !p.At.Before(before) {
			continue
		}
		switch {
		case best < 0 || p.At.After(history[best].At):
			best = i
		case p.At.Equal(history[best].At) && !p.Price.Equal(history[best].Price):
			return Baseline{}, newErr(ErrInvalidInput, fmt.Sprintf("history[%d]", i), fmt.Sprintf(
				"two different prices (%s and %s) at the same time %s: the previous price is ambiguous", history[best].Price, p.Price, p.At.Format(time.RFC3339)))
		}
	}
	if best < 0 {
		return Baseline{}, newErr(ErrInvalidInput, "history", fmt.Sprintf("no price before %s", before.Format(time.RFC3339)))
	}
	return Baseline{Method: BaselinePreviousPrice, Price: history[best].Price, Inputs: len(history), At: history[best].At}, nil
}

// SavingsLine is one order line for savings: prices per base unit and the
// quantity in base units.
type SavingsLine struct {
	Baseline Price           `json:"baseline"`
	Paid     Price           `json:"paid"`
	Quantity decimal.Decimal `json:"quantity"`
}

// LineSavings is the savings of one line with its numbers.
type LineSavings struct {
	// PerUnit is baseline - paid per base unit, exact (negative when the
	// contract price is worse than the baseline).
	PerUnit decimal.Decimal `json:"per_unit"`
	// Savings is PerUnit x quantity, rounded once to the minor unit, half
	// away from zero.
	Savings Money `json:"savings"`
	// Paid is paid x quantity rounded once: the line's invoiced net amount.
	Paid Money `json:"paid"`
	// Baseline is Paid + Savings: what the line would have cost at the
	// baseline, derived so the three amounts always add up (it can differ
	// from baseline x quantity rounded on its own by one minor unit).
	Baseline Money `json:"baseline"`
}

// LineSaving returns the savings of one line: (baseline - paid) x quantity
// in base units, rounded once to the minor unit half away from zero;
// negative when the contract price is worse.
// Errors: ErrCurrencyMismatch, ErrInvalidCurrency; ErrInvalidQuantity
// (field "quantity") for a negative quantity.
func LineSaving(baseline, paid Price, quantity decimal.Decimal) (LineSavings, error) {
	if err := sameCurrency(baseline.currency, paid.currency); err != nil {
		return LineSavings{}, prefixField("paid", err)
	}
	if quantity.IsNegative() {
		return LineSavings{}, newErr(ErrInvalidQuantity, "quantity", fmt.Sprintf("cannot be negative (got %s)", quantity.String()))
	}
	c := baseline.currency
	per := baseline.amount.Sub(paid.amount)
	s := roundMoney(per.Mul(quantity), c)
	p := roundMoney(paid.amount.Mul(quantity), c)
	return LineSavings{PerUnit: per, Savings: s, Paid: p, Baseline: Money{amount: p.amount.Add(s.amount), currency: c}}, nil
}

// SavingsReport sums the savings of many lines.
type SavingsReport struct {
	Lines []LineSavings `json:"lines"`
	// Savings, Paid and Baseline are sums of the rounded lines, so
	// Baseline = Paid + Savings exactly.
	Savings  Money `json:"savings"`
	Paid     Money `json:"paid"`
	Baseline Money `json:"baseline"`
	// Percent is Savings / Baseline x 100 with DivRound to 2 decimals, half
	// away from zero; zero when Baseline is zero.
	Percent decimal.Decimal `json:"percent"`
}

// Savings computes the savings of lines, all in currency c.
// Errors: those of LineSaving, field "lines[i]..."; ErrCurrencyMismatch
// when a line is not in c.
func Savings(c Currency, lines []SavingsLine) (SavingsReport, error) {
	if err := c.Validate(); err != nil {
		return SavingsReport{}, err
	}
	r := SavingsReport{Lines: make([]LineSavings, len(lines)), Savings: ZeroMoney(c), Paid: ZeroMoney(c), Baseline: ZeroMoney(c)}
	for i, l := range lines {
		f := fmt.Sprintf("lines[%d]", i)
		if err := sameCurrency(c, l.Baseline.currency); err != nil {
			return SavingsReport{}, prefixField(f+".baseline", err)
		}
		ls, err := LineSaving(l.Baseline, l.Paid, l.Quantity)
		if err != nil {
			return SavingsReport{}, prefixField(f, err)
		}
		r.Lines[i] = ls
		r.Savings.amount = r.Savings.amount.Add(ls.Savings.amount)
		r.Paid.amount = r.Paid.amount.Add(ls.Paid.amount)
		r.Baseline.amount = r.Baseline.amount.Add(ls.Baseline.amount)
	}
	r.Percent = Percent(r.Savings.amount, r.Baseline.amount)
	return r, nil
}

// Percent returns part / whole x 100 with DivRound to 2 decimals, half
// away from zero; zero when whole is zero. It is the one percentage of
// money (savings of the baseline, on-contract share of spend).
func Percent(part, whole decimal.Decimal) decimal.Decimal {
	if whole.IsZero() {
		return decimal.Zero
	}
	return part.Mul(decimal.NewFromInt(100)).DivRound(whole, 2)
}
