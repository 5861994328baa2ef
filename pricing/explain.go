package pricing

import (
	"bufio"
	"fmt"
	"io"
	"time"
)

// Explain writes the evaluation table as plain text for the tender's file
// and for bidders: the lot, the weights, and for every bid each item's
// pack arithmetic, tier and line cost, the conversion, every score and the
// total; then the non-compliant bids with their problems.
func (e Evaluation) Explain(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	lot := e.Lot
	p("Lot %q, evaluated in %s\n", lot.ID, lot.Currency)
	p("Weights: price %s", lot.PriceWeight.String())
	for _, c := range lot.Criteria {
		p("; %s %s (%s)", c.Name, c.Weight.String(), c.Direction.describe())
	}
	p("\nPooled volumes:")
	for _, it := range lot.Items {
		p(" %s %s %s;", it.ID, it.Quantity.String(), it.Unit)
	}
	p("\nLowest evaluated cost among %d compliant bid(s): %s\n", e.Compliant, e.LowestCost)

	for _, b := range e.Bids {
		p("\n")
		if b.Compliant {
			p("#%d bid %q submitted %s: total %s\n", b.Rank, b.BidID, b.SubmittedAt.Format(time.RFC3339Nano), b.Total.String())
		} else {
			p("NOT COMPLIANT, not ranked: bid %q submitted %s\n", b.BidID, b.SubmittedAt.Format(time.RFC3339Nano))
			for _, pr := range b.Problems {
				p("  - %s: %s\n", pr.Field, pr.Message)
			}
		}
		for i, ie := range b.Items {
			if !ie.Offered {
				continue
			}
			p("  %s: %s\n", ie.ItemID, ie.describe(lot.Items[i]))
		}
		if !b.Compliant {
			continue
		}
		if b.Rate.From == b.Rate.To {
			p("  cost %s\n", b.Cost)
		} else {
			p("  cost %s x %s (%s) = %s\n", b.Cost, b.Rate.Rate.String(), b.Rate, b.EvaluatedCost)
		}
		p("  price: %s / %s x 100 = %s; x %s / 100 = %s\n",
			e.LowestCost.AmountString(), b.EvaluatedCost.AmountString(), b.PriceScore.String(), lot.PriceWeight.String(), b.PriceWeighted.String())
		for _, c := range b.Criteria {
			switch c.Direction {
			case LowerIsBetter:
				p("  %s: value %s, best %s: %s / %s x 100", c.Name, c.Value.String(), c.Best.String(), c.Best.String(), c.Value.String())
			case HigherIsBetter:
				p("  %s: value %s, best %s: %s / %s x 100", c.Name, c.Value.String(), c.Best.String(), c.Value.String(), c.Best.String())
			default:
				p("  %s: given score %s", c.Name, c.Value.String())
			}
			p(" = %s; x %s / 100 = %s\n", c.Score.String(), c.Weight.String(), c.Weighted.String())
		}
	}
	return bw.Flush()
}

// describe returns the direction in words.
func (d Direction) describe() string {
	switch d {
	case LowerIsBetter:
		return "lower is better"
	case HigherIsBetter:
		return "higher is better"
	}
	return "given 0-100 score"
}

// describe returns the item's arithmetic in words, e.g. "25050 EA = 250
// packs of 100 EA + 50 EA, rounded UP to 251 packs; tier 2 from 250
// packs: 40.00 DKK per pack; 251 x 40.00 = 10040.00 DKK".
func (ie ItemEvaluation) describe(it LotItem) string {
	s := fmt.Sprintf("%s %s = ", it.Quantity.String(), it.Unit)
	if ie.RoundedUp {
		s += fmt.Sprintf("%s packs of %s %s + %s %s, rounded UP to %s packs", ie.Full.String(), ie.Content.String(), it.Unit, ie.Remainder.String(), it.Unit, ie.Packs.String())
	} else {
		s += fmt.Sprintf("%s packs of %s %s", ie.Packs.String(), ie.Content.String(), it.Unit)
	}
	if ie.TierIndex < 0 {
		s += "; pack price:"
	} else {
		s += fmt.Sprintf("; tier %d from %s packs:", ie.TierIndex+1, ie.TierMinQuantity.String())
	}
	return s + fmt.Sprintf(" %s per pack; %s x %s = %s", ie.PackPrice, ie.Packs.String(), ie.PackPrice.AmountString(), ie.LineCost)
}
