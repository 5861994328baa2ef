package domain

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"andel/pricing"

	"github.com/shopspring/decimal"
	"gorm.io/gorm"
)

// BaselineMedianListPrice is the baseline method of a line ordered without
// a contract: the median coop unit price of the product's valid offers at
// order time (pricing.MedianListPrice).
const BaselineMedianListPrice = string(pricing.BaselineMedianListPrice)

// ContractPrice is the cooperative's contract price for a product on a day.
type ContractPrice struct {
	ContractID, ContractLineID, SupplierID int64
	OfferID                                int64 // the supplier's offer of the awarded item, if any (0: none)
	// SKU and GTIN name the awarded item (the contract line's, else its
	// offer's): what the supplier ships.
	SKU, GTIN         string
	PackUnit          string
	PackContent       decimal.Decimal
	BaseUnit          string
	PackPrice         decimal.Decimal
	UnitPrice         decimal.Decimal // per base unit
	Currency          string
	BaselineUnitPrice decimal.Decimal // per base unit
	BaselineMethod    string
	RebateRate        decimal.Decimal
	ValidTo           *time.Time
	// Tiers are the contract's lower prices from MinPacks packs of the
	// cooperative's pooled volume, ascending; PackPrice and UnitPrice
	// apply below the first. A contract line has no minimum of its own
	// (the awarded bid priced every pack from the first), so any positive
	// number of packs may be ordered.
	Tiers []ContractLineTier
	// Committed, Ordered and Peak are the line's volume in packs (see
	// ContractLine); Batch the packs of the order being placed on this
	// line (all its lines). A line is priced at the tier of the pooled
	// volume (pooled), never of its own packs alone.
	Committed, Ordered, Peak, Batch decimal.Decimal
}

// priceFor returns the pack and unit price of the contract for an order
// line of qty packs: the step of its ladder for the pooled volume
// (pooled, priceAt).
func (c *ContractPrice) priceFor(qty int64) (pack, unit pricing.Price, err error) {
	pack, unit, _, err = c.priceAt(c.pooled(qty))
	return pack, unit, err
}

// ContractPricer returns the active contract price of a product on a day;
// nil, nil when the product has no active contract.
type ContractPricer func(ctx context.Context, productID int64, on time.Time) (*ContractPrice, error)

// Order is one member's order to one supplier.
type Order struct {
	ID            int64
	MemberID      int64
	SupplierID    int64
	Status        OrderStatus
	StatusReason  string
	Currency      string
	PlacedOn      time.Time `gorm:"type:date"`
	PlacedAt      time.Time `gorm:"autoCreateTime:false"`
	PlacedBy      string
	NetTotal      decimal.Decimal
	VATTotal      decimal.Decimal `gorm:"column:vat_total"`
	GrossTotal    decimal.Decimal
	BaselineTotal decimal.Decimal
	SavingsTotal  decimal.Decimal
	UpdatedAt     time.Time
	Lines         []OrderLine `gorm:"-"`
	OrderBuyer
	// PromisedDays is the delivery time its contract lines promise, in
	// days after confirmation (the shortest of their contracts'
	// delivery_days; nil: no promise). The moves' times are the server's.
	PromisedDays                                    *decimal.Decimal
	ConfirmedAt, ShippedAt, DeliveredAt, RejectedAt *time.Time
}

// OrderBuyer is the practice an order is for and where it goes, as they
// were when it was placed: what its supplier needs to ship.
type OrderBuyer struct {
	MemberName        string
	MemberCVR         string `gorm:"column:member_cvr"`
	MemberGLN         string `gorm:"column:member_gln"`
	ContactName       string
	ContactEmail      string
	ContactPhone      string
	DeliveryAddressID *int64
	DeliveryLabel     string
	DeliveryStreet    string
	DeliveryPostcode  string
	DeliveryCity      string
	DeliveryCountry   string
}

// OrderLine is one product of an order with every price it was placed at.
// Nothing here is recomputed after placing.
type OrderLine struct {
	ID                int64
	OrderID           int64
	MemberID          int64
	SupplierID        int64
	LineNo            int
	ProductID         int64
	Category          string
	OfferID           *int64
	ContractID        *int64
	ContractLineID    *int64
	OnContract        bool
	SKU               string `gorm:"column:sku"`
	GTIN              string `gorm:"column:gtin"`
	ItemName          string
	PackUnit          string
	PackContent       decimal.Decimal
	BaseUnit          string
	Quantity          int64 // packs
	BaseQuantity      decimal.Decimal
	PackPrice         decimal.Decimal
	UnitPrice         decimal.Decimal
	BaselineUnitPrice decimal.Decimal
	BaselineMethod    string
	RebateRate        decimal.Decimal
	VATRate           decimal.Decimal `gorm:"column:vat_rate"`
	Currency          string
	NetTotal          decimal.Decimal
	VATTotal          decimal.Decimal `gorm:"column:vat_total"`
	GrossTotal        decimal.Decimal
	BaselineTotal     decimal.Decimal
	Savings           decimal.Decimal
	RebateAccrued     decimal.Decimal
	// ContractUnitPrice is, on an off-contract line whose product had an
	// active contract that day, that contract's price per base unit in the
	// line's currency (nil otherwise); MissedSavings what the line would
	// have saved at it (pricing.MissedSaving; 0 without one).
	ContractUnitPrice *decimal.Decimal
	MissedSavings     decimal.Decimal
}

// OrderLineInput is one requested line: a product, optionally the offer to
// order it from (another than the contract's makes it off-contract), and
// the quantity in packs of that offer.
type OrderLineInput struct {
	ProductID int64
	OfferID   int64
	Quantity  int64
}

// OrderFilter narrows an order list.
type OrderFilter struct {
	Status     OrderStatus
	MemberID   int64
	SupplierID int64
	Page       Page
}

var (
	ordersOwnership     = ownership{memberColumn: "orders.member_id", supplierColumn: "orders.supplier_id"}
	orderLinesOwnership = ownership{memberColumn: "order_lines.member_id", supplierColumn: "order_lines.supplier_id"}
)

// OrderService places orders and moves them through their states.
type OrderService struct {
	db        *gorm.DB
	catalogue *CatalogueService
	// contracts prices products at the cooperative's contract
	// (Options.ContractPricer).
	contracts ContractPricer
	// now is the server's clock (Options.Clock).
	now func() time.Time
	// vatRate is the VAT rate of every line (Options.VATRate).
	vatRate decimal.Decimal
	// maxPacks bounds one line's quantity (Options.MaxPacksPerLine).
	maxPacks int64
	// onCommit, when set, is called after an order or cancellation commits
	// so that the outbox is delivered at once (Options.Kick; the job is the
	// safety net).
	onCommit func()
}

// Place prices lines and stores them as one order per supplier (and
// currency), with their outbox messages, in one transaction. Member users
// only. Errors: EFORBIDDEN; EINVALID listing every problem (unknown,
// expired or foreign offers, products without a price, quantities below the
// offer's minimum or not positive, offers in a currency without an exchange
// rate).
func (s *OrderService) Place(ctx context.Context, lines []OrderLineInput) ([]Order, error) {
	return s.PlaceTo(ctx, 0, lines)
}

// PlaceTo is Place to delivery address deliveryTo of the member (0: its
// default). Each order records the member and the address as they are now.
// Errors: those of Place, and EINVALID when the member has no such address
// (or none at all), or when the practice is not active (suspended, left).
func (s *OrderService) PlaceTo(ctx context.Context, deliveryTo int64, lines []OrderLineInput) ([]Order, error) {
	a, err := require(ctx, RoleMember)
	if err != nil {
		return nil, err
	}
	if a.MemberID == 0 {
		return nil, Errorf(EFORBIDDEN, "the user belongs to no practice")
	}
	now := s.now()
	today := now.UTC().Truncate(24 * time.Hour)
	var p Problems
	if len(lines) == 0 {
		p.Add("lines", "at least one line is required")
	}
	rates, err := s.catalogue.RateTable(ctx) // once for all lines
	if err != nil {
		return nil, err
	}
	priced := make([]OrderLine, len(lines))
	inputs := make([]*lineInputs, len(lines))
	qty := make([]int64, len(lines))
	for i, in := range lines {
		field := fmt.Sprintf("lines[%d]", i)
		if in.Quantity > s.maxPacks {
			p.Add(field+".quantity", "is more than the %d packs one order line may hold", s.maxPacks)
			continue
		}
		li, lp, err := s.loadLine(ctx, in, today, rates, field)
		if err != nil {
			return nil, err
		}
		if li == nil {
			p = append(p, quantityProblems(in.Quantity, field)...)
			p = append(p, lp...)
			continue
		}
		inputs[i], qty[i] = li, in.Quantity
	}
	// Every line on a contract line is priced at the pooled volume with all
	// of this order's packs on it (see contract_volume.go).
	batch := map[int64]decimal.Decimal{}
	for i, li := range inputs {
		if li != nil && li.OnContract && li.Contract != nil && qty[i] > 0 {
			batch[li.Contract.ContractLineID] = batch[li.Contract.ContractLineID].Add(decimal.NewFromInt(qty[i]))
		}
	}
	for i, li := range inputs {
		if li == nil {
			continue
		}
		if li.OnContract && li.Contract != nil {
			li.Contract.Batch = batch[li.Contract.ContractLineID]
		}
		l, lp, err := li.price(qty[i], fmt.Sprintf("lines[%d]", i))
		if err != nil {
			return nil, err
		}
		p = append(p, lp...)
		if l != nil {
			l.LineNo = i + 1
			l.MemberID = a.MemberID
			priced[i] = *l
		}
	}
	buyer, err := s.buyer(ctx, a.MemberID, deliveryTo, &p)
	if err != nil {
		return nil, err
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := s.nameItems(ctx, priced); err != nil {
		return nil, err
	}
	// One order per supplier and currency, in the order of first appearance.
	type key struct {
		supplier int64
		currency string
	}
	var orders []Order
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		vols, added, err := poolContractLines(tx, inputs, priced, qty)
		if err != nil {
			return err
		}
		var keys []key
		groups := map[key][]OrderLine{}
		for _, l := range priced {
			k := key{l.SupplierID, l.Currency}
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], l)
		}
		for _, k := range keys {
			o, err := newOrder(a, k.supplier, k.currency, now, today, groups[k], s.vatRate)
			if err != nil {
				return err
			}
			o.OrderBuyer = buyer
			if o.PromisedDays, err = promisedDays(tx, o.Lines); err != nil {
				return err
			}
			if err := tx.Omit("Lines", "UpdatedAt").Create(o).Error; err != nil {
				return err
			}
			for i := range o.Lines {
				o.Lines[i].OrderID = o.ID
				o.Lines[i].LineNo = i + 1
			}
			if err := tx.Create(&o.Lines).Error; err != nil {
				return err
			}
			if err := s.enqueue(ctx, tx, o, "order.placed"); err != nil {
				return err
			}
			if err := tx.Exec("INSERT INTO savings_changes (order_id) VALUES (?)", o.ID).Error; err != nil {
				return err
			}
			if err := recordAudit(ctx, tx, auditEntry{action: "order.placed", entity: "order", entityID: o.ID,
				memberID: o.MemberID, supplierID: o.SupplierID, details: map[string]any{"lines": len(o.Lines), "net_total": o.NetTotal}}); err != nil {
				return err
			}
			orders = append(orders, *o)
		}
		return addContractVolume(ctx, tx, vols, added, orders)
	})
	if err != nil {
		return nil, err
	}
	s.kick()
	return orders, nil
}

// buyer is the snapshot of member memberID and its delivery address
// deliveryTo (0: the default) that an order records.
func (s *OrderService) buyer(ctx context.Context, memberID, deliveryTo int64, p *Problems) (OrderBuyer, error) {
	var m Member
	if err := s.db.WithContext(ctx).Where("id = ?", memberID).Take(&m).Error; err != nil {
		return OrderBuyer{}, err
	}
	if m.Status != MemberActive {
		// Suspending a practice (or its leaving) is what stops its orders;
		// listed with the order's other problems so that its users read why.
		p.Add("member", "the practice is %s: it cannot order until the cooperative makes it active again", m.Status)
	}
	b := OrderBuyer{MemberName: m.Name, MemberCVR: m.CVR, ContactName: m.OrderContactName,
		ContactEmail: m.OrderContactEmail, ContactPhone: m.OrderContactPhone}
	if m.GLN != nil {
		b.MemberGLN = *m.GLN
	}
	addr, err := deliveryAddress(ctx, s.db, memberID, deliveryTo, "delivery_address_id", p)
	if err != nil || addr == nil {
		return b, err
	}
	b.DeliveryAddressID = &addr.ID
	b.DeliveryLabel, b.DeliveryStreet, b.DeliveryPostcode, b.DeliveryCity, b.DeliveryCountry =
		addr.Label, addr.Street, addr.Postcode, addr.City, addr.Country
	return b, nil
}

// nameItems records on each line the item's name and GTIN, so that the
// supplier reads what to ship: the offer's when the line names one, else
// the product's.
func (s *OrderService) nameItems(ctx context.Context, lines []OrderLine) error {
	var products, offers []int64
	for _, l := range lines {
		products = append(products, l.ProductID)
		if l.OfferID != nil {
			offers = append(offers, *l.OfferID)
		}
	}
	type item struct {
		ID         int64
		Name, GTIN string
	}
	var ps, os []item
	if err := s.db.WithContext(ctx).Table("products").Select("id, name, coalesce(gtin, '') AS gtin").
		Where("id IN ?", products).Scan(&ps).Error; err != nil {
		return err
	}
	if len(offers) > 0 {
		if err := s.db.WithContext(ctx).Table("offer_rows").Select("id, name, coalesce(gtin, '') AS gtin").
			Where("id IN ?", offers).Scan(&os).Error; err != nil {
			return err
		}
	}
	product, offer := map[int64]item{}, map[int64]item{}
	for _, p := range ps {
		product[p.ID] = p
	}
	for _, o := range os {
		offer[o.ID] = o
	}
	for i := range lines {
		l := &lines[i]
		it := product[l.ProductID]
		if l.OfferID != nil {
			if o, ok := offer[*l.OfferID]; ok {
				it.Name = cmp.Or(o.Name, it.Name)
				it.GTIN = cmp.Or(o.GTIN, it.GTIN)
			}
		}
		// A contract line's GTIN (the awarded item's) stands.
		l.ItemName, l.GTIN = it.Name, cmp.Or(l.GTIN, it.GTIN)
	}
	return nil
}

func (s *OrderService) kick() {
	if s.onCommit != nil {
		s.onCommit()
	}
}

// newOrder sums lines into an order: VAT once per rate (pricing.SummarizeVAT).
func newOrder(a Actor, supplierID int64, currency string, now, today time.Time, lines []OrderLine, vatRate decimal.Decimal) (*Order, error) {
	cur := pricing.Currency(currency)
	o := &Order{MemberID: a.MemberID, SupplierID: supplierID, Status: OrderPlaced, Currency: currency,
		PlacedOn: today, PlacedAt: now, PlacedBy: a.Label, Lines: lines}
	vl := make([]pricing.VATLine, len(lines))
	base, sav := pricing.ZeroMoney(cur), pricing.ZeroMoney(cur)
	for i := range lines {
		lines[i].SupplierID = supplierID
		net, err := pricing.NewMoney(lines[i].NetTotal, cur)
		if err != nil {
			return nil, err
		}
		rate := lines[i].VATRate
		vl[i] = pricing.VATLine{Net: net, Rate: &rate}
		b, _ := pricing.NewMoney(lines[i].BaselineTotal, cur)
		sv, _ := pricing.NewMoney(lines[i].Savings, cur)
		if base, err = base.Add(b); err != nil {
			return nil, err
		}
		if sav, err = sav.Add(sv); err != nil {
			return nil, err
		}
	}
	sum, err := pricing.SummarizeVAT(cur, vl)
	if err != nil {
		return nil, err
	}
	o.NetTotal, o.VATTotal, o.GrossTotal = sum.Net.Amount(), sum.VAT.Amount(), sum.Gross.Amount()
	o.BaselineTotal, o.SavingsTotal = base.Amount(), sav.Amount()
	return o, nil
}

// Get returns an order with its lines if the caller may see it (its
// member, its supplier, staff). Errors: ENOTFOUND.
func (s *OrderService) Get(ctx context.Context, id int64) (*Order, error) {
	var o Order
	if err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, ordersOwnership)).Where("orders.id = ?", id).Take(&o).Error; err != nil {
		return nil, notFoundOr(err, "order")
	}
	if err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, orderLinesOwnership)).
		Where("order_id = ?", id).Order("line_no").Find(&o.Lines).Error; err != nil {
		return nil, err
	}
	return &o, nil
}

// List returns the orders the caller may see, newest first, without lines.
func (s *OrderService) List(ctx context.Context, f OrderFilter) ([]Order, int64, error) {
	q := s.db.WithContext(ctx).Scopes(visibleTo(ctx, ordersOwnership))
	if f.Status != "" {
		q = q.Where("orders.status = ?", f.Status)
	}
	if f.MemberID != 0 {
		q = q.Where("orders.member_id = ?", f.MemberID)
	}
	if f.SupplierID != 0 {
		q = q.Where("orders.supplier_id = ?", f.SupplierID)
	}
	var rows []Order
	if err := q.Scopes(f.Page.keyset("orders", true)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, f.Page, func(o Order) int64 { return o.ID })
	return rows, next, nil
}

// Cancel cancels a placed order. The order's member only. Errors:
// ENOTFOUND, EFORBIDDEN, ECONFLICT (no longer placed).
func (s *OrderService) Cancel(ctx context.Context, id int64) (*Order, error) {
	return s.move(ctx, id, OrderCancelled, "", RoleMember)
}

// SetStatus moves an order as its supplier reports: confirmed, shipped,
// delivered, or rejected (with a reason). Delivery accrues each line's
// rebate (net total x rebate rate). Errors: ENOTFOUND, EFORBIDDEN, EINVALID
// (unknown status, rejection without reason), ECONFLICT (illegal transition).
func (s *OrderService) SetStatus(ctx context.Context, id int64, status OrderStatus, reason string) (*Order, error) {
	var p Problems
	switch status {
	case OrderConfirmed, OrderShipped, OrderDelivered:
	case OrderRejected:
		if strings.TrimSpace(reason) == "" {
			p.Add("reason", "is required to reject an order")
		}
	default:
		p.Add("status", "must be confirmed, shipped, delivered or rejected")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.move(ctx, id, status, strings.TrimSpace(reason), RoleSupplier)
}

func (s *OrderService) move(ctx context.Context, id int64, to OrderStatus, reason string, role Role) (*Order, error) {
	var o Order
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Scopes(visibleTo(ctx, ordersOwnership)).Clauses(forUpdate).Where("orders.id = ?", id).Take(&o).Error; err != nil {
			return notFoundOr(err, "order")
		}
		if _, err := require(ctx, role); err != nil {
			return err
		}
		from := o.Status
		if !from.CanBecome(to) {
			return Errorf(ECONFLICT, "an order that is %s cannot become %s", from, to)
		}
		o.Status, o.StatusReason = to, reason
		set := map[string]any{"status": to, "status_reason": reason, "updated_at": gorm.Expr("now()")}
		if col, ok := moveTimeColumn[to]; ok {
			// The supplier's scorecard measures these (scorecard.go).
			set[col] = s.now().UTC()
		}
		if err := tx.Model(&Order{}).Where("id = ?", o.ID).Updates(set).Error; err != nil {
			return err
		}
		if to == OrderDelivered {
			if err := accrueRebates(tx, &o); err != nil {
				return err
			}
		}
		if to == OrderCancelled || to == OrderRejected {
			if err := releaseContractVolume(ctx, tx, o.ID); err != nil {
				return err
			}
		}
		if to == OrderDelivered || to == OrderCancelled || to == OrderRejected || to == OrderConfirmed {
			// (confirmed: for the supplier's order outcomes, refreshOrderOutcomes)
			if err := tx.Exec("INSERT INTO savings_changes (order_id) VALUES (?)", o.ID).Error; err != nil {
				return err
			}
		}
		if to == OrderCancelled {
			if err := s.enqueue(ctx, tx, &o, "order.cancelled"); err != nil {
				return err
			}
		}
		return recordAudit(ctx, tx, auditEntry{action: "order." + string(to), entity: "order", entityID: o.ID,
			memberID: o.MemberID, supplierID: o.SupplierID, details: map[string]any{"from": from, "to": to, "reason": reason}})
	})
	if err != nil {
		return nil, err
	}
	if to == OrderCancelled {
		s.kick()
	}
	return s.Get(ctx, id)
}

// newDeliveryID returns a random id receivers deduplicate deliveries by.
func newDeliveryID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// OrderMessage is the JSON body POSTed to a supplier's webhook.
type OrderMessage struct {
	Event      string             `json:"event"`
	DeliveryID string             `json:"delivery_id"`
	Order      OrderMessageOrder  `json:"order"`
	Lines      []OrderMessageLine `json:"lines,omitempty"`
}

// OrderMessageOrder is the order part of an OrderMessage: with the buyer
// and the delivery address, everything the supplier needs to ship.
type OrderMessageOrder struct {
	ID            int64                `json:"id"`
	MemberID      int64                `json:"member_id"`
	SupplierID    int64                `json:"supplier_id"`
	SupplierName  string               `json:"supplier_name"`
	SupplierVATID string               `json:"supplier_vat_id"`
	Status        string               `json:"status"`
	Currency      string               `json:"currency"`
	PlacedAt      string               `json:"placed_at"`
	NetTotal      string               `json:"net_total"`
	VATTotal      string               `json:"vat_total"`
	GrossTotal    string               `json:"gross_total"`
	ContractID    *int64               `json:"contract_id,omitempty"`
	Buyer         OrderMessageBuyer    `json:"buyer"`
	Delivery      OrderMessageDelivery `json:"delivery_address"`
}

// OrderMessageBuyer is the practice, as it was when the order was placed.
type OrderMessageBuyer struct {
	Name    string `json:"name"`
	CVR     string `json:"cvr"`
	GLN     string `json:"gln,omitempty"`
	Contact struct {
		Name  string `json:"name,omitempty"`
		Email string `json:"email,omitempty"`
		Phone string `json:"phone,omitempty"`
	} `json:"contact"`
}

// OrderMessageDelivery is where the order goes.
type OrderMessageDelivery struct {
	Label    string `json:"label,omitempty"`
	Street   string `json:"street"`
	Postcode string `json:"postcode"`
	City     string `json:"city"`
	Country  string `json:"country"`
}

// OrderMessageLine is one line of an OrderMessage: the supplier's item
// (SKU, GTIN, name), how many packs of which content, and the price.
type OrderMessageLine struct {
	LineNo      int    `json:"line_no"`
	ProductID   int64  `json:"product_id"`
	SKU         string `json:"sku"`
	GTIN        string `json:"gtin,omitempty"`
	Name        string `json:"name"`
	PackUnit    string `json:"pack_unit"`
	PackContent string `json:"pack_content"`
	BaseUnit    string `json:"base_unit"`
	Quantity    int64  `json:"quantity"`
	PackPrice   string `json:"pack_price"`
	VATRate     string `json:"vat_rate"`
	NetTotal    string `json:"net_total"`
	OnContract  bool   `json:"on_contract"`
}

// enqueue writes the outbox message of event for o in tx, unless its
// supplier has no webhook (it then reads its orders through the API).
func (s *OrderService) enqueue(ctx context.Context, tx *gorm.DB, o *Order, event string) error {
	sup, err := orderSupplier(ctx, tx, o.SupplierID)
	if err != nil {
		return err
	}
	if sup.OrderWebhookURL == nil || strings.TrimSpace(*sup.OrderWebhookURL) == "" {
		return nil
	}
	lines := o.Lines
	if event != "order.placed" {
		lines = nil
	}
	m := newOrderMessage(o, lines, event, sup)
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO order_outbox (order_id, supplier_id, event, delivery_id, body, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)`,
		o.ID, o.SupplierID, event, m.DeliveryID, string(body), s.now()).Error
}

// Message returns order id as its supplier receives it (the "order.placed"
// message, with every line), for the caller who may see the order.
// Errors: ENOTFOUND.
func (s *OrderService) Message(ctx context.Context, id int64) (*OrderMessage, error) {
	o, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	sup, err := orderSupplier(ctx, s.db, o.SupplierID)
	if err != nil {
		return nil, err
	}
	m := newOrderMessage(o, o.Lines, "order.placed", sup)
	return &m, nil
}

// messageSupplier is what an order message says of its supplier, and
// where the supplier takes its messages.
type messageSupplier struct {
	OrderWebhookURL *string
	Name            string
	VATID           string `gorm:"column:vat_id"`
}

func orderSupplier(ctx context.Context, db *gorm.DB, id int64) (messageSupplier, error) {
	var sup messageSupplier
	err := db.WithContext(ctx).Raw("SELECT order_webhook_url, name, vat_id FROM suppliers WHERE id = ?", id).Scan(&sup).Error
	return sup, err
}

// newOrderMessage is order o's message of event with lines.
func newOrderMessage(o *Order, lines []OrderLine, event string, sup messageSupplier) OrderMessage {
	m := OrderMessage{Event: event, DeliveryID: newDeliveryID(), Order: OrderMessageOrder{ID: o.ID, MemberID: o.MemberID,
		SupplierID: o.SupplierID, SupplierName: sup.Name, SupplierVATID: sup.VATID, Status: string(o.Status),
		Currency: o.Currency, PlacedAt: o.PlacedAt.UTC().Format(time.RFC3339),
		NetTotal: o.NetTotal.StringFixed(2), VATTotal: o.VATTotal.StringFixed(2), GrossTotal: o.GrossTotal.StringFixed(2),
		Buyer: OrderMessageBuyer{Name: o.MemberName, CVR: o.MemberCVR, GLN: o.MemberGLN},
		Delivery: OrderMessageDelivery{Label: o.DeliveryLabel, Street: o.DeliveryStreet, Postcode: o.DeliveryPostcode,
			City: o.DeliveryCity, Country: o.DeliveryCountry}}}
	m.Order.Buyer.Contact.Name, m.Order.Buyer.Contact.Email, m.Order.Buyer.Contact.Phone = o.ContactName, o.ContactEmail, o.ContactPhone
	for _, l := range lines {
		if l.ContractID != nil {
			m.Order.ContractID = l.ContractID
		}
		m.Lines = append(m.Lines, OrderMessageLine{LineNo: l.LineNo, ProductID: l.ProductID, SKU: l.SKU, GTIN: l.GTIN,
			Name: l.ItemName, PackUnit: l.PackUnit, PackContent: l.PackContent.String(), BaseUnit: l.BaseUnit,
			Quantity: l.Quantity, PackPrice: l.PackPrice.String(), VATRate: l.VATRate.String(),
			NetTotal: l.NetTotal.StringFixed(2), OnContract: l.OnContract})
	}
	return m
}

// accrueRebates sets each line's rebate: net total x rebate rate, rounded
// once by pricing.
func accrueRebates(tx *gorm.DB, o *Order) error {
	var lines []OrderLine
	if err := tx.Where("order_id = ?", o.ID).Find(&lines).Error; err != nil {
		return err
	}
	for _, l := range lines {
		net, err := pricing.NewMoney(l.NetTotal, pricing.Currency(strings.TrimSpace(l.Currency)))
		if err != nil {
			return err
		}
		r, err := net.MulRound(l.RebateRate)
		if err != nil {
			return err
		}
		if err := tx.Model(&OrderLine{}).Where("id = ?", l.ID).Update("rebate_accrued", r.Amount()).Error; err != nil {
			return err
		}
	}
	return nil
}
