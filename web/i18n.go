package web

import (
	"fmt"
	"net/http"
	"sync"
	"time"
	_ "time/tzdata" // Danish time on machines without a zone database

	"andel/pricing"

	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Languages: Danish first (the default when nothing else is known), then
// English. golang.org/x/text/message with a catalog.Builder is used rather
// than go-i18n: it is already a dependency, its printer formats arguments
// (%d, %s) the same way in both languages, and a catalogue is a Go map
// (messages_da.go, messages_en.go), checked by a test for missing keys.
var (
	danish    = language.Danish
	english   = language.English
	languages = []language.Tag{danish, english}
	matcher   = language.NewMatcher(languages)
)

// langCookie keeps the language chosen with the switch (it works logged
// out too, on the login page).
const langCookie = "andel_lang"

// registerMessages adds an area's catalogues (messages_<area>.go, from its
// init) to the common ones, so areas of pages are added without editing
// one shared map. A key defined twice is a programming error.
func registerMessages(da, en map[string]string) {
	for _, part := range []struct{ from, to map[string]string }{{da, messagesDA}, {en, messagesEN}} {
		for k, v := range part.from {
			if _, dup := part.to[k]; dup {
				panic("web: message " + k + " defined twice")
			}
			part.to[k] = v
		}
	}
}

// catalogue and localizers are built on first use, after every area's
// init has registered its messages.
var (
	catalogue  = sync.OnceValue(buildCatalog)
	localizers = sync.OnceValue(func() map[language.Tag]*Localizer {
		return map[language.Tag]*Localizer{danish: newLocalizer(danish), english: newLocalizer(english)}
	})
)

func buildCatalog() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(danish))
	for key, msg := range messagesDA {
		_ = b.SetString(danish, key, msg)
	}
	for key, msg := range messagesEN {
		_ = b.SetString(english, key, msg)
	}
	return b
}

// Localizer writes text, amounts and dates in one language.
type Localizer struct {
	Tag    language.Tag
	p      *message.Printer
	locale pricing.Locale
}

func newLocalizer(tag language.Tag) *Localizer {
	loc := pricing.LocaleDanish
	if tag == english {
		loc = pricing.LocaleEnglish
	}
	return &Localizer{Tag: tag, p: message.NewPrinter(tag, message.Catalog(catalogue())), locale: loc}
}

// chooseLanguage: the language switch's cookie, else Accept-Language,
// else Danish.
func chooseLanguage(r *http.Request) *Localizer {
	if ck, err := r.Cookie(langCookie); err == nil {
		if ck.Value == "en" {
			return localizers()[english]
		}
		if ck.Value == "da" {
			return localizers()[danish]
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if len(tags) == 0 {
		return localizers()[danish]
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return localizers()[danish]
	}
	return localizers()[languages[i]]
}

// Lang is the page's lang attribute ("da", "en").
func (l *Localizer) Lang() string { return l.Tag.String() }

// T returns the message key in the language, formatted with args.
func (l *Localizer) T(key string, args ...any) string { return l.p.Sprintf(key, args...) }

// Criterion names a tender's non-price criterion for people: its message
// when the catalogue has one ("criterion.delivery_days"), else its name.
func (l *Localizer) Criterion(name string) string {
	key := "criterion." + name
	if s := l.T(key); s != key {
		return s
	}
	return name
}

// Money writes an amount with its currency ("1.234,50 kr.").
func (l *Localizer) Money(m pricing.Money) string { return m.Display(l.locale) }

// Price writes a unit price with its currency ("0,45 kr.").
func (l *Localizer) Price(p pricing.Price) string { return p.Display(l.locale) }

// Amount writes a stored amount of currency cur ("1.234,50 kr."); amounts
// read back from NUMERIC(…,2) columns are Money, others are prices.
func (l *Localizer) Amount(d decimal.Decimal, cur string) string {
	c := pricing.Currency(cur)
	if m, err := pricing.NewMoney(d, c); err == nil {
		return l.Money(m)
	}
	if p, err := pricing.NewPrice(d, c); err == nil {
		return l.Price(p)
	}
	return l.Qty(d) + " " + cur
}

// UnitPrice writes a stored per-unit price (up to 6 decimals).
func (l *Localizer) UnitPrice(d decimal.Decimal, cur string) string {
	if p, err := pricing.RoundPrice(d, pricing.Currency(cur)); err == nil {
		return l.Price(p)
	}
	return l.Qty(d) + " " + cur
}

// Qty writes a quantity without trailing zeros ("1.000", "0,5").
func (l *Localizer) Qty(v any) string {
	switch q := v.(type) {
	case decimal.Decimal:
		return pricing.FormatQuantity(q, l.locale)
	case int64:
		return pricing.FormatQuantity(decimal.NewFromInt(q), l.locale)
	case int:
		return pricing.FormatQuantity(decimal.NewFromInt(int64(q)), l.locale)
	}
	return fmt.Sprint(v)
}

// Date writes a day: "29-11-2026" in Danish, "29 Nov 2026" in English.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l.Tag == english {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02-01-2006")
}

// DateTime writes a moment in Danish time ("29-11-2026 14:05").
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(copenhagen)
	if l.Tag == english {
		return t.Format("2 Jan 2006 15:04")
	}
	return t.Format("02-01-2006 15:04")
}

// Month writes a month's name ("november 2026", "November 2026").
func (l *Localizer) Month(t time.Time) string {
	return l.T(fmt.Sprintf("month.%d", int(t.Month()))) + " " + t.Format("2006")
}

var copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// parseNumberInput reads the value of an <input type="number">: the
// browser sends the plain form ("1000.5") whatever the user's language;
// a number typed in the user's language ("1,5" in Danish) is read too.
func parseNumberInput(s string, l *Localizer) (decimal.Decimal, error) {
	if d, err := pricing.ParseAmount(s, pricing.LocalePlain); err == nil {
		return d, nil
	}
	return pricing.ParseAmount(s, l.locale)
}

// parseTyped reads a number typed into a text field, in the page's
// language first, as the page writes numbers and pre-fills its fields
// (Localizer.Qty): on a Danish page "6.000" is six thousand and "1,5" one
// and a half. What that language cannot read ("2.5" on a Danish page: a
// '.' there groups thousands) is read in the plain form.
func parseTyped(s string, l *Localizer) (decimal.Decimal, error) {
	if d, err := pricing.ParseAmount(s, l.locale); err == nil {
		return d, nil
	}
	return pricing.ParseAmount(s, pricing.LocalePlain)
}
