// Package domain owns Andel's entities, their invariants and state machines,
// and the services (use cases) that change them inside PostgreSQL transactions.
// It holds nothing that talks HTTP, spools files or generates data: those
// are adapters around it (api and api/sessionstore, suppliers, jobs,
// internal/pgload, internal/demo). Where a use case needs one, domain
// defines the small interface and the caller passes the adapter in:
// Deliverer (an order message to its supplier; suppliers.Webhook) and
// OfferLoader (a price list's lines into offer_rows in bulk;
// internal/pgload). Of our packages domain imports only pricing, and a test
// (internal/arch) keeps it so.
//
// Use cases reach the database one way: GORM, on the service's *gorm.DB or
// the *gorm.DB of the transaction they run in (builder calls, or Raw and
// Exec with ? placeholders for SQL the builder cannot say). One way means
// one transaction type to pass around, one audit writer (recordAudit, in
// the caller's transaction) and one translation of driver errors. The
// driver's own API (pgx) is needed only for COPY, which GORM cannot do; it
// lives in internal/pgload, which runs in the transaction LoadPriceList
// opened, on the connection it hands over, so the load's status changes
// and audit events are still written here, through GORM.
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
