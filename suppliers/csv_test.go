package suppliers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/charmap"
)

// danishCSV is a Danish spreadsheet export: semicolons, decimal comma with
// '.' grouping, day-first dates, CRLF, a blank row, Danish header names.
const danishCSV = "Varenummer;Varenavn;EAN;Enhed;Indhold;Basisenhed;Pris;Valuta;Min_antal;Gyldig_fra;Gyldig_til;Kategori\r\n" +
	"H-100;Nitrilhandsker blå, str. M;5701234567899;XBX;100;EA;1.234,50;DKK;1;01-01-2027;31-12-2027;Handsker\r\n" +
	"H-100;Nitrilhandsker blå, str. M;5701234567899;XBX;100;EA;1.100,00;DKK;10;01-01-2027;31-12-2027;Handsker\r\n" +
	";;;;;;;;;;;\r\n" +
	"V-7;Vatpinde i æske (200 stk.) – €-pris;5701234567905;XPK;200;C62;12,5;EUR;;;;Sår & pleje\r\n" +
	"G-3;Gazekompres 5×5 cm, Ø;5701234567912;BX;1.000;EA;249;DKK;;1.2.2027;;Sår\r\n"

func windows1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b, []byte(s)) {
		t.Fatal("test data has no non-ASCII characters")
	}
	return b
}

func TestCSVDanishWindows1252(t *testing.T) {
	body := windows1252(t, danishCSV)
	for _, ct := range []string{
		"text/csv",                       // detected: not UTF-8, so Windows-1252
		"text/csv; charset=windows-1252", // declared
		"text/csv; charset=ISO-8859-1",   // the WHATWG label maps to windows-1252
		"text/csv; charset=\"latin1\"",   // quoted parameter
		"text/csv; header=present; charset=cp1252",
	} {
		t.Run(ct, func(t *testing.T) {
			res := parse(t, bytes.NewReader(body), ct)
			if res.err != nil {
				t.Fatal(res.err)
			}
			assertProblems(t, res.rep)
			if res.doc.Charset != "windows-1252" || res.doc.Format != FormatCSV || res.doc.Action != ActionReplace {
				t.Errorf("document %+v", res.doc)
			}
			if !slices.Equal(res.doc.Currencies, []string{"DKK", "EUR"}) || res.doc.Currency != "" {
				t.Errorf("currencies %q, currency %q", res.doc.Currencies, res.doc.Currency)
			}
			if res.rep.RowsRead != 4 || res.rep.RowsValid != 4 || res.rep.LinesEmitted != 4 || len(res.lines) != 4 {
				t.Errorf("report %+v, %d lines", res.rep, len(res.lines))
			}
			checkLine(t, lineBySKU(t, res.lines, "H-100", 1), wantLine{
				SKU: "H-100", Name: "Nitrilhandsker blå, str. M", GTIN: "5701234567899",
				PackUnit: "XBX", PackContent: "100", BaseUnit: "EA", PackPrice: "1234.50", Currency: "DKK", MinQty: 1,
				ValidFrom: "2027-01-01", ValidTo: "2027-12-31"})
			checkLine(t, lineBySKU(t, res.lines, "H-100", 10), wantLine{
				SKU: "H-100", GTIN: "5701234567899",
				PackUnit: "XBX", PackContent: "100", BaseUnit: "EA", PackPrice: "1100", Currency: "DKK", MinQty: 10})
			v := lineBySKU(t, res.lines, "V-7", 1)
			checkLine(t, v, wantLine{
				SKU: "V-7", Name: "Vatpinde i æske (200 stk.) – €-pris", GTIN: "5701234567905",
				PackUnit: "XPK", PackContent: "200", BaseUnit: "C62", PackPrice: "12.5", Currency: "EUR", MinQty: 1})
			if v.Category != "Sår & pleje" || !v.ValidFrom.IsZero() || !v.ValidTo.IsZero() {
				t.Errorf("V-7: category %q, validity %s..%s", v.Category, v.ValidFrom, v.ValidTo)
			}
			checkLine(t, lineBySKU(t, res.lines, "G-3", 1), wantLine{
				SKU: "G-3", Name: "Gazekompres 5×5 cm, Ø", GTIN: "5701234567912",
				PackUnit: "BX", PackContent: "1000", BaseUnit: "EA", PackPrice: "249", Currency: "DKK", MinQty: 1,
				ValidFrom: "2027-02-01"})
			h := res.lines[0]
			if h.Pos.Line != 2 || h.Action != ActionAdd || !h.ListedPrice.Amount.Equal(dec("1234.5")) || !h.ListedPrice.Quantity.Equal(one) || h.ListedPrice.Unit != "XBX" {
				t.Errorf("first line: %+v", h)
			}
			if res.lines[3].Pos.Line != 6 {
				t.Errorf("G-3 is on line %d, want 6 (the blank row counts)", res.lines[3].Pos.Line)
			}
		})
	}
}

func TestCSVUTF8BOMComma(t *testing.T) {
	body := "\ufeffsku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty,valid_from,valid_to,category,description\n" +
		`G-1,"Gloves, nitrile, size M",5701234567899,XBX,100,EA,45.00,DKK,1,2027-01-01,2027-12-31,Gloves,"Powder-free, ""extra"" grip"` + "\n" +
		"G-1,\"Gloves, nitrile, size M\",5701234567899,XBX,100,EA,42.00,DKK,10,2027-01-01,2027-12-31,Gloves,\n" +
		"G-1,\"Gloves, nitrile, size M\",5701234567899,XBX,100,EA,39.5,DKK,50,2027-01-01,2027-12-31,Gloves,\n" +
		"SAL-1,Saline 0.9% ampoules 20 x 10 ml,5701234567905,xbx,200,mlt,64.80,dkk,,,,Infusion,\n" +
		"P-1,\"Plaster, hudvenlig – æøå\",,XPK,  25 ,EA, 19.95 ,DKK,,,,,\n"
	res := parseString(t, body, "text/csv; charset=utf-8")
	if res.err != nil {
		t.Fatal(res.err)
	}
	assertProblems(t, res.rep)
	if res.doc.Charset != "utf-8" || res.doc.Currency != "DKK" || !slices.Equal(res.doc.Currencies, []string{"DKK"}) {
		t.Errorf("document %+v", res.doc)
	}
	if len(res.lines) != 5 || res.rep.RowsValid != 5 {
		t.Fatalf("%d lines, report %+v", len(res.lines), res.rep)
	}
	g := lineBySKU(t, res.lines, "G-1", 1)
	checkLine(t, g, wantLine{SKU: "G-1", Name: "Gloves, nitrile, size M", GTIN: "5701234567899", PackUnit: "XBX",
		PackContent: "100", BaseUnit: "EA", PackPrice: "45", Currency: "DKK", MinQty: 1, ValidFrom: "2027-01-01", ValidTo: "2027-12-31"})
	if g.Description != `Powder-free, "extra" grip` || g.Category != "Gloves" {
		t.Errorf("description %q category %q", g.Description, g.Category)
	}
	checkLine(t, lineBySKU(t, res.lines, "G-1", 10), wantLine{SKU: "G-1", GTIN: "5701234567899", PackUnit: "XBX",
		PackContent: "100", BaseUnit: "EA", PackPrice: "42", Currency: "DKK", MinQty: 10})
	checkLine(t, lineBySKU(t, res.lines, "G-1", 50), wantLine{SKU: "G-1", GTIN: "5701234567899", PackUnit: "XBX",
		PackContent: "100", BaseUnit: "EA", PackPrice: "39.50", Currency: "DKK", MinQty: 50})
	// Codes are upper-cased; surrounding spaces trimmed.
	checkLine(t, lineBySKU(t, res.lines, "SAL-1", 1), wantLine{SKU: "SAL-1", GTIN: "5701234567905", PackUnit: "XBX",
		PackContent: "200", BaseUnit: "MLT", PackPrice: "64.8", Currency: "DKK", MinQty: 1})
	checkLine(t, lineBySKU(t, res.lines, "P-1", 1), wantLine{SKU: "P-1", Name: "Plaster, hudvenlig – æøå", PackUnit: "XPK",
		PackContent: "25", BaseUnit: "EA", PackPrice: "19.95", Currency: "DKK", MinQty: 1})
}

// badCSV has one or more problems on every row but line 2 (line 3's wrong
// GTIN check digit is only a warning). The test below lists every one of
// them.
const badCSV = "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty,valid_from,valid_to,color\n" + // 1: unknown column
	"A1,Good,5701234567899,XBX,100,EA,45.00,DKK,1,2027-01-01,2027-12-31,red\n" + // 2
	"A2,Bad GTIN,5701234567898,XBX,100,EA,45.00,DKK,,,,\n" + // 3
	"A3,Bad unit,,BOXX,100,EA,45.00,DKK,,,,\n" + // 4
	"A4,Negative,,XBX,100,EA,-1.00,DKK,,,,\n" + // 5
	"A5,Text price,,XBX,100,EA,abc,DKK,,,,\n" + // 6
	"A6,Zero content,,XBX,0,EA,10.00,DKK,,,,\n" + // 7
	"A7,Min zero,,XBX,10,EA,10.00,DKK,0,,,\n" + // 8
	"A1,Duplicate,5701234567899,XBX,100,EA,44.00,DKK,1,,,\n" + // 9
	"A8,Reversed,,XBX,10,EA,10.00,DKK,1,2027-12-31,2027-01-01,\n" + // 10
	",No SKU,,XBX,10,EA,10.00,DKK,,,,\n" + // 11
	"A9,,,XBX,10,EA,,DKK,,,,\n" + // 12: name and price missing
	"A10,Bad currency,,XBX,10,EA,10.00,DKKK,,,,\n" + // 13
	"A11,Comma decimal,,XBX,10,EA,\"10,50\",DKK,,,,\n" + // 14
	"A12,Exponent GTIN,5.70123E+12,XBX,10,EA,10.00,DKK,,,,\n" + // 15
	"A13,Loose pack,,EA,10,EA,10.00,DKK,,,,\n" + // 16
	"A14,Bad date,,XBX,10,EA,10.00,DKK,,2027-02-30,,\n" + // 17
	"A15,Fraction min,,XBX,10,EA,10.00,DKK,2.5,,,\n" + // 18
	"A16,Too few fields,,XBX\n" + // 19
	"A1,Good,5701234567899,XBX,50,EA,40.00,DKK,20,,,\n" + // 20: a tier of A1 with another pack
	"A18,\"Bare \"quote\",,XBX,10,EA,10.00,DKK,,,,\n" + // 21
	"A19,Stick,,STK,10,EA,10.00,DKK,,,,\n" + // 22: STK is "stick"
	"A20,Zero price,,XBX,10,EA,0.00,DKK,,,,\n" + // 23: a warning only
	"A21,Control\x01char,,XBX,10,EA,10.00,DKK,,,,\n" + // 24
	"A22,Decimals,,XBX,10,EA,1.1234567,DKK,,,,\n" + // 25
	"A23,Pack in packs,,XBX,10,XPK,10.00,DKK,,,,\n" + // 26
	"A24,Slash date,,XBX,10,EA,10.00,DKK,,01/02/2027,,\n" + // 27
	"A25,Short GTIN,123456789,XBX,10,EA,10.00,DKK,,,,\n" // 28

func TestCSVBadListReportsEveryProblem(t *testing.T) {
	res := parseString(t, badCSV, "text/csv")
	if res.err != nil {
		t.Fatal(res.err)
	}
	assertProblems(t, res.rep,
		"warning 1 ",
		"warning 3 gtin",
		"error 4 unit",
		"error 5 pack_price",
		"error 6 pack_price",
		"error 7 pack_content",
		"error 8 min_qty",
		"error 9 min_qty",
		"error 10 valid_to",
		"error 11 sku",
		"error 12 name", "error 12 pack_price",
		"error 13 currency",
		"error 14 pack_price",
		"error 15 gtin",
		"error 16 pack_content",
		"error 17 valid_from",
		"error 18 min_qty",
		"error 19 ",
		"error 20 sku",
		"error 21 ",
		"warning 22 unit", "error 22 unit",
		"warning 23 pack_price",
		"error 24 name",
		"error 25 pack_price",
		"error 26 base_unit",
		"error 27 valid_from",
		"error 28 gtin",
	)
	if res.rep.RowsRead != 27 || res.rep.RowsValid != 3 || len(res.lines) != 3 {
		t.Errorf("read %d valid %d emitted %d", res.rep.RowsRead, res.rep.RowsValid, len(res.lines))
	}
	if !res.rep.HasErrors() || res.rep.Stopped {
		t.Errorf("report %+v", res.rep)
	}
	// Messages say what is wrong, where, and for which SKU.
	for _, c := range []struct{ want, msg string }{
		{"error 9 min_qty", `sku "A1" with min_qty 1 appears twice (first on line 2)`},
		{"error 15 gtin", "exponent form"},
		{"error 14 pack_price", "plain format"},
		{"warning 3 gtin", "wrong check digit"},
		{"warning 22 unit", "stick"},
	} {
		found := false
		for _, p := range res.rep.Problems {
			if fmt.Sprintf("%s %d %s", p.Severity, p.Line, p.Field) == c.want && strings.Contains(p.Message, c.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s saying %q", c.want, c.msg)
		}
	}
	// The line with a wrong check digit is kept, without its GTIN.
	if l := lineBySKU(t, res.lines, "A2", 1); l.GTIN != "" {
		t.Errorf("A2 kept GTIN %q", l.GTIN)
	}
	if p, _ := findProblem(res.rep, "appears twice"); p.SKU != "A1" || p.Column != 49 {
		t.Errorf("duplicate problem %+v", p)
	}
}

func TestCSVMissingColumnsListsAll(t *testing.T) {
	res := parseString(t, "SKU;Navn;Pris\nA1;Hans;12,50\nA2;Grete;1.50\n", "text/csv")
	assertProblems(t, res.rep,
		"warning 1 ",         // "Navn" is not a known column
		"error 1 ",           // all missing columns in one problem
		"error 3 pack_price", // other problems in the rows are still reported
	)
	p, _ := findProblem(res.rep, "missing required columns")
	if !strings.Contains(p.Message, "base_unit, currency, gtin, name, pack_content, unit (") {
		t.Errorf("message %q", p.Message)
	}
	if len(res.lines) != 0 || res.rep.RowsValid != 0 || res.rep.RowsRead != 2 {
		t.Errorf("rows must not be valid without the columns: %+v", res.rep)
	}
}

func TestCSVNumberStyles(t *testing.T) {
	head := "sku;name;gtin;unit;pack_content;base_unit;pack_price;currency\n"
	res := parseString(t, head+"A;a;;XBX;1.000;EA;1.234;DKK\nB;b;;XBX;10;EA;1.50;DKK\n", "text/csv")
	assertProblems(t, res.rep, "error 3 pack_price") // 1.50 is ambiguous in Danish
	checkLine(t, res.lines[0], wantLine{SKU: "A", PackUnit: "XBX", PackContent: "1000", BaseUnit: "EA", PackPrice: "1234", Currency: "DKK", MinQty: 1})

	tab := strings.ReplaceAll(head, ";", "\t") + "A\ta\t\tXBX\t10\tEA\t12,50\tDKK\n" + "B\tb\t\tXBX\t10\tEA\t12.50\tDKK\n" +
		"C\tc\t\tXBX\t10\tEA\t1.234\tDKK\n" + "D\td\t\tXBX\t10\tEA\t1.234,50\tDKK\n"
	res = parseString(t, tab, "text/csv")
	assertProblems(t, res.rep, "error 4 pack_price")
	if p, _ := findProblem(res.rep, "ambiguous"); p.Line != 4 {
		t.Errorf("want 1.234 refused as ambiguous in a tab-separated list: %+v", res.rep.Problems)
	}
	if len(res.lines) != 3 || !res.lines[0].PackPrice.Equal(dec("12.5")) || !res.lines[1].PackPrice.Equal(dec("12.5")) || !res.lines[2].PackPrice.Equal(dec("1234.5")) {
		t.Errorf("lines %+v", res.lines)
	}

	// Excel's "sep=" line: line numbers still count it.
	res = parseString(t, "sep=;\n"+head+"A;a;;XBX;10;EA;12,50;DKK\nB;b;;XBX;10;EA;x;DKK\n", "text/csv")
	assertProblems(t, res.rep, "error 4 pack_price")
	if len(res.lines) != 1 || res.lines[0].Pos.Line != 3 {
		t.Errorf("lines %+v", res.lines)
	}
}

func TestCSVEncodings(t *testing.T) {
	head := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n"
	row := func(i int, name string) string { return fmt.Sprintf("S%d,%s,,XBX,10,EA,1.00,DKK\n", i, name) }

	// Windows-1252 whose first non-ASCII byte comes after many ASCII rows.
	var b strings.Builder
	b.WriteString(head)
	for i := range 5000 {
		b.WriteString(row(i, "plain"))
	}
	body := append([]byte(b.String()), windows1252(t, row(9999, "Sårbind æøå"))...)
	res := parse(t, iotest.HalfReader(bytes.NewReader(body)), "text/csv")
	assertProblems(t, res.rep)
	if res.doc.Charset != "windows-1252" || res.lines[len(res.lines)-1].Name != "Sårbind æøå" {
		t.Errorf("charset %s, last name %q", res.doc.Charset, res.lines[len(res.lines)-1].Name)
	}

	// Declared UTF-8 but Windows-1252: read as Windows-1252, with a warning.
	res = parse(t, bytes.NewReader(windows1252(t, head+row(1, "blå"))), "text/csv; charset=utf-8")
	assertProblems(t, res.rep, "warning 2 ")
	if res.lines[0].Name != "blå" {
		t.Errorf("name %q", res.lines[0].Name)
	}

	// UTF-8 split byte by byte across reads.
	res = parse(t, iotest.OneByteReader(strings.NewReader(head+row(1, "blå æøå €"))), "text/csv")
	assertProblems(t, res.rep)
	if res.doc.Charset != "utf-8" || res.lines[0].Name != "blå æøå €" {
		t.Errorf("charset %s name %q", res.doc.Charset, res.lines[0].Name)
	}

	// UTF-8 first, then a Windows-1252 byte: mixed encodings are an error.
	mixed := append([]byte(head+row(1, "blå")), windows1252(t, row(2, "grøn"))...)
	res = parse(t, bytes.NewReader(mixed), "text/csv")
	assertProblems(t, res.rep, "error 3 ")

	// UTF-16LE with BOM, as Excel's "Unicode text" saves.
	u16 := []byte{0xFF, 0xFE}
	for _, r := range strings.ReplaceAll(head+row(1, "blå"), ",", "\t") {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	res = parse(t, bytes.NewReader(u16), "text/csv")
	assertProblems(t, res.rep)
	if res.doc.Charset != "utf-16le" || len(res.lines) != 1 || res.lines[0].Name != "blå" {
		t.Errorf("charset %s lines %+v", res.doc.Charset, res.lines)
	}

	// A BOM wins over a declared charset, with a warning.
	res = parseString(t, "\ufeff"+head+row(1, "blå"), "text/csv; charset=windows-1252")
	assertProblems(t, res.rep, "warning 0 ")
	if res.lines[0].Name != "blå" {
		t.Errorf("name %q", res.lines[0].Name)
	}

	_, _, err := Parse(strings.NewReader(head), "text/csv; charset=klingon", Options{}, nil)
	if !errors.Is(err, ErrUnsupportedMediaType) {
		t.Errorf("unknown charset: %v", err)
	}
}

func TestCSVEmptyAndBroken(t *testing.T) {
	for name, body := range map[string]string{
		"empty body":  "",
		"header only": "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\r\n",
		"blank rows":  "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n,,,,,,,\n\n",
	} {
		t.Run(name, func(t *testing.T) {
			res := parseString(t, body, "text/csv")
			assertProblems(t, res.rep, "error 0 ")
			if _, ok := findProblem(res.rep, "no lines"); !ok {
				t.Error("want the empty-list error")
			}
		})
	}

	// An unclosed quote near the end: a syntax error on its line.
	res := parseString(t, "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nA,\"open,,XBX,10,EA,1.00,DKK\n", "text/csv")
	assertProblems(t, res.rep, "error 2 ")

	// An unclosed quote before megabytes of rows stops the parse instead of
	// reading them all into one field.
	var b strings.Builder
	b.WriteString("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nA,\"open,,XBX,10,EA,1.00,DKK\n")
	for i := 0; b.Len() < 3*maxRecordBytes; i++ {
		fmt.Fprintf(&b, "S%d,name,,XBX,10,EA,1.00,DKK\n", i)
	}
	res = parseString(t, b.String(), "text/csv")
	if !res.rep.Stopped || res.rep.Errors != 1 {
		t.Errorf("report %+v", res.rep)
	}

	// A repeated column stops the parse.
	res = parseString(t, "sku,sku,name\n", "text/csv")
	if !res.rep.Stopped {
		t.Errorf("report %+v", res.rep)
	}
}

func TestProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency,extra\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "S%d,n,,XBX,10,EA,bad,DKK,x\n", i)
	}
	b.WriteString("OK,n,,XBX,10,EA,1.00,DKK,x\n")
	doc, rep, err := Parse(strings.NewReader(b.String()), "text/csv", Options{MaxProblems: 100}, nil)
	if err != nil || doc.Format != FormatCSV {
		t.Fatal(err)
	}
	if rep.Errors != 3000 || rep.Warnings != 1 || len(rep.Problems) != 101 || rep.Omitted != 2900 {
		t.Errorf("errors %d warnings %d stored %d omitted %d", rep.Errors, rep.Warnings, len(rep.Problems), rep.Omitted)
	}
	if rep.Problems[0].Severity != SeverityWarning || rep.Problems[100].Line != 101 {
		t.Errorf("problems are not in body order: %v ... %v", rep.Problems[0], rep.Problems[100])
	}
	// The default cap.
	_, rep, _ = Parse(strings.NewReader(b.String()), "text/csv", Options{}, nil)
	if len(rep.Problems) != defaultMaxProblems+1 || rep.Omitted != 2000 {
		t.Errorf("stored %d omitted %d", len(rep.Problems), rep.Omitted)
	}
}

func TestEmitAndReadErrors(t *testing.T) {
	body := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nA,a,,XBX,10,EA,1.00,DKK\nB,b,,XBX,10,EA,1.00,DKK\n"
	stop := errors.New("database is down")
	calls := 0
	_, rep, err := Parse(strings.NewReader(body), "text/csv", Options{}, func(Line) error {
		calls++
		return stop
	})
	if !errors.Is(err, ErrEmit) || !errors.Is(err, stop) || calls != 1 || rep.LinesEmitted != 0 {
		t.Errorf("err %v, %d calls, report %+v", err, calls, rep)
	}

	broken := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(body), iotest.ErrReader(broken))
	for _, ct := range []string{"text/csv", "application/json", "application/xml"} {
		_, _, err = Parse(r, ct, Options{}, nil)
		if !errors.Is(err, broken) {
			t.Errorf("%s: want the reader's error, got %v", ct, err)
		}
		r = iotest.ErrReader(broken)
	}

	for _, ct := range []string{"text/plain", "application/pdf", "", "text/csv; charset"} {
		if _, _, err := Parse(strings.NewReader(body), ct, Options{}, nil); !errors.Is(err, ErrUnsupportedMediaType) {
			t.Errorf("%q: %v", ct, err)
		}
	}
}
