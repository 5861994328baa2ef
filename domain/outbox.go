package domain

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Webhook headers: the HMAC-SHA256 signature of "<t>.<body>" with the
// supplier's webhook secret, and the delivery id a receiver deduplicates
// retries by (also sent as Idempotency-Key).
const (
	SignatureHeader  = "Andel-Signature"
	DeliveryIDHeader = "Andel-Delivery-Id"
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

// Sign returns the Andel-Signature header value for body at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// backoff is the wait after the n'th failed attempt (n >= 1).
func backoff(n int) time.Duration {
	d := OutboxBaseDelay
	for i := 1; i < n && d < OutboxMaxDelay; i++ {
		d *= 2
	}
	return min(d, OutboxMaxDelay)
}

// DeliverOutbox POSTs due outbox messages to their suppliers' webhooks, at
// most limit of them. Each message is claimed with FOR UPDATE SKIP LOCKED
// in its own transaction, held while it is sent, so several replicas can
// deliver at once and none sends a message another is sending; a 2xx
// answer marks it delivered, anything else schedules a retry with
// exponential backoff. client should have a timeout.
func (s *OrderService) DeliverOutbox(ctx context.Context, client *http.Client, limit int) (OutboxReport, error) {
	var rep OutboxReport
	for range limit {
		done, ok, err := s.deliverOne(ctx, client)
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

func (s *OrderService) deliverOne(ctx context.Context, client *http.Client) (claimed, ok bool, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m struct {
			ID         int64
			DeliveryID string
			Body       string
			Attempts   int
			URL        *string `gorm:"column:order_webhook_url"`
			Secret     *string `gorm:"column:webhook_secret"`
		}
		res := tx.Raw(`SELECT o.id, o.delivery_id, o.body, o.attempts, s.order_webhook_url, s.webhook_secret
			FROM order_outbox o JOIN suppliers s ON s.id = o.supplier_id
			WHERE o.status = 'pending' AND o.next_attempt_at <= ?
			ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED`, s.Now()).Scan(&m)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		claimed = true
		sendErr := s.post(ctx, client, m.URL, m.Secret, m.DeliveryID, []byte(m.Body))
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
			next_attempt_at = ? WHERE id = ?`, msg, s.Now().Add(wait), m.ID).Error
	})
	return claimed, ok, err
}

func (s *OrderService) post(ctx context.Context, client *http.Client, url, secret *string, deliveryID string, body []byte) error {
	if url == nil || *url == "" {
		return fmt.Errorf("the supplier has no webhook URL")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, *url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(DeliveryIDHeader, deliveryID)
	req.Header.Set("Idempotency-Key", deliveryID)
	if secret != nil && *secret != "" {
		req.Header.Set(SignatureHeader, Sign(*secret, s.Now(), body))
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s", res.Status)
	}
	return nil
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
