package api

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"andel/domain"
	"andel/pricing"

	"github.com/go-pdf/fpdf"
	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// Cluster benchmarking: a practice's position within its quality cluster,
// the board's cluster against cluster, and a cluster's data package for
// its meeting (domain/benchmark.go decides what may be shown).

func (s *Server) benchmarkRoutes(a *echo.Group) {
	a.GET("/benchmarks", s.getBenchmarks)
	a.GET("/clusters/:name/data-package", s.getDataPackage)
}

type quartilesResponse struct {
	Q1     string `json:"q1"`
	Median string `json:"median"`
	Q3     string `json:"q3"`
}

type groupFiguresResponse struct {
	Name            *string            `json:"name"`
	Shown           bool               `json:"shown"`
	Suppressed      *string            `json:"suppressed"`
	Note            string             `json:"note"`
	Practices       *int               `json:"practices"`
	UnitPrice       *quartilesResponse `json:"unit_price"`
	SavingsRate     *string            `json:"savings_rate"`
	OnContractShare *string            `json:"on_contract_share"`
}

type practiceFiguresResponse struct {
	UnitPrice       *string `json:"unit_price"`
	BaseQuantity    string  `json:"base_quantity"`
	Spend           string  `json:"spend"`
	SavingsRate     string  `json:"savings_rate"`
	OnContractShare string  `json:"on_contract_share"`
}

type benchmarkResponse struct {
	Period       string                   `json:"period"`
	From         string                   `json:"from"`
	To           string                   `json:"to"`
	Currency     string                   `json:"currency"`
	Category     *string                  `json:"category"`
	ProductID    *int64                   `json:"product_id"`
	ProductName  *string                  `json:"product_name"`
	BaseUnit     *string                  `json:"base_unit"`
	MinPractices int                      `json:"min_practices"`
	Own          *practiceFiguresResponse `json:"own,omitempty"`
	OwnNote      string                   `json:"own_note,omitempty"`
	Band         *string                  `json:"band,omitempty"`
	BandNote     string                   `json:"band_note,omitempty"`
	Cluster      *groupFiguresResponse    `json:"cluster,omitempty"`
	Cooperative  groupFiguresResponse     `json:"cooperative"`
	Clusters     []groupFiguresResponse   `json:"clusters,omitempty"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// unitPrice writes a price per base unit as prices are written.
func unitPrice(d decimal.Decimal, currency string) string {
	p, err := pricing.NewPrice(d, pricing.Currency(currency))
	if err != nil { // more than 6 decimals cannot come from pricing
		return d.String()
	}
	return price(p)
}

func toGroupFigures(g domain.GroupFigures, currency string) groupFiguresResponse {
	r := groupFiguresResponse{Name: strPtr(g.Name), Shown: g.Shown(), Suppressed: strPtr(g.Suppressed), Note: g.Note}
	if !g.Shown() {
		return r
	}
	n, sr, oc := g.Practices, g.SavingsRate.StringFixed(2), g.OnContractShare.StringFixed(2)
	r.Practices, r.SavingsRate, r.OnContractShare = &n, &sr, &oc
	if g.HasUnitPrice {
		r.UnitPrice = &quartilesResponse{Q1: unitPrice(g.Q1, currency), Median: unitPrice(g.Median, currency), Q3: unitPrice(g.Q3, currency)}
	}
	return r
}

func toPracticeFigures(f domain.PracticeFigures, currency string) practiceFiguresResponse {
	r := practiceFiguresResponse{BaseQuantity: f.BaseQuantity.String(), Spend: amount(f.Spend),
		SavingsRate: f.SavingsRate.StringFixed(2), OnContractShare: f.OnContractShare.StringFixed(2)}
	if f.HasUnitPrice {
		p := unitPrice(f.UnitPrice, currency)
		r.UnitPrice = &p
	}
	return r
}

func toBenchmarkResponse(rep *domain.BenchmarkReport) benchmarkResponse {
	res := benchmarkResponse{Period: rep.Period.Label, From: rep.Period.Start.Format(dateLayout), To: rep.Period.End().Format(dateLayout),
		Currency: rep.Currency, Category: strPtr(rep.Category), ProductName: strPtr(rep.ProductName), BaseUnit: strPtr(rep.BaseUnit),
		MinPractices: rep.MinPractices, OwnNote: rep.OwnNote, Band: strPtr(rep.Band), BandNote: rep.BandNote,
		Cooperative: toGroupFigures(rep.Cooperative, rep.Currency)}
	if rep.ProductID != 0 {
		id := rep.ProductID
		res.ProductID = &id
	}
	if rep.Own != nil {
		o := toPracticeFigures(*rep.Own, rep.Currency)
		res.Own = &o
	}
	if rep.Cluster != nil {
		g := toGroupFigures(*rep.Cluster, rep.Currency)
		res.Cluster = &g
	}
	for _, g := range rep.Clusters {
		res.Clusters = append(res.Clusters, toGroupFigures(g, rep.Currency))
	}
	return res
}

func (s *Server) getBenchmarks(c echo.Context) error {
	q := domain.BenchmarkQuery{Period: c.QueryParam("period"), Category: c.QueryParam("category"), Cluster: c.QueryParam("cluster")}
	if v := c.QueryParam("product_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			var p domain.Problems
			p.Add("product_id", "must be a product id")
			return p.Err()
		}
		q.ProductID = id
	}
	rep, err := s.svc.Benchmarks.Benchmarks(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toBenchmarkResponse(rep))
}

type packageCellResponse struct {
	Bought          bool    `json:"bought"`
	UnitPrice       *string `json:"unit_price"`
	SavingsRate     *string `json:"savings_rate"`
	OnContractShare *string `json:"on_contract_share"`
}

type packageRowResponse struct {
	Category    string                `json:"category"`
	BaseUnit    *string               `json:"base_unit"`
	Cells       []packageCellResponse `json:"cells"`
	Cluster     groupFiguresResponse  `json:"cluster"`
	Cooperative groupFiguresResponse  `json:"cooperative"`
}

type dataPackageResponse struct {
	Cluster      string               `json:"cluster"`
	Period       string               `json:"period"`
	From         string               `json:"from"`
	To           string               `json:"to"`
	Currency     string               `json:"currency"`
	MinPractices int                  `json:"min_practices"`
	Columns      []string             `json:"columns"` // "you", "A", "B", ...
	Rows         []packageRowResponse `json:"rows"`
	Note         string               `json:"note,omitempty"`
}

func toDataPackageResponse(p *domain.DataPackage) dataPackageResponse {
	res := dataPackageResponse{Cluster: p.Cluster, Period: p.Period.Label, From: p.Period.Start.Format(dateLayout),
		To: p.Period.End().Format(dateLayout), Currency: p.Currency, MinPractices: p.MinPractices, Note: p.Note,
		Columns: []string{}, Rows: []packageRowResponse{}}
	for _, col := range p.Columns {
		if col.You {
			res.Columns = append(res.Columns, "you")
		} else {
			res.Columns = append(res.Columns, col.Label)
		}
	}
	for _, r := range p.Rows {
		row := packageRowResponse{Category: r.Category, BaseUnit: strPtr(r.BaseUnit), Cells: []packageCellResponse{},
			Cluster: toGroupFigures(r.Cluster, p.Currency), Cooperative: toGroupFigures(r.Cooperative, p.Currency)}
		for _, cell := range r.Cells {
			out := packageCellResponse{Bought: cell.Bought}
			if cell.Bought {
				f := toPracticeFigures(cell.PracticeFigures, p.Currency)
				out.UnitPrice, out.SavingsRate, out.OnContractShare = f.UnitPrice, &f.SavingsRate, &f.OnContractShare
			}
			row.Cells = append(row.Cells, out)
		}
		res.Rows = append(res.Rows, row)
	}
	return res
}

func (s *Server) getDataPackage(c echo.Context) error {
	pkg, err := s.svc.Benchmarks.DataPackage(c.Request().Context(), c.Param("name"), c.QueryParam("period"))
	if err != nil {
		return err
	}
	format, err := negotiate(c, echo.MIMETextHTML, "application/pdf", echo.MIMEApplicationJSON)
	if err != nil {
		return err
	}
	res := toDataPackageResponse(pkg)
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	switch format {
	case echo.MIMETextHTML:
		var buf bytes.Buffer
		if err := dataPackagePage.Execute(&buf, res); err != nil {
			return err
		}
		return styledDocument(c, buf.Bytes())
	case "application/pdf":
		b, err := dataPackagePDF(res)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", `inline; filename="data-package-`+res.Period+`.pdf"`)
		return c.Blob(http.StatusOK, "application/pdf", b)
	}
	return c.JSON(http.StatusOK, res)
}

// packageMetrics are the package's three tables: what each cell shows.
var packageMetrics = []struct {
	title string
	cell  func(packageCellResponse) *string
	group func(groupFiguresResponse) *string
}{
	{"Price paid per base unit", func(c packageCellResponse) *string { return c.UnitPrice },
		func(g groupFiguresResponse) *string {
			if g.UnitPrice == nil {
				return nil
			}
			return &g.UnitPrice.Median
		}},
	{"Savings rate against the baseline (%)", func(c packageCellResponse) *string { return c.SavingsRate },
		func(g groupFiguresResponse) *string { return g.SavingsRate }},
	{"On-contract share of spend (%)", func(c packageCellResponse) *string { return c.OnContractShare },
		func(g groupFiguresResponse) *string { return g.OnContractShare }},
}

// packageTable is one metric's table: a row per category, a cell per
// column, then the cluster's and the cooperative's (median) figure.
type packageTable struct {
	Title   string
	Columns []string
	Rows    [][]string // category, cells..., cluster, cooperative
	Notes   []string
}

func packageTables(res dataPackageResponse) []packageTable {
	var out []packageTable
	dash := func(s *string) string {
		if s == nil {
			return "–"
		}
		return *s
	}
	for _, m := range packageMetrics {
		t := packageTable{Title: m.title, Columns: res.Columns}
		for _, r := range res.Rows {
			name := r.Category
			if r.BaseUnit != nil {
				name += " (" + *r.BaseUnit + ")"
			}
			row := []string{name}
			for _, cell := range r.Cells {
				row = append(row, dash(m.cell(cell)))
			}
			row = append(row, dash(m.group(r.Cluster)), dash(m.group(r.Cooperative)))
			t.Rows = append(t.Rows, row)
			if !r.Cluster.Shown {
				t.Notes = append(t.Notes, r.Category+": "+r.Cluster.Note)
			}
		}
		out = append(out, t)
	}
	return out
}

// dataPackagePage is the printable package for the cluster meeting.
var dataPackagePage = template.Must(template.New("package").Funcs(template.FuncMap{"tables": packageTables}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Data package {{.Period}} – cluster {{.Cluster}}</title>
<style>
  body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 10pt; color: #111; margin: 2em; }
  h1 { font-size: 16pt; margin-bottom: 0.2em; }
  table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
  th, td { padding: 0.2em 0.45em; border-bottom: 1px solid #ccc; text-align: right; font-variant-numeric: tabular-nums; }
  th:first-child, td:first-child { text-align: left; }
  th.you, td.you { background: #eef4ff; font-weight: bold; }
  .meta, .note { color: #444; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print { body { margin: 0; } table { page-break-inside: avoid; } }
</style>
</head>
<body>
<h1>Data package: cluster {{.Cluster}}, {{.Period}}</h1>
<p class="meta">{{.From}} – {{.To}} · {{.Currency}} · one column per practice of the cluster that bought in the period, in an order drawn for this package;
a figure is shown only when at least {{.MinPractices}} practices contribute and none makes up more than half of its spend.
Cluster and cooperative: medians of the practices' figures for prices, of the summed spend for rates.</p>
{{if .Note}}<p class="note">{{.Note}}</p>{{else}}{{range tables .}}
<h2>{{.Title}}</h2>
<table>
<thead><tr><th scope="col">Category</th>{{range .Columns}}<th scope="col"{{if eq . "you"}} class="you"{{end}}>{{if eq . "you"}}You{{else}}{{.}}{{end}}</th>{{end}}<th scope="col">Cluster</th><th scope="col">Cooperative</th></tr></thead>
<tbody>
{{range .Rows}}<tr>{{range $i, $v := .}}{{if eq $i 0}}<th scope="row">{{$v}}</th>{{else}}<td>{{$v}}</td>{{end}}{{end}}</tr>
{{end}}</tbody>
</table>
{{range .Notes}}<p class="note">{{.}}</p>{{end}}{{end}}{{end}}
</body>
</html>
`))

// dataPackagePDF renders the package as A4 landscape pages, one table per
// metric.
func dataPackagePDF(res dataPackageResponse) ([]byte, error) {
	pdf := fpdf.New("L", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: æ, ø, å
	pdf.SetTitle("Data package "+res.Period+" - cluster "+res.Cluster, true)
	pdf.SetAutoPageBreak(true, 12)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 8, tr("Data package: cluster "+res.Cluster+", "+res.Period), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 8)
	pdf.MultiCell(0, 4, tr(res.From+" to "+res.To+" - "+res.Currency+" - one column per practice of the cluster that bought in the period, "+
		"in an order drawn for this package; a figure is shown only when at least "+strconv.Itoa(res.MinPractices)+
		" practices contribute and none makes up more than half of its spend."), "", "L", false)
	if res.Note != "" {
		pdf.Ln(3)
		pdf.MultiCell(0, 5, tr(res.Note), "", "L", false)
	}
	if res.Note == "" {
		for _, t := range packageTables(res) {
			pdf.Ln(3)
			pdf.SetFont("Helvetica", "B", 10)
			pdf.CellFormat(0, 6, tr(t.Title), "", 1, "L", false, 0, "")
			first := 42.0
			w := (277 - first) / float64(len(t.Columns)+2)
			pdf.SetFont("Helvetica", "B", 6.5)
			pdf.CellFormat(first, 5, "Category", "B", 0, "L", false, 0, "")
			for _, col := range append(append([]string{}, t.Columns...), "Cluster", "Coop.") {
				if col == "you" {
					col = "You"
				}
				pdf.CellFormat(w, 5, col, "B", 0, "R", false, 0, "")
			}
			pdf.Ln(-1)
			pdf.SetFont("Helvetica", "", 6.5)
			for _, row := range t.Rows {
				pdf.CellFormat(first, 4.5, tr(row[0]), "", 0, "L", false, 0, "")
				for _, v := range row[1:] {
					pdf.CellFormat(w, 4.5, tr(v), "", 0, "R", false, 0, "")
				}
				pdf.Ln(-1)
			}
			for _, n := range t.Notes {
				pdf.CellFormat(0, 4, tr(n), "", 1, "L", false, 0, "")
			}
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
