package api

import (
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

type productResponse struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	GTIN       *string   `json:"gtin"`
	Category   string    `json:"category"`
	BaseUnit   string    `json:"base_unit"`
	Status     string    `json:"status"`
	MergedInto *int64    `json:"merged_into"`
	CreatedAt  time.Time `json:"created_at"`
}

func toProductResponse(p domain.Product) productResponse {
	return productResponse{ID: p.ID, Name: p.Name, GTIN: p.GTIN, Category: p.Category, BaseUnit: p.BaseUnit,
		Status: p.Status, MergedInto: p.MergedInto, CreatedAt: p.CreatedAt}
}

func (s *Server) searchProducts(c echo.Context) error {
	var p domain.Problems
	f := domain.ProductFilter{Page: pageParams(c, &p), Query: c.QueryParam("q"), GTIN: c.QueryParam("gtin"),
		Category: c.QueryParam("category"), Status: c.QueryParam("status")}
	switch f.Status {
	case "", "active", "candidate", "merged":
	default:
		p.Add("status", "must be active, candidate or merged")
	}
	if f.GTIN != "" && !domain.ValidGTIN(f.GTIN) {
		p.Add("gtin", "is not a GTIN with a valid check digit")
	}
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Catalogue.SearchProducts(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(rows, next, toProductResponse))
}

func (s *Server) getProduct(c echo.Context) error {
	id, err := pathID(c, "id", "product")
	if err != nil {
		return err
	}
	p, err := s.svc.Catalogue.GetProduct(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toProductResponse(*p))
}

type mergeRequest struct {
	Into int64 `json:"into" validate:"required,gt=0"`
}

func (s *Server) mergeProduct(c echo.Context) error {
	id, err := pathID(c, "id", "product")
	if err != nil {
		return err
	}
	var req mergeRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := s.svc.Catalogue.MergeProduct(c.Request().Context(), id, req.Into)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toProductResponse(*p))
}

func (s *Server) confirmProduct(c echo.Context) error {
	id, err := pathID(c, "id", "product")
	if err != nil {
		return err
	}
	p, err := s.svc.Catalogue.ConfirmProduct(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toProductResponse(*p))
}

type offerTierResponse struct {
	MinQty    int64  `json:"min_qty"`
	MaxQty    *int64 `json:"max_qty"`
	PackPrice string `json:"pack_price"`
	UnitPrice string `json:"unit_price"`
}

type contractMarkResponse struct {
	ContractID int64   `json:"contract_id"`
	UnitPrice  string  `json:"unit_price"`
	PackPrice  string  `json:"pack_price"`
	Currency   string  `json:"currency"`
	ValidTo    *string `json:"valid_to"`
}

type offerResponse struct {
	ID            int64                 `json:"id"`
	SupplierID    int64                 `json:"supplier_id"`
	SupplierName  string                `json:"supplier_name"`
	PriceListID   int64                 `json:"price_list_id"`
	SKU           string                `json:"sku"`
	GTIN          *string               `json:"gtin"`
	Name          string                `json:"name"`
	PackUnit      string                `json:"pack_unit"`
	UnitAsWritten *string               `json:"unit_as_written"` // the supplier's word for pack_unit; null: the code
	PackContent   string                `json:"pack_content"`
	BaseUnit      string                `json:"base_unit"`
	PackPrice     string                `json:"pack_price"`
	Currency      string                `json:"currency"`
	ProductUnit   string                `json:"product_unit"`
	UnitPrice     *string               `json:"unit_price"`      // per product_unit, in currency
	CoopUnitPrice *string               `json:"coop_unit_price"` // per product_unit, in the cooperative's currency
	CoopCurrency  string                `json:"coop_currency"`
	Tiers         []offerTierResponse   `json:"tiers"`
	ValidFrom     *string               `json:"valid_from"`
	ValidTo       *string               `json:"valid_to"`
	IsContract    bool                  `json:"is_contract"`
	Contract      *contractMarkResponse `json:"contract"`
	Problem       string                `json:"problem,omitempty"`
	// The supplier's ordering rules (enforced when ordering).
	Orderable     bool   `json:"orderable"`
	MinOrderQty   *int64 `json:"min_order_qty"`
	MaxOrderQty   *int64 `json:"max_order_qty"`
	OrderMultiple *int64 `json:"order_multiple"`
}

// countOrNull is a count that 0 leaves unset (no limit): null in JSON.
func countOrNull(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

func (s *Server) toOfferResponse(o domain.PricedOffer) (offerResponse, error) {
	r := offerResponse{ID: o.ID, SupplierID: o.SupplierID, SupplierName: o.SupplierName, PriceListID: o.PriceListID,
		SKU: o.SKU, GTIN: o.GTIN, Name: o.Name, PackUnit: o.PackUnit, UnitAsWritten: o.UnitWritten, PackContent: o.PackContent.String(),
		BaseUnit: o.BaseUnit, Currency: o.Currency, ProductUnit: o.ProductUnit,
		CoopCurrency: s.svc.Catalogue.Currency(), ValidFrom: datePtr(o.ValidFrom), ValidTo: datePtr(o.ValidTo),
		Problem: o.Problem, Tiers: make([]offerTierResponse, len(o.Tiers)),
		Orderable: !o.NotOrderable, MinOrderQty: countOrNull(o.MinOrderQty), MaxOrderQty: countOrNull(o.MaxOrderQty),
		OrderMultiple: countOrNull(o.OrderMultiple)}
	pack, err := o.Price()
	if err != nil {
		return offerResponse{}, err
	}
	r.PackPrice = price(pack)
	if o.UnitPrice != nil {
		v := price(*o.UnitPrice)
		r.UnitPrice = &v
	}
	if o.CoopUnitPrice != nil {
		v := price(*o.CoopUnitPrice)
		r.CoopUnitPrice = &v
	}
	for i, t := range o.Tiers {
		r.Tiers[i] = offerTierResponse{MinQty: t.MinQty, MaxQty: countOrNull(t.MaxQty), PackPrice: price(t.PackPrice), UnitPrice: price(t.UnitPrice)}
	}
	if m := o.Contract; m != nil {
		r.IsContract = true
		r.Contract = &contractMarkResponse{ContractID: m.ContractID, UnitPrice: price(m.UnitPrice),
			PackPrice: price(m.PackPrice), Currency: string(m.UnitPrice.Currency()), ValidTo: datePtr(m.ValidTo)}
	}
	return r, nil
}

// productOffers lists the valid offers for a product, cheapest per base
// unit first, computed by pricing.
func (s *Server) productOffers(c echo.Context) error {
	id, err := pathID(c, "id", "product")
	if err != nil {
		return err
	}
	offers, err := s.svc.Catalogue.ProductOffers(c.Request().Context(), id)
	if err != nil {
		return err
	}
	res, err := newTypedList(offers, 0, s.toOfferResponse)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
