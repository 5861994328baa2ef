package suppliers

import (
	"fmt"
	"strings"

	"andel/pricing"
)

// This file keeps every code-list lookup of the package behind one small
// function each. Units and currencies are package pricing's; the lists
// only the UBL rules need (countries, tax categories) are here.

// validUnit reports whether code is a unit code a price list of format f
// may carry. A UBL catalogue must use the PEPPOL UNECERec20 list exactly
// (OP-T19-002); CSV and JSON lists may also use the withdrawn pack codes
// BX, PK and CT that suppliers still write (pricing.IsKnownUnitCode).
func validUnit(code string, f Format) bool {
	if f == FormatUBL {
		return pricing.IsRec20Code(code)
	}
	return pricing.IsKnownUnitCode(code)
}

// unitMessage explains why code is not a unit code, with the nearest
// codes and words (pricing.SuggestUnits: one table of words, in pricing).
func unitMessage(code string) string {
	if code == "" {
		return "unit code is missing (UN/ECE Rec 20, e.g. EA, C62, H87, MLT, XBX)"
	}
	msg := fmt.Sprintf("%q is not a UN/ECE Recommendation 20 unit code", code)
	if s := pricing.SuggestUnits(code); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return msg
}

// validCurrency reports whether code is an accepted ISO 4217 currency code
// (upper case, exactly as written), as package pricing decides.
func validCurrency(code string) bool {
	_, err := pricing.ParseCurrency(code)
	return err == nil
}

// iso3166 is ISO 3166-1 alpha-2 (officially assigned codes, plus XK,
// Kosovo, which the Peppol country list also carries).
var iso3166 = func() map[string]struct{} {
	const codes = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU
CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB
GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL
IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI
LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN
PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR
SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US
UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK`
	m := make(map[string]struct{}, 260)
	for _, c := range strings.Fields(codes) {
		m[c] = struct{}{}
	}
	return m
}()

func validCountry(code string) bool {
	_, ok := iso3166[code]
	return ok
}

// uncl5305 is UN/CEFACT 5305, duty or tax or fee category codes (D.16B).
var uncl5305 = map[string]struct{}{
	"A": {}, "AA": {}, "AB": {}, "AC": {}, "AD": {}, "AE": {}, "B": {}, "C": {},
	"D": {}, "E": {}, "F": {}, "G": {}, "H": {}, "I": {}, "J": {}, "K": {},
	"L": {}, "M": {}, "O": {}, "S": {}, "Z": {},
}

func validTaxCategory(code string) bool {
	_, ok := uncl5305[code]
	return ok
}

// validMIME reports whether s has the form of a MIME media type
// ("type/subtype", RFC 6838 restricted-name characters).
func validMIME(s string) bool {
	typ, sub, ok := strings.Cut(s, "/")
	return ok && mimeToken(typ) && mimeToken(sub)
}

func mimeToken(s string) bool {
	if s == "" || len(s) > 127 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case i > 0 && strings.IndexByte("!#$&-^_.+", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validLanguage reports whether s has the form of an ISO 639-1 code (two
// lower-case letters). The code list itself is not bundled.
func validLanguage(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}
