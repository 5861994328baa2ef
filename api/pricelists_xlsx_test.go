package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"andel/internal/demo"
	"andel/suppliers"
)

// danishHeader is the header a Danish supplier's export has.
var danishHeader = []string{"Varenavn", "Varenummer", "EAN", "Enhed", "Indhold", "Basisenhed", "Pris", "Valuta", "Min. antal", "Gyldig fra", "Gyldig til", "Kategori"}

// danishRows is a 50-line price list as a Danish supplier writes it: unit
// words (stk, æsk, fl, pk, ks, rl), decimal commas, thousands separators,
// 1 l bottles sold per piece, and tiers (another row of the same
// varenummer with a larger min. antal). Dates are day first.
func danishRows() [][]string {
	var rows [][]string
	add := func(name, sku, unit, content, base, price, minQty, category string) {
		rows = append(rows, []string{name, sku, "", unit, content, base, price, "DKK", minQty, "01-06-2026", "31-12-2027", category})
	}
	for i := 1; i <= 8; i++ { // boxes of gloves with a tier: 16 lines
		sku := fmt.Sprintf("HN-%02d", i)
		add(fmt.Sprintf("Nitrilhandske str. %d, æske à 100", i), sku, "æsk", "100", "stk", fmt.Sprintf("4%d,50", i), "1", "handsker")
		add(fmt.Sprintf("Nitrilhandske str. %d, æske à 100", i), sku, "æsk", "100", "stk", fmt.Sprintf("4%d,00", i), "10", "handsker")
	}
	for i := 1; i <= 8; i++ { // 1 l bottles sold per piece: 8 lines
		add(fmt.Sprintf("Hånddesinfektion 85%% %d, 1 l", i), fmt.Sprintf("HD-1L-%d", i), "stk", "1", "l", fmt.Sprintf("%d9,95", i), "1", "desinfektion")
	}
	for i := 1; i <= 8; i++ { // 500 ml bottles: 8 lines
		add(fmt.Sprintf("Sæbe mild %d, 500 ml", i), fmt.Sprintf("SB-%d", i), "fl", "500", "ml", fmt.Sprintf("2%d,25", i), "1", "sæbe")
	}
	for i := 1; i <= 6; i++ { // packs of compresses, with a tier: 12 lines
		sku := fmt.Sprintf("KP-%d", i)
		add(fmt.Sprintf("Kompres 10×10 cm, pk à %d0", i), sku, "pk", fmt.Sprintf("%d0", i), "stk", fmt.Sprintf("%d2,00", i), "1", "forbinding")
		add(fmt.Sprintf("Kompres 10×10 cm, pk à %d0", i), sku, "pk", fmt.Sprintf("%d0", i), "stk", fmt.Sprintf("%d0,80", i), "20", "forbinding")
	}
	for i := 1; i <= 3; i++ { // cases at four-digit prices: 3 lines
		add(fmt.Sprintf("Kanyle 0,8 mm, ks à %d.000", i), fmt.Sprintf("KN-%d", i), "ks", fmt.Sprintf("%d.000", i), "stk", fmt.Sprintf("%d.234,50", i), "1", "kanyler")
	}
	for i := 1; i <= 3; i++ { // rolls of couch paper: 3 lines
		add(fmt.Sprintf("Briksepapir 50 cm × %d0 m", i+4), fmt.Sprintf("BP-%d", i), "rl", fmt.Sprintf("%d0", i+4), "m", fmt.Sprintf("%d9,95", i+6), "1", "papir")
	}
	return rows
}

// danishSKUs is what danishRows puts in the catalogue: one offer per SKU.
const danishSKUs = 8 + 8 + 8 + 6 + 3 + 3

func danishCSVBody(t *testing.T) []byte {
	var b strings.Builder
	b.WriteString(strings.Join(danishHeader, ";") + "\r\n")
	for _, r := range danishRows() {
		b.WriteString(strings.Join(r, ";") + "\r\n")
	}
	body, err := charmap.Windows1252.NewEncoder().Bytes([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// danishXLSXBody writes danishRows as Excel would save them: a title row
// above the header, numbers in number cells (a price typed as 1.234,50 in
// Danish Excel is stored as 1234.5), dates in date cells (serial numbers
// with a date format), text in shared strings, and one price left as a
// text cell in the Danish way, as pasted text often is.
func danishXLSXBody(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Prisliste"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	set := func(col, row int, v string, number bool) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		if number {
			err = f.SetCellDefault(sh, cell, v)
		} else {
			err = f.SetCellStr(sh, cell, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	set(1, 1, "Prisliste 2026-27, Medico Nord ApS", false)
	for i, h := range danishHeader {
		set(i+1, 3, h, false)
	}
	serial := map[string]string{"01-06-2026": "46174", "31-12-2027": "46752"}
	for r, row := range danishRows() {
		n := r + 4
		for i, v := range row {
			switch h := danishHeader[i]; {
			case h == "Indhold" || h == "Pris" || h == "Min. antal":
				if n == 4 && h == "Pris" {
					set(i+1, n, v, false) // a text cell, written the Danish way
					continue
				}
				plain := strings.ReplaceAll(strings.ReplaceAll(v, ".", ""), ",", ".")
				if strings.Contains(plain, ".") { // 41.50 is stored as 41.5
					plain = strings.TrimRight(strings.TrimRight(plain, "0"), ".")
				}
				set(i+1, n, plain, true)
			case strings.HasPrefix(h, "Gyldig"):
				set(i+1, n, serial[v], true)
				cell, _ := excelize.CoordinatesToCellName(i+1, n)
				if err := f.SetCellStyle(sh, cell, cell, dateStyle); err != nil {
					t.Fatal(err)
				}
			case v != "":
				set(i+1, n, v, false)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDanishListCSVAndXLSX imports the same 50-line Danish list as a
// Windows-1252 CSV export and as an .xlsx workbook, each for its own
// supplier: 0 errors, and the same catalogue from both, each offer with
// its unit as the list wrote it (æsk, stk, fl) beside the Rec 20 code, in
// offer_rows and in the API's offers.
func TestDanishListCSVAndXLSX(t *testing.T) {
	e := newEnv(t)
	e.setClock("2026-06-01")
	for i, c := range []struct {
		format, contentType string
		body                []byte
	}{
		{"csv", "text/csv", danishCSVBody(t)},
		{"xlsx", suppliers.XLSXMediaType, danishXLSXBody(t)},
	} {
		t.Run(c.format, func(t *testing.T) {
			key := e.demoKey(i + 1)
			pl := e.withKey(key).upload(c.contentType, c.body, nil).expect(http.StatusCreated).json()
			if pl["status"] != "active" || pl["rows_read"] != 50.0 || pl["rows_valid"] != 50.0 || pl["error_count"] != 0.0 || pl["format"] != c.format {
				t.Fatalf("list %v", pl)
			}
			supplierID := e.supplierOf(key)
			if n := strings.Count(e.catalogue(supplierID), "=active"); n != danishSKUs {
				t.Errorf("%d active offers, want %d: %s", n, danishSKUs, e.catalogue(supplierID))
			}
			var rows []struct {
				SKU, PackUnit, BaseUnit, PackContent, PackPrice, ValidFrom, ValidTo, UnitWritten string
				MinQty                                                                           int64
			}
			e.svc.DB.Raw(`SELECT sku, pack_unit, base_unit, pack_content::text, pack_price::text, min_qty,
					valid_from::text, valid_to::text, coalesce(unit_written, 'NULL') AS unit_written
				FROM offer_rows WHERE supplier_id = ? AND sku IN ('HN-1', 'HN-01', 'HD-1L-3', 'SB-2', 'KP-4', 'KN-2', 'BP-1')
				ORDER BY sku, min_qty`, supplierID).Scan(&rows)
			var got []string
			for _, r := range rows {
				got = append(got, fmt.Sprintf("%s %s %s %s %s %d %s..%s %s", r.SKU, r.PackUnit, r.PackContent, r.BaseUnit, r.PackPrice, r.MinQty, r.ValidFrom, r.ValidTo, r.UnitWritten))
			}
			want := []string{
				"BP-1 XRO 50.000000 MTR 79.950000 1 2026-06-01..2027-12-31 rl",
				"HD-1L-3 H87 1.000000 LTR 39.950000 1 2026-06-01..2027-12-31 stk",
				"HN-01 XBX 100.000000 H87 41.500000 1 2026-06-01..2027-12-31 æsk",
				"HN-01 XBX 100.000000 H87 41.000000 10 2026-06-01..2027-12-31 æsk",
				"KN-2 XCS 2000.000000 H87 2234.500000 1 2026-06-01..2027-12-31 ks",
				"KP-4 XPK 40.000000 H87 42.000000 1 2026-06-01..2027-12-31 pk",
				"KP-4 XPK 40.000000 H87 40.800000 20 2026-06-01..2027-12-31 pk",
				"SB-2 XBO 500.000000 MLT 22.250000 1 2026-06-01..2027-12-31 fl",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("catalogue lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// The API's offers carry the unit as written with its code.
			member := e.login(demo.PracticeEmail)
			for sku, want := range map[string]string{"HN-01": "æsk XBX", "HD-1L-3": "stk H87", "SB-2": "fl XBO"} {
				var productID int64
				e.svc.DB.Raw(`SELECT product_id FROM offer_rows WHERE supplier_id = ? AND sku = ? AND lowest`, supplierID, sku).Scan(&productID)
				var got []string
				for _, o := range list(member.do("GET", fmt.Sprintf("/api/v1/products/%d/offers", productID), nil).expect(http.StatusOK).json()["items"]) {
					if o := obj(o); o["sku"] == sku && o["supplier_id"] == float64(supplierID) {
						got = append(got, fmt.Sprintf("%v %v", o["unit_as_written"], o["pack_unit"]))
					}
				}
				if len(got) != 1 || got[0] != want {
					t.Errorf("%s: offers' unit_as_written and pack_unit %q, want %q", sku, got, want)
				}
			}
		})
	}
}

// TestXLSXProblemsNameTheirCell: a bad workbook is refused as a whole, each
// problem at its cell; ?sheet= picks the sheet, and a missing one is named.
func TestXLSXProblemsNameTheirCell(t *testing.T) {
	e := newEnv(t)
	e.setClock("2026-06-01")
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("Priser"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"varenummer", "varenavn", "ean", "enhed", "indhold", "basisenhed", "pris", "valuta"},
		{"A-1", "Plaster", "", "stk", "1", "stk", "12,50", "DKK"},
		{"A-2", "Gaze", "", "xyzzy", "1", "stk", "abc", "DKK"},
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow("Priser", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	c := e.withKey(e.demoKey(1))
	// The first sheet (Sheet1) is empty: no header.
	r := c.upload(suppliers.XLSXMediaType, buf.Bytes(), nil).expect(http.StatusUnprocessableEntity)
	if !strings.Contains(string(r.body), "no header row") {
		t.Errorf("empty first sheet: %s", r.body)
	}
	r = c.doRaw("POST", "/api/v1/price-lists?sheet=Nope", buf.Bytes(), map[string]string{"Content-Type": suppliers.XLSXMediaType}).expect(http.StatusUnprocessableEntity)
	if !strings.Contains(string(r.body), `no sheet \"Nope\"`) {
		t.Errorf("missing sheet: %s", r.body)
	}
	r = c.doRaw("POST", "/api/v1/price-lists?sheet=Priser", buf.Bytes(), map[string]string{"Content-Type": suppliers.XLSXMediaType}).expect(http.StatusUnprocessableEntity)
	fields := strings.Join(r.problemFields(), " | ")
	if fields != "D3: unit | G3: pack_price" {
		t.Errorf("problem fields %q", fields)
	}
	r = c.upload(suppliers.XLSXMediaType, []byte("varenummer;varenavn\n"), nil).expect(http.StatusUnprocessableEntity)
	if !strings.Contains(string(r.body), "cannot be read as an .xlsx workbook") {
		t.Errorf("not a workbook: %s", r.body)
	}
}
