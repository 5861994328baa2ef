package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Pack is one orderable unit and what it contains: a box (BX) of 100 EA, a
// carton (XCT) of 12 LTR, or a loose base unit (EA containing 1 EA).
type Pack struct {
	// Unit is the orderable unit's code: a package unit (BX, PK, CT, PR,
	// X...) or, for goods sold loose, a count or measure unit.
	Unit string `json:"unit"`
	// Content is what one pack holds, in a count or measure unit (never
	// another pack: give a carton of 10 boxes of 100 as 1000 EA). Positive.
	// For a loose unit it must equal one of that unit.
	Content Quantity `json:"content"`
}

// one is 1; never modified.
var one = decimal.NewFromInt(1)

// LoosePack returns the pack of one loose base unit ("EA" holding 1 EA).
func LoosePack(unit string) Pack {
	return Pack{Unit: unit, Content: Quantity{Value: decimal.NewFromInt(1), Unit: unit}}
}

// Validate checks the pack.
// Errors (fields "unit", "content.unit", "content.value"): ErrUnknownUnit;
// ErrInvalidQuantity for a content that is not positive, in a package
// unit, or not one unit of a loose pack; ErrIncompatibleUnits for a loose
// pack whose content is of another dimension.
func (p Pack) Validate() error {
	_, _, err := p.units()
	return err
}

// units validates p and returns its unit and its content's unit.
func (p Pack) units() (Unit, Unit, error) {
	u, err := LookupUnit(p.Unit)
	if err != nil {
		return Unit{}, Unit{}, err
	}
	cu, err := LookupUnit(p.Content.Unit)
	if err != nil {
		return Unit{}, Unit{}, prefixField("content", err)
	}
	if cu.IsPackage() {
		return Unit{}, Unit{}, newErr(ErrInvalidQuantity, "content.unit", fmt.Sprintf(
			"a pack's content must be in a count or measure unit, not in the package unit %s (give a carton of 10 boxes of 100 as 1000 EA)", cu.Code))
	}
	if !p.Content.Value.IsPositive() {
		return Unit{}, Unit{}, newErr(ErrInvalidQuantity, "content.value", fmt.Sprintf("a pack's content must be positive (got %s)", p.Content.Value.String()))
	}
	if !u.IsPackage() {
		v, err := convert(p.Content.Value, cu, u)
		if err != nil {
			return Unit{}, Unit{}, prefixField("content", err)
		}
		if !v.Equal(one) {
			return Unit{}, Unit{}, newErr(ErrInvalidQuantity, "content.value", fmt.Sprintf(
				"%s is not a package unit, so one %s contains exactly 1 %s (got %s); use a package unit such as BX or XPK for a pack", u.Code, u.Code, u.Code, p.Content))
		}
	}
	return u, cu, nil
}

// ContentIn returns the content of one pack in unit, exactly (100 GRM per
// pack is 0.1 KGM).
// Errors: those of Validate; ErrUnknownUnit, ErrIncompatibleUnits (field
// "content.unit") when unit is not of the content's dimension.
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
	_, cu, err := p.units()
	if err != nil {
		return decimal.Decimal{}, err
	}
	v, err := convert(p.Content.Value, cu, t)
	if err != nil {
		return decimal.Decimal{}, prefixField("content", err)
	}
	return v, nil
}

// BaseQuantity returns the quantity in unit that packs packs hold,
// exactly (3 BX of 100 EA is 300 EA).
// Errors: as ContentIn; ErrInvalidQuantity (field "packs") when packs is
// negative.
func (p Pack) BaseQuantity(packs decimal.Decimal, unit string) (Quantity, error) {
	if packs.IsNegative() {
		return Quantity{}, newErr(ErrInvalidQuantity, "packs", fmt.Sprintf("cannot be negative (got %s)", packs.String()))
	}
	c, err := p.ContentIn(unit)
	if err != nil {
		return Quantity{}, err
	}
	return Quantity{Value: packs.Mul(c), Unit: unit}, nil
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
	c, err := p.ContentIn(unit)
	if err != nil {
		return PackCount{}, err
	}
	return packsFor(quantity, c), nil
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
	if err := a.Pack.Validate(); err != nil {
		return 0, prefixField("a.pack", err)
	}
	ca := a.Pack.Content.Value
	cb, err := b.Pack.ContentIn(a.Pack.Content.Unit)
	if err != nil {
		return 0, prefixField("b.pack", err)
	}
	return a.Price.amount.Mul(cb).Cmp(b.Price.amount.Mul(ca)), nil
}

// PackPriceOf returns the price of one pack from an amount given for qty
// packs (a catalogue's price per base quantity, as UBL's PriceAmount per
// BaseQuantity): amount / qty with DivRound to 6 decimals, half away from
// zero, and whether that division was exact.
// Errors: ErrInvalidQuantity (field "quantity") when qty is not positive.
func PackPriceOf(amount, qty decimal.Decimal) (decimal.Decimal, bool, error) {
	if !qty.IsPositive() {
		return decimal.Decimal{}, false, newErr(ErrInvalidQuantity, "quantity", fmt.Sprintf("must be positive (got %s)", qty.String()))
	}
	if qty.Equal(one) {
		return amount, true, nil
	}
	_, r := amount.QuoRem(qty, MaxPriceDecimals)
	return amount.DivRound(qty, MaxPriceDecimals), r.IsZero(), nil
}
