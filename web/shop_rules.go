package web

// The add-to-cart form asks for a quantity the supplier's rules allow:
// from its minimum order (rounded up to its multiple), in steps of the
// multiple, up to its maximum. The cart and the order check them again
// (domain), so these only spare a member a refused line.

// maxFormPacks is the form's upper bound without a supplier's maximum.
const maxFormPacks = 1000000

// QtyStep is the form's step: the supplier's order multiple, else 1.
func (a offerArgs) QtyStep() int64 {
	if a.Offer == nil || a.Offer.OrderMultiple < 1 {
		return 1
	}
	return a.Offer.OrderMultiple
}

// QtyMin is the smallest quantity allowed: the minimum order rounded up to
// the multiple, at least one step.
func (a offerArgs) QtyMin() int64 {
	step := a.QtyStep()
	lo := int64(1)
	if a.Offer != nil && a.Offer.MinOrderQty > 1 {
		lo = a.Offer.MinOrderQty
	}
	return (lo + step - 1) / step * step
}

// QtyMax is the largest quantity allowed.
func (a offerArgs) QtyMax() int64 {
	if a.Offer == nil || a.Offer.MaxOrderQty < 1 {
		return maxFormPacks
	}
	return a.Offer.MaxOrderQty
}
