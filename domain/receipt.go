package domain

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Sealed-bid receipts. When a supplier submits or replaces a bid, the
// cooperative signs what it received: the SHA-256 of the bid's canonical
// form and the server's time, with its Ed25519 key. At opening the
// evaluation lists each bid's hash, so a supplier can prove its bid was
// opened as sent (the hash of the opened bid equals its receipt's), and
// the cooperative can prove no bid came late (the signed time is the
// server's, before the deadline). Anyone holding the published public key
// can check a receipt (VerifyReceipt; `andel verify-receipt`; POST
// /api/v1/receipts/verify).

// BidReceipt is what a supplier keeps of a submitted bid.
type BidReceipt struct {
	TenderID   int64     `json:"tender_id"`
	BidID      int64     `json:"bid_id"`
	SupplierID int64     `json:"supplier_id"`
	Revision   int       `json:"revision"`
	SHA256     string    `json:"sha256"`      // hex, of CanonicalBid
	ReceivedAt time.Time `json:"received_at"` // the server's clock
	KeyID      string    `json:"key_id"`      // the first 16 hex digits of SHA-256(public key)
	Signature  string    `json:"signature"`   // base64 Ed25519 over ReceiptMessage
}

// ReceiptKey is the cooperative's signing key for bid receipts.
type ReceiptKey struct{ private ed25519.PrivateKey }

// NewReceiptKey makes a key from a 32-byte Ed25519 seed.
func NewReceiptKey(seed []byte) (ReceiptKey, error) {
	if len(seed) != ed25519.SeedSize {
		return ReceiptKey{}, fmt.Errorf("a receipt key seed is %d bytes, not %d", ed25519.SeedSize, len(seed))
	}
	return ReceiptKey{private: ed25519.NewKeyFromSeed(seed)}, nil
}

// Public is the key receipts are checked with.
func (k ReceiptKey) Public() ed25519.PublicKey { return k.private.Public().(ed25519.PublicKey) }

// Valid reports whether k can sign.
func (k ReceiptKey) Valid() bool { return len(k.private) == ed25519.PrivateKeySize }

// KeyID names a public key: the first 16 hex digits of its SHA-256.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// ReceiptMessage is the exact text a receipt's signature covers.
func ReceiptMessage(r BidReceipt) []byte {
	return []byte(strings.Join([]string{"andel-bid-receipt/v1",
		strconv.FormatInt(r.TenderID, 10), strconv.FormatInt(r.BidID, 10), strconv.FormatInt(r.SupplierID, 10),
		strconv.Itoa(r.Revision), r.SHA256, r.ReceivedAt.UTC().Format(time.RFC3339Nano)}, "\n"))
}

// SignReceipt signs what the server received of bid b at t.
func (k ReceiptKey) SignReceipt(b Bid, t time.Time) (BidReceipt, error) {
	canon, err := CanonicalBid(b)
	if err != nil {
		return BidReceipt{}, err
	}
	sum := sha256.Sum256(canon)
	r := BidReceipt{TenderID: b.TenderID, BidID: b.ID, SupplierID: b.SupplierID, Revision: b.Revision,
		SHA256: hex.EncodeToString(sum[:]), ReceivedAt: t.UTC(), KeyID: KeyID(k.Public())}
	r.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(k.private, ReceiptMessage(r)))
	return r, nil
}

// VerifyReceipt checks r's signature with the public key pub, and, when
// opened is not nil, that the opened bid is the one the receipt was given
// for (same ids and revision, same canonical hash). It names every
// mismatch.
func VerifyReceipt(r BidReceipt, pub ed25519.PublicKey, opened *Bid) error {
	var bad []string
	sig, err := base64.StdEncoding.DecodeString(r.Signature)
	switch {
	case err != nil || len(sig) != ed25519.SignatureSize:
		bad = append(bad, "the signature is not a base64 Ed25519 signature")
	case r.KeyID != KeyID(pub):
		bad = append(bad, fmt.Sprintf("the receipt was signed with key %s, not %s", r.KeyID, KeyID(pub)))
	case !ed25519.Verify(pub, ReceiptMessage(r), sig):
		bad = append(bad, "the signature does not match the receipt: it was not issued by this key, or the receipt was changed")
	}
	if opened != nil {
		canon, err := CanonicalBid(*opened)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(canon)
		switch {
		case opened.ID != r.BidID || opened.TenderID != r.TenderID || opened.SupplierID != r.SupplierID:
			bad = append(bad, "the opened bid is another bid than the receipt's")
		case opened.Revision != r.Revision:
			bad = append(bad, fmt.Sprintf("the opened bid is revision %d, the receipt is for revision %d", opened.Revision, r.Revision))
		case hex.EncodeToString(sum[:]) != r.SHA256:
			bad = append(bad, "the opened bid's hash differs from the receipt's: it is not the bid as sent")
		}
	}
	if len(bad) > 0 {
		return &Error{Code: EINVALID, Message: "the receipt does not verify: " + strings.Join(bad, "; ")}
	}
	return nil
}

// CanonicalBid is the bid's content in one fixed form, hashed for its
// receipt: JSON with fixed key order, items by lot item, tiers by
// minimum, every decimal in its shortest exact form, codes trimmed.
func CanonicalBid(b Bid) ([]byte, error) {
	type tier struct {
		MinPacks  string `json:"min_packs"`
		PackPrice string `json:"pack_price"`
	}
	type item struct {
		LotItemID   int64  `json:"lot_item_id"`
		SKU         string `json:"sku"`
		GTIN        string `json:"gtin"`
		PackUnit    string `json:"pack_unit"`
		PackContent string `json:"pack_content"`
		BaseUnit    string `json:"base_unit"`
		PackPrice   string `json:"pack_price"`
		Currency    string `json:"currency"`
		Tiers       []tier `json:"tiers"`
	}
	type value struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	values, err := b.Values()
	if err != nil {
		return nil, fmt.Errorf("bid %d: criteria values: %w", b.ID, err)
	}
	c := struct {
		Format     string  `json:"format"`
		TenderID   int64   `json:"tender_id"`
		BidID      int64   `json:"bid_id"`
		SupplierID int64   `json:"supplier_id"`
		Revision   int     `json:"revision"`
		Currency   string  `json:"currency"`
		Values     []value `json:"criteria_values"`
		Items      []item  `json:"items"`
	}{Format: "andel-bid/v1", TenderID: b.TenderID, BidID: b.ID, SupplierID: b.SupplierID, Revision: b.Revision,
		Currency: strings.TrimSpace(b.Currency), Values: []value{}, Items: []item{}}
	for name, v := range values {
		c.Values = append(c.Values, value{Name: name, Value: canonicalDecimal(v)})
	}
	slices.SortFunc(c.Values, func(a, b value) int { return strings.Compare(a.Name, b.Name) })
	for _, it := range b.Items {
		ci := item{LotItemID: it.LotItemID, SKU: strings.TrimSpace(it.SKU), GTIN: strings.TrimSpace(it.GTIN),
			PackUnit: strings.TrimSpace(it.PackUnit), PackContent: canonicalDecimal(it.PackContent),
			BaseUnit: strings.TrimSpace(it.BaseUnit), PackPrice: canonicalDecimal(it.PackPrice),
			Currency: strings.TrimSpace(it.Currency), Tiers: []tier{}}
		for _, t := range it.Tiers {
			ci.Tiers = append(ci.Tiers, tier{MinPacks: canonicalDecimal(t.MinPacks), PackPrice: canonicalDecimal(t.PackPrice)})
		}
		slices.SortFunc(ci.Tiers, func(a, b tier) int {
			return decimal.RequireFromString(a.MinPacks).Cmp(decimal.RequireFromString(b.MinPacks))
		})
		c.Items = append(c.Items, ci)
	}
	slices.SortFunc(c.Items, func(a, b item) int { return cmp.Compare(a.LotItemID, b.LotItemID) })
	return json.Marshal(c)
}

// canonicalDecimal writes d without trailing zeros ("41.5", not "41.50").
func canonicalDecimal(d decimal.Decimal) string {
	s := d.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// RandomReceiptKey makes a fresh key: for a server started without a
// configured one (tests; cmd/andel keeps one under its data folder).
func RandomReceiptKey() ReceiptKey {
	seed := make([]byte, ed25519.SeedSize)
	_, _ = rand.Read(seed)
	k, _ := NewReceiptKey(seed)
	return k
}

// Receipt returns bid b's receipt as stored when it was received.
func (b Bid) Receipt() BidReceipt {
	return BidReceipt{TenderID: b.TenderID, BidID: b.ID, SupplierID: b.SupplierID, Revision: b.Revision,
		SHA256: b.ReceiptSHA256, ReceivedAt: b.SubmittedAt.UTC(), KeyID: b.ReceiptKeyID, Signature: b.ReceiptSignature}
}

// ReceiptPublicKey is the key the cooperative's receipts verify with.
func (s *TenderService) ReceiptPublicKey() ed25519.PublicKey { return s.receipts.Public() }

// ReceiptCheck is what VerifyReceipt could establish.
type ReceiptCheck struct {
	// BidCompared: the bid has been opened and the caller may read it, so
	// the receipt was compared with it too (not only its signature).
	BidCompared bool
}

// VerifyReceipt checks receipt r against the cooperative's public key and,
// once the tender is opened and the caller may read the bid (its supplier;
// staff after opening), against the opened bid. Errors: EINVALID naming
// every mismatch.
func (s *TenderService) VerifyReceipt(ctx context.Context, r BidReceipt) (ReceiptCheck, error) {
	var check ReceiptCheck
	if err := VerifyReceipt(r, s.receipts.Public(), nil); err != nil {
		return check, err
	}
	var t Tender
	if err := s.db.WithContext(ctx).Select("id, status").Where("id = ?", r.TenderID).Take(&t).Error; err != nil || !t.Status.Opened() {
		return check, nil // the signature holds; the bid is still sealed (or unknown to this caller)
	}
	b, err := s.GetBid(ctx, r.TenderID, r.BidID)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return check, nil
		}
		return check, err
	}
	check.BidCompared = true
	return check, VerifyReceipt(r, s.receipts.Public(), b)
}
