package pricing

import (
	"math/big"
	"sort"

	"github.com/shopspring/decimal"
)

// exact is a price per unit held exactly, as a fraction: the value of a
// division (a pack price per base unit, the mean of two prices, a
// conversion through exchange rates) before its one rounding to a Price.
// Baselines are ranked, averaged and converted as exact values and rounded
// once at the end (price); they never leave this package unrounded.
type exact struct {
	r        *big.Rat // never modified once built
	currency Currency
}

// exactOf returns p as an exact value (a Price is exact already).
func exactOf(p Price) exact {
	return exact{r: p.amount.Rat(), currency: p.currency}
}

// price returns e rounded once to 6 decimals, half away from zero.
func (e exact) price() Price {
	return Price{amount: ratRound(e.r, MaxPriceDecimals), currency: e.currency}
}

// ratRound rounds r to places decimals, half away from zero (DivRound of
// its numerator by its denominator).
func ratRound(r *big.Rat, places int32) decimal.Decimal {
	return decimal.NewFromBigInt(r.Num(), 0).DivRound(decimal.NewFromBigInt(r.Denom(), 0), places)
}

// exactPerUnit is PerUnit without its rounding: the pack price divided by
// the pack's content in unit, exactly (the content as its exact ratio
// num/den, so a pound's pack priced per kilogram is never rounded first).
func (o PackOffer) exactPerUnit(unit string) (exact, error) {
	if err := o.Price.currency.Validate(); err != nil {
		return exact{}, prefixField("price", err)
	}
	if err := o.Pack.Validate(); err != nil {
		return exact{}, prefixField("pack", err)
	}
	t, err := LookupUnit(unit)
	if err != nil {
		return exact{}, prefixField("pack", err)
	}
	num, den, err := o.Pack.contentRatio(t)
	if err != nil {
		return exact{}, prefixField("pack", err)
	}
	r := new(big.Rat).Mul(o.Price.amount.Rat(), den.Rat())
	return exact{r: r.Quo(r, num.Rat()), currency: o.Price.currency}, nil
}

// convertExact converts e into currency to through the table, exactly:
// e x the rate of its currency / the rate of to, not rounded.
func (t RateTable) convertExact(e exact, to Currency) (exact, error) {
	if e.currency == to {
		return e, nil
	}
	f, err := t.factor(e.currency, to)
	if err != nil {
		return exact{}, err
	}
	return exact{r: new(big.Rat).Mul(e.r, f), currency: to}, nil
}

// factor is the exact multiplier from currency c into currency to: the
// rate of c into the table's currency over the rate of to.
func (t RateTable) factor(c, to Currency) (*big.Rat, error) {
	if c == to {
		return big.NewRat(1, 1), nil
	}
	rc, err := t.Lookup(c)
	if err != nil {
		return nil, err
	}
	if err := rc.Validate(); err != nil {
		return nil, err
	}
	rt, err := t.Lookup(to)
	if err != nil {
		return nil, err
	}
	if err := rt.Validate(); err != nil {
		return nil, err
	}
	return new(big.Rat).Quo(rc.Rate.Rat(), rt.Rate.Rat()), nil
}

// median returns the median of values (sorted in place): the middle one,
// or for an even count the exact mean of the two middle ones. values is
// not empty.
func median(values []*big.Rat) *big.Rat {
	sort.SliceStable(values, func(i, j int) bool { return values[i].Cmp(values[j]) < 0 })
	n := len(values)
	if n%2 == 1 {
		return values[n/2]
	}
	m := new(big.Rat).Add(values[n/2-1], values[n/2])
	return m.Quo(m, big.NewRat(2, 1))
}

// BaselineOffer is one candidate of a median baseline: a supplier's valid
// non-contract offer of the product, at its lowest tier (the pack price
// that applies from its minimum quantity).
type BaselineOffer struct {
	SupplierID int64
	OfferID    int64
	Offer      PackOffer
}

// BaselineInput records what one candidate offer contributed to a median
// baseline. Every candidate is recorded, used or not.
type BaselineInput struct {
	SupplierID int64 `json:"supplier_id"`
	OfferID    int64 `json:"offer_id"`
	Offer      PackOffer
	// UnitPrice is the offer's price per base unit in its own currency,
	// rounded to 6 decimals for the record (the median uses the exact
	// value); empty when the offer could not be measured.
	UnitPrice Price `json:"unit_price"`
	// Rate is the rate of the offer's currency into the table's currency,
	// when it is neither the baseline's nor the table's own (the
	// baseline's rate is MedianBaseline.ToRate).
	Rate *ExchangeRate `json:"rate,omitempty"`
	// Price is the per-base-unit price in the baseline's currency, rounded
	// to 6 decimals for the record.
	Price Price `json:"price"`
	// Used says that this is its supplier's lowest offer: one of the
	// prices the median is taken over.
	Used bool `json:"used"`
	// Skipped says why the offer could not be compared (no exchange rate,
	// a unit that does not measure the product).
	Skipped string `json:"skipped,omitempty"`
}

// MedianBaseline is a median baseline with every input that fixed it.
type MedianBaseline struct {
	// Baseline holds the method, the baseline price per base unit rounded
	// once to 6 decimals, and the number of suppliers the median was
	// taken over.
	Baseline
	// To is the baseline's currency, and ToRate its rate into the table's
	// currency when it is not the table's own.
	To     Currency
	ToRate *ExchangeRate
	// Offers records every candidate in the order given.
	Offers []BaselineInput
}

// MedianListBaseline fixes a median-list-price baseline per base unit in
// currency to, the one rule for contract awards and off-contract orders:
// per supplier, ONE price, the lowest per-base-unit price among its
// candidate offers (offers are compared exactly, never at rounded prices);
// the baseline is the median of those prices over suppliers (for an even
// count the mean of the two middle ones), converted exactly across
// currencies through the table (price x rate of its currency / rate of
// to), and rounded once to 6 decimals, half away from zero
// (MedianBaseline.Baseline.Price). That rounded price is the baseline:
// it is stored, and line totals are computed from it exactly and rounded
// once at the money (LineSaving), so a stored line explains its totals.
//
// Offers that cannot be compared (no rate for their currency, a unit that
// does not measure unit) are recorded as skipped and left out. ok is false
// when no offer is left (no baseline).
// Errors: ErrInvalidCurrency for to; those of Lookup for to when an offer
// in another currency is to be converted into it.
func (t RateTable) MedianListBaseline(offers []BaselineOffer, unit string, to Currency) (MedianBaseline, bool, error) {
	if err := to.Validate(); err != nil {
		return MedianBaseline{}, false, prefixField("to", err)
	}
	mb := MedianBaseline{To: to, Offers: make([]BaselineInput, len(offers))}
	if to != t.to {
		if r, err := t.Lookup(to); err == nil {
			mb.ToRate = &r
		}
	}
	lowest := map[int64]int{} // supplier -> index of its lowest offer
	values := make([]*big.Rat, len(offers))
	var suppliers []int64
	for i, o := range offers {
		in := BaselineInput{SupplierID: o.SupplierID, OfferID: o.OfferID, Offer: o.Offer}
		v, err := t.baselineValue(o, unit, to, &in)
		if err != nil {
			in.Skipped = err.Error()
			mb.Offers[i] = in
			continue
		}
		values[i] = v
		mb.Offers[i] = in
		j, seen := lowest[o.SupplierID]
		switch {
		case !seen:
			suppliers = append(suppliers, o.SupplierID)
			lowest[o.SupplierID] = i
		case v.Cmp(values[j]) < 0:
			lowest[o.SupplierID] = i
		}
	}
	if len(suppliers) == 0 {
		return mb, false, nil
	}
	used := make([]*big.Rat, 0, len(suppliers))
	for _, s := range suppliers {
		i := lowest[s]
		mb.Offers[i].Used = true
		used = append(used, values[i])
	}
	m := exact{r: median(used), currency: to}
	mb.Baseline = Baseline{Method: BaselineMedianListPrice, Price: m.price(), Inputs: len(used)}
	return mb, true, nil
}

// baselineValue is o's exact price per unit in currency to, recording its
// unit price and rate in in.
func (t RateTable) baselineValue(o BaselineOffer, unit string, to Currency, in *BaselineInput) (*big.Rat, error) {
	e, err := o.Offer.exactPerUnit(unit)
	if err != nil {
		return nil, err
	}
	in.UnitPrice = e.price()
	if e.currency != to {
		r, err := t.Lookup(e.currency)
		if err != nil {
			return nil, err
		}
		if e.currency != t.to {
			in.Rate = &r
		}
	}
	c, err := t.convertExact(e, to)
	if err != nil {
		return nil, err
	}
	in.Price = c.price()
	return c.r, nil
}
