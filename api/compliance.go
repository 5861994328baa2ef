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
	a.GET("/suppliers/:id/scorecard", s.getScorecard)
	a.GET("/scorecard-weights", s.getScorecardWeights)
	a.PUT("/scorecard-weights", s.putScorecardWeights)
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

type scorecardPartResponse struct {
	Name   string `json:"name"`
	Weight int    `json:"weight"`
	Scored bool   `json:"scored"`
	Score  string `json:"score,omitempty"`
}

type scorecardTenderResponse struct {
	TenderID    int64  `json:"tender_id"`
	Title       string `json:"title"`
	Lines       int64  `json:"lines"`
	LinesBid    int64  `json:"lines_bid"`
	SharePriced string `json:"share_priced"`
}

type scorecardResponse struct {
	SupplierID   int64  `json:"supplier_id"`
	SupplierName string `json:"supplier_name"`
	Period       string `json:"period"`
	From         string `json:"from"`
	To           string `json:"to"`
	// Score is the weighted total of the parts scored; null when none is.
	Score  *string                 `json:"score"`
	Parts  []scorecardPartResponse `json:"parts"`
	Orders struct {
		Orders            int64  `json:"orders"`
		Rejected          int64  `json:"rejected"`
		RejectionRate     string `json:"rejection_rate"`
		Confirmed         int64  `json:"confirmed"`
		ConfirmedInDay    int64  `json:"confirmed_within_24h"`
		ConfirmedInDayPct string `json:"confirmed_within_24h_share"`
		ResponseMedianS   *int64 `json:"response_median_seconds"`
		ResponseP90S      *int64 `json:"response_p90_seconds"`
		DeliveredPromised int64  `json:"delivered_with_promise"`
		OnTime            int64  `json:"on_time"`
		OnTimeShare       string `json:"on_time_share"`
	} `json:"orders"`
	PriceLists struct {
		Lists           int64  `json:"lists"`
		Rejected        int64  `json:"rejected"`
		RejectedShare   string `json:"rejected_share"`
		RowsRead        int64  `json:"rows_read"`
		Warnings        int64  `json:"warnings"`
		WarningsPer1000 string `json:"warnings_per_1000_lines"`
	} `json:"price_lists"`
	Tenders []scorecardTenderResponse `json:"tenders"`
}

func toScorecardResponse(sc *domain.Scorecard) scorecardResponse {
	r := scorecardResponse{SupplierID: sc.SupplierID, SupplierName: sc.SupplierName, Period: sc.Period,
		From: sc.From.Format(dateLayout), To: sc.To.Format(dateLayout), Parts: []scorecardPartResponse{},
		Tenders: []scorecardTenderResponse{}}
	if sc.Score != nil {
		v := sc.Score.StringFixed(2)
		r.Score = &v
	}
	for _, p := range sc.Parts {
		pr := scorecardPartResponse{Name: p.Name, Weight: p.Weight, Scored: p.Scored}
		if p.Scored {
			pr.Score = p.Score.StringFixed(2)
		}
		r.Parts = append(r.Parts, pr)
	}
	o := sc.Orders
	r.Orders.Orders, r.Orders.Rejected, r.Orders.RejectionRate = o.Orders, o.Rejected, sc.RejectionRate.StringFixed(2)
	r.Orders.Confirmed, r.Orders.ConfirmedInDay, r.Orders.ConfirmedInDayPct = o.Confirmed, o.ConfirmedInDay, sc.ConfirmedInDayShare.StringFixed(2)
	r.Orders.ResponseMedianS, r.Orders.ResponseP90S = o.ResponseMedianS, o.ResponseP90S
	r.Orders.DeliveredPromised, r.Orders.OnTime, r.Orders.OnTimeShare = o.DeliveredPromised, o.OnTime, sc.OnTimeShare.StringFixed(2)
	pl := sc.PriceLists
	r.PriceLists.Lists, r.PriceLists.Rejected, r.PriceLists.RejectedShare = pl.Lists, pl.Rejected, pl.RejectedShare.StringFixed(2)
	r.PriceLists.RowsRead, r.PriceLists.Warnings, r.PriceLists.WarningsPer1000 = pl.RowsRead, pl.Warnings, pl.WarningsPer1000.StringFixed(2)
	for _, t := range sc.Tenders {
		r.Tenders = append(r.Tenders, scorecardTenderResponse{TenderID: t.TenderID, Title: t.Title, Lines: t.Lines,
			LinesBid: t.Bid, SharePriced: t.SharePriced.StringFixed(2)})
	}
	return r
}

func (s *Server) getScorecard(c echo.Context) error {
	id, err := pathID(c, "id", "supplier")
	if err != nil {
		return err
	}
	sc, err := s.svc.Scorecards.Get(c.Request().Context(), id, c.QueryParam("period"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toScorecardResponse(sc))
}

// scorecardWeightsBody is the weights of a scorecard's parts (sum 100).
type scorecardWeightsBody struct {
	OnTime     *int `json:"on_time"`
	Rejections *int `json:"rejections"`
	Response   *int `json:"response"`
	PriceLists *int `json:"price_lists"`
	Tenders    *int `json:"tenders"`
}

func (b scorecardWeightsBody) domain() domain.ScorecardWeights {
	w := domain.ScorecardWeights{}
	for name, v := range map[string]*int{domain.PartOnTime: b.OnTime, domain.PartRejections: b.Rejections,
		domain.PartResponse: b.Response, domain.PartPriceLists: b.PriceLists, domain.PartTenders: b.Tenders} {
		if v != nil {
			w[name] = *v
		}
	}
	return w
}

func weightsBody(w domain.ScorecardWeights) scorecardWeightsBody {
	v := func(name string) *int { x := w[name]; return &x }
	return scorecardWeightsBody{OnTime: v(domain.PartOnTime), Rejections: v(domain.PartRejections), Response: v(domain.PartResponse),
		PriceLists: v(domain.PartPriceLists), Tenders: v(domain.PartTenders)}
}

func (s *Server) getScorecardWeights(c echo.Context) error {
	w, err := s.svc.Scorecards.Weights(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, weightsBody(w))
}

func (s *Server) putScorecardWeights(c echo.Context) error {
	var b scorecardWeightsBody
	if err := s.decodeJSON(c, &b); err != nil {
		return err
	}
	w, err := s.svc.Scorecards.SetWeights(c.Request().Context(), b.domain())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, weightsBody(w))
}
