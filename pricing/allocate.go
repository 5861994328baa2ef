package pricing

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/shopspring/decimal"
)

// MaxWeightDecimals is the most decimals an allocation weight may have.
const MaxWeightDecimals = 18

// ExactShareDecimals is the number of decimals AllocationPart.ExactShare is
// shown with. It is for display only: the allocation itself is computed
// with exact integer arithmetic.
const ExactShareDecimals = 10

// Share is one party's claim on an allocation: a member's patronage (spend
// in the period) for a surplus refund.
type Share struct {
	// Key identifies the party (a member id); unique and not empty. It
	// breaks the last ties.
	Key string `json:"key"`
	// Weight is the party's weight: not negative, at most 18 decimals.
	Weight decimal.Decimal `json:"weight"`
}

// AllocateOptions are the optional payout rules of Allocate.
type AllocateOptions struct {
	// MinimumPayout: a party whose payable amount (its part plus its
	// carry-in) is below it is paid nothing now; the whole payable amount
	// is carried forward to the next period instead. The zero value (no
	// currency) means no minimum.
	MinimumPayout Money
	// CarryIn holds, per key, the amount carried forward to this period
	// from earlier ones. Every key must be among the shares (give a party
	// that has no weight this period a zero weight). Amounts are not
	// negative and in the total's currency.
	CarryIn map[string]Money
}

// AllocationPart is one party's result, with every number that led to it.
type AllocationPart struct {
	Key    string          `json:"key"`
	Weight decimal.Decimal `json:"weight"`
	// ExactShare is total x weight / total weight, shown with 10 decimals
	// (ExactShareDecimals, half away from zero) for the statement.
	ExactShare decimal.Decimal `json:"exact_share"`
	// Extra reports whether the part received one more minor unit than
	// its share rounded down, as one of the largest remainders.
	Extra bool `json:"extra"`
	// Amount is the party's part of the total: the share rounded down to
	// the minor unit, plus one minor unit when Extra.
	Amount Money `json:"amount"`
	// CarryIn is what was carried forward to this period (zero if none).
	CarryIn Money `json:"carry_in"`
	// Payout is what is paid now: Amount + CarryIn, or zero when that is
	// below the minimum payout.
	Payout Money `json:"payout"`
	// CarryForward is what the party keeps for the next period: Amount +
	// CarryIn when that is below the minimum payout, else zero.
	CarryForward Money `json:"carry_forward"`
}

// Allocation is the result of Allocate. Its parts are in the order of the
// shares given. It always holds:
//
//	sum(Amount) = Total
//	sum(Payout) + sum(CarryForward) = Total + CarriedIn
type Allocation struct {
	Total       Money           `json:"total"`
	TotalWeight decimal.Decimal `json:"total_weight"`
	// Parts holds one entry per share, in input order.
	Parts []AllocationPart `json:"parts"`
	// CarriedIn is the sum of the carry-ins.
	CarriedIn Money `json:"carried_in"`
	// Paid is the sum of the payouts.
	Paid Money `json:"paid"`
	// CarriedForward is the sum of the amounts carried to the next period.
	CarriedForward Money `json:"carried_forward"`
	// MinimumPayout is the minimum applied (zero value: none).
	MinimumPayout Money `json:"minimum_payout"`
}

// Allocate splits total over the shares in proportion to their weights by
// the largest-remainder method, to the currency's minor unit (øre):
//
//  1. each part gets its exact share total x weight / sum of weights,
//     rounded down to the minor unit (exact integer arithmetic, no
//     rounding of the weights);
//  2. the minor units left over (fewer than the number of parts) go one
//     each to the parts with the largest remainders; ties go to the larger
//     weight, then to the smaller key (byte order).
//
// So the parts always sum exactly to total, and no part differs from its
// exact share by one minor unit or more. Then opts.MinimumPayout moves the
// payable amount of every party below it to CarryForward (see
// AllocateOptions): nothing is lost.
//
// Errors: ErrInvalidCurrency; ErrInvalidAmount (field "total") for a
// negative total; ErrInvalidInput (fields "shares", "shares[i].key",
// "carry_in.<key>") for no shares, an empty or duplicate key, or a carry-in
// for an unknown key; ErrInvalidWeights (fields "shares[i].weight",
// "shares") for a negative weight, one with more than 18 decimals, or a
// total weight of zero; ErrCurrencyMismatch and ErrInvalidAmount for a
// minimum payout or carry-in in another currency or negative.
func Allocate(total Money, shares []Share, opts AllocateOptions) (Allocation, error) {
	c := total.currency
	if err := c.Validate(); err != nil {
		return Allocation{}, prefixField("total", err)
	}
	if total.IsNegative() {
		return Allocation{}, newErr(ErrInvalidAmount, "total", fmt.Sprintf("cannot allocate a negative amount (%s)", total))
	}
	if len(shares) == 0 {
		return Allocation{}, newErr(ErrInvalidInput, "shares", "nothing to allocate to: no shares")
	}
	if err := checkPayoutOptions(c, shares, opts); err != nil {
		return Allocation{}, err
	}

	// Weights as integers: w x 10^scale, with scale the most decimals used.
	scale := int32(0)
	seen := make(map[string]struct{}, len(shares))
	for i, s := range shares {
		f := func() string { return fmt.Sprintf("shares[%d]", i) }
		if s.Key == "" {
			return Allocation{}, newErr(ErrInvalidInput, f()+".key", "key is missing")
		}
		if _, dup := seen[s.Key]; dup {
			return Allocation{}, newErr(ErrInvalidInput, f()+".key", fmt.Sprintf("key %q appears more than once", s.Key))
		}
		seen[s.Key] = struct{}{}
		if s.Weight.IsNegative() {
			return Allocation{}, newErr(ErrInvalidWeights, f()+".weight", fmt.Sprintf("weight cannot be negative (got %s)", s.Weight.String()))
		}
		if !hasAtMostDecimals(s.Weight, MaxWeightDecimals) {
			return Allocation{}, newErr(ErrInvalidWeights, f()+".weight", fmt.Sprintf("weight has more than %d decimals", MaxWeightDecimals))
		}
		if e := -s.Weight.Exponent(); e > scale {
			scale = min(e, MaxWeightDecimals)
		}
	}
	w := make([]big.Int, len(shares))
	var totalW big.Int
	for i, s := range shares {
		w[i].Set(s.Weight.Shift(scale).BigInt()) // exact: at most scale decimals
		totalW.Add(&totalW, &w[i])
	}
	if totalW.Sign() == 0 {
		return Allocation{}, newErr(ErrInvalidWeights, "shares", "the weights sum to zero, so there is no proportion to allocate by")
	}

	minor := c.MinorUnits()
	units := total.amount.Shift(minor).BigInt() // total in minor units, exact
	quo := make([]big.Int, len(shares))
	rem := make([]big.Int, len(shares))
	var given, num big.Int
	for i := range shares {
		num.Mul(units, &w[i])
		quo[i].QuoRem(&num, &totalW, &rem[i])
		given.Add(&given, &quo[i])
	}
	left := new(big.Int).Sub(units, &given).Int64() // 0 <= left < len(shares)

	extra := make([]bool, len(shares))
	if left > 0 {
		order := make([]int, 0, len(shares))
		for i := range shares {
			if rem[i].Sign() > 0 {
				order = append(order, i)
			}
		}
		sort.Slice(order, func(a, b int) bool {
			i, j := order[a], order[b]
			if c := rem[i].Cmp(&rem[j]); c != 0 {
				return c > 0
			}
			if c := w[i].Cmp(&w[j]); c != 0 {
				return c > 0
			}
			return shares[i].Key < shares[j].Key
		})
		for _, i := range order[:left] {
			extra[i] = true
			quo[i].Add(&quo[i], big.NewInt(1))
		}
	}

	totalWeight := decimal.NewFromBigInt(&totalW, -scale)
	zero := ZeroMoney(c)
	a := Allocation{
		Total:          total,
		TotalWeight:    totalWeight,
		Parts:          make([]AllocationPart, len(shares)),
		CarriedIn:      zero,
		Paid:           zero,
		CarriedForward: zero,
		MinimumPayout:  opts.MinimumPayout,
	}
	// The exact share shown is (floor + rem / totalW) minor units, with the
	// fraction rem / totalW rounded half away from zero to k more decimals.
	k := ExactShareDecimals - minor
	scaleK := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
	var exact, frac, fracRem, twice big.Int
	var carriedIn, paid, carried decimal.Decimal // sums, exact
	for i, s := range shares {
		amount := Money{amount: decimal.NewFromBigInt(&quo[i], -minor), currency: c}
		exact.Set(&quo[i])
		if extra[i] {
			exact.Sub(&exact, big.NewInt(1))
		}
		exact.Mul(&exact, scaleK)
		frac.Mul(&rem[i], scaleK)
		frac.QuoRem(&frac, &totalW, &fracRem)
		if twice.Lsh(&fracRem, 1).Cmp(&totalW) >= 0 {
			frac.Add(&frac, big.NewInt(1))
		}
		exact.Add(&exact, &frac)
		p := AllocationPart{
			Key:          s.Key,
			Weight:       s.Weight,
			ExactShare:   decimal.NewFromBigInt(&exact, -ExactShareDecimals),
			Extra:        extra[i],
			Amount:       amount,
			CarryIn:      zero,
			Payout:       zero,
			CarryForward: zero,
		}
		payable := amount
		if in, ok := opts.CarryIn[s.Key]; ok {
			p.CarryIn = in
			payable.amount = payable.amount.Add(in.amount)
			carriedIn = carriedIn.Add(in.amount)
		}
		if opts.MinimumPayout.currency != "" && payable.amount.LessThan(opts.MinimumPayout.amount) {
			p.CarryForward = payable
			carried = carried.Add(payable.amount)
		} else {
			p.Payout = payable
			paid = paid.Add(payable.amount)
		}
		a.Parts[i] = p
	}
	a.CarriedIn = roundMoney(carriedIn, c)
	a.Paid = roundMoney(paid, c)
	a.CarriedForward = roundMoney(carried, c)
	return a, nil
}

// checkPayoutOptions validates the minimum payout and the carry-ins.
func checkPayoutOptions(c Currency, shares []Share, opts AllocateOptions) error {
	if m := opts.MinimumPayout; m.currency != "" {
		if m.currency != c {
			return prefixField("minimum_payout", sameCurrency(c, m.currency))
		}
		if m.IsNegative() {
			return newErr(ErrInvalidAmount, "minimum_payout", fmt.Sprintf("cannot be negative (got %s)", m))
		}
	}
	if len(opts.CarryIn) == 0 {
		return nil
	}
	keys := make(map[string]struct{}, len(shares))
	for _, s := range shares {
		keys[s.Key] = struct{}{}
	}
	names := make([]string, 0, len(opts.CarryIn))
	for k := range opts.CarryIn {
		names = append(names, k)
	}
	sort.Strings(names) // report the same problem first every time
	for _, k := range names {
		m := opts.CarryIn[k]
		f := "carry_in." + k
		if _, ok := keys[k]; !ok {
			return newErr(ErrInvalidInput, f, fmt.Sprintf("carry-in for %q, who has no share; give it a share with weight 0", k))
		}
		if m.currency != c {
			return prefixField(f, sameCurrency(c, m.currency))
		}
		if m.IsNegative() {
			return newErr(ErrInvalidAmount, f, fmt.Sprintf("cannot be negative (got %s)", m))
		}
	}
	return nil
}
