package api

import (
	"fmt"
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// tenderRoutes registers tenders, their bids, evaluation, award and OCDS
// export, and the contracts awards create.
func (s *Server) tenderRoutes(a *echo.Group) {
	a.GET("/tenders", s.listTenders)
	a.POST("/tenders", s.createTender, s.idempotent)
	a.GET("/tenders/:id", s.getTender)
	a.PUT("/tenders/:id", s.updateTender)
	a.POST("/tenders/:id/publish", s.publishTender)
	a.POST("/tenders/:id/cancel", s.cancelTender)
	a.GET("/tenders/:id/bids", s.listBids)
	a.POST("/tenders/:id/bids", s.submitBid, s.idempotent)
	a.GET("/tenders/:id/bids/:bidID", s.getBid)
	a.DELETE("/tenders/:id/bids/:bidID", s.withdrawBid)
	a.GET("/tenders/:id/evaluation", s.tenderEvaluation)
	a.POST("/tenders/:id/award", s.awardTender)
	a.GET("/tenders/:id/ocds", s.tenderOCDS)
	a.GET("/contracts", s.listContracts)
	a.GET("/contracts/:id", s.getContract)
	a.GET("/contracts/:id/settlement", s.getSettlement)
	a.GET("/members/:id/credits", s.listMemberCredits)
}

type tenderRequest struct {
	Title                string             `json:"title" validate:"required,max=300"`
	Description          string             `json:"description" validate:"max=10000"`
	Category             string             `json:"category" validate:"max=100"`
	Currency             string             `json:"currency" validate:"omitempty,len=3"`
	ContractFrom         string             `json:"contract_from" validate:"required,datetime=2006-01-02"`
	ContractTo           string             `json:"contract_to" validate:"required,datetime=2006-01-02"`
	BidDeadline          string             `json:"bid_deadline" validate:"required"`
	RebateRate           string             `json:"rebate_rate"`
	AllowIncreasingTiers bool               `json:"allow_increasing_tiers"`
	Criteria             []criterionRequest `json:"criteria" validate:"required,min=1,max=20,dive"`
	Lots                 []lotRequest       `json:"lots" validate:"required,min=1,max=100,dive"`
}

type criterionRequest struct {
	Name      string `json:"name" validate:"required,max=50"`
	Weight    string `json:"weight" validate:"required"`
	Direction string `json:"direction" validate:"omitempty,oneof=lower_is_better higher_is_better score"`
}

type lotRequest struct {
	Title       string             `json:"title" validate:"required,max=300"`
	Description string             `json:"description" validate:"max=10000"`
	FromDemand  *fromDemandRequest `json:"from_demand"`
	Items       []lotItemRequest   `json:"items" validate:"max=5000,dive"`
}

type fromDemandRequest struct {
	Period string `json:"period" validate:"required"`
}

type lotItemRequest struct {
	ProductID int64  `json:"product_id" validate:"required,gt=0"`
	Quantity  string `json:"quantity" validate:"required"`
}

// toInput maps the request to the domain's input. invalid holds the
// problems the struct's rules found; with those met here (numbers, the
// deadline) they go to the domain as TenderInput.Invalid, which lists them
// with its own: every bad field at once. A value refused is left zero.
func (r tenderRequest) toInput(invalid domain.Problems) domain.TenderInput {
	p := invalid
	in := domain.TenderInput{Title: r.Title, Description: r.Description, Category: r.Category, Currency: r.Currency,
		AllowIncreasingTiers: r.AllowIncreasingTiers}
	in.ContractFrom, _ = time.Parse(dateLayout, r.ContractFrom) // zero when refused: listed in invalid
	in.ContractTo, _ = time.Parse(dateLayout, r.ContractTo)
	d, err := time.Parse(time.RFC3339, r.BidDeadline)
	if err != nil && r.BidDeadline != "" {
		p.Add("bid_deadline", "must be an RFC 3339 time such as 2027-03-01T12:00:00Z")
	}
	in.BidDeadline = d
	if r.RebateRate != "" {
		in.RebateRate = decimalField(&p, "rebate_rate", r.RebateRate)
	}
	for i, c := range r.Criteria {
		ci := domain.CriterionInput{Name: c.Name, Direction: c.Direction}
		if c.Weight != "" { // "" is listed as required already
			ci.Weight = decimalField(&p, fmt.Sprintf("criteria[%d].weight", i), c.Weight)
		}
		in.Criteria = append(in.Criteria, ci)
	}
	for i, l := range r.Lots {
		li := domain.LotInput{Title: l.Title, Description: l.Description}
		if l.FromDemand != nil {
			li.FromDemand = l.FromDemand.Period
		}
		for j, it := range l.Items {
			item := domain.LotItemInput{ProductID: it.ProductID}
			if it.Quantity != "" { // "" is listed as required already
				item.Quantity = decimalField(&p, fmt.Sprintf("lots[%d].items[%d].quantity", i, j), it.Quantity)
			}
			li.Items = append(li.Items, item)
		}
		in.Lots = append(in.Lots, li)
	}
	in.Invalid = p
	return in
}

type tenderResponse struct {
	ID                   int64               `json:"id"`
	Title                string              `json:"title"`
	Description          string              `json:"description"`
	Category             string              `json:"category"`
	Currency             string              `json:"currency"`
	ContractFrom         string              `json:"contract_from"`
	ContractTo           string              `json:"contract_to"`
	BidDeadline          time.Time           `json:"bid_deadline"`
	RebateRate           string              `json:"rebate_rate"`
	AllowIncreasingTiers bool                `json:"allow_increasing_tiers"`
	DemandPeriod         *string             `json:"demand_period"`
	Status               string              `json:"status"`
	CreatedAt            time.Time           `json:"created_at"`
	PublishedAt          *time.Time          `json:"published_at"`
	ClosedAt             *time.Time          `json:"closed_at"`
	AwardedAt            *time.Time          `json:"awarded_at"`
	CancelledAt          *time.Time          `json:"cancelled_at"`
	CancelReason         string              `json:"cancel_reason,omitempty"`
	BidsCount            *int                `json:"bids_count,omitempty"` // staff only
	Criteria             []criterionResponse `json:"criteria"`
	Lots                 []lotResponse       `json:"lots,omitempty"`
}

type criterionResponse struct {
	Name      string `json:"name"`
	Weight    string `json:"weight"`
	Direction string `json:"direction"`
}

type lotResponse struct {
	ID          int64             `json:"id"`
	Position    int               `json:"position"`
	Title       string            `json:"title"`
	Description string            `json:"description"`
	Items       []lotItemResponse `json:"items"`
}

type lotItemResponse struct {
	ID          int64  `json:"id"`
	ProductID   int64  `json:"product_id"`
	ProductName string `json:"product_name"`
	BaseUnit    string `json:"base_unit"`
	Quantity    string `json:"quantity"`
	// Members is how many members' demand stands behind the quantity
	// (staff only; never which members).
	Members *int `json:"members,omitempty"`
}

func toTenderResponse(t domain.Tender, staff bool) tenderResponse {
	r := tenderResponse{ID: t.ID, Title: t.Title, Description: t.Description, Category: t.Category, Currency: t.Currency,
		ContractFrom: t.ContractFrom.Format(dateLayout), ContractTo: t.ContractTo.Format(dateLayout),
		BidDeadline: t.BidDeadline.UTC(), RebateRate: t.RebateRate.String(), AllowIncreasingTiers: t.AllowIncreasingTiers,
		DemandPeriod: t.DemandPeriod, Status: string(t.Status), CreatedAt: t.CreatedAt, PublishedAt: t.PublishedAt,
		ClosedAt: t.ClosedAt, AwardedAt: t.AwardedAt, CancelledAt: t.CancelledAt, CancelReason: t.CancelReason}
	if staff && t.BidsCount >= 0 {
		n := t.BidsCount
		r.BidsCount = &n
	}
	r.Criteria = append(r.Criteria, criterionResponse{Name: "price", Weight: t.PriceWeight.String(), Direction: "lower_is_better"})
	for _, c := range t.Criteria {
		r.Criteria = append(r.Criteria, criterionResponse{Name: c.Name, Weight: c.Weight.String(), Direction: c.Direction})
	}
	for _, l := range t.Lots {
		lr := lotResponse{ID: l.ID, Position: l.Position, Title: l.Title, Description: l.Description, Items: []lotItemResponse{}}
		for _, it := range l.Items {
			ir := lotItemResponse{ID: it.ID, ProductID: it.ProductID, ProductName: it.ProductName, BaseUnit: it.BaseUnit,
				Quantity: it.Quantity.String()}
			if staff {
				n := it.MembersCount
				ir.Members = &n
			}
			lr.Items = append(lr.Items, ir)
		}
		r.Lots = append(r.Lots, lr)
	}
	return r
}

func isStaff(c echo.Context) bool {
	return domain.ActorFrom(c.Request().Context()).IsStaff()
}

func (s *Server) createTender(c echo.Context) error {
	var req tenderRequest
	invalid, err := s.decodeInput(c, &req)
	if err != nil {
		return err
	}
	in := req.toInput(invalid)
	t, err := s.svc.Tenders.Create(c.Request().Context(), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/tenders/"+itoa(t.ID))
	return c.JSON(http.StatusCreated, toTenderResponse(*t, isStaff(c)))
}

func (s *Server) updateTender(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	// Another tenant's (or an absent) tender is 404 before the body is read.
	if _, err := s.svc.Tenders.Get(c.Request().Context(), id); err != nil {
		return err
	}
	var req tenderRequest
	invalid, err := s.decodeInput(c, &req)
	if err != nil {
		return err
	}
	in := req.toInput(invalid)
	t, err := s.svc.Tenders.Update(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toTenderResponse(*t, isStaff(c)))
}

func (s *Server) getTender(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	t, err := s.svc.Tenders.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toTenderResponse(*t, isStaff(c)))
}

func (s *Server) listTenders(c echo.Context) error {
	var p domain.Problems
	f := domain.TenderFilter{Page: pageParams(c, &p), Status: domain.TenderStatus(c.QueryParam("status"))}
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "must be %s", domain.TenderStatusValues())
	}
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Tenders.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	staff := isStaff(c)
	return c.JSON(http.StatusOK, newList(rows, next, func(t domain.Tender) tenderResponse { return toTenderResponse(t, staff) }))
}

func (s *Server) publishTender(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	t, err := s.svc.Tenders.Publish(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toTenderResponse(*t, isStaff(c)))
}

// cancelRequest is the optional body of POST /tenders/{id}/cancel.
type cancelRequest struct {
	Reason string `json:"reason" validate:"max=2000"`
}

func (s *Server) cancelTender(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	var req cancelRequest
	if c.Request().ContentLength != 0 {
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
	}
	t, err := s.svc.Tenders.Cancel(c.Request().Context(), id, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toTenderResponse(*t, isStaff(c)))
}
