package pricing

import (
	"strings"
	"testing"
)

func TestRec20(t *testing.T) {
	if Rec20Version() != "Revision 11e" {
		t.Error(Rec20Version())
	}
	if len(rec20Table) != 2162 {
		t.Errorf("table has %d codes", len(rec20Table))
	}
	for _, c := range []string{"EA", "C62", "H87", "PR", "MGM", "GRM", "KGM", "MLT", "CLT", "LTR", "MMT", "CMT", "MTR", "DAY", "LBR", "XBX", "XCT", "XPK", "X1", "10"} {
		if !IsRec20Code(c) || !IsKnownUnitCode(c) {
			t.Errorf("%s should be a Rec 20 code", c)
		}
	}
	for _, c := range []string{"BX", "PK", "CT"} {
		if IsRec20Code(c) {
			t.Errorf("%s is not in Revision 11e", c)
		}
		if !IsKnownUnitCode(c) {
			t.Errorf("%s should be accepted as a legacy pack code", c)
		}
	}
	for _, c := range []string{"", "ea", "PCS", "PCS", "XXX", "KG", "L"} {
		if IsRec20Code(c) || IsKnownUnitCode(c) {
			t.Errorf("%q should be unknown", c)
		}
	}
	if n, ok := Rec20Name("KGM"); !ok || n != "kilogram" {
		t.Error(n, ok)
	}
	if n, ok := Rec20Name("XBX"); !ok || n != "Box" {
		t.Error(n, ok)
	}
	if _, ok := Rec20Name("nope"); ok {
		t.Error("nope")
	}
}

func TestLookupUnit(t *testing.T) {
	tests := []struct {
		code string
		dim  Dimension
		name string
	}{
		{"EA", Count, "each"}, {"C62", Count, "one"}, {"H87", Count, "piece"},
		{"MGM", Mass, "milligram"}, {"GRM", Mass, "gram"}, {"KGM", Mass, "kilogram"},
		{"MLT", Volume, "millilitre"}, {"CLT", Volume, "centilitre"}, {"DLT", Volume, "decilitre"}, {"LTR", Volume, "litre"},
		{"MMT", Length, "millimetre"}, {"CMT", Length, "centimetre"}, {"DMT", Length, "decimetre"}, {"MTR", Length, "metre"},
		{"BX", Package, "box"}, {"PK", Package, "pack"}, {"CT", Package, "carton"}, {"PR", Package, "pair"},
		{"XBX", Package, "Box"}, {"XCT", Package, "Carton"}, {"XPK", Package, "Package"},
	}
	for _, tt := range tests {
		u, err := LookupUnit(tt.code)
		mustNoErr(t, err)
		if u.Dimension != tt.dim || u.Name != tt.name || u.Code != tt.code || u.String() != tt.code {
			t.Errorf("LookupUnit(%s) = %+v", tt.code, u)
		}
		if u.IsPackage() != (tt.dim == Package) {
			t.Errorf("%s IsPackage", tt.code)
		}
	}
	// DAY and X1 (Gunter's chain: Rec 20, not a Rec 21 package) were
	// refused as "prices cannot be computed in it" before every unit with a
	// factor could be: they are time and length now (issue 12).
	for code, want := range map[string]struct {
		dim  Dimension
		base string
	}{"DAY": {Time, "s"}, "X1": {Length, "m"}, "HUR": {Time, "s"}, "MTK": {Area, "m2"}, "LBR": {Mass, "kg"},
		"DZN": {Count, "1"}, "P1": {Measure, "1"}, "STK": {Own, ""}, "SET": {Package, ""}, "2K": {Measure, "m3/s"}} {
		u, err := LookupUnit(code)
		mustNoErr(t, err)
		if u.Dimension != want.dim || u.Base != want.base {
			t.Errorf("LookupUnit(%s) = %+v", code, u)
		}
	}
	for code, msg := range map[string]string{
		"":    "missing",
		"PCS": "not a UN/ECE Recommendation 20 unit code",
		"kgm": "not a UN/ECE",
	} {
		_, err := LookupUnit(code)
		wantErr(t, err, ErrUnknownUnit, "unit")
		if !strings.Contains(err.Error(), msg) {
			t.Errorf("LookupUnit(%q): %v does not say %q", code, err, msg)
		}
	}
	for d, s := range map[Dimension]string{Count: "count", Mass: "mass", Volume: "volume", Length: "length", Package: "package",
		Time: "time", Area: "area", Measure: "measure", Own: "own unit", 0: "Dimension(0)"} {
		if d.String() != s {
			t.Errorf("%d: %s", int(d), d.String())
		}
	}
}

func TestConvertUnit(t *testing.T) {
	tests := []struct {
		v, from, to, want string
	}{
		{"1", "KGM", "GRM", "1000"},
		{"1", "KGM", "MGM", "1000000"},
		{"1", "MGM", "KGM", "0.000001"},
		{"2.5", "LTR", "MLT", "2500"},
		{"33", "CLT", "LTR", "0.33"},
		{"1", "DLT", "CLT", "10"},
		{"150", "CMT", "MTR", "1.5"},
		{"1", "MTR", "MMT", "1000"},
		{"7", "DMT", "CMT", "70"},
		{"12", "EA", "C62", "12"},
		{"12", "H87", "EA", "12"},
		{"3", "BX", "BX", "3"},
		{"0.000000001", "MGM", "KGM", "0.000000000000001"},
	}
	for _, tt := range tests {
		got, err := ConvertUnit(d(tt.v), tt.from, tt.to)
		mustNoErr(t, err)
		if !got.Equal(d(tt.want)) {
			t.Errorf("%s %s -> %s = %s, want %s", tt.v, tt.from, tt.to, got, tt.want)
		}
		q, err := Qty(tt.v, tt.from).Convert(tt.to)
		mustNoErr(t, err)
		if q.String() != got.String()+" "+tt.to {
			t.Error(q)
		}
		if !SameDimension(tt.from, tt.to) {
			t.Errorf("SameDimension(%s, %s)", tt.from, tt.to)
		}
	}
	for _, tt := range []struct{ from, to string }{
		{"KGM", "LTR"}, {"EA", "GRM"}, {"MTR", "MLT"}, {"BX", "EA"}, {"EA", "BX"}, {"BX", "PK"},
	} {
		_, err := ConvertUnit(d("1"), tt.from, tt.to)
		wantErr(t, err, ErrIncompatibleUnits, "unit")
		if SameDimension(tt.from, tt.to) {
			t.Errorf("SameDimension(%s, %s)", tt.from, tt.to)
		}
	}
	_, err := ConvertUnit(d("1"), "PCS", "EA")
	wantErr(t, err, ErrUnknownUnit, "unit")
	_, err = ConvertUnit(d("1"), "EA", "PCS")
	wantErr(t, err, ErrUnknownUnit, "unit")
	_, err = Qty("1", "EA").Convert("KGM")
	wantErr(t, err, ErrIncompatibleUnits, "unit")
	if SameDimension("PCS", "EA") || SameDimension("EA", "PCS") {
		t.Error("SameDimension with unknown unit")
	}
}

// metric are the units that were the only measures before issue 12: the
// counts and the metric mass, volume and length units. Their factors are
// powers of ten, so conversions among them are decimal shifts.
var metric = []string{"EA", "C62", "H87", "MGM", "GRM", "KGM", "MLT", "CLT", "DLT", "LTR", "MMT", "CMT", "DMT", "MTR"}

// Conversions between any two metric units of one dimension round-trip exactly.
func TestConvertRoundTrip(t *testing.T) {
	byDim := map[Dimension][]string{}
	for _, code := range metric {
		u, err := LookupUnit(code)
		mustNoErr(t, err)
		byDim[u.Dimension] = append(byDim[u.Dimension], code)
	}
	values := []string{"0", "1", "0.000001", "123456.789", "-42.5", "1e-12", "98765432109876543210"}
	for _, codes := range byDim {
		for _, a := range codes {
			for _, b := range codes {
				for _, v := range values {
					there, err := ConvertUnit(d(v), a, b)
					mustNoErr(t, err)
					back, err := ConvertUnit(there, b, a)
					mustNoErr(t, err)
					if !back.Equal(d(v)) {
						t.Errorf("%s %s -> %s -> %s = %s", v, a, b, a, back)
					}
				}
			}
		}
	}
}

// Issue 12: every Rec 20 unit with a factor converts within its dimension,
// through exact factors.
func TestConvertWithFactors(t *testing.T) {
	tests := []struct {
		v, from, to, want string
		exact             bool
	}{
		{"1", "LBR", "KGM", "0.45359237", true},
		{"1", "LBR", "GRM", "453.59237", true},
		{"16", "ONZ", "LBR", "1", true},
		{"1", "KGM", "LBR", "2.20462262184877580723", false}, // 1/0.45359237 = 2.204622621848775807229...: no finite decimal
		{"2", "HUR", "MIN", "120", true},
		{"1", "DAY", "HUR", "24", true},
		{"90", "MIN", "HUR", "1.5", true},
		{"1", "WEE", "DAY", "7", true},
		{"1", "MTK", "CMK", "10000", true},
		{"1", "FTK", "MTK", "0.09290304", true},
		{"1", "INH", "CMT", "2.54", true},
		{"1", "FOT", "INH", "12", true},
		{"1", "YRD", "FOT", "3", true},
		{"1", "SMI", "MTR", "1609.344", true},
		{"1", "GLL", "LTR", "3.785411784", true},
		{"128", "OZA", "GLL", "1", true},
		{"1", "GLI", "MLT", "4546.09", true},
		{"1", "MTQ", "LTR", "1000", true},
		{"1", "DZN", "C62", "12", true},
		{"1", "GRO", "DZN", "12", true},
		{"3", "H87", "EA", "3", true},
		{"1", "P1", "NX", "10", true}, // percent in per mille: ratios compare with ratios
	}
	for _, tt := range tests {
		got, exact, err := ConvertUnitExact(d(tt.v), tt.from, tt.to)
		mustNoErr(t, err)
		if got.String() != tt.want || exact != tt.exact {
			t.Errorf("%s %s -> %s = %s (exact %v), want %s (exact %v)", tt.v, tt.from, tt.to, got, exact, tt.want, tt.exact)
		}
	}
	for _, tt := range []struct{ from, to string }{
		{"HUR", "MTR"}, {"MTK", "MTR"}, {"MTK", "MTQ"}, {"LBR", "LTR"}, {"P1", "C62"}, {"STK", "H87"}, {"STK", "SET"}, {"HUR", "XBX"},
	} {
		_, err := ConvertUnit(d("1"), tt.from, tt.to)
		wantErr(t, err, ErrIncompatibleUnits, "unit")
	}
	// A unit without a factor compares with itself.
	v, err := ConvertUnit(d("2"), "STK", "STK")
	mustNoErr(t, err)
	if !v.Equal(d("2")) {
		t.Error(v)
	}
}

// A pound and a kilogram compare exactly, through their factors.
func TestCompareQuantitiesPoundKilogram(t *testing.T) {
	for _, tt := range []struct {
		a, b Quantity
		want int
	}{
		{Qty("1", "LBR"), Qty("0.45359237", "KGM"), 0},
		{Qty("1", "LBR"), Qty("0.45359238", "KGM"), -1},
		{Qty("1", "LBR"), Qty("453.59236", "GRM"), 1},
		{Qty("1", "KGM"), Qty("2.2046226218487758", "LBR"), 1}, // 1/0.45359237 = 2.20462262184877580722...
		{Qty("1", "KGM"), Qty("2.2046226218487759", "LBR"), -1},
		{Qty("60", "MIN"), Qty("1", "HUR"), 0},
	} {
		got, err := CompareQuantities(tt.a, tt.b)
		mustNoErr(t, err)
		if got != tt.want {
			t.Errorf("CompareQuantities(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	_, err := CompareQuantities(Qty("1", "LBR"), Qty("1", "LTR"))
	wantErr(t, err, ErrIncompatibleUnits, "unit")
	_, err = CompareQuantities(Qty("1", "NOPE"), Qty("1", "LTR"))
	wantErr(t, err, ErrUnknownUnit, "a.unit")
}

func TestReadUnit(t *testing.T) {
	for text, want := range map[string]string{
		// Danish words, case-insensitive, with or without a full stop.
		"stk": "H87", "Stk.": "H87", "ST": "H87", "styk": "H87",
		"pk": "XPK", "pakke": "XPK", "Pakning": "XPK",
		"æsk": "XBX", "Æske": "XBX", "ask": "XBX",
		"krt": "XCT", "karton": "XCT", "ks": "XCS", "kasse": "XCS",
		"fl": "XBO", "Fl": "XBO", "flaske": "XBO",
		"rl": "XRO", "rulle": "XRO", "RO": "XRO", "ro": "XRO",
		"ps": "XBG", "pose": "XBG", "ds": "XCX", "dåse": "XCX", "DÅSE": "XCX",
		"tb": "XTU", "tube": "XTU", "sæt": "SET", "par": "PR", "bk": "XPU", "bakke": "XPU",
		"l": "LTR", "L": "LTR", "ltr": "LTR", "ml": "MLT", "cl": "CLT", "dl": "DLT",
		"g": "GRM", "kg": "KGM", "KG": "KGM", "mg": "MGM", "m": "MTR", "cm": "CMT", "mm": "MMT", "m2": "MTK", "m²": "MTK",
		"timer": "HUR",
		// Exact codes mean themselves, even where a word looks the same.
		"STK": "STK", "FL": "FL", "H87": "H87", "XBX": "XBX", "BX": "BX", "PK": "PK", "HUR": "HUR", " LBR ": "LBR",
		// Codes in lower case, when no word is spelt so.
		"xbx": "XBX", "ea": "EA", "kgm": "KGM", "c62": "C62", "mtk": "MTK",
	} {
		u, err := ReadUnit(text)
		if err != nil || u.Code != want {
			t.Errorf("ReadUnit(%q) = %s, %v; want %s", text, u.Code, err, want)
		}
	}
	u, _ := ReadUnit("stk")
	if got := u.Describe("stk"); got != "stk (H87, piece)" {
		t.Error(got)
	}
	if got := u.Describe("H87"); got != "H87, piece" {
		t.Error(got)
	}
	for _, text := range []string{"", "  ", "PCS", "æskee", "xyzzy"} {
		_, err := ReadUnit(text)
		wantErr(t, err, ErrUnknownUnit, "unit")
	}
	if w, ok := ConfusableWord("STK"); !ok || w.Code != "H87" || w.Word != "stk" {
		t.Error(w, ok)
	}
	if w, ok := ConfusableWord("FL"); !ok || w.Code != "XBO" {
		t.Error(w, ok)
	}
	for _, c := range []string{"H87", "XBX", "KGM", "RO", "ks"} {
		if w, ok := ConfusableWord(c); ok {
			t.Errorf("ConfusableWord(%s) = %v", c, w)
		}
	}
	// The table is what UnitWords returns, and names known codes only.
	if len(UnitWords()) != len(unitWords) {
		t.Error("UnitWords")
	}
	for _, w := range []string{"stk", "st", "styk", "pk", "pakke", "pakning", "æsk", "æske", "ask", "krt", "karton", "ks", "kasse", "fl",
		"flaske", "rl", "rulle", "ps", "pose", "ds", "dåse", "tb", "tube", "sæt", "par", "bk", "bakke", "l", "ltr", "ml", "cl", "dl", "g",
		"kg", "mg", "m", "cm", "mm", "m2"} {
		if _, ok := unitWordIndex[w]; !ok {
			t.Errorf("the word %q is missing", w)
		}
	}
}

func TestSuggestUnits(t *testing.T) {
	for text, want := range map[string]string{
		"PCS":      "H87 (piece, count)",
		"stkk":     "H87 (piece, count)",
		"æskr":     "XBX (Box, package)",
		"rull":     "XRO (Roll, package)",
		"kilogram": "KGM (kilogram, mass)",
		"BOXX":     "XBX (Box, package)",
		"timee":    "HUR (hour, time)",
	} {
		got := SuggestUnits(text)
		if len(got) == 0 || got[0] != want {
			t.Errorf("SuggestUnits(%q) = %q, want %q first", text, got, want)
		}
		if len(got) > 3 {
			t.Errorf("SuggestUnits(%q) = %d suggestions", text, len(got))
		}
	}
	if got := SuggestUnits("qqqqqqqqqqqqqqqqqqqq"); len(got) != 0 {
		t.Error(got)
	}
	// The error says it, with the dimension of each suggestion.
	_, err := ReadUnit("rull")
	if err == nil || !strings.Contains(err.Error(), "did you mean XRO (Roll, package)") {
		t.Errorf("%v", err)
	}
	_, err = LookupUnit("PCS")
	if err == nil || !strings.Contains(err.Error(), "did you mean H87 (piece, count)") {
		t.Errorf("%v", err)
	}
}
