package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"andel/internal/demo"
)

// TestTenderStateMachine checks the transitions that the end-to-end test
// does not take: cancellation from each state, 409s naming the current
// state, withdrawal of a bid, and a close with no compliant bid
// (unsuccessful).
func TestTenderStateMachine(t *testing.T) {
	e := newEnv(t)
	admin := e.login(demo.AdminEmail)
	supA, supB := e.withKey(e.demoKey(1)), e.withKey(e.demoKey(2))
	gloves := e.productID("Nitrilhandsker, pudderfri, str. M")
	lot := m{"title": "Handsker", "items": []m{{"product_id": gloves, "quantity": "1000"}}}
	create := func() string {
		t.Helper()
		r := admin.do("POST", "/api/v1/tenders", tenderBody(time.Now().Add(time.Hour), lot)).expect(http.StatusCreated).json()
		return fmt.Sprintf("/api/v1/tenders/%d", int64(r["id"].(float64)))
	}
	conflict := func(method, path, state string) {
		t.Helper()
		r := admin.do(method, path, nil).expect(http.StatusConflict).json()
		if !strings.Contains(fmt.Sprint(r["detail"]), state) {
			t.Errorf("%s %s: 409 does not name the state %q: %v", method, path, state, r)
		}
	}

	// draft -> cancelled; nothing more from there.
	d := create()
	if st := admin.do("POST", d+"/cancel", m{"reason": "duplicate"}).expect(http.StatusOK).json()["status"]; st != "cancelled" {
		t.Fatalf("cancel draft: %v", st)
	}
	conflict("POST", d+"/publish", "cancelled")
	conflict("POST", d+"/cancel", "cancelled")
	conflict("POST", d+"/award", "cancelled")
	checkOCDS(t, admin.do("GET", d+"/ocds", nil).expect(http.StatusOK).body)
	dr := create()
	checkOCDS(t, admin.do("GET", dr+"/ocds", nil).expect(http.StatusOK).body) // a draft, for staff

	// published -> cancelled: bids stay sealed, even from staff. Before
	// publication the draft is edited; after, it cannot be.
	p := create()
	edit := tenderBody(time.Now().Add(time.Hour), m{"title": "Handsker L", "items": []m{{"product_id": gloves, "quantity": "1200"}}})
	edit["title"] = "Handsker, rettet"
	edited := admin.do("PUT", p, edit).expect(http.StatusOK).json()
	if edited["title"] != "Handsker, rettet" || len(list(edited["lots"])) != 1 {
		t.Errorf("edited draft: %v", edited)
	}
	decEq(t, "edited quantity", obj(list(obj(list(edited["lots"])[0])["items"])[0])["quantity"], "1200")
	supA.do("PUT", p, edit).expect(http.StatusNotFound)
	admin.do("POST", p+"/publish", nil).expect(http.StatusOK)
	if r := admin.do("PUT", p, edit).expect(http.StatusConflict).json(); !strings.Contains(fmt.Sprint(r["detail"]), "published") {
		t.Errorf("editing a published tender: %v", r)
	}
	body := m{"values": m{"delivery_days": "3"}, "items": []m{{"item_id": lotItem(t, admin, p), "pack_unit": "BX",
		"pack_content": "100", "pack_price": "40.00"}}}
	bid := supA.do("POST", p+"/bids", body).expect(http.StatusCreated).json()
	admin.do("POST", p+"/cancel", nil).expect(http.StatusOK)
	admin.do("GET", fmt.Sprintf("%s/bids/%d", p, int64(bid["id"].(float64))), nil).expect(http.StatusNotFound)
	admin.do("GET", p+"/evaluation", nil).expect(http.StatusConflict)
	supA.do("POST", p+"/bids", body).expect(http.StatusConflict)

	// A withdrawn bid is not evaluated: the only bid withdrawn, the close
	// finds no compliant bid and the tender is unsuccessful.
	u := create()
	admin.do("POST", u+"/publish", nil).expect(http.StatusOK)
	body["items"].([]m)[0]["item_id"] = lotItem(t, admin, u)
	bid = supB.do("POST", u+"/bids", body).expect(http.StatusCreated).json()
	bidPath := fmt.Sprintf("%s/bids/%d", u, int64(bid["id"].(float64)))
	supA.do("DELETE", bidPath, nil).expect(http.StatusNotFound) // not A's to withdraw
	supB.do("DELETE", bidPath, nil).expect(http.StatusNoContent)
	if st := supB.do("GET", bidPath, nil).expect(http.StatusOK).json()["status"]; st != "withdrawn" {
		t.Errorf("withdrawn bid status %v", st)
	}
	later := time.Now().Add(2 * time.Hour)
	e.clock.Set(later)
	supB.do("DELETE", bidPath, nil).expect(http.StatusConflict) // past the deadline
	run := admin.runJob("tender-close")
	if c := obj(run["counts"]); c["tenders_unsuccessful"] != float64(1) || c["tenders_closed"] != float64(0) {
		t.Errorf("close counts %v, want one unsuccessful", c)
	}
	conflict("POST", u+"/award", "unsuccessful")
	conflict("POST", u+"/cancel", "unsuccessful")
	checkOCDS(t, admin.do("GET", u+"/ocds", nil).expect(http.StatusOK).body)

	// A tender whose deadline passed before publication cannot be published.
	e.clock.Reset()
	late := create()
	e.clock.Set(later)
	admin.do("POST", late+"/publish", nil).expect(http.StatusConflict)
}

// lotItem returns the id of the first item of the tender at path.
func lotItem(t *testing.T, c *client, path string) int64 {
	t.Helper()
	r := c.do("GET", path, nil).expect(http.StatusOK).json()
	return int64(obj(list(obj(list(r["lots"])[0])["items"])[0])["id"].(float64))
}
