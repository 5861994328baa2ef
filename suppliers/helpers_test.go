package suppliers

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// result is everything one Parse call produced.
type result struct {
	doc   Document
	rep   Report
	lines []Line
	err   error
}

func parse(t *testing.T, r io.Reader, contentType string) result {
	t.Helper()
	var res result
	res.doc, res.rep, res.err = Parse(r, contentType, Options{}, func(l Line) error {
		res.lines = append(res.lines, l)
		return nil
	})
	return res
}

func parseString(t *testing.T, body, contentType string) result {
	t.Helper()
	return parse(t, strings.NewReader(body), contentType)
}

// keys renders problems as "severity line field", the shape tests assert.
func keys(rep Report) []string {
	out := make([]string, len(rep.Problems))
	for i, p := range rep.Problems {
		out[i] = fmt.Sprintf("%s %d %s", p.Severity, p.Line, p.Field)
	}
	return out
}

// assertProblems checks that the report holds exactly want (any order),
// each "severity line field", and that its counts agree.
func assertProblems(t *testing.T, rep Report, want ...string) {
	t.Helper()
	got := keys(rep)
	slices.Sort(got)
	w := slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Errorf("problems:\n got %q\nwant %q", got, w)
		for _, p := range rep.Problems {
			t.Log(p)
		}
	}
	errs, warns := 0, 0
	for _, p := range rep.Problems {
		if p.Severity == SeverityError {
			errs++
		} else {
			warns++
		}
	}
	if rep.Omitted == 0 && (errs != rep.Errors || warns != rep.Warnings) {
		t.Errorf("counts: %d errors %d warnings stored, report says %d and %d", errs, warns, rep.Errors, rep.Warnings)
	}
}

// findProblem returns the first problem whose Rule, or else Message, contains s.
func findProblem(rep Report, s string) (Problem, bool) {
	for _, p := range rep.Problems {
		if p.Rule == s || strings.Contains(p.Message, s) {
			return p, true
		}
	}
	return Problem{}, false
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// lineBySKU returns the line with sku and min qty.
func lineBySKU(t *testing.T, lines []Line, sku string, minQty int64) Line {
	t.Helper()
	for _, l := range lines {
		if l.SKU == sku && l.MinQty == minQty {
			return l
		}
	}
	t.Fatalf("no line %s x %d among %d lines", sku, minQty, len(lines))
	return Line{}
}

// wantLine compares the fields tests care about.
type wantLine struct {
	SKU, Name, GTIN                 string
	PackUnit, PackContent, BaseUnit string
	PackPrice, Currency             string
	MinQty                          int64
	ValidFrom, ValidTo              string
}

func checkLine(t *testing.T, l Line, w wantLine) {
	t.Helper()
	if l.SKU != w.SKU || (w.Name != "" && l.Name != w.Name) || l.GTIN != w.GTIN ||
		l.PackUnit != w.PackUnit || !l.PackContent.Equal(dec(w.PackContent)) || l.BaseUnit != w.BaseUnit ||
		!l.PackPrice.Equal(dec(w.PackPrice)) || l.Currency != w.Currency || l.MinQty != w.MinQty {
		t.Errorf("line %s:\n got %s %q %s %s x %s %s %s %s min %d\nwant %+v", w.SKU,
			l.SKU, l.Name, l.GTIN, l.PackUnit, l.PackContent, l.BaseUnit, l.PackPrice, l.Currency, l.MinQty, w)
	}
	if w.ValidFrom != "" && !l.ValidFrom.Equal(date(w.ValidFrom)) {
		t.Errorf("line %s: valid from %s, want %s", w.SKU, l.ValidFrom, w.ValidFrom)
	}
	if w.ValidTo != "" && !l.ValidTo.Equal(date(w.ValidTo)) {
		t.Errorf("line %s: valid to %s, want %s", w.SKU, l.ValidTo, w.ValidTo)
	}
}
