package api_test

import (
	"net/http"
	"testing"

	"andel/internal/demo"
)

// TestSavingsCurrencyAndFreshServer: ?currency= is validated (an unknown
// code is 422), a currency with no orders answers zeros and says so, and a
// fresh server (no rollup run yet) answers every grouping, never a 500.
func TestSavingsCurrencyAndFreshServer(t *testing.T) {
	e := newEnv(t)
	board := e.login(demo.BoardEmail)
	const span = "/api/v1/savings?from=2026-01-01&to=2026-12-31"
	for _, g := range []string{"", "&group_by=month", "&group_by=category", "&group_by=supplier", "&group_by=member"} {
		board.do("GET", span+g, nil).expect(http.StatusOK)
	}
	if f := board.do("GET", span+"&currency=XYZ", nil).expect(http.StatusUnprocessableEntity).problemFields(); len(f) != 1 || f[0] != "currency" {
		t.Errorf("problems %v, want currency", f)
	}
	board.do("GET", span+"&currency=dkk", nil).expect(http.StatusUnprocessableEntity)
	res := board.do("GET", span+"&currency=EUR", nil).expect(http.StatusOK).json()
	if res["currency"] != "EUR" || obj(res["total"])["spend"] != "0.00" || res["note"] == nil || res["note"] == "" {
		t.Errorf("EUR without orders: %v, want zeros and a note", res)
	}
}
