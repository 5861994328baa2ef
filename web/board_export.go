package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"

	"andel/domain"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Downloads of the dashboard's tables (GET /board/savings/export?table=
// months|categories|suppliers|clusters|practices&format=csv|xlsx and the
// page's range, search and sort): the rows and the total row the page
// shows, to the øre. Amounts are written from their decimal strings,
// never through a float:
//   - CSV in Danish is what Danish Excel opens as it stands: UTF-8 with a
//     byte-order mark, ';' between fields, decimal comma, no thousands
//     separator ("1234,50"). In English: UTF-8 without a mark, ',' and a
//     decimal point ("1234.50").
//   - .xlsx cells are numbers written from the decimal string ("1234.50",
//     excelize's SetCellDefault, no float conversion), shown with two
//     decimals; the total row is the exact total, not a formula. The
//     writer (xlsxSheet) serves the compliance page's download too.

// exportTable is a table as downloaded.
type exportTable struct {
	Name     string // months, categories, ...
	Currency string
	Range    boardRange
	Months   bool // a cumulative column follows the figures
	Rows     []exportRow
}

type exportRow struct {
	Key, Label string
	F          domain.SavingsFigures
	Cumulative decimal.Decimal
	Total      bool
}

// exportColumns are the figures of each row, after key and name.
var exportColumns = []string{"spend", "baseline_spend", "savings", "savings_percent", "rebates_accrued", "on_contract_share"}

func figureOf(f domain.SavingsFigures, col string) decimal.Decimal {
	switch col {
	case "spend":
		return f.Spend
	case "baseline_spend":
		return f.BaselineSpend
	case "savings":
		return f.Savings
	case "savings_percent":
		return f.SavingsPercent
	case "rebates_accrued":
		return f.Rebates
	}
	return f.OnContractShare
}

// exportRows reads the table asked for, as the page shows it.
func (p *Pages) exportRows(c echo.Context) (*exportTable, error) {
	l := pageOf(c).L
	name := c.QueryParam("table")
	group, ok := groupOf[name]
	if !ok {
		return nil, &domain.Error{Code: domain.EINVALID, Message: "unknown table",
			Fields: []domain.FieldError{{Field: "table", Message: "must be months, categories, suppliers, clusters or practices"}}}
	}
	if name == tablePractices {
		d, err := p.practiceTable(c)
		if err != nil {
			return nil, err
		}
		t := &exportTable{Name: name, Currency: d.Currency, Range: d.Range}
		for _, r := range d.Rows {
			t.Rows = append(t.Rows, exportRow{Key: r.Key, Label: r.Label, F: r.F})
		}
		if d.Filtered {
			t.Rows = append(t.Rows, exportRow{Label: l.T("board.shown", len(d.Rows)), F: d.Shown, Total: true})
		}
		t.Rows = append(t.Rows, exportRow{Label: l.T("board.total.practices", d.All), F: d.Total, Total: true})
		return t, nil
	}
	r, _, err := parseRange(c)
	if err != nil {
		return nil, err
	}
	rep, err := p.report(c.Request().Context(), r, group)
	if err != nil {
		return nil, err
	}
	t := &exportTable{Name: name, Currency: rep.Currency, Range: r, Months: name == tableMonths}
	if t.Months {
		pts := monthPoints(r, rep, l)
		newMonthChart("", "", pts, l) // fills the cumulative figures
		for _, m := range pts {
			t.Rows = append(t.Rows, exportRow{Key: m.Row.Key, Label: m.Row.Label, F: m.Row.F, Cumulative: m.Cumulative})
		}
	} else {
		for _, row := range rowsOf(name, rep, l) {
			t.Rows = append(t.Rows, exportRow{Key: row.Key, Label: row.Label, F: row.F})
		}
	}
	t.Rows = append(t.Rows, exportRow{Label: l.T("board.total"), F: rep.Total, Cumulative: rep.Total.Savings, Total: true})
	return t, nil
}

// header is the table's first row in the page's language.
func (t *exportTable) header(l *Localizer) []string {
	h := []string{l.T("board.col.key"), l.T("board.col.name")}
	for _, col := range exportColumns {
		label := l.T("board.col." + col)
		if col != "savings_percent" && col != "on_contract_share" {
			label += " (" + t.Currency + ")"
		}
		h = append(h, label)
	}
	if t.Months {
		h = append(h, l.T("board.col.cumulative")+" ("+t.Currency+")")
	}
	return h
}

// values are a row's figures as decimal strings with 2 decimals.
func (t *exportTable) values(r exportRow) []string {
	var v []string
	for _, col := range exportColumns {
		v = append(v, figureOf(r.F, col).StringFixed(2))
	}
	if t.Months {
		v = append(v, r.Cumulative.StringFixed(2))
	}
	return v
}

func (t *exportTable) filename(ext string) string {
	return fmt.Sprintf("andel-savings-%s-%s-%s.%s", t.Name, t.Range.FromS(), t.Range.ToS(), ext)
}

// boardSavingsExport downloads a table as CSV or .xlsx.
func (p *Pages) boardSavingsExport(c echo.Context) error {
	t, err := p.exportRows(c)
	if err != nil {
		return err
	}
	l := pageOf(c).L
	switch c.QueryParam("format") {
	case "xlsx":
		b, err := t.xlsx(l)
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+t.filename("xlsx")+`"`)
		return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
	case "csv", "":
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+t.filename("csv")+`"`)
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", t.csv(l))
	}
	return &domain.Error{Code: domain.EINVALID, Message: "unknown format",
		Fields: []domain.FieldError{{Field: "format", Message: "must be csv or xlsx"}}}
}

// csv writes the table for Excel in the page's language (see above).
func (t *exportTable) csv(l *Localizer) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	da := l.Tag == danish
	if da {
		buf.WriteString("\ufeff")
		w.Comma = ';'
	}
	_ = w.Write(t.header(l))
	for _, r := range t.Rows {
		vals := t.values(r)
		if da {
			for i := range vals {
				vals[i] = strings.Replace(vals[i], ".", ",", 1)
			}
		}
		_ = w.Write(append([]string{r.Key, r.Label}, vals...))
	}
	w.Flush()
	return buf.Bytes()
}

// xlsx writes the table as one sheet: text cells for key and name,
// number cells (from decimal strings) for the figures.
func (t *exportTable) xlsx(l *Localizer) ([]byte, error) {
	rows := make([]sheetRow, 0, len(t.Rows))
	for _, r := range t.Rows {
		cells := []sheetCell{{V: r.Key}, {V: r.Label}}
		for _, v := range t.values(r) {
			cells = append(cells, sheetCell{V: v, Number: true})
		}
		rows = append(rows, sheetRow{Cells: cells, Total: r.Total})
	}
	return xlsxSheet(l.T("board.table."+t.Name), t.header(l), rows)
}

// sheetCell is one cell of a downloaded sheet: text, or a number written
// from its decimal string (never through a float).
type sheetCell struct {
	V      string
	Number bool
}

// sheetRow is one row of a downloaded sheet; a total row is bold.
type sheetRow struct {
	Cells []sheetCell
	Total bool
}

// xlsxSheet writes one sheet (the one .xlsx writer of the board's
// downloads: the savings dashboard's tables and the compliance page's):
// a bold, frozen header row, then the rows, number cells shown with two
// decimals. Column A is narrow (keys), B wide (names), the rest 18.
func xlsxSheet(sheet string, header []string, rows []sheetRow) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	numFmt := "#,##0.00"
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	boldMoney, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &numFmt})
	if err != nil {
		return nil, err
	}
	cell := func(col, row int) string {
		name, _ := excelize.CoordinatesToCellName(col, row)
		return name
	}
	for i, h := range header {
		if err := f.SetCellStr(sheet, cell(i+1, 1), h); err != nil {
			return nil, err
		}
	}
	_ = f.SetCellStyle(sheet, cell(1, 1), cell(len(header), 1), bold)
	for i, r := range rows {
		row := i + 2
		for j, c := range r.Cells {
			at := cell(j+1, row)
			style := bold
			if c.Number {
				if err := f.SetCellDefault(sheet, at, c.V); err != nil {
					return nil, err
				}
				style = money
				if r.Total {
					style = boldMoney
				}
			} else if err := f.SetCellStr(sheet, at, c.V); err != nil {
				return nil, err
			}
			if c.Number || r.Total {
				if err := f.SetCellStyle(sheet, at, at, style); err != nil {
					return nil, err
				}
			}
		}
	}
	_ = f.SetColWidth(sheet, "A", "A", 12)
	_ = f.SetColWidth(sheet, "B", "B", 36)
	last, _ := excelize.ColumnNumberToName(max(len(header), 3))
	_ = f.SetColWidth(sheet, "C", last, 18)
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
