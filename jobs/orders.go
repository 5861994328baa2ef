package jobs

import (
	"context"

	"andel/app"
)

// outboxBatch is the most messages one order-outbox run sends.
const outboxBatch = 500

// orderOutbox delivers due order messages to suppliers' webhooks (the
// safety net behind the immediate attempt after each order).
func orderOutbox(svc *app.Services) func(ctx context.Context) (Counts, error) {
	return func(ctx context.Context) (Counts, error) {
		rep, err := svc.Orders.DeliverOutbox(ctx, svc.Webhook, outboxBatch)
		return Counts{"delivered": rep.Delivered, "failed": rep.Failed}, err
	}
}

// savingsRollup brings the savings aggregates up to date.
func savingsRollup(svc *app.Services) func(ctx context.Context) (Counts, error) {
	return func(ctx context.Context) (Counts, error) {
		rep, err := svc.Savings.Rollup(ctx)
		return Counts{"orders": rep.Orders, "keys": rep.Keys}, err
	}
}
