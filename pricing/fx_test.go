package pricing

import (
	"errors"
	"testing"
)

func TestExchangeRate(t *testing.T) {
	r, err := NewExchangeRate(EUR, DKK, d("7.4604"))
	mustNoErr(t, err)
	if r.String() != "1 EUR = 7.4604 DKK" {
		t.Error(r)
	}
	tests := []struct{ eur, dkk string }{
		{"1.00", "7.46"},     // 7.4604
		{"100.00", "746.04"}, // exact
		{"0.01", "0.07"},     // 0.074604
		{"12.34", "92.06"},   // 92.061336
		{"-12.34", "-92.06"},
		{"0.67", "5.00"}, // 4.998468
	}
	for _, tt := range tests {
		m, err := r.ConvertMoney(MustMoney(tt.eur, EUR))
		mustNoErr(t, err)
		if m.Currency() != DKK || m.AmountString() != tt.dkk {
			t.Errorf("%s EUR = %s, want %s DKK", tt.eur, m, tt.dkk)
		}
	}
	p, err := r.ConvertPrice(MustPrice("0.123456", EUR))
	mustNoErr(t, err)
	if p.String() != "0.921031 DKK" { // 0.9210310... exact 0.92103114...
		t.Error(p)
	}
	p, _ = r.ConvertPrice(MustPrice("2.5", EUR))
	if p.String() != "18.651 DKK" {
		t.Error(p)
	}
	for _, tt := range []struct{ dkk, eur string }{
		{"7.4604", "1"},
		{"0.5", "0.067021"},      // 0.0670205351...
		{"1.000003", "0.134041"}, // 0.1340414723...
	} {
		p, err := r.ConvertPriceBack(MustPrice(tt.dkk, DKK))
		mustNoErr(t, err)
		if p.Currency() != EUR || !p.Amount().Equal(d(tt.eur)) {
			t.Errorf("%s DKK back = %s, want %s EUR", tt.dkk, p, tt.eur)
		}
	}
	if _, err := r.ConvertPriceBack(MustPrice("1", EUR)); !errors.Is(err, ErrCurrencyMismatch) {
		t.Error(err)
	}
	if _, err := badRateOf(EUR).ConvertPriceBack(MustPrice("1", DKK)); !errors.Is(err, ErrInvalidRate) {
		t.Error(err)
	}
	_, err = r.ConvertMoney(MustMoney("1", DKK))
	if !errors.Is(err, ErrCurrencyMismatch) {
		t.Error(err)
	}
	_, err = r.ConvertPrice(MustPrice("1", SEK))
	if !errors.Is(err, ErrCurrencyMismatch) {
		t.Error(err)
	}
	badRate := ExchangeRate{From: EUR, To: DKK}
	_, err = badRate.ConvertMoney(MustMoney("1", EUR))
	wantErr(t, err, ErrInvalidRate, "rate")
	_, err = badRate.ConvertPrice(MustPrice("1", EUR))
	wantErr(t, err, ErrInvalidRate, "rate")

	for _, tt := range []struct {
		r     ExchangeRate
		kind  error
		field string
	}{
		{ExchangeRate{From: "EU", To: DKK, Rate: d("1")}, ErrInvalidCurrency, "from.currency"},
		{ExchangeRate{From: EUR, To: "", Rate: d("1")}, ErrInvalidCurrency, "to.currency"},
		{ExchangeRate{From: EUR, To: DKK, Rate: d("0")}, ErrInvalidRate, "rate"},
		{ExchangeRate{From: EUR, To: DKK, Rate: d("-7.46")}, ErrInvalidRate, "rate"},
		{ExchangeRate{From: EUR, To: DKK, Rate: d("7.46040000001")}, ErrInvalidRate, "rate"},
		{ExchangeRate{From: DKK, To: DKK, Rate: d("1.1")}, ErrInvalidRate, "rate"},
	} {
		_, err := NewExchangeRate(tt.r.From, tt.r.To, tt.r.Rate)
		wantErr(t, err, tt.kind, tt.field)
	}
	id := Identity(DKK)
	m, err := id.ConvertMoney(MustMoney("1.23", DKK))
	mustNoErr(t, err)
	if m.String() != "1.23 DKK" {
		t.Error(m)
	}
}

func TestRateTable(t *testing.T) {
	eur, _ := NewExchangeRate(EUR, DKK, d("7.4604"))
	sek, _ := NewExchangeRate(SEK, DKK, d("0.6512"))
	tab, err := NewRateTable(DKK, eur, sek)
	mustNoErr(t, err)
	if tab.To() != DKK {
		t.Error(tab.To())
	}
	r, err := tab.Lookup(EUR)
	mustNoErr(t, err)
	if r != eur {
		t.Error(r)
	}
	r, err = tab.Lookup(DKK)
	mustNoErr(t, err)
	if !r.Rate.Equal(d("1")) || r.From != DKK {
		t.Error(r)
	}
	_, err = tab.Lookup(NOK)
	wantErr(t, err, ErrInvalidRate, "rates.NOK")

	_, err = NewRateTable(DKK, eur, eur)
	wantErr(t, err, ErrInvalidInput, "[1].from")
	usdEur, _ := NewExchangeRate(USD, EUR, d("0.92"))
	_, err = NewRateTable(DKK, usdEur)
	wantErr(t, err, ErrInvalidRate, "[0].to")
	_, err = NewRateTable(DKK, ExchangeRate{From: EUR, To: DKK})
	wantErr(t, err, ErrInvalidRate, "[0].rate")
	_, err = NewRateTable("")
	wantErr(t, err, ErrInvalidCurrency, "currency")
}

func badRateOf(c Currency) ExchangeRate { return ExchangeRate{From: c, To: DKK} }

func TestRateTableConvertPrice(t *testing.T) {
	eur, _ := NewExchangeRate(EUR, DKK, d("7.4604"))
	sek, _ := NewExchangeRate(SEK, DKK, d("0.65"))
	tab, err := NewRateTable(DKK, eur, sek)
	mustNoErr(t, err)
	for _, tt := range []struct {
		in   Price
		to   Currency
		want string
	}{
		{MustPrice("2", DKK), DKK, "2.00 DKK"},
		{MustPrice("2", EUR), DKK, "14.9208 DKK"},
		{MustPrice("14.9208", DKK), EUR, "2.00 EUR"},
		{MustPrice("1", EUR), SEK, "11.477538 SEK"}, // 7.4604 / 0.65 = 11.4775384...
	} {
		got, err := tab.ConvertPrice(tt.in, tt.to)
		mustNoErr(t, err)
		if got.String() != tt.want {
			t.Errorf("%s in %s = %s, want %s", tt.in, tt.to, got, tt.want)
		}
	}
	if _, err := tab.ConvertPrice(MustPrice("1", DKK), NOK); !errors.Is(err, ErrInvalidRate) {
		t.Errorf("no NOK rate: %v", err)
	}
	if _, err := tab.ConvertPrice(MustPrice("1", NOK), DKK); !errors.Is(err, ErrInvalidRate) {
		t.Errorf("no NOK rate: %v", err)
	}
}

// Converting between two foreign currencies rounds once, at the end: not
// to DKK first and then again.
func TestRateTableConvertPriceRoundsOnce(t *testing.T) {
	eur, _ := NewExchangeRate(EUR, DKK, d("7.4604"))
	sek, _ := NewExchangeRate(SEK, DKK, d("0.6853"))
	tab, err := NewRateTable(DKK, eur, sek)
	mustNoErr(t, err)
	// 0.000123 EUR = 0.0009176292 DKK (0.000918 rounded) = 0.00133902... SEK
	// exactly, but 0.000918 / 0.6853 = 0.00133955... through a rounded DKK.
	got, err := tab.ConvertPrice(MustPrice("0.000123", EUR), SEK)
	mustNoErr(t, err)
	if got.String() != "0.001339 SEK" {
		t.Errorf("0.000123 EUR in SEK = %s, want 0.001339 SEK", got)
	}
}

func TestRateTableMedianListPrice(t *testing.T) {
	eur, _ := NewExchangeRate(EUR, DKK, d("7.5"))
	sek, _ := NewExchangeRate(SEK, DKK, d("0.6853"))
	tab, err := NewRateTable(DKK, eur, sek)
	mustNoErr(t, err)
	for _, tt := range []struct {
		name   string
		prices []Price
		to     Currency
		want   string
	}{
		// One currency: exactly MedianListPrice.
		{"odd, one currency", []Price{MustPrice("0.50", DKK), MustPrice("0.45", DKK), MustPrice("0.47", DKK)}, DKK, "0.47 DKK"},
		{"even, one currency", []Price{MustPrice("0.000001", DKK), MustPrice("0.000002", DKK)}, DKK, "0.000002 DKK"}, // 0.0000015 half away
		// Ranked by value in DKK: 0.375 (EUR), 0.45, 0.50; the median in EUR is 0.45 / 7.5.
		{"odd, foreign median", []Price{MustPrice("0.45", DKK), MustPrice("0.50", DKK), MustPrice("0.05", EUR)}, EUR, "0.06 EUR"},
		// 0.658 SEK = 0.4509274 DKK is the median: it stays 0.658 SEK, where
		// through a rounded DKK price (0.450927 / 0.6853) it would come back
		// as 0.657999.
		{"odd, median in the target currency", []Price{MustPrice("0.45", DKK), MustPrice("0.50", DKK), MustPrice("0.658", SEK)}, SEK, "0.658 SEK"},
		// (0.45 + 0.4509274) / 2 DKK = 0.9009274 / 1.3706 SEK = 0.6573233620...
		// (through rounded DKK prices: 0.450464 / 0.6853 = 0.657324).
		{"even, mixed", []Price{MustPrice("0.45", DKK), MustPrice("0.50", DKK), MustPrice("0.05", EUR), MustPrice("0.658", SEK)}, SEK, "0.657323 SEK"},
		{"even, mixed, into the table's currency", []Price{MustPrice("0.45", DKK), MustPrice("0.50", DKK), MustPrice("0.05", EUR), MustPrice("0.658", SEK)}, DKK, "0.450464 DKK"},
	} {
		b, err := tab.MedianListPrice(tt.prices, tt.to)
		mustNoErr(t, err)
		if b.Price.String() != tt.want || b.Method != BaselineMedianListPrice || b.Inputs != len(tt.prices) {
			t.Errorf("%s: %+v, want %s", tt.name, b, tt.want)
		}
		if one, err := MedianListPrice(tt.prices); err == nil && tt.to == tt.prices[0].Currency() && !one.Price.Equal(b.Price) {
			t.Errorf("%s: %s, MedianListPrice says %s", tt.name, b.Price, one.Price)
		}
	}
	_, err = tab.MedianListPrice(nil, DKK)
	wantErr(t, err, ErrInvalidInput, "prices")
	_, err = tab.MedianListPrice([]Price{MustPrice("1", DKK), MustPrice("1", NOK)}, DKK)
	wantErr(t, err, ErrInvalidRate, "prices[1].rates.NOK")
	_, err = tab.MedianListPrice([]Price{MustPrice("1", DKK)}, NOK)
	wantErr(t, err, ErrInvalidRate, "rates.NOK")
}
