package domain

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// AuditEvent records who did what. The table is append-only (a trigger
// refuses updates and deletes).
type AuditEvent struct {
	ID            int64
	OccurredAt    time.Time `gorm:"autoCreateTime:false;default:now()"`
	ActorUserID   *int64
	ActorAPIKeyID *int64 `gorm:"column:actor_api_key_id"`
	Actor         string
	Action        string
	Entity        string
	EntityID      *int64
	MemberID      *int64
	SupplierID    *int64
	RequestID     string
	Details       json.RawMessage `gorm:"type:jsonb"`
}

// auditEntry is what a service says about a change.
type auditEntry struct {
	action     string // e.g. "member.created"
	entity     string // e.g. "member"
	entityID   int64
	memberID   int64
	supplierID int64
	details    any // marshalled to JSON; nil for {}
}

// recordAudit appends e, attributed to the actor in ctx, inside tx so the
// trail and the change commit together. A change made under an
// Idempotency-Key is recorded in the key too (markExecuted): every change
// is audited, so this is where a key learns that its request executed.
func recordAudit(ctx context.Context, tx *gorm.DB, e auditEntry) error {
	ev, err := newAuditEvent(ctx, e)
	if err != nil {
		return err
	}
	if err := tx.WithContext(ctx).Omit("OccurredAt").Create(&ev).Error; err != nil {
		return err
	}
	return markExecuted(ctx, tx, e.entity, e.entityID)
}

// newAuditEvent attributes e to the actor in ctx.
func newAuditEvent(ctx context.Context, e auditEntry) (AuditEvent, error) {
	a := ActorFrom(ctx)
	details := json.RawMessage(`{}`)
	if e.details != nil {
		b, err := json.Marshal(e.details)
		if err != nil {
			return AuditEvent{}, err
		}
		details = b
	}
	ev := AuditEvent{
		ActorUserID:   nonZero(a.UserID),
		ActorAPIKeyID: nonZero(a.APIKeyID),
		Actor:         a.Label,
		Action:        e.action,
		Entity:        e.entity,
		EntityID:      nonZero(e.entityID),
		MemberID:      nonZero(e.memberID),
		SupplierID:    nonZero(e.supplierID),
		RequestID:     a.RequestID,
		Details:       details,
	}
	if ev.Actor == "" {
		ev.Actor = "anonymous"
	}
	return ev, nil
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// AuditFilter narrows a read of the audit log.
type AuditFilter struct {
	Entity   string
	EntityID int64
	Action   string
	Since    time.Time
	Until    time.Time
	Page     Page
}

// AuditLog reads the audit trail.
type AuditLog struct {
	db *gorm.DB
	// now is the server's clock (Options.Clock): whether a tender's bids
	// are unsealed in its history.
	now func() time.Time
}

// List returns audit events newest first. Only staff may read it; other
// callers get an empty list from the tenancy scope, and EFORBIDDEN first.
func (l *AuditLog) List(ctx context.Context, f AuditFilter) ([]AuditEvent, int64, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, 0, err
	}
	q := l.db.WithContext(ctx).Model(&AuditEvent{}).Scopes(visibleTo(ctx, auditOwnership))
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.Since.IsZero() {
		q = q.Where("occurred_at >= ?", f.Since)
	}
	if !f.Until.IsZero() {
		q = q.Where("occurred_at < ?", f.Until)
	}
	var rows []AuditEvent
	if err := q.Scopes(f.Page.keyset("audit_events", true)).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, f.Page, func(e AuditEvent) int64 { return e.ID })
	return rows, next, nil
}
