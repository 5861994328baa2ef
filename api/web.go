package api

import (
	"context"
	"errors"
	"net/http"

	"andel/domain"
	"andel/web"

	"github.com/labstack/echo/v4"
)

// webAuth lends the pages (package web) the API's session and CSRF
// handling, so that both fronts share one cookie, one login and one check.
type webAuth struct{ s *Server }

func (w webAuth) LoadSession(next echo.HandlerFunc) echo.HandlerFunc { return w.s.loadSession(next) }

func (w webAuth) SessionActor(c echo.Context) (domain.Actor, error) {
	ctx := c.Request().Context()
	userID := w.s.sessions.GetInt64(ctx, sessionUserID)
	if userID == 0 {
		return domain.Actor{}, nil
	}
	u, err := w.s.svc.Users.SessionUser(ctx, userID)
	if err != nil {
		// A user removed or suspended since: the session ends.
		if domain.ErrorCode(err) != domain.EINTERNAL {
			return domain.Actor{}, w.s.sessions.Destroy(ctx)
		}
		return domain.Actor{}, err
	}
	a := u.Actor()
	a.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
	return a, nil
}

func (w webAuth) CSRFToken(c echo.Context) string {
	return w.s.sessions.GetString(c.Request().Context(), sessionCSRF)
}

func (w webAuth) ValidCSRF(c echo.Context) bool { return w.s.validCSRF(c) }

func (w webAuth) LogIn(c echo.Context, email, password string) error {
	u, err := w.s.svc.Users.Login(c.Request().Context(), email, password, c.RealIP())
	if err != nil {
		return err
	}
	_, err = w.s.startSession(c.Request().Context(), u)
	return err
}

func (w webAuth) LogOut(c echo.Context) error { return w.s.sessions.Destroy(c.Request().Context()) }

// startSession starts a fresh session for u (a new token, against session
// fixation) and returns its CSRF token.
func (s *Server) startSession(ctx context.Context, u *domain.User) (string, error) {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return "", err
	}
	csrf, err := newCSRFToken()
	if err != nil {
		return "", err
	}
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionCSRF, csrf)
	return csrf, nil
}

// webRoutes mounts the pages at / (everything outside /api).
func (s *Server) webRoutes() {
	s.web = web.New(web.Config{Services: s.svc.Services, Auth: webAuth{s}, Logger: s.log, App: s.svc, Jobs: webJobs{s}})
	s.web.Mount(s.echo)
}

// pageStatus is the status of an error shown as a page: statusOf's for
// domain errors, an HTTP error's own, else 500.
func pageStatus(err error) int {
	var de *domain.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &de):
		if st, ok := statusOf[de.Code]; ok {
			return st
		}
	case errors.As(err, &he):
		return he.Code
	}
	return http.StatusInternalServerError
}
