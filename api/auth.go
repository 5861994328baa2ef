package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"andel/api/sessionstore"
	"andel/domain"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"
)

// Session keys.
const (
	sessionUserID = "user_id"
	sessionCSRF   = "csrf"
)

// CSRF tokens travel in this header (API clients) or form field (pages).
const (
	csrfHeader    = "X-CSRF-Token"
	csrfFormField = "_csrf"
)

func newSessionManager(db *gorm.DB) *scs.SessionManager {
	sm := scs.New()
	sm.Store = sessionstore.New(db)
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "andel_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	return sm
}

// loadSession loads the session named by the cookie into the request
// context and, just before the response is written, saves it and sets or
// clears the cookie. (scs's own LoadAndSave is net/http middleware; this is
// the same over Echo's response hooks, so error responses save it too.)
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if bearerToken(c.Request()) != "" {
			return next(c) // keys carry no session
		}
		var token string
		if ck, err := c.Cookie(s.sessions.Cookie.Name); err == nil {
			token = ck.Value
		}
		ctx, err := s.sessions.Load(c.Request().Context(), token)
		if err != nil {
			return err
		}
		c.SetRequest(c.Request().WithContext(ctx))
		c.Response().Header().Add(echo.HeaderVary, "Cookie")
		c.Response().Before(func() { s.saveSession(c) })
		return next(c)
	}
}

func (s *Server) saveSession(c echo.Context) {
	// Error responses are written after the timeout middleware has
	// cancelled the request's context; the session must be saved anyway.
	ctx := context.WithoutCancel(c.Request().Context())
	ck := &http.Cookie{
		Name: s.sessions.Cookie.Name, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https",
	}
	switch s.sessions.Status(ctx) {
	case scs.Modified:
		token, expiry, err := s.sessions.Commit(ctx)
		if err != nil {
			s.log.Error("saving session failed", append(logAttrs(c), "err", err)...)
			return
		}
		ck.Value, ck.Expires = token, expiry.UTC()
		ck.MaxAge = int(time.Until(expiry).Seconds())
	case scs.Destroyed:
		ck.Expires, ck.MaxAge = time.Unix(1, 0), -1
	default:
		return
	}
	c.Response().Header().Add(echo.HeaderSetCookie, ck.String())
	c.Response().Header().Set(echo.HeaderCacheControl, `no-cache="Set-Cookie"`)
}

func bearerToken(r *http.Request) string {
	h := r.Header.Get(echo.HeaderAuthorization)
	if scheme, token, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(token)
	}
	return ""
}

// authenticate establishes the Actor of the request from a bearer key or
// the session, and refuses the request (401) when there is none. Unsafe
// requests authenticated by the session cookie must carry the session's
// CSRF token (403 without it).
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		ctx := r.Context()
		reqID := c.Response().Header().Get(echo.HeaderXRequestID)
		var actor domain.Actor
		if key := bearerToken(r); key != "" {
			a, err := s.svc.Suppliers.AuthenticateAPIKey(ctx, key)
			if err != nil {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="andel"`)
				return err
			}
			actor = a
		} else {
			userID := s.sessions.GetInt64(ctx, sessionUserID)
			if userID == 0 {
				return domain.Errorf(domain.EUNAUTHORIZED, "log in (POST /api/v1/session) or send a supplier API key")
			}
			u, err := s.svc.Users.SessionUser(ctx, userID)
			if err != nil {
				_ = s.sessions.Destroy(ctx)
				return err
			}
			if !isSafeMethod(r.Method) && !s.validCSRF(c) {
				return domain.Errorf(domain.EFORBIDDEN, "missing or wrong CSRF token (send the one from the login response in the %s header)", csrfHeader)
			}
			actor = u.Actor()
		}
		actor.RequestID = reqID
		c.SetRequest(r.WithContext(domain.WithActor(ctx, actor)))
		return next(c)
	}
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (s *Server) validCSRF(c echo.Context) bool {
	want := s.sessions.GetString(c.Request().Context(), sessionCSRF)
	got := c.Request().Header.Get(csrfHeader)
	// Forms send the token as a field (multipart: the price-list upload).
	if ct := c.Request().Header.Get(echo.HeaderContentType); got == "" &&
		(strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm)) {
		got = c.FormValue(csrfFormField)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

func newCSRFToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
