package pricing

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		loc  Locale
		want string // "" means error
		msg  string // part of the error message
	}{
		{"1234.50", LocalePlain, "1234.5", ""},
		{"0", LocalePlain, "0", ""},
		{"-0.01", LocalePlain, "-0.01", ""},
		{"007", LocalePlain, "7", ""},
		{"1.234", LocalePlain, "1.234", ""}, // plain: '.' is the decimal separator
		{"1,234.50", LocalePlain, "", "plain format does not allow"},
		{"1234,50", LocalePlain, "", "Danish locale"},
		{"1.2.3", LocalePlain, "", "more than one decimal separator"},
		{"", LocalePlain, "", "empty"},
		{"-", LocalePlain, "", "no digits"},
		{".5", LocalePlain, "", "no digit before"},
		{"5.", LocalePlain, "", "no digit after"},
		{" 5", LocalePlain, "", "space"},
		{"5 000", LocalePlain, "", "space"},
		{"1\u00a0000", LocalePlain, "", "unexpected character"},
		{"+5", LocalePlain, "", "'+'"},
		{"5-", LocalePlain, "", "not at the start"},
		{"--5", LocalePlain, "", "not at the start"},
		{"1e5", LocalePlain, "", "unexpected character 'e'"},
		{"NaN", LocalePlain, "", "unexpected character"},
		{"\u22125", LocalePlain, "", "unexpected character '−'"},
		{"12kr", LocalePlain, "", "position 3"},
		{strings.Repeat("1", 41), LocalePlain, "", "41 digits"},
		{strings.Repeat("1", 40), LocalePlain, strings.Repeat("1", 40), ""},
		{"0." + strings.Repeat("1", 39), LocalePlain, "0." + strings.Repeat("1", 39), ""},
		{strings.Repeat("1", 65), LocalePlain, "", "longer than 64"},

		{"1.234,50", LocaleDanish, "1234.5", ""},
		{"1234,50", LocaleDanish, "1234.5", ""},
		{"1.234", LocaleDanish, "1234", ""}, // Danish: '.' groups thousands
		{"12.345.678,9", LocaleDanish, "12345678.9", ""},
		{"-1.000,01", LocaleDanish, "-1000.01", ""},
		{"0,5", LocaleDanish, "0.5", ""},
		{"1.50", LocaleDanish, "", "ambiguous"},
		{"1.2345", LocaleDanish, "", "ambiguous"},
		{"1234.567", LocaleDanish, "", "first group"},
		{".123", LocaleDanish, "", "first group"},
		{"1.234.", LocaleDanish, "", "ambiguous"},
		{"1,234.50", LocaleDanish, "", "thousands separator '.' after"},
		{"1,2,3", LocaleDanish, "", "more than one decimal separator"},
		{",5", LocaleDanish, "", "no digit before"},
		{"5,", LocaleDanish, "", "no digit after"},
		{"1 234,50", LocaleDanish, "", "space"},
		{"0.125", LocaleDanish, "", "does not start with 0"}, // an eighth written plain, never 125
		{"00.125", LocaleDanish, "", "does not start with 0"},
		{"-0.500", LocaleDanish, "", "does not start with 0"},
		{"0,125", LocaleDanish, "0.125", ""},
		{"0,125", LocaleEnglish, "", "does not start with 0"},
		{"0.125", LocaleEnglish, "0.125", ""},
		{"1,250", LocaleEnglish, "1250", ""},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in, tt.loc)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseAmount(%q, %v) = %s, want error", tt.in, tt.loc, got)
				continue
			}
			wantErr(t, err, ErrInvalidAmount, "amount")
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("ParseAmount(%q, %v) error %q does not say %q", tt.in, tt.loc, err, tt.msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAmount(%q, %v): %v", tt.in, tt.loc, err)
			continue
		}
		if !got.Equal(d(tt.want)) {
			t.Errorf("ParseAmount(%q, %v) = %s, want %s", tt.in, tt.loc, got, tt.want)
		}
	}
}

func TestParseMoneyAndPrice(t *testing.T) {
	m, err := ParseMoney("1.234,50", DKK, LocaleDanish)
	mustNoErr(t, err)
	if m.String() != "1234.50 DKK" || m.Format(LocaleDanish) != "1.234,50" || m.Format(LocalePlain) != "1234.50" {
		t.Error(m, m.Format(LocaleDanish))
	}
	_, err = ParseMoney("1,005", DKK, LocaleDanish)
	wantErr(t, err, ErrInvalidAmount, "amount")
	_, err = ParseMoney("x", DKK, LocalePlain)
	wantErr(t, err, ErrInvalidAmount, "amount")
	_, err = ParseMoney("1", "EURO", LocalePlain)
	wantErr(t, err, ErrInvalidCurrency, "currency")

	p, err := ParsePrice("0,123456", EUR, LocaleDanish)
	mustNoErr(t, err)
	if p.String() != "0.123456 EUR" {
		t.Error(p)
	}
	_, err = ParsePrice("-1", EUR, LocalePlain)
	wantErr(t, err, ErrInvalidAmount, "amount")
	_, err = ParsePrice("1;", EUR, LocalePlain)
	wantErr(t, err, ErrInvalidAmount, "amount")
	_, err = ParsePrice("1", "", LocalePlain)
	wantErr(t, err, ErrInvalidCurrency, "currency")
	if LocalePlain.String() != "plain" || LocaleDanish.String() != "da-DK" {
		t.Error("Locale.String")
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		v      string
		places int32
		plain  string
		danish string
	}{
		{"0", 2, "0.00", "0,00"},
		{"1234.5", 2, "1234.50", "1.234,50"},
		{"-1234567.891", 2, "-1234567.89", "-1.234.567,89"},
		{"999.995", 2, "1000.00", "1.000,00"},
		{"100", 0, "100", "100"},
		{"1000", 0, "1000", "1.000"},
		{"-0.001", 2, "0.00", "0,00"},
	}
	for _, tt := range tests {
		if got := FormatAmount(d(tt.v), tt.places, LocalePlain); got != tt.plain {
			t.Errorf("FormatAmount(%s, plain) = %s, want %s", tt.v, got, tt.plain)
		}
		if got := FormatAmount(d(tt.v), tt.places, LocaleDanish); got != tt.danish {
			t.Errorf("FormatAmount(%s, da) = %s, want %s", tt.v, got, tt.danish)
		}
	}
}

// FuzzParseAmount checks that the parser never panics, that whatever it
// accepts in one locale formats and parses back to the same value in both
// locales, and that a plain amount it accepts is also what shopspring reads.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1234.50", "1.234,50", "-0.01", "1,5", "1.50", "", "-", "1e5", "12.345.678,9", "007", " 1", "1.2.3", "9999999999999999999999999.999999"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, danish bool) {
		loc := LocalePlain
		if danish {
			loc = LocaleDanish
		}
		v, err := ParseAmount(s, loc)
		if err != nil {
			if len(FieldErrors(err)) != 1 || FieldErrors(err)[0].Message == "" {
				t.Fatalf("error without a message: %v", err)
			}
			return
		}
		if loc == LocalePlain {
			ref, err := decimal.NewFromString(s)
			if err != nil || !ref.Equal(v) {
				t.Fatalf("ParseAmount(%q) = %s but shopspring says %s, %v", s, v, ref, err)
			}
		}
		places := -v.Exponent()
		if places < 0 {
			places = 0
		}
		for _, out := range []Locale{LocalePlain, LocaleDanish} {
			text := FormatAmount(v, places, out)
			back, err := ParseAmount(text, out)
			if err != nil || !back.Equal(v) {
				t.Fatalf("%q -> %s -> %q (%v) -> %s, %v", s, v, text, out, back, err)
			}
		}
	})
}
