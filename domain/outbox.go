package domain

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"gorm.io/gorm"
)

// Outbox retry policy: exponential from OutboxBaseDelay, capped.
const (
	OutboxBaseDelay = 30 * time.Second
	OutboxMaxDelay  = time.Hour
)

// OutboxReport counts one delivery pass.
type OutboxReport struct {
	Delivered, Failed int64
}

// OutboxMessage is one order message due at its supplier, as the outbox
// hands it to a Deliverer.
type OutboxMessage struct {
	DeliveryID    string    // the id a receiver deduplicates retries by
	Body          []byte    // the order event, JSON
	WebhookURL    string    // the supplier's order webhook; empty when it has none
	WebhookSecret string    // the supplier's signing secret; empty when it has none
	Format        string    // the supplier's OrderFormat: how Body is to be sent
	At            time.Time // this attempt, by the server's clock (signed with the body)
}

// Deliverer takes an outbox message to its supplier: package suppliers
// implements it (a signed webhook POST today, PEPPOL Order later). A nil
// error means the supplier accepted the message; any error is a failed
// attempt, retried on the outbox's schedule.
type Deliverer interface {
	Deliver(ctx context.Context, m OutboxMessage) error
}

// backoff is the wait after the n'th failed attempt (n >= 1).
func backoff(n int) time.Duration {
	d := OutboxBaseDelay
	for i := 1; i < n && d < OutboxMaxDelay; i++ {
		d *= 2
	}
	return min(d, OutboxMaxDelay)
}

// DeliverOutbox hands due outbox messages to d, at most limit of them.
// Each message is claimed with FOR UPDATE SKIP LOCKED in its own
// transaction, held while it is delivered, so several replicas can deliver
// at once and none sends a message another is sending; an accepted message
// is marked delivered, any failure schedules a retry with exponential
// backoff (backoff). d should bound each attempt's time.
func (s *OrderService) DeliverOutbox(ctx context.Context, d Deliverer, limit int) (OutboxReport, error) {
	var rep OutboxReport
	for range limit {
		done, ok, err := s.deliverOne(ctx, d)
		if err != nil {
			return rep, err
		}
		if !done {
			break
		}
		if ok {
			rep.Delivered++
		} else {
			rep.Failed++
		}
	}
	return rep, nil
}

// deliverOne claims the next due message and records the attempt.
func (s *OrderService) deliverOne(ctx context.Context, d Deliverer) (claimed, ok bool, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m struct {
			ID         int64
			DeliveryID string
			Body       string
			Attempts   int
			URL        string
			Secret     string
			Format     string
		}
		res := tx.Raw(`SELECT o.id, o.delivery_id, o.body, o.attempts, coalesce(s.order_webhook_url, '') AS url,
				coalesce(s.webhook_secret, '') AS secret, s.order_format AS format
			FROM order_outbox o JOIN suppliers s ON s.id = o.supplier_id
			WHERE o.status = 'pending' AND o.next_attempt_at <= ?
			ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED`, s.now()).Scan(&m)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		claimed = true
		sendErr := d.Deliver(ctx, OutboxMessage{DeliveryID: m.DeliveryID, Body: []byte(m.Body),
			WebhookURL: m.URL, WebhookSecret: m.Secret, Format: m.Format, At: s.now()})
		if sendErr == nil {
			ok = true
			return tx.Exec(`UPDATE order_outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = now(), last_error = '' WHERE id = ?`, m.ID).Error
		}
		wait := backoff(m.Attempts + 1)
		msg := sendErr.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		return tx.Exec(`UPDATE order_outbox SET attempts = attempts + 1, last_error = ?,
			next_attempt_at = ? WHERE id = ?`, msg, s.now().Add(wait), m.ID).Error
	})
	return claimed, ok, err
}

// RotateWebhookSecret issues a new webhook secret for a supplier and
// returns it; it is shown only this once. Admins, or the supplier itself.
// Errors: ENOTFOUND, EFORBIDDEN.
func (s *OrderService) RotateWebhookSecret(ctx context.Context, supplierID int64) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := "whsec_" + hex.EncodeToString(b)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sup Supplier
		if err := tx.Scopes(visibleTo(ctx, suppliersOwnership)).Clauses(forUpdate).Where("suppliers.id = ?", supplierID).Take(&sup).Error; err != nil {
			return notFoundOr(err, "supplier")
		}
		if _, err := require(ctx, RoleAdmin, RoleSupplier); err != nil {
			return err
		}
		if err := tx.Exec("UPDATE suppliers SET webhook_secret = ? WHERE id = ?", secret, supplierID).Error; err != nil {
			return err
		}
		return recordAudit(ctx, tx, auditEntry{action: "supplier.webhook_secret_rotated", entity: "supplier",
			entityID: supplierID, supplierID: supplierID})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}
