package domain

import (
	"andel/pricing"

	"github.com/shopspring/decimal"
)

// Stored rows keep their amounts as NUMERIC columns (decimal.Decimal) next
// to a currency column. The accessors below are the one crossing from a row
// to pricing's typed values (pricing.Price for prices per pack or unit,
// pricing.Money for totals), which the HTTP layer formats. They fail only
// for a malformed stored row (a bug): the columns' scale and checks, and the
// validation on write, keep prices non-negative with at most 6 decimals and
// totals at the currency's minor unit.

// moneyOf is a stored total as Money.
func moneyOf(amount decimal.Decimal, cur pricing.Currency) (pricing.Money, error) {
	return pricing.NewMoney(amount, cur)
}

// OrderTotals are an order's totals.
type OrderTotals struct {
	Net, VAT, Gross, Baseline, Savings pricing.Money
}

// Totals returns the order's totals as Money in its currency.
func (o Order) Totals() (OrderTotals, error) {
	cur := currencyOf(o.Currency)
	var t OrderTotals
	var err error
	for _, f := range []struct {
		to *pricing.Money
		v  decimal.Decimal
	}{{&t.Net, o.NetTotal}, {&t.VAT, o.VATTotal}, {&t.Gross, o.GrossTotal}, {&t.Baseline, o.BaselineTotal}, {&t.Savings, o.SavingsTotal}} {
		if *f.to, err = moneyOf(f.v, cur); err != nil {
			return OrderTotals{}, err
		}
	}
	return t, nil
}

// LineAmounts are an order line's prices (per pack, per base unit) and
// totals.
type LineAmounts struct {
	PackPrice, UnitPrice, BaselineUnitPrice    pricing.Price
	Net, VAT, Gross, Baseline, Savings, Rebate pricing.Money
}

// Amounts returns the line's prices and totals in its currency.
func (l OrderLine) Amounts() (LineAmounts, error) {
	cur := currencyOf(l.Currency)
	var a LineAmounts
	var err error
	for _, f := range []struct {
		to *pricing.Price
		v  decimal.Decimal
	}{{&a.PackPrice, l.PackPrice}, {&a.UnitPrice, l.UnitPrice}, {&a.BaselineUnitPrice, l.BaselineUnitPrice}} {
		if *f.to, err = pricing.NewPrice(f.v, cur); err != nil {
			return LineAmounts{}, err
		}
	}
	for _, f := range []struct {
		to *pricing.Money
		v  decimal.Decimal
	}{{&a.Net, l.NetTotal}, {&a.VAT, l.VATTotal}, {&a.Gross, l.GrossTotal}, {&a.Baseline, l.BaselineTotal},
		{&a.Savings, l.Savings}, {&a.Rebate, l.RebateAccrued}} {
		if *f.to, err = moneyOf(f.v, cur); err != nil {
			return LineAmounts{}, err
		}
	}
	return a, nil
}

// TierPrices is one step of a contract line's ladder with its price per
// base unit.
type TierPrices struct {
	MinPacks             decimal.Decimal
	PackPrice, UnitPrice pricing.Price
}

// TierPrices returns the line's tiers (above its plain price) as prices.
func (l ContractLine) TierPrices() ([]TierPrices, error) {
	cur := currencyOf(l.Currency)
	out := make([]TierPrices, len(l.Tiers))
	for i, t := range l.Tiers {
		pack, err := pricing.NewPrice(t.PackPrice, cur)
		if err != nil {
			return nil, err
		}
		unit, err := pricing.NewPrice(t.UnitPrice, cur)
		if err != nil {
			return nil, err
		}
		out[i] = TierPrices{MinPacks: t.MinPacks, PackPrice: pack, UnitPrice: unit}
	}
	return out, nil
}

// Priced returns the bid item as pricing's: its pack, pack price and
// tiers.
func (it BidItem) Priced() (pricing.BidItem, error) { return it.pricing("") }

// Price returns the offer's pack price at its lowest tier.
func (o Offer) Price() (pricing.Price, error) {
	return pricing.NewPrice(o.PackPrice, currencyOf(o.Currency))
}

// SavingsAmounts are a savings group's figures as Money.
type SavingsAmounts struct {
	Spend, BaselineSpend, Savings, OnContractSpend, Rebates pricing.Money
}

// Amounts returns the figures as Money in currency cur (the report's).
func (f SavingsFigures) Amounts(cur string) (SavingsAmounts, error) {
	c := currencyOf(cur)
	var a SavingsAmounts
	var err error
	for _, x := range []struct {
		to *pricing.Money
		v  decimal.Decimal
	}{{&a.Spend, f.Spend}, {&a.BaselineSpend, f.BaselineSpend}, {&a.Savings, f.Savings},
		{&a.OnContractSpend, f.OnContractSpend}, {&a.Rebates, f.Rebates}} {
		if *x.to, err = moneyOf(x.v, c); err != nil {
			return SavingsAmounts{}, err
		}
	}
	return a, nil
}
