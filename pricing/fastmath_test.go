package pricing

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// The int64 shortcuts agree with the general decimal path on random and
// edge values, and refuse what they cannot do exactly.
func TestFastMathAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	randDec := func() decimal.Decimal {
		switch r.IntN(6) {
		case 0:
			return decimal.New(r.Int64N(1_000_000), -int32(r.IntN(8)))
		case 1:
			return decimal.New(r.Int64(), -int32(r.IntN(20)))
		case 2:
			return decimal.New(r.Int64N(1000), int32(r.IntN(25)))
		case 3:
			return decimal.New(999_999_999_999_999_999, -int32(r.IntN(4)))
		case 4:
			return decimal.New(int64(r.IntN(3)), 0)
		default:
			return decimal.RequireFromString("123456789012345678901234567890.5")
		}
	}
	fastCount := 0
	for i := 0; i < 200_000; i++ {
		q, c := randDec(), randDec()
		if c.Sign() > 0 {
			want := slowPacks(q, c)
			if got, ok := fastPacks(q, c); ok {
				fastCount++
				if !got.Full.Equal(want.Full) || !got.Remainder.Equal(want.Remainder) || !got.Packs.Equal(want.Packs) || got.RoundedUp != want.RoundedUp || !got.Content.Equal(c) {
					t.Fatalf("fastPacks(%s, %s) = %+v, want %+v", q, c, got, want)
				}
			}
		}
		a, b := randDec(), randDec()
		if r.IntN(2) == 0 {
			a = a.Neg()
		}
		places := int32(r.IntN(5))
		if got, ok := fastMulRound(a, b, places); ok {
			fastCount++
			if want := a.Mul(b).Round(places); !decimal.New(got, -places).Equal(want) {
				t.Fatalf("fastMulRound(%s, %s, %d) = %d, want %s", a, b, places, got, want)
			}
		}
	}
	if fastCount < 100_000 {
		t.Errorf("the shortcuts were taken only %d times", fastCount)
	}
}

func TestFastMathEdges(t *testing.T) {
	for _, tt := range []struct {
		v    int64
		k    int32
		want int64
	}{
		{15, 1, 2}, {14, 1, 1}, {-15, 1, -2}, {-14, 1, -1}, {5, 1, 1}, {4, 1, 0},
		{math.MaxInt64, 18, 9}, {math.MinInt64 + 1, 18, -9}, {500_000_000_000_000_000, 18, 1},
	} {
		if got := divRoundHalfAway(tt.v, tt.k); got != tt.want {
			t.Errorf("divRoundHalfAway(%d, %d) = %d, want %d", tt.v, tt.k, got, tt.want)
		}
	}
	if _, ok := scaleUp(math.MaxInt64/10+1, 1); ok {
		t.Error("scaleUp overflow")
	}
	if _, ok := scaleUp(-(math.MaxInt64/10 + 1), 1); ok {
		t.Error("scaleUp negative overflow")
	}
	if v, ok := scaleUp(7, 0); !ok || v != 7 {
		t.Error("scaleUp 0")
	}
	if _, ok := scaleUp(1, 19); ok {
		t.Error("scaleUp 19")
	}
	if _, ok := scaleUp(1, -1); ok {
		t.Error("scaleUp -1")
	}
	for _, tt := range []struct {
		a, b int64
		ok   bool
	}{
		{0, math.MaxInt64, true}, {math.MaxInt64, 2, false}, {-1, math.MinInt64, false}, {math.MinInt64, -1, false},
		{1 << 31, 1 << 31, true}, {1 << 32, 1 << 30, true}, {1 << 32, 1 << 31, false}, {1 << 32, 1 << 32, false},
	} {
		if _, ok := mulInt64(tt.a, tt.b); ok != tt.ok {
			t.Errorf("mulInt64(%d, %d) ok = %v", tt.a, tt.b, ok)
		}
	}
	// Too many decimals to round with one int64 division.
	if _, ok := fastMulRound(decimal.New(1, -10), decimal.New(1, -10), 0); ok {
		t.Error("fastMulRound with 20 decimals to drop")
	}
	if _, ok := fastMulRound(decimal.New(math.MaxInt32, 0), decimal.New(math.MaxInt32, 0).Mul(decimal.New(math.MaxInt32, 0)), 0); ok {
		t.Error("fastMulRound overflow")
	}
	if _, ok := fastPacks(decimal.New(1, 18), decimal.New(1, -18)); ok {
		t.Error("fastPacks overflow of the quantity")
	}
	if _, ok := fastPacks(decimal.New(1, -18), decimal.New(1, 18)); ok {
		t.Error("fastPacks overflow of the content")
	}
}

func TestNewDec(t *testing.T) {
	for _, tt := range []struct {
		v    int64
		exp  int32
		want string
	}{{0, 0, "0"}, {7, -2, "0.07"}, {4095, 0, "4095"}, {4096, 0, "4096"}, {-1, 0, "-1"}, {12, 3, "12000"}} {
		got := newDec(tt.v, tt.exp)
		if !got.Equal(d(tt.want)) || got.Exponent() != tt.exp {
			t.Errorf("newDec(%d, %d) = %s (exp %d)", tt.v, tt.exp, got, got.Exponent())
		}
	}
	// Arithmetic on a shared small decimal leaves it unchanged.
	x := newDec(5, 0)
	_ = x.Add(d("1")).Mul(d("3")).Round(2)
	_ = x.Neg().Abs().Shift(2).Round(-1)
	_, _ = x.QuoRem(d("2"), 0)
	if !smallInts()[5].Equal(d("5")) || !x.Equal(d("5")) {
		t.Error("a shared decimal was modified")
	}
}
