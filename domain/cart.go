package domain

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// CartLine is one product in a practice's cart: the offer chosen (nil: the
// contract's) and the quantity in packs. The cart is kept on the server,
// per practice, so that it survives a logout and another device.
type CartLine struct {
	ID        int64
	MemberID  int64
	ProductID int64
	OfferID   *int64
	Quantity  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CartService keeps practices' carts and prices them as the orders they
// would become.
type CartService struct {
	db     *gorm.DB
	orders *OrderService
}

// NewCartService returns the cart service of svc.
func NewCartService(svc *Services) *CartService { return &CartService{db: svc.DB, orders: svc.Orders} }

const maxPacks = 1_000_000

// cartMember is the practice of the member user calling.
func cartMember(ctx context.Context) (int64, error) {
	a, err := require(ctx, RoleMember)
	if err != nil {
		return 0, err
	}
	if a.MemberID == 0 {
		return 0, Errorf(EFORBIDDEN, "the user belongs to no practice")
	}
	return a.MemberID, nil
}

// Add puts qty packs of a product (from offer, or the contract's when
// offer is 0) in the caller's cart, adding to what is there. Member users
// only. Errors: EINVALID (no such product, quantity not 1 to 1,000,000),
// EFORBIDDEN.
func (s *CartService) Add(ctx context.Context, in OrderLineInput) error {
	member, err := cartMember(ctx)
	if err != nil {
		return err
	}
	var p Problems
	if in.Quantity <= 0 || in.Quantity > maxPacks {
		p.Add("quantity", "must be 1 to %d packs", maxPacks)
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&Product{}).Where("id = ? AND status = 'active'", in.ProductID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		p.Add("product_id", "no such product")
	}
	if err := checkOfferOf(s.db.WithContext(ctx), in, &p); err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	var offer *int64
	if in.OfferID != 0 {
		offer = &in.OfferID
	}
	return s.db.WithContext(ctx).Exec(`INSERT INTO cart_lines (member_id, product_id, offer_id, quantity)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (member_id, product_id, coalesce(offer_id, 0))
		DO UPDATE SET quantity = least(cart_lines.quantity + EXCLUDED.quantity, ?), updated_at = now()`,
		member, in.ProductID, offer, in.Quantity, maxPacks).Error
}

// AddAll adds every line (a reorder, a standard list) in one transaction.
func (s *CartService) AddAll(ctx context.Context, lines []OrderLineInput) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inner := &CartService{db: tx, orders: s.orders}
		for _, l := range lines {
			if err := inner.Add(ctx, l); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetQuantity changes a cart line's packs; 0 removes it. Errors: ENOTFOUND
// (not a line of the caller's cart), EINVALID.
func (s *CartService) SetQuantity(ctx context.Context, lineID, qty int64) error {
	member, err := cartMember(ctx)
	if err != nil {
		return err
	}
	if qty < 0 || qty > maxPacks {
		return &Error{Code: EINVALID, Message: "invalid quantity", Fields: []FieldError{{Field: "quantity", Message: "must be 0 to 1000000 packs"}}}
	}
	q := s.db.WithContext(ctx).Where("id = ? AND member_id = ?", lineID, member)
	var res *gorm.DB
	if qty == 0 {
		res = q.Delete(&CartLine{})
	} else {
		res = q.Model(&CartLine{}).Updates(map[string]any{"quantity": qty, "updated_at": gorm.Expr("now()")})
	}
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return NotFound("cart line")
	}
	return nil
}

// Lines returns the caller's cart, oldest first.
func (s *CartService) Lines(ctx context.Context) ([]CartLine, error) {
	member, err := cartMember(ctx)
	if err != nil {
		return nil, err
	}
	var lines []CartLine
	err = s.db.WithContext(ctx).Where("member_id = ?", member).Order("id").Find(&lines).Error
	return lines, err
}

// Clear empties the caller's cart of exactly these lines (a checkout's:
// lines added meanwhile from another device stay).
func (s *CartService) Clear(ctx context.Context, lines []CartLine) error {
	member, err := cartMember(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.ID
	}
	if len(ids) == 0 {
		return nil
	}
	return s.db.WithContext(ctx).Where("member_id = ? AND id IN ?", member, ids).Delete(&CartLine{}).Error
}

// QuotedLine is a cart line priced as it would be ordered now; Line is nil
// and Problems say why when it cannot be ordered.
type QuotedLine struct {
	CartLine
	ProductName string
	BaseUnit    string
	Line        *OrderLine
	Problems    []FieldError
	// TierMinPacks is the contract tier the quantity reaches (0: the
	// contract's first price, or no contract).
	TierMinPacks int64
}

// CartOrder is one order the cart would become: one supplier, one currency.
type CartOrder struct {
	SupplierID   int64
	SupplierName string
	Order        *Order
	Lines        []QuotedLine
}

// CartQuote is the cart split into orders, with the lines that cannot be
// ordered apart.
type CartQuote struct {
	Orders  []CartOrder
	Blocked []QuotedLine
	Lines   []CartLine
}

// Quote prices the caller's cart as Place would, without storing
// anything: one order per supplier and currency with net, VAT, gross and
// savings. Errors: EFORBIDDEN.
func (s *CartService) Quote(ctx context.Context) (*CartQuote, error) {
	lines, err := s.Lines(ctx)
	if err != nil {
		return nil, err
	}
	a := ActorFrom(ctx)
	q := &CartQuote{Lines: lines}
	if len(lines) == 0 {
		return q, nil
	}
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.ProductID
	}
	var products []Product
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&products).Error; err != nil {
		return nil, err
	}
	byID := map[int64]Product{}
	for _, p := range products {
		byID[p.ID] = p
	}
	now := s.orders.now()
	today := now.UTC().Truncate(24 * time.Hour)
	type key struct {
		supplier int64
		currency string
	}
	rates, err := s.orders.catalogue.RateTable(ctx) // once for all lines
	if err != nil {
		return nil, err
	}
	var keys []key
	groups := map[key][]QuotedLine{}
	for _, cl := range lines {
		ql := QuotedLine{CartLine: cl, ProductName: byID[cl.ProductID].Name, BaseUnit: byID[cl.ProductID].BaseUnit}
		in := OrderLineInput{ProductID: cl.ProductID, Quantity: cl.Quantity}
		if cl.OfferID != nil {
			in.OfferID = *cl.OfferID
		}
		li, p, err := s.orders.loadLine(ctx, in, today, rates, "line")
		if err != nil {
			return nil, err
		}
		var l *OrderLine
		if li != nil {
			var lp Problems
			if l, lp, err = li.price(cl.Quantity, "line"); err != nil {
				return nil, err
			}
			p = append(p, lp...)
		}
		if l == nil || len(p) > 0 {
			ql.Problems = p
			q.Blocked = append(q.Blocked, ql)
			continue
		}
		l.MemberID = a.MemberID
		ql.Line = l
		if l.OnContract && li.Contract != nil {
			for _, t := range li.Contract.Tiers {
				if t.MinPacks.IntPart() <= cl.Quantity {
					ql.TierMinPacks = t.MinPacks.IntPart()
				}
			}
		}
		k := key{l.SupplierID, l.Currency}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], ql)
	}
	names, err := supplierNames(ctx, s.db, keys, func(k key) int64 { return k.supplier })
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		ls := make([]OrderLine, len(groups[k]))
		for i, ql := range groups[k] {
			ls[i] = *ql.Line
		}
		o, err := newOrder(a, k.supplier, k.currency, now, today, ls, s.orders.vatRate)
		if err != nil {
			return nil, err
		}
		q.Orders = append(q.Orders, CartOrder{SupplierID: k.supplier, SupplierName: names[k.supplier], Order: o, Lines: groups[k]})
	}
	return q, nil
}

// supplierNames maps the suppliers of items to their names.
func supplierNames[T any](ctx context.Context, db *gorm.DB, items []T, id func(T) int64) (map[int64]string, error) {
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, id(it))
	}
	var rows []struct {
		ID   int64
		Name string
	}
	if len(ids) > 0 {
		if err := db.WithContext(ctx).Table("suppliers").Select("id, name").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, err
		}
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// SupplierNames maps supplier ids to names (the catalogue is shared: every
// caller may read who sells).
func (s *CartService) SupplierNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return supplierNames(ctx, s.db, ids, func(id int64) int64 { return id })
}

// Products maps product ids to products.
func (s *CartService) Products(ctx context.Context, ids []int64) (map[int64]Product, error) {
	var ps []Product
	out := map[int64]Product{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&ps).Error; err != nil {
		return nil, err
	}
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}

// Categories lists the categories of active products, for the search
// form's choice.
func (s *CartService) Categories(ctx context.Context) ([]string, error) {
	// One index probe per category (products_category_idx), each from the
	// last one found, rather than reading every product: the search page
	// asks on every load (100,000 products: see BENCHMARKS.md, web).
	var cats []string
	err := s.db.WithContext(ctx).Raw(`WITH RECURSIVE c(cat) AS (
			(SELECT category FROM products WHERE status = 'active' AND category <> '' ORDER BY category LIMIT 1)
			UNION ALL
			SELECT (SELECT category FROM products WHERE status = 'active' AND category > c.cat ORDER BY category LIMIT 1)
			FROM c WHERE c.cat IS NOT NULL)
		SELECT cat FROM c WHERE cat IS NOT NULL LIMIT 200`).Scan(&cats).Error
	return cats, err
}

// checkOfferOf lists offer_id when the line names an offer (not 0: the
// contract's) that is no offer of its product: a form could send any
// number, and a cart or list line of an offer that does not exist (or
// of another product) was kept as it came.
func checkOfferOf(db *gorm.DB, in OrderLineInput, p *Problems) error {
	if in.OfferID == 0 {
		return nil
	}
	var n int64
	if in.OfferID > 0 {
		// Any list's row, not only the active lists' (the view offers):
		// a reorder names the offers of its time, and the quote says
		// what became of them.
		if err := db.Raw("SELECT count(*) FROM offer_rows WHERE id = ? AND product_id = ?", in.OfferID, in.ProductID).Scan(&n).Error; err != nil {
			return err
		}
	}
	if n == 0 {
		p.Add("offer_id", "no such offer of the product")
	}
	return nil
}
