package web

import (
	"fmt"
	"strings"
	"testing"
)

// problemScanDirs are the packages whose problems are required in Danish
// (see scanProblemFormats).
var problemScanDirs = []string{"../domain", "."}

// passThrough are formats that only pass on a message made elsewhere
// (p.Add(field, "%s", e.Message)): the message itself is matched.
var passThrough = map[string]bool{"%s": true, "%v": true}

// notShown are formats that never reach a page, with why.
var notShown = map[string]string{
	" not found": "domain/product.go: notFoundOr(err, \"\") only to ask ErrorCode whether the row is missing",
}

// forwarded are the sites whose message is not a literal, each with why
// it needs no entry of its own: it forwards a message made, and
// collected, elsewhere, or it is where a page translates one.
var forwarded = map[string]string{
	"domain/cart.go l": "CartService.Add(ctx, l): an order line, not a message (the callee name Add)",
	"web/shop.go in":   "carts.Add(ctx, in): an order line, not a message",
	"domain/errors.go fmt.Sprintf(format, args...)":       "Errorf and Problems.Add themselves: their callers' formats are collected",
	"domain/pricelist_checks.go msg":                      "SKUChecks.add's parameter: its callers' formats are collected",
	"domain/sqlerr.go entity":                             "notFoundOr(err, entity): NotFound of its callers' entities, collected as notFoundOr",
	"web/staff_tenders.go msg":                            "tenderFormData.problem's parameter, translated there; its callers' formats are collected",
	"web/staff_tenders.go f.Message":                      "a domain field message handed to problem or translated for the award form",
	"web/supplier_bidcsv.go fe.Message":                   "a domain field message given a CSV line and column as its field; shown through Localizer.Problem",
	"web/staff_surplus.go surplusMessage(d.L, f.Message)": "the surplus form's own words for some domain messages, else Localizer.Problem",
}

func siteKey(s problemSite) string {
	file := s.Pos[:strings.LastIndexByte(s.Pos, ':')]
	file = strings.TrimPrefix(file, "./")
	if !strings.Contains(file, "/") || strings.HasPrefix(file, "web/") {
		file = "web/" + strings.TrimPrefix(file, "web/")
	}
	return file + " " + s.Expr
}

// TestProblemsCatalogueComplete: every problem message format of domain
// and web has a Danish entry, and each one read back through Problem
// gives the Danish text with the same values.
func TestProblemsCatalogueComplete(t *testing.T) {
	sites := scanProblemFormats(t, problemScanDirs...)
	if len(sites) < 200 {
		t.Fatalf("found only %d problem sites: the scan lost its way", len(sites))
	}
	formats := map[string]string{} // format -> first site
	used := map[string]bool{}
	for _, s := range sites {
		if s.Format == "" {
			used[siteKey(s)] = true
			if _, ok := forwarded[siteKey(s)]; !ok {
				t.Errorf("%s: the message %s is not a literal: collect its formats or justify it in forwarded (key %q)", s.Pos, s.Expr, siteKey(s))
			}
			continue
		}
		if _, ok := formats[s.Format]; !ok {
			formats[s.Format] = s.Pos
		}
	}
	for k := range forwarded {
		if !used[k] {
			t.Errorf("forwarded lists %q, which the scan no longer finds: remove it", k)
		}
	}
	for f, pos := range formats {
		if _, ok := notShown[f]; passThrough[f] || ok {
			continue
		}
		if _, ok := problemsDA[f]; !ok {
			t.Errorf("%s: no Danish for %q", pos, f)
		}
	}
	da := localizers()[danish]
	en := localizers()[english]
	for f := range formats {
		dafmt, ok := problemsDA[f]
		if !ok {
			continue
		}
		args := sampleArgs(f)
		msg := fmt.Sprintf(f, args...)
		if got := en.Problem(msg); got != msg {
			t.Errorf("English changed %q to %q", msg, got)
		}
		want := sprintfIndexed(dafmt, f, args)
		if got := da.Problem(msg); got != want {
			t.Errorf("%q:\n got %q\nwant %q", msg, got, want)
		}
	}
}

// sampleArgs gives each verb of format a distinct value of its kind.
func sampleArgs(format string) []any {
	var args []any
	for i, m := range verbRE.FindAllStringSubmatch(format, -1) {
		switch m[2] {
		case "":
			continue // %%
		case "d":
			args = append(args, 40+i)
		case "q":
			args = append(args, fmt.Sprintf("v%d x", i))
		default:
			args = append(args, fmt.Sprintf("V%d", i))
		}
	}
	return args
}

// sprintfIndexed writes the Danish format with the English format's
// arguments, each written as the English verb wrote it.
func sprintfIndexed(dafmt, enfmt string, args []any) string {
	var written []string
	i := 0
	for _, m := range verbRE.FindAllStringSubmatch(enfmt, -1) {
		if m[0] == "%%" {
			continue
		}
		written = append(written, fmt.Sprintf(m[0], args[i]))
		i++
	}
	var b strings.Builder
	last, next := 0, 0
	for _, m := range verbRE.FindAllStringSubmatchIndex(dafmt, -1) {
		b.WriteString(dafmt[last:m[0]])
		last = m[1]
		if dafmt[m[0]:m[1]] == "%%" {
			b.WriteString("%")
			continue
		}
		if m[2] >= 0 {
			fmt.Sscan(dafmt[m[2]:m[3]], &next)
			next--
		}
		b.WriteString(written[next])
		next++
	}
	b.WriteString(dafmt[last:])
	return b.String()
}

// TestProblemUnknownAndNested: an unknown message is shown as it is; a
// known message inside another is translated too; English is unchanged.
func TestProblemUnknownAndNested(t *testing.T) {
	da, en := localizers()[danish], localizers()[english]
	for _, c := range []struct{ in, da string }{
		{"something nobody wrote a format for", "something nobody wrote a format for"},
		{"", ""},
		{"is required", "skal udfyldes"},
		{"tender not found", "udbuddet findes ikke"},
		{"widget not found", "widget findes ikke"},
		{"savings cannot be computed: the pack cannot be measured in the product's unit: x", "besparelsen kan ikke beregnes: pakningen kan ikke måles i produktets enhed: x"},
		{"an order that is delivered cannot become shipped", "en ordre med status delivered kan ikke få status shipped"},
		{`"12,x" is not a number`, `"12,x" er ikke et tal`},
	} {
		if got := da.Problem(c.in); got != c.da {
			t.Errorf("Danish %q = %q, want %q", c.in, got, c.da)
		}
		if got := en.Problem(c.in); got != c.in {
			t.Errorf("English %q = %q", c.in, got)
		}
	}
}
