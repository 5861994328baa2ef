package api

import (
	"net/http"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

type loginRequest struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
}

type sessionResponse struct {
	User      meResponse `json:"user"`
	CSRFToken string     `json:"csrf_token"`
}

type meResponse struct {
	UserID     int64  `json:"user_id,omitempty"`
	APIKeyID   int64  `json:"api_key_id,omitempty"`
	Email      string `json:"email,omitempty"`
	Role       string `json:"role"`
	MemberID   int64  `json:"member_id,omitempty"`
	SupplierID int64  `json:"supplier_id,omitempty"`
	Label      string `json:"label"`
	// CSRFToken is repeated here so that a page reloaded with a live
	// session can find it again; it is empty for API-key callers.
	CSRFToken string `json:"csrf_token,omitempty"`
}

func toMe(a domain.Actor, email, csrf string) meResponse {
	return meResponse{UserID: a.UserID, APIKeyID: a.APIKeyID, Email: email, Role: string(a.Role),
		MemberID: a.MemberID, SupplierID: a.SupplierID, Label: a.Label, CSRFToken: csrf}
}

// login checks the password, starts a fresh session (a new token, against
// session fixation) and returns the CSRF token for unsafe requests.
func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.svc.Users.Login(ctx, req.Email, req.Password, c.RealIP())
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	csrf, err := newCSRFToken()
	if err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionCSRF, csrf)
	return c.JSON(http.StatusCreated, sessionResponse{User: toMe(u.Actor(), u.Email, ""), CSRFToken: csrf})
}

func (s *Server) logout(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) me(c echo.Context) error {
	ctx := c.Request().Context()
	a := domain.ActorFrom(ctx)
	if a.UserID == 0 { // an API key: no session, no e-mail
		return c.JSON(http.StatusOK, toMe(a, "", ""))
	}
	return c.JSON(http.StatusOK, toMe(a, a.Label, s.sessions.GetString(ctx, sessionCSRF)))
}
