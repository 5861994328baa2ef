package api

import (
	"andel/pricing"
)

// Amounts reach the HTTP layer typed (pricing.Price, pricing.Money: see
// domain/amounts.go) and are written as JSON strings by one function per
// kind, so the same stored value always reads the same.

// price writes a price (per pack, per base unit, a tier, a baseline) to
// its stored precision: at least the currency's minor-unit decimals, at
// most pricing's 6 ("45.00", "0.45", "0.583333").
func price(p pricing.Price) string { return p.AmountString() }

// money writes a total in the currency's minor units ("1234.50"); empty
// for no amount (the zero Money, which has no currency).
func money(m pricing.Money) string {
	if m.Currency() == "" {
		return ""
	}
	return m.AmountString()
}

// newTypedList is newList for a converter that can fail (a stored row
// whose amounts do not make pricing values: a bug, answered 500).
func newTypedList[T, D any](rows []D, next int64, conv func(D) (T, error)) (listResponse[T], error) {
	var err error
	out := newList(rows, next, func(d D) T {
		t, e := conv(d)
		if e != nil && err == nil {
			err = e
		}
		return t
	})
	return out, err
}
