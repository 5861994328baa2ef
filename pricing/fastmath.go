package pricing

import (
	"math"
	"sync"

	"github.com/shopspring/decimal"
)

// This file holds int64 shortcuts for the hot loops of tender evaluation.
// Each one computes exactly what its general decimal counterpart computes
// (fastmath_test.go checks them against each other on random and edge
// values) and reports ok=false whenever a number does not fit, in which
// case the caller uses the general decimal path. They never round
// differently: they exist only to avoid allocations.

// pow10i[k] is 10^k for k = 0..18.
var pow10i = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// smallInts holds the decimals 0..4095, built on first use. Decimals are
// immutable values that may share their coefficient (shopspring's Shift
// does), so the evaluation table can hold these instead of allocating two
// objects per pack count.
var smallInts = sync.OnceValue(func() []decimal.Decimal {
	ints := make([]decimal.Decimal, 4096)
	for i := range ints {
		ints[i] = decimal.New(int64(i), 0)
	}
	return ints
})

// newDec returns v x 10^exp, without allocating when 0 <= v < 4096.
func newDec(v int64, exp int32) decimal.Decimal {
	if v >= 0 && v < 4096 {
		return smallInts()[v].Shift(exp)
	}
	return decimal.New(v, exp)
}

// small returns d as coef x 10^exp with |coef| < 10^18, or ok=false.
func small(d decimal.Decimal) (coef int64, exp int32, ok bool) {
	if d.NumDigits() > 18 {
		return 0, 0, false
	}
	return d.CoefficientInt64(), d.Exponent(), true
}

// scaleUp returns v x 10^k for 0 <= k, or ok=false on overflow.
func scaleUp(v int64, k int32) (int64, bool) {
	if k < 0 || k > 18 {
		return 0, k == 0
	}
	p := pow10i[k]
	if v > math.MaxInt64/p || v < -math.MaxInt64/p {
		return 0, false
	}
	return v * p, true
}

// mulInt64 returns a x b, or ok=false on overflow.
func mulInt64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return c, true
}

// divRoundHalfAway returns v / 10^k rounded half away from zero, for
// 1 <= k <= 18.
func divRoundHalfAway(v int64, k int32) int64 {
	p := pow10i[k]
	q, r := v/p, v%p
	if r < 0 {
		r = -r
	}
	if r >= p-r { // 2r >= p without overflow
		if v < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

// fastPacks is packsFor for numbers that fit in int64: quantity >= 0,
// content > 0.
func fastPacks(quantity, content decimal.Decimal) (PackCount, bool) {
	qa, qe, ok := small(quantity)
	if !ok || qa < 0 {
		return PackCount{}, false
	}
	ca, ce, ok := small(content)
	if !ok || ca <= 0 {
		return PackCount{}, false
	}
	e := min(qe, ce)
	a, ok := scaleUp(qa, qe-e)
	if !ok {
		return PackCount{}, false
	}
	b, ok := scaleUp(ca, ce-e)
	if !ok {
		return PackCount{}, false
	}
	full, rem := a/b, a%b
	pc := PackCount{Content: content, Full: newDec(full, 0), Remainder: decimal.Zero}
	pc.Packs = pc.Full
	if rem != 0 {
		pc.Remainder = newDec(rem, e)
		pc.Packs = newDec(full+1, 0) // full < a <= MaxInt64, no overflow
		pc.RoundedUp = true
	}
	return pc, true
}

// fastMulRound returns a x b rounded half away from zero to places
// decimals, as a coefficient at exponent -places, or ok=false.
func fastMulRound(a, b decimal.Decimal, places int32) (int64, bool) {
	ac, ae, ok := small(a)
	if !ok {
		return 0, false
	}
	bc, be, ok := small(b)
	if !ok {
		return 0, false
	}
	prod, ok := mulInt64(ac, bc)
	if !ok {
		return 0, false
	}
	exp := int64(ae) + int64(be)
	switch {
	case exp >= int64(-places):
		return scaleUp(prod, int32(exp+int64(places)))
	case -int64(places)-exp <= 18:
		return divRoundHalfAway(prod, int32(-int64(places)-exp)), true
	}
	return 0, false
}
