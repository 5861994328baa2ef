package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"github.com/shopspring/decimal"
)

// Input no page sends (a NUL, invalid UTF-8, a lone surrogate as raw
// bytes, a control character) is a 400 page naming the field, before
// any handler reads it: it reached PostgreSQL as a 500 before.
// TestWebFormCorpus sends it to every field of every form.
func TestUnreadableInputRefused(t *testing.T) {
	s := newSite(t)
	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	var lists int64
	count := func() int64 {
		s.svc.DB.Raw("SELECT count(*) FROM standard_lists").Scan(&lists)
		return lists
	}
	before := count()
	for _, bad := range []string{"a\x00b", "L\xe6ge", "a\xed\xa0\x80b", "a\x07b"} {
		if pg := nurse.req("GET", "/shop?q="+url.QueryEscape(bad), nil); pg.status != http.StatusBadRequest || !strings.Contains(mainOf(pg.body), "<li>q: ") {
			t.Errorf("/shop?q=%q: %d %s", bad, pg.status, short(mainOf(pg.body)))
		}
		if pg := nurse.req("POST", "/lists", url.Values{"_csrf": {nurse.csrf}, "name": {bad}}); pg.status != http.StatusBadRequest ||
			!strings.Contains(mainOf(pg.body), "<li>name: ") {
			t.Errorf("a list named %q: %d %s", bad, pg.status, short(mainOf(pg.body)))
		}
	}
	if count() != before {
		t.Errorf("%d lists made of unreadable names", lists-before)
	}
	// Text is text: tabs and line breaks (a textarea's) are taken.
	if pg := nurse.req("POST", "/lists", url.Values{"_csrf": {nurse.csrf}, "name": {"Uge\t1"}}); pg.status != http.StatusSeeOther {
		t.Errorf("a list named with a tab: %d", pg.status)
	}
}

// short is a page's text on one line, cut for a message.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

// A number field (an id, a quantity, a filter's id) that holds something
// else is refused naming it, not read as 0 ("no offer chosen", "every
// supplier") or as ±MaxInt64 (ParseInt's answer to 40 digits).
func TestFormNumbersRefused(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	admin := s.person(t)
	admin.login(demo.AdminEmail)
	for _, bad := range []string{"abc", "1e400", "1234567890123456789012345678901234567890", "-1", "1.5"} {
		for _, field := range []string{"product_id", "offer_id", "quantity"} {
			form := url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[0])}, "offer_id": {itoa(cat.offers[0])}, "quantity": {"1"}}
			form.Set(field, bad)
			if pg := nurse.req("POST", "/cart", form); pg.status != http.StatusUnprocessableEntity {
				t.Errorf("cart %s=%s: %d", field, bad, pg.status)
			}
		}
		if pg := admin.req("GET", "/staff/audit?entity=member&id="+url.QueryEscape(bad), nil); pg.status != http.StatusUnprocessableEntity {
			t.Errorf("audit id=%s: %d", bad, pg.status)
		}
		if pg := admin.req("GET", "/staff/catalogue?supplier="+url.QueryEscape(bad), nil); pg.status != http.StatusUnprocessableEntity {
			t.Errorf("price lists of supplier %s: %d", bad, pg.status)
		}
	}
	var lines int64
	s.svc.DB.Raw("SELECT count(*) FROM cart_lines").Scan(&lines)
	if lines != 0 {
		t.Errorf("%d cart lines kept", lines)
	}
	if pg := nurse.req("POST", "/cart", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[0])}, "offer_id": {""}, "quantity": {"1"}}); pg.status != http.StatusSeeOther {
		t.Errorf("the contract's offer (none chosen): %d", pg.status)
	}
}

// The new-tender form asked for with a period that is not one shows the
// problem by the field with a 422, not a 200 that looks like a form.
func TestNewTenderOfNoPeriod(t *testing.T) {
	s := newSite(t)
	admin := s.person(t)
	admin.login(demo.AdminEmail)
	for _, bad := range []string{"1e400", "2027-13", "next-year"} {
		pg := admin.req("GET", "/staff/tenders/new?period="+url.QueryEscape(bad), nil)
		if pg.status != http.StatusUnprocessableEntity || !strings.Contains(mainOf(pg.body), "er ikke en periode") {
			t.Errorf("period %s: %d %s", bad, pg.status, short(mainOf(pg.body)))
		}
	}
	if pg := admin.req("GET", "/staff/tenders/new", nil); pg.status != http.StatusOK {
		t.Errorf("no period yet: %d", pg.status)
	}
	// So does a draft's edit form.
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	var product int64
	s.svc.DB.Raw("SELECT id FROM products ORDER BY id LIMIT 1").Scan(&product)
	d := decimal.RequireFromString
	draft, err := s.svc.Tenders.Create(ctx, domain.TenderInput{Title: "Handsker", ContractFrom: time.Now(), ContractTo: time.Now().AddDate(1, 0, 0),
		BidDeadline: time.Now().Add(time.Hour), RebateRate: d("0.02"), Criteria: []domain.CriterionInput{{Name: "price", Weight: d("100")}},
		Lots: []domain.LotInput{{Title: "Lot", Items: []domain.LotItemInput{{ProductID: product, Quantity: d("10")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	edit := "/staff/tenders/" + itoa(draft.ID) + "/edit"
	if pg := admin.req("GET", edit+"?period=1e400", nil); pg.status != http.StatusUnprocessableEntity || !strings.Contains(mainOf(pg.body), "er ikke en periode") {
		t.Errorf("edit with period 1e400: %d %s", pg.status, short(mainOf(pg.body)))
	}
	if pg := admin.req("GET", edit, nil); pg.status != http.StatusOK {
		t.Errorf("edit: %d", pg.status)
	}
}

// Logged out, an upload is refused before its body is read (an upload
// has no body limit): checkInput leaves multipart bodies to requireLogin.
func TestUploadLoggedOutNotRead(t *testing.T) {
	s := newSite(t)
	anon := s.person(t)
	body := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"l\x00.csv\"\r\n\r\nsku\r\n--b--\r\n"
	if pg := anon.raw("POST", "/supplier/price-lists", "multipart/form-data; boundary=b", []byte(body)); pg.status != http.StatusUnauthorized {
		t.Errorf("logged out upload: %d, want 401 (refused before the body is read)", pg.status)
	}
}
