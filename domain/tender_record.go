package domain

import (
	"context"
	"time"
)

// TenderRecord is what the public record of a tender shows (package api
// writes it as an OCDS release): the tender and, once its bids are
// unsealed, who bid and how each lot was evaluated, and once it is awarded,
// the awards and the contracts. Nothing of a sealed bid (not even who bid,
// or how many) is in it before the tender closes.
type TenderRecord struct {
	Tender *Tender
	// At is when the record was read, by the server's clock.
	At time.Time
	// Unsealed: the tender has closed; Bids and Evaluations are filled.
	Unsealed bool
	// Bids are the submitted bids with their suppliers' names, by id.
	Bids []Bid
	// Evaluations are the lots' evaluations, as the award reads them.
	Evaluations []LotEvaluation
	// Awards and Contracts (by id) once the tender is awarded.
	Awards    []TenderAward
	Contracts []Contract
}

// Record reads tender id's public record. Visible to whoever may see the
// tender. Errors: ENOTFOUND.
func (s *TenderService) Record(ctx context.Context, id int64) (*TenderRecord, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	r := &TenderRecord{Tender: t, At: s.now(), Unsealed: t.Status.Opened()}
	if !r.Unsealed {
		return r, nil
	}
	db := s.db.WithContext(ctx)
	if err := db.Table("bids").Select("bids.*, suppliers.name AS supplier_name").
		Joins("JOIN suppliers ON suppliers.id = bids.supplier_id").
		Where("bids.tender_id = ? AND bids.status = ?", t.ID, BidSubmitted).Order("bids.id").Find(&r.Bids).Error; err != nil {
		return nil, err
	}
	if r.Evaluations, err = s.lotEvaluations(ctx, s.db, t); err != nil {
		return nil, err
	}
	if t.Status != TenderAwarded {
		return r, nil
	}
	if err := db.Where("tender_id = ?", t.ID).Order("id").Find(&r.Awards).Error; err != nil {
		return nil, err
	}
	if err := db.Where("tender_id = ?", t.ID).Order("id").Find(&r.Contracts).Error; err != nil {
		return nil, err
	}
	return r, nil
}
