package domain_test

import (
	"testing"

	"andel/domain"

	"github.com/shopspring/decimal"
)

// The per-SKU rules without a database: CheckSKU sorts a SKU's lines by
// minimum quantity and reports the same minimum twice, tiers that disagree
// and rising prices; counts stay exact beyond the stored problems.
func TestSKUChecks(t *testing.T) {
	line := func(no, minQty int64, price string) domain.PriceLine {
		return domain.PriceLine{LineNo: no, SKU: "A", Action: "add", PackUnit: "XBX", PackContent: decimal.NewFromInt(100),
			BaseUnit: "EA", Currency: "DKK", MinQty: minQty, PackPrice: decimal.RequireFromString(price)}
	}
	var c domain.SKUChecks
	g := []domain.PriceLine{line(3, 10, "40"), line(1, 1, "45"), line(2, 50, "39")}
	c.CheckSKU(g)
	if c.Errors != 0 || c.Warnings != 0 || c.Failed() {
		t.Fatalf("a good SKU: %+v", c)
	}
	if g[0].LineNo != 1 || g[1].LineNo != 3 || g[2].LineNo != 2 {
		t.Errorf("not sorted by minimum quantity: %d %d %d", g[0].LineNo, g[1].LineNo, g[2].LineNo)
	}

	rising := []domain.PriceLine{line(1, 1, "45"), line(2, 10, "46")}
	c.CheckSKU(rising)
	if c.Warnings != 1 || c.Errors != 0 || c.Problems[0].Field != "pack_price" || c.Problems[0].Line != 2 {
		t.Errorf("rising price: %+v", c)
	}

	other := line(2, 10, "40")
	other.Currency = "EUR"
	c.CheckSKU([]domain.PriceLine{line(1, 1, "45"), other, line(3, 10, "40")})
	if c.Errors != 2 || !c.Failed() {
		t.Errorf("disagreeing tiers and a repeated minimum: %+v", c)
	}

	c = domain.SKUChecks{}
	for i := range domain.MaxStoredProblems + 5 {
		c.TooManyTiers(line(int64(i), 1, "1"))
	}
	if c.Errors != domain.MaxStoredProblems+5 || len(c.Problems) != domain.MaxStoredProblems {
		t.Errorf("%d errors, %d stored", c.Errors, len(c.Problems))
	}
}
