package api

import (
	"fmt"
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"
)

// bidRequest is the body of POST /tenders/{id}/bids: a price for every
// item of each lot bid on, and a value for every non-price criterion.
type bidRequest struct {
	Currency string            `json:"currency" validate:"omitempty,len=3"`
	Values   map[string]string `json:"values"`
	Items    []bidItemRequest  `json:"items" validate:"max=5000,dive"`
}

type bidItemRequest struct {
	ItemID      int64            `json:"item_id" validate:"required,gt=0"`
	SKU         string           `json:"sku" validate:"max=100"`
	GTIN        string           `json:"gtin" validate:"max=14"`
	PackUnit    string           `json:"pack_unit" validate:"required,max=32"` // a Rec 20 code or a unit word ("æsk"), pricing.ReadUnit
	PackContent string           `json:"pack_content" validate:"required"`
	PackPrice   string           `json:"pack_price" validate:"required"`
	Tiers       []bidTierRequest `json:"tiers" validate:"max=50,dive"`
}

type bidTierRequest struct {
	MinPacks  string `json:"min_packs" validate:"required"`
	PackPrice string `json:"pack_price" validate:"required"`
}

func (r bidRequest) toInput() (domain.BidInput, error) {
	var p domain.Problems
	in := domain.BidInput{Currency: r.Currency, Values: map[string]decimal.Decimal{}}
	for name, v := range r.Values {
		in.Values[name] = decimalField(&p, "values."+name, v)
	}
	for i, it := range r.Items {
		f := fmt.Sprintf("items[%d]", i)
		bi := domain.BidItemInput{LotItemID: it.ItemID, SKU: it.SKU, GTIN: it.GTIN, PackUnit: it.PackUnit,
			PackContent: decimalField(&p, f+".pack_content", it.PackContent),
			PackPrice:   decimalField(&p, f+".pack_price", it.PackPrice)}
		for j, t := range it.Tiers {
			tf := fmt.Sprintf("%s.tiers[%d]", f, j)
			bi.Tiers = append(bi.Tiers, domain.BidTierInput{MinPacks: decimalField(&p, tf+".min_packs", t.MinPacks),
				PackPrice: decimalField(&p, tf+".pack_price", t.PackPrice)})
		}
		in.Items = append(in.Items, bi)
	}
	return in, p.Err()
}

type bidResponse struct {
	ID           int64             `json:"id"`
	TenderID     int64             `json:"tender_id"`
	SupplierID   int64             `json:"supplier_id"`
	SupplierName string            `json:"supplier_name,omitempty"`
	Status       string            `json:"status"`
	Revision     int               `json:"revision"`
	SubmittedAt  time.Time         `json:"submitted_at"`
	WithdrawnAt  *time.Time        `json:"withdrawn_at"`
	Currency     string            `json:"currency"`
	Values       map[string]string `json:"values"`
	Items        []bidItemResponse `json:"items"`
	// Receipt is the signed receipt the bid was given when received.
	Receipt *receiptResponse `json:"receipt,omitempty"`
}

type bidItemResponse struct {
	ItemID      int64             `json:"item_id"`
	SKU         string            `json:"sku"`
	GTIN        string            `json:"gtin"`
	PackUnit    string            `json:"pack_unit"`
	PackContent string            `json:"pack_content"`
	BaseUnit    string            `json:"base_unit"`
	PackPrice   string            `json:"pack_price"`
	Tiers       []bidTierResponse `json:"tiers"`
}

type bidTierResponse struct {
	MinPacks  string `json:"min_packs"`
	PackPrice string `json:"pack_price"`
}

func toBidResponse(b domain.Bid) (bidResponse, error) {
	r := bidResponse{ID: b.ID, TenderID: b.TenderID, SupplierID: b.SupplierID, SupplierName: b.SupplierName,
		Status: b.Status, Revision: b.Revision, SubmittedAt: b.SubmittedAt, WithdrawnAt: b.WithdrawnAt,
		Currency: b.Currency, Values: map[string]string{}, Items: []bidItemResponse{}}
	if b.ReceiptSignature != "" {
		rr := toReceiptResponse(b.Receipt())
		r.Receipt = &rr
	}
	if vals, err := b.Values(); err == nil {
		for k, v := range vals {
			r.Values[k] = v.String()
		}
	}
	for _, it := range b.Items {
		pi, err := it.Priced()
		if err != nil {
			return bidResponse{}, err
		}
		ir := bidItemResponse{ItemID: it.LotItemID, SKU: it.SKU, GTIN: it.GTIN, PackUnit: it.PackUnit, PackContent: it.PackContent.String(),
			BaseUnit: it.BaseUnit, PackPrice: price(pi.PackPrice), Tiers: []bidTierResponse{}}
		for _, t := range pi.Tiers {
			ir.Tiers = append(ir.Tiers, bidTierResponse{MinPacks: t.MinQuantity.String(), PackPrice: price(t.Price)})
		}
		r.Items = append(r.Items, ir)
	}
	return r, nil
}

func (s *Server) submitBid(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	var req bidRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	in, err := req.toInput()
	if err != nil {
		return err
	}
	b, replaced, err := s.svc.Tenders.SubmitBid(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replaced {
		status = http.StatusOK
	}
	c.Response().Header().Set(echo.HeaderLocation, fmt.Sprintf("/api/v1/tenders/%d/bids/%d", id, b.ID))
	r, err := toBidResponse(*b)
	if err != nil {
		return err
	}
	return c.JSON(status, r)
}

func (s *Server) getBid(c echo.Context) error {
	id, err := pathID(c, "id", "bid")
	if err != nil {
		return err
	}
	bidID, err := pathID(c, "bidID", "bid")
	if err != nil {
		return err
	}
	b, err := s.svc.Tenders.GetBid(c.Request().Context(), id, bidID)
	if err != nil {
		return err
	}
	r, err := toBidResponse(*b)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) listBids(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	rows, err := s.svc.Tenders.ListBids(c.Request().Context(), id)
	if err != nil {
		return err
	}
	res, err := newTypedList(rows, 0, toBidResponse)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) withdrawBid(c echo.Context) error {
	id, err := pathID(c, "id", "bid")
	if err != nil {
		return err
	}
	bidID, err := pathID(c, "bidID", "bid")
	if err != nil {
		return err
	}
	if err := s.svc.Tenders.WithdrawBid(c.Request().Context(), id, bidID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
