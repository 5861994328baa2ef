package domain

import (
	"slices"
	"testing"

	"andel/pricing"

	"github.com/shopspring/decimal"
)

// TestPriceLine prices lines from their inputs alone (no database): the
// rules of lineInputs.price, every figure by hand.
func TestPriceLine(t *testing.T) {
	dec := decimal.RequireFromString
	rates, err := pricing.NewRateTable(pricing.DKK, pricing.ExchangeRate{From: pricing.EUR, To: pricing.DKK, Rate: dec("7.5")})
	if err != nil {
		t.Fatal(err)
	}
	gloves := Product{ID: 1, Category: "handsker", BaseUnit: "EA"}
	vat := pricing.DanishVATRate()
	// A contract: boxes of 100 at 45.00 (0.45), 42.00 from 40 boxes, 40.00
	// from 100; baseline 0.48 DKK, rebate 2%.
	contract := &ContractPrice{ContractID: 5, ContractLineID: 50, SupplierID: 1, PackUnit: "BX", PackContent: dec("100"),
		BaseUnit: "EA", PackPrice: dec("45.00"), UnitPrice: dec("0.45"), Currency: "DKK",
		BaselineUnitPrice: dec("0.48"), BaselineMethod: "median_list_price", RebateRate: dec("0.02"),
		Tiers: []ContractLineTier{{MinPacks: dec("40"), PackPrice: dec("42.00"), UnitPrice: dec("0.42")},
			{MinPacks: dec("100"), PackPrice: dec("40.00"), UnitPrice: dec("0.40")}}}
	offer := func(id, supplier int64, price, currency, content string, minQty int64) *Offer {
		return &Offer{ID: id, SupplierID: supplier, SKU: "SKU", PackUnit: "BX", PackContent: dec(content), BaseUnit: "EA",
			PackPrice: dec(price), Currency: currency, MinQty: minQty}
	}
	ladderOf := func(o *Offer) pricing.Tiers {
		l, err := offerLadder(currencyOf(o.Currency), []OfferTier{{MinQty: o.MinQty, PackPrice: o.PackPrice}})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	candidate := func(o *Offer) pricing.BaselineOffer {
		return pricing.BaselineOffer{SupplierID: o.SupplierID, OfferID: o.ID,
			Offer: pricing.PackOffer{Price: pricing.MustPrice(o.PackPrice.String(), currencyOf(o.Currency)), Pack: o.Pack()}}
	}
	eur := offer(30, 3, "6.00", "EUR", "100", 1)
	dear, cheap := offer(40, 1, "179.00", "DKK", "300", 1), offer(41, 2, "171.00", "DKK", "300", 1)
	dearer := offer(42, 1, "185.00", "DKK", "300", 1) // supplier 1's second offer: not its price
	sek := offer(50, 4, "65.80", "SEK", "100", 1)
	minTwo := offer(60, 2, "45.00", "DKK", "100", 2)

	tests := []struct {
		name     string
		in       lineInputs
		qty      int64
		want     map[string]string // OrderLine fields by name
		problems []string
	}{
		{name: "on contract, below the first tier", in: lineInputs{Product: gloves, Contract: contract, OnContract: true, Rates: rates, VATRate: vat},
			qty: 39, want: map[string]string{"pack": "45", "unit": "0.45", "baseline": "0.48", "net": "1755", "savings": "117", "base_total": "1872", "currency": "DKK", "rebate": "0.02"}},
		{name: "on contract, at the second tier", in: lineInputs{Product: gloves, Contract: contract, OnContract: true, Rates: rates, VATRate: vat},
			qty: 40, want: map[string]string{"pack": "42", "unit": "0.42", "net": "1680", "savings": "240", "base_total": "1920", "vat": "420"}},
		{name: "on contract, at the top tier", in: lineInputs{Product: gloves, Contract: contract, OnContract: true, Rates: rates, VATRate: vat},
			qty: 100, want: map[string]string{"pack": "40", "unit": "0.4", "net": "4000", "savings": "800", "base_total": "4800"}},
		// Off contract in EUR: the contract's 0.48 DKK is 0.064 EUR at 7.5;
		// 2 boxes = 200 EA at 0.06: net 12.00, savings 0.80.
		{name: "off contract in EUR against the contract's baseline", in: lineInputs{Product: gloves, Offer: eur, Ladder: ladderOf(eur), Contract: contract, Rates: rates, VATRate: vat},
			qty: 2, want: map[string]string{"pack": "6", "unit": "0.06", "baseline": "0.064", "net": "12", "savings": "0.8", "base_total": "12.8", "currency": "EUR", "rebate": "0", "method": "median_list_price"}},
		// No contract: one price per supplier (179.00 and 171.00 per 300,
		// not supplier 1's 185.00), exact median 0.58333... rounded once.
		{name: "the median with no contract", in: lineInputs{Product: gloves, Offer: cheap, Ladder: ladderOf(cheap), Rates: rates, VATRate: vat,
			Candidates: []pricing.BaselineOffer{candidate(dear), candidate(cheap), candidate(dearer)}},
			qty: 50, want: map[string]string{"unit": "0.57", "baseline": "0.583333", "base_qty": "15000", "net": "8550", "savings": "200", "base_total": "8750", "method": "median_list_price"}},
		{name: "no candidate: no baseline", in: lineInputs{Product: gloves, Offer: cheap, Ladder: ladderOf(cheap), Rates: rates, VATRate: vat},
			qty: 1, want: map[string]string{"baseline": "0.57", "savings": "0", "base_total": "171", "method": BaselineNone}},
		{name: "below the offer's minimum", in: lineInputs{Product: gloves, Offer: minTwo, Ladder: ladderOf(minTwo), Rates: rates, VATRate: vat},
			qty: 1, problems: []string{"lines[0].quantity"}},
		{name: "not a positive quantity", in: lineInputs{Product: gloves, Contract: contract, OnContract: true, Rates: rates, VATRate: vat},
			qty: 0, problems: []string{"lines[0].quantity"}},
		{name: "a missing rate", in: lineInputs{Product: gloves, Offer: sek, Ladder: ladderOf(sek), Rates: rates, VATRate: vat},
			qty: 1, problems: []string{"lines[0].offer_id"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, p, err := tc.in.price(tc.qty, "lines[0]")
			if err != nil {
				t.Fatal(err)
			}
			var fields []string
			for _, f := range p {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, tc.problems) {
				t.Fatalf("problems %v, want %v", p, tc.problems)
			}
			if tc.problems != nil {
				if l != nil {
					t.Errorf("a line with problems: %+v", l)
				}
				return
			}
			got := map[string]decimal.Decimal{"pack": l.PackPrice, "unit": l.UnitPrice, "baseline": l.BaselineUnitPrice,
				"base_qty": l.BaseQuantity, "net": l.NetTotal, "vat": l.VATTotal, "savings": l.Savings, "base_total": l.BaselineTotal,
				"rebate": l.RebateRate}
			for k, v := range tc.want {
				switch k {
				case "currency":
					if l.Currency != v {
						t.Errorf("currency %s, want %s", l.Currency, v)
					}
				case "method":
					if l.BaselineMethod != v {
						t.Errorf("method %s, want %s", l.BaselineMethod, v)
					}
				default:
					if !got[k].Equal(dec(v)) {
						t.Errorf("%s = %s, want %s", k, got[k], v)
					}
				}
			}
		})
	}
}
