package suppliers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"andel/pricing"
)

// numberStyle says how numbers are written in a body. Numbers are always
// parsed from their text into shopspring/decimal, never through a float,
// and text that could mean two different numbers is refused.
type numberStyle int

const (
	// stylePlain: JSON strings and comma-separated CSV. "-1234.50":
	// pricing.ParseAmount with pricing.LocalePlain (no grouping; ','
	// refused).
	stylePlain numberStyle = iota
	// styleComma: semicolon-separated (Danish spreadsheet) CSV. "1.234,50":
	// pricing.ParseAmount with pricing.LocaleDanish ('.' groups by exactly
	// three, so "1.234" is 1234 and "1.50" is refused).
	styleComma
	// styleEither: tab-separated CSV, which comes from both conventions:
	// read with both locales; one reading is taken when only one succeeds
	// or both agree, and "1.234" (1.234 or 1234?) is refused.
	styleEither
	// styleXML: xs:decimal as UBL writes it: like plain, plus a leading
	// "+", ".5" and "5." (own parser; pricing's plain locale refuses
	// these).
	styleXML
	// styleSheet: a spreadsheet cell (.xlsx). A number cell's stored value
	// is an xs:double's text ("1234.5", "1.5E-3"), read exactly as written
	// (never through a float64); anything else is a text cell, read as a
	// Danish supplier types it ("1.234,50").
	styleSheet
)

// maxDigits bounds an xs:decimal: far above any price or pack size, and
// small enough that a hostile value cannot make decimal slow.
const maxDigits = 40

var errEmptyNumber = errors.New("number is missing")

// one is the decimal 1.
var one = decimal.NewFromInt(1)

// parseDecimal parses s, trimmed of surrounding spaces, in style st. The
// error's message quotes s and says how to write it.
func parseDecimal(s string, st numberStyle) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return decimal.Decimal{}, errEmptyNumber
	}
	switch st {
	case styleXML:
		return parseXSDecimal(s)
	case styleSheet:
		if d, ok := sheetNumber(s); ok {
			return d, nil
		}
		return amount(s, pricing.LocaleDanish)
	case styleComma:
		return amount(s, pricing.LocaleDanish)
	case styleEither:
		p, errP := amount(s, pricing.LocalePlain)
		d, errD := amount(s, pricing.LocaleDanish)
		switch {
		case errP == nil && errD == nil && !p.Equal(d):
			return decimal.Decimal{}, fmt.Errorf("%q is ambiguous: it could be %s or %s; write it with a decimal separator and its decimals (%s or %s)",
				s, p, d, pricing.FormatAmount(p, 2, pricing.LocaleDanish), pricing.FormatAmount(d, 2, pricing.LocaleDanish))
		case errP == nil:
			return p, nil
		case errD == nil:
			return d, nil
		}
		return decimal.Decimal{}, errD
	}
	return amount(s, pricing.LocalePlain)
}

// amount calls pricing.ParseAmount and keeps its message, which says what
// is wrong and how to write the number, without the "amount:" prefix.
func amount(s string, loc pricing.Locale) (decimal.Decimal, error) {
	d, err := pricing.ParseAmount(s, loc)
	if err != nil {
		var pe *pricing.Error
		if errors.As(err, &pe) {
			return decimal.Decimal{}, errors.New(pe.Message)
		}
		return decimal.Decimal{}, err
	}
	return d, nil
}

// parseXSDecimal reads the xs:decimal lexical form: an optional sign,
// digits with at most one '.', at least one digit.
func parseXSDecimal(s string) (decimal.Decimal, error) {
	body := s
	if body[0] == '-' || body[0] == '+' {
		body = body[1:]
	}
	digits, points := 0, 0
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		case c == ',':
			return decimal.Decimal{}, fmt.Errorf("%q is not an xs:decimal: the decimal separator is '.', and there is no thousands separator", s)
		default:
			return decimal.Decimal{}, fmt.Errorf("%q is not an xs:decimal (e.g. 1234.50)", s)
		}
	}
	if digits == 0 || points > 1 {
		return decimal.Decimal{}, fmt.Errorf("%q is not an xs:decimal (e.g. 1234.50)", s)
	}
	if digits > maxDigits {
		return decimal.Decimal{}, fmt.Errorf("%q has more than %d digits", s, maxDigits)
	}
	canon := strings.TrimPrefix(s, "+")
	if strings.HasSuffix(canon, ".") {
		canon += "0"
	}
	canon = strings.Replace(canon, "-.", "-0.", 1)
	if strings.HasPrefix(canon, ".") {
		canon = "0" + canon
	}
	d, err := decimal.NewFromString(canon)
	if err != nil { // unreachable: canon is -?digits(.digits)?
		return decimal.Decimal{}, fmt.Errorf("%q is not an xs:decimal", s)
	}
	return d, nil
}

// parseCount parses a whole number of packs (min_qty) written in style st.
// Fractions are refused: packs are whole.
func parseCount(s string, st numberStyle) (int64, error) {
	d, err := parseDecimal(s, st)
	if err != nil {
		return 0, err
	}
	if !d.IsInteger() {
		return 0, fmt.Errorf("%q is not a whole number of packs", strings.TrimSpace(s))
	}
	if d.Abs().GreaterThan(decimal.NewFromInt(1_000_000_000)) {
		return 0, fmt.Errorf("%q is too large", strings.TrimSpace(s))
	}
	return d.IntPart(), nil
}

// sheetNumber reads the text of a spreadsheet number cell as Excel stores
// it: -?digits(.digits)?(E[+-]?digits)?, exactly. ok is false for any
// other text (a text cell).
func sheetNumber(s string) (decimal.Decimal, bool) {
	mant, exp, hasExp := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp, hasExp = s[:i], s[i+1:], true
	}
	body := strings.TrimPrefix(mant, "-")
	intPart, frac, hasPoint := strings.Cut(body, ".")
	if intPart == "" || !allDigits(intPart) || (hasPoint && (frac == "" || !allDigits(frac))) || len(body) > maxDigits {
		return decimal.Decimal{}, false
	}
	if hasExp {
		e := strings.TrimPrefix(strings.TrimPrefix(exp, "+"), "-")
		if e == "" || len(e) > 2 || !allDigits(e) {
			return decimal.Decimal{}, false
		}
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}
