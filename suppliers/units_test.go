package suppliers

import (
	"bytes"
	"strings"
	"testing"
)

// Issue 12, units: what suppliers write is read through pricing's one
// table of codes and Danish words, and any orderable unit may hold content
// in any unit the pricing engine can compare.

const unitsHead = "varenummer;varenavn;ean;enhed;indhold;basisenhed;pris;valuta;inderindhold;inderenhed\n"

func TestCSVUnitsAsSuppliersWriteThem(t *testing.T) {
	body := unitsHead +
		"FL-1;Hånddesinfektion 1 l;;stk;1000;ml;30,00;DKK;;\n" + // 2: a bottle sold as a piece, per ml
		"FL-2;Sprit 500 ml;;H87;0,5;l;16,00;DKK;;\n" + // 3
		"FL-3;Sæbe 1 l;;EA;1;LTR;25,00;DKK;;\n" + // 4
		"FL-4;Creme;;C62;250;MLT;40,00;DKK;;\n" + // 5
		"SRV-1;Service, teknikertime;;timer;1;timer;600,00;DKK;;\n" + // 6: hours
		"SRV-2;Kalibrering;;HUR;1;HUR;550,00;DKK;;\n" + // 7
		"GLV-1;Gulvbelægning;;m2;1;m2;250,00;DKK;;\n" + // 8: square metres
		"GLV-2;Vinyl på rulle;;rl;25;MTK;5000,00;DKK;;\n" + // 9
		"LB-1;Gips (pund);;LBR;1;LBR;20,00;DKK;;\n" + // 10: pounds
		"CS-1;Vatpinde, kasse;;ks;10;pk;450,00;DKK;100;stk\n" + // 11: a case of packs of pieces
		"CS-2;Spatler, karton;;XCT;4;XBX;900,00;DKK;250;C62\n" + // 12
		"ÆS-1;Handsker;;æsk;100;stk;45,00;DKK;;\n" + // 13: Danish words
		"ÆS-2;Kompresser;;Æske;50;Stk.;30,00;DKK;;\n" + // 14
		"KR-1;Krus;;krt;12;st;60,00;DKK;;\n" + // 15
		"FL-5;Saltvand;;fl;500;ml;20,00;DKK;;\n" + // 16: fl is a bottle, not a flake ton
		"RL-1;Papir;;RO;6;stk;90,00;DKK;;\n" + // 17: RO is a roll
		"PS-1;Poser;;ps;50;styk;25,00;DKK;;\n" + // 18
		"DS-1;Salve;;ds;100;g;35,00;DKK;;\n" + // 19
		"TB-1;Gel;;tb;50;g;18,00;DKK;;\n" + // 20
		"ST-1;Instrumentsæt;;sæt;1;sæt;120,00;DKK;;\n" + // 21
		"PR-1;Handsker, par;;par;2;stk;8,00;DKK;;\n" + // 22
		"BK-1;Bakker;;bk;20;stk;40,00;DKK;;\n" + // 23
		"PK-1;Plaster;;pakke;20;stk;19,95;DKK;;\n" + // 24
		"AS-1;Vat;;ask;200;stk;15,00;DKK;;\n" + // 25
		"KG-1;Salt;;kg;1;kg;12,00;DKK;;\n" // 26
	res := parseString(t, body, "text/csv; charset=utf-8")
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.rep.Errors != 0 || res.rep.RowsValid != 25 {
		for _, p := range res.rep.Problems {
			t.Log(p)
		}
		t.Fatalf("report %+v", res.rep)
	}
	for _, w := range []wantLine{
		{SKU: "FL-1", PackUnit: "H87", PackContent: "1000", BaseUnit: "MLT", PackPrice: "30", Currency: "DKK", MinQty: 1},
		{SKU: "FL-2", PackUnit: "H87", PackContent: "0.5", BaseUnit: "LTR", PackPrice: "16", Currency: "DKK", MinQty: 1},
		{SKU: "FL-3", PackUnit: "EA", PackContent: "1", BaseUnit: "LTR", PackPrice: "25", Currency: "DKK", MinQty: 1},
		{SKU: "FL-4", PackUnit: "C62", PackContent: "250", BaseUnit: "MLT", PackPrice: "40", Currency: "DKK", MinQty: 1},
		{SKU: "SRV-1", PackUnit: "HUR", PackContent: "1", BaseUnit: "HUR", PackPrice: "600", Currency: "DKK", MinQty: 1},
		{SKU: "SRV-2", PackUnit: "HUR", PackContent: "1", BaseUnit: "HUR", PackPrice: "550", Currency: "DKK", MinQty: 1},
		{SKU: "GLV-1", PackUnit: "MTK", PackContent: "1", BaseUnit: "MTK", PackPrice: "250", Currency: "DKK", MinQty: 1},
		{SKU: "GLV-2", PackUnit: "XRO", PackContent: "25", BaseUnit: "MTK", PackPrice: "5000", Currency: "DKK", MinQty: 1},
		{SKU: "LB-1", PackUnit: "LBR", PackContent: "1", BaseUnit: "LBR", PackPrice: "20", Currency: "DKK", MinQty: 1},
		{SKU: "CS-1", PackUnit: "XCS", PackContent: "1000", BaseUnit: "H87", PackPrice: "450", Currency: "DKK", MinQty: 1},
		{SKU: "CS-2", PackUnit: "XCT", PackContent: "1000", BaseUnit: "C62", PackPrice: "900", Currency: "DKK", MinQty: 1},
		{SKU: "ÆS-1", PackUnit: "XBX", PackContent: "100", BaseUnit: "H87", PackPrice: "45", Currency: "DKK", MinQty: 1},
		{SKU: "ÆS-2", PackUnit: "XBX", PackContent: "50", BaseUnit: "H87", PackPrice: "30", Currency: "DKK", MinQty: 1},
		{SKU: "KR-1", PackUnit: "XCT", PackContent: "12", BaseUnit: "H87", PackPrice: "60", Currency: "DKK", MinQty: 1},
		{SKU: "FL-5", PackUnit: "XBO", PackContent: "500", BaseUnit: "MLT", PackPrice: "20", Currency: "DKK", MinQty: 1},
		{SKU: "RL-1", PackUnit: "XRO", PackContent: "6", BaseUnit: "H87", PackPrice: "90", Currency: "DKK", MinQty: 1},
		{SKU: "PS-1", PackUnit: "XBG", PackContent: "50", BaseUnit: "H87", PackPrice: "25", Currency: "DKK", MinQty: 1},
		{SKU: "DS-1", PackUnit: "XCX", PackContent: "100", BaseUnit: "GRM", PackPrice: "35", Currency: "DKK", MinQty: 1},
		{SKU: "TB-1", PackUnit: "XTU", PackContent: "50", BaseUnit: "GRM", PackPrice: "18", Currency: "DKK", MinQty: 1},
		{SKU: "ST-1", PackUnit: "SET", PackContent: "1", BaseUnit: "SET", PackPrice: "120", Currency: "DKK", MinQty: 1},
		{SKU: "PR-1", PackUnit: "PR", PackContent: "2", BaseUnit: "H87", PackPrice: "8", Currency: "DKK", MinQty: 1},
		{SKU: "BK-1", PackUnit: "XPU", PackContent: "20", BaseUnit: "H87", PackPrice: "40", Currency: "DKK", MinQty: 1},
		{SKU: "PK-1", PackUnit: "XPK", PackContent: "20", BaseUnit: "H87", PackPrice: "19.95", Currency: "DKK", MinQty: 1},
		{SKU: "AS-1", PackUnit: "XBX", PackContent: "200", BaseUnit: "H87", PackPrice: "15", Currency: "DKK", MinQty: 1},
		{SKU: "KG-1", PackUnit: "KGM", PackContent: "1", BaseUnit: "KGM", PackPrice: "12", Currency: "DKK", MinQty: 1},
	} {
		checkLine(t, lineBySKU(t, res.lines, w.SKU, 1), w)
	}
	// Each word is shown back once, with its code: "stk (H87, piece)".
	for _, want := range []string{`unit "stk" is read as stk (H87, piece)`, `base_unit "ml" is read as ml (MLT, millilitre)`,
		`unit "RO" is read as RO (XRO, Roll)`, `unit "fl" is read as fl (XBO, Bottle, non-protected, cylindrical)`,
		`inner_unit "stk" is read as stk (H87, piece)`, `base_unit "Stk." is read as Stk. (H87, piece)`} {
		p, ok := findProblem(res.rep, want)
		if !ok || p.Severity != SeverityWarning {
			t.Errorf("no warning %q", want)
		}
	}
	n := 0
	for _, p := range res.rep.Problems {
		if strings.Contains(p.Message, `"stk" is read as`) && p.Field == "base_unit" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("base_unit stk shown back %d times, want once", n)
	}
}

func TestCSVUnitProblems(t *testing.T) {
	body := unitsHead +
		"A1;Æsker;;æskk;100;stk;45,00;DKK;;\n" + // 2: unknown, suggested
		"A2;Kasse uden inderindhold;;ks;10;pk;45,00;DKK;;\n" + // 3: a case of packs, inner content missing
		"A3;Halv inder;;ks;10;pk;45,00;DKK;100;\n" + // 4: inner unit missing
		"A4;Stick;;STK;1;STK;45,00;DKK;;\n" + // 5: the exact code STK is a stick (a warning)
		"A5;Inder uden pakke;;XBX;10;stk;45,00;DKK;100;stk\n" + // 6: inner content of a piece
		"A6;Rulle;;rull;10;stk;45,00;DKK;;\n" + // 7: unknown, suggested a roll
		"A7;Kilo i liter;;KGM;1;LTR;45,00;DKK;;\n" // 8: a kilogram cannot hold a litre
	res := parseString(t, body, "text/csv")
	assertProblems(t, res.rep,
		"error 2 unit", "warning 2 base_unit", // stk shown back once
		"warning 3 unit", "warning 3 base_unit", "error 3 base_unit", // ks and pk shown back
		"error 4 inner_content",
		"warning 5 unit", "warning 5 base_unit",
		"error 6 inner_content", "warning 6 inner_unit",
		"error 7 unit",
		"error 8 base_unit",
	)
	for _, c := range []struct{ want, msg string }{
		{"error 2 unit", "did you mean XBX (Box, package)"},
		{"error 3 base_unit", "say what one XPK holds"},
		{"error 3 base_unit", "columns inner_content and inner_unit"},
		{"warning 5 unit", `STK is the Rec 20 code for "stick, cigarette"; if you mean the Danish stk (H87, piece)`},
		{"error 7 unit", "did you mean XRO (Roll, package)"},
	} {
		found := false
		for _, p := range res.rep.Problems {
			if strings.HasPrefix(p.String(), strings.SplitN(c.want, " ", 2)[0]) && keys(Report{Problems: []Problem{p}})[0] == c.want && strings.Contains(p.Message, c.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s saying %q", c.want, c.msg)
		}
	}
}

func TestJSONUnitsAsSuppliersWriteThem(t *testing.T) {
	res := parseString(t, `{"currency":"DKK","lines":[
 {"sku":"FL-1","name":"Sprit 1 l","unit":"stk","pack_content":"1000","base_unit":"ml","pack_price":"30.00"},
 {"sku":"CS-1","name":"Vatpinde","unit":"ks","pack_content":10,"base_unit":"pk","inner_content":100,"inner_unit":"stk","pack_price":"450.00",
  "tiers":[{"min_qty":10,"pack_price":"400.00"}]},
 {"sku":"SRV-1","name":"Teknikertime","unit":"HUR","pack_content":"1","base_unit":"HUR","pack_price":"600.00"},
 {"sku":"GLV-1","name":"Vinyl","unit":"rl","pack_content":"25","base_unit":"m2","pack_price":"5000.00"},
 {"sku":"ÆS-1","name":"Handsker","unit":"Æsk","pack_content":"100","base_unit":"STK.","pack_price":"45.00"},
 {"sku":"LB-1","name":"Gips","unit":"LBR","pack_content":"1","base_unit":"LBR","pack_price":"20.00"}
]}`, "application/json")
	if res.err != nil || res.rep.Errors != 0 {
		for _, p := range res.rep.Problems {
			t.Log(p)
		}
		t.Fatalf("%v %+v", res.err, res.rep)
	}
	for _, w := range []wantLine{
		{SKU: "FL-1", PackUnit: "H87", PackContent: "1000", BaseUnit: "MLT", PackPrice: "30", Currency: "DKK", MinQty: 1},
		{SKU: "CS-1", PackUnit: "XCS", PackContent: "1000", BaseUnit: "H87", PackPrice: "450", Currency: "DKK", MinQty: 1},
		{SKU: "CS-1", PackUnit: "XCS", PackContent: "1000", BaseUnit: "H87", PackPrice: "400", Currency: "DKK", MinQty: 10},
		{SKU: "SRV-1", PackUnit: "HUR", PackContent: "1", BaseUnit: "HUR", PackPrice: "600", Currency: "DKK", MinQty: 1},
		{SKU: "GLV-1", PackUnit: "XRO", PackContent: "25", BaseUnit: "MTK", PackPrice: "5000", Currency: "DKK", MinQty: 1},
		{SKU: "ÆS-1", PackUnit: "XBX", PackContent: "100", BaseUnit: "H87", PackPrice: "45", Currency: "DKK", MinQty: 1},
		{SKU: "LB-1", PackUnit: "LBR", PackContent: "1", BaseUnit: "LBR", PackPrice: "20", Currency: "DKK", MinQty: 1},
	} {
		checkLine(t, lineBySKU(t, res.lines, w.SKU, w.MinQty), w)
	}
	if p, ok := findProblem(res.rep, `unit "stk" is read as stk (H87, piece)`); !ok || p.Path != "lines[0].unit" {
		t.Errorf("stk not shown back: %+v", p)
	}
	// Unknown words get suggestions; a case of packs needs its inner content.
	res = parseString(t, `{"currency":"DKK","lines":[
 {"sku":"A","name":"a","unit":"pakkee","pack_content":"10","base_unit":"EA","pack_price":"1.00"},
 {"sku":"B","name":"b","unit":"ks","pack_content":"10","base_unit":"pk","pack_price":"1.00"}
]}`, "application/json")
	assertProblems(t, res.rep, "error 2 unit", "error 3 base_unit", "warning 3 unit", "warning 3 base_unit")
	if p, _ := findProblem(res.rep, "did you mean XPK (Package, package)"); p.Path != "lines[0].unit" {
		t.Errorf("%+v", res.rep.Problems)
	}
	if p, _ := findProblem(res.rep, `"inner_content" and "inner_unit"`); p.Path != "lines[1].base_unit" {
		t.Errorf("%+v", res.rep.Problems)
	}
}

// ublUnits wraps catalogue lines in the header of catalogue_tiers.xml.
func ublUnits(t *testing.T, lines string) []byte {
	head := readTestdata(t, "catalogue_tiers.xml")
	i := bytes.Index(head, []byte("<cac:CatalogueLine>"))
	return append(append(head[:i:i], lines...), "</Catalogue>\n"...)
}

func ublLine(id, orderable, content, priceUnit, price, sku string) string {
	s := "<cac:CatalogueLine><cbc:ID>" + id + "</cbc:ID>"
	if orderable != "" {
		s += "<cbc:OrderableUnit>" + orderable + "</cbc:OrderableUnit>"
	}
	s += content
	s += `<cac:RequiredItemLocationQuantity><cac:Price><cbc:PriceAmount currencyID="DKK">` + price + "</cbc:PriceAmount>"
	if priceUnit != "" {
		s += `<cbc:BaseQuantity unitCode="` + priceUnit + `">1</cbc:BaseQuantity>`
	}
	s += "</cac:Price></cac:RequiredItemLocationQuantity>"
	s += "<cac:Item><cbc:Name>" + sku + "</cbc:Name><cac:SellersItemIdentification><cbc:ID>" + sku + "</cbc:ID></cac:SellersItemIdentification></cac:Item></cac:CatalogueLine>\n"
	return s
}

func TestUBLUnits(t *testing.T) {
	body := ublUnits(t,
		ublLine("1", "H87", `<cbc:ContentUnitQuantity unitCode="MLT">1000</cbc:ContentUnitQuantity>`, "H87", "30.00", "FL-1")+ // a bottle as a piece
			ublLine("2", "EA", `<cbc:ContentUnitQuantity unitCode="LTR">1</cbc:ContentUnitQuantity>`, "LTR", "25.00", "FL-2")+ // priced per litre
			ublLine("3", "C62", `<cbc:ContentUnitQuantity unitCode="MLT">500</cbc:ContentUnitQuantity>`, "EA", "16.00", "FL-3")+ // priced per EA of a C62
			ublLine("4", "XBX", "", "XBX", "45.00", "BX-1")+ // no ContentUnitQuantity: one box
			ublLine("5", "HUR", "", "HUR", "600.00", "SRV-1")+ // hours
			ublLine("6", "MTK", "", "MTK", "250.00", "GLV-1")+ // square metres
			ublLine("7", "LBR", "", "KGM", "100.00", "LB-1")+ // pounds priced per kilogram: exact
			ublLine("8", "", "", "HUR", "550.00", "SRV-2")+ // sold per the BaseQuantity's unit
			ublLine("9", "", "", "RO", "20.00", "RL-1"), // ... which is not a Rec 20 code
	)
	res := parse(t, bytes.NewReader(body), "application/xml")
	if res.err != nil {
		t.Fatal(res.err)
	}
	// Lines 8 and 9 (body lines 54 and 55) have no OrderableUnit; RO is not
	// a Rec 20 code (UBL takes codes only), said once, at its BaseQuantity.
	assertProblems(t, res.rep, "warning 54 unit", "warning 55 unit", "error 55 BaseQuantity")
	for _, w := range []wantLine{
		{SKU: "FL-1", PackUnit: "H87", PackContent: "1000", BaseUnit: "MLT", PackPrice: "30", Currency: "DKK", MinQty: 1},
		{SKU: "FL-2", PackUnit: "EA", PackContent: "1", BaseUnit: "LTR", PackPrice: "25", Currency: "DKK", MinQty: 1},
		{SKU: "FL-3", PackUnit: "C62", PackContent: "500", BaseUnit: "MLT", PackPrice: "16", Currency: "DKK", MinQty: 1},
		{SKU: "BX-1", PackUnit: "XBX", PackContent: "1", BaseUnit: "XBX", PackPrice: "45", Currency: "DKK", MinQty: 1},
		{SKU: "SRV-1", PackUnit: "HUR", PackContent: "1", BaseUnit: "HUR", PackPrice: "600", Currency: "DKK", MinQty: 1},
		{SKU: "GLV-1", PackUnit: "MTK", PackContent: "1", BaseUnit: "MTK", PackPrice: "250", Currency: "DKK", MinQty: 1},
		{SKU: "LB-1", PackUnit: "LBR", PackContent: "1", BaseUnit: "LBR", PackPrice: "45.359237", Currency: "DKK", MinQty: 1},
		{SKU: "SRV-2", PackUnit: "HUR", PackContent: "1", BaseUnit: "HUR", PackPrice: "550", Currency: "DKK", MinQty: 1},
	} {
		checkLine(t, lineBySKU(t, res.lines, w.SKU, 1), w)
	}
	// Every problem names an element that is in the document.
	for _, p := range res.rep.Problems {
		if strings.HasSuffix(p.Path, "/OrderableUnit") || strings.HasSuffix(p.Path, "/PackSizeNumeric") {
			t.Errorf("problem names an absent element: %v", p)
		}
		if p.Severity == SeverityError && !strings.HasSuffix(p.Path, "/Price/BaseQuantity") {
			t.Errorf("the unit of line 9 comes from its BaseQuantity: %v", p)
		}
	}
	if p, ok := findProblem(res.rep, "did you mean XRO (Roll, package)"); !ok || p.Rule != "OP-T19-002" {
		t.Errorf("%+v", res.rep.Problems)
	}
}
