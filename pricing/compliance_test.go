package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestMissedSaving(t *testing.T) {
	paid, _ := NewPrice(decimal.RequireFromString("0.4550"), "DKK")
	contract, _ := NewPrice(decimal.RequireFromString("0.38"), "DKK")
	// (0.455 - 0.38) x 333 = 24.975 -> 24.98 (half away from zero)
	m, err := MissedSaving(paid, contract, decimal.NewFromInt(333))
	if err != nil || m.Amount().String() != "24.98" {
		t.Fatalf("MissedSaving = %v, %v; want 24.98", m, err)
	}
	// Bought below the contract price: negative.
	m, err = MissedSaving(contract, paid, decimal.NewFromInt(333))
	if err != nil || m.Amount().String() != "-24.98" {
		t.Fatalf("MissedSaving below contract = %v, %v; want -24.98", m, err)
	}
	eur, _ := NewPrice(decimal.RequireFromString("0.05"), "EUR")
	if _, err := MissedSaving(paid, eur, decimal.NewFromInt(1)); err == nil {
		t.Fatal("MissedSaving across currencies: want an error")
	}
}
