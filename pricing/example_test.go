package pricing_test

import (
	"fmt"
	"os"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
)

func ExampleParseMoney() {
	m, err := pricing.ParseMoney("1.234,50", pricing.DKK, pricing.LocaleDanish)
	fmt.Println(m, err)
	_, err = pricing.ParseMoney("1,50", pricing.DKK, pricing.LocalePlain)
	fmt.Println(err)
	// Output:
	// 1234.50 DKK <nil>
	// amount: "1,50" contains ',', which the plain format does not allow (write 1234.50; a Danish amount such as 1.234,50 needs the Danish locale)
}

func ExamplePrice_Total() {
	perGlove := pricing.MustPrice("0.125", pricing.DKK)
	total, _ := perGlove.Total(decimal.NewFromInt(1)) // 0.125 rounds half away from zero
	fmt.Println(total)
	// Output: 0.13 DKK
}

func ExampleVATFromNet() {
	v, _ := pricing.VATFromNet(pricing.MustMoney("99.99", pricing.DKK), pricing.DanishVATRate())
	fmt.Println(v.Net, "+", v.VAT, "=", v.Gross)
	// Output: 99.99 DKK + 25.00 DKK = 124.99 DKK
}

func ExamplePackOffer_PerUnit() {
	box := pricing.PackOffer{
		Price: pricing.MustPrice("45.00", pricing.DKK),
		Pack:  pricing.Pack{Unit: "BX", Content: pricing.Qty("100", "EA")},
	}
	p, _ := box.PerUnit("EA")
	fmt.Println(p)
	// Output: 0.45 DKK
}

func ExampleExchangeRate_ConvertMoney() {
	eur, _ := pricing.NewExchangeRate(pricing.EUR, pricing.DKK, decimal.RequireFromString("7.4604"))
	m, _ := eur.ConvertMoney(pricing.MustMoney("12.34", pricing.EUR))
	fmt.Println(m)
	// Output: 92.06 DKK
}

func ExampleAllocate() {
	a, _ := pricing.Allocate(pricing.MustMoney("100.00", pricing.DKK), []pricing.Share{
		{Key: "clinic-a", Weight: decimal.NewFromInt(1)},
		{Key: "clinic-b", Weight: decimal.NewFromInt(1)},
		{Key: "clinic-c", Weight: decimal.NewFromInt(1)},
	}, pricing.AllocateOptions{MinimumPayout: pricing.MustMoney("50.00", pricing.DKK)})
	for _, p := range a.Parts {
		fmt.Println(p.Key, p.Amount, "paid", p.Payout, "carried", p.CarryForward)
	}
	fmt.Println("paid", a.Paid, "carried forward", a.CarriedForward)
	// Output:
	// clinic-a 33.34 DKK paid 0.00 DKK carried 33.34 DKK
	// clinic-b 33.33 DKK paid 0.00 DKK carried 33.33 DKK
	// clinic-c 33.33 DKK paid 0.00 DKK carried 33.33 DKK
	// paid 0.00 DKK carried forward 100.00 DKK
}

func ExampleEvaluate() {
	lot := pricing.Lot{
		ID:          "gloves-2027",
		Currency:    pricing.DKK,
		Items:       []pricing.LotItem{{ID: "nitrile-m", Unit: "EA", Quantity: decimal.NewFromInt(25050)}},
		PriceWeight: decimal.NewFromInt(80),
		Criteria:    []pricing.Criterion{{Name: "delivery_days", Weight: decimal.NewFromInt(20), Direction: pricing.LowerIsBetter}},
	}
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	bids := []pricing.Bid{
		{ID: "acme", SubmittedAt: day, Currency: pricing.DKK,
			Items: []pricing.BidItem{{ItemID: "nitrile-m", PackPrice: pricing.MustPrice("45.00", pricing.DKK),
				Pack:  pricing.Pack{Unit: "BX", Content: pricing.Qty("100", "EA")},
				Tiers: pricing.Tiers{{MinQuantity: decimal.NewFromInt(250), Price: pricing.MustPrice("40.00", pricing.DKK)}}}},
			Values: map[string]decimal.Decimal{"delivery_days": decimal.NewFromInt(2)}},
		{ID: "medico", SubmittedAt: day.Add(time.Hour), Currency: pricing.EUR,
			Items: []pricing.BidItem{{ItemID: "nitrile-m", PackPrice: pricing.MustPrice("5.30", pricing.EUR),
				Pack: pricing.Pack{Unit: "XBX", Content: pricing.Qty("100", "C62")}}},
			Values: map[string]decimal.Decimal{"delivery_days": decimal.NewFromInt(4)}},
	}
	eur, _ := pricing.NewExchangeRate(pricing.EUR, pricing.DKK, decimal.RequireFromString("7.4604"))
	rates, _ := pricing.NewRateTable(pricing.DKK, eur)
	ev, err := pricing.Evaluate(lot, bids, rates)
	if err != nil {
		fmt.Println(err)
		return
	}
	ev.Explain(os.Stdout)
	// Output:
	// Lot "gloves-2027", evaluated in DKK
	// Weights: price 80; delivery_days 20 (lower is better)
	// Pooled volumes: nitrile-m 25050 EA;
	// Lowest evaluated cost among 2 compliant bid(s): 9924.57 DKK
	//
	// #1 bid "acme" submitted 2026-11-02T09:00:00Z: total 99.0802392
	//   nitrile-m: 25050 EA = 250 packs of 100 EA + 50 EA, rounded UP to 251 packs; tier 1 from 250 packs: 40.00 DKK per pack; 251 x 40.00 = 10040.00 DKK
	//   cost 10040.00 DKK
	//   price: 9924.57 / 10040.00 x 100 = 98.850299; x 80 / 100 = 79.0802392
	//   delivery_days: value 2, best 2: 2 / 2 x 100 = 100; x 20 / 100 = 20
	//
	// #2 bid "medico" submitted 2026-11-02T10:00:00Z: total 90
	//   nitrile-m: 25050 EA = 250 packs of 100 EA + 50 EA, rounded UP to 251 packs; pack price: 5.30 EUR per pack; 251 x 5.30 = 1330.30 EUR
	//   cost 1330.30 EUR x 7.4604 (1 EUR = 7.4604 DKK) = 9924.57 DKK
	//   price: 9924.57 / 9924.57 x 100 = 100; x 80 / 100 = 80
	//   delivery_days: value 4, best 2: 2 / 4 x 100 = 50; x 20 / 100 = 10
}
