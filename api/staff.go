package api

import (
	"net/http"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// The staff's reads behind the console's pages, for scripts too: the
// history of one object (AuditLog.History) and the queue of candidate
// products with their evidence (CatalogueService.ProductCandidates).

func (s *Server) staffRoutes(a *echo.Group) {
	a.GET("/audit/:entity/:id", s.auditHistory)
	a.GET("/product-candidates", s.listProductCandidates)
}

// auditHistory returns the trail of one member, supplier, tender, price
// list, order, surplus run, product or contract with its parts, newest
// first (admin).
func (s *Server) auditHistory(c echo.Context) error {
	var p domain.Problems
	page := pageParams(c, &p)
	id, err := pathIDValue(c.Param("id"))
	if err != nil {
		p.Add("id", "must be a positive whole number")
	}
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Audit.History(c.Request().Context(), c.Param("entity"), id, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, next, toAuditEventResponse))
}

type candidateOfferResponse struct {
	SupplierID   int64   `json:"supplier_id"`
	SupplierName string  `json:"supplier_name"`
	PriceListID  int64   `json:"price_list_id"`
	SKU          string  `json:"sku"`
	Name         string  `json:"name"`
	GTIN         *string `json:"gtin"`
	BaseUnit     string  `json:"base_unit"`
}

type similarProductResponse struct {
	productResponse
	SimilarityPercent int    `json:"similarity_percent"`
	Suppliers         string `json:"suppliers"`
}

type productCandidateResponse struct {
	productResponse
	OriginSupplierID   *int64                   `json:"origin_supplier_id"`
	OriginSupplierName string                   `json:"origin_supplier_name"`
	OriginSKU          *string                  `json:"origin_sku"`
	Offers             []candidateOfferResponse `json:"offers"`
	Similar            []similarProductResponse `json:"similar"`
}

func toProductCandidateResponse(c domain.ProductCandidate) productCandidateResponse {
	r := productCandidateResponse{productResponse: toProductResponse(c.Product), OriginSupplierID: c.OriginSupplierID,
		OriginSupplierName: c.OriginSupplierName, OriginSKU: c.OriginSKU,
		Offers: make([]candidateOfferResponse, len(c.Offers)), Similar: make([]similarProductResponse, len(c.Similar))}
	for i, o := range c.Offers {
		r.Offers[i] = candidateOfferResponse{SupplierID: o.SupplierID, SupplierName: o.SupplierName, PriceListID: o.PriceListID,
			SKU: o.SKU, Name: o.Name, GTIN: o.GTIN, BaseUnit: o.BaseUnit}
	}
	for i, p := range c.Similar {
		r.Similar[i] = similarProductResponse{productResponse: toProductResponse(p.Product), SimilarityPercent: p.SimilarityPercent, Suppliers: p.Suppliers}
	}
	return r
}

// listProductCandidates returns the candidate products, oldest first,
// each with its evidence (admin).
func (s *Server) listProductCandidates(c echo.Context) error {
	var p domain.Problems
	page := pageParams(c, &p)
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Catalogue.ProductCandidates(c.Request().Context(), page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, next, toProductCandidateResponse))
}
