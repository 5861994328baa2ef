package api

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"time"

	"andel/domain"

	"github.com/go-pdf/fpdf"
	"github.com/labstack/echo/v4"
)

type statementPurchaseResponse struct {
	Category string `json:"category"`
	Currency string `json:"currency"`
	Net      string `json:"net"`
	Baseline string `json:"baseline"`
	Savings  string `json:"savings"`
}

type statementResponse struct {
	MemberID        int64                       `json:"member_id"`
	Member          string                      `json:"member"`
	CVR             string                      `json:"cvr"`
	RunID           int64                       `json:"run_id"`
	Period          string                      `json:"period"`
	PeriodFrom      string                      `json:"period_from"`
	PeriodTo        string                      `json:"period_to"`
	Currency        string                      `json:"currency"`
	Status          string                      `json:"status"`
	ApprovedAt      *time.Time                  `json:"approved_at"`
	Purchases       []statementPurchaseResponse `json:"purchases"`
	Savings         string                      `json:"savings"`
	TrueUpCredits   string                      `json:"true_up_credits"`
	Patronage       string                      `json:"patronage"`
	TotalPatronage  string                      `json:"total_patronage"`
	Share           string                      `json:"share"`
	Distributable   string                      `json:"distributable"`
	Allocation      string                      `json:"allocation"`
	Cash            string                      `json:"cash"`
	Retained        string                      `json:"retained"`
	CarryForwardIn  string                      `json:"carry_forward_in"`
	CarryForwardOut string                      `json:"carry_forward_out"`
	Payout          string                      `json:"payout"`
	CapitalBalance  string                      `json:"capital_balance"`
}

func toStatementResponse(st *domain.Statement) statementResponse {
	a := st.Allocation
	res := statementResponse{MemberID: st.MemberID, Member: st.MemberName, CVR: st.CVR, RunID: st.RunID, Period: st.Period,
		PeriodFrom: st.From.Format(dateLayout), PeriodTo: st.To.Format(dateLayout), Currency: st.Currency,
		Status: st.Status, ApprovedAt: st.ApprovedAt, Purchases: []statementPurchaseResponse{}, Savings: amount(st.Savings),
		TrueUpCredits: amount(st.TrueUpCredits),
		Patronage:     amount(a.Patronage), TotalPatronage: amount(st.TotalPatronage), Share: a.Share.StringFixed(10),
		Distributable: amount(st.Distributable), Allocation: amount(a.Allocation), Cash: amount(a.Cash),
		Retained: amount(a.Retained), CarryForwardIn: amount(a.CarryForwardIn), CarryForwardOut: amount(a.CarryForwardOut),
		Payout: amount(a.Payout), CapitalBalance: amount(st.CapitalBalance)}
	for _, p := range st.Purchases {
		res.Purchases = append(res.Purchases, statementPurchaseResponse{Category: p.Category, Currency: p.Currency,
			Net: amount(p.Net), Baseline: amount(p.Baseline), Savings: amount(p.Savings)})
	}
	return res
}

func (s *Server) getStatement(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	st, err := s.svc.Surplus.Statement(c.Request().Context(), id, c.Param("period"))
	if err != nil {
		return err
	}
	// a document answers by ?format= or Accept (negotiate)
	format, err := negotiate(c, echo.MIMEApplicationJSON, echo.MIMETextHTML, "application/pdf")
	if err != nil {
		return err
	}
	res := toStatementResponse(st)
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
	switch format {
	case echo.MIMETextHTML:
		var buf bytes.Buffer
		if err := statementPage.Execute(&buf, res); err != nil {
			return err
		}
		return styledDocument(c, buf.Bytes())
	case "application/pdf":
		b, err := statementPDF(res)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", `inline; filename="statement-`+itoa(res.MemberID)+"-"+
			strings.ReplaceAll(res.Period, "/", "_")+`.pdf"`)
		return c.Blob(http.StatusOK, "application/pdf", b)
	}
	return c.JSON(http.StatusOK, res)
}

// statementPage is the printable statement: one A4 page, no navigation,
// print CSS for margins and page breaks.
var statementPage = template.Must(template.New("statement").Parse(`<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>Statement {{.Period}} – {{.Member}}</title>
<style>
  body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 11pt; color: #111; max-width: 48em; margin: 2em auto; }
  h1 { font-size: 16pt; margin-bottom: 0.2em; }
  table { border-collapse: collapse; width: 100%; margin: 1em 0; }
  th, td { padding: 0.25em 0.5em; border-bottom: 1px solid #ccc; text-align: left; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  .total td { font-weight: bold; border-top: 2px solid #111; }
  .meta { color: #444; }
  @page { size: A4; margin: 18mm 16mm; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10pt; }
    table { page-break-inside: avoid; }
    a { color: inherit; text-decoration: none; }
  }
</style>
</head>
<body>
<h1>Patronage refund statement {{.Period}}</h1>
<p class="meta">{{.Member}} · CVR {{.CVR}} · member {{.MemberID}}<br>
Period {{.PeriodFrom}} – {{.PeriodTo}} · run {{.RunID}} ({{.Status}}){{if .ApprovedAt}} · approved {{.ApprovedAt.Format "2006-01-02"}}{{end}}</p>
<h2>Purchases by category</h2>
<table>
<thead><tr><th>Category</th><th>Currency</th><th class="n">Net spend</th><th class="n">Baseline</th><th class="n">Savings</th></tr></thead>
<tbody>
{{range .Purchases}}<tr><td>{{.Category}}</td><td>{{.Currency}}</td><td class="n">{{.Net}}</td><td class="n">{{.Baseline}}</td><td class="n">{{.Savings}}</td></tr>
{{end}}<tr class="total"><td colspan="4">Savings against baseline ({{.Currency}})</td><td class="n">{{.Savings}}</td></tr>
<tr><td colspan="4">Contract true-up credits (the tier the cooperative reached)</td><td class="n">{{.TrueUpCredits}}</td></tr>
</tbody>
</table>
<h2>Your allocation ({{.Currency}})</h2>
<table>
<tbody>
<tr><td>Patronage (net spend, excl. VAT)</td><td class="n">{{.Patronage}}</td></tr>
<tr><td>Total patronage of the cooperative</td><td class="n">{{.TotalPatronage}}</td></tr>
<tr><td>Share of total</td><td class="n">{{.Share}}</td></tr>
<tr><td>Distributable surplus</td><td class="n">{{.Distributable}}</td></tr>
<tr class="total"><td>Allocation</td><td class="n">{{.Allocation}}</td></tr>
<tr><td>Cash</td><td class="n">{{.Cash}}</td></tr>
<tr><td>Retained (credited to your capital account)</td><td class="n">{{.Retained}}</td></tr>
<tr><td>Carry-forward in</td><td class="n">{{.CarryForwardIn}}</td></tr>
<tr><td>Carry-forward out</td><td class="n">{{.CarryForwardOut}}</td></tr>
<tr class="total"><td>Paid out</td><td class="n">{{.Payout}}</td></tr>
<tr><td>Capital account balance</td><td class="n">{{.CapitalBalance}}</td></tr>
</tbody>
</table>
</body>
</html>
`))

// statementPDF renders the statement as a one-page A4 PDF.
func statementPDF(st statementResponse) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: æ, ø, å
	pdf.SetTitle("Patronage refund statement "+st.Period, true)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 15)
	pdf.CellFormat(0, 9, tr("Patronage refund statement "+st.Period), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	approved := ""
	if st.ApprovedAt != nil {
		approved = " - approved " + st.ApprovedAt.Format(dateLayout)
	}
	pdf.MultiCell(0, 5, tr(st.Member+" - CVR "+st.CVR+" - member "+itoa(st.MemberID)+"\nPeriod "+st.PeriodFrom+" to "+
		st.PeriodTo+" - run "+itoa(st.RunID)+" ("+st.Status+")"+approved), "", "L", false)
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(0, 7, "Purchases by category", "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "B", 9)
	widths := []float64{60, 20, 35, 35, 30}
	for i, h := range []string{"Category", "Currency", "Net spend", "Baseline", "Savings"} {
		align := "R"
		if i < 2 {
			align = "L"
		}
		pdf.CellFormat(widths[i], 6, h, "B", 0, align, false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 9)
	for _, p := range st.Purchases {
		for i, v := range []string{p.Category, p.Currency, p.Net, p.Baseline, p.Savings} {
			align := "R"
			if i < 2 {
				align = "L"
			}
			pdf.CellFormat(widths[i], 5.5, tr(v), "", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.SetFont("Helvetica", "B", 9)
	pdf.CellFormat(150, 6, "Savings against baseline ("+st.Currency+")", "T", 0, "L", false, 0, "")
	pdf.CellFormat(30, 6, st.Savings, "T", 1, "R", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.CellFormat(150, 6, "Contract true-up credits (the tier the cooperative reached)", "", 0, "L", false, 0, "")
	pdf.CellFormat(30, 6, st.TrueUpCredits, "", 1, "R", false, 0, "")
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(0, 7, "Your allocation ("+st.Currency+")", "", 1, "L", false, 0, "")
	for _, row := range [][2]string{
		{"Patronage (net spend, excl. VAT)", st.Patronage},
		{"Total patronage of the cooperative", st.TotalPatronage},
		{"Share of total", st.Share},
		{"Distributable surplus", st.Distributable},
		{"Allocation", st.Allocation},
		{"Cash", st.Cash},
		{"Retained (credited to your capital account)", st.Retained},
		{"Carry-forward in", st.CarryForwardIn},
		{"Carry-forward out", st.CarryForwardOut},
		{"Paid out", st.Payout},
		{"Capital account balance", st.CapitalBalance},
	} {
		style := ""
		if row[0] == "Allocation" || row[0] == "Paid out" {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 10)
		pdf.CellFormat(140, 6, tr(row[0]), "B", 0, "L", false, 0, "")
		pdf.CellFormat(40, 6, row[1], "B", 1, "R", false, 0, "")
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
