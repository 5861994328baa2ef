// Package web owns Andel's server-rendered pages: the practice's shop (and,
// on this foundation, the supplier's portal and the board's pages), their
// templates, message catalogues, CSS and vendored htmx, all embedded in the
// binary with go:embed so that no request leaves the server's origin.
//
// Why a package beside api and not files in it: the pages are a second
// front over the same domain services, with their own error rendering
// (HTML pages, not problem+json), templates and catalogues; keeping them
// apart keeps both readable. The import direction stays one way:
// api imports web (never the reverse) and hands it what only api owns, the
// session (load, log in, log out, the actor of the session) and the CSRF
// check, through the Auth interface; web calls the domain services
// directly, as api does. cmd -> api -> web -> domain -> pricing.
//
// Rules every page keeps:
//   - Its main action works without JavaScript: forms POST and redirect
//     (303); htmx (hx-* attributes) only swaps fragments to be faster.
//   - Every visible string comes from the message catalogue of the user's
//     language (messages_da.go, messages_en.go); amounts, quantities and
//     dates are written by Localizer, which uses package pricing's
//     formatters.
//   - Unsafe requests carry the session's CSRF token in the _csrf form
//     field (or the X-CSRF-Token header htmx sends, see layout.html).
//   - Another tenant's object is the same 404 page as a missing one.
package web
