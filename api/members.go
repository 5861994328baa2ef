package api

import (
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

const dateLayout = time.DateOnly

type memberResponse struct {
	ID             int64           `json:"id"`
	Name           string          `json:"name"`
	CVR            string          `json:"cvr"`
	ProviderNumber *string         `json:"provider_number"`
	Status         string          `json:"status"`
	JoinedOn       string          `json:"joined_on"`
	QualityCluster *string         `json:"quality_cluster"`
	GLN            *string         `json:"gln"`
	OrderContact   contactResponse `json:"order_contact"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
}

func toMemberResponse(m domain.Member) memberResponse {
	return memberResponse{ID: m.ID, Name: m.Name, CVR: m.CVR, ProviderNumber: m.ProviderNumber,
		Status: string(m.Status), JoinedOn: m.JoinedOn.Format(dateLayout), QualityCluster: m.QualityCluster,
		GLN:          m.GLN,
		OrderContact: contactResponse{Name: m.OrderContactName, Email: m.OrderContactEmail, Phone: m.OrderContactPhone},
		CreatedAt:    m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// memberRequest is the body of POST (name and cvr required) and PATCH
// (every field optional; "" clears provider_number and quality_cluster).
type memberRequest struct {
	Name           *string `json:"name" validate:"omitempty,max=200"`
	CVR            *string `json:"cvr" validate:"omitempty,max=20"`
	ProviderNumber *string `json:"provider_number" validate:"omitempty,max=50"`
	Status         *string `json:"status" validate:"omitempty,oneof=active suspended left"`
	JoinedOn       *string `json:"joined_on" validate:"omitempty,datetime=2006-01-02"`
	QualityCluster *string `json:"quality_cluster" validate:"omitempty,max=100"`
	GLN            *string `json:"gln" validate:"omitempty,max=20"`
	OrderContact   *struct {
		Name  string `json:"name" validate:"max=200"`
		Email string `json:"email" validate:"max=254"`
		Phone string `json:"phone" validate:"max=50"`
	} `json:"order_contact"`
}

// toInput maps the request to the domain's input; invalid holds the
// problems already found (by the struct's rules), handed on so that the
// domain lists them with its own. A value a rule refused is left unset.
func (r memberRequest) toInput(invalid domain.Problems) domain.MemberInput {
	in := domain.MemberInput{Name: r.Name, CVR: r.CVR, ProviderNumber: r.ProviderNumber, QualityCluster: r.QualityCluster, GLN: r.GLN,
		Invalid: invalid}
	if c := r.OrderContact; c != nil {
		in.OrderContact = &domain.OrderContact{Name: c.Name, Email: c.Email, Phone: c.Phone}
	}
	if r.Status != nil {
		st := domain.MemberStatus(*r.Status)
		in.Status = &st
	}
	if r.JoinedOn != nil {
		if d, err := time.Parse(dateLayout, *r.JoinedOn); err == nil { // else listed in invalid
			in.JoinedOn = &d
		}
	}
	return in
}

func (s *Server) createMember(c echo.Context) error {
	var req memberRequest
	p, err := s.decodeInput(c, &req)
	if err != nil {
		return err
	}
	if req.Name == nil {
		p.Add("name", "is required")
	}
	if req.CVR == nil {
		p.Add("cvr", "is required")
	}
	m, err := s.svc.Members.Create(c.Request().Context(), req.toInput(p))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/members/"+itoa(m.ID))
	return c.JSON(http.StatusCreated, toMemberResponse(*m))
}

func (s *Server) getMember(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	m, err := s.svc.Members.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toMemberResponse(*m))
}

func (s *Server) listMembers(c echo.Context) error {
	var p domain.Problems
	f := domain.MemberFilter{Page: pageParams(c, &p), QualityCluster: c.QueryParam("quality_cluster"), Query: c.QueryParam("q")}
	switch st := domain.MemberStatus(c.QueryParam("status")); st {
	case "", domain.MemberActive, domain.MemberSuspended, domain.MemberLeft:
		f.Status = st
	default:
		p.Add("status", "must be active, suspended or left")
	}
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Members.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, next, toMemberResponse))
}

func (s *Server) updateMember(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	var req memberRequest
	p, err := s.decodeInput(c, &req)
	if err != nil {
		return err
	}
	m, err := s.svc.Members.Update(c.Request().Context(), id, req.toInput(p))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toMemberResponse(*m))
}
