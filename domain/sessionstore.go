package domain

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// SessionStore keeps web sessions in PostgreSQL so that any API replica can
// serve any user. It satisfies scs.CtxStore (github.com/alexedwards/scs/v2)
// over the same connection pool as everything else.
type SessionStore struct{ db *gorm.DB }

// NewSessionStore returns a store over db.
func NewSessionStore(db *gorm.DB) *SessionStore { return &SessionStore{db: db} }

type sessionRow struct {
	Token  string
	Data   []byte
	Expiry time.Time
}

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
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
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return s.db.WithContext(ctx).Exec(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`,
		token, b, expiry.UTC()).Error
}

// DeleteCtx removes a session; a missing one is no error.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Exec("DELETE FROM sessions WHERE token = ?", token).Error
}

// Find is FindCtx without a context (scs.Store).
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context (scs.Store).
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context (scs.Store).
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// DeleteExpired removes sessions past their expiry and returns how many.
func (s *SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Exec("DELETE FROM sessions WHERE expiry <= now()")
	return res.RowsAffected, res.Error
}
