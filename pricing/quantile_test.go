package pricing

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = decimal.RequireFromString(s)
	}
	return out
}

// TestQuartilesByHand: type 7 worked by hand.
func TestQuartilesByHand(t *testing.T) {
	for _, c := range []struct {
		in          []string
		q1, med, q3 string
	}{
		// n=1: every quartile is the value.
		{[]string{"0.45"}, "0.45", "0.45", "0.45"},
		// n=2: h = 0.25, 0.5, 0.75 between 1 and 3.
		{[]string{"3", "1"}, "1.5", "2", "2.5"},
		// n=5 (1,2,3,4,10): h = 1, 2, 3 exactly.
		{[]string{"10", "2", "4", "1", "3"}, "2", "3", "4"},
		// n=6 (0.40,0.42,0.45,0.47,0.50,0.61): h = 1.25, 2.5, 3.75:
		// 0.42 + 0.25 x 0.03 = 0.4275; (0.45 + 0.47)/2 = 0.46;
		// 0.47 + 0.75 x 0.03 = 0.4925.
		{[]string{"0.50", "0.40", "0.61", "0.45", "0.42", "0.47"}, "0.4275", "0.46", "0.4925"},
		// rounding once to 6 decimals, half away from zero: n=4 of
		// 0.000001 steps: h = 0.75: 0 + 0.75 x 0.000001 = 0.00000075 -> 0.000001.
		{[]string{"0", "0.000001", "0.000002", "0.000003"}, "0.000001", "0.000002", "0.000002"},
	} {
		q, err := QuartilesOf(decs(c.in...))
		if err != nil {
			t.Fatal(err)
		}
		if !q.Q1.Equal(decimal.RequireFromString(c.q1)) || !q.Median.Equal(decimal.RequireFromString(c.med)) ||
			!q.Q3.Equal(decimal.RequireFromString(c.q3)) || q.N != len(c.in) {
			t.Errorf("%v: got %s %s %s (n %d), want %s %s %s", c.in, q.Q1, q.Median, q.Q3, q.N, c.q1, c.med, c.q3)
		}
	}
	if _, err := QuartilesOf(nil); err == nil {
		t.Error("quartiles of nothing accepted")
	}
	in := decs("3", "1", "2")
	if _, err := Median(in); err != nil || !in[0].Equal(decimal.NewFromInt(3)) {
		t.Error("input reordered")
	}
}

func TestUnitPriceAndShare(t *testing.T) {
	if got := UnitPriceOf(decimal.RequireFromString("100.00"), decimal.NewFromInt(3)); got.String() != "33.333333" {
		t.Errorf("100/3 = %s", got)
	}
	if got := UnitPriceOf(decimal.RequireFromString("2.00"), decimal.NewFromInt(3)); got.String() != "0.666667" {
		t.Errorf("2/3 = %s", got)
	}
	if !UnitPriceOf(decimal.NewFromInt(5), decimal.Zero).IsZero() {
		t.Error("per zero units")
	}
	half := decimal.RequireFromString("0.5")
	if ShareAbove(decimal.NewFromInt(50), decimal.NewFromInt(100), half) || !ShareAbove(decimal.RequireFromString("50.01"), decimal.NewFromInt(100), half) {
		t.Error("dominance at exactly half is not above half; a cent more is")
	}
}

// The integer fast path agrees with the decimal rule on random figures.
func TestMicroPathAgreesWithDecimals(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		spend := rng.Int64N(5_000_000_00)        // up to 5 million, in hundredths
		qty := 1 + rng.Int64N(2_000_000_000_000) // up to 2 million units, in millionths
		want := UnitPriceOf(decimal.New(spend, -2), decimal.New(qty, -6))
		got, ok := UnitPriceMicro(spend, qty)
		if !ok || !decimal.New(got, -6).Equal(want) {
			t.Fatalf("%d / %d: %d (%v), want %s", spend, qty, got, ok, want)
		}
	}
	if _, ok := UnitPriceMicro(1, 0); ok {
		t.Error("per zero units")
	}
	if _, ok := UnitPriceMicro(math.MaxInt64, 1); ok {
		t.Error("overflow not reported")
	}
	for n := 1; n < 40; n++ {
		ints := make([]int64, n)
		decs := make([]decimal.Decimal, n)
		for i := range ints {
			ints[i] = rng.Int64N(3_000_000)
			decs[i] = decimal.New(ints[i], -6)
		}
		a, _ := QuartilesOf(decs)
		b, _ := QuartilesMicro(ints)
		if !a.Q1.Equal(b.Q1) || !a.Median.Equal(b.Median) || !a.Q3.Equal(b.Q3) {
			t.Fatalf("n %d: %v vs %v", n, a, b)
		}
	}
}
