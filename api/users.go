package api

import (
	"encoding/json"
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

type userRequest struct {
	Email      string `json:"email" validate:"required,email,max=254"`
	Password   string `json:"password" validate:"required,min=10,max=1024"`
	Role       string `json:"role" validate:"required,oneof=admin board member supplier"`
	MemberID   int64  `json:"member_id"`
	SupplierID int64  `json:"supplier_id"`
}

type userResponse struct {
	ID         int64     `json:"id"`
	Email      string    `json:"email"`
	Role       string    `json:"role"`
	MemberID   *int64    `json:"member_id"`
	SupplierID *int64    `json:"supplier_id"`
	CreatedAt  time.Time `json:"created_at"`
}

func toUserResponse(u domain.User) userResponse {
	return userResponse{ID: u.ID, Email: u.Email, Role: string(u.Role), MemberID: u.MemberID,
		SupplierID: u.SupplierID, CreatedAt: u.CreatedAt}
}

func (s *Server) createUser(c echo.Context) error {
	var req userRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := s.svc.Users.Create(c.Request().Context(), domain.NewUser{Email: req.Email, Password: req.Password,
		Role: domain.Role(req.Role), MemberID: req.MemberID, SupplierID: req.SupplierID})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toUserResponse(*u))
}

type auditEventResponse struct {
	ID            int64           `json:"id"`
	OccurredAt    time.Time       `json:"occurred_at"`
	Actor         string          `json:"actor"`
	ActorUserID   *int64          `json:"actor_user_id"`
	ActorAPIKeyID *int64          `json:"actor_api_key_id"`
	Action        string          `json:"action"`
	Entity        string          `json:"entity"`
	EntityID      *int64          `json:"entity_id"`
	MemberID      *int64          `json:"member_id"`
	SupplierID    *int64          `json:"supplier_id"`
	RequestID     string          `json:"request_id"`
	Details       json.RawMessage `json:"details"`
}

func toAuditEventResponse(e domain.AuditEvent) auditEventResponse {
	return auditEventResponse{ID: e.ID, OccurredAt: e.OccurredAt, Actor: e.Actor, ActorUserID: e.ActorUserID,
		ActorAPIKeyID: e.ActorAPIKeyID, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
		MemberID: e.MemberID, SupplierID: e.SupplierID, RequestID: e.RequestID, Details: e.Details}
}

func (s *Server) listAudit(c echo.Context) error {
	var p domain.Problems
	f := domain.AuditFilter{Page: pageParams(c, &p), Entity: c.QueryParam("entity"), Action: c.QueryParam("action")}
	if v := c.QueryParam("entity_id"); v != "" {
		id, err := pathIDValue(v)
		if err != nil {
			p.Add("entity_id", "must be a positive whole number")
		}
		f.EntityID = id
	}
	f.Since = timeParam(c, "since", &p)
	f.Until = timeParam(c, "until", &p)
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Audit.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, next, toAuditEventResponse))
}

// timeParam reads an RFC 3339 time or a date from the query.
func timeParam(c echo.Context, name string, p *domain.Problems) time.Time {
	v := c.QueryParam(name)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t
	}
	if t, err := time.Parse(dateLayout, v); err == nil {
		return t
	}
	p.Add(name, "must be a date (2006-01-02) or an RFC 3339 time")
	return time.Time{}
}
