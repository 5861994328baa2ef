package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"

	"golang.org/x/net/html"
)

// The pages' bad-input corpus (the web counterpart of TestBadInputCorpus
// in api/corpus_test.go): every form the pages send, every query
// parameter a page reads and every id in a page's path, filled with
// hostile values and sent through the real router as the role that may
// use it. The base forms are the pages' own: each page a role can reach is
// fetched and its <form>s read (action, method, fields with their
// values), so a field added to a form is in the corpus without a change
// here; the routes come from the Echo router, and a route of the pages
// with no case fails the test unless excluded below with a reason.
//
// What must hold for every case:
//   - never a 500 (nor a panic, which the server answers 500);
//   - a refused request (4xx) changes nothing: the checksum of every
//     table's row versions (as api/corpus_test.go's tableChecksums, with
//     the exclusions listed at formChecksums) is the same after it;
//   - unreadable input (NUL and other control characters, invalid UTF-8,
//     lone surrogates as raw bytes) is refused in any field, and a field
//     that holds a number, date, period or id refuses what is not one
//     (1e400, 40 digits, words, a 1 MB string); a text field that is
//     stored refuses 1 MB;
//   - an unsafe request without the session's CSRF token is a 403;
//   - another tenant's id in a path is the 404 of a missing one.
// Other mutations (empty, negative, duplicated fields) may be taken when
// the page takes them; what they change becomes the new baseline.

// fieldKind is what a form field holds, read from its input element.
type fieldKind int

const (
	kText   fieldKind = iota // free text that is stored
	kNum                     // a number (type=number, inputmode=numeric/decimal)
	kDate                    // type=date, datetime-local
	kPeriod                  // a demand period
	kID                      // a hidden id, a select of ids
	kChoice                  // a select or radio of fixed values, a checkbox
	kLoose                   // read but never stored (next, filter, a search)
)

type formField struct {
	name  string
	kind  fieldKind
	value string
	sent  bool // in the base form (a named button is not, until clicked)
}

type scrapedForm struct {
	page    string // where it was found
	method  string
	action  string
	enctype string
	fields  []formField
}

// formsOf reads the <form>s of a page.
func formsOf(page, body string) []scrapedForm {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	var out []scrapedForm
	var cur *scrapedForm
	var walk func(n *html.Node)
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	add := func(f formField) {
		if cur == nil || f.name == "" || f.name == "_csrf" {
			return
		}
		cur.fields = append(cur.fields, f)
	}
	kindOf := func(n *html.Node, name, typ string) fieldKind {
		mode, _ := attr(n, "inputmode")
		switch {
		case name == "next" || name == "filter" || name == "q" || name == "key" || name == "remove":
			return kLoose
		case strings.Contains(name, "period"):
			return kPeriod
		case typ == "number" || mode == "numeric" || mode == "decimal":
			return kNum
		case typ == "date" || typ == "datetime-local":
			return kDate
		case typ == "checkbox" || typ == "radio":
			return kChoice
		case typ == "hidden" && (strings.HasSuffix(name, "_id") || name == "id" || name == "into"):
			return kID
		}
		return kText
	}
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				action, _ := attr(n, "action")
				method, _ := attr(n, "method")
				enc, _ := attr(n, "enctype")
				if method == "" {
					method = "get"
				}
				out = append(out, scrapedForm{page: page, method: strings.ToUpper(method), action: action, enctype: enc})
				cur = &out[len(out)-1]
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				cur = nil
				return
			case "input":
				name, _ := attr(n, "name")
				typ, _ := attr(n, "type")
				val, _ := attr(n, "value")
				_, checked := attr(n, "checked")
				switch typ {
				case "submit", "button", "image", "reset":
					add(formField{name: name, kind: kLoose, value: val})
				case "file":
					add(formField{name: name, kind: kLoose, value: ""})
				case "checkbox", "radio":
					if checked {
						add(formField{name: name, kind: kChoice, value: orOn(val), sent: true})
					} else if !slices.ContainsFunc(cur.fieldsOrNil(), func(f formField) bool { return f.name == name }) {
						add(formField{name: name, kind: kChoice, value: orOn(val)})
					}
				default:
					add(formField{name: name, kind: kindOf(n, name, typ), value: val, sent: true})
				}
			case "button":
				name, _ := attr(n, "name")
				val, _ := attr(n, "value")
				add(formField{name: name, kind: kLoose, value: val})
			case "textarea":
				name, _ := attr(n, "name")
				var b strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.TextNode {
						b.WriteString(c.Data)
					}
				}
				add(formField{name: name, kind: kText, value: b.String(), sent: true})
			case "select":
				name, _ := attr(n, "name")
				var first, selected string
				var found bool
				var opts func(*html.Node)
				opts = func(o *html.Node) {
					for c := o.FirstChild; c != nil; c = c.NextSibling {
						if c.Type == html.ElementNode && c.Data == "option" {
							v, ok := attr(c, "value")
							if !ok && c.FirstChild != nil {
								v = strings.TrimSpace(c.FirstChild.Data)
							}
							if _, sel := attr(c, "selected"); sel && !found {
								selected, found = v, true
							}
							if first == "" {
								first = v
							}
						}
						opts(c)
					}
				}
				opts(n)
				if !found {
					selected = first
				}
				k := kChoice
				if strings.Contains(name, "period") {
					k = kPeriod
				} else if strings.HasSuffix(name, "_id") || name == "into" || name == "supplier" {
					k = kID
				}
				add(formField{name: name, kind: k, value: selected, sent: true})
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func (f *scrapedForm) fieldsOrNil() []formField {
	if f == nil {
		return nil
	}
	return f.fields
}

func orOn(v string) string {
	if v == "" {
		return "on"
	}
	return v
}

// values is the form as a browser sends it unchanged.
func (f scrapedForm) values() url.Values {
	v := url.Values{}
	for _, fl := range f.fields {
		if fl.sent {
			v.Add(fl.name, fl.value)
		}
	}
	return v
}

// mutation is one hostile value; strict says for which kinds of field it
// must be refused.
type mutation struct {
	name   string
	value  string
	strict func(k fieldKind, post bool) bool
}

var (
	always    = func(fieldKind, bool) bool { return true }
	never     = func(fieldKind, bool) bool { return false }
	typed     = func(k fieldKind, _ bool) bool { return k == kNum || k == kDate || k == kPeriod || k == kID }
	typedText = func(k fieldKind, post bool) bool { return typed(k, post) || (k == kText && post) }
	numbers   = func(k fieldKind, _ bool) bool { return k == kNum || k == kID }
)

var formMutations = []mutation{
	{"NUL", "a\x00b", always},
	{"a control character", "a\x07b", always},
	{"DEL", "a\x7fb", always},
	{"invalid UTF-8", "L\xe6ge", always},
	{"a lone surrogate", "a\xed\xa0\x80b", always},
	{"a truncated UTF-8 sequence", "ab\xc3", always},
	{"1e400", "1e400", typed},
	{"40 digits", "1234567890123456789012345678901234567890", typed},
	{"beyond int64", "99999999999999999999", typed},
	{"negative", "-1", numbers},
	{"a word", "abc", typed},
	{"1 MB", strings.Repeat("x", 1<<20), typedText},
	{"empty", "", never},
	{"spaces", "   ", never},
	{"a date 2024-02-30", "2024-02-30", func(k fieldKind, _ bool) bool { return k == kDate || k == kNum || k == kID || k == kPeriod }},
	{"a period 2027-13", "2027-13", func(k fieldKind, _ bool) bool { return k == kPeriod || k == kNum || k == kID || k == kDate }},
	{"a period in words", "next-year", typed},
}

// formCase is one request of the corpus.
type formCase struct {
	name    string
	route   string // "METHOD /pattern" it covers
	p       *person
	method  string
	path    string
	ctype   string
	body    []byte
	refuse  bool // must be refused (4xx)
	status  int  // the exact status wanted (0: any, or any 4xx when refuse)
	rejects bool // an upload: may keep one rejected price list as its report
	// core: a case of the route's own fields or query parameters (the
	// cases of ids in paths do not cover a route on their own).
	core bool
}

// raw sends a request with a body as is.
func (p *person) raw(method, path, ctype string, body []byte) page {
	p.t.Helper()
	r, err := http.NewRequest(method, p.s.http.URL+path, bytes.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	r.Header.Set("Accept-Language", "da")
	res, err := p.hc.Do(r)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, location: res.Header.Get("Location"), ctype: res.Header.Get("Content-Type"), body: string(b)}
}

// formChecksums is api/corpus_test.go's tableChecksums (copied: test
// files of two packages share no code, and the query is small): per
// table, the row count and an md5 over its rows' versions (ctid, xmin),
// which change with every committed write. Left out, and why:
//   - sessions: the caller's login state, renewed on any request.
//   - login_failures, and the audit events of failed logins
//     (session.login_failed): a refused login is recorded on purpose (the
//     throttle and the security log are that record).
//   - a refused price list (status rejected) and its audit events: the
//     supplier's report of a refused upload (issue 12), as in the API's
//     corpus; at most one per refused upload, checked.
//   - api_keys.last_used_at: a key's last use (no page uses keys, kept
//     for parity with the API's corpus).
func formChecksums(t *testing.T, s *site) map[string]string {
	t.Helper()
	var tables []string
	s.svc.DB.Raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('sessions', 'login_failures') ORDER BY 1`).Scan(&tables)
	var parts []string
	for _, tb := range tables {
		row := "ctid::text || ':' || xmin::text"
		where := ""
		switch tb {
		case "api_keys":
			row = "to_jsonb(t) - 'last_used_at'"
		case "price_lists":
			where = "WHERE status <> 'rejected'"
		case "audit_events":
			where = "WHERE action <> 'session.login_failed' AND NOT (entity = 'price_list' AND entity_id IN (SELECT id FROM price_lists WHERE status = 'rejected'))"
		}
		parts = append(parts, fmt.Sprintf(`SELECT '%s' AS tb, count(*)::text || ':' || coalesce(md5(string_agg(md5((%s)::text), '' ORDER BY md5((%s)::text))), '') AS sum FROM %q t %s`,
			tb, row, row, tb, where))
	}
	var rows []struct{ Tb, Sum string }
	if err := s.svc.DB.Raw(strings.Join(parts, " UNION ALL ")).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.Tb] = r.Sum
	}
	return out
}

// routePattern turns an Echo path (/orders/:id) into a regexp.
func routePattern(path string) *regexp.Regexp {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p, ":"):
			parts[i] = `[^/]+`
		case p == "*":
			parts[i] = `.*`
		default:
			parts[i] = regexp.QuoteMeta(p)
		}
	}
	return regexp.MustCompile("^" + strings.Join(parts, "/") + "$")
}

// The pages' routes left out of the corpus, and why.
var formCorpusExcluded = map[string]string{
	"GET /assets/*": "static files: reads no input but the file's name, served by http.FileServer",
}

// Fields a form sends that its handler does not read (any value is
// taken as it does not matter), and why.
var formCorpusUnread = map[string]string{
	"POST /staff/members/:id id": "the member's id for the CVR check as the staff type (htmx hx-include); the update takes the path's",
	"POST /staff/members id":     "as above, empty on the form of a new member",
	// The price criterion's row is fixed: its name is a hidden "price",
	// which the handlers set themselves.
	"POST /staff/tenders crit-name-0":          "the price criterion's name, set by the handler",
	"POST /staff/tenders/:id/edit crit-name-0": "the price criterion's name, set by the handler",
	// How many income and cost rows the surplus form had: read as a
	// count bounded to the form's rows (formRows), any value.
	"POST /board/surplus income-rows":               "a row count, bounded (formRows)",
	"POST /board/surplus cost-rows":                 "a row count, bounded (formRows)",
	"POST /board/surplus/:id/recompute income-rows": "a row count, bounded (formRows)",
	"POST /board/surplus/:id/recompute cost-rows":   "a row count, bounded (formRows)",
}

// Values put in a base form where the page leaves a row empty, so that
// the row's other fields are read (an empty row is skipped whole).
var formCorpusFill = map[string]map[string]string{
	"POST /board/surplus/:id/recompute": {"income-desc-0": "Renter", "income-amount-0": "100"},
}

func TestWebFormCorpus(t *testing.T) {
	start := time.Now()
	s := newSite(t)
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	ten, err := demo.SeedTenders(ctx, s.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	sur, err := demo.SeedSurplus(ctx, s.svc.Services)
	if err != nil {
		t.Fatal(err)
	}
	cat := s.catalogue()
	db := s.svc.DB

	// The people, logged in before any failed login of the corpus.
	var member2, supplierID, supplier2 int64
	db.Raw("SELECT id FROM members WHERE id <> ? ORDER BY id LIMIT 1", cat.member).Scan(&member2)
	db.Raw("SELECT supplier_id FROM users WHERE email = ?", demo.SupplierEmail).Scan(&supplierID)
	db.Raw("SELECT id FROM suppliers WHERE id <> ? ORDER BY id LIMIT 1", supplierID).Scan(&supplier2)
	if _, err := s.svc.Users.Create(ctx, domain.NewUser{Email: "corpus2@practice.test", Password: demo.Password, Role: domain.RoleMember, MemberID: member2}); err != nil {
		t.Fatal(err)
	}
	practice, practice2, supplier, board, admin := s.person(t), s.person(t), s.person(t), s.person(t), s.person(t)
	practice.login(demo.PracticeEmail)
	practice2.login("corpus2@practice.test")
	supplier.login(demo.SupplierEmail)
	board.login(demo.BoardEmail)
	admin.login(demo.AdminEmail)
	anon := s.person(t)
	anon.req("GET", "/login", nil)
	leaving := s.person(t) // for /logout
	leaving.login(demo.PracticeEmail)

	must := func(p *person, method, path string, form url.Values, want int) page {
		t.Helper()
		if form != nil {
			form.Set("_csrf", p.csrf)
		}
		pg := p.req(method, path, form)
		if pg.status != want {
			t.Fatalf("setup %s %s: %d, want %d: %s", method, path, pg.status, want, mainOf(pg.body))
		}
		return pg
	}

	// What the forms act on: the practice's cart line, list and orders;
	// another practice's; an order placed to the demo supplier; a key, a
	// bid; a draft tender; another member's address.
	must(practice, "POST", "/cart", url.Values{"product_id": {itoa(cat.products[0])}, "offer_id": {itoa(cat.offers[0])}, "quantity": {"2"}}, http.StatusSeeOther)
	must(practice, "POST", "/lists", url.Values{"name": {"Korpus"}}, http.StatusSeeOther)
	must(practice2, "POST", "/cart", url.Values{"product_id": {itoa(cat.products[1])}, "offer_id": {itoa(cat.offers[1])}, "quantity": {"2"}}, http.StatusSeeOther)
	must(practice2, "POST", "/lists", url.Values{"name": {"Fremmed"}}, http.StatusSeeOther)
	cart := practice.req("GET", "/cart", nil)
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(cart.body)
	if key == nil {
		t.Fatal("no checkout key on the cart page")
	}
	must(practice, "POST", "/checkout", url.Values{"key": {key[1]}}, http.StatusSeeOther)
	must(practice, "POST", "/cart", url.Values{"product_id": {itoa(cat.products[0])}, "offer_id": {itoa(cat.offers[0])}, "quantity": {"2"}}, http.StatusSeeOther)
	var list1, list2, line1, line2, order1, order2, supOrder, otherSupOrder int64
	db.Raw("SELECT id FROM standard_lists WHERE member_id = ?", cat.member).Scan(&list1)
	db.Raw("SELECT id FROM standard_lists WHERE member_id = ?", member2).Scan(&list2)
	db.Raw("SELECT id FROM cart_lines WHERE member_id = ? LIMIT 1", cat.member).Scan(&line1)
	db.Raw("SELECT id FROM cart_lines WHERE member_id = ? LIMIT 1", member2).Scan(&line2)
	db.Raw("SELECT id FROM orders WHERE member_id = ? ORDER BY id DESC LIMIT 1", cat.member).Scan(&order1)
	db.Raw("SELECT id FROM orders WHERE member_id <> ? ORDER BY id DESC LIMIT 1", cat.member).Scan(&order2)
	db.Raw("SELECT id FROM orders WHERE supplier_id = ? AND status = 'placed' ORDER BY id DESC LIMIT 1", supplierID).Scan(&supOrder)
	db.Raw("SELECT id FROM orders WHERE supplier_id <> ? ORDER BY id DESC LIMIT 1", supplierID).Scan(&otherSupOrder)
	if list1 == 0 || list2 == 0 || line1 == 0 || line2 == 0 || order1 == 0 || order2 == 0 || supOrder == 0 || otherSupOrder == 0 {
		t.Fatalf("setup: lists %d %d, cart lines %d %d, orders %d %d %d %d", list1, list2, line1, line2, order1, order2, supOrder, otherSupOrder)
	}
	must(practice, "POST", "/lists/"+itoa(list1)+"/lines", url.Values{"product_id": {itoa(cat.products[0])}, "offer_id": {itoa(cat.offers[0])}, "quantity": {"1"}}, http.StatusSeeOther)
	must(supplier, "POST", "/supplier/integration/keys", url.Values{"name": {"korpus"}}, http.StatusCreated)
	var key1, key2 int64
	db.Raw("SELECT id FROM api_keys WHERE supplier_id = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1", supplierID).Scan(&key1)
	db.Raw("SELECT id FROM api_keys WHERE supplier_id <> ? ORDER BY id LIMIT 1", supplierID).Scan(&key2)
	must(admin, "POST", "/staff/members/"+itoa(member2)+"/addresses", url.Values{"label": {"Filial"}, "street": {"Vej 1"},
		"postcode": {"8000"}, "city": {"Aarhus C"}, "country": {"DK"}}, http.StatusSeeOther)
	var addr2 int64
	db.Raw("SELECT id FROM member_addresses WHERE member_id = ? ORDER BY id DESC LIMIT 1", member2).Scan(&addr2)
	var draft, pl1, pl2, product int64
	newTender := admin.req("GET", "/staff/tenders/new?period="+url.QueryEscape(ten.DemandPeriod), nil)
	for _, f := range formsOf("/staff/tenders/new", newTender.body) {
		if f.action == "/staff/tenders" && f.method == "POST" {
			v := f.values()
			v.Set("title", "Korpusudbud")
			must(admin, "POST", "/staff/tenders", v, http.StatusSeeOther)
		}
	}
	db.Raw("SELECT id FROM tenders WHERE status = 'draft' ORDER BY id DESC LIMIT 1").Scan(&draft)
	db.Raw("SELECT id FROM price_lists WHERE supplier_id = ? ORDER BY id LIMIT 1", supplierID).Scan(&pl1)
	db.Raw("SELECT id FROM price_lists WHERE supplier_id <> ? ORDER BY id LIMIT 1", supplierID).Scan(&pl2)
	product = cat.products[0]
	tenderPage := supplier.req("GET", "/supplier/tenders/"+itoa(ten.OpenTenderID), nil)
	for _, f := range formsOf("", tenderPage.body) {
		if f.action == "/supplier/tenders/"+itoa(ten.OpenTenderID)+"/bids" {
			v := f.values()
			for k := range v {
				if strings.HasPrefix(k, "price-") {
					v.Set(k, "40")
					v.Set("content-"+strings.TrimPrefix(k, "price-"), "100")
					v.Set("unit-"+strings.TrimPrefix(k, "price-"), "BX")
				}
				if strings.HasPrefix(k, "value-") {
					v.Set(k, "2")
				}
			}
			must(supplier, "POST", f.action, v, http.StatusSeeOther)
		}
	}
	var bid1, bid2 int64
	db.Raw("SELECT id FROM bids WHERE supplier_id = ? AND tender_id = ? AND status <> 'withdrawn' ORDER BY id DESC LIMIT 1", supplierID, ten.OpenTenderID).Scan(&bid1)
	db.Raw("SELECT id FROM bids WHERE supplier_id <> ? ORDER BY id LIMIT 1", supplierID).Scan(&bid2)
	if draft == 0 || pl1 == 0 || pl2 == 0 || key1 == 0 || key2 == 0 || addr2 == 0 || bid1 == 0 || bid2 == 0 {
		t.Fatalf("setup: draft %d, lists %d %d, keys %d %d, address %d, bids %d %d", draft, pl1, pl2, key1, key2, addr2, bid1, bid2)
	}

	// The pages each role reaches: their forms are the corpus's base
	// forms, their paths and query parameters are cases too.
	type visit struct {
		p     *person
		path  string
		query []string // the query parameters the page reads
	}
	id := itoa
	visits := []visit{
		{anon, "/login", []string{"next"}},
		{practice, "/", nil},
		{practice, "/shop", []string{"q", "category", "done"}},
		{practice, "/shop/products/" + id(product), []string{"done"}},
		{practice, "/cart", []string{"done"}},
		{practice, "/orders", []string{"status"}},
		{practice, "/orders/placed?key=" + url.QueryEscape(key[1]), []string{"key"}},
		{practice, "/orders/" + id(order1), []string{"done"}},
		{practice, "/lists", []string{"done"}},
		{practice, "/lists/" + id(list1), []string{"done"}},
		{practice, "/demand", []string{"period", "q"}},
		{practice, "/savings", []string{"year"}},
		{practice, "/savings.csv", []string{"year"}},
		{practice, "/compare", []string{"period", "category"}},
		{practice, "/compliance", []string{"from", "to"}},
		{supplier, "/supplier/price-lists", []string{"done", "after"}},
		{supplier, "/supplier/price-lists/" + id(pl1), []string{"show", "diff", "progress"}},
		{supplier, "/supplier/price-lists/" + id(pl1) + "/diff.csv", []string{"show"}},
		{supplier, "/supplier/orders?status=placed", []string{"status"}},
		{supplier, "/supplier/integration", []string{"done"}},
		{supplier, "/supplier/tenders", []string{"done"}},
		{supplier, "/supplier/tenders/" + id(ten.OpenTenderID), []string{"done"}},
		{supplier, "/supplier/tenders/" + id(ten.OpenTenderID) + "/bid.csv", []string{"x"}},
		{board, "/board/savings", []string{"preset", "from", "to"}},
		{board, "/board/savings/practices", []string{"preset", "from", "to", "q", "sort", "dir"}},
		{board, "/board/savings/export?table=months&format=csv", []string{"table", "format", "from", "to", "preset"}},
		{board, "/board/surplus", []string{"after"}},
		{board, "/board/surplus/" + id(sur.RunID), []string{"q"}},
		{admin, "/board/surplus/" + id(sur.RunID), []string{"q"}},
		{admin, "/board/surplus/new", []string{"done"}},
		{admin, "/staff/scorecards", []string{"sort", "dir", "period"}},
		{admin, "/staff/suppliers/" + id(supplierID) + "/scorecard", []string{"period"}},
		{admin, "/staff/scorecard-weights", []string{"done"}},
		{board, "/board/scorecards", []string{"sort", "dir", "period"}},
		{board, "/board/scorecards/" + id(supplierID), []string{"period"}},
		{supplier, "/supplier/scorecard", []string{"period"}},
		{supplier, "/supplier/scorecard/" + id(supplierID), []string{"period"}},
		{board, "/board/compliance", []string{"from", "to"}},
		{board, "/board/compliance.csv", []string{"from", "to"}},
		{board, "/board/compliance.xlsx", []string{"from", "to"}},
		{board, "/board/clusters", []string{"period", "category"}},
		{admin, "/staff/members", []string{"q", "status"}},
		{admin, "/staff/members/new", []string{"done"}},
		{admin, "/staff/members/cvr?cvr=29403473", []string{"cvr", "id"}},
		{admin, "/staff/members/" + id(member2), []string{"done"}},
		{admin, "/staff/suppliers", []string{"q"}},
		{admin, "/staff/suppliers/new", []string{"done"}},
		{admin, "/staff/suppliers/" + id(supplier2), []string{"done"}},
		{admin, "/staff/catalogue", []string{"supplier", "status"}},
		{admin, "/staff/catalogue/price-lists/" + id(pl2), []string{"show"}},
		{admin, "/staff/catalogue/candidates", []string{"done"}},
		{admin, "/staff/catalogue/rates", []string{"done"}},
		{admin, "/staff/tenders", []string{"status"}},
		{admin, "/staff/tenders/new?period=" + url.QueryEscape(ten.DemandPeriod), []string{"period", "category", "title", "rebate", "bid_deadline"}},
		{admin, "/staff/tenders/" + id(draft), []string{"done"}},
		{admin, "/staff/tenders/" + id(draft) + "/edit", []string{"done"}},
		{admin, "/staff/tenders/" + id(ten.AwardedTenderID), []string{"done"}},
		{admin, "/staff/tenders/" + id(ten.OpenTenderID) + "/bid-count", []string{"x"}},
		{admin, "/staff/jobs", []string{"done"}},
		{admin, "/staff/audit", []string{"entity", "id"}},
	}
	// A finished job run to show, and two candidate products (new to the
	// catalogue) to confirm or merge.
	run, err := s.svc.JobRuns.Start(ctx, "savings-rollup", "manual")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.JobRuns.Finish(ctx, run, "succeeded", nil, nil); err != nil {
		t.Fatal(err)
	}
	visits = append(visits, visit{admin, "/staff/jobs/runs/" + id(run.ID), []string{"progress"}})
	for _, name := range []string{"Nitrilhandsker korpus", "Kompresser korpus"} {
		if err := db.Exec("INSERT INTO products (name, category, base_unit, status) VALUES (?, 'Handsker', 'EA', 'candidate')", name).Error; err != nil {
			t.Fatal(err)
		}
	}

	// The routes of the pages, from the router.
	type route struct {
		key string
		re  *regexp.Regexp
	}
	var routes []route
	for _, r := range s.srv.Routes() {
		if !strings.HasPrefix(r.Name, "andel/web.") && r.Path != "/assets/*" {
			continue
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			continue
		}
		routes = append(routes, route{key: r.Method + " " + r.Path, re: routePattern(r.Path)})
	}
	// As Echo matches: a static path before one with parameters.
	sort.SliceStable(routes, func(i, j int) bool {
		return strings.Count(routes[i].key, ":")+2*strings.Count(routes[i].key, "*") < strings.Count(routes[j].key, ":")+2*strings.Count(routes[j].key, "*")
	})
	routeOf := func(method, path string) string {
		p, _, _ := strings.Cut(path, "?")
		for _, r := range routes {
			if strings.HasPrefix(r.key, method+" ") && r.re.MatchString(p) {
				return r.key
			}
		}
		return ""
	}

	var cases []formCase
	forms := map[string]scrapedForm{} // by route: the first form seen
	formOwner := map[string]*person{}
	for _, v := range visits {
		pg := v.p.req("GET", v.path, nil)
		if pg.status >= 400 {
			t.Errorf("GET %s: %d", v.path, pg.status)
			continue
		}
		rt := routeOf("GET", v.path)
		if rt == "" {
			t.Errorf("GET %s: no route", v.path)
			continue
		}
		for _, f := range formsOf(v.path, pg.body) {
			if f.action == "" || !strings.HasPrefix(f.action, "/") {
				continue
			}
			frt := routeOf(f.method, f.action)
			if frt == "" {
				continue
			}
			if _, seen := forms[frt]; !seen {
				forms[frt] = f
				formOwner[frt] = v.p
			}
		}
		// The page's query parameters, one at a time; a GET may take what
		// it does not understand (it then shows the default), but never a
		// 500, and unreadable text is refused.
		base, q, _ := strings.Cut(v.path, "?")
		for _, param := range v.query {
			for _, m := range formMutations {
				vals, _ := url.ParseQuery(q)
				vals.Set(param, m.value)
				kind := kLoose
				switch param {
				case "from", "to":
					kind = kDate
				case "period":
					kind = kPeriod
				case "year":
					kind = kNum
				}
				cases = append(cases, formCase{name: fmt.Sprintf("GET %s ?%s=%s", base, param, m.name), route: rt, p: v.p,
					method: "GET", path: base + "?" + vals.Encode(), refuse: m.strict(kind, false), core: true})
			}
		}
		cases = append(cases, formCase{name: "GET " + base + " with an unreadable parameter name", route: rt, p: v.p,
			method: "GET", path: base + "?" + url.QueryEscape("a\x00") + "=1", refuse: true, core: true})
	}

	// Forms no page shows at this state of the data, built by hand.
	manual := map[string]struct {
		p      *person
		action string
		form   url.Values
	}{
		"POST /staff/tenders/:id/award":                 {admin, "/staff/tenders/" + id(ten.AwardedTenderID) + "/award", url.Values{"bid-1": {id(bid2)}, "reason-1": {"grund"}, "supersede": {"on"}}},
		"POST /supplier/tenders/:id/bids/:bid/withdraw": {supplier, "/supplier/tenders/" + id(ten.OpenTenderID) + "/bids/" + id(bid1) + "/withdraw", url.Values{}},
		"POST /staff/members/:id/addresses/:aid/delete": {admin, "/staff/members/" + id(member2) + "/addresses/" + id(addr2) + "/delete", url.Values{}},
	}
	for rt, mf := range manual {
		if _, ok := forms[rt]; ok {
			continue
		}
		f := scrapedForm{page: "(by hand)", method: "POST", action: mf.action}
		for k, vs := range mf.form {
			f.fields = append(f.fields, formField{name: k, kind: kText, value: vs[0], sent: true})
		}
		forms[rt] = f
		formOwner[rt] = mf.p
	}

	// A job started by the corpus would write while later cases are
	// checked: the jobs' forms are sent with names of no job only.
	delete(forms, "POST /staff/jobs/:name/run")
	for _, name := range []string{"%00", "no-such-job", strings.Repeat("j", 5000), "%E6", "..%2F..%2Fetc"} {
		cases = append(cases, formCase{name: "run job " + name, route: "POST /staff/jobs/:name/run", p: admin, method: "POST",
			path: "/staff/jobs/" + name + "/run", ctype: "application/x-www-form-urlencoded", body: []byte("_csrf=" + url.QueryEscape(admin.csrf)), refuse: true, core: true})
	}

	// Each form: its fields mutated one at a time (a field repeated per
	// row, price-12 and price-13, once), a field of no form, no CSRF token.
	formKeys := make([]string, 0, len(forms))
	for rt := range forms {
		formKeys = append(formKeys, rt)
	}
	// Forms that end something (a cancellation, a publication, an award,
	// a withdrawal, a removal) go after the ones that edit it, which an
	// accepted ending would leave refused for its state.
	ending := regexp.MustCompile(`/(cancel|publish|award|withdraw|delete|revoke|approve|status|checkout)$`)
	sort.Slice(formKeys, func(i, j int) bool {
		ei, ej := ending.MatchString(formKeys[i]), ending.MatchString(formKeys[j])
		if ei != ej {
			return ej
		}
		return formKeys[i] < formKeys[j]
	})
	rowSuffix := regexp.MustCompile(`-\d+$`)
	for _, rt := range formKeys {
		f, p := forms[rt], formOwner[rt]
		for k, v := range formCorpusFill[rt] {
			for i := range f.fields {
				if f.fields[i].name == k {
					f.fields[i].value, f.fields[i].sent = v, true
				}
			}
		}
		if rt == "POST /logout" {
			p = leaving
		}
		post := f.method == "POST"
		enc := func(v url.Values) (string, []byte) {
			if post {
				if p != anon && rt != "POST /logout" {
					v.Set("_csrf", p.csrf)
				}
				return "application/x-www-form-urlencoded", []byte(v.Encode())
			}
			return "", nil
		}
		send := func(name string, v url.Values, refuse bool, status int) {
			ctype, body := enc(v)
			path := f.action
			if !post {
				path += "?" + v.Encode()
			}
			cases = append(cases, formCase{name: rt + " " + name, route: rt, p: p, method: f.method, path: path, ctype: ctype, body: body,
				refuse: refuse, status: status, core: true})
		}
		if rt == "POST /logout" {
			continue // below, last
		}
		if f.enctype == "multipart/form-data" {
			continue // the uploads' own cases below
		}
		seen := map[string]bool{}
		for _, fl := range f.fields {
			pat := rowSuffix.ReplaceAllString(fl.name, "-N")
			if formCorpusUnread[rt+" "+fl.name] != "" {
				fl.kind = kLoose // and the row's next field stands for it
			} else if seen[pat] {
				continue
			} else {
				seen[pat] = true
			}
			for _, m := range formMutations {
				v := f.values()
				v.Set(fl.name, m.value)
				send(fmt.Sprintf("%s=%s", fl.name, m.name), v, m.strict(fl.kind, post), 0)
			}
			v := f.values()
			v[fl.name] = []string{fl.value, "2", "abc"}
			send(fl.name+" given three times", v, false, 0)
		}
		v := f.values()
		v.Set("corpus\x00", "x\x00")
		send("a field of no form with a NUL", v, true, 0)
		if post && p != anon {
			ctype, body := "application/x-www-form-urlencoded", []byte(f.values().Encode())
			cases = append(cases, formCase{name: rt + " without a CSRF token", route: rt, p: p, method: "POST", path: f.action,
				ctype: ctype, body: body, refuse: true, status: http.StatusForbidden, core: true})
			w := f.values()
			w.Set("_csrf", "not-the-token")
			cases = append(cases, formCase{name: rt + " with a wrong CSRF token", route: rt, p: p, method: "POST", path: f.action,
				ctype: ctype, body: []byte(w.Encode()), refuse: true, status: http.StatusForbidden, core: true})
		}
	}

	// Ids in paths: malformed ones are the 404 page, another tenant's the
	// 404 of a missing one.
	bad := []string{"1e400", "-1", "0", "99999999999999999999", "987654321", "abc", "%00"}
	for _, r := range routes {
		method, pattern, _ := strings.Cut(r.key, " ")
		if !strings.Contains(pattern, ":") || pattern == "/staff/jobs/:name/run" {
			continue
		}
		p := map[string]*person{"/supplier": supplier, "/board": board, "/staff": admin}[pattern[:strings.Index(pattern[1:], "/")+1]]
		if p == nil {
			p = practice
		}
		if strings.HasPrefix(pattern, "/board/surplus") {
			p = board
		}
		for _, b := range bad {
			path := regexp.MustCompile(`:[a-z]+`).ReplaceAllString(pattern, b)
			c := formCase{name: r.key + " with id " + b, route: r.key, p: p, method: method, path: path, refuse: true, status: http.StatusNotFound}
			if method == "POST" {
				c.ctype, c.body = "application/x-www-form-urlencoded", []byte(url.Values{"_csrf": {p.csrf}, "status": {"confirmed"},
					"product_id": {itoa(product)}, "quantity": {"1"}}.Encode())
			}
			cases = append(cases, c)
		}
	}
	foreign := []struct {
		p            *person
		method, path string
	}{
		{practice, "GET", "/orders/" + id(order2)},
		{practice, "POST", "/orders/" + id(order2) + "/reorder"},
		{practice, "GET", "/lists/" + id(list2)},
		{practice, "POST", "/lists/" + id(list2) + "/lines"},
		{practice, "POST", "/lists/" + id(list2) + "/cart"},
		{practice, "POST", "/cart/lines/" + id(line2)},
		{supplier, "GET", "/supplier/price-lists/" + id(pl2)},
		{supplier, "GET", "/supplier/scorecard/" + id(supplier2)},
		{supplier, "GET", "/supplier/price-lists/" + id(pl2) + "/diff.csv"},
		{supplier, "POST", "/supplier/orders/" + id(otherSupOrder) + "/status"},
		{supplier, "POST", "/supplier/integration/keys/" + id(key2) + "/revoke"},
		{supplier, "GET", "/supplier/tenders/" + id(draft)},
		{supplier, "POST", "/supplier/tenders/" + id(draft) + "/bids"},
		{supplier, "POST", "/supplier/tenders/" + id(ten.OpenTenderID) + "/bids/" + id(bid2) + "/withdraw"},
		{admin, "POST", "/staff/members/" + id(cat.member) + "/addresses/" + id(addr2) + "/delete"},
		{admin, "POST", "/staff/members/" + id(cat.member) + "/addresses/" + id(addr2) + "/default"},
		{admin, "POST", "/staff/suppliers/" + id(supplierID) + "/keys/" + id(key2) + "/revoke"},
	}
	for _, fr := range foreign {
		c := formCase{name: "another tenant's " + fr.method + " " + fr.path, route: routeOf(fr.method, fr.path), p: fr.p, method: fr.method, path: fr.path,
			refuse: true, status: http.StatusNotFound}
		if fr.method == "POST" {
			c.ctype = "application/x-www-form-urlencoded"
			c.body = []byte(url.Values{"_csrf": {fr.p.csrf}, "status": {"confirmed"}, "product_id": {id(product)}, "quantity": {"1"}}.Encode())
		}
		cases = append(cases, c)
	}

	// The uploads: a price list and a bid by file, hostile files and
	// broken multipart bodies.
	cases = append(cases, uploadCases(supplier, "/supplier/price-lists", "POST /supplier/price-lists", nil)...)
	bidForm := url.Values{}
	if f, ok := forms["POST /supplier/tenders/:id/bids/csv"]; ok {
		bidForm = f.values()
	}
	cases = append(cases, uploadCases(supplier, "/supplier/tenders/"+id(ten.OpenTenderID)+"/bids/csv", "POST /supplier/tenders/:id/bids/csv", bidForm)...)

	// The language switch needs no CSRF token (it changes nothing stored);
	// logging out is last (it ends the session).
	cases = append(cases,
		formCase{name: "POST /logout without a CSRF token", route: "POST /logout", p: leaving, method: "POST", path: "/logout",
			ctype: "application/x-www-form-urlencoded", body: []byte("next=%2F"), refuse: true, status: http.StatusForbidden, core: true},
		formCase{name: "POST /logout with a NUL field", route: "POST /logout", p: leaving, method: "POST", path: "/logout",
			ctype: "application/x-www-form-urlencoded", body: []byte("_csrf=" + url.QueryEscape(leaving.csrf) + "&x=%00"), refuse: true, core: true})

	// Every route of the pages has a case, or is excluded with a reason.
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.route] = covered[c.route] || c.core
	}
	for _, r := range routes {
		if !covered[r.key] && formCorpusExcluded[r.key] == "" {
			t.Errorf("route %s has no case in the corpus (add a page that shows its form, a case, or an exclusion with a reason)", r.key)
		}
	}

	// Run them, checking the database after each. The checksums are
	// taken again only when a statement may have written to a table other
	// than sessions and login_failures: a statement trigger on each counts
	// (a sequence, so a rolled-back write counts too). Most cases write
	// nothing, and summing every table after each of 4,000 requests took
	// most of a minute.
	writes := watchWrites(t, s)
	before := formChecksums(t, s)
	seen := writes()
	var rejectedBefore int64
	db.Raw("SELECT count(*) FROM price_lists WHERE status = 'rejected'").Scan(&rejectedBefore)
	uploads, accepted, sums := 0, map[string]int{}, 0
	for _, c := range cases {
		var res page
		if c.method == "GET" {
			res = c.p.req("GET", c.path, nil)
		} else {
			res = c.p.raw(c.method, c.path, c.ctype, c.body)
		}
		if c.rejects {
			uploads++
		}
		refused := res.status >= 400 && res.status < 500
		switch {
		case res.status >= 500:
			t.Errorf("%s: %d %s", c.name, res.status, short(mainOf(res.body)))
		case c.status != 0 && res.status != c.status:
			t.Errorf("%s: %d, want %d: %s", c.name, res.status, c.status, short(mainOf(res.body)))
		case c.refuse && !refused:
			t.Errorf("%s: %d (taken), want a refusal: %s %s", c.name, res.status, res.location, short(mainOf(res.body)))
		case refused && res.status != http.StatusForbidden && res.status != http.StatusNotFound && !strings.HasPrefix(res.ctype, "text/html"):
			t.Errorf("%s: %d as %q, want an HTML page", c.name, res.status, res.ctype)
		}
		if !refused && res.status < 500 {
			accepted[c.route]++
		}
		if w := writes(); w == seen {
			continue
		} else {
			seen = w
		}
		sums++
		after := formChecksums(t, s)
		if !mapsEqualStr(before, after) {
			if refused || c.rejects || res.status >= 500 {
				for tb, sum := range after {
					if before[tb] != sum {
						t.Errorf("%s: %d, and table %s changed", c.name, res.status, tb)
					}
				}
			}
			before = after
		}
	}
	var rejectedAfter int64
	db.Raw("SELECT count(*) FROM price_lists WHERE status = 'rejected'").Scan(&rejectedAfter)
	if int(rejectedAfter-rejectedBefore) > uploads {
		t.Errorf("%d rejected lists kept for %d refused uploads", rejectedAfter-rejectedBefore, uploads)
	}
	if testing.Verbose() {
		for rt, n := range accepted {
			t.Logf("taken: %s %d", rt, n)
		}
	}
	t.Logf("%d hostile requests over %d routes of the pages in %v (the database summed after %d)", len(cases), len(routes), time.Since(start).Round(time.Millisecond), sums)
}

// watchWrites puts a statement trigger on every table but sessions and
// login_failures that counts the statements writing to it, and returns
// the count.
func watchWrites(t *testing.T, s *site) func() int64 {
	t.Helper()
	db := s.svc.DB
	if err := db.Exec(`CREATE SEQUENCE corpus_writes;
		CREATE FUNCTION corpus_write() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM nextval('corpus_writes'); RETURN NULL; END $$`).Error; err != nil {
		t.Fatal(err)
	}
	var tables []string
	db.Raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('sessions', 'login_failures')`).Scan(&tables)
	for _, tb := range tables {
		if err := db.Exec(fmt.Sprintf(`CREATE TRIGGER corpus_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %q
			FOR EACH STATEMENT EXECUTE FUNCTION corpus_write()`, tb)).Error; err != nil {
			t.Fatal(err)
		}
	}
	return func() int64 {
		var n int64
		db.Raw("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM corpus_writes").Scan(&n)
		return n
	}
}

func mapsEqualStr(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// uploadCases are hostile files and broken multipart bodies for a form
// with a file field "file" (and the other fields of form).
func uploadCases(p *person, path, route string, form url.Values) []formCase {
	multi := func(filename string, content []byte, csrf bool) (string, []byte) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		if csrf {
			_ = w.WriteField("_csrf", p.csrf)
		}
		for k, vs := range form {
			if k != "_csrf" {
				for _, v := range vs {
					_ = w.WriteField(k, v)
				}
			}
		}
		if filename != "" {
			fw, _ := w.CreateFormFile("file", filename)
			_, _ = fw.Write(content)
		}
		_ = w.Close()
		return w.FormDataContentType(), b.Bytes()
	}
	var out []formCase
	add := func(name, filename string, content []byte, status int) {
		ctype, body := multi(filename, content, true)
		out = append(out, formCase{name: route + " " + name, route: route, p: p, method: "POST", path: path, ctype: ctype, body: body,
			refuse: false, status: status, rejects: true, core: true})
	}
	// A pack price of 13 digits, a NUL, not UTF-8, a quote never closed,
	// half a zip, half an XML document, a billion laughs: each a refusal
	// or the report of a rejected list, never a change of the catalogue.
	add("CSV with a 13-digit price", "l.csv", []byte("sku;name;pack_unit;pack_content;pack_price;currency\nA-1;Handsker;BX;100;1234567890123;DKK\n"), 0)
	add("CSV with a NUL", "l.csv", []byte("sku;name;pack_unit;pack_content;pack_price;currency\nA-1;Hand\x00sker;BX;100;12;DKK\n"), 0)
	add("CSV with a quote never closed", "l.csv", []byte("sku;name;pack_unit;pack_content;pack_price;currency\nA-1;\"Handsk"), 0)
	add("CSV of a header only, cut", "l.csv", []byte("sku;na"), 0)
	add("an empty file", "l.csv", nil, 0)
	add("half an xlsx", "l.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), 0)
	add("half an XML document", "l.xml", []byte(`<?xml version="1.0"?><Catalogue xmlns="urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2"><CatalogueLine>`), 0)
	add("a billion laughs", "l.xml", []byte(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><Catalogue>&c;</Catalogue>`), 0)
	add("JSON with a lone surrogate", "l.json", []byte(`{"lines":[{"sku":"A\ud800","name":"x","pack_unit":"BX","pack_content":"1","pack_price":"1","currency":"DKK"}]}`), 0)
	add("JSON cut", "l.json", []byte(`{"lines":[{"sku":"A`), 0)
	add("a file named with a NUL", "l\x00.csv", []byte("sku\n"), 0)
	add("a file named in invalid UTF-8", "l\xe6.csv", []byte("sku\n"), 0)
	add("a program", "l.exe", []byte("MZ\x90\x00"), 0)
	add("a file of 1 MB of one line", "l.csv", bytes.Repeat([]byte("x"), 1<<20), 0)
	// Broken multipart bodies.
	ctype, body := multi("l.csv", []byte("sku;name\nA;B\n"), true)
	for _, c := range []struct {
		name  string
		ctype string
		body  []byte
	}{
		{"a multipart body cut short", ctype, body[:len(body)*2/3]},
		{"a multipart body without its boundary", "multipart/form-data", body},
		{"a multipart body with another boundary", "multipart/form-data; boundary=nothere", body},
		{"no file", "application/x-www-form-urlencoded", []byte("_csrf=" + url.QueryEscape(p.csrf))},
	} {
		out = append(out, formCase{name: route + " " + c.name, route: route, p: p, method: "POST", path: path, ctype: c.ctype, body: c.body, refuse: true, rejects: true})
	}
	ctype, body = multi("l.csv", []byte("sku;name\nA;B\n"), false)
	out = append(out, formCase{name: route + " without a CSRF token", route: route, p: p, method: "POST", path: path, ctype: ctype, body: body,
		refuse: true, status: http.StatusForbidden})
	return out
}
