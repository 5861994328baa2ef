package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The board's pages read figures for a date range (inclusive days): typed
// in a from/to form, or one of the presets (this year, last year, the
// last 12 months, each quarter of this and last year), which are links
// that work without JavaScript.

// boardRange is the range a board page shows.
type boardRange struct {
	From, To time.Time
}

// FromS and ToS are the days as the date inputs and the API write them.
func (r boardRange) FromS() string { return r.From.Format(time.DateOnly) }
func (r boardRange) ToS() string   { return r.To.Format(time.DateOnly) }

// Query is the range as a query string ("from=2025-01-01&to=2025-12-31"),
// for links that keep it (a template.URL: written into an href as it is).
func (r boardRange) Query() template.URL {
	return template.URL(r.query())
}

func (r boardRange) query() string {
	return url.Values{"from": {r.FromS()}, "to": {r.ToS()}}.Encode()
}

// Export is the query of a table's download in this range.
func (r boardRange) Export(table string) template.URL {
	return template.URL(r.query() + "&table=" + url.QueryEscape(table))
}

// rangePreset is one preset link.
type rangePreset struct {
	Key     string // "this-year", "last-year", "last-12-months", "q1-2026"
	Label   string // in the page's language
	Range   boardRange
	Current bool
}

// today is the day in Denmark (the cooperative's calendar).
func today() time.Time {
	n := time.Now().In(copenhagen)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// presets are the ranges offered as links, on day now.
func presets(now time.Time, l *Localizer) []rangePreset {
	y := now.Year()
	year := func(y int) boardRange {
		return boardRange{time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)}
	}
	out := []rangePreset{
		{Key: "this-year", Label: l.T("board.preset.this-year"), Range: year(y)},
		{Key: "last-year", Label: l.T("board.preset.last-year"), Range: year(y - 1)},
		{Key: "last-12-months", Label: l.T("board.preset.last-12-months"), Range: boardRange{now.AddDate(-1, 0, 1), now}},
	}
	for _, yy := range []int{y, y - 1} {
		for q := 1; q <= 4; q++ {
			from := time.Date(yy, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
			out = append(out, rangePreset{Key: fmt.Sprintf("q%d-%d", q, yy), Label: l.T("board.preset.quarter", q, strconv.Itoa(yy)),
				Range: boardRange{from, from.AddDate(0, 3, -1)}})
		}
	}
	return out
}

// maxRangeYears bounds a range (a page of figures, not an archive query).
const maxRangeYears = 10

// parseRange reads ?preset= (a preset's key) or ?from=&to= (YYYY-MM-DD);
// without either, this year. Errors: EINVALID naming each bad field.
func parseRange(c echo.Context) (boardRange, []rangePreset, error) {
	l := pageOf(c).L
	ps := presets(today(), l)
	var r boardRange
	key := strings.TrimSpace(c.QueryParam("preset"))
	fromS, toS := strings.TrimSpace(c.QueryParam("from")), strings.TrimSpace(c.QueryParam("to"))
	switch {
	case key != "":
		found := false
		for _, p := range ps {
			if p.Key == key {
				r, found = p.Range, true
			}
		}
		if !found {
			return r, ps, &domain.Error{Code: domain.EINVALID, Message: "unknown preset",
				Fields: []domain.FieldError{{Field: "preset", Message: "unknown preset"}}}
		}
	case fromS == "" && toS == "":
		r = ps[0].Range
	default:
		var p domain.Problems
		for _, f := range []struct {
			name, v string
			dst     *time.Time
		}{{"from", fromS, &r.From}, {"to", toS, &r.To}} {
			d, err := time.Parse(time.DateOnly, f.v)
			if err != nil || d.Year() < 2000 || d.Year() > 2999 {
				p.Add(f.name, "must be a date YYYY-MM-DD")
				continue
			}
			*f.dst = d
		}
		if !r.From.IsZero() && !r.To.IsZero() {
			if r.To.Before(r.From) {
				p.Add("to", "must not be before from")
			} else if r.To.After(r.From.AddDate(maxRangeYears, 0, 0)) {
				p.Add("to", "at most %d years after from", maxRangeYears)
			}
		}
		if err := p.Err(); err != nil {
			return r, ps, err
		}
	}
	for i := range ps {
		ps[i].Current = ps[i].Range == r
	}
	return r, ps, nil
}
