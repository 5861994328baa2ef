package domain_test

import (
	"context"
	"strings"
	"testing"

	"andel/domain"
	"andel/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSeedDemoIsIdempotent(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db)
	ctx := context.Background()
	first, err := svc.SeedDemo(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	counts := func() map[string]int64 {
		out := map[string]int64{}
		for _, table := range []string{"members", "suppliers", "api_keys", "users", "products", "audit_events"} {
			var n int64
			db.Table(table).Count(&n)
			out[table] = n
		}
		return out
	}
	before := counts()
	if before["members"] != 12 || before["suppliers"] != 3 || before["users"] != 4 || before["api_keys"] != 3 {
		t.Fatalf("seeded %v", before)
	}
	clusters := 0
	db.Raw("SELECT count(DISTINCT quality_cluster) FROM members").Scan(&clusters)
	if clusters != 2 {
		t.Errorf("%d quality clusters, want 2", clusters)
	}
	second, err := svc.SeedDemo(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if after := counts(); after["audit_events"] != before["audit_events"] || after["members"] != before["members"] {
		t.Errorf("second seed changed the database: %v -> %v", before, after)
	}
	for name, key := range first.APIKeys {
		if second.APIKeys[name] != key {
			t.Errorf("demo key of %s changed between runs", name)
		}
		if _, err := svc.Suppliers.AuthenticateAPIKey(ctx, key); err != nil {
			t.Errorf("demo key of %s does not authenticate: %v", name, err)
		}
	}
	if ok, err := svc.DemoUsersExist(ctx); err != nil || !ok {
		t.Errorf("DemoUsersExist = %v, %v", ok, err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db)
	if _, err := svc.SeedDemo(context.Background(), ""); err != nil {
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
	svc := domain.NewServices(db)
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
