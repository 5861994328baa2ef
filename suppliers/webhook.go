package suppliers

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"andel/domain"
)

// Webhook headers: the HMAC-SHA256 signature of "<t>.<body>" with the
// supplier's webhook secret, and the delivery id a receiver deduplicates
// retries by (also sent as Idempotency-Key). The README documents both.
const (
	SignatureHeader  = "Andel-Signature"
	DeliveryIDHeader = "Andel-Delivery-Id"
)

// Webhook delivers order messages from the outbox to suppliers' order
// webhooks as signed JSON POSTs (domain.Deliverer). The outbox keeps the
// rules (which message is due, retries and their backoff); Webhook only
// talks HTTP.
type Webhook struct {
	// Client sends the POSTs; it should have a timeout, which bounds
	// each attempt.
	Client *http.Client
}

// Deliver POSTs m to its supplier's webhook, signed when the supplier has a
// secret. Only a 2xx answer counts as delivered.
func (w Webhook) Deliver(ctx context.Context, m domain.OutboxMessage) error {
	if m.WebhookURL == "" {
		return fmt.Errorf("the supplier has no webhook URL")
	}
	body, contentType, err := webhookBody(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set(DeliveryIDHeader, m.DeliveryID)
	req.Header.Set("Idempotency-Key", m.DeliveryID)
	if m.WebhookSecret != "" {
		req.Header.Set(SignatureHeader, Sign(m.WebhookSecret, m.At, body))
	}
	res, err := w.Client.Do(req)
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

// webhookBody is what a supplier's webhook receives for m: the JSON
// message, or for a supplier taking PEPPOL the placed order as a PEPPOL
// BIS Order 3 document (signed the same way). BIS Ordering's order-only
// profile has no cancellation document, so cancellations stay JSON.
func webhookBody(m domain.OutboxMessage) (body []byte, contentType string, err error) {
	if m.Format != domain.OrderFormatPEPPOL {
		return m.Body, "application/json", nil
	}
	var msg domain.OrderMessage
	if err := json.Unmarshal(m.Body, &msg); err != nil {
		return nil, "", fmt.Errorf("outbox message %s: %w", m.DeliveryID, err)
	}
	if msg.Event != "order.placed" {
		return m.Body, "application/json", nil
	}
	doc, err := PEPPOLOrderFromMessage(msg)
	if err != nil {
		return nil, "", err
	}
	b, err := MarshalPEPPOLOrder(doc)
	return b, PEPPOLOrderMediaType, err
}

// Sign returns the Andel-Signature header value for body at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with secret>".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}
