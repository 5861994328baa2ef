// Package pricing is Andel's pure decimal pricing engine: the one place where
// the cooperative's money is counted, converted, compared, rounded and split.
//
// It owns
//
//   - Money (an exact amount at its currency's minor unit) and Price (the
//     price of one unit, up to 6 decimals), their parsing, formatting and JSON;
//   - the rounding policy (see below);
//   - VAT (Danish 25% by default, a rate per line allowed);
//   - units of measure (UN/ECE Recommendation 20 codes with their factors,
//     rec20.go), the one table of Danish unit words (unitwords.go), pack
//     contents and exact conversion between units of one dimension;
//   - exchange rates into the cooperative's currency;
//   - quantity tiers (price ladders);
//   - offer comparison per base unit and tender scoring with an explanation
//     table;
//   - savings against a baseline price;
//   - allocation of an amount over weights (surplus refunds) by the
//     largest-remainder method.
//
// The package imports nothing of Andel's, touches no database or network and
// has no binary floating point anywhere: all arithmetic is on
// github.com/shopspring/decimal and math/big. Other packages (catalogue,
// tenders, orders, surplus) call it rather than compute prices themselves.
//
// # Rounding policy
//
// Rounding and division of money happen in this package only (domain,
// suppliers and api call it), in these places:
//
//   - A Price keeps at most 6 decimals (MaxPriceDecimals). A price computed by
//     division (per-unit price of a pack, median of two prices, currency
//     conversion of a price) is rounded to 6 decimals half away from zero.
//   - A baseline (RateTable.MedianListBaseline, the one rule of contract
//     awards and off-contract orders) is computed exactly from its inputs
//     (each offer's pack price per base unit, the conversion through the
//     exchange rates, the mean of the two middle prices) and rounded once
//     to 6 decimals at the end, never per input. That rounded price is the
//     baseline that is stored; a line total against it is its exact
//     product with the quantity, rounded once to the minor unit
//     (LineSaving), so a stored line reproduces its totals. (Rounding each
//     offer's unit price first, then the median, put a 171.00-per-300 line
//     of 15,000 units at a baseline of 8,750.01 instead of 8,750.00.)
//   - A Money amount is always held at its currency's minor unit (2 decimals,
//     øre, for DKK/EUR/SEK/NOK; ISO 4217 otherwise). A line total
//     (price x quantity) is computed exactly and rounded once, half away from
//     zero (RoundMoney); totals are sums of rounded lines and need no further
//     rounding.
//   - Scores in tender evaluation keep 6 decimals (ScoreDecimals).
//   - Allocation never rounds: it distributes whole minor units so the parts
//     sum exactly to the whole.
//
// shopspring's Decimal.Div is never called: it silently rounds to 16 places.
// Every division is a DivRound or QuoRem whose precision is documented where
// it happens, or a power-of-ten Shift, which is exact.
//
// # Errors
//
// Every error returned is an *Error (or an Errors list of them) carrying a
// Kind (one of the Err* sentinels, for errors.Is), a Field naming the input
// at fault (for example "tiers[2].min_quantity") and a human Message, so
// callers can map them to RFC 9457 field errors without parsing text.
package pricing
