package pricing

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParsePercent(t *testing.T) {
	good := map[string]BasisPoints{"0": 0, "100": 10000, "12.5": 1250, "33.33": 3333, "7.10": 710, "50.000": 5000}
	for s, want := range good {
		got, err := ParsePercent(s)
		if err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"-1", "100.01", "12.345", "abc", "", "1e3"} {
		if _, err := ParsePercent(s); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("ParsePercent(%q) = %v, want ErrInvalidInput", s, err)
		}
	}
}

func TestSplitCashIsExact(t *testing.T) {
	dkk := Currency("DKK")
	for _, tc := range []struct {
		alloc          string
		bp             BasisPoints
		cash, retained string
	}{
		{"100.00", 6000, "60.00", "40.00"},
		{"0.01", 5000, "0.01", "0.00"}, // half away from zero
		{"0.03", 3333, "0.01", "0.02"},
		{"1234.57", 10000, "1234.57", "0.00"},
		{"1234.57", 0, "0.00", "1234.57"},
		{"10.05", 2550, "2.56", "7.49"}, // 2.562750
	} {
		cash, ret, err := SplitCash(MustMoney(tc.alloc, dkk), tc.bp)
		if err != nil || cash.AmountString() != tc.cash || ret.AmountString() != tc.retained {
			t.Errorf("SplitCash(%s, %d) = %s, %s, %v; want %s, %s", tc.alloc, tc.bp, cash, ret, err, tc.cash, tc.retained)
		}
	}
	if _, _, err := SplitCash(MustMoney("-1", dkk), 5000); !errors.Is(err, ErrInvalidAmount) {
		t.Errorf("negative allocation: %v", err)
	}
	if _, _, err := SplitCash(MustMoney("1", dkk), 10001); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("share above 100 %%: %v", err)
	}
}

func TestPayoutRule(t *testing.T) {
	dkk := Currency("DKK")
	m := func(s string) Money { return MustMoney(s, dkk) }
	r := PayoutRule{Minimum: m("50"), Payable: true}
	if p, c, _ := r.Payout(m("30"), m("25")); p.AmountString() != "55.00" || !c.IsZero() {
		t.Errorf("carry-in lifts above minimum: %s, %s", p, c)
	}
	if p, c, _ := r.Payout(m("30"), m("0")); !p.IsZero() || c.AmountString() != "30.00" {
		t.Errorf("below minimum: %s, %s", p, c)
	}
	r.Payable = false
	if p, c, _ := r.Payout(m("300"), m("1")); !p.IsZero() || c.AmountString() != "301.00" {
		t.Errorf("no bank details: %s, %s", p, c)
	}
	if p, _, _ := (PayoutRule{Payable: true}).Payout(m("0.01"), m("0")); p.AmountString() != "0.01" {
		t.Errorf("no minimum: %s", p)
	}
}

func TestShareOfAndPercentOf(t *testing.T) {
	if got := ShareOf(decimal.NewFromInt(1), decimal.NewFromInt(3)); got.String() != "0.3333333333" {
		t.Errorf("ShareOf(1, 3) = %s", got)
	}
	if got := ShareOf(decimal.NewFromInt(1), decimal.Zero); !got.IsZero() {
		t.Errorf("ShareOf(1, 0) = %s", got)
	}
	if got, _ := PercentOf(MustMoney("1000.03", "DKK"), 2500); got.AmountString() != "250.01" {
		t.Errorf("25%% of 1000.03 = %s", got)
	}
}
