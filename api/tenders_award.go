package api

import (
	"net/http"
	"strconv"
	"time"

	"andel/domain"
	"andel/pricing"

	"github.com/labstack/echo/v4"
)

type evaluationResponse struct {
	TenderID int64                   `json:"tender_id"`
	Status   string                  `json:"status"`
	Currency string                  `json:"currency"`
	Lots     []lotEvaluationResponse `json:"lots"`
}

type lotEvaluationResponse struct {
	LotID       int64                   `json:"lot_id"`
	Title       string                  `json:"title"`
	EvaluatedAt time.Time               `json:"evaluated_at"`
	PriceWeight string                  `json:"price_weight"`
	LowestCost  string                  `json:"lowest_cost"`
	Compliant   int                     `json:"compliant"`
	Bids        []bidEvaluationResponse `json:"bids"`
	// Explanation is pricing's plain-text table of every number.
	Explanation string `json:"explanation"`
}

type bidEvaluationResponse struct {
	BidID         int64                    `json:"bid_id"`
	SupplierID    int64                    `json:"supplier_id"`
	SupplierName  string                   `json:"supplier_name"`
	SubmittedAt   time.Time                `json:"submitted_at"`
	SHA256        string                   `json:"sha256"` // on the bid's receipt
	Rank          int                      `json:"rank"`
	Compliant     bool                     `json:"compliant"`
	Problems      []pricing.Problem        `json:"problems"`
	Currency      string                   `json:"currency"`
	Rate          string                   `json:"rate"`
	Cost          string                   `json:"cost"`
	EvaluatedCost string                   `json:"evaluated_cost"`
	PriceScore    string                   `json:"price_score"`
	PriceWeighted string                   `json:"price_weighted"`
	Criteria      []criterionScoreResponse `json:"criteria"`
	Total         string                   `json:"total"`
	Items         []itemEvaluationResponse `json:"items"`
	// PastPerformance: the scorecard the bid's past_performance score was
	// taken from at the deadline (tenders with that criterion).
	PastPerformance *domain.PastPerformanceInput `json:"past_performance,omitempty"`
}

type criterionScoreResponse struct {
	Name      string `json:"name"`
	Direction string `json:"direction"`
	Weight    string `json:"weight"`
	Value     string `json:"value"`
	Best      string `json:"best"`
	Score     string `json:"score"`
	Weighted  string `json:"weighted"`
}

type itemEvaluationResponse struct {
	ItemID       int64  `json:"item_id"`
	BaseUnit     string `json:"base_unit"`
	Quantity     string `json:"quantity"`
	Offered      bool   `json:"offered"`
	PackContent  string `json:"pack_content"`
	FullPacks    string `json:"full_packs"`
	Remainder    string `json:"remainder"`
	Packs        string `json:"packs"`
	RoundedUp    bool   `json:"rounded_up"`
	TierIndex    int    `json:"tier_index"`
	TierMinPacks string `json:"tier_min_packs"`
	PackPrice    string `json:"pack_price"`
	UnitPrice    string `json:"unit_price"` // the pack price applied, per base unit (pricing)
	LineCost     string `json:"line_cost"`
}

func toEvaluationResponse(t domain.Tender, lots []domain.LotEvaluation) evaluationResponse {
	out := evaluationResponse{TenderID: t.ID, Status: string(t.Status), Currency: t.Currency, Lots: []lotEvaluationResponse{}}
	for _, le := range lots {
		ev := le.Evaluation
		items := map[string]domain.TenderLotItem{}
		for _, it := range le.Lot.Items {
			items[strconv.FormatInt(it.ID, 10)] = it
		}
		lr := lotEvaluationResponse{LotID: le.Lot.ID, Title: le.Lot.Title, EvaluatedAt: le.EvaluatedAt,
			PriceWeight: ev.Lot.PriceWeight.String(), LowestCost: money(ev.LowestCost), Compliant: ev.Compliant,
			Explanation: le.Explanation, Bids: []bidEvaluationResponse{}}
		for _, b := range ev.Bids {
			id, _ := strconv.ParseInt(b.BidID, 10, 64)
			sup := le.Suppliers[id]
			br := bidEvaluationResponse{BidID: id, SupplierID: sup.SupplierID, SupplierName: sup.SupplierName,
				SubmittedAt: b.SubmittedAt, SHA256: sup.ReceiptSHA256, Rank: b.Rank, Compliant: b.Compliant, Problems: b.Problems,
				Currency: string(b.Rate.From), Rate: b.Rate.Rate.String(), Cost: money(b.Cost),
				EvaluatedCost: money(b.EvaluatedCost), PriceScore: b.PriceScore.String(),
				PriceWeighted: b.PriceWeighted.String(), Total: b.Total.String(),
				Criteria: []criterionScoreResponse{}, Items: []itemEvaluationResponse{}}
			if br.Problems == nil {
				br.Problems = []pricing.Problem{}
			}
			if pp, ok := le.Inputs.PastPerformance[id]; ok {
				br.PastPerformance = &pp
			}
			for _, c := range b.Criteria {
				br.Criteria = append(br.Criteria, criterionScoreResponse{Name: c.Name, Direction: string(c.Direction),
					Weight: c.Weight.String(), Value: c.Value.String(), Best: c.Best.String(), Score: c.Score.String(),
					Weighted: c.Weighted.String()})
			}
			for _, it := range b.Items {
				li := items[it.ItemID]
				itemID, _ := strconv.ParseInt(it.ItemID, 10, 64)
				ir := itemEvaluationResponse{ItemID: itemID, BaseUnit: li.BaseUnit, Quantity: li.Quantity.String(),
					Offered: it.Offered}
				if it.Offered {
					ir.PackContent, ir.FullPacks, ir.Remainder = it.Content.String(), it.Full.String(), it.Remainder.String()
					ir.Packs, ir.RoundedUp, ir.TierIndex = it.Packs.String(), it.RoundedUp, it.TierIndex
					ir.TierMinPacks, ir.PackPrice, ir.LineCost = it.TierMinQuantity.String(), price(it.PackPrice), money(it.LineCost)
					// The price per base unit of the pack price applied,
					// with the bid's own pack (domain's per-base-unit rule).
					if u, ok := le.UnitPrice(id, it); ok {
						ir.UnitPrice = price(u)
					}
				}
				br.Items = append(br.Items, ir)
			}
			lr.Bids = append(lr.Bids, br)
		}
		out.Lots = append(out.Lots, lr)
	}
	return out
}

func (s *Server) tenderEvaluation(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	t, lots, err := s.svc.Tenders.Evaluation(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toEvaluationResponse(*t, lots))
}

// awardRequest is the optional body of POST /tenders/{id}/award: lots to
// award to another bid than the top-ranked one, each with a reason.
type awardRequest struct {
	Lots []awardChoiceRequest `json:"lots" validate:"max=100,dive"`
	// Supersede ends the active contract lines of the awarded products
	// that overlap the new contract (the day before it starts) instead of
	// refusing the award with 409.
	Supersede bool `json:"supersede"`
}

type awardChoiceRequest struct {
	LotID  int64  `json:"lot_id" validate:"required,gt=0"`
	BidID  int64  `json:"bid_id" validate:"required,gt=0"`
	Reason string `json:"reason" validate:"max=4000"`
}

type awardResponse struct {
	Tender    tenderResponse     `json:"tender"`
	Contracts []contractResponse `json:"contracts"`
}

func (s *Server) awardTender(c echo.Context) error {
	id, err := pathID(c, "id", "tender")
	if err != nil {
		return err
	}
	var req awardRequest
	if c.Request().ContentLength != 0 {
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
	}
	choices := make([]domain.AwardChoice, len(req.Lots))
	for i, l := range req.Lots {
		choices[i] = domain.AwardChoice{LotID: l.LotID, BidID: l.BidID, Reason: l.Reason}
	}
	t, contracts, err := s.svc.Tenders.AwardWith(c.Request().Context(), id, choices, domain.AwardOptions{Supersede: req.Supersede})
	if err != nil {
		return err
	}
	out := awardResponse{Tender: toTenderResponse(*t, isStaff(c)), Contracts: make([]contractResponse, len(contracts))}
	for i, k := range contracts {
		if out.Contracts[i], err = toContractResponse(k); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, out)
}
