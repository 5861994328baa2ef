package api

import (
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

type supplierResponse struct {
	ID               int64     `json:"id"`
	Name             string    `json:"name"`
	VATID            string    `json:"vat_id"`
	OrderWebhookURL  *string   `json:"order_webhook_url"`
	OrderEmail       *string   `json:"order_email"`
	OrderFormat      string    `json:"order_format"`
	CatalogueFeedURL *string   `json:"catalogue_feed_url"`
	Status           string    `json:"status"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

func toSupplierResponse(s domain.Supplier) supplierResponse {
	return supplierResponse{ID: s.ID, Name: s.Name, VATID: s.VATID, OrderWebhookURL: s.OrderWebhookURL,
		OrderEmail: s.OrderEmail, OrderFormat: s.OrderFormat, CatalogueFeedURL: s.CatalogueFeedURL, Status: s.Status,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
}

// supplierRequest is the body of POST (name and vat_id required) and PATCH.
type supplierRequest struct {
	Name             *string `json:"name" validate:"omitempty,max=200"`
	VATID            *string `json:"vat_id" validate:"omitempty,max=30"`
	OrderWebhookURL  *string `json:"order_webhook_url" validate:"omitempty,max=2000"`
	OrderEmail       *string `json:"order_email" validate:"omitempty,max=254"`
	OrderFormat      *string `json:"order_format" validate:"omitempty,oneof=json peppol"`
	CatalogueFeedURL *string `json:"catalogue_feed_url" validate:"omitempty,max=2000"`
	Status           *string `json:"status" validate:"omitempty,oneof=active inactive"`
}

func (r supplierRequest) toInput() domain.SupplierInput {
	return domain.SupplierInput{Name: r.Name, VATID: r.VATID, OrderWebhookURL: r.OrderWebhookURL,
		OrderEmail: r.OrderEmail, OrderFormat: r.OrderFormat, CatalogueFeedURL: r.CatalogueFeedURL, Status: r.Status}
}

func (s *Server) createSupplier(c echo.Context) error {
	var req supplierRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	var p domain.Problems
	if req.Name == nil {
		p.Add("name", "is required")
	}
	if req.VATID == nil {
		p.Add("vat_id", "is required")
	}
	if err := p.Err(); err != nil {
		return err
	}
	sup, err := s.svc.Suppliers.Create(c.Request().Context(), req.toInput())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/suppliers/"+itoa(sup.ID))
	return c.JSON(http.StatusCreated, toSupplierResponse(*sup))
}

func (s *Server) getSupplier(c echo.Context) error {
	id, err := pathID(c, "id", "supplier")
	if err != nil {
		return err
	}
	sup, err := s.svc.Suppliers.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSupplierResponse(*sup))
}

func (s *Server) listSuppliers(c echo.Context) error {
	var p domain.Problems
	f := domain.SupplierFilter{Page: pageParams(c, &p), Query: c.QueryParam("q")}
	switch st := c.QueryParam("status"); st {
	case "", "active", "inactive":
		f.Status = st
	default:
		p.Add("status", "must be active or inactive")
	}
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Suppliers.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, next, toSupplierResponse))
}

func (s *Server) updateSupplier(c echo.Context) error {
	id, err := pathID(c, "id", "supplier")
	if err != nil {
		return err
	}
	var req supplierRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	sup, err := s.svc.Suppliers.Update(c.Request().Context(), id, req.toInput())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSupplierResponse(*sup))
}

type apiKeyResponse struct {
	ID         int64      `json:"id"`
	SupplierID int64      `json:"supplier_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	// Key is the whole bearer key, present only in the answer that issues it.
	Key string `json:"key,omitempty"`
}

func toAPIKeyResponse(k domain.APIKey) apiKeyResponse {
	return apiKeyResponse{ID: k.ID, SupplierID: k.SupplierID, Name: k.Name, Prefix: k.Prefix,
		CreatedAt: k.CreatedAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt}
}

type apiKeyRequest struct {
	Name string `json:"name" validate:"max=100"`
}

func (s *Server) issueAPIKey(c echo.Context) error {
	id, err := pathID(c, "id", "supplier")
	if err != nil {
		return err
	}
	var req apiKeyRequest
	if c.Request().ContentLength != 0 {
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
	}
	k, err := s.svc.Suppliers.IssueAPIKey(c.Request().Context(), id, req.Name)
	if err != nil {
		return err
	}
	resp := toAPIKeyResponse(k.APIKey)
	resp.Key = k.Key
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, resp)
}

func (s *Server) listAPIKeys(c echo.Context) error {
	id, err := pathID(c, "id", "supplier")
	if err != nil {
		return err
	}
	keys, err := s.svc.Suppliers.ListAPIKeys(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(keys, 0, toAPIKeyResponse))
}

func (s *Server) revokeAPIKey(c echo.Context) error {
	id, err := pathID(c, "id", "supplier")
	if err != nil {
		return err
	}
	keyID, err := pathID(c, "keyID", "API key")
	if err != nil {
		return err
	}
	if err := s.svc.Suppliers.RevokeAPIKey(c.Request().Context(), id, keyID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
