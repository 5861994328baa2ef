package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// Cluster benchmarking pages: "Compare" for a practice (its position in
// its quality cluster by category) and the board's cluster against
// cluster. What may be shown is decided by domain.BenchmarkService (the
// anonymity rules); these pages only draw it.

// compareRoutes are the practice's comparison (mounted from shopRoutes).
func (p *Pages) compareRoutes(m *echo.Group) {
	m.GET("/compare", p.compare)
}

// clusterRoutes are the board's (and staff's) cluster comparison
// (mounted from boardRoutes).
func (p *Pages) clusterRoutes(g *echo.Group) {
	b := g.Group("/board", requireRole(domain.RoleBoard, domain.RoleAdmin))
	b.GET("/clusters", p.boardClusters)
}

// periodOption is one choice of the period menu.
type periodOption struct {
	Value, Label string
	Selected     bool
}

// periodOptions: this and last year, their quarters, and the months of
// this year back to January of last year, newest first.
func periodOptions(l *Localizer, now time.Time, selected string) []periodOption {
	var out []periodOption
	add := func(v, label string) {
		out = append(out, periodOption{Value: v, Label: label, Selected: v == selected})
	}
	for y := now.Year(); y >= now.Year()-1; y-- {
		ys := strconv.Itoa(y)
		add(ys, ys)
		for q := 4; q >= 1; q-- {
			add(ys+"-Q"+strconv.Itoa(q), l.T("compare.quarter", q, y))
		}
	}
	for m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC); m.Year() >= now.Year()-1; m = m.AddDate(0, -1, 0) {
		add(m.Format("2006-01"), l.Month(m))
	}
	return out
}

// compareRow is one category of the practice's comparison, with the
// geometry of its chart row.
type compareRow struct {
	domain.BenchmarkReport
	// Index is the practice's price as a percentage of its cluster's
	// median; Charted when both are known.
	Index                   decimal.Decimal
	Charted                 bool
	Y, TextY, BarW          int64
	BandX, BandW, LabelEndX int64
}

type compareData struct {
	Period   string
	Periods  []periodOption
	Cluster  string
	Min      int
	Currency string
	Rows     []compareRow
	Charted  int // rows in the chart
	// Chart geometry.
	ChartW, ChartH, AxisX, MedianX, Base int64
	PackageHTML, PackagePDF              string
}

// Chart of the practice's price as a share of its cluster's median, one
// row per category: 0-200% over 400 px right of a label column.
const (
	cmpLabelW, cmpScale, cmpRowH, cmpTop = 170, 2, 28, 10
)

// pct2px is a percentage (0 to 200, clipped) in pixels.
func pct2px(p decimal.Decimal) int64 {
	v := p.IntPart()
	return min(max(v, 0), 200) * cmpScale
}

// compare shows the practice its position by category.
func (p *Pages) compare(c echo.Context) error {
	ctx := c.Request().Context()
	l := pageOf(c).L
	period := c.QueryParam("period")
	if period == "" {
		period = strconv.Itoa(time.Now().UTC().Year())
	}
	reps, err := p.svc.Benchmarks.CategoryPositions(ctx, period)
	if err != nil {
		return err
	}
	d := &compareData{Period: period, Periods: periodOptions(l, time.Now().UTC(), period), Min: p.svc.Benchmarks.MinPractices(),
		Currency: p.svc.Options().Currency, AxisX: cmpLabelW, MedianX: cmpLabelW + 100*cmpScale, ChartW: cmpLabelW + 200*cmpScale + 20}
	var m domain.Member
	if err := p.svc.DB.WithContext(ctx).Select("quality_cluster").First(&m, pageOf(c).Actor.MemberID).Error; err != nil {
		return err
	}
	if m.QualityCluster != nil {
		d.Cluster = *m.QualityCluster
		base := "/api/v1/clusters/" + url.PathEscape(d.Cluster) + "/data-package?period=" + url.QueryEscape(period)
		d.PackageHTML, d.PackagePDF = base+"&format=html", base+"&format=pdf"
	}
	y := int64(cmpTop)
	for _, r := range reps {
		row := compareRow{BenchmarkReport: r}
		if r.Own != nil && r.Own.HasUnitPrice && r.Cluster != nil && r.Cluster.Shown() && r.Cluster.HasUnitPrice && r.Cluster.Median.IsPositive() {
			row.Charted = true
			row.Index = pricing.Percent(r.Own.UnitPrice, r.Cluster.Median)
			row.Y, row.TextY = y, y+cmpRowH/2+4
			row.BarW = pct2px(row.Index)
			q1, q3 := pct2px(pricing.Percent(r.Cluster.Q1, r.Cluster.Median)), pct2px(pricing.Percent(r.Cluster.Q3, r.Cluster.Median))
			row.BandX, row.BandW = cmpLabelW+q1, max(q3-q1, 2)
			row.LabelEndX = cmpLabelW - 8
			y += cmpRowH
			d.Charted++
		}
		d.Rows = append(d.Rows, row)
	}
	d.Base = y
	d.ChartH = y + 30
	return p.render(c, http.StatusOK, "compare", d)
}

// clusterBar is one cluster of the board's chart.
type clusterBar struct {
	domain.GroupFigures
	Package      string
	Y, TextY, W  int64
	LabelEndX    int64
	Charted      bool
	ValueX       int64
	OnContractPx int64
}

type clustersData struct {
	Period      string
	Periods     []periodOption
	Category    string
	Categories  []string
	Min         int
	Currency    string
	BaseUnit    string
	Cooperative domain.GroupFigures
	Clusters    []clusterBar
	Shown       int
	ChartW      int64
	ChartH      int64
	AxisX       int64
	Base        int64
}

// Chart of each cluster's on-contract share, 0-100% over 400 px.
const clLabelW, clRowH = 200, 18

// boardClusters compares the clusters with each other for a period and a
// category (or all purchases).
func (p *Pages) boardClusters(c echo.Context) error {
	ctx := c.Request().Context()
	l := pageOf(c).L
	period := c.QueryParam("period")
	if period == "" {
		period = strconv.Itoa(time.Now().UTC().Year())
	}
	q := domain.BenchmarkQuery{Period: period, Category: c.QueryParam("category")}
	rep, err := p.svc.Benchmarks.Benchmarks(ctx, q)
	if err != nil {
		return err
	}
	cats, err := p.svc.Benchmarks.Categories(ctx)
	if err != nil {
		return err
	}
	d := &clustersData{Period: period, Periods: periodOptions(l, time.Now().UTC(), period), Category: q.Category, Categories: cats,
		Min: p.svc.Benchmarks.MinPractices(), Currency: rep.Currency, BaseUnit: rep.BaseUnit, Cooperative: rep.Cooperative,
		AxisX: clLabelW, ChartW: clLabelW + 400 + 60}
	y := int64(10)
	for _, g := range rep.Clusters {
		b := clusterBar{GroupFigures: g, Package: "/api/v1/clusters/" + url.PathEscape(g.Name) + "/data-package?period=" + url.QueryEscape(period)}
		if g.Shown() {
			d.Shown++
			b.Charted = true
			b.Y, b.TextY, b.LabelEndX = y, y+clRowH/2+4, clLabelW-6
			b.W = g.OnContractShare.Mul(decimal.NewFromInt(4)).IntPart() // 4 px per percent
			b.ValueX = clLabelW + b.W + 4
			y += clRowH
		}
		d.Clusters = append(d.Clusters, b)
	}
	d.Base = y
	d.ChartH = y + 30
	return p.render(c, http.StatusOK, "cluster_compare", d)
}
