package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
)

// contractResponse is a contract; Lines only when read one by one.
type contractResponse struct {
	ID           int64  `json:"id"`
	TenderID     int64  `json:"tender_id"`
	TenderTitle  string `json:"tender_title,omitempty"`
	SupplierID   int64  `json:"supplier_id"`
	SupplierName string `json:"supplier_name,omitempty"`
	Currency     string `json:"currency"`
	RebateRate   string `json:"rebate_rate"`
	ValidFrom    string `json:"valid_from"`
	ValidTo      string `json:"valid_to"`
	Status       string `json:"status"`
	// DeliveryDays: the delivery time promised (the awarded bid's
	// delivery_days), in days after confirmation; absent when none.
	DeliveryDays *string `json:"delivery_days,omitempty"`
	// TrueUpTotal: the true-up credits owed to members on its lines.
	TrueUpTotal string                 `json:"true_up_total"`
	Lines       []contractLineResponse `json:"lines,omitempty"`
}

type contractLineResponse struct {
	ID                int64                  `json:"id"`
	ProductID         int64                  `json:"product_id"`
	SKU               string                 `json:"sku"`
	GTIN              string                 `json:"gtin"`
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
	SupersededBy      *int64                 `json:"superseded_by"`
	// Pooled volume in packs: committed by the tender, ordered so far
	// (cancelled and rejected orders removed), and the tier members pay.
	CommittedQuantity string               `json:"committed_quantity"`
	OrderedQuantity   string               `json:"ordered_quantity"`
	TierReached       contractTierResponse `json:"tier_reached"`
	TrueUpTotal       string               `json:"true_up_total"`
}

type contractTierResponse struct {
	MinPacks  string `json:"min_packs"`
	PackPrice string `json:"pack_price"`
	UnitPrice string `json:"unit_price"`
}

func toContractResponse(k domain.Contract) (contractResponse, error) {
	total, err := pricing.NewMoney(k.TrueUpTotal, pricing.Currency(strings.TrimSpace(k.Currency)))
	if err != nil {
		return contractResponse{}, err
	}
	r := contractResponse{ID: k.ID, TenderID: k.TenderID, TenderTitle: k.TenderTitle, SupplierID: k.SupplierID,
		SupplierName: k.SupplierName, Currency: k.Currency, RebateRate: k.RebateRate.String(),
		ValidFrom: k.ValidFrom.Format(dateLayout), ValidTo: k.ValidTo.Format(dateLayout), Status: string(k.Status),
		TrueUpTotal: money(total)}
	if k.DeliveryDays != nil {
		d := k.DeliveryDays.String()
		r.DeliveryDays = &d
	}
	for _, l := range k.Lines {
		offer, unit, baseline, _, err := l.Pricing()
		if err != nil {
			return contractResponse{}, err
		}
		tiers, err := l.TierPrices()
		if err != nil {
			return contractResponse{}, err
		}
		reached, err := l.TierReached()
		if err != nil {
			return contractResponse{}, err
		}
		lineTotal, err := pricing.NewMoney(l.TrueUpTotal, pricing.Currency(strings.TrimSpace(l.Currency)))
		if err != nil {
			return contractResponse{}, err
		}
		lr := contractLineResponse{ID: l.ID, ProductID: l.ProductID, SKU: l.SKU, GTIN: l.GTIN,
			SupersededBy: l.SupersededBy, CommittedQuantity: l.CommittedQuantity.String(),
			OrderedQuantity: l.OrderedQuantity.String(), TierReached: toTierResponse(reached), TrueUpTotal: money(lineTotal),
			PackUnit: l.PackUnit, PackContent: l.PackContent.String(),
			BaseUnit: l.BaseUnit, PackPrice: price(offer.Price), UnitPrice: price(unit), Currency: l.Currency,
			Tiers: []contractTierResponse{}, BaselineUnitPrice: price(baseline), BaselineMethod: l.BaselineMethod,
			BaselineInputs: rawJSON(l.BaselineInputs), RebateRate: l.RebateRate.String(),
			ValidFrom: l.ValidFrom.Format(dateLayout), ValidTo: l.ValidTo.Format(dateLayout), Status: string(l.Status)}
		for _, t := range tiers {
			lr.Tiers = append(lr.Tiers, toTierResponse(t))
		}
		r.Lines = append(r.Lines, lr)
	}
	return r, nil
}

func toTierResponse(t domain.TierPrices) contractTierResponse {
	return contractTierResponse{MinPacks: t.MinPacks.String(), PackPrice: price(t.PackPrice), UnitPrice: price(t.UnitPrice)}
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
		*dst = queryID(c, &p, name)
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

// queryID is the optional id query parameter name (0 when absent); a
// value that is not a positive id is a problem.
func queryID(c echo.Context, p *domain.Problems, name string) int64 {
	v := c.QueryParam(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		p.Add(name, "must be a positive id")
	}
	return n
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

// creditResponse is a true-up credit (or the reversal of a cancelled
// line's credits) owed to a member.
type creditResponse struct {
	ID             int64  `json:"id"`
	Kind           string `json:"kind"`
	MemberID       int64  `json:"member_id"`
	SupplierID     int64  `json:"supplier_id"`
	ContractID     int64  `json:"contract_id"`
	ContractLineID int64  `json:"contract_line_id"`
	ProductID      int64  `json:"product_id"`
	OrderID        int64  `json:"order_id"`
	OrderLineID    int64  `json:"order_line_id"`
	Quantity       int64  `json:"quantity"`
	FromPackPrice  string `json:"from_pack_price"`
	ToPackPrice    string `json:"to_pack_price"`
	Amount         string `json:"amount"`
	Currency       string `json:"currency"`
	CauseOrderID   int64  `json:"cause_order_id"`
	CreatedAt      string `json:"created_at"`
}

func toCreditResponse(cr domain.ContractCredit) (creditResponse, error) {
	from, to, amount, err := cr.Amounts()
	if err != nil {
		return creditResponse{}, err
	}
	return creditResponse{ID: cr.ID, Kind: cr.Kind, MemberID: cr.MemberID, SupplierID: cr.SupplierID, ContractID: cr.ContractID,
		ContractLineID: cr.ContractLineID, ProductID: cr.ProductID, OrderID: cr.OrderID, OrderLineID: cr.OrderLineID,
		Quantity: cr.Quantity, FromPackPrice: price(from), ToPackPrice: price(to), Amount: money(amount),
		Currency: strings.TrimSpace(cr.Currency), CauseOrderID: cr.CauseOrderID, CreatedAt: cr.CreatedAt.UTC().Format(time.RFC3339)}, nil
}

// listMemberCredits is GET /members/{id}/credits: the member's true-up
// credits (its own for a practice; any member's for staff).
func (s *Server) listMemberCredits(c echo.Context) error {
	id, err := pathID(c, "id", "member")
	if err != nil {
		return err
	}
	var p domain.Problems
	f := domain.CreditFilter{MemberID: id, Page: pageParams(c, &p)}
	f.ContractID = queryID(c, &p, "contract_id")
	if err := p.Err(); err != nil {
		return err
	}
	rows, next, err := s.svc.Contracts.Credits(c.Request().Context(), f)
	if err != nil {
		return err
	}
	res, err := newTypedList(rows, next, toCreditResponse)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

type settlementResponse struct {
	ContractID   int64                      `json:"contract_id"`
	SupplierID   int64                      `json:"supplier_id"`
	SupplierName string                     `json:"supplier_name"`
	Currency     string                     `json:"currency"`
	AsOf         string                     `json:"as_of"`
	ValidTo      string                     `json:"valid_to"`
	Ended        bool                       `json:"ended"`
	TrueUpTotal  string                     `json:"true_up_total"`
	Members      []settlementMemberResponse `json:"members"`
	Lines        []settlementLineResponse   `json:"lines"`
}

type settlementMemberResponse struct {
	MemberID   int64  `json:"member_id"`
	MemberName string `json:"member_name"`
	Credits    int64  `json:"credits"`
	Amount     string `json:"amount"`
}

type settlementLineResponse struct {
	ContractLineID    int64                `json:"contract_line_id"`
	ProductID         int64                `json:"product_id"`
	SKU               string               `json:"sku"`
	CommittedQuantity string               `json:"committed_quantity"`
	OrderedQuantity   string               `json:"ordered_quantity"`
	TierReached       contractTierResponse `json:"tier_reached"`
	CommittedTier     contractTierResponse `json:"committed_tier"`
	ActualTier        contractTierResponse `json:"actual_tier"`
	TrueUpTotal       string               `json:"true_up_total"`
	ShortfallQuantity string               `json:"shortfall_quantity"`
	ShortfallAmount   string               `json:"shortfall_amount"`
}

// getSettlement is GET /contracts/{id}/settlement: what the supplier owes
// members in true-up credits and, per line, the volume against the
// committed quantity (staff and the contract's supplier).
func (s *Server) getSettlement(c echo.Context) error {
	id, err := pathID(c, "id", "contract")
	if err != nil {
		return err
	}
	st, err := s.svc.Contracts.Settlement(c.Request().Context(), id)
	if err != nil {
		return err
	}
	k := st.Contract
	cur := pricing.Currency(strings.TrimSpace(k.Currency))
	total, err := pricing.NewMoney(st.TrueUpTotal, cur)
	if err != nil {
		return err
	}
	res := settlementResponse{ContractID: k.ID, SupplierID: k.SupplierID, SupplierName: k.SupplierName, Currency: string(cur),
		AsOf: st.AsOf.Format(dateLayout), ValidTo: k.ValidTo.Format(dateLayout), Ended: st.Ended, TrueUpTotal: money(total),
		Members: []settlementMemberResponse{}, Lines: []settlementLineResponse{}}
	for _, m := range st.Members {
		a, err := pricing.NewMoney(m.Amount, cur)
		if err != nil {
			return err
		}
		res.Members = append(res.Members, settlementMemberResponse{MemberID: m.MemberID, MemberName: m.MemberName,
			Credits: m.Credits, Amount: money(a)})
	}
	for _, l := range st.Lines {
		lt, err := pricing.NewMoney(l.Line.TrueUpTotal, cur)
		if err != nil {
			return err
		}
		res.Lines = append(res.Lines, settlementLineResponse{ContractLineID: l.Line.ID, ProductID: l.Line.ProductID, SKU: l.Line.SKU,
			CommittedQuantity: l.Line.CommittedQuantity.String(), OrderedQuantity: l.Line.OrderedQuantity.String(),
			TierReached: toTierResponse(l.Reached), CommittedTier: toTierResponse(l.Committed), ActualTier: toTierResponse(l.Actual),
			TrueUpTotal: money(lt), ShortfallQuantity: l.ShortfallQuantity.String(), ShortfallAmount: money(l.ShortfallAmount)})
	}
	return c.JSON(http.StatusOK, res)
}
