package api_test

import (
	"net/http"
	"slices"
	"testing"

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
