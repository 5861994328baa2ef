package domain

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MemberStatus is where a practice stands in the cooperative.
type MemberStatus string

// Member statuses.
const (
	MemberActive    MemberStatus = "active"
	MemberSuspended MemberStatus = "suspended"
	MemberLeft      MemberStatus = "left"
)

func (s MemberStatus) valid() bool {
	return s == MemberActive || s == MemberSuspended || s == MemberLeft
}

// Member is a general practice that co-owns the cooperative.
type Member struct {
	ID             int64
	Name           string
	CVR            string `gorm:"column:cvr"`
	ProviderNumber *string
	Status         MemberStatus
	JoinedOn       time.Time `gorm:"type:date"`
	QualityCluster *string
	// GLN is the practice's GS1 location number, when it has one: it names
	// the buyer and the delivery place in PEPPOL orders.
	GLN *string `gorm:"column:gln"`
	// OrderContact is whom a supplier asks about an order.
	OrderContactName  string
	OrderContactEmail string
	OrderContactPhone string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// MemberInput holds the fields of a new member, or (as MemberPatch) the
// fields to change. In a patch a nil field is left alone and an empty string
// clears an optional field.
type MemberInput struct {
	Name           *string
	CVR            *string
	ProviderNumber *string
	Status         *MemberStatus
	JoinedOn       *time.Time
	QualityCluster *string
	GLN            *string
	OrderContact   *OrderContact
	// Invalid lists what the caller already found wrong while reading the
	// input (a date that is not one, say); it is reported together with
	// the domain's own problems, so that every bad field is listed at once.
	Invalid Problems
}

// OrderContact is a practice's contact for its orders.
type OrderContact struct{ Name, Email, Phone string }

// MemberFilter narrows a member list.
type MemberFilter struct {
	Status         MemberStatus
	QualityCluster string
	Query          string // part of the name or the CVR number
	Page           Page
}

// MemberService manages the cooperative's members.
type MemberService struct{ db *gorm.DB }

// apply copies the set fields of in onto m and validates the result,
// reporting every problem at once.
func (in MemberInput) apply(m *Member) error {
	var p Problems
	if in.Name != nil {
		m.Name = strings.TrimSpace(*in.Name)
	}
	if in.CVR != nil {
		m.CVR = strings.ReplaceAll(strings.TrimSpace(*in.CVR), " ", "")
	}
	if in.ProviderNumber != nil {
		m.ProviderNumber = optionalString(*in.ProviderNumber)
	}
	if in.Status != nil {
		m.Status = *in.Status
	}
	if in.JoinedOn != nil {
		m.JoinedOn = *in.JoinedOn
	}
	if in.QualityCluster != nil {
		m.QualityCluster = optionalString(*in.QualityCluster)
	}
	if in.GLN != nil {
		m.GLN = optionalString(strings.ReplaceAll(*in.GLN, " ", ""))
	}
	if in.OrderContact != nil {
		c := *in.OrderContact
		m.OrderContactName, m.OrderContactEmail, m.OrderContactPhone =
			strings.TrimSpace(c.Name), strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone)
		if m.OrderContactEmail != "" && !validEmail(m.OrderContactEmail) {
			p.Add("order_contact.email", "must be an e-mail address")
		}
	}
	checkLength(&p, "name", m.Name, 200)
	checkLength(&p, "provider_number", textOf(m.ProviderNumber), 50)
	checkLength(&p, "quality_cluster", textOf(m.QualityCluster), 100)
	checkLength(&p, "order_contact.name", m.OrderContactName, 200)
	checkLength(&p, "order_contact.email", m.OrderContactEmail, 254)
	checkLength(&p, "order_contact.phone", m.OrderContactPhone, 50)
	if m.GLN != nil && (len(*m.GLN) != 13 || !ValidGTIN(*m.GLN)) {
		p.Add("gln", "must be a GS1 Global Location Number: 13 digits with a valid check digit")
	}
	if m.Name == "" {
		p.Add("name", "is required")
	}
	if !ValidCVR(m.CVR) {
		p.Add("cvr", "must be a Danish CVR number: 8 digits passing the modulus-11 check")
	}
	if !m.Status.valid() {
		p.Add("status", "must be active, suspended or left")
	}
	return in.Invalid.Merge(p).Err()
}

func optionalString(s string) *string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return &s
}

// Create adds a member. Admins only. Errors: EFORBIDDEN, EINVALID, ECONFLICT
// (the CVR number is taken).
func (s *MemberService) Create(ctx context.Context, in MemberInput) (*Member, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, err
	}
	m := &Member{Status: MemberActive, JoinedOn: today()}
	if err := in.apply(m); err != nil {
		return nil, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(m).Error; err != nil {
			return memberWriteError(err)
		}
		return recordAudit(ctx, tx, auditEntry{action: "member.created", entity: "member",
			entityID: m.ID, memberID: m.ID, details: m})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Get returns the member with id if the caller may see it. Errors: ENOTFOUND.
func (s *MemberService) Get(ctx context.Context, id int64) (*Member, error) {
	var m Member
	err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, membersOwnership)).
		Where("members.id = ?", id).Take(&m).Error
	if err != nil {
		return nil, notFoundOr(err, "member")
	}
	return &m, nil
}

// List returns the members the caller may see, ordered by id, and the
// cursor of the next page (0 at the end).
func (s *MemberService) List(ctx context.Context, f MemberFilter) ([]Member, int64, error) {
	q := s.db.WithContext(ctx).Scopes(visibleTo(ctx, membersOwnership))
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.QualityCluster != "" {
		q = q.Where("quality_cluster = ?", f.QualityCluster)
	}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		q = q.Where("name ILIKE ? OR cvr LIKE ?", like, like)
	}
	var rows []Member
	if err := q.Scopes(f.Page.keyset("members", false)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, f.Page, func(m Member) int64 { return m.ID })
	return rows, next, nil
}

// Update changes the set fields of a member. Admins only. Errors:
// EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT.
func (s *MemberService) Update(ctx context.Context, id int64, in MemberInput) (*Member, error) {
	var m Member
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Visibility before rights: another tenant's member is 404, as if
		// it did not exist; only the caller's own is 403.
		if err := tx.Scopes(visibleTo(ctx, membersOwnership)).Clauses(forUpdate).
			Where("members.id = ?", id).Take(&m).Error; err != nil {
			return notFoundOr(err, "member")
		}
		if _, err := require(ctx, RoleAdmin); err != nil {
			return err
		}
		before := m
		if err := in.apply(&m); err != nil {
			return err
		}
		if err := tx.Select("*").Omit("ID", "CreatedAt").Save(&m).Error; err != nil {
			return memberWriteError(err)
		}
		return recordAudit(ctx, tx, auditEntry{action: "member.updated", entity: "member",
			entityID: m.ID, memberID: m.ID, details: map[string]any{"before": before, "after": m}})
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func memberWriteError(err error) error {
	if constraintViolated(err) == "members_cvr_key" {
		return &Error{Code: ECONFLICT, Message: "a member with this CVR number exists",
			Fields: []FieldError{{Field: "cvr", Message: "is already registered"}}}
	}
	return err
}

// escapeLike escapes the wildcards of a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// today is the current date in UTC at midnight.
func today() time.Time {
	return time.Now().UTC().Truncate(24 * time.Hour)
}

// ClusterNames returns the quality clusters the members are in, sorted:
// the choices offered when a member's cluster is set. Admins only.
// Errors: EFORBIDDEN.
func (s *MemberService) ClusterNames(ctx context.Context) ([]string, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, err
	}
	var names []string
	err := s.db.WithContext(ctx).Raw(`SELECT DISTINCT quality_cluster FROM members
		WHERE quality_cluster IS NOT NULL ORDER BY 1`).Scan(&names).Error
	return names, err
}
