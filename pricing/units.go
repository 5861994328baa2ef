package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Dimension is what a unit measures. Quantities convert only within one
// dimension.
type Dimension int

const (
	// Count: pieces (EA, C62, H87), all the same "one".
	Count Dimension = iota + 1
	// Mass: MGM, GRM, KGM.
	Mass
	// Volume: MLT, CLT, DLT, LTR.
	Volume
	// Length: MMT, CMT, DMT, MTR.
	Length
	// Package: a pack-like unit (BX, PK, CT, PR, and every Recommendation 21
	// package code such as XBX or XCT) that counts packs whose content is
	// declared per offer (see Pack). A package quantity converts to other
	// units only through its declared content.
	Package
)

// String returns "count", "mass", "volume", "length" or "package".
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
	// exp is the power of ten of the unit relative to the smallest unit of
	// its dimension (MGM, MLT, MMT): KGM is 10^6 MGM. Conversions are exact
	// shifts by exponent differences. Zero for Count and Package.
	exp int32
}

// measures are the convertible units: dimension and power of ten relative
// to the dimension's smallest unit.
var measures = map[string]Unit{
	"EA":  {Code: "EA", Dimension: Count},
	"C62": {Code: "C62", Dimension: Count},
	"H87": {Code: "H87", Dimension: Count},
	"MGM": {Code: "MGM", Dimension: Mass, exp: 0},
	"GRM": {Code: "GRM", Dimension: Mass, exp: 3},
	"KGM": {Code: "KGM", Dimension: Mass, exp: 6},
	"MLT": {Code: "MLT", Dimension: Volume, exp: 0},
	"CLT": {Code: "CLT", Dimension: Volume, exp: 1},
	"DLT": {Code: "DLT", Dimension: Volume, exp: 2},
	"LTR": {Code: "LTR", Dimension: Volume, exp: 3},
	"MMT": {Code: "MMT", Dimension: Length, exp: 0},
	"CMT": {Code: "CMT", Dimension: Length, exp: 1},
	"DMT": {Code: "DMT", Dimension: Length, exp: 2},
	"MTR": {Code: "MTR", Dimension: Length, exp: 3},
}

func init() {
	for code, u := range measures {
		u.Name, _ = Rec20Name(code)
		measures[code] = u
	}
}

// LookupUnit returns the unit for code: a count, mass, volume or length
// unit listed on Dimension, or a package unit (BX, PK, CT, PR and every
// Rec 21 code "X..").
// Errors: ErrUnknownUnit (field "unit"), saying whether code is not a unit
// code at all or a valid Rec 20 code that prices cannot be computed in
// (such as "DAY").
func LookupUnit(code string) (Unit, error) {
	if u, ok := measures[code]; ok {
		return u, nil
	}
	if name, ok := legacyPackCodes[code]; ok {
		return Unit{Code: code, Name: name, Dimension: Package}, nil
	}
	if e, ok := rec20Table[code]; ok && (e.rec21 || code == "PR") {
		return Unit{Code: code, Name: e.name, Dimension: Package}, nil
	}
	switch name, ok := Rec20Name(code); {
	case code == "":
		return Unit{}, newErr(ErrUnknownUnit, "unit", "unit code is missing")
	case ok:
		return Unit{}, newErr(ErrUnknownUnit, "unit", fmt.Sprintf(
			"%q (%s) is a UN/ECE Rec 20 code, but prices cannot be computed in it; use a count (EA, C62, H87), mass (MGM, GRM, KGM), volume (MLT, CLT, DLT, LTR), length (MMT, CMT, DMT, MTR) or pack unit (BX, PK, CT, PR, X...)", code, name))
	default:
		return Unit{}, newErr(ErrUnknownUnit, "unit", fmt.Sprintf("%q is not a UN/ECE Recommendation 20 unit code", code))
	}
}

// IsPackage reports whether u is a pack-like unit.
func (u Unit) IsPackage() bool { return u.Dimension == Package }

// String returns the code.
func (u Unit) String() string { return u.Code }

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

// ConvertUnit converts value from one unit to another of the same
// dimension. It is exact: count units are all "one", and every measure is a
// power of ten of its dimension's smallest unit, so the conversion is a
// decimal shift; converting back gives the same value.
// Errors: ErrUnknownUnit (field "unit"); ErrIncompatibleUnits (field
// "unit") for different dimensions, or for a package unit to anything but
// itself (use Pack.BaseQuantity for that).
func ConvertUnit(value decimal.Decimal, from, to string) (decimal.Decimal, error) {
	f, err := LookupUnit(from)
	if err != nil {
		return decimal.Decimal{}, err
	}
	t, err := LookupUnit(to)
	if err != nil {
		return decimal.Decimal{}, err
	}
	return convert(value, f, t)
}

func convert(value decimal.Decimal, f, t Unit) (decimal.Decimal, error) {
	if f.Code == t.Code {
		return value, nil
	}
	if f.Dimension != t.Dimension || f.Dimension == Package {
		msg := fmt.Sprintf("cannot convert %s (%s) to %s (%s)", f.Code, f.Dimension, t.Code, t.Dimension)
		if f.Dimension == Package || t.Dimension == Package {
			msg += "; a pack converts only through its declared content"
		}
		return decimal.Decimal{}, newErr(ErrIncompatibleUnits, "unit", msg)
	}
	if f.exp == t.exp {
		return value, nil
	}
	return value.Shift(f.exp - t.exp), nil
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
// converted into each other (both known, same dimension, and for package
// units the same code).
func SameDimension(a, b string) bool {
	ua, err := LookupUnit(a)
	if err != nil {
		return false
	}
	ub, err := LookupUnit(b)
	if err != nil {
		return false
	}
	_, err = convert(decimal.Zero, ua, ub)
	return err == nil
}
