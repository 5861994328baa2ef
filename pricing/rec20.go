package pricing

//go:generate go run ./internal/rec20gen -in testdata/UNECERec20-11e.xml -factors testdata/rec20_factors.csv -out rec20_table.go

// rec20Entry is one code of the embedded code list.
type rec20Entry struct {
	name  string
	rec21 bool // a Recommendation 21 package code, prefixed with X
	// base and factor: one unit is factor (an exact decimal string) units
	// of base, the SI base unit expression ("kg", "m3", "m2", "s", "m",
	// "1" for dimensionless); both empty when the list gives no factor.
	base, factor string
}

// The factors of the table come from the UN/ECE Rec 20 spreadsheet
// (Revision 17e, 2021) through testdata/rec20_factors.csv (code; SI base
// unit expression; exact decimal factor; the spreadsheet's text). Where the
// spreadsheet publishes a rounded value and an exact definition exists,
// the definition is used and the file says so in its source column: the
// international pound (0.45359237 kg) and the units made of it (ounce,
// stone, hundredweights, short and long ton, grain-based troy units), the
// international inch, foot and yard and their squares and cubes (acre,
// square mile, cubic foot, cubic yard), the US gallon (231 in³) and the UK
// gallon (4.54609 dm³) and their parts (quart, pint, gill, fluid ounce,
// barrel, bushel, peck). See internal/rec20gen/factors.go.

// legacyPackCodes are package codes that were in Recommendation 20 before
// they moved to Recommendation 21 (as XBX, XPK, XCT) and are no longer in
// the code list, but that supplier price lists still use. They are accepted
// as pack units (IsKnownUnitCode, LookupUnit) but IsRec20Code is false for
// them, because PEPPOL BIS validation (rule OP-T19-002) refuses them.
var legacyPackCodes = map[string]string{
	"BX": "box",
	"PK": "pack",
	"CT": "carton",
}

// Rec20Version is the revision of the embedded PEPPOL UNECERec20 code list
// ("Revision 11e").
func Rec20Version() string { return rec20Version }

// IsRec20Code reports whether code is in the embedded PEPPOL UNECERec20
// code list (Revision 11e): a UN/ECE Recommendation 20 unit ("EA", "C62",
// "KGM", "DAY") or a Recommendation 21 package code prefixed with X ("XBX",
// "XCT"). Codes are case-sensitive. Use it to validate unit codes of a
// PEPPOL UBL catalogue.
func IsRec20Code(code string) bool {
	_, ok := rec20Table[code]
	return ok
}

// Rec20Name returns the name the code list gives code ("each", "Box"), and
// whether code is in the list.
func Rec20Name(code string) (string, bool) {
	e, ok := rec20Table[code]
	return e.name, ok
}

// IsKnownUnitCode reports whether code is a unit code a price list may
// carry: any code of the embedded Rec 20 list, or one of the legacy pack
// codes BX, PK and CT. Price-list validation should say "unknown unit code"
// when it is false. Every such code can be priced (LookupUnit): those with
// a factor convert within their dimension, the others compare only with
// themselves. Words suppliers write ("stk", "æsk") are read by ReadUnit.
func IsKnownUnitCode(code string) bool {
	if IsRec20Code(code) {
		return true
	}
	_, ok := legacyPackCodes[code]
	return ok
}
