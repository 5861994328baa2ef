package suppliers

import (
	"errors"
	"fmt"
	"strings"

	"andel/pricing"
)

// rawLine is a line as CSV and JSON give it: text per field. present says
// which fields the row has (a CSV column exists, a JSON key is there).
type rawLine struct {
	sku, name, description, gtin, category  string
	unit, packContent, baseUnit, packPrice  string
	currency, minQty, validFrom, validTo    string
	innerContent, innerUnit                 string
	maxQty, orderable                       string
	minOrderQty, maxOrderQty, orderMultiple string
	present                                 field
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
	if skip&fUnit == 0 {
		l.PackUnit = strings.TrimSpace(raw.unit)
	}
	if skip&fBaseUnit == 0 {
		l.BaseUnit = strings.TrimSpace(raw.baseUnit)
	}
	l.Currency = strings.ToUpper(strings.TrimSpace(raw.currency))

	for f := field(1); f <= fLast; f <<= 1 {
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
	// Units as written are read through pricing's one table of codes and
	// words ("stk" is H87, "æsk" XBX; see pricing.ReadUnit).
	for _, u := range []struct {
		f   field
		dst *string
	}{{fUnit, &l.PackUnit}, {fBaseUnit, &l.BaseUnit}} {
		if (skip|bad)&u.f != 0 {
			continue
		}
		if code, ok := s.readUnit(u.f, *u.dst, l.SKU, at); ok {
			if u.f == fUnit && *u.dst != code {
				l.UnitWritten = *u.dst // kept to be shown with its code
			}
			*u.dst = code
		} else {
			bad |= u.f
		}
	}
	if (skip|bad)&fPackContent == 0 {
		d, err := parseDecimal(raw.packContent, st)
		if err != nil {
			errf(fPackContent, "pack_content: %s", err)
		}
		l.PackContent = d
	}
	if skip&(fInnerContent|fInnerUnit) == 0 {
		bad |= s.innerPack(l, raw, st, bad, at)
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
	bad |= s.orderRules(l, raw, st, skip, at)
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

// readUnit reads a unit as a CSV or JSON list writes it (a Rec 20 code or
// a word of pricing's table) and returns its code. A word is shown back
// once per list, with its code ("stk" is read as stk (H87, piece)); an
// unknown unit is an error with suggestions.
func (s *list) readUnit(f field, text, sku string, at locator) (string, bool) {
	u, err := pricing.ReadUnit(text)
	if err != nil {
		msg := err.Error()
		var pe *pricing.Error
		if errors.As(err, &pe) {
			msg = pe.Message
		}
		s.errorAt(at(f), fieldName[f], sku, "", msg)
		return "", false
	}
	if u.Code != strings.ToUpper(strings.TrimSpace(text)) {
		key := unitWordKey{f, text}
		if _, seen := s.unitWords[key]; !seen && len(s.unitWords) < maxUnitWords {
			s.unitWords[key] = struct{}{}
			s.warnAt(at(f), fieldName[f], sku, "", fmt.Sprintf("%s %q is read as %s (shown once per list)", fieldName[f], text, u.Describe(text)))
		}
	}
	return u.Code, true
}

// unitWordKey is a word as written in one field.
type unitWordKey struct {
	f    field
	text string
}

// maxUnitWords bounds the words shown back per list.
const maxUnitWords = 100

// innerPack resolves a pack of packs: when the base unit is itself a
// package (a case XCS of 10 XPK), inner_content and inner_unit say what
// one of those holds (100 C62), and the line's content becomes the
// product (1000 C62). It returns the fields it reported.
func (s *list) innerPack(l *Line, raw *rawLine, st numberStyle, bad field, at locator) field {
	ic, iu := strings.TrimSpace(raw.innerContent), strings.TrimSpace(raw.innerUnit)
	if ic == "" && iu == "" {
		return 0
	}
	var rep field
	errf := func(f field, format string, args ...any) {
		s.errorAt(at(f), fieldName[f], l.SKU, "", fmt.Sprintf(format, args...))
		rep |= f
	}
	if ic == "" || iu == "" {
		errf(fInnerContent, "inner_content and inner_unit go together: give both (e.g. 100 and C62 for packs of 100 pieces)")
		return rep | fBaseUnit // the pack cannot be resolved: said once, here
	}
	code, ok := s.readUnit(fInnerUnit, iu, l.SKU, at)
	if !ok {
		return fInnerUnit
	}
	v, err := parseDecimal(ic, st)
	if err != nil {
		errf(fInnerContent, "inner_content: %s", err)
		return rep
	}
	if bad&(fUnit|fBaseUnit|fPackContent) != 0 {
		return rep
	}
	p := pricing.Pack{Unit: l.PackUnit, Content: pricing.Quantity{Value: l.PackContent, Unit: l.BaseUnit},
		Inner: &pricing.Pack{Unit: l.BaseUnit, Content: pricing.Quantity{Value: v, Unit: code}}}
	if bu, err := pricing.LookupUnit(l.BaseUnit); err == nil && !bu.IsPackage() {
		errf(fInnerContent, "inner_content and inner_unit describe a pack inside the pack, but base_unit %s is not a package unit; leave them out", l.BaseUnit)
		return rep
	}
	r, err := p.Resolve()
	if err != nil {
		for _, fe := range pricing.FieldErrors(err) {
			f := fInnerContent
			switch {
			case fe.Field == "inner.unit" || fe.Field == "inner.content.unit":
				f = fInnerUnit
			case !strings.HasPrefix(fe.Field, "inner"):
				continue // the pack itself is checked with the line
			}
			errf(f, "%s", fe.Message)
		}
		return rep
	}
	l.PackContent, l.BaseUnit = r.Content.Value, r.Content.Unit
	return rep
}

// orderRules reads how the item may be ordered: the price's max_qty
// (packs; below the line's min_qty it is a warning and dropped), whether
// it is orderable (ja/nej, yes/no, true/false, 1/0; empty is orderable),
// and min_order_qty, max_order_qty and order_multiple in packs. An empty
// cell or 0 is no rule. It returns the fields it reported as errors.
func (s *list) orderRules(l *Line, raw *rawLine, st numberStyle, skip field, at locator) field {
	var bad field
	count := func(f field, v string) int64 {
		v = strings.TrimSpace(v)
		if v == "" || skip&f != 0 {
			return 0
		}
		n, err := parseCount(v, st)
		switch {
		case err != nil:
			s.errorAt(at(f), fieldName[f], l.SKU, "", fmt.Sprintf("%s: %s", fieldName[f], err))
			bad |= f
		case n < 0:
			s.errorAt(at(f), fieldName[f], l.SKU, "", fmt.Sprintf("%s must be a number of packs, not %d (leave it empty for no limit)", fieldName[f], n))
			bad |= f
		default:
			return n
		}
		return 0
	}
	if skip&fMaxQty == 0 {
		l.MaxQty = count(fMaxQty, raw.maxQty)
		if l.MaxQty > 0 && l.MinQty > 0 && l.MaxQty < l.MinQty {
			s.warnAt(at(fMaxQty), "max_qty", l.SKU, "BII2-T19-R031", fmt.Sprintf("max_qty %d is less than min_qty %d; the price is taken to have no maximum", l.MaxQty, l.MinQty))
			l.MaxQty = 0
		}
	}
	if v := strings.TrimSpace(raw.orderable); v != "" && skip&fOrderable == 0 {
		switch strings.ToLower(v) {
		case "ja", "j", "yes", "y", "true", "sand", "1", "x":
			l.NotOrderable = false
		case "nej", "n", "no", "false", "falsk", "0", "-":
			l.NotOrderable = true
		default:
			s.errorAt(at(fOrderable), "orderable", l.SKU, "", fmt.Sprintf("orderable %q is neither ja nor nej (yes/no, true/false, 1/0)", v))
			bad |= fOrderable
		}
	}
	for _, r := range []struct {
		f   field
		v   string
		dst *int64
	}{{fMinOrderQty, raw.minOrderQty, &l.MinOrderQty}, {fMaxOrderQty, raw.maxOrderQty, &l.MaxOrderQty}, {fOrderMultiple, raw.orderMultiple, &l.OrderMultiple}} {
		if skip&r.f == 0 { // a JSON tier keeps its line's
			*r.dst = count(r.f, r.v)
		}
	}
	if l.MinOrderQty > 0 && l.MaxOrderQty > 0 && l.MaxOrderQty < l.MinOrderQty {
		s.warnAt(at(fMaxOrderQty), "max_order_qty", l.SKU, "BII2-T19-R031", fmt.Sprintf("max_order_qty %d is less than min_order_qty %d: no quantity can be ordered", l.MaxOrderQty, l.MinOrderQty))
	}
	return bad
}
