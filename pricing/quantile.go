package pricing

import (
	"math"
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"
)

// Quantiles of a set of prices (cluster benchmarking: the median and the
// interquartile range of what practices paid per base unit).
//
// Interpolation rule (Hyndman & Fan type 7, the default of R and of
// spreadsheets' QUARTILE.INC/PERCENTILE.INC): sort the n values x[0] <= ...
// <= x[n-1]; the p-quantile sits at position h = (n-1) x p; with
// j = floor(h) and f = h - j it is x[j] + f x (x[j+1] - x[j]) (x[j] when
// f = 0). For p = 1/4, 1/2, 3/4 the fraction f is 0, 1/4, 1/2 or 3/4, so the
// value is exact in decimal; it is then rounded once to 6 decimals
// (MaxPriceDecimals) half away from zero, like every computed price. The
// median of an even count is thus the mean of the two middle values.

// Quartiles are the lower quartile, the median and the upper quartile of
// a set of values.
type Quartiles struct {
	Q1, Median, Q3 decimal.Decimal
	N              int
}

// QuartilesOf returns the quartiles of values (in any order; not changed)
// by the rule above. Errors: ErrInvalidInput (Field "values") when there are
// none.
func QuartilesOf(values []decimal.Decimal) (Quartiles, error) {
	if len(values) == 0 {
		return Quartiles{}, &Error{Kind: ErrInvalidInput, Field: "values", Message: "quartiles of no values"}
	}
	s := slices.Clone(values)
	slices.SortFunc(s, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	return Quartiles{Q1: quantile4(s, 1), Median: quantile4(s, 2), Q3: quantile4(s, 3), N: len(s)}, nil
}

// Median returns the median of values (the mean of the two middle values
// of an even count), rounded once to 6 decimals. Errors: as QuartilesOf.
func Median(values []decimal.Decimal) (decimal.Decimal, error) {
	q, err := QuartilesOf(values)
	return q.Median, err
}

// quantile4 is the k/4-quantile of sorted s by type 7: h = (n-1)k/4,
// computed in quarters so that no division happens.
func quantile4(s []decimal.Decimal, k int) decimal.Decimal {
	quarters := (len(s) - 1) * k // h x 4
	j, f := quarters/4, quarters%4
	v := s[j]
	if f != 0 {
		// x[j] + f/4 x (x[j+1] - x[j]); f/4 is 0.25, 0.5 or 0.75: exact.
		v = v.Add(s[j+1].Sub(s[j]).Mul(decimal.New(int64(f)*25, -2)))
	}
	return v.Round(MaxPriceDecimals)
}

// UnitPriceOf is the price per base unit of spend over quantity base
// units, DivRound to 6 decimals half away from zero; zero when quantity
// is zero. It is what a practice paid per unit over a period.
func UnitPriceOf(spend, quantity decimal.Decimal) decimal.Decimal {
	if quantity.IsZero() {
		return decimal.Zero
	}
	return spend.DivRound(quantity, MaxPriceDecimals)
}

// ShareAbove says whether part makes up more than limit of whole (part >
// limit x whole), exactly, without dividing: the dominance rule of
// benchmark figures (one practice more than half of the spend).
func ShareAbove(part, whole, limit decimal.Decimal) bool {
	return part.Cmp(limit.Mul(whole)) > 0
}

// Integer fast path. Benchmarks read thousands of practices' figures per
// request as integers: spend in hundredths of the currency and quantities
// in millionths of a base unit. UnitPriceMicro and QuartilesMicro give the
// same results as UnitPriceOf and QuartilesOf on those values (a test
// checks), without allocating a decimal per practice.

// UnitPriceMicro is the price per base unit, in millionths, of spend
// hundredths over qtyMicro millionths of a unit: spend x 10^10 / qtyMicro
// rounded half away from zero, exactly (128-bit intermediate). ok is false
// when qtyMicro is not positive, spend is negative, or the result does not
// fit: use UnitPriceOf then.
func UnitPriceMicro(spend, qtyMicro int64) (price int64, ok bool) {
	if qtyMicro <= 0 || spend < 0 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(spend), 1e10)
	if hi >= uint64(qtyMicro) {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, uint64(qtyMicro))
	if r >= uint64(qtyMicro)-r { // r >= qty/2: half away from zero
		q++
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	return int64(q), true
}

// QuartilesMicro are the quartiles of prices in millionths (any order;
// sorted in place), by the rule of QuartilesOf: computed in quarters of a
// millionth, exactly, and rounded once to a millionth half away from zero.
// Errors: ErrInvalidInput when there are none.
func QuartilesMicro(prices []int64) (Quartiles, error) {
	if len(prices) == 0 {
		return Quartiles{}, &Error{Kind: ErrInvalidInput, Field: "values", Message: "quartiles of no values"}
	}
	slices.Sort(prices)
	q := func(k int) decimal.Decimal {
		quarters := (len(prices) - 1) * k
		j, f := quarters/4, quarters%4
		v4 := 4 * prices[j] // in quarters of a millionth
		if f != 0 {
			v4 += int64(f) * (prices[j+1] - prices[j])
		}
		// round v4/4 half away from zero
		v, r := v4/4, v4%4
		if r >= 2 {
			v++
		} else if r <= -2 {
			v--
		}
		return decimal.New(v, -MaxPriceDecimals)
	}
	return Quartiles{Q1: q(1), Median: q(2), Q3: q(3), N: len(prices)}, nil
}
