package domain_test

import (
	"context"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	if _, err := demo.Seed(context.Background(), svc, ""); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"UPDATE audit_events SET actor = 'someone else'",
		"DELETE FROM audit_events",
		"TRUNCATE audit_events",
	} {
		err := db.Exec(stmt).Error
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the append-only refusal", stmt, err)
		}
	}
}

func TestServicesRefuseCallersWithoutRights(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := context.Background()
	name, cvr := "Praksis", "29403473"
	// No actor in the context: nobody.
	if _, err := svc.Members.Create(ctx, domain.MemberInput{Name: &name, CVR: &cvr}); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Errorf("anonymous create: %v", err)
	}
	board := domain.WithActor(ctx, domain.Actor{UserID: 1, Role: domain.RoleBoard, Label: "board"})
	if _, err := svc.Members.Create(board, domain.MemberInput{Name: &name, CVR: &cvr}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("board create: %v", err)
	}
	rows, _, err := svc.Members.List(ctx, domain.MemberFilter{})
	if err != nil || len(rows) != 0 {
		t.Errorf("anonymous list: %v, %v", rows, err)
	}
	admin := domain.WithActor(ctx, domain.SystemActor("test"))
	if _, err := svc.Users.Create(admin, domain.NewUser{Email: "x@example.com", Password: "long enough!", Role: domain.RoleMember}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("member user without member: %v", err)
	}
	if _, err := svc.Users.Create(admin, domain.NewUser{Email: "x@example.com", Password: "long enough!", Role: domain.RoleMember, MemberID: 424242}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("member user of a missing member: %v", err)
	}
}
