// Package api owns Andel's HTTP surface: the JSON API under /api/v1 (Echo),
// its OpenAPI document, authentication (session cookies for people, bearer
// keys for suppliers), CSRF protection, problem+json errors, metrics and
// health checks.
//
// Request and response bodies are types of this package, converted to and
// from domain values by named functions; a domain or GORM type is never
// bound from or written to the wire. Handlers call domain services with the
// caller's Actor in the request context; the services decide what the
// caller may see and do.
package api
