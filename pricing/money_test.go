package pricing

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestCurrency(t *testing.T) {
	for _, c := range []string{"DKK", "EUR", "SEK", "NOK", "USD", "GBP", "JPY", "KWD"} {
		if _, err := ParseCurrency(c); err != nil {
			t.Errorf("ParseCurrency(%q): %v", c, err)
		}
	}
	for _, c := range []string{"", "dkk", "DK", "DKKK", " DKK", "XAU", "XXX", "ABC"} {
		_, err := ParseCurrency(c)
		wantErr(t, err, ErrInvalidCurrency, "currency")
	}
	cases := map[Currency]int32{DKK: 2, EUR: 2, "JPY": 0, "KWD": 3, "CLF": 4, "nope": 2}
	for c, want := range cases {
		if got := c.MinorUnits(); got != want {
			t.Errorf("%s.MinorUnits() = %d, want %d", c, got, want)
		}
	}
	if DKK.String() != "DKK" {
		t.Error(DKK.String())
	}
	for c, n := range minorUnits {
		if len(c) != 3 || strings.ToUpper(string(c)) != string(c) || n < 0 || n > 4 {
			t.Errorf("bad table entry %q: %d", c, n)
		}
	}
}

func TestNewMoney(t *testing.T) {
	tests := []struct {
		amount string
		cur    Currency
		want   string
		kind   error
	}{
		{"1234.5", DKK, "1234.50 DKK", nil},
		{"1234.50", DKK, "1234.50 DKK", nil},
		{"1234.500000", DKK, "1234.50 DKK", nil}, // trailing zeros are not decimals
		{"-0.01", DKK, "-0.01 DKK", nil},
		{"0", EUR, "0.00 EUR", nil},
		{"1e3", DKK, "1000.00 DKK", nil},
		{"12.345", DKK, "", ErrInvalidAmount},
		{"12.5", "JPY", "", ErrInvalidAmount},
		{"12", "JPY", "12 JPY", nil},
		{"1.234", "KWD", "1.234 KWD", nil},
		{"1", "dkk", "", ErrInvalidCurrency},
	}
	for _, tt := range tests {
		m, err := NewMoney(d(tt.amount), tt.cur)
		if tt.kind != nil {
			wantErr(t, err, tt.kind, "")
			continue
		}
		mustNoErr(t, err)
		if m.String() != tt.want {
			t.Errorf("NewMoney(%s, %s) = %s, want %s", tt.amount, tt.cur, m, tt.want)
		}
	}
}

func TestRoundMoney(t *testing.T) {
	// Half away from zero at the minor unit.
	tests := []struct{ in, want string }{
		{"12.345", "12.35"},
		{"12.344999", "12.34"},
		{"-12.345", "-12.35"},
		{"-12.344", "-12.34"},
		{"0.005", "0.01"},
		{"-0.005", "-0.01"},
		{"0.0049999999", "0.00"},
		{"2.675", "2.68"}, // the classic float trap: 2.675 is 2.67499999... as a float64
		{"1.005", "1.01"},
		{"999999999999999.995", "1000000000000000.00"},
	}
	for _, tt := range tests {
		m, err := RoundMoney(d(tt.in), DKK)
		mustNoErr(t, err)
		if m.AmountString() != tt.want {
			t.Errorf("RoundMoney(%s) = %s, want %s", tt.in, m.AmountString(), tt.want)
		}
	}
	_, err := RoundMoney(d("1"), "")
	wantErr(t, err, ErrInvalidCurrency, "currency")
	m, _ := RoundMoney(d("2.5"), "JPY")
	if m.AmountString() != "3" {
		t.Error(m)
	}
}

func TestMoneyArithmetic(t *testing.T) {
	a := MustMoney("100.10", DKK)
	b := MustMoney("0.25", DKK)
	e := MustMoney("1.00", EUR)

	sum, err := a.Add(b)
	mustNoErr(t, err)
	if sum.String() != "100.35 DKK" {
		t.Error(sum)
	}
	diff, err := b.Sub(a)
	mustNoErr(t, err)
	if diff.String() != "-99.85 DKK" || !diff.IsNegative() || diff.Sign() != -1 {
		t.Error(diff)
	}
	if diff.Abs().String() != "99.85 DKK" || diff.Neg().String() != "99.85 DKK" {
		t.Error(diff.Abs(), diff.Neg())
	}
	if _, err := a.Add(e); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("Add across currencies: %v", err)
	}
	if _, err := a.Sub(e); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("Sub across currencies: %v", err)
	}
	if _, err := a.Cmp(e); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("Cmp across currencies: %v", err)
	}
	if _, err := (Money{}).Add(Money{}); !errors.Is(err, ErrInvalidCurrency) {
		t.Errorf("zero Money Add: %v", err)
	}
	if c, err := a.Cmp(b); err != nil || c != 1 {
		t.Error(c, err)
	}
	if !a.Equal(MustMoney("100.1", DKK)) || a.Equal(b) || MustMoney("1", DKK).Equal(e) {
		t.Error("Equal")
	}
	if !ZeroMoney(DKK).IsZero() || ZeroMoney(DKK).String() != "0.00 DKK" || a.IsZero() || !a.IsPositive() {
		t.Error("zero")
	}
	if a.Amount().String() != "100.1" || a.Currency() != DKK {
		t.Error(a.Amount(), a.Currency())
	}

	r, err := MustMoney("1000.00", DKK).MulRound(d("0.035"))
	mustNoErr(t, err)
	if r.String() != "35.00 DKK" {
		t.Error(r)
	}
	r, _ = MustMoney("0.10", DKK).MulRound(d("0.05")) // 0.005 -> 0.01
	if r.String() != "0.01 DKK" {
		t.Error(r)
	}
	if _, err := (Money{}).MulRound(d("1")); !errors.Is(err, ErrInvalidCurrency) {
		t.Error(err)
	}

	s, err := SumMoney(DKK, a, b, b)
	mustNoErr(t, err)
	if s.String() != "100.60 DKK" {
		t.Error(s)
	}
	s, err = SumMoney(DKK)
	mustNoErr(t, err)
	if s.String() != "0.00 DKK" {
		t.Error(s)
	}
	_, err = SumMoney(DKK, a, e)
	wantErr(t, err, ErrCurrencyMismatch, "[1].currency")
	_, err = SumMoney("", a)
	wantErr(t, err, ErrInvalidCurrency, "")
}

func TestMustMoneyPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustMoney did not panic")
		}
	}()
	MustMoney("1,5", DKK)
}

func TestMustPricePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustPrice did not panic")
		}
	}()
	MustPrice("-1", DKK)
}

func TestMoneyJSON(t *testing.T) {
	type line struct {
		Total Money `json:"total"`
		Unit  Price `json:"unit"`
	}
	in := line{Total: MustMoney("1234.5", DKK), Unit: MustPrice("0.123456", EUR)}
	b, err := json.Marshal(in)
	mustNoErr(t, err)
	const want = `{"total":{"amount":"1234.50","currency":"DKK"},"unit":{"amount":"0.123456","currency":"EUR"}}`
	if string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
	var out line
	mustNoErr(t, json.Unmarshal(b, &out))
	if !out.Total.Equal(in.Total) || !out.Unit.Equal(in.Unit) {
		t.Errorf("round trip: %+v", out)
	}

	bad := []struct {
		json string
		kind error
	}{
		{`{"amount":1234.5,"currency":"DKK"}`, ErrInvalidAmount},
		{`{"currency":"DKK"}`, ErrInvalidAmount},
		{`{"amount":null,"currency":"DKK"}`, ErrInvalidAmount},
		{`{"amount":"1234.555","currency":"DKK"}`, ErrInvalidAmount},
		{`{"amount":"1.234,50","currency":"DKK"}`, ErrInvalidAmount},
		{`{"amount":"1","currency":"dkk"}`, ErrInvalidCurrency},
		{`{"amount":"1"}`, ErrInvalidCurrency},
		{`"1234.50"`, ErrInvalidInput},
		{`[]`, ErrInvalidInput},
	}
	for _, tt := range bad {
		var m Money
		if err := json.Unmarshal([]byte(tt.json), &m); !errors.Is(err, tt.kind) {
			t.Errorf("Money %s: got %v, want %v", tt.json, err, tt.kind)
		}
	}
	var p Price
	if err := json.Unmarshal([]byte(`{"amount":"-1","currency":"DKK"}`), &p); !errors.Is(err, ErrInvalidAmount) {
		t.Errorf("negative price: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"amount":"0.1234567","currency":"DKK"}`), &p); !errors.Is(err, ErrInvalidAmount) {
		t.Errorf("7 decimals: %v", err)
	}
	if err := json.Unmarshal([]byte(`{}`), &p); !errors.Is(err, ErrInvalidAmount) {
		t.Errorf("empty price: %v", err)
	}
	// The zero value (no currency) is JSON null, both ways.
	b, err = json.Marshal(line{})
	mustNoErr(t, err)
	if string(b) != `{"total":null,"unit":null}` {
		t.Errorf("zero values: %s", b)
	}
	var z line
	mustNoErr(t, json.Unmarshal(b, &z))
	if z.Total.Currency() != "" || z.Unit.Currency() != "" {
		t.Errorf("null: %+v", z)
	}
	if _, err := json.Marshal(Money{currency: "XYZ"}); !errors.Is(err, ErrInvalidCurrency) {
		t.Errorf("marshal bad Money: %v", err)
	}
	if _, err := json.Marshal(Price{currency: "XYZ"}); !errors.Is(err, ErrInvalidCurrency) {
		t.Errorf("marshal bad Price: %v", err)
	}
}

func TestPrice(t *testing.T) {
	tests := []struct {
		amount string
		want   string
		kind   error
	}{
		{"45", "45.00 DKK", nil},
		{"0.45", "0.45 DKK", nil},
		{"0.4500", "0.45 DKK", nil},
		{"0.123456", "0.123456 DKK", nil},
		{"0.1234560", "0.123456 DKK", nil},
		{"0.1234567", "", ErrInvalidAmount},
		{"-0.01", "", ErrInvalidAmount},
		{"0", "0.00 DKK", nil},
	}
	for _, tt := range tests {
		p, err := NewPrice(d(tt.amount), DKK)
		if tt.kind != nil {
			wantErr(t, err, tt.kind, "amount")
			continue
		}
		mustNoErr(t, err)
		if p.String() != tt.want {
			t.Errorf("NewPrice(%s) = %s, want %s", tt.amount, p, tt.want)
		}
	}
	p, err := RoundPrice(d("0.1234565"), DKK)
	mustNoErr(t, err)
	if p.AmountString() != "0.123457" || p.Format(LocaleDanish) != "0,123457" {
		t.Error(p.AmountString(), p.Format(LocaleDanish))
	}
	_, err = NewPrice(d("1"), "")
	wantErr(t, err, ErrInvalidCurrency, "currency")
	if !MustPrice("0", DKK).IsZero() || MustPrice("1", DKK).Amount().String() != "1" || MustPrice("1", EUR).Currency() != EUR {
		t.Error("accessors")
	}
	if c, err := MustPrice("1", DKK).Cmp(MustPrice("1.000001", DKK)); err != nil || c != -1 {
		t.Error(c, err)
	}
	if _, err := MustPrice("1", DKK).Cmp(MustPrice("1", EUR)); !errors.Is(err, ErrCurrencyMismatch) {
		t.Error(err)
	}
	if jp := MustPrice("12.5", "JPY"); jp.AmountString() != "12.5" {
		t.Error(jp.AmountString())
	}
}

func TestPriceTotal(t *testing.T) {
	// The line total is the exact product rounded once, half away from zero.
	tests := []struct{ price, qty, want string }{
		{"0.45", "100", "45.00"},
		{"0.333333", "3", "1.00"}, // 0.999999
		{"0.125", "1", "0.13"},    // half away from zero
		{"0.124999", "1", "0.12"},
		{"19.995", "1", "20.00"},
		{"0.000001", "4999", "0.00"}, // 0.004999
		{"0.000001", "5000", "0.01"}, // 0.005
		{"12.50", "0", "0.00"},
		{"2.675", "1", "2.68"},
		{"1.1", "2.5", "2.75"},
	}
	for _, tt := range tests {
		m, err := MustPrice(tt.price, DKK).Total(d(tt.qty))
		mustNoErr(t, err)
		if m.AmountString() != tt.want {
			t.Errorf("%s x %s = %s, want %s", tt.price, tt.qty, m.AmountString(), tt.want)
		}
	}
	_, err := MustPrice("1", DKK).Total(d("-1"))
	wantErr(t, err, ErrInvalidQuantity, "quantity")
	_, err = Price{}.Total(d("1"))
	wantErr(t, err, ErrInvalidCurrency, "")
}

func TestErrors(t *testing.T) {
	e := newErr(ErrInvalidAmount, "amount", "bad")
	if e.Error() != "amount: bad" || newErr(ErrInvalidAmount, "", "bad").Error() != "bad" {
		t.Error(e.Error())
	}
	es := Errors{e, newErr(ErrInvalidTiers, "tiers[1]", "worse")}
	if es.Error() != "amount: bad; tiers[1]: worse" {
		t.Error(es.Error())
	}
	if !errors.Is(es, ErrInvalidTiers) || !errors.Is(es, ErrInvalidAmount) || errors.Is(es, ErrInvalidRate) {
		t.Error("errors.Is on Errors")
	}
	if len(FieldErrors(es)) != 2 || len(FieldErrors(e)) != 1 || FieldErrors(errors.New("x")) != nil || FieldErrors(nil) != nil {
		t.Error("FieldErrors")
	}
	p := prefixField("bids[2]", es).(Errors)
	if p[0].Field != "bids[2].amount" || p[1].Field != "bids[2].tiers[1]" {
		t.Error(p)
	}
	if got := prefixField("x", newErr(ErrInvalidInput, "", "m")).(*Error).Field; got != "x" {
		t.Error(got)
	}
	if got := prefixField("x", newErr(ErrInvalidInput, "[3]", "m")).(*Error).Field; got != "x[3]" {
		t.Error(got)
	}
	other := errors.New("other")
	if prefixField("x", other) != other || prefixField("x", nil) != nil || prefixField("", e) != e {
		t.Error("prefixField passthrough")
	}
}

func TestHasAtMostDecimals(t *testing.T) {
	tests := []struct {
		v      string
		places int32
		want   bool
	}{
		{"1.50", 1, true}, {"1.55", 1, false}, {"100", 0, true}, {"1e2", 0, true},
		{"0.0000010", 6, true}, {"0.0000011", 6, false}, {"-1.5", 0, false},
	}
	for _, tt := range tests {
		if got := hasAtMostDecimals(decimal.RequireFromString(tt.v), tt.places); got != tt.want {
			t.Errorf("hasAtMostDecimals(%s, %d) = %v", tt.v, tt.places, got)
		}
	}
}
