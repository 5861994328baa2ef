package suppliers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// jsonFields maps the keys of a JSON line object to fields.
var jsonFields = map[string]field{
	"sku": fSKU, "name": fName, "description": fDescription, "gtin": fGTIN,
	"category": fCategory, "unit": fUnit, "pack_content": fPackContent,
	"base_unit": fBaseUnit, "pack_price": fPackPrice, "currency": fCurrency,
	"min_qty": fMinQty, "valid_from": fValidFrom, "valid_to": fValidTo,
	"inner_content": fInnerContent, "inner_unit": fInnerUnit,
	"max_qty": fMaxQty, "orderable": fOrderable, "min_order_qty": fMinOrderQty,
	"max_order_qty": fMaxOrderQty, "order_multiple": fOrderMultiple,
}

// jsonNumberOK are the fields that may be JSON numbers: quantities, which
// a decoder reads exactly here (json.Number). Money and identifiers must
// be strings.
const jsonNumberOK = fPackContent | fMinQty | fInnerContent | fMaxQty | fMinOrderQty | fMaxOrderQty | fOrderMultiple

// jsonItemFields describe the item; a tier repeats them from its line.
const jsonItemFields = fSKU | fName | fDescription | fGTIN | fCategory | fUnit | fPackContent | fBaseUnit | fCurrency | fInnerContent | fInnerUnit |
	fOrderable | fMinOrderQty | fMaxOrderQty | fOrderMultiple

// parseJSON reads a JSON price list (see the package documentation) with
// the decoder's token API: the "lines" array is walked and each line
// object decoded on its own.
func parseJSON(r io.Reader, label string, s *list) error {
	text, in, err := openText(r, label)
	if err != nil {
		return err
	}
	guard := &recordGuard{r: text}
	lc := &lineCounter{r: guard}
	dec := json.NewDecoder(lc)
	dec.UseNumber()
	j := &jsonReader{s: s, dec: dec, lc: lc, guard: guard}
	err = j.read()
	s.doc.Charset = in.report(s)
	// JSON is UTF-8 (RFC 8259): a body that is not, with no charset
	// declared, is refused rather than guessed as a spreadsheet export.
	if in.auto != nil && in.auto.legacy && in.declared == "" {
		s.errorAt(Position{Line: in.auto.legacyLine}, "", "", "", "a JSON price list must be UTF-8 (RFC 8259): this line has bytes that are not; save it again as UTF-8 or name the charset in the Content-Type")
	}
	return err
}

type jsonReader struct {
	s        *list
	dec      *json.Decoder
	lc       *lineCounter
	guard    *recordGuard
	currency string // the document's "currency", the default of its lines
}

func (j *jsonReader) pos(path string) Position {
	return Position{Line: j.lc.lineAt(j.nextOffset()), Path: path}
}

// nextOffset is the offset of the next value, past spaces and commas.
func (j *jsonReader) nextOffset() int64 {
	off := j.dec.InputOffset()
	var b [1]byte
	rd := j.dec.Buffered()
	for {
		if n, _ := rd.Read(b[:]); n == 0 {
			return off
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
}

// fatal turns a decoder error into a problem that stops parsing, or
// returns the body reader's own failure.
func (j *jsonReader) fatal(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return j.s.stop(Position{Line: j.lc.lineAt(se.Offset)}, "JSON syntax: "+se.Error())
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return j.s.stop(Position{Line: j.lc.lineAt(j.dec.InputOffset())}, "JSON syntax: the document ends early")
	case errors.Is(err, errRecordTooLarge):
		return j.s.stop(Position{Line: j.lc.lineAt(j.dec.InputOffset())}, fmt.Sprintf("a JSON value is longer than %d bytes; nothing after it was read", maxRecordBytes))
	}
	return j.s.stop(Position{Line: j.lc.lineAt(j.dec.InputOffset())}, "JSON: "+err.Error())
}

func (j *jsonReader) read() error {
	tok, err := j.dec.Token()
	if err == io.EOF {
		return nil // empty body: finishList reports the empty list
	}
	if err != nil {
		return j.fatal(err)
	}
	if tok != json.Delim('{') {
		j.s.errorAt(Position{Line: 1}, "", "", "", `the body must be a JSON object: {"currency": "DKK", "lines": [...]}`)
		j.s.rep.Stopped = true
		return nil
	}
	seenLines := false
	for j.dec.More() {
		j.guard.n = 0
		tok, err := j.dec.Token()
		if err != nil {
			return j.fatal(err)
		}
		key, _ := tok.(string)
		pos := j.pos(key)
		switch key {
		case "currency", "valid_from", "valid_to":
			if seenLines {
				j.s.errorAt(pos, key, "", "", fmt.Sprintf("%q must come before \"lines\" (the list is read as a stream)", key))
			}
			var v any
			if err := j.dec.Decode(&v); err != nil {
				return j.fatal(err)
			}
			str, ok := v.(string)
			if !ok {
				j.s.errorAt(pos, key, "", "", fmt.Sprintf("%s must be a string", key))
				continue
			}
			j.header(key, str, pos)
		case "lines":
			seenLines = true
			if err := j.lines(pos); err != nil || j.s.rep.Stopped {
				return err
			}
		default:
			j.s.warnAt(pos, key, "", "", fmt.Sprintf("unknown field %q is ignored", key))
			if err := j.skip(); err != nil {
				return j.fatal(err)
			}
		}
	}
	if _, err := j.dec.Token(); err != nil { // the closing brace
		return j.fatal(err)
	}
	if _, err := j.dec.Token(); err != io.EOF {
		if err != nil {
			return j.fatal(err)
		}
		j.s.errorAt(j.pos(""), "", "", "", "data after the end of the JSON document")
	}
	return nil
}

func (j *jsonReader) header(key, v string, pos Position) {
	switch key {
	case "currency":
		c := strings.ToUpper(strings.TrimSpace(v))
		if !validCurrency(c) {
			j.s.errorAt(pos, key, "", "", fmt.Sprintf("%q is not an ISO 4217 currency code (e.g. DKK, EUR)", v))
			return
		}
		j.currency = c
		j.s.doc.Currency = c
	case "valid_from", "valid_to":
		t, err := parseDate(v)
		if err != nil {
			j.s.errorAt(pos, key, "", "", key+": "+err.Error())
			return
		}
		if key == "valid_from" {
			j.s.doc.ValidFrom = t
		} else {
			j.s.doc.ValidTo = t
		}
		d := j.s.doc
		if !d.ValidFrom.IsZero() && !d.ValidTo.IsZero() && d.ValidTo.Before(d.ValidFrom) {
			j.s.errorAt(pos, key, "", "", fmt.Sprintf("the list's validity ends (%s) before it starts (%s)", fmtDate(d.ValidTo), fmtDate(d.ValidFrom)))
		}
	}
}

// skip consumes one value of any size token by token.
func (j *jsonReader) skip() error {
	depth := 0
	for {
		j.guard.n = 0
		tok, err := j.dec.Token()
		if err != nil {
			return err
		}
		j.lc.lineAt(j.dec.InputOffset())
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

func (j *jsonReader) lines(pos Position) error {
	tok, err := j.dec.Token()
	if err != nil {
		return j.fatal(err)
	}
	if tok != json.Delim('[') {
		j.s.errorAt(pos, "lines", "", "", `"lines" must be an array of line objects`)
		if d, ok := tok.(json.Delim); ok && d == '{' {
			j.s.rep.Stopped = true // its contents would be read as keys of the document
		}
		return nil
	}
	for i := 0; j.dec.More(); i++ {
		j.guard.n = 0
		start := j.pos(fmt.Sprintf("lines[%d]", i))
		var obj map[string]json.RawMessage
		if err := j.dec.Decode(&obj); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				j.s.startRow()
				j.s.errorAt(start, "", "", "", "a line must be a JSON object")
				continue
			}
			return j.fatal(err)
		}
		j.s.startRow()
		j.line(obj, i, start)
		if err := j.s.endRow(); err != nil {
			return err
		}
	}
	if _, err := j.dec.Token(); err != nil { // the closing bracket
		return j.fatal(err)
	}
	return nil
}

// jsonText reads a line field: a string, or for quantities a number;
// null is absent. ok is false after a reported problem.
func (j *jsonReader) jsonText(raw json.RawMessage, f field, key string, at locator) (v string, present, ok bool) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", false, true
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &v); err != nil {
			j.s.errorAt(at(f), key, "", "", key+" is not a valid JSON string")
			return "", true, false
		}
		if strings.ContainsRune(v, utf8.RuneError) && !bytes.ContainsRune(raw, utf8.RuneError) && !bytes.Contains(bytes.ToLower(raw), []byte(`\ufffd`)) {
			// encoding/json reads a lone surrogate (\ud800) as U+FFFD: it
			// would be stored as a character nobody sent.
			j.s.errorAt(at(f), key, "", "", key+" holds an invalid Unicode escape (a lone surrogate)")
			return "", true, false
		}
		return v, true, true
	case f == fOrderable && (string(raw) == "true" || string(raw) == "false"):
		return string(raw), true, true
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		if f&jsonNumberOK != 0 {
			return string(raw), true, true
		}
		if f == fPackPrice {
			j.s.errorAt(at(f), key, "", "", fmt.Sprintf("pack_price must be a JSON string, not the number %s: money amounts are strings (e.g. \"45.00\") so that no decimal is lost", raw))
		} else {
			j.s.errorAt(at(f), key, "", "", fmt.Sprintf("%s must be a JSON string, not the number %s", key, raw))
		}
		return "", true, false
	}
	j.s.errorAt(at(f), key, "", "", key+" must be a JSON string")
	return "", true, false
}

// line checks one line object and its tiers.
func (j *jsonReader) line(obj map[string]json.RawMessage, i int, start Position) {
	base := fmt.Sprintf("lines[%d]", i)
	at := func(f field) Position { return Position{Line: start.Line, Path: base + "." + fieldName[f]} }
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var raw rawLine
	var bad field
	set := map[field]*string{
		fSKU: &raw.sku, fName: &raw.name, fDescription: &raw.description, fGTIN: &raw.gtin,
		fCategory: &raw.category, fUnit: &raw.unit, fPackContent: &raw.packContent,
		fBaseUnit: &raw.baseUnit, fPackPrice: &raw.packPrice, fCurrency: &raw.currency,
		fMinQty: &raw.minQty, fValidFrom: &raw.validFrom, fValidTo: &raw.validTo,
		fInnerContent: &raw.innerContent, fInnerUnit: &raw.innerUnit,
		fMaxQty: &raw.maxQty, fOrderable: &raw.orderable, fMinOrderQty: &raw.minOrderQty,
		fMaxOrderQty: &raw.maxOrderQty, fOrderMultiple: &raw.orderMultiple,
	}
	for _, k := range keys {
		if k == "tiers" {
			continue
		}
		f, known := jsonFields[k]
		if !known {
			j.s.warnAt(Position{Line: start.Line, Path: base + "." + k}, k, "", "", fmt.Sprintf("unknown field %q is ignored", k))
			continue
		}
		v, present, ok := j.jsonText(obj[k], f, k, at)
		if !ok {
			bad |= f
		}
		if present {
			raw.present |= f
		}
		*set[f] = v
	}
	// Document defaults.
	if raw.present&fCurrency == 0 && j.currency != "" {
		raw.currency, raw.present = j.currency, raw.present|fCurrency
	}
	var l Line
	l.Pos = start
	bad |= j.s.buildLine(&l, &raw, stylePlain, bad, at)
	if raw.present&fValidFrom == 0 {
		l.ValidFrom = j.s.doc.ValidFrom
	}
	if raw.present&fValidTo == 0 {
		l.ValidTo = j.s.doc.ValidTo
	}
	j.s.checkLine(&l, bad, 0, at)

	tiersRaw, ok := obj["tiers"]
	if !ok || string(bytes.TrimSpace(tiersRaw)) == "null" {
		return
	}
	var tiers []map[string]json.RawMessage
	if err := json.Unmarshal(tiersRaw, &tiers); err != nil {
		j.s.errorAt(Position{Line: start.Line, Path: base + ".tiers"}, "tiers", l.SKU, "", `tiers must be an array of objects {"min_qty": "10", "pack_price": "42.00"}`)
		return
	}
	for t, tier := range tiers {
		tbase := fmt.Sprintf("%s.tiers[%d]", base, t)
		tat := func(f field) Position {
			if f&jsonItemFields != 0 {
				return at(f)
			}
			return Position{Line: start.Line, Path: tbase + "." + fieldName[f]}
		}
		traw := raw
		traw.minQty, traw.packPrice, traw.validFrom, traw.validTo, traw.maxQty = "", "", "", "", ""
		traw.present = raw.present & jsonItemFields
		tbad := bad & jsonItemFields
		tkeys := make([]string, 0, len(tier))
		for k := range tier {
			tkeys = append(tkeys, k)
		}
		sort.Strings(tkeys)
		for _, k := range tkeys {
			var dst *string
			var f field
			switch k {
			case "min_qty":
				dst, f = &traw.minQty, fMinQty
			case "pack_price":
				dst, f = &traw.packPrice, fPackPrice
			case "valid_from":
				dst, f = &traw.validFrom, fValidFrom
			case "valid_to":
				dst, f = &traw.validTo, fValidTo
			case "max_qty":
				dst, f = &traw.maxQty, fMaxQty
			default:
				j.s.warnAt(Position{Line: start.Line, Path: tbase + "." + k}, k, l.SKU, "", fmt.Sprintf("unknown tier field %q is ignored", k))
				continue
			}
			v, present, ok := j.jsonText(tier[k], f, k, tat)
			if !ok {
				tbad |= f
			}
			if present {
				traw.present |= f
			}
			*dst = v
		}
		if traw.present&fMinQty == 0 && tbad&fMinQty == 0 {
			j.s.errorAt(tat(fMinQty), "min_qty", l.SKU, "", "a tier needs its min_qty")
			tbad |= fMinQty
		}
		// Item fields were parsed and reported with the line: take them
		// from it and parse only the tier's own.
		tl := l
		tl.Pos = Position{Line: start.Line, Path: tbase}
		tl.ValidFrom, tl.ValidTo = time.Time{}, time.Time{}
		tbad |= j.s.buildLine(&tl, &traw, stylePlain, tbad|jsonItemFields, tat)
		if traw.present&fValidFrom == 0 {
			tl.ValidFrom = l.ValidFrom
		}
		if traw.present&fValidTo == 0 {
			tl.ValidTo = l.ValidTo
		}
		j.s.checkLine(&tl, tbad, jsonItemFields, tat)
	}
}

// lineCounter counts newlines in what is read, to turn decoder offsets
// into line numbers. It keeps only the newlines not yet passed by a query,
// and queries come in increasing order, so memory stays bounded by the
// decoder's buffer.
type lineCounter struct {
	r    io.Reader
	read int64
	nl   []int64
	line int
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	b := p[:n]
	base := c.read
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			break
		}
		c.nl = append(c.nl, base+int64(i))
		base += int64(i) + 1
		b = b[i+1:]
	}
	c.read += int64(n)
	return n, err
}

// lineAt is the 1-based line of byte offset off.
func (c *lineCounter) lineAt(off int64) int {
	i := 0
	for i < len(c.nl) && c.nl[i] < off {
		i++
	}
	c.line += i
	c.nl = c.nl[i:]
	return c.line + 1
}
