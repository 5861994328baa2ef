package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"
)

// probe is one request of the tenancy walk: a foreign object's path and an
// absent one's, with the body to send.
type probe struct {
	foreign, absent string // concrete paths
	body            any
}

// TestForeignTenantIDsAnswer404 walks every /api/v1 route that takes an id
// and asks for another tenant's object as each kind of tenant. The answer
// must be 404, the same as for an id that does not exist. A new route with
// a path parameter fails this test until it is added to the table.
func TestForeignTenantIDsAnswer404(t *testing.T) {
	e := newEnv(t)
	db := e.svc.DB
	var member1, member2, supplier1, supplier2, key2 int64
	db.Raw("SELECT min(id) FROM members").Scan(&member1)
	db.Raw("SELECT id FROM members WHERE id > ? ORDER BY id LIMIT 1", member1).Scan(&member2)
	db.Raw("SELECT supplier_id FROM users WHERE email = ?", demo.SupplierEmail).Scan(&supplier1)
	db.Raw("SELECT id FROM suppliers WHERE id <> ? ORDER BY id LIMIT 1", supplier1).Scan(&supplier2)
	db.Raw("SELECT id FROM api_keys WHERE supplier_id = ? LIMIT 1", supplier2).Scan(&key2)
	rival, _, err := e.svc.Catalogue.RegisterPriceList(domain.WithActor(context.Background(), domain.SystemActor("test")),
		domain.Upload{SupplierID: supplier2, Format: "csv", ContentType: "text/csv", SHA256: []byte("rival"), Source: "upload"})
	if err != nil {
		t.Fatal(err)
	}
	if member2 == 0 || supplier2 == 0 || key2 == 0 {
		t.Fatal("demo data lacks a second member, supplier or key")
	}
	const missing = "987654321"

	// route -> probes. Member 2 is foreign to every tenant actor below (the
	// practice user belongs to member 1), and so are supplier 2 and its key.
	routes := map[string][]probe{
		"GET /api/v1/members/:id": {{foreign: "/api/v1/members/" + itoa(member2), absent: "/api/v1/members/" + missing}},
		"PATCH /api/v1/members/:id": {{foreign: "/api/v1/members/" + itoa(member2), absent: "/api/v1/members/" + missing,
			body: map[string]string{"name": "Overtaget"}}},
		"GET /api/v1/suppliers/:id": {{foreign: "/api/v1/suppliers/" + itoa(supplier2), absent: "/api/v1/suppliers/" + missing}},
		"PATCH /api/v1/suppliers/:id": {{foreign: "/api/v1/suppliers/" + itoa(supplier2), absent: "/api/v1/suppliers/" + missing,
			body: map[string]string{"order_email": "thief@example.com"}}},
		"GET /api/v1/suppliers/:id/api-keys": {{foreign: "/api/v1/suppliers/" + itoa(supplier2) + "/api-keys",
			absent: "/api/v1/suppliers/" + missing + "/api-keys"}},
		"POST /api/v1/suppliers/:id/api-keys": {{foreign: "/api/v1/suppliers/" + itoa(supplier2) + "/api-keys",
			absent: "/api/v1/suppliers/" + missing + "/api-keys", body: map[string]string{}}},
		"DELETE /api/v1/suppliers/:id/api-keys/:keyID": {
			{foreign: "/api/v1/suppliers/" + itoa(supplier2) + "/api-keys/" + itoa(key2),
				absent: "/api/v1/suppliers/" + missing + "/api-keys/" + missing},
			// Its own supplier id with a rival's key id.
			{foreign: "/api/v1/suppliers/" + itoa(supplier1) + "/api-keys/" + itoa(key2),
				absent: "/api/v1/suppliers/" + itoa(supplier1) + "/api-keys/" + missing},
		},
	}
	var address2 int64
	db.Raw("SELECT min(id) FROM member_addresses WHERE member_id = ?", member2).Scan(&address2)
	addrs := func(member int64) string { return "/api/v1/members/" + itoa(member) + "/addresses" }
	addrBody := map[string]string{"street": "Tyvegade 1", "postcode": "1000", "city": "København K"}
	routes["GET /api/v1/members/:id/addresses"] = []probe{{foreign: addrs(member2), absent: "/api/v1/members/" + missing + "/addresses"}}
	routes["POST /api/v1/members/:id/addresses"] = []probe{{foreign: addrs(member2), absent: "/api/v1/members/" + missing + "/addresses", body: addrBody}}
	for _, m := range []string{"PATCH", "DELETE"} {
		routes[m+" /api/v1/members/:id/addresses/:addressID"] = []probe{
			{foreign: addrs(member2) + "/" + itoa(address2), absent: "/api/v1/members/" + missing + "/addresses/" + missing, body: addrBody},
			// Its own member with another member's address.
			{foreign: addrs(member1) + "/" + itoa(address2), absent: addrs(member1) + "/" + missing, body: addrBody},
		}
	}
	routes["GET /api/v1/price-lists/:id"] = []probe{{foreign: "/api/v1/price-lists/" + itoa(rival.ID), absent: "/api/v1/price-lists/" + missing}}
	routes["GET /api/v1/price-lists/:id/diff"] = []probe{{foreign: "/api/v1/price-lists/" + itoa(rival.ID) + "/diff", absent: "/api/v1/price-lists/" + missing + "/diff"}}
	addTenderProbes(t, e, routes, supplier2, member2, missing)
	addOrderProbes(t, e, routes, supplier2, member2, missing)
	addSurplusProbes(routes, member2, missing)
	// A cluster's data package: the practice user's member 1 is in Klynge
	// København; Klynge Østjylland's is foreign to it and to suppliers.
	routes["GET /api/v1/clusters/:name/data-package"] = []probe{{foreign: "/api/v1/clusters/Klynge%20%C3%98stjylland/data-package?period=2026",
		absent: "/api/v1/clusters/Klynge%20Ingen/data-package?period=2026"}}
	routes["GET /api/v1/suppliers/:id/scorecard"] = []probe{{foreign: "/api/v1/suppliers/" + itoa(supplier2) + "/scorecard?period=2026",
		absent: "/api/v1/suppliers/" + missing + "/scorecard?period=2026"}}
	exempt := map[string]string{
		"GET /api/v1/products/:id":             "the product catalogue is shared by every tenant",
		"GET /api/v1/products/:id/offers":      "the product catalogue is shared by every tenant",
		"POST /api/v1/products/:id/merge":      "catalogue curation, admins only; products belong to no tenant",
		"POST /api/v1/products/:id/confirm":    "catalogue curation, admins only; products belong to no tenant",
		"PUT /api/v1/exchange-rates/:currency": "names a currency, not a tenant's object; admins only",
		"POST /api/v1/jobs/:name/run":          "names a job, not a tenant's object; admins only",
		"GET /api/v1/job-runs/:id":             "a job run is the cooperative's, not a tenant's; staff only (403 for others)",
		"GET /api/v1/contracts/:id":            "contracts are what every member orders at; a rival supplier's 404 is checked in TestTenderEndToEnd",
		"GET /api/v1/audit/:entity/:id":        "the audit trail is staff's: every other caller gets 403 for any id (TestAuditHistoryAndCandidates)",
	}

	for k, v := range surplusExempt {
		exempt[k] = v
	}

	for _, r := range e.srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || !strings.Contains(r.Path, ":") {
			continue
		}
		key := r.Method + " " + r.Path
		if _, ok := routes[key]; !ok && exempt[key] == "" {
			t.Errorf("route %s takes an id but is not walked by this test", key)
		}
	}

	actors := map[string]*client{
		"member user":   e.login(demo.PracticeEmail),
		"supplier user": e.login(demo.SupplierEmail),
		"supplier key":  e.withKey(e.demoKey(1)),
	}
	for route, probes := range routes {
		method := strings.Fields(route)[0]
		for name, c := range actors {
			for _, p := range probes {
				foreign := c.do(method, p.foreign, p.body)
				absent := c.do(method, p.absent, p.body)
				if foreign.status != http.StatusNotFound || absent.status != http.StatusNotFound {
					t.Errorf("%s as %s: foreign %s -> %d, absent -> %d; want 404 for both (%s)",
						route, name, p.foreign, foreign.status, absent.status, foreign.body)
					continue
				}
				f, a := foreign.json(), absent.json()
				if f["detail"] != a["detail"] || f["type"] != a["type"] {
					t.Errorf("%s as %s: foreign and absent answers differ: %v vs %v", route, name, f, a)
				}
			}
		}
	}
}
