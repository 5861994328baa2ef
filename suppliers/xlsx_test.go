package suppliers

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// workbook writes rows to the first sheet of a new workbook. A cell value
// starting with "=" is a number cell holding the rest exactly as Excel
// stores it ("=1234.5", "=46174"); any other value is a text cell.
func workbook(t testing.TB, rows ...[]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			if n, ok := strings.CutPrefix(v, "="); ok {
				err = f.SetCellDefault("Sheet1", cell, n)
			} else if v != "" {
				err = f.SetCellStr("Sheet1", cell, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var xlsxHeader = []string{"varenummer", "varenavn", "ean", "enhed", "indhold", "basisenhed", "pris", "valuta", "min_antal", "gyldig_fra", "gyldig_til"}

func TestXLSXNumbersAndDatesAsStored(t *testing.T) {
	body := workbook(t, xlsxHeader,
		// Number cells: exact, whatever their digits; 0.1+0.2 stored as typed.
		[]string{"A", "Handske", "", "æsk", "=100", "stk", "=1234.3", "DKK", "=1", "=46174", "=46752.75"},
		// Text cells in the Danish way, dates as text.
		[]string{"B", "Sprit", "", "stk", "1", "l", "1.234,50", "dkk", "", "01-06-2026", "2027-12-31"},
		// An exponent, as Excel writes very small or large values.
		[]string{"C", "Gaze", "", "pk", "=1E+2", "stk", "=4.5E-1", "DKK", "=10", "", ""},
	)
	res := parse(t, bytes.NewReader(body), XLSXMediaType)
	if res.err != nil || res.rep.Errors != 0 || len(res.lines) != 3 {
		t.Fatalf("err %v, report %+v", res.err, res.rep)
	}
	a, b, c := res.lines[0], res.lines[1], res.lines[2]
	if a.PackPrice.String() != "1234.3" || a.PackContent.String() != "100" || a.PackUnit != "XBX" || a.BaseUnit != "H87" ||
		fmtDate(a.ValidFrom) != "2026-06-01" || fmtDate(a.ValidTo) != "2027-12-31" {
		t.Errorf("number cells: %+v", a)
	}
	if b.PackPrice.String() != "1234.5" || b.BaseUnit != "LTR" || b.Currency != "DKK" || fmtDate(b.ValidFrom) != "2026-06-01" {
		t.Errorf("text cells: %+v", b)
	}
	if c.PackContent.String() != "100" || c.PackPrice.String() != "0.45" || c.MinQty != 10 {
		t.Errorf("exponents: %+v", c)
	}
	if a.Pos.Path != "2:2" || a.Pos.Line != 2 || c.Pos.Path != "4:4" {
		t.Errorf("positions %+v %+v", a.Pos, c.Pos)
	}
	if res.doc.Format != FormatXLSX {
		t.Errorf("format %q", res.doc.Format)
	}
}

// Every problem names its cell; the list is refused as a whole.
func TestXLSXProblemsAtCells(t *testing.T) {
	body := workbook(t, []string{"Prisliste 2027"}, nil, xlsxHeader,
		[]string{"A", "Handske", "", "æsk", "=100", "stk", "=12.5", "DKK", "", "", ""},
		[]string{"B", "Gaze", "", "xyzzy", "=0", "stk", "12.50 kr", "DKK", "=1.5", "=12", "31/12/2027"},
	)
	res := parse(t, bytes.NewReader(body), XLSXMediaType)
	var got []string
	for _, p := range res.rep.Problems {
		if p.Path == "" {
			t.Errorf("problem without a cell: %v", p)
		}
		if p.Severity == SeverityError {
			got = append(got, p.Path+" "+p.Field)
		}
	}
	want := "D5 unit|G5 pack_price|I5 min_qty|J5 valid_from|K5 valid_to|E5 pack_content"
	if strings.Join(got, "|") != want {
		t.Errorf("errors at %q, want %q", strings.Join(got, "|"), want)
		for _, p := range res.rep.Problems {
			t.Log(p)
		}
	}
	if res.rep.RowsRead != 2 || res.rep.RowsValid != 1 || len(res.lines) != 1 || res.lines[0].Pos.Path != "4:4" {
		t.Errorf("report %+v", res.rep)
	}
}

func TestXLSXSheetsAndBadBodies(t *testing.T) {
	body := workbook(t, xlsxHeader, []string{"A", "Handske", "", "æsk", "=100", "stk", "=12.5", "DKK", "", "", ""})
	for _, c := range []struct {
		sheet, body, want string
	}{
		{"Sheet1", string(body), ""},
		{"Ark2", string(body), `the workbook has no sheet "Ark2" (its sheets: "Sheet1")`},
		{"", "sku,name\n", "cannot be read as an .xlsx workbook"},
		{"", "", "cannot be read as an .xlsx workbook"},
	} {
		doc, rep, err := ParseFormat(strings.NewReader(c.body), FormatXLSX, "", Options{Sheet: c.sheet}, nil)
		if err != nil || doc.Format != FormatXLSX {
			t.Fatalf("%q: %v", c.sheet, err)
		}
		msg := ""
		if rep.Errors > 0 {
			msg = rep.Problems[0].Message
		}
		if (c.want == "") != (rep.Errors == 0) || !strings.Contains(msg, c.want) {
			t.Errorf("sheet %q: %+v", c.sheet, rep)
		}
	}
	if f, _, err := DetectFormat(XLSXMediaType); err != nil || f != FormatXLSX {
		t.Errorf("DetectFormat: %v %v", f, err)
	}
}

func TestSheetDate(t *testing.T) {
	for _, c := range []struct {
		v     string
		d1904 bool
		want  string
	}{
		{"46174", false, "2026-06-01"},
		{"46174.99", false, "2026-06-01"},
		{"44712", true, "2026-06-01"}, // the 1904 system counts 1462 days fewer
		{"61", false, "1900-03-01"},
		{"60", false, "60"},
		{"2026-06-01T00:00:00", false, "2026-06-01"},
		{"01-06-2026", false, "01-06-2026"},
		{"-3", false, "-3"},
	} {
		if got := sheetDate(c.v, c.d1904); got != c.want {
			t.Errorf("sheetDate(%q, %v) = %q, want %q", c.v, c.d1904, got, c.want)
		}
	}
}

func FuzzParseXLSX(f *testing.F) {
	f.Add(workbook(f, xlsxHeader, []string{"A", "Handske", "", "æsk", "=100", "stk", "=12.5", "DKK", "=1", "=46174", ""}))
	f.Add(workbook(f, xlsxHeader, []string{"B", "Gaze", "", "xyzzy", "=0", "stk", "12,50", "DKK", "=1.5", "=12", "31/12/2027"}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzParse(t, body, XLSXMediaType)
	})
}
