package web

import (
	"net/http"
	"strings"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

type loginData struct {
	Next  string
	Email string
	Error string // message key
}

func (p *Pages) loginPage(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if pageOf(c).Actor.Role != "" {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return p.render(c, http.StatusOK, "login", loginData{Next: next})
}

// loginPost logs in and goes back to the page asked for. A wrong password
// shows the form again (401) with the e-mail kept.
func (p *Pages) loginPost(c echo.Context) error {
	email, password := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	if err := p.auth.LogIn(c, email, password); err != nil {
		key, status := "login.failed", http.StatusUnauthorized
		switch domain.ErrorCode(err) {
		case domain.ETOOMANY:
			key, status = "login.toomany", http.StatusTooManyRequests
		case domain.EINVALID, domain.EUNAUTHORIZED, domain.EFORBIDDEN, domain.ENOTFOUND:
		default:
			return err
		}
		return p.render(c, status, "login", loginData{Next: next, Email: email, Error: key})
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (p *Pages) logout(c echo.Context) error {
	if err := p.auth.LogOut(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

// setLanguage stores the chosen language in a cookie (a year) and goes
// back to the page the switch was on. It changes nothing but the
// language, so it needs no CSRF token and works logged out.
func (p *Pages) setLanguage(c echo.Context) error {
	lang := c.FormValue("lang")
	if lang != "da" && lang != "en" {
		return domain.Errorf(domain.EINVALID, "unknown language")
	}
	c.SetCookie(&http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

// safeNext keeps a return address on this site: a path, never another
// host ("//evil", "/\evil", "https://...").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}
