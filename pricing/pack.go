package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Pack is one orderable unit and what it contains: a box (BX) of 100 EA, a
// carton (XCT) of 12 LTR, a bottle sold as a piece (H87) of 1000 MLT, a
// case (XCS) of 10 packs (XPK) of 100 C62, or a loose base unit (EA
// containing 1 EA).
type Pack struct {
	// Unit is the orderable unit's code: a package unit (BX, PK, CT, PR,
	// SET, X...), a piece (H87, EA, C62), or, for goods sold loose, a
	// measure unit (KGM, LTR, HUR).
	Unit string `json:"unit"`
	// Content is what one pack holds. Positive. In any unit:
	//   - for a package unit, any count or measure (100 C62, 12 LTR), or
	//     another package when Inner says what that one holds (10 XPK),
	//     or 1 of itself when the content is not known (1 XBX: compares
	//     only with boxes);
	//   - for a piece, one of a count (1 EA) or any measure (1000 MLT: a
	//     bottle compares per millilitre);
	//   - for a measure, exactly one of itself in a unit of its dimension
	//     (1 KGM, 1000 GRM) or a count (a pound of 10 pieces);
	//   - for a unit without a conversion factor (STK), 1 of itself.
	Content Quantity `json:"content"`
	// Inner is what one unit of Content holds when Content is in a package
	// unit (Inner.Unit = Content.Unit): a case of 10 XPK with Inner
	// {XPK, 100 C62} holds 1000 C62. Nil otherwise. Inner may nest.
	Inner *Pack `json:"inner,omitempty"`
}

// one is 1; never modified.
var one = decimal.NewFromInt(1)

// LoosePack returns the pack of one loose base unit ("EA" holding 1 EA).
func LoosePack(unit string) Pack {
	return Pack{Unit: unit, Content: Quantity{Value: decimal.NewFromInt(1), Unit: unit}}
}

// Validate checks the pack.
// Errors (fields "unit", "content.unit", "content.value", "inner..."):
// ErrUnknownUnit; ErrInvalidQuantity for a content that is not positive,
// in a package unit without Inner (a case of 10 XPK must say what one XPK
// holds), or not one unit of a loose pack; ErrIncompatibleUnits for a
// content a unit cannot hold (a KGM of 1 LTR; a STK of 10 EA).
func (p Pack) Validate() error {
	_, _, _, err := p.units()
	return err
}

// Resolve returns the pack with nested content multiplied out: a case of
// 10 XPK of 100 C62 is a case of 1000 C62 (Inner nil). The result is
// exact.
// Errors: those of Validate.
func (p Pack) Resolve() (Pack, error) {
	u, cu, v, err := p.units()
	if err != nil {
		return Pack{}, err
	}
	return Pack{Unit: u.Code, Content: Quantity{Value: v, Unit: cu.Code}}, nil
}

// units validates p and returns its unit, its content's unit and value,
// with nested packs multiplied out.
func (p Pack) units() (Unit, Unit, decimal.Decimal, error) {
	u, err := LookupUnit(p.Unit)
	if err != nil {
		return Unit{}, Unit{}, decimal.Decimal{}, err
	}
	cu, err := LookupUnit(p.Content.Unit)
	if err != nil {
		return Unit{}, Unit{}, decimal.Decimal{}, prefixField("content", err)
	}
	fail := func(kind error, field, format string, args ...any) (Unit, Unit, decimal.Decimal, error) {
		return Unit{}, Unit{}, decimal.Decimal{}, newErr(kind, field, fmt.Sprintf(format, args...))
	}
	v := p.Content.Value
	if !v.IsPositive() {
		return fail(ErrInvalidQuantity, "content.value", "a pack's content must be positive (got %s)", v.String())
	}
	if tooLarge(v, maxQuantity) {
		return fail(ErrInvalidQuantity, "content.value", "a pack's content of %s is too large: at most 12 digits before the point", v.String())
	}
	if cu.IsPackage() {
		switch {
		case p.Inner != nil:
			if p.Inner.Unit != cu.Code {
				return fail(ErrInvalidQuantity, "inner.unit", "the inner pack must be what one %s of the content is, not %q", cu.Code, p.Inner.Unit)
			}
			_, icu, iv, err := p.Inner.units()
			if err != nil {
				return Unit{}, Unit{}, decimal.Decimal{}, prefixField("inner", err)
			}
			if icu.IsPackage() {
				return fail(ErrInvalidQuantity, "inner.content.unit", "the inner pack %s must say what it holds in a count or measure unit, not %s", cu.Code, icu.Code)
			}
			v, cu = v.Mul(iv), icu
		case cu.Code == u.Code && v.Equal(one):
			// One of itself: the content is not known; such packs compare
			// only with the same package unit.
			return u, cu, v, nil
		default:
			return fail(ErrInvalidQuantity, "content.unit",
				"a pack's content is given in the package unit %s; say what one %s holds (its inner content, e.g. 100 C62) so that the pack resolves to a count or measure, or give the content directly (a carton of 10 boxes of 100 as 1000 EA)", cu.Code, cu.Code)
		}
	}
	switch {
	case u.IsPackage():
	case convertible(cu, u):
		c, exact, _ := convert(v, cu, u)
		if !exact || !c.Equal(one) {
			return fail(ErrInvalidQuantity, "content.value",
				"%s is not a package unit, so one %s contains exactly 1 %s (got %s); use a package unit such as BX or XPK for a pack", u.Code, u.Code, u.Code, Quantity{v, cu.Code})
		}
	case u.Dimension == Own:
		return fail(ErrIncompatibleUnits, "unit",
			"%s (%s) has no conversion factor, so one %s cannot hold %s: sell it per %s (content 1 %s) or use a package unit such as XPK", u.Code, u.Name, u.Code, Quantity{v, cu.Code}, u.Code, u.Code)
	case u.Dimension == Count, cu.Dimension == Count:
		// A piece holding a measure (a bottle of 1000 MLT), or a measure
		// holding pieces (a pound of 10 C62).
	default:
		err := incompatible(cu, u)
		err.Message += fmt.Sprintf("; %s is a measure, so it cannot hold %s: use a package unit (XBO, XCN...) or a piece (H87) for the orderable unit", u.Code, cu.Code)
		return Unit{}, Unit{}, decimal.Decimal{}, prefixField("content", err)
	}
	return u, cu, v, nil
}

// ContentIn returns the content of one pack in unit, exactly when it is a
// finite decimal (100 GRM per pack is 0.1 KGM; see ConversionDecimals):
// unit may be of the content's dimension, or, for a pack that is a piece
// or a measure, of the pack unit's own (a bottle H87 of 1000 MLT is 1 EA).
// Errors: those of Validate; ErrUnknownUnit, ErrIncompatibleUnits (field
// "content.unit") when unit is neither.
func (p Pack) ContentIn(unit string) (decimal.Decimal, error) {
	if err := p.Validate(); err != nil {
		return decimal.Decimal{}, err
	}
	t, err := LookupUnit(unit)
	if err != nil {
		return decimal.Decimal{}, err
	}
	return p.contentIn(t)
}

// contentIn is ContentIn for a unit already looked up.
func (p Pack) contentIn(t Unit) (decimal.Decimal, error) {
	num, den, err := p.contentRatio(t)
	if err != nil {
		return decimal.Decimal{}, err
	}
	v, _ := divide(num, den)
	return v, nil
}

// contentRatio returns one pack's content in t as the exact ratio num /
// den (den positive), so that prices and comparisons divide once.
func (p Pack) contentRatio(t Unit) (num, den decimal.Decimal, err error) {
	u, cu, v, err := p.units()
	if err != nil {
		return decimal.Decimal{}, decimal.Decimal{}, err
	}
	switch {
	case cu.Code == t.Code:
		return v, one, nil
	case convertible(cu, t):
		return v.Mul(cu.Factor), t.Factor, nil
	case u.Code == t.Code && !u.IsPackage():
		return one, one, nil
	case convertible(u, t) && !u.IsPackage():
		return u.Factor, t.Factor, nil
	}
	return decimal.Decimal{}, decimal.Decimal{}, prefixField("content", incompatible(cu, t))
}

// BaseQuantity returns the quantity in unit that packs packs hold,
// exactly (3 BX of 100 EA is 300 EA; 2 LBR packs in KGM is 0.90718474),
// or rounded to ConversionDecimals when not a finite decimal.
// Errors: as ContentIn; ErrInvalidQuantity (field "packs") when packs is
// negative.
func (p Pack) BaseQuantity(packs decimal.Decimal, unit string) (Quantity, error) {
	if packs.IsNegative() {
		return Quantity{}, newErr(ErrInvalidQuantity, "packs", fmt.Sprintf("cannot be negative (got %s)", packs.String()))
	}
	t, err := LookupUnit(unit)
	if err != nil {
		return Quantity{}, err
	}
	num, den, err := p.contentRatio(t)
	if err != nil {
		return Quantity{}, err
	}
	v, _ := divide(packs.Mul(num), den)
	return Quantity{Value: v, Unit: unit}, nil
}

// PackCount is how many whole packs cover a quantity of base units.
type PackCount struct {
	// Content is one pack's content in the quantity's unit.
	Content decimal.Decimal `json:"content"`
	// Full is the number of completely filled packs (the integer quotient).
	Full decimal.Decimal `json:"full"`
	// Remainder is what is left over after Full packs, 0 <= Remainder <
	// Content, in the quantity's unit.
	Remainder decimal.Decimal `json:"remainder"`
	// Packs is the whole number of packs needed: Full, plus one when
	// Remainder is not zero.
	Packs decimal.Decimal `json:"packs"`
	// RoundedUp reports whether the quantity was not a whole number of
	// packs, so Packs holds more than was asked for.
	RoundedUp bool `json:"rounded_up"`
}

// PacksFor returns the whole packs that cover quantity base units of unit,
// rounding a partial pack UP: 250 EA in boxes of 100 EA is 2 full boxes and
// 50 EA left, so 3 boxes. The division is exact (an integer quotient and
// remainder); nothing is rounded but the final step up.
// Errors: as ContentIn; ErrInvalidQuantity (field "quantity") when quantity
// is negative.
func (p Pack) PacksFor(quantity decimal.Decimal, unit string) (PackCount, error) {
	if quantity.IsNegative() {
		return PackCount{}, newErr(ErrInvalidQuantity, "quantity", fmt.Sprintf("cannot be negative (got %s)", quantity.String()))
	}
	t, err := LookupUnit(unit)
	if err != nil {
		return PackCount{}, err
	}
	num, den, err := p.contentRatio(t)
	if err != nil {
		return PackCount{}, err
	}
	if c, exact := divide(num, den); exact {
		return packsFor(quantity, c), nil
	}
	// The content has no finite decimal in unit (a 1 KGM pack counted in
	// LBR): count in den-scaled units, where it is num, then scale back.
	pc := packsFor(quantity.Mul(den), num)
	pc.Content, _ = divide(num, den)
	pc.Remainder, _ = divide(pc.Remainder, den)
	return pc, nil
}

// packsFor divides a non-negative quantity by a positive content with an
// integer quotient.
func packsFor(quantity, content decimal.Decimal) PackCount {
	if pc, ok := fastPacks(quantity, content); ok {
		return pc
	}
	return slowPacks(quantity, content)
}

// slowPacks is packsFor in general decimal arithmetic.
func slowPacks(quantity, content decimal.Decimal) PackCount {
	q, r := quantity.QuoRem(content, 0)
	pc := PackCount{Content: content, Full: q, Remainder: r, Packs: q}
	if !r.IsZero() {
		pc.Packs = q.Add(decimal.NewFromInt(1))
		pc.RoundedUp = true
	}
	return pc
}

// PackOffer is a price for one pack.
type PackOffer struct {
	Price Price `json:"price"`
	Pack  Pack  `json:"pack"`
}

// PerUnit returns the price of one unit of the pack's content expressed in
// unit: a box of 100 EA at 45.00 is 0.45 per EA; 500 MLT at 30.00 is 60.00
// per LTR. The division is DivRound to 6 decimals (MaxPriceDecimals), half
// away from zero; it is exact whenever the true value has at most 6
// decimals. Use ComparePerUnit, not rounded unit prices, to rank offers.
// Errors: as Pack.ContentIn; ErrInvalidCurrency.
func (o PackOffer) PerUnit(unit string) (Price, error) {
	e, err := o.exactPerUnit(unit)
	if err != nil {
		return Price{}, err
	}
	return e.price(), nil
}

// ComparePerUnit compares two offers by price per base unit exactly: -1
// when a is cheaper per unit, 0 when equal, +1 when a is dearer. Packs may
// differ in size and unit as long as their contents share a dimension (a
// 500 MLT bottle against a 1 LTR bottle). It cross-multiplies
// (price_a x content_b against price_b x content_a, both contents in a's
// content unit), so no division and no rounding is involved.
// Errors: ErrCurrencyMismatch (convert with a Rate first); the errors of
// Pack.Validate (fields "a.pack..." and "b.pack..."); ErrIncompatibleUnits
// when the contents are of different dimensions.
func ComparePerUnit(a, b PackOffer) (int, error) {
	if err := sameCurrency(a.Price.currency, b.Price.currency); err != nil {
		return 0, err
	}
	_, cu, ca, err := a.Pack.units()
	if err != nil {
		return 0, prefixField("a.pack", err)
	}
	if err := b.Pack.Validate(); err != nil {
		return 0, prefixField("b.pack", err)
	}
	nb, db, err := b.Pack.contentRatio(cu)
	if err != nil {
		return 0, prefixField("b.pack", err)
	}
	// price_a / ca against price_b / (nb/db): multiply out, no division.
	return a.Price.amount.Mul(nb).Cmp(b.Price.amount.Mul(ca).Mul(db)), nil
}

// PackPriceOf returns the price of one pack from an amount given for qty
// packs (a catalogue's price per base quantity, as UBL's PriceAmount per
// BaseQuantity): amount / qty with DivRound to 6 decimals, half away from
// zero, and whether that division was exact (an amount for one pack with
// more than 6 decimals, as 100.00 per KGM for a pack of 0.45359237 KGM
// can make, is rounded too).
// Errors: ErrInvalidQuantity (field "quantity") when qty is not positive.
func PackPriceOf(amount, qty decimal.Decimal) (decimal.Decimal, bool, error) {
	if !qty.IsPositive() {
		return decimal.Decimal{}, false, newErr(ErrInvalidQuantity, "quantity", fmt.Sprintf("must be positive (got %s)", qty.String()))
	}
	if qty.Equal(one) && -amount.Exponent() <= MaxPriceDecimals {
		return amount, true, nil
	}
	_, r := amount.QuoRem(qty, MaxPriceDecimals)
	return amount.DivRound(qty, MaxPriceDecimals), r.IsZero(), nil
}
