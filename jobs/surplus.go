package jobs

import (
	"context"

	"andel/app"
	"andel/domain"
)

// surplusDistribute pays out approved surplus runs: a payout and a
// capital-account entry per member, exactly once (see
// domain.SurplusService.Distribute); a run stopped half-way is completed
// by the next run of the job.
func surplusDistribute(svc *app.Services) func(ctx context.Context) (Counts, error) {
	return func(ctx context.Context) (Counts, error) {
		rep, err := svc.Surplus.DistributeApproved(ctx, domain.DistributeOptions{})
		return Counts{"runs": rep.Runs, "payouts": rep.Payouts, "capital_entries": rep.CapitalEntries}, err
	}
}
