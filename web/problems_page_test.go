package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"andel/internal/demo"
)

// TestErrorPageDetailInLanguage: the error page says what the domain
// refused, in the page's language: a transition the order's state forbids
// (409) and a rejection without its reason (422, the field listed).
func TestErrorPageDetailInLanguage(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	order := s.placeOrder(t, cat, 0)
	sup := s.person(t)
	sup.login(demo.SupplierEmail)
	path := "/supplier/orders/" + itoa(order) + "/status"
	for _, c := range []struct {
		lang, status string
		code         int
		want         string
	}{
		{"da", "delivered", http.StatusConflict, "en ordre med status placed kan ikke få status delivered"},
		{"en", "delivered", http.StatusConflict, "an order that is placed cannot become delivered"},
		{"da", "rejected", http.StatusUnprocessableEntity, "reason: skal udfyldes for at afvise en ordre"},
		{"en", "rejected", http.StatusUnprocessableEntity, "reason: is required to reject an order"},
	} {
		pg := sup.req("POST", path, url.Values{"_csrf": {sup.csrf}, "status": {c.status}}, "Accept-Language", c.lang)
		if main := mainOf(pg.body); pg.status != c.code || !strings.Contains(main, c.want) {
			t.Errorf("%s %s: %d, the page lacks %q: %s", c.lang, c.status, pg.status, c.want, main)
		}
	}
}
