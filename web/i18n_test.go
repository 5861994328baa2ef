package web

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// Every key is in both catalogues, and every key the templates and the
// handlers use is in them.
func TestCataloguesComplete(t *testing.T) {
	for k := range messagesDA {
		if _, ok := messagesEN[k]; !ok {
			t.Errorf("%q is in Danish only", k)
		}
	}
	for k := range messagesEN {
		if _, ok := messagesDA[k]; !ok {
			t.Errorf("%q is in English only", k)
		}
	}
	used := regexp.MustCompile(`T "([a-z0-9.\-]+)"`)
	_ = fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templateFS, path)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if _, ok := messagesDA[m[1]]; !ok {
				t.Errorf("%s uses %q, which no catalogue has", path, m[1])
			}
		}
		return nil
	})
	quoted := regexp.MustCompile(`"((?:nav|title|login|error|flash|lists|status|month)\.[a-z0-9.\-]+)"`)
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasPrefix(e.Name(), "messages_") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		b, _ := os.ReadFile(e.Name())
		for _, m := range quoted.FindAllStringSubmatch(string(b), -1) {
			if _, ok := messagesDA[m[1]]; !ok {
				t.Errorf("%s uses %q, which no catalogue has", e.Name(), m[1])
			}
		}
	}
	for _, p := range []string{"login", "shop", "product", "cart", "placed", "orders", "order", "lists", "list", "error", "home", "demand", "savings"} {
		if _, ok := messagesDA["title."+p]; !ok {
			t.Errorf("page %s has no title", p)
		}
	}
	for f := range validFlash {
		if _, ok := messagesDA["flash."+f]; !ok {
			t.Errorf("notice %s has no text", f)
		}
	}
}

func TestLocalizerFormats(t *testing.T) {
	da, en := localizers()[language.Danish], localizers()[language.English]
	m := pricing.MustMoney("1234.50", pricing.DKK)
	day := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{da.Money(m), "1.234,50 kr."},
		{en.Money(m), "DKK 1,234.50"},
		{da.Date(day), "29-11-2026"},
		{en.Date(day), "29 Nov 2026"},
		{da.Amount(decimal.RequireFromString("1234.5"), "DKK"), "1.234,50 kr."},
		{da.UnitPrice(decimal.RequireFromString("0.4500"), "DKK"), "0,45 kr."},
		{da.Qty(decimal.RequireFromString("1000.000")), "1.000"},
		{da.T("cart.split", 2), "Kurven deles i ordrer, én pr. leverandør: 2."},
		{en.T("cart.split", 2), "The cart is split into orders, one per supplier: 2."},
		{da.Month(day), "november 2026"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// A number typed into a text field is read in the page's language first,
// as the page writes the numbers it pre-fills; an <input type="number">
// sends the plain form whatever the language.
func TestTypedNumbers(t *testing.T) {
	da, en := localizers()[danish], localizers()[english]
	for _, tt := range []struct {
		in       string
		l        *Localizer
		typed    string // "" refused
		asNumber string
	}{
		{"6.000", da, "6000", "6"},    // Danish thousands; a number input's 6.000 is six
		{"21.000", da, "21000", "21"}, // what the tender form pre-fills on a Danish page
		{"1,5", da, "1.5", "1.5"},     // Danish decimals
		{"2.5", da, "2.5", "2.5"},     // not Danish: read plain
		{"1.250,75", da, "1250.75", "1250.75"},
		{"0.125", da, "0.125", "0.125"}, // never 125
		{"6,000", en, "6000", "6000"},
		{"1.5", en, "1.5", "1.5"},
		{"1,5", en, "", ""}, // ambiguous in English, refused by both
		{"tyve", da, "", ""},
	} {
		got, err := parseTyped(tt.in, tt.l)
		if tt.typed == "" {
			if err == nil {
				t.Errorf("parseTyped(%q, %s) = %s, want refused", tt.in, tt.l.Tag, got)
			}
		} else if err != nil || !got.Equal(decimal.RequireFromString(tt.typed)) {
			t.Errorf("parseTyped(%q, %s) = %s, %v; want %s", tt.in, tt.l.Tag, got, err, tt.typed)
		}
		got, err = parseNumberInput(tt.in, tt.l)
		if tt.asNumber == "" {
			if err == nil {
				t.Errorf("parseNumberInput(%q, %s) = %s, want refused", tt.in, tt.l.Tag, got)
			}
		} else if err != nil || !got.Equal(decimal.RequireFromString(tt.asNumber)) {
			t.Errorf("parseNumberInput(%q, %s) = %s, %v; want %s", tt.in, tt.l.Tag, got, err, tt.asNumber)
		}
	}
}
