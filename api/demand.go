package api

import (
	"fmt"
	"net/http"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// demandRoutes registers members' demand and its pooling.
func (s *Server) demandRoutes(a *echo.Group) {
	a.GET("/members/:id/demand/:period", s.getDemand)
	a.PUT("/members/:id/demand/:period", s.putDemand)
	a.GET("/demand", s.poolDemand)
}

// demandRequest is the body of PUT /members/{id}/demand/{period}: every
// line of the period (replacing the earlier ones).
type demandRequest struct {
	// Lines is required: a body without it ({} or "lines": null) would
	// read as "no demand" and delete the practice's statement; an empty
	// list says so on purpose.
	Lines *[]demandLineRequest `json:"lines" validate:"required,max=10000,dive"`
}

type demandLineRequest struct {
	ProductID   int64   `json:"product_id" validate:"required,gt=0"`
	Quantity    string  `json:"quantity" validate:"required"`
	Unit        string  `json:"unit" validate:"omitempty,max=32"` // a Rec 20 code or a unit word ("stk"), pricing.ReadUnit
	PackContent *string `json:"pack_content"`
}

type demandLineResponse struct {
	ProductID       int64   `json:"product_id"`
	ProductName     string  `json:"product_name"`
	Quantity        string  `json:"quantity"`
	BaseUnit        string  `json:"base_unit"`
	EnteredQuantity string  `json:"entered_quantity"`
	EnteredUnit     string  `json:"entered_unit"`
	PackContent     *string `json:"pack_content"`
}

type demandResponse struct {
	MemberID int64                `json:"member_id"`
	Period   string               `json:"period"`
	Lines    []demandLineResponse `json:"lines"`
}

func toDemandResponse(memberID int64, period string, rows []domain.DemandLine) demandResponse {
	out := demandResponse{MemberID: memberID, Period: period, Lines: make([]demandLineResponse, len(rows))}
	for i, r := range rows {
		l := demandLineResponse{ProductID: r.ProductID, ProductName: r.ProductName, Quantity: r.Quantity.String(),
			BaseUnit: r.BaseUnit, EnteredQuantity: r.EnteredQuantity.String(), EnteredUnit: r.EnteredUnit}
		if r.PackContent != nil {
			v := r.PackContent.String()
			l.PackContent = &v
		}
		out.Lines[i] = l
	}
	return out
}

// decimalField parses a plain decimal string ("12.5") of field, recording
// a problem when it is not one.
func decimalField(p *domain.Problems, field, v string) decimal.Decimal {
	d, err := pricing.ParseAmount(v, pricing.LocalePlain)
	if err != nil {
		p.Add(field, "must be a decimal string such as \"12.50\"")
	}
	return d
}

func (s *Server) putDemand(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	var req demandRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	var p domain.Problems
	in := make([]domain.DemandInput, len(*req.Lines))
	for i, l := range *req.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		in[i] = domain.DemandInput{ProductID: l.ProductID, Quantity: decimalField(&p, f+".quantity", l.Quantity), Unit: l.Unit}
		if l.PackContent != nil {
			d := decimalField(&p, f+".pack_content", *l.PackContent)
			in[i].PackContent = &d
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	period := c.Param("period")
	rows, err := s.svc.Demand.Replace(c.Request().Context(), id, period, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toDemandResponse(id, period, rows))
}

func (s *Server) getDemand(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	period := c.Param("period")
	if !domain.ValidPeriod(period) {
		return (&domain.Problems{{Field: "period", Message: "must be a year (2027), half (2027-H1), quarter (2027-Q3) or month (2027-05)"}}).Err()
	}
	rows, err := s.svc.Demand.Get(c.Request().Context(), id, period)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toDemandResponse(id, period, rows))
}

type pooledDemandResponse struct {
	ProductID   int64  `json:"product_id"`
	ProductName string `json:"product_name"`
	Category    string `json:"category"`
	BaseUnit    string `json:"base_unit"`
	Quantity    string `json:"quantity"`
	Members     int    `json:"members"`
}

type pooledDemandListResponse struct {
	Period   string                 `json:"period"`
	Category string                 `json:"category"`
	Items    []pooledDemandResponse `json:"items"`
}

func (s *Server) poolDemand(c echo.Context) error {
	period, category := c.QueryParam("period"), c.QueryParam("category")
	rows, err := s.svc.Demand.Pool(c.Request().Context(), period, category)
	if err != nil {
		return err
	}
	out := pooledDemandListResponse{Period: period, Category: category, Items: make([]pooledDemandResponse, len(rows))}
	for i, r := range rows {
		out.Items[i] = pooledDemandResponse{ProductID: r.ProductID, ProductName: r.ProductName, Category: r.Category,
			BaseUnit: r.BaseUnit, Quantity: r.Quantity.String(), Members: r.Members}
	}
	return c.JSON(http.StatusOK, out)
}
