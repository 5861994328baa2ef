// Package sessionstore keeps the HTTP layer's web sessions (scs) in
// PostgreSQL, so that any API replica can serve any user. It is an adapter
// of package api (which mounts it in its session manager) and of the
// housekeeping job (which deletes expired sessions); the cooperative's
// rules in package domain know nothing of sessions.
package sessionstore

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Store keeps web sessions in the sessions table. It satisfies scs.CtxStore
// (github.com/alexedwards/scs/v2) over the same connection pool as
// everything else.
type Store struct{ db *gorm.DB }

// New returns a store over db.
func New(db *gorm.DB) *Store { return &Store{db: db} }

type sessionRow struct {
	Token  string
	Data   []byte
	Expiry time.Time
}

// FindCtx returns the data of an unexpired session.
func (s *Store) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var row sessionRow
	err := s.db.WithContext(ctx).Table("sessions").Where("token = ? AND expiry > now()", token).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return row.Data, true, nil
}

// CommitCtx stores or replaces a session.
func (s *Store) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return s.db.WithContext(ctx).Exec(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`,
		token, b, expiry.UTC()).Error
}

// DeleteCtx removes a session; a missing one is no error.
func (s *Store) DeleteCtx(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Exec("DELETE FROM sessions WHERE token = ?", token).Error
}

// Find is FindCtx without a context (scs.Store).
func (s *Store) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context (scs.Store).
func (s *Store) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context (scs.Store).
func (s *Store) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteExpired removes sessions past their expiry and returns how many.
func (s *Store) DeleteExpired(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Exec("DELETE FROM sessions WHERE expiry <= now()")
	return res.RowsAffected, res.Error
}
