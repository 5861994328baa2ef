package domain

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// Lookup returns the record of the caller's key, for a page that shows
// what a request made under it (the web checkout's confirmation). Errors:
// ENOTFOUND when the key is unknown or was released.
func (s *IdempotencyStore) Lookup(ctx context.Context, caller, key string) (*IdempotencyRecord, error) {
	var rec IdempotencyRecord
	err := s.db.WithContext(ctx).Select("*, locked_until > now() AS live").
		Where("caller = ? AND key = ?", caller, key).Take(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, NotFound("checkout")
	}
	return &rec, err
}
