package domain_test

import (
	"context"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
)

// TestAuditHistoryOfOneObject: the history of a member holds its own
// events, its addresses' and its user's creation, not the user's logins
// nor another member's; a supplier's holds its
// API keys'; a tender's holds its contracts, and its bids only once the
// deadline has passed (sealed before); paging and rights.
func TestAuditHistoryOfOneObject(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := context.Background()
	if _, err := demo.Seed(ctx, svc, ""); err != nil {
		t.Fatal(err)
	}
	ts, err := demo.SeedTenders(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	admin := domain.WithActor(ctx, domain.Actor{UserID: 1, Role: domain.RoleAdmin, Label: "staff@test"})
	str := func(s string) *string { return &s }
	m, err := svc.Members.Create(admin, domain.MemberInput{Name: str("Lægehuset"), CVR: str("29403473")})
	if err != nil {
		t.Fatal(err)
	}
	other, err := svc.Members.Create(admin, domain.MemberInput{Name: str("Andet hus"), CVR: str("10150817")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Members.AddAddress(admin, m.ID, domain.AddressInput{Street: str("Vej 1"), Postcode: str("8000"), City: str("Aarhus C")}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Members.AddAddress(admin, other.ID, domain.AddressInput{Street: str("Vej 2"), Postcode: str("8000"), City: str("Aarhus C")}); err != nil {
		t.Fatal(err)
	}
	// A user of the member: its creation is in the member's history, its
	// logins are not.
	sys := domain.WithActor(ctx, domain.SystemActor("test"))
	u, err := svc.Users.Create(sys, domain.NewUser{Email: "sygeplejerske@laegehuset.dk", Password: "long enough!", Role: domain.RoleMember, MemberID: m.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO audit_events (actor, action, entity, entity_id, member_id)
		VALUES ('sygeplejerske@laegehuset.dk', 'session.login', 'user', ?, ?)`, u.ID, m.ID).Error; err != nil {
		t.Fatal(err)
	}
	suspended := domain.MemberSuspended
	if _, err := svc.Members.Update(admin, m.ID, domain.MemberInput{Status: &suspended}); err != nil {
		t.Fatal(err)
	}
	actions := func(entity string, id int64) []string {
		t.Helper()
		rows, next, err := svc.Audit.History(admin, entity, id, domain.Page{Limit: 100})
		if err != nil || next != 0 {
			t.Fatalf("history of %s %d: %v (next %d)", entity, id, err, next)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Action)
		}
		return out
	}
	if got, want := actions("member", m.ID), "member.updated user.created member.address_added member.created"; joinActions(got) != want {
		t.Errorf("member history %q, want %q (newest first, no other member's)", joinActions(got), want)
	}

	var supplierID int64
	db.Raw("SELECT id FROM suppliers ORDER BY id LIMIT 1").Scan(&supplierID)
	k, err := svc.Suppliers.IssueAPIKey(admin, supplierID, "ERP")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Suppliers.RevokeAPIKey(admin, supplierID, k.ID); err != nil {
		t.Fatal(err)
	}
	if got := actions("supplier", supplierID); len(got) < 3 || got[0] != "api_key.revoked" || got[1] != "api_key.issued" || got[len(got)-1] != "supplier.created" {
		t.Errorf("supplier history %v", got)
	}

	// A bid arrival on the open tender (its deadline ahead) stays out of
	// its history; the awarded tender's bids and contracts are in.
	for _, tender := range []int64{ts.OpenTenderID, ts.AwardedTenderID} {
		if err := db.Exec(`INSERT INTO audit_events (actor, action, entity, entity_id, supplier_id, details)
			VALUES ('supplier', 'bid.test', 'bid', 999, ?, jsonb_build_object('tender_id', ?::bigint))`, supplierID, tender).Error; err != nil {
			t.Fatal(err)
		}
	}
	open := joinActions(actions("tender", ts.OpenTenderID))
	if hasAction(open, "bid.test") || !hasAction(open, "tender.published") {
		t.Errorf("open tender's history %q shows a sealed bid or lacks its publication", open)
	}
	awarded := joinActions(actions("tender", ts.AwardedTenderID))
	for _, want := range []string{"bid.test", "contract.created", "tender.awarded", "tender.created"} {
		if !hasAction(awarded, want) {
			t.Errorf("awarded tender's history %q lacks %s", awarded, want)
		}
	}

	// Pages: one event at a time, newest first, through to the end.
	var seen []string
	for after := int64(0); ; {
		rows, next, err := svc.Audit.History(admin, "member", m.ID, domain.Page{Limit: 1, After: after})
		if err != nil || len(rows) != 1 {
			t.Fatalf("page after %d: %v %v", after, rows, err)
		}
		seen = append(seen, rows[0].Action)
		if next == 0 {
			break
		}
		after = next
	}
	if joinActions(seen) != "member.updated user.created member.address_added member.created" {
		t.Errorf("paged history %v", seen)
	}

	if _, _, err := svc.Audit.History(admin, "session", 1, domain.Page{}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("history of an unknown kind: %v", err)
	}
	board := domain.WithActor(ctx, domain.Actor{UserID: 2, Role: domain.RoleBoard, Label: "board"})
	if _, _, err := svc.Audit.History(board, "member", m.ID, domain.Page{}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("board reads history: %v", err)
	}
	if got := actions("member", 987654); len(got) != 0 {
		t.Errorf("a missing member has history %v", got)
	}
}

func joinActions(s []string) string { return strings.Join(s, " ") }

func hasAction(s, sub string) bool { return strings.Contains(s, sub) }
