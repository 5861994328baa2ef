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
	for code, msg := range map[string]string{
		"":    "missing",
		"DAY": "prices cannot be computed in it",
		"X1":  "prices cannot be computed in it", // Gunter's chain: Rec 20, not a Rec 21 package
		"PCS": "not a UN/ECE Recommendation 20 unit code",
		"kgm": "not a UN/ECE",
	} {
		_, err := LookupUnit(code)
		wantErr(t, err, ErrUnknownUnit, "unit")
		if !strings.Contains(err.Error(), msg) {
			t.Errorf("LookupUnit(%q): %v does not say %q", code, err, msg)
		}
	}
	for d, s := range map[Dimension]string{Count: "count", Mass: "mass", Volume: "volume", Length: "length", Package: "package", 0: "Dimension(0)"} {
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

// Conversions between any two units of one dimension round-trip exactly.
func TestConvertRoundTrip(t *testing.T) {
	byDim := map[Dimension][]string{}
	for code, u := range measures {
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
