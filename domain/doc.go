// Package domain owns Andel's entities, their invariants and state machines,
// and the services (use cases) that change them inside PostgreSQL transactions.
//
// Every service method takes the caller's Actor from the context and scopes
// its queries to the caller's tenant through one mechanism (see tenancy.go),
// so a member or supplier can never read another tenant's rows: such a read
// answers ENOTFOUND exactly as for a row that does not exist.
//
// Errors carry a code (EINVALID, ENOTFOUND, ECONFLICT, ...) that the HTTP
// layer maps to a status once; field problems travel as a list so that a
// client sees every problem with its input at once.
//
// Money is stored as decimal.Decimal and computed by package pricing:
// domain never rounds or divides money by itself (percentages are
// pricing.Percent, per-unit prices perBaseUnit, baselines
// pricing.RateTable.MedianListBaseline; reading the rollups' hundredths
// back as currency units is an exact power-of-ten shift). Each pricing rule
// domain applies to its rows has one place: prices.go (per-base-unit price,
// tier ladders, the valid-on-day scope, a baseline's candidates),
// order_price.go (an order line, loaded then priced with no database) and
// amounts.go (a row's amounts as pricing.Price and pricing.Money).
package domain
