package domain

import (
	"context"
	"slices"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// Pooled tier prices and true-up: the tier of a contract line is the one
// the cooperative's volume reaches, never a single order's.
//
//   - A line's pooled quantity is the largest of its committed quantity
//     (the packs the tender evaluated the bid at) and the most packs ever
//     ordered on it (PeakQuantity). Members pay the tier of the pooled
//     quantity, counting the packs of the order being placed, from the
//     first order.
//   - The order that takes the pooled quantity into a cheaper tier pays
//     that tier; every earlier line on the contract line (orders not
//     cancelled or rejected) gets a true-up credit of (what it was paid
//     per pack, or was last trued up to - the new tier's pack price) x its
//     packs, rounded once (pricing.TrueUpCredit), per order line, so that
//     each member's credits are its own lines' sums.
//   - This runs in the transaction of the order that crosses the tier,
//     with the contract line locked (SELECT ... FOR UPDATE) before the
//     order's lines are priced: the volume, the prices and the credits are
//     then exact under any number of concurrent orders (they queue on the
//     line; orders of other products do not), and no credit is ever
//     computed from a volume another transaction is changing. A job run
//     later would be simpler to lock but would leave members' statements
//     wrong until it ran and would have to re-derive who ordered before
//     the crossing.
//   - Cancelling or rejecting an order removes its packs from the ordered
//     quantity and reverses the credits of its lines (they were never
//     paid). The tier reached never goes down: credits granted stand, and a
//     volume that stays below the committed quantity is the supplier's risk
//     (the settlement shows the shortfall; nothing is clawed back).

// PooledQuantity is the volume the line is priced at: the larger of the
// committed quantity and the most packs ever ordered.
func (l ContractLine) PooledQuantity() decimal.Decimal {
	return decimal.Max(l.CommittedQuantity, l.PeakQuantity)
}

// TierAt is the step of the line's ladder (its plain price from zero
// packs, then its tiers) that applies to packs, with its price per base
// unit. Errors: those of pricing for a malformed stored row (a bug).
func (l ContractLine) TierAt(packs decimal.Decimal) (TierPrices, error) {
	c := ContractPrice{PackPrice: l.PackPrice, UnitPrice: l.UnitPrice, Currency: l.Currency, Tiers: l.Tiers}
	pack, unit, min, err := c.priceAt(packs)
	return TierPrices{MinPacks: min, PackPrice: pack, UnitPrice: unit}, err
}

// TierReached is the tier of the line's pooled quantity: what members pay
// now.
func (l ContractLine) TierReached() (TierPrices, error) { return l.TierAt(l.PooledQuantity()) }

// pooled is the volume an order line of qty packs is priced at: the
// committed quantity, the peak so far, or the ordered quantity with the
// packs of the order's lines on this contract line (Batch, at least qty),
// whichever is largest.
func (c *ContractPrice) pooled(qty int64) decimal.Decimal {
	batch := decimal.Max(c.Batch, decimal.NewFromInt(qty))
	return decimal.Max(c.Committed, c.Peak, c.Ordered.Add(batch))
}

// priceAt is the step of the contract's ladder (contractLadder: its plain
// price from zero, then its tiers) that pricing.Tiers.PriceFor picks for
// packs, with that step's stored unit price and minimum.
func (c *ContractPrice) priceAt(packs decimal.Decimal) (pack, unit pricing.Price, min decimal.Decimal, err error) {
	cur := currencyOf(c.Currency)
	ladder, err := contractLadder(cur, c.PackPrice, c.Tiers)
	if err != nil {
		return pack, unit, min, err
	}
	tier, i, err := ladder.PriceFor(packs)
	if err != nil {
		return pack, unit, min, err
	}
	u := c.UnitPrice
	if i > 0 {
		u = c.Tiers[i-1].UnitPrice
	}
	unit, err = pricing.NewPrice(u, cur)
	return tier.Price, unit, tier.MinQuantity, err
}

// lineVolume is a contract line's volume as locked by an order's or a
// cancellation's transaction.
type lineVolume struct {
	ID, ContractID, SupplierID int64
	Currency                   string
	CommittedQuantity          decimal.Decimal
	OrderedQuantity            decimal.Decimal
	PeakQuantity               decimal.Decimal
}

// lockLineVolumes locks the contract lines ids (in id order, so that two
// transactions never wait on each other crosswise) and returns their
// volumes by id. Ids of no stored line are left out.
func lockLineVolumes(tx *gorm.DB, ids []int64) (map[int64]*lineVolume, error) {
	out := map[int64]*lineVolume{}
	if len(ids) == 0 {
		return out, nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var rows []lineVolume
	if err := tx.Raw(`SELECT id, contract_id, supplier_id, currency, committed_quantity, ordered_quantity, peak_quantity
		FROM contract_lines WHERE id IN ? ORDER BY id FOR UPDATE`, ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// poolContractLines locks the contract lines that lines are priced on and
// prices those lines again at the locked volume with every pack of this
// order (the lines were priced before the transaction at the volume then
// read; another order may have moved it since). It returns the volumes as
// they were before this order and the packs it adds to each.
func poolContractLines(tx *gorm.DB, inputs []*lineInputs, lines []OrderLine, qty []int64) (map[int64]*lineVolume, map[int64]decimal.Decimal, error) {
	var ids []int64
	batch := map[int64]decimal.Decimal{}
	for i, li := range inputs {
		if li == nil || !li.OnContract || li.Contract == nil {
			continue
		}
		id := li.Contract.ContractLineID
		ids = append(ids, id)
		batch[id] = batch[id].Add(decimal.NewFromInt(qty[i]))
	}
	vols, err := lockLineVolumes(tx, ids)
	if err != nil || len(vols) == 0 {
		return vols, batch, err
	}
	for i, li := range inputs {
		if li == nil || !li.OnContract || li.Contract == nil {
			continue
		}
		v, ok := vols[li.Contract.ContractLineID]
		if !ok {
			continue
		}
		c := *li.Contract
		c.Committed, c.Ordered, c.Peak, c.Batch = v.CommittedQuantity, v.OrderedQuantity, v.PeakQuantity, batch[v.ID]
		in := *li
		in.Contract = &c
		l, _, err := in.price(qty[i], "")
		if err != nil {
			return nil, nil, err
		}
		if l == nil { // the same request was valid a moment ago
			return nil, nil, Errorf(ECONFLICT, "the contract price of product %d changed while the order was placed; retry", li.Product.ID)
		}
		old := lines[i]
		l.LineNo, l.MemberID, l.ItemName, l.GTIN = old.LineNo, old.MemberID, old.ItemName, old.GTIN
		lines[i] = *l
	}
	return vols, batch, nil
}

// addContractVolume adds the packs of an order batch to the locked lines,
// and when a line's pooled quantity reaches a cheaper tier, trues up every
// earlier line on it (orders other than placed). cause is the order whose
// volume crossed the tier (the first of the batch on that line).
func addContractVolume(ctx context.Context, tx *gorm.DB, vols map[int64]*lineVolume, batch map[int64]decimal.Decimal,
	placed []Order) error {
	ids := make([]int64, 0, len(vols))
	for id := range vols {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var placedIDs []int64
	cause := map[int64]int64{}
	prices := map[int64]*ContractPrice{}
	for _, o := range placed {
		placedIDs = append(placedIDs, o.ID)
		for _, l := range o.Lines {
			if l.ContractLineID != nil && cause[*l.ContractLineID] == 0 {
				cause[*l.ContractLineID] = o.ID
			}
		}
	}
	for _, id := range ids {
		v := vols[id]
		ordered := v.OrderedQuantity.Add(batch[id])
		peak := decimal.Max(v.PeakQuantity, ordered)
		if err := tx.Exec("UPDATE contract_lines SET ordered_quantity = ?, peak_quantity = ? WHERE id = ?", ordered, peak, id).Error; err != nil {
			return err
		}
		if !peak.GreaterThan(v.PeakQuantity) {
			continue
		}
		c, err := loadLadder(tx, id, prices)
		if err != nil {
			return err
		}
		before, _, _, err := c.priceAt(decimal.Max(v.CommittedQuantity, v.PeakQuantity))
		if err != nil {
			return err
		}
		after, _, min, err := c.priceAt(decimal.Max(v.CommittedQuantity, peak))
		if err != nil {
			return err
		}
		if cmp, _ := after.Cmp(before); cmp < 0 {
			if err := trueUp(ctx, tx, v, after, min, placedIDs, cause[id]); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadLadder reads the price ladder of contract line id (cached in seen).
func loadLadder(tx *gorm.DB, id int64, seen map[int64]*ContractPrice) (*ContractPrice, error) {
	if c, ok := seen[id]; ok {
		return c, nil
	}
	var l ContractLine
	if err := tx.Session(&gorm.Session{NewDB: true}).Where("id = ?", id).Take(&l).Error; err != nil {
		return nil, err
	}
	if err := tx.Session(&gorm.Session{NewDB: true}).Where("contract_line_id = ?", id).Order("min_packs").Find(&l.Tiers).Error; err != nil {
		return nil, err
	}
	c := &ContractPrice{PackPrice: l.PackPrice, UnitPrice: l.UnitPrice, Currency: l.Currency, Tiers: l.Tiers}
	seen[id] = c
	return c, nil
}

// trueUpLines are the lines on a contract line (the first argument) of
// orders not cancelled, rejected or excluded (the second), with the pack
// price each was last trued up to. It reads order_lines by
// order_lines_contract_line_idx (migration 00040).
const trueUpLines = `SELECT ol.id, ol.order_id, ol.member_id, ol.quantity,
		coalesce((SELECT min(c.to_pack_price) FROM contract_credits c WHERE c.order_line_id = ol.id AND c.kind = 'true_up'),
			ol.pack_price) AS effective
	FROM order_lines ol JOIN orders o ON o.id = ol.order_id
	WHERE ol.contract_line_id = ? AND o.status NOT IN ('cancelled', 'rejected') AND ol.order_id NOT IN ?
	ORDER BY ol.id`

// trueUp credits every line on contract line v, of orders not cancelled,
// rejected or in exclude, that was paid (or last trued up to) more per
// pack than reached: one credit per order line, exact (pricing.TrueUpCredit).
func trueUp(ctx context.Context, tx *gorm.DB, v *lineVolume, reached pricing.Price, min decimal.Decimal, exclude []int64, cause int64) error {
	var rows []struct {
		ID, OrderID, MemberID, Quantity int64
		Effective                       decimal.Decimal
	}
	if err := tx.Raw(trueUpLines, v.ID, exclude).Scan(&rows).Error; err != nil {
		return err
	}
	cur := currencyOf(v.Currency)
	var credits []ContractCredit
	total := pricing.ZeroMoney(cur)
	for _, r := range rows {
		paid, err := pricing.NewPrice(r.Effective, cur)
		if err != nil {
			return err
		}
		amount, err := pricing.TrueUpCredit(paid, reached, decimal.NewFromInt(r.Quantity))
		if err != nil {
			return err
		}
		if !amount.IsPositive() {
			continue
		}
		if total, err = total.Add(amount); err != nil {
			return err
		}
		credits = append(credits, ContractCredit{ContractID: v.ContractID, ContractLineID: v.ID, SupplierID: v.SupplierID,
			MemberID: r.MemberID, OrderID: r.OrderID, OrderLineID: r.ID, Kind: CreditTrueUp, Quantity: r.Quantity,
			FromPackPrice: r.Effective, ToPackPrice: reached.Amount(), Amount: amount.Amount(), Currency: string(cur),
			CauseOrderID: cause})
	}
	if len(credits) > 0 {
		if err := tx.Omit("ID", "CreatedAt").CreateInBatches(&credits, 1000).Error; err != nil {
			return err
		}
	}
	return recordAudit(ctx, tx, auditEntry{action: "contract_line.tier_reached", entity: "contract_line", entityID: v.ID,
		supplierID: v.SupplierID, details: map[string]any{"contract_id": v.ContractID, "min_packs": min.String(),
			"pack_price": reached.AmountString(), "order_id": cause, "credits": len(credits), "true_up": total.AmountString()}})
}

// releaseContractVolume takes the packs of order o's contract lines off
// their ordered quantity (the order is being cancelled or rejected) and
// reverses the credits its lines were granted. The tier reached stays.
func releaseContractVolume(ctx context.Context, tx *gorm.DB, orderID int64) error {
	var lines []struct {
		ContractLineID int64
		Packs          decimal.Decimal
	}
	if err := tx.Raw(`SELECT contract_line_id, sum(quantity) AS packs FROM order_lines
		WHERE order_id = ? AND contract_line_id IS NOT NULL GROUP BY contract_line_id`, orderID).Scan(&lines).Error; err != nil {
		return err
	}
	if len(lines) == 0 {
		return nil
	}
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.ContractLineID
	}
	vols, err := lockLineVolumes(tx, ids)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if _, ok := vols[l.ContractLineID]; !ok {
			continue
		}
		if err := tx.Exec("UPDATE contract_lines SET ordered_quantity = GREATEST(ordered_quantity - ?, 0) WHERE id = ?",
			l.Packs, l.ContractLineID).Error; err != nil {
			return err
		}
	}
	return tx.Exec(`INSERT INTO contract_credits (contract_id, contract_line_id, supplier_id, member_id, order_id, order_line_id,
			kind, quantity, from_pack_price, to_pack_price, amount, currency, cause_order_id)
		SELECT c.contract_id, c.contract_line_id, c.supplier_id, c.member_id, c.order_id, c.order_line_id,
			'reversal', min(c.quantity), max(c.from_pack_price), min(c.to_pack_price), -sum(c.amount), c.currency, c.order_id
		FROM contract_credits c WHERE c.order_id = ?
		GROUP BY c.contract_id, c.contract_line_id, c.supplier_id, c.member_id, c.order_id, c.order_line_id, c.currency
		HAVING sum(c.amount) <> 0`, orderID).Error
}

// Credit kinds.
const (
	CreditTrueUp   = "true_up"
	CreditReversal = "reversal"
)

// ContractCredit is a true-up credit owed to a member for one order line
// (or the reversal of a cancelled line's credits): Amount = (FromPackPrice
// - ToPackPrice) x Quantity, rounded once; a reversal is negative.
type ContractCredit struct {
	ID             int64
	ContractID     int64
	ContractLineID int64
	SupplierID     int64
	MemberID       int64
	OrderID        int64
	OrderLineID    int64
	Kind           string
	Quantity       int64
	FromPackPrice  decimal.Decimal
	ToPackPrice    decimal.Decimal
	Amount         decimal.Decimal
	Currency       string
	CauseOrderID   int64
	CreatedAt      time.Time
	// ProductID is the contract line's product, filled by reads.
	ProductID int64 `gorm:"->;-:migration"`
}

// Amounts returns the credit's prices and amount as pricing values.
func (c ContractCredit) Amounts() (from, to pricing.Price, amount pricing.Money, err error) {
	cur := currencyOf(c.Currency)
	if from, err = pricing.NewPrice(c.FromPackPrice, cur); err != nil {
		return
	}
	if to, err = pricing.NewPrice(c.ToPackPrice, cur); err != nil {
		return
	}
	amount, err = pricing.NewMoney(c.Amount, cur)
	return
}

var creditsOwnership = ownership{memberColumn: "contract_credits.member_id", supplierColumn: "contract_credits.supplier_id"}

// CreditFilter narrows a credit list.
type CreditFilter struct {
	MemberID   int64
	ContractID int64
	Page       Page
}

// Credits returns the true-up credits (and reversals) the caller may see,
// newest first: a member its own, a supplier those it owes, staff all.
// Asking for another member's credits answers ENOTFOUND (the member), as
// for one that does not exist.
func (s *ContractService) Credits(ctx context.Context, f CreditFilter) ([]ContractCredit, int64, error) {
	a, err := require(ctx, RoleAdmin, RoleBoard, RoleMember, RoleSupplier)
	if err != nil {
		return nil, 0, err
	}
	if f.MemberID != 0 {
		if (a.Role == RoleMember && a.MemberID != f.MemberID) || a.Role == RoleSupplier {
			return nil, 0, NotFound("member")
		}
		var n int64
		if err := s.db.WithContext(ctx).Table("members").Where("id = ?", f.MemberID).Count(&n).Error; err != nil {
			return nil, 0, err
		}
		if n == 0 {
			return nil, 0, NotFound("member")
		}
	}
	q := s.db.WithContext(ctx).Table("contract_credits").
		Select("contract_credits.*, contract_lines.product_id").
		Joins("JOIN contract_lines ON contract_lines.id = contract_credits.contract_line_id").
		Scopes(visibleTo(ctx, creditsOwnership))
	if f.MemberID != 0 {
		q = q.Where("contract_credits.member_id = ?", f.MemberID)
	}
	if f.ContractID != 0 {
		q = q.Where("contract_credits.contract_id = ?", f.ContractID)
	}
	var rows []ContractCredit
	if err := q.Scopes(f.Page.keyset("contract_credits", true)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, f.Page, func(c ContractCredit) int64 { return c.ID })
	return rows, next, nil
}

// fillTrueUps sets the true-up totals of contracts cs and their lines
// (the sums of their credits, net of reversals).
func (s *ContractService) fillTrueUps(ctx context.Context, cs []Contract) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	var sums []struct {
		ContractID, ContractLineID int64
		Amount                     decimal.Decimal
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT contract_id, contract_line_id, sum(amount) AS amount FROM contract_credits
		WHERE contract_id IN ? GROUP BY contract_id, contract_line_id`, ids).Scan(&sums).Error; err != nil {
		return err
	}
	for i := range cs {
		c := &cs[i]
		for _, sm := range sums {
			if sm.ContractID != c.ID {
				continue
			}
			c.TrueUpTotal = c.TrueUpTotal.Add(sm.Amount)
			for j := range c.Lines {
				if c.Lines[j].ID == sm.ContractLineID {
					c.Lines[j].TrueUpTotal = sm.Amount
				}
			}
		}
	}
	return nil
}

// Settlement is what a contract's supplier owes and where its volume
// stands: the true-up credits per member, and per line the committed and
// ordered volume, the tier reached and, when the volume stays below the
// committed tier, the shortfall (the supplier's risk; members keep the
// committed tier's price).
type Settlement struct {
	Contract Contract
	AsOf     time.Time
	// Ended: the contract's period is over (or it was ended); a shortfall
	// is then final.
	Ended       bool
	TrueUpTotal decimal.Decimal
	Members     []SettlementMember
	Lines       []SettlementLine
}

// SettlementMember is one member's true-up credits on the contract.
type SettlementMember struct {
	MemberID   int64
	MemberName string
	Credits    int64
	Amount     decimal.Decimal
}

// SettlementLine is one contract line's volume and tiers.
type SettlementLine struct {
	Line ContractLine
	// Reached is the tier of the pooled quantity (what members pay);
	// Committed the tier of the committed quantity; Actual the tier of the
	// ordered quantity alone.
	Reached, Committed, Actual TierPrices
	// ShortfallQuantity is the packs the ordered quantity stays below the
	// committed quantity (0: none); ShortfallAmount what members were not
	// charged for it: (the actual tier's pack price - the committed tier's)
	// x the ordered packs, rounded once (pricing.TrueUpCredit), when the
	// actual tier is dearer.
	ShortfallQuantity decimal.Decimal
	ShortfallAmount   pricing.Money
}

// Settlement returns the settlement of contract id: staff and the
// contract's supplier (members: ENOTFOUND, as for another's contract).
func (s *ContractService) Settlement(ctx context.Context, id int64) (*Settlement, error) {
	a := ActorFrom(ctx)
	if a.Role != RoleAdmin && a.Role != RoleBoard && a.Role != RoleSupplier {
		return nil, NotFound("contract")
	}
	c, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	today := dayOf(s.now())
	st := &Settlement{Contract: *c, AsOf: today, TrueUpTotal: c.TrueUpTotal,
		Ended: c.Status != ContractActive || c.ValidTo.Before(today)}
	if err := s.db.WithContext(ctx).Raw(`SELECT cc.member_id, m.name AS member_name, count(*) AS credits, sum(cc.amount) AS amount
		FROM contract_credits cc JOIN members m ON m.id = cc.member_id WHERE cc.contract_id = ?
		GROUP BY cc.member_id, m.name ORDER BY cc.member_id`, id).Scan(&st.Members).Error; err != nil {
		return nil, err
	}
	for _, l := range c.Lines {
		sl := SettlementLine{Line: l, ShortfallQuantity: decimal.Zero}
		if sl.Reached, err = l.TierReached(); err != nil {
			return nil, err
		}
		if sl.Committed, err = l.TierAt(l.CommittedQuantity); err != nil {
			return nil, err
		}
		if sl.Actual, err = l.TierAt(l.OrderedQuantity); err != nil {
			return nil, err
		}
		if l.OrderedQuantity.LessThan(l.CommittedQuantity) {
			sl.ShortfallQuantity = l.CommittedQuantity.Sub(l.OrderedQuantity)
		}
		if sl.ShortfallAmount, err = pricing.TrueUpCredit(sl.Actual.PackPrice, sl.Committed.PackPrice, l.OrderedQuantity); err != nil {
			return nil, err
		}
		st.Lines = append(st.Lines, sl)
	}
	return st, nil
}
