package pricing

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Dimension is what a unit measures. Quantities convert only within one
// dimension (and, for Measure, only between units of the same Base).
type Dimension int

const (
	// Count: pieces. EA, C62 and H87 are all the same "one"; DZN (12),
	// GRO (144), CEN (100), MIL (1000)... are counts of ones.
	Count Dimension = iota + 1
	// Mass: every Rec 20 unit whose factor is in kg (MGM, GRM, KGM, TNE,
	// LBR, ONZ...).
	Mass
	// Volume: factor in m³ (MLT, CLT, DLT, LTR, MTQ, GLL, OZA...).
	Volume
	// Length: factor in m (MMT, CMT, MTR, INH, FOT, YRD, SMI...).
	Length
	// Package: a pack-like unit (BX, PK, CT, PR, SET, KT, and every
	// Recommendation 21 package code such as XBX or XCT) that counts packs
	// whose content is declared per offer (see Pack). A package quantity
	// converts to other units only through its declared content.
	Package
	// Time: factor in s (SEC, MIN, HUR, DAY, WEE, MON, ANN).
	Time
	// Area: factor in m² (MMK, CMK, MTK, HAR, FTK, INK, ACR...).
	Area
	// Measure: any other quantity with a factor; units convert only when
	// their Base is the same expression ("m3/s", "kg/m3", "1" for ratios
	// such as P1, percent).
	Measure
	// Own: a Rec 20 code the list gives no conversion factor (STK, ACT,
	// "10" group...): it compares only with itself.
	Own
)

// String returns "count", "mass", "volume", "length", "package", "time",
// "area", "measure" or "own unit".
func (d Dimension) String() string {
	switch d {
	case Count:
		return "count"
	case Mass:
		return "mass"
	case Volume:
		return "volume"
	case Length:
		return "length"
	case Package:
		return "package"
	case Time:
		return "time"
	case Area:
		return "area"
	case Measure:
		return "measure"
	case Own:
		return "own unit"
	}
	return fmt.Sprintf("Dimension(%d)", int(d))
}

// Unit is a unit code this package can compute with.
type Unit struct {
	// Code is the UN/ECE Rec 20 (or Rec 21, or legacy pack) code.
	Code string
	// Name is the code list's name ("kilogram").
	Name string
	// Dimension is what the unit measures.
	Dimension Dimension
	// Base is the SI base unit expression Factor is in: "kg", "m3", "m",
	// "m2", "s", "1" for counts and ratios, or another expression for a
	// Measure ("m3/s"). Empty for Package and Own units.
	Base string
	// Factor says that one unit is Factor Base units, exactly (LBR is
	// 0.45359237 kg, HUR 3600 s). Zero for Package and Own units.
	Factor decimal.Decimal
}

// countCodes are the Rec 20 codes with a dimensionless factor that count
// things. Other dimensionless codes (percent, ppm, kg/kg) are ratios
// (Measure with Base "1"): they compare with each other, never with
// pieces. EA and H87 have no factor in the list but mean "one" here, as
// C62 does.
var countCodes = map[string]bool{
	"EA": true, "C62": true, "H87": true, "DZN": true, "GRO": true, "GGR": true, "CEN": true,
	"MIL": true, "MIO": true, "MLD": true, "BIL": true, "TRL": true, "SCO": true, "HD": true, "QD": true,
}

// packageCodes are Rec 20 codes (not Rec 21) that name a collection whose
// content is declared per offer, like a Rec 21 package: PR (pair, whose
// list factor 2 is not used: a pair's content is declared), SET and KT
// (kit).
var packageCodes = map[string]bool{"PR": true, "SET": true, "KT": true}

// dimensionOfBase names the dimensions with their own constant.
var dimensionOfBase = map[string]Dimension{"kg": Mass, "m3": Volume, "m": Length, "m2": Area, "s": Time}

// units holds every known code, built once from the generated table.
var units = func() map[string]Unit {
	m := make(map[string]Unit, len(rec20Table)+len(legacyPackCodes))
	for code, e := range rec20Table {
		u := Unit{Code: code, Name: e.name}
		switch {
		case e.rec21 || packageCodes[code]:
			u.Dimension = Package
		case countCodes[code]:
			u.Dimension, u.Base, u.Factor = Count, "1", one
			if e.factor != "" {
				u.Factor = decimal.RequireFromString(e.factor)
			}
		case e.factor != "":
			u.Base, u.Factor = e.base, decimal.RequireFromString(e.factor)
			u.Dimension = Measure
			if d, ok := dimensionOfBase[e.base]; ok {
				u.Dimension = d
			}
		default:
			u.Dimension = Own
		}
		m[code] = u
	}
	for code, name := range legacyPackCodes {
		m[code] = Unit{Code: code, Name: name, Dimension: Package}
	}
	return m
}()

// LookupUnit returns the unit for code, exactly as written (codes are
// case-sensitive; see ReadUnit for what suppliers and members write): any
// code of the UN/ECE Rec 20 list (Revision 11e) and the legacy pack codes
// BX, PK and CT.
// Errors: ErrUnknownUnit (field "unit") for a missing code or one that is
// not a unit code, with the nearest codes and words as suggestions.
func LookupUnit(code string) (Unit, error) {
	if u, ok := units[code]; ok {
		return u, nil
	}
	if code == "" {
		return Unit{}, newErr(ErrUnknownUnit, "unit", "unit code is missing")
	}
	return Unit{}, newErr(ErrUnknownUnit, "unit", fmt.Sprintf("%q is not a UN/ECE Recommendation 20 unit code", code)+suggest(code))
}

// IsPackage reports whether u is a pack-like unit.
func (u Unit) IsPackage() bool { return u.Dimension == Package }

// String returns the code.
func (u Unit) String() string { return u.Code }

// kind describes the unit's dimension for messages: "volume", or for a
// Measure its base ("measure in m3/s").
func (u Unit) kind() string {
	if u.Dimension == Measure {
		return "measure in " + u.Base
	}
	return u.Dimension.String()
}

// Describe returns "H87, piece" for u, and with the text a supplier wrote
// when it was not the code itself: "stk (H87, piece)".
func (u Unit) Describe(written string) string {
	s := u.Code + ", " + u.Name
	if written == "" || written == u.Code {
		return s
	}
	return written + " (" + s + ")"
}

// convertible reports whether quantities of f convert to t.
func convertible(f, t Unit) bool {
	if f.Code == t.Code {
		return true
	}
	return f.Dimension == t.Dimension && f.Base == t.Base && f.Base != ""
}

// Quantity is an amount of a unit, e.g. {Value: 2.5, Unit: "KGM"}.
type Quantity struct {
	Value decimal.Decimal `json:"value"`
	Unit  string          `json:"unit"`
}

// Qty builds a Quantity from a decimal string; it panics on a malformed
// value and is meant for constants and tests.
func Qty(value, unit string) Quantity {
	return Quantity{Value: decimal.RequireFromString(value), Unit: unit}
}

// String returns "2.5 KGM".
func (q Quantity) String() string { return q.Value.String() + " " + q.Unit }

// ConversionDecimals is the precision of the one rounding unit conversion
// may do. Every factor is an exact decimal, so value x factor(from) is
// exact; dividing by factor(to) is exact when the quotient is a finite
// decimal, which it always is between metric units (powers of ten) and
// from imperial or US units into metric ones (1 LBR = 0.45359237 KGM). Only
// the way back (1 KGM in LBR = 2.2046226218...) has no finite decimal: then,
// and only then, the result is rounded half away from zero to
// ConversionDecimals places, and ConvertUnitExact reports it. Prices never
// use a rounded quantity: PerUnit and ComparePerUnit compute with the
// factors themselves.
const ConversionDecimals = 20

// ConvertUnit converts value from one unit to another of the same
// dimension (see ConversionDecimals for exactness): counts are all "one"
// times their factor, measures convert through their factors to the SI
// base unit.
// Errors: ErrUnknownUnit (field "unit"); ErrIncompatibleUnits (field
// "unit") for different dimensions, or for a package or own unit to
// anything but itself (use Pack.BaseQuantity for that).
func ConvertUnit(value decimal.Decimal, from, to string) (decimal.Decimal, error) {
	v, _, err := ConvertUnitExact(value, from, to)
	return v, err
}

// ConvertUnitExact is ConvertUnit that also reports whether the result is
// exact (false when it was rounded to ConversionDecimals places).
func ConvertUnitExact(value decimal.Decimal, from, to string) (decimal.Decimal, bool, error) {
	f, err := LookupUnit(from)
	if err != nil {
		return decimal.Decimal{}, false, err
	}
	t, err := LookupUnit(to)
	if err != nil {
		return decimal.Decimal{}, false, err
	}
	return convert(value, f, t)
}

// incompatible is the error for converting f to t.
func incompatible(f, t Unit) *Error {
	msg := fmt.Sprintf("cannot convert %s (%s) to %s (%s)", f.Code, f.kind(), t.Code, t.kind())
	switch {
	case f.Dimension == Package || t.Dimension == Package:
		msg += "; a pack converts only through its declared content"
	case f.Dimension == Own || t.Dimension == Own:
		msg += "; a unit without a conversion factor compares only with itself"
	}
	return newErr(ErrIncompatibleUnits, "unit", msg)
}

func convert(value decimal.Decimal, f, t Unit) (decimal.Decimal, bool, error) {
	if f.Code == t.Code {
		return value, true, nil
	}
	if !convertible(f, t) {
		return decimal.Decimal{}, false, incompatible(f, t)
	}
	v, exact := divide(value.Mul(f.Factor), t.Factor)
	return v, exact, nil
}

// divide returns num / den (den > 0) exactly when the quotient is a finite
// decimal, else rounded to ConversionDecimals places (exact false).
func divide(num, den decimal.Decimal) (decimal.Decimal, bool) {
	if den.Equal(one) {
		return num, true
	}
	if c := den.Coefficient(); c.IsInt64() && isPow10(c.Int64()) {
		return num.Shift(-den.Exponent() - int32(len(c.String())-1)), true
	}
	// A finite quotient has at most this many decimals: num's, den's, and
	// one per factor 2 or 5 of den's coefficient (bounded by its digits x 4).
	prec := int32(ConversionDecimals)
	if p := -num.Exponent() + int32(den.NumDigits()*4+1) + max(0, den.Exponent()); p > prec {
		prec = p
	}
	if q, r := num.QuoRem(den, prec); r.IsZero() {
		return q, true
	}
	return num.DivRound(den, ConversionDecimals), false
}

func isPow10(v int64) bool {
	for v > 1 && v%10 == 0 {
		v /= 10
	}
	return v == 1
}

// Convert returns q in unit to (see ConvertUnit).
func (q Quantity) Convert(to string) (Quantity, error) {
	v, err := ConvertUnit(q.Value, q.Unit, to)
	if err != nil {
		return Quantity{}, err
	}
	return Quantity{Value: v, Unit: to}, nil
}

// SameDimension reports whether quantities in units a and b can be
// converted into each other (both known, same dimension and base, and for
// package and own units the same code).
func SameDimension(a, b string) bool {
	ua, err := LookupUnit(a)
	if err != nil {
		return false
	}
	ub, err := LookupUnit(b)
	if err != nil {
		return false
	}
	return convertible(ua, ub)
}

// CompareQuantities compares a and b exactly (-1, 0, +1), through the
// factors of their units: 1 LBR is less than 0.5 KGM.
// Errors: those of LookupUnit; ErrIncompatibleUnits.
func CompareQuantities(a, b Quantity) (int, error) {
	ua, err := LookupUnit(a.Unit)
	if err != nil {
		return 0, prefixField("a", err)
	}
	ub, err := LookupUnit(b.Unit)
	if err != nil {
		return 0, prefixField("b", err)
	}
	if ua.Code == ub.Code {
		return a.Value.Cmp(b.Value), nil
	}
	if !convertible(ua, ub) {
		return 0, incompatible(ua, ub)
	}
	return a.Value.Mul(ua.Factor).Cmp(b.Value.Mul(ub.Factor)), nil
}

// trimUnit is what ReadUnit looks up: the text without surrounding space
// and a trailing full stop ("stk." is "stk").
func trimUnit(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 {
		s = strings.TrimSuffix(s, ".")
	}
	return s
}
