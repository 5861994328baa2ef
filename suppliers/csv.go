package suppliers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// csvColumns maps every accepted header name, English and Danish, to its
// field. Header names are compared trimmed, lower-cased, with spaces and
// hyphens read as underscores.
var csvColumns = map[string]field{
	"sku": fSKU, "varenummer": fSKU,
	"name": fName, "varenavn": fName,
	"description": fDescription, "beskrivelse": fDescription,
	"gtin": fGTIN, "ean": fGTIN,
	"unit": fUnit, "enhed": fUnit,
	"pack_content": fPackContent, "indhold": fPackContent,
	"base_unit": fBaseUnit, "basisenhed": fBaseUnit,
	"pack_price": fPackPrice, "pris": fPackPrice,
	"currency": fCurrency, "valuta": fCurrency,
	"min_qty": fMinQty, "min_antal": fMinQty,
	"valid_from": fValidFrom, "gyldig_fra": fValidFrom,
	"valid_to": fValidTo, "gyldig_til": fValidTo,
	"category": fCategory, "kategori": fCategory,
	"inner_content": fInnerContent, "inderindhold": fInnerContent,
	"inner_unit": fInnerUnit, "inderenhed": fInnerUnit,
	// How the item may be ordered (optional): a price's maximum quantity,
	// orderable (ja/nej), the minimum and maximum packs of one order and
	// the order multiple.
	"max_qty": fMaxQty, "max_antal": fMaxQty,
	"orderable": fOrderable, "kan_bestilles": fOrderable, "bestilbar": fOrderable,
	"min_order_qty": fMinOrderQty, "min_ordre": fMinOrderQty, "minimumsordre": fMinOrderQty, "min_bestilling": fMinOrderQty,
	"max_order_qty": fMaxOrderQty, "max_ordre": fMaxOrderQty, "maksimumsordre": fMaxOrderQty, "max_bestilling": fMaxOrderQty,
	"order_multiple": fOrderMultiple, "bestillingsmultiplum": fOrderMultiple, "multiplum": fOrderMultiple, "ordremultiplum": fOrderMultiple,
}

// csvRequired are the columns a CSV header must name.
const csvRequired = fSKU | fName | fGTIN | fUnit | fPackContent | fBaseUnit | fPackPrice | fCurrency

// maxRecordBytes bounds one CSV record. An unbalanced quote makes the
// rest of a file one field; this stops that from filling memory.
const maxRecordBytes = 1 << 20

var errRecordTooLarge = errors.New("record too large")

// recordGuard counts the bytes a decoder pulls for one record (CSV
// record, JSON value, UBL element; the parser resets n between them) and
// fails when they pass limit (maxRecordBytes when 0), so that one endless
// record cannot fill memory.
type recordGuard struct {
	r     io.Reader
	n     int
	limit int
}

func (g *recordGuard) Read(p []byte) (int, error) {
	limit := g.limit
	if limit == 0 {
		limit = maxRecordBytes
	}
	if g.n >= limit {
		return 0, errRecordTooLarge
	}
	n, err := g.r.Read(p)
	g.n += n
	return n, err
}

// parseCSV reads a CSV price list (see the package documentation).
func parseCSV(r io.Reader, label string, s *list) error {
	text, in, err := openText(r, label)
	if err != nil {
		return err
	}
	err = readCSV(text, s)
	s.doc.Charset = in.report(s)
	return err
}

func readCSV(text io.Reader, s *list) error {
	br := bufio.NewReaderSize(text, 64*1024)
	head, _ := br.Peek(64 * 1024)
	first := head
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i+1]
	}
	lineOff := 0
	var sep rune
	if t := strings.TrimSpace(string(first)); len(t) == 5 && strings.HasPrefix(strings.ToLower(t), "sep=") {
		// Excel's "sep=;" hint line.
		sep = rune(t[4])
		_, _ = br.Discard(len(first))
		lineOff = 1
	} else {
		sep = detectSeparator(first)
	}
	st := map[rune]numberStyle{',': stylePlain, ';': styleComma, '\t': styleEither}[sep]
	if sep != ',' && sep != ';' && sep != '\t' {
		s.errorAt(Position{Line: 1}, "", "", "", fmt.Sprintf("separator %q is not supported; use comma, semicolon or tab", sep))
		s.rep.Stopped = true
		return nil
	}

	guard := &recordGuard{r: br}
	cr := csv.NewReader(guard)
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		return nil // no header, no lines: finishList reports the empty list
	}
	if err != nil {
		return csvFatal(s, err, lineOff)
	}
	nCols := len(header) // the slice itself is reused by the next Read (ReuseRecord)
	t, ok := readHeader(s, header, func(int) Position { return Position{Line: 1 + lineOff} })
	if !ok {
		s.rep.Stopped = true
		return nil
	}

	for {
		guard.n = 0
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && s.body.err == nil {
			s.startRow()
			s.errorAt(Position{Line: pe.Line + lineOff, Column: pe.Column}, "", "", "", "CSV syntax: "+pe.Err.Error()+csvQuoteHint(pe.Err))
			continue
		}
		if err != nil {
			return csvFatal(s, err, lineOff)
		}
		if blankRecord(rec) {
			continue // spreadsheets export empty rows
		}
		recLine, _ := cr.FieldPos(0)
		recLine += lineOff
		s.startRow()
		if len(rec) != nCols {
			s.errorAt(Position{Line: recLine}, "", "", "", fmt.Sprintf("row has %d fields but the header has %d", len(rec), nCols))
			continue
		}
		err = s.tableRow(t, rec, Position{Line: recLine}, st, func(i int) Position {
			line, col := cr.FieldPos(i)
			return Position{Line: line + lineOff, Column: col}
		})
		if err != nil {
			return err
		}
	}
}

// table is the header of a table (a CSV body or a spreadsheet): the column
// of each field, by field bit index (-1 when absent), and the fields
// present.
type table struct {
	cols    []int
	present field
}

// tableRow builds, checks and emits one data row of a table, a CSV record
// or a spreadsheet row, whichever reader found it: both read their rows
// through here, so that units, Danish headers, decimal commas and every
// rule are the same. rec holds the row's cells by column; pos locates the
// row, cell the cell in column i. The caller has called startRow.
func (s *list) tableRow(t *table, rec []string, pos Position, st numberStyle, cell func(i int) Position) error {
	get := func(f field) string {
		if i := t.cols[bitIndex(f)]; i >= 0 && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	raw := rawLine{
		sku: get(fSKU), name: get(fName), description: get(fDescription), gtin: get(fGTIN),
		category: get(fCategory), unit: get(fUnit), packContent: get(fPackContent),
		baseUnit: get(fBaseUnit), packPrice: get(fPackPrice), currency: get(fCurrency),
		minQty: get(fMinQty), validFrom: get(fValidFrom), validTo: get(fValidTo),
		innerContent: get(fInnerContent), innerUnit: get(fInnerUnit),
		maxQty: get(fMaxQty), orderable: get(fOrderable), minOrderQty: get(fMinOrderQty),
		maxOrderQty: get(fMaxOrderQty), orderMultiple: get(fOrderMultiple),
		present: t.present,
	}
	at := func(f field) Position {
		i := t.cols[bitIndex(f)]
		if i < 0 {
			return pos
		}
		return cell(i)
	}
	l := Line{Pos: pos}
	absent := csvRequired &^ t.present // reported once, at the header
	bad := s.buildLine(&l, &raw, st, absent, at) | absent
	s.checkLine(&l, bad, 0, at)
	return s.endRow()
}

// readHeader maps a table's header (CSV or spreadsheet) to its columns,
// reporting unknown, repeated and missing columns. at locates column i of
// the header, or the whole header row for i = -1.
func readHeader(s *list, header []string, at func(i int) Position) (*table, bool) {
	cols := make([]int, bitIndex(fLast)+1)
	for i := range cols {
		cols[i] = -1
	}
	ok := true
	var unknown []string
	for i, h := range header {
		name := columnKey(h)
		f, known := csvColumns[name]
		switch {
		case name == "":
			if i < len(header)-1 || len(header) == 1 {
				unknown = append(unknown, fmt.Sprintf("(empty, column %d)", i+1))
			}
		case !known:
			unknown = append(unknown, fmt.Sprintf("%q", strings.TrimSpace(h)))
		case cols[bitIndex(f)] >= 0:
			s.errorAt(at(i), fieldName[f], "", "", fmt.Sprintf("column %q is given twice (columns %d and %d)", fieldName[f], cols[bitIndex(f)]+1, i+1))
			ok = false
		default:
			cols[bitIndex(f)] = i
		}
	}
	if len(unknown) > 0 {
		s.warnAt(at(-1), "", "", "", "unknown columns are ignored: "+strings.Join(unknown, ", "))
	}
	var missing []string
	for f := field(1); f <= fLast; f <<= 1 {
		if csvRequired&f != 0 && cols[bitIndex(f)] < 0 {
			missing = append(missing, fieldName[f])
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		s.errorAt(at(-1), "", "", "", "missing required columns: "+strings.Join(missing, ", ")+
			" (accepted names: sku/varenummer, name/varenavn, gtin/ean, unit/enhed, pack_content/indhold, base_unit/basisenhed, pack_price/pris, currency/valuta)")
	}
	// Missing columns do not stop the rows from being read: every other
	// problem in them is still reported, but no row is valid.
	s.noEmit = s.noEmit || len(missing) > 0
	t := &table{cols: cols}
	for f, i := range cols {
		if i >= 0 {
			t.present |= field(1) << f
		}
	}
	return t, ok
}

// columnKey normalises a header name for csvColumns: trimmed, lower case,
// spaces and hyphens read as underscores, dots dropped ("Min. antal" is
// min_antal).
func columnKey(h string) string {
	return columnSpaces.Replace(strings.ToLower(strings.TrimSpace(h)))
}

var columnSpaces = strings.NewReplacer(" ", "_", "-", "_", ".", "")

// detectSeparator picks the separator that occurs most often outside
// quotes in the header line: semicolon, tab or comma (the default).
func detectSeparator(line []byte) rune {
	counts := map[byte]int{}
	inQuote := false
	for _, c := range line {
		switch {
		case c == '"':
			inQuote = !inQuote
		case !inQuote && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best, n := byte(','), counts[',']
	for _, c := range []byte{';', '\t'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}

func csvFatal(s *list, err error, lineOff int) error {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errRecordTooLarge):
		return s.stop(Position{}, fmt.Sprintf("a record is longer than %d bytes; an unclosed quote (\") is the usual cause; nothing after it was read", maxRecordBytes))
	case errors.As(err, &pe):
		return s.stop(Position{Line: pe.Line + lineOff, Column: pe.Column}, "CSV syntax in the header: "+pe.Err.Error())
	}
	return s.stop(Position{}, "the body cannot be read as CSV: "+err.Error())
}

func csvQuoteHint(err error) string {
	if errors.Is(err, csv.ErrBareQuote) || errors.Is(err, csv.ErrQuote) {
		return ` (a field with a quote must be quoted itself, its quotes doubled: "12"" tube")`
	}
	return ""
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// bitIndex is the position of a single-bit field.
func bitIndex(f field) int {
	i := 0
	for f > 1 {
		f >>= 1
		i++
	}
	return i
}
