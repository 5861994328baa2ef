package domain

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// IdempotencyRecord is a stored answer to a creating request made with an
// Idempotency-Key header.
type IdempotencyRecord struct {
	ID            int64
	Caller        string
	Key           string
	Method        string
	Path          string
	RequestSHA256 []byte `gorm:"column:request_sha256"`
	Status        *int
	ContentType   string
	Response      []byte
	CreatedAt     time.Time
}

// TableName maps the record to its table.
func (IdempotencyRecord) TableName() string { return "idempotency_keys" }

// IdempotencyStore remembers answers by (caller, key).
type IdempotencyStore struct{ db *gorm.DB }

// IdempotencyCaller names the caller a key belongs to: a person, or a
// supplier (all of whose keys share one space, so that a retry through a
// rotated key still finds the first answer).
func IdempotencyCaller(a Actor) string {
	if a.Role == RoleSupplier && a.UserID == 0 {
		return fmt.Sprintf("supplier:%d", a.SupplierID)
	}
	return fmt.Sprintf("user:%d", a.UserID)
}

// Begin claims key for a request whose method, path and body hash to sha.
// It returns (nil, id) when the caller is first: run the request, then
// Complete or Abandon id. It returns the stored record when the key was
// used before with the same request. Errors: EINVALID when the key was used
// with a different request, ECONFLICT while the first request still runs.
func (s *IdempotencyStore) Begin(ctx context.Context, caller, key, method, path string, sha []byte) (*IdempotencyRecord, int64, error) {
	rec := IdempotencyRecord{Caller: caller, Key: key, Method: method, Path: path, RequestSHA256: sha}
	res := s.db.WithContext(ctx).Exec(`INSERT INTO idempotency_keys (caller, key, method, path, request_sha256)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (caller, key) DO NOTHING`, caller, key, method, path, sha)
	if res.Error != nil {
		return nil, 0, res.Error
	}
	if err := s.db.WithContext(ctx).Where("caller = ? AND key = ?", caller, key).Take(&rec).Error; err != nil {
		return nil, 0, err
	}
	if res.RowsAffected == 1 {
		return nil, rec.ID, nil
	}
	if rec.Method != method || rec.Path != path || !bytes.Equal(rec.RequestSHA256, sha) {
		return nil, 0, &Error{Code: EINVALID, Message: "this Idempotency-Key was used for a different request",
			Fields: []FieldError{{Field: "Idempotency-Key", Message: "was used before with another method, path or body"}}}
	}
	if rec.Status == nil {
		return nil, 0, Errorf(ECONFLICT, "the first request with this Idempotency-Key is still being processed; retry later")
	}
	return &rec, 0, nil
}

// Complete stores the answer of the request that claimed id.
func (s *IdempotencyStore) Complete(ctx context.Context, id int64, status int, contentType string, body []byte) error {
	return s.db.WithContext(ctx).Exec("UPDATE idempotency_keys SET status = ?, content_type = ?, response = ? WHERE id = ?",
		status, contentType, body, id).Error
}

// Abandon releases id after a failure that a retry may not meet again (a
// 5xx), so that the retry runs the request afresh.
func (s *IdempotencyStore) Abandon(ctx context.Context, id int64) error {
	return s.db.WithContext(ctx).Exec("DELETE FROM idempotency_keys WHERE id = ?", id).Error
}

// ForgetOlderThan deletes records older than age; it returns how many.
func (s *IdempotencyStore) ForgetOlderThan(ctx context.Context, age time.Duration) (int64, error) {
	res := s.db.WithContext(ctx).Exec("DELETE FROM idempotency_keys WHERE created_at < ?", time.Now().UTC().Add(-age))
	return res.RowsAffected, res.Error
}
