package suppliers

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// The worksheet reader on SpreadsheetML as Excel and other programs write
// it: shared strings with runs and phonetic text, inline strings, a
// prefixed namespace, entities and character references, CDATA, comments,
// cells and rows without references, formulas with cached values,
// booleans, errors, date cells.
func TestSheetRows(t *testing.T) {
	shared := []string{"sku", "Æske & låg", "<b>"}
	sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:E4"/>
<x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>
<!-- a comment <c> -->
<x:row r="3" spans="1:5"><x:c t="inlineStr"><x:is><x:r><x:t>Hånd</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">sprit &amp; &#229;&#xE6; </x:t></x:r><x:rPh><x:t>fonetik</x:t></x:rPh></x:is></x:c><x:c><x:f>1+1</x:f><x:v>2</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c r="E3" t="d"><x:v>2026-06-01T00:00:00</x:v></x:c></x:row>
<x:row r="4"/>
<x:row r="5"><x:c r="B5" t="str"><x:f>A1</x:f><x:v><![CDATA[a<b>&c]]></x:v></x:c><x:c r="C5" t="s"><x:v>2</x:v></x:c><x:c r="D5" s="3"/></x:row>
</x:sheetData><x:pageMargins left="0.7"/></x:worksheet>`
	var got []string
	err := sheetRows(strings.NewReader(sheet), shared, func(row int, cells []string) error {
		got = append(got, fmt.Sprintf("%d:%q", row, cells))
		return nil
	})
	want := []string{
		`1:["sku" "" "Æske & låg"]`,
		`3:["Håndsprit & åæ " "2" "1" "#N/A" "2026-06-01T00:00:00"]`,
		`4:[]`,
		`5:["" "a<b>&c" "<b>" ""]`,
	}
	if err != nil || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows (%v)\n%s\nwant\n%s", err, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, bad := range []string{
		`<worksheet><sheetData><row><c t="s"><v>7</v></c></row></sheetData></worksheet>`,    // no such shared string
		`<worksheet><sheetData><row><c r="1A"><v>1</v></c></row></sheetData></worksheet>`,   // a bad reference
		`<worksheet><sheetData><row><c><v>1 &nbsp; 2</v></c></row></sheetData></worksheet>`, // an HTML entity
		`<worksheet><sheetData><row><c><v>1</v></c></row>`,                                  // cut off
		`<worksheet><sheetData><row r="x"></row></sheetData></worksheet>`,
	} {
		if err := sheetRows(strings.NewReader(bad), shared, func(int, []string) error { return nil }); err == nil {
			t.Errorf("no error for %s", bad)
		}
	}
}

// A workbook put together by hand: the 1904 date system, the sheet's part
// named by an absolute target, shared strings with a phonetic run, the
// sheet chosen by name in another case.
func TestXLSXHandMadeWorkbook(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<workbookPr date1904="1"/><sheets><sheet name="Forside" sheetId="1" r:id="rId1"/><sheet name="Prisliste" sheetId="2" r:id="rId2"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/prices.xml"/>` +
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/sharedStrings.xml":     `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Handske</t><rPh sb="0" eb="1"><t>hanske</t></rPh></si><si/><si><r><t>æ</t></r><r><t>sk</t></r></si></sst>`,
		"xl/worksheets/sheet1.xml": `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>Velkommen</t></is></c></row></sheetData></worksheet>`,
		"xl/worksheets/prices.xml": `<worksheet><sheetData>` +
			`<row r="1">` + inlineRow("varenummer", "varenavn", "ean", "enhed", "indhold", "basisenhed", "pris", "valuta", "min_antal", "gyldig_fra") + `</row>` +
			`<row r="2"><c t="inlineStr"><is><t>A</t></is></c><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c><v>100</v></c>` +
			`<c t="inlineStr"><is><t>stk</t></is></c><c><v>12.5</v></c><c t="inlineStr"><is><t>DKK</t></is></c><c><v>1</v></c><c><v>44712</v></c></row>` +
			`</sheetData></worksheet>`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	var lines []Line
	_, rep, err := ParseFormat(bytes.NewReader(b.Bytes()), FormatXLSX, "", Options{Sheet: "prisliste"}, func(l Line) error { lines = append(lines, l); return nil })
	if err != nil || rep.Errors > 0 || len(lines) != 1 {
		t.Fatalf("%v %+v", err, rep.Problems)
	}
	l := lines[0]
	// 44712 days after 1904-01-01 is 2026-06-01.
	if l.Name != "Handske" || l.PackUnit != "XBX" || !l.PackPrice.Equal(dec("12.5")) || l.ValidFrom.Format("2006-01-02") != "2026-06-01" {
		t.Errorf("line %+v", l)
	}
}

func inlineRow(cells ...string) string {
	var b strings.Builder
	for _, c := range cells {
		b.WriteString(`<c t="inlineStr"><is><t>` + c + `</t></is></c>`)
	}
	return b.String()
}

// FuzzSheetRows feeds the worksheet reader arbitrary XML: it must end,
// with rows or an error, and never panic.
func FuzzSheetRows(f *testing.F) {
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c t="inlineStr"><is><t>a&amp;b</t></is></c></row></sheetData></worksheet>`)
	f.Add(`<worksheet><sheetData><row><c><v><![CDATA[x]]></v></c><!-- c --></row><row r="9"/></sheetData></worksheet>`)
	f.Add(`<?xml version="1.0"?><x:worksheet><x:sheetData><x:row r="2"><x:c r="XFD2" t="b"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`)
	f.Fuzz(func(t *testing.T, sheet string) {
		_ = sheetRows(strings.NewReader(sheet), []string{"a", "b"}, func(int, []string) error { return nil })
	})
}
