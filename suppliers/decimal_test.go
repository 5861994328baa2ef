package suppliers

import (
	"strings"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	for _, c := range []struct {
		in    string
		st    numberStyle
		want  string // "" for an error
		inMsg string // part of the error message
	}{
		{"45.00", stylePlain, "45", ""},
		{" 45.5 ", stylePlain, "45.5", ""},
		{"-1.25", stylePlain, "-1.25", ""},
		{"0.000001", stylePlain, "0.000001", ""},
		{"12345678901234567890.123456", stylePlain, "12345678901234567890.123456", ""},
		{"1,234.50", stylePlain, "", "plain format"},
		{"10,50", stylePlain, "", "plain format"},
		{"1e3", stylePlain, "", "unexpected character"},
		{".5", stylePlain, "", "no digit before"},
		{"5.", stylePlain, "", "no digit after"},
		{"+5", stylePlain, "", "'+'"},
		{"", stylePlain, "", "missing"},
		{"1 234", stylePlain, "", "space"},

		{"1.234,50", styleComma, "1234.5", ""},
		{"1234,50", styleComma, "1234.5", ""},
		{"1.234", styleComma, "1234", ""},
		{"1.234.567", styleComma, "1234567", ""},
		{"0,5", styleComma, "0.5", ""},
		{"1.50", styleComma, "", "ambiguous"},
		{"12.5", styleComma, "", "ambiguous"},
		{"1,2,3", styleComma, "", "more than one decimal separator"},
		{"1.234,5.0", styleComma, "", "after the decimal separator"},

		{"12,50", styleEither, "12.5", ""},
		{"12.50", styleEither, "12.5", ""},
		{"1.234,50", styleEither, "1234.5", ""},
		{"1234", styleEither, "1234", ""},
		{"1.234", styleEither, "", "ambiguous"},
		{"abc", styleEither, "", "unexpected character"},

		{"+5", styleXML, "5", ""},
		{".5", styleXML, "0.5", ""},
		{"-.5", styleXML, "-0.5", ""},
		{"5.", styleXML, "5", ""},
		{"20.0000", styleXML, "20", ""},
		{"1,5", styleXML, "", "xs:decimal"},
		{"1e5", styleXML, "", "xs:decimal"},
		{".", styleXML, "", "xs:decimal"},
		{"1.2.3", styleXML, "", "xs:decimal"},
		{strings.Repeat("9", 41), styleXML, "", "digits"},
	} {
		got, err := parseDecimal(c.in, c.st)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%q (style %d): want an error, got %s", c.in, c.st, got)
		case c.want == "":
			if !strings.Contains(err.Error(), c.inMsg) {
				t.Errorf("%q (style %d): error %q does not mention %q", c.in, c.st, err, c.inMsg)
			}
		case err != nil:
			t.Errorf("%q (style %d): %v", c.in, c.st, err)
		case !got.Equal(dec(c.want)):
			t.Errorf("%q (style %d) = %s, want %s", c.in, c.st, got, c.want)
		}
	}
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "10": 10, "10.0": 10, "0": 0, "-3": -3} {
		if got, err := parseCount(in, stylePlain); err != nil || got != want {
			t.Errorf("%q = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"2.5", "x", "10000000000"} {
		if _, err := parseCount(in, stylePlain); err == nil {
			t.Errorf("%q: want an error", in)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2027-01-31": "2027-01-31", "31-01-2027": "2027-01-31", "31.01.2027": "2027-01-31",
		"1-2-2027": "2027-02-01", " 2028-02-29 ": "2028-02-29",
	} {
		if got, err := parseDate(in); err != nil || !got.Equal(date(want)) {
			t.Errorf("%q = %s, %v", in, got, err)
		}
	}
	for _, in := range []string{"01/02/2027", "2027-02-30", "2027-1-5", "27-01-31", "31-13-2027", "2027.01.31", "tomorrow", "2027-01-31T00:00"} {
		if _, err := parseDate(in); err == nil {
			t.Errorf("%q: want an error", in)
		}
	}
	for in, want := range map[string]string{"2027-01-31": "2027-01-31", "2027-01-31Z": "2027-01-31", "2027-01-31+01:00": "2027-01-31"} {
		if got, err := parseISODate(in); err != nil || !got.Equal(date(want)) {
			t.Errorf("ISO %q = %s, %v", in, got, err)
		}
	}
	for _, in := range []string{"31-01-2027", "2027-01-31T10:00", "2027-02-29", ""} {
		if _, err := parseISODate(in); err == nil {
			t.Errorf("ISO %q: want an error", in)
		}
	}
}
