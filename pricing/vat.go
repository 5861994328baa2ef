package pricing

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// DanishVATRate returns the Danish standard VAT rate (moms), 25%, as the
// fraction 0.25. It is the rate of a VATLine that names none.
func DanishVATRate() decimal.Decimal { return decimal.New(25, -2) }

// ValidateVATRate checks that rate is a fraction from 0 (zero-rated or
// exempt) up to, not including, 1. A rate written as a percentage (25
// instead of 0.25) is the usual mistake this catches.
// Errors: ErrInvalidRate (field "vat_rate").
func ValidateVATRate(rate decimal.Decimal) error {
	if rate.IsNegative() || rate.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return newErr(ErrInvalidRate, "vat_rate", fmt.Sprintf("a VAT rate is a fraction from 0 up to 1, such as 0.25 for 25%% (got %s)", rate.String()))
	}
	return nil
}

// VAT is an amount split into net, VAT and gross. Gross = Net + VAT holds
// exactly: VAT is rounded once and the third amount is derived.
type VAT struct {
	Rate  decimal.Decimal `json:"rate"`
	Net   Money           `json:"net"`
	VAT   Money           `json:"vat"`
	Gross Money           `json:"gross"`
}

// VATFromNet adds VAT to a net amount: VAT = net x rate rounded half away
// from zero to the minor unit; gross = net + VAT.
// Errors: ErrInvalidRate; ErrInvalidCurrency.
func VATFromNet(net Money, rate decimal.Decimal) (VAT, error) {
	if err := ValidateVATRate(rate); err != nil {
		return VAT{}, err
	}
	if err := net.currency.Validate(); err != nil {
		return VAT{}, err
	}
	v := roundMoney(net.amount.Mul(rate), net.currency)
	return VAT{Rate: rate, Net: net, VAT: v, Gross: Money{amount: net.amount.Add(v.amount), currency: net.currency}}, nil
}

// VATFromGross splits a gross (VAT-inclusive) amount: net = gross / (1 +
// rate), computed with DivRound to the currency's minor unit, half away from
// zero; VAT = gross - net. (Adding VAT to that net again can differ from
// gross by one minor unit; that is the nature of rounding, and the amounts
// returned here always add up.)
// Errors: ErrInvalidRate; ErrInvalidCurrency.
func VATFromGross(gross Money, rate decimal.Decimal) (VAT, error) {
	if err := ValidateVATRate(rate); err != nil {
		return VAT{}, err
	}
	if err := gross.currency.Validate(); err != nil {
		return VAT{}, err
	}
	net := gross.amount.DivRound(decimal.NewFromInt(1).Add(rate), gross.currency.MinorUnits())
	return VAT{
		Rate:  rate,
		Net:   Money{amount: net, currency: gross.currency},
		VAT:   Money{amount: gross.amount.Sub(net), currency: gross.currency},
		Gross: gross,
	}, nil
}

// VATLine is one line's net amount and VAT rate. A nil Rate means the
// Danish standard rate (DanishVATRate); a zero rate is zero-rated.
type VATLine struct {
	Net  Money            `json:"net"`
	Rate *decimal.Decimal `json:"rate,omitempty"`
}

// VATSummary is the VAT of a document: one group per rate, and totals.
type VATSummary struct {
	// Groups holds one entry per distinct rate, lowest rate first.
	Groups []VATGroup `json:"groups"`
	// Net, VAT and Gross are the sums over the groups; Gross = Net + VAT.
	Net   Money `json:"net"`
	VAT   Money `json:"vat"`
	Gross Money `json:"gross"`
}

// VATGroup is the lines sharing one rate.
type VATGroup struct {
	VAT
	// Lines is how many lines the group holds.
	Lines int `json:"lines"`
}

// SummarizeVAT computes the VAT of a document of lines in currency c. As in
// EN 16931 (rule BR-CO-17), VAT is computed per rate on the sum of the
// lines' net amounts and rounded once per rate, not per line, so a
// document's VAT does not depend on how it is split into lines. Totals are
// the sums of the groups, so Net + VAT = Gross exactly.
// Errors: ErrCurrencyMismatch, ErrInvalidRate (field "lines[i]...").
func SummarizeVAT(c Currency, lines []VATLine) (VATSummary, error) {
	if err := c.Validate(); err != nil {
		return VATSummary{}, err
	}
	type acc struct {
		rate  decimal.Decimal
		net   decimal.Decimal
		lines int
	}
	byRate := map[string]*acc{}
	for i, l := range lines {
		rate := DanishVATRate()
		if l.Rate != nil {
			rate = *l.Rate
		}
		if err := ValidateVATRate(rate); err != nil {
			return VATSummary{}, prefixField(fmt.Sprintf("lines[%d]", i), err)
		}
		if l.Net.currency != c {
			return VATSummary{}, prefixField(fmt.Sprintf("lines[%d].net", i), sameCurrency(c, l.Net.currency))
		}
		key := rate.Normalize().String()
		a := byRate[key]
		if a == nil {
			a = &acc{rate: rate, net: decimal.Zero}
			byRate[key] = a
		}
		a.net = a.net.Add(l.Net.amount)
		a.lines++
	}
	s := VATSummary{Net: ZeroMoney(c), VAT: ZeroMoney(c), Gross: ZeroMoney(c)}
	for _, a := range byRate {
		v, _ := VATFromNet(Money{amount: a.net, currency: c}, a.rate) // rate and currency checked above
		s.Groups = append(s.Groups, VATGroup{VAT: v, Lines: a.lines})
		s.Net.amount = s.Net.amount.Add(v.Net.amount)
		s.VAT.amount = s.VAT.amount.Add(v.VAT.amount)
		s.Gross.amount = s.Gross.amount.Add(v.Gross.amount)
	}
	sort.Slice(s.Groups, func(i, j int) bool { return s.Groups[i].Rate.LessThan(s.Groups[j].Rate) })
	return s, nil
}
