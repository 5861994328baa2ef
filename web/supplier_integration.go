package web

import (
	"net/http"
	"strings"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The supplier's own integration: API keys (a new key is shown once, on
// the answer to the form that issued it; revoke) and where orders go (a
// webhook URL, its format, and a new signing secret, shown once).

func (p *Pages) supplierIntegrationRoutes(s *echo.Group) {
	s.GET("/integration", p.integration)
	s.POST("/integration/keys", p.issueKey)
	s.POST("/integration/keys/:id/revoke", p.revokeKey)
	s.POST("/integration/webhook", p.saveWebhook)
	s.POST("/integration/webhook/secret", p.rotateSecret)
}

type integrationData struct {
	Supplier *domain.Supplier
	Keys     []domain.APIKey
	NewKey   string // a key just issued (shown once)
	Secret   string // a webhook secret just made (shown once)
	Problems []domain.FieldError
}

func (p *Pages) integration(c echo.Context) error {
	return p.renderIntegration(c, http.StatusOK, integrationData{})
}

func (p *Pages) renderIntegration(c echo.Context, status int, d integrationData) error {
	ctx := c.Request().Context()
	id := domain.ActorFrom(ctx).SupplierID
	var err error
	if d.Supplier, err = p.svc.Suppliers.Get(ctx, id); err != nil {
		return err
	}
	if d.Keys, err = p.svc.Suppliers.ListAPIKeys(ctx, id); err != nil {
		return err
	}
	if d.NewKey != "" || d.Secret != "" {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	}
	return p.render(c, status, "supplier_integration", d)
}

// invalid shows the page again with the domain's problems of a form.
func (p *Pages) invalid(c echo.Context, err error) error {
	de, ok := err.(*domain.Error)
	if !ok || de.Code != domain.EINVALID {
		return err
	}
	fields := de.Fields
	if len(fields) == 0 {
		fields = []domain.FieldError{{Field: "form", Message: de.Message}}
	}
	return p.renderIntegration(c, http.StatusUnprocessableEntity, integrationData{Problems: fields})
}

// issueKey issues a key and shows it in the answer, never again.
func (p *Pages) issueKey(c echo.Context) error {
	ctx := c.Request().Context()
	k, err := p.svc.Suppliers.IssueAPIKey(ctx, domain.ActorFrom(ctx).SupplierID, strings.TrimSpace(c.FormValue("name")))
	if err != nil {
		return p.invalid(c, err)
	}
	return p.renderIntegration(c, http.StatusCreated, integrationData{NewKey: k.Key})
}

func (p *Pages) revokeKey(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := p.svc.Suppliers.RevokeAPIKey(ctx, domain.ActorFrom(ctx).SupplierID, id); err != nil {
		return err
	}
	return seeOther(c, "/supplier/integration?done=key-revoked")
}

// saveWebhook sets where and how orders are sent (an empty URL: none).
func (p *Pages) saveWebhook(c echo.Context) error {
	ctx := c.Request().Context()
	u, f := strings.TrimSpace(c.FormValue("url")), c.FormValue("format")
	if _, err := p.svc.Suppliers.Update(ctx, domain.ActorFrom(ctx).SupplierID,
		domain.SupplierInput{OrderWebhookURL: &u, OrderFormat: &f}); err != nil {
		return p.invalid(c, err)
	}
	return seeOther(c, "/supplier/integration?done=webhook-saved")
}

// rotateSecret makes a new webhook signing secret and shows it once.
func (p *Pages) rotateSecret(c echo.Context) error {
	ctx := c.Request().Context()
	secret, err := p.svc.Orders.RotateWebhookSecret(ctx, domain.ActorFrom(ctx).SupplierID)
	if err != nil {
		return p.invalid(c, err)
	}
	return p.renderIntegration(c, http.StatusCreated, integrationData{Secret: secret})
}
