package domain

import (
	"context"
	"time"
)

// Feed is a supplier's catalogue feed and what its last fetch returned.
type Feed struct {
	SupplierID    int64
	URL           string
	ETag          string `gorm:"column:etag"`
	LastModified  string
	LastCheckedAt *time.Time
	LastStatus    string
	LastError     string
	Failures      int
}

// Feeds returns the feeds of active suppliers that have a feed URL.
func (s *CatalogueService) Feeds(ctx context.Context) ([]Feed, error) {
	var feeds []Feed
	err := s.db.WithContext(ctx).Table("suppliers").
		Select(`suppliers.id AS supplier_id, suppliers.catalogue_feed_url AS url,
			coalesce(f.etag, '') AS etag, coalesce(f.last_modified, '') AS last_modified,
			f.last_checked_at, coalesce(f.last_status, '') AS last_status,
			coalesce(f.last_error, '') AS last_error, coalesce(f.failures, 0) AS failures`).
		Joins("LEFT JOIN supplier_feeds f ON f.supplier_id = suppliers.id").
		Where("suppliers.status = 'active' AND suppliers.catalogue_feed_url IS NOT NULL").
		Order("suppliers.id").Scan(&feeds).Error
	return feeds, err
}

// RecordFeedFetch stores the outcome of fetching f: its validators after a
// success (status "imported" or "not-modified"), or the error after a
// failure, which counts towards Failures until the next success.
func (s *CatalogueService) RecordFeedFetch(ctx context.Context, f Feed, status string, fetchErr error) error {
	errText, failed := "", 0
	if fetchErr != nil {
		errText, failed = fetchErr.Error(), 1
	}
	return s.db.WithContext(ctx).Exec(`INSERT INTO supplier_feeds (supplier_id, etag, last_modified, last_checked_at, last_status, last_error, failures)
		VALUES (?, ?, ?, now(), ?, ?, ?)
		ON CONFLICT (supplier_id) DO UPDATE SET
			etag = CASE WHEN ? = 0 THEN EXCLUDED.etag ELSE supplier_feeds.etag END,
			last_modified = CASE WHEN ? = 0 THEN EXCLUDED.last_modified ELSE supplier_feeds.last_modified END,
			last_checked_at = now(), last_status = EXCLUDED.last_status, last_error = EXCLUDED.last_error,
			failures = CASE WHEN ? = 0 THEN 0 ELSE supplier_feeds.failures + 1 END`,
		f.SupplierID, f.ETag, f.LastModified, status, errText, failed, failed, failed, failed).Error
}
