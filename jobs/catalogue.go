package jobs

import (
	"context"

	"andel/app"
)

// catalogRefresh keeps the catalogue current: it activates scheduled price
// lists that became effective, expires lapsed offers, rejects interrupted
// imports, re-matches offers to products, and pulls suppliers' feeds
// (conditional GET) into new price lists.
func catalogRefresh(svc *app.Services) func(ctx context.Context) (Counts, error) {
	return func(ctx context.Context) (Counts, error) {
		before, err := svc.Catalogue.RefreshCatalogue(ctx)
		if err != nil {
			return nil, err
		}
		feeds, err := svc.Feeds.FetchAll(ctx)
		if err != nil {
			return nil, err
		}
		retired, err := svc.Catalogue.RetireSupersededOffers(ctx)
		if err != nil {
			return nil, err
		}
		return Counts{
			"lists_activated":    before.Activated,
			"offers_retired":     retired,
			"offers_expired":     before.OffersExpired,
			"imports_rejected":   before.StaleRejected,
			"offers_rematched":   before.OffersRematched,
			"feeds_fetched":      feeds.Fetched,
			"feeds_not_modified": feeds.NotModified,
			"feeds_unchanged":    feeds.Unchanged,
			"feeds_imported":     feeds.Imported,
			"feeds_rejected":     feeds.Rejected,
			"feeds_failed":       feeds.Failed,
		}, nil
	}
}
