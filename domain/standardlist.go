package domain

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// StandardList is a practice's named list of products and quantities
// ("standardliste") that it orders again and again.
type StandardList struct {
	ID        int64
	MemberID  int64
	Name      string
	CreatedAt time.Time
	Lines     []StandardListLine `gorm:"foreignKey:ListID"`
}

// StandardListLine is one product of a list, in packs.
type StandardListLine struct {
	ID        int64
	ListID    int64
	MemberID  int64
	ProductID int64
	OfferID   *int64
	Quantity  int64
}

// StandardListService keeps practices' standard lists.
type StandardListService struct {
	db   *gorm.DB
	cart *CartService
}

// NewStandardListService returns the standard lists of svc.
func NewStandardListService(svc *Services) *StandardListService {
	return &StandardListService{db: svc.DB, cart: NewCartService(svc)}
}

// List returns the caller's lists with their lines, by name.
func (s *StandardListService) List(ctx context.Context) ([]StandardList, error) {
	member, err := cartMember(ctx)
	if err != nil {
		return nil, err
	}
	var lists []StandardList
	err = s.db.WithContext(ctx).Preload("Lines", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Where("member_id = ?", member).Order("name, id").Find(&lists).Error
	return lists, err
}

// Get returns one of the caller's lists. Errors: ENOTFOUND (also for
// another practice's list).
func (s *StandardListService) Get(ctx context.Context, id int64) (*StandardList, error) {
	member, err := cartMember(ctx)
	if err != nil {
		return nil, err
	}
	var l StandardList
	err = s.db.WithContext(ctx).Preload("Lines", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Where("id = ? AND member_id = ?", id, member).Take(&l).Error
	return &l, notFoundOr(err, "standard list")
}

// Create makes an empty list. Errors: EINVALID (name empty or over 100
// characters), ECONFLICT (the practice has a list of that name).
func (s *StandardListService) Create(ctx context.Context, name string) (*StandardList, error) {
	member, err := cartMember(ctx)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 || strings.ContainsRune(name, 0) {
		return nil, &Error{Code: EINVALID, Message: "invalid name", Fields: []FieldError{{Field: "name", Message: "must be 1 to 100 characters"}}}
	}
	l := StandardList{MemberID: member, Name: name}
	if err := s.db.WithContext(ctx).Omit("Lines").Create(&l).Error; err != nil {
		if constraintViolated(err) == "standard_lists_member_id_name_key" {
			return nil, Errorf(ECONFLICT, "a list named %q exists", name)
		}
		return nil, err
	}
	return &l, nil
}

// SetLine puts qty packs of a product on list id (0 removes it). Errors:
// ENOTFOUND, EINVALID.
func (s *StandardListService) SetLine(ctx context.Context, id int64, in OrderLineInput) error {
	l, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if in.Quantity < 0 || in.Quantity > maxPacks {
		return &Error{Code: EINVALID, Message: "invalid quantity", Fields: []FieldError{{Field: "quantity", Message: "must be 0 to 1000000 packs"}}}
	}
	var offer *int64
	if in.OfferID != 0 {
		offer = &in.OfferID
	}
	db := s.db.WithContext(ctx)
	if in.Quantity == 0 {
		return db.Where("list_id = ? AND product_id = ? AND coalesce(offer_id, 0) = ?", l.ID, in.ProductID, in.OfferID).
			Delete(&StandardListLine{}).Error
	}
	var n int64
	if err := db.Model(&Product{}).Where("id = ? AND status = 'active'", in.ProductID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return &Error{Code: EINVALID, Message: "invalid product", Fields: []FieldError{{Field: "product_id", Message: "no such product"}}}
	}
	var p Problems
	if err := checkOfferOf(db, in, &p); err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	return db.Exec(`INSERT INTO standard_list_lines (list_id, member_id, product_id, offer_id, quantity)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (list_id, product_id, coalesce(offer_id, 0)) DO UPDATE SET quantity = EXCLUDED.quantity`,
		l.ID, l.MemberID, in.ProductID, offer, in.Quantity).Error
}

// Delete removes one of the caller's lists. Errors: ENOTFOUND.
func (s *StandardListService) Delete(ctx context.Context, id int64) error {
	l, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	return s.db.WithContext(ctx).Delete(&StandardList{}, l.ID).Error
}

// ToCart adds every line of list id to the caller's cart. Errors:
// ENOTFOUND.
func (s *StandardListService) ToCart(ctx context.Context, id int64) error {
	l, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	in := make([]OrderLineInput, len(l.Lines))
	for i, ln := range l.Lines {
		in[i] = OrderLineInput{ProductID: ln.ProductID, Quantity: ln.Quantity}
		if ln.OfferID != nil {
			in[i].OfferID = *ln.OfferID
		}
	}
	return s.cart.AddAll(ctx, in)
}
