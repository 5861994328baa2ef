package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

// TestTrueUpCredit: the difference per pack times the packs, rounded once
// (not the difference of two rounded totals), never negative.
func TestTrueUpCredit(t *testing.T) {
	for _, c := range []struct {
		paid, reached, packs, want string
	}{
		{"44.00", "41.00", "5", "15.00"},
		{"42.00", "40.00", "39", "78.00"},
		// 0.125 x 3 = 0.375 -> 0.38 (rounded once); rounded totals would
		// give 3.38 - 3.00 = 0.38 here too, but 0.0625 x 1 = 0.06 where
		// 1.1250 - 1.0625 from totals 1.13 - 1.06 = 0.07.
		{"1.125", "1.000", "3", "0.38"},
		{"1.125", "1.0625", "1", "0.06"},
		{"40.00", "41.00", "5", "0.00"},
		{"40.00", "40.00", "5", "0.00"},
	} {
		got, err := TrueUpCredit(MustPrice(c.paid, "DKK"), MustPrice(c.reached, "DKK"), decimal.RequireFromString(c.packs))
		if err != nil {
			t.Fatal(err)
		}
		if got.AmountString() != c.want {
			t.Errorf("TrueUpCredit(%s, %s, %s) = %s, want %s", c.paid, c.reached, c.packs, got.AmountString(), c.want)
		}
	}
	if _, err := TrueUpCredit(MustPrice("1", "DKK"), MustPrice("1", "EUR"), decimal.NewFromInt(1)); err == nil {
		t.Error("mixed currencies: no error")
	}
	if _, err := TrueUpCredit(MustPrice("1", "DKK"), MustPrice("0.5", "DKK"), decimal.NewFromInt(-1)); err == nil {
		t.Error("negative packs: no error")
	}
}
