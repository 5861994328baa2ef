package suppliers

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// XLSXMediaType is the Content-Type of an Excel workbook (.xlsx).
const XLSXMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// maxUnzippedXLSX bounds what a workbook may unpack to (worksheets larger
// than excelize's in-memory limit are unpacked to temporary files), so
// that a small zip cannot fill the disk: a million-line sheet is well
// under it.
const maxUnzippedXLSX = 2 << 30

// maxTitleRows is how many rows above the header a sheet may have (a title,
// the supplier's address, an empty row), skipped with a warning.
const maxTitleRows = 10

// parseXLSX reads an .xlsx price list: the sheet named sheet, or the first
// one. The sheet is a table like a CSV body: a header row naming the
// columns (the same names, English or Danish), then one row per line, each
// read through tableRow like a CSV record. Rows come from excelize's row
// iterator, which streams the worksheet. Every problem names its cell
// ("B17"; a whole row is "17:17").
//
// Cells are read as Excel stores them, not as it shows them: a number cell
// is the exact decimal text of its value ("1234.5"), never a float64, so a
// price is what was typed however the cell is formatted; a text cell is
// read as a Danish supplier types it ("1.234,50"). A date cell is its
// serial number (days since 1899-12-30, or 1904-01-01 in a workbook using
// the 1904 system; a time of day is dropped), a date typed as text is read
// like a CSV date. Formulas give their cached value.
func parseXLSX(r io.Reader, sheet string, s *list) error {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzippedXLSX})
	if err != nil {
		return s.stop(Position{}, "the body cannot be read as an .xlsx workbook: "+err.Error()+
			" (save the spreadsheet as Excel Workbook .xlsx, or export it as CSV)")
	}
	defer f.Close()
	names := f.GetSheetList()
	if len(names) == 0 {
		return s.stop(Position{}, "the workbook has no sheet")
	}
	name := names[0]
	if sheet != "" {
		if i, err := f.GetSheetIndex(sheet); err != nil || i < 0 {
			return s.stop(Position{}, fmt.Sprintf("the workbook has no sheet %q (its sheets: %s)", sheet, quoteList(names)))
		}
		name = sheet
	}
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	rows, err := f.Rows(name)
	if err != nil {
		return s.stop(Position{}, fmt.Sprintf("sheet %q cannot be read: %v", name, err))
	}
	defer rows.Close()

	var t *table
	raw := excelize.Options{RawCellValue: true}
	for row := 1; rows.Next(); row++ {
		cells, err := rows.Columns(raw)
		if err != nil {
			return s.stop(rowRef(row), fmt.Sprintf("sheet %q cannot be read from row %d on: %v", name, row, err))
		}
		if blankRecord(cells) {
			continue
		}
		if t == nil {
			if knownColumns(cells) < 2 && row <= maxTitleRows {
				s.warnAt(rowRef(row), "", "", "", fmt.Sprintf("row %d names no columns and is skipped as a title; the header is the first row that names them", row))
				continue
			}
			var ok bool
			if t, ok = readHeader(s, cells, func(i int) Position { return cellRef(i, row) }); !ok {
				s.rep.Stopped = true
				return nil
			}
			continue
		}
		s.startRow()
		for _, f := range []field{fValidFrom, fValidTo} {
			if i := t.cols[bitIndex(f)]; i >= 0 && i < len(cells) {
				cells[i] = sheetDate(cells[i], date1904)
			}
		}
		if err := s.tableRow(t, cells, rowRef(row), styleSheet, func(i int) Position { return cellRef(i, row) }); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return s.stop(Position{}, fmt.Sprintf("sheet %q cannot be read to its end: %v", name, err))
	}
	if t == nil && s.rep.Errors == 0 {
		s.rep.Stopped = true
		s.errorAt(Position{}, "", "", "", fmt.Sprintf("sheet %q has no header row naming the columns (sku/varenummer, name/varenavn, ...)", name))
	}
	return nil
}

// cellRef locates column i (0-based) of a sheet row: "B17".
func cellRef(i, row int) Position {
	name, _ := excelize.CoordinatesToCellName(i+1, row)
	return Position{Line: row, Column: i + 1, Path: name}
}

// rowRef locates a whole sheet row as Excel names it: "17:17".
func rowRef(row int) Position {
	return Position{Line: row, Path: strconv.Itoa(row) + ":" + strconv.Itoa(row)}
}

// knownColumns counts the cells of a row that name a column.
func knownColumns(cells []string) int {
	n := 0
	for _, c := range cells {
		if _, ok := csvColumns[columnKey(c)]; ok {
			n++
		}
	}
	return n
}

// maxSerialDate is 9999-12-31, Excel's last date.
const maxSerialDate = 2958465

// sheetDate turns a date cell's stored value into the ISO date parseDate
// reads: a serial number (a number cell formatted as a date), or an ISO
// date-time (a cell of type d). Any other text is left to parseDate.
func sheetDate(v string, date1904 bool) string {
	v = strings.TrimSpace(v)
	if d, ok := sheetNumber(v); ok {
		days := d.Floor().IntPart()
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		if date1904 {
			base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		// Serials before 61 (1 March 1900) are off by Excel's 1900
		// leap-year bug; no price list is valid then, so they stay
		// unread and parseDate refuses them.
		if days >= 61 && days <= maxSerialDate || date1904 && days >= 0 && days <= maxSerialDate {
			return base.AddDate(0, 0, int(days)).Format("2006-01-02")
		}
		return v
	}
	if len(v) > 10 && v[10] == 'T' {
		if _, err := parseISODate(v[:10]); err == nil {
			return v[:10]
		}
	}
	return v
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
