package jobs

import (
	"context"
	"time"

	"andel/api/sessionstore"
	"andel/app"
)

// builtin returns the jobs Andel runs.
func builtin(svc *app.Services) []Job {
	return []Job{
		{Name: "housekeeping", Schedule: "17 * * * *", Run: housekeeping(svc)},
		{Name: "catalog-refresh", Schedule: "*/15 * * * *", Run: catalogRefresh(svc)},
		{Name: "tender-close", Schedule: "* * * * *", Run: tenderClose(svc)},
		{Name: "order-outbox", Schedule: "* * * * *", Run: orderOutbox(svc)},
		{Name: "savings-rollup", Schedule: "*/5 * * * *", Run: savingsRollup(svc)},
		{Name: "surplus-distribute", Schedule: "*/10 * * * *", Run: surplusDistribute(svc)},
	}
}

// idempotencyKeyLifetime is how long a retried request gets its first
// answer again.
const idempotencyKeyLifetime = 7 * 24 * time.Hour

// housekeeping deletes what no longer counts: expired sessions, failed
// logins older than the throttling window, and old idempotency keys.
func housekeeping(svc *app.Services) func(ctx context.Context) (Counts, error) {
	return func(ctx context.Context) (Counts, error) {
		sessions, err := sessionstore.New(svc.DB).DeleteExpired(ctx)
		if err != nil {
			return nil, err
		}
		failures, err := svc.Users.ForgetLoginFailures(ctx)
		if err != nil {
			return nil, err
		}
		keys, err := svc.Idempotency.ForgetOlderThan(ctx, idempotencyKeyLifetime)
		if err != nil {
			return nil, err
		}
		return Counts{"sessions_deleted": sessions, "login_failures_deleted": failures, "idempotency_keys_deleted": keys}, nil
	}
}
