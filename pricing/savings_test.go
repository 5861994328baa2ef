package pricing

import (
	"testing"
	"time"
)

func TestLineSaving(t *testing.T) {
	tests := []struct {
		baseline, paid, qty string
		perUnit, savings    string
		paidTotal, baseTot  string
	}{
		{"0.50", "0.45", "1000", "0.05", "50.00", "450.00", "500.00"},
		{"0.45", "0.50", "1000", "-0.05", "-50.00", "500.00", "450.00"}, // contract worse: negative
		{"0.333333", "0.333332", "5000", "0.000001", "0.01", "1666.66", "1666.67"},
		{"0.333333", "0.333332", "4999", "0.000001", "0.00", "1666.33", "1666.33"},
		{"10", "10", "7", "0", "0.00", "70.00", "70.00"},
		{"0.125", "0.12", "1", "0.005", "0.01", "0.12", "0.13"},
	}
	for _, tt := range tests {
		ls, err := LineSaving(MustPrice(tt.baseline, DKK), MustPrice(tt.paid, DKK), d(tt.qty))
		mustNoErr(t, err)
		if !ls.PerUnit.Equal(d(tt.perUnit)) || ls.Savings.AmountString() != tt.savings || ls.Paid.AmountString() != tt.paidTotal || ls.Baseline.AmountString() != tt.baseTot {
			t.Errorf("LineSaving(%s, %s, %s) = %+v", tt.baseline, tt.paid, tt.qty, ls)
		}
	}
	_, err := LineSaving(MustPrice("1", DKK), MustPrice("1", EUR), d("1"))
	wantErr(t, err, ErrCurrencyMismatch, "paid.currency")
	_, err = LineSaving(MustPrice("1", DKK), MustPrice("1", DKK), d("-1"))
	wantErr(t, err, ErrInvalidQuantity, "quantity")
}

func TestSavings(t *testing.T) {
	r, err := Savings(DKK, []SavingsLine{
		{Baseline: MustPrice("0.50", DKK), Paid: MustPrice("0.45", DKK), Quantity: d("1000")},
		{Baseline: MustPrice("2.00", DKK), Paid: MustPrice("2.10", DKK), Quantity: d("100")},
		{Baseline: MustPrice("0.125", DKK), Paid: MustPrice("0.12", DKK), Quantity: d("1")},
	})
	mustNoErr(t, err)
	// 50.00 - 10.00 + 0.01 = 40.01 saved; paid 450.00 + 210.00 + 0.12.
	if r.Savings.String() != "40.01 DKK" || r.Paid.String() != "660.12 DKK" || r.Baseline.String() != "700.13 DKK" {
		t.Errorf("%s %s %s", r.Savings, r.Paid, r.Baseline)
	}
	if r.Percent.String() != "5.71" { // 40.01 / 700.13 = 5.7146...%
		t.Error(r.Percent)
	}
	r, err = Savings(DKK, nil)
	mustNoErr(t, err)
	if !r.Percent.IsZero() || !r.Savings.IsZero() {
		t.Error(r)
	}
	_, err = Savings(DKK, []SavingsLine{{Baseline: MustPrice("1", EUR), Paid: MustPrice("1", EUR), Quantity: d("1")}})
	wantErr(t, err, ErrCurrencyMismatch, "lines[0].baseline.currency")
	_, err = Savings(DKK, []SavingsLine{{Baseline: MustPrice("1", DKK), Paid: MustPrice("1", DKK), Quantity: d("-1")}})
	wantErr(t, err, ErrInvalidQuantity, "lines[0].quantity")
	_, err = Savings("", nil)
	wantErr(t, err, ErrInvalidCurrency, "currency")
}

func TestBaselines(t *testing.T) {
	m, err := ParseBaselineMethod("median_list_price")
	if err != nil || m != BaselineMedianListPrice {
		t.Error(m, err)
	}
	if m, err := ParseBaselineMethod("previous_price"); err != nil || m != BaselinePreviousPrice {
		t.Error(m, err)
	}
	_, err = ParseBaselineMethod("average")
	wantErr(t, err, ErrInvalidInput, "baseline_method")

	prices := func(ss ...string) []Price {
		var ps []Price
		for _, s := range ss {
			ps = append(ps, MustPrice(s, DKK))
		}
		return ps
	}
	tests := []struct {
		in   []Price
		want string
	}{
		{prices("0.50"), "0.50"},
		{prices("0.60", "0.40", "0.50"), "0.50"},
		{prices("0.40", "0.50", "0.60", "9.99"), "0.55"},
		{prices("0.000001", "0.000002"), "0.000002"}, // 0.0000015 -> half away from zero
		{prices("1", "2", "1", "2"), "1.50"},
	}
	for _, tt := range tests {
		b, err := MedianListPrice(tt.in)
		mustNoErr(t, err)
		if b.Price.AmountString() != tt.want || b.Method != BaselineMedianListPrice || b.Inputs != len(tt.in) {
			t.Errorf("median %v = %+v, want %s", tt.in, b, tt.want)
		}
	}
	_, err = MedianListPrice(nil)
	wantErr(t, err, ErrInvalidInput, "prices")
	_, err = MedianListPrice([]Price{MustPrice("1", DKK), MustPrice("1", EUR)})
	wantErr(t, err, ErrCurrencyMismatch, "prices[1].currency")

	day := func(n int) time.Time { return time.Date(2026, 1, n, 12, 0, 0, 0, time.UTC) }
	hist := []PricePoint{
		{At: day(5), Price: MustPrice("0.52", DKK)},
		{At: day(1), Price: MustPrice("0.50", DKK)},
		{At: day(20), Price: MustPrice("0.40", DKK)}, // after the contract start
		{At: day(9), Price: MustPrice("0.55", DKK)},
		{At: day(10), Price: MustPrice("0.99", DKK)}, // exactly at the start: not before
	}
	b, err := PreviousPrice(hist, day(10))
	mustNoErr(t, err)
	if b.Price.AmountString() != "0.55" || !b.At.Equal(day(9)) || b.Method != BaselinePreviousPrice || b.Inputs != 5 {
		t.Errorf("%+v", b)
	}
	_, err = PreviousPrice(hist, day(1))
	wantErr(t, err, ErrInvalidInput, "history")
	same := append(hist, PricePoint{At: day(9), Price: MustPrice("0.55", DKK)})
	if _, err := PreviousPrice(same, day(10)); err != nil {
		t.Errorf("the same price twice is not ambiguous: %v", err)
	}
	amb := append(hist, PricePoint{At: day(9), Price: MustPrice("0.56", DKK)})
	_, err = PreviousPrice(amb, day(10))
	wantErr(t, err, ErrInvalidInput, "history[5]")
	_, err = PreviousPrice([]PricePoint{{At: day(1)}}, day(10))
	wantErr(t, err, ErrInvalidCurrency, "history[0].price.currency")
}
