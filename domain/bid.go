package domain

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Bid statuses.
const (
	BidSubmitted = "submitted"
	BidWithdrawn = "withdrawn"
)

// Bid is a supplier's sealed answer to a tender: a price for the items of
// the lots it bids on, and its values for the non-price criteria.
type Bid struct {
	ID             int64
	TenderID       int64
	SupplierID     int64
	Currency       string
	CriteriaValues json.RawMessage `gorm:"type:jsonb"` // {"delivery_days": "2"}
	Status         string
	SubmittedAt    time.Time
	WithdrawnAt    *time.Time
	Revision       int
	Items          []BidItem `gorm:"-"`
	SupplierName   string    `gorm:"->;-:migration"`
	// The receipt the bid was given when received (see receipt.go).
	ReceiptSHA256    string `gorm:"column:receipt_sha256"`
	ReceiptSignature string
	ReceiptKeyID     string
}

// Values decodes CriteriaValues.
func (b Bid) Values() (map[string]decimal.Decimal, error) {
	out := map[string]decimal.Decimal{}
	if len(b.CriteriaValues) == 0 {
		return out, nil
	}
	err := json.Unmarshal(b.CriteriaValues, &out)
	return out, err
}

// BidItem is a bid's price for one lot item: PackPrice for a pack of
// PackContent base units, and tiers by packs.
type BidItem struct {
	ID         int64
	BidID      int64
	SupplierID int64
	TenderID   int64
	LotItemID  int64
	// SKU and GTIN name the supplier's item (optional): an award copies
	// them onto the contract line, so that orders say what to ship.
	SKU         string `gorm:"column:sku"`
	GTIN        string `gorm:"column:gtin"`
	PackUnit    string
	PackContent decimal.Decimal
	BaseUnit    string
	PackPrice   decimal.Decimal
	Currency    string
	Tiers       []BidItemTier `gorm:"-"`
}

// BidItemTier is PackPrice per pack from MinPacks packs.
type BidItemTier struct {
	BidItemID  int64
	SupplierID int64
	MinPacks   decimal.Decimal
	PackPrice  decimal.Decimal
}

// pricing returns the item as the pricing engine's BidItem.
func (it BidItem) pricing(itemID string) (pricing.BidItem, error) {
	cur := pricing.Currency(it.Currency)
	price, err := pricing.NewPrice(it.PackPrice, cur)
	if err != nil {
		return pricing.BidItem{}, err
	}
	out := pricing.BidItem{ItemID: itemID, PackPrice: price,
		Pack: pricing.Pack{Unit: it.PackUnit, Content: pricing.Quantity{Value: it.PackContent, Unit: it.BaseUnit}}}
	for _, t := range it.Tiers {
		tp, err := pricing.NewPrice(t.PackPrice, cur)
		if err != nil {
			return pricing.BidItem{}, err
		}
		out.Tiers = append(out.Tiers, pricing.Tier{MinQuantity: t.MinPacks, Price: tp})
	}
	return out, nil
}

// BidInput is a supplier's bid. Values holds a value for every non-price
// criterion of the tender.
type BidInput struct {
	Currency string // default: the tender's
	Values   map[string]decimal.Decimal
	Items    []BidItemInput
}

// BidItemInput prices one lot item: a pack (unit and content in the
// product's base unit), its price, and optional tiers.
type BidItemInput struct {
	LotItemID int64
	// SKU and GTIN (GS1 check digit) optionally name the supplier's item.
	SKU, GTIN   string
	PackUnit    string
	PackContent decimal.Decimal
	PackPrice   decimal.Decimal
	Tiers       []BidTierInput
}

// BidTierInput is a tier: PackPrice per pack from MinPacks packs.
type BidTierInput struct {
	MinPacks  decimal.Decimal
	PackPrice decimal.Decimal
}

// forShare locks the selected rows against change (not against other
// shared locks) until the transaction ends.
var forShare = clause.Locking{Strength: "SHARE"}

// bidsOwnership: a supplier sees its own bids; staff only once unsealed
// (see bidScope); members never.
var bidsOwnership = ownership{supplierColumn: "bids.supplier_id"}

// bidScope walls bids: before close a bid is readable by its supplier only;
// after close also by staff; members never.
func bidScope(ctx context.Context) func(*gorm.DB) *gorm.DB {
	a := ActorFrom(ctx)
	return func(db *gorm.DB) *gorm.DB {
		switch {
		case a.IsStaff():
			return db.Where("EXISTS (SELECT 1 FROM tenders t WHERE t.id = bids.tender_id AND t.status IN ?)",
				[]TenderStatus{TenderClosed, TenderAwarded, TenderUnsuccessful})
		case a.Role == RoleSupplier:
			return visibleTo(ctx, bidsOwnership)(db)
		default:
			return db.Where("false")
		}
	}
}

// SubmitBid stores the calling supplier's bid for tender id, replacing its
// earlier bid (or a withdrawn one). Only before the deadline by the
// server's clock. Errors: ENOTFOUND, EFORBIDDEN (not a supplier), ECONFLICT
// (not published, or past the deadline: nothing is stored), EINVALID listing
// every problem. replaced reports whether an earlier bid was replaced.
func (s *TenderService) SubmitBid(ctx context.Context, tenderID int64, in BidInput) (bid *Bid, replaced bool, err error) {
	a := ActorFrom(ctx)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// A shared lock: bids go in concurrently, but not while the tender
		// is being closed.
		var t Tender
		if err := tx.Scopes(tenderScope(ctx)).Clauses(forShare).Where("tenders.id = ?", tenderID).Take(&t).Error; err != nil {
			return notFoundOr(err, "tender")
		}
		if _, err := require(ctx, RoleSupplier); err != nil {
			return err
		}
		if a.SupplierID == 0 {
			return Errorf(EFORBIDDEN, "only a supplier may bid")
		}
		// To the microsecond, as PostgreSQL keeps it: the receipt signs this
		// time, and a receipt read back from the row must be the same.
		now := s.now().UTC().Truncate(time.Microsecond)
		if t.Status != TenderPublished {
			return transitionError(&t, "bid on")
		}
		if !now.Before(t.BidDeadline) {
			return &Error{Code: ECONFLICT, Message: "the bid deadline has passed",
				Fields: []FieldError{{Field: "bid_deadline", Message: t.BidDeadline.Format(time.RFC3339)}}}
		}
		if err := s.load(ctx, tx, &t); err != nil {
			return err
		}
		b, items, err := checkBid(&t, in)
		if err != nil {
			return err
		}
		b.TenderID, b.SupplierID, b.SubmittedAt, b.Status = t.ID, a.SupplierID, now, BidSubmitted
		var old Bid
		res := tx.Clauses(forUpdate).Where("tender_id = ? AND supplier_id = ?", t.ID, a.SupplierID).Limit(1).Find(&old)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected > 0 {
			replaced = old.Status == BidSubmitted
			b.ID, b.Revision = old.ID, old.Revision+1
			if err := tx.Exec("DELETE FROM bid_items WHERE bid_id = ?", old.ID).Error; err != nil {
				return err
			}
			if err := tx.Model(&Bid{ID: old.ID}).Updates(map[string]any{"currency": b.Currency, "criteria_values": b.CriteriaValues,
				"status": BidSubmitted, "submitted_at": now, "withdrawn_at": nil, "revision": b.Revision}).Error; err != nil {
				return err
			}
		} else {
			b.Revision = 1
			if err := tx.Omit("ID", "WithdrawnAt").Create(b).Error; err != nil {
				if constraintViolated(err) == "bids_tender_supplier_key" {
					return Errorf(ECONFLICT, "another submission of your bid for this tender arrived at the same moment; retry")
				}
				return err
			}
		}
		for i := range items {
			items[i].BidID, items[i].SupplierID, items[i].TenderID = b.ID, a.SupplierID, t.ID
			if err := tx.Omit("ID").Create(&items[i]).Error; err != nil {
				return err
			}
			for j := range items[i].Tiers {
				items[i].Tiers[j].BidItemID, items[i].Tiers[j].SupplierID = items[i].ID, a.SupplierID
			}
			if len(items[i].Tiers) > 0 {
				if err := tx.Create(&items[i].Tiers).Error; err != nil {
					return err
				}
			}
		}
		b.Items = items
		r, err := s.receipts.SignReceipt(*b, now)
		if err != nil {
			return err
		}
		b.ReceiptSHA256, b.ReceiptSignature, b.ReceiptKeyID = r.SHA256, r.Signature, r.KeyID
		if err := tx.Exec("UPDATE bids SET receipt_sha256 = ?, receipt_signature = ?, receipt_key_id = ? WHERE id = ?",
			r.SHA256, r.Signature, r.KeyID, b.ID).Error; err != nil {
			return err
		}
		bid = b
		action := "bid.submitted"
		if res.RowsAffected > 0 {
			action = "bid.replaced"
		}
		// The trail records that a bid arrived, never its content.
		return recordAudit(ctx, tx, auditEntry{action: action, entity: "bid", entityID: b.ID, supplierID: a.SupplierID,
			details: map[string]any{"tender_id": t.ID, "revision": b.Revision, "sha256": r.SHA256}})
	})
	return bid, replaced, err
}

// checkBid validates in against the tender and returns the bid and its
// items, or EINVALID with every problem.
func checkBid(t *Tender, in BidInput) (*Bid, []BidItem, error) {
	var p Problems
	cur := in.Currency
	if cur == "" {
		cur = t.Currency
	}
	if cur != t.Currency {
		p.Add("currency", "bids on this tender are in %s", t.Currency)
	}
	values := map[string]string{}
	for _, c := range t.Criteria {
		v, ok := in.Values[c.Name]
		f := "values." + c.Name
		switch {
		case c.Name == PastPerformanceCriterion:
			// The cooperative scores it from the bidder's scorecard when
			// the tender closes; a bidder does not state its own.
			if ok {
				p.Add(f, "is scored by the cooperative from your supplier scorecard at the deadline; leave it out")
			}
		case !ok:
			p.Add(f, "is required")
		case v.IsNegative():
			p.Add(f, "must not be negative")
		case c.Direction == string(pricing.GivenScore) && v.GreaterThan(decimal.NewFromInt(100)):
			p.Add(f, "must be a score from 0 to 100")
		default:
			values[c.Name] = v.String()
		}
	}
	for name := range in.Values {
		if !slices.ContainsFunc(t.Criteria, func(c TenderCriterion) bool { return c.Name == name }) {
			p.Add("values."+name, "is not a criterion of this tender")
		}
	}
	itemsByID := map[int64]TenderLotItem{}
	lotOf := map[int64]int{}
	for li, l := range t.Lots {
		for _, it := range l.Items {
			itemsByID[it.ID] = it
			lotOf[it.ID] = li
		}
	}
	if len(in.Items) == 0 {
		p.Add("items", "price at least one lot's items")
	}
	seen := map[int64]bool{}
	lotsBid := map[int]bool{}
	items := make([]BidItem, 0, len(in.Items))
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d]", i)
		li, ok := itemsByID[it.LotItemID]
		if !ok {
			p.Add(f+".item_id", "is not an item of this tender")
			continue
		}
		if seen[it.LotItemID] {
			p.Add(f+".item_id", "item %d is priced twice", it.LotItemID)
			continue
		}
		seen[it.LotItemID] = true
		lotsBid[lotOf[it.LotItemID]] = true
		packUnit := strings.TrimSpace(it.PackUnit)
		if u, err := pricing.ReadUnit(packUnit); err == nil {
			packUnit = u.Code // "æsk", "stk", "ks": stored as the Rec 20 code
		}
		bi := BidItem{LotItemID: it.LotItemID, SKU: strings.TrimSpace(it.SKU), GTIN: strings.TrimSpace(it.GTIN),
			PackUnit: packUnit, PackContent: it.PackContent,
			BaseUnit: li.BaseUnit, PackPrice: it.PackPrice, Currency: cur}
		for _, tr := range it.Tiers {
			bi.Tiers = append(bi.Tiers, BidItemTier{MinPacks: tr.MinPacks, PackPrice: tr.PackPrice})
		}
		n := len(p)
		if len(bi.SKU) > 100 {
			p.Add(f+".sku", "is longer than 100 characters")
		}
		if bi.GTIN != "" && !ValidGTIN(bi.GTIN) {
			p.Add(f+".gtin", "is not a GTIN (8, 12, 13 or 14 digits with a valid GS1 check digit)")
		}
		if !bi.PackPrice.IsPositive() {
			p.Add(f+".pack_price", "must be above 0: a bid prices what it offers")
		}
		if it.PackContent.Exponent() < -6 {
			p.Add(f+".pack_content", "has more than 6 decimals")
		}
		// Sizes the columns keep, per tier, so that each is named (not
		// the item's price) and none reaches PostgreSQL as an overflow.
		for j, tr := range it.Tiers {
			tf := fmt.Sprintf("%s.tiers[%d]", f, j)
			if !tr.MinPacks.IsPositive() || !tr.MinPacks.Equal(tr.MinPacks.Truncate(0)) {
				p.Add(tf+".min_packs", "must be a whole number of packs above 0")
			} else if err := pricing.CheckQuantity(tr.MinPacks); err != nil {
				p.Add(tf+".min_packs", "is too large: at most 12 digits")
			}
			if !tr.PackPrice.IsPositive() {
				p.Add(tf+".pack_price", "must be above 0")
			} else if err := pricing.CheckPriceSize(tr.PackPrice); err != nil {
				p.Add(tf+".pack_price", "is too large: a price has at most 12 digits before the point")
			}
		}
		if len(p) > n {
			continue
		}
		pb, err := bi.pricing("x")
		if err != nil {
			for _, e := range pricing.FieldErrors(err) {
				p.Add(f+".pack_price", "%s", e.Message)
			}
			continue
		}
		for _, e := range pricing.FieldErrors(pb.Pack.Validate()) {
			field := f + ".pack_unit"
			if strings.HasPrefix(e.Field, "content") {
				field = f + ".pack_content"
			}
			p.Add(field, "%s", e.Message)
		}
		if len(pb.Tiers) > 0 {
			ladder := append(pricing.Tiers{{MinQuantity: decimal.Zero, Price: pb.PackPrice}}, pb.Tiers...)
			for _, e := range pricing.FieldErrors(ladder.Validate(t.AllowIncreasingTiers)) {
				p.Add(f+".tiers", "%s", e.Message)
			}
		}
		items = append(items, bi)
	}
	// A lot is bid for whole: every item of a lot the bid touches.
	for li := range lotsBid {
		for _, it := range t.Lots[li].Items {
			if !seen[it.ID] {
				p.Add("items", "lot %d (%s): item %d (product %d) is not priced; a lot is bid for whole",
					t.Lots[li].Position, t.Lots[li].Title, it.ID, it.ProductID)
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	raw, err := json.Marshal(values)
	if err != nil {
		return nil, nil, err
	}
	return &Bid{Currency: cur, CriteriaValues: raw}, items, nil
}

// WithdrawBid withdraws the calling supplier's bid for tender id before the
// deadline. Errors: ENOTFOUND (no bid of the caller), ECONFLICT (past the
// deadline or not published).
func (s *TenderService) WithdrawBid(ctx context.Context, tenderID, bidID int64) error {
	a := ActorFrom(ctx)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if a.Role != RoleSupplier {
			return NotFound("bid")
		}
		var b Bid
		if err := tx.Scopes(visibleTo(ctx, bidsOwnership)).Where("bids.id = ? AND bids.tender_id = ?", bidID, tenderID).
			Take(&b).Error; err != nil {
			return notFoundOr(err, "bid")
		}
		var t Tender
		if err := tx.Clauses(forShare).Where("id = ?", tenderID).Take(&t).Error; err != nil {
			return notFoundOr(err, "bid")
		}
		if t.Status != TenderPublished {
			return transitionError(&t, "bid on")
		}
		now := s.now().UTC()
		if !now.Before(t.BidDeadline) {
			return Errorf(ECONFLICT, "the bid deadline has passed")
		}
		if b.Status == BidWithdrawn {
			return nil
		}
		if err := tx.Model(&b).Updates(map[string]any{"status": BidWithdrawn, "withdrawn_at": now}).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "bid.withdrawn", entity: "bid", entityID: b.ID, supplierID: b.SupplierID,
			details: map[string]any{"tender_id": tenderID}})
	})
}

// GetBid returns a bid of tender id with its items: to its own supplier at
// any time, to staff once the tender has closed, to nobody else. Errors:
// ENOTFOUND (also for a sealed bid: it is not there for the caller).
func (s *TenderService) GetBid(ctx context.Context, tenderID, bidID int64) (*Bid, error) {
	bids, err := s.bids(ctx, s.db.Where("bids.id = ? AND bids.tender_id = ?", bidID, tenderID))
	if err != nil {
		return nil, err
	}
	if len(bids) == 0 {
		return nil, NotFound("bid")
	}
	return &bids[0], nil
}

// ListBids returns the bids of tender id the caller may read: a supplier
// its own; staff all of them once the tender has closed. Before then staff
// get ECONFLICT (the bids are sealed; Tender.BidsCount says how many).
// Errors: ENOTFOUND, ECONFLICT.
func (s *TenderService) ListBids(ctx context.Context, tenderID int64) ([]Bid, error) {
	t, err := s.Get(ctx, tenderID)
	if err != nil {
		return nil, err
	}
	a := ActorFrom(ctx)
	if a.Role == RoleMember {
		return nil, NotFound("tender")
	}
	if a.IsStaff() && !t.Status.Opened() {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("the bids are sealed until the tender closes (%d received)", t.BidsCount),
			Fields: []FieldError{{Field: "status", Message: string(t.Status)}}}
	}
	return s.bids(ctx, s.db.Where("bids.tender_id = ?", tenderID))
}

// bids loads the bids q selects that the caller may read, with items.
func (s *TenderService) bids(ctx context.Context, q *gorm.DB) ([]Bid, error) {
	var bids []Bid
	if err := q.WithContext(ctx).Table("bids").Select("bids.*, suppliers.name AS supplier_name").
		Joins("JOIN suppliers ON suppliers.id = bids.supplier_id").
		Scopes(bidScope(ctx)).Order("bids.id").Find(&bids).Error; err != nil {
		return nil, err
	}
	return bids, s.loadBidItems(ctx, s.db, bids)
}

// loadBidItems fills the items and tiers of bids (already access-checked).
func (s *TenderService) loadBidItems(ctx context.Context, db *gorm.DB, bids []Bid) error {
	if len(bids) == 0 {
		return nil
	}
	ids := make([]int64, len(bids))
	at := map[int64]int{}
	for i, b := range bids {
		ids[i] = b.ID
		at[b.ID] = i
	}
	var items []BidItem
	if err := db.WithContext(ctx).Where("bid_id IN ?", ids).Order("id").Find(&items).Error; err != nil {
		return err
	}
	itemIDs := make([]int64, len(items))
	for i, it := range items {
		itemIDs[i] = it.ID
	}
	var tiers []BidItemTier
	if len(itemIDs) > 0 {
		if err := db.WithContext(ctx).Where("bid_item_id IN ?", itemIDs).Order("bid_item_id, min_packs").Find(&tiers).Error; err != nil {
			return err
		}
	}
	tiersOf := map[int64][]BidItemTier{}
	for _, t := range tiers {
		tiersOf[t.BidItemID] = append(tiersOf[t.BidItemID], t)
	}
	for _, it := range items {
		it.Tiers = tiersOf[it.ID]
		i := at[it.BidID]
		bids[i].Items = append(bids[i].Items, it)
	}
	return nil
}
