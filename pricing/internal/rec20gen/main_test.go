package main

import (
	"bytes"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// The checked-in table must be exactly what the generator makes of the
// checked-in code list.
func TestTableUpToDate(t *testing.T) {
	f, err := os.Open("../../testdata/UNECERec20-11e.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ff, err := os.Open("../../testdata/rec20_factors.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer ff.Close()
	want, err := generate(f, ff, "testdata/UNECERec20-11e.xml", "testdata/rec20_factors.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../rec20_table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("pricing/rec20_table.go is out of date: run go generate ./pricing")
	}
}

func TestParse(t *testing.T) {
	const doc = `<?xml version="1.0"?>
<CodeList xmlns="urn:fdc:difi.no:2017:vefa:structure:CodeList-1">
<Version>Revision 11e</Version>
<!-- START of Recommendation 20 -->
<Code><Id>EA</Id><Name>each</Name></Code>
<Code><Id> X1 </Id><Name>Gunter's
   chain</Name></Code>
<!-- END of Recommendation 20 -->
<!-- START of Recommendation 21, prefixed with X -->
<Code><Id>XBX</Id><Name>Box </Name></Code>
<!-- END of Recommendation 21 -->
</CodeList>`
	v, codes, err := parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if v != "Revision 11e" || len(codes) != 3 {
		t.Fatalf("got %q %v", v, codes)
	}
	want := []code{{"EA", "each", false}, {"X1", "Gunter's chain", false}, {"XBX", "Box", true}}
	for i := range want {
		if codes[i] != want[i] {
			t.Errorf("code %d = %+v, want %+v", i, codes[i], want[i])
		}
	}
	for _, bad := range []string{
		`<CodeList></CodeList>`,
		`<CodeList><Code><Id></Id></Code></CodeList>`,
		`<CodeList><Code><Id>A</Id></Code><Code><Id>A</Id></Code></CodeList>`,
		`<CodeList><Code>`,
	} {
		if _, _, err := parse(strings.NewReader(bad)); err == nil {
			t.Errorf("parse(%q) succeeded", bad)
		}
	}
}

func TestParseFactor(t *testing.T) {
	for text, want := range map[string]string{
		"3 600 s":                       "3600 s",
		"0,453 592 37 kg":               "0.45359237 kg",
		"10⁻⁶ m³":                       "0.000001 m3",
		"10² m²":                        "100 m2",
		"2,834 952 x 10⁻² kg":           "0.02834952 kg",
		"3,155 76 x 10⁷ s":              "31557600 s",
		"4, 731 76 x 10⁻⁴ m³":           "0.000473176 m3",
		"kg":                            "1 kg",
		"m²":                            "1 m2",
		"1":                             "1 1",
		"12":                            "12 1",
		"10⁻³ 1":                        "0.001 1",
		"10⁻8":                          "0.00000001 1",
		"7,957 747 x 10 A/m":            "79.57747 A/m",
		"3,511 677 10⁻³ N x m":          "0.003511677 N·m",
		"1,129 85 × 10⁻¹ kg x m² x s⁻²": "0.112985 kg·m2·s-2",
		"200 mg":                        "0.0002 kg",
		"2,589 988 km²":                 "2589988 m2",
		"25,4 x 10⁻³ m":                 "0.0254 m",
		"3,110 348 x 10⁻³\u00a0kg":      "0.003110348 kg",
	} {
		v, base, ok := parseFactor(text)
		if got := v.String() + " " + base; !ok || got != want {
			t.Errorf("parseFactor(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
	for _, text := range []string{"", "use pair", "1.667 x 10-2 /s", "see C62", "0,013 8 in (approx)", "10^[Power in dBW/10] W"} {
		if v, base, ok := parseFactor(text); ok {
			t.Errorf("parseFactor(%q) = %s %s", text, v, base)
		}
	}
}

// Every exact definition that replaces a list value is within the
// rounding of the value the list publishes (or, for the troy ounce, ten
// times it): a typo in a definition cannot slip through.
func TestExactFactorsNearList(t *testing.T) {
	f, err := os.Open("../../testdata/rec20_factors.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fs, err := readFactors(f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for code, e := range exact {
		got, ok := fs[code]
		if !ok {
			continue // not in the PEPPOL list
		}
		n++
		_, text, _ := strings.Cut(got.Source, "; list: ")
		lv, base, ok := parseFactor(text)
		if !ok || base != e.base || !got.Value.Equal(decimal.RequireFromString(e.value)) {
			t.Errorf("%s: list %q (%s %s), table %s", code, text, lv, base, got.Value)
			continue
		}
		tol := big.NewRat(1, 100000)
		switch code {
		case "APZ": // the list is off by ten
			lv = lv.Shift(1)
		case "DRI": // the list has 1,771 745 for 1,771 845
			tol = big.NewRat(1, 10000)
		}
		r := new(big.Rat).Quo(got.Value.Sub(lv).Abs().Rat(), lv.Rat())
		if r.Cmp(tol) > 0 {
			t.Errorf("%s: exact %s is not near the list's %s", code, got.Value, lv)
		}
	}
	if n < 25 {
		t.Errorf("only %d exact factors are in the table", n)
	}
	for code, want := range map[string]string{"LBR": "0.45359237 kg", "INH": "0.0254 m", "FOT": "0.3048 m", "GLL": "0.003785411784 m3",
		"HUR": "3600 s", "MTK": "1 m2", "MLT": "0.000001 m3", "C62": "1 1", "ONZ": "0.028349523125 kg"} {
		if got := fs[code].Value.String() + " " + fs[code].Base; got != want {
			t.Errorf("%s = %s, want %s", code, got, want)
		}
	}
}

// When the Rec 20 spreadsheet is at hand (the team's shared folder), the
// checked-in factors are exactly what the generator extracts from it.
func TestFactorsUpToDate(t *testing.T) {
	const xlsx = "../../../../shared/standards/unece-rec20/rec20_Rev17e-2021.xlsx"
	if _, err := os.Stat(xlsx); err != nil {
		t.Skip("Rec 20 spreadsheet not at hand")
	}
	tmp := t.TempDir() + "/factors.csv"
	if err := extractFile(xlsx, "../../testdata/UNECERec20-11e.xml", tmp); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(tmp)
	want, _ := os.ReadFile("../../testdata/rec20_factors.csv")
	if !bytes.Equal(got, want) {
		t.Fatal("pricing/testdata/rec20_factors.csv is out of date: run go run ./internal/rec20gen -xlsx ... in pricing")
	}
}
