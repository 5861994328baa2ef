package domain

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MemberAddress is a place a practice takes deliveries at. A member has
// at most one default address (orders go there unless they name another);
// its first address is the default.
type MemberAddress struct {
	ID        int64
	MemberID  int64
	Label     string // "Klinikken", "Filialen i Viby"
	Street    string
	Postcode  string
	City      string
	Country   string // ISO 3166-1 alpha-2
	IsDefault bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AddressInput is a new address, or (as a patch) the fields to change
// (nil: unchanged). IsDefault true makes it the member's default.
type AddressInput struct {
	Label, Street, Postcode, City, Country *string
	IsDefault                              *bool
}

var (
	addressOwnership = ownership{memberColumn: "member_addresses.member_id"}
	countryCode      = regexp.MustCompile(`^[A-Z]{2}$`)
	danishPostcode   = regexp.MustCompile(`^[0-9]{4}$`)
)

// apply sets the given fields on a and checks the result, every problem
// listed.
func (in AddressInput) apply(a *MemberAddress) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&a.Label, in.Label)
	set(&a.Street, in.Street)
	set(&a.Postcode, in.Postcode)
	set(&a.City, in.City)
	set(&a.Country, in.Country)
	a.Country = strings.ToUpper(a.Country)
	if a.Country == "" {
		a.Country = "DK"
	}
	if in.IsDefault != nil {
		a.IsDefault = *in.IsDefault
	}
	var p Problems
	if a.Street == "" {
		p.Add("street", "is required")
	}
	if a.City == "" {
		p.Add("city", "is required")
	}
	switch {
	case !countryCode.MatchString(a.Country):
		p.Add("country", "must be a two-letter ISO 3166-1 country code (DK)")
	case a.Postcode == "":
		p.Add("postcode", "is required")
	case a.Country == "DK" && !danishPostcode.MatchString(a.Postcode):
		p.Add("postcode", "must be a Danish postcode: 4 digits")
	}
	for f, v := range map[string]string{"label": a.Label, "street": a.Street, "postcode": a.Postcode, "city": a.City} {
		if len(v) > 200 {
			p.Add(f, "must be at most 200 characters")
		}
	}
	return p.Err()
}

// Addresses returns member id's delivery addresses, the default first.
// The member's own users and staff. Errors: ENOTFOUND.
func (s *MemberService) Addresses(ctx context.Context, memberID int64) ([]MemberAddress, error) {
	if _, err := s.Get(ctx, memberID); err != nil {
		return nil, err
	}
	var rows []MemberAddress
	err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, addressOwnership)).
		Where("member_id = ?", memberID).Order("is_default DESC, id").Find(&rows).Error
	return rows, err
}

// AddAddress adds a delivery address to member id; the first address, or
// one marked default, becomes the default. The member's own users and
// admins. Errors: ENOTFOUND, EFORBIDDEN, EINVALID.
func (s *MemberService) AddAddress(ctx context.Context, memberID int64, in AddressInput) (*MemberAddress, error) {
	a := MemberAddress{MemberID: memberID}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockForAddresses(ctx, tx, memberID); err != nil {
			return err
		}
		if err := in.apply(&a); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&MemberAddress{}).Where("member_id = ?", memberID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			a.IsDefault = true
		}
		if a.IsDefault {
			if err := tx.Exec("UPDATE member_addresses SET is_default = false WHERE member_id = ? AND is_default", memberID).Error; err != nil {
				return err
			}
		}
		if err := tx.Omit("ID", "CreatedAt", "UpdatedAt").Create(&a).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "member.address_added", entity: "member_address", entityID: a.ID,
			memberID: memberID, details: a})
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// UpdateAddress changes address id of member memberID; making it the
// default unsets the previous default, and the default cannot be unset
// (make another the default instead). Errors: ENOTFOUND, EFORBIDDEN,
// EINVALID.
func (s *MemberService) UpdateAddress(ctx context.Context, memberID, id int64, in AddressInput) (*MemberAddress, error) {
	var a MemberAddress
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockForAddresses(ctx, tx, memberID); err != nil {
			return err
		}
		if err := tx.Where("id = ? AND member_id = ?", id, memberID).Take(&a).Error; err != nil {
			return notFoundOr(err, "address")
		}
		wasDefault := a.IsDefault
		if err := in.apply(&a); err != nil {
			return err
		}
		if wasDefault && !a.IsDefault {
			var p Problems
			p.Add("is_default", "the default address stays the default until another is made the default")
			return p.Err()
		}
		if a.IsDefault && !wasDefault {
			if err := tx.Exec("UPDATE member_addresses SET is_default = false WHERE member_id = ? AND is_default", memberID).Error; err != nil {
				return err
			}
		}
		if err := tx.Model(&a).Select("label", "street", "postcode", "city", "country", "is_default").
			Updates(map[string]any{"label": a.Label, "street": a.Street, "postcode": a.Postcode, "city": a.City,
				"country": a.Country, "is_default": a.IsDefault, "updated_at": gorm.Expr("now()")}).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "member.address_updated", entity: "member_address", entityID: a.ID,
			memberID: memberID, details: a})
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteAddress removes address id of member memberID; when it was the
// default, the oldest remaining address becomes the default. Orders keep
// the address they were placed with. Errors: ENOTFOUND, EFORBIDDEN.
func (s *MemberService) DeleteAddress(ctx context.Context, memberID, id int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockForAddresses(ctx, tx, memberID); err != nil {
			return err
		}
		var a MemberAddress
		if err := tx.Where("id = ? AND member_id = ?", id, memberID).Take(&a).Error; err != nil {
			return notFoundOr(err, "address")
		}
		if err := tx.Exec("DELETE FROM member_addresses WHERE id = ?", id).Error; err != nil {
			return err
		}
		if a.IsDefault {
			if err := tx.Exec(`UPDATE member_addresses SET is_default = true WHERE id =
				(SELECT min(id) FROM member_addresses WHERE member_id = ?)`, memberID).Error; err != nil {
				return err
			}
		}
		return recordAudit(ctx, tx, auditEntry{action: "member.address_deleted", entity: "member_address", entityID: id,
			memberID: memberID, details: a})
	})
}

// lockForAddresses checks that the caller may change member id's
// addresses (its own users, admins; another member's answers ENOTFOUND)
// and locks the member so that changes of its default apply one at a time.
func (s *MemberService) lockForAddresses(ctx context.Context, tx *gorm.DB, memberID int64) error {
	var m Member
	if err := tx.Scopes(visibleTo(ctx, membersOwnership)).Clauses(forUpdate).
		Where("members.id = ?", memberID).Take(&m).Error; err != nil {
		return notFoundOr(err, "member")
	}
	_, err := require(ctx, RoleAdmin, RoleMember)
	return err
}

// deliveryAddress returns the address an order of member memberID goes
// to: id, or the member's default when id is 0. Problems go to p under
// field; nil when there is none.
func deliveryAddress(ctx context.Context, db *gorm.DB, memberID, id int64, field string, p *Problems) (*MemberAddress, error) {
	var a MemberAddress
	q := db.WithContext(ctx).Where("member_id = ?", memberID)
	if id != 0 {
		q = q.Where("id = ?", id)
	} else {
		q = q.Where("is_default")
	}
	err := q.Take(&a).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound) && id != 0:
		p.Add(field, "is not a delivery address of the practice")
		return nil, nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		p.Add(field, "the practice has no delivery address: add one before ordering")
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &a, nil
}
