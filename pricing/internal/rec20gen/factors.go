package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// factor is a unit's conversion factor to its SI (or base) unit: one unit
// of the code is Value units of Base. Base is the unit expression of the
// factor as the list writes it, normalised (superscripts become digits,
// spaces go, "x" and "×" become "·"): "kg", "m3", "m2", "s", "m", "m/s",
// "kg·m2·s-2"; "1" for a dimensionless factor (one, dozen, percent).
type factor struct {
	Code   string
	Base   string
	Value  decimal.Decimal
	Source string // the list's text, or why an exact definition replaced it
}

// exact are factors taken from the units' definitions instead of the
// list, which publishes some of them rounded to 7 significant digits (and
// the troy ounce off by a factor of ten). Each is exact by definition:
// the international yard and pound (1959: 1 yd = 0.9144 m, 1 lb =
// 0.45359237 kg), the US gallon (231 in³), the UK gallon (4.54609 dm³,
// Weights and Measures Act 1985), and the units defined from these.
// TestExactFactorsNearList checks each against the list's rounded value.
var exact = map[string]struct{ value, base, why string }{
	"ONZ": {"0.028349523125", "kg", "1/16 lb"},
	"APZ": {"0.0311034768", "kg", "480 grains (the list's 3,110 348 x 10⁻³ kg is off by ten)"},
	"LBT": {"0.3732417216", "kg", "12 troy ounces"},
	"DRA": {"0.0038879346", "kg", "60 grains"},
	"DRI": {"0.0017718451953125", "kg", "1/256 lb (the list's 1,771 745 g is mistyped)"},
	"STI": {"6.35029318", "kg", "14 lb"},
	"CWA": {"45.359237", "kg", "100 lb"},
	"CWI": {"50.80234544", "kg", "112 lb"},
	"STN": {"907.18474", "kg", "2000 lb"},
	"LTN": {"1016.0469088", "kg", "2240 lb"},
	"GLL": {"0.003785411784", "m3", "231 in³"},
	"GLI": {"0.00454609", "m3", "4.54609 dm³"},
	"QT":  {"0.000946352946", "m3", "1/4 US gallon"},
	"QTI": {"0.0011365225", "m3", "1/4 UK gallon"},
	"PT":  {"0.000473176473", "m3", "1/8 US gallon"},
	"PTI": {"0.00056826125", "m3", "1/8 UK gallon"},
	"GIA": {"0.00011829411825", "m3", "1/32 US gallon"},
	"GII": {"0.0001420653125", "m3", "1/32 UK gallon"},
	"OZA": {"0.0000295735295625", "m3", "1/128 US gallon"},
	"OZI": {"0.0000284130625", "m3", "1/160 UK gallon"},
	"BLL": {"0.158987294928", "m3", "42 US gallons"},
	"BUA": {"0.03523907016688", "m3", "2150.42 in³"},
	"BUI": {"0.03636872", "m3", "8 UK gallons"},
	"G23": {"0.00880976754172", "m3", "1/4 US bushel"},
	"L43": {"0.00909218", "m3", "2 UK gallons"},
	"FTQ": {"0.028316846592", "m3", "(0.3048 m)³"},
	"YDQ": {"0.764554857984", "m3", "(0.9144 m)³"},
	"YDK": {"0.83612736", "m2", "(0.9144 m)²"},
	"ACR": {"4046.8564224", "m2", "4840 yd² (international acre; the list's 4 046,873 m² is the US survey acre)"},
	"MIK": {"2589988.110336", "m2", "(1609.344 m)²"},
}

// offset are temperature scales: converting them needs an offset, not a
// factor, so they compare only with themselves.
var offset = map[string]bool{"CEL": true, "FAH": true, "A48": true}

// nonBase rewrites the few factors the list gives in a unit that is not
// the SI base of its dimension ("200 mg", "2,589 988 km²").
var nonBase = map[string]struct {
	scale decimal.Decimal
	base  string
}{
	"g":   {decimal.New(1, -3), "kg"},
	"mg":  {decimal.New(1, -6), "kg"},
	"km2": {decimal.New(1, 6), "m2"},
	"km":  {decimal.New(1, 3), "m"},
}

var superscripts = strings.NewReplacer(
	"⁰", "0", "¹", "1", "²", "2", "³", "3", "⁴", "4", "⁵", "5", "⁶", "6", "⁷", "7", "⁸", "8", "⁹", "9", "⁻", "-",
)

// parseFactor reads a factor as the Rec 20 spreadsheet writes it:
// "3 600 s", "0,453 592 37 kg", "10⁻⁶ m³", "2,834 952 x 10⁻² kg", "kg",
// "12", "7,957 747 x 10 A/m". ok is false for an empty text or one that is
// not a decimal number with a unit expression ("use pair").
func parseFactor(text string) (value decimal.Decimal, base string, ok bool) {
	s := strings.TrimSpace(strings.NewReplacer("\u00a0", " ", "×", "x").Replace(text))
	if s == "" {
		return decimal.Decimal{}, "", false
	}
	mant, exp, rest := "", "", s
	if m := powerRe.FindStringSubmatch(s); m != nil {
		mant, exp, rest = m[1], superscripts.Replace(m[2]), m[3]
	} else if m := tenRe.FindStringSubmatch(s); m != nil {
		mant, exp, rest = m[1], "1", m[2]
	} else if m := mantRe.FindStringSubmatch(s); m != nil {
		mant, rest = m[1], m[2]
	}
	mant = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(mant), " ", ""), ",", ".")
	if mant == "" {
		mant = "1"
	}
	v, err := decimal.NewFromString(mant)
	if err != nil || strings.ContainsAny(mant, "eE") {
		return decimal.Decimal{}, "", false
	}
	if exp != "" {
		e, err := strconv.Atoi(exp)
		if err != nil {
			return decimal.Decimal{}, "", false
		}
		v = v.Shift(int32(e))
	}
	rest = strings.TrimPrefix(strings.Join(strings.Fields(rest), " "), "x ")
	if strings.HasPrefix(rest, "use ") || strings.HasPrefix(rest, "see ") || strings.ContainsAny(rest, "[]^π") || strings.Contains(rest, "approx") {
		return decimal.Decimal{}, "", false // words or a formula, not a factor
	}
	base = normaliseBase(rest)
	if base == "" {
		base = "1"
	}
	if !baseRe.MatchString(base) {
		return decimal.Decimal{}, "", false
	}
	if nb, ok := nonBase[base]; ok {
		v, base = v.Mul(nb.scale), nb.base
	}
	if !v.IsPositive() {
		return decimal.Decimal{}, "", false
	}
	return v, base, true
}

var (
	// powerRe: an optional mantissa, then 10 with a superscript exponent.
	powerRe = regexp.MustCompile(`^([0-9][0-9 ]*(?:, ?[0-9 ]*[0-9])?)?\s*(?:x\s*)?10((?:⁻|-)?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|[⁻-][0-9]+)(.*)$`)
	// tenRe: a mantissa times a plain 10 ("7,957 747 x 10 A/m").
	tenRe = regexp.MustCompile(`^([0-9][0-9 ]*(?:, ?[0-9 ]*[0-9])?)\s*x\s*10(\s.*|)$`)
	// mantRe: a mantissa alone, or none.
	mantRe = regexp.MustCompile(`^([0-9][0-9 ]*(?:, ?[0-9 ]*[0-9])?)?(.*)$`)
	// baseRe: what a normalised unit expression may hold. Anything else
	// ("use pair", a stray word) means the text is not a factor.
	baseRe = regexp.MustCompile(`^[\pL°0-9·/()-]+$`)
)

// normaliseBase writes a unit expression compactly: "m³" is "m3", "kg x
// m² x s⁻²" is "kg·m2·s-2", "cd x sr / m²" is "cd·sr/m2".
func normaliseBase(s string) string {
	s = superscripts.Replace(s)
	s = strings.NewReplacer(" x ", "·", "·x ", "·", " / ", "/", "/ ", "/", " /", "/", "Ω", "Ω").Replace(s)
	s = strings.ReplaceAll(s, " ", "·") // "kg m²": a product
	s = strings.ReplaceAll(s, "··", "·")
	if s == "1" {
		return ""
	}
	return s
}

// extract reads the factors of the codes in want from the Rec 20
// spreadsheet (sheet "Annex II & Annex III": common code in column B,
// conversion factor in column G), with the exact definitions above in
// place of the list's rounded values. Codes whose factor is missing or not
// a number with a unit are left out: they compare only with themselves.
func extract(r io.Reader, want map[string]bool) ([]factor, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := f.Rows("Annex II & Annex III")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []factor
	seen := map[string]bool{}
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		if len(cols) < 7 {
			continue
		}
		code, text := strings.TrimSpace(cols[1]), strings.TrimSpace(cols[6])
		if !want[code] || seen[code] {
			continue
		}
		seen[code] = true
		if offset[code] {
			continue
		}
		if e, ok := exact[code]; ok {
			out = append(out, factor{Code: code, Base: e.base, Value: decimal.RequireFromString(e.value), Source: "exact: " + e.why + "; list: " + clean(text)})
			continue
		}
		v, base, ok := parseFactor(text)
		if !ok {
			continue
		}
		out = append(out, factor{Code: code, Base: base, Value: v, Source: clean(text)})
	}
	if err := rows.Error(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no factors found")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// clean collapses the spaces of a spreadsheet text.
func clean(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// writeFactors writes factors as CSV: code;base;factor;source.
func writeFactors(w io.Writer, fs []factor) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write([]string{"code", "base", "factor", "source"}); err != nil {
		return err
	}
	for _, f := range fs {
		if err := cw.Write([]string{f.Code, f.Base, f.Value.String(), f.Source}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// readFactors reads what writeFactors wrote.
func readFactors(r io.Reader) (map[string]factor, error) {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ";") != "code;base;factor;source" {
		return nil, fmt.Errorf("factors: header must be code;base;factor;source")
	}
	out := make(map[string]factor, len(recs)-1)
	for i, rec := range recs[1:] {
		v, err := decimal.NewFromString(rec[2])
		if err != nil || !v.IsPositive() || rec[0] == "" || rec[1] == "" {
			return nil, fmt.Errorf("factors: line %d: bad record %q", i+2, rec)
		}
		if _, dup := out[rec[0]]; dup {
			return nil, fmt.Errorf("factors: line %d: duplicate code %q", i+2, rec[0])
		}
		out[rec[0]] = factor{Code: rec[0], Base: rec[1], Value: v, Source: rec[3]}
	}
	return out, nil
}
