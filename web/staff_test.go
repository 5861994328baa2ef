package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"github.com/chromedp/chromedp"
)

// freeCVR returns a valid CVR number no member has, from start on.
func (s *site) freeCVR(start int) string {
	s.t.Helper()
	for n := start; n < 99999999; n++ {
		cvr := strconv.Itoa(n)
		var taken int64
		if domain.ValidCVR(cvr) {
			s.svc.DB.Raw("SELECT count(*) FROM members WHERE cvr = ?", cvr).Scan(&taken)
			if taken == 0 {
				return cvr
			}
		}
	}
	s.t.Fatal("no free CVR number")
	return ""
}

// candidateList names two products the demo catalogue lacks: gloves named
// like the demo's (a merge suggestion) and an ear funnel (a new product).
const candidateList = "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n" +
	"NEW-1,Nitrilhandsker pudderfri str M,,BX,200,EA,90.00,DKK\n" +
	"NEW-2,Øretragt til otoskop,,BX,50,EA,40.00,DKK\n"

// apiStatus calls the JSON API with a bearer key and returns the status.
func (s *site) apiStatus(t *testing.T, key, path string) int {
	t.Helper()
	r, _ := http.NewRequest("GET", s.http.URL+path, nil)
	r.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestStaffConsole: staff create a member (a bad CVR is named as they type
// and, sent anyway, next to its field), edit it, add an address and bank
// details, suspend it; create a supplier (a private webhook address is
// refused), issue an API key (shown once; a reload no longer shows it),
// the key works against the API until it is revoked (then 401); confirm
// one candidate product and merge another; the history pages show these
// events. In Danish on a tablet, a pass in English on a phone; axe on
// every page. Other roles get the 404 page for /staff.
func TestStaffConsole(t *testing.T) {
	s := newSite(t)
	tb := s.tab(t, tablet, "da")
	tb.open("/staff/members")
	tb.login(demo.AdminEmail)
	if p := tb.path(); p != "/staff/members" {
		t.Fatalf("after login at %s", p)
	}
	tb.axe()
	if n := tb.count("tr.member-row"); n == 0 {
		t.Fatal("no members listed")
	}
	// Search: one demo member by its CVR.
	var demoName, demoCVR string
	s.svc.DB.Raw("SELECT name, cvr FROM members ORDER BY id LIMIT 1").Row().Scan(&demoName, &demoCVR)
	tb.open("/staff/members?q=" + demoCVR)
	if n := tb.count("tr.member-row"); n != 1 || !strings.Contains(tb.text("tr.member-row"), demoName) {
		t.Errorf("search by CVR shows %d rows", n)
	}

	// A new member: the CVR checked as it is typed.
	tb.open("/staff/members/new")
	tb.do(chromedp.SetValue(chromedp.CSS(`#m-name`), "Lægerne i Midtbyen"),
		chromedp.SendKeys(chromedp.CSS(`#m-cvr`), "2940347"))
	tb.waitFor(`document.querySelector("#cvr-msg").textContent.includes("8 cifre, her er 7")`)
	tb.do(chromedp.SendKeys(chromedp.CSS(`#m-cvr`), "4"))
	tb.waitFor(`document.querySelector("#cvr-msg").textContent.includes("Kontrolcifferet")`)
	tb.axe()
	if cls := tb.attr("#cvr-msg", "class"); cls != "error" {
		t.Errorf("the CVR message is %q, want an error", cls)
	}
	tb.do(chromedp.SetValue(chromedp.CSS(`#m-cvr`), demoCVR))
	tb.do(chromedp.SendKeys(chromedp.CSS(`#m-cvr`), " "))
	tb.waitFor(`document.querySelector("#cvr-msg").textContent.includes("allerede registreret hos")`)
	// Sent with a bad CVR and a bad contact e-mail anyway: each problem
	// next to its field, what was typed kept.
	tb.do(chromedp.SetValue(chromedp.CSS(`#m-cvr`), "29403474"),
		chromedp.SetValue(chromedp.CSS(`[name=contact_email]`), "not-an-address"))
	tb.submit(`form[action="/staff/members"] button[type=submit]`)
	if !strings.Contains(tb.text("#cvr-msg"), "Kontrolcifferet") || tb.attr("#m-cvr", "aria-invalid") != "true" {
		t.Errorf("the refused form does not name the CVR's problem: %q", tb.text("#cvr-msg"))
	}
	if tb.count("#m-email-err") != 1 || tb.count(`[role=alert] li`) != 2 {
		t.Errorf("the refused form does not list both problems: %s", tb.text("main"))
	}
	if v := tb.attr("#m-name", "value"); v != "Lægerne i Midtbyen" {
		t.Errorf("the name typed is lost: %q", v)
	}
	cvr := s.freeCVR(30000000)
	eval[bool](tb, `(document.querySelector("#m-cvr").value = "", true)`)
	tb.do(chromedp.SendKeys(chromedp.CSS(`#m-cvr`), cvr))
	tb.do(chromedp.SetValue(chromedp.CSS(`[name=contact_email]`), "bestilling@midtbyen.dk"))
	tb.do(chromedp.SetValue(chromedp.CSS(`#m-quality_cluster`), "Klynge Aarhus"))
	tb.waitFor(`document.querySelector("#cvr-msg").textContent.includes("gyldigt")`)
	tb.submit(`form[action="/staff/members"] button[type=submit]`)
	if !strings.Contains(tb.path(), "done=member-created") {
		t.Fatalf("after creating at %s: %s", tb.path(), tb.text("main"))
	}
	memberID, _ := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(tb.path(), "?", 2)[0], "/staff/members/"), 10, 64)
	var stored domain.Member
	s.svc.DB.Raw("SELECT * FROM members WHERE id = ?", memberID).Scan(&stored)
	if stored.CVR != cvr || stored.QualityCluster == nil || *stored.QualityCluster != "Klynge Aarhus" || stored.OrderContactEmail != "bestilling@midtbyen.dk" {
		t.Fatalf("stored %+v", stored)
	}
	// Edit; an address (a bad postcode first); bank details.
	tb.do(chromedp.SetValue(chromedp.CSS(`#m-name`), "Lægerne i Midtbyen I/S"))
	tb.submit(`form[action="/staff/members/` + itoa(memberID) + `"] button[type=submit]`)
	if h := tb.text("h1"); h != "Lægerne i Midtbyen I/S" || !strings.Contains(tb.path(), "done=member-saved") {
		t.Errorf("after editing: %q at %s", h, tb.path())
	}
	tb.do(chromedp.SetValue(chromedp.CSS(`#a-street`), "Søndergade 1"), chromedp.SetValue(chromedp.CSS(`#a-postcode`), "80"),
		chromedp.SetValue(chromedp.CSS(`#a-city`), "Aarhus C"))
	tb.submit(`form[action$="/addresses"] button[type=submit]`)
	if tb.count("#a-postcode-err") != 1 || tb.attr("#a-street", "value") != "Søndergade 1" {
		t.Errorf("a bad postcode is not named next to its field")
	}
	tb.do(chromedp.SetValue(chromedp.CSS(`#a-postcode`), "8000"))
	tb.submit(`form[action$="/addresses"] button[type=submit]`)
	if n := tb.count("tr.address-row"); n != 1 {
		t.Errorf("%d addresses shown, want 1", n)
	}
	tb.do(chromedp.SetValue(chromedp.CSS(`#b-reg`), "1234"), chromedp.SetValue(chromedp.CSS(`#b-account`), "0012345678"))
	tb.submit(`form[action$="/bank"] button[type=submit]`)
	if !strings.Contains(tb.text("#bank-now"), "5678") || strings.Contains(tb.text("main"), "0012345678") {
		t.Errorf("bank details shown as %q (only the account's end)", tb.text("#bank-now"))
	}
	// Suspend.
	tb.submit(`#suspend`)
	if st := tb.text("span.member-status"); st != "Suspenderet" {
		t.Errorf("status after suspending %q", st)
	}
	s.svc.DB.Raw("SELECT * FROM members WHERE id = ?", memberID).Scan(&stored)
	if stored.Status != domain.MemberSuspended {
		t.Errorf("stored status %s", stored.Status)
	}
	tb.open("/staff/members?status=suspended")
	if !strings.Contains(tb.text("main"), "Lægerne i Midtbyen I/S") {
		t.Error("the suspended member is not in the suspended list")
	}

	// A supplier: a private webhook address is refused, then created.
	tb.open("/staff/suppliers/new")
	vat := "DK" + s.freeCVR(40000000)
	tb.do(chromedp.SetValue(chromedp.CSS(`#s-name`), "Nordisk Klinikudstyr ApS"), chromedp.SetValue(chromedp.CSS(`#s-vat_id`), vat),
		chromedp.SetValue(chromedp.CSS(`#s-order_webhook_url`), "http://127.0.0.1:8080/orders"))
	tb.submit(`form[action="/staff/suppliers"] button[type=submit]`)
	if tb.count("#s-order_webhook_url-err") != 1 {
		t.Fatalf("a loopback webhook is not refused next to its field: %s", tb.text("main"))
	}
	tb.do(chromedp.SetValue(chromedp.CSS(`#s-order_webhook_url`), "https://erp.nordisk.example.dk/orders"),
		chromedp.SetValue(chromedp.CSS(`#s-catalogue_feed_url`), "https://erp.nordisk.example.dk/catalogue.xml"))
	tb.submit(`form[action="/staff/suppliers"] button[type=submit]`)
	if !strings.Contains(tb.path(), "done=supplier-created") {
		t.Fatalf("after creating the supplier at %s: %s", tb.path(), tb.text("main"))
	}
	supplierPath := strings.SplitN(tb.path(), "?", 2)[0]
	supplierID, _ := strconv.ParseInt(strings.TrimPrefix(supplierPath, "/staff/suppliers/"), 10, 64)
	// An e-mail channel beside it.
	tb.do(chromedp.SetValue(chromedp.CSS(`#s-order_email`), "ordre@nordisk.example.dk"))
	tb.submit(`form[action="` + supplierPath + `"] button[type=submit]`)
	var email *string
	s.svc.DB.Raw("SELECT order_email FROM suppliers WHERE id = ?", supplierID).Scan(&email)
	if email == nil || *email != "ordre@nordisk.example.dk" {
		t.Errorf("order e-mail stored %v", email)
	}
	// An API key: shown once.
	tb.do(chromedp.SetValue(chromedp.CSS(`#key-name`), "ERP"))
	tb.submit(`form[action$="/keys"] button`)
	key := tb.text("#new-key")
	if !strings.HasPrefix(key, "andel_") {
		t.Fatalf("new key %q", key)
	}
	if st := s.apiStatus(t, key, "/api/v1/me"); st != http.StatusOK {
		t.Errorf("the new key: %d", st)
	}
	tb.open(supplierPath)
	if tb.count("#new-key") != 0 || strings.Contains(tb.text("main"), key) {
		t.Error("the key is shown again")
	}
	if tb.text("td.last-used") == "" {
		t.Error("the key's last use is not shown")
	}
	tb.submit(`form[action$="/revoke"] button`)
	if tb.count(".revoked") != 1 {
		t.Error("the key is not shown revoked")
	}
	if st := s.apiStatus(t, key, "/api/v1/me"); st != http.StatusUnauthorized {
		t.Errorf("the revoked key: %d, want 401", st)
	}
	tb.submit(`form[action$="/webhook/secret"] button`)
	if sec := tb.text("#new-secret"); !strings.HasPrefix(sec, "whsec_") {
		t.Errorf("new secret %q", sec)
	}

	// The candidate queue: the demo supplier's list brings two.
	sup := s.person(t)
	sup.login(demo.SupplierEmail)
	if pg := sup.upload("new.csv", candidateList); pg.status != http.StatusSeeOther {
		t.Fatalf("upload: %d", pg.status)
	}
	var gloves int64
	s.svc.DB.Raw("SELECT id FROM products WHERE name = 'Nitrilhandsker, pudderfri, str. M'").Scan(&gloves)
	var glove, funnel int64
	s.svc.DB.Raw("SELECT id FROM products WHERE name = 'Nitrilhandsker pudderfri str M' AND status = 'candidate'").Scan(&glove)
	s.svc.DB.Raw("SELECT id FROM products WHERE name = 'Øretragt til otoskop' AND status = 'candidate'").Scan(&funnel)
	if glove == 0 || funnel == 0 {
		t.Fatal("the list made no candidates")
	}
	tb.open("/staff/catalogue")
	if n := tb.count("tr.pricelist-row"); n == 0 {
		t.Error("no price lists listed")
	}
	tb.open(tb.attr("tr.pricelist-row a", "href"))
	if st := tb.text(".pl-status"); st != "Aktiv" {
		t.Errorf("the new list's status %q", st)
	}
	tb.open("/staff/catalogue/candidates")
	if n := tb.count("section.candidate"); n != 2 {
		t.Fatalf("%d candidates shown, want 2", n)
	}
	card := tb.text("#candidate-" + itoa(glove))
	for _, want := range []string{"NEW-1", "Nitrilhandsker, pudderfri, str. M"} {
		if !strings.Contains(card, want) {
			t.Errorf("the glove candidate lacks %q: %s", want, card)
		}
	}
	if v := eval[string](tb, `document.querySelector("#into-`+itoa(glove)+`").value`); v != itoa(gloves) {
		t.Errorf("the first suggestion is %s, want the demo gloves %d", v, gloves)
	}
	// Merging into itself is refused on the page.
	tb.do(chromedp.SetValue(chromedp.CSS(`#into-other-`+itoa(glove)), itoa(glove)))
	tb.submit(`#candidate-` + itoa(glove) + ` form.merge button`)
	if tb.count(`#candidate-`+itoa(glove)+` [role=alert]`) != 1 {
		t.Errorf("merging into itself is not refused on the page")
	}
	tb.submit(`#candidate-` + itoa(glove) + ` form.merge button`) // the suggestion: the demo gloves
	if !strings.Contains(tb.path(), "done=product-merged") {
		t.Errorf("after merging at %s: %s", tb.path(), tb.text("main"))
	}
	tb.submit(`#candidate-` + itoa(funnel) + ` button.confirm`)
	if !strings.Contains(tb.path(), "done=product-confirmed") || tb.count("section.candidate") != 0 {
		t.Errorf("after confirming at %s, %d candidates left", tb.path(), tb.count("section.candidate"))
	}
	var statuses []string
	s.svc.DB.Raw("SELECT status || ':' || coalesce(merged_into::text, '') FROM products WHERE id IN (?, ?) ORDER BY id", glove, funnel).Scan(&statuses)
	if strings.Join(statuses, ",") != "merged:"+itoa(gloves)+",active:" {
		t.Errorf("products stored %v", statuses)
	}

	// The histories.
	tb.open("/staff/members/" + itoa(memberID))
	tb.open(tb.attr(`a[href^="/staff/audit?entity=member"]`, "href"))
	actions := eval[[]string](tb, `[...document.querySelectorAll("tr.audit-row")].map(r => r.dataset.action)`)
	if got, want := strings.Join(actions, " "), "member.updated member.bank_account_set member.address_added member.updated member.created"; got != want {
		t.Errorf("member history %q, want %q", got, want)
	}
	tb.open("/staff/audit?entity=supplier&id=" + itoa(supplierID))
	actions = eval[[]string](tb, `[...document.querySelectorAll("tr.audit-row")].map(r => r.dataset.action)`)
	if got := strings.Join(actions, " "); got != "supplier.webhook_secret_rotated api_key.revoked api_key.issued supplier.updated supplier.created" {
		t.Errorf("supplier history %q", got)
	}
	tb.open("/staff/audit?entity=product&id=" + itoa(gloves))
	if !strings.Contains(tb.text("main"), "Vare lagt sammen") {
		t.Errorf("the gloves' history lacks the merge: %s", tb.text("main"))
	}
	// A tender's page links to its history.
	ts, err := demo.SeedTenders(context.Background(), s.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	tb.open("/staff/tenders/" + itoa(ts.AwardedTenderID))
	tb.open(tb.attr(`a[href^="/staff/audit?entity=tender"]`, "href"))
	actions = eval[[]string](tb, `[...document.querySelectorAll("tr.audit-row")].map(r => r.dataset.action)`)
	if got := strings.Join(actions, " "); !strings.Contains(got, "tender.awarded") || !strings.Contains(got, "contract.created") {
		t.Errorf("the awarded tender's history %q", got)
	}
	tb.open("/staff/audit")
	if tb.count("tr.audit-row") == 0 {
		t.Error("the whole trail shows nothing")
	}

	// Without JavaScript: four bad fields, four problems, each by its field.
	admin := s.person(t)
	admin.login(demo.AdminEmail)
	pg := admin.req("POST", "/staff/members", url.Values{"_csrf": {admin.csrf}, "name": {" "}, "cvr": {"123"},
		"joined_on": {"31-02-2026"}, "contact_email": {"x"}})
	if pg.status != http.StatusUnprocessableEntity {
		t.Errorf("a bad member form: %d", pg.status)
	}
	for _, want := range []string{`id="m-name-err"`, `id="m-joined_on-err"`, `id="m-email-err"`, `id="cvr-msg" class="error">Et CVR-nummer har 8 cifre, her er 3.`} {
		if !strings.Contains(pg.body, want) {
			t.Errorf("the refused form lacks %s", want)
		}
	}
	if n := strings.Count(mainOf(pg.body), `<li><a href="#m-`); n != 4 {
		t.Errorf("the refused form lists %d problems, want 4", n)
	}

	// Other roles: the 404 page, as for a page that is not there.
	for _, who := range []string{demo.PracticeEmail, demo.BoardEmail, demo.SupplierEmail} {
		p := s.person(t)
		p.login(who)
		for _, path := range []string{"/staff/members", "/staff/members/" + itoa(memberID), "/staff/audit?entity=member&id=" + itoa(memberID), "/staff/catalogue/candidates"} {
			if pg := p.req("GET", path, nil); pg.status != http.StatusNotFound || !strings.Contains(pg.body, "Fejl 404") {
				t.Errorf("%s opens %s: %d", who, path, pg.status)
			}
		}
		if pg := p.req("POST", "/staff/members/"+itoa(memberID)+"/status", url.Values{"_csrf": {p.csrf}, "status": {"active"}}); pg.status != http.StatusNotFound {
			t.Errorf("%s reactivates a member: %d", who, pg.status)
		}
	}

	// In English on a phone: the lists, an exchange rate.
	en := s.tab(t, phone, "en")
	en.open("/login")
	en.login(demo.AdminEmail)
	en.open("/staff/members/" + itoa(memberID))
	if !strings.Contains(en.text("main"), "Suspended") {
		t.Errorf("English member page: %s", en.text("main"))
	}
	en.open("/staff/suppliers")
	if !strings.Contains(en.text("main"), "Nordisk Klinikudstyr ApS") {
		t.Error("the new supplier is not listed")
	}
	en.open("/staff/suppliers/" + itoa(supplierID))
	en.open("/staff/catalogue/rates")
	en.do(chromedp.SetValue(chromedp.CSS(`#r-currency`), "EUR"), chromedp.SetValue(chromedp.CSS(`#r-rate`), "abc"))
	en.submit(`form[action="/staff/catalogue/rates"] button`)
	if en.count("#r-rate-err") != 1 {
		t.Errorf("a bad rate is not named next to its field")
	}
	en.do(chromedp.SetValue(chromedp.CSS(`#r-rate`), "7.4604"))
	en.submit(`form[action="/staff/catalogue/rates"] button`)
	if !strings.Contains(en.text("tr.rate-row"), "7.4604") {
		t.Errorf("rates shown: %s", en.text("main"))
	}
	en.open("/staff/catalogue/candidates")
	en.open("/staff/audit?entity=member&id=" + itoa(memberID))
	en.open("/staff/members/new")
	en.do(chromedp.SendKeys(chromedp.CSS(`#m-cvr`), "0123456"))
	en.waitFor(`document.querySelector("#cvr-msg").textContent.includes("8 digits, this has 7")`)
	en.do(chromedp.SendKeys(chromedp.CSS(`#m-cvr`), "7"))
	en.waitFor(`document.querySelector("#cvr-msg").textContent.includes("does not start with 0")`)
	en.axe()
}

// waitFor waits until a JavaScript expression is true in the page (an
// htmx answer has arrived).
func (tb *tab) waitFor(expr string) {
	tb.t.Helper()
	tb.do(chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second)))
}

// staffScreens gives the staff's pages something to show (candidate
// products, an exchange rate, a member with an address and bank details,
// a supplier's key) and returns the pages to photograph.
func (s *site) staffScreens(t *testing.T, badList int64) []struct{ name, path string } {
	t.Helper()
	sup := s.person(t)
	sup.login(demo.SupplierEmail)
	if pg := sup.upload("new.csv", candidateList); pg.status != http.StatusSeeOther {
		t.Fatalf("upload: %d", pg.status)
	}
	admin := s.person(t)
	admin.login(demo.AdminEmail)
	var member, supplier int64
	s.svc.DB.Raw("SELECT min(id) FROM members").Scan(&member)
	s.svc.DB.Raw("SELECT supplier_id FROM users WHERE email = ?", demo.SupplierEmail).Scan(&supplier)
	m := "/staff/members/" + itoa(member)
	for _, r := range []struct {
		path string
		form url.Values
	}{
		{m + "/bank", url.Values{"reg_no": {"1234"}, "account_no": {"0012345678"}}},
		{"/staff/catalogue/rates", url.Values{"currency": {"EUR"}, "rate": {"7.4604"}}},
		{"/staff/suppliers/" + itoa(supplier) + "/keys", url.Values{"name": {"Lager"}}},
	} {
		r.form.Set("_csrf", admin.csrf)
		if pg := admin.req("POST", r.path, r.form); pg.status >= 400 {
			t.Fatalf("%s: %d", r.path, pg.status)
		}
	}
	return []struct{ name, path string }{
		{"members", "/staff/members"}, {"member", m}, {"member-new", "/staff/members/new"},
		{"suppliers", "/staff/suppliers"}, {"supplier", "/staff/suppliers/" + itoa(supplier)},
		{"pricelists", "/staff/catalogue"}, {"pricelist", "/staff/catalogue/price-lists/" + itoa(badList)},
		{"candidates", "/staff/catalogue/candidates"}, {"rates", "/staff/catalogue/rates"},
		{"audit", "/staff/audit?entity=member&id=" + itoa(member)}, {"audit-all", "/staff/audit"},
	}
}

// TestSuspendedPracticeCannotOrder: staff suspend the demo practice; its
// checkout is refused with the reason on the cart page and no order is
// stored; made active again, the same cart is ordered.
func TestSuspendedPracticeCannotOrder(t *testing.T) {
	s := newSite(t)
	cat := s.catalogue()
	nurse := s.person(t)
	nurse.login(demo.PracticeEmail)
	nurse.req("POST", "/cart", url.Values{"_csrf": {nurse.csrf}, "product_id": {itoa(cat.products[0])}, "offer_id": {itoa(cat.offers[0])}, "quantity": {"2"}})
	admin := s.person(t)
	admin.login(demo.AdminEmail)
	status := func(st string) {
		t.Helper()
		if pg := admin.req("POST", "/staff/members/"+itoa(cat.member)+"/status", url.Values{"_csrf": {admin.csrf}, "status": {st}}); pg.status != http.StatusSeeOther {
			t.Fatalf("status %s: %d", st, pg.status)
		}
	}
	checkout := func() page {
		t.Helper()
		key := strings.SplitN(strings.SplitN(nurse.req("GET", "/cart", nil).body, `name="key" value="`, 2)[1], `"`, 2)[0]
		return nurse.req("POST", "/checkout", url.Values{"_csrf": {nurse.csrf}, "key": {key}})
	}
	status("suspended")
	if pg := checkout(); pg.status != http.StatusUnprocessableEntity || !strings.Contains(mainOf(pg.body), "praksissen har status suspended") {
		t.Errorf("a suspended practice's checkout: %d %s", pg.status, mainOf(pg.body))
	}
	key := strings.SplitN(strings.SplitN(nurse.req("GET", "/cart", nil).body, `name="key" value="`, 2)[1], `"`, 2)[0]
	if pg := nurse.req("POST", "/checkout", url.Values{"_csrf": {nurse.csrf}, "key": {key}}, "Accept-Language", "en"); pg.status != http.StatusUnprocessableEntity ||
		!strings.Contains(mainOf(pg.body), "the practice is suspended") {
		t.Errorf("a suspended practice's checkout in English: %d %s", pg.status, mainOf(pg.body))
	}
	if n := s.orderCount(cat.member); n != 0 {
		t.Errorf("%d orders stored for a suspended practice", n)
	}
	status("active")
	if pg := checkout(); pg.status != http.StatusSeeOther || s.orderCount(cat.member) != 1 {
		t.Errorf("checkout after reactivation: %d, %d orders", pg.status, s.orderCount(cat.member))
	}
}
