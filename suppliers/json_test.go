package suppliers

import (
	"slices"
	"strings"
	"testing"
)

const goodJSON = `{"currency":"DKK","valid_from":"2027-01-01","valid_to":"2027-12-31","lines":[
 {"sku":"H-100","name":"Nitrilhandsker blå","gtin":"5701234567899","category":"Handsker","description":"Pudderfri",
  "unit":"XBX","pack_content":"100","base_unit":"EA","pack_price":"45.00","min_qty":"1",
  "tiers":[{"min_qty":"10","pack_price":"42.00"},{"min_qty":50,"pack_price":"39.50","valid_to":"2027-03-31"}]},
 {"sku":"SAL-1","name":"Saltvand 0,9%","unit":"XBX","pack_content":200,"base_unit":"MLT","pack_price":"64.80",
  "currency":"EUR","valid_from":"2027-02-01","gtin":null,"tiers":null},
 {"sku":"P-1","name":"Plaster","unit":"xpk","pack_content":"25","base_unit":"ea","pack_price":"19.95"}
]}`

func TestJSONList(t *testing.T) {
	for _, body := range []string{goodJSON, "\ufeff" + goodJSON} {
		res := parseString(t, body, "application/json")
		if res.err != nil {
			t.Fatal(res.err)
		}
		assertProblems(t, res.rep)
		if res.doc.Format != FormatJSON || res.doc.Currency != "DKK" || !slices.Equal(res.doc.Currencies, []string{"DKK", "EUR"}) ||
			!res.doc.ValidFrom.Equal(date("2027-01-01")) || !res.doc.ValidTo.Equal(date("2027-12-31")) || res.doc.Action != ActionReplace {
			t.Errorf("document %+v", res.doc)
		}
		if len(res.lines) != 5 || res.rep.RowsRead != 3 || res.rep.RowsValid != 3 || res.rep.LinesEmitted != 5 {
			t.Fatalf("%d lines, report %+v", len(res.lines), res.rep)
		}
		h := lineBySKU(t, res.lines, "H-100", 1)
		checkLine(t, h, wantLine{SKU: "H-100", Name: "Nitrilhandsker blå", GTIN: "5701234567899", PackUnit: "XBX", PackContent: "100",
			BaseUnit: "EA", PackPrice: "45", Currency: "DKK", MinQty: 1, ValidFrom: "2027-01-01", ValidTo: "2027-12-31"})
		if h.Category != "Handsker" || h.Description != "Pudderfri" || h.Pos.Line != 2 || h.Pos.Path != "lines[0]" {
			t.Errorf("H-100: %+v", h)
		}
		checkLine(t, lineBySKU(t, res.lines, "H-100", 10), wantLine{SKU: "H-100", GTIN: "5701234567899", PackUnit: "XBX", PackContent: "100",
			BaseUnit: "EA", PackPrice: "42", Currency: "DKK", MinQty: 10, ValidFrom: "2027-01-01", ValidTo: "2027-12-31"})
		t50 := lineBySKU(t, res.lines, "H-100", 50)
		checkLine(t, t50, wantLine{SKU: "H-100", GTIN: "5701234567899", PackUnit: "XBX", PackContent: "100",
			BaseUnit: "EA", PackPrice: "39.5", Currency: "DKK", MinQty: 50, ValidFrom: "2027-01-01", ValidTo: "2027-03-31"})
		if t50.Pos.Path != "lines[0].tiers[1]" || t50.Name != "Nitrilhandsker blå" || !t50.ListedPrice.Amount.Equal(dec("39.5")) {
			t.Errorf("tier: %+v", t50)
		}
		checkLine(t, lineBySKU(t, res.lines, "SAL-1", 1), wantLine{SKU: "SAL-1", PackUnit: "XBX", PackContent: "200",
			BaseUnit: "MLT", PackPrice: "64.8", Currency: "EUR", MinQty: 1, ValidFrom: "2027-02-01", ValidTo: "2027-12-31"})
		checkLine(t, lineBySKU(t, res.lines, "P-1", 1), wantLine{SKU: "P-1", PackUnit: "XPK", PackContent: "25",
			BaseUnit: "EA", PackPrice: "19.95", Currency: "DKK", MinQty: 1})
	}
}

// badJSON has problems on every line object but the first.
const badJSON = `{
  "currency": "DKK",
  "valid_from": "2027-01-01",
  "supplier": {"name": "ignored", "nested": [1, 2, {"a": []}]},
  "lines": [
    {"sku": "OK", "name": "ok", "unit": "XBX", "pack_content": "10", "base_unit": "EA", "pack_price": "1.00"},
    {"sku": "N1", "name": "number price", "unit": "XBX", "pack_content": 10, "base_unit": "EA", "pack_price": 45.5},
    {"sku": "N2", "name": "number gtin", "gtin": 5701234567899, "unit": "XBX", "pack_content": "10", "base_unit": "EA", "pack_price": "1.00"},
    {"sku": "N3", "unit": "XBX", "pack_content": "10", "base_unit": "EA"},
    {"sku": "N4", "name": "x", "unit": "XBX", "pack_content": "10", "base_unit": "EA", "pack_price": "1,00", "colour": "red"},
    {"sku": "N5", "name": "x", "unit": "XBX", "pack_content": "10", "base_unit": "EA", "pack_price": "1.00", "currency": "XYZ"},
    {"sku": "N6", "name": "x", "unit": "XBX", "pack_content": "10", "base_unit": "EA", "pack_price": "1.00", "valid_to": "2026-12-31"},
    {"sku": "N7", "name": "x", "unit": "XBX", "pack_content": "10", "base_unit": "EA", "pack_price": "1.00",
      "tiers": [{"min_qty": "1", "pack_price": "0.90"}, {"pack_price": "0.80"}, {"min_qty": "20", "pack_price": 0.7, "discount": "5%"}]},
    ["not", "an", "object"],
    {"sku": true, "name": "x", "unit": "XBX", "pack_content": "10", "base_unit": "EA", "pack_price": "1.00"},
    {"sku": "N9", "name": "x", "unit": "XBX", "pack_content": "-1", "base_unit": "EA", "pack_price": "1.00", "tiers": "cheap"},
    {"sku": "N10", "name": "x", "unit": "XBX", "pack_content": "10", "base_unit": "EA", "pack_price": "1.00", "min_qty": 1.5}
  ],
  "valid_to": "2027-12-31"
}`

func TestJSONBadListReportsEveryProblem(t *testing.T) {
	res := parseString(t, badJSON, "application/json")
	if res.err != nil {
		t.Fatal(res.err)
	}
	assertProblems(t, res.rep,
		"warning 4 supplier",
		"error 7 pack_price",
		"error 8 gtin",
		"error 9 name", "error 9 pack_price",
		"error 10 pack_price", "warning 10 colour",
		"error 11 currency",
		"error 12 valid_to",
		"error 13 min_qty", "error 13 min_qty", "error 13 pack_price", "warning 13 discount",
		"error 15 ",
		"error 16 sku",
		"error 17 pack_content", "error 17 tiers",
		"error 18 min_qty",
		"error 20 valid_to",
	)
	if res.rep.RowsRead != 12 || res.rep.RowsValid != 1 || len(res.lines) != 1 || res.rep.Stopped {
		t.Errorf("report %+v", res.rep)
	}
	paths := map[string]bool{}
	for _, p := range res.rep.Problems {
		paths[p.Path] = true
	}
	for _, want := range []string{"lines[1].pack_price", "lines[7].tiers[0].min_qty", "lines[7].tiers[1].min_qty",
		"lines[7].tiers[2].pack_price", "lines[7].tiers[2].discount", "lines[8]", "lines[9].sku", "lines[10].tiers", "valid_to"} {
		if !paths[want] {
			t.Errorf("no problem at %s", want)
		}
	}
	if p, _ := findProblem(res.rep, "money amounts are strings"); p.Path != "lines[1].pack_price" {
		t.Errorf("number price: %+v", p)
	}
	if p, _ := findProblem(res.rep, "must come before"); p.Field != "valid_to" {
		t.Errorf("late header: %+v", p)
	}
}

func TestJSONStructure(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       []string
		stopped    bool
	}{
		{"empty body", "", []string{"error 0 "}, false},
		{"no lines", `{"currency":"DKK"}`, []string{"error 0 "}, false},
		{"empty lines", `{"currency":"DKK","lines":[]}`, []string{"error 0 "}, false},
		{"array body", `[{"sku":"A"}]`, []string{"error 1 "}, true},
		{"lines not an array", `{"lines":"none"}`, []string{"error 1 lines", "error 0 "}, false},
		{"lines an object", `{"lines":{"sku":"A"}}`, []string{"error 1 lines"}, true},
		{"syntax error", "{\"lines\":[\n{\"sku\":\"A\",}\n]}", []string{"error 2 "}, true},
		{"truncated", "{\"lines\":[\n{\"sku\":\"A\"", []string{"error 2 "}, true},
		{"trailing data", `{"lines":[{"sku":"A","name":"a","unit":"XBX","pack_content":"1","base_unit":"EA","pack_price":"1.00","currency":"DKK"}]} {}`, []string{"error 1 "}, false},
		{"bad header values", `{"currency":"Kroner","valid_from":"1/1/2027","valid_to":7,"lines":[]}`,
			[]string{"error 1 currency", "error 1 valid_from", "error 1 valid_to", "error 0 "}, false},
		{"reversed list validity", `{"valid_from":"2027-12-31","valid_to":"2027-01-01","lines":[]}`, []string{"error 1 valid_to", "error 0 "}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := parseString(t, c.body, "application/json")
			if res.err != nil {
				t.Fatal(res.err)
			}
			assertProblems(t, res.rep, c.want...)
			if res.rep.Stopped != c.stopped {
				t.Errorf("stopped = %v", res.rep.Stopped)
			}
		})
	}
}

func TestJSONMinifiedPositions(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"currency":"DKK","lines":[`)
	for i := range 50 {
		if i > 0 {
			b.WriteByte(',')
		}
		price := `"1.00"`
		if i == 42 {
			price = `"x"`
		}
		b.WriteString(`{"sku":"S` + string(rune('A'+i%26)) + string(rune('a'+i/26)) + `","name":"n","unit":"XBX","pack_content":"1","base_unit":"EA","pack_price":` + price + `}`)
	}
	b.WriteString(`]}`)
	res := parseString(t, b.String(), "application/json; charset=utf-8")
	assertProblems(t, res.rep, "error 1 pack_price")
	if res.rep.Problems[0].Path != "lines[42].pack_price" || len(res.lines) != 49 {
		t.Errorf("%+v, %d lines", res.rep.Problems[0], len(res.lines))
	}
}

func TestJSONRisingTiersWarn(t *testing.T) {
	res := parseString(t, `{"currency":"DKK","lines":[{"sku":"A","name":"a","unit":"XBX","pack_content":"10","base_unit":"EA","pack_price":"10.00",
		"tiers":[{"min_qty":"50","pack_price":"9.50"},{"min_qty":"10","pack_price":"10.50"}]}]}`, "application/json")
	assertProblems(t, res.rep, "warning 1 pack_price")
	if p := res.rep.Problems[0]; p.Path != "lines[0].tiers[1]" || !strings.Contains(p.Message, "at min_qty 10 (10.5) is higher than at min_qty 1 (10)") {
		t.Errorf("%+v", p)
	}
	if len(res.lines) != 3 {
		t.Errorf("a warning does not stop the lines: %d", len(res.lines))
	}
}
