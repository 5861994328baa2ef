package suppliers

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"sort"
	"strings"
	"unicode/utf8"

	"andel/domain"
	"andel/pricing"
)

// field identifies a Line field in problems and in the bad-field set.
type field uint32

const (
	fSKU field = 1 << iota
	fName
	fDescription
	fGTIN
	fCategory
	fUnit
	fPackContent
	fBaseUnit
	fPackPrice
	fCurrency
	fMinQty
	fValidFrom
	fValidTo
	fInnerContent
	fInnerUnit
	fMaxQty
	fOrderable
	fMinOrderQty
	fMaxOrderQty
	fOrderMultiple

	// fLast is the last field.
	fLast = fOrderMultiple
)

// fieldName is the normalised (CSV/JSON) name of each field.
var fieldName = map[field]string{
	fSKU: "sku", fName: "name", fDescription: "description", fGTIN: "gtin",
	fCategory: "category", fUnit: "unit", fPackContent: "pack_content",
	fBaseUnit: "base_unit", fPackPrice: "pack_price", fCurrency: "currency",
	fMinQty: "min_qty", fValidFrom: "valid_from", fValidTo: "valid_to",
	fInnerContent: "inner_content", fInnerUnit: "inner_unit",
	fMaxQty: "max_qty", fOrderable: "orderable", fMinOrderQty: "min_order_qty",
	fMaxOrderQty: "max_order_qty", fOrderMultiple: "order_multiple",
}

// maxLen bounds text fields (in characters), so that one field cannot be
// megabytes long in a database row.
var maxLen = map[field]int{fSKU: 128, fName: 1000, fDescription: 10000, fCategory: 256}

// maxDecimals is the most decimals a pack price or pack content may have
// (unit prices keep 6 decimals in the pricing engine).
const maxDecimals = 6

// list is the state of one Parse call that does not depend on the format:
// the problem collector, the row being built, and the whole-list checks.
type list struct {
	col    *collector
	rep    *Report
	doc    *Document
	format Format
	emit   func(Line) error
	body   *bodyReader

	rowLines []Line // lines of the current row, emitted when the row ends without errors
	rowOpen  bool
	noEmit   bool // a list-level error (e.g. missing CSV columns) makes every row invalid

	currencies map[string]struct{}
	unitWords  map[unitWordKey]struct{} // unit words already shown back (readUnit)

	// Whole-list checks keep one entry per distinct key, not the body:
	// TestStreamingMemory measures about 75 bytes of live heap per line
	// (items with two tiers), so some 75 MB for a million-line list. Keys
	// are 128-bit hashes (two maphash seeds), so SKUs are not retained; a
	// false "duplicate" would need a 128-bit collision.
	listChecks bool                // false when Options.ListChecksElsewhere
	keys       map[[16]byte]int32  // sku + min_qty -> line of first occurrence
	items      map[[16]byte]packID // sku -> pack definition of its first line
	seed       [2]maphash.Seed
	buf        []byte
}

// packID identifies the pack definition of an item, which all of its
// tiers must share.
type packID struct {
	sig  uint64
	line int32
}

func newList(rep *Report, doc *Document, format Format, opts Options, emit func(Line) error) *list {
	return &list{
		col:        newCollector(rep, opts.MaxProblems),
		rep:        rep,
		doc:        doc,
		format:     format,
		emit:       emit,
		currencies: map[string]struct{}{},
		unitWords:  map[unitWordKey]struct{}{},
		listChecks: !opts.ListChecksElsewhere,
		keys:       map[[16]byte]int32{},
		items:      map[[16]byte]packID{},
		seed:       [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
	}
}

func (s *list) errorAt(pos Position, f, sku, rule, msg string) {
	s.col.add(Problem{Severity: SeverityError, Position: pos, Field: f, SKU: sku, Rule: rule, Message: msg})
}

func (s *list) warnAt(pos Position, f, sku, rule, msg string) {
	s.col.add(Problem{Severity: SeverityWarning, Position: pos, Field: f, SKU: sku, Rule: rule, Message: msg})
}

// stop records a problem that ends parsing (Report.Stopped), unless the
// body's reader failed: then that failure is returned instead, since the
// document was not what went wrong.
func (s *list) stop(pos Position, msg string) error {
	if s.body != nil && s.body.err != nil {
		return s.body.err
	}
	s.errorAt(pos, "", "", "", msg)
	s.rep.Stopped = true
	return nil
}

// startRow begins a data row (CSV record, JSON line object, UBL
// CatalogueLine).
func (s *list) startRow() {
	s.rep.RowsRead++
	s.rowLines = s.rowLines[:0]
	s.col.rowErrs = 0
	s.rowOpen = true
}

// endRow emits the row's lines if it had no errors.
func (s *list) endRow() error {
	if !s.rowOpen {
		return nil
	}
	s.rowOpen = false
	if s.col.rowErrs > 0 || len(s.rowLines) == 0 || s.noEmit {
		return nil
	}
	if len(s.rowLines) > 1 {
		s.checkLadder()
	}
	s.rep.RowsValid++
	for _, l := range s.rowLines {
		if err := s.emit(l); err != nil {
			return fmt.Errorf("suppliers: %w: %w", ErrEmit, err)
		}
		s.rep.LinesEmitted++
	}
	return nil
}

// locator gives the position of a field of the line being checked.
type locator func(f field) Position

// checkLine applies the rules every format shares to a parsed line and,
// if the line still has what the whole-list checks need, registers it for
// them. bad lists the fields already reported (missing or unparseable),
// checked those already checked (a tier's item fields, checked with its
// line), so that each problem is reported once. The line joins the
// current row.
func (s *list) checkLine(l *Line, bad, checked field, at locator) {
	errf := func(f field, format string, args ...any) {
		s.errorAt(at(f), fieldName[f], l.SKU, "", fmt.Sprintf(format, args...))
		bad |= f
	}
	warnf := func(f field, format string, args ...any) {
		s.warnAt(at(f), fieldName[f], l.SKU, "", fmt.Sprintf(format, args...))
	}
	skip := func(f field) bool { return (bad|checked)&f != 0 }
	for _, t := range []struct {
		f field
		v string
	}{{fSKU, l.SKU}, {fName, l.Name}, {fDescription, l.Description}, {fCategory, l.Category}} {
		if skip(t.f) {
			continue
		}
		if n := utf8.RuneCountInString(t.v); n > maxLen[t.f] {
			errf(t.f, "%s is %d characters long; at most %d are accepted", fieldName[t.f], n, maxLen[t.f])
		} else if hasControl(t.v) {
			errf(t.f, "%s contains a control character", fieldName[t.f])
		}
	}
	if l.SKU == "" && !skip(fSKU) {
		errf(fSKU, "sku (the supplier's item number) is missing")
	}
	if l.GTIN != "" && !skip(fGTIN) {
		switch {
		case strings.ContainsAny(l.GTIN, "eE") && strings.ContainsAny(l.GTIN, ".,"):
			errf(fGTIN, "GTIN %q looks like a number a spreadsheet rewrote in exponent form; format the column as text and export again", l.GTIN)
		case !allDigits(l.GTIN):
			errf(fGTIN, "GTIN %q must be 8, 12, 13 or 14 digits", l.GTIN)
		case !domain.ValidGTIN(l.GTIN):
			if n := len(l.GTIN); n == 8 || n == 12 || n == 13 || n == 14 {
				// No PEPPOL catalogue rule checks the check digit, and the
				// official examples carry made-up GTINs: the line is kept,
				// but without its GTIN, so that it is matched by SKU (or
				// becomes a candidate) rather than to whatever product a
				// mistyped number happens to name.
				warnf(fGTIN, "GTIN %q has a wrong check digit; the line is imported without it (matched by SKU or left a candidate)", l.GTIN)
			} else {
				errf(fGTIN, "GTIN %q has %d digits; a GTIN has 8, 12, 13 or 14", l.GTIN, n)
			}
		}
	}
	if l.Action != ActionDelete {
		if l.Name == "" && !skip(fName) && s.format != FormatUBL {
			errf(fName, "name is missing")
		}
		for _, u := range []struct {
			f field
			v string
		}{{fUnit, l.PackUnit}, {fBaseUnit, l.BaseUnit}} {
			if skip(u.f) {
				continue
			}
			if !validUnit(u.v, s.format) {
				errf(u.f, "%s", unitMessage(u.v))
			} else if w, ok := pricing.ConfusableWord(u.v); ok {
				name, _ := pricing.Rec20Name(u.v)
				wu, _ := pricing.LookupUnit(w.Code)
				warnf(u.f, "%s is the Rec 20 code for %q; if you mean the Danish %s, write %s or %s", u.v, name, wu.Describe(w.Word), w.Word, w.Code)
			}
		}
		if !skip(fPackContent) {
			if !l.PackContent.IsPositive() {
				errf(fPackContent, "pack content must be greater than 0, not %s", l.PackContent)
			} else if -l.PackContent.Exponent() > maxDecimals {
				errf(fPackContent, "pack content %s has more than %d decimals", l.PackContent, maxDecimals)
			}
		}
		if bad&(fUnit|fBaseUnit|fPackContent) == 0 {
			// The pack must be one the pricing engine can price per base
			// unit: a package unit holding a count or measure, or a loose
			// unit holding exactly one of itself.
			p := pricing.Pack{Unit: l.PackUnit, Content: pricing.Quantity{Value: l.PackContent, Unit: l.BaseUnit}}
			if err := p.Validate(); err != nil {
				f, msg := fUnit, err.Error()
				var pe *pricing.Error
				if errors.As(err, &pe) {
					msg = pe.Message
					switch pe.Field {
					case "content.unit":
						f = fBaseUnit
						if bu, err := pricing.LookupUnit(l.BaseUnit); err == nil && bu.IsPackage() && bu.Code != l.PackUnit {
							msg += s.innerHint()
						}
					case "content.value":
						f = fPackContent
					}
				}
				errf(f, "%s", msg)
			}
		}
		if l.NoPrice {
			bad |= fPackPrice | fCurrency // none given: the current price stays
		}
		if !skip(fPackPrice) {
			switch {
			case l.PackPrice.IsNegative():
				rule := ""
				if s.format == FormatUBL {
					rule = "BII2-T19-R015"
				}
				s.errorAt(at(fPackPrice), "pack_price", l.SKU, rule, fmt.Sprintf("price %s is negative", l.ListedPrice.Amount))
				bad |= fPackPrice
			case -l.PackPrice.Exponent() > maxDecimals:
				errf(fPackPrice, "pack price %s has more than %d decimals", l.PackPrice, maxDecimals)
			case pricing.CheckPriceSize(l.PackPrice) != nil:
				errf(fPackPrice, "pack price %s is too large: at most 12 digits before the point", l.PackPrice)
			case l.PackPrice.IsZero():
				warnf(fPackPrice, "price is 0")
			}
		}
		if !skip(fCurrency) && !l.NoPrice {
			if !validCurrency(l.Currency) {
				if l.Currency == "" {
					errf(fCurrency, "currency is missing")
				} else {
					errf(fCurrency, "%q is not an ISO 4217 currency code (e.g. DKK, EUR)", l.Currency)
				}
			} else {
				s.currencies[l.Currency] = struct{}{}
			}
		}
		if !skip(fMinQty) && l.MinQty < 1 {
			errf(fMinQty, "min_qty must be at least 1 pack, not %d", l.MinQty)
		}
	}
	if bad&(fValidFrom|fValidTo) == 0 && !l.ValidFrom.IsZero() && !l.ValidTo.IsZero() && l.ValidTo.Before(l.ValidFrom) {
		rule := ""
		if s.format == FormatUBL {
			rule = "BII2-T19-R006"
		}
		s.errorAt(at(fValidTo), "valid_to", l.SKU, rule, fmt.Sprintf("validity ends (%s) before it starts (%s)", fmtDate(l.ValidTo), fmtDate(l.ValidFrom)))
	}
	if l.GTIN != "" && bad&fGTIN == 0 && allDigits(l.GTIN) && !domain.ValidGTIN(l.GTIN) {
		// A wrong check digit (warned above, or with the item's first
		// tier): the line goes on without the GTIN.
		l.GTIN = ""
	}
	if l.SKU != "" && bad&(fSKU|fMinQty) == 0 {
		s.register(l, bad, at)
	}
	s.rowLines = append(s.rowLines, *l)
}

// checkLadder warns when a row's tiers (JSON tiers, UBL prices of one
// CatalogueLine) get dearer as the quantity rises. Tiers of one SKU given
// in separate CSV rows are not compared (that would mean keeping prices
// per SKU); group them when storing if that matters.
func (s *list) checkLadder() {
	tiers := make([]*Line, 0, len(s.rowLines))
	for i := range s.rowLines {
		if s.rowLines[i].Action != ActionDelete {
			tiers = append(tiers, &s.rowLines[i])
		}
	}
	sort.SliceStable(tiers, func(i, j int) bool { return tiers[i].MinQty < tiers[j].MinQty })
	for i := 1; i < len(tiers); i++ {
		lo, hi := tiers[i-1], tiers[i]
		if hi.SKU == lo.SKU && hi.Currency == lo.Currency && hi.PackPrice.GreaterThan(lo.PackPrice) {
			s.warnAt(hi.Pos, "pack_price", hi.SKU, "", fmt.Sprintf("the pack price at min_qty %d (%s) is higher than at min_qty %d (%s); tier prices should not rise with the quantity",
				hi.MinQty, hi.PackPrice, lo.MinQty, lo.PackPrice))
		}
	}
}

// register runs the whole-list checks: the same SKU and min_qty twice, and
// tiers of one SKU that describe different packs.
func (s *list) register(l *Line, bad field, at locator) {
	if !s.listChecks {
		return
	}
	line := int32(l.Pos.Line)
	b := append(s.buf[:0], l.SKU...)
	b = append(b, 0)
	b = binary.AppendVarint(b, l.MinQty)
	k := s.hash(b)
	if first, dup := s.keys[k]; dup {
		s.errorAt(at(fMinQty), "min_qty", l.SKU, "", fmt.Sprintf("sku %q with min_qty %d appears twice (first on line %d)", l.SKU, l.MinQty, first))
	} else {
		s.keys[k] = line
	}
	if l.Action == ActionDelete || bad&(fGTIN|fUnit|fPackContent|fBaseUnit|fCurrency) != 0 {
		s.buf = b
		return
	}
	b = append(b[:0], l.SKU...)
	ik := s.hash(b)
	b = append(b[:0], l.GTIN...)
	for _, v := range []string{l.PackUnit, l.PackContent.String(), l.BaseUnit, l.Currency} {
		b = append(b, 0)
		b = append(b, v...)
	}
	sig := maphash.Bytes(s.seed[0], b)
	s.buf = b
	if p, ok := s.items[ik]; !ok {
		s.items[ik] = packID{sig, line}
	} else if p.sig != sig {
		s.errorAt(at(fSKU), "sku", l.SKU, "", fmt.Sprintf("sku %q is described differently than on line %d (gtin, unit, pack_content, base_unit or currency); all tiers of an item must describe the same pack", l.SKU, p.line))
	}
}

func (s *list) hash(b []byte) [16]byte {
	var k [16]byte
	binary.LittleEndian.PutUint64(k[:8], maphash.Bytes(s.seed[0], b))
	binary.LittleEndian.PutUint64(k[8:], maphash.Bytes(s.seed[1], b))
	return k
}

// finishList runs the checks that need the whole list and fills the
// document's currencies.
func (s *list) finishList(emptyRule string) {
	if s.rep.RowsRead == 0 && !s.rep.Stopped {
		s.errorAt(Position{}, "", "", emptyRule, "the price list has no lines")
	}
	s.doc.Currencies = make([]string, 0, len(s.currencies))
	for c := range s.currencies {
		s.doc.Currencies = append(s.doc.Currencies, c)
	}
	sort.Strings(s.doc.Currencies)
	if s.doc.Currency == "" && len(s.doc.Currencies) == 1 {
		s.doc.Currency = s.doc.Currencies[0]
	}
	s.col.finish()
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// hasControl reports C0 control characters other than tab, CR and LF
// (PostgreSQL refuses NUL in text, and the others are never meant).
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

// innerHint says where a list gives what an inner pack holds.
func (s *list) innerHint() string {
	switch s.format {
	case FormatUBL:
		return " (in UBL: give ContentUnitQuantity in pieces or a measure, e.g. unitCode=\"C62\" 1000)"
	case FormatJSON:
		return ` (in JSON: "inner_content" and "inner_unit", e.g. "100" and "C62")`
	}
	return " (in CSV: columns inner_content and inner_unit, e.g. 100 and C62)"
}
