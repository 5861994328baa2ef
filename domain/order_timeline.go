package domain

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// OrderEvent is one move of an order: placed, confirmed, shipped,
// delivered, cancelled or rejected (with the reason), when and by whom.
type OrderEvent struct {
	Status OrderStatus
	At     time.Time
	By     string
	Reason string
}

// Timeline returns the moves of an order the caller may see, oldest first,
// from the audit log (every move is audited with the change). Errors:
// ENOTFOUND.
func (s *OrderService) Timeline(ctx context.Context, id int64) ([]OrderEvent, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	var rows []AuditEvent
	if err := s.db.WithContext(ctx).Where("entity = 'order' AND entity_id = ? AND action LIKE 'order.%'", id).
		Order("occurred_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]OrderEvent, 0, len(rows))
	for _, r := range rows {
		ev := OrderEvent{Status: OrderStatus(strings.TrimPrefix(r.Action, "order.")), At: r.OccurredAt, By: r.Actor}
		if !ev.Status.Valid() {
			continue
		}
		var d struct {
			Reason string `json:"reason"`
		}
		if json.Unmarshal(r.Details, &d) == nil {
			ev.Reason = d.Reason
		}
		out = append(out, ev)
	}
	return out, nil
}
