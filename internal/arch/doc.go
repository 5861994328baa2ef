// Package arch holds no code, only a test that keeps Andel's imports
// pointing one way: cmd -> api, jobs -> app -> suppliers -> domain -> pricing,
// with the adapters (api/sessionstore, internal/pgload, internal/demo)
// importing domain and never the other way, and domain free of HTTP, file
// spooling and drivers' own APIs. It fails the build of the tests, not of
// the program, when a change breaks that.
package arch
