package jobs

import (
	"context"
	"errors"

	"andel/app"
)

// tenderClose closes the tenders whose bid deadline has passed: it unseals
// their bids, stores each lot's evaluation and moves them to closed (or
// unsuccessful), and marks contracts past their validity as expired.
// Running it again does nothing more.
func tenderClose(svc *app.Services) func(ctx context.Context) (Counts, error) {
	return func(ctx context.Context) (Counts, error) {
		res, err := svc.Tenders.CloseDue(ctx)
		counts := Counts{"tenders_closed": int64(res.Closed), "tenders_unsuccessful": int64(res.Unsuccessful),
			"tenders_failed": int64(res.Failed)}
		expired, expErr := svc.Contracts.ExpireLapsed(ctx)
		counts["contracts_expired"] = expired
		return counts, errors.Join(err, expErr)
	}
}
