package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"
)

// person is a browser without a browser: a cookie jar that does not
// follow redirects, for the cheaper checks through the real router.
type person struct {
	t    *testing.T
	s    *site
	hc   *http.Client
	csrf string
}

func (s *site) person(t *testing.T) *person {
	jar, _ := cookiejar.New(nil)
	return &person{t: t, s: s, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status   int
	location string
	ctype    string
	body     string
}

func (p *person) req(method, path string, form url.Values, header ...string) page {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r, err := http.NewRequest(method, p.s.http.URL+path, body)
	if err != nil {
		p.t.Fatal(err)
	}
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Header.Set("Accept-Language", "da")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	res, err := p.hc.Do(r)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	pg := page{status: res.StatusCode, location: res.Header.Get("Location"), ctype: res.Header.Get("Content-Type"), body: string(b)}
	if m := csrfField.FindStringSubmatch(pg.body); m != nil {
		p.csrf = m[1]
	}
	return pg
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (p *person) login(email string) {
	p.t.Helper()
	pg := p.req("POST", "/login", url.Values{"email": {email}, "password": {demo.Password}, "next": {"/cart"}})
	if pg.status != http.StatusSeeOther || pg.location != "/cart" {
		p.t.Fatalf("login: %d to %q: %s", pg.status, pg.location, pg.body)
	}
	p.req("GET", "/cart", nil)
	if p.csrf == "" {
		p.t.Fatal("no CSRF token on the cart page")
	}
}

func TestPagesThroughRouter(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	anon := s.person(t)

	// Logged out: sent to the login page and back after.
	if pg := anon.req("GET", "/orders?status=placed", nil); pg.status != http.StatusSeeOther || pg.location != "/login?next=%2Forders%3Fstatus%3Dplaced" {
		t.Errorf("logged out /orders: %d %q", pg.status, pg.location)
	}
	// The login page never sends anyone to another site.
	if pg := anon.req("POST", "/login", url.Values{"email": {demo.PracticeEmail}, "password": {demo.Password}, "next": {"//evil.example/x"}}); pg.location != "/" {
		t.Errorf("next=//evil.example went to %q", pg.location)
	}
	bad := s.person(t)
	if pg := bad.req("POST", "/login", url.Values{"email": {demo.PracticeEmail}, "password": {"wrong"}}); pg.status != http.StatusUnauthorized ||
		!strings.Contains(pg.body, "Forkert e-mail eller adgangskode") {
		t.Errorf("wrong password: %d", pg.status)
	}
	// A page that does not exist is an HTML page; the API keeps problem+json.
	if pg := anon.req("GET", "/no/such/page", nil); pg.status != http.StatusNotFound || !strings.HasPrefix(pg.ctype, "text/html") || !strings.Contains(pg.body, "Fejl 404") {
		t.Errorf("/no/such/page: %d %s", pg.status, pg.ctype)
	}
	if pg := anon.req("GET", "/api/v1/no-such", nil); pg.ctype != "application/problem+json" {
		t.Errorf("/api/v1/no-such: %s", pg.ctype)
	}

	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	// Unsafe requests need the session's CSRF token.
	if pg := nurse.req("POST", "/cart", url.Values{"product_id": {itoa(cat.products[0])}, "offer_id": {itoa(cat.offers[0])}, "quantity": {"1"}}); pg.status != http.StatusForbidden {
		t.Errorf("POST /cart without CSRF: %d", pg.status)
	}
	for i := range cat.products {
		pg := nurse.req("POST", "/cart", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[i])}, "offer_id": {itoa(cat.offers[i])}, "quantity": {"3"}})
		if pg.status != http.StatusSeeOther {
			t.Fatalf("add: %d %s", pg.status, pg.body)
		}
	}
	// Bad quantities are a page saying so, never a 500.
	if pg := nurse.req("POST", "/cart", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[0])}, "quantity": {"-1"}}); pg.status != http.StatusUnprocessableEntity {
		t.Errorf("quantity -1: %d", pg.status)
	}
	// The cart survives a logout (and shows on another device).
	other := s.person(t)
	other.login(demo.PracticeEmail)
	cart := other.req("GET", "/cart", nil)
	if n := strings.Count(cart.body, `action="/cart/lines/`); n != 3 {
		t.Fatalf("the cart on another device has %d lines, want 3", n)
	}
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(cart.body)[1]

	// A double submit of one checkout form orders once.
	first := other.req("POST", "/checkout", url.Values{"_csrf": {other.csrf}, "key": {key}})
	second := nurse.req("POST", "/checkout", url.Values{"_csrf": {nurse.csrf}, "key": {key}})
	if first.status != http.StatusSeeOther || second.status != http.StatusSeeOther || first.location != second.location {
		t.Fatalf("checkout twice: %d %q, %d %q", first.status, first.location, second.status, second.location)
	}
	if n := s.orderCount(cat.member); n != 2 {
		t.Fatalf("%d orders after a double submit, want 2", n)
	}
	placed := nurse.req("GET", first.location, nil)
	if strings.Count(placed.body, `class="card placed-order"`) != 2 {
		t.Errorf("confirmation: %s", placed.body)
	}

	// Another practice's order is the same 404 page as a missing one.
	var orderID int64
	s.svc.DB.Raw("SELECT id FROM orders WHERE member_id = ? ORDER BY id LIMIT 1", cat.member).Scan(&orderID)
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	var member2 int64
	s.svc.DB.Raw("SELECT id FROM members WHERE id <> ? ORDER BY id LIMIT 1", cat.member).Scan(&member2)
	if _, err := s.svc.Users.Create(ctx, domain.NewUser{Email: "second@practice.test", Password: demo.Password, Role: domain.RoleMember, MemberID: member2}); err != nil {
		t.Fatal(err)
	}
	stranger := s.person(t)
	stranger.login("second@practice.test")
	mine := nurse.req("GET", "/orders/"+itoa(orderID), nil)
	theirs := stranger.req("GET", "/orders/"+itoa(orderID), nil)
	missing := stranger.req("GET", "/orders/99999999", nil)
	if mine.status != http.StatusOK || theirs.status != http.StatusNotFound || missing.status != http.StatusNotFound || mainOf(theirs.body) != mainOf(missing.body) {
		t.Errorf("order pages: own %d, another's %d, missing %d (same page: %v)", mine.status, theirs.status, missing.status, mainOf(theirs.body) == mainOf(missing.body))
	}
	if pg := stranger.req("POST", "/orders/"+itoa(orderID)+"/reorder", url.Values{"_csrf": {stranger.csrf}}); pg.status != http.StatusNotFound {
		t.Errorf("reorder of another's order: %d", pg.status)
	}
	// Savings of this year: the chart, the same numbers in a table, a CSV.
	if _, err := s.svc.Savings.Rollup(context.Background()); err != nil {
		t.Fatal(err)
	}
	sv := nurse.req("GET", "/savings", nil)
	if sv.status != http.StatusOK || !strings.Contains(sv.body, `<svg class="chart"`) || !strings.Contains(sv.body, "<title id=\"chart-title\">") ||
		strings.Count(sv.body, `<th scope="row" data-label="Måned">`) != 12 {
		t.Errorf("savings page: %d", sv.status)
	}
	// Its refunds: none approved yet, said so (links once a run is approved).
	if !strings.Contains(sv.body, `<h2 id="refunds">Efterbetalinger</h2>`) || !strings.Contains(sv.body, "Ingen godkendte efterbetalinger endnu.") {
		t.Errorf("the savings page has no refunds section")
	}
	csvPage := nurse.req("GET", "/savings.csv", nil)
	if !strings.HasPrefix(csvPage.ctype, "text/csv") || strings.Count(csvPage.body, "\n") < 14 || !strings.Contains(csvPage.body, "DKK") {
		t.Errorf("savings CSV: %s %q", csvPage.ctype, csvPage.body)
	}
	if pg := nurse.req("GET", "/savings?year=abc", nil); pg.status != http.StatusUnprocessableEntity {
		t.Errorf("savings?year=abc: %d", pg.status)
	}

	// Demand in boxes of 100: stored in base units.
	dm := nurse.req("GET", "/demand?q="+url.QueryEscape(strings.Fields(cat.names[0])[0]), nil)
	period := regexp.MustCompile(`<option value="([0-9]{4})" selected>`).FindStringSubmatch(dm.body)
	if dm.status != http.StatusOK || period == nil {
		t.Fatalf("demand page: %d", dm.status)
	}
	form := url.Values{"_csrf": {nurse.csrf}, "period": {period[1]},
		"product_id": {itoa(cat.products[0])}, "quantity": {"12"}, "unit": {"XBX"}, "content": {"100"}}
	if pg := nurse.req("POST", "/demand", form); pg.status != http.StatusSeeOther {
		t.Fatalf("save demand: %d %s", pg.status, mainOf(pg.body))
	}
	lines, err := s.svc.Demand.Get(domain.WithActor(context.Background(), domain.SystemActor("test")), cat.member, period[1])
	if err != nil || len(lines) != 1 || lines[0].Quantity.String() != "1200" || lines[0].EnteredUnit != "XBX" {
		t.Errorf("demand stored: %+v %v", lines, err)
	}
	form.Set("content", "")
	if pg := nurse.req("POST", "/demand", form); pg.status != http.StatusUnprocessableEntity || !strings.Contains(pg.body, "content") {
		t.Errorf("boxes without content: %d", pg.status)
	}
	if pg := nurse.req("POST", "/demand", url.Values{"_csrf": {nurse.csrf}, "period": {"1999"}}); pg.status != http.StatusUnprocessableEntity {
		t.Errorf("closed period: %d", pg.status)
	}

	// Pages are small: HTML and assets together under 100 kB (issue 14).
	assets := len(nurse.req("GET", "/assets/htmx-2.0.11.min.js", nil).body) + len(nurse.req("GET", "/assets/app.css", nil).body)
	for _, path := range []string{"/shop", "/shop?q=a", "/shop/products/" + itoa(cat.products[0]), "/cart", "/orders",
		"/orders/" + itoa(orderID), first.location, "/lists", "/demand", "/savings"} {
		pg := nurse.req("GET", path, nil)
		if pg.status != http.StatusOK || len(pg.body)+assets > 100_000 {
			t.Errorf("%s: %d, %d bytes of HTML + %d of assets", path, pg.status, len(pg.body), assets)
		}
	}

	// Another role has no shop: the shop's pages are not there for it.
	supplier := s.person(t)
	supplier.req("POST", "/login", url.Values{"email": {demo.SupplierEmail}, "password": {demo.Password}})
	if pg := supplier.req("GET", "/cart", nil); pg.status != http.StatusNotFound {
		t.Errorf("supplier at /cart: %d", pg.status)
	}
}

// mainOf is the <main> of a page (the header's forms carry the path).
func mainOf(body string) string {
	_, after, _ := strings.Cut(body, "<main")
	m, _, _ := strings.Cut(after, "</main>")
	return m
}
