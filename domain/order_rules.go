package domain

import (
	"fmt"
	"strings"

	"andel/pricing"

	"github.com/shopspring/decimal"
)

// A supplier's catalogue says how an item may be ordered (PEPPOL
// OrderableIndicator, MinimumOrderQuantity, MaximumOrderQuantity,
// OrderQuantityIncrementNumeric; the same columns in CSV, .xlsx and JSON)
// and up to what quantity each price applies (a price's MaximumQuantity).
// The catalogue keeps lines marked not orderable (members see them), but
// an order or a cart checkout naming such an offer, or a quantity outside
// its rules, is refused with one problem per broken rule saying what would
// be allowed.

// orderProblems checks qty packs against offer o's ordering rules.
func (o *Offer) orderProblems(qty int64, field string) Problems {
	var p Problems
	if o.NotOrderable {
		p.Add(field+".offer_id", "offer %d (SKU %s) is not orderable: the supplier lists it for information only", o.ID, o.SKU)
		return p
	}
	if qty <= 0 {
		return p
	}
	allowed := o.allowedQuantities()
	switch {
	case o.MinOrderQty > 0 && qty < o.MinOrderQty:
		p.Add(field+".quantity", "%d packs is below the supplier's minimum order of %d packs of SKU %s (allowed: %s)", qty, o.MinOrderQty, o.SKU, allowed)
	case o.MaxOrderQty > 0 && qty > o.MaxOrderQty:
		p.Add(field+".quantity", "%d packs is above the supplier's maximum order of %d packs of SKU %s (allowed: %s)", qty, o.MaxOrderQty, o.SKU, allowed)
	}
	if m := o.OrderMultiple; m > 1 && qty%m != 0 {
		msg := fmt.Sprintf("%d packs is not a multiple of %d, the supplier's order multiple of SKU %s", qty, m, o.SKU)
		if near := o.nearestAllowed(qty); len(near) > 0 {
			msg += " (nearest allowed: " + strings.Join(near, " or ") + ")"
		} else {
			msg += " (allowed: " + allowed + ")"
		}
		p.Add(field+".quantity", "%s", msg)
	}
	return p
}

// allowedQuantities describes the packs o may be ordered in: "multiples
// of 6 from 12 to 120 packs".
func (o *Offer) allowedQuantities() string {
	lo := max(o.MinOrderQty, 1)
	m := max(o.OrderMultiple, 1)
	if m > 1 {
		lo = (lo + m - 1) / m * m
	}
	hi := o.MaxOrderQty
	if hi > 0 && m > 1 {
		hi = hi / m * m
	}
	switch {
	case hi > 0 && hi < lo:
		return "none: the supplier's rules admit no quantity"
	case m > 1 && hi > 0:
		return fmt.Sprintf("multiples of %d from %d to %d packs", m, lo, hi)
	case m > 1:
		return fmt.Sprintf("multiples of %d from %d packs", m, lo)
	case hi > 0:
		return fmt.Sprintf("from %d to %d packs", lo, hi)
	default:
		return fmt.Sprintf("%d packs or more", lo)
	}
}

// nearestAllowed returns the allowed quantities next to qty, below and
// above it, as text.
func (o *Offer) nearestAllowed(qty int64) []string {
	m := max(o.OrderMultiple, 1)
	lo := max(o.MinOrderQty, 1)
	lo = (lo + m - 1) / m * m
	ok := func(n int64) bool { return n >= lo && (o.MaxOrderQty == 0 || n <= o.MaxOrderQty) }
	var out []string
	if below := qty / m * m; ok(below) {
		out = append(out, fmt.Sprint(below))
	}
	if above := max((qty/m+1)*m, lo); ok(above) {
		out = append(out, fmt.Sprint(above))
	}
	return out
}

// ladderFor returns the steps of ladder that may price qty packs: a step
// with a maximum quantity (steps[i].MaxQty) does not apply above it. steps
// are the ladder's steps as stored, in the same order; without them (or
// for another ladder) the ladder is returned as it is.
func ladderFor(ladder pricing.Tiers, steps []OfferTier, qty int64) pricing.Tiers {
	if len(steps) != len(ladder) {
		return ladder
	}
	bounded := false
	for _, s := range steps {
		bounded = bounded || s.MaxQty > 0
	}
	if !bounded {
		return ladder
	}
	out := make(pricing.Tiers, 0, len(ladder))
	for i, t := range ladder {
		if steps[i].MaxQty == 0 || qty <= steps[i].MaxQty {
			out = append(out, t)
		}
	}
	return out
}

// ladderRanges describes the quantities a ladder's steps price: "1 to 10
// packs, from 50 packs".
func ladderRanges(steps []OfferTier) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		if s.MaxQty > 0 {
			parts[i] = fmt.Sprintf("%d to %d packs", s.MinQty, s.MaxQty)
		} else {
			parts[i] = fmt.Sprintf("from %d packs", s.MinQty)
		}
	}
	return strings.Join(parts, ", ")
}

// priceStep is the step of the offer ladder in (bounded by its steps'
// maximum quantities) that prices qty packs, or a problem saying which
// quantities the offer is priced for.
func (in lineInputs) priceStep(qty int64, field string) (pricing.Tier, Problems) {
	var p Problems
	ladder := ladderFor(in.Ladder, in.Steps, qty)
	if len(ladder) == 0 {
		p.Add(field+".quantity", "no price of the offer applies to %d packs: it is priced for %s", qty, ladderRanges(in.Steps))
		return pricing.Tier{}, p
	}
	tier, _, err := ladder.PriceFor(decimal.NewFromInt(qty))
	if err != nil {
		if len(ladder) != len(in.Ladder) {
			p.Add(field+".quantity", "no price of the offer applies to %d packs: it is priced for %s", qty, ladderRanges(in.Steps))
		} else {
			p.Add(field+".quantity", "%v", err)
		}
		return pricing.Tier{}, p
	}
	return tier, nil
}
