// Package api owns Andel's HTTP surface: the JSON API under /api/v1 (Echo),
// its OpenAPI document, authentication (session cookies for people, kept in
// PostgreSQL by api/sessionstore; bearer keys for suppliers), CSRF
// protection, problem+json errors, metrics and health checks, and the
// documents published over it (the OCDS release of a tender,
// tenders_ocds.go, from domain's TenderRecord).
//
// Request and response bodies are types of this package, converted to and
// from domain values by named functions; a domain or GORM type is never
// bound from or written to the wire. Handlers call domain services with the
// caller's Actor in the request context; the services decide what the
// caller may see and do.
package api
