package suppliers

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// fuzzParse parses body and checks the invariants every input must keep:
// no panic, counts that add up, lines that passed the checks.
func fuzzParse(t *testing.T, body []byte, contentType string) {
	var lines int
	doc, rep, err := Parse(bytes.NewReader(body), contentType, Options{MaxProblems: 50}, func(l Line) error {
		lines++
		if l.Action != ActionDelete {
			if l.SKU == "" || l.MinQty < 1 || !l.PackContent.IsPositive() || l.PackPrice.IsNegative() || l.Currency == "" {
				t.Errorf("an invalid line was emitted: %+v", l)
			}
		}
		for _, s := range []string{l.SKU, l.Name, l.Description, l.GTIN, l.Category, l.PackUnit, l.BaseUnit, l.Currency} {
			if !utf8.ValidString(s) {
				t.Errorf("invalid UTF-8 in a line: %q", s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("a body must never fail Parse with a Go error: %v", err)
	}
	if doc.Format == "" {
		t.Error("no format")
	}
	if lines != rep.LinesEmitted || rep.RowsValid > rep.RowsRead {
		t.Errorf("counts: %d lines, report %+v", lines, rep)
	}
	if len(rep.Problems)+rep.Omitted != rep.Errors+rep.Warnings || len(rep.Problems) > 100 {
		t.Errorf("problem counts: %+v", rep)
	}
	if rep.Errors == 0 && rep.RowsRead != rep.RowsValid {
		t.Errorf("rows not valid without an error: %+v", rep)
	}
	for _, p := range rep.Problems {
		if !utf8.ValidString(p.Message) {
			t.Errorf("invalid UTF-8 in a message: %q", p.Message)
		}
	}
}

func addSeeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds for %s", pattern)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(danishCSV))
	f.Add([]byte(badCSV))
	f.Add([]byte("\ufeffsku,name,gtin,unit,pack_content,base_unit,pack_price,currency,min_qty\nA,\"a, b\",5701234567899,XBX,100,EA,45.00,DKK,10\n"))
	f.Add([]byte("sep=;\nsku;name;gtin;unit;pack_content;base_unit;pack_price;currency\nA;\xe6\xf8\xe5;;XBX;1.000;EA;1.234,50;DKK\n"))
	f.Add([]byte("sku\tname\tgtin\tunit\tpack_content\tbase_unit\tpack_price\tcurrency\nA\ta\t\tXBX\t10\tEA\t1.234\tDKK\n"))
	f.Add([]byte("sku,name\nA,\"open\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzParse(t, body, "text/csv")
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(goodJSON))
	f.Add([]byte(badJSON))
	f.Add([]byte(`{"lines":[{"sku":1e400,"tiers":[{"min_qty":-0}]}]}`))
	f.Add([]byte(`[{"lines":{}}]`))
	f.Add([]byte("{")) // once returned io.EOF as a Go error
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzParse(t, body, "application/json")
	})
}

func FuzzParseUBL(f *testing.F) {
	addSeeds(f, "testdata/*.xml")
	addSeeds(f, "testdata/peppol/*.xml")
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-16"?><Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"/>`))
	// A small catalogue, so that mutations reach the line rules often.
	f.Add([]byte(`<Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"><ID>1</ID>` +
		`<ValidityPeriod><StartDate>2027-01-01</StartDate></ValidityPeriod><CatalogueLine><ID>1</ID><ActionCode>Add</ActionCode>` +
		`<OrderableUnit>XBX</OrderableUnit><ContentUnitQuantity unitCode="EA">10</ContentUnitQuantity>` +
		`<RequiredItemLocationQuantity><MinimumQuantity unitCode="EA">20</MinimumQuantity><Price><PriceAmount currencyID="DKK">1.5</PriceAmount>` +
		`<BaseQuantity unitCode="EA">3</BaseQuantity></Price></RequiredItemLocationQuantity><Item><Name>x</Name>` +
		`<SellersItemIdentification><ID>A</ID></SellersItemIdentification><StandardItemIdentification><ID schemeID="0160">5701234567899</ID>` +
		`</StandardItemIdentification></Item></CatalogueLine></Catalogue>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzParse(t, body, "application/xml")
	})
}
