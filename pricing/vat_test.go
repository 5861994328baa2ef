package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestVATFromNet(t *testing.T) {
	tests := []struct{ net, rate, vat, gross string }{
		{"100.00", "0.25", "25.00", "125.00"},
		{"0.01", "0.25", "0.00", "0.01"},    // 0.0025
		{"0.02", "0.25", "0.01", "0.03"},    // 0.005 -> 0.01
		{"0.06", "0.25", "0.02", "0.08"},    // 0.015 -> 0.02
		{"-0.02", "0.25", "-0.01", "-0.03"}, // a credit line, half away from zero
		{"99.99", "0.25", "25.00", "124.99"},
		{"80.00", "0", "0.00", "80.00"},
		{"10.00", "0.125", "1.25", "11.25"},
	}
	for _, tt := range tests {
		v, err := VATFromNet(MustMoney(tt.net, DKK), d(tt.rate))
		mustNoErr(t, err)
		if v.VAT.AmountString() != tt.vat || v.Gross.AmountString() != tt.gross || v.Net.AmountString() != MustMoney(tt.net, DKK).AmountString() {
			t.Errorf("VATFromNet(%s, %s) = %+v", tt.net, tt.rate, v)
		}
		sum, _ := v.Net.Add(v.VAT)
		if !sum.Equal(v.Gross) {
			t.Errorf("net + vat != gross for %s", tt.net)
		}
	}
	for _, rate := range []string{"25", "1", "-0.01"} {
		_, err := VATFromNet(MustMoney("1", DKK), d(rate))
		wantErr(t, err, ErrInvalidRate, "vat_rate")
	}
	_, err := VATFromNet(Money{}, DanishVATRate())
	wantErr(t, err, ErrInvalidCurrency, "currency")
	if DanishVATRate().String() != "0.25" {
		t.Error(DanishVATRate())
	}
}

func TestVATFromGross(t *testing.T) {
	tests := []struct{ gross, rate, net, vat string }{
		{"125.00", "0.25", "100.00", "25.00"},
		{"100.00", "0.25", "80.00", "20.00"},
		{"0.01", "0.25", "0.01", "0.00"}, // 0.008 -> 0.01
		{"0.03", "0.25", "0.02", "0.01"}, // 0.024
		{"10.00", "0.25", "8.00", "2.00"},
		{"9.99", "0.25", "7.99", "2.00"}, // 7.992
		{"1.00", "0.0", "1.00", "0.00"},
		{"-125.00", "0.25", "-100.00", "-25.00"},
	}
	for _, tt := range tests {
		v, err := VATFromGross(MustMoney(tt.gross, DKK), d(tt.rate))
		mustNoErr(t, err)
		if v.Net.AmountString() != tt.net || v.VAT.AmountString() != tt.vat || v.Gross.AmountString() != MustMoney(tt.gross, DKK).AmountString() {
			t.Errorf("VATFromGross(%s) = net %s vat %s", tt.gross, v.Net, v.VAT)
		}
	}
	_, err := VATFromGross(MustMoney("1", DKK), d("2"))
	wantErr(t, err, ErrInvalidRate, "vat_rate")
	_, err = VATFromGross(Money{}, DanishVATRate())
	wantErr(t, err, ErrInvalidCurrency, "currency")
}

// For every net amount in øre, net + VAT = gross, and VAT is within half
// an øre of the exact VAT.
func TestVATAddsUp(t *testing.T) {
	half := d("0.005")
	for ore := int64(-2000); ore <= 2000; ore++ {
		net, _ := NewMoney(decimal.New(ore, -2), DKK)
		for _, rate := range []string{"0.25", "0.125", "0.06", "0"} {
			v, err := VATFromNet(net, d(rate))
			mustNoErr(t, err)
			if !v.Net.amount.Add(v.VAT.amount).Equal(v.Gross.amount) {
				t.Fatalf("%s at %s does not add up", net, rate)
			}
			if v.VAT.amount.Sub(net.amount.Mul(d(rate))).Abs().GreaterThan(half) {
				t.Fatalf("%s at %s: VAT %s too far from exact", net, rate, v.VAT)
			}
			g, err := VATFromGross(v.Gross, d(rate))
			mustNoErr(t, err)
			if !g.Net.amount.Add(g.VAT.amount).Equal(g.Gross.amount) {
				t.Fatalf("gross %s does not add up", v.Gross)
			}
		}
	}
}

func TestSummarizeVAT(t *testing.T) {
	zero := d("0")
	food := d("0.25") // Denmark has one rate, but per-line rates are allowed
	s, err := SummarizeVAT(DKK, []VATLine{
		{Net: MustMoney("0.02", DKK)},
		{Net: MustMoney("0.02", DKK)},
		{Net: MustMoney("0.02", DKK), Rate: &food},
		{Net: MustMoney("100.00", DKK), Rate: &zero},
	})
	mustNoErr(t, err)
	// Per line each 0.02 would give 0.005 -> 0.01, three lines 0.03; per
	// rate the 0.06 gives 0.015 -> 0.02.
	if len(s.Groups) != 2 || !s.Groups[0].Rate.IsZero() || s.Groups[1].Lines != 3 {
		t.Fatalf("%+v", s)
	}
	if s.Groups[1].VAT.VAT.AmountString() != "0.02" || s.Groups[1].Net.AmountString() != "0.06" {
		t.Errorf("group: %+v", s.Groups[1])
	}
	if s.Net.String() != "100.06 DKK" || s.VAT.String() != "0.02 DKK" || s.Gross.String() != "100.08 DKK" {
		t.Errorf("totals %s %s %s", s.Net, s.VAT, s.Gross)
	}
	s, err = SummarizeVAT(DKK, nil)
	mustNoErr(t, err)
	if !s.Gross.IsZero() || len(s.Groups) != 0 {
		t.Error(s)
	}
	bad := d("25")
	_, err = SummarizeVAT(DKK, []VATLine{{Net: MustMoney("1", DKK)}, {Net: MustMoney("1", DKK), Rate: &bad}})
	wantErr(t, err, ErrInvalidRate, "lines[1].vat_rate")
	_, err = SummarizeVAT(DKK, []VATLine{{Net: MustMoney("1", EUR)}})
	wantErr(t, err, ErrCurrencyMismatch, "lines[0].net.currency")
	_, err = SummarizeVAT("", nil)
	wantErr(t, err, ErrInvalidCurrency, "currency")
}
