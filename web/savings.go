package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// monthBar is one bar of the savings chart (SVG geometry in pixels).
type monthBar struct {
	Month             time.Time
	Figures           domain.SavingsFigures
	X, Y, W, H, TextX int64
}

type savingsData struct {
	Year       int
	Years      []int
	Currency   string
	Total      domain.SavingsFigures
	Months     []monthBar
	Categories []domain.SavingsFigures
	Note       string
	// Statements are the periods of the practice's refund statements
	// (approved surplus runs), newest first; MemberID their practice.
	Statements []string
	MemberID   int64
	ChartW     int64
	ChartH     int64
	Base       int64 // the y of the axis
}

// Chart geometry: 12 bars in 600 x 200 pixels above a labelled axis.
const (
	chartW, chartH, chartTop, chartBar = 640, 240, 10, 200
)

// savingsYear reads ?year= (default: this year; 2000 to next year).
func savingsYear(c echo.Context) (int, error) {
	this := time.Now().UTC().Year()
	y := this
	if s := c.QueryParam("year"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 2000 || n > this+1 {
			return 0, &domain.Error{Code: domain.EINVALID, Message: "bad year", Fields: []domain.FieldError{{Field: "year", Message: "must be a year from 2000"}}}
		}
		y = n
	}
	return y, nil
}

// savingsReports reads the practice's savings of the year asked for
// (?year=) by month and by category.
func (p *Pages) savingsReports(c echo.Context) (*savingsData, error) {
	year, err := savingsYear(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	byMonth, err := p.svc.Savings.Report(ctx, domain.SavingsQuery{From: from, To: to, GroupBy: domain.GroupMonth})
	if err != nil {
		return nil, err
	}
	byCat, err := p.svc.Savings.Report(ctx, domain.SavingsQuery{From: from, To: to, GroupBy: domain.GroupCategory})
	if err != nil {
		return nil, err
	}
	d := &savingsData{Year: year, Currency: byMonth.Currency, Total: byMonth.Total, Categories: byCat.Groups,
		Note: byMonth.Note, ChartW: chartW, ChartH: chartH, Base: chartTop + chartBar}
	if a := domain.ActorFrom(ctx); a.MemberID != 0 {
		d.MemberID = a.MemberID
		if d.Statements, err = p.svc.Surplus.StatementPeriods(ctx, a.MemberID); err != nil {
			return nil, err
		}
	}
	for y := time.Now().UTC().Year(); y >= time.Now().UTC().Year()-4; y-- {
		d.Years = append(d.Years, y)
	}
	got := map[string]domain.SavingsFigures{}
	peak := decimal.Zero
	for _, g := range byMonth.Groups {
		got[g.Key] = g
		if g.Savings.GreaterThan(peak) {
			peak = g.Savings
		}
	}
	for m := 1; m <= 12; m++ {
		month := time.Date(year, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		f, ok := got[month.Format("2006-01")]
		if !ok {
			f = domain.SavingsFigures{Key: month.Format("2006-01")}
		}
		// The bar's share of the tallest, in percent (pricing.Percent is
		// the one percentage of money), then pixels.
		h := int64(0)
		if f.Savings.IsPositive() {
			h = pricing.Percent(f.Savings, peak).Mul(decimal.NewFromInt(chartBar / 100)).IntPart() // 2 px per percent
		}
		x := int64(40 + (m-1)*50)
		d.Months = append(d.Months, monthBar{Month: month, Figures: f, X: x, W: 36, H: h, Y: chartTop + chartBar - h, TextX: x + 18})
	}
	return d, nil
}

// savings shows this year's savings by month (an SVG bar chart with the
// same numbers in a table) and by category.
func (p *Pages) savings(c echo.Context) error {
	d, err := p.savingsReports(c)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "savings", d)
}

// savingsCSV downloads the same figures: one row per month, then per
// category, amounts in the plain format (1234.50).
func (p *Pages) savingsCSV(c echo.Context) error {
	d, err := p.savingsReports(c)
	if err != nil {
		return err
	}
	year := d.Year
	l := pageOf(c).L
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{l.T("savings.csv.kind"), l.T("savings.csv.key"), l.T("savings.spend"), l.T("savings.baseline"),
		l.T("savings.saved"), l.T("savings.percent"), l.T("savings.csv.currency")})
	row := func(kind, key string, f domain.SavingsFigures) {
		_ = w.Write([]string{kind, key, f.Spend.StringFixed(2), f.BaselineSpend.StringFixed(2), f.Savings.StringFixed(2),
			f.SavingsPercent.StringFixed(2), d.Currency})
	}
	for _, m := range d.Months {
		row(l.T("savings.csv.month"), m.Figures.Key, m.Figures)
	}
	for _, g := range d.Categories {
		row(l.T("savings.csv.category"), g.Key, g)
	}
	row(l.T("savings.csv.total"), strconv.Itoa(year), d.Total)
	w.Flush()
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="andel-savings-%d.csv"`, year))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
