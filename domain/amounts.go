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

// stored is one stored amount and the typed value it becomes.
type stored[T any] struct {
	to *T
	v  decimal.Decimal
}

// typed sets each field's typed value from its stored amount with conv
// (pricing.NewPrice or pricing.NewMoney) in currency cur.
func typed[T any](cur pricing.Currency, conv func(decimal.Decimal, pricing.Currency) (T, error), fields ...stored[T]) error {
	for _, f := range fields {
		v, err := conv(f.v, cur)
		if err != nil {
			return err
		}
		*f.to = v
	}
	return nil
}

// OrderTotals are an order's totals.
type OrderTotals struct {
	Net, VAT, Gross, Baseline, Savings pricing.Money
}

// Totals returns the order's totals as Money in its currency.
func (o Order) Totals() (OrderTotals, error) {
	var t OrderTotals
	err := typed(currencyOf(o.Currency), pricing.NewMoney, stored[pricing.Money]{&t.Net, o.NetTotal},
		stored[pricing.Money]{&t.VAT, o.VATTotal}, stored[pricing.Money]{&t.Gross, o.GrossTotal},
		stored[pricing.Money]{&t.Baseline, o.BaselineTotal}, stored[pricing.Money]{&t.Savings, o.SavingsTotal})
	return t, err
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
	if err := typed(cur, pricing.NewPrice, stored[pricing.Price]{&a.PackPrice, l.PackPrice},
		stored[pricing.Price]{&a.UnitPrice, l.UnitPrice}, stored[pricing.Price]{&a.BaselineUnitPrice, l.BaselineUnitPrice}); err != nil {
		return LineAmounts{}, err
	}
	err := typed(cur, pricing.NewMoney, stored[pricing.Money]{&a.Net, l.NetTotal}, stored[pricing.Money]{&a.VAT, l.VATTotal},
		stored[pricing.Money]{&a.Gross, l.GrossTotal}, stored[pricing.Money]{&a.Baseline, l.BaselineTotal},
		stored[pricing.Money]{&a.Savings, l.Savings}, stored[pricing.Money]{&a.Rebate, l.RebateAccrued})
	return a, err
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
	var a SavingsAmounts
	err := typed(currencyOf(cur), pricing.NewMoney, stored[pricing.Money]{&a.Spend, f.Spend},
		stored[pricing.Money]{&a.BaselineSpend, f.BaselineSpend}, stored[pricing.Money]{&a.Savings, f.Savings},
		stored[pricing.Money]{&a.OnContractSpend, f.OnContractSpend}, stored[pricing.Money]{&a.Rebates, f.Rebates})
	return a, err
}
