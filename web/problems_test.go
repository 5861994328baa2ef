package web

import (
	"os"

	"andel/suppliers"
	"fmt"
	"strings"
	"testing"
)

// problemScanDirs are the packages whose problems are required in Danish
// (see scanProblemFormats).
var problemScanDirs = []string{"../domain", "../suppliers", "../pricing", "."}

// passThrough are formats that only pass on a message made elsewhere
// (p.Add(field, "%s", e.Message)): the message itself is matched.
var passThrough = map[string]bool{"%s": true, "%v": true}

// extraFormats are messages the scan cannot see as literals (see
// forwarded), required all the same.
var extraFormats = []string{
	"the catalogue has no CustomizationID", "the catalogue has no ProfileID", "the catalogue has no IssueDate",
	"the catalogue has no identifier (cbc:ID)",
	"cannot convert %s (%s) to %s (%s)",
	"cannot convert %s (%s) to %s (%s); a pack converts only through its declared content",
	"cannot convert %s (%s) to %s (%s); a unit without a conversion factor compares only with itself",
	"; did you mean %s?", // pricing's suggest(), added to the unit messages (…code%s)
	"CSV syntax: %s (a field with a quote must be quoted itself, its quotes doubled: \"12\"\" tube\")",
	", the unit of its price's BaseQuantity",
}

// notShown are formats that never reach a page, with why.
var notShown = map[string]string{
	"da-DK": "pricing Locale.String, a name for logs", "en": "pricing Locale.String", "plain": "pricing Locale.String",
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
	"suppliers/importer.go p.Message":                     "a report's problem copied into the domain's PriceListProblem",
	"suppliers/textline.go fmt.Sprintf(format, args...)":  "the errf closures: their callers' formats are collected",
	"suppliers/validate.go fmt.Sprintf(format, args...)":  "the errf and warnf closures: their callers' formats are collected",
	"suppliers/ubl_rules.go fmt.Sprintf(format, args...)": "the errf closure: its callers' formats are collected",
	"suppliers/textline.go msg":                           "readUnit: a pricing unit error's message (pricing newErr, collected)",
	"suppliers/validate.go msg":                           "errorAt, warnAt and stop themselves: their callers' messages are collected",
	"suppliers/ubl_rules.go r.msg":                        "finishHeader's table of missing header elements: its messages are in extraFormats",
	"pricing/errors.go msg":                               "newErr itself: its callers' messages are collected",
	"pricing/errors.go e.Message":                         "prefixField copies an error with its field prefixed",
	"pricing/pack.go fmt.Sprintf(format, args...)":        "Pack.units' fail closure: its callers' formats are collected",
	"pricing/parse.go err.Error()":                        "ParseAmount passes on normalize's error, whose formats are collected (quotedErrorFiles)",
	"pricing/scoring.go msg":                              "evaluateBid's problem closure: its callers' messages are collected",
	"pricing/scoring.go fe.Message":                       "a pricing error's message, made by newErr (collected)",
	"pricing/units.go msg":                                "incompatible(): its three forms are in extraFormats",
	"web/staff_tenders.go msg":                            "tenderFormData.problem's parameter, translated there; its callers' formats are collected",
	"web/staff_tenders.go f.Message":                      "a domain field message handed to problem or translated for the award form",
	"web/supplier_bidcsv.go fe.Message":                   "a domain field message given a CSV line and column as its field; shown through Localizer.Problem",
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
	for _, f := range extraFormats {
		formats[f] = "extraFormats"
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
		case "c":
			args = append(args, rune('a'+i))
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

// TestProblemsOfBadPriceLists: every problem the price-list readers report
// for bad lists (CSV, JSON, PEPPOL XML) reads as Danish on a Danish page.
func TestProblemsOfBadPriceLists(t *testing.T) {
	xml, err := os.ReadFile("../suppliers/testdata/catalogue_bad.xml")
	if err != nil {
		t.Fatal(err)
	}
	bodies := []struct{ ctype, body string }{
		{"text/csv", "sku;name;gtin;unit;pack_content;base_unit;pack_price;currency;min_qty;valid_from;orderable;bogus\n" +
			"A1;Handsker;5701234567890;BX;100;EA;12,x;DKK;;2027-02-30;måske;x\n" +
			";Sprøjter;123;stk;-1;QQQ;-5;DKKX;0;31/01/2027;ja;\n" +
			"A3;Plaster;;XBX;1.5;C62;1.2.3;EUR;1;;;\n" +
			"A3;Plaster;;XBX;1.5;C62;4,50;EUR;1;;;\n" +
			"A4;" + strings.Repeat("n", 300) + ";;BX;10;MLT;0;DKK;;;;\n"},
		{"application/json", `{"currency": "DKK", "lines": [{"sku": "J1", "name": "X", "unit": "BX", "pack_content": "10", "base_unit": "EA", "pack_price": 12.5},` +
			`{"sku": "J2", "name": "Y", "unit": "kasse", "pack_content": "abc", "base_unit": "EA", "pack_price": "1,234.5", "tiers": [{"pack_price": "1"}], "extra": 1}, 7]}`},
		{"application/xml", string(xml)},
	}
	da := localizers()[danish]
	seen := 0
	for _, b := range bodies {
		_, rep, err := suppliers.Parse(strings.NewReader(b.body), b.ctype, suppliers.Options{}, func(suppliers.Line) error { return nil })
		if err != nil {
			t.Fatalf("%s: %v", b.ctype, err)
		}
		for _, p := range rep.Problems {
			seen++
			if got := da.Problem(p.Message); got == p.Message {
				t.Errorf("%s line %d: not in Danish: %q", b.ctype, p.Line, p.Message)
			}
		}
	}
	if seen < 20 {
		t.Errorf("only %d problems: the bad lists are not bad enough to test", seen)
	}
}

// BenchmarkProblem: a price list's report shows up to 1,000 problems.
func BenchmarkProblem(b *testing.B) {
	da := localizers()[danish]
	msgs := []string{
		`pack_price: "1.2.3" is ambiguous: in the Danish format '.' separates thousands and must be followed by exactly three digits (write 1,50 for one and a half, 1.500 for fifteen hundred)`,
		`GTIN "5701234567890" has a wrong check digit; the line is imported without it (matched by SKU or left a candidate)`,
		"is required", "something nobody wrote a format for",
	}
	for b.Loop() {
		for _, m := range msgs {
			da.Problem(m)
		}
	}
}
