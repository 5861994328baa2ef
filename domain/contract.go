package domain

import (
	"context"
	"encoding/json"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// BaselineNone is the baseline method recorded when no valid non-contract
// offer for the product existed at the award: the baseline is then the
// contract unit price itself, so the line shows zero savings rather than
// invented ones.
const BaselineNone = "none"

// Contract is what a supplier won in one tender: its prices (Lines) for the
// tender's contract period and the rebate rate it pays the cooperative.
type Contract struct {
	ID         int64
	TenderID   int64
	SupplierID int64
	Currency   string
	RebateRate decimal.Decimal
	ValidFrom  time.Time `gorm:"type:date"`
	ValidTo    time.Time `gorm:"type:date"`
	Status     ContractStatus
	CreatedAt  time.Time
	// DeliveryDays is the delivery time the supplier promised, in days
	// after confirmation: the awarded bid's value of the tender's
	// delivery_days criterion (nil when the tender had none). Orders keep
	// it (Order.PromisedDays) and scorecards measure against it.
	DeliveryDays *decimal.Decimal
	Lines        []ContractLine `gorm:"-"`
	// TrueUpTotal is the sum of the true-up credits owed on its lines
	// (net of reversals), filled by reads.
	TrueUpTotal decimal.Decimal `gorm:"-"`
	// SupplierName and TenderTitle are filled by reads, for display.
	SupplierName string `gorm:"->;-:migration"`
	TenderTitle  string `gorm:"->;-:migration"`
}

// ContractLine is the contract price of one product: pack and per-base-unit
// price, tiers by ordered packs, and the baseline savings are counted
// against, with the method and inputs that fixed it.
type ContractLine struct {
	ID         int64
	ContractID int64
	SupplierID int64
	TenderID   int64
	LotItemID  int64
	ProductID  int64
	// SKU and GTIN name the awarded item (the bid item's, else the
	// supplier's offer of that pack at the award); with the pack they are
	// what an order on the line ships. A product merge never changes them.
	SKU         string `gorm:"column:sku"`
	GTIN        string `gorm:"column:gtin"`
	PackUnit    string
	PackContent decimal.Decimal // in BaseUnit
	BaseUnit    string
	// CommittedQuantity is the packs of the tender's pooled quantity (the
	// volume the bid was evaluated at); OrderedQuantity the packs on
	// orders not cancelled or rejected; PeakQuantity the most
	// OrderedQuantity ever was. The line's price is the tier of the
	// largest of committed and peak (PooledQuantity).
	CommittedQuantity decimal.Decimal
	OrderedQuantity   decimal.Decimal
	PeakQuantity      decimal.Decimal
	// SupersededBy is the line of a later award that ended this one.
	SupersededBy *int64
	// UnitPrice is PackPrice per base unit (pricing.PackOffer.PerUnit).
	UnitPrice decimal.Decimal
	PackPrice decimal.Decimal
	Currency  string
	// BaselineUnitPrice is per base unit in Currency; BaselineMethod is a
	// pricing.BaselineMethod or BaselineNone; BaselineInputs the decimal
	// strings (and offer ids) it was computed from.
	BaselineUnitPrice decimal.Decimal
	BaselineMethod    string
	BaselineInputs    json.RawMessage `gorm:"type:jsonb"`
	RebateRate        decimal.Decimal
	ValidFrom         time.Time `gorm:"type:date"`
	ValidTo           time.Time `gorm:"type:date"`
	Status            ContractStatus
	Tiers             []ContractLineTier `gorm:"-"`
	// TrueUpTotal is the sum of the line's true-up credits (net of
	// reversals), filled by reads.
	TrueUpTotal decimal.Decimal `gorm:"-"`
}

// ContractLineTier is one step of a contract line's ladder: PackPrice (and
// UnitPrice per base unit) for every pack of an order of at least MinPacks.
type ContractLineTier struct {
	ContractLineID int64
	SupplierID     int64
	MinPacks       decimal.Decimal
	PackPrice      decimal.Decimal
	UnitPrice      decimal.Decimal
}

// Pricing returns the line's prices as pricing values: the pack offer, the
// unit price, the baseline and the tier ladder (nil without tiers). Errors:
// those of pricing for a malformed stored row (a bug).
func (l ContractLine) Pricing() (offer pricing.PackOffer, unit, baseline pricing.Price, tiers pricing.Tiers, err error) {
	cur := currencyOf(l.Currency)
	if offer.Price, err = pricing.NewPrice(l.PackPrice, cur); err != nil {
		return
	}
	offer.Pack = packOf(l.PackUnit, l.PackContent, l.BaseUnit)
	if unit, err = pricing.NewPrice(l.UnitPrice, cur); err != nil {
		return
	}
	if baseline, err = pricing.NewPrice(l.BaselineUnitPrice, cur); err != nil {
		return
	}
	if len(l.Tiers) > 0 {
		tiers, err = contractLadder(cur, l.PackPrice, l.Tiers)
	}
	return
}

// Ownership of contracts: a supplier sees its own; members and staff see
// all (contract prices are what members order at).
var contractsOwnership = ownership{supplierColumn: "contracts.supplier_id", public: false}

// ContractService reads the contracts that awards create.
type ContractService struct {
	db *gorm.DB
	// now is the server's clock (Options.Clock).
	now func() time.Time
}

// ContractFilter narrows a contract list.
type ContractFilter struct {
	SupplierID int64
	TenderID   int64
	ProductID  int64
	// All includes expired and terminated contracts (staff and the
	// contract's supplier only); by default only active ones valid today.
	All  bool
	Page Page
}

// contractScope walls contracts: suppliers see their own; members and
// staff see every contract (members order at these prices).
func contractScope(ctx context.Context) func(*gorm.DB) *gorm.DB {
	a := ActorFrom(ctx)
	return func(db *gorm.DB) *gorm.DB {
		if a.Role == RoleMember && a.MemberID != 0 {
			return db
		}
		return visibleTo(ctx, contractsOwnership)(db)
	}
}

// List returns the contracts the caller may see, newest first. Members
// always see only active contracts valid today.
func (s *ContractService) List(ctx context.Context, f ContractFilter) ([]Contract, int64, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard, RoleMember, RoleSupplier); err != nil {
		return nil, 0, err
	}
	q := s.db.WithContext(ctx).Table("contracts").
		Select("contracts.*, suppliers.name AS supplier_name, tenders.title AS tender_title").
		Joins("JOIN suppliers ON suppliers.id = contracts.supplier_id").
		Joins("JOIN tenders ON tenders.id = contracts.tender_id").
		Scopes(contractScope(ctx))
	if !f.All || ActorFrom(ctx).Role == RoleMember {
		day := dayOf(s.now())
		q = q.Where("contracts.status = 'active'").Scopes(validOn("contracts", day))
	}
	if f.SupplierID != 0 {
		q = q.Where("contracts.supplier_id = ?", f.SupplierID)
	}
	if f.TenderID != 0 {
		q = q.Where("contracts.tender_id = ?", f.TenderID)
	}
	if f.ProductID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM contract_lines l WHERE l.contract_id = contracts.id AND l.product_id = ?)", f.ProductID)
	}
	var rows []Contract
	if err := q.Scopes(f.Page.keyset("contracts", true)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, f.Page, func(c Contract) int64 { return c.ID })
	return rows, next, s.fillTrueUps(ctx, rows)
}

// Get returns a contract with its lines and their tiers. Members see only
// active contracts. Errors: ENOTFOUND.
func (s *ContractService) Get(ctx context.Context, id int64) (*Contract, error) {
	if _, err := require(ctx, RoleAdmin, RoleBoard, RoleMember, RoleSupplier); err != nil {
		return nil, NotFound("contract")
	}
	q := s.db.WithContext(ctx).Table("contracts").
		Select("contracts.*, suppliers.name AS supplier_name, tenders.title AS tender_title").
		Joins("JOIN suppliers ON suppliers.id = contracts.supplier_id").
		Joins("JOIN tenders ON tenders.id = contracts.tender_id").
		Scopes(contractScope(ctx)).Where("contracts.id = ?", id)
	if ActorFrom(ctx).Role == RoleMember {
		q = q.Where("contracts.status = 'active'")
	}
	var c Contract
	if err := q.Take(&c).Error; err != nil {
		return nil, notFoundOr(err, "contract")
	}
	lines, err := s.lines(s.db.WithContext(ctx).Where("contract_lines.contract_id = ?", c.ID))
	if err != nil {
		return nil, err
	}
	c.Lines = lines
	one := []Contract{c}
	if err := s.fillTrueUps(ctx, one); err != nil {
		return nil, err
	}
	return &one[0], nil
}

// lines loads the contract lines q selects, with their tiers, by id.
func (s *ContractService) lines(q *gorm.DB) ([]ContractLine, error) {
	var lines []ContractLine
	if err := q.Order("contract_lines.id").Find(&lines).Error; err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return lines, nil
	}
	ids := make([]int64, len(lines))
	at := make(map[int64]int, len(lines))
	for i, l := range lines {
		ids[i] = l.ID
		at[l.ID] = i
	}
	var tiers []ContractLineTier
	if err := q.Session(&gorm.Session{NewDB: true}).Where("contract_line_id IN ?", ids).
		Order("contract_line_id, min_packs").Find(&tiers).Error; err != nil {
		return nil, err
	}
	for _, t := range tiers {
		i := at[t.ContractLineID]
		lines[i].Tiers = append(lines[i].Tiers, t)
	}
	return lines, nil
}

// ActiveContractLines returns the active contract lines of product valid
// on the day of on, of every supplier, with their tiers. It is deliberately
// not scoped by tenant: contract prices are what every member orders at,
// and ordering and the catalogue call it on behalf of any caller.
func (s *ContractService) ActiveContractLines(ctx context.Context, productID int64, on time.Time) ([]ContractLine, error) {
	day := dayOf(on)
	return s.lines(s.db.WithContext(ctx).
		Where("contract_lines.product_id = ? AND contract_lines.status = 'active'", productID).
		Scopes(validOn("contract_lines", day)).
		Where("EXISTS (SELECT 1 FROM contracts c WHERE c.id = contract_lines.contract_id AND c.status = 'active')"))
}

// MarkContracts is a ContractMarker for CatalogueService.Contracts: the
// contract lines of product on the day of on, each with the price members
// pay now (the tier of its pooled volume) and the item it awarded.
func (s *ContractService) MarkContracts(ctx context.Context, productID int64, on time.Time) ([]ContractMark, error) {
	lines, err := s.ActiveContractLines(ctx, productID, on)
	if err != nil {
		return nil, err
	}
	out := make([]ContractMark, 0, len(lines))
	for _, l := range lines {
		tier, err := l.TierReached()
		if err != nil {
			return nil, err
		}
		to := l.ValidTo
		out = append(out, ContractMark{ContractID: l.ContractID, ContractLineID: l.ID, SupplierID: l.SupplierID, SKU: l.SKU,
			Line: l, UnitPrice: tier.UnitPrice, PackPrice: tier.PackPrice, ValidTo: &to})
	}
	return out, nil
}

// ExpireLapsed marks active contracts and contract lines whose validity
// ended before today (by the server's clock) as expired, and returns how
// many contracts it expired. Reads already ignore lapsed prices; this keeps
// the status truthful. Admins (jobs) only; safe to re-run.
func (s *ContractService) ExpireLapsed(ctx context.Context) (int64, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return 0, err
	}
	day := dayOf(s.now())
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE contract_lines SET status = 'expired' WHERE status = 'active' AND valid_to < ?", day).Error; err != nil {
			return err
		}
		res := tx.Exec("UPDATE contracts SET status = 'expired' WHERE status = 'active' AND valid_to < ?", day)
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}

// dayOf is t's date in UTC at midnight.
func dayOf(t time.Time) time.Time {
	return t.UTC().Truncate(24 * time.Hour)
}
