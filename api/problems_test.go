package api_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"andel/internal/demo"
)

// TestEveryProblemListed: a request with several bad fields lists each of
// them, whether the request type's rules, the handler or the domain found
// it (they used to stop at the first checker that complained: a member with
// four bad fields reported two, a tender with four reported one).
func TestEveryProblemListed(t *testing.T) {
	e := newEnv(t)
	admin := e.login(demo.AdminEmail)
	want := func(t *testing.T, what string, got []string, fields ...string) {
		t.Helper()
		slices.Sort(got)
		slices.Sort(fields)
		if !slices.Equal(got, fields) {
			t.Errorf("%s: problems %v, want exactly %v", what, got, fields)
		}
	}

	// A member: name (handler), cvr (domain), status and joined_on (the
	// request's rules), gln and the contact's e-mail (domain).
	got := admin.do("POST", "/api/v1/members", m{"cvr": "12345678", "status": "gone", "joined_on": "1/3/2024",
		"gln": "123", "order_contact": m{"email": "not-mail"}}).expect(http.StatusUnprocessableEntity).problemFields()
	want(t, "new member", got, "name", "cvr", "status", "joined_on", "gln", "order_contact.email")
	got = admin.do("POST", "/api/v1/members", m{"name": "", "cvr": "1", "status": "x", "joined_on": "2024-13-01"}).
		expect(http.StatusUnprocessableEntity).problemFields()
	want(t, "member with 4 bad fields", got, "name", "cvr", "status", "joined_on")
	var id int64
	e.svc.DB.Raw("SELECT id FROM members ORDER BY id LIMIT 1").Scan(&id)
	got = admin.do("PATCH", "/api/v1/members/"+itoa(id), m{"name": " ", "cvr": "1", "status": "x", "joined_on": "x"}).
		expect(http.StatusUnprocessableEntity).problemFields()
	want(t, "member patch", got, "name", "cvr", "status", "joined_on")
	// Another tenant's (here: an absent) member is 404 before its body is judged.
	admin.do("PATCH", "/api/v1/members/987654321", m{"status": "x"}).expect(http.StatusNotFound)

	// A tender: title (rule and domain, once), contract_from (rule),
	// bid_deadline in the past (domain), rebate_rate (domain), a direction
	// (rule and domain, once), a lot item's quantity (handler) and product
	// (domain), which leaves the lot with no item (domain).
	gloves := e.productID("Nitrilhandsker, pudderfri, str. M")
	body := tenderBody(time.Now().Add(-time.Hour), m{"title": "Lot", "items": []m{
		{"product_id": gloves, "quantity": "many"}, {"product_id": 987654321, "quantity": "1"}}})
	body["title"] = ""
	body["contract_from"] = "2027-02-30"
	body["rebate_rate"] = "1.5"
	body["criteria"] = []m{{"name": "price", "weight": "80"}, {"name": "delivery_days", "weight": "20", "direction": "sideways"}}
	got = admin.do("POST", "/api/v1/tenders", body).expect(http.StatusUnprocessableEntity).problemFields()
	want(t, "tender", got, "title", "contract_from", "bid_deadline", "rebate_rate", "criteria[1].direction",
		"lots[0].items[0].quantity", "lots[0].items[1].product_id", "lots[0].items")
	four := tenderBody(time.Now().Add(-time.Hour), m{"title": "Lot", "items": []m{{"product_id": gloves, "quantity": "1"}}})
	four["title"], four["contract_to"], four["rebate_rate"] = "", "soon", "-1"
	got = admin.do("POST", "/api/v1/tenders", four).expect(http.StatusUnprocessableEntity).problemFields()
	want(t, "tender with 4 bad fields", got, "title", "contract_to", "bid_deadline", "rebate_rate")

	// Two unknown fields: both named (400, before any rule runs).
	four["colour"], four["owner"] = "red", m{"id": 1}
	got = admin.do("POST", "/api/v1/tenders", four).expect(http.StatusBadRequest).problemFields()
	want(t, "unknown tender fields", got, "colour", "owner")
	got = admin.do("POST", "/api/v1/members", m{"name": "A", "cvr": "29403473", "colour": "red", "owner": 1}).
		expect(http.StatusBadRequest).problemFields()
	want(t, "unknown member fields", got, "colour", "owner")

	var n int64
	e.svc.DB.Raw("SELECT count(*) FROM tenders").Scan(&n)
	if n != 0 {
		t.Errorf("%d tenders stored by refused requests", n)
	}
}
