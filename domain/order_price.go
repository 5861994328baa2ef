package domain

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Pricing an order line is two steps: loadLine reads everything the line
// depends on from the database (the product, the offer named and its
// ladder, the product's contract price with its ladder, the exchange
// rates, the median baseline's candidates), then lineInputs.price computes
// the line from those values alone, with no database, so the rules can be
// tested as a table (order_price_test.go).

// lineInputs is everything one line is priced from.
type lineInputs struct {
	Product Product
	// Offer is the offer the line names (nil: the contract's, none named)
	// and Ladder its price ladder by packs (off contract only).
	Offer  *Offer
	Ladder pricing.Tiers
	// Steps are Ladder's steps as stored, with their maximum quantities
	// (a step does not price more packs than its MaxQty).
	Steps []OfferTier
	// Contract is the product's active contract price (nil: none);
	// OnContract says the line is priced at it.
	Contract   *ContractPrice
	OnContract bool
	// Rates are the exchange rates into the cooperative's currency.
	Rates pricing.RateTable
	// Candidates are the median baseline's candidates (off contract, when
	// the product has no contract): baselineCandidates.
	Candidates []pricing.BaselineOffer
	VATRate    decimal.Decimal
}

// quantityProblems checks that qty is a positive number of packs.
func quantityProblems(qty int64, field string) Problems {
	var p Problems
	if qty <= 0 {
		p.Add(field+".quantity", "must be a positive number of packs")
	}
	return p
}

// loadLine loads the inputs of one requested line. Problems with the
// product or the offer named are returned (nil inputs when the line cannot
// be priced); err is for outages only.
func (s *OrderService) loadLine(ctx context.Context, in OrderLineInput, today time.Time, rates pricing.RateTable, field string) (*lineInputs, Problems, error) {
	var p Problems
	if in.ProductID <= 0 {
		p.Add(field+".product_id", "is required")
		return nil, p, nil
	}
	// A merged product's old id orders the product it was merged into.
	var prod Product
	err := s.db.WithContext(ctx).Where("id = ?", in.ProductID).Take(&prod).Error
	if err == nil {
		err = followMerges(ctx, s.db, &prod)
	}
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && prod.Status != "active") {
		p.Add(field+".product_id", "no such product")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var contract *ContractPrice
	if s.contracts != nil {
		c, err := s.contracts(ctx, prod.ID, today)
		if err != nil {
			return nil, nil, err
		}
		contract = c
	}
	onContract := contract != nil && (in.OfferID == 0 || in.OfferID == contract.OfferID)
	if !onContract && in.OfferID == 0 {
		p.Add(field+".offer_id", "is required: the product has no active contract")
		return nil, p, nil
	}
	li := &lineInputs{Product: prod, Contract: contract, OnContract: onContract, VATRate: s.vatRate}
	if in.OfferID != 0 {
		var o Offer
		err := s.db.WithContext(ctx).Table("offers").
			Where("offers.id = ? AND offers.status = 'active'", in.OfferID).
			Scopes(validOn("offers", today)).Take(&o).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			p.Add(field+".offer_id", "no such offer, or it is not valid today")
			return nil, p, nil
		case err != nil:
			return nil, nil, err
		}
		if o.ProductID == nil || *o.ProductID != prod.ID {
			p.Add(field+".offer_id", "is not an offer of product %d", prod.ID)
			return nil, p, nil
		}
		li.Offer = &o
	}
	li.Rates = rates
	if onContract {
		return li, nil, nil
	}
	tiers, err := s.catalogue.offerTiers(ctx, []supplierOffer{{Offer: *li.Offer}})
	if err != nil {
		return nil, nil, err
	}
	li.Steps = tiers[tierKey{li.Offer.PriceListID, li.Offer.SKU}]
	if li.Ladder, err = offerLadder(currencyOf(li.Offer.Currency), li.Steps); err != nil {
		return nil, nil, err
	}
	if contract == nil {
		if _, li.Candidates, err = baselineCandidates(ctx, s.db, prod.ID, today); err != nil {
			return nil, nil, err
		}
	}
	return li, nil, nil
}

// price prices qty packs from in, with no database: on contract at the
// contract ladder's step for qty against the contract's baseline; off
// contract at the offer ladder's step (at least the offer's minimum; a
// step priced up to a maximum quantity only up to it), in
// the offer's currency, against the contract's baseline converted into it
// or, without a contract, the median baseline of the candidates
// (pricing.RateTable.MedianListBaseline: exact, rounded once to 6
// decimals). The line's totals are computed exactly from its unit prices
// as stored and rounded once each (pricing.LineSaving), so the stored line
// explains its own totals. Problems with the request are returned (and no
// line); err is for malformed stored rows. A line naming an offer must
// keep to the offer's ordering rules (Offer.orderProblems): not orderable,
// minimum, maximum and multiple are problems of the line.
func (in lineInputs) price(qty int64, field string) (*OrderLine, Problems, error) {
	p := quantityProblems(qty, field)
	prod := in.Product
	packs := decimal.NewFromInt(qty)
	l := &OrderLine{ProductID: prod.ID, Category: prod.Category, OnContract: in.OnContract, Quantity: qty, VATRate: in.VATRate}
	if in.Offer != nil {
		l.OfferID = &in.Offer.ID
		l.SKU = in.Offer.SKU
		// The supplier's ordering rules hold for the offer named, on
		// contract or off (order_rules.go).
		p = append(p, in.Offer.orderProblems(qty, field)...)
	}
	var packPrice, unitPrice, baseline, contractUnit pricing.Price
	var hasContractUnit bool
	var pack pricing.Pack
	if in.OnContract {
		c := in.Contract
		cur := currencyOf(c.Currency)
		if len(p) > 0 {
			return nil, p, nil
		}
		var err error
		if packPrice, unitPrice, err = c.priceFor(qty); err != nil {
			return nil, nil, fmt.Errorf("contract line %d: %w", c.ContractLineID, err)
		}
		if baseline, err = pricing.NewPrice(c.BaselineUnitPrice, cur); err != nil {
			return nil, nil, fmt.Errorf("contract line %d: %w", c.ContractLineID, err)
		}
		pack = packOf(c.PackUnit, c.PackContent, c.BaseUnit)
		l.ContractID, l.ContractLineID = &c.ContractID, &c.ContractLineID
		if c.OfferID != 0 {
			l.OfferID = &c.OfferID
		}
		// What to ship is the awarded item, whatever offer was named.
		l.SKU, l.GTIN = cmp.Or(c.SKU, l.SKU), c.GTIN
		l.SupplierID = c.SupplierID
		l.BaselineMethod = c.BaselineMethod
		l.RebateRate = c.RebateRate
		l.Currency = string(cur)
	} else {
		off := in.Offer
		cur := currencyOf(off.Currency)
		if qty > 0 && qty < off.MinQty {
			p.Add(field+".quantity", "is below the offer's minimum of %d packs", off.MinQty)
		}
		if len(p) > 0 {
			return nil, p, nil
		}
		tier, tp := in.priceStep(qty, field)
		if len(tp) > 0 {
			return nil, tp, nil
		}
		packPrice = tier.Price
		pack = off.Pack()
		var err error
		if unitPrice, err = perBaseUnit(packPrice, pack, prod.BaseUnit); err != nil {
			p.Add(field+".offer_id", "the offer's unit cannot be compared with the product's: %v", err)
			return nil, p, nil
		}
		l.SupplierID = off.SupplierID
		l.RebateRate = decimal.Zero
		// The line stays in the offer's currency (what the supplier
		// invoices); its baseline is converted into it through the rates.
		l.Currency = string(cur)
		if _, err := in.Rates.Lookup(cur); err != nil {
			p.Add(field+".offer_id", "the offer is in %s and there is no exchange rate from %s to %s: the cooperative must set one", cur, cur, in.Rates.To())
			return nil, p, nil
		}
		if c := in.Contract; c != nil {
			// Off-contract: measured against the same baseline as the contract.
			cb, err := pricing.NewPrice(c.BaselineUnitPrice, currencyOf(c.Currency))
			if err != nil {
				return nil, nil, fmt.Errorf("contract line %d: %w", c.ContractLineID, err)
			}
			if baseline, err = in.Rates.ConvertPrice(cb, cur); err != nil {
				p.Add(field+".offer_id", "the contract's baseline is in %s and cannot be converted into %s: %v", cb.Currency(), cur, err)
				return nil, p, nil
			}
			l.BaselineMethod = c.BaselineMethod
			// What the member would have paid on the contract that day:
			// its step for the pooled volume (what an order of the
			// contract's item would have been priced at), in the line's
			// currency. The line's savings missed are measured against it.
			_, cu, _, err := c.priceAt(c.pooled(0))
			if err != nil {
				return nil, nil, fmt.Errorf("contract line %d: %w", c.ContractLineID, err)
			}
			if contractUnit, err = in.Rates.ConvertPrice(cu, cur); err != nil {
				p.Add(field+".offer_id", "the contract's price is in %s and cannot be converted into %s: %v", cu.Currency(), cur, err)
				return nil, p, nil
			}
			hasContractUnit = true
		} else {
			mb, ok, err := in.Rates.MedianListBaseline(in.Candidates, prod.BaseUnit, cur)
			if err != nil {
				return nil, nil, err
			}
			if ok {
				baseline, l.BaselineMethod = mb.Price, string(mb.Method)
			} else {
				baseline, l.BaselineMethod = unitPrice, BaselineNone
			}
		}
	}
	baseQty, err := pack.BaseQuantity(packs, prod.BaseUnit)
	if err != nil {
		p.Add(field+".offer_id", "the pack cannot be measured in the product's unit: %v", err)
		return nil, p, nil
	}
	net, err := packPrice.Total(packs)
	if err != nil {
		var pe *pricing.Error
		if !errors.As(err, &pe) {
			return nil, nil, err
		}
		p.Add(field+".quantity", "%s", pe.Message)
		return nil, p, nil
	}
	vat, err := pricing.VATFromNet(net, in.VATRate)
	if err != nil {
		return nil, nil, err
	}
	sv, err := pricing.LineSaving(baseline, unitPrice, baseQty.Value)
	if err != nil {
		p.Add(field, "savings cannot be computed: %v", err)
		return nil, p, nil
	}
	baseTotal, err := net.Add(sv.Savings)
	if err != nil {
		return nil, nil, err
	}
	l.PackUnit, l.PackContent, l.BaseUnit = pack.Unit, pack.Content.Value, pack.Content.Unit
	if c, err := pack.ContentIn(prod.BaseUnit); err == nil {
		l.PackContent, l.BaseUnit = c, prod.BaseUnit
	}
	l.BaseQuantity = baseQty.Value
	l.PackPrice = packPrice.Amount()
	l.UnitPrice = unitPrice.Amount()
	l.BaselineUnitPrice = baseline.Amount()
	l.NetTotal = net.Amount()
	l.VATTotal = vat.VAT.Amount()
	l.GrossTotal = vat.Gross.Amount()
	l.Savings = sv.Savings.Amount()
	l.BaselineTotal = baseTotal.Amount()
	l.RebateAccrued = decimal.Zero
	l.MissedSavings = decimal.Zero
	if hasContractUnit {
		missed, err := pricing.MissedSaving(unitPrice, contractUnit, baseQty.Value)
		if err != nil {
			p.Add(field, "savings missed cannot be computed: %v", err)
			return nil, p, nil
		}
		cu := contractUnit.Amount()
		l.ContractUnitPrice, l.MissedSavings = &cu, missed.Amount()
	}
	return l, nil, nil
}
