package domain

import "unicode/utf8"

// The longest text a person types into each field: the same bounds the
// API's request validator states in its request types (api/members.go,
// api/suppliers.go, api/tenders.go), kept here as well because the web
// pages call the domain directly: a 1 MB name must be refused whichever
// front it came through.

// checkLength lists field when s has more than max characters.
func checkLength(p *Problems, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		p.Add(field, "must be at most %d characters", max)
	}
}

// textOf is an optional text's value ("" when not set).
func textOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
