package web_test

import (
	"strings"
	"testing"

	"andel/internal/demo"
)

// A supplier's ordering rules on the product page and in the cart: the
// minimum, maximum and multiple are shown and the add form asks for an
// allowed quantity; a line listed as not orderable is shown without a
// form; a cart line that breaks the rules is held back with the reason.
// In Danish and English, on both viewports, axe on every page.
func TestProductPageShowsOrderRules(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	db := s.svc.DB
	if err := db.Exec("UPDATE offer_rows SET min_order_qty = 2, max_order_qty = 40, order_multiple = 2, max_qty = 9 WHERE id = ?", cat.offers[0]).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE offer_rows SET not_orderable = true WHERE id = ?", cat.offers[1]).Error; err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang                      string
		size                      [2]int64
		rules, range9, notOrdered string
	}{
		{"da", tablet, "Bestilling: mindst 2 pakn., højst 40 pakn., i antal delelige med 2", "1–9 pakn.", "kan ikke bestilles"},
		{"en", phone, "Ordering: at least 2 packs, at most 40 packs, in multiples of 2", "1–9 packs", "cannot be ordered"},
	} {
		tb := s.tab(t, c.size, c.lang)
		tb.open("/login")
		tb.login(demo.PracticeEmail)
		tb.open("/shop/products/" + itoa(cat.products[0]))
		tb.axe()
		main := tb.text("main")
		if !strings.Contains(main, c.rules) || !strings.Contains(main, c.range9) {
			t.Errorf("%s: product page lacks %q or %q: %s", c.lang, c.rules, c.range9, main)
		}
		qty := "#qty" + itoa(cat.offers[0])
		if mn, st, mx, v := tb.attr(qty, "min"), tb.attr(qty, "step"), tb.attr(qty, "max"), tb.attr(qty, "value"); mn != "2" || st != "2" || mx != "40" || v != "2" {
			t.Errorf("%s: the form asks for min %s step %s max %s value %s", c.lang, mn, st, mx, v)
		}
		tb.open("/shop/products/" + itoa(cat.products[1]))
		tb.axe()
		if main := tb.text("main"); !strings.Contains(main, c.notOrdered) {
			t.Errorf("%s: not-orderable offer not said so: %s", c.lang, main)
		}
		if n := tb.count("#qty" + itoa(cat.offers[1])); n != 0 {
			t.Errorf("%s: a not-orderable offer has an add form", c.lang)
		}
	}

	// In the cart: 2 packs were fine; the supplier then asks for fours.
	tb := s.tab(t, tablet, "da")
	tb.open("/login")
	tb.login(demo.PracticeEmail)
	tb.open("/shop/products/" + itoa(cat.products[0]))
	tb.submit(`form:has(#qty` + itoa(cat.offers[0]) + `) button[type=submit]`)
	if err := db.Exec("UPDATE offer_rows SET order_multiple = 4, min_order_qty = 4 WHERE id = ?", cat.offers[0]).Error; err != nil {
		t.Fatal(err)
	}
	tb.open("/cart")
	tb.axe()
	// The supplier's rule, said by the domain in English, is read in
	// Danish on the Danish page (Localizer.Problem) and as it is in English.
	if main := tb.text("main"); !strings.Contains(main, "Kan ikke bestilles nu") || !strings.Contains(main, "2 pakninger er under leverandørens mindste bestilling på 4 pakninger") {
		t.Errorf("cart does not hold the line back: %s", main)
	}
	en := s.tab(t, phone, "en")
	en.open("/login")
	en.login(demo.PracticeEmail)
	en.open("/cart")
	en.axe()
	if main := en.text("main"); !strings.Contains(main, "2 packs is below the supplier's minimum order of 4 packs") {
		t.Errorf("English cart does not hold the line back in English: %s", main)
	}
}
