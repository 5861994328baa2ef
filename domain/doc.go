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
// Money is decimal.Decimal computed by package pricing; domain never rounds
// or divides money by itself.
package domain
