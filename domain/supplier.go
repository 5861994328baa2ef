package domain

import (
	"context"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Supplier sells to the cooperative's members.
type Supplier struct {
	ID               int64
	Name             string
	VATID            string `gorm:"column:vat_id"`
	OrderWebhookURL  *string
	OrderEmail       *string
	CatalogueFeedURL *string
	// OrderFormat is how its webhook receives orders: OrderFormatJSON or
	// OrderFormatPEPPOL.
	OrderFormat string
	Status      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// A supplier's order formats: Andel's JSON message (OrderMessage), or a
// PEPPOL BIS Order 3 document of the same order.
const (
	OrderFormatJSON   = "json"
	OrderFormatPEPPOL = "peppol"
)

// SupplierInput holds the fields of a new supplier or of a patch (nil:
// unchanged; empty string: clear an optional field).
type SupplierInput struct {
	Name             *string
	VATID            *string
	OrderWebhookURL  *string
	OrderEmail       *string
	CatalogueFeedURL *string
	OrderFormat      *string
	Status           *string
}

// channelOnly reports whether the patch touches only the fields a supplier
// may keep current itself: where orders and feeds go.
func (in SupplierInput) channelOnly() bool {
	return in.Name == nil && in.VATID == nil && in.Status == nil
}

var vatIDPattern = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z+*]{2,12}$`)

// normalizeVATID uppercases a VAT id, drops spaces, dots and dashes, and
// reads a bare 8-digit number as a Danish CVR (DK prefix).
func normalizeVATID(s string) string {
	s = strings.ToUpper(strings.NewReplacer(" ", "", ".", "", "-", "").Replace(s))
	if len(s) == 8 && ValidCVR(s) {
		s = "DK" + s
	}
	return s
}

func (in SupplierInput) apply(s *Supplier, outbound OutboundPolicy) error {
	var p Problems
	if in.Name != nil {
		s.Name = strings.TrimSpace(*in.Name)
	}
	if in.VATID != nil {
		s.VATID = normalizeVATID(*in.VATID)
	}
	if in.Status != nil {
		s.Status = *in.Status
	}
	if in.OrderWebhookURL != nil {
		s.OrderWebhookURL = optionalString(*in.OrderWebhookURL)
	}
	if in.OrderEmail != nil {
		s.OrderEmail = optionalString(*in.OrderEmail)
	}
	if in.CatalogueFeedURL != nil {
		s.CatalogueFeedURL = optionalString(*in.CatalogueFeedURL)
	}
	if in.OrderFormat != nil {
		s.OrderFormat = strings.ToLower(strings.TrimSpace(*in.OrderFormat))
	}
	if s.OrderFormat == "" {
		s.OrderFormat = OrderFormatJSON
	}
	if s.OrderFormat != OrderFormatJSON && s.OrderFormat != OrderFormatPEPPOL {
		p.Add("order_format", "must be json or peppol")
	}
	if s.Name == "" {
		p.Add("name", "is required")
	}
	checkLength(&p, "name", s.Name, 200)
	checkLength(&p, "order_webhook_url", textOf(s.OrderWebhookURL), 2000)
	checkLength(&p, "catalogue_feed_url", textOf(s.CatalogueFeedURL), 2000)
	checkLength(&p, "order_email", textOf(s.OrderEmail), 254)
	switch {
	case !vatIDPattern.MatchString(s.VATID):
		p.Add("vat_id", "must be a VAT id with a country prefix, e.g. DK12345674")
	case strings.HasPrefix(s.VATID, "DK") && !ValidCVR(s.VATID[2:]):
		p.Add("vat_id", "a Danish VAT id must be DK and a valid CVR number")
	}
	if s.Status != "active" && s.Status != "inactive" {
		p.Add("status", "must be active or inactive")
	}
	if s.OrderWebhookURL != nil {
		if err := outbound.CheckURL(*s.OrderWebhookURL); err != nil {
			p.Add("order_webhook_url", "%v", err)
		}
	}
	if s.CatalogueFeedURL != nil {
		if err := outbound.CheckURL(*s.CatalogueFeedURL); err != nil {
			p.Add("catalogue_feed_url", "%v", err)
		}
	}
	if s.OrderEmail != nil {
		if !validEmail(*s.OrderEmail) {
			p.Add("order_email", "must be a plain e-mail address")
		}
	}
	return p.Err()
}

// SupplierService manages suppliers and their API keys.
type SupplierService struct {
	db       *gorm.DB
	outbound OutboundPolicy
}

// Create adds a supplier. Admins only. Errors: EFORBIDDEN, EINVALID,
// ECONFLICT (the VAT id is taken).
func (s *SupplierService) Create(ctx context.Context, in SupplierInput) (*Supplier, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, err
	}
	sup := &Supplier{Status: "active"}
	if err := in.apply(sup, s.outbound); err != nil {
		return nil, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(sup).Error; err != nil {
			return supplierWriteError(err)
		}
		return recordAudit(ctx, tx, auditEntry{action: "supplier.created", entity: "supplier",
			entityID: sup.ID, supplierID: sup.ID, details: sup})
	})
	if err != nil {
		return nil, err
	}
	return sup, nil
}

// Get returns the supplier with id if the caller may see it (staff, or the
// supplier itself). Errors: ENOTFOUND.
func (s *SupplierService) Get(ctx context.Context, id int64) (*Supplier, error) {
	var sup Supplier
	err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, suppliersOwnership)).
		Where("suppliers.id = ?", id).Take(&sup).Error
	if err != nil {
		return nil, notFoundOr(err, "supplier")
	}
	return &sup, nil
}

// SupplierFilter narrows a supplier list.
type SupplierFilter struct {
	Status string
	Query  string
	Page   Page
}

// List returns the suppliers the caller may see, ordered by id.
func (s *SupplierService) List(ctx context.Context, f SupplierFilter) ([]Supplier, int64, error) {
	q := s.db.WithContext(ctx).Scopes(visibleTo(ctx, suppliersOwnership))
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		q = q.Where("name ILIKE ? OR vat_id LIKE ?", like, strings.ToUpper(like))
	}
	var rows []Supplier
	if err := q.Scopes(f.Page.keyset("suppliers", false)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, f.Page, func(s Supplier) int64 { return s.ID })
	return rows, next, nil
}

// Update changes a supplier. Admins may change every field; a supplier's
// own user may change only its order channel and feed URL. Errors:
// ENOTFOUND, EFORBIDDEN, EINVALID, ECONFLICT.
func (s *SupplierService) Update(ctx context.Context, id int64, in SupplierInput) (*Supplier, error) {
	var sup Supplier
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Scopes(visibleTo(ctx, suppliersOwnership)).Clauses(forUpdate).
			Where("suppliers.id = ?", id).Take(&sup).Error; err != nil {
			return notFoundOr(err, "supplier")
		}
		a, err := require(ctx, RoleAdmin, RoleSupplier)
		if err != nil {
			return err
		}
		if a.Role == RoleSupplier && !in.channelOnly() {
			return Errorf(EFORBIDDEN, "a supplier may change only its order channel and feed URL")
		}
		before := sup
		if err := in.apply(&sup, s.outbound); err != nil {
			return err
		}
		if err := tx.Select("*").Omit("ID", "CreatedAt").Save(&sup).Error; err != nil {
			return supplierWriteError(err)
		}
		return recordAudit(ctx, tx, auditEntry{action: "supplier.updated", entity: "supplier",
			entityID: sup.ID, supplierID: sup.ID, details: map[string]any{"before": before, "after": sup}})
	})
	if err != nil {
		return nil, err
	}
	return &sup, nil
}

func supplierWriteError(err error) error {
	if constraintViolated(err) == "suppliers_vat_id_key" {
		return &Error{Code: ECONFLICT, Message: "a supplier with this VAT id exists",
			Fields: []FieldError{{Field: "vat_id", Message: "is already registered"}}}
	}
	return err
}
