package domain_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"andel/domain"
	"andel/internal/demo"
	"andel/internal/pgload"
	"andel/internal/pgtest"

	"github.com/shopspring/decimal"
)

// A load holds more than one connection of the pool (its transaction and
// its product lookups), so many uploads at once must not each take one and
// wait for another: loads beyond a few wait their turn (maxConcurrentLoads),
// and all end. (The test cannot force the interleaving in which unbounded
// loads would deadlock; it checks that queued loads all finish.)
func TestManyLoadsAtOnceAllFinish(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	svc := domain.NewServices(db, domain.Options{})
	ctx := domain.WithActor(context.Background(), domain.SystemActor("test"))
	if _, err := demo.Seed(ctx, svc, ""); err != nil {
		t.Fatal(err)
	}
	var supplier int64
	db.Raw("SELECT min(id) FROM suppliers").Scan(&supplier)
	const loads = 25 // more than the pool's 20 connections
	ids := make([]int64, loads)
	for i := range ids {
		if err := db.Raw(`INSERT INTO price_lists (supplier_id, format, content_type, body_sha256, body_bytes, created_by)
			VALUES (?, 'csv', 'text/csv', sha256(?::bytea), 0, 'test') RETURNING id`, supplier, fmt.Sprint("list-", i)).Scan(&ids[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	read := func(list int) domain.LineReader {
		return func(emit func(domain.PriceLine) error) (domain.ParseOutcome, error) {
			time.Sleep(20 * time.Millisecond) // overlap the loads
			for n := range 50 {
				l := domain.PriceLine{LineNo: int64(n + 2), Action: "add", SKU: fmt.Sprintf("L%d-%d", list, n), Name: "Vare",
					PackUnit: "BX", PackContent: decimal.NewFromInt(10), BaseUnit: "EA",
					PackPrice: decimal.NewFromInt(int64(10 + n)), Currency: "DKK", MinQty: 1}
				if err := emit(l); err != nil {
					return domain.ParseOutcome{}, err
				}
			}
			return domain.ParseOutcome{RowsRead: 50, RowsValid: 50}, nil
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	statuses := make([]string, loads)
	for i, id := range ids {
		wg.Go(func() {
			pl, err := svc.Catalogue.LoadPriceList(ctx, id, read(i), pgload.Loader{})
			if err != nil {
				statuses[i] = err.Error()
				return
			}
			statuses[i] = string(pl.Status)
		})
	}
	wg.Wait()
	for i, st := range statuses {
		if st != "active" && st != "superseded" {
			t.Errorf("list %d ended %q", ids[i], st)
		}
	}
}
