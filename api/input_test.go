package api_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"andel/internal/demo"
)

// TestUnreadableInputIsRefusedWhole: NUL and control characters, invalid
// UTF-8, lone surrogates and numbers too large for their field are a 400
// listing every problem (never a 500 from PostgreSQL), and every unknown
// field is named, not only the first.
func TestUnreadableInputIsRefusedWhole(t *testing.T) {
	e := newEnv(t)
	admin := e.login(demo.AdminEmail)
	anon := e.anonymous()
	json := map[string]string{"Content-Type": "application/json"}
	var before int64
	e.svc.DB.Raw("SELECT count(*) FROM members").Scan(&before)

	cases := []struct {
		name   string
		c      *client
		method string
		path   string
		body   string
		fields []string
	}{
		{"NUL in a login, not logged in", anon, "POST", "/api/v1/session", `{"email":"a\u0000@b.dk","password":"x"}`, []string{"email"}},
		{"NUL in a name", admin, "POST", "/api/v1/members", `{"name":"Læge\u0000huset","cvr":"29403473"}`, []string{"name"}},
		{"control character", admin, "POST", "/api/v1/members", `{"name":"Læge\u0007huset","cvr":"29403473"}`, []string{"name"}},
		{"lone surrogate", admin, "POST", "/api/v1/members", `{"name":"Læge\ud800huset","cvr":"29403473"}`, []string{"name"}},
		{"invalid UTF-8", admin, "POST", "/api/v1/members", "{\"name\":\"L\xe6gehuset\",\"cvr\":\"29403473\"}", []string{"body"}},
		{"every unknown field", admin, "POST", "/api/v1/members", `{"name":"A","cvr":"29403473","colour":"red","owner":{"id":1}}`, []string{"colour", "owner"}},
		{"nested unknown and NUL key", admin, "PATCH", "/api/v1/members/1", `{"order_contact":{"fax":"1","na\u0000me":"x"}}`, []string{"order_contact.fax", "order_contact.na\x00me"}},
		{"whole number too large", admin, "POST", "/api/v1/orders", `{"lines":[{"product_id":1,"quantity":1e30}]}`, []string{"lines[0].quantity"}},
		{"not a whole number", admin, "POST", "/api/v1/orders", `{"lines":[{"product_id":1.5,"quantity":1}]}`, []string{"lines[0].product_id"}},
	}
	for _, tc := range cases {
		res := tc.c.doRaw(tc.method, tc.path, []byte(tc.body), json)
		if res.status != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", tc.name, res.status, res.body)
			continue
		}
		got := res.problemFields()
		for _, f := range tc.fields {
			if !slices.Contains(got, f) {
				t.Errorf("%s: problems %q lack %q", tc.name, got, f)
			}
		}
	}
	for _, q := range []string{"/api/v1/products?q=%00", "/api/v1/members?q=a%00", "/api/v1/members?quality_cluster=%ff",
		"/api/v1/suppliers?q=%01", "/api/v1/audit?entity=%00"} {
		if res := admin.do("GET", q, nil); res.status != http.StatusBadRequest {
			t.Errorf("GET %s: %d %s, want 400", q, res.status, res.body)
		}
	}
	var after int64
	e.svc.DB.Raw("SELECT count(*) FROM members").Scan(&after)
	if after != before {
		t.Errorf("refused requests changed the members: %d -> %d", before, after)
	}
}

// TestRefusalsThatKeepData: a demand body without its lines does not
// delete the practice's demand; a malformed period is refused on GET as on
// PUT; a bid priced 0 is refused.
func TestRefusalsThatKeepData(t *testing.T) {
	e := newEnv(t)
	practice := e.login(demo.PracticeEmail)
	var member, product int64
	e.svc.DB.Raw("SELECT member_id FROM users WHERE email = ?", demo.PracticeEmail).Scan(&member)
	e.svc.DB.Raw("SELECT min(id) FROM products").Scan(&product)
	path := "/api/v1/members/" + itoa(member) + "/demand/2027"
	practice.do("PUT", path, map[string]any{"lines": []map[string]any{{"product_id": product, "quantity": "10"}}}).expect(http.StatusOK)
	for _, body := range []string{`{}`, `{"lines": null}`} {
		practice.doRaw("PUT", path, []byte(body), map[string]string{"Content-Type": "application/json"}).expect(http.StatusUnprocessableEntity)
	}
	if lines := practice.do("GET", path, nil).expect(http.StatusOK).json()["lines"].([]any); len(lines) != 1 {
		t.Errorf("a refused body changed the demand: %v", lines)
	}
	practice.do("GET", "/api/v1/members/"+itoa(member)+"/demand/2027-13", nil).expect(http.StatusUnprocessableEntity)
	// An empty list on purpose clears it.
	practice.do("PUT", path, map[string]any{"lines": []any{}}).expect(http.StatusOK)

	admin := e.login(demo.AdminEmail)
	sup := e.withKey(e.demoKey(1))
	deadline := time.Now().Add(time.Hour).Truncate(time.Second)
	tender := admin.do("POST", "/api/v1/tenders", tenderBody(deadline, m{"title": "Nul", "items": []m{{"product_id": product, "quantity": "10"}}})).
		expect(http.StatusCreated).json()
	tpath := "/api/v1/tenders/" + itoa(int64(tender["id"].(float64)))
	admin.do("POST", tpath+"/publish", nil).expect(http.StatusOK)
	item := obj(list(obj(list(tender["lots"])[0])["items"])[0])["id"]
	bad := sup.do("POST", tpath+"/bids", m{"values": m{"delivery_days": "2"}, "items": []m{{"item_id": item, "pack_unit": "BX",
		"pack_content": "100", "pack_price": "0", "tiers": []m{{"min_packs": "10", "pack_price": "0.00"}}}}}).expect(http.StatusUnprocessableEntity)
	if f := bad.problemFields(); !slices.Contains(f, "items[0].pack_price") || !slices.Contains(f, "items[0].tiers[0].pack_price") {
		t.Errorf("problems %v, want the price and the tier's price", f)
	}
}

// TestNumbersTooLargeAreRefused: numbers beyond what their column keeps,
// or beyond a sensible bound, are a 4xx naming the field, never a 500
// from PostgreSQL (numeric field overflow), and nothing is stored.
func TestNumbersTooLargeAreRefused(t *testing.T) {
	e := newEnv(t)
	admin, practice := e.login(demo.AdminEmail), e.login(demo.PracticeEmail)
	sup := e.withKey(e.demoKey(1))
	var member, product int64
	e.svc.DB.Raw("SELECT member_id FROM users WHERE email = ?", demo.PracticeEmail).Scan(&member)
	e.svc.DB.Raw("SELECT min(id) FROM products").Scan(&product)
	forty := "1234567890123456789012345678901234567890"
	for _, c := range []struct {
		name   string
		c      *client
		method string
		path   string
		body   any
		field  string
	}{
		{"a rate of 111111111111", admin, "PUT", "/api/v1/exchange-rates/EUR", m{"rate": "111111111111"}, "rate"},
		{"a rate of 1e400", admin, "PUT", "/api/v1/exchange-rates/EUR", m{"rate": "1e400"}, "rate"},
		{"10^15 packs", practice, "POST", "/api/v1/orders", m{"lines": []m{{"product_id": product, "offer_id": 1, "quantity": 1_000_000_000_000_000}}}, "lines[0].quantity"},
		{"a demand of 40 digits", practice, "PUT", "/api/v1/members/" + itoa(member) + "/demand/2027", m{"lines": []m{{"product_id": product, "quantity": forty}}}, "lines[0].quantity"},
	} {
		res := c.c.do(c.method, c.path, c.body)
		if res.status < 400 || res.status >= 500 {
			t.Errorf("%s: %d %s, want a 4xx", c.name, res.status, res.body)
			continue
		}
		if f := res.problemFields(); !slices.Contains(f, c.field) {
			t.Errorf("%s: problems %v, want %s", c.name, f, c.field)
		}
	}
	// A price list whose pack price has 13 digits before the point is
	// rejected as a whole, naming the line.
	csv := "sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\nBIG-1,Guld,,BX,100,EA,1234567890123.00,DKK\n"
	if res := sup.upload("text/csv", []byte(csv), nil); res.status != http.StatusUnprocessableEntity {
		t.Errorf("a 13-digit pack price: %d %s", res.status, res.body)
	}
	var stored int64
	e.svc.DB.Raw("SELECT count(*) FROM exchange_rates WHERE currency = 'EUR'").Scan(&stored)
	var orders int64
	e.svc.DB.Raw("SELECT count(*) FROM orders").Scan(&orders)
	if stored != 0 || orders != 0 {
		t.Errorf("refused numbers stored %d rates and %d orders", stored, orders)
	}
}
