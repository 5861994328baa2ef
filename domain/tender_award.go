package domain

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// TenderAward is the award of one lot to one bid.
type TenderAward struct {
	ID         int64
	TenderID   int64
	LotID      int64
	BidID      int64
	SupplierID int64
	Rank       int
	TopRanked  bool
	Reason     string
	AwardedAt  time.Time
	AwardedBy  string
}

// AwardChoice awards lot LotID to bid BidID instead of the top-ranked bid;
// Reason is then required, stored and audited.
type AwardChoice struct {
	LotID  int64
	BidID  int64
	Reason string
}

// Award awards a closed tender: each lot with a compliant bid goes to the
// top-ranked bid unless choices name another (with a reason). It creates
// one Contract per winning supplier, with a line per item at the bid's
// prices, the tender's contract period and rebate rate, and each line's
// savings baseline (see baselineFor). All in one transaction; of two
// concurrent awards exactly one succeeds. Admins only. Errors: ENOTFOUND,
// EFORBIDDEN, ECONFLICT (not closed), EINVALID (a bad choice).
func (s *TenderService) Award(ctx context.Context, id int64, choices []AwardChoice) (*Tender, []Contract, error) {
	return s.AwardWith(ctx, id, choices, AwardOptions{})
}

// AwardOptions are the options of an award.
type AwardOptions struct {
	// Supersede ends every active contract line of an awarded product
	// whose period overlaps the new contract's: the day before the new
	// one starts (or, when the older line would not start before it, at
	// once: terminated). Without it such an overlap is refused.
	Supersede bool
}

// AwardWith is Award with options. A product may have one active contract
// line on any day: when an awarded product already has an active line
// whose period overlaps the tender's contract period, the award answers
// ECONFLICT listing each such line (field "products[<id>]"), unless
// opts.Supersede ends them (each audited as contract_line.superseded).
func (s *TenderService) AwardWith(ctx context.Context, id int64, choices []AwardChoice, opts AwardOptions) (*Tender, []Contract, error) {
	var contracts []Contract
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.lockForMove(ctx, tx, id, TenderAwarded)
		if err != nil {
			return err
		}
		if err := s.load(ctx, tx, t); err != nil {
			return err
		}
		evals, err := s.lotEvaluations(ctx, tx, t)
		if err != nil {
			return err
		}
		awards, err := chooseAwards(t, evals, choices)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		day := dayOf(now)
		by := ActorFrom(ctx).Label
		for i := range awards {
			awards[i].AwardedAt, awards[i].AwardedBy = now, by
			if err := tx.Omit("ID").Create(&awards[i]).Error; err != nil {
				return err
			}
		}
		contracts, err = s.createContracts(ctx, tx, t, awards, day, opts)
		if err != nil {
			return err
		}
		if err := tx.Model(t).Updates(map[string]any{"status": TenderAwarded, "awarded_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		details := make([]map[string]any, len(awards))
		for i, a := range awards {
			details[i] = map[string]any{"lot_id": a.LotID, "bid_id": a.BidID, "supplier_id": a.SupplierID,
				"rank": a.Rank, "top_ranked": a.TopRanked, "reason": a.Reason}
		}
		if err := recordAudit(ctx, tx, auditEntry{action: "tender.awarded", entity: "tender", entityID: id,
			details: map[string]any{"from": TenderClosed, "to": TenderAwarded, "awards": details}}); err != nil {
			return err
		}
		for _, c := range contracts {
			if err := recordAudit(ctx, tx, auditEntry{action: "contract.created", entity: "contract", entityID: c.ID,
				supplierID: c.SupplierID, details: map[string]any{"tender_id": id, "lines": len(c.Lines)}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	t, err := s.Get(ctx, id)
	return t, contracts, err
}

// chooseAwards decides the award of every lot: the choice given, else the
// winner of the evaluation; lots without a compliant bid are not awarded.
func chooseAwards(t *Tender, evals []LotEvaluation, choices []AwardChoice) ([]TenderAward, error) {
	var p Problems
	chosen := map[int64]AwardChoice{}
	for i, c := range choices {
		if !slices.ContainsFunc(evals, func(e LotEvaluation) bool { return e.Lot.ID == c.LotID }) {
			p.Add(fmt.Sprintf("lots[%d].lot_id", i), "is not an evaluated lot of this tender")
			continue
		}
		if _, dup := chosen[c.LotID]; dup {
			p.Add(fmt.Sprintf("lots[%d].lot_id", i), "lot %d is chosen twice", c.LotID)
			continue
		}
		chosen[c.LotID] = c
	}
	var awards []TenderAward
	for _, e := range evals {
		c, ok := chosen[e.Lot.ID]
		var be *pricing.BidEvaluation
		if ok {
			for i := range e.Evaluation.Bids {
				if e.Evaluation.Bids[i].BidID == strconv.FormatInt(c.BidID, 10) {
					be = &e.Evaluation.Bids[i]
				}
			}
			idx := slices.IndexFunc(choices, func(x AwardChoice) bool { return x.LotID == e.Lot.ID })
			f := fmt.Sprintf("lots[%d]", idx)
			switch {
			case be == nil:
				p.Add(f+".bid_id", "is not a bid on lot %d", e.Lot.ID)
				continue
			case !be.Compliant:
				p.Add(f+".bid_id", "bid %d is not compliant", c.BidID)
				continue
			case be.Rank != 1 && strings.TrimSpace(c.Reason) == "":
				p.Add(f+".reason", "is required to award a bid that is not ranked first (rank %d)", be.Rank)
				continue
			}
		} else {
			w, ok := e.Evaluation.Winner()
			if !ok {
				continue
			}
			be = &w
		}
		bidID, _ := strconv.ParseInt(be.BidID, 10, 64)
		awards = append(awards, TenderAward{TenderID: t.ID, LotID: e.Lot.ID, BidID: bidID,
			SupplierID: e.Suppliers[bidID].SupplierID, Rank: be.Rank, TopRanked: be.Rank == 1,
			Reason: strings.TrimSpace(c.Reason)})
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(awards) == 0 {
		return nil, Errorf(ECONFLICT, "no lot of the tender has a compliant bid to award")
	}
	return awards, nil
}

// createContracts writes one contract per supplier of awards, with lines
// and tiers from the awarded bids.
func (s *TenderService) createContracts(ctx context.Context, tx *gorm.DB, t *Tender, awards []TenderAward, day time.Time, opts AwardOptions) ([]Contract, error) {
	bidIDs := make([]int64, 0, len(awards))
	for _, a := range awards {
		bidIDs = append(bidIDs, a.BidID)
	}
	var bids []Bid
	if err := tx.Where("id IN ?", bidIDs).Order("id").Find(&bids).Error; err != nil {
		return nil, err
	}
	if err := s.loadBidItems(ctx, tx, bids); err != nil {
		return nil, err
	}
	bidByID := map[int64]Bid{}
	for _, b := range bids {
		bidByID[b.ID] = b
	}
	itemByID := map[int64]TenderLotItem{}
	for _, l := range t.Lots {
		for _, it := range l.Items {
			itemByID[it.ID] = it
		}
	}
	rates, err := s.catalogue.RateTable(ctx)
	if err != nil {
		return nil, err
	}
	bySupplier := map[int64]*Contract{}
	var order []int64
	for _, a := range awards {
		c, ok := bySupplier[a.SupplierID]
		if !ok {
			c = &Contract{TenderID: t.ID, SupplierID: a.SupplierID, Currency: t.Currency, RebateRate: t.RebateRate,
				ValidFrom: t.ContractFrom, ValidTo: t.ContractTo, Status: ContractActive}
			if values, err := bidByID[a.BidID].Values(); err != nil {
				return nil, err
			} else if d, ok := values[DeliveryDaysCriterion]; ok {
				c.DeliveryDays = &d
			}
			bySupplier[a.SupplierID] = c
			order = append(order, a.SupplierID)
		}
		for _, bi := range bidByID[a.BidID].Items {
			it := itemByID[bi.LotItemID]
			if it.LotID != a.LotID {
				continue
			}
			line, err := s.contractLine(ctx, tx, t, bi, it, day, rates)
			if err != nil {
				return nil, err
			}
			c.Lines = append(c.Lines, line)
		}
	}
	older, err := overlappingLines(ctx, tx, t, bySupplier, opts)
	if err != nil {
		return nil, err
	}
	out := make([]Contract, 0, len(order))
	for _, sid := range order {
		c := bySupplier[sid]
		lines := c.Lines
		if err := tx.Omit("ID", "CreatedAt", "Lines", "SupplierName", "TenderTitle").Create(c).Error; err != nil {
			return nil, err
		}
		for i := range lines {
			lines[i].ContractID = c.ID
			if err := tx.Omit("ID", "Tiers").Create(&lines[i]).Error; err != nil {
				return nil, err
			}
			for j := range lines[i].Tiers {
				lines[i].Tiers[j].ContractLineID = lines[i].ID
			}
			if len(lines[i].Tiers) > 0 {
				if err := tx.Create(&lines[i].Tiers).Error; err != nil {
					return nil, err
				}
			}
		}
		c.Lines = lines
		out = append(out, *c)
	}
	if err := supersede(ctx, tx, t, out, older); err != nil {
		return nil, err
	}
	return out, nil
}

// olderLine is an active contract line whose period overlaps a new award's.
type olderLine struct {
	ID, ContractID, SupplierID, ProductID int64
	SupplierName                          string
	ValidFrom, ValidTo                    time.Time
}

// overlappingLines returns the active contract lines of the products of
// the new contracts whose periods overlap the tender's contract period,
// or, without opts.Supersede, ECONFLICT listing each. A product awarded
// twice in one tender is a conflict supersede cannot resolve. The products
// are locked (a transaction-level advisory lock each) so that two awards
// of one product never both pass this check.
func overlappingLines(ctx context.Context, tx *gorm.DB, t *Tender, contracts map[int64]*Contract, opts AwardOptions) ([]olderLine, error) {
	var conflicts []FieldError
	seen := map[int64]int64{}
	var products []int64
	for _, c := range contracts {
		for _, l := range c.Lines {
			if other, dup := seen[l.ProductID]; dup {
				conflicts = append(conflicts, FieldError{Field: fmt.Sprintf("products[%d]", l.ProductID),
					Message: fmt.Sprintf("is awarded twice in this tender (suppliers %d and %d): one product, one contract line", other, l.SupplierID)})
				continue
			}
			seen[l.ProductID] = l.SupplierID
			products = append(products, l.ProductID)
		}
	}
	slices.Sort(products)
	for _, p := range products {
		if err := tx.WithContext(ctx).Exec("SELECT pg_advisory_xact_lock(hashtext('contract_lines.product'), (?::bigint % 2147483647)::int)", p).Error; err != nil {
			return nil, err
		}
	}
	var older []olderLine
	if len(products) > 0 {
		if err := tx.WithContext(ctx).Raw(`SELECT l.id, l.contract_id, l.supplier_id, l.product_id, s.name AS supplier_name, l.valid_from, l.valid_to
			FROM contract_lines l JOIN contracts c ON c.id = l.contract_id JOIN suppliers s ON s.id = l.supplier_id
			WHERE l.product_id IN ? AND l.status = 'active' AND c.status = 'active' AND l.valid_from <= ? AND l.valid_to >= ?
			ORDER BY l.product_id, l.id FOR UPDATE OF l`, products, t.ContractTo, t.ContractFrom).Scan(&older).Error; err != nil {
			return nil, err
		}
	}
	if !opts.Supersede {
		for _, o := range older {
			conflicts = append(conflicts, FieldError{Field: fmt.Sprintf("products[%d]", o.ProductID),
				Message: fmt.Sprintf("contract %d line %d (%s) is active %s to %s, overlapping %s to %s; award with \"supersede\": true to end it on %s",
					o.ContractID, o.ID, o.SupplierName, o.ValidFrom.Format(time.DateOnly), o.ValidTo.Format(time.DateOnly),
					t.ContractFrom.Format(time.DateOnly), t.ContractTo.Format(time.DateOnly),
					t.ContractFrom.AddDate(0, 0, -1).Format(time.DateOnly))})
		}
	}
	if len(conflicts) > 0 {
		slices.SortStableFunc(conflicts, func(a, b FieldError) int { return strings.Compare(a.Field, b.Field) })
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("the award would give %d product(s) two active contract lines on the same days", len(conflicts)),
			Fields: conflicts}
	}
	return older, nil
}

// supersede ends the older lines: the day before the new contract starts,
// or, for a line that would not start before it, at once (terminated);
// each records the new line that superseded it, audited.
func supersede(ctx context.Context, tx *gorm.DB, t *Tender, contracts []Contract, older []olderLine) error {
	byProduct := map[int64]ContractLine{}
	for _, c := range contracts {
		for _, l := range c.Lines {
			byProduct[l.ProductID] = l
		}
	}
	end := t.ContractFrom.AddDate(0, 0, -1)
	for _, o := range older {
		nl := byProduct[o.ProductID]
		details := map[string]any{"contract_id": o.ContractID, "product_id": o.ProductID, "valid_from": o.ValidFrom.Format(time.DateOnly),
			"valid_to": o.ValidTo.Format(time.DateOnly), "by_contract_id": nl.ContractID, "by_contract_line_id": nl.ID,
			"tender_id": t.ID}
		var err error
		if o.ValidFrom.Before(t.ContractFrom) {
			details["ended_on"] = end.Format(time.DateOnly)
			err = tx.Exec("UPDATE contract_lines SET valid_to = ?, superseded_by = ? WHERE id = ?", end, nl.ID, o.ID).Error
		} else {
			details["terminated"] = true
			err = tx.Exec("UPDATE contract_lines SET status = 'terminated', superseded_by = ? WHERE id = ?", nl.ID, o.ID).Error
		}
		if err != nil {
			return err
		}
		if err := recordAudit(ctx, tx, auditEntry{action: "contract_line.superseded", entity: "contract_line", entityID: o.ID,
			supplierID: o.SupplierID, details: details}); err != nil {
			return err
		}
	}
	return nil
}

// contractLine prices one awarded bid item: its pack and unit price (per
// base unit, perBaseUnit), its tiers, and its savings baseline.
func (s *TenderService) contractLine(ctx context.Context, tx *gorm.DB, t *Tender, bi BidItem, it TenderLotItem,
	day time.Time, rates pricing.RateTable) (ContractLine, error) {
	pb, err := bi.pricing("")
	if err != nil {
		return ContractLine{}, err
	}
	unit, err := perBaseUnit(pb.PackPrice, pb.Pack, it.BaseUnit)
	if err != nil {
		return ContractLine{}, err
	}
	// The committed volume: the packs of the pooled quantity in the
	// awarded pack, rounded up, as the evaluation counted them.
	committed, err := pb.Pack.PacksFor(it.Quantity, it.BaseUnit)
	if err != nil {
		return ContractLine{}, err
	}
	line := ContractLine{SupplierID: bi.SupplierID, TenderID: t.ID, LotItemID: it.ID, ProductID: it.ProductID,
		SKU: bi.SKU, GTIN: bi.GTIN,
		PackUnit: bi.PackUnit, PackContent: bi.PackContent, BaseUnit: it.BaseUnit, UnitPrice: unit.Amount(),
		PackPrice: bi.PackPrice, Currency: bi.Currency, RebateRate: t.RebateRate, ValidFrom: t.ContractFrom,
		ValidTo: t.ContractTo, Status: ContractActive, CommittedQuantity: committed.Packs,
		OrderedQuantity: decimal.Zero, PeakQuantity: decimal.Zero}
	if line.SKU == "" {
		// A bid that named no item: the supplier's own offer of that pack
		// on the award day names it, if there is one.
		var offers []Offer
		if err := tx.WithContext(ctx).Table("offers").Where("supplier_id = ? AND product_id = ? AND status = 'active'", bi.SupplierID, it.ProductID).
			Scopes(validOn("offers", day)).Order("id DESC").Find(&offers).Error; err != nil {
			return ContractLine{}, err
		}
		for _, o := range offers {
			if line.samePack(o) {
				line.SKU = o.SKU
				if o.GTIN != nil && line.GTIN == "" {
					line.GTIN = *o.GTIN
				}
				break
			}
		}
	}
	for _, tr := range pb.Tiers {
		tu, err := perBaseUnit(tr.Price, pb.Pack, it.BaseUnit)
		if err != nil {
			return ContractLine{}, err
		}
		line.Tiers = append(line.Tiers, ContractLineTier{SupplierID: bi.SupplierID, MinPacks: tr.MinQuantity,
			PackPrice: tr.Price.Amount(), UnitPrice: tu.Amount()})
	}
	method, baseline, inputs, err := s.baselineFor(ctx, tx, it, unit, day, rates)
	if err != nil {
		return ContractLine{}, err
	}
	line.BaselineMethod, line.BaselineUnitPrice, line.BaselineInputs = method, baseline.Amount(), inputs
	return line, nil
}

// baselineFor fixes a contract line's baseline per base unit in the
// contract's currency with the one baseline rule,
// pricing.RateTable.MedianListBaseline over the product's candidates on
// day (baselineCandidates): per supplier its lowest per-base-unit list
// price, the median over suppliers, converted exactly and rounded once to
// 6 decimals. With no candidate the method is BaselineNone and the
// baseline is the contract unit price (zero savings). The inputs record
// every offer looked at, its per-unit price and rate, and the prices used.
func (s *TenderService) baselineFor(ctx context.Context, tx *gorm.DB, it TenderLotItem, contract pricing.Price,
	day time.Time, rates pricing.RateTable) (string, pricing.Price, json.RawMessage, error) {
	offers, cands, err := baselineCandidates(ctx, tx, it.ProductID, day)
	if err != nil {
		return "", pricing.Price{}, nil, err
	}
	mb, ok, err := rates.MedianListBaseline(cands, it.BaseUnit, contract.Currency())
	if err != nil {
		return "", pricing.Price{}, nil, err
	}
	method, baseline := BaselineNone, contract
	if ok {
		method, baseline = string(mb.Method), mb.Price
	}
	raw, err := baselineRecord(day, it.ProductID, it.BaseUnit, offers, mb, ok,
		"no valid non-contract offer: the baseline is the contract unit price (zero savings)")
	return method, baseline, raw, err
}
