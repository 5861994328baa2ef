package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// Contract compliance pages: the board's (/board/compliance: per practice
// and per category, with the savings missed, and a CSV and an .xlsx of
// the same figures) and the practice's own (/compliance: its categories and the
// products it most often buys off contract). Figures come from
// ComplianceService, the same as GET /api/v1/compliance.

// complianceRoutes registers the compliance pages.
func (p *Pages) complianceRoutes(g *echo.Group) {
	staff := requireRole(domain.RoleBoard, domain.RoleAdmin)
	g.GET("/board/compliance", p.boardCompliance, staff)
	g.GET("/board/compliance.csv", p.boardComplianceCSV, staff)
	g.GET("/board/compliance.xlsx", p.boardComplianceXLSX, staff)
	g.GET("/compliance", p.practiceCompliance, requireRole(domain.RoleMember))
}

// complianceBar is one bar of the off-contract chart (SVG pixels).
type complianceBar struct {
	Label          string
	Figures        domain.ComplianceFigures
	Y, W, TextY, H int64
}

type complianceData struct {
	From, To   time.Time
	Currency   string
	Total      domain.ComplianceFigures
	Members    []domain.ComplianceFigures
	Categories []domain.ComplianceFigures
	Products   []domain.ComplianceProduct
	Bars       []complianceBar
	Note       string
	ChartW     int64
	ChartH     int64
	BarX       int64
}

// Chart geometry: one horizontal bar per category, 28 px apart, the
// longest 360 px, right of a 200 px label column.
const (
	cBarX, cBarMax, cRow, cBarH, cTop = 200, 360, 28, 18, 8
)

// complianceRange reads ?from= and ?to= (YYYY-MM-DD; default this year).
func complianceRange(c echo.Context) (from, to time.Time, err error) {
	this := time.Now().UTC().Year()
	from = time.Date(this, 1, 1, 0, 0, 0, 0, time.UTC)
	to = time.Date(this, 12, 31, 0, 0, 0, 0, time.UTC)
	var p domain.Problems
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		if v := c.QueryParam(f.name); v != "" {
			d, perr := time.Parse(time.DateOnly, v)
			if perr != nil {
				p.Add(f.name, "must be a date YYYY-MM-DD")
				continue
			}
			*f.dst = d
		}
	}
	return from, to, p.Err()
}

// complianceReports reads the figures of the range asked for: per
// practice (staff) and per category, and the practice's products.
func (p *Pages) complianceReports(c echo.Context, staff bool) (*complianceData, error) {
	from, to, err := complianceRange(c)
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	byCat, err := p.svc.Compliance.Report(ctx, domain.ComplianceQuery{From: from, To: to, GroupBy: domain.GroupCategory})
	if err != nil {
		return nil, err
	}
	d := &complianceData{From: from, To: to, Currency: byCat.Currency, Total: byCat.Total, Categories: byCat.Groups,
		Products: byCat.Products, Note: byCat.Note, BarX: cBarX}
	if staff {
		byMember, err := p.svc.Compliance.Report(ctx, domain.ComplianceQuery{From: from, To: to, GroupBy: domain.GroupMember})
		if err != nil {
			return nil, err
		}
		d.Members = byMember.Groups
	}
	peak := decimal.Zero
	for _, g := range d.Categories {
		if g.OffContractSpend.GreaterThan(peak) {
			peak = g.OffContractSpend
		}
	}
	for i, g := range d.Categories {
		w := int64(0)
		if g.OffContractSpend.IsPositive() {
			// The bar's share of the longest in percent (pricing.Percent,
			// the one percentage of money), then pixels.
			w = pricing.Percent(g.OffContractSpend, peak).Mul(decimal.NewFromInt(cBarMax)).DivRound(decimal.NewFromInt(100), 0).IntPart()
		}
		y := int64(cTop + i*cRow)
		d.Bars = append(d.Bars, complianceBar{Label: g.Key, Figures: g, Y: y, W: w, H: cBarH, TextY: y + cBarH - 4})
	}
	d.ChartW = cBarX + cBarMax + 20
	d.ChartH = int64(cTop*2 + max(1, len(d.Bars))*cRow)
	return d, nil
}

func (p *Pages) boardCompliance(c echo.Context) error {
	d, err := p.complianceReports(c, true)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "compliance_board", d)
}

func (p *Pages) practiceCompliance(c echo.Context) error {
	d, err := p.complianceReports(c, false)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "compliance_practice", d)
}

// complianceSheet is the board page's figures as downloaded: one row per
// practice, then per category, then the total; amounts as decimal strings
// with 2 decimals, exactly as shown.
func complianceSheet(d *complianceData, l *Localizer) (header []string, rows []sheetRow) {
	header = []string{l.T("compliance.csv.kind"), l.T("compliance.csv.key"), l.T("compliance.csv.name"), l.T("compliance.spend"),
		l.T("compliance.off"), l.T("compliance.offshare"), l.T("compliance.leakage"), l.T("compliance.missed"), l.T("compliance.csv.currency")}
	row := func(kind, key, name string, f domain.ComplianceFigures, total bool) {
		cells := []sheetCell{{V: kind}, {V: key}, {V: name}}
		for _, v := range []decimal.Decimal{f.Spend, f.OffContractSpend, f.OffContractShare, f.LeakageSpend, f.MissedSavings} {
			cells = append(cells, sheetCell{V: v.StringFixed(2), Number: true})
		}
		rows = append(rows, sheetRow{Cells: append(cells, sheetCell{V: d.Currency}), Total: total})
	}
	for _, m := range d.Members {
		row(l.T("compliance.csv.member"), m.Key, m.Label, m, false)
	}
	for _, g := range d.Categories {
		row(l.T("compliance.csv.category"), g.Key, g.Key, g, false)
	}
	row(l.T("compliance.csv.total"), "", "", d.Total, true)
	return header, rows
}

// boardComplianceCSV downloads the board page's figures (complianceSheet)
// as CSV, amounts in the plain format (1234.50).
func (p *Pages) boardComplianceCSV(c echo.Context) error {
	d, err := p.complianceReports(c, true)
	if err != nil {
		return err
	}
	header, rows := complianceSheet(d, pageOf(c).L)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header)
	for _, r := range rows {
		rec := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			rec[i] = c.V
		}
		_ = w.Write(rec)
	}
	w.Flush()
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+complianceFilename(d, "csv")+`"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// boardComplianceXLSX downloads the same figures as .xlsx through the
// savings dashboard's writer (xlsxSheet, board_export.go): number cells
// from the decimal strings, the total row bold.
func (p *Pages) boardComplianceXLSX(c echo.Context) error {
	d, err := p.complianceReports(c, true)
	if err != nil {
		return err
	}
	l := pageOf(c).L
	header, rows := complianceSheet(d, l)
	b, err := xlsxSheet(l.T("nav.bcompliance"), header, rows)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+complianceFilename(d, "xlsx")+`"`)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

func complianceFilename(d *complianceData, ext string) string {
	return fmt.Sprintf("andel-compliance-%s-%s.%s", d.From.Format(time.DateOnly), d.To.Format(time.DateOnly), ext)
}
