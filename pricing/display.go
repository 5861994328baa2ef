package pricing

import "github.com/shopspring/decimal"

// Display returns the amount with its currency as people read it in loc:
// "1.234,50 kr." in Danish (other currencies "1.234,50 EUR"), "DKK 1,234.50"
// in English, "1234.50 DKK" plain. The web pages write every amount with it.
func (m Money) Display(loc Locale) string { return display(m.Format(loc), m.currency, loc) }

// Display returns a price with its currency as Money.Display does, with
// the decimals Price.Format keeps ("0,45 kr.").
func (p Price) Display(loc Locale) string { return display(p.Format(loc), p.currency, loc) }

func display(amount string, c Currency, loc Locale) string {
	switch loc {
	case LocaleDanish:
		if c == DKK {
			return amount + " kr."
		}
		return amount + " " + string(c)
	case LocaleEnglish:
		return string(c) + " " + amount
	}
	return amount + " " + string(c)
}

// FormatQuantity writes a quantity (packs, base units, pack contents) in
// loc with the decimals it has and no trailing zeros ("1.000", "0,5").
func FormatQuantity(d decimal.Decimal, loc Locale) string {
	places := -d.Exponent()
	if places < 0 {
		places = 0
	}
	s := FormatAmount(d, places, loc)
	if places > 0 {
		dec, _ := loc.separators()
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if s[len(s)-1] == dec {
			s = s[:len(s)-1]
		}
	}
	return s
}
