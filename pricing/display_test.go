package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestDisplay(t *testing.T) {
	m := MustMoney("1234.50", DKK)
	for _, c := range []struct {
		loc  Locale
		want string
	}{{LocaleDanish, "1.234,50 kr."}, {LocaleEnglish, "DKK 1,234.50"}, {LocalePlain, "1234.50 DKK"}} {
		if got := m.Display(c.loc); got != c.want {
			t.Errorf("%v: %q, want %q", c.loc, got, c.want)
		}
	}
	if got := MustMoney("-1234567.05", "EUR").Display(LocaleDanish); got != "-1.234.567,05 EUR" {
		t.Error(got)
	}
	if got := MustPrice("0.045", DKK).Display(LocaleDanish); got != "0,045 kr." {
		t.Error(got)
	}
	for in, want := range map[string]string{"1000": "1.000", "0.50": "0,5", "12.000": "12", "1234.125": "1.234,125"} {
		if got := FormatQuantity(decimal.RequireFromString(in), LocaleDanish); got != want {
			t.Errorf("FormatQuantity(%s) = %q, want %q", in, got, want)
		}
	}
	if got := FormatQuantity(decimal.RequireFromString("1000.5"), LocaleEnglish); got != "1,000.5" {
		t.Error(got)
	}
}

func TestParseEnglish(t *testing.T) {
	for in, want := range map[string]string{"1,234.50": "1234.5", "1234.50": "1234.5", "12": "12"} {
		d, err := ParseAmount(in, LocaleEnglish)
		if err != nil || d.String() != want {
			t.Errorf("%q: %v %v", in, d, err)
		}
	}
	for _, in := range []string{"1,50", "1.234,50", "12,34,567"} {
		if _, err := ParseAmount(in, LocaleEnglish); err == nil {
			t.Errorf("%q parsed", in)
		}
	}
}
