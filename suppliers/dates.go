package suppliers

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseDate reads a calendar date: ISO "2027-01-31", or the Danish
// spreadsheet forms "31-01-2027" and "31.01.2027" (day first; one-digit day
// and month allowed). The two are told apart by where the four-digit year
// is, so no date is ambiguous. Slashes are refused: "01/02/2027" means
// different days in Denmark and the US.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("date is missing")
	}
	if strings.IndexByte(s, '/') >= 0 {
		return time.Time{}, fmt.Errorf("%q: write dates as 2027-01-31 or 31-01-2027 (slashes are ambiguous between day-first and month-first)", s)
	}
	sep := "-"
	if strings.IndexByte(s, '.') >= 0 {
		sep = "."
	}
	parts := strings.Split(s, sep)
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("%q is not a date (write 2027-01-31 or 31-01-2027)", s)
	}
	var y, m, d string
	switch {
	case len(parts[0]) == 4 && sep == "-" && len(parts[1]) == 2 && len(parts[2]) == 2:
		y, m, d = parts[0], parts[1], parts[2]
	case len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2:
		d, m, y = parts[0], parts[1], parts[2]
	default:
		return time.Time{}, fmt.Errorf("%q is not a date (write 2027-01-31 or 31-01-2027)", s)
	}
	return makeDate(s, y, m, d)
}

// parseISODate reads an xs:date as UBL writes it: "2027-01-31", with an
// optional time-zone suffix ("Z", "+01:00") that is ignored, since a
// validity date is a calendar day.
func parseISODate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("date is missing")
	}
	if len(s) > 10 {
		tz := s[10:]
		if !(tz == "Z" || (len(tz) == 6 && (tz[0] == '+' || tz[0] == '-') && tz[3] == ':')) {
			return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
		}
		s = s[:10]
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return makeDate(s, s[:4], s[5:7], s[8:])
}

func makeDate(orig, ys, ms, ds string) (time.Time, error) {
	y, e1 := atoiDigits(ys)
	m, e2 := atoiDigits(ms)
	d, e3 := atoiDigits(ds)
	if e1 != nil || e2 != nil || e3 != nil || y < 1000 {
		return time.Time{}, fmt.Errorf("%q is not a date", orig)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, fmt.Errorf("%q is not a calendar date", orig)
	}
	return t, nil
}

func atoiDigits(s string) (int, error) {
	if s == "" {
		return 0, strconv.ErrSyntax
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.Atoi(s)
}

// fmtDate writes a date for messages.
func fmtDate(t time.Time) string { return t.Format("2006-01-02") }
