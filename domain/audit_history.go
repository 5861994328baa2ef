package domain

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// AuditSubjects are the kinds of object whose history AuditLog.History
// reads, in the order the staff's audit page offers them.
var AuditSubjects = []string{"member", "supplier", "tender", "price_list", "order", "surplus_run", "product", "contract"}

// userChanges are the events of a user that belong to its member's or
// supplier's history: changes to the user (user.created...), not its
// logins, which would drown them.
const userChanges = "(entity = 'user' AND action LIKE 'user.%')"

// historyOf narrows the trail to one object of entity and the parts
// recorded under their own entity: a member's addresses and users (their
// changes, not their logins); a supplier's API keys and users; a tender's contracts, and its bids once
// the deadline has passed (before it, even the arrival of a bid names
// its supplier, and bids are sealed); the products merged into a product.
// Orders, price lists and surplus runs have their own pages, so a member's
// or supplier's history does not repeat them.
func (l *AuditLog) historyOf(ctx context.Context, entity string, id int64) (func(*gorm.DB) *gorm.DB, error) {
	own := func(q *gorm.DB) *gorm.DB { return q.Where("entity = ? AND entity_id = ?", entity, id) }
	either := func(parts string, args ...any) func(*gorm.DB) *gorm.DB {
		return func(q *gorm.DB) *gorm.DB {
			return q.Where("(entity = ? AND entity_id = ?) OR "+parts, append([]any{entity, id}, args...)...)
		}
	}
	ref := strconv.FormatInt(id, 10)
	switch entity {
	case "member":
		return either("((entity = 'member_address' OR "+userChanges+") AND member_id = ?)", id), nil
	case "supplier":
		return either("((entity = 'api_key' OR "+userChanges+") AND supplier_id = ?)", id), nil
	case "tender":
		var unsealed bool
		if err := l.db.WithContext(ctx).Raw("SELECT bid_deadline <= ? FROM tenders WHERE id = ?", l.now(), id).
			Scan(&unsealed).Error; err != nil {
			return nil, err
		}
		if unsealed {
			return either("(entity IN ('bid', 'contract') AND details->>'tender_id' = ?)", ref), nil
		}
		return either("(entity = 'contract' AND details->>'tender_id' = ?)", ref), nil
	case "product":
		return either("(entity = 'product' AND action = 'product.merged' AND details->>'into' = ?)", ref), nil
	case "price_list", "order", "surplus_run", "contract":
		return own, nil
	}
	return nil, (&Problems{{Field: "entity", Message: "must be one of member, supplier, tender, price_list, order, surplus_run, product, contract"}}).Err()
}

// History returns the trail of one object (entity, id), newest first:
// its own events and its parts' (see historyOf), a page at a time. An
// object that does not exist has an empty history. Staff only. Errors:
// EFORBIDDEN, EINVALID (an entity without a history).
func (l *AuditLog) History(ctx context.Context, entity string, id int64, p Page) ([]AuditEvent, int64, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, 0, err
	}
	scope, err := l.historyOf(ctx, entity, id)
	if err != nil {
		return nil, 0, err
	}
	var rows []AuditEvent
	q := l.db.WithContext(ctx).Model(&AuditEvent{}).Scopes(visibleTo(ctx, auditOwnership)).
		Where(l.db.Scopes(scope)).Scopes(p.keyset("audit_events", true))
	if err := q.Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	rows, next := trimPage(rows, p, func(e AuditEvent) int64 { return e.ID })
	return rows, next, nil
}
