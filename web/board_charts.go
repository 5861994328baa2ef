package web

import (
	"strconv"
	"strings"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/shopspring/decimal"
)

// The board's charts are SVG written on the server (no script): each has
// a <title> and a <desc>, and the page shows the same numbers in a table
// below it. Geometry is whole pixels; the share of an amount in a scale
// is pricing.Percent (the one percentage of money), so no float touches
// an amount.

// px is part's share of whole in pixels (0 when whole is 0).
func px(part, whole decimal.Decimal, pixels int64) int64 {
	return pricing.Percent(part, whole).Mul(decimal.NewFromInt(pixels)).Shift(-2).IntPart()
}

// hBar is one bar of a horizontal bar chart.
type hBar struct {
	Label          string
	Value          decimal.Decimal
	Y, X, W        int64
	TextY, ValueX  int64
	Negative       bool
	ValueAnchorEnd bool
}

// hChart is a horizontal bar chart of savings by a grouping.
type hChart struct {
	ID, Title, Desc string
	Width, Height   int64
	ZeroX, Top      int64
	Bars            []hBar
	More            int // groups left out of the chart (all are in the table)
}

// Horizontal chart geometry: labels left of the bars, values after them.
const (
	hLabelW, hPlotW, hValueW, hRow, hBarH, hTop, hMaxBars = 200, 340, 140, 26, 18, 8, 20
)

// newHChart draws the savings of groups (in their order), at most
// hMaxBars of them.
func newHChart(id, title, desc string, groups []boardRow, l *Localizer, cur string) hChart {
	ch := hChart{ID: id, Title: title, Desc: desc, Width: hLabelW + hPlotW + hValueW, Top: hTop}
	shown := groups
	if len(shown) > hMaxBars {
		ch.More = len(shown) - hMaxBars
		shown = shown[:hMaxBars]
	}
	pos, neg := decimal.Zero, decimal.Zero
	for _, g := range shown {
		if v := g.F.Savings; v.GreaterThan(pos) {
			pos = v
		} else if v.Neg().GreaterThan(neg) {
			neg = v.Neg()
		}
	}
	span := pos.Add(neg)
	ch.ZeroX = hLabelW + px(neg, span, hPlotW)
	for i, g := range shown {
		v := g.F.Savings
		b := hBar{Label: truncate(g.Label, 28), Value: v, Y: hTop + int64(i)*hRow, Negative: v.IsNegative()}
		b.TextY = b.Y + hBarH - 4
		b.W = px(v.Abs(), span, hPlotW)
		if b.Negative {
			b.X = ch.ZeroX - b.W
			b.ValueX = b.X - 4
			b.ValueAnchorEnd = true
		} else {
			b.X = ch.ZeroX
			b.ValueX = b.X + b.W + 4
		}
		ch.Bars = append(ch.Bars, b)
	}
	ch.Height = hTop + int64(len(shown))*hRow + 8
	return ch
}

// truncate shortens a label for the chart (the table has it whole).
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// monthPoint is one month of the month chart.
type monthPoint struct {
	Month       time.Time
	Row         boardRow
	Cumulative  decimal.Decimal
	CumulativeS string // as the page writes it
	// bar and cumulative point, in pixels
	X, Y, W, H, TextX, PointX, PointY int64
	Label                             string // short label under the axis ("" to skip)
}

// monthChart is the savings by month (bars, left scale) with the
// cumulative savings (a dashed line with dots, right scale).
type monthChart struct {
	Title, Desc                 string
	Width, Height               int64
	Left, Right, Top, Base      int64 // plot edges; Base is the y of zero
	Bottom                      int64
	Points                      []monthPoint
	Line                        string // polyline points
	Hi, Lo, CumHi, CumLo        decimal.Decimal
	LegendY, LegendX, LegendX2  int64
	LabelY, AxisTextY, AxisLowY int64
}

// Month chart geometry.
const (
	mLeft, mRight, mTop, mPlotH, mWidth = 110, 110, 30, 200, 760
)

// newMonthChart lays out months (every month of the range, in order).
func newMonthChart(title, desc string, months []monthPoint, l *Localizer) monthChart {
	ch := monthChart{Title: title, Desc: desc, Width: mWidth, Left: mLeft, Right: mWidth - mRight, Top: mTop}
	ch.Bottom = mTop + mPlotH
	cum := decimal.Zero
	for i := range months {
		v := months[i].Row.F.Savings
		cum = cum.Add(v)
		months[i].Cumulative = cum
		ch.Hi, ch.Lo = decimal.Max(ch.Hi, v), decimal.Min(ch.Lo, v)
		ch.CumHi, ch.CumLo = decimal.Max(ch.CumHi, cum), decimal.Min(ch.CumLo, cum)
	}
	span, cumSpan := ch.Hi.Sub(ch.Lo), ch.CumHi.Sub(ch.CumLo)
	ch.Base = mTop + px(ch.Hi, span, mPlotH)
	if span.IsZero() {
		ch.Base = ch.Bottom
	}
	n := int64(len(months))
	slot := int64(1)
	if n > 0 {
		slot = (ch.Right - ch.Left) / n
	}
	every := (n + 11) / 12 // at most about 12 labels under the axis
	multiYear := n > 0 && months[0].Month.Year() != months[n-1].Month.Year()
	var line []string
	for i := range months {
		m := &months[i]
		v := m.Row.F.Savings
		m.W = max(slot*6/10, 2)
		m.X = ch.Left + int64(i)*slot + (slot-m.W)/2
		m.H = px(v.Abs(), span, mPlotH)
		if v.IsNegative() {
			m.Y = ch.Base
		} else {
			m.Y = ch.Base - m.H
		}
		m.TextX = ch.Left + int64(i)*slot + slot/2
		m.PointX = m.TextX
		m.PointY = mTop + px(ch.CumHi.Sub(m.Cumulative), cumSpan, mPlotH)
		if cumSpan.IsZero() {
			m.PointY = ch.Bottom
		}
		if int64(i)%every == 0 {
			m.Label = shortMonth(m.Month, l, multiYear)
		}
		line = append(line, strconv.FormatInt(m.PointX, 10)+","+strconv.FormatInt(m.PointY, 10))
	}
	ch.Line = strings.Join(line, " ")
	ch.LabelY = ch.Bottom + 18
	ch.LegendY = ch.Bottom + 44
	ch.LegendX, ch.LegendX2 = ch.Left, ch.Left+220
	ch.Height = ch.LegendY + 16
	ch.AxisTextY, ch.AxisLowY = mTop+4, ch.Bottom
	return ch
}

// shortMonth is a month under the axis: "jan", or "jan 25" when the
// range spans years.
func shortMonth(m time.Time, l *Localizer, withYear bool) string {
	s := string([]rune(l.T("month." + strconv.Itoa(int(m.Month()))))[:3])
	if withYear {
		s += " " + m.Format("06")
	}
	return s
}

// monthsOf lists the first days of the months from..to touch.
func monthsOf(r boardRange) []time.Time {
	var out []time.Time
	for m := time.Date(r.From.Year(), r.From.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(r.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// monthPoints puts the report's month groups on every month of the range
// (months without orders are zero).
func monthPoints(r boardRange, rep *domain.SavingsReport, l *Localizer) []monthPoint {
	got := map[string]domain.SavingsFigures{}
	for _, g := range rep.Groups {
		got[g.Key] = g
	}
	var out []monthPoint
	for _, m := range monthsOf(r) {
		key := m.Format("2006-01")
		f, ok := got[key]
		if !ok {
			f = domain.SavingsFigures{Key: key}
		}
		out = append(out, monthPoint{Month: m, Row: boardRow{Key: key, Label: l.Month(m), F: f}})
	}
	return out
}
