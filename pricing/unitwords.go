package pricing

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// UnitWord is a word suppliers and members write for a unit, and the
// UN/ECE Rec 20 (or Rec 21) code it means.
type UnitWord struct {
	Word string // lower case, as looked up ("stk")
	Code string // "H87"
}

// unitWords is THE table of Danish unit words (and the few abbreviations
// Danish price lists use), the only place such words are read. ReadUnit
// looks words up case-insensitively, after a trailing full stop is dropped
// ("Stk." is stk). Choices worth knowing:
//
//   - stk, st, styk: H87 (piece), which compares with EA and C62 as "one".
//     Never the Rec 20 code STK ("stick, cigarette"): a word wins over a
//     lower-case code. Only the exact upper-case code means itself.
//   - fl, flaske: XBO (bottle), never the Rec 20 code FL ("flake ton").
//   - rl, rulle, and RO (not a Rec 20 code; the Rec 21 code is XRO): XRO.
//   - bk, bakke: XPU (Rec 21 "Tray"; XTY is "Tank, cylindrical").
//   - sæt: SET and par: PR, both pack-like: the content is declared per
//     line (a set of 3 pieces, a pair of 2 gloves).
//   - time, timer (Danish "hour"): HUR.
//
// Package words map to Rec 21 codes (X...), whose content is declared per
// line; measure words to the metric codes.
var unitWords = []UnitWord{
	// Pieces.
	{"stk", "H87"}, {"st", "H87"}, {"styk", "H87"}, {"styks", "H87"},
	// Packages (Rec 21).
	{"pk", "XPK"}, {"pak", "XPK"}, {"pakke", "XPK"}, {"pakker", "XPK"}, {"pakning", "XPK"},
	{"æsk", "XBX"}, {"æske", "XBX"}, {"æsker", "XBX"}, {"ask", "XBX"}, {"aesk", "XBX"}, {"aeske", "XBX"},
	{"krt", "XCT"}, {"kart", "XCT"}, {"karton", "XCT"},
	{"ks", "XCS"}, {"kasse", "XCS"}, {"kasser", "XCS"},
	{"fl", "XBO"}, {"fla", "XBO"}, {"flaske", "XBO"}, {"flasker", "XBO"},
	{"rl", "XRO"}, {"rul", "XRO"}, {"rulle", "XRO"}, {"ruller", "XRO"}, {"ro", "XRO"},
	{"ps", "XBG"}, {"pose", "XBG"}, {"poser", "XBG"},
	{"ds", "XCX"}, {"dåse", "XCX"}, {"dåser", "XCX"}, {"daase", "XCX"},
	{"tb", "XTU"}, {"tube", "XTU"}, {"tuber", "XTU"},
	{"bk", "XPU"}, {"bakke", "XPU"}, {"bakker", "XPU"},
	{"sæt", "SET"}, {"saet", "SET"},
	{"par", "PR"},
	// Volume.
	{"l", "LTR"}, {"ltr", "LTR"}, {"liter", "LTR"},
	{"ml", "MLT"}, {"cl", "CLT"}, {"dl", "DLT"},
	// Mass.
	{"g", "GRM"}, {"gr", "GRM"}, {"gram", "GRM"}, {"kg", "KGM"}, {"kilo", "KGM"}, {"mg", "MGM"},
	// Length, area, volume in metres.
	{"m", "MTR"}, {"meter", "MTR"}, {"cm", "CMT"}, {"mm", "MMT"}, {"km", "KMT"},
	{"m2", "MTK"}, {"m²", "MTK"}, {"kvm", "MTK"}, {"m3", "MTQ"}, {"m³", "MTQ"},
	// Time.
	{"time", "HUR"}, {"timer", "HUR"}, {"døgn", "DAY"}, {"dag", "DAY"}, {"dage", "DAY"},
	{"uge", "WEE"}, {"uger", "WEE"}, {"md", "MON"}, {"måned", "MON"}, {"år", "ANN"},
}

// hintWords are English words suppliers write for a unit. They are not
// accepted (a price list must say what it means), only suggested.
var hintWords = []UnitWord{
	{"pcs", "H87"}, {"pce", "H87"}, {"pc", "H87"}, {"piece", "H87"}, {"each", "EA"},
	{"box", "XBX"}, {"pack", "XPK"}, {"carton", "XCT"}, {"case", "XCS"}, {"cs", "XCS"},
	{"bottle", "XBO"}, {"bo", "XBO"}, {"roll", "XRO"}, {"bag", "XBG"}, {"can", "XCX"},
	{"tray", "XPU"}, {"pair", "PR"}, {"set", "SET"}, {"hour", "HUR"}, {"h", "HUR"}, {"lb", "LBR"}, {"oz", "ONZ"},
}

// unitWordIndex maps a word to its code; checked at start-up to name only
// known codes and no word twice.
var unitWordIndex = func() map[string]string {
	m := make(map[string]string, len(unitWords))
	for _, w := range unitWords {
		if _, ok := units[w.Code]; !ok {
			panic("pricing: unit word " + w.Word + " names unknown code " + w.Code)
		}
		if _, dup := m[w.Word]; dup || w.Word != strings.ToLower(w.Word) {
			panic("pricing: unit word " + w.Word + " twice or not lower case")
		}
		m[w.Word] = w.Code
	}
	return m
}()

// UnitWords returns the table of unit words ReadUnit accepts, in the
// documented order (for READMEs and help pages).
func UnitWords() []UnitWord { return append([]UnitWord(nil), unitWords...) }

// ReadUnit reads a unit as a price list (CSV, JSON, spreadsheet), a demand
// or a bid writes it, in this order:
//
//  1. the exact code (case-sensitive): "H87", "STK" (stick), "XBX", "BX";
//  2. a word of the table (unitWords), case-insensitively, without a
//     trailing full stop: "stk", "Stk.", "STK." (a full stop marks an
//     abbreviation), "æsk"; "FL" is a code but "fl" and "Fl" are words: a
//     word wins over a code written in lower case;
//  3. the code in upper case: "xbx", "kgm", "ea".
//
// Surrounding space is ignored. The returned Unit carries the code; show
// it back with Unit.Describe(text) ("stk (H87, piece)").
// Errors: ErrUnknownUnit (field "unit") with the nearest codes and words
// as suggestions.
func ReadUnit(text string) (Unit, error) {
	if u, ok := units[strings.TrimSpace(text)]; ok {
		return u, nil
	}
	s := trimUnit(text) // a full stop marks an abbreviation: "STK." is stk
	if code, ok := unitWordIndex[strings.ToLower(s)]; ok {
		return units[code], nil
	}
	if u, ok := units[strings.ToUpper(s)]; ok {
		return u, nil
	}
	if s == "" {
		return Unit{}, newErr(ErrUnknownUnit, "unit", "unit is missing")
	}
	return Unit{}, newErr(ErrUnknownUnit, "unit", fmt.Sprintf("%q is neither a UN/ECE Recommendation 20 unit code nor a unit word this system reads", s)+suggest(s))
}

// ConfusableWord reports whether code, an exact Rec 20 code, is also a
// unit word in upper case that means another unit ("STK" is "stick,
// cigarette", but stk is H87; "FL" is "flake ton", but fl is XBO), and
// which. Price lists warn about these.
func ConfusableWord(code string) (UnitWord, bool) {
	w := strings.ToLower(code)
	if c, ok := unitWordIndex[w]; ok && c != code {
		if _, isCode := units[code]; isCode {
			return UnitWord{Word: w, Code: c}, true
		}
	}
	return UnitWord{}, false
}

// SuggestUnits returns up to three units nearest to text by edit
// distance over codes, code names and unit words, nearest first, each as
// "XRO (Roll, package)", so that a suggestion of another dimension says
// so.
func SuggestUnits(text string) []string {
	key := strings.ToLower(trimUnit(text))
	if key == "" || utf8.RuneCountInString(key) > 40 {
		return nil
	}
	if v, ok := suggestCache.Load(key); ok {
		return v.([]string)
	}
	out := suggestUncached(key)
	if suggestCacheN.Add(1) < 4096 { // bounded: random junk cannot grow it
		suggestCache.Store(key, out)
	}
	return out
}

// suggest is " (did you mean X, Y?)" or "".
func suggest(text string) string {
	s := SuggestUnits(text)
	if len(s) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(s, " or ") + "?"
}

var (
	suggestCache  sync.Map
	suggestCacheN atomic.Int64
)

// candidate is a string compared against, and the code it stands for.
type candidate struct {
	text, code string
	rank       int // 0 words, 1 codes words lead to, 2 other codes, 3 names
}

var candidates = sync.OnceValue(func() []candidate {
	common := map[string]bool{}
	var cs []candidate
	for _, w := range unitWords {
		cs = append(cs, candidate{w.Word, w.Code, 0})
		common[w.Code] = true
	}
	for _, w := range hintWords {
		cs = append(cs, candidate{w.Word, w.Code, 0})
		common[w.Code] = true
	}
	for code := range countCodes {
		common[code] = true
	}
	for code, u := range units {
		r := 2
		if common[code] {
			r = 1
		}
		cs = append(cs, candidate{strings.ToLower(code), code, r})
		if u.Name != "" {
			cs = append(cs, candidate{strings.ToLower(u.Name), code, 3})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].rank != cs[j].rank {
			return cs[i].rank < cs[j].rank
		}
		return cs[i].text < cs[j].text
	})
	return cs
})

func suggestUncached(key string) []string {
	n := utf8.RuneCountInString(key)
	limit := 1
	switch {
	case n >= 7:
		limit = 3
	case n >= 4:
		limit = 2
	}
	type hit struct {
		code      string
		dist, pos int
	}
	best := map[string]hit{}
	for i, c := range candidates() {
		d := editDistance(key, c.text, limit)
		if d > limit {
			continue
		}
		if h, ok := best[c.code]; !ok || d < h.dist {
			best[c.code] = hit{c.code, d, i}
		}
	}
	hits := make([]hit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].dist != hits[j].dist {
			return hits[i].dist < hits[j].dist
		}
		return hits[i].pos < hits[j].pos
	})
	var out []string
	for _, h := range hits {
		if len(out) == 3 {
			break
		}
		u := units[h.code]
		out = append(out, fmt.Sprintf("%s (%s, %s)", u.Code, u.Name, u.kind()))
	}
	return out
}

// editDistance is the Levenshtein distance of a and b in runes, or
// limit+1 as soon as it must exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
