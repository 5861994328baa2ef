package pricing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

func vals(kv ...string) map[string]decimal.Decimal {
	m := map[string]decimal.Decimal{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = d(kv[i+1])
	}
	return m
}

// tenderLot pools 25,050 gloves and 120 litres of hand sanitizer (in
// millilitres); price weighs 70, delivery days 20, a quality score 10.
func tenderLot() Lot {
	return Lot{
		ID:       "L1",
		Currency: DKK,
		Items: []LotItem{
			{ID: "G", Unit: "EA", Quantity: d("25050")},
			{ID: "S", Unit: "MLT", Quantity: d("120000")},
		},
		PriceWeight: d("70"),
		Criteria: []Criterion{
			{Name: "delivery_days", Weight: d("20"), Direction: LowerIsBetter},
			{Name: "quality", Weight: d("10"), Direction: GivenScore},
		},
	}
}

func tenderBids() []Bid {
	return []Bid{
		{ID: "A", SubmittedAt: at(10), Currency: DKK, Items: []BidItem{
			{ItemID: "G", PackPrice: MustPrice("45.00", DKK), Pack: Pack{Unit: "BX", Content: Qty("100", "EA")},
				Tiers: ladder("100", "42.00", "250", "40.00")},
			{ItemID: "S", PackPrice: MustPrice("30.00", DKK), Pack: Pack{Unit: "XBO", Content: Qty("500", "MLT")}},
		}, Values: vals("delivery_days", "2", "quality", "80")},
		{ID: "B", SubmittedAt: at(20), Currency: EUR, Items: []BidItem{
			{ItemID: "S", PackPrice: MustPrice("7.30", EUR), Pack: Pack{Unit: "XBO", Content: Qty("1", "LTR")}},
			{ItemID: "G", PackPrice: MustPrice("56.00", EUR), Pack: Pack{Unit: "CT", Content: Qty("1000", "C62")},
				Tiers: Tiers{{MinQuantity: d("20"), Price: MustPrice("54.00", EUR)}}},
		}, Values: vals("delivery_days", "5", "quality", "90")},
		{ID: "C", SubmittedAt: at(0), Currency: DKK, Items: []BidItem{ // misses S
			{ItemID: "G", PackPrice: MustPrice("1.00", DKK), Pack: Pack{Unit: "BX", Content: Qty("100", "EA")}},
		}, Values: vals("delivery_days", "1", "quality", "100")},
		{ID: "D", SubmittedAt: at(30), Currency: DKK, Items: []BidItem{
			{ItemID: "G", PackPrice: MustPrice("41.00", DKK), Pack: Pack{Unit: "BX", Content: Qty("100", "EA")}},
			{ItemID: "S", PackPrice: MustPrice("15.50", DKK), Pack: Pack{Unit: "XBO", Content: Qty("250", "MLT")}},
		}, Values: vals("delivery_days", "2", "quality", "80")},
	}
}

func eurTable(t *testing.T) RateTable {
	t.Helper()
	r, err := NewExchangeRate(EUR, DKK, d("7.4604"))
	mustNoErr(t, err)
	tab, err := NewRateTable(DKK, r)
	mustNoErr(t, err)
	return tab
}

func TestEvaluateHandComputed(t *testing.T) {
	ev, err := Evaluate(tenderLot(), tenderBids(), eurTable(t))
	mustNoErr(t, err)

	// Bid A: gloves 25050 EA in boxes of 100 = 250 boxes + 50 EA, so 251
	// boxes, which reach the 250-box tier at 40.00: 10040.00. Sanitizer
	// 120000 MLT / 500 = 240 bottles x 30.00 = 7200.00. Cost 17240.00 DKK.
	// Bid B: gloves 25 cartons of 1000 + 50 -> 26 cartons, tier from 20 at
	// 54.00 EUR: 1404.00 EUR; sanitizer 120 litres x 7.30 = 876.00 EUR;
	// 2280.00 EUR x 7.4604 = 17009.712 -> 17009.71 DKK, the lowest.
	// Bid D: 251 x 41.00 = 10291.00; 480 x 15.50 = 7440.00; 17731.00 DKK.
	// Bid C misses the sanitizer: not compliant, so its 1 delivery day is
	// not the best; the best is 2.
	//
	// A: price 17009.71/17240.00 x 100 = 98.664211 (x 0.7 = 69.0649477),
	//    delivery 2/2 -> 100 (20), quality 80 (8): 97.0649477
	// D: price 95.932040 (67.152428), delivery 100 (20), quality 80 (8): 95.152428
	// B: price 100 (70), delivery 2/5 -> 40 (8), quality 90 (9): 87
	want := []struct {
		id, cost, evaluated, priceScore, priceWeighted, total string
		rank                                                  int
	}{
		{"A", "17240.00 DKK", "17240.00 DKK", "98.664211", "69.0649477", "97.0649477", 1},
		{"D", "17731.00 DKK", "17731.00 DKK", "95.93204", "67.152428", "95.152428", 2},
		{"B", "2280.00 EUR", "17009.71 DKK", "100", "70", "87", 3},
	}
	if ev.Compliant != 3 || len(ev.Bids) != 4 || ev.LowestCost.String() != "17009.71 DKK" {
		t.Fatalf("compliant %d, bids %d, lowest %s", ev.Compliant, len(ev.Bids), ev.LowestCost)
	}
	for i, w := range want {
		b := ev.Bids[i]
		if b.BidID != w.id || b.Rank != w.rank || !b.Compliant || b.Cost.String() != w.cost || b.EvaluatedCost.String() != w.evaluated ||
			!b.PriceScore.Equal(d(w.priceScore)) || !b.PriceWeighted.Equal(d(w.priceWeighted)) || !b.Total.Equal(d(w.total)) {
			t.Errorf("row %d: %s rank %d cost %s eval %s price %s (%s) total %s", i, b.BidID, b.Rank, b.Cost, b.EvaluatedCost, b.PriceScore, b.PriceWeighted, b.Total)
		}
	}
	a := ev.Bids[0]
	g := a.Items[0]
	if g.ItemID != "G" || !g.Offered || !g.Full.Equal(d("250")) || !g.Remainder.Equal(d("50")) || !g.Packs.Equal(d("251")) || !g.RoundedUp ||
		g.TierIndex != 1 || !g.TierMinQuantity.Equal(d("250")) || g.PackPrice.String() != "40.00 DKK" || g.LineCost.String() != "10040.00 DKK" {
		t.Errorf("A/G: %+v", g)
	}
	s := a.Items[1]
	if !s.Packs.Equal(d("240")) || s.RoundedUp || s.TierIndex != -1 || !s.TierMinQuantity.IsZero() || s.LineCost.String() != "7200.00 DKK" {
		t.Errorf("A/S: %+v", s)
	}
	if c := a.Criteria[0]; c.Name != "delivery_days" || !c.Best.Equal(d("2")) || !c.Score.Equal(d("100")) || !c.Weighted.Equal(d("20")) {
		t.Errorf("A delivery: %+v", c)
	}
	b := ev.Bids[2]
	if b.Rate.String() != "1 EUR = 7.4604 DKK" || b.Items[0].ItemID != "G" || !b.Items[0].Content.Equal(d("1000")) || b.Items[0].TierIndex != 0 {
		t.Errorf("B: %+v", b)
	}
	if c := b.Criteria[0]; !c.Score.Equal(d("40")) || !c.Weighted.Equal(d("8")) {
		t.Errorf("B delivery: %+v", c)
	}
	c := ev.Bids[3]
	if c.BidID != "C" || c.Compliant || c.Rank != 0 || !c.EvaluatedCost.Equal(Money{}) || !c.Total.IsZero() || len(c.Problems) != 1 ||
		!strings.Contains(c.Problems[0].Message, `item "S" of the lot has no price`) || c.Items[1].Offered || !c.Items[0].Offered {
		t.Errorf("C: %+v", c)
	}
	if w, ok := ev.Winner(); !ok || w.BidID != "A" {
		t.Error("winner", w.BidID)
	}

	var buf bytes.Buffer
	mustNoErr(t, ev.Explain(&buf))
	text := buf.String()
	for _, want := range []string{
		`Lot "L1", evaluated in DKK`,
		"Weights: price 70; delivery_days 20 (lower is better); quality 10 (given 0-100 score)",
		"Pooled volumes: G 25050 EA; S 120000 MLT;",
		"Lowest evaluated cost among 3 compliant bid(s): 17009.71 DKK",
		`#1 bid "A" submitted 2026-11-02T09:10:00Z: total 97.0649477`,
		"G: 25050 EA = 250 packs of 100 EA + 50 EA, rounded UP to 251 packs; tier 2 from 250 packs: 40.00 DKK per pack; 251 x 40.00 = 10040.00 DKK",
		"S: 120000 MLT = 240 packs of 500 MLT; pack price: 30.00 DKK per pack; 240 x 30.00 = 7200.00 DKK",
		"price: 17009.71 / 17240.00 x 100 = 98.664211; x 70 / 100 = 69.0649477",
		"delivery_days: value 2, best 2: 2 / 2 x 100 = 100; x 20 / 100 = 20",
		"quality: given score 80 = 80; x 10 / 100 = 8",
		"cost 2280.00 EUR x 7.4604 (1 EUR = 7.4604 DKK) = 17009.71 DKK",
		"delivery_days: value 5, best 2: 2 / 5 x 100 = 40; x 20 / 100 = 8",
		`NOT COMPLIANT, not ranked: bid "C"`,
		`- items: item "S" of the lot has no price`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q:\n%s", want, text)
		}
	}

	// The table is JSON with string amounts, and non-compliant costs are null.
	js, err := json.Marshal(ev)
	mustNoErr(t, err)
	for _, want := range []string{`"evaluated_cost":{"amount":"17240.00","currency":"DKK"}`, `"evaluated_cost":null`, `"price_score":"98.664211"`} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("JSON lacks %s", want)
		}
	}
}

func TestEvaluateTies(t *testing.T) {
	lot := Lot{ID: "T", Currency: DKK, Items: []LotItem{{ID: "X", Unit: "EA", Quantity: d("10")}}, PriceWeight: d("100")}
	bid := func(id string, when time.Time, price string) Bid {
		return Bid{ID: id, SubmittedAt: when, Currency: DKK, Items: []BidItem{{ItemID: "X", PackPrice: MustPrice(price, DKK), Pack: LoosePack("EA")}}}
	}
	ev, err := Evaluate(lot, []Bid{bid("late", at(5), "1.00"), bid("early", at(1), "1.00"), bid("dear", at(0), "2.00"), bid("same-time", at(1), "1.00")}, RateTable{})
	mustNoErr(t, err)
	var order []string
	for _, b := range ev.Bids {
		order = append(order, b.BidID)
	}
	// Equal totals: the earlier submission first, then input order.
	if strings.Join(order, ",") != "early,same-time,late,dear" || ev.Bids[3].PriceScore.String() != "50" {
		t.Errorf("order %v, %s", order, ev.Bids[3].PriceScore)
	}
	for i, b := range ev.Bids {
		if b.Rank != i+1 {
			t.Errorf("%s rank %d", b.BidID, b.Rank)
		}
	}
}

func TestEvaluateScoringEdges(t *testing.T) {
	lot := Lot{ID: "E", Currency: DKK, Items: []LotItem{{ID: "X", Unit: "KGM", Quantity: d("1.2")}},
		PriceWeight: d("33.5"),
		Criteria: []Criterion{
			{Name: "shelf_life", Weight: d("33.25"), Direction: HigherIsBetter},
			{Name: "days", Weight: d("33.25"), Direction: LowerIsBetter},
		}}
	bags := Pack{Unit: "XBG", Content: Qty("500", "GRM")}
	bids := []Bid{
		{ID: "free", Currency: DKK, Items: []BidItem{{ItemID: "X", PackPrice: MustPrice("0", DKK), Pack: bags}}, Values: vals("shelf_life", "0", "days", "0")},
		{ID: "paid", Currency: DKK, Items: []BidItem{{ItemID: "X", PackPrice: MustPrice("0.333333", DKK), Pack: bags}}, Values: vals("shelf_life", "0", "days", "3")},
	}
	ev, err := Evaluate(lot, bids, RateTable{})
	mustNoErr(t, err)
	free, paid := ev.Bids[0], ev.Bids[1]
	// 1.2 KGM in 500 GRM bags: 2 bags + 0.2 KGM -> 3 bags; 3 x 0.333333 = 0.999999 -> 1.00.
	if free.BidID != "free" || !free.PriceScore.Equal(d("100")) || paid.EvaluatedCost.String() != "1.00 DKK" || !paid.PriceScore.IsZero() {
		t.Errorf("free %s %s, paid %s %s", free.BidID, free.PriceScore, paid.EvaluatedCost, paid.PriceScore)
	}
	if !paid.Items[0].Remainder.Equal(d("0.2")) || !paid.Items[0].Content.Equal(d("0.5")) {
		t.Errorf("%+v", paid.Items[0])
	}
	// All shelf lives 0: everyone is best, 100. Days: best 0, so 3 scores 0.
	if !free.Criteria[0].Score.Equal(d("100")) || !paid.Criteria[0].Score.Equal(d("100")) || !free.Criteria[1].Score.Equal(d("100")) || !paid.Criteria[1].Score.IsZero() {
		t.Errorf("criteria %+v %+v", free.Criteria, paid.Criteria)
	}
	// 100 x 33.5/100 + 100 x 33.25/100 + 100 x 33.25/100 = 100
	if !free.Total.Equal(d("100")) || !paid.Total.Equal(d("33.25")) {
		t.Errorf("totals %s %s", free.Total, paid.Total)
	}

	// Higher is better with a spread, and a given score with many decimals.
	lot2 := Lot{ID: "H", Currency: DKK, Items: []LotItem{{ID: "X", Unit: "EA", Quantity: d("3")}}, PriceWeight: d("0"),
		Criteria: []Criterion{{Name: "months", Weight: d("50"), Direction: HigherIsBetter}, {Name: "q", Weight: d("50"), Direction: GivenScore}}}
	ev, err = Evaluate(lot2, []Bid{
		{ID: "a", Currency: DKK, Items: []BidItem{{ItemID: "X", PackPrice: MustPrice("1", DKK), Pack: LoosePack("EA")}}, Values: vals("months", "12", "q", "66.6666666")},
		{ID: "b", Currency: DKK, Items: []BidItem{{ItemID: "X", PackPrice: MustPrice("2", DKK), Pack: LoosePack("EA")}}, Values: vals("months", "36", "q", "0")},
	}, RateTable{})
	mustNoErr(t, err)
	a, b := ev.Bids[0], ev.Bids[1]
	// a: 12/36 x 100 = 33.333333 (16.6666665) + 66.666667 (33.3333335) = 50
	// b: 100 (50) + 0 = 50: a tie on total, input order decides.
	if a.BidID != "a" || !a.Criteria[0].Score.Equal(d("33.333333")) || !a.Criteria[1].Score.Equal(d("66.666667")) || !a.Total.Equal(d("50")) || !b.Total.Equal(d("50")) || !a.Criteria[1].Best.Equal(d("100")) {
		t.Errorf("a %+v total %s; b total %s", a.Criteria, a.Total, b.Total)
	}
	var buf bytes.Buffer
	mustNoErr(t, ev.Explain(&buf))
	if !strings.Contains(buf.String(), "months: value 12, best 36: 12 / 36 x 100 = 33.333333") || !strings.Contains(buf.String(), "months 50 (higher is better)") {
		t.Error(buf.String())
	}
}

func TestEvaluateNonCompliance(t *testing.T) {
	lot := tenderLot()
	good := func() Bid { return tenderBids()[0] }
	tests := []struct {
		name   string
		mutate func(b *Bid)
		allow  bool
		field  string
		msg    string
	}{
		{"missing item", func(b *Bid) { b.Items = b.Items[:1] }, false, "items", `item "S" of the lot has no price`},
		{"unknown item", func(b *Bid) { b.Items = append(b.Items, BidItem{ItemID: "Z"}) }, false, "items[2].item_id", "not in the lot"},
		{"item twice", func(b *Bid) { b.Items = append(b.Items, b.Items[0]) }, false, "items[2].item_id", "more than once"},
		{"pack of mass for a count", func(b *Bid) { b.Items[0].Pack = Pack{Unit: "XBG", Content: Qty("1", "KGM")} }, false, "items[0].pack.content.unit", "cannot convert KGM"},
		{"pack without content", func(b *Bid) { b.Items[0].Pack = Pack{Unit: "BX"} }, false, "items[0].pack.content.unit", "missing"},
		{"price in another currency", func(b *Bid) { b.Items[1].PackPrice = MustPrice("30.00", EUR) }, false, "items[1].pack_price.currency", "cannot combine DKK with EUR"},
		{"no pack price", func(b *Bid) { b.Items[1].PackPrice = Price{} }, false, "items[1].pack_price.currency", "currency is missing"},
		{"tier dearer than the pack price", func(b *Bid) { b.Items[0].Tiers = ladder("100", "46.00") }, false, "items[0].tiers[0].price", "may not cost more"},
		{"tier from 0 packs", func(b *Bid) { b.Items[0].Tiers = ladder("0", "40.00") }, false, "items[0].tiers[0].min_quantity", "must ascend"},
		{"tiers out of order", func(b *Bid) { b.Items[0].Tiers = ladder("250", "40.00", "100", "39.00") }, false, "items[0].tiers[1].min_quantity", "must ascend"},
		{"tier in another currency", func(b *Bid) { b.Items[0].Tiers = Tiers{{MinQuantity: d("5"), Price: MustPrice("1", EUR)}} }, false, "items[0].tiers[0].price.currency", "cannot combine"},
		{"missing criterion value", func(b *Bid) { delete(b.Values, "quality") }, false, "values.quality", "no value"},
		{"score above 100", func(b *Bid) { b.Values["quality"] = d("101") }, false, "values.quality", "from 0 to 100"},
		{"negative score", func(b *Bid) { b.Values["quality"] = d("-1") }, false, "values.quality", "from 0 to 100"},
		{"negative days", func(b *Bid) { b.Values["delivery_days"] = d("-1") }, false, "values.delivery_days", "cannot be negative"},
		{"bad currency", func(b *Bid) { b.Currency = "KRONER" }, false, "currency", "not an ISO 4217"},
	}
	for _, tt := range tests {
		b := good()
		b.Values = vals("delivery_days", "2", "quality", "80")
		tt.mutate(&b)
		l := lot
		l.AllowIncreasingTiers = tt.allow
		ev, err := Evaluate(l, []Bid{b, tenderBids()[3]}, RateTable{})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got BidEvaluation
		for _, be := range ev.Bids {
			if be.BidID == "A" {
				got = be
			}
		}
		if got.Compliant || got.Rank != 0 || ev.Compliant != 1 || ev.Bids[0].BidID != "D" || ev.Bids[0].Rank != 1 {
			t.Errorf("%s: still compliant or ranked: %+v", tt.name, got)
			continue
		}
		found := false
		for _, p := range got.Problems {
			if p.Field == tt.field && strings.Contains(p.Message, tt.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: problems %+v lack %s: %s", tt.name, got.Problems, tt.field, tt.msg)
		}
	}

	// A rising ladder is compliant when the lot allows it.
	b := good()
	b.Items[0].Tiers = ladder("100", "46.00")
	l := lot
	l.AllowIncreasingTiers = true
	ev, err := Evaluate(l, []Bid{b}, RateTable{})
	mustNoErr(t, err)
	if !ev.Bids[0].Compliant || ev.Bids[0].Items[0].PackPrice.AmountString() != "46.00" {
		t.Errorf("%+v", ev.Bids[0])
	}

	// No compliant bid at all.
	ev, err = Evaluate(lot, []Bid{tenderBids()[2]}, RateTable{})
	mustNoErr(t, err)
	if _, ok := ev.Winner(); ok || ev.Compliant != 0 || !ev.LowestCost.IsZero() || ev.LowestCost.Currency() != DKK {
		t.Errorf("%+v", ev)
	}
	var buf bytes.Buffer
	mustNoErr(t, ev.Explain(&buf))
	if !strings.Contains(buf.String(), "among 0 compliant bid(s): 0.00 DKK") {
		t.Error(buf.String())
	}
	// No bids at all.
	ev, err = Evaluate(lot, nil, RateTable{})
	mustNoErr(t, err)
	if len(ev.Bids) != 0 {
		t.Error(ev.Bids)
	}
}

func TestEvaluateInputErrors(t *testing.T) {
	bids := tenderBids()
	tests := []struct {
		name   string
		lot    func(l *Lot)
		bids   []Bid
		rates  RateTable
		kind   error
		fields []string
	}{
		{"weights do not sum to 100", func(l *Lot) { l.PriceWeight = d("60") }, nil, RateTable{}, ErrInvalidWeights, []string{"lot.criteria"}},
		{"negative weights", func(l *Lot) { l.PriceWeight = d("-10"); l.Criteria[0].Weight = d("-20") }, nil, RateTable{}, ErrInvalidWeights,
			[]string{"lot.price_weight", "lot.criteria[0].weight", "lot.criteria"}},
		{"criteria names", func(l *Lot) {
			l.Criteria[0].Name = ""
			l.Criteria = append(l.Criteria, Criterion{Name: "quality", Direction: GivenScore})
		}, nil, RateTable{}, ErrInvalidInput,
			[]string{"lot.criteria[0].name", "lot.criteria[2].name"}},
		{"direction", func(l *Lot) { l.Criteria[1].Direction = "best" }, nil, RateTable{}, ErrInvalidInput, []string{"lot.criteria[1].direction"}},
		{"items", func(l *Lot) {
			l.Items = []LotItem{{ID: "", Unit: "EA", Quantity: d("1")}, {ID: "a", Unit: "BX", Quantity: d("1")}, {ID: "a", Unit: "PCS", Quantity: d("0")}}
		}, nil, RateTable{}, ErrInvalidInput, []string{"lot.items[0].id", "lot.items[1].unit", "lot.items[2].id", "lot.items[2].unit", "lot.items[2].quantity"}},
		{"no items", func(l *Lot) { l.Items = nil }, nil, RateTable{}, ErrInvalidInput, []string{"lot.items"}},
		{"currency", func(l *Lot) { l.Currency = "" }, nil, RateTable{}, ErrInvalidCurrency, []string{"lot.currency"}},
		{"bid ids", nil, []Bid{{ID: ""}, {ID: "x"}, {ID: "x"}}, RateTable{}, ErrInvalidInput, []string{"bids[0].id", "bids[2].id"}},
		{"missing rate", nil, bids, RateTable{}, ErrInvalidRate, []string{"rates.EUR"}},
		{"rate table in EUR", nil, bids, func() RateTable { r, _ := NewRateTable(EUR); return r }(), ErrInvalidRate, []string{"rates"}},
		{"missing rate in a table", nil, bids, func() RateTable { r, _ := NewRateTable(DKK); return r }(), ErrInvalidRate, []string{"rates.EUR"}},
	}
	for _, tt := range tests {
		lot := tenderLot()
		if tt.lot != nil {
			tt.lot(&lot)
		}
		_, err := Evaluate(lot, tt.bids, tt.rates)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		wantErr(t, err, tt.kind, "")
		var got []string
		for _, fe := range FieldErrors(err) {
			got = append(got, fe.Field)
		}
		if strings.Join(got, " ") != strings.Join(tt.fields, " ") {
			t.Errorf("%s: fields %v, want %v (%v)", tt.name, got, tt.fields, err)
		}
	}
}

// Evaluating on one goroutine or many gives the same table.
func TestEvaluateDeterministic(t *testing.T) {
	lot, bids := benchTender(20, 30)
	ev1, err := Evaluate(lot, bids, RateTable{})
	mustNoErr(t, err)
	var seq []BidEvaluation
	units, err := validateLot(lot)
	mustNoErr(t, err)
	ev := &evaluator{lot: lot, units: units, itemIndex: map[string]int{}}
	for i, it := range lot.Items {
		ev.itemIndex[it.ID] = i
	}
	for i := range bids {
		e := BidEvaluation{BidID: bids[i].ID, SubmittedAt: bids[i].SubmittedAt, Order: i, Compliant: true, Rate: Identity(DKK)}
		ev.evaluateBid(&bids[i], &e)
		seq = append(seq, e)
	}
	ev2 := rank(lot, seq)
	j1, _ := json.Marshal(ev1)
	j2, _ := json.Marshal(ev2)
	if !bytes.Equal(j1, j2) {
		t.Error("parallel and sequential evaluations differ")
	}
	if ev1.Compliant != len(bids) {
		t.Errorf("%d compliant", ev1.Compliant)
	}
}

// Numbers beyond int64 take the general decimal path and give the same
// exact results.
func TestEvaluateHugeNumbers(t *testing.T) {
	lot := Lot{ID: "huge", Currency: DKK, PriceWeight: d("100"), Items: []LotItem{
		{ID: "a", Unit: "EA", Quantity: d("50000000000000")}, // 5e13 packs x 1000.00 = 5e18 øre
		{ID: "b", Unit: "EA", Quantity: d("50000000000000")}, // the sum, 1e19 øre, overflows int64
		{ID: "c", Unit: "EA", Quantity: d("123456789012345678901234567890")},
	}}
	bid := Bid{ID: "x", Currency: DKK, Items: []BidItem{
		{ItemID: "a", PackPrice: MustPrice("1000.00", DKK), Pack: LoosePack("EA")},
		{ItemID: "b", PackPrice: MustPrice("1000.00", DKK), Pack: LoosePack("EA")},
		{ItemID: "c", PackPrice: MustPrice("0.000001", DKK), Pack: Pack{Unit: "BX", Content: Qty("7", "EA")}},
	}}
	ev, err := Evaluate(lot, []Bid{bid}, RateTable{})
	mustNoErr(t, err)
	b := ev.Bids[0]
	// c: 123456789012345678901234567890 / 7 = 17636684144620811271604938270 rem 0
	if !b.Items[2].Packs.Equal(d("17636684144620811271604938270")) || b.Items[2].RoundedUp {
		t.Errorf("c: %+v", b.Items[2])
	}
	// 17636684144620811271604938270 x 0.000001 = 17636684144620811271604.93827 -> .94
	if b.Items[2].LineCost.AmountString() != "17636684144620811271604.94" {
		t.Errorf("c line: %s", b.Items[2].LineCost)
	}
	// a + b = 2 x 50000000000000000.00 = 100000000000000000.00
	if b.Cost.AmountString() != "17636784144620811271604.94" || !b.EvaluatedCost.Equal(b.Cost) {
		t.Errorf("cost %s", b.Cost)
	}
	want := slowPacks(d("123456789012345678901234567891"), d("7"))
	if got := packsFor(d("123456789012345678901234567891"), d("7")); !got.Packs.Equal(want.Packs) || !got.Remainder.Equal(d("1")) || !got.RoundedUp {
		t.Errorf("%+v", got)
	}
}

func TestEvaluateSeveralNonCompliant(t *testing.T) {
	lot := tenderLot()
	bids := tenderBids()
	bad := bids[0]
	bad.ID = "bad-currency"
	bad.Currency = "KRONER"
	bad.Items = append([]BidItem{}, bad.Items...)
	bad.Items[1].PackPrice = Price{}
	c := bids[2]
	ev, err := Evaluate(lot, []Bid{c, bad, bids[3]}, RateTable{})
	mustNoErr(t, err)
	if ev.Bids[0].BidID != "D" || ev.Bids[1].BidID != "C" || ev.Bids[2].BidID != "bad-currency" {
		t.Fatalf("order %s %s %s", ev.Bids[0].BidID, ev.Bids[1].BidID, ev.Bids[2].BidID)
	}
	var fields []string
	for _, p := range ev.Bids[2].Problems {
		fields = append(fields, p.Field)
	}
	if strings.Join(fields, " ") != "currency items[1].pack_price.currency" {
		t.Errorf("%v", ev.Bids[2].Problems)
	}
	if !ev.Bids[2].Cost.Equal(Money{}) {
		t.Errorf("cost of a bid in no currency: %s", ev.Bids[2].Cost)
	}
}
