package jobs

import (
	"context"
	"net/http"
	"time"

	"andel/app"
	"andel/suppliers"
)

// webhookTimeout bounds one POST to a supplier's order webhook.
const webhookTimeout = 10 * time.Second

// outboxBatch is the most messages one order-outbox run sends.
const outboxBatch = 500

// webhookClient sends orders to suppliers.
var webhookClient = &http.Client{Timeout: webhookTimeout}

// orderOutbox delivers due order messages to suppliers' webhooks (the
// safety net behind the immediate attempt after each order).
func orderOutbox(svc *app.Services) func(ctx context.Context) (Counts, error) {
	return func(ctx context.Context) (Counts, error) {
		rep, err := svc.Orders.DeliverOutbox(ctx, suppliers.Webhook{Client: webhookClient}, outboxBatch)
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
