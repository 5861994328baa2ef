package domain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Idempotency keys, as Stripe keeps them:
//   - a request claims its key for a lease; the same key while the lease runs
//     is ECONFLICT (still in flight); a key whose request died with its
//     server is free again when the lease ends;
//   - the transaction that changes data records what it made in the key's
//     row (through the audit writer, see markExecuted), so the key and the
//     change commit together;
//   - the answer is kept when, and only when, the request executed: a request
//     refused before it changed anything (validation, a conflict) releases
//     its key, and the corrected request may use it again;
//   - after that the same key answers the stored answer; with another
//     request it is EINVALID; and a request that executed but whose answer
//     was lost (a crash between its commit and the stored answer) is
//     answered from the objects it made (IdempotencyRecord.Executed).

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
	LockedUntil   time.Time
	// Executed names what the request's transaction made
	// ("order:12,order:13"), empty while it has changed nothing.
	Executed string
	// Live: the request holding the key may still run (its lease has not
	// ended).
	Live bool `gorm:"->;-:migration"`
}

// TableName maps the record to its table.
func (IdempotencyRecord) TableName() string { return "idempotency_keys" }

// ExecutedIDs returns the ids of the objects of kind entity the request
// made, in the order it made them.
func (r *IdempotencyRecord) ExecutedIDs(entity string) []int64 {
	var ids []int64
	for _, e := range strings.Split(r.Executed, ",") {
		kind, id, ok := strings.Cut(e, ":")
		if n, err := strconv.ParseInt(id, 10, 64); ok && err == nil && kind == entity {
			ids = append(ids, n)
		}
	}
	return ids
}

// IdempotencyStore remembers answers by (caller, key).
type IdempotencyStore struct {
	db *gorm.DB
	// Lease is how long a request holds its key before it counts as dead
	// (zero: IdempotencyLease). A running request renews it (Renew), so it
	// bounds only how long a retry waits after its request died with its
	// process or lost the database.
	Lease time.Duration
}

// IdempotencyLease is the default lease of a claimed key: short, because
// the request holding it renews it every third of it while it runs.
const IdempotencyLease = 15 * time.Second

func (s *IdempotencyStore) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return IdempotencyLease
}

// Renew extends the lease of claim id, held by a request still running.
func (s *IdempotencyStore) Renew(ctx context.Context, id int64) error {
	return s.db.WithContext(ctx).Exec(`UPDATE idempotency_keys SET locked_until = now() + ?::interval
		WHERE id = ? AND status IS NULL`, fmt.Sprintf("%d milliseconds", s.lease().Milliseconds()), id).Error
}

// RenewEvery is how often a running request renews its claim.
func (s *IdempotencyStore) RenewEvery() time.Duration { return s.lease() / 3 }

// IdempotencyCaller names the caller a key belongs to: a person, or a
// supplier (all of whose keys share one space, so that a retry through a
// rotated key still finds the first answer).
func IdempotencyCaller(a Actor) string {
	if a.Role == RoleSupplier && a.UserID == 0 {
		return fmt.Sprintf("supplier:%d", a.SupplierID)
	}
	return fmt.Sprintf("user:%d", a.UserID)
}

type idempotencyClaimKey struct{}

// WithIdempotencyClaim marks ctx as the context of the request holding
// claim id: the transactions it runs record what they make in the claim.
func WithIdempotencyClaim(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, idempotencyClaimKey{}, id)
}

// markExecuted records in the idempotency claim of ctx, if any, that tx
// made entity id: it commits with tx.
func markExecuted(ctx context.Context, tx *gorm.DB, entity string, id int64) error {
	claim, _ := ctx.Value(idempotencyClaimKey{}).(int64)
	if claim == 0 || id == 0 {
		return nil
	}
	return tx.WithContext(ctx).Exec(`UPDATE idempotency_keys
		SET executed = executed || CASE WHEN executed = '' THEN '' ELSE ',' END || ? WHERE id = ?`,
		entity+":"+strconv.FormatInt(id, 10), claim).Error
}

// MarkExecuted records in the claim of ctx, if any, that its request made
// entity id in a transaction of its own that has already committed (a
// price list registered while its body was received).
func (s *IdempotencyStore) MarkExecuted(ctx context.Context, entity string, id int64) error {
	return markExecuted(ctx, s.db, entity, id)
}

// Begin claims key for a request whose method, path and body hash to sha.
// It returns (nil, id) when the caller holds the key: run the request in a
// context WithIdempotencyClaim(id), then Finish. It returns the stored
// record when the key answered before (or executed and lost its answer:
// Status nil, Executed set). Errors: EINVALID when the key was used with a
// different request; ECONFLICT while the request holding it still runs.
func (s *IdempotencyStore) Begin(ctx context.Context, caller, key, method, path string, sha []byte) (*IdempotencyRecord, int64, error) {
	for range 3 {
		rec, id, err := s.begin(ctx, caller, key, method, path, sha)
		if !errors.Is(err, errReleased) {
			return rec, id, err
		}
	}
	return nil, 0, Errorf(ECONFLICT, "the Idempotency-Key is being claimed and released by other requests; retry later")
}

// errReleased: the key was released between our claim and our read.
var errReleased = errors.New("idempotency key released meanwhile")

func (s *IdempotencyStore) begin(ctx context.Context, caller, key, method, path string, sha []byte) (*IdempotencyRecord, int64, error) {
	until := fmt.Sprintf("%d milliseconds", s.lease().Milliseconds())
	// First comer inserts; a later one takes over a key whose holder died
	// (lease over) without executing anything.
	var claimed []int64
	err := s.db.WithContext(ctx).Raw(`INSERT INTO idempotency_keys (caller, key, method, path, request_sha256, locked_until)
		VALUES (?, ?, ?, ?, ?, now() + ?::interval)
		ON CONFLICT (caller, key) DO UPDATE SET method = EXCLUDED.method, path = EXCLUDED.path,
			request_sha256 = EXCLUDED.request_sha256, locked_until = EXCLUDED.locked_until, created_at = now()
		WHERE idempotency_keys.status IS NULL AND idempotency_keys.executed = ''
			AND idempotency_keys.locked_until < now()
		RETURNING id`, caller, key, method, path, sha, until).Scan(&claimed).Error
	if err != nil {
		return nil, 0, err
	}
	if len(claimed) == 1 {
		return nil, claimed[0], nil
	}
	var rec IdempotencyRecord
	if err := s.db.WithContext(ctx).Select("*, locked_until > now() AS live").
		Where("caller = ? AND key = ?", caller, key).Take(&rec).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, 0, errReleased
		}
		return nil, 0, err
	}
	if rec.Status == nil && rec.Live {
		return nil, 0, Errorf(ECONFLICT, "the first request with this Idempotency-Key is still being processed; retry later")
	}
	if rec.Method != method || rec.Path != path || !bytes.Equal(rec.RequestSHA256, sha) {
		return nil, 0, &Error{Code: EINVALID, Message: "this Idempotency-Key was used for a different request",
			Fields: []FieldError{{Field: "Idempotency-Key", Message: "was used before with another method, path or body"}}}
	}
	return &rec, 0, nil
}

// Finish ends the claim id of a request that answered status: the answer
// is kept when the request executed (its transaction marked the claim),
// and the key is released otherwise, so that a corrected request may use
// it. It reports whether the answer was kept.
func (s *IdempotencyStore) Finish(ctx context.Context, id int64, status int, contentType string, body []byte) (bool, error) {
	res := s.db.WithContext(ctx).Exec(`UPDATE idempotency_keys SET status = ?, content_type = ?, response = ?
		WHERE id = ? AND executed <> ''`, status, contentType, body, id)
	if res.Error != nil || res.RowsAffected == 1 {
		return res.RowsAffected == 1, res.Error
	}
	return false, s.db.WithContext(ctx).Exec("DELETE FROM idempotency_keys WHERE id = ? AND executed = ''", id).Error
}

// Keep stores status and body as the answer of a key whose request
// executed but lost its answer (replayed from what it made).
func (s *IdempotencyStore) Keep(ctx context.Context, id int64, status int, contentType string, body []byte) error {
	return s.db.WithContext(ctx).Exec(`UPDATE idempotency_keys SET status = ?, content_type = ?, response = ?
		WHERE id = ? AND status IS NULL`, status, contentType, body, id).Error
}

// ForgetOlderThan deletes records older than age; it returns how many.
func (s *IdempotencyStore) ForgetOlderThan(ctx context.Context, age time.Duration) (int64, error) {
	res := s.db.WithContext(ctx).Exec("DELETE FROM idempotency_keys WHERE created_at < ?", time.Now().UTC().Add(-age))
	return res.RowsAffected, res.Error
}
