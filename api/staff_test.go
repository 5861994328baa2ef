package api_test

import (
	"net/http"
	"strings"
	"testing"

	"andel/internal/demo"
)

// TestAuditHistoryAndCandidates: the history of one member through the
// API (its own events and its address's, newest first; problems for a
// kind without a history or a bad id; staff only), and the candidate
// queue with its evidence after a supplier's list names an unknown item.
func TestAuditHistoryAndCandidates(t *testing.T) {
	e := newEnv(t)
	admin := e.login(demo.AdminEmail)
	m := admin.do("POST", "/api/v1/members", map[string]any{"name": "Historikhuset", "cvr": "29403473"}).expect(http.StatusCreated).json()
	id := itoa(int64(m["id"].(float64)))
	admin.do("POST", "/api/v1/members/"+id+"/addresses", map[string]any{"street": "Vej 1", "postcode": "8000", "city": "Aarhus C"}).
		expect(http.StatusCreated)
	var actions []string
	for _, it := range admin.do("GET", "/api/v1/audit/member/"+id, nil).expect(http.StatusOK).json()["items"].([]any) {
		actions = append(actions, it.(map[string]any)["action"].(string))
	}
	if got := strings.Join(actions, " "); got != "member.address_added member.created" {
		t.Errorf("history %q", got)
	}
	page := admin.do("GET", "/api/v1/audit/member/"+id+"?limit=1", nil).expect(http.StatusOK).json()
	if len(page["items"].([]any)) != 1 || page["next_cursor"] == nil {
		t.Errorf("first page of one: %v", page)
	}
	if f := admin.do("GET", "/api/v1/audit/session/1", nil).expect(http.StatusUnprocessableEntity).problemFields(); strings.Join(f, ",") != "entity" {
		t.Errorf("unknown kind: %v", f)
	}
	if f := admin.do("GET", "/api/v1/audit/member/x?limit=0", nil).expect(http.StatusUnprocessableEntity).problemFields(); strings.Join(f, ",") != "limit,id" {
		t.Errorf("bad id and limit: %v", f)
	}
	for _, who := range []string{demo.BoardEmail, demo.PracticeEmail, demo.SupplierEmail} {
		e.login(who).do("GET", "/api/v1/audit/member/"+id, nil).expect(http.StatusForbidden)
		e.login(who).do("GET", "/api/v1/audit/member/987654321", nil).expect(http.StatusForbidden)
	}
	e.withKey(e.demoKey(1)).do("GET", "/api/v1/audit/member/"+id, nil).expect(http.StatusForbidden)

	e.withKey(e.demoKey(1)).upload("text/csv", []byte("sku,name,gtin,unit,pack_content,base_unit,pack_price,currency\n"+
		"GZ-5,Gazekompres 5x5 cm usteril,,BX,100,EA,19.95,DKK\n"), nil).expect(http.StatusCreated)
	items := admin.do("GET", "/api/v1/product-candidates", nil).expect(http.StatusOK).json()["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("candidates %v", items)
	}
	c := items[0].(map[string]any)
	offers, similar := c["offers"].([]any), c["similar"].([]any)
	if c["name"] != "Gazekompres 5x5 cm usteril" || c["status"] != "candidate" || c["origin_sku"] != "GZ-5" || len(offers) != 1 ||
		offers[0].(map[string]any)["sku"] != "GZ-5" || len(similar) == 0 || similar[0].(map[string]any)["name"] != "Gazekompres 10x10 cm, steril" {
		t.Errorf("candidate %v", c)
	}
	e.login(demo.PracticeEmail).do("GET", "/api/v1/product-candidates", nil).expect(http.StatusForbidden)
}
