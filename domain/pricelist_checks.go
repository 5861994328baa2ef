package domain

import (
	"cmp"
	"fmt"
	"slices"
)

// MaxTiersPerSKU bounds the lines of one SKU in a price list (and the
// memory a load holds for one SKU).
const MaxTiersPerSKU = 1000

// SKUChecks are the cooperative's rules for each SKU of a price list as a
// whole, applied by the bulk loader (OfferLoader) while the lines stream
// past, one SKU at a time. It keeps the counts exact and at most
// MaxStoredProblems problems. The checks of a single line are the format
// readers' (package suppliers); those of the whole list are checkList's.
type SKUChecks struct {
	Problems []PriceListProblem
	Errors   int64
	Warnings int64
}

// Failed reports an error in some SKU: the list will be rejected, so the
// loader may stop writing offers (it keeps checking, to report every
// problem).
func (c *SKUChecks) Failed() bool { return c.Errors > 0 }

// TooManyTiers reports that the SKU of l has more than MaxTiersPerSKU lines
// (from l on); the loader reports it once per SKU and drops the rest.
func (c *SKUChecks) TooManyTiers(l PriceLine) {
	c.add("error", "min_qty", l.SKU, l.LineNo, fmt.Sprintf("SKU %q has more than %d tiers", l.SKU, MaxTiersPerSKU))
}

// CheckSKU sorts the lines of one SKU by minimum quantity (then body order)
// and checks them as a whole: the same minimum twice and tiers that
// disagree on the pack, base unit, currency or action are errors; pack
// prices that rise with the quantity a warning. Afterwards lines[0] is the
// SKU's offer and the lines after it its tiers.
func (c *SKUChecks) CheckSKU(lines []PriceLine) {
	slices.SortStableFunc(lines, func(a, b PriceLine) int {
		return cmp.Or(cmp.Compare(a.MinQty, b.MinQty), cmp.Compare(a.LineNo, b.LineNo))
	})
	for i := 1; i < len(lines); i++ {
		prev, l := &lines[i-1], &lines[i]
		switch {
		case l.MinQty == prev.MinQty:
			c.add("error", "min_qty", l.SKU, l.LineNo,
				fmt.Sprintf("SKU %q with minimum quantity %d appears again (also on line %d)", l.SKU, l.MinQty, prev.LineNo))
		case l.PackUnit != prev.PackUnit || !l.PackContent.Equal(prev.PackContent) || l.BaseUnit != prev.BaseUnit ||
			l.Currency != prev.Currency || l.Action != prev.Action:
			c.add("error", "sku", l.SKU, l.LineNo,
				fmt.Sprintf("the tiers of SKU %q disagree on pack unit, content, base unit, currency or action (see line %d)", l.SKU, prev.LineNo))
		case l.Action != "delete" && l.PackPrice.GreaterThan(prev.PackPrice):
			c.add("warning", "pack_price", l.SKU, l.LineNo,
				fmt.Sprintf("the pack price of SKU %q rises with the quantity (line %d is cheaper)", l.SKU, prev.LineNo))
		}
	}
	if len(lines) > 1 {
		c.settleOrderRules(lines)
	}
}

// settleOrderRules gives the SKU's offer (lines[0]) the item's ordering
// rules: they belong to the item, not to one price, and a spreadsheet may
// give them on one of its tier rows only. A rule given on any tier
// applies; tiers that give different values are a warning and the offer
// keeps the strictest (the largest minimum and multiple, the smallest
// maximum); a tier marked not orderable makes the item not orderable.
func (c *SKUChecks) settleOrderRules(lines []PriceLine) {
	o := &lines[0]
	rules := []struct {
		name     string
		v        func(*PriceLine) *int64
		stricter func(a, b int64) bool
	}{
		{"minimum order quantity", func(l *PriceLine) *int64 { return &l.MinOrderQty }, func(a, b int64) bool { return a > b }},
		{"maximum order quantity", func(l *PriceLine) *int64 { return &l.MaxOrderQty }, func(a, b int64) bool { return a < b }},
		{"order multiple", func(l *PriceLine) *int64 { return &l.OrderMultiple }, func(a, b int64) bool { return a > b }},
	}
	for _, r := range rules {
		for i := 1; i < len(lines); i++ {
			t, cur := *r.v(&lines[i]), r.v(o)
			switch {
			case t == 0 || t == *cur:
			case *cur == 0:
				*cur = t
			default:
				if r.stricter(t, *cur) {
					*cur = t
				}
				c.add("warning", "sku", o.SKU, lines[i].LineNo,
					fmt.Sprintf("the tiers of SKU %q give different %ss; %d is used", o.SKU, r.name, *cur))
			}
		}
	}
	for _, l := range lines[1:] {
		if l.NotOrderable && !o.NotOrderable {
			o.NotOrderable = true
			c.add("warning", "orderable", o.SKU, l.LineNo,
				fmt.Sprintf("a tier of SKU %q is marked not orderable, so the item is not orderable", o.SKU))
		}
	}
}

func (c *SKUChecks) add(severity, field, sku string, line int64, msg string) {
	if severity == "error" {
		c.Errors++
	} else {
		c.Warnings++
	}
	if len(c.Problems) < MaxStoredProblems {
		c.Problems = append(c.Problems, PriceListProblem{Severity: severity, Line: int(line), Field: field, SKU: sku, Message: msg})
	}
}
