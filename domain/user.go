package domain

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"
	"gorm.io/gorm"
)

// User is a person who logs in: staff, board, or a member's or supplier's user.
type User struct {
	ID           int64
	Email        string
	PasswordHash string `json:"-"`
	Role         Role
	MemberID     *int64
	SupplierID   *int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Actor returns the actor that a session of u acts as.
func (u *User) Actor() Actor {
	a := Actor{UserID: u.ID, Role: u.Role, Label: u.Email}
	if u.MemberID != nil {
		a.MemberID = *u.MemberID
	}
	if u.SupplierID != nil {
		a.SupplierID = *u.SupplierID
	}
	return a
}

// NewUser holds what it takes to create a user.
type NewUser struct {
	Email      string
	Password   string
	Role       Role
	MemberID   int64
	SupplierID int64
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// Login throttling, so that guessing is slow and strangers cannot lock the
// owner out. Within loginWindow:
//   - an address that failed maxFailuresPerAccountAddress times on an
//     account is refused for that account, and one that failed
//     maxFailuresPerRemote times is refused for every account: only the
//     failing address is locked, never the account;
//   - after accountDelayAfter failures on an account from anywhere, its
//     attempts are spaced by a delay that doubles with each further failure
//     up to maxAccountDelay, so a password can be tried only slowly even
//     from many addresses, while the owner waits seconds, not minutes.
//
// Every attempt is counted before its password is checked, one at a time
// per account (a transaction-level advisory lock), so concurrent guesses
// cannot all slip under a limit.
const (
	loginWindow                  = 15 * time.Minute
	maxFailuresPerAccountAddress = 5
	maxFailuresPerRemote         = 20
	accountDelayAfter            = 5
	maxAccountDelay              = 30 * time.Second
)

// passwordParams are argon2id's parameters (RFC 9106's second recommended
// option, scaled to 64 MiB).
var passwordParams = argon2id.DefaultParams

// dummyHash is compared against when a login names no user, so that a
// missing account takes as long as a wrong password.
var dummyHash, _ = argon2id.CreateHash("no such user", passwordParams)

// UserService manages users and their logins.
type UserService struct{ db *gorm.DB }

// Create adds a user. Admins only. Errors: EFORBIDDEN, EINVALID, ECONFLICT
// (the e-mail address is taken).
func (s *UserService) Create(ctx context.Context, in NewUser) (*User, error) {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return nil, err
	}
	var p Problems
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if !validEmail(email) {
		p.Add("email", "must be a plain e-mail address")
	}
	if len(in.Password) < MinPasswordLength {
		p.Add("password", "must be at least %d characters", MinPasswordLength)
	}
	if len(in.Password) > 1024 {
		p.Add("password", "must be at most 1024 characters")
	}
	u := &User{Email: email, Role: in.Role}
	switch in.Role {
	case RoleMember:
		if in.MemberID == 0 {
			p.Add("member_id", "is required for the member role")
		}
		u.MemberID = &in.MemberID
	case RoleSupplier:
		if in.SupplierID == 0 {
			p.Add("supplier_id", "is required for the supplier role")
		}
		u.SupplierID = &in.SupplierID
	case RoleAdmin, RoleBoard:
	default:
		p.Add("role", "must be admin, board, member or supplier")
	}
	if in.Role != RoleMember && in.MemberID != 0 {
		p.Add("member_id", "is only for the member role")
	}
	if in.Role != RoleSupplier && in.SupplierID != 0 {
		p.Add("supplier_id", "is only for the supplier role")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	hash, err := argon2id.CreateHash(in.Password, passwordParams)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			return userWriteError(err)
		}
		return recordAudit(ctx, tx, auditEntry{action: "user.created", entity: "user", entityID: u.ID,
			memberID: in.MemberID, supplierID: in.SupplierID,
			details: map[string]any{"email": u.Email, "role": u.Role}})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func userWriteError(err error) error {
	switch constraintViolated(err) {
	case "users_email_key":
		return &Error{Code: ECONFLICT, Message: "a user with this e-mail exists",
			Fields: []FieldError{{Field: "email", Message: "is already registered"}}}
	case "users_member_id_fkey":
		return (&Problems{{Field: "member_id", Message: "names no member"}}).Err()
	case "users_supplier_id_fkey":
		return (&Problems{{Field: "supplier_id", Message: "names no supplier"}}).Err()
	}
	return err
}

// Get returns the user with id. Errors: ENOTFOUND.
func (s *UserService) Get(ctx context.Context, id int64) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, usersOwnership)).Where("users.id = ?", id).Take(&u).Error
	if err != nil {
		return nil, notFoundOr(err, "user")
	}
	return &u, nil
}

// Login checks an e-mail and password and returns the user. Failures are
// counted per account and per remote address; past the limits the answer
// is ETOOMANY whatever the password. Successful and failed logins are
// audited. Errors: EUNAUTHORIZED, ETOOMANY.
func (s *UserService) Login(ctx context.Context, email, password, remoteAddr string) (*User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > maxEmailBytes {
		// No user has such an address (RFC 5321 bounds it); counting the
		// attempt would index the whole text, and PostgreSQL refuses an
		// index row over 8 kB (a 500 for a 1 MB "e-mail").
		return nil, Errorf(EUNAUTHORIZED, "wrong e-mail or password")
	}
	db := s.db.WithContext(ctx)
	attempt, err := s.countAttempt(ctx, email, remoteAddr)
	if err != nil {
		return nil, err
	}

	var u User
	err = db.Where("email = ?", email).Take(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	hash := u.PasswordHash
	if u.ID == 0 {
		hash = dummyHash
	}
	match, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return nil, err
	}
	if !match || u.ID == 0 {
		// The attempt counted as a failure already; only the trail is left.
		err := recordAudit(ctx, db, auditEntry{action: "session.login_failed", entity: "user",
			entityID: u.ID, details: map[string]any{"email": email, "remote_addr": remoteAddr}})
		if err != nil {
			return nil, err
		}
		return nil, Errorf(EUNAUTHORIZED, "wrong e-mail or password")
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		// The owner proved itself from this address: its failures from here
		// no longer count (a stranger's, elsewhere, still do).
		if err := tx.Exec("DELETE FROM login_failures WHERE email = ? AND (remote_addr = ? OR id = ?)", email, remoteAddr, attempt).Error; err != nil {
			return err
		}
		ctx := WithActor(ctx, u.Actor())
		return recordAudit(ctx, tx, auditEntry{action: "session.login", entity: "user", entityID: u.ID,
			memberID: deref(u.MemberID), supplierID: deref(u.SupplierID),
			details: map[string]any{"remote_addr": remoteAddr}})
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// countAttempt decides, one attempt at a time per account, whether email
// may try a password from remoteAddr now, and counts the attempt as a
// failure before the password is checked (a success deletes it). Errors:
// ETOOMANY saying when to try again.
func (s *UserService) countAttempt(ctx context.Context, email, remoteAddr string) (int64, error) {
	var id int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended('andel-login:' || ?, 0))", email).Error; err != nil {
			return err
		}
		var c struct {
			ByPair, ByEmail, ByRemote int64
			WaitMS                    int64 `gorm:"column:wait_ms"`
		}
		err := tx.Raw(`SELECT
			count(*) FILTER (WHERE email = @email AND remote_addr = @addr) AS by_pair,
			count(*) FILTER (WHERE email = @email) AS by_email,
			count(*) FILTER (WHERE remote_addr = @addr) AS by_remote,
			coalesce(ceil(extract(epoch FROM max(failed_at) FILTER (WHERE email = @email)
				+ least(@maxDelay * interval '1 second',
					power(2, greatest(count(*) FILTER (WHERE email = @email) - @after, 0)) * interval '1 second')
				- clock_timestamp()) * 1000), 0)::bigint AS wait_ms
			FROM login_failures
			WHERE (email = @email OR remote_addr = @addr) AND failed_at > now() - @win * interval '1 second'`,
			map[string]any{"email": email, "addr": remoteAddr, "win": int(loginWindow.Seconds()), "after": accountDelayAfter - 1,
				"maxDelay": int(maxAccountDelay.Seconds())}).Scan(&c).Error
		if err != nil {
			return err
		}
		switch {
		case c.ByPair >= maxFailuresPerAccountAddress || c.ByRemote >= maxFailuresPerRemote:
			return Errorf(ETOOMANY, "too many failed logins from this address; try again in %d minutes", int(loginWindow.Minutes()))
		case c.ByEmail >= accountDelayAfter && c.WaitMS > 0:
			return Errorf(ETOOMANY, "too many failed logins on this account; try again in %d seconds", (c.WaitMS+999)/1000)
		}
		return tx.Raw("INSERT INTO login_failures (email, remote_addr, failed_at) VALUES (?, ?, clock_timestamp()) RETURNING id",
			email, remoteAddr).Scan(&id).Error
	})
	return id, err
}

// ForgetLoginFailures deletes failures older than the throttling window;
// they no longer count for anything. It returns how many it deleted.
func (s *UserService) ForgetLoginFailures(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Exec("DELETE FROM login_failures WHERE failed_at < ?", time.Now().UTC().Add(-loginWindow))
	return res.RowsAffected, res.Error
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// SessionUser returns the user behind a session, unscoped: it is how the
// caller's identity is established in the first place. Errors:
// EUNAUTHORIZED when the user no longer exists.
func (s *UserService) SessionUser(ctx context.Context, id int64) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(EUNAUTHORIZED, "the session's user no longer exists")
	}
	return &u, err
}

// maxEmailBytes is the longest e-mail address there is (RFC 5321: a
// 254-octet path less its angle brackets).
const maxEmailBytes = 254
