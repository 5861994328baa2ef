package api

import (
	"encoding/base64"
	"net/http"
	"time"

	"andel/domain"

	"github.com/labstack/echo/v4"
)

// Sealed-bid receipts: the cooperative's public key (anyone may fetch it)
// and a check of a receipt against it and, once the tender is opened, the
// opened bid.

type receiptResponse struct {
	TenderID   int64     `json:"tender_id"`
	BidID      int64     `json:"bid_id"`
	SupplierID int64     `json:"supplier_id"`
	Revision   int       `json:"revision"`
	SHA256     string    `json:"sha256"`
	ReceivedAt time.Time `json:"received_at"`
	KeyID      string    `json:"key_id"`
	Signature  string    `json:"signature"`
}

func toReceiptResponse(r domain.BidReceipt) receiptResponse {
	return receiptResponse(r)
}

type receiptKeyResponse struct {
	Algorithm string `json:"algorithm"`
	PublicKey string `json:"public_key"` // base64, 32 bytes
	KeyID     string `json:"key_id"`
}

func (s *Server) receiptKey(c echo.Context) error {
	pub := s.svc.Tenders.ReceiptPublicKey()
	return c.JSON(http.StatusOK, receiptKeyResponse{Algorithm: "Ed25519",
		PublicKey: base64.StdEncoding.EncodeToString(pub), KeyID: domain.KeyID(pub)})
}

type receiptRequest struct {
	TenderID   int64     `json:"tender_id" validate:"required"`
	BidID      int64     `json:"bid_id" validate:"required"`
	SupplierID int64     `json:"supplier_id" validate:"required"`
	Revision   int       `json:"revision" validate:"required"`
	SHA256     string    `json:"sha256" validate:"required,len=64,hexadecimal"`
	ReceivedAt time.Time `json:"received_at" validate:"required"`
	KeyID      string    `json:"key_id" validate:"required,max=64"`
	Signature  string    `json:"signature" validate:"required,max=200"`
}

type receiptCheckResponse struct {
	Valid bool `json:"valid"`
	// BidCompared: the tender is opened and the caller may read the bid,
	// so the receipt was compared with the opened bid, not only signed.
	BidCompared bool `json:"bid_compared"`
}

// verifyReceipt answers 200 for a receipt the cooperative issued (and that
// matches the opened bid, when it can be read), 422 naming every mismatch.
func (s *Server) verifyReceipt(c echo.Context) error {
	var req receiptRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	check, err := s.svc.Tenders.VerifyReceipt(c.Request().Context(), domain.BidReceipt(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, receiptCheckResponse{Valid: true, BidCompared: check.BidCompared})
}
