package pricing

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func ladder(pairs ...string) Tiers {
	var t Tiers
	for i := 0; i < len(pairs); i += 2 {
		t = append(t, Tier{MinQuantity: d(pairs[i]), Price: MustPrice(pairs[i+1], DKK)})
	}
	return t
}

func TestTiersPriceFor(t *testing.T) {
	l := ladder("1", "50.00", "10", "45.00", "100", "40.00")
	tests := []struct {
		qty   string
		price string
		index int
	}{
		{"1", "50.00", 0}, {"9", "50.00", 0}, {"9.999", "50.00", 0},
		{"10", "45.00", 1}, {"99", "45.00", 1}, {"100", "40.00", 2}, {"1000000", "40.00", 2},
	}
	for _, tt := range tests {
		tier, i, err := l.PriceFor(d(tt.qty))
		mustNoErr(t, err)
		if tier.Price.AmountString() != tt.price || i != tt.index {
			t.Errorf("PriceFor(%s) = %s (%d), want %s (%d)", tt.qty, tier.Price, i, tt.price, tt.index)
		}
	}
	_, _, err := l.PriceFor(d("0.5"))
	wantErr(t, err, ErrBelowMinimum, "quantity")
	_, _, err = l.PriceFor(d("-1"))
	wantErr(t, err, ErrInvalidQuantity, "quantity")
	_, _, err = ladder("10", "1", "5", "1").PriceFor(d("7"))
	wantErr(t, err, ErrInvalidTiers, "[1].min_quantity")

	// All-units: 10 at 45.00 is 450.00, cheaper than 9 at 50.00.
	for qty, want := range map[string]string{"9": "450.00", "10": "450.00", "100": "4000.00", "2.5": "125.00"} {
		m, err := l.Total(d(qty))
		mustNoErr(t, err)
		if m.AmountString() != want {
			t.Errorf("Total(%s) = %s, want %s", qty, m, want)
		}
	}
	_, err = l.Total(d("0"))
	wantErr(t, err, ErrBelowMinimum, "quantity")
	m, err := ladder("0", "0.333333").Total(d("10"))
	mustNoErr(t, err)
	if m.AmountString() != "3.33" {
		t.Error(m)
	}
}

func TestTiersValidate(t *testing.T) {
	if err := ladder("0", "10", "5", "10", "10", "9.99").Validate(false); err != nil {
		t.Errorf("equal prices are allowed: %v", err)
	}
	if err := ladder("0", "10", "5", "11").Validate(true); err != nil {
		t.Errorf("increasing allowed explicitly: %v", err)
	}
	tests := []struct {
		name   string
		tiers  Tiers
		fields []string
	}{
		{"empty", nil, []string{""}},
		{"increasing price", ladder("0", "10", "5", "11"), []string{"[1].price"}},
		{"same minimum", ladder("0", "10", "0", "9"), []string{"[1].min_quantity"}},
		{"descending minimum", ladder("10", "10", "5", "9"), []string{"[1].min_quantity"}},
		{"negative minimum", ladder("-1", "10"), []string{"[0].min_quantity"}},
		{"all problems at once", ladder("-1", "10", "-2", "11", "5", "12"), []string{"[0].min_quantity", "[1].min_quantity", "[1].min_quantity", "[1].price", "[2].price"}},
		{"mixed currencies", Tiers{{MinQuantity: d("0"), Price: MustPrice("1", DKK)}, {MinQuantity: d("5"), Price: MustPrice("1", EUR)}}, []string{"[1].price.currency"}},
		{"missing price", Tiers{{MinQuantity: d("0")}}, []string{"[0].price.currency"}},
	}
	for _, tt := range tests {
		err := tt.tiers.Validate(false)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		fes := FieldErrors(err)
		var got []string
		for _, fe := range fes {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("%s: fields %v, want %v (%v)", tt.name, got, tt.fields, err)
		}
	}
}

// The allocation-free ladder check of tender evaluation accepts exactly
// the ladders the detailed validation accepts.
func TestLadderOKAgreesWithValidate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	prices := []Price{MustPrice("10", DKK), MustPrice("9", DKK), MustPrice("11", DKK), MustPrice("10", EUR), {}}
	mins := []string{"-1", "0", "1", "5", "5", "10"}
	for n := 0; n < 20000; n++ {
		pack := prices[r.IntN(len(prices))]
		var tiers Tiers
		for k := r.IntN(4); k > 0; k-- {
			tiers = append(tiers, Tier{MinQuantity: d(mins[r.IntN(len(mins))]), Price: prices[r.IntN(len(prices))]})
		}
		allow := r.IntN(2) == 0
		bi := &BidItem{PackPrice: pack, Tiers: tiers}
		if ok, errs := ladderOK(pack, tiers, allow), bidLadderErrors(0, bi, allow); ok != (len(errs) == 0) {
			t.Fatalf("pack %v tiers %v allow %v: ladderOK %v, errors %v", pack, tiers, allow, ok, errs)
		}
	}
}
