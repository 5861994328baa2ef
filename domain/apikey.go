package domain

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"gorm.io/gorm"
)

// APIKey is a supplier's bearer key. Only its prefix and a hash of its
// secret are stored; the whole key is shown once, when it is issued.
type APIKey struct {
	ID         int64
	SupplierID int64
	Name       string
	Prefix     string
	SecretHash []byte `json:"-"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// apiKeyTag starts every key so that leaked keys are recognisable by
// secret scanners: andel_<prefix>_<secret>.
const apiKeyTag = "andel_"

// IssuedAPIKey is a freshly issued key with its one-time plain text.
type IssuedAPIKey struct {
	APIKey
	Key string
}

func newAPIKeyMaterial() (prefix, secret string, err error) {
	var p [5]byte
	var s [32]byte
	if _, err = rand.Read(p[:]); err != nil {
		return "", "", err
	}
	if _, err = rand.Read(s[:]); err != nil {
		return "", "", err
	}
	return hex.EncodeToString(p[:]), base64.RawURLEncoding.EncodeToString(s[:]), nil
}

func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// IssueAPIKey creates a key for supplier id. Staff (admin) or a user of the
// supplier itself may do it; an API key may not mint keys, so that a leaked
// key cannot outlive its revocation. Errors: ENOTFOUND, EFORBIDDEN, EINVALID.
func (s *SupplierService) IssueAPIKey(ctx context.Context, supplierID int64, name string) (*IssuedAPIKey, error) {
	if _, err := s.Get(ctx, supplierID); err != nil {
		return nil, err
	}
	a, err := require(ctx, RoleAdmin, RoleSupplier)
	if err != nil {
		return nil, err
	}
	if a.UserID == 0 {
		return nil, Errorf(EFORBIDDEN, "API keys are issued by people, not by other keys")
	}
	name = strings.TrimSpace(name)
	if len(name) > 100 {
		return nil, (&Problems{{Field: "name", Message: "must be at most 100 characters"}}).Err()
	}
	prefix, secret, err := newAPIKeyMaterial()
	if err != nil {
		return nil, err
	}
	return s.storeAPIKey(ctx, supplierID, name, prefix, secret)
}

// StoreAPIKey stores a key of supplier id whose prefix and secret the
// caller chose: for the demo seed (internal/demo), whose printed keys stay
// the same on every run. Only the system itself (a terminal command, no
// user or key) may; people get keys from IssueAPIKey. Errors: EFORBIDDEN.
func (s *SupplierService) StoreAPIKey(ctx context.Context, supplierID int64, name, prefix, secret string) (*IssuedAPIKey, error) {
	a, err := require(ctx, RoleAdmin)
	if err != nil {
		return nil, err
	}
	if a.UserID != 0 || a.APIKeyID != 0 {
		return nil, Errorf(EFORBIDDEN, "only the system stores keys it chose itself")
	}
	return s.storeAPIKey(ctx, supplierID, name, prefix, secret)
}

// APIKeyText is the key a supplier sends: the tag, the prefix and the
// secret (andel_<prefix>_<secret>).
func APIKeyText(prefix, secret string) string { return apiKeyTag + prefix + "_" + secret }

func (s *SupplierService) storeAPIKey(ctx context.Context, supplierID int64, name, prefix, secret string) (*IssuedAPIKey, error) {
	k := IssuedAPIKey{APIKey: APIKey{SupplierID: supplierID, Name: name, Prefix: prefix, SecretHash: hashSecret(secret)},
		Key: APIKeyText(prefix, secret)}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&k.APIKey).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "api_key.issued", entity: "api_key",
			entityID: k.ID, supplierID: supplierID, details: map[string]any{"prefix": prefix, "name": name}})
	})
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// ListAPIKeys returns the keys of supplier id (never their secrets).
// Errors: ENOTFOUND.
func (s *SupplierService) ListAPIKeys(ctx context.Context, supplierID int64) ([]APIKey, error) {
	if _, err := s.Get(ctx, supplierID); err != nil {
		return nil, err
	}
	var keys []APIKey
	err := s.db.WithContext(ctx).Scopes(visibleTo(ctx, apiKeysOwnership)).
		Where("supplier_id = ?", supplierID).Order("id").Find(&keys).Error
	return keys, err
}

// RevokeAPIKey revokes key keyID of supplier supplierID; revoking twice is
// harmless. Errors: ENOTFOUND, EFORBIDDEN.
func (s *SupplierService) RevokeAPIKey(ctx context.Context, supplierID, keyID int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var k APIKey
		if err := tx.Scopes(visibleTo(ctx, apiKeysOwnership)).Clauses(forUpdate).
			Where("id = ? AND supplier_id = ?", keyID, supplierID).Take(&k).Error; err != nil {
			return notFoundOr(err, "API key")
		}
		if _, err := require(ctx, RoleAdmin, RoleSupplier); err != nil {
			return err
		}
		if k.RevokedAt != nil {
			return nil
		}
		if err := tx.Model(&k).Update("revoked_at", time.Now().UTC()).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "api_key.revoked", entity: "api_key",
			entityID: k.ID, supplierID: supplierID, details: map[string]any{"prefix": k.Prefix}})
	})
}

// AuthenticateAPIKey returns the actor for a bearer key, or EUNAUTHORIZED
// for a malformed, unknown or revoked key. It records when the key was last
// used, at most once a minute so that busy integrations do not write on
// every call.
func (s *SupplierService) AuthenticateAPIKey(ctx context.Context, key string) (Actor, error) {
	unauthorized := Errorf(EUNAUTHORIZED, "unknown or revoked API key")
	rest, ok := strings.CutPrefix(key, apiKeyTag)
	if !ok {
		return Actor{}, unauthorized
	}
	prefix, secret, ok := strings.Cut(rest, "_")
	if !ok || prefix == "" || secret == "" {
		return Actor{}, unauthorized
	}
	var k APIKey
	err := s.db.WithContext(ctx).Joins("JOIN suppliers ON suppliers.id = api_keys.supplier_id AND suppliers.status = 'active'").
		Where("api_keys.prefix = ? AND api_keys.revoked_at IS NULL", prefix).Take(&k).Error
	if err != nil {
		if ErrorCode(notFoundOr(err, "key")) == ENOTFOUND {
			return Actor{}, unauthorized
		}
		return Actor{}, err
	}
	if subtle.ConstantTimeCompare(k.SecretHash, hashSecret(secret)) != 1 {
		return Actor{}, unauthorized
	}
	now := time.Now().UTC()
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		if err := s.db.WithContext(ctx).Model(&k).UpdateColumn("last_used_at", now).Error; err != nil {
			return Actor{}, err
		}
	}
	return Actor{APIKeyID: k.ID, Role: RoleSupplier, SupplierID: k.SupplierID, Label: "api-key:" + k.Prefix}, nil
}
