package domain

import (
	"strings"
	"testing"

	"andel/pricing"

	"github.com/shopspring/decimal"
)

// TestOrderRules prices lines against offers with ordering rules (no
// database): not orderable, minimum and maximum order quantity, order
// multiple, and a tier's maximum quantity. Every broken rule is one
// problem saying what would be allowed.
func TestOrderRules(t *testing.T) {
	dec := decimal.RequireFromString
	rates, err := pricing.NewRateTable(pricing.DKK)
	if err != nil {
		t.Fatal(err)
	}
	gloves := Product{ID: 1, Category: "handsker", BaseUnit: "EA"}
	// Boxes of 100: 45.00 from 1 box up to 10 boxes, 40.00 from 20 boxes
	// (nothing prices 11 to 19 boxes), 38.00 from 100.
	steps := []OfferTier{{MinQty: 1, MaxQty: 10, PackPrice: dec("45.00")}, {MinQty: 20, PackPrice: dec("40.00")}, {MinQty: 100, PackPrice: dec("38.00")}}
	ladder, err := offerLadder(pricing.DKK, steps)
	if err != nil {
		t.Fatal(err)
	}
	offer := func(mod func(*Offer)) lineInputs {
		o := &Offer{ID: 7, SupplierID: 1, SKU: "HND-100", PackUnit: "BX", PackContent: dec("100"), BaseUnit: "EA",
			PackPrice: dec("45.00"), Currency: "DKK", MinQty: 1, MaxQty: 10}
		if mod != nil {
			mod(o)
		}
		return lineInputs{Product: gloves, Offer: o, Ladder: ladder, Steps: steps, Rates: rates, VATRate: pricing.DanishVATRate()}
	}
	tests := []struct {
		name     string
		in       lineInputs
		qty      int64
		pack     string   // the pack price applied, when priced
		problems []string // field: a part of the message
	}{
		{name: "within the first tier's maximum", in: offer(nil), qty: 10, pack: "45"},
		{name: "above the first tier's maximum, below the next", in: offer(nil), qty: 11,
			problems: []string{"lines[0].quantity: no price of the offer applies to 11 packs: it is priced for 1 to 10 packs, from 20 packs, from 100 packs"}},
		{name: "the second tier", in: offer(nil), qty: 20, pack: "40"},
		{name: "the top tier", in: offer(nil), qty: 150, pack: "38"},
		{name: "not orderable", in: offer(func(o *Offer) { o.NotOrderable = true }), qty: 5,
			problems: []string{"lines[0].offer_id: offer 7 (SKU HND-100) is not orderable"}},
		{name: "below the minimum order", in: offer(func(o *Offer) { o.MinOrderQty = 4 }), qty: 3,
			problems: []string{"lines[0].quantity: 3 packs is below the supplier's minimum order of 4 packs of SKU HND-100 (allowed: 4 packs or more)"}},
		{name: "above the maximum order", in: offer(func(o *Offer) { o.MaxOrderQty = 50 }), qty: 100,
			problems: []string{"lines[0].quantity: 100 packs is above the supplier's maximum order of 50 packs of SKU HND-100 (allowed: from 1 to 50 packs)"}},
		{name: "not a multiple", in: offer(func(o *Offer) { o.OrderMultiple = 4; o.MinOrderQty = 4 }), qty: 6,
			problems: []string{"lines[0].quantity: 6 packs is not a multiple of 4, the supplier's order multiple of SKU HND-100 (nearest allowed: 4 or 8)"}},
		{name: "a multiple", in: offer(func(o *Offer) { o.OrderMultiple = 4; o.MinOrderQty = 4 }), qty: 8, pack: "45"},
		{name: "below the minimum and not a multiple", in: offer(func(o *Offer) { o.OrderMultiple = 5; o.MinOrderQty = 10; o.MaxOrderQty = 102 }), qty: 3,
			problems: []string{
				"lines[0].quantity: 3 packs is below the supplier's minimum order of 10 packs of SKU HND-100 (allowed: multiples of 5 from 10 to 100 packs)",
				"lines[0].quantity: 3 packs is not a multiple of 5, the supplier's order multiple of SKU HND-100 (nearest allowed: 10)",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, p, err := tc.in.price(tc.qty, "lines[0]")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range p {
				got = append(got, f.Field+": "+f.Message)
			}
			if len(got) != len(tc.problems) {
				t.Fatalf("problems %q, want %q", got, tc.problems)
			}
			for i, want := range tc.problems {
				if !strings.HasPrefix(got[i], want) {
					t.Errorf("problem %d: %q, want it to start %q", i, got[i], want)
				}
			}
			if tc.problems != nil {
				if l != nil {
					t.Errorf("a line with problems: %+v", l)
				}
				return
			}
			if l == nil || !l.PackPrice.Equal(dec(tc.pack)) {
				t.Fatalf("line %+v, want pack price %s", l, tc.pack)
			}
		})
	}
}
