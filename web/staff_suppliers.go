package web

import (
	"net/http"
	"strconv"
	"strings"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The staff's supplier pages: list and search, create, edit (order
// channel, catalogue feed; the domain's outbound policy refuses private
// and loopback addresses), API keys (issued and shown once, on the answer
// to the form only; listed by prefix; revoked) and the webhook secret.

func (p *Pages) staffSupplierRoutes(s *echo.Group) {
	s.GET("/suppliers", p.staffSuppliers)
	s.GET("/suppliers/new", p.staffSupplierNew)
	s.POST("/suppliers", p.staffSupplierCreate)
	s.GET("/suppliers/:id", p.staffSupplier)
	s.POST("/suppliers/:id", p.staffSupplierUpdate)
	s.POST("/suppliers/:id/keys", p.staffKeyIssue)
	s.POST("/suppliers/:id/keys/:kid/revoke", p.staffKeyRevoke)
	s.POST("/suppliers/:id/webhook/secret", p.staffSecretRotate)
}

type staffSuppliersData struct {
	Suppliers []domain.Supplier
	Query     string
	Next      int64
}

func (p *Pages) staffSuppliers(c echo.Context) error {
	d := staffSuppliersData{Query: strings.TrimSpace(c.QueryParam("q"))}
	var err error
	d.Suppliers, d.Next, err = p.svc.Suppliers.List(c.Request().Context(), domain.SupplierFilter{Query: d.Query,
		Page: domain.Page{Limit: 50, After: formInt(c, "after")}})
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "staff_suppliers", d)
}

// supplierForm is the supplier form as typed.
type supplierForm struct {
	Name, VATID, Status, WebhookURL, Format, Email, FeedURL string
}

func supplierFormOf(s *domain.Supplier) supplierForm {
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return supplierForm{Name: s.Name, VATID: s.VATID, Status: s.Status, WebhookURL: deref(s.OrderWebhookURL),
		Format: s.OrderFormat, Email: deref(s.OrderEmail), FeedURL: deref(s.CatalogueFeedURL)}
}

func supplierFormFrom(c echo.Context) supplierForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return supplierForm{Name: v("name"), VATID: v("vat_id"), Status: v("status"), WebhookURL: v("order_webhook_url"),
		Format: v("order_format"), Email: v("order_email"), FeedURL: v("catalogue_feed_url")}
}

func (f supplierForm) input() domain.SupplierInput {
	in := domain.SupplierInput{Name: &f.Name, VATID: &f.VATID, OrderWebhookURL: &f.WebhookURL, OrderFormat: &f.Format,
		OrderEmail: &f.Email, CatalogueFeedURL: &f.FeedURL}
	if f.Status != "" {
		in.Status = &f.Status
	}
	return in
}

type staffSupplierData struct {
	Supplier *domain.Supplier // nil on the form of a new supplier
	Form     supplierForm
	Errs     fieldErrs
	Problems []domain.FieldError
	Keys     []domain.APIKey
	KeyErrs  fieldErrs
	NewKey   string // a key just issued: shown on this answer only
	Secret   string // a webhook secret just made: shown on this answer only
	Lists    []domain.PriceList
}

func (p *Pages) staffSupplierNew(c echo.Context) error {
	return p.renderSupplier(c, http.StatusOK, staffSupplierData{Form: supplierForm{Status: "active", Format: domain.OrderFormatJSON}})
}

func (p *Pages) renderSupplier(c echo.Context, status int, d staffSupplierData) error {
	ctx := c.Request().Context()
	if d.Supplier != nil {
		var err error
		if d.Keys, err = p.svc.Suppliers.ListAPIKeys(ctx, d.Supplier.ID); err != nil {
			return err
		}
		if d.Lists, _, err = p.svc.Catalogue.ListPriceLists(ctx, domain.PriceListFilter{SupplierID: d.Supplier.ID,
			Page: domain.Page{Limit: 5}}); err != nil {
			return err
		}
	}
	return p.render(c, status, "staff_supplier", d)
}

func (p *Pages) supplierOf(c echo.Context) (*domain.Supplier, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	return p.svc.Suppliers.Get(c.Request().Context(), id)
}

func (p *Pages) staffSupplier(c echo.Context) error {
	s, err := p.supplierOf(c)
	if err != nil {
		return err
	}
	return p.renderSupplier(c, http.StatusOK, staffSupplierData{Supplier: s, Form: supplierFormOf(s)})
}

func (p *Pages) staffSupplierCreate(c echo.Context) error {
	f := supplierFormFrom(c)
	s, err := p.svc.Suppliers.Create(c.Request().Context(), f.input())
	if err != nil {
		errs, fields, status, ok := formProblems(err, pageOf(c).L)
		if !ok {
			return err
		}
		return p.renderSupplier(c, status, staffSupplierData{Form: f, Errs: errs, Problems: fields})
	}
	return seeOther(c, "/staff/suppliers/"+strconv.FormatInt(s.ID, 10)+"?done=supplier-created")
}

func (p *Pages) staffSupplierUpdate(c echo.Context) error {
	s, err := p.supplierOf(c)
	if err != nil {
		return err
	}
	f := supplierFormFrom(c)
	if _, err := p.svc.Suppliers.Update(c.Request().Context(), s.ID, f.input()); err != nil {
		errs, fields, status, ok := formProblems(err, pageOf(c).L)
		if !ok {
			return err
		}
		return p.renderSupplier(c, status, staffSupplierData{Supplier: s, Form: f, Errs: errs, Problems: fields})
	}
	return seeOther(c, "/staff/suppliers/"+strconv.FormatInt(s.ID, 10)+"?done=supplier-saved")
}

// staffKeyIssue issues a key and shows it in this answer, never again
// (only its hash is stored; the page is not cached).
func (p *Pages) staffKeyIssue(c echo.Context) error {
	s, err := p.supplierOf(c)
	if err != nil {
		return err
	}
	d := staffSupplierData{Supplier: s, Form: supplierFormOf(s)}
	k, err := p.svc.Suppliers.IssueAPIKey(c.Request().Context(), s.ID, strings.TrimSpace(c.FormValue("name")))
	if err != nil {
		errs, _, status, ok := formProblems(err, pageOf(c).L)
		if !ok {
			return err
		}
		d.KeyErrs = errs
		return p.renderSupplier(c, status, d)
	}
	d.NewKey = k.Key
	return p.renderSupplier(c, http.StatusCreated, d)
}

func (p *Pages) staffKeyRevoke(c echo.Context) error {
	s, err := p.supplierOf(c)
	if err != nil {
		return err
	}
	kid, err := strconv.ParseInt(c.Param("kid"), 10, 64)
	if err != nil || kid <= 0 {
		return domain.NotFound("API key")
	}
	if err := p.svc.Suppliers.RevokeAPIKey(c.Request().Context(), s.ID, kid); err != nil {
		return err
	}
	return seeOther(c, "/staff/suppliers/"+strconv.FormatInt(s.ID, 10)+"?done=key-revoked#keys-h")
}

// staffSecretRotate makes a new webhook signing secret and shows it once.
func (p *Pages) staffSecretRotate(c echo.Context) error {
	s, err := p.supplierOf(c)
	if err != nil {
		return err
	}
	secret, err := p.svc.Orders.RotateWebhookSecret(c.Request().Context(), s.ID)
	if err != nil {
		return err
	}
	return p.renderSupplier(c, http.StatusCreated, staffSupplierData{Supplier: s, Form: supplierFormOf(s), Secret: secret})
}
