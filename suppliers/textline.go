package suppliers

import (
	"fmt"
	"strings"
)

// rawLine is a line as CSV and JSON give it: text per field. present says
// which fields the row has (a CSV column exists, a JSON key is there).
type rawLine struct {
	sku, name, description, gtin, category string
	unit, packContent, baseUnit, packPrice string
	currency, minQty, validFrom, validTo   string
	present                                field
}

// requiredText are the fields a CSV or JSON line must have.
const requiredText = fSKU | fName | fUnit | fPackContent | fBaseUnit | fPackPrice | fCurrency

// buildLine parses a raw line with numbers in style st into l and reports
// what is missing or unreadable; it returns the fields it reported. Fields
// in skip are neither checked nor parsed (already reported, or, for a
// tier, taken from its line).
func (s *list) buildLine(l *Line, raw *rawLine, st numberStyle, skip field, at locator) field {
	var bad field
	errf := func(f field, format string, args ...any) {
		s.errorAt(at(f), fieldName[f], l.SKU, "", fmt.Sprintf(format, args...))
		bad |= f
	}
	l.Action = ActionAdd
	l.SKU = strings.TrimSpace(raw.sku)
	l.Name = strings.TrimSpace(raw.name)
	l.Description = strings.TrimSpace(raw.description)
	l.GTIN = strings.TrimSpace(raw.gtin)
	l.Category = strings.TrimSpace(raw.category)
	l.PackUnit = strings.ToUpper(strings.TrimSpace(raw.unit))
	l.BaseUnit = strings.ToUpper(strings.TrimSpace(raw.baseUnit))
	l.Currency = strings.ToUpper(strings.TrimSpace(raw.currency))

	for f := field(1); f <= fValidTo; f <<= 1 {
		if requiredText&f == 0 || skip&f != 0 {
			continue
		}
		var v string
		switch f {
		case fSKU:
			v = l.SKU
		case fName:
			v = l.Name
		case fUnit:
			v = l.PackUnit
		case fBaseUnit:
			v = l.BaseUnit
		case fCurrency:
			v = l.Currency
		case fPackContent:
			v = strings.TrimSpace(raw.packContent)
		case fPackPrice:
			v = strings.TrimSpace(raw.packPrice)
		}
		if v == "" {
			errf(f, "%s is missing", fieldName[f])
		}
	}
	if (skip|bad)&fPackContent == 0 {
		d, err := parseDecimal(raw.packContent, st)
		if err != nil {
			errf(fPackContent, "pack_content: %s", err)
		}
		l.PackContent = d
	}
	if (skip|bad)&fPackPrice == 0 {
		d, err := parseDecimal(raw.packPrice, st)
		if err != nil {
			errf(fPackPrice, "pack_price: %s", err)
		}
		l.PackPrice = d
		l.ListedPrice = ListedPrice{Amount: d, Quantity: one, Unit: l.PackUnit}
	}
	if skip&fMinQty == 0 {
		l.MinQty = 1
		if strings.TrimSpace(raw.minQty) != "" {
			n, err := parseCount(raw.minQty, st)
			if err != nil {
				errf(fMinQty, "min_qty: %s", err)
			}
			l.MinQty = n
		}
	}
	if v := strings.TrimSpace(raw.validFrom); v != "" && skip&fValidFrom == 0 {
		t, err := parseDate(v)
		if err != nil {
			errf(fValidFrom, "valid_from: %s", err)
		}
		l.ValidFrom = t
	}
	if v := strings.TrimSpace(raw.validTo); v != "" && skip&fValidTo == 0 {
		t, err := parseDate(v)
		if err != nil {
			errf(fValidTo, "valid_to: %s", err)
		}
		l.ValidTo = t
	}
	return bad
}
