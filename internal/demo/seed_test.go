package demo_test

import (
	"context"
	"testing"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSeedIsIdempotent(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := context.Background()
	first, err := demo.Seed(ctx, svc, "")
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
	second, err := demo.Seed(ctx, svc, "")
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
	if ok, err := demo.UsersExist(ctx, db); err != nil || !ok {
		t.Errorf("UsersExist = %v, %v", ok, err)
	}
}
