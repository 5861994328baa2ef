package web

import (
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"andel/app"
	"andel/domain"

	"github.com/labstack/echo/v4"
)

// Auth is what the pages borrow from package api, which owns the session
// cookie and the CSRF token (one implementation for the API and the pages).
type Auth interface {
	// LoadSession is middleware that loads the request's session.
	LoadSession(next echo.HandlerFunc) echo.HandlerFunc
	// SessionActor returns the person logged in to the session, or the zero
	// Actor when nobody is.
	SessionActor(c echo.Context) (domain.Actor, error)
	// CSRFToken returns the session's CSRF token ("" when logged out).
	CSRFToken(c echo.Context) string
	// ValidCSRF reports whether an unsafe request carries the session's token.
	ValidCSRF(c echo.Context) bool
	// LogIn checks the password and starts a fresh session for the user.
	LogIn(c echo.Context, email, password string) error
	// LogOut ends the session.
	LogOut(c echo.Context) error
}

// Config is what the pages need.
type Config struct {
	Services *domain.Services
	Auth     Auth
	Logger   *slog.Logger
	// App is the program's wiring: its price-list importer (the API's
	// own) reads the supplier's uploads (supplier.go).
	App *app.Services
	// Jobs starts background jobs by hand for the staff's jobs page
	// (staff_jobs.go).
	Jobs JobStarter
}

// Pages serves the web pages.
type Pages struct {
	svc   *domain.Services
	auth  Auth
	log   *slog.Logger
	tmpl  *templates
	carts *domain.CartService
	lists *domain.StandardListService
	app   *app.Services
	jobs  JobStarter
}

//go:embed assets
var assetFS embed.FS

// New parses the templates (a broken template stops the program at start).
func New(cfg Config) *Pages {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Pages{svc: cfg.Services, auth: cfg.Auth, log: cfg.Logger, tmpl: mustParseTemplates(),
		carts: domain.NewCartService(cfg.Services), lists: domain.NewStandardListService(cfg.Services),
		app: cfg.App, jobs: cfg.Jobs}
}

// Mount registers the pages on e. Paths under /api are the API's.
func (p *Pages) Mount(e *echo.Echo) {
	sub, _ := fs.Sub(assetFS, "assets")
	assets := http.StripPrefix("/assets/", http.FileServer(http.FS(sub)))
	e.GET("/assets/*", echo.WrapHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Names carry the version (htmx-2.0.11.min.js, app.css?v=...).
		w.Header().Set("Cache-Control", "public, max-age=86400")
		assets.ServeHTTP(w, r)
	})))

	g := e.Group("", p.auth.LoadSession, p.withPage, p.checkInput)
	g.GET("/login", p.loginPage)
	g.POST("/login", p.loginPost)
	g.POST("/language", p.setLanguage)

	a := g.Group("", p.requireLogin)
	a.GET("/", p.home)
	a.POST("/logout", p.logout)
	p.shopRoutes(a)
	p.supplierRoutes(a)
	p.boardRoutes(a)
	p.staffRoutes(a)
}

// Wants reports whether an error of this request should be answered as an
// HTML page rather than problem+json: any path outside the API and the
// operational endpoints.
func Wants(r *http.Request) bool {
	path := r.URL.Path
	for _, prefix := range []string{"/api/", "/healthz", "/readyz", "/metrics"} {
		if strings.HasPrefix(path, prefix) {
			return false
		}
	}
	return true
}

// home sends each role to its first page.
func (p *Pages) home(c echo.Context) error {
	switch pageOf(c).Actor.Role {
	case domain.RoleMember:
		return c.Redirect(http.StatusSeeOther, "/shop")
	case domain.RoleSupplier:
		return c.Redirect(http.StatusSeeOther, "/supplier/orders")
	case domain.RoleBoard:
		return c.Redirect(http.StatusSeeOther, "/board/savings")
	case domain.RoleAdmin:
		return c.Redirect(http.StatusSeeOther, "/staff/tenders")
	}
	return p.render(c, http.StatusOK, "home", nil)
}

// requireLogin sends a logged-out user to the login page, with the page
// asked for as where to go back to; unsafe requests must carry the
// session's CSRF token.
func (p *Pages) requireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		pg := pageOf(c)
		if pg.Actor.Role == "" {
			if c.Request().Method != http.MethodGet {
				return domain.Errorf(domain.EUNAUTHORIZED, "log in")
			}
			to := "/login?next=" + url.QueryEscape(c.Request().URL.RequestURI())
			if c.Request().Header.Get("HX-Request") != "" {
				c.Response().Header().Set("HX-Redirect", to)
				return c.NoContent(http.StatusUnauthorized)
			}
			return c.Redirect(http.StatusSeeOther, to)
		}
		if c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead && !p.auth.ValidCSRF(c) {
			return domain.Errorf(domain.EFORBIDDEN, "missing or wrong CSRF token")
		}
		ctx := domain.WithActor(c.Request().Context(), pg.Actor)
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// requireRole refuses (404, as for a page that is not there) other roles.
func requireRole(roles ...domain.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			for _, r := range roles {
				if pageOf(c).Actor.Role == r {
					return next(c)
				}
			}
			return domain.NotFound("page")
		}
	}
}

// ErrorPage answers err as an HTML page in the user's language, with the
// status api mapped it to (its statusOf is the one map). Unknown errors
// are logged and shown as a generic 500 that leaks nothing.
func (p *Pages) ErrorPage(err error, c echo.Context, status int) {
	if c.Response().Committed {
		return
	}
	if status >= 500 {
		p.log.Error("page failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "path", c.Request().URL.Path, "err", err)
	}
	if pageOf(c) == nil { // the route was not found: no page context yet
		c.Set(pageKey, p.newPage(c, domain.Actor{}))
	}
	key := "error.other"
	switch status {
	case http.StatusNotFound:
		key = "error.notfound"
	case http.StatusForbidden:
		key = "error.forbidden"
	case http.StatusUnauthorized:
		key = "error.unauthorized"
	case http.StatusConflict:
		key = "error.conflict"
	case http.StatusTooManyRequests:
		key = "error.toomany"
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		key = "error.invalid"
	}
	data := errorData{Message: key, Status: status}
	// What the domain said is shown under the general sentence, in the
	// page's language, where it helps the user to act: a refused input, a
	// state that forbids the change, a wait. A missing page says no more
	// than that (another tenant's object looks the same), and a refused
	// login or CSRF token is said well enough by the sentence.
	var de *domain.Error
	if errors.As(err, &de) && (status == http.StatusBadRequest || status == http.StatusUnprocessableEntity ||
		status == http.StatusConflict || status == http.StatusTooManyRequests) {
		l := pageOf(c).L
		if len(de.Fields) == 0 { // else the message is only "the request has invalid fields"
			data.Detail = l.Problem(de.Message)
		}
		for _, f := range de.Fields {
			data.Fields = append(data.Fields, domain.FieldError{Field: f.Field, Message: l.Problem(f.Message)})
		}
	}
	if fields := unreadableFields(err); fields != nil {
		data.Message = "error.unreadable"
		for _, f := range fields {
			data.Fields = append(data.Fields, domain.FieldError{Field: f, Message: pageOf(c).L.T("error.unreadable.field")})
		}
	}
	if rerr := p.render(c, status, "error", data); rerr != nil {
		p.log.Error("error page failed", "err", rerr)
	}
}

type errorData struct {
	Message string // the message key of the general sentence
	Status  int
	Detail  string              // the domain error's message, in the page's language
	Fields  []domain.FieldError // its field problems, in the page's language
}
