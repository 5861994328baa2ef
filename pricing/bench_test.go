package pricing

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// benchTender builds a lot of nItems items and nBids bids in DKK. Pooled
// volumes and pack sizes vary so that about half the items round up to a
// whole pack, and every bid has a three-step tier ladder.
func benchTender(nBids, nItems int) (lot Lot, bids []Bid) {
	lot = Lot{ID: "bench", Currency: DKK, PriceWeight: d("80"),
		Criteria: []Criterion{{Name: "delivery_days", Weight: d("20"), Direction: LowerIsBetter}}}
	units := []string{"EA", "MLT", "GRM"}
	for i := 0; i < nItems; i++ {
		lot.Items = append(lot.Items, LotItem{ID: fmt.Sprintf("item-%04d", i), Unit: units[i%3], Quantity: decimal.NewFromInt(int64(1000 + 37*i))})
	}
	for b := 0; b < nBids; b++ {
		bid := Bid{ID: fmt.Sprintf("bid-%04d", b), SubmittedAt: t0, Currency: DKK,
			Values: map[string]decimal.Decimal{"delivery_days": decimal.NewFromInt(int64(1 + b%7))}}
		for i := 0; i < nItems; i++ {
			base := decimal.New(int64(2000+(b*7919+i*104729)%5000), -2) // 20.00 .. 69.99
			content := []string{"10", "100", "250"}[(b+i)%3]
			cu := units[i%3]
			if cu == "GRM" && (b+i)%2 == 0 {
				cu, content = "KGM", "0.5"
			}
			p := func(x decimal.Decimal) Price { return Price{amount: x, currency: DKK} }
			bid.Items = append(bid.Items, BidItem{
				ItemID:    lot.Items[i].ID,
				PackPrice: p(base),
				Pack:      Pack{Unit: "XBX", Content: Quantity{Value: d(content), Unit: cu}},
				Tiers: Tiers{
					{MinQuantity: decimal.NewFromInt(5), Price: p(base.Sub(d("0.50")))},
					{MinQuantity: decimal.NewFromInt(20), Price: p(base.Sub(d("1.00")))},
					{MinQuantity: decimal.NewFromInt(100), Price: p(base.Sub(d("2.00")))},
				},
			})
		}
		bids = append(bids, bid)
	}
	return lot, bids
}

// referenceTime returns the fastest of five runs of fn: the physical
// reference a benchmark's time is divided by, measured in the same run.
func referenceTime(fn func()) time.Duration {
	best := time.Duration(1<<63 - 1)
	for i := 0; i < 5; i++ {
		start := time.Now()
		fn()
		if d := time.Since(start); d < best {
			best = d
		}
	}
	return best
}

// sink keeps results alive so the compiler cannot drop the work.
var sink any

// BenchmarkEvaluate scores 1,000 bids x 1,000 items. The reference is the
// irreducible arithmetic of the same table: one decimal multiplication and
// one addition per bid item (packs x price, summed), on one goroutine.
func BenchmarkEvaluate(b *testing.B) {
	lot, bids := benchTender(1000, 1000)
	ref := referenceTime(func() {
		total := decimal.Zero
		for i := range bids {
			for j := range bids[i].Items {
				total = total.Add(lot.Items[j].Quantity.Mul(bids[i].Items[j].PackPrice.amount))
			}
		}
		sink = total
	})
	b.ResetTimer()
	for b.Loop() {
		ev, err := Evaluate(lot, bids, RateTable{})
		if err != nil || ev.Compliant != len(bids) {
			b.Fatal(err, ev.Compliant)
		}
		sink = ev
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(ref), "x-mul-add-loop")
	b.ReportMetric(float64(ref)/1e6, "ref-ms")
}

// BenchmarkAllocate splits 1,234,567.89 DKK over 100,000 members whose
// patronage has 2 decimals. The reference is a plain loop summing the same
// 100,000 decimal weights.
func BenchmarkAllocate(b *testing.B) {
	const n = 100_000
	shares := make([]Share, n)
	for i := range shares {
		shares[i] = Share{Key: fmt.Sprintf("member-%06d", i), Weight: decimal.New(int64(1000+(i*7919)%9_000_000), -2)}
	}
	total := MustMoney("1234567.89", DKK)
	ref := referenceTime(func() {
		sum := decimal.Zero
		for i := range shares {
			sum = sum.Add(shares[i].Weight)
		}
		sink = sum
	})
	b.ResetTimer()
	for b.Loop() {
		a, err := Allocate(total, shares, AllocateOptions{MinimumPayout: MustMoney("50.00", DKK)})
		if err != nil {
			b.Fatal(err)
		}
		sink = a
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(ref), "x-sum-loop")
	b.ReportMetric(float64(ref)/1e6, "ref-ms")
}
