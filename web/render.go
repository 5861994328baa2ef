package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

//go:embed templates
var templateFS embed.FS

// templates holds one template set per page: the layout and the partials
// with the page's own file (each page defines "content").
type templates struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"add":       func(a, b int) int { return a + b },
	"add64":     func(a, b int64) int64 { return a + b },
	"offerArgs": newOfferArgs,
	"list":      func(s ...string) []string { return s },
	"cssURL":    func() string { return cssURL },
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
}

// cssURL names the stylesheet with a hash of its content, so a changed
// stylesheet is fetched at once despite the day-long cache of /assets.
var cssURL = func() string {
	b, err := assetFS.ReadFile("assets/app.css")
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return "/assets/app.css?v=" + hex.EncodeToString(sum[:4])
}()

func mustParseTemplates() *templates {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout/*.html"))
	t := &templates{pages: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		page := strings.TrimSuffix(path.Base(name), ".html")
		t.pages[page] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, name))
	}
	return t
}

// navItem is one entry of the menu.
type navItem struct {
	Href, Label string
	Current     bool
}

// Page is what every template gets: the language, the person, the menu,
// the CSRF token and the page's own data.
type Page struct {
	L     *Localizer
	Actor domain.Actor
	CSRF  string
	Path  string // the request's path and query, for the language switch
	Nav   []navItem
	Title string // message key of the page title
	Flash string // message key of a notice shown once (from ?done=)
	Data  any
}

const pageKey = "web.page"

func pageOf(c echo.Context) *Page {
	p, _ := c.Get(pageKey).(*Page)
	return p
}

// withPage prepares the Page of a request: its language, and its person
// when the session has one.
func (p *Pages) withPage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := p.auth.SessionActor(c)
		if err != nil {
			return err
		}
		c.Set(pageKey, p.newPage(c, a))
		c.Response().Header().Add(echo.HeaderVary, "Accept-Language")
		return next(c)
	}
}

func (p *Pages) newPage(c echo.Context, a domain.Actor) *Page {
	pg := &Page{L: chooseLanguage(c.Request()), Actor: a, Path: c.Request().URL.RequestURI()}
	if a.Role != "" {
		pg.CSRF = p.auth.CSRFToken(c)
	}
	pg.Nav = menu(a.Role, c.Request().URL.Path, pg.L)
	return pg
}

// menu is what the role may use; the current page is marked.
func menu(role domain.Role, current string, l *Localizer) []navItem {
	var items []navItem
	switch role {
	case domain.RoleMember:
		items = []navItem{
			{Href: "/shop", Label: "nav.shop"}, {Href: "/cart", Label: "nav.cart"},
			{Href: "/orders", Label: "nav.orders"}, {Href: "/lists", Label: "nav.lists"},
			{Href: "/demand", Label: "nav.demand"}, {Href: "/savings", Label: "nav.savings"},
			{Href: "/compare", Label: "nav.compare"},
			{Href: "/compliance", Label: "nav.compliance"},
		}
	case domain.RoleSupplier:
		items = []navItem{
			{Href: "/supplier/orders", Label: "nav.sorders"}, {Href: "/supplier/price-lists", Label: "nav.pricelists"},
			{Href: "/supplier/tenders", Label: "nav.stenders"}, {Href: "/supplier/integration", Label: "nav.integration"},
			{Href: "/supplier/scorecard", Label: "nav.sscorecard"},
		}
	case domain.RoleBoard:
		items = []navItem{{Href: "/board/savings", Label: "nav.board.savings"}, {Href: "/board/surplus", Label: "nav.board.surplus"},
			{Href: "/board/clusters", Label: "nav.clusters"}, {Href: "/board/compliance", Label: "nav.bcompliance"},
			{Href: "/board/scorecards", Label: "nav.scorecards"}}
	case domain.RoleAdmin:
		items = []navItem{
			{Href: "/staff/members", Label: "nav.staffmembers"}, {Href: "/staff/suppliers", Label: "nav.staffsuppliers"},
			{Href: "/staff/catalogue", Label: "nav.staffcatalogue"}, {Href: "/staff/tenders", Label: "nav.stafftenders"},
			{Href: "/staff/jobs", Label: "nav.staffjobs"}, {Href: "/staff/audit", Label: "nav.staffaudit"},
			{Href: "/board/surplus", Label: "nav.board.surplus"},
		}
	}
	for i := range items {
		items[i].Current = current == items[i].Href || strings.HasPrefix(current, items[i].Href+"/")
		items[i].Label = l.T(items[i].Label)
	}
	return items
}

// render writes page name with data inside the layout, or only its
// "content" block for an htmx request that asks for a fragment
// (HX-Target set and no full-page boost).
func (p *Pages) render(c echo.Context, status int, name string, data any) error {
	return p.renderBlock(c, status, name, "layout", data)
}

// renderBlock writes one named template of page name (for htmx fragments).
func (p *Pages) renderBlock(c echo.Context, status int, name, block string, data any) error {
	t, ok := p.tmpl.pages[name]
	if !ok {
		return echo.NewHTTPError(http.StatusInternalServerError, "no template "+name)
	}
	pg := *pageOf(c)
	pg.Data = data
	if pg.Title == "" {
		pg.Title = "title." + name
	}
	if done := c.QueryParam("done"); done != "" && validFlash[done] {
		pg.Flash = "flash." + done
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, &pg); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// validFlash lists the notices a redirect may ask for (?done=...).
var validFlash = map[string]bool{
	"added": true, "updated": true, "removed": true, "saved": true, "reordered": true,
	"list-created": true, "list-to-cart": true, "demand-saved": true, "language": true,
	"order-confirmed": true, "order-shipped": true, "order-delivered": true, "order-rejected": true,
	"bid-submitted": true, "key-revoked": true, "webhook-saved": true,
	"tender-created": true, "tender-published": true, "tender-awarded": true, "tender-saved": true, "tender-cancelled": true,
}
