package api

import (
	"net/http"
	"strconv"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// contractResponse is a contract; Lines only when read one by one.
type contractResponse struct {
	ID           int64                  `json:"id"`
	TenderID     int64                  `json:"tender_id"`
	TenderTitle  string                 `json:"tender_title,omitempty"`
	SupplierID   int64                  `json:"supplier_id"`
	SupplierName string                 `json:"supplier_name,omitempty"`
	Currency     string                 `json:"currency"`
	RebateRate   string                 `json:"rebate_rate"`
	ValidFrom    string                 `json:"valid_from"`
	ValidTo      string                 `json:"valid_to"`
	Status       string                 `json:"status"`
	Lines        []contractLineResponse `json:"lines,omitempty"`
}

type contractLineResponse struct {
	ID                int64                  `json:"id"`
	ProductID         int64                  `json:"product_id"`
	PackUnit          string                 `json:"pack_unit"`
	PackContent       string                 `json:"pack_content"`
	BaseUnit          string                 `json:"base_unit"`
	PackPrice         string                 `json:"pack_price"`
	UnitPrice         string                 `json:"unit_price"`
	Currency          string                 `json:"currency"`
	Tiers             []contractTierResponse `json:"tiers"`
	BaselineUnitPrice string                 `json:"baseline_unit_price"`
	BaselineMethod    string                 `json:"baseline_method"`
	BaselineInputs    any                    `json:"baseline_inputs"`
	RebateRate        string                 `json:"rebate_rate"`
	ValidFrom         string                 `json:"valid_from"`
	ValidTo           string                 `json:"valid_to"`
	Status            string                 `json:"status"`
}

type contractTierResponse struct {
	MinPacks  string `json:"min_packs"`
	PackPrice string `json:"pack_price"`
	UnitPrice string `json:"unit_price"`
}

func toContractResponse(k domain.Contract) (contractResponse, error) {
	r := contractResponse{ID: k.ID, TenderID: k.TenderID, TenderTitle: k.TenderTitle, SupplierID: k.SupplierID,
		SupplierName: k.SupplierName, Currency: k.Currency, RebateRate: k.RebateRate.String(),
		ValidFrom: k.ValidFrom.Format(dateLayout), ValidTo: k.ValidTo.Format(dateLayout), Status: string(k.Status)}
	for _, l := range k.Lines {
		offer, unit, baseline, _, err := l.Pricing()
		if err != nil {
			return contractResponse{}, err
		}
		tiers, err := l.TierPrices()
		if err != nil {
			return contractResponse{}, err
		}
		lr := contractLineResponse{ID: l.ID, ProductID: l.ProductID, PackUnit: l.PackUnit, PackContent: l.PackContent.String(),
			BaseUnit: l.BaseUnit, PackPrice: price(offer.Price), UnitPrice: price(unit), Currency: l.Currency,
			Tiers: []contractTierResponse{}, BaselineUnitPrice: price(baseline), BaselineMethod: l.BaselineMethod,
			BaselineInputs: rawJSON(l.BaselineInputs), RebateRate: l.RebateRate.String(),
			ValidFrom: l.ValidFrom.Format(dateLayout), ValidTo: l.ValidTo.Format(dateLayout), Status: string(l.Status)}
		for _, t := range tiers {
			lr.Tiers = append(lr.Tiers, contractTierResponse{MinPacks: t.MinPacks.String(), PackPrice: price(t.PackPrice),
				UnitPrice: price(t.UnitPrice)})
		}
		r.Lines = append(r.Lines, lr)
	}
	return r, nil
}

// rawJSON passes stored JSON through unchanged.
type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("{}"), nil
	}
	return r, nil
}

func (s *Server) listContracts(c echo.Context) error {
	var p domain.Problems
	f := domain.ContractFilter{Page: pageParams(c, &p), All: c.QueryParam("all") == "true"}
	for name, dst := range map[string]*int64{"supplier_id": &f.SupplierID, "tender_id": &f.TenderID, "product_id": &f.ProductID} {
		if v := c.QueryParam(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				p.Add(name, "must be a positive id")
			}
			*dst = n
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Contracts.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	res, err := newTypedList(rows, next, toContractResponse)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) getContract(c echo.Context) error {
	id, err := pathID(c, "id", "contract")
	if err != nil {
		return err
	}
	k, err := s.svc.Contracts.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	r, err := toContractResponse(*k)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
