package api_test

import (
	"net/http"
	"testing"

	"andel/domain"
	"andel/internal/demo"
)

// A server built for another currency (domain.Options.Currency, from
// ANDEL_CURRENCY) reports savings in it: the savings service once kept a
// hard-coded DKK while only the catalogue took the option.
func TestSavingsInTheCooperativesCurrency(t *testing.T) {
	t.Parallel()
	for _, want := range []string{"EUR", "DKK"} {
		opts := domain.Options{Currency: want}
		if want == "DKK" {
			opts = domain.Options{} // the default
		}
		e := newEnvWith(t, opts)
		board := e.login(demo.BoardEmail)
		rep := board.do("GET", "/api/v1/savings?from=2026-01-01&to=2026-12-31", nil).expect(http.StatusOK).json()
		if rep["currency"] != want {
			t.Errorf("built for %s: the savings report answers in %v", want, rep["currency"])
		}
		// An explicit currency still wins.
		rep = board.do("GET", "/api/v1/savings?from=2026-01-01&to=2026-12-31&currency=SEK", nil).expect(http.StatusOK).json()
		if rep["currency"] != "SEK" {
			t.Errorf("built for %s, asked for SEK: %v", want, rep["currency"])
		}
	}
}
