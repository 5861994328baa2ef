package jobs

import (
	"context"

	"andel/domain"
)

// builtin returns the jobs Andel runs.
func builtin(svc *domain.Services) []Job {
	return []Job{
		{Name: "housekeeping", Schedule: "17 * * * *", Run: housekeeping(svc)},
	}
}

// housekeeping deletes what no longer counts: expired sessions and failed
// logins older than the throttling window.
func housekeeping(svc *domain.Services) func(ctx context.Context) (Counts, error) {
	return func(ctx context.Context) (Counts, error) {
		sessions, err := domain.NewSessionStore(svc.DB).DeleteExpired(ctx)
		if err != nil {
			return nil, err
		}
		failures, err := svc.Users.ForgetLoginFailures(ctx)
		if err != nil {
			return nil, err
		}
		return Counts{"sessions_deleted": sessions, "login_failures_deleted": failures}, nil
	}
}
