package web

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Problem messages on the pages. The domain and the price-list readers
// (package suppliers) write their problems in English, for the API's
// problem+json, the logs and the machines that read them; a page in
// Danish shows them in Danish. Rather than give every domain message a
// key (the domain would then depend on the pages' catalogue), the web
// layer translates the finished message: each English format string that
// can make a problem (found in the source by TestProblemsCatalogueComplete)
// has a Danish format in problemsDA (messages_problems.go); a message is
// matched against the English formats, their verbs (%s %d %v %q) read
// back as captures, and the Danish format is written with the same values.
// Values are kept as the message had them: numbers, SKUs, field names,
// quoted input. A captured value that is itself a known message (an error
// wrapped with "cannot be computed: %v") is translated too.

// Problem returns msg in the localizer's language: English unchanged,
// Danish translated when its format is known, else as it is (never blank).
func (l *Localizer) Problem(msg string) string {
	if l == nil || l.Tag != danish || msg == "" {
		return msg
	}
	return translateProblem(msg, 0)
}

// problemFormat is one English format compiled for matching.
type problemFormat struct {
	english string
	danish  []problemPart
	re      *regexp.Regexp
	prefix  string // literal text before the first verb
	suffix  string // literal text after the last verb
	literal int    // characters of literal text: the more, the more specific
}

// problemPart is a piece of a Danish format: literal text, or the capture
// (0-based) written in its place.
type problemPart struct {
	text string
	arg  int // -1 for text
}

var problemFormats = sync.OnceValue(func() []problemFormat {
	out := make([]problemFormat, 0, len(problemsDA))
	for en, da := range problemsDA {
		out = append(out, compileProblem(en, da))
	}
	// Most specific first: of two formats a message matches ("%s not
	// found" and "tender not found"), the one with more literal text wins.
	sort.Slice(out, func(i, j int) bool {
		if out[i].literal != out[j].literal {
			return out[i].literal > out[j].literal
		}
		return out[i].english < out[j].english
	})
	return out
})

// verbRE finds fmt verbs: %s, %d, %v, %q, %5.2f, %[2]s; and %%.
var verbRE = regexp.MustCompile(`%(?:%|(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z]))`)

func compileProblem(en, da string) problemFormat {
	f := problemFormat{english: en}
	var re, text strings.Builder // text: the literal text since the last verb
	re.WriteString(`^`)
	last, seenVerb := 0, false
	for _, m := range verbRE.FindAllStringSubmatchIndex(en, -1) {
		text.WriteString(en[last:m[0]])
		last = m[1]
		if en[m[0]:m[1]] == "%%" {
			text.WriteString("%")
			continue
		}
		re.WriteString(regexp.QuoteMeta(text.String()))
		f.literal += text.Len()
		if !seenVerb {
			f.prefix, seenVerb = text.String(), true
		}
		text.Reset()
		switch en[m[4]:m[5]] {
		case "d":
			re.WriteString(`(-?\d+)`)
		case "q":
			// %q writes a string in "double quotes" (or `backquotes`)
			// and a rune in 'single quotes'.
			re.WriteString(`("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`)")
		default:
			re.WriteString(`(.*?)`)
		}
	}
	text.WriteString(en[last:])
	f.suffix = text.String()
	if !seenVerb {
		f.prefix = f.suffix
	}
	re.WriteString(regexp.QuoteMeta(f.suffix))
	re.WriteString(`$`)
	f.literal += len(f.suffix)
	f.re = regexp.MustCompile(re.String())
	f.danish = parseDanishFormat(da)
	return f
}

// parseDanishFormat splits a Danish format into text and captures; verbs
// take the captures in order, or the one an index names (%[2]s), so that
// Danish may put the values in another order.
func parseDanishFormat(da string) []problemPart {
	var parts []problemPart
	last, next := 0, 0
	for _, m := range verbRE.FindAllStringSubmatchIndex(da, -1) {
		parts = append(parts, problemPart{text: da[last:m[0]], arg: -1})
		last = m[1]
		if da[m[0]:m[1]] == "%%" {
			parts = append(parts, problemPart{text: "%", arg: -1})
			continue
		}
		if m[2] >= 0 {
			i, _ := strconv.Atoi(da[m[2]:m[3]])
			next = i - 1
		}
		parts = append(parts, problemPart{arg: next})
		next++
	}
	return append(parts, problemPart{text: da[last:], arg: -1})
}

// translateProblem finds the most specific format msg matches and writes
// it in Danish; depth stops the translation of captured values from
// going on for ever.
func translateProblem(msg string, depth int) string {
	for _, f := range problemFormats() {
		if !strings.HasPrefix(msg, f.prefix) || !strings.HasSuffix(msg, f.suffix) || len(msg) < f.literal {
			continue
		}
		caps := f.re.FindStringSubmatch(msg)
		if caps == nil {
			continue
		}
		var b strings.Builder
		for _, p := range f.danish {
			if p.arg < 0 {
				b.WriteString(p.text)
				continue
			}
			if p.arg+1 < len(caps) {
				v := caps[p.arg+1]
				if depth < 2 && len(v) > 3 {
					v = translateProblem(v, depth+1)
				}
				b.WriteString(v)
			}
		}
		return b.String()
	}
	return msg
}
