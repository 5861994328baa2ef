package api

import (
	"net/http"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// complianceRoutes registers contract compliance (leakage) and supplier
// scorecards.
func (s *Server) complianceRoutes(a *echo.Group) {
	a.GET("/compliance", s.getCompliance)
}

type complianceFiguresResponse struct {
	Key              string `json:"key,omitempty"`
	Label            string `json:"label,omitempty"`
	Lines            int64  `json:"lines"`
	Spend            string `json:"spend"`
	OffContractSpend string `json:"off_contract_spend"`
	OffContractShare string `json:"off_contract_share"`
	LeakageSpend     string `json:"leakage_spend"`
	LeakageShare     string `json:"leakage_share"`
	MissedSavings    string `json:"missed_savings"`
}

type complianceProductResponse struct {
	ProductID        int64  `json:"product_id"`
	Name             string `json:"name"`
	Category         string `json:"category"`
	Lines            int64  `json:"lines"`
	OffContractSpend string `json:"off_contract_spend"`
	LeakageSpend     string `json:"leakage_spend"`
	MissedSavings    string `json:"missed_savings"`
}

type complianceResponse struct {
	Currency string                      `json:"currency"`
	From     string                      `json:"from"`
	To       string                      `json:"to"`
	GroupBy  string                      `json:"group_by,omitempty"`
	Total    complianceFiguresResponse   `json:"total"`
	Groups   []complianceFiguresResponse `json:"groups"`
	// Products: a practice's products bought off contract most often.
	Products []complianceProductResponse `json:"products,omitempty"`
	Note     string                      `json:"note,omitempty"`
}

// amountsIn formats stored amounts as money strings of currency cur.
func amountsIn(cur string, dst []*string, src ...decimal.Decimal) error {
	for i, d := range src {
		m, err := pricing.NewMoney(d, pricing.Currency(cur))
		if err != nil {
			return err
		}
		*dst[i] = money(m)
	}
	return nil
}

func toComplianceFigures(f domain.ComplianceFigures, cur string) (complianceFiguresResponse, error) {
	r := complianceFiguresResponse{Key: f.Key, Label: f.Label, Lines: f.Lines,
		OffContractShare: f.OffContractShare.StringFixed(2), LeakageShare: f.LeakageShare.StringFixed(2)}
	err := amountsIn(cur, []*string{&r.Spend, &r.OffContractSpend, &r.LeakageSpend, &r.MissedSavings},
		f.Spend, f.OffContractSpend, f.LeakageSpend, f.MissedSavings)
	return r, err
}

// parseRange reads the required from and to query dates.
func parseRange(c echo.Context, p *domain.Problems) (from, to time.Time) {
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"from", &from}, {"to", &to}} {
		v := c.QueryParam(f.name)
		if v == "" {
			p.Add(f.name, "is required (YYYY-MM-DD)")
			continue
		}
		d, err := time.Parse(dateLayout, v)
		if err != nil {
			p.Add(f.name, "must be a date YYYY-MM-DD")
			continue
		}
		*f.dst = d
	}
	return from, to
}

func (s *Server) getCompliance(c echo.Context) error {
	var p domain.Problems
	q := domain.ComplianceQuery{GroupBy: c.QueryParam("group_by"), Currency: c.QueryParam("currency")}
	q.From, q.To = parseRange(c, &p)
	if err := p.Err(); err != nil {
		return err
	}
	rep, err := s.svc.Compliance.Report(c.Request().Context(), q)
	if err != nil {
		return err
	}
	res, err := toComplianceResponse(rep)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func toComplianceResponse(rep *domain.ComplianceReport) (*complianceResponse, error) {
	total, err := toComplianceFigures(rep.Total, rep.Currency)
	if err != nil {
		return nil, err
	}
	res := &complianceResponse{Currency: rep.Currency, From: rep.From.Format(dateLayout), To: rep.To.Format(dateLayout),
		GroupBy: rep.GroupBy, Total: total, Groups: []complianceFiguresResponse{}, Note: rep.Note}
	for _, g := range rep.Groups {
		f, err := toComplianceFigures(g, rep.Currency)
		if err != nil {
			return nil, err
		}
		res.Groups = append(res.Groups, f)
	}
	for _, pr := range rep.Products {
		r := complianceProductResponse{ProductID: pr.ProductID, Name: pr.Name, Category: pr.Category, Lines: pr.Lines}
		if err := amountsIn(rep.Currency, []*string{&r.OffContractSpend, &r.LeakageSpend, &r.MissedSavings},
			pr.OffContractSpend, pr.LeakageSpend, pr.MissedSavings); err != nil {
			return nil, err
		}
		res.Products = append(res.Products, r)
	}
	return res, nil
}
