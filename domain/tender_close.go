package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TenderEvaluation is the stored evaluation of one lot: pricing's table of
// every bid's numbers, ranked, and its plain-text explanation.
type TenderEvaluation struct {
	ID          int64
	TenderID    int64
	LotID       int64
	EvaluatedAt time.Time
	BidsCount   int
	Compliant   int
	WinnerBidID *int64
	Result      json.RawMessage `gorm:"type:jsonb"`
	Explanation string
	// Inputs are the inputs of the criteria the server scored
	// (EvaluationInputs as JSON).
	Inputs json.RawMessage `gorm:"type:jsonb"`
}

// EvaluationInputs are the inputs of the criteria the server scored at
// the deadline: past_performance by bid id.
type EvaluationInputs struct {
	PastPerformance map[int64]PastPerformanceInput `json:"past_performance,omitempty"`
}

func (in EvaluationInputs) json() json.RawMessage {
	b, _ := json.Marshal(in) // plain values: cannot fail
	return b
}

// scoreCriteria scores the criteria the server scores for each bid:
// past_performance from the bidder's scorecard at the deadline.
func (s *TenderService) scoreCriteria(ctx context.Context, tx *gorm.DB, t *Tender, bids []Bid) (map[int64]map[string]decimal.Decimal, EvaluationInputs, error) {
	var in EvaluationInputs
	scored := map[int64]map[string]decimal.Decimal{}
	has := false
	for _, c := range t.Criteria {
		has = has || c.Name == PastPerformanceCriterion
	}
	if !has || s.scorecards == nil {
		return scored, in, nil
	}
	in.PastPerformance = map[int64]PastPerformanceInput{}
	for _, b := range bids {
		score, sc, err := s.scorecards.pastPerformance(ctx, tx, b.SupplierID, t.BidDeadline)
		if err != nil {
			return nil, in, err
		}
		scored[b.ID] = map[string]decimal.Decimal{PastPerformanceCriterion: score}
		in.PastPerformance[b.ID] = pastPerformanceInput(sc, score)
	}
	return scored, in, nil
}

// explainInputs adds the past-performance inputs of ev's bids to its
// plain-text explanation.
func explainInputs(w *strings.Builder, ev pricing.Evaluation, in EvaluationInputs) {
	if len(in.PastPerformance) == 0 {
		return
	}
	w.WriteString("\nPast performance (each bidder's scorecard over the year before the deadline):\n")
	for _, b := range ev.Bids {
		id, _ := strconv.ParseInt(b.BidID, 10, 64)
		pp, ok := in.PastPerformance[id]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "  bid %s (supplier %d), %s..%s: score %s", b.BidID, pp.SupplierID, pp.From, pp.To, pp.Score)
		if pp.NoHistory {
			w.WriteString(" (no history: neutral score)")
		}
		w.WriteString("\n")
		for _, p := range pp.Parts {
			if p.Scored {
				fmt.Fprintf(w, "    %s: %s x weight %d\n", p.Name, p.Score, p.Weight)
			} else {
				fmt.Fprintf(w, "    %s: nothing to measure (weight %d not counted)\n", p.Name, p.Weight)
			}
		}
		fmt.Fprintf(w, "    orders %d, rejected %d, confirmed %d (%d within 24 h), delivered with a promise %d (%d on time); price lists %d (%d rejected), %d warnings in %d rows; tender lines bid %d of %d\n",
			pp.Orders, pp.Rejected, pp.Confirmed, pp.ConfirmedInDay, pp.DeliveredPromised, pp.OnTime,
			pp.PriceLists, pp.PriceListsRejected, pp.Warnings, pp.RowsRead, pp.TenderLinesBid, pp.TenderLines)
	}
}

// LotEvaluation is a lot with its evaluation decoded, and the supplier of
// every bid in it (bid id -> supplier).
type LotEvaluation struct {
	Lot         TenderLot
	EvaluatedAt time.Time
	Evaluation  pricing.Evaluation
	Explanation string
	Suppliers   map[int64]BidSupplier
	// Inputs are the inputs of the criteria the server scored.
	Inputs EvaluationInputs
	// packs holds each bid item's pack (by bid and lot item), for UnitPrice.
	packs map[[2]int64]pricing.Pack
}

// UnitPrice is the pack price applied to an evaluated item of bid bidID
// per base unit of the item (perBaseUnit with the bid's own pack); false
// when the item was not offered or cannot be measured.
func (le LotEvaluation) UnitPrice(bidID int64, it pricing.ItemEvaluation) (pricing.Price, bool) {
	if !it.Offered {
		return pricing.Price{}, false
	}
	for _, li := range le.Lot.Items {
		if strconv.FormatInt(li.ID, 10) != it.ItemID {
			continue
		}
		pack, ok := le.packs[[2]int64{bidID, li.ID}]
		if !ok {
			return pricing.Price{}, false
		}
		u, err := perBaseUnit(it.PackPrice, pack, li.BaseUnit)
		return u, err == nil
	}
	return pricing.Price{}, false
}

// BidSupplier names the supplier of a bid in an evaluation.
type BidSupplier struct {
	SupplierID   int64
	SupplierName string
	// ReceiptSHA256 is the hash on the bid's receipt: the evaluation lists
	// it, so a supplier can see its bid was opened as sent.
	ReceiptSHA256 string
}

// CloseResult counts what CloseDue did.
type CloseResult struct {
	Closed       int
	Unsuccessful int
	Failed       int
}

// CloseDue closes every published tender whose deadline has passed by the
// server's clock: it unseals the bids, evaluates each lot with pricing and
// stores the evaluation, and moves the tender to closed, or to
// unsuccessful when no lot has a compliant bid. Each tender is closed in its
// own transaction; running it again finds nothing to do. Admins (the job's
// system actor) only. A tender that cannot be evaluated (a bug in its lots)
// stays published and is reported in the error; the others still close.
func (s *TenderService) CloseDue(ctx context.Context) (CloseResult, error) {
	var res CloseResult
	if _, err := require(ctx, RoleAdmin); err != nil {
		return res, err
	}
	now := s.now().UTC()
	var ids []int64
	if err := s.db.WithContext(ctx).Table("tenders").Where("status = ? AND bid_deadline <= ?", TenderPublished, now).
		Order("id").Pluck("id", &ids).Error; err != nil {
		return res, err
	}
	var errs []error
	for _, id := range ids {
		status, err := s.closeOne(ctx, id, now)
		switch {
		case err != nil:
			res.Failed++
			errs = append(errs, fmt.Errorf("tender %d: %w", id, err))
		case status == TenderClosed:
			res.Closed++
		case status == TenderUnsuccessful:
			res.Unsuccessful++
		}
	}
	return res, errors.Join(errs...)
}

// closeOne closes tender id if it is still published and due, returning
// its new status ("" when another run got there first).
func (s *TenderService) closeOne(ctx context.Context, id int64, now time.Time) (TenderStatus, error) {
	var status TenderStatus
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t Tender
		res := tx.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("id = ? AND status = ? AND bid_deadline <= ?", id, TenderPublished, now).Limit(1).Find(&t)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		if err := s.load(ctx, tx, &t); err != nil {
			return err
		}
		var bids []Bid
		if err := tx.Where("tender_id = ? AND status = ?", id, BidSubmitted).Order("submitted_at, id").Find(&bids).Error; err != nil {
			return err
		}
		if err := s.loadBidItems(ctx, tx, bids); err != nil {
			return err
		}
		scored, inputs, err := s.scoreCriteria(ctx, tx, &t, bids)
		if err != nil {
			return err
		}
		anyCompliant := false
		for _, lot := range t.Lots {
			ev, err := evaluateLot(&t, lot, bids, scored)
			if err != nil {
				return fmt.Errorf("lot %d: %w", lot.ID, err)
			}
			var text strings.Builder
			if err := ev.Explain(&text); err != nil {
				return err
			}
			explainInputs(&text, ev, inputs)
			result, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			row := TenderEvaluation{TenderID: id, LotID: lot.ID, EvaluatedAt: now, BidsCount: len(ev.Bids),
				Compliant: ev.Compliant, Result: result, Explanation: text.String(), Inputs: inputs.json()}
			if w, ok := ev.Winner(); ok {
				wid, _ := strconv.ParseInt(w.BidID, 10, 64)
				row.WinnerBidID = &wid
				anyCompliant = true
			}
			if err := tx.Omit("ID").Create(&row).Error; err != nil {
				return err
			}
		}
		status = TenderClosed
		if !anyCompliant {
			status = TenderUnsuccessful
		}
		if err := tx.Model(&t).Updates(map[string]any{"status": status, "closed_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "tender." + string(status), entity: "tender", entityID: id,
			details: map[string]any{"from": TenderPublished, "to": status, "bids": len(bids)}})
	})
	return status, err
}

// evaluateLot runs pricing.Evaluate on one lot with the bids that price
// any of its items. Bid ids are the bids' database ids as strings, item ids
// the lot items'.
func evaluateLot(t *Tender, lot TenderLot, bids []Bid, scored map[int64]map[string]decimal.Decimal) (pricing.Evaluation, error) {
	pl := pricing.Lot{ID: strconv.FormatInt(lot.ID, 10), Currency: pricing.Currency(t.Currency),
		PriceWeight: t.PriceWeight, AllowIncreasingTiers: t.AllowIncreasingTiers}
	inLot := map[int64]bool{}
	for _, it := range lot.Items {
		inLot[it.ID] = true
		pl.Items = append(pl.Items, pricing.LotItem{ID: strconv.FormatInt(it.ID, 10), Unit: it.BaseUnit, Quantity: it.Quantity})
	}
	for _, c := range t.Criteria {
		pl.Criteria = append(pl.Criteria, pricing.Criterion{Name: c.Name, Weight: c.Weight, Direction: pricing.Direction(c.Direction)})
	}
	var pbids []pricing.Bid
	for _, b := range bids {
		pb := pricing.Bid{ID: strconv.FormatInt(b.ID, 10), SubmittedAt: b.SubmittedAt, Currency: pricing.Currency(b.Currency)}
		values, err := b.Values()
		if err != nil {
			return pricing.Evaluation{}, err
		}
		for name, v := range scored[b.ID] {
			if values == nil {
				values = map[string]decimal.Decimal{}
			}
			values[name] = v
		}
		pb.Values = values
		for _, it := range b.Items {
			if !inLot[it.LotItemID] {
				continue
			}
			pi, err := it.pricing(strconv.FormatInt(it.LotItemID, 10))
			if err != nil {
				return pricing.Evaluation{}, err
			}
			pb.Items = append(pb.Items, pi)
		}
		if len(pb.Items) > 0 {
			pbids = append(pbids, pb)
		}
	}
	return pricing.Evaluate(pl, pbids, pricing.RateTable{})
}

// Evaluation returns the stored evaluation of every lot of tender id, with
// the bids' suppliers. Admins and the board, once the tender has closed.
// Errors: ENOTFOUND, EFORBIDDEN, ECONFLICT (not closed yet: still sealed).
func (s *TenderService) Evaluation(ctx context.Context, id int64) (*Tender, []LotEvaluation, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if _, err := require(ctx, RoleAdmin, RoleBoard); err != nil {
		return nil, nil, err
	}
	if !t.Status.Opened() {
		return nil, nil, &Error{Code: ECONFLICT, Message: "the tender has not closed: its bids are sealed",
			Fields: []FieldError{{Field: "status", Message: string(t.Status)}}}
	}
	out, err := s.lotEvaluations(ctx, s.db, t)
	return t, out, err
}

// lotEvaluations loads and decodes the stored evaluations of t's lots.
func (s *TenderService) lotEvaluations(ctx context.Context, db *gorm.DB, t *Tender) ([]LotEvaluation, error) {
	var rows []TenderEvaluation
	if err := db.WithContext(ctx).Where("tender_id = ?", t.ID).Find(&rows).Error; err != nil {
		return nil, err
	}
	byLot := map[int64]TenderEvaluation{}
	for _, r := range rows {
		byLot[r.LotID] = r
	}
	var sup []struct {
		ID            int64
		SupplierID    int64
		SupplierName  string
		ReceiptSHA256 string `gorm:"column:receipt_sha256"`
	}
	if err := db.WithContext(ctx).Table("bids").Select("bids.id, bids.supplier_id, suppliers.name AS supplier_name, bids.receipt_sha256").
		Joins("JOIN suppliers ON suppliers.id = bids.supplier_id").Where("bids.tender_id = ?", t.ID).Scan(&sup).Error; err != nil {
		return nil, err
	}
	suppliers := map[int64]BidSupplier{}
	for _, r := range sup {
		suppliers[r.ID] = BidSupplier{SupplierID: r.SupplierID, SupplierName: r.SupplierName, ReceiptSHA256: r.ReceiptSHA256}
	}
	var items []BidItem
	if err := db.WithContext(ctx).Where("tender_id = ?", t.ID).Find(&items).Error; err != nil {
		return nil, err
	}
	packs := make(map[[2]int64]pricing.Pack, len(items))
	for _, it := range items {
		packs[[2]int64{it.BidID, it.LotItemID}] = packOf(it.PackUnit, it.PackContent, it.BaseUnit)
	}
	out := make([]LotEvaluation, 0, len(t.Lots))
	for _, lot := range t.Lots {
		r, ok := byLot[lot.ID]
		if !ok {
			continue
		}
		le := LotEvaluation{Lot: lot, EvaluatedAt: r.EvaluatedAt, Explanation: r.Explanation, Suppliers: suppliers, packs: packs}
		if err := json.Unmarshal(r.Result, &le.Evaluation); err != nil {
			return nil, fmt.Errorf("lot %d evaluation: %w", lot.ID, err)
		}
		if len(r.Inputs) > 0 {
			if err := json.Unmarshal(r.Inputs, &le.Inputs); err != nil {
				return nil, fmt.Errorf("lot %d evaluation inputs: %w", lot.ID, err)
			}
		}
		out = append(out, le)
	}
	return out, nil
}
