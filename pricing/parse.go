package pricing

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Locale selects how an amount is written.
type Locale int

const (
	// LocalePlain is the machine format of JSON, CSV and UBL: optional '-',
	// digits, optionally '.' and more digits ("1234.50"). No thousands
	// separators; ',' is refused.
	LocalePlain Locale = iota
	// LocaleDanish is the Danish format: ',' is the decimal separator and
	// '.' may group the integer digits by exactly three ("1.234,50",
	// "1234,50", "1.234"). Grouping must then be used throughout.
	LocaleDanish
	// LocaleEnglish is the English format of the web pages: '.' is the
	// decimal separator and ',' may group the integer digits by exactly
	// three ("1,234.50", "1234.50").
	LocaleEnglish
)

// String returns "plain", "da-DK" or "en".
func (l Locale) String() string {
	switch l {
	case LocaleDanish:
		return "da-DK"
	case LocaleEnglish:
		return "en"
	}
	return "plain"
}

// separators returns the decimal and the grouping separator of l (0: no
// grouping).
func (l Locale) separators() (dec, group byte) {
	switch l {
	case LocaleDanish:
		return ',', '.'
	case LocaleEnglish:
		return '.', ','
	}
	return '.', 0
}

// maxAmountDigits and maxAmountLen bound an amount, so hostile input
// cannot ask for huge numbers: 40 digits, 64 characters with separators.
const (
	maxAmountDigits = 40
	maxAmountLen    = 64
)

// ParseAmount reads a decimal amount written in the given locale. It is
// strict: no spaces, no exponent, no '+', a digit on both sides of the
// decimal separator, at most 40 digits. Anything ambiguous is an error:
// in the plain format "1,234" (is ',' a decimal or a thousands separator?),
// in the Danish format "1.50" (a '.' must be followed by exactly three
// digits).
// Errors: ErrInvalidAmount (field "amount") saying what was wrong.
func ParseAmount(s string, loc Locale) (decimal.Decimal, error) {
	norm, err := normalizeAmount(s, loc)
	if err != nil {
		return decimal.Decimal{}, newErr(ErrInvalidAmount, "amount", err.Error())
	}
	d, err := decimal.NewFromString(norm)
	if err != nil { // unreachable: norm matches -?[0-9]+(\.[0-9]+)?
		return decimal.Decimal{}, newErr(ErrInvalidAmount, "amount", fmt.Sprintf("%q is not a number", s))
	}
	return d, nil
}

// ParseMoney reads an amount (see ParseAmount) of currency c; it may not
// have more decimals than c's minor unit ("12.345" DKK is an error, not
// rounded).
// Errors: ErrInvalidAmount (field "amount"), ErrInvalidCurrency.
func ParseMoney(s string, c Currency, loc Locale) (Money, error) {
	if err := c.Validate(); err != nil {
		return Money{}, err
	}
	d, err := ParseAmount(s, loc)
	if err != nil {
		return Money{}, err
	}
	return NewMoney(d, c)
}

// ParsePrice reads a price (see ParseAmount) of currency c: not negative,
// at most 6 decimals.
// Errors: ErrInvalidAmount (field "amount"), ErrInvalidCurrency.
func ParsePrice(s string, c Currency, loc Locale) (Price, error) {
	if err := c.Validate(); err != nil {
		return Price{}, err
	}
	d, err := ParseAmount(s, loc)
	if err != nil {
		return Price{}, err
	}
	return NewPrice(d, c)
}

// FormatAmount writes d rounded half away from zero to places decimals in
// the given locale: "-1234.50" plain, "-1.234,50" Danish (the integer digits
// grouped by three). ParseAmount reads it back to the same value.
func FormatAmount(d decimal.Decimal, places int32, loc Locale) string {
	s := d.StringFixed(places)
	decSep, groupSep := loc.separators()
	if groupSep == 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(intPart); i++ {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(groupSep)
		}
		b.WriteByte(intPart[i])
	}
	if hasFrac {
		b.WriteByte(decSep)
		b.WriteString(frac)
	}
	return b.String()
}

// normalizeAmount checks s against the locale's grammar and returns it in
// the plain form -?[0-9]+(\.[0-9]+)?, or an error saying what is wrong.
func normalizeAmount(s string, loc Locale) (string, error) {
	if s == "" {
		return "", fmt.Errorf("amount is empty")
	}
	if len(s) > maxAmountLen {
		return "", fmt.Errorf("amount is longer than %d characters", maxAmountLen)
	}
	decSep, groupSep := loc.separators()
	example := "1234.50"
	switch loc {
	case LocaleDanish:
		example = "1.234,50"
	case LocaleEnglish:
		example = "1,234.50"
	}
	body := s
	neg := false
	if body[0] == '-' {
		neg = true
		body = body[1:]
	}
	var intDigits, fracDigits strings.Builder
	var groups []int // lengths of the digit runs between group separators
	run := 0
	seenDec := false
	for i := 0; i < len(body); i++ {
		c := body[i]
		pos := i + 1
		if neg {
			pos++
		}
		switch {
		case c >= '0' && c <= '9':
			if seenDec {
				fracDigits.WriteByte(c)
			} else {
				intDigits.WriteByte(c)
				run++
			}
		case c == decSep:
			if seenDec {
				return "", fmt.Errorf("%q has more than one decimal separator %q", s, string(decSep))
			}
			seenDec = true
		case groupSep != 0 && c == groupSep:
			if seenDec {
				return "", fmt.Errorf("%q has a thousands separator '%c' after the decimal separator '%c'", s, groupSep, decSep)
			}
			groups = append(groups, run)
			run = 0
		case c == ',' && loc == LocalePlain:
			return "", fmt.Errorf("%q contains ',', which the plain format does not allow (write %s; a Danish amount such as 1.234,50 needs the Danish locale)", s, example)
		case c == ' ' || c == '\t' || c == '\u00a0':
			return "", fmt.Errorf("%q contains a space; write the amount without spaces, like %s", s, example)
		case c == '+':
			return "", fmt.Errorf("%q has a '+' sign; write a positive amount without a sign", s)
		case c == '-':
			return "", fmt.Errorf("%q has a '-' that is not at the start", s)
		default:
			r := []rune(body[i:])[0]
			return "", fmt.Errorf("%q has an unexpected character %q at position %d; write the amount like %s", s, r, pos, example)
		}
	}
	if intDigits.Len() == 0 {
		if seenDec {
			return "", fmt.Errorf("%q has no digit before the decimal separator %q (write 0%s…)", s, string(decSep), string(decSep))
		}
		return "", fmt.Errorf("%q has no digits", s)
	}
	if seenDec && fracDigits.Len() == 0 {
		return "", fmt.Errorf("%q has no digit after the decimal separator %q", s, string(decSep))
	}
	if len(groups) > 0 {
		groups = append(groups, run)
		if groups[0] < 1 || groups[0] > 3 {
			return "", fmt.Errorf("%q: the first group before '%c' must have 1 to 3 digits", s, groupSep)
		}
		if intDigits.String()[0] == '0' {
			// "0.125" groups nothing: it is an eighth written the plain
			// way, never a hundred and twenty-five.
			return "", fmt.Errorf("%q cannot be grouped thousands: a number grouped by '%c' does not start with 0 (write %s)", s, groupSep,
				map[bool]string{true: "0,125 for an eighth", false: "0.125 for an eighth"}[loc == LocaleDanish])
		}
		for _, g := range groups[1:] {
			if g != 3 && loc == LocaleEnglish {
				return "", fmt.Errorf("%q is ambiguous: in the English format ',' separates thousands and must be followed by exactly three digits (write 1.50 for one and a half, 1,500 for fifteen hundred)", s)
			}
			if g != 3 {
				return "", fmt.Errorf("%q is ambiguous: in the Danish format '.' separates thousands and must be followed by exactly three digits (write 1,50 for one and a half, 1.500 for fifteen hundred)", s)
			}
		}
	}
	if n := intDigits.Len() + fracDigits.Len(); n > maxAmountDigits {
		return "", fmt.Errorf("amount has %d digits, more than the %d allowed", n, maxAmountDigits)
	}
	out := intDigits.String()
	if seenDec {
		out += "." + fracDigits.String()
	}
	if neg {
		out = "-" + out
	}
	return out, nil
}
