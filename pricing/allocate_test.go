package pricing

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func shares(kv ...string) []Share {
	var s []Share
	for i := 0; i < len(kv); i += 2 {
		s = append(s, Share{Key: kv[i], Weight: d(kv[i+1])})
	}
	return s
}

func amounts(a Allocation) string {
	var parts []string
	for _, p := range a.Parts {
		parts = append(parts, p.Key+"="+p.Amount.AmountString())
	}
	return strings.Join(parts, " ")
}

func TestAllocateHandComputed(t *testing.T) {
	tests := []struct {
		name   string
		total  string
		shares []Share
		want   string
	}{
		{"100.00 over 3 equal members: the extra øre goes to the smallest key",
			"100.00", shares("c", "1", "a", "1", "b", "1"), "c=33.33 a=33.34 b=33.33"},
		{"proportional, exact", "1000.00", shares("a", "1", "b", "3"), "a=250.00 b=750.00"},
		{"tie in remainders between different weights: larger weight wins",
			// shares 0.005, 0.015, 0.01: floors 0, 1, 1 øre; remainders of a
			// and z are both one half; z has the larger weight.
			"0.03", shares("a", "1", "z", "3", "m", "2"), "a=0.00 z=0.02 m=0.01"},
		{"larger remainder first", "0.10", shares("a", "1", "b", "2", "c", "3"),
			// exact 0.016667, 0.033333, 0.05: floors 1, 3, 5 øre = 9, one left;
			// remainders 2/3, 1/3, 0 øre: a gets it.
			"a=0.02 b=0.03 c=0.05"},
		{"weights with 10 decimals", "100.00", shares("a", "0.3333333333", "b", "0.3333333333", "c", "0.3333333334"),
			// exact 33.33333333, 33.33333333, 33.33333334: c has the largest remainder.
			"a=33.33 b=33.33 c=33.34"},
		{"zero weight gets nothing", "10.00", shares("a", "0", "b", "5"), "a=0.00 b=10.00"},
		{"zero total", "0.00", shares("a", "1", "b", "2"), "a=0.00 b=0.00"},
		{"weights of mixed scale", "1.00", shares("a", "1e3", "b", "0.5"),
			// 1000/1000.5 = 0.99950..., 0.5/1000.5 = 0.00049975...
			"a=1.00 b=0.00"},
		{"patronage in kroner and øre", "1234.56", shares("m1", "150000.00", "m2", "49999.99", "m3", "0.01"),
			// exact 925.92, 308.6399382..., 0.0000617...: floors 925.92,
			// 308.63, 0.00 = 1234.55; the øre left goes to m2, whose
			// remainder (0.99 øre) is largest.
			"m1=925.92 m2=308.64 m3=0.00"},
	}
	for _, tt := range tests {
		a, err := Allocate(MustMoney(tt.total, DKK), tt.shares, AllocateOptions{})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := amounts(a); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
		checkAllocation(t, a, tt.shares)
	}
}

func TestAllocateOneOreOverThousand(t *testing.T) {
	var s []Share
	for i := 999; i >= 0; i-- {
		s = append(s, Share{Key: fmt.Sprintf("m%04d", i), Weight: d("1")})
	}
	a, err := Allocate(MustMoney("0.01", DKK), s, AllocateOptions{})
	mustNoErr(t, err)
	for _, p := range a.Parts {
		want := "0.00"
		if p.Key == "m0000" {
			want = "0.01"
		}
		if p.Amount.AmountString() != want || p.Extra != (want == "0.01") {
			t.Fatalf("%s got %s", p.Key, p.Amount)
		}
		if !p.ExactShare.Equal(d("0.00001")) {
			t.Fatalf("exact share %s", p.ExactShare)
		}
	}
	checkAllocation(t, a, s)
}

func TestAllocateOtherCurrencies(t *testing.T) {
	a, err := Allocate(MustMoney("100", "JPY"), shares("a", "1", "b", "1", "c", "1"), AllocateOptions{})
	mustNoErr(t, err)
	if amounts(a) != "a=34 b=33 c=33" {
		t.Error(amounts(a))
	}
	a, err = Allocate(MustMoney("1.000", "KWD"), shares("a", "1", "b", "1", "c", "1"), AllocateOptions{})
	mustNoErr(t, err)
	if amounts(a) != "a=0.334 b=0.333 c=0.333" {
		t.Error(amounts(a))
	}
}

func TestAllocateMinimumPayout(t *testing.T) {
	opts := AllocateOptions{
		MinimumPayout: MustMoney("100.00", DKK),
		CarryIn:       map[string]Money{"small": MustMoney("60.00", DKK), "tiny": MustMoney("10.00", DKK), "gone": MustMoney("5.00", DKK)},
	}
	// 1000.00 split 900 : 50 : 30 : 20 (weights in kroner of spend).
	s := shares("big", "900", "small", "50", "tiny", "30", "mid", "20", "gone", "0")
	a, err := Allocate(MustMoney("1000.00", DKK), s, opts)
	mustNoErr(t, err)
	want := []struct{ key, amount, in, payout, carry string }{
		{"big", "900.00", "0.00", "900.00", "0.00"},
		{"small", "50.00", "60.00", "110.00", "0.00"}, // 50 + 60 carried in reaches the minimum
		{"tiny", "30.00", "10.00", "0.00", "40.00"},   // 40 < 100: kept for next period
		{"mid", "20.00", "0.00", "0.00", "20.00"},
		{"gone", "0.00", "5.00", "0.00", "5.00"},
	}
	for i, w := range want {
		p := a.Parts[i]
		if p.Key != w.key || p.Amount.AmountString() != w.amount || p.CarryIn.AmountString() != w.in || p.Payout.AmountString() != w.payout || p.CarryForward.AmountString() != w.carry {
			t.Errorf("part %d: %+v", i, p)
		}
	}
	if a.Paid.String() != "1010.00 DKK" || a.CarriedForward.String() != "65.00 DKK" || a.CarriedIn.String() != "75.00 DKK" || !a.MinimumPayout.Equal(opts.MinimumPayout) {
		t.Errorf("paid %s carried %s in %s", a.Paid, a.CarriedForward, a.CarriedIn)
	}
	checkAllocation(t, a, s)

	// Exactly the minimum is paid.
	a, err = Allocate(MustMoney("200.00", DKK), shares("a", "1", "b", "1"), AllocateOptions{MinimumPayout: MustMoney("100.00", DKK)})
	mustNoErr(t, err)
	if a.Paid.AmountString() != "200.00" || !a.CarriedForward.IsZero() {
		t.Error(a.Paid, a.CarriedForward)
	}
}

func TestAllocateErrors(t *testing.T) {
	ok := shares("a", "1")
	tests := []struct {
		name   string
		total  Money
		shares []Share
		opts   AllocateOptions
		kind   error
		field  string
	}{
		{"no currency", Money{}, ok, AllocateOptions{}, ErrInvalidCurrency, "total.currency"},
		{"negative total", MustMoney("-1", DKK), ok, AllocateOptions{}, ErrInvalidAmount, "total"},
		{"no shares", MustMoney("1", DKK), nil, AllocateOptions{}, ErrInvalidInput, "shares"},
		{"zero total weight", MustMoney("1", DKK), shares("a", "0", "b", "0"), AllocateOptions{}, ErrInvalidWeights, "shares"},
		{"negative weight", MustMoney("1", DKK), shares("a", "2", "b", "-1"), AllocateOptions{}, ErrInvalidWeights, "shares[1].weight"},
		{"too many decimals", MustMoney("1", DKK), shares("a", "0.0000000000000000001"), AllocateOptions{}, ErrInvalidWeights, "shares[0].weight"},
		{"empty key", MustMoney("1", DKK), shares("", "1"), AllocateOptions{}, ErrInvalidInput, "shares[0].key"},
		{"duplicate key", MustMoney("1", DKK), shares("a", "1", "a", "2"), AllocateOptions{}, ErrInvalidInput, "shares[1].key"},
		{"minimum in EUR", MustMoney("1", DKK), ok, AllocateOptions{MinimumPayout: MustMoney("1", EUR)}, ErrCurrencyMismatch, "minimum_payout.currency"},
		{"negative minimum", MustMoney("1", DKK), ok, AllocateOptions{MinimumPayout: MustMoney("-1", DKK)}, ErrInvalidAmount, "minimum_payout"},
		{"carry-in for a stranger", MustMoney("1", DKK), ok, AllocateOptions{CarryIn: map[string]Money{"x": MustMoney("1", DKK)}}, ErrInvalidInput, "carry_in.x"},
		{"carry-in in EUR", MustMoney("1", DKK), ok, AllocateOptions{CarryIn: map[string]Money{"a": MustMoney("1", EUR)}}, ErrCurrencyMismatch, "carry_in.a.currency"},
		{"negative carry-in", MustMoney("1", DKK), ok, AllocateOptions{CarryIn: map[string]Money{"a": MustMoney("-1", DKK)}}, ErrInvalidAmount, "carry_in.a"},
	}
	for _, tt := range tests {
		_, err := Allocate(tt.total, tt.shares, tt.opts)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		wantErr(t, err, tt.kind, tt.field)
	}
	// Trailing zeros beyond 18 decimals are not decimals.
	if _, err := Allocate(MustMoney("1", DKK), shares("a", "1.000000000000000000000"), AllocateOptions{}); err != nil {
		t.Error(err)
	}
}

// checkAllocation verifies the invariants of an allocation against exact
// rational arithmetic: the parts sum to the total; each part is within one
// minor unit of its exact share (strictly); payouts and carry-forwards
// account for every øre; and the result does not depend on input order.
func checkAllocation(t *testing.T, a Allocation, s []Share) {
	t.Helper()
	c := a.Total.Currency()
	unit := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(c.MinorUnits())), nil))
	totalW := new(big.Rat)
	for _, sh := range s {
		totalW.Add(totalW, sh.Weight.Rat())
	}
	sum := decimal.Zero
	moved := decimal.Zero
	extras := 0
	for i, p := range a.Parts {
		if p.Key != s[i].Key || !p.Weight.Equal(s[i].Weight) {
			t.Fatalf("part %d is %s, want %s", i, p.Key, s[i].Key)
		}
		if p.Amount.IsNegative() || p.Amount.Currency() != c {
			t.Fatalf("part %s: %s", p.Key, p.Amount)
		}
		sum = sum.Add(p.Amount.Amount())
		exact := new(big.Rat).Mul(a.Total.Amount().Rat(), s[i].Weight.Rat())
		exact.Quo(exact, totalW)
		diff := new(big.Rat).Sub(p.Amount.Amount().Rat(), exact)
		if diff.Abs(diff).Cmp(unit) >= 0 {
			t.Fatalf("part %s = %s is a minor unit or more from its exact share %s", p.Key, p.Amount, exact.FloatString(12))
		}
		if p.Extra {
			extras++
		}
		if want := roundRat(exact, ExactShareDecimals); !p.ExactShare.Equal(want) {
			t.Fatalf("part %s: exact share shown %s, want %s", p.Key, p.ExactShare, want)
		}
		if !p.Payout.IsZero() && !p.CarryForward.IsZero() {
			t.Fatalf("part %s both paid and carried", p.Key)
		}
		moved = moved.Add(p.Payout.Amount()).Add(p.CarryForward.Amount()).Sub(p.CarryIn.Amount())
	}
	if !sum.Equal(a.Total.Amount()) {
		t.Fatalf("parts sum to %s, not %s", sum, a.Total)
	}
	if !moved.Equal(a.Total.Amount()) {
		t.Fatalf("payouts and carry-forwards account for %s of %s", moved, a.Total)
	}
	if !a.Paid.Amount().Add(a.CarriedForward.Amount()).Equal(a.Total.Amount().Add(a.CarriedIn.Amount())) {
		t.Fatalf("paid %s + carried %s != total %s + carried in %s", a.Paid, a.CarriedForward, a.Total, a.CarriedIn)
	}
	if extras >= len(s) {
		t.Fatalf("%d extras over %d parts", extras, len(s))
	}
	// Order independence: the same shares reversed give the same parts.
	rev := make([]Share, len(s))
	for i := range s {
		rev[len(s)-1-i] = s[i]
	}
	b, err := Allocate(a.Total, rev, AllocateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range b.Parts {
		q := a.Parts[len(s)-1-i]
		if p.Key != q.Key || !p.Amount.Equal(q.Amount) {
			t.Fatalf("order changes %s: %s vs %s", p.Key, p.Amount, q.Amount)
		}
	}
}

// TestAllocateProperties checks the invariants on random amounts and
// weights (a fixed seed, so failures reproduce).
func TestAllocateProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	for n := 0; n < 500; n++ {
		total := decimal.New(r.Int64N(1_000_000_000_00), -2)
		count := 1 + r.IntN(60)
		s := make([]Share, count)
		for i := range s {
			var w decimal.Decimal
			switch r.IntN(4) {
			case 0:
				w = decimal.New(r.Int64N(1_000_000_00), -2) // kroner and øre
			case 1:
				w = decimal.New(r.Int64N(10_000_000_000), -10) // 10 decimals
			case 2:
				w = decimal.New(1+r.Int64N(3), 0) // small integers: many ties
			default:
				w = decimal.New(r.Int64N(1000), int32(r.IntN(4))) // 1e3 and such
			}
			s[i] = Share{Key: fmt.Sprintf("k%03d", r.IntN(1000)*1000+i), Weight: w}
		}
		s[r.IntN(count)].Weight = d("1") // never all zero
		m, _ := NewMoney(total, DKK)
		a, err := Allocate(m, s, AllocateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkAllocation(t, a, s)
	}
}

// FuzzAllocate: for any total and weights, the parts sum to the total and
// each is within one minor unit of its exact share.
func FuzzAllocate(f *testing.F) {
	f.Add(int64(10000), []byte{1, 0, 1, 0, 1, 0}, uint8(0))          // 100.00 over 3 equal
	f.Add(int64(1), make([]byte, 2000), uint8(0))                    // 0.01 over 1,000 (all weights zero -> error path)
	f.Add(int64(1), []byte{0xff, 0xff, 1, 0, 7, 7, 0, 9}, uint8(10)) // 10 decimals
	f.Add(int64(3), []byte{1, 0, 3, 0, 2, 0}, uint8(0))              // tie in remainders
	f.Add(int64(-5), []byte{1, 0}, uint8(2))                         // negative total: error
	f.Add(int64(999999999999), []byte{9, 9, 9, 9, 9, 9, 0, 1}, uint8(3))
	f.Fuzz(func(t *testing.T, total int64, raw []byte, decimals uint8) {
		if len(raw) > 4000 {
			raw = raw[:4000]
		}
		var s []Share
		for i := 0; i+1 < len(raw); i += 2 {
			v := int64(raw[i])<<8 | int64(raw[i+1])
			s = append(s, Share{Key: fmt.Sprintf("m%04d", i/2), Weight: decimal.New(v, -int32(decimals%19))})
		}
		m, err := NewMoney(decimal.New(total%1_000_000_000_000_00, -2), DKK)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Allocate(m, s, AllocateOptions{})
		if err != nil {
			if len(FieldErrors(err)) == 0 {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		checkAllocation(t, a, s)
	})
}

// roundRat rounds a non-negative rational half away from zero to places
// decimals, exactly.
func roundRat(r *big.Rat, places int32) decimal.Decimal {
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)))
	q, m := new(big.Int).QuoRem(scaled.Num(), scaled.Denom(), new(big.Int))
	if m.Lsh(m, 1).Cmp(scaled.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return decimal.NewFromBigInt(q, -places)
}

func TestExactShareRounding(t *testing.T) {
	// 1.00 over weights 1, 2: exact 0.333333333333... and 0.666666666666...
	a, err := Allocate(MustMoney("1.00", DKK), shares("a", "1", "b", "2"), AllocateOptions{})
	mustNoErr(t, err)
	if a.Parts[0].ExactShare.String() != "0.3333333333" || a.Parts[1].ExactShare.String() != "0.6666666667" {
		t.Error(a.Parts[0].ExactShare, a.Parts[1].ExactShare)
	}
	// A half at the 11th decimal rounds away from zero:
	// 0.01 x 5 / 1e9 = 0.00000000005 -> 0.0000000001.
	a, err = Allocate(MustMoney("0.01", DKK), shares("a", "5", "b", "999999995"), AllocateOptions{})
	mustNoErr(t, err)
	if a.Parts[0].ExactShare.String() != "0.0000000001" {
		t.Error(a.Parts[0].ExactShare)
	}
}
