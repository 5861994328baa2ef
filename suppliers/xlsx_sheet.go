package suppliers

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The worksheet reader of .xlsx price lists. A workbook is a zip of XML
// parts; its small parts (the workbook's sheet list, the relationships)
// are read with encoding/xml, and the worksheet itself, a million rows of
// <row><c r="B17" t="s"><v>3</v></c>...</row>, with the scanner below,
// which reads only the few elements of SpreadsheetML a table needs and
// allocates one string per cell. excelize's row iterator decodes each
// cell through encoding/xml (DecodeElement per <c>, about 200
// allocations a row): profiled, it was 75% of an .xlsx import's time and
// held the import at a tenth of a raw COPY (BENCHMARKS.md). Cells are read
// as Excel stores them, as excelize's RawCellValue did: a shared string's
// text, an inline string's text, a number's exact text, a boolean's 1 or
// 0, a date cell's ISO text, a formula's cached value.

// xlsxBook is an .xlsx body opened for reading its sheets.
type xlsxBook struct {
	files    map[string]*zip.File
	sheets   []wbSheet // in workbook order
	date1904 bool
	strings  string // path of the shared strings part ("" if none)
}

type wbSheet struct{ name, path string }

// openXLSXBook reads the zip directory of body (size bytes) and the workbook's sheet
// list. Parts may unpack to at most maxUnzippedXLSX bytes together.
func openXLSXBook(body io.ReaderAt, size int64) (*xlsxBook, error) {
	zr, err := zip.NewReader(body, size)
	if err != nil {
		return nil, err
	}
	wb := &xlsxBook{files: map[string]*zip.File{}}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		wb.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	if total > maxUnzippedXLSX {
		return nil, fmt.Errorf("it unpacks to more than %d bytes", uint64(maxUnzippedXLSX))
	}
	var wbx struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := wb.decode("xl/workbook.xml", &wbx); err != nil {
		return nil, err
	}
	wb.date1904 = wbx.Pr.Date1904 == "1" || wbx.Pr.Date1904 == "true"
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := wb.decode("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		p := r.Target
		if strings.HasPrefix(p, "/") {
			p = strings.TrimPrefix(p, "/")
		} else {
			p = path.Join("xl", p)
		}
		target[r.ID] = p
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			wb.strings = p
		}
	}
	for _, s := range wbx.Sheets {
		if p, ok := target[s.RID]; ok {
			wb.sheets = append(wb.sheets, wbSheet{name: s.Name, path: p})
		}
	}
	return wb, nil
}

// open opens part name of the workbook.
func (wb *xlsxBook) open(name string) (io.ReadCloser, error) {
	f, ok := wb.files[name]
	if !ok {
		return nil, fmt.Errorf("the workbook has no part %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rc, nil
}

// decode reads a small part with encoding/xml.
func (wb *xlsxBook) decode(name string, v any) error {
	rc, err := wb.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// sharedStrings reads the workbook's shared strings: the text of each
// <si>, its runs joined, phonetic runs (<rPh>) left out.
func (wb *xlsxBook) sharedStrings() ([]string, error) {
	if wb.strings == "" {
		return nil, nil
	}
	if _, ok := wb.files[wb.strings]; !ok {
		return nil, nil
	}
	rc, err := wb.open(wb.strings)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	x := newXMLScan(rc)
	var out []string
	var si []byte
	inSI, inPh := false, false
	for x.next() {
		switch string(x.name) {
		case "si":
			switch {
			case x.self:
				out = append(out, "")
			case x.end:
				out = append(out, string(si))
				inSI = false
			default:
				inSI, si = true, si[:0]
			}
		case "rPh":
			inPh = !x.end && !x.self
		case "t":
			if x.end && inSI && !inPh {
				si = append(si, x.text...)
			}
		}
	}
	if x.err != io.EOF {
		return nil, fmt.Errorf("%s: %w", wb.strings, x.err)
	}
	return out, nil
}

// sheetRows streams the rows of a worksheet: fn gets each row's number and
// its cells by column (0-based; missing cells are ""). The cells slice is
// reused between calls.
func sheetRows(r io.Reader, shared []string, fn func(row int, cells []string) error) error {
	x := newXMLScan(r)
	row, col := 0, 0
	var cells []string
	for x.next() {
		if string(x.name) == "sheetData" {
			if x.self || x.end {
				return nil
			}
			break
		}
	}
	for x.next() {
		switch string(x.name) {
		case "sheetData":
			return nil
		case "row":
			switch {
			case x.end:
				if err := fn(row, cells); err != nil {
					return err
				}
			default:
				row++
				if v, ok := x.attr("r"); ok {
					n, err := strconv.Atoi(string(v))
					if err != nil || n < 1 {
						return fmt.Errorf("row number %q", v)
					}
					row = n
				}
				cells, col = cells[:0], 0
				if x.self {
					if err := fn(row, cells); err != nil {
						return err
					}
				}
			}
		case "c":
			if x.end {
				continue
			}
			if v, ok := x.attr("r"); ok {
				c, err := columnIndex(v)
				if err != nil {
					return err
				}
				col = c
			}
			var typ string
			if t, ok := x.attr("t"); ok {
				typ = string(t)
			}
			value := ""
			if !x.self {
				v, err := cellValue(x, typ, shared)
				if err != nil {
					return fmt.Errorf("cell %s: %w", cellRef(col, row).Path, err)
				}
				value = v
			}
			for len(cells) <= col {
				cells = append(cells, "")
			}
			cells[col] = value
			col++
		}
	}
	if x.err == io.EOF {
		return io.ErrUnexpectedEOF // no </sheetData>
	}
	return x.err
}

// cellValue reads the children of a <c> of type typ up to its </c>.
func cellValue(x *xmlScan, typ string, shared []string) (string, error) {
	var v, is []byte
	hasV, inIS, inPh := false, false, false
	for x.next() {
		switch string(x.name) {
		case "c":
			if !x.end {
				return "", errors.New("a cell inside a cell")
			}
			switch typ {
			case "s":
				i, err := strconv.Atoi(string(bytes.TrimSpace(v)))
				if err != nil || i < 0 || i >= len(shared) {
					return "", fmt.Errorf("shared string %q does not exist", v)
				}
				return shared[i], nil
			case "inlineStr":
				if !hasV {
					return string(is), nil
				}
			}
			return string(v), nil
		case "v":
			if x.end {
				v, hasV = append(v[:0], x.text...), true
			}
		case "is":
			inIS = !x.end && !x.self
		case "rPh":
			inPh = !x.end && !x.self
		case "t":
			if x.end && inIS && !inPh {
				is = append(is, x.text...)
			}
		}
	}
	if x.err == io.EOF {
		return "", io.ErrUnexpectedEOF
	}
	return "", x.err
}

// columnIndex is the 0-based column of a cell reference: "B17" is 1.
func columnIndex(ref []byte) (int, error) {
	n, i := 0, 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		n = n*26 + int(ref[i]-'A'+1)
		if n > 16384 {
			break
		}
	}
	if i == 0 || n > 16384 {
		return 0, fmt.Errorf("cell reference %q", ref)
	}
	return n - 1, nil
}

// xmlScan pulls the tags of an XML document one at a time, with the
// (unescaped) text before each. It knows enough XML for SpreadsheetML:
// elements, attributes, entities, character references, CDATA, comments
// and processing instructions; names lose their namespace prefix.
type xmlScan struct {
	r     *bufio.Reader
	tag   []byte // the current tag, between < and >
	name  []byte // its local name
	attrs []byte // its attributes, raw
	end   bool   // </name>
	self  bool   // <name/>
	text  []byte // the text between the previous tag and this one
	err   error  // io.EOF at the end
}

func newXMLScan(r io.Reader) *xmlScan {
	return &xmlScan{r: bufio.NewReaderSize(r, 64<<10)}
}

// next reads the next tag; false at the end (err io.EOF) or on an error.
func (x *xmlScan) next() bool {
	if x.err != nil {
		return false
	}
	x.text = x.text[:0]
	for {
		chunk, err := x.r.ReadSlice('<')
		if err == bufio.ErrBufferFull {
			if x.text, err = appendUnescaped(x.text, chunk); err != nil {
				x.err = err
				return false
			}
			continue
		}
		if err != nil {
			if err == io.EOF && len(bytes.TrimSpace(chunk)) > 0 {
				err = io.ErrUnexpectedEOF
			}
			x.err = err
			return false
		}
		if x.text, err = appendUnescaped(x.text, chunk[:len(chunk)-1]); err != nil {
			x.err = err
			return false
		}
		head, _ := x.r.Peek(9)
		switch {
		case bytes.HasPrefix(head, []byte("![CDATA[")):
			x.r.Discard(8)
			if !x.skipPast("]]>", true) {
				return false
			}
			continue
		case bytes.HasPrefix(head, []byte("!--")):
			if !x.skipPast("-->", false) {
				return false
			}
			continue
		case bytes.HasPrefix(head, []byte("?")), bytes.HasPrefix(head, []byte("!")):
			if !x.skipPast(">", false) {
				return false
			}
			continue
		}
		return x.readTag()
	}
}

// skipPast discards input up to and including end, appending it to the
// text (without end) when keep is set (CDATA).
func (x *xmlScan) skipPast(end string, keep bool) bool {
	last := end[len(end)-1]
	var seen []byte
	for {
		chunk, err := x.r.ReadSlice(last)
		if err != nil && err != bufio.ErrBufferFull {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			x.err = err
			return false
		}
		seen = append(seen, chunk...)
		if err == nil && bytes.HasSuffix(seen, []byte(end)) {
			if keep {
				x.text = append(x.text, seen[:len(seen)-len(end)]...)
			}
			return true
		}
		if !keep && len(seen) > len(end) {
			seen = append(seen[:0], seen[len(seen)-len(end):]...)
		}
	}
}

// readTag reads a tag after its '<', minding '>' inside quoted values.
func (x *xmlScan) readTag() bool {
	x.tag = x.tag[:0]
	var quote byte
	for {
		chunk, err := x.r.ReadSlice('>')
		if err != nil && err != bufio.ErrBufferFull {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			x.err = err
			return false
		}
		for _, c := range chunk {
			switch {
			case quote != 0 && c == quote:
				quote = 0
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
			}
		}
		x.tag = append(x.tag, chunk...)
		if err == nil && quote == 0 {
			break
		}
		if len(x.tag) > maxRecordBytes {
			x.err = errRecordTooLarge
			return false
		}
	}
	t := x.tag[:len(x.tag)-1]
	x.end = len(t) > 0 && t[0] == '/'
	if x.end {
		t = t[1:]
	}
	x.self = len(t) > 0 && t[len(t)-1] == '/'
	if x.self {
		t = t[:len(t)-1]
	}
	i := bytes.IndexAny(t, " \t\r\n")
	if i < 0 {
		i = len(t)
	}
	x.name, x.attrs = t[:i], t[i:]
	if j := bytes.LastIndexByte(x.name, ':'); j >= 0 {
		x.name = x.name[j+1:]
	}
	if len(x.name) == 0 {
		x.err = errors.New("a tag without a name")
		return false
	}
	return true
}

// attr returns the value of the current tag's attribute with local name
// name (its prefix ignored), unescaped only when it has a reference.
func (x *xmlScan) attr(name string) ([]byte, bool) {
	a := x.attrs
	for {
		a = bytes.TrimLeft(a, " \t\r\n")
		eq := bytes.IndexByte(a, '=')
		if eq < 0 {
			return nil, false
		}
		key := bytes.TrimRight(a[:eq], " \t\r\n")
		if j := bytes.LastIndexByte(key, ':'); j >= 0 {
			key = key[j+1:]
		}
		a = bytes.TrimLeft(a[eq+1:], " \t\r\n")
		if len(a) == 0 || (a[0] != '"' && a[0] != '\'') {
			return nil, false
		}
		end := bytes.IndexByte(a[1:], a[0])
		if end < 0 {
			return nil, false
		}
		val := a[1 : end+1]
		a = a[end+2:]
		if string(key) == name {
			if bytes.IndexByte(val, '&') >= 0 {
				v, err := appendUnescaped(nil, val)
				return v, err == nil
			}
			return val, true
		}
	}
}

// appendUnescaped appends s to dst with its entity and character
// references replaced.
func appendUnescaped(dst, s []byte) ([]byte, error) {
	for {
		i := bytes.IndexByte(s, '&')
		if i < 0 {
			return append(dst, s...), nil
		}
		dst = append(dst, s[:i]...)
		s = s[i:]
		semi := bytes.IndexByte(s, ';')
		if semi < 0 || semi > 12 {
			return dst, errors.New("an & that starts no reference (write &amp;)")
		}
		ref := s[1:semi]
		switch string(ref) {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if len(ref) < 2 || ref[0] != '#' {
				return dst, fmt.Errorf("unknown entity &%s;", ref)
			}
			var n uint64
			var err error
			if ref[1] == 'x' {
				n, err = strconv.ParseUint(string(ref[2:]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(ref[1:]), 10, 32)
			}
			if err != nil || !utf8.ValidRune(rune(n)) {
				return dst, fmt.Errorf("character reference &%s; is not a character", ref)
			}
			dst = utf8.AppendRune(dst, rune(n))
		}
		s = s[semi+1:]
	}
}
