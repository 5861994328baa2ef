package domain

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Tender is a call for bids on lots of products with the cooperative's
// pooled quantities.
type Tender struct {
	ID                   int64
	Title                string
	Description          string
	Category             string
	Currency             string
	ContractFrom         time.Time `gorm:"type:date"`
	ContractTo           time.Time `gorm:"type:date"`
	BidDeadline          time.Time
	RebateRate           decimal.Decimal
	PriceWeight          decimal.Decimal
	AllowIncreasingTiers bool
	DemandPeriod         *string
	Status               TenderStatus
	CreatedBy            string
	CreatedAt            time.Time
	UpdatedAt            time.Time
	PublishedAt          *time.Time
	ClosedAt             *time.Time
	AwardedAt            *time.Time
	CancelledAt          *time.Time
	CancelReason         string

	Criteria []TenderCriterion `gorm:"-"`
	Lots     []TenderLot       `gorm:"-"`
	// BidsCount is the number of submitted bids (filled for staff only;
	// -1 for everyone else).
	BidsCount int `gorm:"-"`
}

// TenderCriterion is a non-price award criterion; the price criterion is
// Tender.PriceWeight.
type TenderCriterion struct {
	ID        int64
	TenderID  int64
	Position  int
	Name      string
	Weight    decimal.Decimal
	Direction string
}

// TableName is the criteria table.
func (TenderCriterion) TableName() string { return "tender_criteria" }

// TenderLot is a group of products bid for and awarded together.
type TenderLot struct {
	ID          int64
	TenderID    int64
	Position    int
	Title       string
	Description string
	Items       []TenderLotItem `gorm:"-"`
}

// TenderLotItem is a product of a lot with its pooled quantity in the
// product's base unit. MembersCount is how many members' demand is behind
// it (staff only; never who).
type TenderLotItem struct {
	ID           int64
	TenderID     int64
	LotID        int64
	Position     int
	ProductID    int64
	BaseUnit     string
	Quantity     decimal.Decimal
	MembersCount int
	ProductName  string `gorm:"->;-:migration"`
}

// TenderInput is a new tender.
type TenderInput struct {
	Title                string
	Description          string
	Category             string
	Currency             string // default: the cooperative's
	ContractFrom         time.Time
	ContractTo           time.Time
	BidDeadline          time.Time
	RebateRate           decimal.Decimal
	AllowIncreasingTiers bool
	// Criteria must include "price" exactly once; the weights sum to 100.
	Criteria []CriterionInput
	Lots     []LotInput
	// Invalid lists what the caller already found wrong while reading the
	// input; it is reported together with the domain's own problems.
	Invalid Problems
}

// CriterionInput is an award criterion. Direction is ignored for price.
type CriterionInput struct {
	Name      string
	Weight    decimal.Decimal
	Direction string
}

// LotInput is a lot: its items, optionally filled from pooled demand of a
// period (FromDemand, restricted to the tender's category when it has one)
// and then edited by Items (a listed product's quantity replaces the pooled
// one; a zero quantity removes it).
type LotInput struct {
	Title       string
	Description string
	FromDemand  string
	Items       []LotItemInput
}

// LotItemInput is a product of a lot with its quantity in the product's
// base unit.
type LotItemInput struct {
	ProductID int64
	Quantity  decimal.Decimal
}

// TenderFilter narrows a tender list.
type TenderFilter struct {
	Status TenderStatus
	Page   Page
}

// TenderService runs tenders: creation, publication, sealed bids, closing
// with evaluation, and awards into contracts.
type TenderService struct {
	db *gorm.DB
	// now is the server's clock (Options.Clock): deadlines are judged by it.
	now func() time.Time
	// catalogue gives the cooperative's currency and the exchange rates
	// that convert offers for savings baselines.
	catalogue *CatalogueService
	demand    *DemandService
	// receipts signs what is received of each bid (Options.ReceiptKey).
	receipts ReceiptKey
	// scorecards score the past_performance criterion at the deadline.
	scorecards *ScorecardService
}

// WithClock returns a copy of the service that judges deadlines by clock:
// the demo seed plays a tender through in the past with it.
func (s *TenderService) WithClock(clock func() time.Time) *TenderService {
	c := *s
	c.now = clock
	return &c
}

var criterionName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,49}$`)

// tenderScope: staff see every tender; suppliers and members every one
// that was published (a draft cancelled before it was published stays
// the cooperative's, as the draft was); anonymous callers none.
func tenderScope(ctx context.Context) func(*gorm.DB) *gorm.DB {
	a := ActorFrom(ctx)
	return func(db *gorm.DB) *gorm.DB {
		switch {
		case a.IsStaff():
			return db
		case a.Role == RoleSupplier || a.Role == RoleMember:
			return db.Where("tenders.status <> ? AND NOT (tenders.status = ? AND tenders.published_at IS NULL)", TenderDraft, TenderCancelled)
		default:
			return db.Where("false")
		}
	}
}

// Create adds a draft tender. Admins only. Errors: EFORBIDDEN, EINVALID
// listing every problem.
func (s *TenderService) Create(ctx context.Context, in TenderInput) (*Tender, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, err
	}
	t, criteria, lots, err := s.prepare(ctx, in)
	if err != nil {
		return nil, err
	}
	t.Status, t.CreatedBy = TenderDraft, ActorFrom(ctx).Label
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("ID", "CreatedAt", "UpdatedAt", "PublishedAt", "ClosedAt", "AwardedAt", "CancelledAt").Create(t).Error; err != nil {
			return err
		}
		if err := writeTenderParts(tx, t.ID, criteria, lots); err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "tender.created", entity: "tender", entityID: t.ID,
			details: map[string]any{"title": t.Title, "lots": len(lots), "bid_deadline": t.BidDeadline}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, t.ID)
}

// Update replaces every field, criterion and lot of a draft tender with in
// (lots may be filled from demand again and edited). Admins only. Errors:
// ENOTFOUND, EFORBIDDEN, ECONFLICT (no longer a draft), EINVALID.
func (s *TenderService) Update(ctx context.Context, id int64, in TenderInput) (*Tender, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := s.lockForAdmin(ctx, tx, id, "edited", func(st TenderStatus) bool { return st == TenderDraft })
		if err != nil {
			return err
		}
		t, criteria, lots, err := s.prepare(ctx, in)
		if err != nil {
			return err
		}
		if err := tx.Model(old).Updates(map[string]any{"title": t.Title, "description": t.Description,
			"category": t.Category, "currency": t.Currency, "contract_from": t.ContractFrom, "contract_to": t.ContractTo,
			"bid_deadline": t.BidDeadline, "rebate_rate": t.RebateRate, "price_weight": t.PriceWeight,
			"allow_increasing_tiers": t.AllowIncreasingTiers, "demand_period": t.DemandPeriod,
			"updated_at": s.now().UTC()}).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM tender_criteria WHERE tender_id = ?", id).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM tender_lots WHERE tender_id = ?", id).Error; err != nil { // items cascade
			return err
		}
		if err := writeTenderParts(tx, id, criteria, lots); err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "tender.updated", entity: "tender", entityID: id,
			details: map[string]any{"title": t.Title, "lots": len(lots), "bid_deadline": t.BidDeadline}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// writeTenderParts inserts the criteria and lots (with items) of tender id.
func writeTenderParts(tx *gorm.DB, id int64, criteria []TenderCriterion, lots []TenderLot) error {
	for i := range criteria {
		criteria[i].TenderID = id
	}
	if len(criteria) > 0 {
		if err := tx.Create(&criteria).Error; err != nil {
			return err
		}
	}
	for i := range lots {
		lots[i].TenderID = id
		if err := tx.Create(&lots[i]).Error; err != nil {
			return err
		}
		for j := range lots[i].Items {
			lots[i].Items[j].TenderID = id
			lots[i].Items[j].LotID = lots[i].ID
		}
		if err := tx.Create(&lots[i].Items).Error; err != nil {
			return err
		}
	}
	return nil
}

// prepare validates in, reporting every problem at once, and returns the
// tender's fields, its non-price criteria and its lots (filled from pooled
// demand where asked).
func (s *TenderService) prepare(ctx context.Context, in TenderInput) (*Tender, []TenderCriterion, []TenderLot, error) {
	t := &Tender{Title: strings.TrimSpace(in.Title), Description: in.Description, Category: strings.TrimSpace(in.Category),
		Currency: in.Currency, ContractFrom: dayOf(in.ContractFrom), ContractTo: dayOf(in.ContractTo),
		BidDeadline: in.BidDeadline.UTC(), RebateRate: in.RebateRate, AllowIncreasingTiers: in.AllowIncreasingTiers}
	if t.Currency == "" {
		t.Currency = s.catalogue.currency
	}
	var p Problems
	if t.Title == "" {
		p.Add("title", "is required")
	}
	checkLength(&p, "title", t.Title, 300)
	checkLength(&p, "description", t.Description, 10000)
	checkLength(&p, "category", t.Category, 100)
	if _, err := pricing.ParseCurrency(t.Currency); err != nil {
		p.Add("currency", "is not an ISO 4217 currency code")
	}
	if in.ContractFrom.IsZero() {
		p.Add("contract_from", "is required")
	}
	if in.ContractTo.IsZero() {
		p.Add("contract_to", "is required")
	} else if t.ContractTo.Before(t.ContractFrom) {
		p.Add("contract_to", "must not be before contract_from")
	}
	if in.BidDeadline.IsZero() {
		p.Add("bid_deadline", "is required")
	} else if !in.BidDeadline.After(s.now()) {
		p.Add("bid_deadline", "must be in the future")
	}
	if in.RebateRate.IsNegative() || !in.RebateRate.LessThan(decimal.NewFromInt(1)) || in.RebateRate.Exponent() < -6 {
		p.Add("rebate_rate", "must be a fraction from 0 up to 1 (0.02 is 2%%) with at most 6 decimals")
	}
	criteria := s.checkCriteria(in.Criteria, t, &p)
	if len(in.Lots) == 0 {
		p.Add("lots", "at least one lot is required")
	}
	var demandPeriod string
	for i, l := range in.Lots {
		if strings.TrimSpace(l.Title) == "" {
			p.Add(fmt.Sprintf("lots[%d].title", i), "is required")
		}
		checkLength(&p, fmt.Sprintf("lots[%d].title", i), strings.TrimSpace(l.Title), 300)
		checkLength(&p, fmt.Sprintf("lots[%d].description", i), l.Description, 10000)
		if l.FromDemand != "" {
			if !ValidPeriod(l.FromDemand) {
				p.Add(fmt.Sprintf("lots[%d].from_demand.period", i), "is not a period (2027, 2027-H1, 2027-Q3, 2027-05)")
			}
			demandPeriod = l.FromDemand
		}
	}
	if demandPeriod != "" {
		t.DemandPeriod = &demandPeriod
	}
	// Every problem at once: the lots are checked even when other fields
	// are wrong.
	lots, err := s.buildLots(ctx, s.db, t, in.Lots, &p)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := in.Invalid.Merge(p).Err(); err != nil {
		return nil, nil, nil, err
	}
	return t, criteria, lots, nil
}

// checkCriteria validates the criteria, sets t.PriceWeight and returns the
// non-price criteria.
func (s *TenderService) checkCriteria(in []CriterionInput, t *Tender, p *Problems) []TenderCriterion {
	// The sum is told whenever every criterion could be read, also when
	// other fields have problems: every problem is listed at once.
	before := len(*p)
	var out []TenderCriterion
	sum := decimal.Zero
	seen := map[string]bool{}
	hasPrice := false
	for i, c := range in {
		f := fmt.Sprintf("criteria[%d]", i)
		name := strings.TrimSpace(c.Name)
		if !criterionName.MatchString(name) {
			p.Add(f+".name", "must be lower-case letters, digits and _ (e.g. delivery_days)")
			continue
		}
		if seen[name] {
			p.Add(f+".name", "%q is listed twice", name)
			continue
		}
		seen[name] = true
		if !c.Weight.IsPositive() || c.Weight.GreaterThan(decimal.NewFromInt(100)) || c.Weight.Exponent() < -6 {
			p.Add(f+".weight", "must be above 0 and at most 100, with at most 6 decimals")
			continue
		}
		sum = sum.Add(c.Weight)
		if name == "price" {
			hasPrice = true
			t.PriceWeight = c.Weight
			continue
		}
		if name == PastPerformanceCriterion && c.Direction == "" {
			// Scored 0-100 from each bidder's scorecard at the deadline.
			c.Direction = string(pricing.GivenScore)
		}
		switch dir := pricing.Direction(c.Direction); {
		case name == PastPerformanceCriterion && dir != pricing.GivenScore:
			p.Add(f+".direction", "past_performance is a score from 0 to 100 (direction score)")
			continue
		case dir == pricing.LowerIsBetter, dir == pricing.HigherIsBetter, dir == pricing.GivenScore:
		default:
			p.Add(f+".direction", "must be lower_is_better, higher_is_better or score")
			continue
		}
		out = append(out, TenderCriterion{Position: len(out) + 1, Name: name, Weight: c.Weight, Direction: c.Direction})
	}
	if !hasPrice {
		p.Add("criteria", "price must be one of the criteria")
	}
	if len(*p) == before && !sum.Equal(decimal.NewFromInt(100)) {
		p.Add("criteria", "the weights sum to %s, not 100", sum.String())
	}
	return out
}

// buildLots fills lots from pooled demand and the listed items.
func (s *TenderService) buildLots(ctx context.Context, tx *gorm.DB, t *Tender, in []LotInput, p *Problems) ([]TenderLot, error) {
	tx = tx.WithContext(ctx)
	lots := make([]TenderLot, len(in))
	for i, l := range in {
		lot := TenderLot{Position: i + 1, Title: strings.TrimSpace(l.Title), Description: l.Description}
		byProduct := map[int64]int{}
		// A period that is not one is listed by prepare; pooling it
		// would read months that do not exist (periodMonths wants a
		// valid period).
		if l.FromDemand != "" && ValidPeriod(l.FromDemand) {
			pooled, err := s.demand.pool(ctx, tx, l.FromDemand, t.Category)
			if err != nil {
				return nil, err
			}
			for _, d := range pooled {
				byProduct[d.ProductID] = len(lot.Items)
				lot.Items = append(lot.Items, TenderLotItem{ProductID: d.ProductID, BaseUnit: d.BaseUnit,
					Quantity: d.Quantity, MembersCount: d.Members})
			}
		}
		var ids []int64
		for _, it := range l.Items {
			ids = append(ids, it.ProductID)
		}
		var products []Product
		if len(ids) > 0 {
			if err := tx.Where("id IN ? AND status <> 'merged'", ids).Find(&products).Error; err != nil {
				return nil, err
			}
		}
		known := map[int64]Product{}
		for _, pr := range products {
			known[pr.ID] = pr
		}
		removed := map[int64]bool{}
		for j, it := range l.Items {
			f := fmt.Sprintf("lots[%d].items[%d]", i, j)
			pr, ok := known[it.ProductID]
			if !ok {
				p.Add(f+".product_id", "no such product")
				continue
			}
			if it.Quantity.IsNegative() || pricing.CheckQuantity(it.Quantity) != nil {
				p.Add(f+".quantity", "must not be negative, with at most 12 digits before the point and 6 after")
				continue
			}
			if k, ok := byProduct[it.ProductID]; ok {
				if it.Quantity.IsZero() {
					removed[it.ProductID] = true
				} else {
					lot.Items[k].Quantity = it.Quantity
				}
				continue
			}
			if it.Quantity.IsZero() {
				p.Add(f+".quantity", "must be positive")
				continue
			}
			byProduct[it.ProductID] = len(lot.Items)
			lot.Items = append(lot.Items, TenderLotItem{ProductID: it.ProductID, BaseUnit: pr.BaseUnit, Quantity: it.Quantity})
		}
		kept := lot.Items[:0]
		for _, it := range lot.Items {
			if !removed[it.ProductID] {
				it.Position = len(kept) + 1
				kept = append(kept, it)
			}
		}
		lot.Items = kept
		if len(lot.Items) == 0 {
			p.Add(fmt.Sprintf("lots[%d].items", i), "the lot has no items (no pooled demand and none listed)")
		}
		lots[i] = lot
	}
	return lots, nil
}

// Get returns a tender with its criteria, lots and items. Drafts are
// visible to staff only. Errors: ENOTFOUND.
func (s *TenderService) Get(ctx context.Context, id int64) (*Tender, error) {
	var t Tender
	if err := s.db.WithContext(ctx).Scopes(tenderScope(ctx)).Where("tenders.id = ?", id).Take(&t).Error; err != nil {
		return nil, notFoundOr(err, "tender")
	}
	if err := s.load(ctx, s.db, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// load fills the criteria, lots, items and (for staff) the bid count.
func (s *TenderService) load(ctx context.Context, db *gorm.DB, t *Tender) error {
	db = db.WithContext(ctx)
	if err := db.Where("tender_id = ?", t.ID).Order("position").Find(&t.Criteria).Error; err != nil {
		return err
	}
	if err := db.Where("tender_id = ?", t.ID).Order("position").Find(&t.Lots).Error; err != nil {
		return err
	}
	var items []TenderLotItem
	if err := db.Table("tender_lot_items").Select("tender_lot_items.*, products.name AS product_name").
		Joins("JOIN products ON products.id = tender_lot_items.product_id").
		Where("tender_lot_items.tender_id = ?", t.ID).Order("tender_lot_items.position").Find(&items).Error; err != nil {
		return err
	}
	at := map[int64]int{}
	for i, l := range t.Lots {
		at[l.ID] = i
	}
	staff := ActorFrom(ctx).IsStaff()
	for _, it := range items {
		if !staff {
			it.MembersCount = 0
		}
		t.Lots[at[it.LotID]].Items = append(t.Lots[at[it.LotID]].Items, it)
	}
	t.BidsCount = -1
	if staff {
		var n int64
		if err := db.Table("bids").Where("tender_id = ? AND status = 'submitted'", t.ID).Count(&n).Error; err != nil {
			return err
		}
		t.BidsCount = int(n)
	}
	return nil
}

// List returns the tenders the caller may see, newest first (suppliers and
// members: no drafts). Lots are not loaded.
func (s *TenderService) List(ctx context.Context, f TenderFilter) ([]Tender, int64, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard, RoleMember, RoleSupplier); err != nil {
		return nil, 0, err
	}
	q := s.db.WithContext(ctx).Scopes(tenderScope(ctx))
	if f.Status != "" {
		q = q.Where("tenders.status = ?", f.Status)
	}
	var rows []Tender
	if err := q.Scopes(f.Page.keyset("tenders", true)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, f.Page, func(t Tender) int64 { return t.ID })
	if len(rows) == 0 {
		return rows, next, nil
	}
	// Every criterion and (for staff) the bid count of the page's tenders,
	// one query each.
	ids := make([]int64, len(rows))
	at := make(map[int64]int, len(rows))
	for i := range rows {
		ids[i], at[rows[i].ID] = rows[i].ID, i
		rows[i].BidsCount = -1
	}
	var criteria []TenderCriterion
	if err := s.db.WithContext(ctx).Where("tender_id IN ?", ids).Order("tender_id, position").Find(&criteria).Error; err != nil {
		return nil, 0, err
	}
	for _, c := range criteria {
		rows[at[c.TenderID]].Criteria = append(rows[at[c.TenderID]].Criteria, c)
	}
	if ActorFrom(ctx).IsStaff() {
		var counts []struct{ TenderID, N int64 }
		if err := s.db.WithContext(ctx).Table("bids").Select("tender_id, count(*) AS n").
			Where("tender_id IN ? AND status = 'submitted'", ids).Group("tender_id").Scan(&counts).Error; err != nil {
			return nil, 0, err
		}
		for i := range rows {
			rows[i].BidsCount = 0
		}
		for _, c := range counts {
			rows[at[c.TenderID]].BidsCount = int(c.N)
		}
	}
	return rows, next, nil
}

// transitionError is the 409 of an illegal transition, naming the state.
func transitionError(t *Tender, action string) error {
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("a %s tender cannot be %s", t.Status, action),
		Fields: []FieldError{{Field: "status", Message: string(t.Status)}}}
}

// lockTender loads tender id FOR UPDATE inside tx, as the caller may see it.
func (s *TenderService) lockTender(ctx context.Context, tx *gorm.DB, id int64) (*Tender, error) {
	var t Tender
	if err := tx.Scopes(tenderScope(ctx)).Clauses(forUpdate).Where("tenders.id = ?", id).Take(&t).Error; err != nil {
		return nil, notFoundOr(err, "tender")
	}
	return &t, nil
}

// lockForMove is the start of every admin transition of a tender: it locks
// tender id (ENOTFOUND when the caller cannot see it), requires an admin
// (EFORBIDDEN), and requires that the tender may become to
// (TenderStatus.CanBecome; ECONFLICT naming the current state).
func (s *TenderService) lockForMove(ctx context.Context, tx *gorm.DB, id int64, to TenderStatus) (*Tender, error) {
	return s.lockForAdmin(ctx, tx, id, string(to), func(st TenderStatus) bool { return st.CanBecome(to) })
}

// lockForAdmin locks tender id for an admin's action, which the tender's
// status must allow (ECONFLICT naming the status and the action otherwise).
func (s *TenderService) lockForAdmin(ctx context.Context, tx *gorm.DB, id int64, action string, allowed func(TenderStatus) bool) (*Tender, error) {
	t, err := s.lockTender(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, err
	}
	if !allowed(t.Status) {
		return nil, transitionError(t, action)
	}
	return t, nil
}

// Publish opens a draft tender for bids. Admins only. Errors: ENOTFOUND,
// EFORBIDDEN, ECONFLICT (not a draft, or the deadline has passed).
func (s *TenderService) Publish(ctx context.Context, id int64) (*Tender, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.lockForMove(ctx, tx, id, TenderPublished)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if !t.BidDeadline.After(now) {
			return &Error{Code: ECONFLICT, Message: "the bid deadline has passed; create a new tender",
				Fields: []FieldError{{Field: "bid_deadline", Message: "is in the past"}}}
		}
		if err := tx.Model(t).Updates(map[string]any{"status": TenderPublished, "published_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "tender.published", entity: "tender", entityID: id,
			details: map[string]any{"from": TenderDraft, "to": TenderPublished}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Cancel cancels a draft, published or closed tender, with a reason.
// Admins only. Bids stay sealed. Errors: ENOTFOUND, EFORBIDDEN, ECONFLICT.
func (s *TenderService) Cancel(ctx context.Context, id int64, reason string) (*Tender, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := s.lockForMove(ctx, tx, id, TenderCancelled)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if err := tx.Model(t).Updates(map[string]any{"status": TenderCancelled, "cancelled_at": now,
			"cancel_reason": strings.TrimSpace(reason), "updated_at": now}).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "tender.cancelled", entity: "tender", entityID: id,
			details: map[string]any{"from": t.Status, "to": TenderCancelled, "reason": reason}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}
